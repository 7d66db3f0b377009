//! `strata-object`: Strata's streams over object storage — S3 and every S3-protocol server (MinIO,
//! R2, Ceph), the local file system and memory — through Apache Arrow's
//! [`object_store`](https://docs.rs/object_store), the engine the Rust data ecosystem already uses.
//! This crate has no HTTP or S3 client of its own.
//!
//! - [`Store`]: a store named by a URL (`s3://bucket/prefix`, `file:///dir`, `memory://`), with the
//!   S3 endpoint and credentials taken from the standard AWS environment variables.
//! - [`ObjectReader`]: a seekable raw stream over one object (`Read`, `Seek`, [`strata_raw::IoBase`]),
//!   reading with ranged `GET`s, coalesced into blocks and read ahead while reading sequentially.
//!   Any `Read + Seek` consumer (a ZIP reader, a buffered reader, a WAV decoder) works on a remote
//!   object without downloading it; [`ObjectReader::stats`] counts the requests and bytes it cost.
//! - [`ObjectWriter`]: a `Write` that uploads, with a multipart upload of bounded memory once the
//!   object outgrows a part. `finish()` completes it and returns its error; a writer dropped or
//!   failed before that aborts its upload, leaving no orphaned parts.
//!
//! # Sync over async
//!
//! `object_store` is async; this crate's API is blocking, like `std::io`. Each [`Store`] owns a
//! tokio runtime with one worker thread ([`Store::from_url`], [`Store::new`]) or uses the
//! application's ([`Store::with_handle`]). A blocking call waits with `Handle::block_on` on the
//! caller's thread while the worker runs what continues in the background (read-ahead requests,
//! parts in flight). Blocking calls from a runtime thread are refused with
//! [`ObjectError::InsideRuntime`] rather than stalling the runtime.
//!
//! With the `tokio` feature, [`ObjectReader`] also implements `tokio::io::AsyncRead` and
//! `AsyncSeek`, and [`ObjectWriter`] implements `AsyncWrite` (`shutdown` completes the upload), for
//! use on a runtime thread; both share the blocking path's window, read-ahead and part limits.
//! Opening a reader (one `HEAD`) and dropping an unfinished writer still block, so do those outside
//! the runtime or in `spawn_blocking`; on a runtime thread a dropped writer's abort runs in the
//! background instead.
//!
//! # Example
//!
//! ```
//! use std::io::{Read, Seek, SeekFrom, Write};
//! use strata_object::Store;
//!
//! let store = Store::from_url("memory://")?;
//! let mut w = store.create("logs/today.txt");
//! w.write_all(b"one\ntwo\nthree\n")?;
//! w.finish()?;
//!
//! let mut r = store.open("logs/today.txt")?;
//! r.seek(SeekFrom::Start(4))?;
//! let mut line = [0u8; 3];
//! r.read_exact(&mut line)?;
//! assert_eq!(&line, b"two");
//! assert_eq!(r.stats().requests, 2); // HEAD + one ranged GET
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(not(test), warn(clippy::unwrap_used))]

mod error;
mod reader;
mod store;
mod writer;

pub use crate::error::ObjectError;
pub use crate::reader::{ObjectReader, ReadOptions, Stats};
pub use crate::store::Store;
pub use crate::writer::{ObjectWriter, WriteOptions};

/// The traits a user needs to call every method of this crate's streams.
///
/// ```
/// use strata_object::prelude::*;
/// ```
pub mod prelude {
    pub use std::io::{Read, Seek, SeekFrom, Write};
    pub use strata_raw::prelude::*;
}
