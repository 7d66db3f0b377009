//! Integration tests for strata-text (one binary; table-driven suites as modules).
