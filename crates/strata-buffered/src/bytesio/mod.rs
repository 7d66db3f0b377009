//! `BytesIO`: an in-memory byte stream with Python file semantics.
//!
//! The contents live in one of two places, never both:
//!
//! - `buf: Vec<u8>` while the stream owns them exclusively: writes append or overwrite in place, and
//!   a write at the end takes the fast append path;
//! - `shared: Some(Bytes)` after [`BytesIO::getvalue`] or [`BytesIO::from`]`(Bytes)`: the contents are
//!   shared with the snapshots handed out, reads return zero-copy slices, and the next write takes the
//!   storage back (copy-on-write: without a copy when every snapshot is gone, with one copy otherwise).
//!
//! Converting between the two is O(1) except for that one copy, so `getvalue()` costs the same for
//! 1 KiB and 1 GiB.

use std::fmt;
use std::io::{self, BufRead, IoSlice, Read, Seek, SeekFrom, Write};
use std::mem;
use std::ops::{Deref, DerefMut, Range};

use bytes::Bytes;
#[cfg(doc)]
use strata_raw::Error;
use strata_raw::{IoBase, ensure_open, line_len, readlines, seek_target};

use crate::BufferedIoBase;

#[cfg(any(feature = "tokio", feature = "futures-io"))]
mod asynch;

/// Python's `io.BytesIO`: a growable in-memory byte stream that reads, writes and seeks like a file.
///
/// It implements [`Read`], [`Write`], [`Seek`] and [`BufRead`] with std's contracts, [`IoBase`] for
/// Python's capabilities and close protocol, [`BufferedIoBase`] for Python's reading methods
/// (`read_bytes` stands for Python's `read`, which [`Read::read`] already names) and `writelines`,
/// and its own operations (`getvalue`, `getbuffer`, `tell`, `truncate`) as methods.
///
/// - A write past the end zero-fills the gap; `write(b"")` past the end neither grows nor pads.
/// - Seeking past the end is allowed (reads there return nothing); seeking before 0 is an error
///   ([`Error::NegativeSeek`]), also for relative seeks, which Python clamps at 0
///   (see `docs/python-parity.md`).
/// - [`getvalue`](BytesIO::getvalue) is O(1) until the next write (copy-on-write), and
///   [`From<Bytes>`](#impl-From<Bytes>-for-BytesIO) and [`into_bytes`](BytesIO::into_bytes) never copy.
/// - [`getbuffer`](BytesIO::getbuffer) lends a zero-copy mutable view; the borrow checker keeps the
///   stream from being resized while it lives.
/// - After [`close`](IoBase::close) every operation fails with [`Error::Closed`]
///   (`"I/O operation on closed file."`), before any other check.
///
/// Iterating over `&mut BytesIO` (or [`iter_lines`](BufferedIoBase::iter_lines)) yields its lines, as
/// iterating a Python file does.
///
/// # Examples
///
/// ```
/// use strata_buffered::BytesIO;
/// use strata_buffered::prelude::*;
///
/// let mut f = BytesIO::new();
/// f.write_all(b"hello\nworld\n")?;
/// f.seek(SeekFrom::Start(0))?;
/// assert_eq!(f.readline(None)?, "hello\n");
/// assert_eq!(f.read_bytes(Some(3))?, "wor");
/// assert_eq!(f.tell()?, 9);
///
/// let snapshot = f.getvalue()?; // O(1): shares the storage
/// f.write_all(b"LD\n")?; // copy-on-write: the snapshot keeps the old contents
/// assert_eq!(snapshot, "hello\nworld\n");
/// assert_eq!(f.into_bytes(), "hello\nworLD\n");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default)]
pub struct BytesIO {
    /// The contents while the stream owns them; empty (capacity 0) while `shared` holds them.
    buf: Vec<u8>,
    /// The contents while they are shared with snapshots (or adopted from a `Bytes`).
    shared: Option<Bytes>,
    /// The position; may lie past the end.
    pos: u64,
    closed: bool,
}

