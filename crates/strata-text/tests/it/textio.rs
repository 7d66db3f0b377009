//! `TextIOWrapper` against CPython 3.11's `io.TextIOWrapper`, one behaviour per test: the builder's
//! defaults, encodings and error handlers, newline modes, BOM rules, `tell`/`seek` cookies, closing,
//! detaching and `reconfigure`.

use std::io::{self, Seek, SeekFrom};

use strata_buffered::BytesIO;
use strata_raw::Error;
use strata_text::prelude::*;
use strata_text::{ErrorHandler, Newline, Reconfigure, TextError, TextIOWrapper};

use crate::support::Chunked;

fn reader(data: &[u8], encoding: &str, newline: Newline) -> TextIOWrapper<Chunked> {
    TextIOWrapper::builder(Chunked::new(data, &[]))
        .encoding(encoding)
        .newline(newline)
        .build()
        .unwrap()
}

fn lines_of<T: TextIoBase>(t: &mut T) -> Vec<String> {
    t.lines().collect::<io::Result<_>>().unwrap()
}

#[test]
fn builder_defaults() {
    let t = TextIOWrapper::builder(BytesIO::new()).build().unwrap();
    assert_eq!(t.encoding(), "utf-8");
    assert_eq!(t.errors(), ErrorHandler::Strict);
    assert!(!t.line_buffering());
    assert!(!t.write_through());
    let t = TextIOWrapper::builder(BytesIO::new())
        .encoding("UTF8")
        .write_through(true)
        .build()
        .unwrap();
    assert_eq!(t.encoding(), "UTF8", "the name as given, like Python");
    assert!(t.write_through());
}

#[test]
fn unknown_encoding() {
    let err = TextIOWrapper::builder(BytesIO::new())
        .encoding("bogus")
        .build()
        .unwrap_err();
    assert_eq!(err.to_string(), "unknown encoding: bogus");
    assert_eq!(
        TextError::of(&err).map(TextError::python_class),
        Some("LookupError")
    );
}

#[test]
fn decode_error_handlers() {
    let cases: [(ErrorHandler, Result<&str, &str>); 5] = [
        (
            ErrorHandler::Strict,
            Err("'ascii' codec can't decode byte 0xff in position 4: ordinal not in range(128)"),
        ),
        (ErrorHandler::Ignore, Ok("abc\n\n")),
        (ErrorHandler::Replace, Ok("abc\n\u{fffd}\n")),
        (ErrorHandler::BackslashReplace, Ok("abc\n\\xff\n")),
        (
            ErrorHandler::XmlCharRefReplace,
            Err("don't know how to handle UnicodeDecodeError in error callback"),
        ),
    ];
    for (handler, want) in cases {
        let mut t = TextIOWrapper::builder(BytesIO::from(&b"abc\n\xff\n"[..]))
            .encoding("ascii")
            .errors(handler)
            .build()
            .unwrap();
        let got = t.read(None).map_err(|e| e.to_string());
        assert_eq!(
            got.as_deref(),
            want.map_err(|e| e.to_string()).as_deref(),
            "{handler}"
        );
    }
}

/// A handler, the text written, and the bytes or the error message expected.
type EncodeCase<'a> = (ErrorHandler, &'a str, Result<&'a [u8], &'a str>);

#[test]
fn encode_error_handlers() {
    let cases: [EncodeCase<'_>; 5] = [
        (
            ErrorHandler::Strict,
            "abc\u{ff}def\n",
            Err(
                "'ascii' codec can't encode character '\\xff' in position 3: ordinal not in range(128)",
            ),
        ),
        (ErrorHandler::Ignore, "abc\u{ff}def\n", Ok(b"abcdef\n")),
        (ErrorHandler::Replace, "abc\u{ff}def\n", Ok(b"abc?def\n")),
        (
            ErrorHandler::BackslashReplace,
            "a\u{ff}b\u{20ac}\u{1f600}",
            Ok(b"a\\xffb\\u20ac\\U0001f600"),
        ),
        (ErrorHandler::XmlCharRefReplace, "a\u{ff}b", Ok(b"a&#255;b")),
    ];
    for (handler, text, want) in cases {
        let mut t = TextIOWrapper::builder(BytesIO::new())
            .encoding("ascii")
            .errors(handler)
            .build()
            .unwrap();
        let got = t.write(text).map_err(|e| e.to_string());
        match want {
            Ok(bytes) => {
                assert_eq!(got.ok(), Some(text.chars().count()), "{handler}");
                assert_eq!(
                    &t.detach().unwrap().getvalue().unwrap()[..],
                    bytes,
                    "{handler}"
                );
            }
            Err(message) => {
                assert_eq!(got.unwrap_err(), message);
                assert_eq!(
                    t.detach().unwrap().getvalue().unwrap().len(),
                    0,
                    "nothing written"
                );
            }
        }
    }
}

