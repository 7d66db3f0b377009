//! Integration tests for strata-text (one binary; table-driven suites as modules).

mod codecs;
mod stringio;
mod support;
mod textio;