impl BytesIO {
    /// An empty stream, position 0 (Python `BytesIO()`).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    ///
    /// let mut f = BytesIO::new();
    /// assert!(f.is_empty());
    /// assert_eq!(f.tell()?, 0);
    /// assert_eq!(f.getvalue()?, "");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new() -> BytesIO {
        BytesIO::default()
    }

    /// An empty stream with room for `capacity` bytes before it reallocates.
    ///
    /// Fallible, like [`BufferedReader::with_capacity`](crate::BufferedReader::with_capacity): a
    /// capacity the allocator cannot provide is an error, where `Vec::with_capacity` would abort
    /// the process (or panic, beyond `isize::MAX`).
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::OutOfMemory`] when `capacity` bytes cannot be allocated.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{ErrorKind, Write};
    /// use strata_buffered::BytesIO;
    ///
    /// let mut f = BytesIO::with_capacity(1 << 20)?;
    /// f.write_all(&[7; 1000])?;
    /// assert_eq!(f.len(), 1000);
    /// assert_eq!(BytesIO::with_capacity(usize::MAX).unwrap_err().kind(), ErrorKind::OutOfMemory);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_capacity(capacity: usize) -> io::Result<BytesIO> {
        let mut buf = Vec::new();
        buf.try_reserve_exact(capacity).map_err(out_of_memory)?;
        Ok(BytesIO::from(buf))
    }

    /// The length of the contents, in bytes, wherever the position is. A closed stream has released its
    /// contents, so its length is 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Seek, SeekFrom};
    /// use strata_buffered::BytesIO;
    ///
    /// let mut f = BytesIO::from(&b"abc"[..]);
    /// f.seek(SeekFrom::Start(10))?;
    /// assert_eq!(f.len(), 3);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn len(&self) -> usize {
        self.data().len()
    }

    /// Whether the contents are empty.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    ///
    /// assert!(BytesIO::new().is_empty());
    /// assert!(!BytesIO::from(&b"x"[..]).is_empty());
    /// ```
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The position, which may lie past the end (Python `tell`).
    ///
    /// # Errors
    ///
    /// [`Error::Closed`] on a closed stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Seek, SeekFrom};
    /// use strata_buffered::BytesIO;
    ///
    /// let mut f = BytesIO::new();
    /// f.seek(SeekFrom::Start(20))?;
    /// assert_eq!(f.tell()?, 20);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn tell(&self) -> io::Result<u64> {
        self.open()?;
        Ok(self.pos)
    }

    /// Drops the bytes beyond `size` (beyond the position when `None`) and returns that size (Python
    /// `truncate`). The position does not move, and the stream never grows: a size past the end
    /// leaves the contents as they are. The next write past the new end zero-fills the gap.
    ///
    /// Unlike CPython, truncating keeps the allocation: `truncate(Some(0))` empties the stream for
    /// reuse without paying for allocation and page faults again.
    ///
    /// # Errors
    ///
    /// [`Error::Closed`] on a closed stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Seek, SeekFrom, Write};
    /// use strata_buffered::BytesIO;
    ///
    /// let mut f = BytesIO::from(&b"1234567890"[..]);
    /// f.seek(SeekFrom::Start(6))?;
    /// assert_eq!(f.truncate(Some(2))?, 2);
    /// assert_eq!(f.tell()?, 6);
    /// f.write_all(b"X")?;
    /// assert_eq!(f.getvalue()?, &b"12\0\0\0\0X"[..]);
    /// assert_eq!(f.truncate(Some(100))?, 100); // never grows
    /// assert_eq!(f.len(), 7);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        self.open()?;
        let size = size.unwrap_or(self.pos);
        if let Ok(keep) = usize::try_from(size) {
            match &mut self.shared {
                // No snapshot is alive: take the storage back, so that its capacity is reused.
                Some(shared) if keep < shared.len() && shared.is_unique() => {
                    self.owned().truncate(keep)
                }
                Some(shared) => shared.truncate(keep),
                None => self.buf.truncate(keep),
            }
        }
        Ok(size)
    }

    /// The whole contents, wherever the position is (Python `getvalue`): a snapshot that later writes
    /// do not change.
    ///
    /// O(1) whatever the size: the stream hands out its storage as a shared [`Bytes`] and keeps a
    /// reference; the next write takes the storage back, copying it only if a snapshot is still alive
    /// (copy-on-write, as CPython does). That is why it takes `&mut self`.
    ///
    /// # Errors
    ///
    /// [`Error::Closed`] on a closed stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_buffered::BytesIO;
    ///
    /// let mut f = BytesIO::new();
    /// f.write_all(b"abc")?;
    /// let before = f.getvalue()?;
    /// f.write_all(b"def")?;
    /// assert_eq!(before, "abc");
    /// assert_eq!(f.getvalue()?, "abcdef");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn getvalue(&mut self) -> io::Result<Bytes> {
        self.open()?;
        let buf = &mut self.buf;
        Ok(self
            .shared
            .get_or_insert_with(|| Bytes::from(mem::take(buf)))
            .clone())
    }

    /// The next line, borrowed from the storage (Python's `readline` without the new object): up to
    /// and including the next `\n`, or at most `limit` bytes, or the rest; empty at the end. No
    /// allocation, no copy and no reference count, whoever owns the contents: the line lives until
    /// the next call on the stream.
    ///
    /// # Errors
    ///
    /// [`Error::Closed`] on a closed stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    ///
    /// let mut f = BytesIO::from(b"one\ntwo\nthree".to_vec());
    /// let mut lengths = Vec::new();
    /// loop {
    ///     let line = f.readline_slice(None)?;
    ///     if line.is_empty() {
    ///         break;
    ///     }
    ///     lengths.push(line.len());
    /// }
    /// assert_eq!(lengths, [4, 4, 5]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn readline_slice(&mut self, limit: Option<usize>) -> io::Result<&[u8]> {
        self.open()?;
        let (n, _) = line_len(self.rest(), limit);
        let range = self.advance(n);
        Ok(&self.data()[range])
    }

    /// A zero-copy, writable view of the whole contents, wherever the position is (Python
    /// `getbuffer`). Writes through it show in later reads and [`getvalue`](BytesIO::getvalue).
    ///
    /// The view borrows the stream mutably, so while it lives the stream can be neither resized nor
    /// used at all: what CPython checks at run time (a `write`, `truncate` or `close` during an export
    /// raises `BufferError`) the borrow checker rejects at compile time, and [`Error::BufferExported`]
    /// never occurs. Reading, seeking and `getvalue`, which CPython allows during an export, wait until
    /// the view is dropped; read through the view meanwhile.
    ///
    /// If the contents are shared with a live snapshot, they are copied first, so the snapshot keeps
    /// its value.
    ///
    /// # Errors
    ///
    /// [`Error::Closed`] on a closed stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    ///
    /// let mut f = BytesIO::from(&b"abcdef"[..]);
    /// let mut view = f.getbuffer()?;
    /// view[2..4].copy_from_slice(b"!!");
    /// // f.truncate(None)?; // does not compile while `view` lives
    /// drop(view);
    /// assert_eq!(f.getvalue()?, "ab!!ef");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// Resizing while a view lives is a compile-time error (E0499), where CPython raises `BufferError`:
    ///
    /// ```compile_fail,E0499
    /// use strata_buffered::BytesIO;
    ///
    /// let mut f = BytesIO::from(&b"abcdef"[..]);
    /// let view = f.getbuffer()?;
    /// f.truncate(Some(0))?;
    /// assert_eq!(view.len(), 6);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn getbuffer(&mut self) -> io::Result<BytesView<'_>> {
        self.open()?;
        Ok(BytesView { data: self.owned() })
    }

    /// The contents as [`Bytes`], without copying, whatever the position. A closed stream has released
    /// its contents and gives an empty `Bytes`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_buffered::BytesIO;
    ///
    /// let mut f = BytesIO::with_capacity(64)?;
    /// f.write_all(b"payload")?;
    /// let bytes: bytes::Bytes = f.into_bytes();
    /// assert_eq!(bytes, "payload");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_bytes(self) -> Bytes {
        self.shared.unwrap_or_else(|| Bytes::from(self.buf))
    }

    /// `Ok` while the stream is open, else the closed-file error: [`ensure_open`] with its test inlined
    /// (a call per operation costs a fifth of a small write).
    #[inline]
    fn open(&self) -> io::Result<()> {
        if self.closed {
            ensure_open(true)
        } else {
            Ok(())
        }
    }

    /// The contents, wherever they live.
    #[inline]
    fn data(&self) -> &[u8] {
        match &self.shared {
            Some(shared) => shared,
            None => &self.buf,
        }
    }

    /// The bytes from the position to the end; empty when the position is at or past the end.
    #[inline]
    fn rest(&self) -> &[u8] {
        let data = self.data();
        let start = usize::try_from(self.pos).map_or(data.len(), |pos| pos.min(data.len()));
        &data[start..]
    }

    /// Moves past the next `n` bytes (`n <= self.rest().len()`) and returns where they lie in the
    /// contents.
    #[inline]
    fn advance(&mut self, n: usize) -> Range<usize> {
        if n == 0 {
            return 0..0;
        }
        // `n > 0` bytes remain, so the position is inside the contents and fits a `usize`.
        let start = self.pos as usize;
        self.pos += n as u64;
        start..start + n
    }

    /// Returns the next `n` bytes (`n <= self.rest().len()`) and moves past them: a slice of the
    /// shared storage, or a copy of the owned one.
    #[inline]
    fn take(&mut self, n: usize) -> Bytes {
        let range = self.advance(n);
        match &self.shared {
            Some(shared) => shared.slice(range),
            None => Bytes::copy_from_slice(&self.buf[range]),
        }
    }

    /// The contents as an exclusively owned `Vec`, taking them back from `shared` if needed: without a
    /// copy when no snapshot is alive, with one otherwise.
    fn owned(&mut self) -> &mut Vec<u8> {
        if let Some(shared) = self.shared.take() {
            self.buf = match shared.try_into_mut() {
                Ok(unique) => unique.into(),
                Err(shared) => shared.to_vec(),
            };
        }
        &mut self.buf
    }

    /// `write_all` on an open stream or a closed one: the one test of the fast path, appending
    /// non-empty `data` within the capacity, also stands for [`open`](BytesIO::open) and the
    /// `shared` test, because a closed stream and a shared one hold `buf` as `Vec::new()`, with no
    /// capacity. Everything else (an empty write, a write that grows, overwrites, a closed stream)
    /// goes the checked way.
    #[inline(always)]
    fn write_all_checked(&mut self, data: &[u8]) -> io::Result<()> {
        let spare = self.buf.capacity() - self.buf.len();
        // `0 < data.len() <= spare` in one comparison.
        if data.len().wrapping_sub(1) < spare && self.pos == self.buf.len() as u64 {
            debug_assert!(
                !self.closed && self.shared.is_none(),
                "only an open, owned stream has capacity"
            );
            crate::mem::append_within_capacity(&mut self.buf, data);
            self.pos += data.len() as u64;
            return Ok(());
        }
        self.write_all_slow(data)
    }

    /// [`write_all_checked`](BytesIO::write_all_checked) off the fast path.
    #[inline(never)]
    fn write_all_slow(&mut self, data: &[u8]) -> io::Result<()> {
        self.open()?;
        self.put(data)
    }

    /// Writes `data` at the position and moves past it (the core of every write).
    #[inline(always)]
    fn put(&mut self, data: &[u8]) -> io::Result<()> {
        if self.shared.is_none() && self.pos == self.buf.len() as u64 {
            // The fast path: appending to owned contents.
            if self.buf.capacity() - self.buf.len() < data.len() {
                self.grow(data.len())?;
            }
            crate::mem::append_within_capacity(&mut self.buf, data);
            self.pos += data.len() as u64;
            Ok(())
        } else {
            self.put_slow(data)
        }
    }

    /// Makes room for `additional` more bytes, reporting a failed allocation as an error.
    #[cold]
    #[inline(never)]
    fn grow(&mut self, additional: usize) -> io::Result<()> {
        self.buf.try_reserve(additional).map_err(out_of_memory)
    }

    /// [`put`](BytesIO::put) when the contents are shared, or the position is not at the end.
    #[cold]
    fn put_slow(&mut self, data: &[u8]) -> io::Result<()> {
        if data.is_empty() {
            return Ok(()); // as in CPython: neither grows nor pads, even past the end
        }
        let too_far =
            || io::Error::new(io::ErrorKind::OutOfMemory, "write position is out of range");
        let pos = usize::try_from(self.pos).map_err(|_| too_far())?;
        let end = pos.checked_add(data.len()).ok_or_else(too_far)?;
        let buf = self.owned();
        buf.try_reserve(end.saturating_sub(buf.len()))
            .map_err(out_of_memory)?;
        if pos >= buf.len() {
            buf.resize(pos, 0);
            buf.extend_from_slice(data);
        } else {
            let inside = data.len().min(buf.len() - pos);
            buf[pos..pos + inside].copy_from_slice(&data[..inside]);
            buf.extend_from_slice(&data[inside..]);
        }
        self.pos = end as u64;
        Ok(())
    }
}

