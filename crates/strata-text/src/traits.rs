//! The text layer's traits, Python's `io.TextIOBase` split the way `bytes::Buf` and `BufMut` split
//! reading from writing: [`TextIoBase`] (`read`, `readline`; `readlines` and line iteration provided)
//! and [`TextWrite`] (`write`, `flush`; `writelines` provided).
//!
//! [`StringIO`](crate::StringIO) and [`TextIOWrapper`](crate::TextIOWrapper) implement them, so code
//! can be generic over "a text stream". A wrapper implements each one only when its inner stream can
//! read or write, so writing to a read-only stream does not compile where Python fails at run time.
//! Both extend [`IoBase`] (`close`, `closed`, …), as Python's `TextIOBase` extends `IOBase`. Sizes,
//! limits and hints count code points, as in Python.

use std::io;

use strata_raw::{IoBase, ensure_open};

/// Reading text: Python's `TextIOBase.read` and `readline`, the small core every readable text
/// stream implements, and `readlines` and line iteration (`for line in f`), provided once on top.
///
/// It was called `TextRead` (with `readlines` and `lines` in `TextReadExt`); both names still work
/// as re-exports of this trait.
///
/// # Examples
///
/// ```
/// use strata_text::prelude::*;
/// use strata_text::StringIO;
///
/// let mut s = StringIO::from("héllo\nworld");
/// assert_eq!(s.read(Some(2))?, "hé");
/// assert_eq!(s.readline(None)?, "llo\n");
/// assert_eq!(s.read(None)?, "world");
/// assert_eq!(s.read(None)?, "");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[doc(alias = "TextIOBase", alias = "TextRead", alias = "TextReadExt")]
pub trait TextIoBase: IoBase {
    /// Reads `size` code points (fewer only at the end of the stream), or everything to the end when
    /// `size` is `None`. An empty string means end of stream.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed; decoding errors under the `strict` handler; the inner
    /// stream's errors.
    ///
    /// # Examples
    ///
    /// Code generic over a text stream works with a [`StringIO`](crate::StringIO) and a
    /// [`TextIOWrapper`](crate::TextIOWrapper) alike:
    ///
    /// ```
    /// use std::io;
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::{StringIO, TextIOWrapper};
    ///
    /// fn head(stream: &mut impl TextIoBase) -> io::Result<String> {
    ///     stream.read(Some(3))
    /// }
    ///
    /// let mut s = StringIO::from("ünïcode");
    /// assert_eq!(head(&mut s)?, "ünï"); // code points, not bytes
    /// assert_eq!(s.read(None)?, "code");
    /// assert_eq!(s.read(None)?, ""); // the end
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::from("ünïcode".as_bytes())).build()?;
    /// assert_eq!(head(&mut text)?, "ünï");
    /// assert_eq!(text.read(Some(100))?, "code");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn read(&mut self, size: Option<usize>) -> io::Result<String>;

    /// Reads one line, its ending included, or at most `limit` code points of it. An empty string
    /// means end of stream.
    ///
    /// # Errors
    ///
    /// As for [`read`](TextIoBase::read).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::prelude::*;
    /// use strata_text::StringIO;
    ///
    /// let mut s = StringIO::from("one\ntwo\nthree");
    /// assert_eq!(s.readline(Some(2))?, "on");
    /// assert_eq!(s.readline(None)?, "e\n");
    /// assert_eq!(s.readline(Some(10))?, "two\n"); // a limit never reads past the line end
    /// assert_eq!(s.readline(None)?, "three");
    /// assert_eq!(s.readline(None)?, "");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn readline(&mut self, limit: Option<usize>) -> io::Result<String>;

    /// Reads lines until the end, or until the lines read so far hold more than `hint` code points
    /// (`None` or `Some(0)`: all lines), as Python's `IOBase.readlines` does.
    ///
    /// The byte streams share `strata_raw::readlines`, which counts bytes; a text hint counts code
    /// points, so the loop is written here, once for every text stream.
    ///
    /// # Errors
    ///
    /// The first error of [`readline`](TextIoBase::readline). A
    /// [`TextIOWrapper`](crate::TextIOWrapper) keeps the lines read before it: the next read
    /// returns them first, as after a failed `read` (Python loses them). A `StringIO` fails only
    /// when closed, before reading anything.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::prelude::*;
    /// use strata_text::StringIO;
    ///
    /// let mut s = StringIO::from("a\nbb\nccc\n");
    /// assert_eq!(s.readlines(Some(2))?, ["a\n", "bb\n"]); // 2 code points are not beyond the hint
    /// assert_eq!(s.readlines(None)?, ["ccc\n"]);
    /// assert!(s.readlines(None)?.is_empty());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn readlines(&mut self, hint: Option<usize>) -> io::Result<Vec<String>> {
        let mut lines = Vec::new();
        read_lines_into(self, hint, &mut lines)?;
        Ok(lines)
    }

    /// An iterator over the remaining lines, endings included (Python's `for line in f`).
    ///
    /// It ends at the end of the stream, or after yielding the first error.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::prelude::*;
    /// use strata_text::StringIO;
    ///
    /// let mut s = StringIO::from("title\nfirst\nsecond");
    /// s.readline(None)?; // skip the title
    /// let mut body = Vec::new();
    /// for line in s.lines() {
    ///     body.push(line?.trim_end().to_uppercase());
    /// }
    /// assert_eq!(body, ["FIRST", "SECOND"]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[doc(alias = "__iter__", alias = "__next__")]
    fn lines(&mut self) -> Lines<'_, Self>
    where
        Self: Sized,
    {
        Lines::new(self, |s| s.readline(None))
    }
}

