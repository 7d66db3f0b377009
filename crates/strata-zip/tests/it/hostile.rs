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
    assert_fails(result, want, &format!("{file} {op:?}"));
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
        let typed = ZipError::of(&err).unwrap_or_else(|| panic!("{len}: untyped {err:?}"));
        assert_eq!(err.kind(), typed.kind(), "{len}: {err}");
    }
}

#[test]
fn every_flipped_byte_is_an_error_or_the_right_bytes() {
    let whole = corpus("whole.zip");
    for at in 0..whole.len() {
        for flip in [0x01, 0x55, 0xff] {
            let mut bytes = whole.clone();
            bytes[at] ^= flip;
            // A flip in a field nobody checks (a timestamp, the version) may go unnoticed; anything
            // else must fail with a typed error whose kind is its variant's, and no flip may make it
            // return other bytes.
            match ZipReader::new(bytes).and_then(|mut r| r.read("a.txt")) {
                Ok(data) => assert_eq!(data, b"alpha ".repeat(40), "flip {flip:#x} at {at}"),
                Err(err) => {
                    let typed = ZipError::of(&err)
                        .unwrap_or_else(|| panic!("flip {flip:#x} at {at}: untyped {err:?}"));
                    assert_eq!(err.kind(), typed.kind(), "flip {flip:#x} at {at}: {err}");
                }
            }
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

/// An archive assembled field by field, for shapes no writer makes: stored entries whose local and
/// central headers are given separately.
#[derive(Default)]
struct Raw {
    out: Vec<u8>,
    central: Vec<u8>,
    count: u16,
}

impl Raw {
    /// Appends a local header for `name` (stored, with `flags`) followed by `data`; returns its offset.
    fn local(&mut self, name: &str, data: &[u8], flags: u16) -> u32 {
        let offset = self.out.len() as u32;
        let len = data.len() as u32;
        self.out.extend_from_slice(b"PK\x03\x04\x14\x00");
        self.out.extend_from_slice(&flags.to_le_bytes());
        self.out.extend_from_slice(&[0; 6]); // method 0, time, date
        for field in [crc32fast::hash(data), len, len] {
            self.out.extend_from_slice(&field.to_le_bytes());
        }
        self.out
            .extend_from_slice(&(name.len() as u16).to_le_bytes());
        self.out.extend_from_slice(&[0, 0]);
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(data);
        offset
    }

    /// Appends a central header for `name` at `offset` whose `size` stored bytes have CRC `crc`.
    fn central(&mut self, name: &str, offset: u32, size: u32, crc: u32, flags: u16) {
        self.count += 1;
        let c = &mut self.central;
        c.extend_from_slice(b"PK\x01\x02\x14\x03\x14\x00");
        c.extend_from_slice(&flags.to_le_bytes());
        c.extend_from_slice(&[0; 6]);
        for field in [crc, size, size] {
            c.extend_from_slice(&field.to_le_bytes());
        }
        c.extend_from_slice(&(name.len() as u16).to_le_bytes());
        c.extend_from_slice(&[0; 12]); // extra, comment, disk, internal and external attributes
        c.extend_from_slice(&offset.to_le_bytes());
        c.extend_from_slice(name.as_bytes());
    }

    /// An entry whose local and central headers agree.
    fn entry(&mut self, name: &str, data: &[u8]) {
        let offset = self.local(name, data, 0);
        self.central(name, offset, data.len() as u32, crc32fast::hash(data), 0);
    }

    fn finish(mut self) -> Vec<u8> {
        let start = self.out.len() as u32;
        self.out.extend_from_slice(&self.central);
        self.out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        self.out.extend_from_slice(&self.count.to_le_bytes());
        self.out.extend_from_slice(&self.count.to_le_bytes());
        self.out
            .extend_from_slice(&(self.central.len() as u32).to_le_bytes());
        self.out.extend_from_slice(&start.to_le_bytes());
        self.out.extend_from_slice(&[0, 0]);
        self.out
    }
}

/// Checks that `result` failed with the `ZipError` variant named `variant`, of kind `kind`, with a
/// message containing `fragment`.
fn assert_fails<T: std::fmt::Debug>(
    result: io::Result<T>,
    (variant_name, kind, fragment): Want,
    what: &str,
) {
    let err = result.expect_err(what);
    let typed = ZipError::of(&err).unwrap_or_else(|| panic!("{what}: untyped {err:?}"));
    assert_eq!(
        (variant(typed), err.kind()),
        (variant_name, kind),
        "{what}: {err}"
    );
    assert!(
        err.to_string().contains(fragment),
        "{what}: {err} lacks {fragment:?}"
    );
}

#[test]
fn overlapping_entries_are_listed_but_never_read() -> io::Result<()> {
    use io::ErrorKind::InvalidData;
    // Full overlap: 1 000 central records share one local header and its deflated megabyte of zeros
    // (the shape of the 10 000-entry bomb that inflates 521 KB to 10 GB).
    let mut limits = Limits::default();
    limits.max_ratio = 10_000;
    let mut zip = ZipBuilder::new();
    zip.add_bytes("kernel", vec![0; 1 << 20], Compression::Deflated(9))?;
    let one = zip.finish()?;
    let eocd = one.len() - 22;
    let cd_start =
        u32::from_le_bytes(one[eocd + 16..eocd + 20].try_into().expect("4 bytes")) as usize;
    let record = &one[cd_start..eocd];
    let mut bomb = one[..cd_start].to_vec();
    for _ in 0..1000 {
        bomb.extend_from_slice(record);
    }
    bomb.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    bomb.extend_from_slice(&1000u16.to_le_bytes());
    bomb.extend_from_slice(&1000u16.to_le_bytes());
    bomb.extend_from_slice(&((record.len() * 1000) as u32).to_le_bytes());
    bomb.extend_from_slice(&(cd_start as u32).to_le_bytes());
    bomb.extend_from_slice(&[0, 0]);
    let mut reader = ZipReader::with_limits(bomb, limits)?;
    assert_eq!(reader.len(), 1000);
    for index in [0, 1, 999] {
        let want = ("Overlap", InvalidData, "overlaps entry \"kernel\"");
        assert_fails(reader.read_index(index), want, "full overlap");
    }

    // Partial overlap: "outer" claims the bytes of the local header and data of "inner".
    let mut raw = Raw::default();
    let outer = raw.local("outer", b"", 1 << 3);
    raw.entry("inner", b"inner data");
    let claimed = raw.out[outer as usize + 35..].to_vec();
    raw.central(
        "outer",
        outer,
        claimed.len() as u32,
        crc32fast::hash(&claimed),
        1 << 3,
    );
    let mut reader = ZipReader::new(raw.finish())?;
    assert_eq!(reader.read("inner")?, &b"inner data"[..]);
    let want = (
        "Overlap",
        InvalidData,
        "entry \"outer\" overlaps entry \"inner\"",
    );
    assert_fails(reader.read("outer"), want, "partial overlap");
    Ok(())
}

#[test]
fn local_headers_that_disagree_with_the_directory_are_refused() {
    use io::ErrorKind::InvalidData;
    let whole = corpus("whole.zip");
    let cases: &[(usize, &str)] = &[
        (8, "disagree on the compression method"),
        (18, "disagree on the compressed size"),
        (30, "disagree on the name"),
        (0, "local header is missing"),
    ];
    for &(at, fragment) in cases {
        let mut bytes = whole.clone();
        bytes[at] ^= 0x01;
        let result = ZipReader::new(bytes).and_then(|mut r| r.read("a.txt"));
        assert_fails(result, ("Corrupt", InvalidData, fragment), fragment);
    }
}

#[test]
fn the_size_budget_spans_every_read_of_a_reader() -> io::Result<()> {
    // a.txt is 240 bytes: four reads fit in 1 000 bytes, the fifth does not.
    let mut limits = Limits::default();
    limits.max_total_size = 1000;
    let mut reader = ZipReader::with_limits(corpus("whole.zip"), limits)?;
    for _ in 0..4 {
        reader.read("a.txt")?;
    }
    let want = (
        "SizeLimitExceeded",
        io::ErrorKind::InvalidData,
        "limit of 1000 bytes",
    );
    assert_fails(reader.read("a.txt"), want, "fifth read");
    Ok(())
}

#[test]
fn an_archive_missing_bytes_is_truncated() {
    let whole = corpus("whole.zip");
    let mut cut = whole[..40].to_vec();
    cut.extend_from_slice(&whole[50..]);
    let want = (
        "Truncated",
        io::ErrorKind::UnexpectedEof,
        "truncated archive",
    );
    assert_fails(ZipReader::new(cut), want, "10 bytes cut");
}

#[test]
fn disk_numbers_count_only_in_the_zip64_locator() -> io::Result<()> {
    // Some writers fill in the plain end record's disk numbers for a single-file archive; CPython
    // ignores them, and so does Strata.
    let mut bytes = corpus("whole.zip");
    let eocd = bytes.len() - 22;
    assert_eq!(bytes[eocd..eocd + 4], *b"PK\x05\x06");
    bytes[eocd + 4..eocd + 8].copy_from_slice(&[1, 0, 1, 0]);
    let mut reader = ZipReader::new(bytes)?;
    assert_eq!(reader.entries().len(), 2);
    assert_eq!(reader.read("a.txt")?.len(), corpus_entry_len("a.txt"));
    Ok(())
}

/// The length of entry `name` of the corpus's `whole.zip`, as its unmodified reader reads it.
fn corpus_entry_len(name: &str) -> usize {
    ZipReader::new(corpus("whole.zip"))
        .and_then(|mut r| r.read(name))
        .map_or(0, |data| data.len())
}

#[test]
fn extract_refuses_names_that_collide() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["same.txt", "same.txt"],
            "entry \"same.txt\" would be extracted over entry \"same.txt\"",
        ),
        (
            &["Read.me", "read.ME"],
            "\"read.ME\" would be extracted over entry \"Read.me\"",
        ),
        (&["d/", "d"], "\"d\" would be extracted over entry \"d/\""),
        (
            &["a", "a/b.txt"],
            "\"a/b.txt\" would be extracted over entry \"a\"",
        ),
    ];
    for &(names, fragment) in cases {
        let mut raw = Raw::default();
        for name in names {
            raw.entry(name, name.as_bytes());
        }
        let tmp = tempfile::tempdir().expect("temp dir");
        let result = ZipReader::new(raw.finish()).and_then(|mut r| r.extract(tmp.path()));
        let want = ("NameCollision", io::ErrorKind::InvalidData, fragment);
        assert_fails(result, want, fragment);
        assert_eq!(files_under(tmp.path()), Vec::<String>::new(), "{names:?}");
    }
}

