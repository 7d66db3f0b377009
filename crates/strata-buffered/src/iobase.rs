//! `BufferedIoBase`: Python's `BufferedIOBase`, the one home of the buffered layer's Python methods.
//!
//! Each stream writes the few methods its storage serves best (`BytesIO` hands out slices of shared
//! bytes, a buffered wrapper goes through its buffer, a pipe waits for data); everything derived
//! from them (`readinto` from `read`, `readlines` and the line iterator from `readline`,
//! `writelines` from `write_all`) is written here once.

use std::io::{self, Write};

use bytes::Bytes;
use strata_raw::{IoBase, Lines, ensure_open, readlines, unsupported};

/// Python's `BufferedIOBase`: the reading methods of a byte stream that fills requests fully, and
/// `writelines` for one that writes.
///
/// | Python | Strata |
/// | --- | --- |
/// | `read(n)` / `read()` | [`read_bytes(Some(n))`](BufferedIoBase::read_bytes) / `read_bytes(None)` |
/// | `read1(n)` | [`read1`](BufferedIoBase::read1) |
/// | `readinto(b)` / `readinto1(b)` | [`readinto`](BufferedIoBase::readinto) / [`readinto1`](BufferedIoBase::readinto1) |
/// | `readline(limit)` | [`readline`](BufferedIoBase::readline) |
/// | `readlines(hint)` | [`readlines`](BufferedIoBase::readlines) |
/// | `for line in f` | [`iter_lines`](BufferedIoBase::iter_lines), or `for line in &mut f` |
/// | `write(b)` | [`Write::write_all`] (std's `write` may be short) |
/// | `writelines(lines)` | [`writelines`](BufferedIoBase::writelines) |
///
/// Only [`read_bytes`](BufferedIoBase::read_bytes) and [`read1`](BufferedIoBase::read1) carry
/// data of their own; every other method has a default derived from them, as in CPython's
/// `BufferedIOBase` and `IOBase`. A stream that cannot read keeps the defaults, which fail with
/// [`io::ErrorKind::Unsupported`] (`"read"`), as Python's `BufferedWriter.read()` raises
/// `UnsupportedOperation`. `writelines` exists only where [`Write`] does.
///
/// The trait is dyn-compatible: `&mut dyn BufferedIoBase` reaches every method but the two that
/// need `Self: Sized` ([`iter_lines`](BufferedIoBase::iter_lines) and
/// [`writelines`](BufferedIoBase::writelines)).
///
/// # Examples
///
/// One function for every buffered stream:
///
/// ```
/// use std::io::{self, Cursor};
/// use strata_buffered::prelude::*;
/// use strata_buffered::{BufferedReader, BytesIO};
/// use strata_raw::StdRaw;
///
/// fn count_lines<S: BufferedIoBase>(s: &mut S) -> io::Result<usize> {
///     let mut n = 0;
///     for line in s.iter_lines() {
///         line?;
///         n += 1;
///     }
///     Ok(n)
/// }
///
/// assert_eq!(count_lines(&mut BytesIO::from(&b"a\nb\nc"[..]))?, 3);
/// let raw = StdRaw::reader(Cursor::new(b"one\ntwo\n".to_vec()));
/// assert_eq!(count_lines(&mut BufferedReader::new(raw)?)?, 2);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[doc(alias = "BufferedIOBase")]
pub trait BufferedIoBase: IoBase {
    /// Python's `read(size)`: `size` bytes, fewer only at end of file (or when a non-blocking
    /// source has nothing more right now); `None` reads to end of file. Empty means end of file.
    ///
    /// The default fails: the stream does not read.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed; [`io::ErrorKind::Unsupported`] (`"read"`) when the
    /// stream does not read; [`io::ErrorKind::WouldBlock`] when a non-blocking source has no byte
    /// at all right now; the stream's own errors.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_buffered::prelude::*;
    ///
    /// let mut f = BytesIO::from(&b"ab\ncd\nef"[..]);
    /// assert_eq!(f.read_bytes(Some(4))?, "ab\nc");
    /// assert_eq!(f.read_bytes(None)?, "d\nef");
    /// assert_eq!(f.read_bytes(None)?, "");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[doc(alias = "read")]
    fn read_bytes(&mut self, size: Option<usize>) -> io::Result<Bytes> {
        let _ = size;
        not_readable(self, "read")
    }

