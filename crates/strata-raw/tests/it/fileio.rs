//! `FileIo` against real files in a temp dir: every mode's allowed and refused operations,
//! seek/tell/truncate, and closed-file errors.

use std::io::{ErrorKind, Read, Seek, SeekFrom, Write};
use std::path::Path;

use strata_raw::prelude::*;
use strata_raw::{Error, FileIo, Mode};

use crate::TempDir;

/// What a mode allows, as Python's `FileIO` reports it.
struct ModeCase {
    mode: &'static str,
    /// `FileIO.mode` after opening.
    reported: &'static str,
    readable: bool,
    writable: bool,
    /// Whether opening truncates an existing file.
    truncates: bool,
    /// Whether the start position is the end of the file.
    at_end: bool,
}

const MODES: &[ModeCase] = &[
    ModeCase {
        mode: "r",
        reported: "rb",
        readable: true,
        writable: false,
        truncates: false,
        at_end: false,
    },
    ModeCase {
        mode: "rb",
        reported: "rb",
        readable: true,
        writable: false,
        truncates: false,
        at_end: false,
    },
    ModeCase {
        mode: "r+",
        reported: "rb+",
        readable: true,
        writable: true,
        truncates: false,
        at_end: false,
    },
    ModeCase {
        mode: "+rb",
        reported: "rb+",
        readable: true,
        writable: true,
        truncates: false,
        at_end: false,
    },
    ModeCase {
        mode: "w",
        reported: "wb",
        readable: false,
        writable: true,
        truncates: true,
        at_end: false,
    },
    ModeCase {
        mode: "w+b",
        reported: "rb+",
        readable: true,
        writable: true,
        truncates: true,
        at_end: false,
    },
    ModeCase {
        mode: "a",
        reported: "ab",
        readable: false,
        writable: true,
        truncates: false,
        at_end: true,
    },
    ModeCase {
        mode: "ab+",
        reported: "ab+",
        readable: true,
        writable: true,
        truncates: false,
        at_end: true,
    },
];

fn existing(dir: &Path, contents: &[u8]) -> std::path::PathBuf {
    let path = dir.join("existing.bin");
    std::fs::write(&path, contents).unwrap();
    path
}

fn check_mode(case: &ModeCase) {
    let dir = TempDir::new();
    let path = existing(dir.path(), b"0123456789");
    let mut f = FileIo::open(&path, case.mode).unwrap_or_else(|e| panic!("{}: {e}", case.mode));
    let m = case.mode;
    assert_eq!(f.mode().to_string(), case.reported, "{m}: mode");
    assert_eq!(f.readable().unwrap(), case.readable, "{m}: readable");
    assert_eq!(f.writable().unwrap(), case.writable, "{m}: writable");
    assert!(f.seekable().unwrap(), "{m}: seekable");
    assert!(!f.isatty().unwrap(), "{m}: isatty");
    assert!(f.fileno().unwrap() >= 0, "{m}: fileno");
    assert_eq!(f.name(), path, "{m}: name");
    let expected_start = if case.at_end && !case.truncates {
        10
    } else {
        0
    };
    assert_eq!(f.tell().unwrap(), expected_start, "{m}: start position");

    let read = f.read_bytes(Some(3));
    if case.readable {
        let want: &[u8] = if case.truncates || case.at_end {
            b""
        } else {
            b"012"
        };
        assert_eq!(read.unwrap(), want, "{m}: read");
    } else {
        let err = read.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unsupported, "{m}: read refused");
        assert_eq!(err.to_string(), "File not open for reading");
    }

    let write = f.write(b"XY");
    if case.writable {
        assert_eq!(write.unwrap(), 2, "{m}: write");
    } else {
        let err = write.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unsupported, "{m}: write refused");
        assert_eq!(err.to_string(), "File not open for writing");
        let err = f.truncate(Some(0)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "File not open for writing",
            "{m}: truncate refused"
        );
    }
    f.close().unwrap();
    let on_disk = std::fs::read(&path).unwrap();
    let expected: &[u8] = match (case.writable, case.truncates, case.at_end, case.readable) {
        (false, ..) => b"0123456789",
        (true, true, ..) => b"XY",
        (true, false, true, _) => b"0123456789XY",
        (true, false, false, _) => b"012XY56789",
    };
    assert_eq!(on_disk, expected, "{m}: contents on disk");
}

#[test]
fn every_mode_allows_and_refuses_what_python_does() {
    for case in MODES {
        check_mode(case);
    }
}

#[test]
fn bad_modes_are_refused_with_pythons_messages() {
    let combination = "Must have exactly one of create/read/write/append mode and at most one plus";
    let cases: &[(&str, &str)] = &[
        ("", combination),
        ("rw", combination),
        ("r++", combination),
        ("bb", combination),
        ("rt", "invalid mode: rt"),
        ("rU", "invalid mode: rU"),
        ("z", "invalid mode: z"),
    ];
    let dir = TempDir::new();
    let path = existing(dir.path(), b"");
    for &(mode, message) in cases {
        assert!(mode.parse::<Mode>().is_err(), "{mode:?} parses");
        let err = FileIo::open(&path, mode).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{mode:?}");
        assert_eq!(err.to_string(), message, "{mode:?}");
        assert!(
            matches!(Error::of(&err), Some(Error::InvalidArgument(_))),
            "{mode:?}"
        );
    }
    // `b` may repeat, as `io.FileIO` allows: a raw file is binary anyway.
    for (mode, shown) in [("rbb", "rb"), ("brb", "rb"), ("rb+b", "rb+")] {
        assert_eq!(
            FileIo::open(&path, mode).unwrap().mode().to_string(),
            shown,
            "{mode:?}"
        );
    }
}

