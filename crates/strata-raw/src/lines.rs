//! Python's line and seek arithmetic, shared by every byte stream: where a `seek` lands, where a line
//! ends, `readline(size)` over any [`BufRead`], `readlines(hint)` over any source of lines, and the
//! iterator behind `for line in &mut stream` ([`Lines`]).
//!
//! Python's `IOBase` defines `readline` and `readlines` once for every stream; these functions are that
//! single definition in Strata. Streams with their own storage (`BytesIO`'s shared bytes, a buffered
//! stream's buffer) search it themselves with [`line_len`] and keep their zero-copy results; the rest
//! call [`readline_into`].

use std::fmt;
use std::io::{self, BufRead, SeekFrom};
use std::iter::FusedIterator;

use crate::error::Error;

/// The absolute position `from` designates in a stream at `pos` holding `len` bytes, with the errors
/// `BytesIO` gives.
///
/// Positions past the end are allowed. A position before 0 is [`Error::NegativeSeek`], naming the
/// target (std's `Seek` contract: an error, where Python clamps a relative seek at 0), and one beyond
/// `u64::MAX` is [`Error::InvalidArgument`] (`"seek position out of range"`).
///
/// # Errors
///
/// [`Error::NegativeSeek`] or [`Error::InvalidArgument`], as above.
///
/// # Examples
///
/// ```
/// use std::io::SeekFrom;
/// use strata_raw::{Error, seek_target};
///
/// assert_eq!(seek_target(3, 10, SeekFrom::Current(-3))?, 0);
/// assert_eq!(seek_target(3, 10, SeekFrom::End(5))?, 15); // past the end is fine
/// let err = seek_target(3, 10, SeekFrom::End(-11)).unwrap_err();
/// assert_eq!(Error::of(&err), Some(&Error::NegativeSeek(-1)));
/// assert_eq!(err.to_string(), "negative seek value -1");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn seek_target(pos: u64, len: u64, from: SeekFrom) -> io::Result<u64> {
    let target = match from {
        SeekFrom::Start(target) => return Ok(target),
        SeekFrom::Current(offset) => i128::from(pos) + i128::from(offset),
        SeekFrom::End(offset) => i128::from(len) + i128::from(offset),
    };
    u64::try_from(target).map_err(|_| {
        match i64::try_from(target) {
            Ok(negative) => Error::NegativeSeek(negative),
            Err(_) => Error::InvalidArgument("seek position out of range".into()),
        }
        .into()
    })
}

/// How many bytes of `buf` the line at its start takes, at most `limit` of them (all that `buf` holds
/// for `None`): up to and including the first `\n`; and whether that line ends with `\n`.
///
/// `\r` never ends a line, as in Python's binary streams. The first 128 bytes are searched a machine
/// word at a time, inline, and the rest, if any, with std's `memchr`: most lines end within the first
/// part, where the call and the alignment work of `memchr` cost more than the search itself (short
/// lines are read a quarter to a half faster so), and a long line still gets `memchr`'s speed.
///
/// # Examples
///
/// ```
/// use strata_raw::line_len;
///
/// assert_eq!(line_len(b"ab\r\ncd", None), (4, true));
/// assert_eq!(line_len(b"ab\r\ncd", Some(2)), (2, false)); // cut by the limit
/// assert_eq!(line_len(b"abc", None), (3, false)); // the last line may lack its `\n`
/// assert_eq!(line_len(b"", None), (0, false));
/// ```
#[inline(always)]
pub fn line_len(buf: &[u8], limit: Option<usize>) -> (usize, bool) {
    let hay = &buf[..buf.len().min(limit.unwrap_or(usize::MAX))];
    let head = &hay[..hay.len().min(INLINE_SEARCH)];
    match find_newline(head) {
        Some(i) => (i + 1, true),
        None if head.len() == hay.len() => (hay.len(), false),
        None => long_line_len(hay),
    }
}

/// [`line_len`] of a `hay` longer than [`INLINE_SEARCH`] with no `\n` in that many bytes: out of
/// line, to keep the inlined part small.
#[inline(never)]
fn long_line_len(hay: &[u8]) -> (usize, bool) {
    let mut tail = &hay[INLINE_SEARCH..];
    // `skip_until` on a slice is `memchr` and cannot fail.
    let len = INLINE_SEARCH + tail.skip_until(b'\n').unwrap_or(tail.len());
    (len, hay[..len].ends_with(b"\n"))
}

