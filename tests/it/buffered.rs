//! Oracle suite: `BufferedReader`, `BufferedWriter` and `BufferedRandom` against python3's `io`
//! classes (driver `tests/py/buffered.py`), over the same scripted raw stream on both sides.
//!
//! [`oracle::cases`] seeded sequences of 50 to 80 operations each. The raw stream (the crate tests'
//! `Scripted`, reused here; a `RawIOBase` in the driver) returns short reads, accepts short writes and
//! would block at scripted points. Every outcome is compared: values, `None` for reads that would
//! block, error classes and messages, `BlockingIOError.characters_written`, and the raw stream's bytes
//! and position after every few operations and at the end. The documented differences
//! (`docs/python-parity.md`) are modelled by the driver: a write that blocks after accepting some bytes
//! is a short write; `closed` is true after `detach` (Python raises); and three CPython 3.11 bugs are
//! kept out of reach: `BufferedRandom.read1` is preceded by a flush (the C `read1` reads stale bytes
//! without it), `read()` is followed by a `tell()` (CPython's cached raw position misses the raw
//! stream's `readall`), and a `BufferedRandom` sequence stops being compared ("dead") after the first
//! operation during which the raw stream's write would block, reported as just "blocked" (CPython's
//! state goes wrong after a blocked flush there).
//!
//! Then the generic suite: one table of Python calls, through `&mut dyn BufferedIoBase`, and one
//! generic `count_lines<S: BufferedIoBase>`, over every buffered stream of the workspace (`BytesIO`,
//! the buffered wrappers, `SpooledIO` in memory and on disk, `MmapIO`, `PipeReader`), each holding the
//! same bytes: every stream must answer alike.

#[allow(dead_code)] // shared with the crate's tests, which use all of it
#[path = "../../crates/strata-buffered/tests/it/buffered/scripted.rs"]
mod scripted;

use std::io::{self, Seek, SeekFrom, Write};

use bytes::Bytes;
use serde_json::{Value, json};
use strata_buffered::prelude::*;
use strata_buffered::{BufferedRandom, BufferedReader, BufferedWriter, IntoInnerError};
use strata_raw::Error;

use self::scripted::{Scripted, Step};
use crate::oracle::{self, Outcome, Rng, Sequence, b};

/// Bytes the data is made of: line ends among letters, and a high byte.
const ALPHABET: &[u8] = b"abc\n\n\xff";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Reader,
    Writer,
    Random,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Reader => "reader",
            Kind::Writer => "writer",
            Kind::Random => "random",
        }
    }
}

/// One operation, as Strata runs it and as the Python driver reads it.
#[derive(Debug, Clone)]
enum Op {
    Read(Option<usize>),
    Read1(Option<usize>),
    Peek(usize),
    ReadInto(usize),
    ReadInto1(usize),
    ReadLine(Option<usize>),
    ReadLines(Option<usize>),
    Write(Vec<u8>),
    Flush,
    Tell,
    Seek(SeekFrom),
    Truncate(Option<u64>),
    Close,
    Detach,
    Closed,
    Readable,
    Writable,
    Seekable,
    /// The raw stream's bytes and position.
    Raw,
}

