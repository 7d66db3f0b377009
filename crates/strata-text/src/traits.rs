//! The text-stream traits: [`TextRead`] and [`TextWrite`] (the small cores every text stream
//! implements) and their blanket extensions [`TextReadExt`] and [`TextWriteExt`].
//!
//! They play the role `Read`/`Write` play for bytes: [`StringIO`](crate::StringIO) and
//! [`TextIOWrapper`](crate::TextIOWrapper) implement them, so code can be generic over "a text stream".
//! Sizes and limits count code points, as in Python.

use std::io;
use std::iter::FusedIterator;

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
    fn read(&mut self, size: Option<usize>) -> io::Result<String>;

    /// Reads one line, its ending included, or at most `limit` code points of it. An empty string
    /// means end of stream.
    ///
    /// # Errors
    ///
    /// As for [`read`](TextRead::read).
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
    fn lines(&mut self) -> Lines<'_, Self> {
        Lines {
            stream: self,
            done: false,
        }
    }
}

impl<T: TextRead + ?Sized> TextReadExt for T {}

/// The iterator of [`TextReadExt::lines`].
#[derive(Debug)]
pub struct Lines<'a, T: ?Sized> {
    stream: &'a mut T,
    done: bool,
}

impl<T: TextRead + ?Sized> Iterator for Lines<'_, T> {
    type Item = io::Result<String>;

    fn next(&mut self) -> Option<io::Result<String>> {
        if self.done {
            return None;
        }
        match self.stream.readline(None) {
            Ok(line) if line.is_empty() => {
                self.done = true;
                None
            }
            Ok(line) => Some(Ok(line)),
            Err(err) => {
                self.done = true;
                Some(Err(err))
            }
        }
    }
}

impl<T: TextRead + ?Sized> FusedIterator for Lines<'_, T> {}

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
    fn write(&mut self, text: &str) -> io::Result<usize>;

    /// Passes written text down to the underlying stream and flushes it.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed; the inner stream's errors.
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
