//! Workspace-level integration tests for Strata live in `it/`; this library is empty on purpose.
