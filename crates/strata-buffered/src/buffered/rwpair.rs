//! `BufferedRWPair`: Python's `io.BufferedRWPair`, a buffered reader and a buffered writer as one
//! stream (a socket's two directions, a pair of pipes).

use std::io::{self, BufRead, Read, Write};

use bytes::Bytes;
use strata_raw::IoBase;

use super::{
    BufferedReader, BufferedWriter, DEFAULT_BUFFER_SIZE, NOT_READABLE, NOT_WRITABLE, require,
};
use crate::BufferedIoBase;

/// Python's `io.BufferedRWPair`: reads go to an internal [`BufferedReader`], writes and flushes to an
/// internal [`BufferedWriter`].
///
/// A pair is never seekable: it has no `seek`, `tell` or `detach`, `seekable()` is `false` and
/// `truncate` is unsupported. Closing closes the writer (flushing) and then the reader, even when the
/// writer's close failed. The writer's bound sits on the struct because its half flushes on drop.
///
/// # Examples
///
/// ```
/// use std::io::Write;
/// use strata_buffered::BufferedRWPair;
/// use strata_buffered::prelude::*;
/// use strata_raw::StdRaw;
///
/// let mut pair = BufferedRWPair::new(StdRaw::reader(&b"pong\n"[..]), StdRaw::writer(Vec::new()))?;
/// pair.write_all(b"ping\n")?;
/// pair.flush()?;
/// assert_eq!(pair.readline(None)?, "pong\n");
/// assert!(!pair.seekable()?);
/// let (_, writer) = pair.into_parts();
/// assert_eq!(writer.get_ref().get_ref(), b"ping\n");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct BufferedRWPair<R, W: Write + IoBase> {
    reader: BufferedReader<R>,
    writer: BufferedWriter<W>,
}

impl<R: Read + IoBase, W: Write + IoBase> BufferedRWPair<R, W> {
    /// A pair with buffers of [`DEFAULT_BUFFER_SIZE`] bytes each.
    ///
    /// # Errors
    ///
    /// As [`with_capacity`](Self::with_capacity).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::{BufferedRWPair, DEFAULT_BUFFER_SIZE};
    /// use strata_buffered::prelude::*;
    /// use strata_raw::StdRaw;
    ///
    /// let pair = BufferedRWPair::new(StdRaw::reader(&b""[..]), StdRaw::writer(Vec::new()))?;
    /// assert_eq!(pair.reader().capacity(), DEFAULT_BUFFER_SIZE);
    /// assert_eq!(pair.writer().capacity(), DEFAULT_BUFFER_SIZE);
    /// assert!(pair.readable()? && pair.writable()? && !pair.seekable()?);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(reader: R, writer: W) -> io::Result<Self> {
        Self::with_capacity(DEFAULT_BUFFER_SIZE, reader, writer)
    }

    /// A pair with buffers of `capacity` bytes each.
    ///
    /// # Errors
    ///
    /// `"File or stream is not readable."` / `"File or stream is not writable."` when a raw stream
    /// lacks its capability; `"buffer size must be strictly positive"` for 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BufferedRWPair;
    /// use strata_raw::StdRaw;
    ///
    /// let err = BufferedRWPair::new(StdRaw::reader(&b""[..]), StdRaw::reader(Vec::new())).unwrap_err();
    /// assert_eq!(err.to_string(), "File or stream is not writable.");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_capacity(capacity: usize, reader: R, writer: W) -> io::Result<Self> {
        require(reader.readable(), NOT_READABLE)?;
        require(writer.writable(), NOT_WRITABLE)?;
        Ok(BufferedRWPair {
            reader: BufferedReader::with_capacity(capacity, reader)?,
            writer: BufferedWriter::with_capacity(capacity, writer)?,
        })
    }

    /// The reading half.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BufferedRWPair;
    /// use strata_raw::StdRaw;
    /// use strata_buffered::prelude::*;
    ///
    /// let mut pair = BufferedRWPair::new(StdRaw::reader(&b"ab\ncd"[..]), StdRaw::writer(Vec::new()))?;
    /// assert_eq!(pair.readline(None)?, "ab\n");
    /// assert_eq!(pair.reader().buffer(), b"cd"); // read ahead by the reading half
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reader(&self) -> &BufferedReader<R> {
        &self.reader
    }

    /// The reading half, mutably.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BufferedRWPair;
    /// use strata_raw::StdRaw;
    /// use strata_buffered::prelude::*;
    ///
    /// let mut pair = BufferedRWPair::new(StdRaw::reader(&b"abcd"[..]), StdRaw::writer(Vec::new()))?;
    /// assert_eq!(pair.reader_mut().read_bytes(Some(2))?, "ab");
    /// assert_eq!(pair.read_bytes(None)?, "cd"); // one buffer, seen through either
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reader_mut(&mut self) -> &mut BufferedReader<R> {
        &mut self.reader
    }

    /// The writing half.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_buffered::BufferedRWPair;
    /// use strata_raw::StdRaw;
    ///
    /// let mut pair = BufferedRWPair::new(StdRaw::reader(&b""[..]), StdRaw::writer(Vec::new()))?;
    /// pair.write_all(b"ping")?;
    /// assert_eq!(pair.writer().buffer(), b"ping"); // pending in the writing half
    /// pair.flush()?;
    /// assert_eq!(pair.writer().get_ref().get_ref(), b"ping");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn writer(&self) -> &BufferedWriter<W> {
        &self.writer
    }

    /// The writing half, mutably.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_buffered::BufferedRWPair;
    /// use strata_raw::StdRaw;
    ///
    /// let mut pair = BufferedRWPair::new(StdRaw::reader(&b""[..]), StdRaw::writer(Vec::new()))?;
    /// pair.writer_mut().write_all(b"a")?;
    /// pair.write_all(b"b")?;
    /// pair.writer_mut().flush()?;
    /// assert_eq!(pair.writer().get_ref().get_ref(), b"ab");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn writer_mut(&mut self) -> &mut BufferedWriter<W> {
        &mut self.writer
    }

    /// Both halves, as they are (nothing is flushed here; the writer flushes when dropped).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_buffered::BufferedRWPair;
    /// use strata_raw::StdRaw;
    /// use strata_buffered::prelude::*;
    ///
    /// let mut pair = BufferedRWPair::new(StdRaw::reader(&b"in"[..]), StdRaw::writer(Vec::new()))?;
    /// pair.write_all(b"out")?;
    /// let (mut reader, writer) = pair.into_parts();
    /// assert_eq!(reader.read_bytes(None)?, "in");
    /// assert_eq!(writer.buffer(), b"out"); // not flushed yet
    /// assert_eq!(writer.into_inner()?.into_inner(), b"out");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_parts(self) -> (BufferedReader<R>, BufferedWriter<W>) {
        (self.reader, self.writer)
    }

    /// The reading half's [`peek_buffered`](BufferedReader::peek_buffered) (Python's `peek`).
    ///
    /// # Errors
    ///
    /// As [`BufferedReader::peek_buffered`].
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BufferedRWPair;
    /// use strata_raw::StdRaw;
    ///
    /// let mut pair = BufferedRWPair::new(StdRaw::reader(&b"pong"[..]), StdRaw::writer(Vec::new()))?;
    /// assert_eq!(pair.peek_buffered()?, b"pong");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[doc(alias = "peek")]
    pub fn peek_buffered(&mut self) -> io::Result<&[u8]> {
        self.reader.peek_buffered()
    }
}