/// The error for an allocation that failed while growing the contents.
fn out_of_memory(err: std::collections::TryReserveError) -> io::Error {
    io::Error::new(io::ErrorKind::OutOfMemory, err)
}

impl fmt::Debug for BytesIO {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BytesIO")
            .field("len", &self.len())
            .field("pos", &self.pos)
            .field("shared", &self.shared.is_some())
            .field("closed", &self.closed)
            .finish()
    }
}

impl From<Vec<u8>> for BytesIO {
    /// Adopts `data` (and its spare capacity) without copying; the position starts at 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_buffered::prelude::*;
    ///
    /// let mut f = BytesIO::from(b"abc".to_vec());
    /// assert_eq!(f.read_bytes(None)?, "abc");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn from(data: Vec<u8>) -> BytesIO {
        BytesIO {
            buf: data,
            ..BytesIO::default()
        }
    }
}

impl From<&[u8]> for BytesIO {
    /// Copies `data`; the position starts at 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    ///
    /// let mut f = BytesIO::from(&b"abc"[..]);
    /// assert_eq!(f.getvalue()?, "abc");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn from(data: &[u8]) -> BytesIO {
        BytesIO::from(data.to_vec())
    }
}

impl From<Bytes> for BytesIO {
    /// Adopts `data` without copying; the position starts at 0. Reads return zero-copy slices of it;
    /// the first write copies it, unless this stream holds the only reference (copy-on-write).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use strata_buffered::BytesIO;
    /// use strata_buffered::prelude::*;
    ///
    /// let received = Bytes::from_static(b"GET / HTTP/1.1\r\nHost: x\r\n");
    /// let mut f = BytesIO::from(received.clone());
    /// assert_eq!(f.readline(None)?, "GET / HTTP/1.1\r\n");
    /// f.write_all(b"Host: y")?; // copies: `received` is still alive
    /// assert_eq!(received, "GET / HTTP/1.1\r\nHost: x\r\n");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn from(data: Bytes) -> BytesIO {
        BytesIO {
            shared: Some(data),
            ..BytesIO::default()
        }
    }
}

