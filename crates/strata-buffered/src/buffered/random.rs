//! `BufferedRandom`: Python's `io.BufferedRandom`, one buffer for reads and writes on a seekable
//! raw stream.

use std::io::{self, BufRead, Read, Seek, SeekFrom, Write};

use bytes::Bytes;
use strata_raw::IoBase;

use super::core::Core;
use super::raw::Random;
use super::{
    DEFAULT_BUFFER_SIZE, IntoInnerError, NOT_READABLE, NOT_SEEKABLE, NOT_WRITABLE, give_up,
    require, short_write,
};
use crate::BufferedIoBase;
use crate::mem::OwnedParts;

/// Python's `io.BufferedRandom`: buffered reads and writes at one logical position of a seekable
/// raw stream.
///
/// Reads and writes share one buffer that mirrors the raw stream: a write after read-ahead lands at
/// the logical position (not where the raw stream stands), reads see bytes written before they reach
/// the raw stream, and pending writes are passed down before any read that needs the raw stream.
/// [`truncate`](IoBase::truncate) with `None` cuts at the logical position. Everything else is as
/// for [`BufferedReader`](crate::BufferedReader) and [`BufferedWriter`](crate::BufferedWriter),
/// including the best-effort flush on drop (call [`flush`](Write::flush),
/// [`into_inner`](Self::into_inner) or [`close`](IoBase::close) to see errors; the bounds sit on
/// the struct because the flush on drop needs them).
///
/// # Examples
///
/// ```
/// use std::io::Cursor;
/// use strata_buffered::BufferedRandom;
/// use strata_buffered::prelude::*;
/// use strata_raw::StdRaw;
///
/// let mut f = BufferedRandom::with_capacity(4, StdRaw::random(Cursor::new(b"AAAAAAAAAA".to_vec())))?;
/// assert_eq!(f.read_bytes(Some(1))?, "A"); // reads ahead 4 bytes
/// f.write_all(b"B")?; // lands at position 1
/// f.flush()?;
/// assert_eq!(f.tell()?, 2);
/// assert_eq!(f.into_inner()?.into_inner().into_inner(), b"ABAAAAAAAA");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct BufferedRandom<S: Read + Write + Seek + IoBase> {
    /// The buffer and the raw stream; dropping them flushes best effort.
    inner: OwnedParts<Core, S>,
}

