//! Integration tests for strata-raw.