    /// Python's `read1(size)`: at most `size` bytes with at most one call to the layer below
    /// (`None`: as many as that call gives). Streams held in memory return what
    /// [`read_bytes`](BufferedIoBase::read_bytes) would. Empty means end of file, or that a
    /// non-blocking source has nothing right now.
    ///
    /// The default fails: the stream does not read.
    ///
    /// # Errors
    ///
    /// As [`read_bytes`](BufferedIoBase::read_bytes), with `"read1"`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Cursor;
    /// use strata_buffered::BufferedReader;
    /// use strata_buffered::prelude::*;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedReader::new(StdRaw::reader(Cursor::new(b"ab\ncd\nef".to_vec())))?;
    /// assert_eq!(f.read1(Some(1))?, "a"); // one raw read fills the buffer
    /// assert_eq!(f.read1(None)?, "b\ncd\nef"); // served from the buffer
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn read1(&mut self, size: Option<usize>) -> io::Result<Bytes> {
        let _ = size;
        not_readable(self, "read1")
    }

    /// Python's `readinto(b)`: fills `buf` as [`read_bytes`](BufferedIoBase::read_bytes) would
    /// and returns the count; fewer only at end of file.
    ///
    /// # Errors
    ///
    /// As [`read_bytes`](BufferedIoBase::read_bytes).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_buffered::prelude::*;
    ///
    /// let mut f = BytesIO::from(&b"abc"[..]);
    /// let mut buf = [0; 2];
    /// assert_eq!(f.readinto(&mut buf)?, 2);
    /// assert_eq!(&buf, b"ab");
    /// assert_eq!(f.readinto(&mut buf)?, 1);
    /// assert_eq!(f.readinto(&mut buf)?, 0);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn readinto(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let data = self.read_bytes(Some(buf.len()))?;
        buf[..data.len()].copy_from_slice(&data);
        Ok(data.len())
    }

    /// Python's `readinto1(b)`: [`read1`](BufferedIoBase::read1) into `buf`.
    ///
    /// # Errors
    ///
    /// As [`read1`](BufferedIoBase::read1).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Cursor;
    /// use strata_buffered::BufferedReader;
    /// use strata_buffered::prelude::*;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedReader::with_capacity(4, StdRaw::reader(Cursor::new(b"abcdef".to_vec())))?;
    /// assert_eq!(f.read_bytes(Some(1))?, "a"); // reads "abcd" ahead
    /// let mut buf = [0; 4];
    /// assert_eq!(f.readinto1(&mut buf)?, 3); // the buffered bytes, no raw read
    /// assert_eq!(&buf[..3], b"bcd");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn readinto1(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let data = self.read1(Some(buf.len()))?;
        buf[..data.len()].copy_from_slice(&data);
        Ok(data.len())
    }

    /// Python's `readline(limit)`: the bytes up to and including the next `\n`, at most `limit`
    /// of them; `\r` never ends a line; empty at end of file.
    ///
    /// The default is `IOBase`'s: one [`read_bytes`](BufferedIoBase::read_bytes)`(Some(1))` per
    /// byte. Every stream of this workspace searches its own storage instead.
    ///
    /// # Errors
    ///
    /// As [`read_bytes`](BufferedIoBase::read_bytes); the bytes of the line read before an error are
    /// lost only with the default.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_buffered::prelude::*;
    ///
    /// let mut f = BytesIO::from(&b"ab\ncd\nef"[..]);
    /// assert_eq!(f.readline(None)?, "ab\n");
    /// assert_eq!(f.readline(Some(1))?, "c");
    /// assert_eq!(f.readline(None)?, "d\n");
    /// assert_eq!(f.readline(None)?, "ef");
    /// assert_eq!(f.readline(None)?, "");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn readline(&mut self, limit: Option<usize>) -> io::Result<Bytes> {
        let mut line = Vec::new();
        while limit.is_none_or(|limit| line.len() < limit) {
            let byte = self.read_bytes(Some(1))?;
            line.extend_from_slice(&byte);
            if byte.is_empty() || byte[..] == *b"\n" {
                break;
            }
        }
        Ok(line.into())
    }

    /// Python's `readlines(hint)`: the remaining lines, or the lines up to the one that brings
    /// their total length beyond `hint` (`None` or `Some(0)`: all of them).
    ///
    /// That is `IOBase.readlines`'s rule, which CPython's buffered wrappers follow. `BytesIO` (and
    /// the streams that behave like it) stop once the total *reaches* `hint`, as CPython's
    /// `BytesIO.readlines` does. Both rules are [`strata_raw::readlines`].
    ///
    /// # Errors
    ///
    /// The closed-file error once closed; as [`readline`](BufferedIoBase::readline).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Cursor;
    /// use strata_buffered::{BufferedReader, BytesIO};
    /// use strata_buffered::prelude::*;
    /// use strata_raw::StdRaw;
    ///
    /// let data = b"a\nbb\nccc\nd";
    /// let mut f = BufferedReader::new(StdRaw::reader(Cursor::new(data.to_vec())))?;
    /// assert_eq!(f.readlines(Some(2))?, ["a\n", "bb\n"]); // 2 is not beyond 2
    /// assert_eq!(f.readlines(None)?, ["ccc\n", "d"]);
    /// assert_eq!(BytesIO::from(&data[..]).readlines(Some(2))?, ["a\n"]); // 2 reaches 2
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn readlines(&mut self, hint: Option<usize>) -> io::Result<Vec<Bytes>> {
        ensure_open(self.closed())?;
        let beyond = hint.filter(|&h| h > 0).map(|h| h.saturating_add(1));
        readlines(beyond, || self.readline(None))
    }

    /// The remaining lines, one [`readline(None)`](BufferedIoBase::readline) each: Python's
    /// `for line in f`. It ends at end of file, or after yielding one error (a closed stream yields
    /// the closed-file error once).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_buffered::prelude::*;
    ///
    /// let mut f = BytesIO::from(&b"a\nbb\n\nd"[..]);
    /// let lines = f.iter_lines().collect::<std::io::Result<Vec<_>>>()?;
    /// assert_eq!(lines, ["a\n", "bb\n", "\n", "d"]);
    ///
    /// f.close()?;
    /// let mut lines = f.iter_lines();
    /// assert!(lines.next().is_some_and(|line| line.is_err()));
    /// assert!(lines.next().is_none());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn iter_lines(&mut self) -> Lines<'_, Self, Bytes>
    where
        Self: Sized,
    {
        Lines::new(self, |s| s.readline(None))
    }

    /// Python's `writelines(lines)`: writes every item in order with [`Write::write_all`]; the
    /// items written before an error stay written.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed, even for no items (as CPython raises `ValueError`); the
    /// first error of `write_all`.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_buffered::prelude::*;
    ///
    /// let mut f = BytesIO::new();
    /// f.writelines([&b"ab"[..], b"", b"cd"])?;
    /// f.writelines(vec![b"e".to_vec()])?;
    /// assert_eq!(f.getvalue()?, "abcde");
    /// f.close()?;
    /// assert!(f.writelines(Vec::<Vec<u8>>::new()).is_err());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn writelines<I>(&mut self, lines: I) -> io::Result<()>
    where
        Self: Write + Sized,
        I: IntoIterator,
        I::Item: AsRef<[u8]>,
    {
        ensure_open(self.closed())?;
        lines
            .into_iter()
            .try_for_each(|line| self.write_all(line.as_ref()))
    }
}

/// The error of a reading method on a stream that does not read (Python: `UnsupportedOperation`).
fn not_readable<S: IoBase + ?Sized, T>(stream: &S, method: &'static str) -> io::Result<T> {
    ensure_open(stream.closed())?;
    Err(unsupported(method))
}