#[test]
fn exclusive_create_and_missing_files_fail_with_os_errors() {
    let dir = TempDir::new();
    let path = existing(dir.path(), b"data");
    let cases: &[(&str, &Path, ErrorKind)] = &[
        ("x", &path, ErrorKind::AlreadyExists),
        ("xb+", &path, ErrorKind::AlreadyExists),
        ("r", &dir.path().join("missing"), ErrorKind::NotFound),
        ("r+", &dir.path().join("missing"), ErrorKind::NotFound),
    ];
    for &(mode, p, kind) in cases {
        assert_eq!(
            FileIo::open(p, mode).unwrap_err().kind(),
            kind,
            "{mode} on {}",
            p.display()
        );
    }
    // `x` on a new file creates it.
    let fresh = dir.path().join("fresh");
    let mut f = FileIo::open(&fresh, "xb").unwrap();
    assert_eq!(f.write(b"new").unwrap(), 3);
    drop(f);
    assert_eq!(std::fs::read(&fresh).unwrap(), b"new");
}

#[test]
fn seek_tell_truncate_match_python() {
    // The sequence and results come from python3's io.FileIO (mode "w+").
    let dir = TempDir::new();
    let mut f = FileIo::open(dir.path().join("f"), "w+").unwrap();
    assert_eq!(f.write(b"abc").unwrap(), 3);
    assert_eq!(f.seek(SeekFrom::Start(10)).unwrap(), 10);
    assert_eq!(f.write(b"x").unwrap(), 1);
    assert_eq!(f.tell().unwrap(), 11);
    assert_eq!(f.truncate(None).unwrap(), 11);
    assert_eq!(f.seek(SeekFrom::End(-1)).unwrap(), 10);
    assert_eq!(
        f.seek(SeekFrom::Current(-100)).unwrap_err().raw_os_error(),
        Some(22)
    );
    assert_eq!(f.truncate(Some(4)).unwrap(), 4);
    assert_eq!(f.tell().unwrap(), 10, "truncate keeps the position");
    assert_eq!(
        f.truncate(Some(6)).unwrap(),
        6,
        "a file grows when truncated past its end"
    );
    f.seek(SeekFrom::Start(0)).unwrap();
    assert_eq!(f.readall().unwrap(), b"abc\0\0\0");
}

#[test]
fn append_mode_writes_at_the_end_whatever_the_position() {
    let dir = TempDir::new();
    let path = existing(dir.path(), b"abc");
    let mut f = FileIo::open(&path, "a").unwrap();
    assert_eq!(f.tell().unwrap(), 3);
    assert_eq!(f.seek(SeekFrom::Start(0)).unwrap(), 0);
    f.write_all(b"Q").unwrap();
    assert_eq!(f.tell().unwrap(), 4);
    drop(f);
    assert_eq!(std::fs::read(&path).unwrap(), b"abcQ");
}

#[test]
fn closed_file_refuses_everything_but_close_closed_name_mode() {
    let dir = TempDir::new();
    let path = existing(dir.path(), b"abc");
    let mut f = FileIo::open(&path, "r+").unwrap();
    f.close().unwrap();
    f.close().unwrap();
    assert!(f.closed());
    assert_eq!(f.name(), path);
    assert_eq!(f.mode().to_string(), "rb+");
    let mut buf = [0u8; 2];
    let results: Vec<(&str, std::io::Error)> = vec![
        ("read", f.read(&mut buf).unwrap_err()),
        ("write", f.write(b"a").unwrap_err()),
        ("flush", f.flush().unwrap_err()),
        ("seek", f.seek(SeekFrom::Start(0)).unwrap_err()),
        ("tell", f.tell().unwrap_err()),
        ("truncate", f.truncate(None).unwrap_err()),
        ("readable", f.readable().unwrap_err()),
        ("writable", f.writable().unwrap_err()),
        ("seekable", f.seekable().unwrap_err()),
        ("fileno", f.fileno().unwrap_err()),
        ("isatty", f.isatty().unwrap_err()),
    ];
    for (op, err) in results {
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{op}");
        assert_eq!(err.to_string(), "I/O operation on closed file.", "{op}");
        assert_eq!(Error::of(&err), Some(&Error::Closed { op: None }), "{op}");
    }
    assert!(f.into_file().is_none());
}

#[test]
fn raw_reads_are_single_calls_and_readall_reads_to_eof() {
    let dir = TempDir::new();
    let data: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
    let path = existing(dir.path(), &data);
    let mut f = FileIo::open(&path, "rb").unwrap();
    assert_eq!(f.read_bytes(Some(0)).unwrap(), b"");
    assert_eq!(f.read_bytes(Some(5)).unwrap(), &data[..5]);
    assert_eq!(f.read_bytes(None).unwrap(), &data[5..]);
    assert_eq!(f.read_bytes(Some(5)).unwrap(), b"", "EOF");
    assert_eq!(f.readall().unwrap(), b"", "EOF");
}
