//! [`TextError`]: each variant's kind, its message (CPython 3.11's wording, checked against `python3`)
//! and the Python exception class it stands for; and the closed-stream errors of the provided trait
//! methods.

use std::io::{self, ErrorKind};

use strata_buffered::BytesIO;
use strata_text::prelude::*;
use strata_text::{StringIO, TextError, TextIOWrapper};

fn check(err: TextError, kind: ErrorKind, message: &str, class: &str) {
    let io_err = io::Error::from(err.clone());
    assert_eq!(io_err.kind(), kind, "{err:?}: kind");
    assert_eq!(io_err.to_string(), message, "{err:?}: message");
    assert_eq!(err.python_class(), class, "{err:?}: class");
    assert_eq!(TextError::of(&io_err), Some(&err), "{err:?}: downcast");
    assert_eq!(
        strata_raw::Error::of(&io_err),
        None,
        "{err:?}: not a raw error"
    );
}

fn decode(encoding: &'static str, position: u64, bytes: &[u8], reason: &'static str) -> TextError {
    TextError::Decode {
        encoding: encoding.into(),
        position,
        bytes: bytes.to_vec(),
        reason: reason.into(),
    }
}

fn encode(
    encoding: &'static str,
    position: u64,
    character: char,
    reason: &'static str,
) -> TextError {
    TextError::Encode {
        encoding: encoding.into(),
        position,
        character,
        reason: reason.into(),
    }
}

#[test]
fn every_variant_has_a_kind_a_message_and_a_python_class() {
    use ErrorKind::*;
    let cases = [
        (
            decode("ascii", 4, b"\xff", "ordinal not in range(128)"),
            InvalidData,
            "'ascii' codec can't decode byte 0xff in position 4: ordinal not in range(128)",
            "UnicodeDecodeError",
        ),
        (
            decode("utf-8", 2, b"\xe2\x82", "unexpected end of data"),
            InvalidData,
            "'utf-8' codec can't decode bytes in position 2-3: unexpected end of data",
            "UnicodeDecodeError",
        ),
        (
            encode("ascii", 3, '\u{ff}', "ordinal not in range(128)"),
            InvalidData,
            "'ascii' codec can't encode character '\\xff' in position 3: ordinal not in range(128)",
            "UnicodeEncodeError",
        ),
        (
            encode("latin-1", 0, '€', "ordinal not in range(256)"),
            InvalidData,
            "'latin-1' codec can't encode character '\\u20ac' in position 0: ordinal not in range(256)",
            "UnicodeEncodeError",
        ),
        (
            encode("ascii", 1, '😀', "ordinal not in range(128)"),
            InvalidData,
            "'ascii' codec can't encode character '\\U0001f600' in position 1: ordinal not in range(128)",
            "UnicodeEncodeError",
        ),
        (
            TextError::UnknownEncoding("bogus".into()),
            InvalidInput,
            "unknown encoding: bogus",
            "LookupError",
        ),
    ];
    for (err, kind, message, class) in cases {
        check(err, kind, message, class);
    }
}

#[test]
fn python_wording_matches_cpython_for_codec_errors() {
    // The exact strings CPython 3.11 prints for the same failures.
    let script = "import codecs\n\
        for f in (lambda: b'abc\\xff'.decode('ascii'), lambda: b'ab\\xe2\\x82'.decode('utf-8'), \
        lambda: 'abc\\xff'.encode('ascii'), lambda: '\\U0001f600'.encode('latin-1'), \
        lambda: codecs.lookup('bogus')):\n  try: f()\n  except Exception as e: print(type(e).__name__, e)";
    let printed = crate::support::python(script, &[]);
    let expected: Vec<String> = [
        decode("ascii", 3, b"\xff", "ordinal not in range(128)"),
        decode("utf-8", 2, b"\xe2\x82", "unexpected end of data"),
        encode("ascii", 3, '\u{ff}', "ordinal not in range(128)"),
        encode("latin-1", 0, '😀', "ordinal not in range(256)"),
        TextError::UnknownEncoding("bogus".into()),
    ]
    .iter()
    .map(|err| format!("{} {err}", err.python_class()))
    .collect();
    assert_eq!(printed.lines().collect::<Vec<_>>(), expected);
}

/// Python's `IOBase.writelines` checks for a closed stream before it looks at the lines, so an empty
/// list on a closed stream raises `ValueError` too.
#[test]
fn writelines_on_a_closed_stream_fails_even_with_no_lines() {
    fn closed_string() -> Box<dyn TextWrite> {
        let mut s = StringIO::new();
        s.close().expect("close");
        Box::new(s)
    }
    fn closed_wrapper() -> Box<dyn TextWrite> {
        let mut t = TextIOWrapper::builder(BytesIO::new())
            .build()
            .expect("utf-8");
        t.close().expect("close");
        Box::new(t)
    }
    fn open_wrapper() -> Box<dyn TextWrite> {
        Box::new(
            TextIOWrapper::builder(BytesIO::new())
                .encoding("utf-16")
                .build()
                .expect("utf-16"),
        )
    }
    fn check_writelines(
        name: &str,
        mut stream: Box<dyn TextWrite>,
        lines: &[&str],
        want: Option<&str>,
    ) {
        match (stream.writelines(lines), want) {
            (Ok(()), None) => {}
            (Err(err), Some(message)) => {
                assert_eq!(err.to_string(), message, "{name}");
                assert_eq!(
                    err.kind(),
                    ErrorKind::InvalidInput,
                    "{name}: ValueError's kind"
                );
            }
            (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
        }
    }
    let closed = Some("I/O operation on closed file.");
    check_writelines("closed StringIO, no lines", closed_string(), &[], closed);
    check_writelines("closed StringIO, lines", closed_string(), &["a"], closed);
    check_writelines(
        "closed TextIOWrapper, no lines",
        closed_wrapper(),
        &[],
        closed,
    );
    check_writelines(
        "closed TextIOWrapper, lines",
        closed_wrapper(),
        &["a"],
        closed,
    );
    // Open, not closed: no lines is no error.
    check_writelines("open TextIOWrapper, no lines", open_wrapper(), &[], None);
}
