//! `BufferedWriter`: Python's `io.BufferedWriter`, write-behind over a raw stream.

use std::io::{self, Seek, SeekFrom, Write};

use strata_raw::IoBase;

use super::core::Core;
use super::raw::{WriteSeeking, Writing};
use super::{DEFAULT_BUFFER_SIZE, IntoInnerError, NOT_WRITABLE, give_up, require, short_write};
use crate::BufferedIoBase;
use crate::mem::OwnedParts;

/// Python's `io.BufferedWriter`: collects writes and passes them to a raw stream a buffer at a time.
///
/// Pending bytes reach the raw stream when the buffer overflows and on [`flush`](Write::flush),
/// [`seek`](Seek::seek), [`truncate`](IoBase::truncate), [`detach`](Self::detach),
/// [`into_inner`](Self::into_inner) and [`close`](IoBase::close); a flush repeats raw writes through
/// short writes. When the raw stream would block, [`Write::write`] keeps what fits in the buffer and
/// reports it as a short write (Python's `BlockingIOError.characters_written`); a flush that would
/// block fails with [`strata_raw::Error::WouldBlock`] and keeps the data.
///
/// # Dropping
///
/// Like [`std::io::BufWriter`], dropping a writer with pending bytes flushes them, best effort; it
/// cannot report an error, so the bytes it could not pass down are counted in
/// [`lost_on_drop`](crate::lost_on_drop). Call [`flush`](Write::flush),
/// [`into_inner`](Self::into_inner) or [`close`](IoBase::close) to see errors. The bounds sit on the
/// struct, as on `BufWriter`, because the flush on drop needs them.
///
/// Python's reading methods fail with [`io::ErrorKind::Unsupported`] (`"read"`), as they do in
/// CPython; [`writelines`](BufferedIoBase::writelines) comes from [`BufferedIoBase`].
///
/// # Examples
///
/// ```
/// use std::io::{Cursor, Write};
/// use strata_buffered::BufferedWriter;
/// use strata_buffered::prelude::*;
/// use strata_raw::StdRaw;
///
/// let mut w = BufferedWriter::with_capacity(4, StdRaw::random(Cursor::new(Vec::new())))?;
/// w.write_all(b"ab")?;
/// assert_eq!(w.buffer(), b"ab"); // not passed down yet
/// assert_eq!(w.tell()?, 2);
/// w.write_all(b"cdef")?; // overflows: everything goes down
/// let raw = w.into_inner()?;
/// assert_eq!(raw.get_ref().get_ref(), b"abcdef");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct BufferedWriter<W: Write + IoBase> {
    /// The buffer and the raw stream; dropping them flushes best effort.
    inner: OwnedParts<Core, W>,
}

