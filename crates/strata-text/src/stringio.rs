//! `StringIO`: an in-memory text stream whose positions count code points, as Python's do.
//!
//! The text lives in one `String`. Positions are code-point indices, so each operation maps a
//! code-point index to a byte index. While the text is all ASCII (tracked on every write) that mapping
//! is the identity and every operation costs O(1) plus the bytes it copies. Once a non-ASCII character
//! is stored, the mapping walks the text from a cached `(code point, byte)` pair, the one the last
//! operation ended at: sequential reads and writes stay O(size of the operation), a seek costs
//! O(distance from the cached point). A `Vec<char>` would make seeks O(1) at four times the memory and
//! a copy on every `getvalue`; appending 16-character writes, the common case, is about twice as fast
//! with the `String`.

use std::fmt;
use std::io::{self, Seek, SeekFrom};

use strata_raw::{IoBase, ensure_open};

use crate::newline::{Newline, NewlineDecoder, SeenNewlines};
use crate::traits::{TextIoBase, TextWrite};

/// Python's `io.StringIO`: an in-memory text stream.
///
/// - Positions, sizes and `write`'s return value count code points (`tell` after writing two astral
///   characters is 2).
/// - The [`Newline`] mode works as Python's `newline` argument: [`Newline::Universal`] stores `\r\n` and
///   `\r` as `\n`, [`Newline::Cr`] and [`Newline::CrLf`] store every written `\n` as their separator,
///   [`Newline::Untranslated`] stores text as is and splits lines at all three endings. The default,
///   as in Python, is [`Newline::Lf`].
/// - [`Seek`] takes positions in code points; nonzero relative seeks are refused with Python's
///   `"Can't do nonzero cur-relative seeks"`. Seeking past the end is allowed; a write there pads with
///   `\0`.
/// - After [`close`](IoBase::close) every operation fails with the closed-file error.
///
/// # Examples
///
/// ```
/// use std::fmt::Write as _;
/// use strata_text::prelude::*;
/// use strata_text::StringIO;
///
/// let mut s = StringIO::new();
/// s.write("😀 smile\n")?;
/// write!(s, "{} + {} = {}\n", 1, 2, 3)?;
/// assert_eq!(s.tell()?, 18);
/// s.rewind()?;
/// assert_eq!(s.readline(None)?, "😀 smile\n");
/// assert_eq!(s.read(Some(5))?, "1 + 2");
/// assert_eq!(s.getvalue()?, "😀 smile\n1 + 2 = 3\n");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct StringIO {
    buf: String,
    /// Whether `buf` is all ASCII, so that code-point and byte indices coincide.
    ascii: bool,
    /// Length of `buf` in code points.
    len: usize,
    /// The position in code points; may lie past the end.
    pos: usize,
    /// A known `(code point, byte)` index pair of `buf`, where the last operation ended.
    cursor: (usize, usize),
    newline: Newline,
    /// Python's newline decoder, applied to every write in the universal modes (`None` and `""`).
    decoder: Option<NewlineDecoder>,
    closed: bool,
}

