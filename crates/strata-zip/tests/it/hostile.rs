//! Hostile archives: the checked-in corpus (`tests/corpus/`, built by `make_corpus.py`) with a table of
//! the error each must produce, and generated cases (every truncation, limits, overwrites).

use std::fs;
use std::io;
use std::path::Path;

use strata_zip::{Compression, Limits, ZipBuilder, ZipError, ZipReader};

/// What to do with a corpus archive.
#[derive(Clone, Copy, Debug)]
enum Op {
    /// Open it.
    Open,
    /// Read the named entry into memory.
    Read(&'static str),
    /// Extract everything into a fresh directory.
    Extract,
}

/// The error expected: the `ZipError` variant's name, the kind, and a fragment of the message.
type Want = (&'static str, io::ErrorKind, &'static str);

fn variant(err: &ZipError) -> &'static str {
    match err {
        ZipError::UnsafeName { .. } => "UnsafeName",
        ZipError::EntryNotFound { .. } => "EntryNotFound",
        ZipError::RatioExceeded { .. } => "RatioExceeded",
        ZipError::SizeLimitExceeded { .. } => "SizeLimitExceeded",
        ZipError::TooManyEntries { .. } => "TooManyEntries",
        ZipError::SizeMismatch { .. } => "SizeMismatch",
        ZipError::Corrupt { .. } => "Corrupt",
        ZipError::Unsupported { .. } => "Unsupported",
        ZipError::InvalidLevel(_) => "InvalidLevel",
        ZipError::Extract { .. } => "Extract",
        ZipError::NotZip => "NotZip",
        ZipError::Truncated { .. } => "Truncated",
        ZipError::InvalidName { .. } => "InvalidName",
        ZipError::NameCollision { .. } => "NameCollision",
        ZipError::NoSuchIndex { .. } => "NoSuchIndex",
        ZipError::ChecksumMismatch { .. } => "ChecksumMismatch",
        ZipError::Overlap { .. } => "Overlap",
        ZipError::PasswordRequired { .. } => "PasswordRequired",
        ZipError::WrongPassword { .. } => "WrongPassword",
        _ => "unknown",
    }
}

fn corpus(file: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(file);
    fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// Runs `op` on corpus file `file` under `limits` and checks the error against `want`. Extraction goes
/// into `<tmp>/target`; afterwards no file may exist anywhere in `<tmp>`.
fn check(file: &str, op: Op, limits: Limits, want: Want) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let target = tmp.path().join("target");
    let result = ZipReader::with_limits(corpus(file), limits).and_then(|mut reader| match op {
        Op::Open => Ok(()),
        Op::Read(name) => reader.read(name).map(drop),
        Op::Extract => reader.extract(&target).map(drop),
    });
    let err = result.expect_err(file);
    let typed = ZipError::of(&err).unwrap_or_else(|| panic!("{file}: untyped error {err:?}"));
    let got = (variant(typed), err.kind());
    assert_eq!(got, (want.0, want.1), "{file} {op:?}: {err}");
    assert!(
        err.to_string().contains(want.2),
        "{file} {op:?}: {err:?} lacks {:?}",
        want.2
    );
    assert_eq!(
        files_under(tmp.path()),
        Vec::<String>::new(),
        "{file}: extraction left files"
    );
}

/// Every file (not directory) under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path.display().to_string());
        }
    }
    files
}

#[test]
fn corpus_archives_fail_as_the_table_says() {
    use io::ErrorKind::{InvalidData, PermissionDenied, Unsupported};
    let table: &[(&str, Op, Want)] = &[
        (
            "traversal.zip",
            Op::Extract,
            (
                "UnsafeName",
                InvalidData,
                "\"../evil.txt\": the name has a '..' component",
            ),
        ),
        (
            "nested_traversal.zip",
            Op::Extract,
            ("UnsafeName", InvalidData, "'..' component"),
        ),
        (
            "absolute.zip",
            Op::Extract,
            ("UnsafeName", InvalidData, "absolute path"),
        ),
        (
            "drive.zip",
            Op::Extract,
            ("UnsafeName", InvalidData, "drive letter"),
        ),
        (
            "backslash.zip",
            Op::Extract,
            ("UnsafeName", InvalidData, "backslash"),
        ),
        (
            "symlink.zip",
            Op::Extract,
            (
                "Unsupported",
                Unsupported,
                "entry \"link\" is not supported: symbolic links",
            ),
        ),
        (
            "bomb.zip",
            Op::Read("zeros.bin"),
            (
                "RatioExceeded",
                InvalidData,
                "inflates 2049 bytes to 2097152",
            ),
        ),
        (
            "bomb.zip",
            Op::Extract,
            ("RatioExceeded", InvalidData, "zip bomb"),
        ),
        (
            "lying_small.zip",
            Op::Read("zeros.bin"),
            ("Corrupt", InvalidData, "holds more than the 100 bytes"),
        ),
        (
            "lying_small.zip",
            Op::Extract,
            ("Corrupt", InvalidData, "entry \"zeros.bin\" is corrupt"),
        ),
        (
            "lying_large.zip",
            Op::Read("zeros.bin"),
            (
                "SizeMismatch",
                InvalidData,
                "declares 1000 uncompressed bytes but holds 10",
            ),
        ),
        (
            "bad_crc.zip",
            Op::Read("data.txt"),
            ("ChecksumMismatch", InvalidData, "its checksum is"),
        ),
        (
            "encrypted.zip",
            Op::Read("secret.txt"),
            (
                "PasswordRequired",
                PermissionDenied,
                "entry \"secret.txt\" is encrypted",
            ),
        ),
        (
            "truncated.zip",
            Op::Open,
            ("NotZip", InvalidData, "not a ZIP file"),
        ),
        (
            "whole.zip",
            Op::Read("c.txt"),
            ("EntryNotFound", io::ErrorKind::NotFound, "\"c.txt\""),
        ),
    ];
    for &(file, op, want) in table {
        check(file, op, Limits::default(), want);
    }
}