impl<S: Read + Write + Seek + IoBase> BufferedRandom<S> {
    /// A random-access stream with a buffer of [`DEFAULT_BUFFER_SIZE`] bytes.
    ///
    /// # Errors
    ///
    /// As [`with_capacity`](Self::with_capacity).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Cursor;
    /// use strata_buffered::BufferedRandom;
    /// use strata_raw::StdRaw;
    ///
    /// let f = BufferedRandom::new(StdRaw::random(Cursor::new(Vec::new())))?;
    /// assert_eq!(f.capacity(), 8192);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(raw: S) -> io::Result<Self> {
        Self::with_capacity(DEFAULT_BUFFER_SIZE, raw)
    }

    /// A random-access stream with a buffer of `capacity` bytes.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::Unsupported`] `"File or stream is not seekable."` (then `readable`,
    /// `writable`) when the raw stream lacks a capability; [`strata_raw::Error::InvalidArgument`]
    /// `"buffer size must be strictly positive"` for 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Cursor;
    /// use strata_buffered::BufferedRandom;
    /// use strata_raw::{Caps, StdRaw};
    ///
    /// let raw = StdRaw::new(Cursor::new(Vec::new()), Caps::READ | Caps::WRITE);
    /// let err = BufferedRandom::new(raw).unwrap_err();
    /// assert_eq!(err.to_string(), "File or stream is not seekable.");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_capacity(capacity: usize, raw: S) -> io::Result<Self> {
        require(raw.seekable(), NOT_SEEKABLE)?;
        require(raw.readable(), NOT_READABLE)?;
        require(raw.writable(), NOT_WRITABLE)?;
        let core = Core::new(capacity, true, true)?;
        Ok(BufferedRandom {
            inner: OwnedParts::new(core, raw, |core, raw| {
                core.flush_on_drop(&mut Random(raw));
            }),
        })
    }

    fn parts(&mut self) -> (&mut Core, Random<'_, S>) {
        let (core, raw) = self.inner.both();
        (core, Random(raw))
    }

    /// The bytes a read would return without a raw call (read-ahead, including bytes written over
    /// it and not yet passed down).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Cursor, Seek, SeekFrom, Write};
    /// use strata_buffered::BufferedRandom;
    /// use strata_buffered::prelude::*;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedRandom::with_capacity(4, StdRaw::random(Cursor::new(b"abcdefgh".to_vec())))?;
    /// assert_eq!(f.read_bytes(Some(1))?, "a");
    /// assert_eq!(f.buffer(), b"bcd");
    /// f.write_all(b"X")?; // over the read-ahead
    /// f.seek(SeekFrom::Start(1))?;
    /// assert_eq!(f.buffer(), b"Xcd"); // a read would see the write
    /// assert_eq!(f.read_bytes(Some(3))?, "Xcd");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn buffer(&self) -> &[u8] {
        self.inner.core().unread()
    }

    /// The bytes written and not passed down yet.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Cursor, Write};
    /// use strata_buffered::BufferedRandom;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedRandom::new(StdRaw::random(Cursor::new(Vec::new())))?;
    /// f.write_all(b"ab")?;
    /// assert_eq!(f.pending(), b"ab");
    /// f.flush()?;
    /// assert_eq!(f.pending(), b"");
    /// assert_eq!(f.get_ref().get_ref().get_ref(), b"ab");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pending(&self) -> &[u8] {
        self.inner.core().pending()
    }

    /// Python's `tell()`: the logical position (raw position minus read-ahead, plus pending bytes).
    ///
    /// # Errors
    ///
    /// The raw stream's errors.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Cursor, Write};
    /// use strata_buffered::BufferedRandom;
    /// use strata_buffered::prelude::*;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedRandom::with_capacity(4, StdRaw::random(Cursor::new(b"0123456789".to_vec())))?;
    /// f.read_bytes(Some(1))?;
    /// assert_eq!(f.tell()?, 1); // the raw stream stands at 4
    /// f.write_all(b"ab")?;
    /// assert_eq!(f.tell()?, 3);
    /// assert_eq!(f.get_ref().get_ref().position(), 4);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tell(&mut self) -> io::Result<u64> {
        let (core, mut raw) = self.parts();
        core.tell(&mut raw)
    }

    /// The buffer's size.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Cursor;
    /// use strata_buffered::BufferedRandom;
    /// use strata_raw::StdRaw;
    ///
    /// let f = BufferedRandom::with_capacity(16, StdRaw::random(Cursor::new(Vec::new())))?;
    /// assert_eq!(f.capacity(), 16);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn capacity(&self) -> usize {
        self.inner.core().capacity()
    }

    /// The raw stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Cursor, Write};
    /// use strata_buffered::BufferedRandom;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedRandom::new(StdRaw::random(Cursor::new(Vec::new())))?;
    /// f.write_all(b"ab")?;
    /// assert_eq!(f.get_ref().get_ref().position(), 0); // pending in the buffer
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_ref(&self) -> &S {
        self.inner.raw()
    }

    /// The raw stream, mutably. Using it bypasses the buffer (read-ahead is skipped, pending bytes
    /// overtaken).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Cursor;
    /// use strata_buffered::BufferedRandom;
    /// use strata_buffered::prelude::*;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedRandom::new(StdRaw::random(Cursor::new(Vec::new())))?;
    /// f.get_mut().close()?;
    /// assert!(f.closed());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_mut(&mut self) -> &mut S {
        self.inner.raw_mut()
    }

    /// The bytes buffered ahead, without consuming them (pending writes passed down first); one
    /// raw read when none are. Python's `peek(size)`, whose `size` CPython ignores; see
    /// [`BufferedReader::peek_buffered`](crate::BufferedReader::peek_buffered).
    ///
    /// # Errors
    ///
    /// `"peek of closed file"`; the raw stream's errors.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Cursor, Write};
    /// use strata_buffered::BufferedRandom;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedRandom::new(StdRaw::random(Cursor::new(b"abcd".to_vec())))?;
    /// f.write_all(b"X")?;
    /// assert_eq!(f.peek_buffered()?, b"bcd");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[doc(alias = "peek")]
    pub fn peek_buffered(&mut self) -> io::Result<&[u8]> {
        let (core, mut raw) = self.parts();
        core.peek(&mut raw)
    }

    /// Python's `detach()`, consuming the stream: flushes (the raw stream's `flush` included),
    /// puts the raw stream at the logical position and returns it.
    ///
    /// # Errors
    ///
    /// [`IntoInnerError`], with the stream and its pending bytes, when the flush fails;
    /// `"flush of closed file"` once closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Cursor, Write};
    /// use strata_buffered::BufferedRandom;
    /// use strata_buffered::prelude::*;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedRandom::with_capacity(4, StdRaw::random(Cursor::new(b"0123".to_vec())))?;
    /// f.read_bytes(Some(1))?;
    /// f.write_all(b"x")?;
    /// let raw = f.detach()?;
    /// assert_eq!(raw.get_ref().position(), 2); // at the logical position
    /// assert_eq!(raw.into_inner().into_inner(), b"0x23");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn detach(self) -> Result<S, IntoInnerError<Self>> {
        give_up(
            self.inner,
            |core, raw| core.flush(&mut Random(raw)),
            |inner| BufferedRandom { inner },
        )
    }

    /// Passes the pending bytes down, puts the raw stream at the logical position and returns it
    /// (closed or not); on failure, the error with the stream and its pending bytes.
    ///
    /// # Errors
    ///
    /// [`IntoInnerError`] when the pending bytes cannot be passed down.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Cursor, Write};
    /// use strata_buffered::BufferedRandom;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedRandom::new(StdRaw::random(Cursor::new(Vec::new())))?;
    /// f.write_all(b"abc")?;
    /// assert_eq!(f.into_inner()?.into_inner().into_inner(), b"abc");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_inner(self) -> Result<S, IntoInnerError<Self>> {
        give_up(
            self.inner,
            |core, raw| core.settle(&mut Random(raw)),
            |inner| BufferedRandom { inner },
        )
    }
}

