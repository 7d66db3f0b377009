//! `strata-spool`: data too big for memory, and libraries that only accept a file path.
//!
//! - [`read_via_path`] / [`write_via_path`] bridge bytes in memory and APIs that can only read or
//!   write a *path*: a temporary file (unpredictable name, mode `0600`, in `TMPDIR` or a directory you
//!   choose with the `_in` variants) that is always removed — on success, on error and when the
//!   callback panics — with a failed removal reported as a [`RemoveError`], never ignored.
//! - [`SpooledIO`] is a `BytesIO` that spills to an unnamed temporary file once it outgrows a limit
//!   (Python's `tempfile.SpooledTemporaryFile`), with the same operations and results before and after.
//! - [`MmapIO`] reads a file through a memory map, zero-copy, as a seekable, line-readable stream.
//!
//! Large results come back as [`bytes::Bytes`] over a memory map of a file nobody else can reach,
//! so handing a gigabyte on costs no copy. All `unsafe` code (the map calls) is in one small module
//! whose invariants are spelled out; the one map the library cannot vouch for, [`MmapIO::open`] of
//! an arbitrary file, is an `unsafe fn` so that the caller makes the promise.
//!
//! Async, off by default: the `tokio` and `futures-io` features give [`SpooledIO`] the async I/O
//! traits of tokio and of the `futures` crate. Before rollover they never wait; after it, each call
//! is a file operation done in place on the polling thread (see [`SpooledIO`]).
//!
//! # Example
//!
//! A library that only loads from a path, and one that only saves to a path, fed from memory:
//!
//! ```
//! use std::path::Path;
//!
//! // Stand-ins for, say, a model loader and an exporter that take nothing but paths.
//! fn load_config(path: &Path) -> std::io::Result<String> {
//!     std::fs::read_to_string(path)
//! }
//! fn export_csv(rows: &[(&str, u32)], path: &Path) -> std::io::Result<()> {
//!     let text: String = rows.iter().map(|(k, v)| format!("{k},{v}\n")).collect();
//!     std::fs::write(path, text)
//! }
//!
//! let downloaded: &[u8] = b"threads = 4\n";
//! let config = strata_spool::read_via_path(downloaded, ".toml", load_config)?;
//! assert_eq!(config, "threads = 4\n");
//!
//! let csv = strata_spool::write_via_path(".csv", |path| export_csv(&[("a", 1), ("b", 2)], path))?;
//! assert_eq!(csv, "a,1\nb,2\n"); // `Bytes`, ready for an HTTP body; the temp file is gone
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![cfg_attr(not(test), warn(clippy::unwrap_used))]

#[cfg(any(feature = "tokio", feature = "futures-io"))]
mod asynch;
mod map;
mod mmap;
mod path;
mod spooled;

pub use crate::map::MAP_THRESHOLD;
pub use crate::mmap::MmapIO;
pub use crate::path::{
    RemoveError, read_via_path, read_via_path_in, write_via_path, write_via_path_in,
};
pub use crate::spooled::{SpooledIO, SpooledLines};

/// The traits a user needs to call every method of this crate's streams: `strata_buffered`'s
/// prelude (`BufferedIoBase`, `IoBase` and the `std::io` traits).
///
/// ```
/// use strata_spool::prelude::*;
///
/// let mut f = strata_spool::SpooledIO::new(16);
/// f.write_all(b"a\nb\n")?;
/// f.seek(SeekFrom::Start(0))?;
/// assert_eq!(f.readlines(None)?, ["a\n", "b\n"]);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub mod prelude {
    pub use strata_buffered::prelude::*;
}