impl<W: Write + IoBase> BufferedWriter<W> {
    /// A writer with a buffer of [`DEFAULT_BUFFER_SIZE`] bytes.
    ///
    /// # Errors
    ///
    /// As [`with_capacity`](Self::with_capacity).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BufferedWriter;
    /// use strata_raw::StdRaw;
    ///
    /// let w = BufferedWriter::new(StdRaw::writer(Vec::new()))?;
    /// assert_eq!(w.capacity(), 8192);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(raw: W) -> io::Result<Self> {
        Self::with_capacity(DEFAULT_BUFFER_SIZE, raw)
    }

    /// A writer with a buffer of `capacity` bytes.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::Unsupported`] `"File or stream is not writable."` when the raw stream does not
    /// write; [`strata_raw::Error::InvalidArgument`] `"buffer size must be strictly positive"` for 0;
    /// [`io::ErrorKind::OutOfMemory`] when the buffer cannot be allocated.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BufferedWriter;
    /// use strata_raw::StdRaw;
    ///
    /// let err = BufferedWriter::new(StdRaw::reader(Vec::new())).unwrap_err();
    /// assert_eq!(err.to_string(), "File or stream is not writable.");
    /// assert_eq!(BufferedWriter::with_capacity(16, StdRaw::writer(Vec::new()))?.capacity(), 16);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_capacity(capacity: usize, raw: W) -> io::Result<Self> {
        require(raw.writable(), NOT_WRITABLE)?;
        let core = Core::new(capacity, false, true)?;
        Ok(BufferedWriter {
            inner: OwnedParts::new(core, raw, |core, raw| {
                core.flush_on_drop(&mut Writing(raw));
            }),
        })
    }

    fn parts(&mut self) -> (&mut Core, Writing<'_, W>) {
        let (core, raw) = self.inner.both();
        (core, Writing(raw))
    }

    /// The bytes written and not passed down yet.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_buffered::BufferedWriter;
    /// use strata_raw::StdRaw;
    ///
    /// let mut w = BufferedWriter::new(StdRaw::writer(Vec::new()))?;
    /// w.write_all(b"abc")?;
    /// assert_eq!(w.buffer(), b"abc");
    /// assert!(w.get_ref().get_ref().is_empty());
    /// w.flush()?;
    /// assert_eq!(w.buffer(), b"");
    /// assert_eq!(w.get_ref().get_ref(), b"abc");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn buffer(&self) -> &[u8] {
        self.inner.core().pending()
    }

    /// The buffer's size.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::{BufferedWriter, DEFAULT_BUFFER_SIZE};
    /// use strata_raw::StdRaw;
    ///
    /// assert_eq!(BufferedWriter::new(StdRaw::writer(Vec::new()))?.capacity(), DEFAULT_BUFFER_SIZE);
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
    /// use strata_buffered::BufferedWriter;
    /// use strata_buffered::prelude::*;
    /// use strata_raw::StdRaw;
    ///
    /// let mut w = BufferedWriter::new(StdRaw::writer(Vec::new()))?;
    /// assert!(!w.get_ref().closed());
    /// w.close()?; // closes the raw stream too
    /// assert!(w.get_ref().closed());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_ref(&self) -> &W {
        self.inner.raw()
    }

    /// The raw stream, mutably. Writing through it overtakes the pending bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_buffered::BufferedWriter;
    /// use strata_raw::StdRaw;
    ///
    /// let mut w = BufferedWriter::new(StdRaw::writer(Vec::new()))?;
    /// w.write_all(b"late")?;
    /// w.get_mut().write_all(b"early ")?;
    /// assert_eq!(w.into_inner()?.into_inner(), b"early late");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_mut(&mut self) -> &mut W {
        self.inner.raw_mut()
    }

    /// Python's `detach()`, consuming the writer: flushes (the raw stream's `flush` included),
    /// puts the raw stream at the logical position and returns it.
    ///
    /// # Errors
    ///
    /// [`IntoInnerError`], with the writer and its pending bytes, when the flush fails;
    /// `"flush of closed file"` once closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_buffered::BufferedWriter;
    /// use strata_buffered::prelude::*;
    /// use strata_raw::StdRaw;
    ///
    /// let mut w = BufferedWriter::new(StdRaw::writer(Vec::new()))?;
    /// w.write_all(b"abc")?;
    /// assert_eq!(w.detach()?.into_inner(), b"abc");
    ///
    /// let mut w = BufferedWriter::new(StdRaw::writer(Vec::new()))?;
    /// w.close()?;
    /// assert_eq!(w.detach().unwrap_err().to_string(), "flush of closed file");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn detach(self) -> Result<W, IntoInnerError<Self>> {
        give_up(
            self.inner,
            |core, raw| core.flush(&mut Writing(raw)),
            |inner| BufferedWriter { inner },
        )
    }

    /// Passes the pending bytes down and returns the raw stream (closed or not); on failure, the
    /// error with the writer and its pending bytes.
    ///
    /// # Errors
    ///
    /// [`IntoInnerError`] when the pending bytes cannot be passed down.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_buffered::BufferedWriter;
    /// use strata_raw::StdRaw;
    ///
    /// let mut w = BufferedWriter::new(StdRaw::writer(Vec::new()))?;
    /// w.write_all(b"abc")?;
    /// let raw = w.into_inner()?;
    /// assert_eq!(raw.get_ref(), b"abc");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_inner(self) -> Result<W, IntoInnerError<Self>> {
        give_up(
            self.inner,
            |core, raw| core.settle(&mut Writing(raw)),
            |inner| BufferedWriter { inner },
        )
    }
}

impl<W: Write + Seek + IoBase> BufferedWriter<W> {
    fn seek_parts(&mut self) -> (&mut Core, WriteSeeking<'_, W>) {
        let (core, raw) = self.inner.both();
        (core, WriteSeeking(raw))
    }

    /// Python's `tell()`: the raw stream's position plus the pending bytes.
    ///
    /// # Errors
    ///
    /// The raw stream's errors (unsupported when it cannot seek).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Cursor, ErrorKind, Seek, SeekFrom, Write};
    /// use strata_buffered::BufferedWriter;
    /// use strata_raw::StdRaw;
    ///
    /// let mut w = BufferedWriter::new(StdRaw::random(Cursor::new(b"0123".to_vec())))?;
    /// w.seek(SeekFrom::End(0))?;
    /// w.write_all(b"45")?;
    /// assert_eq!(w.tell()?, 6); // the raw stream stands at 4, plus 2 pending bytes
    /// assert_eq!(w.get_ref().get_ref().position(), 4);
    ///
    /// let mut w = BufferedWriter::new(StdRaw::writer(Cursor::new(Vec::new())))?;
    /// assert_eq!(w.tell().unwrap_err().kind(), ErrorKind::Unsupported);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tell(&mut self) -> io::Result<u64> {
        let (core, mut raw) = self.seek_parts();
        core.tell(&mut raw)
    }
}

/// Python's `seek`: flushes, then seeks the raw stream.
impl<W: Write + Seek + IoBase> Seek for BufferedWriter<W> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let (core, mut raw) = self.seek_parts();
        core.seek(&mut raw, pos)
    }
}

/// `write` buffers; when the raw stream would block and not everything fits, it returns the count
/// accepted (a short write), or [`strata_raw::Error::WouldBlock`] when that count is 0. `flush`
/// passes the pending bytes down, then flushes the raw stream.
impl<W: Write + IoBase> Write for BufferedWriter<W> {
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

/// Python's reading methods are unsupported on a writer; `writelines` writes.
impl<W: Write + IoBase> BufferedIoBase for BufferedWriter<W> {}

/// Capabilities and the closed state are the raw stream's; a writer is never readable.
impl<W: Write + IoBase> IoBase for BufferedWriter<W> {
    fn closed(&self) -> bool {
        self.get_ref().closed()
    }

    /// Flushes pending bytes, then closes the raw stream even when the flush failed; the flush's
    /// error wins. Closing twice does nothing.
    fn close(&mut self) -> io::Result<()> {
        let (core, mut raw) = self.parts();
        core.close(&mut raw)
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
