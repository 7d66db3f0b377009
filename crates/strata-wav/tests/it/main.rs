//! Integration tests for strata-wav (one binary; table-driven suites as modules).
