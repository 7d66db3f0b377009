//! `MmapIO`: a memory-mapped, read-only file as a seekable, line-readable stream.

use std::io::{self, BufRead, Read, Seek, SeekFrom};

use bytes::Bytes;
use strata_buffered::{ByteLines, BytesIO};
use strata_raw::IoBase;

/// A read-only file mapped into memory, read like a `BytesIO` without copying.
///
/// Every read returns a [`Bytes`] that shares the map: a `readline` over a 10 GB log costs a
/// `memchr` and a reference count, and the lines stay valid after the stream is gone. Positions
/// behave as in `BytesIO`: seeking past the end is allowed and reads there return nothing.
///
/// Open it with the `unsafe` [`MmapIO::open`]: a map is only sound while nothing truncates or
/// modifies the file, a promise only the caller can make (truncation by someone else kills the
/// process with `SIGBUS`). For data the program produces itself, a [`SpooledIO`](crate::SpooledIO)
/// or [`write_via_path`](crate::write_via_path) gives the same zero-copy [`Bytes`] safely.
///
/// The stream is not writable: [`IoBase::writable`] is `false` and `truncate` is unsupported.
/// Iterating over `&mut MmapIO` (or [`iter_lines`](MmapIO::iter_lines)) yields its lines.
///
/// # Examples
///
/// ```
/// use strata_spool::MmapIO;
/// use strata_spool::prelude::*;
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("data.csv");
/// std::fs::write(&path, b"id,name\n1,ada\n2,grace\n")?;
///
/// // SAFETY: the file is in our private temporary directory and nothing else writes it.
/// let mut csv = unsafe { MmapIO::open(&path)? };
/// let header = csv.readline(None)?;
/// assert_eq!(header, "id,name\n");
/// let rows: Vec<_> = csv.by_ref().lines().collect::<Result<_, _>>()?;
/// assert_eq!(rows, ["1,ada", "2,grace"]);
/// assert_eq!(csv.getvalue()?.len(), 22);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct MmapIO {
    /// A `BytesIO` over the map never copies while it is not written, and this type never writes it.
    inner: BytesIO,
}

impl MmapIO {
    /// A stream over bytes that already hold the map.
    pub(crate) fn from_mapped(data: Bytes) -> MmapIO {
        MmapIO {
            inner: BytesIO::from(data),
        }
    }