/// How many bytes [`line_len`] searches inline before it calls `memchr`.
const INLINE_SEARCH: usize = 128;

/// The first `\n` in `hay`, a machine word at a time.
#[inline]
fn find_newline(hay: &[u8]) -> Option<usize> {
    const LO: u64 = u64::from_ne_bytes([0x01; 8]);
    const HI: u64 = u64::from_ne_bytes([0x80; 8]);
    const NL: u64 = u64::from_ne_bytes([b'\n'; 8]);
    let mut offset = 0;
    for word in hay.chunks_exact(8) {
        let mut bytes = [0; 8];
        bytes.copy_from_slice(word);
        let x = u64::from_ne_bytes(bytes) ^ NL;
        // Some byte of `x` is zero, that is some byte of the word is `\n`.
        if x.wrapping_sub(LO) & !x & HI != 0 {
            break;
        }
        offset += 8;
    }
    hay[offset..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| offset + i)
}

/// Python's `readline(size)` over any [`BufRead`]: appends to `line` the bytes up to and including
/// the next `\n`, at most `limit` of them, and returns how many it appended (0 at end of file).
///
/// Each chunk of [`BufRead::fill_buf`] is searched with [`line_len`] and consumed, so the reader
/// stops right after the line.
///
/// # Errors
///
/// The reader's error, returned as it comes (also [`io::ErrorKind::Interrupted`]). The bytes
/// consumed before it stay appended to `line`, as with [`BufRead::read_until`].
///
/// # Examples
///
/// ```
/// use strata_raw::readline_into;
///
/// let mut reader: &[u8] = b"abcdef\ngh";
/// let mut line = Vec::new();
/// assert_eq!(readline_into(&mut reader, Some(3), &mut line)?, 3);
/// assert_eq!(readline_into(&mut reader, None, &mut line)?, 4);
/// assert_eq!(line, b"abcdef\n");
/// line.clear();
/// assert_eq!(readline_into(&mut reader, None, &mut line)?, 2);
/// assert_eq!(readline_into(&mut reader, None, &mut line)?, 0);
/// assert_eq!(line, b"gh");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn readline_into<R: BufRead + ?Sized>(
    reader: &mut R,
    limit: Option<usize>,
    line: &mut Vec<u8>,
) -> io::Result<usize> {
    let start = line.len();
    let mut left = limit.unwrap_or(usize::MAX);
    while left > 0 {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        let (len, complete) = line_len(chunk, Some(left));
        line.extend_from_slice(&chunk[..len]);
        reader.consume(len);
        left -= len;
        if complete {
            break;
        }
    }
    Ok(line.len() - start)
}

/// Python's `readlines(hint)` over any source of lines: calls `next_line` until it returns an empty
/// line (end of file), or until the lines so far total `hint` bytes or more. `None` and `Some(0)`
/// read every line.
///
/// That is `BytesIO.readlines`'s rule. `IOBase.readlines` (the buffered streams') stops only once
/// the total *exceeds* the hint: pass `hint.filter(|&h| h > 0).map(|h| h.saturating_add(1))` for it.
///
/// # Errors
///
/// The first error of `next_line`; the lines read before it are dropped.
///
/// # Examples
///
/// ```
/// use strata_raw::{readline_into, readlines};
///
/// let mut reader: &[u8] = b"a\nbb\nccc\nd";
/// let mut next_line = || {
///     let mut line = Vec::new();
///     readline_into(&mut reader, None, &mut line).map(|_| line)
/// };
/// assert_eq!(readlines(Some(3), &mut next_line)?, [&b"a\n"[..], b"bb\n"]);
/// assert_eq!(readlines(None, &mut next_line)?, [&b"ccc\n"[..], b"d"]);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn readlines<T: AsRef<[u8]>>(
    hint: Option<usize>,
    mut next_line: impl FnMut() -> io::Result<T>,
) -> io::Result<Vec<T>> {
    let hint = hint.filter(|&hint| hint > 0);
    let (mut lines, mut total) = (Vec::new(), 0usize);
    loop {
        let line = next_line()?;
        let len = line.as_ref().len();
        if len == 0 {
            return Ok(lines);
        }
        total = total.saturating_add(len);
        lines.push(line);
        if hint.is_some_and(|hint| total >= hint) {
            return Ok(lines);
        }
    }
}