impl Op {
    fn random(rng: &mut Rng, kind: Kind) -> Op {
        let size = |rng: &mut Rng| (!rng.percent(15)).then(|| rng.index(20));
        let reading = kind != Kind::Writer;
        let writing = kind != Kind::Reader;
        loop {
            let op = match rng.below(100) {
                0..=9 if reading => Op::Read(size(rng)),
                10..=14 if reading => Op::Read1(size(rng)),
                15..=18 if reading => Op::Peek(rng.index(5)),
                19..=22 if reading => Op::ReadInto(rng.index(20)),
                23..=25 if reading => Op::ReadInto1(rng.index(20)),
                26..=33 if reading => Op::ReadLine(size(rng)),
                34..=35 if reading => Op::ReadLines(size(rng)),
                36..=53 if writing => {
                    let len = if rng.percent(15) {
                        10 + rng.index(30)
                    } else {
                        rng.index(8)
                    };
                    Op::Write(rng.bytes_from(ALPHABET, len))
                }
                54..=59 if writing => Op::Flush,
                60..=64 => Op::Tell,
                65..=69 => Op::Seek(SeekFrom::Start(rng.below(40))),
                70..=74 => Op::Seek(SeekFrom::Current(rng.below(24) as i64 - 12)),
                75..=77 => Op::Seek(SeekFrom::End(rng.below(24) as i64 - 16)),
                78..=80 if writing => Op::Truncate((!rng.percent(40)).then(|| rng.below(30))),
                // Closing or detaching ends the interesting part of a sequence: rarely.
                81 if rng.percent(30) => Op::Close,
                82 if rng.percent(30) => Op::Detach,
                83..=84 => Op::Closed,
                85 if reading => Op::Readable,
                86 if writing => Op::Writable,
                87 => Op::Seekable,
                88..=99 => Op::Raw,
                _ => continue,
            };
            return op;
        }
    }

    fn to_json(&self) -> Value {
        match self {
            Op::Read(n) => json!({"op": "read", "n": n}),
            Op::Read1(n) => json!({"op": "read1", "n": n}),
            Op::Peek(n) => json!({"op": "peek", "n": n}),
            Op::ReadInto(n) => json!({"op": "readinto", "n": n}),
            Op::ReadInto1(n) => json!({"op": "readinto1", "n": n}),
            Op::ReadLine(n) => json!({"op": "readline", "n": n}),
            Op::ReadLines(n) => json!({"op": "readlines", "n": n}),
            Op::Write(data) => json!({"op": "write", "data": b(data)}),
            Op::Flush => json!({"op": "flush"}),
            Op::Tell => json!({"op": "tell"}),
            Op::Seek(SeekFrom::Start(n)) => json!({"op": "seek", "offset": n, "whence": 0}),
            Op::Seek(SeekFrom::Current(n)) => json!({"op": "seek", "offset": n, "whence": 1}),
            Op::Seek(SeekFrom::End(n)) => json!({"op": "seek", "offset": n, "whence": 2}),
            Op::Truncate(n) => json!({"op": "truncate", "n": n}),
            Op::Close => json!({"op": "close"}),
            Op::Detach => json!({"op": "detach"}),
            Op::Closed => json!({"op": "closed"}),
            Op::Readable => json!({"op": "readable"}),
            Op::Writable => json!({"op": "writable"}),
            Op::Seekable => json!({"op": "seekable"}),
            Op::Raw => json!({"op": "raw"}),
        }
    }
}

/// The stream's construction, shared by both sides.
#[derive(Debug, Clone)]
struct Spec {
    kind: Kind,
    capacity: usize,
    data: Vec<u8>,
    caps: (bool, bool, bool),
    reads: Vec<Option<usize>>,
    writes: Vec<Option<usize>>,
}

impl Spec {
    fn random(rng: &mut Rng) -> Spec {
        let kind = [Kind::Reader, Kind::Writer, Kind::Random][rng.index(3)];
        let capacity = if rng.percent(2) { 0 } else { 1 + rng.index(12) };
        let len = rng.index(40);
        // A BufferedRandom sequence ends at its first blocked write (see `Subject::run`): rarer there.
        let block = if kind == Kind::Random { 5 } else { 30 };
        let script = |rng: &mut Rng, block: u64| -> Vec<Option<usize>> {
            (0..rng.index(25))
                .map(|_| (!rng.percent(block)).then(|| 1 + rng.index(9)))
                .collect()
        };
        let seekable = kind == Kind::Random || rng.percent(60);
        Spec {
            kind,
            capacity,
            data: rng.bytes_from(ALPHABET, len),
            caps: (kind != Kind::Writer, kind != Kind::Reader, seekable),
            reads: script(rng, 30),
            writes: script(rng, block),
        }
    }

