//! The buffered wrappers: `BufferedReader`, `BufferedWriter`, `BufferedRandom`, `BufferedRWPair`.