/// Python's reading methods, straight from the storage: a read returns a zero-copy slice of the
/// contents when they are shared (after [`getvalue`](BytesIO::getvalue) or
/// [`From<Bytes>`](#impl-From<Bytes>-for-BytesIO)), a copy (one allocation) when the stream owns
/// them. Before a long run of reads, one `getvalue` makes the contents shared (O(1)); or borrow the
/// lines, with no allocation at all: [`readline_slice`](BytesIO::readline_slice), or [`BufRead`]. At
/// or past the end every read returns nothing. `read1` is `read_bytes` and `readinto1` is
/// `readinto`: there is no layer below. `readlines` stops once the lines reach the hint, as
/// CPython's `BytesIO.readlines` does.
///
/// Every method fails with [`Error::Closed`] on a closed stream.
impl BufferedIoBase for BytesIO {
    #[inline]
    fn read_bytes(&mut self, size: Option<usize>) -> io::Result<Bytes> {
        self.open()?;
        let n = self.rest().len().min(size.unwrap_or(usize::MAX));
        Ok(self.take(n))
    }

    #[inline]
    fn read1(&mut self, size: Option<usize>) -> io::Result<Bytes> {
        self.read_bytes(size)
    }

    /// Copies up to `buf.len()` bytes; at or past the end it returns 0 and leaves `buf` untouched.
    #[inline]
    fn readinto(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.open()?;
        let rest = self.rest();
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.pos += n as u64;
        Ok(n)
    }

