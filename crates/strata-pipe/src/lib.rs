//! `strata-pipe`: a bounded, thread-safe byte pipe for live capture.
//!
//! One thread writes (an audio callback, a socket loop), another reads in chunks or drains everything
//! buffered: what people build by hand with a global `BytesIO`, a callback and a polling thread, made
//! safe, fast and honest about overflow.
//!
//! - [`pipe`] makes a pipe of a given capacity whose writer waits when it is full;
//!   [`PipeBuilder::new`] chooses another [`Overflow`] policy: [`Overflow::Fail`] (the writer gets
//!   [`std::io::ErrorKind::WouldBlock`] and decides) or [`Overflow::OverwriteOldest`] (the oldest
//!   whole writes are discarded and counted; the writer never blocks and never allocates).
//! - [`PipeWriter`] is a [`std::io::Write`] with a non-blocking [`PipeWriter::try_write`], and
//!   closes with [`PipeWriter::close`] or [`PipeWriter::close_with_error`] (or when dropped).
//! - [`PipeReader`] is a [`std::io::Read`] and [`std::io::BufRead`] (zero-copy `fill_buf`), with
//!   [`PipeReader::drain`] (everything buffered now) and [`PipeReader::read_timeout`].
//! - [`PipeStats`], from either end: bytes written, read and dropped, writer waits, high-water mark.
//!
//! Both ends implement [`strata_raw::IoBase`]. Under the hood is a lock-free single-producer,
//! single-consumer ring (head and tail atomics, model-checked with loom); a side that finds nothing
//! to do polls for a few microseconds, yields the processor a few times (a thread, not a task),
//! then sleeps on a condition variable, and the other side
//! wakes it only if it sleeps (a flag check otherwise, after a fence that on Linux is a compiler fence:
//! the side going to sleep pays for the pair with `membarrier(2)`). A writer that must never block
//! only *tries* the lock to wake a sleeping reader.
//!
//! Async, off by default: with the `stream` feature, `PipeReader::into_async` and
//! `PipeWriter::into_async` make either end an async one (a task that waits is woken by the other
//! end, through its waker, with no lock and no thread parked); the async reader is a `Stream` of
//! `Bytes`, an HTTP body as it stands. The `tokio` and `futures-io` features add those crates'
//! `AsyncRead`, `AsyncBufRead` and `AsyncWrite`. Any mix of sync and async ends works.
//!
//! Building a pipe returns `io::Result`: a capacity of 0 is refused with an error rather than a
//! panic or a pipe that could never carry a byte.
//!
//! # Example
//!
//! ```
//! use std::io::Write;
//! use std::time::Duration;
//! use strata_pipe::{Overflow, PipeBuilder};
//!
//! // 10 ms blocks of 48 kHz, 16-bit stereo audio, from a "device callback" thread.
//! let (mut writer, mut reader) =
//!     PipeBuilder::new().capacity(64 * 1024).overflow(Overflow::OverwriteOldest).build()?;
//! let capture = std::thread::spawn(move || -> std::io::Result<()> {
//!     let block = [0u8; 480 * 4];
//!     for _ in 0..20 {
//!         writer.write_all(&block)?; // never blocks, never allocates
//!     }
//!     writer.close() // the reader sees end of file after the data
//! });
//!
//! let mut received = 0;
//! loop {
//!     let chunk = reader.read_timeout(Duration::from_secs(5))?;
//!     if chunk.is_empty() {
//!         break; // end of file
//!     }
//!     received += chunk.len();
//! }
//! capture.join().expect("capture thread")?;
//! let stats = reader.stats();
//! assert_eq!(received as u64 + stats.bytes_dropped, 20 * 480 * 4);
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![cfg_attr(not(test), warn(clippy::unwrap_used))]

#[cfg(feature = "stream")]
mod asynch;
mod pipe;
mod reader;
mod ring;
mod sync;
mod writer;

#[cfg(all(test, loom))]
mod loom_tests;

#[cfg(feature = "stream")]
pub use crate::asynch::{AsyncPipeReader, AsyncPipeWriter};
pub use crate::pipe::{DEFAULT_CAPACITY, Overflow, PipeBuilder, PipeStats, pipe};
pub use crate::reader::PipeReader;
pub use crate::writer::PipeWriter;

/// The traits a user needs to call every method of this crate's types: `strata_buffered`'s prelude
/// (`BufferedIoBase`, `IoBase` and the `std::io` traits).
///
/// ```
/// use strata_pipe::prelude::*;
///
/// let (mut writer, mut reader) = strata_pipe::pipe(16)?;
/// writer.write_all(b"hi")?;
/// assert!(reader.readable()?);
/// assert_eq!(reader.fill_buf()?, b"hi");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub mod prelude {
    pub use strata_buffered::prelude::*;
}
