//! Oracle suite: buffered against python3.
