//! `strata-buffered`: Python's `BufferedIOBase` layer for Rust: `BytesIO` and the buffered wrappers.
//!
//! (Overview and runnable example: being written.)
#![cfg_attr(not(test), warn(clippy::unwrap_used))]

mod buffered;
mod bytesio;

/// The traits a user needs to call every method of this crate's streams.
pub mod prelude {
    pub use strata_raw::prelude::*;
}
