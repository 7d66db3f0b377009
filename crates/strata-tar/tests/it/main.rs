//! Integration tests for strata-tar (one binary; table-driven suites as modules).
//!
//! `python3`'s `tarfile` is the independent reader and writer: what Strata writes it must read, and
//! what it writes Strata must read, in each format.

mod alloc;
mod hostile;
mod interop;
mod shards;

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

/// Runs `script` with `python3`, feeding `input` on standard input; returns standard output. Panics
/// with Python's message when it fails (and when `python3` is missing: these tests never skip).
fn python(script: &str, input: &[u8]) -> Vec<u8> {
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 is required for the strata-tar tests");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input).expect("write to python3");
    drop(stdin);
    let out = child.wait_with_output().expect("python3 output");
    assert!(
        out.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// One member as Python's `tarfile` lists it: name, type flag, size, link target, data.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Member {
    name: String,
    kind: u8,
    size: u64,
    link: String,
    data: Vec<u8>,
}

/// Reads `archive` (plain or gzip, told apart by `tarfile` itself) with Python and lists its members.
fn python_members(archive: &[u8]) -> Vec<Member> {
    let script = r#"
import io, json, sys, tarfile
t = tarfile.open(fileobj=io.BytesIO(sys.stdin.buffer.read()), mode="r:*")
out = []
for m in t.getmembers():
    data = t.extractfile(m).read().hex() if m.isfile() else ""
    out.append([m.name + ("/" if m.isdir() else ""), ord(m.type), m.size, m.linkname, data])
print(json.dumps(out))
"#;
    let listing: Value = serde_json::from_slice(&python(script, archive)).expect("json");
    listing
        .as_array()
        .expect("array")
        .iter()
        .map(|m| Member {
            name: m[0].as_str().expect("name").to_owned(),
            kind: m[1].as_u64().expect("type") as u8,
            size: m[2].as_u64().expect("size"),
            link: m[3].as_str().expect("link").to_owned(),
            data: hex(m[4].as_str().expect("data")),
        })
        .collect()
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}
