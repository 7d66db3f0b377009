//! The text-stream traits: [`TextRead`] and [`TextWrite`] (the small cores every text stream
//! implements) and their blanket extensions [`TextReadExt`] and [`TextWriteExt`].
//!
//! They play the role `Read`/`Write` play for bytes: [`StringIO`](crate::StringIO) and
//! [`TextIOWrapper`](crate::TextIOWrapper) implement them, so code can be generic over "a text stream".
//! Sizes and limits count code points, as in Python.

use std::io;

/// Reading text: Python's `TextIOBase.read` and `readline`.
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
pub trait TextRead {
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
    /// fn head(stream: &mut impl TextRead) -> io::Result<String> {
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
    /// As for [`read`](TextRead::read).
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
}

/// Python's `readlines` and line iteration for every [`TextRead`].
///
/// # Examples
///
/// ```
/// use strata_text::prelude::*;
/// use strata_text::StringIO;
///
/// let mut s = StringIO::from("a\nbb\nccc\nd");
/// assert_eq!(s.readlines(Some(3))?, ["a\n", "bb\n"]);
/// let rest: Vec<String> = s.lines().collect::<Result<_, _>>()?;
/// assert_eq!(rest, ["ccc\n", "d"]);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait TextReadExt: TextRead {
    /// Reads lines until the end, or until the lines read so far hold more than `hint` code points
    /// (`None` or `Some(0)`: all lines), as Python's `IOBase.readlines` does.
    ///
    /// # Errors
    ///
    /// The first error of [`readline`](TextRead::readline); the lines read before it are lost, as in
    /// Python.
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
        let hint = hint.filter(|&h| h > 0);
        let mut lines = Vec::new();
        let mut total = 0;
        loop {
            let line = self.readline(None)?;
            if line.is_empty() {
                return Ok(lines);
            }
            total += line.chars().count();
            lines.push(line);
            if hint.is_some_and(|h| total > h) {
                return Ok(lines);
            }
        }
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
    fn lines(&mut self) -> Lines<'_, Self> {
        Lines::new(self, |s| s.readline(None))
    }
}

impl<T: TextRead + ?Sized> TextReadExt for T {}

/// The iterator of [`TextReadExt::lines`].
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

/// Writing text: Python's `TextIOBase.write` and `flush`.
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
pub trait TextWrite {
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
    /// assert_eq!(text.get_ref().get_ref().map(BytesIO::len), Some(0)); // still buffered
    /// text.flush()?;
    /// assert_eq!(text.get_ref().get_ref().map(BytesIO::len), Some(4));
    /// text.close()?;
    /// assert_eq!(text.flush().unwrap_err().to_string(), "I/O operation on closed file.");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn flush(&mut self) -> io::Result<()>;
}

/// Python's `writelines` for every [`TextWrite`].
///
/// # Examples
///
/// ```
/// use strata_text::prelude::*;
/// use strata_text::StringIO;
///
/// let mut s = StringIO::new();
/// s.writelines(["a\n", "b\n"])?;
/// assert_eq!(s.getvalue()?, "a\nb\n");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait TextWriteExt: TextWrite {
    /// Writes every item in order (no separators are added).
    ///
    /// # Errors
    ///
    /// The first error of [`write`](TextWrite::write); the items before it stay written.
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
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        lines
            .into_iter()
            .try_for_each(|line| self.write(line.as_ref()).map(drop))
    }
}

impl<T: TextWrite + ?Sized> TextWriteExt for T {}

macro_rules! forward {
    ($($ptr:ty),*) => {$(
        impl<T: TextRead + ?Sized> TextRead for $ptr {
            fn read(&mut self, size: Option<usize>) -> io::Result<String> {
                (**self).read(size)
            }
            fn readline(&mut self, limit: Option<usize>) -> io::Result<String> {
                (**self).readline(limit)
            }
        }

        impl<T: TextWrite + ?Sized> TextWrite for $ptr {
            fn write(&mut self, text: &str) -> io::Result<usize> {
                (**self).write(text)
            }
            fn flush(&mut self) -> io::Result<()> {
                (**self).flush()
            }
        }
    )*};
}

forward!(&mut T, Box<T>);
