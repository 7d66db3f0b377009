//! `BufferedRandom`: Python's `io.BufferedRandom`, one buffer for reads and writes on a seekable
//! raw stream.

use std::io::{self, Read, Seek, SeekFrom, Write};

use strata_raw::IoBase;

use super::core::Core;
use super::raw::Random;
use super::{
    DEFAULT_BUFFER_SIZE, NOT_READABLE, NOT_SEEKABLE, NOT_WRITABLE, iobase, read_side, require,
    shell, split, write_side,
};

/// Python's `io.BufferedRandom`: buffered reads and writes at one logical position of a seekable
/// raw stream.
///
/// Reads and writes share one buffer that mirrors the raw stream: a write after read-ahead lands at
/// the logical position (not where the raw stream stands), reads see bytes written before they reach
/// the raw stream, and pending writes are passed down before any read that needs the raw stream.
/// [`truncate`](IoBase::truncate) with `None` cuts at the logical position. Everything else is as
/// for [`BufferedReader`](crate::BufferedReader) and [`BufferedWriter`](crate::BufferedWriter),
/// including the best-effort flush on drop (call [`flush`](Write::flush),
/// [`into_inner`](Self::into_inner) or [`close`](IoBase::close) to see errors; the bounds sit on
/// the struct because `Drop` needs them).
///
/// # Examples
///
/// ```
/// use std::io::Cursor;
/// use strata_buffered::BufferedRandom;
/// use strata_buffered::prelude::*;
/// use strata_raw::StdRaw;
///
/// let mut f = BufferedRandom::with_capacity(4, StdRaw::random(Cursor::new(b"AAAAAAAAAA".to_vec())))?;
/// assert_eq!(f.read_bytes(Some(1))?, "A"); // reads ahead 4 bytes
/// f.write_all(b"B")?; // lands at position 1
/// f.flush()?;
/// assert_eq!(f.tell()?, 2);
/// assert_eq!(f.into_inner()?.into_inner().into_inner(), b"ABAAAAAAAA");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct BufferedRandom<S: Read + Write + Seek + IoBase> {
    core: Core,
    raw: Option<S>,
}

impl<S: Read + Write + Seek + IoBase> BufferedRandom<S> {
    /// A random-access stream with a buffer of [`DEFAULT_BUFFER_SIZE`] bytes.
    ///
    /// # Errors
    ///
    /// As [`with_capacity`](Self::with_capacity).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Cursor;
    /// use strata_buffered::BufferedRandom;
    /// use strata_raw::StdRaw;
    ///
    /// let f = BufferedRandom::new(StdRaw::random(Cursor::new(Vec::new())))?;
    /// assert_eq!(f.capacity(), 8192);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(raw: S) -> io::Result<Self> {
        Self::with_capacity(DEFAULT_BUFFER_SIZE, raw)
    }

    /// A random-access stream with a buffer of `capacity` bytes.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::Unsupported`] `"File or stream is not seekable."` (then `readable`,
    /// `writable`) when the raw stream lacks a capability; [`strata_raw::Error::InvalidArgument`]
    /// `"buffer size must be strictly positive"` for 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Cursor;
    /// use strata_buffered::BufferedRandom;
    /// use strata_raw::{Caps, StdRaw};
    ///
    /// let raw = StdRaw::new(Cursor::new(Vec::new()), Caps::READ | Caps::WRITE);
    /// let err = BufferedRandom::new(raw).unwrap_err();
    /// assert_eq!(err.to_string(), "File or stream is not seekable.");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_capacity(capacity: usize, raw: S) -> io::Result<Self> {
        require(raw.seekable(), NOT_SEEKABLE)?;
        require(raw.readable(), NOT_READABLE)?;
        require(raw.writable(), NOT_WRITABLE)?;
        Ok(BufferedRandom {
            core: Core::new(capacity, true, true)?,
            raw: Some(raw),
        })
    }

    fn parts(&mut self) -> io::Result<(&mut Core, Random<'_, S>)> {
        split(&mut self.core, &mut self.raw, Random)
    }

    /// The bytes a read would return without a raw call (read-ahead, including bytes written over
    /// it and not yet passed down).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Cursor, Seek, SeekFrom, Write};
    /// use strata_buffered::BufferedRandom;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedRandom::with_capacity(4, StdRaw::random(Cursor::new(b"abcdefgh".to_vec())))?;
    /// assert_eq!(f.read_bytes(Some(1))?, "a");
    /// assert_eq!(f.buffer(), b"bcd");
    /// f.write_all(b"X")?; // over the read-ahead
    /// f.seek(SeekFrom::Start(1))?;
    /// assert_eq!(f.buffer(), b"Xcd"); // a read would see the write
    /// assert_eq!(f.read_bytes(Some(3))?, "Xcd");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn buffer(&self) -> &[u8] {
        self.core.unread()
    }

    /// The bytes written and not passed down yet.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Cursor, Write};
    /// use strata_buffered::BufferedRandom;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedRandom::new(StdRaw::random(Cursor::new(Vec::new())))?;
    /// f.write_all(b"ab")?;
    /// assert_eq!(f.pending(), b"ab");
    /// f.flush()?;
    /// assert_eq!(f.pending(), b"");
    /// assert_eq!(f.get_ref().expect("attached").get_ref().get_ref(), b"ab");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pending(&self) -> &[u8] {
        self.core.pending()
    }

    /// Python's `tell()`: the logical position (raw position minus read-ahead, plus pending bytes).
    ///
    /// # Errors
    ///
    /// The raw stream's errors.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Cursor, Write};
    /// use strata_buffered::BufferedRandom;
    /// use strata_raw::StdRaw;
    ///
    /// let mut f = BufferedRandom::with_capacity(4, StdRaw::random(Cursor::new(b"0123456789".to_vec())))?;
    /// f.read_bytes(Some(1))?;
    /// assert_eq!(f.tell()?, 1); // the raw stream stands at 4
    /// f.write_all(b"ab")?;
    /// assert_eq!(f.tell()?, 3);
    /// assert_eq!(f.get_ref().expect("attached").get_ref().position(), 4);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tell(&mut self) -> io::Result<u64> {
        let (core, mut raw) = self.parts()?;
        core.tell(&mut raw)
    }
}

/// Python's `seek`: inside the read-ahead without a raw call when it can; otherwise flushes and
/// seeks the raw stream.
impl<S: Read + Write + Seek + IoBase> Seek for BufferedRandom<S> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let (core, mut raw) = self.parts()?;
        core.seek(&mut raw, pos)
    }
}

shell!(
    impl[S: Read + Write + Seek + IoBase] BufferedRandom<S>,
    S,
    "BufferedRandom",
    "BufferedRandom::new(StdRaw::random(Cursor::new(Vec::new())))?"
);
iobase!(impl[S: Read + Write + Seek + IoBase] BufferedRandom<S>, S: readable, writable, seekable);
write_side!(
    impl[S: Read + Write + Seek + IoBase] BufferedRandom<S>,
    S,
    "BufferedRandom",
    "BufferedRandom::new(StdRaw::random(Cursor::new(Vec::new())))?",
    "raw.get_ref().get_ref()"
);
read_side!(
    impl[S: Read + Write + Seek + IoBase] BufferedRandom<S>,
    "BufferedRandom",
    "BufferedRandom::new(StdRaw::random(Cursor::new(b\"ab\\ncd\\nef\".to_vec())))?"
);
