//! Integration tests for strata-zip (one binary; table-driven suites as modules).
//!
//! `python3`'s `zipfile` is the independent reader: every archive the builders write must pass its
//! `testzip()`, and every archive Python reads (its own test data, archives it writes) must list and
//! read the same here.

mod alloc;
mod build;
mod cpython;
mod hostile;
mod methods;
mod parallel;
mod roundtrip;
mod stream;

use std::ffi::OsStr;
use std::io::Write;
use std::path::Path;
use std::process::Command;

use strata_zip::{Method, ZipError, ZipReader};

/// One entry as Python's `zipfile` sees it.
#[derive(Debug, PartialEq, Eq)]
struct PyEntry {
    name: String,
    size: u64,
    /// 0 stored, 8 deflated.
    method: u16,
    /// 8 when the entry has a data descriptor (general purpose flag bit 3).
    descriptor: bool,
}

/// Runs `python3 -c script args...` and returns what it prints; panics with `what` and Python's error
/// output when it fails (a missing `python3` fails the test, it never skips it).
fn python(script: &str, args: &[&OsStr], what: &str) -> Vec<u8> {
    let out = Command::new("python3")
        .args(["-c", script])
        .args(args)
        .output()
        .expect("python3 is required for the strata-zip tests");
    assert!(
        out.status.success(),
        "python3: {what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Checks `archive` with `zipfile.ZipFile(...).testzip()` (which reads every entry and checks its CRC)
/// and returns the entries Python lists. Panics with Python's message when the check fails.
fn python_testzip(archive: &[u8]) -> Vec<PyEntry> {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(archive).expect("write temp file");
    let script = "import sys, zipfile\n\
                  z = zipfile.ZipFile(sys.argv[1])\n\
                  bad = z.testzip()\n\
                  assert bad is None, f'bad entry {bad}'\n\
                  for i in z.infolist():\n    \
                      print(f'{i.filename}\\t{i.file_size}\\t{i.compress_type}\\t{i.flag_bits & 8}')\n";
    let out = python(
        script,
        &[file.path().as_os_str()],
        "zipfile rejected the archive",
    );
    String::from_utf8(out)
        .expect("utf-8")
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            PyEntry {
                name: f[0].to_owned(),
                size: f[1].parse().expect("size"),
                method: f[2].parse().expect("method"),
                descriptor: f[3] != "0",
            }
        })
        .collect()
}

/// Text-like bytes: words and newlines from a small vocabulary, deterministic in `seed`.
fn text_like(len: usize, seed: u64) -> Vec<u8> {
    const WORDS: &[&str] = &[
        "stream", "buffer", "the", "of", "zip", "bytes", "io\n", "python", "rust", "a",
    ];
    let mut out = Vec::with_capacity(len + 8);
    let mut x = seed | 1;
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(WORDS[(x % WORDS.len() as u64) as usize].as_bytes());
        out.push(b' ');
    }
    out.truncate(len);
    out
}

/// One entry as Python's `zipfile` reads it: name, size, CRC, method, and its bytes (`None` when
/// Python cannot read it: a method it lacks, a password it was not given).
#[derive(Debug)]
struct PyRead {
    name: String,
    size: u64,
    crc: u32,
    method: u16,
    is_dir: bool,
    data: Option<Vec<u8>>,
}