impl StringIO {
    /// An empty stream with Python's default newline mode, [`Newline::Lf`] (Python `StringIO()`).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::StringIO;
    ///
    /// assert_eq!(StringIO::new().getvalue()?, "");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new() -> StringIO {
        StringIO::from(String::new())
    }

    /// A stream holding `initial` as written under `newline`, positioned at 0 (Python
    /// `StringIO(initial, newline=...)`).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::{Newline, StringIO};
    ///
    /// assert_eq!(StringIO::with_newline("a\nb", Newline::CrLf).getvalue()?, "a\r\nb");
    /// assert_eq!(StringIO::with_newline("a\r\nb\rc", Newline::Universal).getvalue()?, "a\nb\nc");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_newline(initial: &str, newline: Newline) -> StringIO {
        let mut s = StringIO::new();
        s.newline = newline;
        s.decoder = newline
            .universal()
            .then(|| NewlineDecoder::new(newline == Newline::Universal));
        s.store(initial);
        s.pos = 0;
        s.cursor = (0, 0);
        s
    }

    /// The position, in code points (Python's `tell()`).
    ///
    /// # Errors
    ///
    /// The closed-file error once closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::prelude::*;
    /// use strata_text::StringIO;
    ///
    /// let mut s = StringIO::from("€uro");
    /// s.read(Some(2))?;
    /// assert_eq!(s.tell()?, 2);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tell(&self) -> io::Result<u64> {
        ensure_open(self.closed)?;
        Ok(self.pos as u64)
    }

    /// A copy of the whole text, whatever the position (Python's `getvalue()`).
    ///
    /// # Errors
    ///
    /// The closed-file error once closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::prelude::*;
    /// use strata_text::StringIO;
    ///
    /// let mut s = StringIO::from("abc");
    /// s.read(None)?;
    /// assert_eq!(s.getvalue()?, "abc");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn getvalue(&self) -> io::Result<String> {
        ensure_open(self.closed)?;
        Ok(self.buf.clone())
    }

    /// The kinds of line ending written so far under [`Newline::Universal`] and
    /// [`Newline::Untranslated`]; `None` before the first, and always under the other modes (Python's
    /// `newlines`).
    ///
    /// # Errors
    ///
    /// The closed-file error once closed, as in Python.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::prelude::*;
    /// use strata_text::{Newline, StringIO};
    ///
    /// let mut s = StringIO::with_newline("", Newline::Untranslated);
    /// s.write("a\r")?;
    /// s.write("\nb")?; // each write is decoded on its own, as in Python
    /// assert_eq!(s.newlines()?.map(|n| n.as_slice()), Some(&["\r", "\n"][..]));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn newlines(&self) -> io::Result<Option<SeenNewlines>> {
        ensure_open(self.closed)?;
        Ok(self.decoder.as_ref().and_then(NewlineDecoder::seen))
    }

    /// The text, consuming the stream (open or closed).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::prelude::*;
    /// use strata_text::StringIO;
    ///
    /// let mut s = StringIO::new();
    /// s.write("done")?;
    /// assert_eq!(s.into_string(), "done");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_string(self) -> String {
        self.buf
    }

    /// The byte index of code point `at` (at most `len`), walking from the cached cursor.
    fn byte_index(&mut self, at: usize) -> usize {
        if self.ascii {
            return at;
        }
        let (char_at, byte_at) = self.cursor;
        let byte = if at >= char_at {
            self.buf[byte_at..]
                .char_indices()
                .nth(at - char_at)
                .map_or(self.buf.len(), |(b, _)| byte_at + b)
        } else if at < char_at / 2 {
            self.buf
                .char_indices()
                .nth(at)
                .map_or(self.buf.len(), |(b, _)| b)
        } else {
            self.buf[..byte_at]
                .char_indices()
                .rev()
                .nth(char_at - at - 1)
                .map_or(0, |(b, _)| b)
        };
        self.cursor = (at, byte);
        byte
    }

    /// Pads with `\0` from the end to the position, for a write past the end; fails instead of
    /// aborting when that much memory cannot be had.
    fn pad(&mut self) -> io::Result<()> {
        if self.pos > self.len {
            let gap = self.pos - self.len;
            self.buf.try_reserve(gap).map_err(|_| {
                io::Error::new(
                    io::ErrorKind::OutOfMemory,
                    format!(
                        "cannot pad {gap} characters to write at position {}",
                        self.pos
                    ),
                )
            })?;
            self.buf.extend(std::iter::repeat_n('\0', gap));
            self.len = self.pos;
        }
        Ok(())
    }

    /// Stores already-translated `text` at the position (at most the end) and moves past it.
    fn store(&mut self, text: &str) {
        let text = match &mut self.decoder {
            Some(decoder) => {
                let mut decoded = text.to_string();
                decoder.decode_in_place(&mut decoded, 0, true);
                std::borrow::Cow::Owned(decoded)
            }
            None => self.newline.translate_write(text, "\n"),
        };
        let ascii = text.is_ascii();
        let count = if ascii {
            text.len()
        } else {
            text.chars().count()
        };
        debug_assert!(self.pos <= self.len, "pad() first");
        let start = self.byte_index(self.pos);
        if self.pos == self.len {
            self.buf.push_str(&text);
        } else {
            let end = self.byte_index((self.pos + count).min(self.len));
            self.buf.replace_range(start..end, &text);
        }
        self.ascii &= ascii;
        self.pos += count;
        self.len = self.len.max(self.pos);
        self.cursor = (self.pos, start + text.len());
    }
}