    #[inline]
    fn readinto1(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.readinto(buf)
    }

    #[inline]
    fn readline(&mut self, limit: Option<usize>) -> io::Result<Bytes> {
        self.open()?;
        let (n, _) = line_len(self.rest(), limit);
        Ok(self.take(n))
    }

    fn readlines(&mut self, hint: Option<usize>) -> io::Result<Vec<Bytes>> {
        self.open()?;
        readlines(hint, || self.readline(None))
    }
}

impl Read for BytesIO {
    /// Python's `readinto`: see [`BufferedIoBase::readinto`].
    #[inline]
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.readinto(buf)
    }

    fn read_to_end(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
        self.open()?;
        let rest = self.rest();
        let n = rest.len();
        buf.try_reserve(n).map_err(out_of_memory)?;
        buf.extend_from_slice(rest);
        self.pos += n as u64;
        Ok(n)
    }
}

impl BufRead for BytesIO {
    /// The bytes from the position to the end, straight from the storage (no second buffer).
    #[inline]
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.open()?;
        Ok(self.rest())
    }

    /// Moves the position by `amt`, at most to the end of the contents.
    #[inline]
    fn consume(&mut self, amt: usize) {
        self.pos += amt.min(self.rest().len()) as u64;
    }
}

impl Write for BytesIO {
    /// Writes all of `data` at the position (Python `write`): overwrites, appends, and zero-fills a
    /// gap when the position lies past the end.
    ///
    /// # Errors
    ///
    /// [`Error::Closed`] on a closed stream; [`io::ErrorKind::OutOfMemory`] when the contents cannot
    /// grow.
    #[inline(always)]
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.write_all_checked(data)?;
        Ok(data.len())
    }

    #[inline(always)]
    fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        self.write_all_checked(data)
    }

    fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        self.open()?;
        bufs.iter()
            .try_fold(0, |total, buf| self.put(buf).map(|()| total + buf.len()))
    }

    /// Does nothing on an open stream.
    ///
    /// # Errors
    ///
    /// [`Error::Closed`] on a closed stream.
    #[inline]
    fn flush(&mut self) -> io::Result<()> {
        self.open()
    }
}

