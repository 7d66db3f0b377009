//! Writing: every flavour passes Python's `testzip()`, names are checked, fixed times reproduce bytes.

use std::io::{self, Write};

use strata_zip::{Compression, Timestamp, ZipBuilder, ZipError, ZipReader, ZipStream};

use crate::{PyEntry, python_testzip, text_like};

fn entry(name: &str, size: u64, method: u16, descriptor: bool) -> PyEntry {
    PyEntry {
        name: name.to_owned(),
        size,
        method,
        descriptor,
    }
}

/// The entries every flavour writes: name, data, compression, and whether to add them as a reader.
fn entries() -> Vec<(&'static str, Vec<u8>, Compression, bool)> {
    let text = text_like(10_000, 7);
    vec![
        ("stored.txt", text.clone(), Compression::Stored, false),
        (
            "deflated/fast.txt",
            text.clone(),
            Compression::Deflated(1),
            false,
        ),
        ("deflated/best.txt", text, Compression::Deflated(9), true),
        ("level5.bin", vec![1, 2, 3], Compression::Deflated(5), true),
        ("empty", Vec::new(), Compression::DEFAULT, false),
    ]
}

/// Adds [`entries`] to `$zip`, a `ZipBuilder` or a `ZipStream` (same methods, no common trait).
macro_rules! fill {
    ($zip:expr) => {
        for (name, data, compression, as_reader) in entries() {
            if as_reader {
                $zip.add_reader(name, data.as_slice(), compression)?;
            } else {
                $zip.add_bytes(name, &data, compression)?;
            }
        }
    };
}

fn expected(descriptor: bool) -> Vec<PyEntry> {
    vec![
        entry("stored.txt", 10_000, 0, descriptor),
        entry("deflated/fast.txt", 10_000, 8, descriptor),
        entry("deflated/best.txt", 10_000, 8, descriptor),
        entry("level5.bin", 3, 8, descriptor),
        entry("empty", 0, 8, descriptor),
    ]
}

fn build_in_memory(time: Option<Timestamp>) -> io::Result<bytes::Bytes> {
    let mut zip = ZipBuilder::new();
    if let Some(time) = time {
        zip = zip.fixed_time(time);
    }
    fill!(zip);
    zip.finish()
}

#[test]
fn in_memory_archives_pass_python_testzip() -> io::Result<()> {
    let archive = build_in_memory(None)?;
    assert_eq!(python_testzip(&archive), expected(false));
    Ok(())
}

#[test]
fn streamed_archives_use_data_descriptors_and_pass_python_testzip() -> io::Result<()> {
    /// A sink that can only be written, as a socket.
    struct Socket(Vec<u8>);
    impl Write for Socket {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.write(buf)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut zip = ZipStream::new(Socket(Vec::new())).fixed_time(Timestamp::DOS_EPOCH);
    fill!(zip);
    let archive = zip.finish()?.0;
    assert_eq!(python_testzip(&archive), expected(true));
    let mut reader = ZipReader::new(archive)?;
    assert_eq!(reader.read("deflated/best.txt")?, text_like(10_000, 7));
    Ok(())
}

#[test]
fn fixed_time_makes_archives_byte_identical() -> io::Result<()> {
    let time = Timestamp::new(2024, 6, 1, 12, 0, 0)?;
    let first = build_in_memory(Some(time))?;
    let second = build_in_memory(Some(time))?;
    assert_eq!(first, second);
    assert_eq!(python_testzip(&first), expected(false));
    let modified = ZipReader::new(first)?.entries()[0].modified;
    assert_eq!(modified, Some(time));
    Ok(())
}

#[test]
fn archives_after_other_data_stay_readable() -> io::Result<()> {
    let mut sink = io::Cursor::new(b"#!/bin/sh\nexit 0\n".to_vec());
    sink.set_position(sink.get_ref().len() as u64);
    let mut zip = ZipBuilder::on_sink(sink);
    zip.add_bytes("inside.txt", b"payload", Compression::DEFAULT)?;
    let bytes = zip.finish_sink()?.into_inner();
    assert!(bytes.starts_with(b"#!/bin/sh"));
    assert_eq!(python_testzip(&bytes), [entry("inside.txt", 7, 8, false)]);
    assert_eq!(ZipReader::new(bytes)?.read("inside.txt")?, &b"payload"[..]);
    Ok(())
}

#[test]
fn builder_refuses_bad_names_levels_and_duplicates() {
    /// What adding one entry must fail with.
    fn check(name: &str, compression: Compression, want: &str) {
        let mut zip = ZipBuilder::new();
        zip.add_bytes("taken.txt", b"x", Compression::Stored)
            .expect("first entry");
        let err = zip.add_bytes(name, b"data", compression).expect_err(name);
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{name:?}: {err}");
        assert!(err.to_string().contains(want), "{name:?}: {err}");
    }
    let cases = [
        ("../up.txt", Compression::Stored, "'..' component"),
        ("/abs.txt", Compression::Stored, "absolute path"),
        ("C:/win.txt", Compression::Stored, "drive letter"),
        ("dir\\file.txt", Compression::Stored, "backslash"),
        ("dir/", Compression::Stored, "cannot end with '/'"),
        ("", Compression::Stored, "empty"),
        ("a//b", Compression::Stored, "empty path component"),
        (
            "ok.txt",
            Compression::Deflated(10),
            "compression level 10 is out of range",
        ),
        (
            "ok.txt",
            Compression::Deflated(0),
            "compression level 0 is out of range (1..=9 for deflate",
        ),
        (
            "taken.txt",
            Compression::Stored,
            "cannot add entry \"taken.txt\"",
        ),
    ];
    for (name, compression, want) in cases {
        check(name, compression, want);
    }
    let mut zip = ZipBuilder::new();
    let err = zip.add_bytes("../x", b"", Compression::Stored).unwrap_err();
    assert!(
        matches!(ZipError::of(&err), Some(ZipError::InvalidName { name, .. }) if name == "../x")
    );
}

#[test]
fn reader_errors_reach_the_caller() {
    struct Failing;
    impl io::Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "peer went away",
            ))
        }
    }
    let mut zip = ZipBuilder::new();
    let err = zip
        .add_reader("f", Failing, Compression::DEFAULT)
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::ConnectionReset);
}
