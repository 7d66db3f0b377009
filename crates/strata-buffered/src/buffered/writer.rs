//! `BufferedWriter`: Python's `io.BufferedWriter`, write-behind over a raw stream.

use std::io::{self, Seek, SeekFrom, Write};

use strata_raw::IoBase;

use super::core::Core;
use super::raw::{WriteSeeking, Writing};
use super::{DEFAULT_BUFFER_SIZE, NOT_WRITABLE, iobase, require, shell, split, write_side};

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
    /// assert!(w.get_ref().expect("attached").get_ref().is_empty());
    /// w.flush()?;
    /// assert_eq!(w.buffer(), b"");
    /// assert_eq!(w.get_ref().expect("attached").get_ref(), b"abc");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn buffer(&self) -> &[u8] {
        self.core.pending()
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
    /// assert_eq!(w.get_ref().expect("attached").get_ref().position(), 4);
    ///
    /// let mut w = BufferedWriter::new(StdRaw::writer(Cursor::new(Vec::new())))?;
    /// assert_eq!(w.tell().unwrap_err().kind(), ErrorKind::Unsupported);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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

shell!(
    impl[W: Write + IoBase] BufferedWriter<W>,
    W,
    "BufferedWriter",
    "BufferedWriter::new(StdRaw::writer(Vec::new()))?"
);
iobase!(impl[W: Write + IoBase] BufferedWriter<W>, W: writable, seekable);
write_side!(
    impl[W: Write + IoBase] BufferedWriter<W>,
    W,
    "BufferedWriter",
    "BufferedWriter::new(StdRaw::writer(Vec::new()))?",
    "raw.get_ref()"
);
