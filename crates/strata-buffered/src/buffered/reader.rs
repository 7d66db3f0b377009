//! `BufferedReader`: Python's `io.BufferedReader`, read-ahead over a raw stream.

use std::io::{self, Read, Seek, SeekFrom};

use strata_raw::{IoBase, ensure_open};

use super::core::Core;
use super::raw::{ReadSeeking, Reading};
use super::{
    DEFAULT_BUFFER_SIZE, NOT_READABLE, detached, iobase, read_side, require, shell, split,
};

/// Python's `io.BufferedReader`: reads a raw stream a buffer at a time.
///
/// Small reads, [`readline`](Self::readline) and [`BufRead`](std::io::BufRead) are served from the
/// buffer; [`read_bytes`](Self::read_bytes) keeps reading past short raw reads; requests larger than
/// the buffer go straight into the caller's memory; [`seek`](Seek::seek) inside the buffer moves
/// without a raw call. When the raw stream would block, reads return what they have, or fail with
/// [`io::ErrorKind::WouldBlock`] when they have nothing.
///
/// [`into_inner`](Self::into_inner) drops the buffered bytes; [`into_parts`](Self::into_parts) hands
/// them back. Two readers over one stream lose data the same way: each reads ahead.
///
/// # Examples
///
/// ```
/// use std::io::{BufRead, Cursor};
/// use strata_buffered::BufferedReader;
/// use strata_buffered::prelude::*;
/// use strata_raw::StdRaw;
///
/// let raw = StdRaw::reader(Cursor::new(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nbody".to_vec()));
/// let mut f = BufferedReader::with_capacity(16, raw)?;
/// assert_eq!(f.readline(None)?, "GET / HTTP/1.1\r\n");
/// let mut header = String::new();
/// f.read_line(&mut header)?; // std's BufRead works too
/// assert_eq!(header, "Host: x\r\n");
/// assert_eq!(f.readlines(None)?, ["\r\n", "body"]);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct BufferedReader<R> {
    core: Core,
    raw: Option<R>,
}

