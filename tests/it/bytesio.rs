//! Oracle suite: `strata_buffered::BytesIO` against python3's `io.BytesIO` (driver `tests/py/bytesio.py`).
//!
//! [`oracle::cases`] seeded sequences of 50 to 80 random operations each: every read flavour, writes
//! (past the end too), seeks from all three origins including negative targets, truncate, getvalue,
//! writes through getbuffer, close and the capability queries. Every outcome (value, error class and
//! message) and the final `getvalue()` must agree. The Python driver models the one documented
//! difference, relative seeks to a negative target (an error here, clamped at 0 by CPython; see
//! `docs/python-parity.md`).

use std::io::SeekFrom;

use bytes::Bytes;
use serde_json::{Value, json};
use strata_buffered::BytesIO;
use strata_buffered::prelude::*;

use crate::oracle::{self, Outcome, Rng, Sequence, b};

/// Bytes the sequences are made of: line ends, a carriage return, NUL and a high byte among letters.
const ALPHABET: &[u8] = b"ab\n\n\r\0\xff";

/// One operation, as Strata runs it and as the Python driver reads it.
#[derive(Debug, Clone)]
enum Op {
    Write(Vec<u8>),
    WriteLines(Vec<Vec<u8>>),
    Read(Option<usize>),
    Read1(Option<usize>),
    ReadInto(usize),
    ReadLine(Option<usize>),
    ReadLines(Option<usize>),
    Iter,
    Seek(SeekFrom),
    Tell,
    Truncate(Option<u64>),
    GetValue,
    /// Write the bytes through `getbuffer()` at `len * fraction / 256`, as many as fit.
    View(u8, Vec<u8>),
    Close,
    Closed,
    Flush,
    Readable,
    Writable,
    Seekable,
    Isatty,
    Fileno,
}

impl Op {
    fn random(rng: &mut Rng) -> Op {
        let size = |rng: &mut Rng| (!rng.percent(20)).then(|| rng.index(12));
        let data = |rng: &mut Rng| {
            let len = rng.index(10);
            rng.bytes_from(ALPHABET, len)
        };
        match rng.below(100) {
            0..=17 => Op::Write(data(rng)),
            18..=20 => Op::WriteLines((0..rng.index(4)).map(|_| data(rng)).collect()),
            21..=28 => Op::Read(size(rng)),
            29..=31 => Op::Read1(size(rng)),
            32..=35 => Op::ReadInto(rng.index(8)),
            36..=45 => Op::ReadLine(size(rng)),
            46..=49 => Op::ReadLines(size(rng)),
            50..=51 => Op::Iter,
            52..=57 => Op::Seek(SeekFrom::Start(rng.below(30))),
            58..=62 => Op::Seek(SeekFrom::Current(rng.below(30) as i64 - 15)),
            63..=67 => Op::Seek(SeekFrom::End(rng.below(30) as i64 - 20)),
            68..=71 => Op::Tell,
            72..=76 => Op::Truncate((!rng.percent(40)).then(|| rng.below(25))),
            77..=82 => Op::GetValue,
            83..=86 => Op::View(rng.below(256) as u8, data(rng)),
            87 => Op::Close,
            88..=89 => Op::Closed,
            90..=91 => Op::Flush,
            92..=93 => Op::Readable,
            94 => Op::Writable,
            95 => Op::Seekable,
            96..=97 => Op::Isatty,
            _ => Op::Fileno,
        }
    }

    fn to_json(&self) -> Value {
        match self {
            Op::Write(data) => json!(["write", b(data)]),
            Op::WriteLines(items) => {
                json!(["writelines", items.iter().map(|i| b(i)).collect::<Vec<_>>()])
            }
            Op::Read(n) => json!(["read", n]),
            Op::Read1(n) => json!(["read1", n]),
            Op::ReadInto(n) => json!(["readinto", n]),
            Op::ReadLine(n) => json!(["readline", n]),
            Op::ReadLines(n) => json!(["readlines", n]),
            Op::Iter => json!(["iter"]),
            Op::Seek(SeekFrom::Start(n)) => json!(["seek", n, 0]),
            Op::Seek(SeekFrom::Current(n)) => json!(["seek", n, 1]),
            Op::Seek(SeekFrom::End(n)) => json!(["seek", n, 2]),
            Op::Tell => json!(["tell"]),
            Op::Truncate(n) => json!(["truncate", n]),
            Op::GetValue => json!(["getvalue"]),
            Op::View(fraction, data) => json!(["view", fraction, b(data)]),
            Op::Close => json!(["close"]),
            Op::Closed => json!(["closed"]),
            Op::Flush => json!(["flush"]),
            Op::Readable => json!(["readable"]),
            Op::Writable => json!(["writable"]),
            Op::Seekable => json!(["seekable"]),
            Op::Isatty => json!(["isatty"]),
            Op::Fileno => json!(["fileno"]),
        }
    }

