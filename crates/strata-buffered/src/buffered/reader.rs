//! `BufferedReader`: Python's `io.BufferedReader`, read-ahead over a raw stream.

use std::io::{self, BufRead, Read, Seek, SeekFrom};

use bytes::Bytes;
use strata_raw::{IoBase, ensure_open};

use super::core::Core;
use super::raw::{ReadSeeking, Reading};
use super::{DEFAULT_BUFFER_SIZE, IntoInnerError, NOT_READABLE, require};
use crate::BufferedIoBase;

/// Python's `io.BufferedReader`: reads a raw stream a buffer at a time.
///
/// Small reads, [`readline`](BufferedIoBase::readline) and [`BufRead`] are served from the
/// buffer; [`read_bytes`](BufferedIoBase::read_bytes) keeps reading past short raw reads; requests
/// larger than
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
    raw: R,
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
    /// read; [`strata_raw::Error::InvalidArgument`] `"buffer size must be strictly positive"` for 0;
    /// [`io::ErrorKind::OutOfMemory`] when the buffer cannot be allocated.
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
    /// let err = BufferedReader::with_capacity(usize::MAX, StdRaw::reader(&b""[..])).unwrap_err();
    /// assert_eq!(err.kind(), std::io::ErrorKind::OutOfMemory);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_capacity(capacity: usize, raw: R) -> io::Result<Self> {
        require(raw.readable(), NOT_READABLE)?;
        Ok(BufferedReader {
            core: Core::new(capacity, true, false)?,
            raw,
        })
    }

    pub(super) fn parts(&mut self) -> (&mut Core, Reading<'_, R>) {
        (&mut self.core, Reading(&mut self.raw))
    }

    /// The bytes read ahead and not consumed yet.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BufferedReader;
    /// use strata_buffered::prelude::*;
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

    /// The buffer's size.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::{BufferedReader, DEFAULT_BUFFER_SIZE};
    /// use strata_raw::StdRaw;
    ///
    /// assert_eq!(BufferedReader::new(StdRaw::reader(&b""[..]))?.capacity(), DEFAULT_BUFFER_SIZE);
    /// assert_eq!(BufferedReader::with_capacity(16, StdRaw::reader(&b""[..]))?.capacity(), 16);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn capacity(&self) -> usize {
        self.core.capacity()
    }

    /// The raw stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BufferedReader;
    /// use strata_buffered::prelude::*;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedReader::new(StdRaw::reader(&b"ab"[..]))?;
    /// assert!(!f.get_ref().closed());
    /// f.close()?; // closes the raw stream too
    /// assert!(f.get_ref().closed());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_ref(&self) -> &R {
        &self.raw
    }

    /// The raw stream, mutably. Reading through it bypasses the buffer: the bytes read ahead are
    /// skipped.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BufferedReader;
    /// use strata_buffered::prelude::*;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedReader::new(StdRaw::reader(&b"ab"[..]))?;
    /// f.get_mut().close()?; // the raw stream closes under the wrapper
    /// assert!(f.closed());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.raw
    }

    /// The bytes buffered ahead, without consuming them; one raw read when none are. Empty at end
    /// of file or when the raw stream would block.
    ///
    /// This is Python's `peek(size)`, whose `size` CPython ignores: it returns the buffered bytes,
    /// more or fewer than `size`. Take `&peek_buffered()?[..n]` for at most `n` of them.
    ///
    /// # Errors
    ///
    /// `"peek of closed file"`; the raw stream's errors.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Cursor;
    /// use strata_buffered::BufferedReader;
    /// use strata_buffered::prelude::*;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedReader::new(StdRaw::reader(Cursor::new(b"ab\ncd".to_vec())))?;
    /// assert_eq!(f.peek_buffered()?, b"ab\ncd");
    /// assert_eq!(f.read_bytes(Some(2))?, "ab"); // peeking consumed nothing
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[doc(alias = "peek")]
    pub fn peek_buffered(&mut self) -> io::Result<&[u8]> {
        let (core, mut raw) = self.parts();
        core.peek(&mut raw)
    }

    /// Python's `detach()`, consuming the reader: the raw stream, as it stands (the bytes read
    /// ahead are dropped; see [`into_parts`](Self::into_parts)).
    ///
    /// # Errors
    ///
    /// The closed-file error, with the reader, when the raw stream is closed (Python's `detach`
    /// flushes first, which fails then).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BufferedReader;
    /// use strata_buffered::prelude::*;
    /// use strata_raw::StdRaw;
    ///
    /// let f = BufferedReader::new(StdRaw::reader(&b"abc"[..]))?;
    /// let mut raw = f.detach()?;
    /// assert_eq!(raw.readall()?, b"abc");
    ///
    /// let mut f = BufferedReader::new(StdRaw::reader(&b"abc"[..]))?;
    /// f.close()?;
    /// let err = f.detach().unwrap_err();
    /// assert_eq!(err.to_string(), "I/O operation on closed file.");
    /// assert!(err.into_inner().closed()); // the reader comes back
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn detach(self) -> Result<R, IntoInnerError<Self>> {
        match ensure_open(self.raw.closed()) {
            Ok(()) => Ok(self.raw),
            Err(err) => Err(IntoInnerError::new(self, err)),
        }
    }

    /// The raw stream and the bytes read ahead from it and not consumed.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Read;
    /// use strata_buffered::BufferedReader;
    /// use strata_buffered::prelude::*;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedReader::with_capacity(4, StdRaw::reader(&b"abcdefgh"[..]))?;
    /// f.read_bytes(Some(1))?;
    /// let (mut raw, unread) = f.into_parts();
    /// assert_eq!(unread, b"bcd");
    /// let mut rest = Vec::new();
    /// raw.read_to_end(&mut rest)?;
    /// assert_eq!(rest, b"efgh");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_parts(self) -> (R, Vec<u8>) {
        let unread = self.core.unread().to_vec();
        (self.raw, unread)
    }

    /// The raw stream; the bytes read ahead are dropped (see [`into_parts`](Self::into_parts)).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BufferedReader;
    /// use strata_buffered::prelude::*;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedReader::with_capacity(4, StdRaw::reader(&b"abcdefgh"[..]))?;
    /// assert_eq!(f.read_bytes(Some(1))?, "a");
    /// let mut raw = f.into_inner();
    /// assert_eq!(raw.readall()?, b"efgh"); // "bcd" was read ahead and is gone
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_inner(self) -> R {
        self.raw
    }
}