/// Python's `seek`: inside the read-ahead without a raw call when it can; otherwise flushes and
/// seeks the raw stream.
impl<S: Read + Write + Seek + IoBase> Seek for BufferedRandom<S> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let (core, mut raw) = self.parts();
        core.seek(&mut raw, pos)
    }
}

/// As [`BufferedReader`](crate::BufferedReader)'s, over the one buffer: pending writes are passed
/// down before a read needs the raw stream (also before `read1`'s raw read, where CPython 3.11's C
/// implementation skips the flush and reads stale bytes).
impl<S: Read + Write + Seek + IoBase> BufferedIoBase for BufferedRandom<S> {
    fn read_bytes(&mut self, size: Option<usize>) -> io::Result<Bytes> {
        let (core, mut raw) = self.parts();
        core.read(&mut raw, size)
    }

    fn read1(&mut self, size: Option<usize>) -> io::Result<Bytes> {
        let (core, mut raw) = self.parts();
        core.read1(&mut raw, size)
    }

    fn readinto(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let (core, mut raw) = self.parts();
        core.readinto(&mut raw, buf)
    }

    fn readinto1(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let (core, mut raw) = self.parts();
        core.readinto1(&mut raw, buf)
    }

    fn readline(&mut self, limit: Option<usize>) -> io::Result<Bytes> {
        let (core, mut raw) = self.parts();
        core.readline(&mut raw, limit)
    }

    /// Python's `IOBase.readlines`, except that a line that fails puts the lines read before it back
    /// in front of the buffer, so the next read returns them (nothing is lost on a fault).
    fn readlines(&mut self, hint: Option<usize>) -> io::Result<Vec<Bytes>> {
        let (core, mut raw) = self.parts();
        core.readlines(&mut raw, hint)
    }
}

/// `read` is Python's `readinto1`, as for [`BufferedReader`](crate::BufferedReader).
impl<S: Read + Write + Seek + IoBase> Read for BufferedRandom<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.readinto1(buf)
    }
}

/// As for [`BufferedReader`](crate::BufferedReader): the read-ahead, or one raw read when it is
/// empty; [`io::ErrorKind::WouldBlock`] rather than an empty slice when the raw stream would block.
impl<S: Read + Write + Seek + IoBase> BufRead for BufferedRandom<S> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let (core, mut raw) = self.parts();
        core.fill_buf(&mut raw)
    }

    fn consume(&mut self, amt: usize) {
        self.parts().0.consume(amt);
    }

    fn read_until(&mut self, byte: u8, buf: &mut Vec<u8>) -> io::Result<usize> {
        let (core, mut raw) = self.parts();
        core.read_until(&mut raw, byte, buf)
    }
}

/// `write` buffers (written over the read-ahead when there is some); when the raw stream would
/// block and not everything fits, it returns the count accepted (a short write), or
/// [`strata_raw::Error::WouldBlock`] when that count is 0. `flush` passes the pending bytes down,
/// then flushes the raw stream.
impl<S: Read + Write + Seek + IoBase> Write for BufferedRandom<S> {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.inner.try_append(buf) {
            return Ok(buf.len());
        }
        let (core, mut raw) = self.parts();
        short_write(core.write(&mut raw, buf))
    }

    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        if self.inner.try_append(buf) {
            return Ok(());
        }
        strata_raw::write_all_counted(self, buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        let (core, mut raw) = self.parts();
        core.flush(&mut raw)
    }
}

/// Capabilities and the closed state are the raw stream's.
impl<S: Read + Write + Seek + IoBase> IoBase for BufferedRandom<S> {
    fn closed(&self) -> bool {
        self.get_ref().closed()
    }

    /// Flushes pending bytes, then closes the raw stream even when the flush failed; the flush's
    /// error wins. Closing twice does nothing.
    fn close(&mut self) -> io::Result<()> {
        let (core, mut raw) = self.parts();
        core.close(&mut raw)
    }

    fn readable(&self) -> io::Result<bool> {
        self.get_ref().readable()
    }

    fn writable(&self) -> io::Result<bool> {
        self.get_ref().writable()
    }

    fn seekable(&self) -> io::Result<bool> {
        self.get_ref().seekable()
    }

    fn fileno(&self) -> io::Result<i32> {
        self.get_ref().fileno()
    }

    fn isatty(&self) -> io::Result<bool> {
        self.get_ref().isatty()
    }

    /// Flushes, then truncates the raw stream (`None`: at the logical position); the position does
    /// not move.
    fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        let (core, mut raw) = self.parts();
        core.truncate(&mut raw, size)
    }
}