#[test]
fn incomplete_sequence_fails_only_at_eof() {
    let mut t = reader(b"ab\xc3", "utf-8", Newline::Universal);
    assert_eq!(t.read(Some(2)).unwrap(), "ab");
    let err = t.read(None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "'utf-8' codec can't decode byte 0xc3 in position 2: unexpected end of data"
    );
    assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    match TextError::of(&err) {
        Some(TextError::Decode {
            position, bytes, ..
        }) => assert_eq!((*position, bytes.as_slice()), (2, &b"\xc3"[..])),
        other => panic!("{other:?}"),
    }
    // The offset counts from the start of the stream, not of the chunk.
    let mut t = TextIOWrapper::builder(Chunked::new(b"abcdefgh\xff", &[3]))
        .build()
        .unwrap();
    let err = t.read(None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "'utf-8' codec can't decode byte 0xff in position 8: invalid start byte"
    );
}

const MIXED: &str = "AAA\nBB\x00B\nCCC\rDDD\rEEE\r\nFFF\r\nGGG";

#[test]
fn reading_lines_per_mode() {
    let cases: [(Newline, &[&str]); 5] = [
        (
            Newline::Universal,
            &[
                "AAA\n",
                "BB\x00B\n",
                "CCC\n",
                "DDD\n",
                "EEE\n",
                "FFF\n",
                "GGG",
            ],
        ),
        (
            Newline::Untranslated,
            &[
                "AAA\n",
                "BB\x00B\n",
                "CCC\r",
                "DDD\r",
                "EEE\r\n",
                "FFF\r\n",
                "GGG",
            ],
        ),
        (
            Newline::Lf,
            &["AAA\n", "BB\x00B\n", "CCC\rDDD\rEEE\r\n", "FFF\r\n", "GGG"],
        ),
        (
            Newline::CrLf,
            &["AAA\nBB\x00B\nCCC\rDDD\rEEE\r\n", "FFF\r\n", "GGG"],
        ),
        (
            Newline::Cr,
            &["AAA\nBB\x00B\nCCC\r", "DDD\r", "EEE\r", "\nFFF\r", "\nGGG"],
        ),
    ];
    for (mode, want) in cases {
        for size in [1, 2, 3, 5, 64] {
            let mut t = TextIOWrapper::builder(Chunked::new(MIXED.as_bytes(), &[size]))
                .newline(mode)
                .build()
                .unwrap();
            assert_eq!(lines_of(&mut t), want, "{mode:?} chunks of {size}");
        }
    }
}

#[test]
fn cr_held_back_across_chunks() {
    let chunks: [&[u8]; 4] = [b"abc\r", b"\ndef\r", b"\r\n", b"x\r"];
    let cases: [(Newline, &[&str]); 5] = [
        (Newline::Universal, &["abc\n", "def\n", "\n", "x\n"]),
        (Newline::Untranslated, &["abc\r\n", "def\r", "\r\n", "x\r"]),
        (Newline::Cr, &["abc\r", "\ndef\r", "\r", "\nx\r"]),
        (Newline::Lf, &["abc\r\n", "def\r\r\n", "x\r"]),
        (Newline::CrLf, &["abc\r\n", "def\r\r\n", "x\r"]),
    ];
    for (mode, want) in cases {
        let mut t = TextIOWrapper::builder(Chunked::chunks(&chunks))
            .newline(mode)
            .build()
            .unwrap();
        assert_eq!(lines_of(&mut t), want, "{mode:?}");
    }
}

