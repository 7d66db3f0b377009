//! Hostile archives: each must give its typed error, never a panic, never an allocation past the
//! limits, and leave nothing extracted.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

use proptest::prelude::*;
use strata_tar::{Attrs, Compression, Limits, ShardReader, TarBuilder, TarError, TarReader};

use crate::alloc::peak_during;
use crate::{Member, python, python_members};

/// What to do with an archive.
#[derive(Clone, Copy, Debug)]
enum Op {
    /// Read every entry to its end.
    ReadAll,
    /// Extract everything into a fresh directory.
    Extract,
    /// Parse every header, reading no data.
    Headers,
    /// Read every sample with a `ShardReader`.
    Samples,
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
        TarError::SampleTooLarge { .. } => "SampleTooLarge",
        TarError::Poisoned { .. } => "Poisoned",
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
        Op::Headers => TarReader::with_limits(archive, limits).and_then(|mut reader| {
            while reader.next_entry()?.is_some() {}
            Ok(())
        }),
        Op::Samples => ShardReader::with_limits(archive, limits)
            .and_then(|reader| reader.collect::<io::Result<Vec<_>>>())
            .map(drop),
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
    let mut unbounded = Limits::default();
    unbounded.max_entry_size = u64::MAX;
    unbounded.max_total_size = u64::MAX;
    let mut small_samples = Limits::default();
    small_samples.max_sample_size = 1000;
    let mut sample = TarBuilder::new();
    sample
        .add_bytes("k.x", [1; 600], Attrs::default())
        .expect("add");
    sample
        .add_bytes("k.y", [2; 600], Attrs::default())
        .expect("add");
    let sample = sample.finish().expect("finish").to_vec();
    let padded = |mut archive: Vec<u8>| {
        archive.resize(archive.len().div_ceil(512) * 512, 0);
        archive
    };

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
        (
            "pax record then the end block",
            [
                padded(header(
                    b"././@PaxHeader",
                    b'x',
                    19,
                    "",
                    b"19 path=abcdefghij\n",
                )),
                vec![0; 1024],
            ]
            .concat(),
            Op::ReadAll,
            default,
            ("Corrupt", InvalidData, "followed by the end of the archive"),
        ),
        (
            "GNU long name then the end block",
            [
                padded(header(b"././@LongLink", b'L', 4, "", b"abc\0")),
                vec![0; 1024],
            ]
            .concat(),
            Op::ReadAll,
            default,
            ("Corrupt", InvalidData, "followed by the end of the archive"),
        ),
        (
            "GNU long link then the end block",
            [
                padded(header(b"././@LongLink", b'K', 4, "", b"abc\0")),
                vec![0; 1024],
            ]
            .concat(),
            Op::ReadAll,
            default,
            ("Corrupt", InvalidData, "followed by the end of the archive"),
        ),
        (
            "size near u64::MAX with unbounded limits",
            header(b"max.bin", b'0', u64::MAX, "", &[7; 512]),
            Op::Headers,
            unbounded,
            ("Corrupt", InvalidData, "overflow"),
        ),
        (
            "sample past the sample limit",
            sample,
            Op::Samples,
            small_samples,
            ("SampleTooLarge", InvalidData, "\"k.y\" takes sample \"k\""),
        ),
        (
            "sample file claiming 1 GiB, holding 512 bytes",
            header(b"k.bin", b'0', 1 << 30, "", &[7; 512]),
            Op::Samples,
            default,
            ("Truncated", UnexpectedEof, "\"k.bin\""),
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
    kind: io::ErrorKind,
}

impl Read for Failing<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.ok == 0 {
            return Err(io::Error::new(self.kind, "the source failed"));
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
        let source = Failing {
            data: &archive,
            ok,
            kind: io::ErrorKind::ConnectionReset,
        };
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
        let source = Failing {
            data: &archive,
            ok,
            kind: io::ErrorKind::ConnectionReset,
        };
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

/// Under gzip too, the source's own errors pass through with their kind, untyped, whatever the kind:
/// even those the decoder uses for a damaged or cut stream.
#[test]
fn errors_of_the_source_keep_their_kind_under_gzip() {
    let mut tar = TarBuilder::on_sink(Vec::new(), Compression::Gzip(1)).expect("builder");
    tar.add_bytes(
        "a.bin",
        (0..5000u32)
            .map(|i| (i * 7 % 251) as u8)
            .collect::<Vec<_>>(),
        Attrs::default(),
    )
    .expect("add");
    let archive = tar.finish().expect("finish").to_vec();
    let kinds = [
        io::ErrorKind::ConnectionReset,
        io::ErrorKind::InvalidData,
        io::ErrorKind::InvalidInput,
        io::ErrorKind::UnexpectedEof,
    ];
    for kind in kinds {
        for ok in [0, 2, 5, 100, archive.len() - 4] {
            let source = Failing {
                data: &archive,
                ok,
                kind,
            };
            let err = TarReader::new(source)
                .and_then(|mut reader| {
                    while let Some(mut entry) = reader.next_entry()? {
                        io::copy(&mut entry, &mut io::sink())?;
                    }
                    Ok(())
                })
                .expect_err("fails");
            assert_eq!(err.kind(), kind, "{kind:?} after {ok}: {err}");
            assert!(TarError::of(&err).is_none(), "{kind:?} after {ok}: {err}");
            assert_eq!(err.to_string(), "the source failed", "{kind:?} after {ok}");
        }
    }
}

/// One member as Strata reads it, in the shape of [`Member`] (`kind` is 5 for a directory, 0 else).
fn strata_members(archive: &[u8]) -> Vec<Member> {
    let mut reader = TarReader::new(archive).expect("reader");
    let mut out = Vec::new();
    while let Some(mut entry) = reader.next_entry().expect("entry") {
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("data");
        let info = entry.info();
        out.push(Member {
            name: info.name.clone(),
            kind: if info.kind == strata_tar::EntryKind::Directory {
                5
            } else {
                0
            },
            size: info.size,
            link: String::new(),
            data,
        });
    }
    out
}

/// Odd archives `tarfile` reads without error: Strata must list the same members (names, whether a
/// directory, sizes, data).
#[test]
fn odd_archives_read_as_tarfile_reads_them() {
    // 1024 bytes of data that hold a header, which must stay data.
    let hidden = [header(b"hidden.txt", b'0', 0, "", &[]), vec![0; 512]].concat();
    let real = padded_entry(header(b"real.txt", b'0', 4, "", b"real"));
    // A gzip stream whose end block is followed by 8 MiB of zeros and a wrong CRC: CPython never
    // reads that far, and Strata stops after 1 MiB of it.
    let mut plain = TarBuilder::new();
    plain
        .add_bytes("a.txt", b"alpha", Attrs::default())
        .expect("add");
    let mut plain = plain.finish().expect("finish").to_vec();
    plain.resize(plain.len() + (8 << 20), 0);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    io::Write::write_all(&mut gz, &plain).expect("gzip");
    let mut gz = gz.finish().expect("gzip");
    let crc = gz.len() - 8;
    gz[crc] ^= 0xff;
    let table: Vec<(&str, Vec<u8>)> = vec![
        (
            "type 0 named d/ with data",
            [
                header(b"d/", b'0', 1024, "", &hidden),
                real.clone(),
                vec![0; 1024],
            ]
            .concat(),
        ),
        (
            "type 7 named d/ with data",
            [
                header(b"d/", b'7', 1024, "", &hidden),
                real.clone(),
                vec![0; 1024],
            ]
            .concat(),
        ),
        (
            "type NUL named d/: an old-style directory, no data",
            [header(b"d/", 0, 1024, "", &[]), real.clone(), vec![0; 1024]].concat(),
        ),
        ("gzip with 8 MiB and a bad CRC after the end block", gz),
    ];
    for (what, archive) in table {
        let want: Vec<Member> = python_members(&archive)
            .into_iter()
            .map(|m| Member {
                kind: if m.kind == b'5' { 5 } else { 0 },
                link: String::new(),
                ..m
            })
            .collect();
        assert_eq!(strata_members(&archive), want, "{what}");
    }
}

fn padded_entry(mut archive: Vec<u8>) -> Vec<u8> {
    archive.resize(archive.len().div_ceil(512) * 512, 0);
    archive
}

/// A sink that fails once it has taken `ok` bytes.
struct FailingSink {
    ok: usize,
}

impl io::Write for FailingSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.ok == 0 {
            return Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "the sink is full",
            ));
        }
        let n = buf.len().min(self.ok);
        self.ok -= n;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// After an entry fails half-written, every later call fails naming that failure; a refused name,
