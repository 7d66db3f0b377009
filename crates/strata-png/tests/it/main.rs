//! Integration tests for strata-png (one binary; table-driven suites as modules).