#[test]
fn final_cr_and_no_doubled_newlines() {
    let mut t = reader(b"a\r", "utf-8", Newline::Universal);
    assert_eq!(t.read(None).unwrap(), "a\n");
    let data = format!("{}\r\nB", "A".repeat(127));
    let want = format!("{}\nB", "A".repeat(127));
    for (step, chunk) in [(1, 1), (128, 128), (1, 128), (128, 1), (3, 7)] {
        let mut t = TextIOWrapper::builder(Chunked::new(data.as_bytes(), &[chunk]))
            .build()
            .unwrap();
        let mut got = String::new();
        loop {
            let piece = t.read(Some(step)).unwrap();
            if piece.is_empty() {
                break;
            }
            got.push_str(&piece);
        }
        assert_eq!(got, want, "read({step}) over chunks of {chunk}");
    }
}

#[test]
fn write_translation() {
    let writes = ["AAA\nB", "BB\nCCC\n", "X\rY\r\nZ"];
    let cases: [(Newline, &[u8]); 5] = [
        (Newline::Untranslated, b"AAA\nBBB\nCCC\nX\rY\r\nZ"),
        (Newline::Lf, b"AAA\nBBB\nCCC\nX\rY\r\nZ"),
        (Newline::Cr, b"AAA\rBBB\rCCC\rX\rY\r\rZ"),
        (Newline::CrLf, b"AAA\r\nBBB\r\nCCC\r\nX\rY\r\r\nZ"),
        (
            Newline::Universal,
            if cfg!(windows) {
                b"AAA\r\nBBB\r\nCCC\r\nX\rY\r\r\nZ"
            } else {
                b"AAA\nBBB\nCCC\nX\rY\r\nZ"
            },
        ),
    ];
    for (mode, want) in cases {
        let mut t = TextIOWrapper::builder(BytesIO::new())
            .newline(mode)
            .build()
            .unwrap();
        let returns: Vec<usize> = writes.iter().map(|w| t.write(w).unwrap()).collect();
        assert_eq!(returns, [5, 7, 6], "{mode:?}: untranslated lengths");
        assert_eq!(
            &t.detach().unwrap().getvalue().unwrap()[..],
            want,
            "{mode:?}"
        );
    }
}

#[test]
fn line_buffering_flushes() {
    let mut t = TextIOWrapper::builder(Chunked::new(b"", &[]))
        .line_buffering(true)
        .build()
        .unwrap();
    t.write("abc").unwrap();
    assert_eq!(t.get_ref().flushes, 0);
    t.write("d\ne").unwrap();
    assert_eq!(t.get_ref().flushes, 1);
    t.write("\r").unwrap();
    assert_eq!(t.get_ref().flushes, 2);
    let mut t = TextIOWrapper::builder(Chunked::new(b"", &[]))
        .build()
        .unwrap();
    t.write("a\n").unwrap();
    assert_eq!(t.get_ref().flushes, 0, "no flush without line_buffering");
}

#[test]
fn bytes_go_down_at_once() {
    // Documented difference: Strata passes each write's bytes to the buffered inner stream at once.
    let mut t = TextIOWrapper::builder(BytesIO::new()).build().unwrap();
    t.write("abc").unwrap();
    assert_eq!(t.get_mut().getvalue().unwrap(), "abc");
}

#[test]
fn read_and_readline_count_chars() {
    let mut t = reader("é😀x\r\nyz".as_bytes(), "utf-8", Newline::Untranslated);
    assert_eq!(t.read(Some(2)).unwrap(), "é😀");
    assert_eq!(
        t.readline(Some(2)).unwrap(),
        "x\r",
        "the limit splits \\r\\n"
    );
    assert_eq!(t.readline(Some(5)).unwrap(), "\n");
    assert_eq!(t.read(Some(10)).unwrap(), "yz", "short only at the end");
    assert_eq!(t.read(Some(10)).unwrap(), "");
    let mut t = TextIOWrapper::builder(Chunked::new("ab€cdef\n".as_bytes(), &[1]))
        .build()
        .unwrap();
    assert_eq!(t.readline(Some(4)).unwrap(), "ab€c", "limit across chunks");
    assert_eq!(t.readline(Some(0)).unwrap(), "");
    assert_eq!(t.readline(None).unwrap(), "def\n");
}

