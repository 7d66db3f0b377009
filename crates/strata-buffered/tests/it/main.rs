//! Integration tests for strata-buffered (one binary; table-driven suites as modules).

mod buffered;
mod bytesio;
