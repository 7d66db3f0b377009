//! Bridges between `std::io` and Strata's raw layer.
//!
//! One direction needs no code: a Strata raw stream *is* a `std::io` stream, since it implements
//! [`Read`], [`Write`] and [`Seek`] directly. The other direction is [`StdRaw`]: any `std::io` value
//! (a `File`, a `TcpStream`, a `Cursor`, a slice) wrapped with the capabilities it should report and
//! Python's close semantics, so the buffered and text layers can stack on it.

use std::io::{self, IoSlice, IoSliceMut, Read, Seek, SeekFrom, Write};

use crate::error::{ensure_open, unsupported};
use crate::iobase::{IoBase, RawIoBase};

/// The capabilities a [`StdRaw`] reports through [`IoBase`] and enforces on every call.
///
/// # Examples
///
/// ```
/// use strata_raw::Caps;
///
/// let caps = Caps::READ | Caps::SEEK;
/// assert!(caps.contains(Caps::READ));
/// assert!(!caps.contains(Caps::WRITE));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Caps(u8);

impl Caps {
    /// No capability.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_raw::Caps;
    ///
    /// assert_eq!(Caps::default(), Caps::NONE);
    /// assert!(Caps::READ.contains(Caps::NONE)); // every set contains the empty one
    /// assert!(!Caps::NONE.contains(Caps::READ));
    /// ```
    pub const NONE: Caps = Caps(0);
    /// `Read` is allowed.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_raw::Caps;
    ///
    /// assert!(Caps::ALL.contains(Caps::READ));
    /// assert!(!Caps::READ.contains(Caps::WRITE));
    /// ```
    pub const READ: Caps = Caps(1);
    /// `Write` is allowed.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_raw::Caps;
    ///
    /// assert!(Caps::ALL.contains(Caps::WRITE));
    /// assert!(!Caps::WRITE.contains(Caps::READ));
    /// ```
    pub const WRITE: Caps = Caps(2);
    /// `Seek` is allowed.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_raw::Caps;
    ///
    /// assert!(Caps::ALL.contains(Caps::SEEK));
    /// assert!(!(Caps::READ | Caps::WRITE).contains(Caps::SEEK));
    /// ```
    pub const SEEK: Caps = Caps(4);
    /// Read, write and seek.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_raw::Caps;
    ///
    /// assert_eq!(Caps::ALL, Caps::READ | Caps::WRITE | Caps::SEEK);
    /// ```
    pub const ALL: Caps = Caps(7);

    /// Whether every capability in `other` is in `self`.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_raw::Caps;
    ///
    /// let caps = Caps::READ | Caps::SEEK;
    /// assert!(caps.contains(Caps::READ | Caps::SEEK));
    /// assert!(!caps.contains(Caps::READ | Caps::WRITE)); // all of them, not any
    /// const READS: bool = Caps::ALL.contains(Caps::READ); // usable in const context
    /// assert!(READS);
    /// ```
    pub const fn contains(self, other: Caps) -> bool {
        self.0 & other.0 == other.0
    }
}

impl std::ops::BitOr for Caps {
    type Output = Caps;
    fn bitor(self, rhs: Caps) -> Caps {
        Caps(self.0 | rhs.0)
    }
}

/// Any `std::io` stream as a Strata raw stream.
///
/// It reports the [`Caps`] it was built with, refuses the operations outside them with Python's
/// `UnsupportedOperation` messages, and fails everything after [`close`](IoBase::close) with the
/// closed-file error. Reads and writes go straight to the inner stream: one call each, short counts and
/// [`io::ErrorKind::WouldBlock`] passed through unchanged.
///
/// # Examples
///
/// ```
/// use std::io::{Cursor, Read};
/// use strata_raw::prelude::*;
/// use strata_raw::StdRaw;
///
/// let mut raw = StdRaw::reader(Cursor::new(b"abc".to_vec()));
/// assert!(raw.readable()?);
/// assert!(!raw.writable()?);
/// let mut buf = [0; 2];
/// assert_eq!(raw.read(&mut buf)?, 2);
/// raw.close()?;
/// assert!(raw.read(&mut buf).is_err());
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct StdRaw<T> {
    inner: T,
    caps: Caps,
    closed: bool,
}

