//! The buffered wrappers: `BufferedReader`, `BufferedWriter`, `BufferedRandom`, `BufferedRWPair`.
//!
//! Python's buffered layer (contract §C) over any raw stream of `strata-raw`. Each wrapper is a thin
//! generic shell around one non-generic [`core::Core`] (CPython's buffer design: one buffer that
//! mirrors the raw stream, so `BufferedRandom` can mix reads and writes); the shell borrows its raw
//! stream into a [`raw`] adapter for each call. What the shells share is written once, as macros:
//! [`shell!`] (access to the raw stream), [`iobase!`] (capabilities and close), [`read_side!`]
//! (Python's reading methods, `Read`, `BufRead`) and [`write_side!`] (`Write`, `detach`, `into_inner`,
//! the flush on drop).

mod core;
mod random;
mod raw;
mod reader;
mod rwpair;
mod writer;

use std::fmt;
use std::io;

use strata_raw::{Error, unsupported};

pub use self::random::BufferedRandom;
pub use self::reader::BufferedReader;
pub use self::rwpair::BufferedRWPair;
pub use self::writer::BufferedWriter;

use self::core::Core;

/// How many bytes buffered writers dropped with pending data could not pass down, in this process
/// so far.
///
/// `Drop` cannot return an error, so a [`BufferedWriter`], [`BufferedRandom`] or [`BufferedRWPair`]
/// dropped with pending bytes flushes them best effort (as [`std::io::BufWriter`] does); the bytes that
/// flush could not pass down (the raw stream failed, would block, or was closed behind the wrapper's
/// back) are counted here rather than lost silently. Code that must know calls `flush`,
/// `into_inner` or `close` before dropping; this counter is for monitoring and tests.
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
/// assert!(strata_buffered::lost_on_drop() >= before + 5);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn lost_on_drop() -> u64 {
    core::LOST_ON_DROP.load(std::sync::atomic::Ordering::Relaxed)
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

/// The error of `into_inner` on a writer whose pending bytes could not be passed down: the error,
/// and the writer itself with its data intact (like [`std::io::IntoInnerError`]).
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
/// w.get_mut().expect("attached").close()?; // the raw stream goes away under the writer
/// let err = w.into_inner().unwrap_err();
/// assert_eq!(err.error().to_string(), "I/O operation on closed file.");
/// let w = err.into_inner(); // nothing was lost
/// assert_eq!(w.buffer(), b"pending");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct IntoInnerError<W> {
    inner: W,
    error: io::Error,
}

