//! Integration tests for strata-pipe (one binary; suites as modules).
//!
//! - `behaviour`: table-driven single-thread cases for every policy, plus the blocking hand-offs
//!   between two threads;
//! - `model`: proptest sequences of writes and reads against the models in `pipe_model` (which the
//!   `pipe_ops` fuzz target shares), for every policy;
//! - `stress`: seeded pseudo-random data through the pipe on two threads, for every policy;
//! - `end_of_file`: end of file only once the writer is gone, and an error when it panicked;
//! - `alloc`: a counting global allocator shows the writer's non-blocking paths never allocate.
//!
//! Under `cfg(loom)` only the library's loom tests run (`src/loom_tests.rs`).
#![cfg(not(loom))]

mod alloc;
mod behaviour;
mod end_of_file;
mod model;
mod pipe_model;
mod stress;