impl Seek for BytesIO {
    /// Moves the position; past the end is allowed.
    ///
    /// # Errors
    ///
    /// [`Error::Closed`] on a closed stream; [`Error::NegativeSeek`] (naming the target position)
    /// when the target lies before 0, also for relative seeks, which Python clamps at 0; an
    /// [`Error::InvalidArgument`] when it lies beyond `u64::MAX`.
    fn seek(&mut self, from: SeekFrom) -> io::Result<u64> {
        self.open()?;
        self.pos = seek_target(self.pos, self.len() as u64, from)?;
        Ok(self.pos)
    }

    #[inline]
    fn stream_position(&mut self) -> io::Result<u64> {
        self.tell()
    }
}

impl IoBase for BytesIO {
    #[inline]
    fn closed(&self) -> bool {
        self.closed
    }

    /// Closes the stream and releases its contents (snapshots taken with `getvalue` stay valid).
    /// Closing twice is fine.
    fn close(&mut self) -> io::Result<()> {
        self.closed = true;
        self.buf = Vec::new();
        self.shared = None;
        Ok(())
    }

    fn readable(&self) -> io::Result<bool> {
        self.open().map(|()| true)
    }

    fn writable(&self) -> io::Result<bool> {
        self.open().map(|()| true)
    }

    fn seekable(&self) -> io::Result<bool> {
        self.open().map(|()| true)
    }

    /// Always [`io::ErrorKind::Unsupported`] (`"fileno"`), even when closed, as in CPython.
    fn fileno(&self) -> io::Result<i32> {
        Err(strata_raw::unsupported("fileno"))
    }

    /// See [`BytesIO::truncate`].
    fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        BytesIO::truncate(self, size)
    }
}

impl<'a> IntoIterator for &'a mut BytesIO {
    type Item = io::Result<Bytes>;
    type IntoIter = ByteLines<'a>;

    /// The lines of the stream: see [`BufferedIoBase::iter_lines`].
    fn into_iter(self) -> ByteLines<'a> {
        self.iter_lines()
    }
}

/// The lines of a [`BytesIO`], from [`iter_lines`](BufferedIoBase::iter_lines) or
/// `for line in &mut stream`.
///
/// Each item is what [`readline(None)`](BufferedIoBase::readline) returns; the iterator ends at the end of the
/// contents, or after yielding one error.
///
/// # Examples
///
/// ```
/// use strata_buffered::BytesIO;
///
/// let mut f = BytesIO::from(&b"one\ntwo\n"[..]);
/// let mut count = 0;
/// for line in &mut f {
///     assert!(line?.ends_with(b"\n"));
///     count += 1;
/// }
/// assert_eq!(count, 2);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type ByteLines<'a> = strata_raw::Lines<'a, BytesIO, Bytes>;

/// A zero-copy, writable view of a [`BytesIO`]'s contents, from [`BytesIO::getbuffer`] (Python's
/// `memoryview`).
///
/// It dereferences to `[u8]`; its length is fixed while it lives, because it borrows the stream
/// mutably.
///
/// # Examples
///
/// ```
/// use strata_buffered::BytesIO;
///
/// let mut f = BytesIO::from(&b"abc"[..]);
/// let mut view = f.getbuffer()?;
/// assert_eq!(view.len(), 3);
/// view.make_ascii_uppercase();
/// drop(view);
/// assert_eq!(f.getvalue()?, "ABC");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct BytesView<'a> {
    data: &'a mut [u8],
}