#[test]
fn tell_is_a_byte_offset_when_clean() {
    let mut t = TextIOWrapper::builder(BytesIO::from("a€b\nc".as_bytes()))
        .build()
        .unwrap();
    assert_eq!(t.tell().unwrap(), 0);
    t.read(Some(2)).unwrap();
    assert_eq!(t.tell().unwrap(), 4);
    t.readline(None).unwrap();
    assert_eq!(t.tell().unwrap(), 6);
    t.read(None).unwrap();
    assert_eq!(t.tell().unwrap(), 7);
}

#[test]
fn relative_seeks() {
    let mut t = reader(b"abc\ndef", "utf-8", Newline::Universal);
    t.read(Some(2)).unwrap();
    let here = t.stream_position().unwrap();
    assert_eq!(t.read(Some(1)).unwrap(), "c");
    t.seek(SeekFrom::Start(here)).unwrap();
    assert_eq!(t.read(Some(1)).unwrap(), "c");
    assert_eq!(t.seek(SeekFrom::End(0)).unwrap(), 7);
    assert_eq!(t.read(None).unwrap(), "");
    for (from, message) in [
        (SeekFrom::Current(1), "can't do nonzero cur-relative seeks"),
        (SeekFrom::Current(-1), "can't do nonzero cur-relative seeks"),
        (SeekFrom::End(-1), "can't do nonzero end-relative seeks"),
    ] {
        let err = t.seek(from).unwrap_err();
        assert_eq!(err.to_string(), message);
        assert_eq!(
            Error::of(&err).map(Error::python_class),
            Some("UnsupportedOperation")
        );
    }
}

#[test]
fn seek_past_the_end() {
    let mut t = reader(b"abc", "utf-8", Newline::Universal);
    assert_eq!(t.seek(SeekFrom::Start(10)).unwrap(), 10);
    assert_eq!(t.read(None).unwrap(), "");
    assert_eq!(t.readline(None).unwrap(), "");
}

#[test]
fn unseekable_inner() {
    let mut inner = Chunked::new(b"abc", &[]);
    inner.seekable = false;
    let mut t = TextIOWrapper::builder(inner).build().unwrap();
    assert_eq!(
        t.read(Some(1)).unwrap(),
        "a",
        "reading does not need seeking"
    );
    for err in [
        t.tell().unwrap_err(),
        t.seek(SeekFrom::Start(0)).unwrap_err(),
    ] {
        assert_eq!(err.to_string(), "underlying stream is not seekable");
        assert_eq!(err.kind(), io::ErrorKind::Unsupported);
    }
}

#[test]
fn write_after_read_lands_after_read_ahead() {
    let mut t = TextIOWrapper::builder(BytesIO::from(&b"abcdef"[..]))
        .build()
        .unwrap();
    assert_eq!(t.read(Some(2)).unwrap(), "ab");
    t.write("XY").unwrap();
    assert_eq!(t.detach().unwrap().getvalue().unwrap(), "abcdefXY");
}