/// Writes and flushes go to the writing half.
impl<R: Read + IoBase, W: Write + IoBase> Write for BufferedRWPair<R, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// `closed` is the writer's; `close` closes the writer, then the reader (the writer's error wins);
/// never seekable, `truncate` unsupported.
impl<R: Read + IoBase, W: Write + IoBase> IoBase for BufferedRWPair<R, W> {
    fn closed(&self) -> bool {
        self.writer.closed()
    }

    fn close(&mut self) -> io::Result<()> {
        let writer = self.writer.close();
        let reader = self.reader.close();
        writer.and(reader)
    }

    fn readable(&self) -> io::Result<bool> {
        self.reader.readable()
    }

    fn writable(&self) -> io::Result<bool> {
        self.writer.writable()
    }

    fn isatty(&self) -> io::Result<bool> {
        Ok(self.writer.isatty()? || self.reader.isatty()?)
    }
}

/// Reads go to the reading half; see [`BufferedReader`]. `writelines` goes to the writing half.
impl<R: Read + IoBase, W: Write + IoBase> BufferedIoBase for BufferedRWPair<R, W> {
    fn read_bytes(&mut self, size: Option<usize>) -> io::Result<Bytes> {
        self.reader.read_bytes(size)
    }

    fn read1(&mut self, size: Option<usize>) -> io::Result<Bytes> {
        self.reader.read1(size)
    }

    fn readinto(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.reader.readinto(buf)
    }

    fn readinto1(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.reader.readinto1(buf)
    }

    fn readline(&mut self, limit: Option<usize>) -> io::Result<Bytes> {
        self.reader.readline(limit)
    }

    fn readlines(&mut self, hint: Option<usize>) -> io::Result<Vec<Bytes>> {
        self.reader.readlines(hint)
    }
}

/// Reads from the reading half: Python's `readinto1`, as for [`BufferedReader`].
impl<R: Read + IoBase, W: Write + IoBase> Read for BufferedRWPair<R, W> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.reader.read(buf)
    }
}

/// The reading half's buffer.
impl<R: Read + IoBase, W: Write + IoBase> BufRead for BufferedRWPair<R, W> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.reader.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.reader.consume(amt);
    }

    fn read_until(&mut self, byte: u8, buf: &mut Vec<u8>) -> io::Result<usize> {
        self.reader.read_until(byte, buf)
    }
}