impl<W> IntoInnerError<W> {
    fn new(inner: W, error: io::Error) -> Self {
        IntoInnerError { inner, error }
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
    /// w.get_mut().expect("attached").close()?;
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
    /// w.get_mut().expect("attached").get_mut().open = true;
    /// let raw = w.into_inner()?;
    /// assert_eq!(raw.get_ref().data, b"pending");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_inner(self) -> W {
        self.inner
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
    /// w.get_mut().expect("attached").close()?;
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
    /// w.get_mut().expect("attached").close()?;
    /// let (err, w) = w.into_inner().unwrap_err().into_parts();
    /// assert_eq!(err.to_string(), "I/O operation on closed file.");
    /// assert_eq!(w.buffer(), b"pending");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_parts(self) -> (io::Error, W) {
        (self.error, self.inner)
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

/// The error of every operation after `detach()`.
fn detached() -> io::Error {
    Error::Detached("raw stream").into()
}

/// The core and the raw stream seen through `adapter`, or the detached error.
fn split<'a, T, A>(
    core: &'a mut Core,
    raw: &'a mut Option<T>,
    adapter: fn(&'a mut T) -> A,
) -> io::Result<(&'a mut Core, A)> {
    match raw {
        Some(raw) => Ok((core, adapter(raw))),
        None => Err(detached()),
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

/// The read side shared by `BufferedReader`, `BufferedRandom` and `BufferedRWPair`: Python's reading
/// methods, `Read` and `BufRead`. Each type provides `fn parts(&mut self) -> io::Result<(&mut Core,
/// adapter)>`; `$ty` names the type and `$make` builds one over `b"ab\ncd\nef"` in the examples.
macro_rules! read_side {
    (impl[$($gen:tt)*] $self_ty:ty, $ty:literal, $make:literal) => {
        impl<$($gen)*> $self_ty {
            /// Python's `read(size)`: `size` bytes, reading past short raw reads, or fewer at end of
            /// file or when the raw stream would block after some data; `None` reads to end of file.
            ///
            /// # Errors
            ///
            /// [`io::ErrorKind::WouldBlock`] when the raw stream would block before any byte arrived
            /// (Python returns `None`); `"read of closed file"`; the raw stream's errors.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use std::io::Cursor;\nuse strata_buffered::", $ty, ";\nuse strata_raw::StdRaw;\n")]
            #[doc = concat!("let mut f = ", $make, ";")]
            /// assert_eq!(f.read_bytes(Some(4))?, "ab\nc");
            /// assert_eq!(f.read_bytes(None)?, "d\nef");
            /// assert_eq!(f.read_bytes(None)?, "");
            /// Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            pub fn read_bytes(&mut self, size: Option<usize>) -> io::Result<bytes::Bytes> {
                let (core, mut raw) = self.parts()?;
                core.read(&mut raw, size)
            }

            /// Python's `read1(size)`: buffered bytes (at most `size`) without touching the raw
            /// stream when any are buffered, else one raw read; `None` means the buffer's size.
            /// An empty result means end of file, or that the raw stream would block.
            ///
            /// # Errors
            ///
            /// `"read of closed file"`; the raw stream's errors.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use std::io::Cursor;\nuse strata_buffered::", $ty, ";\nuse strata_raw::StdRaw;\n")]
            #[doc = concat!("let mut f = ", $make, ";")]
            /// assert_eq!(f.read1(Some(1))?, "a");
            /// assert_eq!(f.read1(None)?, "b\ncd\nef"); // one more raw read
            /// Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            pub fn read1(&mut self, size: Option<usize>) -> io::Result<bytes::Bytes> {
                let (core, mut raw) = self.parts()?;
                core.read1(&mut raw, size)
            }

            /// Python's `readinto(b)`: fills `buf` like [`read_bytes`](Self::read_bytes) and returns
            /// the count; requests larger than the buffer go straight into `buf`.
            ///
            /// # Errors
            ///
            /// As [`read_bytes`](Self::read_bytes), with `"readinto of closed file"`.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use std::io::Cursor;\nuse strata_buffered::", $ty, ";\nuse strata_raw::StdRaw;\n")]
            #[doc = concat!("let mut f = ", $make, ";")]
            /// let mut buf = [0; 4];
            /// assert_eq!(f.readinto(&mut buf)?, 4);
            /// assert_eq!(&buf, b"ab\nc");
            /// Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            pub fn readinto(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let (core, mut raw) = self.parts()?;
                core.readinto(&mut raw, buf, false)
            }

            /// Python's `readinto1(b)`: like [`readinto`](Self::readinto) with at most one raw read
            /// (this is also [`Read::read`](std::io::Read::read)).
            ///
            /// # Errors
            ///
            /// As [`readinto`](Self::readinto).
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use std::io::Cursor;\nuse strata_buffered::", $ty, ";\nuse strata_raw::StdRaw;\n")]
            #[doc = concat!("let mut f = ", $make, ";")]
            /// let mut buf = [0; 2];
            /// assert_eq!(f.readinto1(&mut buf)?, 2);
            /// assert_eq!(&buf, b"ab");
            /// Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            pub fn readinto1(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let (core, mut raw) = self.parts()?;
                core.readinto(&mut raw, buf, true)
            }

            /// Python's `peek(size)`: the buffered bytes without consuming them; one raw read when
            /// none are buffered. It may return more or fewer than `size` bytes (Python ignores the
            /// size too); empty at end of file or when the raw stream would block.
            ///
            /// # Errors
            ///
            /// `"peek of closed file"`; the raw stream's errors.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use std::io::Cursor;\nuse strata_buffered::", $ty, ";\nuse strata_raw::StdRaw;\n")]
            #[doc = concat!("let mut f = ", $make, ";")]
            /// assert_eq!(f.peek(1)?, b"ab\ncd\nef");
            /// assert_eq!(f.read_bytes(Some(2))?, "ab"); // peek consumed nothing
            /// Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            pub fn peek(&mut self, size: usize) -> io::Result<&[u8]> {
                let _ = size;
                let (core, mut raw) = self.parts()?;
                core.peek(&mut raw)
            }

            /// Python's `readline(limit)`: up to and including the next `\n`, at most `limit` bytes;
            /// empty at end of file (or when the raw stream would block before any byte).
            ///
            /// # Errors
            ///
            /// `"readline of closed file"`; the raw stream's errors.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use std::io::Cursor;\nuse strata_buffered::", $ty, ";\nuse strata_raw::StdRaw;\n")]
            #[doc = concat!("let mut f = ", $make, ";")]
            /// assert_eq!(f.readline(None)?, "ab\n");
            /// assert_eq!(f.readline(Some(1))?, "c");
            /// assert_eq!(f.readline(None)?, "d\n");
            /// Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            pub fn readline(&mut self, limit: Option<usize>) -> io::Result<bytes::Bytes> {
                let (core, mut raw) = self.parts()?;
                core.readline(&mut raw, limit)
            }