    fn to_json(&self) -> Value {
        json!({
            "kind": self.kind.name(),
            "cap": self.capacity,
            "data": b(&self.data),
            "caps": [self.caps.0, self.caps.1, self.caps.2],
            "reads": self.reads,
            "writes": self.writes,
        })
    }

    fn raw(&self) -> Scripted {
        let steps = |script: &[Option<usize>]| -> Vec<Step> {
            script
                .iter()
                .map(|s| s.map_or(Step::Block, Step::Take))
                .collect()
        };
        let (readable, writable, seekable) = self.caps;
        Scripted::new(&self.data, readable, writable, seekable)
            .reads(&steps(&self.reads))
            .writes(&steps(&self.writes))
    }
}

/// The wrapper under test.
enum Under {
    Reader(BufferedReader<Scripted>),
    Writer(BufferedWriter<Scripted>),
    Random(BufferedRandom<Scripted>),
}

impl Under {
    /// Python's methods (`BufferedIoBase` and its `IoBase`), the same table for every wrapper.
    fn python(&mut self) -> &mut dyn BufferedIoBase {
        match self {
            Under::Reader(f) => f,
            Under::Writer(f) => f,
            Under::Random(f) => f,
        }
    }

    /// std's `Seek`.
    fn seek(&mut self) -> &mut dyn Seek {
        match self {
            Under::Reader(f) => f,
            Under::Writer(f) => f,
            Under::Random(f) => f,
        }
    }

    /// Python's `tell`, a method of each type.
    fn tell(&mut self) -> io::Result<u64> {
        match self {
            Under::Reader(f) => f.tell(),
            Under::Writer(f) => f.tell(),
            Under::Random(f) => f.tell(),
        }
    }

    fn raw(&self) -> &Scripted {
        match self {
            Under::Reader(f) => f.get_ref(),
            Under::Writer(f) => f.get_ref(),
            Under::Random(f) => f.get_ref(),
        }
    }
}

/// The wrapper (gone once `detach` consumed it), and the raw stream once detached.
struct Subject {
    under: Option<Under>,
    detached: Option<Scripted>,
    /// Stopped comparing: a `BufferedRandom` whose raw stream's write would block (see the driver).
    dead: bool,
}

/// An outcome as the driver reports it: reads that would block are `None`; a would-block error
/// shows its `characters_written`.
fn outcome<T>(result: io::Result<T>, to_json: impl FnOnce(T) -> Value) -> Outcome {
    match result {
        Ok(value) => Outcome::Ok(to_json(value)),
        Err(err) => match Error::characters_written(&err) {
            Some(n) => Outcome::Err {
                class: "BlockingIOError".into(),
                message: format!("{err} (characters_written={n})"),
            },
            None if err.kind() == io::ErrorKind::WouldBlock => Outcome::Ok(Value::Null),
            None => Outcome::error(&err),
        },
    }
}

impl Subject {
    fn build(spec: &Spec) -> io::Result<Subject> {
        let raw = spec.raw();
        let under = match spec.kind {
            Kind::Reader => Under::Reader(BufferedReader::with_capacity(spec.capacity, raw)?),
            Kind::Writer => Under::Writer(BufferedWriter::with_capacity(spec.capacity, raw)?),
            Kind::Random => Under::Random(BufferedRandom::with_capacity(spec.capacity, raw)?),
        };
        Ok(Subject {
            under: Some(under),
            detached: None,
            dead: false,
        })
    }

    fn run(&mut self, op: &Op) -> Outcome {
        if self.dead {
            return Outcome::Ok(json!("dead"));
        }
        let blocks = self.write_blocks();
        let outcome = self.outcome(op);
        if matches!(self.under, Some(Under::Random(_))) && self.write_blocks() > blocks {
            self.dead = true;
            return Outcome::Ok(json!("blocked"));
        }
        outcome
    }

    /// The raw stream, wherever it is.
    fn raw(&self) -> Option<&Scripted> {
        self.detached
            .as_ref()
            .or(self.under.as_ref().map(Under::raw))
    }

    /// How often the raw stream's `write` would have blocked so far.
    fn write_blocks(&self) -> usize {
        self.raw().map_or(0, |raw| raw.write_blocks)
    }