impl<T> StdRaw<T> {
    /// Wraps `inner`, reporting exactly `caps`.
    ///
    /// The caller vouches that `inner` implements the traits `caps` names; an operation outside `caps`
    /// fails with [`io::ErrorKind::Unsupported`] even when `inner` could do it.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Cursor, Seek, SeekFrom, Write};
    /// use strata_raw::prelude::*;
    /// use strata_raw::{Caps, StdRaw};
    ///
    /// // A Cursor can seek, but this stream does not report or allow it.
    /// let mut raw = StdRaw::new(Cursor::new(Vec::new()), Caps::READ | Caps::WRITE);
    /// assert!(raw.readable()? && raw.writable()? && !raw.seekable()?);
    /// raw.write_all(b"abc")?;
    /// let err = raw.seek(SeekFrom::Start(0)).unwrap_err();
    /// assert_eq!(err.kind(), std::io::ErrorKind::Unsupported);
    /// assert_eq!(err.to_string(), "seek");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(inner: T, caps: Caps) -> Self {
        StdRaw {
            inner,
            caps,
            closed: false,
        }
    }

    /// A read-only raw stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Cursor, Write};
    /// use strata_raw::prelude::*;
    /// use strata_raw::{Caps, StdRaw};
    ///
    /// // A Cursor could write, but this stream refuses to.
    /// let mut raw = StdRaw::reader(Cursor::new(b"abc".to_vec()));
    /// assert_eq!(raw.caps(), Caps::READ);
    /// assert_eq!(raw.read_bytes(Some(2))?, b"ab");
    /// // Python: io.UnsupportedOperation
    /// assert_eq!(raw.write(b"x").unwrap_err().to_string(), "File or stream is not writable.");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reader(inner: T) -> Self {
        Self::new(inner, Caps::READ)
    }

    /// A write-only raw stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Cursor, Write};
    /// use strata_raw::prelude::*;
    /// use strata_raw::{Caps, StdRaw};
    ///
    /// let mut raw = StdRaw::writer(Cursor::new(Vec::new()));
    /// assert_eq!(raw.caps(), Caps::WRITE);
    /// raw.write_all(b"abc")?;
    /// assert_eq!(raw.get_ref().get_ref(), b"abc");
    /// assert_eq!(raw.read_bytes(Some(1)).unwrap_err().to_string(), "File or stream is not readable.");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn writer(inner: T) -> Self {
        Self::new(inner, Caps::WRITE)
    }

    /// A raw stream that reads, writes and seeks.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Cursor, Seek, SeekFrom, Write};
    /// use strata_raw::prelude::*;
    /// use strata_raw::{Caps, StdRaw};
    ///
    /// let mut raw = StdRaw::random(Cursor::new(Vec::new()));
    /// assert_eq!(raw.caps(), Caps::ALL);
    /// raw.write_all(b"hello")?;
    /// raw.seek(SeekFrom::Start(1))?;
    /// assert_eq!(raw.readall()?, b"ello");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn random(inner: T) -> Self {
        Self::new(inner, Caps::ALL)
    }

    /// The capabilities this stream reports.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_raw::{Caps, StdRaw};
    ///
    /// let raw = StdRaw::new(&b""[..], Caps::READ | Caps::SEEK);
    /// assert!(raw.caps().contains(Caps::SEEK));
    /// assert!(!raw.caps().contains(Caps::WRITE));
    /// ```
    pub fn caps(&self) -> Caps {
        self.caps
    }

    /// The wrapped stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Cursor, Read};
    /// use strata_raw::StdRaw;
    ///
    /// let mut raw = StdRaw::reader(Cursor::new(b"abc".to_vec()));
    /// raw.read(&mut [0; 2])?;
    /// assert_eq!(raw.get_ref().position(), 2);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_ref(&self) -> &T {
        &self.inner
    }

    /// The wrapped stream, mutably. Writing through it bypasses the capability checks.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_raw::StdRaw;
    ///
    /// let mut raw = StdRaw::reader(Vec::new());
    /// assert!(raw.write(b"refused").is_err());
    /// raw.get_mut().extend_from_slice(b"allowed"); // no capability check here
    /// assert_eq!(raw.get_ref(), b"allowed");
    /// ```
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.inner
    }

    /// Unwraps the stream, open or closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_raw::prelude::*;
    /// use strata_raw::StdRaw;
    ///
    /// let mut raw = StdRaw::writer(Vec::new());
    /// raw.write_all(b"kept")?;
    /// raw.close()?;
    /// assert_eq!(raw.into_inner(), b"kept"); // closing dropped nothing
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_inner(self) -> T {
        self.inner
    }

    fn check(&self, cap: Caps, refusal: &'static str) -> io::Result<()> {
        ensure_open(self.closed)?;
        if self.caps.contains(cap) {
            Ok(())
        } else {
            Err(unsupported(refusal))
        }
    }
}

impl<T> IoBase for StdRaw<T> {
    fn closed(&self) -> bool {
        self.closed
    }

    /// Marks the stream closed. The inner stream is dropped only with the `StdRaw`.
    fn close(&mut self) -> io::Result<()> {
        self.closed = true;
        Ok(())
    }

    fn readable(&self) -> io::Result<bool> {
        ensure_open(self.closed).map(|()| self.caps.contains(Caps::READ))
    }

    fn writable(&self) -> io::Result<bool> {
        ensure_open(self.closed).map(|()| self.caps.contains(Caps::WRITE))
    }

    fn seekable(&self) -> io::Result<bool> {
        ensure_open(self.closed).map(|()| self.caps.contains(Caps::SEEK))
    }
}

/// Python's `read`, `readinto` and `readall` over the inner stream's [`Read`].
impl<T: Read> RawIoBase for StdRaw<T> {}

impl<T: Read> Read for StdRaw<T> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.check(Caps::READ, "File or stream is not readable.")?;
        self.inner.read(buf)
    }

    fn read_vectored(&mut self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
        self.check(Caps::READ, "File or stream is not readable.")?;
        self.inner.read_vectored(bufs)
    }
}

impl<T: Write> Write for StdRaw<T> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.check(Caps::WRITE, "File or stream is not writable.")?;
        self.inner.write(buf)
    }

    fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        self.check(Caps::WRITE, "File or stream is not writable.")?;
        self.inner.write_vectored(bufs)
    }

    fn flush(&mut self) -> io::Result<()> {
        ensure_open(self.closed)?;
        self.inner.flush()
    }
}

impl<T: Seek> Seek for StdRaw<T> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.check(Caps::SEEK, "seek")?;
        self.inner.seek(pos)
    }
}
