//! Oracle suite: `strata_raw::FileIo` against python3's `io.FileIO` on real files.
//!
//! Each sequence opens a fresh file (existing or not) with a random Python mode and runs random raw
//! operations; every outcome and the file's final contents must match.

use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use serde_json::{Value, json};
use strata_raw::FileIo;
use strata_raw::prelude::*;

use crate::oracle::{self, Outcome, Rng, Sequence, b};

const MODES: &[&str] = &["r", "rb", "r+", "w", "wb+", "a", "a+", "x", "xb+"];

fn generate(seed: u64, dir: &Path, index: usize) -> Sequence {
    let mut rng = Rng::new(seed);
    let initial = rng.percent(80).then(|| {
        let len = rng.index(24);
        b(&rng.bytes_from(b"abc\n\0xyz", len))
    });
    let spec = json!({
        "mode": MODES[rng.index(MODES.len())],
        "initial": initial,
        "path": dir.join(format!("f{index}")).to_str().expect("utf-8 temp path"),
    });
    let ops = (0..60)
        .map(|_| match rng.below(100) {
            0..=19 => {
                let len = rng.index(12);
                json!(["write", b(&rng.bytes_from(b"0123456789", len))])
            }
            20..=34 => json!([
                "read",
                if rng.percent(15) {
                    Value::Null
                } else {
                    json!(rng.below(20))
                }
            ]),
            35..=38 => json!(["readall"]),
            39..=54 => match rng.below(3) {
                0 => json!(["seek", rng.below(30), 0]),
                1 => json!(["seek", rng.below(30) as i64 - 15, 1]),
                _ => json!(["seek", rng.below(25) as i64 - 15, 2]),
            },
            55..=62 => json!(["tell"]),
            63..=70 => json!([
                "truncate",
                if rng.percent(30) {
                    Value::Null
                } else {
                    json!(rng.below(20))
                }
            ]),
            71..=78 => {
                let query = ["readable", "writable", "seekable", "isatty"][rng.index(4)];
                json!([query])
            }
            79..=84 => json!(["contents"]),
            85..=88 => json!(["flush"]),
            89..=90 => json!(["close"]),
            _ => json!(["closed"]),
        })
        .collect();
    Sequence { seed, spec, ops }
}

/// An OS error compares by errno, as the Python driver reports it.
fn outcome<T>(result: std::io::Result<T>, to_json: impl FnOnce(T) -> Value) -> Outcome {
    match result {
        Err(err) if err.raw_os_error().is_some() => Outcome::Err {
            class: "OSError".into(),
            message: format!("errno {}", err.raw_os_error().unwrap_or_default()),
        },
        other => Outcome::of(other, to_json),
    }
}

fn run_strata(seq: &Sequence) -> Vec<Outcome> {
    let path = Path::new(seq.spec["path"].as_str().expect("path"));
    match seq.spec["initial"].as_str() {
        Some(initial) => std::fs::write(path, oracle::latin1(initial)).expect("write initial file"),
        None => {
            let _ = std::fs::remove_file(path);
        }
    }
    let mode = seq.spec["mode"].as_str().expect("mode");
    let mut f = match FileIo::open(path, mode) {
        Ok(f) => f,
        Err(err) => return vec![outcome::<()>(Err(err), |()| Value::Null)],
    };
    seq.ops
        .iter()
        .map(|op| match op[0].as_str().expect("op name") {
            "write" => outcome(
                f.write(&oracle::latin1(op[1].as_str().expect("data"))),
                |n| json!(n),
            ),
            "read" => {
                let size = op[1].as_u64().map(|n| n as usize);
                outcome(f.read_bytes(size), |v| b(&v))
            }
            "readall" => outcome(f.readall(), |v| b(&v)),
            "seek" => {
                let offset = op[1].as_i64().expect("offset");
                let pos = match op[2].as_u64() {
                    Some(0) => SeekFrom::Start(offset as u64),
                    Some(1) => SeekFrom::Current(offset),
                    _ => SeekFrom::End(offset),
                };
                outcome(f.seek(pos), |n| json!(n))
            }
            "tell" => outcome(f.tell(), |n| json!(n)),
            "truncate" => outcome(f.truncate(op[1].as_u64()), |n| json!(n)),
            "readable" => outcome(f.readable(), |v| json!(v)),
            "writable" => outcome(f.writable(), |v| json!(v)),
            "seekable" => outcome(f.seekable(), |v| json!(v)),
            "isatty" => outcome(f.isatty(), |v| json!(v)),
            "close" => outcome(f.close(), |()| Value::Null),
            "closed" => Outcome::Ok(json!(f.closed())),
            "flush" => outcome(f.flush(), |()| Value::Null),
            "contents" => outcome(std::fs::read(path), |v| b(&v)),
            other => panic!("unknown op {other}"),
        })
        .collect()
}

#[test]
fn oracle_fileio_matches_python() {
    let py_dir = tempfile::tempdir().expect("temp dir");
    let rs_dir = tempfile::tempdir().expect("temp dir");
    let base = oracle::base_seed();
    let count = oracle::cases();
    let py_seqs: Vec<Sequence> = (0..count)
        .map(|i| generate(base.wrapping_add(i as u64), py_dir.path(), i))
        .collect();
    let rs_seqs: Vec<Sequence> = (0..count)
        .map(|i| generate(base.wrapping_add(i as u64), rs_dir.path(), i))
        .collect();
    let python = oracle::run_python("fileio", &py_seqs);
    let strata: Vec<Vec<Outcome>> = rs_seqs.iter().map(run_strata).collect();
    oracle::compare("FileIo", &rs_seqs, &python, &strata);
}