#[test]
fn reconfigure() {
    let mut t = TextIOWrapper::builder(BytesIO::new())
        .encoding("utf-8")
        .errors(ErrorHandler::Replace)
        .build()
        .unwrap();
    t.reconfigure(Reconfigure::new().errors(ErrorHandler::Ignore))
        .unwrap();
    assert_eq!((t.encoding(), t.errors()), ("utf-8", ErrorHandler::Ignore));
    t.reconfigure(Reconfigure::new().encoding("latin1"))
        .unwrap();
    assert_eq!(
        (t.encoding(), t.errors()),
        ("latin1", ErrorHandler::Strict),
        "a new encoding resets errors"
    );
    t.reconfigure(
        Reconfigure::new()
            .newline(Newline::CrLf)
            .line_buffering(true)
            .write_through(true),
    )
    .unwrap();
    t.write("é\n").unwrap();
    assert!(t.line_buffering() && t.write_through());
    assert_eq!(t.detach().unwrap().getvalue().unwrap(), b"\xe9\r\n"[..]);

    let mut t = TextIOWrapper::builder(BytesIO::from(&b"abc"[..]))
        .build()
        .unwrap();
    t.read(Some(1)).unwrap();
    for changes in [
        Reconfigure::new().encoding("ascii"),
        Reconfigure::new().errors(ErrorHandler::Ignore),
        Reconfigure::new().newline(Newline::Lf),
    ] {
        let err = t.reconfigure(changes).unwrap_err();
        assert_eq!(
            err.to_string(),
            "It is not possible to set the encoding or newline of stream after the first read"
        );
    }
    t.reconfigure(Reconfigure::new().line_buffering(true))
        .unwrap();
    t.seek(SeekFrom::Start(0)).unwrap();
    t.reconfigure(Reconfigure::new().encoding("ascii")).unwrap();
    t.read(None).unwrap();
    t.reconfigure(Reconfigure::new().encoding("utf-8")).unwrap();
    let err = t
        .reconfigure(Reconfigure::new().encoding("bogus"))
        .unwrap_err();
    assert_eq!(err.to_string(), "unknown encoding: bogus");

    // A seek to a cookie with characters to skip decodes them, as in CPython: the stream has been
    // read. A seek to a clean point has not.
    let mut t = TextIOWrapper::builder(BytesIO::from(&b"a\xffb"[..]))
        .encoding("ascii")
        .errors(ErrorHandler::BackslashReplace)
        .build()
        .unwrap();
    assert_eq!(t.read(Some(2)).unwrap(), "a\\");
    let cookie = t.tell().unwrap();
    t.seek(SeekFrom::Start(cookie)).unwrap();
    assert!(
        t.reconfigure(Reconfigure::new().newline(Newline::Lf))
            .is_err()
    );
    assert_eq!(
        t.read(None).unwrap(),
        "xffb",
        "the position survives the refusal"
    );
    let mut t = TextIOWrapper::builder(BytesIO::from(&b"abc"[..]))
        .build()
        .unwrap();
    t.read(Some(1)).unwrap();
    let cookie = t.tell().unwrap();
    t.seek(SeekFrom::Start(cookie)).unwrap();
    t.reconfigure(Reconfigure::new().newline(Newline::Lf))
        .unwrap();
    assert_eq!(t.read(None).unwrap(), "bc");
}

#[test]
fn bom_on_read() {
    let cases: [(&str, &[u8], Result<&str, &str>); 11] = [
        ("utf-8-sig", b"\xef\xbb\xbfabc", Ok("abc")),
        ("utf-8-sig", b"abc", Ok("abc")),
        ("utf-8-sig", b"\xef\xbb", Ok("")),
        (
            "utf-8-sig",
            b"\xef\xbbabc",
            Err("'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte"),
        ),
        ("utf-8", b"\xef\xbb\xbfabc", Ok("\u{feff}abc")),
        ("utf-16", b"\xff\xfea\x00\xff\xfe", Ok("a\u{feff}")),
        ("utf-16", b"\xfe\xff\x00a", Ok("a")),
        (
            "utf-16",
            b"a\x00b\x00",
            Err("UTF-16 stream does not start with BOM"),
        ),
        (
            "utf-16",
            b"\xff",
            Err("'utf-16-le' codec can't decode byte 0xff in position 0: truncated data"),
        ),
        ("utf-32", b"\x00\x00\xfe\xff\x00\x00\x00a", Ok("a")),
        (
            "utf-32",
            b"a\x00",
            Err("'utf-32-le' codec can't decode bytes in position 0-1: truncated data"),
        ),
    ];
    for (encoding, data, want) in cases {
        for chunk in [1, 2, 64] {
            let mut t = TextIOWrapper::builder(Chunked::new(data, &[chunk]))
                .encoding(encoding)
                .build()
                .unwrap();
            let got = t.read(None).map_err(|e| e.to_string());
            assert_eq!(
                got.as_deref(),
                want.map_err(str::to_string).as_deref(),
                "{encoding} {data:?} chunks of {chunk}"
            );
        }
    }
}

#[test]
fn bom_on_write() {
    let cases: [(&str, &[u8]); 4] = [
        ("utf-8-sig", b"\xef\xbb\xbfab"),
        ("utf-16", b"\xff\xfea\x00b\x00"),
        ("utf-32", b"\xff\xfe\x00\x00a\x00\x00\x00b\x00\x00\x00"),
        ("utf-16-be", b"\x00a\x00b"),
    ];
    for (encoding, want) in cases {
        let mut t = TextIOWrapper::builder(BytesIO::new())
            .encoding(encoding)
            .build()
            .unwrap();
        t.write("").unwrap();
        t.write("a").unwrap();
        t.write("b").unwrap();
        assert_eq!(
            &t.get_mut().getvalue().unwrap()[..],
            want,
            "{encoding}: one BOM"
        );
        // seek(0) then a write puts the BOM back at offset 0.
        t.seek(SeekFrom::Start(0)).unwrap();
        t.write("a").unwrap();
        assert_eq!(
            &t.get_mut().getvalue().unwrap()[..],
            want,
            "{encoding}: rewritten"
        );
        // A seek to a nonzero cookie means no BOM.
        let end = t.seek(SeekFrom::End(0)).unwrap();
        t.write("c").unwrap();
        let value = t.detach().unwrap().getvalue().unwrap();
        assert_eq!(&value[..want.len()], want);
        assert!(
            value.len() - (end as usize) < 5,
            "{encoding}: no BOM at the end"
        );
    }
}