impl Default for StringIO {
    fn default() -> StringIO {
        StringIO::new()
    }
}

impl From<String> for StringIO {
    /// A stream over `text` (no copy), newline mode [`Newline::Lf`], position 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::prelude::*;
    /// use strata_text::StringIO;
    ///
    /// let mut s = StringIO::from(String::from("a\r\nb"));
    /// assert_eq!(s.tell()?, 0);
    /// assert_eq!(s.readline(None)?, "a\r\n"); // stored as is, split at `\n` only
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn from(text: String) -> StringIO {
        let ascii = text.is_ascii();
        let len = if ascii {
            text.len()
        } else {
            text.chars().count()
        };
        StringIO {
            buf: text,
            ascii,
            len,
            pos: 0,
            cursor: (0, 0),
            newline: Newline::Lf,
            decoder: None,
            closed: false,
        }
    }
}

impl From<&str> for StringIO {
    /// A stream over a copy of `text`, newline mode [`Newline::Lf`], position 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::prelude::*;
    /// use strata_text::StringIO;
    ///
    /// let mut s = StringIO::from("über");
    /// assert_eq!(s.read(Some(1))?, "ü");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn from(text: &str) -> StringIO {
        StringIO::from(text.to_string())
    }
}

impl TextIoBase for StringIO {
    fn read(&mut self, size: Option<usize>) -> io::Result<String> {
        ensure_open(self.closed)?;
        if self.pos >= self.len {
            return Ok(String::new());
        }
        let count = size.map_or(self.len - self.pos, |n| n.min(self.len - self.pos));
        let start = self.byte_index(self.pos);
        let end = self.byte_index(self.pos + count);
        self.pos += count;
        Ok(self.buf[start..end].to_string())
    }

    fn readline(&mut self, limit: Option<usize>) -> io::Result<String> {
        ensure_open(self.closed)?;
        if self.pos >= self.len {
            return Ok(String::new());
        }
        let start = self.byte_index(self.pos);
        let stop = match limit {
            Some(n) => self.byte_index(self.pos + n.min(self.len - self.pos)),
            None => self.buf.len(),
        };
        let view = &self.buf[start..stop];
        let line = &view[..self.newline.find_line_end(view).unwrap_or(view.len())];
        self.pos += if self.ascii {
            line.len()
        } else {
            line.chars().count()
        };
        self.cursor = (self.pos, start + line.len());
        Ok(line.to_string())
    }
}

impl TextWrite for StringIO {
    /// Writes `text` at the position (overwriting, or padding with `\0` past the end) and returns its
    /// length in code points before newline translation, as Python does.
    #[inline]
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::prelude::*;
    /// use strata_text::StringIO;
    ///
    /// let mut s = StringIO::from("hello");
    /// s.seek(SeekFrom::Start(1))?;
    /// assert_eq!(s.write("EL")?, 2); // overwrites
    /// s.seek(SeekFrom::Start(8))?;
    /// s.write("!")?; // past the end: pads with `\0`
    /// assert_eq!(s.getvalue()?, "hELlo\0\0\0!");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn write(&mut self, text: &str) -> io::Result<usize> {
        ensure_open(self.closed)?;
        if text.is_empty() {
            return Ok(0);
        }
        let ascii = text.is_ascii();
        let written = if ascii {
            text.len()
        } else {
            text.chars().count()
        };
        if self.pos == self.len && self.newline == Newline::Lf {
            // Appending untranslated text: the common case, kept free of the general bookkeeping.
            self.buf.push_str(text);
            self.ascii &= ascii;
            self.pos += written;
            self.len = self.pos;
            self.cursor = (self.pos, self.buf.len());
        } else {
            self.pad()?;
            self.store(text);
        }
        Ok(written)
    }

    /// Does nothing, even on a closed stream (as CPython's `StringIO.flush`, which skips the
    /// closed check `BytesIO.flush` makes).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::prelude::*;
    /// use strata_text::StringIO;
    ///
    /// let mut s = StringIO::new();
    /// s.write("x")?;
    /// s.flush()?;
    /// assert_eq!(s.getvalue()?, "x");
    /// s.close()?;
    /// s.flush()?;
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl fmt::Write for StringIO {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        TextWrite::write(self, s).map(drop).map_err(|_| fmt::Error)
    }
}

