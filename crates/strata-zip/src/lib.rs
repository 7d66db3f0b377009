//! `strata-zip`: ZIP archives built in memory and read back safely, from memory or any seekable
//! stream; its own central-directory parser, and the `zip` crate's pure-Rust decoders.
//!
//! - [`ZipBuilder`] builds an archive from `(name, bytes)` and `(name, reader)` entries, each stored or
//!   deflated at its own level, into memory ([`ZipBuilder::finish`] returns [`bytes::Bytes`]) or into
//!   any `Write + Seek` sink; a fixed [`Timestamp`] makes the archive byte-for-byte reproducible.
//!   [`ZipBuilder::add_many`] compresses a batch of entries on one thread per core and writes them in
//!   order, the same bytes as adding them one by one.
//! - [`ZipStream`] writes an archive into a sink that cannot seek (a socket, a pipe), with data
//!   descriptors.
//! - [`ZipReader`] reads an archive from [`bytes::Bytes`] or any `Read + Seek` stream (a file, a
//!   memory map, a remote object), reading only the central directory and the entries asked for:
//!   [`entries`](ZipReader::entries) (every record, duplicates included),
//!   [`open`](ZipReader::open) one entry as a streaming [`EntryReader`], [`read`](ZipReader::read) it
//!   into `Bytes`, [`extract`](ZipReader::extract) them all into a directory. It refuses names that
//!   escape the directory or collide, overlapping entries, and local headers that disagree with the
//!   directory; enforces [`Limits`] on total size (across all reads), entry count and compression
//!   ratio (zip bombs), counting the bytes it actually inflates since headers can lie; and checks each
//!   entry's CRC-32 at its end.
//! - Stored and deflate always; deflate64, bzip2, LZMA, xz, zstd and AES behind features of those
//!   names (`full` has them all), each a pure-Rust backend.
//!
//! Every error is an [`std::io::Error`] carrying a [`ZipError`] that names the entry concerned.
//!
//! # Example
//!
//! ```
//! use strata_zip::{Compression, Timestamp, ZipBuilder, ZipError, ZipReader};
//!
//! // Build: two entries, a fixed time, so the same input always gives the same bytes.
//! let build = || -> std::io::Result<bytes::Bytes> {
//!     let mut zip = ZipBuilder::new().fixed_time(Timestamp::new(2024, 6, 1, 12, 0, 0)?);
//!     zip.add_bytes("report.txt", "all good\n".repeat(100), Compression::Deflated(9))?;
//!     zip.add_bytes("image.png", [0x89, b'P', b'N', b'G'], Compression::Stored)?;
//!     zip.finish()
//! };
//! let archive = build()?;
//! assert_eq!(archive, build()?);
//!
//! // Read back.
//! let mut reader = ZipReader::new(archive)?;
//! assert_eq!(reader.len(), 2);
//! assert_eq!(reader.read("report.txt")?.len(), 900);
//! let missing = reader.read("nope").unwrap_err();
//! assert!(matches!(ZipError::of(&missing), Some(ZipError::EntryNotFound { .. })));
//!
//! // Names that could escape the target directory are refused.
//! let mut zip = ZipBuilder::new();
//! let err = zip.add_bytes("../evil.sh", b"", Compression::Stored).unwrap_err();
//! assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(not(test), warn(clippy::unwrap_used))]

#[cfg(feature = "stream")]
mod chunked;
mod directory;
mod error;
mod name;
mod read;
mod source;
mod time;
mod write;

pub use crate::error::ZipError;
pub use crate::read::{Entry, EntryKind, EntryReader, Limits, Method, ZipReader};
pub use crate::time::Timestamp;
pub use crate::write::{Compression, ZipBuilder, ZipStream};

/// The traits a user needs to call every method of this crate's types.
///
/// ```
/// use strata_zip::prelude::*;
/// ```
pub mod prelude {
    pub use strata_raw::prelude::*;
}