#[test]
fn detach() {
    let mut t = TextIOWrapper::builder(BytesIO::new()).build().unwrap();
    t.write("x").unwrap();
    let mut inner = t.detach().unwrap();
    assert_eq!(inner.getvalue().unwrap(), "x");
    let mut inner = BytesIO::new();
    inner.close().unwrap();
    let err = TextIOWrapper::builder(inner)
        .build()
        .unwrap()
        .detach()
        .unwrap_err();
    assert_eq!(err.to_string(), "I/O operation on closed file.");
}

#[test]
fn closed_wrapper_fails_everything() {
    let mut t = TextIOWrapper::builder(BytesIO::from(&b"abc"[..]))
        .build()
        .unwrap();
    t.close().unwrap();
    t.close().unwrap();
    assert!(t.closed());
    let errors = [
        t.read(None).map(drop),
        t.read(Some(1)).map(drop),
        t.readline(None).map(drop),
        t.write("x").map(drop),
        TextWrite::flush(&mut t),
        t.tell().map(drop),
        t.seek(SeekFrom::Start(0)).map(drop),
        t.truncate(None).map(drop),
        t.readable().map(drop),
        t.writable().map(drop),
        t.seekable().map(drop),
        t.reconfigure(Reconfigure::new()),
    ];
    for err in errors {
        assert_eq!(
            err.unwrap_err().to_string(),
            "I/O operation on closed file."
        );
    }
}

#[test]
fn capability_checks() {
    let mut inner = Chunked::new(b"abc", &[]);
    inner.readable = false;
    let mut t = TextIOWrapper::builder(inner).build().unwrap();
    assert_eq!(t.read(None).unwrap_err().to_string(), "not readable");
    let mut inner = Chunked::new(b"abc", &[]);
    inner.writable = false;
    let mut t = TextIOWrapper::builder(inner).build().unwrap();
    assert_eq!(t.write("x").unwrap_err().to_string(), "not writable");
}

#[test]
fn newlines_attribute() {
    let mut t = reader(b"a\r\nb\rc", "utf-8", Newline::Untranslated);
    t.read(None).unwrap();
    assert_eq!(
        t.newlines().map(|n| n.as_slice()),
        Some(&["\r", "\r\n"][..])
    );
    let mut t = reader(b"a\r\nb\rc", "utf-8", Newline::CrLf);
    t.read(None).unwrap();
    assert!(t.newlines().is_none());
}

#[test]
fn truncate_and_fmt_write() {
    use std::fmt::Write as _;
    let mut t = TextIOWrapper::builder(BytesIO::new()).build().unwrap();
    let (word, number) = ("abc", 42);
    write!(t, "{word}-{number}").unwrap();
    assert_eq!(t.truncate(Some(2)).unwrap(), 2);
    assert_eq!(t.get_mut().getvalue().unwrap(), "ab");
}

/// A wrapper whose write the inner stream took only in part (2 of the 5 bytes of `"hello"`).
fn half_written(inner: &mut Chunked) -> TextIOWrapper<&mut Chunked> {
    inner.write_budget = Some(2);
    let mut t = TextIOWrapper::builder(inner).build().unwrap();
    assert_eq!(
        t.write("hello").unwrap(),
        5,
        "some went down: the write succeeds"
    );
    t
}

