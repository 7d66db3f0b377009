//! Hostile archives: each must give its typed error, never a panic, never an allocation past the
//! limits, and leave nothing extracted.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

use proptest::prelude::*;
use strata_tar::{Attrs, Compression, Limits, TarBuilder, TarError, TarReader};

use crate::alloc::peak_during;
use crate::python;

/// What to do with an archive.
#[derive(Clone, Copy, Debug)]
enum Op {
    /// Read every entry to its end.
    ReadAll,
    /// Extract everything into a fresh directory.
    Extract,
}

/// The error expected: the variant's name, the kind, and a fragment of the message.
type Want = (&'static str, io::ErrorKind, &'static str);

fn variant(err: &TarError) -> &'static str {
    match err {
        TarError::UnsafeName { .. } => "UnsafeName",
        TarError::LinkEscapes { .. } => "LinkEscapes",
        TarError::EntryTooLarge { .. } => "EntryTooLarge",
        TarError::SizeLimitExceeded { .. } => "SizeLimitExceeded",
        TarError::TooManyEntries { .. } => "TooManyEntries",
        TarError::NameTooLong { .. } => "NameTooLong",
        TarError::PaxTooLarge { .. } => "PaxTooLarge",
        TarError::Truncated { .. } => "Truncated",
        TarError::Corrupt { .. } => "Corrupt",
        TarError::Unsupported { .. } => "Unsupported",
        TarError::Extract { .. } => "Extract",
        _ => "other",
    }
}

/// Reads every entry of `archive` to its end under `limits`.
fn read_all(archive: &[u8], limits: Limits) -> io::Result<()> {
    let mut reader = TarReader::with_limits(archive, limits)?;
    while let Some(mut entry) = reader.next_entry()? {
        io::copy(&mut entry, &mut io::sink())?;
    }
    Ok(())
}

/// Runs `op` on `archive` under `limits`: checks the error against `want`, that the thread allocated
/// less than 1 MiB doing so, and that no file was extracted.
fn check(what: &str, archive: &[u8], op: Op, limits: Limits, want: Want) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let target = tmp.path().join("target");
    let (result, peak) = peak_during(|| match op {
        Op::ReadAll => read_all(archive, limits),
        Op::Extract => TarReader::with_limits(archive, limits)
            .and_then(|mut reader| reader.extract(&target))
            .map(drop),
    });
    let err = result.expect_err(what);
    let typed = TarError::of(&err).unwrap_or_else(|| panic!("{what}: untyped error {err:?}"));
    assert_eq!(
        (variant(typed), err.kind()),
        (want.0, want.1),
        "{what}: {err}"
    );
    assert!(
        err.to_string().contains(want.2),
        "{what}: {err} lacks {:?}",
        want.2
    );
    assert!(peak < 1 << 20, "{what}: allocated {peak} bytes");
    assert_eq!(files_under(tmp.path()), Vec::<String>::new(), "{what}");
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

/// A valid archive: one 1000-byte file, then a second small one.
fn valid() -> Vec<u8> {
    let mut tar = TarBuilder::new();
    tar.add_bytes("first.bin", vec![1; 1000], Attrs::default())
        .expect("add");
    tar.add_bytes("second.txt", b"two", Attrs::default())
        .expect("add");
    tar.finish().expect("finish").to_vec()
}

/// A lone header of type `flag` for `name` declaring `size` bytes, with a correct checksum, followed
/// by `data` (not padded).
fn header(name: &[u8], flag: u8, size: u64, link: &str, data: &[u8]) -> Vec<u8> {
    let mut header = tar::Header::new_ustar();
    header.as_old_mut().name[..name.len()].copy_from_slice(name);
    header.set_entry_type(tar::EntryType::new(flag));
    header.set_size(size);
    header.set_mode(0o644);
    if !link.is_empty() {
        header.set_link_name(link).expect("link name");
    }
    header.set_cksum();
    let mut out = header.as_bytes().to_vec();
    out.extend_from_slice(data);
    out
}

/// An archive written by `tarfile` from Python statements that use `add(name, data, kind, link)`.
fn from_python(body: &str) -> Vec<u8> {
    let script = format!(
        r#"
import io, sys, tarfile
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
    def add(name, data=b"", kind=tarfile.REGTYPE, link=""):
        info = tarfile.TarInfo(name)
        info.type, info.linkname, info.size = kind, link, len(data)
        t.addfile(info, io.BytesIO(data))
{body}
sys.stdout.buffer.write(buf.getvalue())
"#
    );
    python(&script, b"")
}