            /// Python's `readlines(hint)`: the remaining lines, or those up to the one that brings
            /// their total length beyond `hint` (`None` or `Some(0)`: all). (`BytesIO` stops at
            /// `hint` itself, as CPython's does.)
            ///
            /// # Errors
            ///
            /// `"I/O operation on closed file."`; as [`readline`](Self::readline).
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use std::io::Cursor;\nuse strata_buffered::", $ty, ";\nuse strata_raw::StdRaw;\n")]
            #[doc = concat!("let mut f = ", $make, ";")]
            /// assert_eq!(f.readlines(Some(4))?, ["ab\n", "cd\n"]);
            /// assert_eq!(f.readlines(None)?, ["ef"]);
            /// Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            pub fn readlines(&mut self, hint: Option<usize>) -> io::Result<Vec<bytes::Bytes>> {
                let (core, mut raw) = self.parts()?;
                core.readlines(&mut raw, hint)
            }
        }

        /// `read` is Python's `readinto1`: buffered bytes, or at most one raw read (like
        /// [`std::io::BufReader`]); `Ok(0)` is end of file, [`io::ErrorKind::WouldBlock`] means no
        /// data right now.
        impl<$($gen)*> io::Read for $self_ty {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                self.readinto1(buf)
            }
        }

        /// `fill_buf` returns the read-ahead, reading once from the raw stream when it is empty; it
        /// fails with [`io::ErrorKind::WouldBlock`] instead of returning an empty slice when the raw
        /// stream would block, since empty means end of file.
        impl<$($gen)*> io::BufRead for $self_ty {
            fn fill_buf(&mut self) -> io::Result<&[u8]> {
                let (core, mut raw) = self.parts()?;
                core.fill_buf(&mut raw)
            }

            fn consume(&mut self, amt: usize) {
                if let Ok((core, _)) = self.parts() {
                    core.consume(amt);
                }
            }
        }
    };
}
use read_side;

