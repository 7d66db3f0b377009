//! The error model: each variant's kind, its message (CPython 3.11's wording, e.g. "I/O operation on
//! closed file.") and the Python exception class it stands for.

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