/// What `zipfile.ZipFile(path)` lists and reads, entry by entry (`infolist()` order, duplicates
/// included), with `password` set if given.
fn python_read(path: &Path, password: Option<&str>) -> Vec<PyRead> {
    let script = "import sys, zipfile, json\n\
                  z = zipfile.ZipFile(sys.argv[1])\n\
                  if len(sys.argv) > 2: z.setpassword(sys.argv[2].encode())\n\
                  out = []\n\
                  for i in z.infolist():\n    \
                      try: data = list(z.read(i))\n    \
                      except (NotImplementedError, RuntimeError): data = None\n    \
                      out.append(dict(name=i.filename, size=i.file_size, crc=i.CRC,\n        \
                          method=i.compress_type, is_dir=i.is_dir(), data=data))\n\
                  print(json.dumps(out))\n";
    let mut args = vec![path.as_os_str()];
    args.extend(password.map(OsStr::new));
    let out = python(
        script,
        &args,
        &format!("zipfile could not read {}", path.display()),
    );
    let json: serde_json::Value = serde_json::from_slice(&out).expect("python's JSON");
    let entries = json.as_array().expect("a list");
    entries
        .iter()
        .map(|e| PyRead {
            name: e["name"].as_str().expect("name").to_owned(),
            size: e["size"].as_u64().expect("size"),
            crc: e["crc"].as_u64().expect("crc") as u32,
            method: e["method"].as_u64().expect("method") as u16,
            is_dir: e["is_dir"].as_bool().expect("is_dir"),
            data: e["data"].as_array().map(|bytes| {
                bytes
                    .iter()
                    .map(|b| b.as_u64().expect("byte") as u8)
                    .collect()
            }),
        })
        .collect()
}

/// The feature a method needs, and whether this build has it.
fn feature(method: Method) -> Option<(&'static str, bool)> {
    match method {
        Method::Deflate64 => Some(("deflate64", cfg!(feature = "deflate64"))),
        Method::Bzip2 => Some(("bzip2", cfg!(feature = "bzip2"))),
        Method::Lzma => Some(("lzma", cfg!(feature = "lzma"))),
        Method::Zstd => Some(("zstd", cfg!(feature = "zstd"))),
        Method::Xz => Some(("xz", cfg!(feature = "xz"))),
        _ => None,
    }
}

/// Reads the archive at `path` with [`ZipReader::from_reader`] over the file and checks every entry
/// against Python's reading of it: the same names, kinds, sizes, CRCs and methods in the same order,
/// and the same bytes (or, for a method whose feature is off, an error naming the feature).
fn check_against_python(path: &Path, password: Option<&str>) {
    let python = python_read(path, password);
    let file = std::fs::File::open(path).expect("archive");
    let mut reader = ZipReader::from_reader(file).expect("open");
    if let Some(password) = password {
        reader.set_password(password);
    }
    let entries = reader.entries().to_vec();
    let what = path.display();
    assert_eq!(entries.len(), python.len(), "{what}: entry count");
    for (index, (ours, py)) in entries.iter().zip(&python).enumerate() {
        let got = (&ours.name, ours.size, ours.crc32, ours.method.number());
        let want = (&py.name, py.size, py.crc, py.method);
        // AES entries: Python reports method 99 and cannot read them.
        if py.method != 99 {
            assert_eq!(got, want, "{what} entry {index}");
        }
        assert_eq!(
            ours.kind == strata_zip::EntryKind::Directory,
            py.is_dir,
            "{what} {:?}: kind",
            ours.name
        );
        let read = reader.read_index(index);
        match (feature(ours.method), &py.data) {
            (Some((name, false)), _) => {
                let err = read.expect_err(&ours.name);
                assert!(
                    matches!(ZipError::of(&err), Some(ZipError::Unsupported { .. })),
                    "{err}"
                );
                let want = format!("{name} entries need the `{name}` feature");
                assert!(err.to_string().contains(&want), "{err}");
            }
            (_, Some(data)) => {
                let read = read.unwrap_or_else(|err| panic!("{what} {:?}: {err}", ours.name));
                assert!(read == data[..], "{what} {:?}: contents differ", ours.name);
            }
            (_, None) => {
                // Python could not read it; this reader must, and its CRC is checked.
                let read = read.unwrap_or_else(|err| panic!("{what} {:?}: {err}", ours.name));
                assert_eq!(read.len() as u64, ours.size, "{what} {:?}", ours.name);
            }
        }
    }
}
