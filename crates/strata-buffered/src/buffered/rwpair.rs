//! `BufferedRWPair`: Python's `io.BufferedRWPair`, a buffered reader and a buffered writer as one
//! stream (a socket's two directions, a pair of pipes).

use std::io::{self, Read, Write};

use strata_raw::IoBase;

use super::core::Core;
use super::raw::Reading;
use super::{
    BufferedReader, BufferedWriter, DEFAULT_BUFFER_SIZE, NOT_READABLE, NOT_WRITABLE, read_side,
    require,
};

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
/// assert_eq!(writer.get_ref().expect("attached").get_ref(), b"ping\n");
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

    fn parts(&mut self) -> io::Result<(&mut Core, Reading<'_, R>)> {
        self.reader.parts()
    }

    /// The reading half.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BufferedRWPair;
    /// use strata_raw::StdRaw;
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
    /// assert_eq!(pair.writer().get_ref().expect("attached").get_ref(), b"ping");
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
    /// assert_eq!(pair.writer().get_ref().expect("attached").get_ref(), b"ab");
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

    /// Python's `writelines(lines)`, on the writing half.
    ///
    /// # Errors
    ///
    /// As [`Write::write_all`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_buffered::BufferedRWPair;
    /// use strata_raw::StdRaw;
    ///
    /// let mut pair = BufferedRWPair::new(StdRaw::reader(&b""[..]), StdRaw::writer(Vec::new()))?;
    /// pair.writelines(["a\n", "b\n"])?;
    /// pair.flush()?;
    /// assert_eq!(pair.writer().get_ref().expect("attached").get_ref(), b"a\nb\n");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn writelines<I>(&mut self, lines: I) -> io::Result<()>
    where
        I: IntoIterator,
        I::Item: AsRef<[u8]>,
    {
        self.writer.writelines(lines)
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

read_side!(
    impl[R: Read + IoBase, W: Write + IoBase] BufferedRWPair<R, W>,
    "BufferedRWPair",
    "BufferedRWPair::new(StdRaw::reader(Cursor::new(b\"ab\\ncd\\nef\".to_vec())), StdRaw::writer(Vec::new()))?"
);
