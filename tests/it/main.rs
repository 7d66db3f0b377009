//! Workspace-level integration tests: the python3 oracle harness and the suites that use it.
//!
//! One binary (`cargo test -p strata-tests --test it`); each module is one suite.

mod asynch;
mod buffered;
mod bytesio;
mod faults;
mod oracle;
mod raw_fileio;
mod text;
