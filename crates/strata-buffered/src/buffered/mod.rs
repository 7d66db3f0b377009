//! The buffered wrappers: `BufferedReader`, `BufferedWriter`, `BufferedRandom`, `BufferedRWPair`.
//!
//! Python's buffered layer over any raw stream of `strata-raw`. Each wrapper is a small generic type
//! around one non-generic [`core::Core`] (CPython's buffer design: one buffer that mirrors the raw
//! stream, so `BufferedRandom` can mix reads and writes); the wrapper borrows its raw stream into a
//! [`raw`] adapter for each call. Each wrapper's file holds everything about it: its
//! [`BufferedIoBase`](crate::BufferedIoBase), `Read`, `BufRead`, `Write`, `Seek` and
//! [`IoBase`](strata_raw::IoBase) implementations, each method one call into the core.

mod core;
mod random;
mod raw;
mod reader;
mod rwpair;
mod writer;

use std::fmt;
use std::io;

use strata_raw::{Error, IoBase, unsupported};

use self::core::Core;
use crate::mem::OwnedParts;

pub use self::random::BufferedRandom;
pub use self::reader::BufferedReader;
pub use self::rwpair::BufferedRWPair;
pub use self::writer::BufferedWriter;

/// How many bytes the buffered writers dropped on this thread with pending data could not pass
/// down, so far.
///
/// `Drop` cannot return an error, so a [`BufferedWriter`], [`BufferedRandom`] or [`BufferedRWPair`]
/// dropped with pending bytes flushes them best effort (as [`std::io::BufWriter`] does); the bytes that
/// flush could not pass down (the raw stream failed, would block, or was closed behind the wrapper's
/// back) are counted here rather than lost silently. Code that must know calls `flush`,
/// `into_inner` or `close` before dropping; this counter is for monitoring and tests. It counts per
/// thread, so that what one thread reads is exactly what its own drops lost.
///
/// # Examples
///
/// ```
/// use std::io::{self, Write};
/// use strata_buffered::BufferedWriter;
/// use strata_raw::StdRaw;
///
/// /// A sink that refuses every write.
/// struct Broken;
/// impl Write for Broken {
///     fn write(&mut self, _: &[u8]) -> io::Result<usize> {
///         Err(io::Error::other("disk gone"))
///     }
///     fn flush(&mut self) -> io::Result<()> {
///         Ok(())
///     }
/// }
///
/// let before = strata_buffered::lost_on_drop();
/// let mut w = BufferedWriter::new(StdRaw::writer(Broken))?;
/// w.write_all(b"12345")?; // buffered: nothing reaches the sink yet
/// drop(w);
/// assert_eq!(strata_buffered::lost_on_drop(), before + 5);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn lost_on_drop() -> u64 {
    core::LOST_ON_DROP.with(std::cell::Cell::get)
}

/// The buffer size of `new` constructors, as in CPython (`io.DEFAULT_BUFFER_SIZE`).
///
/// # Examples
///
/// ```
/// use strata_buffered::{BufferedReader, BytesIO, DEFAULT_BUFFER_SIZE};
///
/// assert_eq!(DEFAULT_BUFFER_SIZE, 8192);
/// let f = BufferedReader::new(BytesIO::from(&b"data"[..]))?;
/// assert_eq!(f.capacity(), DEFAULT_BUFFER_SIZE);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const DEFAULT_BUFFER_SIZE: usize = 8192;

/// The error of `into_inner` or `detach` on a wrapper whose pending bytes could not be passed down
/// (or, for `detach`, whose raw stream is closed): the error, and the wrapper itself with its data
/// intact (like [`std::io::IntoInnerError`]).
///
/// # Examples
///
/// ```
/// use std::io::Write;
/// use strata_buffered::BufferedWriter;
/// use strata_raw::prelude::*;
/// use strata_raw::StdRaw;
///
/// let mut raw = StdRaw::writer(Vec::new());
/// let mut w = BufferedWriter::new(&mut raw)?;
/// w.write_all(b"pending")?;
/// w.get_mut().close()?; // the raw stream goes away under the writer
/// let err = w.into_inner().unwrap_err();
/// assert_eq!(err.error().to_string(), "I/O operation on closed file.");
/// let w = err.into_inner(); // nothing was lost
/// assert_eq!(w.buffer(), b"pending");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct IntoInnerError<W> {
    /// Boxed, so that a `Result<R, IntoInnerError<Self>>` is no larger than the error: the wrapper
    /// moves to the heap only on the failure path.
    inner: Box<W>,
    error: io::Error,
}

impl<W> IntoInnerError<W> {
    fn new(inner: W, error: io::Error) -> Self {
        IntoInnerError {
            inner: Box::new(inner),
            error,
        }
    }