    /// `detach()`, which consumes the wrapper, or gives it back with the error.
    fn detach(&mut self, under: Under) -> Outcome {
        let (result, back) = match under {
            Under::Reader(f) => split(f.detach(), Under::Reader),
            Under::Writer(f) => split(f.detach(), Under::Writer),
            Under::Random(f) => split(f.detach(), Under::Random),
        };
        self.under = back;
        outcome(result, |raw| {
            self.detached = Some(raw);
            Value::Null
        })
    }

    fn outcome(&mut self, op: &Op) -> Outcome {
        let bytes = |data: Bytes| b(&data);
        let unit = |()| Value::Null;
        let num = |n: u64| json!(n);
        let flag = |v: bool| json!(v);
        if let Op::Raw = op {
            return self.raw().map_or(Outcome::Ok(Value::Null), |r| {
                Outcome::Ok(json!([b(&r.data), r.pos]))
            });
        }
        let Some(mut under) = self.under.take() else {
            // The driver's Python object lives on, detached: every call raises, and `closed` is
            // modelled as true (see `docs/python-parity.md`).
            return match op {
                Op::Closed => Outcome::Ok(json!(true)),
                _ => Outcome::error(&Error::Detached("raw stream").into()),
            };
        };
        if let Op::Detach = op {
            return self.detach(under);
        }
        let f = under.python();
        let got = match op {
            Op::Read(n) => outcome(f.read_bytes(*n), bytes),
            Op::Read1(n) => match &mut under {
                // CPython 3.11's C `read1` reads stale bytes without a flush first.
                Under::Random(f) => outcome(f.flush().and_then(|()| f.read1(*n)), bytes),
                other => outcome(other.python().read1(*n), bytes),
            },
            Op::Peek(_) => match &mut under {
                Under::Reader(f) => outcome(f.peek_buffered(), b),
                Under::Random(f) => outcome(f.peek_buffered(), b),
                Under::Writer(_) => unreachable!("not generated for writers"),
            },
            Op::ReadInto(n) | Op::ReadInto1(n) => {
                let mut buf = vec![0; *n];
                let got = if matches!(op, Op::ReadInto(_)) {
                    f.readinto(&mut buf)
                } else {
                    f.readinto1(&mut buf)
                };
                outcome(got, |k| b(&buf[..k]))
            }
            Op::ReadLine(n) => outcome(f.readline(*n), bytes),
            Op::ReadLines(n) => outcome(f.readlines(*n), |lines| {
                lines.iter().map(|l| b(l)).collect()
            }),
            Op::Write(data) => match &mut under {
                Under::Writer(f) => outcome(f.write(data), |n| json!(n)),
                Under::Random(f) => outcome(f.write(data), |n| json!(n)),
                Under::Reader(_) => unreachable!("not generated for readers"),
            },
            Op::Flush => match &mut under {
                Under::Writer(f) => outcome(f.flush(), unit),
                Under::Random(f) => outcome(f.flush(), unit),
                Under::Reader(_) => unreachable!("not generated for readers"),
            },
            Op::Tell => outcome(under.tell(), num),
            Op::Seek(pos) => outcome(under.seek().seek(*pos), num),
            Op::Truncate(n) => outcome(f.truncate(*n), num),
            Op::Close => outcome(f.close(), unit),
            Op::Closed => Outcome::Ok(json!(f.closed())),
            Op::Readable => outcome(f.readable(), flag),
            Op::Writable => outcome(f.writable(), flag),
            Op::Seekable => outcome(f.seekable(), flag),
            Op::Detach | Op::Raw => unreachable!("handled above"),
        };
        self.under = Some(under);
        got
    }
}

/// A `detach` result as the raw stream, or the error with the wrapper put back as `wrap` makes it.
fn split<W>(
    result: Result<Scripted, IntoInnerError<W>>,
    wrap: fn(W) -> Under,
) -> (io::Result<Scripted>, Option<Under>) {
    match result {
        Ok(raw) => (Ok(raw), None),
        Err(err) => {
            let (err, wrapper) = err.into_parts();
            (Err(err), Some(wrap(wrapper)))
        }
    }
}