/// The iterator of [`TextIoBase::lines`].
///
/// Each item is a line with its ending, or the error that stopped the iteration; after an error or
/// the end of the stream it yields only `None` (it is a [`FusedIterator`](std::iter::FusedIterator)).
///
/// # Examples
///
/// ```
/// use strata_buffered::BytesIO;
/// use strata_text::prelude::*;
/// use strata_text::{StringIO, TextIOWrapper};
///
/// let mut s = StringIO::from("a\nb\n");
/// let lines: Vec<String> = s.lines().collect::<Result<_, _>>()?;
/// assert_eq!(lines, ["a\n", "b\n"]);
///
/// // Not UTF-8: the first line fails, as in Python, and the iterator stops.
/// let mut text = TextIOWrapper::builder(BytesIO::from(b"\xffoops\nmore\n".to_vec())).build()?;
/// let mut lines = text.lines();
/// let err = lines.next().transpose().unwrap_err();
/// assert!(err.to_string().contains("can't decode byte 0xff in position 0"));
/// assert!(lines.next().is_none());
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type Lines<'a, T> = strata_raw::Lines<'a, T, String>;

/// Writing text: Python's `TextIOBase.write` and `flush`, the small core every writable text stream
/// implements, and `writelines`, provided once on top.
///
/// `writelines` used to live in `TextWriteExt`; that name still works as a re-export of this trait.
///
/// # Examples
///
/// ```
/// use strata_text::prelude::*;
/// use strata_text::StringIO;
///
/// let mut s = StringIO::new();
/// assert_eq!(s.write("naïve 😀")?, 7); // code points, as in Python
/// s.flush()?;
/// assert_eq!(s.getvalue()?, "naïve 😀");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[doc(alias = "TextWriteExt")]
pub trait TextWrite: IoBase {
    /// Writes `text` and returns its length in code points, counted before newline translation.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed; encoding errors under the `strict` handler; the inner
    /// stream's errors.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::prelude::*;
    /// use strata_text::{Newline, StringIO};
    ///
    /// let mut s = StringIO::with_newline("", Newline::CrLf);
    /// assert_eq!(s.write("a\nb")?, 3); // before `\n` becomes `\r\n`
    /// assert_eq!(s.write("😀")?, 1);
    /// assert_eq!(s.getvalue()?, "a\r\nb😀");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn write(&mut self, text: &str) -> io::Result<usize>;

