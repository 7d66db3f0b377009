//! Oracle suite: bytesio against python3.
