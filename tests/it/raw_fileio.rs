//! Oracle suite: raw_fileio against python3.