#[test]
fn refusing_a_hostile_archive_allocates_little() {
    // The counter counts: a 1 MiB buffer shows.
    let (_, peak) = crate::alloc::peak_during(|| std::hint::black_box(vec![1u8; 1 << 20]));
    assert!(peak >= 1 << 20, "{peak}");
    // Headers claiming 4 GiB for an entry, a directory of 10 000 entries that is not there, a
    // thousandfold bomb, entries sharing one kernel: each refused with well under 1 MiB allocated.
    let mut huge = corpus("whole.zip");
    let central = huge.len() - 22 - 2 * (46 + 5);
    huge[central + 24..central + 28].copy_from_slice(&u32::MAX.to_le_bytes());
    let mut phantom = corpus("whole.zip");
    let eocd = phantom.len() - 22;
    phantom[eocd + 8..eocd + 12].copy_from_slice(&[0x10, 0x27, 0x10, 0x27]);
    let cases: &[(&str, Vec<u8>, &str)] = &[
        ("4 GiB claim", huge, "a.txt"),
        ("phantom directory", phantom, "a.txt"),
        ("bomb", corpus("bomb.zip"), "zeros.bin"),
        ("lying small", corpus("lying_small.zip"), "zeros.bin"),
    ];
    for (what, bytes, name) in cases {
        let bytes = bytes::Bytes::from(bytes.clone());
        let (result, peak) = crate::alloc::peak_during(|| {
            ZipReader::new(bytes).and_then(|mut reader| reader.read(name))
        });
        assert!(result.is_err(), "{what}: read");
        assert!(peak < 256 << 10, "{what}: {peak} bytes allocated");
    }
}