/// The sequences: random ops, then the raw stream's final state.
fn sequences() -> Vec<(Sequence, Spec, Vec<Op>)> {
    (0..oracle::cases() as u64)
        .map(|i| {
            let seed = oracle::base_seed().wrapping_add(i);
            let mut rng = Rng::new(seed);
            let spec = Spec::random(&mut rng);
            let count = 50 + rng.index(31);
            let mut ops: Vec<Op> = (0..count)
                .map(|_| Op::random(&mut rng, spec.kind))
                .collect();
            ops.push(Op::Raw);
            let sequence = Sequence {
                seed,
                spec: spec.to_json(),
                ops: ops.iter().map(Op::to_json).collect(),
            };
            (sequence, spec, ops)
        })
        .collect()
}

#[test]
fn buffered_agrees_with_python() {
    let generated = sequences();
    let sequences: Vec<Sequence> = generated.iter().map(|(seq, _, _)| seq.clone()).collect();
    let python = oracle::run_python("buffered", &sequences);
    let strata: Vec<Vec<Outcome>> = generated
        .iter()
        .map(|(_, spec, ops)| match Subject::build(spec) {
            Ok(mut subject) => ops.iter().map(|op| subject.run(op)).collect(),
            Err(err) => vec![Outcome::error(&err)],
        })
        .collect();
    oracle::compare("buffered", &sequences, &python, &strata);
}

/// Every `BufferedIoBase` stream of the workspace, holding [`LINES`], as the generic suite builds
/// them; the temporary directory holds `MmapIO`'s file.
fn every_stream(dir: &std::path::Path) -> io::Result<Vec<(&'static str, Box<dyn Stream>)>> {
    use std::io::Cursor;
    use strata_buffered::{BufferedRWPair, BytesIO};
    use strata_raw::StdRaw;
    use strata_spool::{MmapIO, SpooledIO};

    let spooled = |max_size| -> io::Result<SpooledIO> {
        let mut f = SpooledIO::new_in(max_size, dir);
        f.write_all(LINES)?;
        f.seek(SeekFrom::Start(0))?;
        Ok(f)
    };
    let path = dir.join("lines");
    std::fs::write(&path, LINES)?;
    // SAFETY: the file is in this test's private temporary directory and nothing else writes it.
    let mmap = unsafe { MmapIO::open(&path)? };
    let (mut writer, pipe) = strata_pipe::pipe(64)?;
    writer.write_all(LINES)?;
    drop(writer);
    Ok(vec![
        ("BytesIO", Box::new(BytesIO::from(LINES))),
        (
            "BufferedReader",
            Box::new(BufferedReader::with_capacity(
                4,
                StdRaw::reader(Cursor::new(LINES)),
            )?),
        ),
        (
            "BufferedRandom",
            Box::new(BufferedRandom::with_capacity(
                4,
                StdRaw::random(Cursor::new(LINES.to_vec())),
            )?),
        ),
        (
            "BufferedRWPair",
            Box::new(BufferedRWPair::with_capacity(
                4,
                StdRaw::reader(Cursor::new(LINES)),
                StdRaw::writer(Vec::new()),
            )?),
        ),
        ("SpooledIO in memory", Box::new(spooled(1 << 10)?)),
        ("SpooledIO on disk", Box::new(spooled(4)?)),
        ("MmapIO", Box::new(mmap)),
        ("PipeReader", Box::new(pipe)),
    ])
}

/// A stream of the suite: Python's methods through `dyn BufferedIoBase`, and [`count_lines`], the
/// generic function, on its concrete type.
trait Stream: BufferedIoBase {
    fn counted_lines(&mut self) -> io::Result<usize>;
}

impl<S: BufferedIoBase> Stream for S {
    fn counted_lines(&mut self) -> io::Result<usize> {
        count_lines(self)
    }
}