impl<R: Read + Seek + IoBase> BufferedReader<R> {
    fn seek_parts(&mut self) -> (&mut Core, ReadSeeking<'_, R>) {
        (&mut self.core, ReadSeeking(&mut self.raw))
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
    /// use strata_buffered::prelude::*;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedReader::with_capacity(4, StdRaw::random(Cursor::new(b"0123456789".to_vec())))?;
    /// f.read_bytes(Some(1))?;
    /// assert_eq!(f.tell()?, 1); // while the raw stream stands at 4
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tell(&mut self) -> io::Result<u64> {
        let (core, mut raw) = self.seek_parts();
        core.tell(&mut raw)
    }
}

/// Python's `seek`: a target inside the buffer moves there without a raw call; otherwise the buffer
/// is dropped and the raw stream seeks.
impl<R: Read + Seek + IoBase> Seek for BufferedReader<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let (core, mut raw) = self.seek_parts();
        core.seek(&mut raw, pos)
    }
}

/// Reads go through the buffer: [`read_bytes`](BufferedIoBase::read_bytes) reads past short raw
/// reads until it has `size` bytes, end of file, or a would-block after some data (an error with
/// none, where Python returns `None`); [`read1`](BufferedIoBase::read1) takes buffered bytes, or
/// makes one raw read when there are none (`None`: up to the buffer's size); requests larger than the
/// buffer go straight into the caller's memory. The closed-file errors name the call
/// (`"read of closed file"`), and bytes still buffered can be read after the raw stream closed, as
/// in CPython.
impl<R: Read + IoBase> BufferedIoBase for BufferedReader<R> {
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

/// `read` is Python's `readinto1`: buffered bytes, or at most one raw read (like
/// [`std::io::BufReader`]); `Ok(0)` is end of file, [`io::ErrorKind::WouldBlock`] means no data right
/// now.
impl<R: Read + IoBase> Read for BufferedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.readinto1(buf)
    }
}

/// `fill_buf` returns the read-ahead, reading once from the raw stream when it is empty; it fails
/// with [`io::ErrorKind::WouldBlock`] instead of returning an empty slice when the raw stream would
/// block, since empty means end of file.
impl<R: Read + IoBase> BufRead for BufferedReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let (core, mut raw) = self.parts();
        core.fill_buf(&mut raw)
    }

    fn consume(&mut self, amt: usize) {
        self.core.consume(amt);
    }

    fn read_until(&mut self, byte: u8, buf: &mut Vec<u8>) -> io::Result<usize> {
        let (core, mut raw) = self.parts();
        core.read_until(&mut raw, byte, buf)
    }
}

/// Capabilities and the closed state are the raw stream's; a reader is never writable, and
/// `truncate` is unsupported.
impl<R: Read + IoBase> IoBase for BufferedReader<R> {
    fn closed(&self) -> bool {
        self.raw.closed()
    }

    /// Closes the raw stream; closing twice does nothing.
    fn close(&mut self) -> io::Result<()> {
        let (core, mut raw) = self.parts();
        core.close(&mut raw)
    }

    fn readable(&self) -> io::Result<bool> {
        self.raw.readable()
    }

    fn seekable(&self) -> io::Result<bool> {
        self.raw.seekable()
    }

    fn fileno(&self) -> io::Result<i32> {
        self.raw.fileno()
    }

    fn isatty(&self) -> io::Result<bool> {
        self.raw.isatty()
    }

    fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        let (core, mut raw) = self.parts();
        core.truncate(&mut raw, size)
    }
}
