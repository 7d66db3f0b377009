//! Integration tests for strata-object (one binary; table-driven suites as modules).
//!
//! Every suite runs against three stores: memory, the local file system, and a real S3-protocol
//! server (moto on 127.0.0.1), which `cargo xtask test-object` and `cargo xtask ci` install, start
//! and stop. Run outside them, the S3 part of each suite fails with a message saying so: it is never
//! skipped.

#[cfg(feature = "tokio")]
mod asynchronous;
mod backends;
mod probe;
mod reader;
mod writer;
mod zip;

/// Deterministic, non-repeating bytes (a 64-bit LCG, one step per 8 bytes), so a misplaced range
/// shows as a mismatch.
fn pattern(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        out.extend_from_slice(&state.to_le_bytes());
    }
    out.truncate(len);
    out
}