impl Deref for BytesView<'_> {
    type Target = [u8];

    #[inline]
    fn deref(&self) -> &[u8] {
        self.data
    }
}

impl DerefMut for BytesView<'_> {
    #[inline]
    fn deref_mut(&mut self) -> &mut [u8] {
        self.data
    }
}

impl AsRef<[u8]> for BytesView<'_> {
    fn as_ref(&self) -> &[u8] {
        self.data
    }
}

impl AsMut<[u8]> for BytesView<'_> {
    fn as_mut(&mut self) -> &mut [u8] {
        self.data
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_zero_keeps_the_allocation() {
        let mut f = BytesIO::new();
        f.write_all(&[1; 4096]).unwrap();
        let cap = f.buf.capacity();
        assert_eq!(f.truncate(Some(0)).unwrap(), 0);
        assert_eq!(f.buf.capacity(), cap);
        f.seek(SeekFrom::Start(0)).unwrap();
        f.write_all(&[2; 4096]).unwrap();
        assert_eq!(f.buf.capacity(), cap);
    }

    #[test]
    fn truncate_zero_after_getvalue_keeps_the_allocation() {
        let mut f = BytesIO::new();
        f.write_all(&[1; 1 << 20]).unwrap();
        let ptr = f.buf.as_ptr();
        let snapshot = f.getvalue().unwrap();
        // While the snapshot lives, truncating shares (and the snapshot keeps its bytes) ...
        f.truncate(Some(10)).unwrap();
        assert_eq!(snapshot.len(), 1 << 20);
        drop(snapshot);
        f.getvalue().unwrap();
        // ... and once it is gone, the storage comes back with its capacity.
        f.truncate(Some(0)).unwrap();
        f.seek(SeekFrom::Start(0)).unwrap();
        f.write_all(&[2; 1 << 20]).unwrap();
        assert_eq!(
            f.buf.as_ptr(),
            ptr,
            "the same allocation serves the next round"
        );
    }

    #[test]
    fn getvalue_shares_and_the_next_write_takes_the_storage_back() {
        let mut f = BytesIO::with_capacity(100).unwrap();
        f.write_all(b"abc").unwrap();
        let ptr = f.buf.as_ptr();
        let snap = f.getvalue().unwrap();
        assert_eq!(snap.as_ptr(), ptr, "getvalue does not copy");
        assert_eq!(f.getvalue().unwrap().as_ptr(), ptr);
        drop(snap);
        f.write_all(b"d").unwrap();
        assert_eq!(f.buf.as_ptr(), ptr, "no snapshot alive: no copy");
        assert_eq!(
            f.buf.capacity(),
            100,
            "the spare capacity survives the round trip"
        );
        let snap = f.getvalue().unwrap();
        f.write_all(b"e").unwrap();
        assert_ne!(f.buf.as_ptr(), ptr, "a live snapshot forces a copy");
        assert_eq!(snap, "abcd");
    }

    #[test]
    fn reads_from_shared_contents_are_slices() {
        let data = Bytes::from(b"line one\nline two\n".to_vec());
        let mut f = BytesIO::from(data.clone());
        let line = f.readline(None).unwrap();
        assert_eq!(line.as_ptr(), data.as_ptr());
        let rest = f.read_bytes(None).unwrap();
        assert_eq!(rest.as_ptr(), data[9..].as_ptr());

        let mut owned = BytesIO::from(b"a\nb\n".to_vec());
        let value = owned.getvalue().unwrap();
        assert_eq!(
            owned.readline(None).unwrap().as_ptr(),
            value.as_ptr(),
            "shared after getvalue"
        );
    }

    #[test]
    fn into_bytes_does_not_copy() {
        let mut f = BytesIO::new();
        f.write_all(b"xyz").unwrap();
        let ptr = f.buf.as_ptr();
        assert_eq!(f.into_bytes().as_ptr(), ptr);
    }

    #[test]
    fn a_write_at_an_unreachable_position_fails_without_panicking() {
        let mut f = BytesIO::new();
        f.seek(SeekFrom::Start(u64::MAX - 1)).unwrap();
        let err = f.write_all(b"abc").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::OutOfMemory);
        assert_eq!(f.len(), 0);
        assert!(f.write_all(b"").is_ok());
    }
}
