//! `strata-buffered`: Python's `BufferedIOBase` layer for Rust: `BytesIO` and the buffered wrappers.
//!
//! The middle layer of Strata, over [`strata_raw`]:
//!
//! - [`BytesIO`], Python's `io.BytesIO`: a file in memory. Build bytes with any API that wants
//!   `Write + Seek` and take them out without copying ([`BytesIO::getvalue`] is O(1), copy-on-write;
//!   [`BytesIO::into_bytes`] never copies), or treat received [`bytes::Bytes`] as a
//!   `Read + Seek + BufRead` file, again without copying.
//! - The buffered wrappers, Python's [`BufferedReader`], [`BufferedWriter`], [`BufferedRandom`] and
//!   [`BufferedRWPair`], over any raw stream from `strata-raw`.
//!
//! Every stream implements the `std::io` traits that fit it with std's contracts, plus
//! [`strata_raw::IoBase`] (capabilities and Python's close protocol) and [`BufferedIoBase`] (Python's
//! `read`, `read1`, `readinto`, `readinto1`, `readline`, `readlines`, line iteration and
//! `writelines`, each written once for every stream); what only one type has (`getvalue`, `peek`,
//! `detach`) is a method of that type. `use strata_buffered::prelude::*;` brings every trait needed
//! into scope. [`OffsetSink`] shifts a stream's offset 0, for encoders that patch absolute offsets.
//! Where behaviour differs from CPython, `docs/python-parity.md` says so and why.
//!
//! Async, off by default: the `tokio` feature gives [`BytesIO`] tokio's `AsyncRead`, `AsyncWrite`,
//! `AsyncSeek` and `AsyncBufRead` (always ready: memory never waits), `futures-io` the same traits
//! of the `futures` crate, and `stream` the pieces that turn an encoder into a stream of `Bytes`
//! (`ChunkSink`, `Encode`, `EncoderStream`).
//!
//! # Example
//!
//! ```
//! use strata_buffered::BytesIO;
//! use strata_buffered::prelude::*;
//!
//! // Build a file in memory with any `Write + Seek` code…
//! let mut f = BytesIO::new();
//! f.write_all(b"header: ?\nbody\n")?;
//! f.seek(SeekFrom::Start(8))?;
//! f.write_all(b"1")?;
//! // …and hand the bytes on without copying.
//! let bytes = f.getvalue()?;
//! assert_eq!(bytes, "header: 1\nbody\n");
//!
//! // Read it back as a file: lines, Python-style.
//! f.seek(SeekFrom::Start(0))?;
//! assert_eq!(f.readlines(None)?, ["header: 1\n", "body\n"]);
//! f.close()?;
//! assert_eq!(f.tell().unwrap_err().to_string(), "I/O operation on closed file.");
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Python's run-time errors that the types rule out
//!
//! `truncate(-1)` (`ValueError: negative size value -1`) and `seek(-1)` with `whence=0` cannot be
//! written, and neither can a `whence` outside 0–2 (`ValueError: invalid whence`): sizes are
//! `Option<u64>` and positions `SeekFrom` (these examples are compile-fail tests). A resize while a
//! [`getbuffer`](BytesIO::getbuffer) view lives (`BufferError: Existing exports of data: object
//! cannot be re-sized`) is refused by the borrow checker; see there.
//!
//! ```compile_fail,E0600
//! let mut f = strata_buffered::BytesIO::new();
//! f.truncate(Some(-1));
//! ```
//!
//! ```compile_fail,E0600
//! use std::io::{Seek, SeekFrom};
//! let mut f = strata_buffered::BytesIO::new();
//! f.seek(SeekFrom::Start(-1));
//! ```
#![cfg_attr(not(test), warn(clippy::unwrap_used))]

mod buffered;
mod bytesio;
#[cfg(feature = "stream")]
mod chunks;
mod iobase;
mod mem;
mod offset;
#[cfg(feature = "tokio")]
pub mod ready;

pub use crate::buffered::{
    BufferedRWPair, BufferedRandom, BufferedReader, BufferedWriter, DEFAULT_BUFFER_SIZE,
    IntoInnerError, lost_on_drop,
};
pub use crate::bytesio::{ByteLines, BytesIO, BytesView};
#[cfg(feature = "stream")]
pub use crate::chunks::{ChunkSink, Encode, EncoderStream};
pub use crate::iobase::BufferedIoBase;
pub use crate::offset::OffsetSink;

/// The traits a user needs to call every method of this crate's streams: [`BufferedIoBase`] and
/// `strata_raw`'s prelude (`IoBase`, `RawIoBase` and the `std::io` traits).
///
/// ```
/// use strata_buffered::prelude::*;
///
/// let mut f = strata_buffered::BytesIO::from(&b"line\n"[..]);
/// assert_eq!(f.readline(None)?, "line\n");
/// assert!(f.readable()?);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub mod prelude {
    pub use crate::iobase::BufferedIoBase;
    pub use strata_raw::prelude::*;
}
