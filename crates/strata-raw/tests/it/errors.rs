//! The error model: each variant's kind, message (CPython's wording, word for word) and Python class.

use std::io::{self, ErrorKind};

use strata_raw::Error;

fn check(err: Error, kind: ErrorKind, message: &str, class: &str) {
    let io_err = io::Error::from(err.clone());
    assert_eq!(io_err.kind(), kind, "{err:?}: kind");
    assert_eq!(io_err.to_string(), message, "{err:?}: message");
    assert_eq!(err.python_class(), class, "{err:?}: class");
    assert_eq!(Error::of(&io_err), Some(&err), "{err:?}: downcast");
}

#[test]
fn every_variant_has_a_kind_a_message_and_a_python_class() {
    use ErrorKind::*;
    let cases: Vec<(Error, ErrorKind, &str, &str)> = vec![
        (
            Error::Closed { op: None },
            InvalidInput,
            "I/O operation on closed file.",
            "ValueError",
        ),
        (
            Error::Closed { op: Some("read") },
            InvalidInput,
            "read of closed file",
            "ValueError",
        ),
        (
            Error::Closed { op: Some("peek") },
            InvalidInput,
            "peek of closed file",
            "ValueError",
        ),
        (
            Error::Closed { op: Some("seek") },
            InvalidInput,
            "seek of closed file",
            "ValueError",
        ),
        (
            Error::Closed { op: Some("flush") },
            InvalidInput,
            "flush of closed file",
            "ValueError",
        ),
        (
            Error::Closed { op: Some("write") },
            InvalidInput,
            "write to closed file",
            "ValueError",
        ),
        (
            Error::Detached("raw stream"),
            InvalidInput,
            "raw stream has been detached",
            "ValueError",
        ),
        (
            Error::Detached("underlying buffer"),
            InvalidInput,
            "underlying buffer has been detached",
            "ValueError",
        ),
        (
            Error::Unsupported("fileno".into()),
            Unsupported,
            "fileno",
            "UnsupportedOperation",
        ),
        (
            Error::NegativeSeek(-1),
            InvalidInput,
            "negative seek value -1",
            "ValueError",
        ),
        (
            Error::NegativeSize(-1),
            InvalidInput,
            "negative size value -1",
            "ValueError",
        ),
        (
            Error::WouldBlock {
                characters_written: 8,
            },
            WouldBlock,
            "write could not complete without blocking",
            "BlockingIOError",
        ),
        (
            Error::BufferExported,
            ResourceBusy,
            "Existing exports of data: object cannot be re-sized",
            "BufferError",
        ),
        (
            Error::Decode {
                encoding: "ascii".into(),
                position: 4,
                bytes: vec![0xff],
                reason: "ordinal not in range(128)".into(),
            },
            InvalidData,
            "'ascii' codec can't decode byte 0xff in position 4: ordinal not in range(128)",
            "UnicodeDecodeError",
        ),
        (
            Error::Decode {
                encoding: "utf-8".into(),
                position: 2,
                bytes: vec![0xe2, 0x82],
                reason: "unexpected end of data".into(),
            },
            InvalidData,
            "'utf-8' codec can't decode bytes in position 2-3: unexpected end of data",
            "UnicodeDecodeError",
        ),
        (
            Error::Encode {
                encoding: "ascii".into(),
                position: 3,
                character: '\u{ff}',
                reason: "ordinal not in range(128)".into(),
            },
            InvalidData,
            "'ascii' codec can't encode character '\\xff' in position 3: ordinal not in range(128)",
            "UnicodeEncodeError",
        ),
        (
            Error::Encode {
                encoding: "latin-1".into(),
                position: 0,
                character: '€',
                reason: "ordinal not in range(256)".into(),
            },
            InvalidData,
            "'latin-1' codec can't encode character '\\u20ac' in position 0: ordinal not in range(256)",
            "UnicodeEncodeError",
        ),
        (
            Error::Encode {
                encoding: "ascii".into(),
                position: 1,
                character: '😀',
                reason: "ordinal not in range(128)".into(),
            },
            InvalidData,
            "'ascii' codec can't encode character '\\U0001f600' in position 1: ordinal not in range(128)",
            "UnicodeEncodeError",
        ),
        (
            Error::UnknownEncoding("bogus".into()),
            InvalidInput,
            "unknown encoding: bogus",
            "LookupError",
        ),
        (
            Error::InvalidLength {
                call: "readinto()",
                returned: 40960,
                max: 8192,
            },
            InvalidData,
            "raw readinto() returned invalid length 40960 (should have been between 0 and 8192)",
            "OSError",
        ),
        (
            Error::InvalidArgument("buffer size must be strictly positive".into()),
            InvalidInput,
            "buffer size must be strictly positive",
            "ValueError",
        ),
    ];
    for (err, kind, message, class) in cases {
        check(err, kind, message, class);
    }
}

#[test]
fn python_wording_matches_cpython_for_codec_errors() {
    // The exact strings CPython 3.11 prints for the same failures.
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "for f in (lambda: b'abc\\xff'.decode('ascii'), lambda: 'abc\\xff'.encode('ascii'), \
             lambda: '\\U0001f600'.encode('latin-1')):\n  try: f()\n  except Exception as e: print(e)",
        ])
        .output()
        .expect("python3 is required for the oracle checks");
    let printed = String::from_utf8(out.stdout).unwrap();
    let expected: Vec<String> = [
        Error::Decode {
            encoding: "ascii".into(),
            position: 3,
            bytes: vec![0xff],
            reason: "ordinal not in range(128)".into(),
        },
        Error::Encode {
            encoding: "ascii".into(),
            position: 3,
            character: '\u{ff}',
            reason: "ordinal not in range(128)".into(),
        },
        Error::Encode {
            encoding: "latin-1".into(),
            position: 0,
            character: '😀',
            reason: "ordinal not in range(256)".into(),
        },
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(printed.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn plain_io_errors_carry_no_typed_error() {
    let err = io::Error::other("plain");
    assert_eq!(Error::of(&err), None);
    assert_eq!(Error::characters_written(&err), None);
    let err = io::Error::from(Error::WouldBlock {
        characters_written: 3,
    });
    assert_eq!(Error::characters_written(&err), Some(3));
}

#[test]
fn helpers_build_the_errors_they_name() {
    assert!(strata_raw::ensure_open(false).is_ok());
    let closed = strata_raw::ensure_open(true).unwrap_err();
    assert_eq!(Error::of(&closed), Some(&Error::Closed { op: None }));
    let unsupported = strata_raw::unsupported("detach");
    assert_eq!(
        Error::of(&unsupported),
        Some(&Error::Unsupported("detach".into()))
    );
    assert_eq!(strata_raw::checked_len(8, 8).unwrap(), 8);
    let bad = strata_raw::checked_len(9, 8).unwrap_err();
    assert_eq!(
        Error::of(&bad),
        Some(&Error::InvalidLength {
            call: "readinto()",
            returned: 9,
            max: 8
        })
    );
}
