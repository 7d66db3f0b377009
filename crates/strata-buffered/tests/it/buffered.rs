//! Buffered wrappers over scripted raw streams, table-driven (contract §C).