/// A failed `detach` gives the wrapper back whole: its inner stream and the bytes it holds.
#[test]
fn failed_detach_gives_the_wrapper_back() {
    let mut inner = Chunked::new(b"", &[]);
    let t = half_written(&mut inner);
    let err = t.detach().unwrap_err();
    assert_eq!(err.error().kind(), io::ErrorKind::ResourceBusy);
    let mut t = err.into_inner();
    t.get_mut().write_budget = None;
    t.flush().unwrap();
    let inner = t.detach().unwrap();
    assert_eq!(inner.inner.getvalue().unwrap(), b"hello"[..]);

    let mut t = TextIOWrapper::builder(BytesIO::new()).build().unwrap();
    t.write("x").unwrap();
    t.get_mut().close().unwrap();
    let (err, t) = t.detach().unwrap_err().into_parts();
    assert_eq!(err.to_string(), "I/O operation on closed file.");
    assert!(t.get_ref().closed());
}

/// Dropping a wrapper counts what a write left unsent in `lost_on_drop`; a flush first loses nothing.
#[test]
fn dropping_a_wrapper_with_unsent_bytes_counts_them() {
    let mut inner = Chunked::new(b"", &[]);
    let t = half_written(&mut inner);
    let before = strata_text::lost_on_drop();
    drop(t);
    assert_eq!(
        strata_text::lost_on_drop(),
        before + 3,
        "counted, not silent"
    );
    assert_eq!(inner.inner.getvalue().unwrap(), b"he"[..]);

    let mut inner = Chunked::new(b"", &[]);
    let mut t = half_written(&mut inner);
    t.get_mut().write_budget = None;
    t.flush().unwrap();
    let before = strata_text::lost_on_drop();
    drop(t);
    assert_eq!(
        strata_text::lost_on_drop(),
        before,
        "flushed first: nothing lost"
    );
    assert_eq!(inner.inner.getvalue().unwrap(), b"hello"[..]);
}

/// `close` passes unsent bytes down first and closes the inner stream even when that fails,
/// returning the error, as CPython's `close` does when its flush fails.
#[test]
fn close_closes_the_inner_stream_even_when_the_flush_fails() {
    let mut inner = Chunked::new(b"", &[]);
    let mut t = half_written(&mut inner);
    assert_eq!(t.close().unwrap_err().to_string(), "disk full");
    assert!(t.closed());
    t.close().unwrap(); // a second close does nothing
    let before = strata_text::lost_on_drop();
    drop(t);
    assert_eq!(
        strata_text::lost_on_drop(),
        before + 3,
        "lost with the closed stream"
    );

    let mut inner = Chunked::new(b"", &[]);
    let mut t = half_written(&mut inner);
    t.get_mut().write_budget = None;
    t.close().unwrap();
    drop(t);
    assert!(inner.closed());
}

/// A failed `readlines` keeps the lines it read: the next read returns them first.
#[test]
fn failed_readlines_keeps_the_lines_read() {
    for encoding in ["utf-8", "latin-1", "utf-16-le"] {
        let text = "one\ntwo\nthree\n";
        let mut writer = TextIOWrapper::builder(BytesIO::new())
            .encoding(encoding)
            .build()
            .unwrap();
        writer.write(text).unwrap();
        let data = writer.detach().unwrap().getvalue().unwrap().to_vec();
        let width = data.len() as u64 / 14;
        for chunk in [1, 3, 8192] {
            let mut inner = Chunked::new(&data, &[chunk]);
            inner.fail_at = Some(8 * width); // after "one\ntwo\n"
            let mut t = TextIOWrapper::builder(inner)
                .encoding(encoding)
                .build()
                .unwrap();
            let err = t.readlines(None).unwrap_err();
            assert_eq!(err.to_string(), "read fault", "{encoding} {chunk}");
            assert_eq!(
                t.readlines(None).unwrap(),
                ["one\n", "two\n", "three\n"],
                "{encoding} chunks of {chunk}"
            );
        }
    }
}

/// `read(None)`, like `read(n)`, keeps the text it decoded before a decode error: the next read
/// returns it.
#[test]
fn failed_read_keeps_text_decoded_before_a_decode_error() {
    for size in [None, Some(100)] {
        for chunk in [1, 2, 8192] {
            let mut t = TextIOWrapper::builder(Chunked::new(b"abc\xffdef", &[chunk]))
                .build()
                .unwrap();
            let err = t.read(size).unwrap_err();
            assert!(TextError::of(&err).is_some(), "{size:?} {chunk}: {err}");
            assert_eq!(
                t.read(Some(3)).unwrap(),
                "abc",
                "{size:?} chunks of {chunk}"
            );
        }
    }
}
