//! `IoBase`, the capability surface every Strata stream shares, and `RawIoBase`, Python's
//! `RawIOBase` reading methods on top of [`std::io::Read`].
//!
//! A *raw stream* in Strata is a type that implements [`IoBase`] and whichever of [`Read`], [`Write`]
//! and [`std::io::Seek`] fit it, with `RawIOBase` semantics: `Read::read` is Python's `readinto`
//! (one system call at most, may be short), `Ok(0)` is end of file, [`io::ErrorKind::WouldBlock`] is
//! "no data right now", and `Write::write` may be short. Python's `flush` is [`Write::flush`].

use std::io::{self, Read, Write};

use crate::error::{Error, ensure_open, unsupported};

/// Python's `IOBase`: the capabilities and the close protocol of a stream.
///
/// Every stream in every Strata layer implements it. Only [`closed`](IoBase::closed) and
/// [`close`](IoBase::close) are required; the rest default to what `IOBase` does in CPython: a closed
/// stream fails every query with the closed-file error, an open one reports no capability, and
/// `fileno` and `truncate` are unsupported.
///
/// Python's `flush` is [`std::io::Write::flush`], its `seek` is [`std::io::Seek::seek`] and its
/// `read`/`readinto`/`write` are the std traits; `tell` is an inherent method of each stream, since its
/// unit differs between layers (bytes, code points, opaque text cookies).
///
/// # Examples
///
/// ```
/// use std::io;
/// use strata_raw::IoBase;
///
/// /// A stream that yields nothing and can only be closed.
/// struct Null { closed: bool }
///
/// impl IoBase for Null {
///     fn closed(&self) -> bool { self.closed }
///     fn close(&mut self) -> io::Result<()> { self.closed = true; Ok(()) }
/// }
///
/// let mut null = Null { closed: false };
/// assert_eq!(null.readable()?, false);
/// null.close()?;
/// null.close()?; // closing twice is fine
/// assert_eq!(null.readable().unwrap_err().to_string(), "I/O operation on closed file.");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait IoBase {
    /// Whether the stream is closed (Python's `closed` attribute).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Cursor;
    /// use strata_raw::{IoBase, StdRaw};
    ///
    /// let mut raw = StdRaw::random(Cursor::new(Vec::<u8>::new()));
    /// assert!(!raw.closed());
    /// raw.close()?;
    /// assert!(raw.closed());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn closed(&self) -> bool;

    /// Flushes what the stream holds and closes it; every later operation but `close` and `closed`
    /// fails with the closed-file error. Closing a closed stream does nothing.
    ///
    /// # Errors
    ///
    /// The error of the final flush; the stream is closed all the same.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_raw::prelude::*;
    /// use strata_raw::{Error, StdRaw};
    ///
    /// let mut raw = StdRaw::writer(Vec::new());
    /// raw.write_all(b"abc")?;
    /// raw.close()?;
    /// raw.close()?; // closing a closed stream does nothing
    /// let err = raw.write(b"x").unwrap_err();
    /// assert!(matches!(Error::of(&err), Some(Error::Closed { op: None })));
    /// assert_eq!(raw.flush().unwrap_err().to_string(), "I/O operation on closed file.");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn close(&mut self) -> io::Result<()>;

    /// Whether the stream can be read.
    ///
    /// # Errors
    ///
    /// The closed-file error once the stream is closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_raw::{IoBase, StdRaw};
    ///
    /// let mut raw = StdRaw::reader(&b"abc"[..]);
    /// assert!(raw.readable()?);
    /// assert!(!StdRaw::writer(Vec::<u8>::new()).readable()?);
    /// raw.close()?;
    /// assert_eq!(raw.readable().unwrap_err().to_string(), "I/O operation on closed file.");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn readable(&self) -> io::Result<bool> {
        ensure_open(self.closed()).map(|()| false)
    }

    /// Whether the stream can be written.
    ///
    /// # Errors
    ///
    /// The closed-file error once the stream is closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_raw::{IoBase, StdRaw};
    ///
    /// let mut raw = StdRaw::writer(Vec::<u8>::new());
    /// assert!(raw.writable()?);
    /// assert!(!StdRaw::reader(&b""[..]).writable()?);
    /// raw.close()?;
    /// assert!(raw.writable().is_err());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn writable(&self) -> io::Result<bool> {
        ensure_open(self.closed()).map(|()| false)
    }

    /// Whether the stream supports `seek`, `tell` and `truncate`.
    ///
    /// # Errors
    ///
    /// The closed-file error once the stream is closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Cursor;
    /// use strata_raw::{IoBase, StdRaw};
    ///
    /// let mut raw = StdRaw::random(Cursor::new(Vec::<u8>::new()));
    /// assert!(raw.seekable()?);
    /// assert!(!StdRaw::reader(&b""[..]).seekable()?);
    /// raw.close()?;
    /// assert!(raw.seekable().is_err());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn seekable(&self) -> io::Result<bool> {
        ensure_open(self.closed()).map(|()| false)
    }

    /// The operating-system file descriptor behind the stream.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed; [`io::ErrorKind::Unsupported`] for streams without one
    /// (every in-memory stream).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use strata_raw::{IoBase, StdRaw};
    ///
    /// let raw = StdRaw::reader(&b""[..]);
    /// let err = raw.fileno().unwrap_err(); // Python: io.UnsupportedOperation: fileno
    /// assert_eq!(err.kind(), ErrorKind::Unsupported);
    /// assert_eq!(err.to_string(), "fileno");
    ///
    /// #[cfg(unix)]
    /// {
    ///     let f = strata_raw::FileIo::open("/dev/null", "rb")?;
    ///     assert!(f.fileno()? >= 0);
    /// }
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn fileno(&self) -> io::Result<i32> {
        ensure_open(self.closed())?;
        Err(unsupported("fileno"))
    }

    /// Whether the stream is an interactive terminal.
    ///
    /// # Errors
    ///
    /// The closed-file error once the stream is closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_raw::{IoBase, StdRaw};
    ///
    /// let mut raw = StdRaw::reader(&b""[..]);
    /// assert!(!raw.isatty()?);
    /// raw.close()?;
    /// assert!(raw.isatty().is_err());
    ///
    /// #[cfg(unix)]
    /// assert!(!strata_raw::FileIo::open("/dev/null", "rb")?.isatty()?);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn isatty(&self) -> io::Result<bool> {
        ensure_open(self.closed()).map(|()| false)
    }

    /// Resizes the stream to `size` (the current position when `None`) and returns the new size.
    /// The position does not move; in-memory streams never grow this way.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed; [`io::ErrorKind::Unsupported`] when the stream cannot be
    /// resized.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Cursor, ErrorKind, Write};
    /// use strata_raw::prelude::*;
    /// use strata_raw::{FileIo, StdRaw};
    ///
    /// let mut raw = StdRaw::random(Cursor::new(Vec::<u8>::new()));
    /// assert_eq!(raw.truncate(Some(0)).unwrap_err().kind(), ErrorKind::Unsupported);
    ///
    /// let dir = std::env::temp_dir().join(format!("strata-doc-truncate-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let path = dir.join("cut.bin");
    /// let mut f = FileIo::open(&path, "w+b")?;
    /// f.write_all(b"abcdef")?;
    /// assert_eq!(f.truncate(Some(3))?, 3);
    /// assert_eq!(f.tell()?, 6); // the position does not move
    /// assert_eq!(f.truncate(None)?, 6); // a file grows, zero-filled
    /// assert_eq!(std::fs::read(&path)?, b"abc\0\0\0");
    /// std::fs::remove_dir_all(&dir)?;
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        let _ = size;
        ensure_open(self.closed())?;
        Err(unsupported("truncate"))
    }
}