    /// Passes written text down to the underlying stream and flushes it.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed; the inner stream's errors.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::{BufferedWriter, BytesIO};
    /// use strata_text::prelude::*;
    /// use strata_text::TextIOWrapper;
    ///
    /// let mut text = TextIOWrapper::builder(BufferedWriter::new(BytesIO::new())?).build()?;
    /// text.write("held")?;
    /// assert_eq!(text.get_ref().get_ref().len(), 0); // still buffered
    /// text.flush()?;
    /// assert_eq!(text.get_ref().get_ref().len(), 4);
    /// text.close()?;
    /// assert_eq!(text.flush().unwrap_err().to_string(), "I/O operation on closed file.");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn flush(&mut self) -> io::Result<()>;

    /// Writes every item in order (no separators are added).
    ///
    /// # Errors
    ///
    /// The closed-file error once closed, even for no items (as Python's `IOBase.writelines`); the
    /// first error of [`write`](TextWrite::write), the items before it staying written.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::{StringIO, TextIOWrapper};
    ///
    /// let mut s = StringIO::new();
    /// let words = vec![String::from("a"), String::from("b")];
    /// s.writelines(&words)?;
    /// s.writelines(["\n"])?;
    /// assert_eq!(s.getvalue()?, "ab\n");
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::new()).encoding("ascii").build()?;
    /// assert!(text.writelines(["ok ", "é", "never"]).is_err());
    /// assert_eq!(text.detach()?.getvalue()?, b"ok "[..]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn writelines<I>(&mut self, lines: I) -> io::Result<()>
    where
        Self: Sized,
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        ensure_open(self.closed())?;
        lines
            .into_iter()
            .try_for_each(|line| self.write(line.as_ref()).map(drop))
    }
}

impl<T: TextIoBase + ?Sized> TextIoBase for &mut T {
    fn read(&mut self, size: Option<usize>) -> io::Result<String> {
        (**self).read(size)
    }

    fn readline(&mut self, limit: Option<usize>) -> io::Result<String> {
        (**self).readline(limit)
    }
}

impl<T: TextIoBase + ?Sized> TextIoBase for Box<T> {
    fn read(&mut self, size: Option<usize>) -> io::Result<String> {
        (**self).read(size)
    }

    fn readline(&mut self, limit: Option<usize>) -> io::Result<String> {
        (**self).readline(limit)
    }
}

impl<T: TextWrite + ?Sized> TextWrite for &mut T {
    fn write(&mut self, text: &str) -> io::Result<usize> {
        (**self).write(text)
    }

    fn flush(&mut self) -> io::Result<()> {
        (**self).flush()
    }
}

impl<T: TextWrite + ?Sized> TextWrite for Box<T> {
    fn write(&mut self, text: &str) -> io::Result<usize> {
        (**self).write(text)
    }

    fn flush(&mut self) -> io::Result<()> {
        (**self).flush()
    }
}

/// The loop of [`TextIoBase::readlines`]: appends lines to `lines` until the end, or until they hold
/// more than `hint` code points; on an error, `lines` holds those read before it.
pub(crate) fn read_lines_into<T: TextIoBase + ?Sized>(
    stream: &mut T,
    hint: Option<usize>,
    lines: &mut Vec<String>,
) -> io::Result<()> {
    let hint = hint.filter(|&h| h > 0);
    let mut total = 0;
    loop {
        let line = stream.readline(None)?;
        if line.is_empty() {
            return Ok(());
        }
        total += line.chars().count();
        lines.push(line);
        if hint.is_some_and(|h| total > h) {
            return Ok(());
        }
    }
}