/// What every wrapper has: access to the raw stream (`None` once detached) and the buffer's size.
/// `$raw` is the raw stream's type parameter; `$ty` names the type and `$make` builds one in the
/// examples.
macro_rules! shell {
    (impl[$($gen:tt)*] $self_ty:ty, $raw:ident, $ty:literal, $make:literal) => {
        impl<$($gen)*> $self_ty {
            fn attached(&self) -> io::Result<&$raw> {
                self.raw.as_ref().ok_or_else(super::detached)
            }

            /// The raw stream; `None` after `detach()`.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use std::io::Cursor;\nuse strata_buffered::", $ty, ";\nuse strata_buffered::prelude::*;\nuse strata_raw::StdRaw;\n")]
            #[doc = concat!("let mut f = ", $make, ";")]
            /// assert!(!f.get_ref().expect("attached").closed());
            /// f.close()?; // closes the raw stream too
            /// assert!(f.get_ref().expect("attached").closed());
            ///
            #[doc = concat!("let mut f = ", $make, ";")]
            /// let raw = f.detach()?;
            /// assert!(f.get_ref().is_none());
            /// # drop(raw);
            /// Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            pub fn get_ref(&self) -> Option<&$raw> {
                self.raw.as_ref()
            }

            /// The raw stream, mutably; `None` after `detach()`. Reading or writing through it
            /// bypasses the buffer (buffered bytes are skipped, pending bytes overtaken).
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use std::io::Cursor;\nuse strata_buffered::", $ty, ";\nuse strata_buffered::prelude::*;\nuse strata_raw::StdRaw;\n")]
            #[doc = concat!("let mut f = ", $make, ";")]
            /// f.get_mut().expect("attached").close()?; // the raw stream closes under the wrapper
            /// assert!(f.closed());
            /// assert!(f.get_mut().is_some()); // still attached, but closed
            /// Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            pub fn get_mut(&mut self) -> Option<&mut $raw> {
                self.raw.as_mut()
            }

            /// The buffer's size.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use std::io::Cursor;\nuse strata_buffered::{", $ty, ", DEFAULT_BUFFER_SIZE};\nuse strata_raw::StdRaw;\n")]
            #[doc = concat!("let f = ", $make, ";")]
            /// assert_eq!(f.capacity(), DEFAULT_BUFFER_SIZE);
            /// let raw = StdRaw::random(Cursor::new(Vec::<u8>::new()));
            #[doc = concat!("assert_eq!(", $ty, "::with_capacity(16, raw)?.capacity(), 16);")]
            /// Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            pub fn capacity(&self) -> usize {
                self.core.capacity()
            }
        }
    };
}
use shell;

/// [`IoBase`](strata_raw::IoBase) for a wrapper: `$cap` (of `readable`, `writable`, `seekable`) come
/// from the raw stream, the others keep `IoBase`'s defaults; `close` and `truncate` go through the
/// core.
macro_rules! iobase {
    (impl[$($gen:tt)*] $self_ty:ty, $raw:ident: $($cap:ident),+) => {
        /// Capabilities come from the raw stream. `closed()` is also true after `detach()`.
        impl<$($gen)*> IoBase for $self_ty {
            fn closed(&self) -> bool {
                self.raw.as_ref().is_none_or($raw::closed)
            }

            /// Flushes pending bytes, then closes the raw stream even when the flush failed; the
            /// flush's error wins. Closing twice does nothing.
            fn close(&mut self) -> io::Result<()> {
                let (core, mut raw) = self.parts()?;
                core.close(&mut raw)
            }

            $(
                fn $cap(&self) -> io::Result<bool> {
                    self.attached()?.$cap()
                }
            )+

            fn fileno(&self) -> io::Result<i32> {
                self.attached()?.fileno()
            }

            fn isatty(&self) -> io::Result<bool> {
                self.attached()?.isatty()
            }

            /// Flushes, then truncates the raw stream (`None`: at the logical position); the
            /// position does not move. Unsupported on a reader.
            fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
                let (core, mut raw) = self.parts()?;
                core.truncate(&mut raw, size)
            }
        }
    };
}
use iobase;