/// The lines of a stream, one `readline(None)` call each: Python's `for line in f`, for every Strata
/// stream that reads lines (byte streams yield `Bytes`, text streams `String`s).
///
/// Each item is a line with its ending, or the error that stopped the iteration; the iterator ends at
/// the first empty line (the end of the stream) or after yielding one error, and then yields only
/// `None` (it is a [`FusedIterator`]). Streams hand it out from `iter_lines()` or `lines()` and from
/// `IntoIterator for &mut Stream`.
///
/// # Examples
///
/// ```
/// use std::io::{self, BufRead, Cursor};
/// use strata_raw::{Lines, readline_into};
///
/// fn readline(r: &mut Cursor<&[u8]>) -> io::Result<Vec<u8>> {
///     let mut line = Vec::new();
///     readline_into(r, None, &mut line).map(|_| line)
/// }
/// let mut source = Cursor::new(&b"one\ntwo"[..]);
/// let lines: Vec<Vec<u8>> = Lines::new(&mut source, readline).collect::<Result<_, _>>()?;
/// assert_eq!(lines, [&b"one\n"[..], b"two"]);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Lines<'a, S: ?Sized, L> {
    stream: &'a mut S,
    readline: fn(&mut S) -> io::Result<L>,
    done: bool,
}

impl<'a, S: ?Sized, L> Lines<'a, S, L> {
    /// The lines `readline` reads from `stream`, one call per item.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io;
    /// use strata_raw::Lines;
    ///
    /// let mut script = vec![Ok(b"b".to_vec()), Err(io::ErrorKind::Other.into()), Ok(b"a\n".to_vec())];
    /// let mut lines = Lines::new(&mut script, |s| s.pop().unwrap_or(Ok(Vec::new())));
    /// assert_eq!(lines.next().transpose()?, Some(b"a\n".to_vec()));
    /// assert!(lines.next().transpose().is_err()); // one error, then the end
    /// assert!(lines.next().is_none());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(stream: &'a mut S, readline: fn(&mut S) -> io::Result<L>) -> Lines<'a, S, L> {
        Lines {
            stream,
            readline,
            done: false,
        }
    }
}

impl<S: ?Sized, L: AsRef<[u8]>> Iterator for Lines<'_, S, L> {
    type Item = io::Result<L>;

    fn next(&mut self) -> Option<io::Result<L>> {
        if self.done {
            return None;
        }
        match (self.readline)(self.stream) {
            Ok(line) if !line.as_ref().is_empty() => Some(Ok(line)),
            Ok(_) => {
                self.done = true;
                None
            }
            Err(err) => {
                self.done = true;
                Some(Err(err))
            }
        }
    }
}

impl<S: ?Sized, L: AsRef<[u8]>> FusedIterator for Lines<'_, S, L> {}

