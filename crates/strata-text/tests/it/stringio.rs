//! `StringIO` against CPython 3.11's `io.StringIO`, one behaviour per test: newline modes and their
//! translation, code-point positions, seeks, truncation, closing.

use std::io::{self, Seek, SeekFrom};

use strata_raw::Error;
use strata_text::prelude::*;
use strata_text::{Newline, StringIO};

/// One newline-mode case: the writes, then what is stored, the lines read back from 0, what each
/// write returned and the position after the writes.
struct ModeCase {
    mode: Newline,
    writes: &'static [&'static str],
    stored: &'static str,
    lines: &'static [&'static str],
    returns: &'static [usize],
    tell: u64,
}

fn check(case: &ModeCase) {
    let name = format!("{:?} {:?}", case.mode, case.writes);
    let mut s = StringIO::with_newline("", case.mode);
    let returns: Vec<usize> = case.writes.iter().map(|w| s.write(w).unwrap()).collect();
    assert_eq!(returns, case.returns, "{name}: write returns");
    assert_eq!(s.tell().unwrap(), case.tell, "{name}: tell");
    assert_eq!(s.getvalue().unwrap(), case.stored, "{name}: stored");
    s.seek(SeekFrom::Start(0)).unwrap();
    let lines: Vec<String> = s.lines().collect::<io::Result<_>>().unwrap();
    assert_eq!(lines, case.lines, "{name}: lines");
    // The initial value goes through the same translation as a write.
    let joined: String = case.writes.concat();
    if case.writes.len() == 1 {
        assert_eq!(
            StringIO::with_newline(&joined, case.mode)
                .getvalue()
                .unwrap(),
            case.stored,
            "{name}: initial"
        );
    }
}

#[test]
fn newline_modes() {
    const TEXT: &str = "a\nb\r\nc\rd";
    let text = TEXT;
    for case in [
        // "\n" translates nothing, splits at \n only.
        ModeCase {
            mode: Newline::Lf,
            writes: &[TEXT],
            stored: text,
            lines: &["a\n", "b\r\n", "c\rd"],
            returns: &[8],
            tell: 8,
        },
        // None stores \n.
        ModeCase {
            mode: Newline::Universal,
            writes: &[TEXT],
            stored: "a\nb\nc\nd",
            lines: &["a\n", "b\n", "c\n", "d"],
            returns: &[8],
            tell: 7,
        },
        // each write is translated on its own.
        ModeCase {
            mode: Newline::Universal,
            writes: &["a\r", "\nb"],
            stored: "a\n\nb",
            lines: &["a\n", "\n", "b"],
            returns: &[2, 2],
            tell: 4,
        },
        // "" stores as is and splits at all three endings, also across writes.
        ModeCase {
            mode: Newline::Untranslated,
            writes: &[TEXT],
            stored: text,
            lines: &["a\n", "b\r\n", "c\r", "d"],
            returns: &[8],
            tell: 8,
        },
        ModeCase {
            mode: Newline::Untranslated,
            writes: &["a\r", "\nb"],
            stored: "a\r\nb",
            lines: &["a\r\n", "b"],
            returns: &[2, 2],
            tell: 4,
        },
        // "\r".
        ModeCase {
            mode: Newline::Cr,
            writes: &[TEXT],
            stored: "a\rb\r\rc\rd",
            lines: &["a\r", "b\r", "\r", "c\r", "d"],
            returns: &[8],
            tell: 8,
        },
        // "\r\n".
        ModeCase {
            mode: Newline::CrLf,
            writes: &[TEXT],
            stored: "a\r\nb\r\r\nc\rd",
            lines: &["a\r\n", "b\r\r\n", "c\rd"],
            returns: &[8],
            tell: 10,
        },
    ] {
        check(&case);
    }
}

#[test]
fn defaults_and_constructors() {
    let mut s = StringIO::new();
    s.write("a\r\nb").unwrap();
    assert_eq!(
        s.getvalue().unwrap(),
        "a\r\nb",
        "default newline is \\n: nothing translated"
    );
    assert!(s.newlines().unwrap().is_none());
    let mut from = StringIO::from("x\ny");
    assert_eq!(from.tell().unwrap(), 0);
    assert_eq!(from.readline(None).unwrap(), "x\n");
    assert_eq!(StringIO::from(String::from("é")).read(None).unwrap(), "é");
    assert_eq!(StringIO::default().getvalue().unwrap(), "");
}

#[test]
fn positions_count_code_points() {
    let mut s = StringIO::new();
    assert_eq!(s.write("😀😀").unwrap(), 2);
    assert_eq!(s.tell().unwrap(), 2);
    s.write("é-x").unwrap();
    assert_eq!(s.seek(SeekFrom::Start(1)).unwrap(), 1);
    assert_eq!(s.read(Some(2)).unwrap(), "😀é");
    assert_eq!(s.tell().unwrap(), 3);
    s.seek(SeekFrom::Start(4)).unwrap();
    s.write("Ω").unwrap();
    assert_eq!(s.getvalue().unwrap(), "😀😀é-Ω");
    s.seek(SeekFrom::Start(0)).unwrap();
    s.write("ab").unwrap(); // overwrite two astral characters with ASCII
    assert_eq!(s.getvalue().unwrap(), "abé-Ω");
    assert_eq!(s.read(None).unwrap(), "é-Ω");
}

#[test]
fn getvalue_ignores_position() {
    let mut s = StringIO::from("abc");
    s.read(Some(1)).unwrap();
    assert_eq!(s.getvalue().unwrap(), "abc");
    assert_eq!(s.tell().unwrap(), 1);
}