/// A mutable reference is the stream it points to.
impl<T: IoBase + ?Sized> IoBase for &mut T {
    fn closed(&self) -> bool {
        (**self).closed()
    }
    fn close(&mut self) -> io::Result<()> {
        (**self).close()
    }
    fn readable(&self) -> io::Result<bool> {
        (**self).readable()
    }
    fn writable(&self) -> io::Result<bool> {
        (**self).writable()
    }
    fn seekable(&self) -> io::Result<bool> {
        (**self).seekable()
    }
    fn fileno(&self) -> io::Result<i32> {
        (**self).fileno()
    }
    fn isatty(&self) -> io::Result<bool> {
        (**self).isatty()
    }
    fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        (**self).truncate(size)
    }
}

/// A box is the stream it holds.
impl<T: IoBase + ?Sized> IoBase for Box<T> {
    fn closed(&self) -> bool {
        (**self).closed()
    }
    fn close(&mut self) -> io::Result<()> {
        (**self).close()
    }
    fn readable(&self) -> io::Result<bool> {
        (**self).readable()
    }
    fn writable(&self) -> io::Result<bool> {
        (**self).writable()
    }
    fn seekable(&self) -> io::Result<bool> {
        (**self).seekable()
    }
    fn fileno(&self) -> io::Result<i32> {
        (**self).fileno()
    }
    fn isatty(&self) -> io::Result<bool> {
        (**self).isatty()
    }
    fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        (**self).truncate(size)
    }
}