/// which writes nothing, leaves the builder usable.
#[test]
fn a_half_written_entry_poisons_the_builder() {
    type Step = fn(&mut TarBuilder<FailingSink>) -> io::Result<()>;
    let short: Step = |tar| tar.add_reader("short.bin", &b"abc"[..], 10, Attrs::default());
    let full_sink: Step = |tar| tar.add_bytes("big.bin", [0; 4000], Attrs::default());
    let bad_name: Step = |tar| tar.add_bytes("../evil", b"x", Attrs::default());
    // (what, the failing step, the sink's room, whether later calls are refused, and with what)
    let table: [(&str, Step, usize, Option<&str>); 3] = [
        (
            "reader shorter than declared",
            short,
            1 << 20,
            Some("a size of 10 bytes"),
        ),
        (
            "sink full mid-entry",
            full_sink,
            2000,
            Some("the sink is full"),
        ),
        ("refused name", bad_name, 1 << 20, None),
    ];
    for (what, step, room, poisoned) in table {
        let mut tar =
            TarBuilder::on_sink(FailingSink { ok: room }, Compression::None).expect("builder");
        step(&mut tar).expect_err(what);
        let later = [
            tar.add_bytes("later.txt", b"x", Attrs::default()),
            tar.add_dir("dir", Attrs::default()),
            tar.add_reader("r.bin", &b"r"[..], 1, Attrs::default()),
            tar.finish_sink().map(drop),
        ];
        for result in later {
            match poisoned {
                None => result.expect(what),
                Some(cause) => {
                    let err = result.expect_err(what);
                    let typed = TarError::of(&err).expect("typed");
                    assert_eq!(variant(typed), "Poisoned", "{what}: {err}");
                    assert!(
                        err.to_string().to_lowercase().contains(cause),
                        "{what}: {err}"
                    );
                }
            }
        }
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
