//! Workspace-level integration tests for Strata live in `it/`. This library holds no code: it only
//! makes the README's example a doctest, so the README cannot drift from the API.
#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