/// What every stream holds in the generic suite.
const LINES: &[u8] = b"ab\ncd\n\nef";

/// The function the layer trait exists for: written once, for every buffered stream.
fn count_lines<S: BufferedIoBase>(s: &mut S) -> io::Result<usize> {
    let mut n = 0;
    for line in s.iter_lines() {
        line?;
        n += 1;
    }
    Ok(n)
}

/// The table of Python calls, in order, and what each must give on every stream holding [`LINES`]
/// (`Vec`s of lines joined with `|`).
fn python_calls(f: &mut dyn BufferedIoBase) -> Vec<(&'static str, String)> {
    let text = |r: io::Result<Bytes>| {
        r.map_or_else(|e| format!("E: {e}"), |b| b.escape_ascii().to_string())
    };
    let mut out = vec![
        ("read(1)", text(f.read_bytes(Some(1)))),
        ("read1(1)", text(f.read1(Some(1)))),
    ];
    let mut buf = [0; 2];
    let n = f.readinto(&mut buf).map_or(0, |n| n);
    out.push(("readinto(2)", buf[..n].escape_ascii().to_string()));
    let n = f.readinto1(&mut buf[..1]).map_or(0, |n| n);
    out.push(("readinto1(1)", buf[..n].escape_ascii().to_string()));
    out.push(("readline(None)", text(f.readline(None))));
    out.push(("readline(0)", text(f.readline(Some(0)))));
    let lines = f.readlines(None).map(|lines| {
        lines
            .iter()
            .map(|l| l.escape_ascii().to_string())
            .collect::<Vec<_>>()
            .join("|")
    });
    out.push(("readlines()", lines.unwrap_or_else(|e| format!("E: {e}"))));
    out.push(("read()", text(f.read_bytes(None))));
    out.push(("readable()", format!("{:?}", f.readable().ok())));
    out.push(("close()", format!("{:?}", f.close().ok())));
    out.push(("closed", f.closed().to_string()));
    out.push(("read() closed", f.read_bytes(None).is_err().to_string()));
    out.push(("readlines() closed", f.readlines(None).is_err().to_string()));
    out
}

#[test]
fn every_buffered_stream_answers_the_same_python_calls_alike() -> io::Result<()> {
    let dir = tempfile::tempdir()?;
    let want = [
        ("read(1)", "a"),
        ("read1(1)", "b"),
        ("readinto(2)", "\\nc"),
        ("readinto1(1)", "d"),
        ("readline(None)", "\\n"),
        ("readline(0)", ""),
        ("readlines()", "\\n|ef"),
        ("read()", ""),
        ("readable()", "Some(true)"),
        ("close()", "Some(())"),
        ("closed", "true"),
        ("read() closed", "true"),
        ("readlines() closed", "true"),
    ];
    for (name, mut stream) in every_stream(dir.path())? {
        let got = python_calls(&mut *stream);
        let want: Vec<(&str, String)> = want.iter().map(|(k, v)| (*k, v.to_string())).collect();
        assert_eq!(got, want, "{name}");
    }
    for (name, mut stream) in every_stream(dir.path())? {
        assert_eq!(stream.counted_lines()?, 4, "{name}");
        assert_eq!(stream.counted_lines()?, 0, "{name}: at the end");
    }
    Ok(())
}

#[test]
fn a_writer_has_the_python_calls_but_cannot_read() -> io::Result<()> {
    let mut w = BufferedWriter::new(strata_raw::StdRaw::writer(Vec::new()))?;
    let err = count_lines(&mut w).unwrap_err();
    assert_eq!(
        (err.kind(), err.to_string()),
        (io::ErrorKind::Unsupported, "read".into())
    );
    assert_eq!(w.readline(None).unwrap_err().to_string(), "read");
    assert_eq!(w.read1(None).unwrap_err().to_string(), "read1");
    w.writelines([&b"ab\n"[..], b"cd"])?;
    assert_eq!(w.detach().map_err(io::Error::from)?.into_inner(), b"ab\ncd");
    Ok(())
}
