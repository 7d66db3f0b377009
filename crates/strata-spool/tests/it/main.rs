//! Integration tests for strata-spool (one binary; table-driven suites as modules).
