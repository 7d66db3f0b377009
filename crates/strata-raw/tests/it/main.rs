//! Integration tests for strata-raw: `FileIo` against real files, the error model, the std bridge.
//!
//! One binary; each module is a table-driven suite.

mod bridge;
mod errors;
mod fileio;
