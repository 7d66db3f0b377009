//! Integration tests for strata-text (one binary; table-driven suites as modules).

mod codecs;
mod errors;
mod stringio;
mod support;
mod textio;