impl<R: Read + IoBase> BufferedReader<R> {
    /// A reader with a buffer of [`DEFAULT_BUFFER_SIZE`] bytes.
    ///
    /// # Errors
    ///
    /// As [`with_capacity`](Self::with_capacity).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BufferedReader;
    /// use strata_raw::StdRaw;
    ///
    /// let f = BufferedReader::new(StdRaw::reader(&b"data"[..]))?;
    /// assert_eq!(f.capacity(), 8192);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(raw: R) -> io::Result<Self> {
        Self::with_capacity(DEFAULT_BUFFER_SIZE, raw)
    }

    /// A reader with a buffer of `capacity` bytes.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::Unsupported`] `"File or stream is not readable."` when the raw stream does not
    /// read; [`strata_raw::Error::InvalidArgument`] `"buffer size must be strictly positive"` for 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BufferedReader;
    /// use strata_raw::StdRaw;
    ///
    /// let err = BufferedReader::with_capacity(0, StdRaw::reader(&b""[..])).unwrap_err();
    /// assert_eq!(err.to_string(), "buffer size must be strictly positive");
    /// let err = BufferedReader::new(StdRaw::writer(&b""[..])).unwrap_err();
    /// assert_eq!(err.to_string(), "File or stream is not readable.");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_capacity(capacity: usize, raw: R) -> io::Result<Self> {
        require(raw.readable(), NOT_READABLE)?;
        Ok(BufferedReader {
            core: Core::new(capacity, true, false)?,
            raw: Some(raw),
        })
    }

    pub(super) fn parts(&mut self) -> io::Result<(&mut Core, Reading<'_, R>)> {
        split(&mut self.core, &mut self.raw, Reading)
    }

    /// The bytes read ahead and not consumed yet.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BufferedReader;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedReader::new(StdRaw::reader(&b"abc"[..]))?;
    /// f.read_bytes(Some(1))?;
    /// assert_eq!(f.buffer(), b"bc");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn buffer(&self) -> &[u8] {
        self.core.unread()
    }

    /// Python's `detach()`: gives the raw stream back; every later operation fails with
    /// `"raw stream has been detached"`. Buffered bytes are dropped (see
    /// [`into_parts`](Self::into_parts)).
    ///
    /// # Errors
    ///
    /// The closed-file error once closed; the detached error after a first `detach`.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BufferedReader;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedReader::new(StdRaw::reader(&b"abc"[..]))?;
    /// let raw = f.detach()?;
    /// assert_eq!(f.read_bytes(None).unwrap_err().to_string(), "raw stream has been detached");
    /// # drop(raw);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn detach(&mut self) -> io::Result<R> {
        // Python flushes the raw stream first, which fails once it is closed.
        ensure_open(self.attached()?.closed())?;
        self.raw.take().ok_or_else(detached)
    }

    /// The raw stream and the buffered bytes it no longer holds.
    ///
    /// # Errors
    ///
    /// The detached error after [`detach`](Self::detach).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Read;
    /// use strata_buffered::BufferedReader;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedReader::with_capacity(4, StdRaw::reader(&b"abcdefgh"[..]))?;
    /// f.read_bytes(Some(1))?;
    /// let (mut raw, unread) = f.into_parts()?;
    /// assert_eq!(unread, b"bcd");
    /// let mut rest = Vec::new();
    /// raw.read_to_end(&mut rest)?;
    /// assert_eq!(rest, b"efgh");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_parts(mut self) -> io::Result<(R, Vec<u8>)> {
        let unread = self.core.unread().to_vec();
        Ok((self.raw.take().ok_or_else(detached)?, unread))
    }

    /// The raw stream; the buffered bytes are dropped (see [`into_parts`](Self::into_parts)).
    ///
    /// # Errors
    ///
    /// The detached error after [`detach`](Self::detach).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BufferedReader;
    /// use strata_raw::prelude::*;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedReader::with_capacity(4, StdRaw::reader(&b"abcdefgh"[..]))?;
    /// assert_eq!(f.read_bytes(Some(1))?, "a");
    /// let mut raw = f.into_inner()?;
    /// assert_eq!(raw.readall()?, b"efgh"); // "bcd" was read ahead and is gone
    ///
    /// let mut f = BufferedReader::new(StdRaw::reader(&b""[..]))?;
    /// f.detach()?;
    /// assert_eq!(f.into_inner().unwrap_err().to_string(), "raw stream has been detached");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_inner(self) -> io::Result<R> {
        self.into_parts().map(|(raw, _)| raw)
    }
}

impl<R: Read + Seek + IoBase> BufferedReader<R> {
    fn seek_parts(&mut self) -> io::Result<(&mut Core, ReadSeeking<'_, R>)> {
        split(&mut self.core, &mut self.raw, ReadSeeking)
    }

    /// Python's `tell()`: the raw stream's position minus the bytes read ahead.
    ///
    /// # Errors
    ///
    /// The raw stream's errors (unsupported when it cannot seek); an error when it reports a
    /// position the buffered bytes make impossible.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Cursor;
    /// use strata_buffered::BufferedReader;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedReader::with_capacity(4, StdRaw::random(Cursor::new(b"0123456789".to_vec())))?;
    /// f.read_bytes(Some(1))?;
    /// assert_eq!(f.tell()?, 1); // while the raw stream stands at 4
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tell(&mut self) -> io::Result<u64> {
        let (core, mut raw) = self.seek_parts()?;
        core.tell(&mut raw)
    }
}

/// Python's `seek`: a target inside the buffer moves there without a raw call; otherwise the buffer
/// is dropped and the raw stream seeks.
impl<R: Read + Seek + IoBase> Seek for BufferedReader<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let (core, mut raw) = self.seek_parts()?;
        core.seek(&mut raw, pos)
    }
}

shell!(
    impl[R: Read + IoBase] BufferedReader<R>,
    R,
    "BufferedReader",
    "BufferedReader::new(StdRaw::reader(Cursor::new(b\"ab\\ncd\\nef\".to_vec())))?"
);
iobase!(impl[R: Read + IoBase] BufferedReader<R>, R: readable, seekable);
read_side!(
    impl[R: Read + IoBase] BufferedReader<R>,
    "BufferedReader",
    "BufferedReader::new(StdRaw::reader(Cursor::new(b\"ab\\ncd\\nef\".to_vec())))?"
);