impl Seek for StringIO {
    /// Moves to a code-point position and returns it.
    ///
    /// `SeekFrom::Start(n)` may go past the end; `SeekFrom::Current(0)` returns the position and
    /// `SeekFrom::End(0)` moves to the end. Other relative seeks fail as in Python.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed; `"Can't do nonzero cur-relative seeks"` (Python's `OSError`)
    /// for `Current(n)`/`End(n)` with `n != 0`; [`io::ErrorKind::InvalidInput`] for a position beyond
    /// `usize::MAX`.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::prelude::*;
    /// use strata_text::StringIO;
    ///
    /// let mut s = StringIO::from("😀 grin");
    /// assert_eq!(s.seek(SeekFrom::Start(2))?, 2); // code points
    /// assert_eq!(s.read(None)?, "grin");
    /// assert_eq!(s.seek(SeekFrom::Start(0))?, 0);
    /// assert_eq!(s.seek(SeekFrom::End(0))?, 6);
    /// assert_eq!(s.seek(SeekFrom::Start(100))?, 100); // past the end is allowed
    /// assert_eq!(s.read(None)?, "");
    /// let err = s.seek(SeekFrom::End(-1)).unwrap_err();
    /// assert_eq!(err.to_string(), "Can't do nonzero cur-relative seeks");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        ensure_open(self.closed)?;
        self.pos = match pos {
            SeekFrom::Start(n) => usize::try_from(n).map_err(|_| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("seek position {n} is too large"),
                )
            })?,
            SeekFrom::Current(0) => self.pos,
            SeekFrom::End(0) => self.len,
            SeekFrom::Current(_) | SeekFrom::End(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    "Can't do nonzero cur-relative seeks",
                ));
            }
        };
        Ok(self.pos as u64)
    }
}

impl IoBase for StringIO {
    fn closed(&self) -> bool {
        self.closed
    }

    /// Closes the stream and frees its text.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::prelude::*;
    /// use strata_text::StringIO;
    ///
    /// let mut s = StringIO::from("text");
    /// s.close()?;
    /// assert!(s.closed());
    /// assert!(s.getvalue().is_err()); // every operation fails now
    /// s.close()?; // closing again is fine
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn close(&mut self) -> io::Result<()> {
        self.closed = true;
        self.buf = String::new();
        Ok(())
    }

    fn readable(&self) -> io::Result<bool> {
        ensure_open(self.closed).map(|()| true)
    }

    fn writable(&self) -> io::Result<bool> {
        ensure_open(self.closed).map(|()| true)
    }

    fn seekable(&self) -> io::Result<bool> {
        ensure_open(self.closed).map(|()| true)
    }

    /// Cuts the text to `size` code points (the position when `None`) and returns `size`; never grows
    /// the text, never moves the position.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::prelude::*;
    /// use strata_text::StringIO;
    ///
    /// let mut s = StringIO::from("héllo");
    /// s.seek(SeekFrom::Start(2))?;
    /// assert_eq!(s.truncate(None)?, 2); // at the position
    /// assert_eq!(s.getvalue()?, "hé");
    /// assert_eq!(s.truncate(Some(10))?, 10); // never grows
    /// assert_eq!(s.getvalue()?, "hé");
    /// assert_eq!(s.tell()?, 2); // the position did not move
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        ensure_open(self.closed)?;
        let size = size.unwrap_or(self.pos as u64);
        if size < self.len as u64 {
            let at = size as usize;
            let byte = self.byte_index(at);
            self.buf.truncate(byte);
            self.len = at;
            self.ascii |= self.buf.is_ascii();
        }
        Ok(size)
    }
}