#[test]
fn hostile_archives_fail_as_the_table_says() {
    use io::ErrorKind::{AlreadyExists, InvalidData, UnexpectedEof, Unsupported};
    let full = valid();
    let mut bad_checksum = full.clone();
    bad_checksum[0] = b'F';
    let mut gzip = TarBuilder::on_sink(Vec::new(), Compression::Gzip(6)).expect("builder");
    gzip.add_bytes("a.txt", "text ".repeat(1000), Attrs::default())
        .expect("add");
    let gzip = gzip.finish().expect("finish").to_vec();
    let mut broken_gzip = gzip.clone();
    broken_gzip[20] ^= 0xff;
    let mut small = Limits::default();
    small.max_entries = 1;
    let mut tight = Limits::default();
    tight.max_total_size = 1001;
    let default = Limits::default();

    let table: Vec<(&str, Vec<u8>, Op, Limits, Want)> = vec![
        (
            "empty stream",
            Vec::new(),
            Op::ReadAll,
            default,
            ("Corrupt", InvalidData, "empty file"),
        ),
        (
            "truncated header",
            full[..300].to_vec(),
            Op::ReadAll,
            default,
            ("Truncated", UnexpectedEof, "inside a header"),
        ),
        (
            "truncated data",
            full[..900].to_vec(),
            Op::ReadAll,
            default,
            ("Truncated", UnexpectedEof, "inside entry \"first.bin\""),
        ),
        (
            "bad checksum",
            bad_checksum,
            Op::ReadAll,
            default,
            ("Corrupt", InvalidData, "checksum"),
        ),
        (
            "size beyond the data",
            header(b"liar.bin", b'0', 1 << 30, "", &[7; 512]),
            Op::ReadAll,
            default,
            ("Truncated", UnexpectedEof, "\"liar.bin\""),
        ),
        (
            "size beyond the data, extracted",
            header(b"liar.bin", b'0', 1 << 30, "", &[7; 512]),
            Op::Extract,
            default,
            ("Truncated", UnexpectedEof, "\"liar.bin\""),
        ),
        (
            "entry claiming 100 GiB",
            header(b"huge.bin", b'0', 100 << 30, "", &[]),
            Op::ReadAll,
            default,
            ("EntryTooLarge", InvalidData, "107374182400 bytes"),
        ),
        (
            "pax header claiming 4 GiB",
            header(
                b"././@PaxHeader",
                b'x',
                4 << 30,
                "",
                b"30 path=aaaaaaaaaaaaaaaaaaaa\n",
            ),
            Op::ReadAll,
            default,
            ("PaxTooLarge", InvalidData, "4294967296 bytes"),
        ),
        (
            "GNU long name claiming 1 GiB",
            header(b"././@LongLink", b'L', 1 << 30, "", b"aaaa"),
            Op::ReadAll,
            default,
            ("NameTooLong", InvalidData, "1073741824 bytes"),
        ),
        (
            "malformed pax record",
            [
                header(b"././@PaxHeader", b'x', 12, "", b"99 path=abc\n"),
                vec![0; 500],
            ]
            .concat(),
            Op::ReadAll,
            default,
            ("Corrupt", InvalidData, "malformed pax record"),
        ),
        (
            "name not UTF-8",
            [header(b"caf\xe9.txt", b'0', 0, "", &[]), vec![0; 1024]].concat(),
            Op::ReadAll,
            default,
            ("Corrupt", InvalidData, "not valid UTF-8"),
        ),
        (
            "broken gzip",
            broken_gzip,
            Op::ReadAll,
            default,
            ("Corrupt", InvalidData, "gzip"),
        ),
        (
            "truncated gzip",
            gzip[..gzip.len() / 2].to_vec(),
            Op::ReadAll,
            default,
            ("Truncated", UnexpectedEof, "truncated"),
        ),
        (
            "more entries than the limit",
            valid(),
            Op::ReadAll,
            small,
            ("TooManyEntries", InvalidData, "more than 1 entries"),
        ),
        (
            "more bytes than the limit",
            valid(),
            Op::ReadAll,
            tight,
            ("SizeLimitExceeded", InvalidData, "\"second.txt\""),
        ),
        (
            "traversal",
            from_python(r#"    add("../evil.txt", b"x")"#),
            Op::Extract,
            default,
            ("UnsafeName", InvalidData, "'..' component"),
        ),
        (
            "nested traversal",
            from_python(r#"    add("a/../../evil.txt", b"x")"#),
            Op::Extract,
            default,
            ("UnsafeName", InvalidData, "'..' component"),
        ),
        (
            "absolute path",
            from_python(r#"    add("/tmp/evil.txt", b"x")"#),
            Op::Extract,
            default,
            ("UnsafeName", InvalidData, "absolute path"),
        ),
        (
            "symlink escaping",
            from_python(r#"    add("sub/link", kind=tarfile.SYMTYPE, link="../../etc")"#),
            Op::Extract,
            default,
            ("LinkEscapes", InvalidData, "\"../../etc\""),
        ),
        (
            "absolute symlink",
            from_python(r#"    add("link", kind=tarfile.SYMTYPE, link="/etc/passwd")"#),
            Op::Extract,
            default,
            ("LinkEscapes", InvalidData, "outside the target directory"),
        ),
        (
            "symlink inside",
            from_python(r#"    add("sub/link", kind=tarfile.SYMTYPE, link="../other")"#),
            Op::Extract,
            default,
            (
                "Unsupported",
                Unsupported,
                "symbolic links are not extracted",
            ),
        ),
        (
            "hard link escaping",
            from_python(r#"    add("link", kind=tarfile.LNKTYPE, link="../secret")"#),
            Op::Extract,
            default,
            ("LinkEscapes", InvalidData, "\"../secret\""),
        ),
        (
            "hard link to nothing extracted",
            from_python(r#"    add("link", kind=tarfile.LNKTYPE, link="later.txt")"#),
            Op::Extract,
            default,
            ("Unsupported", Unsupported, "a hard link must point"),
        ),
        (
            "character device",
            from_python(r#"    add("tty", kind=tarfile.CHRTYPE)"#),
            Op::Extract,
            default,
            ("Unsupported", Unsupported, "device files"),
        ),
        (
            "FIFO",
            from_python(r#"    add("pipe", kind=tarfile.FIFOTYPE)"#),
            Op::Extract,
            default,
            ("Unsupported", Unsupported, "FIFOs"),
        ),
        (
            "file where a directory stands",
            from_python("    add(\"d\", kind=tarfile.DIRTYPE)\n    add(\"d\", b\"x\")"),
            Op::Extract,
            default,
            ("Extract", AlreadyExists, "cannot extract entry \"d\""),
        ),
    ];
    for (what, archive, op, limits, want) in table {
        check(what, &archive, op, limits, want);
    }
}

#[test]
fn duplicates_are_never_overwritten_and_earlier_entries_stay() {
    let archive = from_python("    add(\"a.txt\", b\"first\")\n    add(\"a.txt\", b\"second\")");
    let dir = tempfile::tempdir().expect("temp dir");
    let err = TarReader::new(&archive[..])
        .and_then(|mut reader| reader.extract(dir.path()))
        .expect_err("duplicate");
    assert_eq!(err.kind(), io::ErrorKind::AlreadyExists, "{err}");
    assert_eq!(
        TarError::of(&err).map(TarError::python_class),
        Some("FileExistsError")
    );
    assert_eq!(fs::read(dir.path().join("a.txt")).expect("read"), b"first");
}

#[test]
fn a_hard_link_to_an_earlier_file_is_extracted_as_a_copy() {
    // GNU tar's `tar cf x.tar .` names: `./` itself, then `./…`.
    let archive = from_python(
        "    add(\"./\", kind=tarfile.DIRTYPE)\n    add(\"./d/a.txt\", b\"alpha\")\n    \
         add(\"./d/b.txt\", kind=tarfile.LNKTYPE, link=\"./d/a.txt\")",
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let written = TarReader::new(&archive[..])
        .and_then(|mut reader| reader.extract(dir.path()))
        .expect("extract");
    assert_eq!(written.len(), 2);
    assert_eq!(fs::read(&written[1]).expect("read"), b"alpha");
}

#[test]
fn python_classes_match_tarfile_for_extraction_errors() {
    // CPython's `data` filter strips the leading '/' of an absolute name and extracts it; Strata
    // refuses it (as strata-zip does), with the class CPython uses for names absolute even then.
    let archive = from_python(r#"    add("/abs.txt", b"x")"#);
    let err = TarReader::new(&archive[..])
        .and_then(|mut reader| reader.extract(tempfile::tempdir()?.path()))
        .expect_err("absolute");
    assert_eq!(
        TarError::of(&err).map(TarError::python_class),
        Some("tarfile.AbsolutePathError")
    );
    let table: &[(&str, &str)] = &[
        (
            r#"    add("../up.txt", b"x")"#,
            "tarfile.OutsideDestinationError",
        ),
        (
            r#"    add("l", kind=tarfile.SYMTYPE, link="../x")"#,
            "tarfile.LinkOutsideDestinationError",
        ),
        (
            r#"    add("dev", kind=tarfile.BLKTYPE)"#,
            "tarfile.SpecialFileError",
        ),
    ];
    for &(body, class) in table {
        let archive = from_python(body);
        let dir = tempfile::tempdir().expect("temp dir");
        let err = TarReader::new(&archive[..])
            .and_then(|mut reader| reader.extract(dir.path()))
            .expect_err(body);
        assert_eq!(
            TarError::of(&err).map(TarError::python_class),
            Some(class),
            "{body}"
        );
        // CPython's own `data` filter raises the same class on the same archive.
        let script = "import io, sys, tarfile, tempfile\n\
             t = tarfile.open(fileobj=io.BytesIO(sys.stdin.buffer.read()))\n\
             try:\n    t.extractall(tempfile.mkdtemp(), filter='data')\n\
             except Exception as e:\n    print('tarfile.' + type(e).__name__, end='')\n";
        let python_class = python(script, &archive);
        assert_eq!(String::from_utf8_lossy(&python_class), class, "{body}");
    }
}

/// A reader that fails with `ConnectionReset` after `ok` bytes: the source's error passes through
/// untyped, with its own kind.
struct Failing<'a> {
    data: &'a [u8],
    ok: usize,
}

impl Read for Failing<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.ok == 0 {
            return Err(io::ErrorKind::ConnectionReset.into());
        }
        let n = buf.len().min(self.ok).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        (self.data, self.ok) = (&self.data[n..], self.ok - n);
        Ok(n)
    }
}

#[test]
fn errors_of_the_source_keep_their_kind() {
    let archive = valid();
    for ok in [0, 2, 100, 600, 1600] {
        let source = Failing { data: &archive, ok };
        let err = TarReader::new(source)
            .and_then(|mut reader| {
                while let Some(mut entry) = reader.next_entry()? {
                    io::copy(&mut entry, &mut io::sink())?;
                }
                Ok(())
            })
            .expect_err("fails");
        assert_eq!(
            err.kind(),
            io::ErrorKind::ConnectionReset,
            "after {ok}: {err}"
        );
        assert!(TarError::of(&err).is_none(), "after {ok}");
        // Extracting too: the source's error is not the file system's.
        let dir = tempfile::tempdir().expect("temp dir");
        let source = Failing { data: &archive, ok };
        let err = TarReader::new(source)
            .and_then(|mut reader| reader.extract(dir.path()))
            .expect_err("fails");
        assert_eq!(
            err.kind(),
            io::ErrorKind::ConnectionReset,
            "extract after {ok}: {err}"
        );
        assert!(TarError::of(&err).is_none(), "extract after {ok}");
        // `first.bin`'s data ends at byte 1512: a file cut before is removed, a whole one stays.
        let whole = if ok >= 1512 {
            vec![1; 1000]
        } else {
            Vec::new()
        };
        let left = fs::read(dir.path().join("first.bin")).unwrap_or_default();
        assert_eq!(left, whole, "after {ok}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Damaged archives: reading and extracting never panic, and allocate within the limits.
    #[test]
    fn mutated_archives_never_panic(
        flips in prop::collection::vec((0usize..4096, any::<u8>()), 1..8),
        cut in 0usize..4096,
        gzip in any::<bool>(),
    ) {
        let mut tar = TarBuilder::on_sink(Vec::new(), if gzip { Compression::Gzip(1) } else { Compression::None })
            .expect("builder");
        tar.add_bytes(&format!("{}/long.txt", "d".repeat(150)), "data ".repeat(300), Attrs::default())
            .expect("add");
        tar.add_bytes("b.bin", [9; 700], Attrs::default()).expect("add");
        let mut archive = tar.finish().expect("finish").to_vec();
        for (at, byte) in flips {
            let len = archive.len();
            archive[at % len] = byte;
        }
        archive.truncate(cut.max(1).min(archive.len()));
        let mut limits = Limits::default();
        limits.max_entry_size = 64 << 10;
        limits.max_pax_size = 16 << 10;
        let (_, peak) = peak_during(|| read_all(&archive, limits));
        prop_assert!(peak < 1 << 20, "allocated {} bytes", peak);
        let dir = tempfile::tempdir().expect("temp dir");
        let _ = TarReader::with_limits(&archive[..], limits).and_then(|mut r| r.extract(dir.path()));
    }
}
