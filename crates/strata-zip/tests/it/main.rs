//! Integration tests for strata-zip (one binary; table-driven suites as modules).
//!
//! `python3`'s `zipfile` is the independent reader: every archive the builders write must pass its
//! `testzip()`.

mod build;
mod hostile;
mod roundtrip;

use std::io::Write;
use std::process::Command;

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
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(file.path())
        .output()
        .expect("python3 is required for the strata-zip tests");
    assert!(
        out.status.success(),
        "python3 zipfile rejected the archive: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
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
