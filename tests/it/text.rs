//! Oracle suite: text against python3.