/// The write side shared by `BufferedWriter` and `BufferedRandom`: `writelines`, `detach`,
/// `into_inner`, `Write` (with an inlined fast path) and the best-effort flush on `Drop`. `$ty`
/// names the type, `$make` builds one over an empty raw stream in the examples and `$bytes` reads the
/// raw stream `raw`'s bytes.
macro_rules! write_side {
    (impl[$($gen:tt)*] $self_ty:ty, $raw:ident, $ty:literal, $make:literal, $bytes:literal) => {
        impl<$($gen)*> $self_ty {
            /// Python's `writelines(lines)`: writes each item in order; on an error the earlier
            /// items stay.
            ///
            /// # Errors
            ///
            /// As [`Write::write_all`](std::io::Write::write_all).
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use std::io::Cursor;\nuse strata_buffered::", $ty, ";\nuse strata_raw::StdRaw;\n")]
            #[doc = concat!("let mut w = ", $make, ";")]
            /// w.writelines(["a\n", "b\n"])?;
            /// let raw = w.into_inner()?;
            #[doc = concat!("assert_eq!(", $bytes, ", b\"a\\nb\\n\");")]
            /// Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            pub fn writelines<I>(&mut self, lines: I) -> io::Result<()>
            where
                I: IntoIterator,
                I::Item: AsRef<[u8]>,
            {
                lines.into_iter().try_for_each(|line| io::Write::write_all(self, line.as_ref()))
            }

            /// Python's `detach()`: flushes, puts the raw stream at the logical position and gives
            /// it back; every later operation fails with `"raw stream has been detached"`.
            ///
            /// # Errors
            ///
            /// The flush's error (the stream stays attached); `"flush of closed file"` once closed.
            ///
            /// # Examples
            ///
            /// ```
            /// use std::io::Write;
            #[doc = concat!("use std::io::Cursor;\nuse strata_buffered::", $ty, ";\nuse strata_raw::StdRaw;\n")]
            #[doc = concat!("let mut w = ", $make, ";")]
            /// w.write_all(b"abc")?;
            /// let raw = w.detach()?;
            #[doc = concat!("assert_eq!(", $bytes, ", b\"abc\");")]
            /// assert_eq!(w.write(b"x").unwrap_err().to_string(), "raw stream has been detached");
            /// Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            pub fn detach(&mut self) -> io::Result<$raw> {
                let (core, mut raw) = self.parts()?;
                core.flush(&mut raw)?;
                self.raw.take().ok_or_else(super::detached)
            }

            /// Flushes, puts the raw stream at the logical position and returns it; on failure, the
            /// error with the wrapper and its pending bytes.
            ///
            /// # Errors
            ///
            /// [`IntoInnerError`](crate::IntoInnerError) when the pending bytes cannot be passed
            /// down, or after `detach()`.
            ///
            /// # Examples
            ///
            /// ```
            /// use std::io::Write;
            #[doc = concat!("use std::io::Cursor;\nuse strata_buffered::", $ty, ";\nuse strata_raw::StdRaw;\n")]
            #[doc = concat!("let mut w = ", $make, ";")]
            /// w.write_all(b"abc")?;
            /// let raw = w.into_inner()?;
            #[doc = concat!("assert_eq!(", $bytes, ", b\"abc\");")]
            /// Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            pub fn into_inner(mut self) -> Result<$raw, super::IntoInnerError<Self>> {
                let settled = self.parts().and_then(|(core, mut raw)| core.settle(&mut raw));
                match settled.and_then(|()| self.raw.take().ok_or_else(super::detached)) {
                    Ok(raw) => Ok(raw),
                    Err(err) => Err(super::IntoInnerError::new(self, err)),
                }
            }
        }

        /// `write` buffers; when the raw stream would block and not everything fits, it returns
        /// the count accepted (a short write), or [`strata_raw::Error::WouldBlock`] when that
        /// count is 0. `flush` passes the pending bytes down, then flushes the raw stream.
        impl<$($gen)*> io::Write for $self_ty {
            #[inline]
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                if self.appended(buf) {
                    return Ok(buf.len());
                }
                let (core, mut raw) = self.parts()?;
                super::short_write(core.write(&mut raw, buf))
            }

            #[inline]
            fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
                if self.appended(buf) {
                    return Ok(());
                }
                strata_raw::write_all_counted(self, buf)
            }

            fn flush(&mut self) -> io::Result<()> {
                let (core, mut raw) = self.parts()?;
                core.flush(&mut raw)
            }
        }

        impl<$($gen)*> $self_ty {
            /// The inlined common case of a write: appended to the pending bytes.
            #[inline]
            fn appended(&mut self, buf: &[u8]) -> bool {
                self.raw.as_ref().is_some_and(|raw| !raw.closed()) && self.core.append(buf)
            }
        }

        /// Best-effort flush of pending bytes; errors are ignored (see the type's documentation).
        impl<$($gen)*> Drop for $self_ty {
            fn drop(&mut self) {
                if let Ok((core, mut raw)) = self.parts() {
                    core.flush_on_drop(&mut raw);
                }
            }
        }
    };
}
use write_side;