/// Python's `RawIOBase`: an unbuffered stream, whose reads and writes make one call each.
///
/// | Python | Strata |
/// | --- | --- |
/// | `readinto(b)` | [`readinto`](RawIoBase::readinto) (also [`Read::read`]) |
/// | `write(b)` | [`Write::write`] (may be short) |
/// | `read(n)` / `read()` | [`read_bytes`](RawIoBase::read_bytes) |
/// | `readall()` | [`readall`](RawIoBase::readall) |
///
/// A raw stream implements [`Read`] with one system call per `read` (short counts are normal,
/// `Ok(0)` is end of file, [`io::ErrorKind::WouldBlock`] is "no data right now"); the trait derives
/// Python's reading methods from it once. Python's `write` is std's [`Write::write`], which may also be
/// short, so the trait does not repeat it. [`FileIo`](crate::FileIo) and [`StdRaw`](crate::StdRaw)
/// implement it; a new raw stream writes `impl RawIoBase for MyStream {}` after its `Read` and
/// [`IoBase`].
///
/// # Examples
///
/// ```
/// use strata_raw::StdRaw;
/// use strata_raw::prelude::*;
///
/// let mut raw = StdRaw::reader(&b"hello world"[..]);
/// assert_eq!(raw.read_bytes(Some(5))?, b"hello");
/// assert_eq!(raw.readall()?, b" world");
/// assert_eq!(raw.read_bytes(None)?, b"");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[doc(alias = "RawIOBase")]
pub trait RawIoBase: IoBase + Read {
    /// Python's `readinto(b)`: one call to [`Read::read`] (retrying
    /// [`io::ErrorKind::Interrupted`]), checked against the length of `buf`; 0 is end of file.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidLength`] when the stream reports more bytes than `buf` holds;
    /// [`io::ErrorKind::WouldBlock`] when no data is available right now, or the stream's own error.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Read;
    /// use strata_raw::StdRaw;
    /// use strata_raw::prelude::*;
    ///
    /// let mut raw = StdRaw::reader((&b"ab"[..]).chain(&b"cd"[..]));
    /// let mut buf = [0; 4];
    /// assert_eq!(raw.readinto(&mut buf)?, 2); // one call: a short read
    /// assert_eq!(&buf[..2], b"ab");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn readinto(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = loop {
            match self.read(buf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other?,
            }
        };
        checked_len(n, buf.len())
    }

    /// Reads up to `size` bytes with one call, or everything to end of file when `size` is `None`.
    ///
    /// An empty result means end of file.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidLength`] when the stream reports more bytes than it was given;
    /// [`io::ErrorKind::OutOfMemory`] when `size` bytes cannot be allocated;
    /// [`io::ErrorKind::WouldBlock`] when no data is available right now (and, for `None`, none arrived
    /// before the stream would block), or the stream's own error.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{self, Read};
    /// use strata_raw::prelude::*;
    /// use strata_raw::{Error, StdRaw};
    ///
    /// let mut raw = StdRaw::reader((&b"ab"[..]).chain(&b"cd"[..]));
    /// assert_eq!(raw.read_bytes(Some(4))?, b"ab"); // one call: a short read
    /// assert_eq!(raw.read_bytes(Some(4))?, b"cd");
    /// assert_eq!(raw.read_bytes(Some(4))?, b""); // end of file
    ///
    /// let mut raw = StdRaw::reader(&b"all of it"[..]);
    /// assert_eq!(raw.read_bytes(None)?, b"all of it");
    ///
    /// /// A broken stream that claims one byte more than it was given.
    /// struct Liar;
    /// impl Read for Liar {
    ///     fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
    ///         Ok(buf.len() + 1)
    ///     }
    /// }
    /// let err = StdRaw::reader(Liar).read_bytes(Some(2)).unwrap_err();
    /// assert!(matches!(Error::of(&err), Some(Error::InvalidLength { .. })));
    /// assert_eq!(
    ///     err.to_string(),
    ///     "raw readinto() returned invalid length 3 (should have been between 0 and 2)"
    /// );
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[doc(alias = "read")]
    fn read_bytes(&mut self, size: Option<usize>) -> io::Result<Vec<u8>> {
        let Some(size) = size else {
            return self.readall();
        };
        let mut buf = Vec::new();
        buf.try_reserve_exact(size).map_err(|_| {
            io::Error::new(
                io::ErrorKind::OutOfMemory,
                format!("cannot allocate a read buffer of {size} bytes"),
            )
        })?;
        buf.resize(size, 0);
        let n = self.readinto(&mut buf)?;
        buf.truncate(n);
        Ok(buf)
    }

    /// Reads until end of file; if the stream would block after some data, returns that data.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::WouldBlock`] when the stream would block before any data arrived, or the
    /// stream's own error.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{self, Read};
    /// use strata_raw::StdRaw;
    /// use strata_raw::prelude::*;
    ///
    /// let mut raw = StdRaw::reader((&b"ab"[..]).chain(&b"cd"[..]));
    /// assert_eq!(raw.readall()?, b"abcd"); // through short reads, to end of file
    /// assert_eq!(raw.readall()?, b"");
    ///
    /// /// A non-blocking stream: its chunks one read at a time, then no data right now.
    /// struct Trickle(Vec<&'static [u8]>);
    /// impl Read for Trickle {
    ///     fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
    ///         if self.0.is_empty() {
    ///             return Err(io::ErrorKind::WouldBlock.into());
    ///         }
    ///         let chunk = self.0.remove(0);
    ///         buf[..chunk.len()].copy_from_slice(chunk);
    ///         Ok(chunk.len())
    ///     }
    /// }
    /// let mut raw = StdRaw::reader(Trickle(vec![&b"ab"[..], &b"cd"[..]]));
    /// assert_eq!(raw.readall()?, b"abcd"); // what arrived before it would block
    /// // Nothing arrived: Python's readall() returns None.
    /// assert_eq!(raw.readall().unwrap_err().kind(), io::ErrorKind::WouldBlock);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn readall(&mut self) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut chunk = [0u8; 8192];
        loop {
            match self.read(&mut chunk) {
                Ok(0) => return Ok(out),
                Ok(n) => out.extend_from_slice(&chunk[..checked_len(n, chunk.len())?]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock && !out.is_empty() => {
                    return Ok(out);
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// Checks a count returned by a wrapped stream's `read` against the buffer it was given.
///
/// # Examples
///
/// ```
/// assert_eq!(strata_raw::checked_len(3, 8)?, 3);
/// assert_eq!(
///     strata_raw::checked_len(40960, 8192).unwrap_err().to_string(),
///     "raw readinto() returned invalid length 40960 (should have been between 0 and 8192)"
/// );
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`Error::InvalidLength`] when `returned > max`.
pub fn checked_len(returned: usize, max: usize) -> io::Result<usize> {
    if returned <= max {
        Ok(returned)
    } else {
        Err(Error::InvalidLength {
            call: "readinto()",
            returned,
            max,
        }
        .into())
    }
}

/// [`Write::write_all`] with Python's `BlockingIOError` count: when `writer` would block part-way,
/// the error is [`Error::WouldBlock`] whose `characters_written` is how many bytes of `buf` it took
/// before (std's `write_all` would report a would-block and lose that count).
///
/// `Interrupted` is retried; a write that accepts nothing is [`io::ErrorKind::WriteZero`]; a count
/// larger than what was offered is [`Error::InvalidLength`] (`"raw write() returned invalid length"`).
///
/// # Errors
///
/// As above, or the writer's own error.
///
/// # Examples
///
/// ```
/// use std::io::{self, Write};
/// use strata_raw::Error;
///
/// /// Takes at most 3 bytes, then would block.
/// struct Small(Vec<u8>);
/// impl Write for Small {
///     fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
///         let room = 3 - self.0.len();
///         if room == 0 {
///             return Err(io::ErrorKind::WouldBlock.into());
///         }
///         let n = room.min(buf.len());
///         self.0.extend_from_slice(&buf[..n]);
///         Ok(n)
///     }
///     fn flush(&mut self) -> io::Result<()> {
///         Ok(())
///     }
/// }
///
/// let mut sink = Small(Vec::new());
/// let err = strata_raw::write_all_counted(&mut sink, b"abcdef").unwrap_err();
/// assert_eq!(Error::characters_written(&err), Some(3));
/// assert_eq!(sink.0, b"abc");
/// ```
pub fn write_all_counted<W: Write + ?Sized>(writer: &mut W, buf: &[u8]) -> io::Result<()> {
    let mut written = 0;
    while written < buf.len() {
        let offered = buf.len() - written;
        match writer.write(&buf[written..]) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) if n <= offered => written += n,
            Ok(n) => {
                return Err(Error::InvalidLength {
                    call: "write()",
                    returned: n,
                    max: offered,
                }
                .into());
            }
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => {
                let also = Error::characters_written(&err).unwrap_or(0);
                return Err(Error::WouldBlock {
                    characters_written: written + also,
                }
                .into());
            }
            Err(err) => return Err(err),
        }
    }
    Ok(())
}
