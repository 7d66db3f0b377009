//! `BufferedWriter`: Python's `io.BufferedWriter`, write-behind over a raw stream.

use std::io::{self, Seek, SeekFrom, Write};

use strata_raw::IoBase;

use super::core::Core;
use super::raw::{WriteSeeking, Writing};
use super::{
    DEFAULT_BUFFER_SIZE, IntoInnerError, NOT_WRITABLE, detached, require, short_write, split,
};

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
/// Like [`std::io::BufWriter`], dropping a writer with pending bytes flushes them, best effort, and
/// ignores any error (it cannot report one). Call [`flush`](Write::flush),
/// [`into_inner`](Self::into_inner) or [`close`](IoBase::close) to see errors. The bounds sit on the
/// struct, as on `BufWriter`, because `Drop` needs them.
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
    core: Core,
    raw: Option<W>,
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
    /// write; [`strata_raw::Error::InvalidArgument`] `"buffer size must be strictly positive"` for 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BufferedWriter;
    /// use strata_raw::StdRaw;
    ///
    /// let err = BufferedWriter::new(StdRaw::reader(Vec::new())).unwrap_err();
    /// assert_eq!(err.to_string(), "File or stream is not writable.");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_capacity(capacity: usize, raw: W) -> io::Result<Self> {
        require(raw.writable(), NOT_WRITABLE)?;
        Ok(BufferedWriter {
            core: Core::new(capacity, false, true)?,
            raw: Some(raw),
        })
    }

    fn parts(&mut self) -> io::Result<(&mut Core, Writing<'_, W>)> {
        split(&mut self.core, &mut self.raw, Writing)
    }

    fn attached(&self) -> io::Result<&W> {
        self.raw.as_ref().ok_or_else(detached)
    }

    /// The raw stream; `None` after [`detach`](Self::detach).
    pub fn get_ref(&self) -> Option<&W> {
        self.raw.as_ref()
    }

    /// The raw stream, mutably; `None` after [`detach`](Self::detach). Writing to it directly
    /// overtakes the pending bytes.
    pub fn get_mut(&mut self) -> Option<&mut W> {
        self.raw.as_mut()
    }

    /// The bytes written and not passed down yet.
    pub fn buffer(&self) -> &[u8] {
        self.core.pending()
    }

    /// The buffer's size.
    pub fn capacity(&self) -> usize {
        self.core.capacity()
    }

    /// Python's `writelines(lines)`: writes each item in order; on an error the earlier items stay.
    ///
    /// # Errors
    ///
    /// As [`Write::write_all`].
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BufferedWriter;
    /// use strata_raw::StdRaw;
    ///
    /// let mut w = BufferedWriter::new(StdRaw::writer(Vec::new()))?;
    /// w.writelines(["a\n", "b\n"])?;
    /// assert_eq!(w.buffer(), b"a\nb\n");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn writelines<I>(&mut self, lines: I) -> io::Result<()>
    where
        I: IntoIterator,
        I::Item: AsRef<[u8]>,
    {
        lines
            .into_iter()
            .try_for_each(|line| self.write_all(line.as_ref()))
    }

    /// Python's `detach()`: flushes and gives the raw stream back; every later operation fails with
    /// `"raw stream has been detached"`.
    ///
    /// # Errors
    ///
    /// The flush's error (the stream stays attached); `"flush of closed file"` once closed.
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
    /// let raw = w.detach()?;
    /// assert_eq!(raw.get_ref(), b"abc");
    /// assert_eq!(w.write(b"x").unwrap_err().to_string(), "raw stream has been detached");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn detach(&mut self) -> io::Result<W> {
        let (core, mut raw) = self.parts()?;
        core.flush(&mut raw)?;
        self.raw.take().ok_or_else(detached)
    }

    /// Flushes and returns the raw stream; on failure, the error with the writer and its data.
    ///
    /// # Errors
    ///
    /// [`IntoInnerError`] when the pending bytes cannot be passed down, or after
    /// [`detach`](Self::detach).
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
    /// assert_eq!(w.into_inner()?.into_inner(), b"abc");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_inner(mut self) -> Result<W, IntoInnerError<Self>> {
        let settled = self
            .parts()
            .and_then(|(core, mut raw)| core.settle(&mut raw));
        match settled.and_then(|()| self.raw.take().ok_or_else(detached)) {
            Ok(raw) => Ok(raw),
            Err(err) => Err(IntoInnerError::new(self, err)),
        }
    }
}

impl<W: Write + Seek + IoBase> BufferedWriter<W> {
    fn seek_parts(&mut self) -> io::Result<(&mut Core, WriteSeeking<'_, W>)> {
        split(&mut self.core, &mut self.raw, WriteSeeking)
    }

    /// Python's `tell()`: the raw stream's position plus the pending bytes.
    ///
    /// # Errors
    ///
    /// The raw stream's errors (unsupported when it cannot seek).
    pub fn tell(&mut self) -> io::Result<u64> {
        let (core, mut raw) = self.seek_parts()?;
        core.tell(&mut raw)
    }
}

/// Python's `seek`: flushes, then seeks the raw stream.
impl<W: Write + Seek + IoBase> Seek for BufferedWriter<W> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let (core, mut raw) = self.seek_parts()?;
        core.seek(&mut raw, pos)
    }
}

/// `write` buffers; when the raw stream would block and not everything fits, it returns the count
/// accepted (a short write), or [`strata_raw::Error::WouldBlock`] when that count is 0. `flush`
/// passes the pending bytes down, then flushes the raw stream.
impl<W: Write + IoBase> Write for BufferedWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let (core, mut raw) = self.parts()?;
        short_write(core.write(&mut raw, buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        let (core, mut raw) = self.parts()?;
        core.flush(&mut raw)
    }
}

/// Capabilities come from the raw stream. `closed()` is also true after `detach()`.
impl<W: Write + IoBase> IoBase for BufferedWriter<W> {
    fn closed(&self) -> bool {
        self.raw.as_ref().is_none_or(W::closed)
    }

    /// Flushes, then closes the raw stream even when the flush failed; the flush's error wins.
    fn close(&mut self) -> io::Result<()> {
        let (core, mut raw) = self.parts()?;
        core.close(&mut raw)
    }

    fn writable(&self) -> io::Result<bool> {
        self.attached()?.writable()
    }

    fn seekable(&self) -> io::Result<bool> {
        self.attached()?.seekable()
    }

    fn fileno(&self) -> io::Result<i32> {
        self.attached()?.fileno()
    }

    fn isatty(&self) -> io::Result<bool> {
        self.attached()?.isatty()
    }

    /// Flushes, then truncates the raw stream; the position does not move.
    fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        let (core, mut raw) = self.parts()?;
        core.truncate(&mut raw, size)
    }
}

/// Best-effort flush of pending bytes; errors are ignored (see the type's documentation).
impl<W: Write + IoBase> Drop for BufferedWriter<W> {
    fn drop(&mut self) {
        if let Ok((core, mut raw)) = self.parts() {
            core.flush_on_drop(&mut raw);
        }
    }
}
