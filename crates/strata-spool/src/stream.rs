//! Position arithmetic and line splitting shared by [`MmapIO`](crate::MmapIO) and a rolled-over
//! [`SpooledIO`](crate::SpooledIO), following `BytesIO`'s rules (contract §A).

use std::io::{self, BufRead, SeekFrom};

use bytes::Bytes;
use strata_raw::Error;

/// The absolute position `from` designates in a stream at `pos` holding `len` bytes, with the
/// errors `BytesIO` gives.
///
/// Positions past the end are allowed; a position before 0 is [`Error::NegativeSeek`] (std's `Seek`
/// contract, where Python clamps), and one beyond `u64::MAX` is [`Error::InvalidArgument`].
pub(crate) fn seek_target(pos: u64, len: u64, from: SeekFrom) -> io::Result<u64> {
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

/// How many bytes of `buf` the line at its start takes: up to and including the first `\n`, or all
/// of `buf`; and whether that line ends with `\n`.
pub(crate) fn line_len(buf: &[u8]) -> (usize, bool) {
    let mut rest = buf;
    // `skip_until` on a slice is std's `memchr` (the C library's on Unix): far faster than a
    // byte-by-byte `position`. It cannot fail on a slice.
    let len = rest.skip_until(b'\n').unwrap_or(buf.len());
    (len, buf[..len].ends_with(b"\n"))
}

/// Python's `readline(limit)` over any [`BufRead`]: the bytes up to and including the next `\n`, at
/// most `limit` of them; empty at end of file.
///
/// # Errors
///
/// The reader's error; the bytes consumed before it are lost, as with [`BufRead::read_until`].
pub(crate) fn readline<R: BufRead + ?Sized>(
    reader: &mut R,
    limit: Option<usize>,
) -> io::Result<Vec<u8>> {
    let mut line = Vec::new();
    let mut left = limit.unwrap_or(usize::MAX);
    while left > 0 {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        let (len, complete) = line_len(&chunk[..chunk.len().min(left)]);
        line.extend_from_slice(&chunk[..len]);
        reader.consume(len);
        left -= len;
        if complete {
            break;
        }
    }
    Ok(line)
}

/// Python's `readlines(hint)`: lines from `next_line` until an empty one (end of file), or until the
/// line that brings the running total to `hint` bytes or more. `None` and `Some(0)` read every line.
pub(crate) fn readlines(
    hint: Option<usize>,
    mut next_line: impl FnMut() -> io::Result<Bytes>,
) -> io::Result<Vec<Bytes>> {
    let hint = hint.filter(|&hint| hint > 0);
    let (mut lines, mut total) = (Vec::new(), 0usize);
    loop {
        let line = next_line()?;
        if line.is_empty() {
            return Ok(lines);
        }
        total = total.saturating_add(line.len());
        lines.push(line);
        if hint.is_some_and(|hint| total >= hint) {
            return Ok(lines);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_len_finds_the_first_newline() {
        assert_eq!(line_len(b"ab\rcd\r\nx"), (7, true));
        assert_eq!(line_len(b"abc"), (3, false));
        assert_eq!(line_len(b""), (0, false));
        assert_eq!(line_len(b"\n\n"), (1, true));
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
    fn readlines_stops_at_the_hint() -> io::Result<()> {
        // CPython: b"a\nbb\nccc\nd" with hint 1 or 2 -> [a], 3 or 4 -> [a, bb] (contract §A12).
        for (hint, want) in [
            (Some(1), 1),
            (Some(2), 1),
            (Some(3), 2),
            (Some(4), 2),
            (Some(0), 4),
            (None, 4),
        ] {
            let mut reader = &b"a\nbb\nccc\nd"[..];
            let lines = readlines(hint, || readline(&mut reader, None).map(Bytes::from))?;
            assert_eq!(lines.len(), want, "hint {hint:?}");
        }
        Ok(())
    }

    #[test]
    fn seek_target_follows_std_contract() {
        assert_eq!(seek_target(3, 10, SeekFrom::Start(20)).ok(), Some(20));
        assert_eq!(seek_target(3, 10, SeekFrom::Current(-3)).ok(), Some(0));
        assert_eq!(seek_target(3, 10, SeekFrom::End(-4)).ok(), Some(6));
        let err = seek_target(3, 10, SeekFrom::Current(-4)).unwrap_err();
        assert_eq!(Error::of(&err), Some(&Error::NegativeSeek(-1)));
        assert!(seek_target(u64::MAX, 0, SeekFrom::Current(1)).is_err());
    }
}