    fn run(&self, f: &mut BytesIO) -> Outcome {
        let bytes = |data: Bytes| b(&data);
        let lines = |lines: Vec<Bytes>| lines.iter().map(|l| b(l)).collect::<Value>();
        let unit = |()| Value::Null;
        match self {
            Op::Write(data) => Outcome::of(f.write(data), |n| json!(n)),
            Op::WriteLines(items) => Outcome::of(f.writelines(items), unit),
            Op::Read(n) => Outcome::of(f.read_bytes(*n), bytes),
            Op::Read1(n) => Outcome::of(f.read1(*n), bytes),
            Op::ReadInto(n) => {
                let mut buf = vec![b'.'; *n];
                Outcome::of(f.readinto(&mut buf), |count| json!([count, b(&buf)]))
            }
            Op::ReadLine(n) => Outcome::of(f.readline(*n), bytes),
            Op::ReadLines(n) => Outcome::of(f.readlines(*n), lines),
            Op::Iter => Outcome::of(f.iter_lines().collect(), lines),
            Op::Seek(from) => Outcome::of(f.seek(*from), |pos| json!(pos)),
            Op::Tell => Outcome::of(f.tell(), |pos| json!(pos)),
            Op::Truncate(n) => Outcome::of(f.truncate(*n), |size| json!(size)),
            Op::GetValue => Outcome::of(f.getvalue(), bytes),
            Op::View(fraction, data) => Outcome::of(f.getbuffer(), |mut view| {
                let n = view.len();
                let at = n * usize::from(*fraction) / 256;
                let chunk = &data[..data.len().min(n - at)];
                view[at..at + chunk.len()].copy_from_slice(chunk);
                json!(n)
            }),
            Op::Close => Outcome::of(f.close(), unit),
            Op::Closed => Outcome::Ok(json!(f.closed())),
            Op::Flush => Outcome::of(f.flush(), unit),
            Op::Readable => Outcome::of(f.readable(), |v| json!(v)),
            Op::Writable => Outcome::of(f.writable(), |v| json!(v)),
            Op::Seekable => Outcome::of(f.seekable(), |v| json!(v)),
            Op::Isatty => Outcome::of(f.isatty(), |v| json!(v)),
            Op::Fileno => Outcome::of(f.fileno(), |fd| json!(fd)),
        }
    }
}

/// How Strata builds the stream: each constructor starts from different storage (owned, copied, shared).
const HOW: [&str; 3] = ["vec", "slice", "bytes"];

fn build(init: &[u8], how: &str) -> BytesIO {
    match how {
        "vec" => BytesIO::from(init.to_vec()),
        "slice" => BytesIO::from(init),
        _ => BytesIO::from(Bytes::copy_from_slice(init)),
    }
}

/// The sequences: random ops, then (if still open) a final `getvalue()` and `tell()`.
fn sequences() -> Vec<(Sequence, Vec<Op>)> {
    (0..oracle::cases() as u64)
        .map(|i| {
            let seed = oracle::base_seed().wrapping_add(i);
            let mut rng = Rng::new(seed);
            let len = rng.index(12);
            let init = rng.bytes_from(ALPHABET, len);
            let how = HOW[rng.index(HOW.len())];
            let count = 50 + rng.index(31);
            let mut ops: Vec<Op> = (0..count).map(|_| Op::random(&mut rng)).collect();
            ops.extend([Op::GetValue, Op::Tell]);
            let spec = json!({"init": b(&init), "how": how});
            let sequence = Sequence {
                seed,
                spec,
                ops: ops.iter().map(Op::to_json).collect(),
            };
            (sequence, ops)
        })
        .collect()
}

#[test]
fn oracle_bytesio_matches_python() {
    let generated = sequences();
    let (sequences, ops): (Vec<Sequence>, Vec<Vec<Op>>) = generated.into_iter().unzip();
    let python = oracle::run_python("bytesio", &sequences);
    let strata: Vec<Vec<Outcome>> = sequences
        .iter()
        .zip(&ops)
        .map(|(seq, ops)| {
            let init: Vec<u8> = seq.spec["init"]
                .as_str()
                .unwrap_or("")
                .chars()
                .map(|c| c as u8)
                .collect();
            let mut f = build(&init, seq.spec["how"].as_str().unwrap_or("vec"));
            ops.iter().map(|op| op.run(&mut f)).collect()
        })
        .collect();
    oracle::compare("bytesio", &sequences, &python, &strata);
}
