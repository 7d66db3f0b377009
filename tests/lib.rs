//! Workspace-level integration tests for Strata live in `it/`. This library holds what they share
//! (the fault-injecting raw stream [`faulty::Faulty`]), and makes the README's example a doctest, so
//! the README cannot drift from the API.
#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod faulty;