    /// The size of the file in bytes, as it was mapped; 0 once closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_spool::MmapIO;
    /// use strata_spool::prelude::*;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("f");
    /// std::fs::write(&path, b"abc")?;
    /// // SAFETY: our own file in a private directory.
    /// let mut f = unsafe { MmapIO::open(&path)? };
    /// f.read_bytes(None)?;
    /// assert_eq!(f.len(), 3); // wherever the position is
    /// f.close()?;
    /// assert_eq!(f.len(), 0);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// Whether the file is empty (or the stream closed).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_spool::MmapIO;
    /// use strata_spool::prelude::*;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("empty");
    /// std::fs::write(&path, b"")?;
    /// // SAFETY: our own file in a private directory.
    /// let f = unsafe { MmapIO::open(&path)? };
    /// assert!(f.is_empty()); // an empty file is an empty stream, not an error
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// The current position, which may be past the end.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_spool::MmapIO;
    /// use strata_spool::prelude::*;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("f");
    /// std::fs::write(&path, b"abc")?;
    /// // SAFETY: our own file in a private directory.
    /// let mut f = unsafe { MmapIO::open(&path)? };
    /// f.seek(SeekFrom::End(2))?;
    /// assert_eq!(f.tell()?, 5); // past the end
    /// assert_eq!(f.len(), 3);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tell(&self) -> io::Result<u64> {
        self.inner.tell()
    }

    /// Python's `read(size)`: up to `size` bytes from the position (all of them for `None`),
    /// sharing the map.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed.
    ///
    /// # Examples
    ///
    /// ```
    /// # use strata_spool::MmapIO;
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("f");
    /// std::fs::write(&path, b"hello world")?;
    /// // SAFETY: our own file in a private directory.
    /// let mut f = unsafe { MmapIO::open(&path)? };
    /// assert_eq!(f.read_bytes(Some(5))?, "hello");
    /// assert_eq!(f.read_bytes(None)?, " world");
    /// assert_eq!(f.read_bytes(None)?, "");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read_bytes(&mut self, size: Option<usize>) -> io::Result<Bytes> {
        self.inner.read_bytes(size)
    }

    /// Python's `read1(size)`: the same as [`read_bytes`](MmapIO::read_bytes), since everything is
    /// in memory already.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed.
    ///
    /// # Examples
    ///
    /// ```
    /// # use strata_spool::MmapIO;
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("f");
    /// std::fs::write(&path, b"hello world")?;
    /// // SAFETY: our own file in a private directory.
    /// let mut f = unsafe { MmapIO::open(&path)? };
    /// assert_eq!(f.read1(Some(5))?, "hello"); // never short: the whole file is in memory
    /// assert_eq!(f.read1(None)?, " world");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read1(&mut self, size: Option<usize>) -> io::Result<Bytes> {
        self.inner.read1(size)
    }

    /// Python's `readinto(b)`: copies as many bytes as fit into `buf` and returns the count.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_spool::MmapIO;
    /// use strata_spool::prelude::*;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("f");
    /// std::fs::write(&path, b"abc")?;
    /// // SAFETY: our own file in a private directory.
    /// let mut f = unsafe { MmapIO::open(&path)? };
    /// let mut buf = [0; 2];
    /// assert_eq!(f.readinto(&mut buf)?, 2);
    /// assert_eq!(f.readinto(&mut buf)?, 1);
    /// assert_eq!(&buf[..1], b"c");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn readinto(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.readinto(buf)
    }

    /// Python's `readline(limit)`: the bytes up to and including the next `\n`, at most `limit` of
    /// them, sharing the map; empty at end of file.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed.
    ///
    /// # Examples
    ///
    /// ```
    /// # use strata_spool::MmapIO;
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("f");
    /// std::fs::write(&path, b"abc\nd")?;
    /// // SAFETY: our own file in a private directory.
    /// let mut f = unsafe { MmapIO::open(&path)? };
    /// assert_eq!(f.readline(Some(2))?, "ab");
    /// assert_eq!(f.readline(None)?, "c\n");
    /// assert_eq!(f.readline(None)?, "d");
    /// assert_eq!(f.readline(None)?, "");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn readline(&mut self, limit: Option<usize>) -> io::Result<Bytes> {
        self.inner.readline(limit)
    }

    /// Python's `readlines(hint)`: the remaining lines, or those up to the one that brings the total
    /// to `hint` bytes or more (`None` or `Some(0)`: all of them).
    ///
    /// # Errors
    ///
    /// The closed-file error once closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_spool::MmapIO;
    /// use strata_spool::prelude::*;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("f");
    /// std::fs::write(&path, b"a\nbb\nccc")?;
    /// // SAFETY: our own file in a private directory.
    /// let mut f = unsafe { MmapIO::open(&path)? };
    /// assert_eq!(f.readlines(None)?, ["a\n", "bb\n", "ccc"]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn readlines(&mut self, hint: Option<usize>) -> io::Result<Vec<Bytes>> {
        self.inner.readlines(hint)
    }

    /// An iterator over the remaining lines, each as [`readline(None)`](MmapIO::readline) returns it
    /// (Python's `for line in f`), sharing the map. It ends at the end of the file; on a closed
    /// stream it yields the closed-file error once and ends. `for line in &mut f` does the same.
    ///
    /// The lines are those of the `BytesIO` over the map, so the iterator is `BytesIO`'s.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_spool::MmapIO;
    /// use strata_spool::prelude::*;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("log.txt");
    /// std::fs::write(&path, b"GET /\nGET /about\n\nPOST /form")?;
    /// // SAFETY: our own file in a private directory.
    /// let mut log = unsafe { MmapIO::open(&path)? };
    /// let gets = log
    ///     .iter_lines()
    ///     .filter(|line| line.as_ref().is_ok_and(|line| line.starts_with(b"GET ")))
    ///     .count();
    /// assert_eq!(gets, 2);
    ///
    /// log.close()?;
    /// let mut lines = log.iter_lines();
    /// assert!(lines.next().is_some_and(|line| line.is_err()));
    /// assert!(lines.next().is_none());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn iter_lines(&mut self) -> ByteLines<'_> {
        self.inner.iter_lines()
    }

    /// The whole file, whatever the position, sharing the map.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_spool::MmapIO;
    /// use strata_spool::prelude::*;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("f");
    /// std::fs::write(&path, b"abc")?;
    /// // SAFETY: our own file in a private directory.
    /// let mut f = unsafe { MmapIO::open(&path)? };
    /// f.read_bytes(Some(2))?;
    /// let all = f.getvalue()?;
    /// f.close()?;
    /// assert_eq!(all, "abc"); // the map lives as long as the `Bytes`
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn getvalue(&mut self) -> io::Result<Bytes> {
        self.inner.getvalue()
    }

    /// The whole file, sharing the map; empty once the stream was closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_spool::MmapIO;
    /// use strata_spool::prelude::*;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("f");
    /// std::fs::write(&path, b"abc")?;
    /// // SAFETY: our own file in a private directory.
    /// let f = unsafe { MmapIO::open(&path)? };
    /// assert_eq!(f.into_bytes(), "abc");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_bytes(self) -> Bytes {
        self.inner.into_bytes()
    }
}

/// The inner `BytesIO`'s state, but never writable and never resized: `writable`, `isatty` and
/// `truncate` keep [`IoBase`]'s defaults.
impl IoBase for MmapIO {
    strata_raw::forward_iobase!(inner: closed, readable, seekable, fileno);

    /// Releases the stream's share of the map; [`Bytes`] already returned keep theirs.
    fn close(&mut self) -> io::Result<()> {
        self.inner.close()
    }
}

/// `read` is Python's `readinto`: it fills as much of `buf` as the file has left.
impl Read for MmapIO {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf)
    }
}

impl BufRead for MmapIO {
    /// Everything from the position to the end: the "buffer" is the whole map.
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.inner.consume(amt);
    }
}

impl<'a> IntoIterator for &'a mut MmapIO {
    type Item = io::Result<Bytes>;
    type IntoIter = ByteLines<'a>;

    /// The lines of the file: see [`MmapIO::iter_lines`].
    fn into_iter(self) -> ByteLines<'a> {
        self.iter_lines()
    }
}

impl Seek for MmapIO {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}