#[test]
fn newlines_attribute() {
    let mut s = StringIO::with_newline("", Newline::Universal);
    let mut seen = vec![];
    for piece in ["x", "a\n", "b\r\n", "c\r"] {
        s.write(piece).unwrap();
        seen.push(s.newlines().unwrap().map(|n| n.as_slice().to_vec()));
    }
    assert_eq!(
        seen,
        [
            None,
            Some(vec!["\n"]),
            Some(vec!["\n", "\r\n"]),
            Some(vec!["\r", "\n", "\r\n"])
        ]
    );
    for mode in [Newline::Lf, Newline::Cr, Newline::CrLf] {
        let mut s = StringIO::with_newline("a\r\nb\n", mode);
        s.write("\r").unwrap();
        assert!(s.newlines().unwrap().is_none(), "{mode:?}");
    }
}

#[test]
fn relative_seeks() {
    let mut s = StringIO::from("hello");
    s.read(Some(2)).unwrap();
    assert_eq!(s.stream_position().unwrap(), 2);
    assert_eq!(s.seek(SeekFrom::End(0)).unwrap(), 5);
    for from in [
        SeekFrom::Current(1),
        SeekFrom::Current(-1),
        SeekFrom::End(-1),
        SeekFrom::End(2),
    ] {
        let err = s.seek(from).unwrap_err();
        assert_eq!(err.to_string(), "Can't do nonzero cur-relative seeks");
        assert_eq!(err.kind(), io::ErrorKind::Unsupported);
        assert!(Error::of(&err).is_none(), "Python raises a plain OSError");
    }
}

#[test]
fn past_the_end() {
    let mut s = StringIO::from("ab");
    assert_eq!(s.seek(SeekFrom::Start(5)).unwrap(), 5);
    assert_eq!(s.read(None).unwrap(), "");
    assert_eq!(s.readline(None).unwrap(), "");
    assert_eq!(s.write("").unwrap(), 0);
    assert_eq!(s.getvalue().unwrap(), "ab", "write(\"\") does not pad");
    assert_eq!(s.write("é").unwrap(), 1);
    assert_eq!(s.getvalue().unwrap(), "ab\0\0\0é");
    assert_eq!(s.tell().unwrap(), 6);

    // A gap no memory can hold is an error (CPython: MemoryError), and the stream is unchanged.
    s.seek(SeekFrom::Start(u64::MAX)).unwrap();
    let err = s.write("x").unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::OutOfMemory, "{err}");
    assert_eq!(s.getvalue().unwrap(), "ab\0\0\0é");
}

#[test]
fn truncate() {
    let mut s = StringIO::from("héllo wörld");
    s.seek(SeekFrom::Start(8)).unwrap();
    assert_eq!(s.truncate(Some(3)).unwrap(), 3);
    assert_eq!(s.tell().unwrap(), 8, "the position does not move");
    assert_eq!(s.getvalue().unwrap(), "hél");
    assert_eq!(s.truncate(Some(20)).unwrap(), 20, "never grows");
    assert_eq!(s.getvalue().unwrap(), "hél");
    s.seek(SeekFrom::Start(1)).unwrap();
    assert_eq!(s.truncate(None).unwrap(), 1);
    assert_eq!(s.getvalue().unwrap(), "h");
    s.write("ü").unwrap();
    assert_eq!(s.getvalue().unwrap(), "hü");
}

#[test]
fn readline_limit_counts_chars() {
    let mut s = StringIO::with_newline("aé\r\nb", Newline::Untranslated);
    assert_eq!(
        s.readline(Some(3)).unwrap(),
        "aé\r",
        "the limit can split \\r\\n"
    );
    assert_eq!(s.readline(Some(0)).unwrap(), "");
    assert_eq!(s.readline(None).unwrap(), "\n");
    assert_eq!(s.readline(Some(10)).unwrap(), "b");
    assert_eq!(s.readlines(None).unwrap(), Vec::<String>::new());
}

#[test]
fn capabilities() {
    let s = StringIO::new();
    assert!(s.readable().unwrap() && s.writable().unwrap() && s.seekable().unwrap());
    assert!(!s.isatty().unwrap());
    assert_eq!(s.fileno().unwrap_err().kind(), io::ErrorKind::Unsupported);
}

#[test]
fn closed_stream_fails_everything() {
    let mut s = StringIO::from("abc");
    s.close().unwrap();
    s.close().unwrap();
    assert!(s.closed());
    // CPython's StringIO.flush skips the closed check (python3: `s.close(); s.flush()` is fine).
    s.flush().unwrap();
    let errors = [
        s.read(None).map(drop),
        s.readline(None).map(drop),
        s.write("x").map(drop),
        s.tell().map(drop),
        s.seek(SeekFrom::Start(0)).map(drop),
        s.getvalue().map(drop),
        s.truncate(None).map(drop),
        s.readable().map(drop),
        s.readlines(None).map(drop),
        s.newlines().map(drop),
    ];
    for err in errors {
        let err = err.unwrap_err();
        assert_eq!(err.to_string(), "I/O operation on closed file.");
        assert!(matches!(Error::of(&err), Some(Error::Closed { .. })));
    }
}

#[test]
fn fmt_write_and_into_string() {
    use std::fmt::Write as _;
    let mut s = StringIO::with_newline("", Newline::CrLf);
    let (one, two) = (1, "two");
    write!(s, "{one}\n{two}").unwrap();
    assert_eq!(s.into_string(), "1\r\ntwo");
}

#[test]
fn readlines_hint() {
    for (hint, want) in [
        (None, 4),
        (Some(0), 4),
        (Some(1), 1),
        (Some(2), 2),
        (Some(4), 2),
        (Some(5), 3),
        (Some(100), 4),
    ] {
        let mut s = StringIO::from("a\nbb\nccc\nd");
        assert_eq!(s.readlines(hint).unwrap().len(), want, "{hint:?}");
    }
}
