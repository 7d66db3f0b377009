//! Interoperability with CPython's `tarfile`, both ways, in ustar, GNU and pax, plain and gzip: long
//! names, UTF-8 names, empty files, directories.

use std::io::Read;

use strata_tar::{Attrs, Compression, EntryKind, Format, TarBuilder, TarReader};

use crate::{Member, python, python_members};

/// The entries every case writes: a directory, files short and long, UTF-8, empty, and 100 KiB.
fn entries(format: Format) -> Vec<(String, Option<Vec<u8>>)> {
    let mut entries = vec![
        ("docs/".to_owned(), None),
        ("docs/readme.txt".to_owned(), Some(b"read me\n".to_vec())),
        ("empty.bin".to_owned(), Some(Vec::new())),
        (
            "données/été ☀.txt".to_owned(),
            Some("chaud\n".as_bytes().to_vec()),
        ),
        (
            format!("{}/{}.dat", "p".repeat(120), "n".repeat(90)),
            Some((0..=255u8).collect()),
        ),
        (
            "big.bin".to_owned(),
            Some((0..100 << 10).map(|i: u32| (i * 7 % 251) as u8).collect()),
        ),
    ];
    if format != Format::Ustar {
        // Longer than ustar's 256 bytes, with a component longer than its 100.
        let name = format!("deep/{}/{}/leaf.txt", "x".repeat(200), "y".repeat(120));
        entries.push((name, Some(b"leaf".to_vec())));
    }
    entries
}

/// Writes `entries` with Strata and checks `tarfile` lists the same members with the same bytes.
fn check_strata_to_python(format: Format, compression: Compression) {
    let mut tar = TarBuilder::on_sink(Vec::new(), compression)
        .expect("builder")
        .format(format);
    for (name, data) in entries(format) {
        match data {
            None => tar.add_dir(&name, Attrs::default().mode(0o755)),
            Some(data) => tar.add_bytes(&name, &data, Attrs::default()),
        }
        .unwrap_or_else(|err| panic!("{format:?} {name}: {err}"));
    }
    let archive = tar.finish().expect("finish");
    let got = python_members(&archive);
    let want: Vec<Member> = entries(format)
        .into_iter()
        .map(|(name, data)| Member {
            kind: if data.is_some() { b'0' } else { b'5' },
            size: data.as_ref().map_or(0, |d| d.len() as u64),
            link: String::new(),
            data: data.unwrap_or_default(),
            name,
        })
        .collect();
    assert_eq!(got, want, "{format:?} {compression:?}");
}

/// Has `tarfile` write the same entries plus links in `format`, and checks Strata reads them.
fn check_python_to_strata(format: &str, gzip: bool) {
    let script = format!(
        r#"
import io, sys, tarfile
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w:gz" if {gzip} else "w", format=tarfile.{format}) as t:
    def add(name, data=None, kind=None, link=""):
        info = tarfile.TarInfo(name)
        if kind is not None:
            info.type, info.linkname = kind, link
        elif data is None:
            info.type = tarfile.DIRTYPE
        else:
            info.size = len(data)
        t.addfile(info, io.BytesIO(data) if data is not None else None)
    add("docs", None)
    add("docs/readme.txt", b"read me\n")
    add("empty.bin", b"")
    add("données/été ☀.txt", "chaud\n".encode())
    add("p" * 120 + "/" + "n" * 90 + ".dat", bytes(range(256)))
    add("big.bin", bytes(i * 7 % 251 for i in range(100 << 10)))
    if tarfile.{format} != tarfile.USTAR_FORMAT:
        add("deep/" + "x" * 200 + "/" + "y" * 120 + "/leaf.txt", b"leaf")
    add("docs/link", kind=tarfile.SYMTYPE, link="readme.txt")
    add("hard", kind=tarfile.LNKTYPE, link="empty.bin")
sys.stdout.buffer.write(buf.getvalue())
"#,
        gzip = if gzip { "True" } else { "False" },
    );
    let archive = python(&script, b"");
    assert_eq!(archive.starts_with(&[0x1f, 0x8b]), gzip);
    // Through a reader that returns a few bytes at a time: nothing may rely on full reads.
    let mut reader = TarReader::new(Trickle(&archive[..])).expect("reader");
    let mut got = Vec::new();
    while let Some(mut entry) = reader.next_entry().expect("entry") {
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("data");
        let info = entry.info();
        got.push((info.name.clone(), info.kind, info.link_name.clone(), data));
    }
    let tarfile_format = match format {
        "USTAR_FORMAT" => Format::Ustar,
        "GNU_FORMAT" => Format::Gnu,
        _ => Format::Pax,
    };
    let mut want: Vec<_> = entries(tarfile_format)
        .into_iter()
        .map(|(name, data)| match data {
            Some(data) => (name, EntryKind::File, None, data),
            None => (name, EntryKind::Directory, None, Vec::new()),
        })
        .collect();
    want.push((
        "docs/link".into(),
        EntryKind::Symlink,
        Some("readme.txt".into()),
        Vec::new(),
    ));
    want.push((
        "hard".into(),
        EntryKind::HardLink,
        Some("empty.bin".into()),
        Vec::new(),
    ));
    assert_eq!(got, want, "{format} gzip={gzip}");
}

/// A reader that yields at most 7 bytes per call.
struct Trickle<'a>(&'a [u8]);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(7).min(self.0.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

#[test]
fn tarfile_reads_what_strata_writes() {
    for format in [Format::Ustar, Format::Gnu, Format::Pax] {
        for compression in [Compression::None, Compression::Gzip(6)] {
            check_strata_to_python(format, compression);
        }
    }
}

#[test]
fn strata_reads_what_tarfile_writes() {
    for format in ["USTAR_FORMAT", "GNU_FORMAT", "PAX_FORMAT"] {
        for gzip in [false, true] {
            check_python_to_strata(format, gzip);
        }
    }
}

#[test]
fn the_same_entries_give_the_same_bytes() {
    let build = |compression| {
        let mut tar = TarBuilder::on_sink(Vec::new(), compression).expect("builder");
        for (name, data) in entries(Format::Pax) {
            match data {
                None => tar.add_dir(&name, Attrs::default()),
                Some(data) => tar.add_bytes(&name, data, Attrs::default()),
            }
            .expect("add");
        }
        tar.finish().expect("finish")
    };
    for compression in [Compression::None, Compression::Gzip(9)] {
        assert_eq!(build(compression), build(compression), "{compression:?}");
    }
}

#[test]
fn a_file_extracted_by_strata_matches_tarfile() {
    let mut tar = TarBuilder::new();
    for (name, data) in entries(Format::Pax) {
        match data {
            None => tar.add_dir(&name, Attrs::default()),
            Some(data) => tar.add_bytes(&name, data, Attrs::default()),
        }
        .expect("add");
    }
    let archive = tar.finish().expect("finish");
    let dir = tempfile::tempdir().expect("temp dir");
    let written = TarReader::new(&archive[..])
        .expect("reader")
        .extract(dir.path())
        .expect("extract");
    let files: Vec<_> = entries(Format::Pax)
        .into_iter()
        .filter_map(|(name, data)| Some((dir.path().join(name), data?)))
        .collect();
    assert_eq!(
        written,
        files.iter().map(|f| f.0.clone()).collect::<Vec<_>>()
    );
    for (path, data) in files {
        assert_eq!(
            std::fs::read(&path).expect("read"),
            data,
            "{}",
            path.display()
        );
    }
}
