//! `MmapIO`: a memory-mapped, read-only file as a seekable, line-readable stream.

use std::io::{self, BufRead, Read, Seek, SeekFrom};

use bytes::Bytes;
use strata_buffered::{BufferedIoBase, BytesIO};
use strata_raw::{IoBase, Lines};

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
/// Python's reading methods come from [`BufferedIoBase`]; iterating over `&mut MmapIO` (or
/// [`iter_lines`](BufferedIoBase::iter_lines)) yields its lines.
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

/// Python's reading methods, each a zero-copy slice of the map (`readinto` copies into the caller's
/// buffer): the inner `BytesIO`'s. `read1` is `read_bytes`, since the whole file is in memory, and
/// `readlines` stops once the lines reach the hint, as `BytesIO`'s does.
///
/// # Examples
///
/// ```
/// use strata_spool::MmapIO;
/// use strata_spool::prelude::*;
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("f");
/// std::fs::write(&path, b"abc\nd\nef")?;
/// // SAFETY: our own file in a private directory.
/// let mut f = unsafe { MmapIO::open(&path)? };
/// assert_eq!(f.read_bytes(Some(2))?, "ab");
/// assert_eq!(f.readline(None)?, "c\n");
/// assert_eq!(f.read1(None)?, "d\nef"); // never short: the whole file is in memory
/// let mut buf = [0; 2];
/// assert_eq!(f.readinto(&mut buf)?, 0);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl BufferedIoBase for MmapIO {
    fn read_bytes(&mut self, size: Option<usize>) -> io::Result<Bytes> {
        self.inner.read_bytes(size)
    }

    fn read1(&mut self, size: Option<usize>) -> io::Result<Bytes> {
        self.inner.read1(size)
    }

    fn readinto(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.readinto(buf)
    }

    fn readinto1(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.readinto1(buf)
    }

    fn readline(&mut self, limit: Option<usize>) -> io::Result<Bytes> {
        self.inner.readline(limit)
    }

    fn readlines(&mut self, hint: Option<usize>) -> io::Result<Vec<Bytes>> {
        self.inner.readlines(hint)
    }
}

/// The inner `BytesIO`'s state, but never writable and never resized: `writable`, `isatty` and
/// `truncate` keep [`IoBase`]'s defaults.
impl IoBase for MmapIO {
    fn closed(&self) -> bool {
        self.inner.closed()
    }

    /// Releases the stream's share of the map; [`Bytes`] already returned keep theirs.
    fn close(&mut self) -> io::Result<()> {
        self.inner.close()
    }

    fn readable(&self) -> io::Result<bool> {
        self.inner.readable()
    }

    fn seekable(&self) -> io::Result<bool> {
        self.inner.seekable()
    }

    fn fileno(&self) -> io::Result<i32> {
        self.inner.fileno()
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
    type IntoIter = Lines<'a, MmapIO, Bytes>;

    /// The lines of the file: see [`BufferedIoBase::iter_lines`].
    fn into_iter(self) -> Self::IntoIter {
        self.iter_lines()
    }
}

impl Seek for MmapIO {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}
