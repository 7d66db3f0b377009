//! Integration tests for strata-zip (one binary; table-driven suites as modules).