impl<S: ?Sized, L> fmt::Debug for Lines<'_, S, L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lines")
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads one line of `reader` with [`readline_into`].
    fn readline(reader: &mut impl BufRead, limit: Option<usize>) -> io::Result<Vec<u8>> {
        let mut line = Vec::new();
        readline_into(reader, limit, &mut line).map(|_| line)
    }

    #[test]
    fn line_len_finds_the_first_newline() {
        assert_eq!(line_len(b"ab\rcd\r\nx", None), (7, true));
        assert_eq!(line_len(b"abc", None), (3, false));
        assert_eq!(line_len(b"", None), (0, false));
        assert_eq!(line_len(b"\n\n", None), (1, true));
        assert_eq!(line_len(b"ab\n", Some(3)), (3, true));
        assert_eq!(line_len(b"ab\n", Some(2)), (2, false));
        assert_eq!(line_len(b"ab\n", Some(0)), (0, false));
        assert_eq!(line_len(b"ab", Some(10)), (2, false));
        let mut long = vec![b'x'; 10_000];
        long.extend_from_slice(b"\nrest");
        assert_eq!(line_len(&long, None), (10_001, true));
        assert_eq!(line_len(&long, Some(10_001)), (10_001, true));
        assert_eq!(line_len(&long, Some(5_000)), (5_000, false));
        assert_eq!(line_len(&long[..10_000], None), (10_000, false));
    }

    #[test]
    fn line_len_matches_a_plain_search() {
        // Short lines, and lines around the end of the inline search.
        for len in (0..40).chain(INLINE_SEARCH - 10..INLINE_SEARCH + 20) {
            let mut hay = vec![b'x'; len];
            assert_eq!(line_len(&hay, None), (len, false));
            for at in 0..len {
                hay[at] = b'\n';
                assert_eq!(line_len(&hay, None), (at + 1, true), "{hay:?}");
                assert_eq!(line_len(&hay, Some(at)), (at, false), "{hay:?}");
                hay[at] = 0x8a; // a byte with the high bit set next to the match must not confuse it
            }
        }
    }

    #[test]
    fn readline_honours_the_limit_across_chunks() -> io::Result<()> {
        // A tiny buffer forces the line to span several `fill_buf` chunks.
        let mut reader = io::BufReader::with_capacity(2, &b"abcdef\ngh"[..]);
        assert_eq!(readline(&mut reader, Some(3))?, b"abc");
        assert_eq!(readline(&mut reader, None)?, b"def\n");
        assert_eq!(readline(&mut reader, Some(0))?, b"");
        assert_eq!(readline(&mut reader, None)?, b"gh");
        assert_eq!(readline(&mut reader, None)?, b"");
        Ok(())
    }

    #[test]
    fn readline_into_appends_and_keeps_what_came_before_an_error() {
        /// Yields `b"ab"`, then fails.
        struct Failing(bool);
        impl io::Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                unreachable!("only BufRead is used")
            }
        }
        impl BufRead for Failing {
            fn fill_buf(&mut self) -> io::Result<&[u8]> {
                if self.0 {
                    Err(io::Error::other("gone"))
                } else {
                    Ok(b"ab")
                }
            }
            fn consume(&mut self, amt: usize) {
                assert_eq!(amt, 2);
                self.0 = true;
            }
        }
        let mut line = b"x".to_vec();
        let err = readline_into(&mut Failing(false), None, &mut line).unwrap_err();
        assert_eq!(err.to_string(), "gone");
        assert_eq!(line, b"xab");
    }

    #[test]
    fn readlines_stops_at_the_hint() -> io::Result<()> {
        // CPython: b"a\nbb\nccc\nd" with hint 1 or 2 -> [a], 3 or 4 -> [a, bb].
        for (hint, want) in [
            (Some(1), 1),
            (Some(2), 1),
            (Some(3), 2),
            (Some(4), 2),
            (Some(0), 4),
            (None, 4),
        ] {
            let mut reader = &b"a\nbb\nccc\nd"[..];
            let lines = readlines(hint, || readline(&mut reader, None))?;
            assert_eq!(lines.len(), want, "hint {hint:?}");
        }
        Ok(())
    }

    #[test]
    fn readlines_passes_errors_on() {
        let mut calls = 0;
        let err = readlines(None, || {
            calls += 1;
            if calls < 3 {
                Ok(b"line\n".to_vec())
            } else {
                Err(io::Error::other("broken"))
            }
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "broken");
        assert_eq!(calls, 3);
    }

    #[test]
    fn seek_target_follows_std_contract() {
        assert_eq!(seek_target(3, 10, SeekFrom::Start(20)).ok(), Some(20));
        assert_eq!(seek_target(3, 10, SeekFrom::Current(-3)).ok(), Some(0));
        assert_eq!(seek_target(3, 10, SeekFrom::End(-4)).ok(), Some(6));
        let err = seek_target(3, 10, SeekFrom::Current(-4)).unwrap_err();
        assert_eq!(Error::of(&err), Some(&Error::NegativeSeek(-1)));
        let err = seek_target(u64::MAX, 0, SeekFrom::Current(1)).unwrap_err();
        assert_eq!(
            Error::of(&err),
            Some(&Error::InvalidArgument("seek position out of range".into()))
        );
        assert_eq!(
            seek_target(u64::MAX, 0, SeekFrom::Current(0)).ok(),
            Some(u64::MAX)
        );
        assert_eq!(
            seek_target(0, u64::MAX, SeekFrom::End(0)).ok(),
            Some(u64::MAX)
        );
        let err = seek_target(0, 0, SeekFrom::End(i64::MIN)).unwrap_err();
        assert_eq!(Error::of(&err), Some(&Error::NegativeSeek(i64::MIN)));
    }
}