#[test]
fn hostile_names_can_still_be_listed_and_read_into_memory() -> io::Result<()> {
    let mut reader = ZipReader::new(corpus("traversal.zip"))?;
    assert_eq!(reader.entries()[0].name, "../evil.txt");
    assert_eq!(reader.read("../evil.txt")?, &b"owned"[..]);
    Ok(())
}

#[test]
fn limits_on_size_ratio_and_entry_count() {
    let mut small = Limits::default();
    small.max_total_size = 300;
    check(
        "whole.zip",
        Op::Extract,
        small,
        ("SizeLimitExceeded", io::ErrorKind::InvalidData, "\"b.txt\""),
    );
    small.max_total_size = 100;
    check(
        "whole.zip",
        Op::Read("a.txt"),
        small,
        (
            "SizeLimitExceeded",
            io::ErrorKind::InvalidData,
            "limit of 100 bytes",
        ),
    );

    let mut strict = Limits::default();
    strict.max_ratio = 2;
    strict.ratio_threshold = 16;
    check(
        "whole.zip",
        Op::Read("a.txt"),
        strict,
        (
            "RatioExceeded",
            io::ErrorKind::InvalidData,
            "ratio limit of 2",
        ),
    );

    let mut few = Limits::default();
    few.max_entries = 1;
    check(
        "whole.zip",
        Op::Open,
        few,
        (
            "TooManyEntries",
            io::ErrorKind::InvalidData,
            "lists 2 entries",
        ),
    );

    // The same archive within the default limits extracts.
    let tmp = tempfile::tempdir().expect("temp dir");
    let written = ZipReader::new(corpus("whole.zip"))
        .and_then(|mut r| r.extract(tmp.path()))
        .expect("extract");
    assert_eq!(written.len(), 2);
    assert_eq!(fs::read(&written[1]).expect("b.txt"), b"beta ".repeat(40));
}

#[test]
fn every_truncation_is_an_error_never_a_panic() {
    let whole = corpus("whole.zip");
    for len in 0..whole.len() {
        let result = ZipReader::new(whole[..len].to_vec()).and_then(|mut r| r.read("a.txt"));
        let err = result.expect_err(&format!("truncated to {len} bytes"));
        assert!(ZipError::of(&err).is_some(), "{len}: untyped {err:?}");
    }
}

#[test]
fn every_flipped_byte_is_an_error_or_the_right_bytes() {
    let whole = corpus("whole.zip");
    for at in 0..whole.len() {
        let mut bytes = whole.clone();
        bytes[at] ^= 0x55;
        // A flip in a field nobody checks (a timestamp, the version) may go unnoticed; anything else
        // must fail, and no flip may make it return other bytes.
        if let Ok(data) = ZipReader::new(bytes).and_then(|mut r| r.read("a.txt")) {
            assert_eq!(data, b"alpha ".repeat(40), "flip at {at}");
        }
    }
}

#[test]
fn extract_never_overwrites() -> io::Result<()> {
    let mut zip = ZipBuilder::new();
    zip.add_bytes("dir/a.txt", b"new", Compression::Stored)?;
    let archive = zip.finish()?;
    let tmp = tempfile::tempdir()?;
    fs::create_dir(tmp.path().join("dir"))?;
    fs::write(tmp.path().join("dir/a.txt"), b"old")?;
    let err = ZipReader::new(archive)?.extract(tmp.path()).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
    assert!(
        matches!(ZipError::of(&err), Some(ZipError::Extract { name, .. }) if name == "dir/a.txt"),
        "{err}"
    );
    assert_eq!(fs::read(tmp.path().join("dir/a.txt"))?, b"old");
    Ok(())
}

#[test]
fn python_archives_with_directories_and_utf8_names_extract() -> io::Result<()> {
    use strata_zip::EntryKind::{Directory, File};
    let mut reader = ZipReader::new(corpus("dirs.zip"))?;
    let listed: Vec<(String, strata_zip::EntryKind)> = reader
        .entries()
        .iter()
        .map(|e| (e.name.clone(), e.kind))
        .collect();
    let want = [
        ("d/", Directory),
        ("d/e/", Directory),
        ("d/e/f.txt", File),
        ("d/été.txt", File),
    ];
    assert_eq!(listed, want.map(|(name, kind)| (name.to_owned(), kind)));
    let tmp = tempfile::tempdir()?;
    let written = reader.extract(tmp.path())?;
    assert_eq!(
        written,
        [tmp.path().join("d/e/f.txt"), tmp.path().join("d/été.txt")]
    );
    assert_eq!(fs::read(tmp.path().join("d/e/f.txt"))?, b"deep");
    assert_eq!(fs::read(tmp.path().join("d/été.txt"))?, b"summer");
    Ok(())
}
