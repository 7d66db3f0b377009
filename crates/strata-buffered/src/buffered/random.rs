//! `BufferedRandom`: Python's `io.BufferedRandom`, one buffer for reads and writes on a seekable
//! raw stream.

use std::io::{self, Read, Seek, SeekFrom, Write};

use strata_raw::IoBase;

use super::core::Core;
use super::raw::Random;
use super::{
    DEFAULT_BUFFER_SIZE, IntoInnerError, NOT_READABLE, NOT_SEEKABLE, NOT_WRITABLE, detached,
    read_side, require, short_write, split,
};

/// Python's `io.BufferedRandom`: buffered reads and writes at one logical position of a seekable
/// raw stream.
///
/// Reads and writes share one buffer that mirrors the raw stream: a write after read-ahead lands at
/// the logical position (not where the raw stream stands), reads see bytes written before they reach
/// the raw stream, and pending writes are passed down before any read that needs the raw stream.
/// [`truncate`](IoBase::truncate) with `None` cuts at the logical position. Everything else is as
/// for [`BufferedReader`](crate::BufferedReader) and [`BufferedWriter`](crate::BufferedWriter),
/// including the best-effort flush on drop (call [`flush`](Write::flush),
/// [`into_inner`](Self::into_inner) or [`close`](IoBase::close) to see errors).
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
    core: Core,
    raw: Option<S>,
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
        Ok(BufferedRandom {
            core: Core::new(capacity, true, true)?,
            raw: Some(raw),
        })
    }

    fn parts(&mut self) -> io::Result<(&mut Core, Random<'_, S>)> {
        split(&mut self.core, &mut self.raw, Random)
    }

    fn attached(&self) -> io::Result<&S> {
        self.raw.as_ref().ok_or_else(detached)
    }

    /// The raw stream; `None` after [`detach`](Self::detach).
    pub fn get_ref(&self) -> Option<&S> {
        self.raw.as_ref()
    }

    /// The raw stream, mutably; `None` after [`detach`](Self::detach). Using it directly bypasses
    /// the buffer in both directions.
    pub fn get_mut(&mut self) -> Option<&mut S> {
        self.raw.as_mut()
    }

    /// The bytes a read would return without a raw call (read-ahead, including bytes written over
    /// it and not yet passed down).
    pub fn buffer(&self) -> &[u8] {
        self.core.unread()
    }

    /// The bytes written and not passed down yet.
    pub fn pending(&self) -> &[u8] {
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
    pub fn writelines<I>(&mut self, lines: I) -> io::Result<()>
    where
        I: IntoIterator,
        I::Item: AsRef<[u8]>,
    {
        lines
            .into_iter()
            .try_for_each(|line| self.write_all(line.as_ref()))
    }

    /// Python's `tell()`: the logical position (raw position minus read-ahead, plus pending bytes).
    ///
    /// # Errors
    ///
    /// The raw stream's errors.
    pub fn tell(&mut self) -> io::Result<u64> {
        let (core, mut raw) = self.parts()?;
        core.tell(&mut raw)
    }

    /// Python's `detach()`: flushes, puts the raw stream at the logical position and gives it back;
    /// every later operation fails with `"raw stream has been detached"`.
    ///
    /// # Errors
    ///
    /// The flush's error (the stream stays attached); `"flush of closed file"` once closed.
    pub fn detach(&mut self) -> io::Result<S> {
        let (core, mut raw) = self.parts()?;
        core.flush(&mut raw)?;
        self.raw.take().ok_or_else(detached)
    }

    /// Flushes, puts the raw stream at the logical position and returns it; on failure, the error
    /// with the stream and its data.
    ///
    /// # Errors
    ///
    /// [`IntoInnerError`] when the pending bytes cannot be passed down, or after
    /// [`detach`](Self::detach).
    pub fn into_inner(mut self) -> Result<S, IntoInnerError<Self>> {
        let settled = self
            .parts()
            .and_then(|(core, mut raw)| core.settle(&mut raw));
        match settled.and_then(|()| self.raw.take().ok_or_else(detached)) {
            Ok(raw) => Ok(raw),
            Err(err) => Err(IntoInnerError::new(self, err)),
        }
    }
}

/// Python's `seek`: inside the read-ahead without a raw call when it can; otherwise flushes and
/// seeks the raw stream.
impl<S: Read + Write + Seek + IoBase> Seek for BufferedRandom<S> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let (core, mut raw) = self.parts()?;
        core.seek(&mut raw, pos)
    }
}

/// As for [`BufferedWriter`](crate::BufferedWriter): a short write when the raw stream blocks after
/// accepting part of the data.
impl<S: Read + Write + Seek + IoBase> Write for BufferedRandom<S> {
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
impl<S: Read + Write + Seek + IoBase> IoBase for BufferedRandom<S> {
    fn closed(&self) -> bool {
        self.raw.as_ref().is_none_or(S::closed)
    }

    /// Flushes, then closes the raw stream even when the flush failed; the flush's error wins.
    fn close(&mut self) -> io::Result<()> {
        let (core, mut raw) = self.parts()?;
        core.close(&mut raw)
    }

    fn readable(&self) -> io::Result<bool> {
        self.attached()?.readable()
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

    /// Flushes, then truncates the raw stream (`None`: at the logical position); the position does
    /// not move.
    fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        let (core, mut raw) = self.parts()?;
        core.truncate(&mut raw, size)
    }
}

/// Best-effort flush of pending bytes; errors are ignored (see the type's documentation).
impl<S: Read + Write + Seek + IoBase> Drop for BufferedRandom<S> {
    fn drop(&mut self) {
        if let Ok((core, mut raw)) = self.parts() {
            core.flush_on_drop(&mut raw);
        }
    }
}

read_side!(
    impl[S: Read + Write + Seek + IoBase] BufferedRandom<S>,
    "BufferedRandom",
    "BufferedRandom::new(StdRaw::random(Cursor::new(b\"ab\\ncd\\nef\".to_vec())))?"
);