    /// Why the flush failed.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{ErrorKind, Write};
    /// use strata_buffered::BufferedWriter;
    /// use strata_raw::prelude::*;
    /// use strata_raw::{Error, StdRaw};
    ///
    /// let mut raw = StdRaw::writer(Vec::new());
    /// let mut w = BufferedWriter::new(&mut raw)?;
    /// w.write_all(b"pending")?;
    /// w.get_mut().close()?;
    /// let err = w.into_inner().unwrap_err();
    /// assert_eq!(err.error().kind(), ErrorKind::InvalidInput); // Python: ValueError
    /// assert!(matches!(Error::of(err.error()), Some(Error::Closed { .. })));
    /// assert_eq!(err.to_string(), err.error().to_string());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn error(&self) -> &io::Error {
        &self.error
    }

    /// The writer, with its pending bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{self, Write};
    /// use strata_buffered::BufferedWriter;
    /// use strata_raw::StdRaw;
    ///
    /// /// A non-blocking sink that accepts nothing until it is opened.
    /// #[derive(Debug)]
    /// struct Gate { open: bool, data: Vec<u8> }
    /// impl Write for Gate {
    ///     fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
    ///         if !self.open {
    ///             return Err(io::ErrorKind::WouldBlock.into());
    ///         }
    ///         self.data.extend_from_slice(buf);
    ///         Ok(buf.len())
    ///     }
    ///     fn flush(&mut self) -> io::Result<()> { Ok(()) }
    /// }
    ///
    /// let raw = StdRaw::writer(Gate { open: false, data: Vec::new() });
    /// let mut w = BufferedWriter::new(raw)?;
    /// w.write_all(b"pending")?;
    /// let err = w.into_inner().unwrap_err();
    /// assert_eq!(err.error().kind(), io::ErrorKind::WouldBlock);
    /// let mut w = err.into_inner(); // take the writer back and try again
    /// w.get_mut().get_mut().open = true;
    /// let raw = w.into_inner()?;
    /// assert_eq!(raw.get_ref().data, b"pending");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_inner(self) -> W {
        *self.inner
    }

    /// The error, dropping the writer (and with it, best effort, its pending bytes).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{self, Write};
    /// use strata_buffered::BufferedWriter;
    /// use strata_raw::prelude::*;
    /// use strata_raw::StdRaw;
    ///
    /// let mut raw = StdRaw::writer(Vec::new());
    /// let mut w = BufferedWriter::new(&mut raw)?;
    /// w.write_all(b"lost")?;
    /// w.get_mut().close()?;
    /// let err: io::Error = w.into_inner().unwrap_err().into_error();
    /// assert_eq!(err.to_string(), "I/O operation on closed file.");
    /// assert!(raw.into_inner().is_empty()); // the pending bytes never arrived
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_error(self) -> io::Error {
        self.error
    }

    /// The error and the writer.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_buffered::BufferedWriter;
    /// use strata_raw::prelude::*;
    /// use strata_raw::StdRaw;
    ///
    /// let mut raw = StdRaw::writer(Vec::new());
    /// let mut w = BufferedWriter::new(&mut raw)?;
    /// w.write_all(b"pending")?;
    /// w.get_mut().close()?;
    /// let (err, w) = w.into_inner().unwrap_err().into_parts();
    /// assert_eq!(err.to_string(), "I/O operation on closed file.");
    /// assert_eq!(w.buffer(), b"pending");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_parts(self) -> (io::Error, W) {
        (self.error, *self.inner)
    }
}

impl<W> fmt::Debug for IntoInnerError<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IntoInnerError")
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl<W> fmt::Display for IntoInnerError<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl<W> std::error::Error for IntoInnerError<W> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl<W> From<IntoInnerError<W>> for io::Error {
    fn from(err: IntoInnerError<W>) -> io::Error {
        err.error
    }
}

/// `detach` and `into_inner` of the writers: runs `step` (a flush) on the parts, then gives the raw
/// stream up; on failure, the error with the wrapper `wrap` rebuilds from the parts.
fn give_up<W, R>(
    mut parts: OwnedParts<Core, R>,
    step: impl FnOnce(&mut Core, &mut R) -> io::Result<()>,
    wrap: fn(OwnedParts<Core, R>) -> W,
) -> Result<R, IntoInnerError<W>> {
    let (core, raw) = parts.both();
    match step(core, raw) {
        Ok(()) => Ok(parts.into_parts().1),
        Err(err) => Err(IntoInnerError::new(wrap(parts), err)),
    }
}

impl<R: IoBase> OwnedParts<Core, R> {
    /// The inlined common case of a writer's write: appends `buf` to the pending bytes when it fits,
    /// nothing is read ahead and the raw stream is open; `false` (nothing done) otherwise.
    #[inline]
    fn try_append(&mut self, buf: &[u8]) -> bool {
        let (core, raw) = self.both();
        !raw.closed() && core.append(buf)
    }
}

/// Python's `write` result under [`io::Write::write`]'s contract: when the raw stream blocked after
/// this call's bytes were partly accepted (Python: `BlockingIOError` with `characters_written > 0`),
/// the accepted count is a short write; an error means nothing was accepted.
fn short_write(result: io::Result<usize>) -> io::Result<usize> {
    match result {
        Err(err) => match Error::characters_written(&err) {
            Some(accepted) if accepted > 0 => Ok(accepted),
            _ => Err(err),
        },
        ok => ok,
    }
}

/// Checks a capability of a raw stream at construction (Python: `UnsupportedOperation`).
fn require(capable: io::Result<bool>, refusal: &'static str) -> io::Result<()> {
    if capable? {
        Ok(())
    } else {
        Err(unsupported(refusal))
    }
}

const NOT_READABLE: &str = "File or stream is not readable.";
const NOT_WRITABLE: &str = "File or stream is not writable.";
const NOT_SEEKABLE: &str = "File or stream is not seekable.";
