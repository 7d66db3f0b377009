//! Integration tests for strata-pipe (one binary; table-driven suites as modules).
