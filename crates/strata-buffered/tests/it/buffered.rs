//! Buffered wrappers over scripted raw streams, table-driven.
//!
//! Each case builds a wrapper over a [`Scripted`] raw stream and runs a trace of operations written
//! as text (`"read 6"`, `"write abc"`, `"seek -4 end"`, `"raw reads"`) against the outcome each must
//! have, also as text: bytes as `escape_ascii` shows them, numbers, `ok`, `blocked` (a read that
//! would block), `blocked N` (a would-block error carrying `characters_written` N) or `E: message`.
//! The cases are numbered as the behaviours they pin down (C62 construction … C95 pairs); those of
//! C64–67, 85 and 89–92 are traces of CPython's own `test_io`, literally. Every case runs the same
//! table of Python methods, through `&mut dyn BufferedIoBase`, whichever wrapper it built.

mod scripted;

use std::io::{self, BufRead, Seek, SeekFrom, Write};

use proptest::prelude::*;
use strata_buffered::prelude::*;
use strata_buffered::{BufferedRWPair, BufferedRandom, BufferedReader, BufferedWriter};
use strata_raw::{Error, StdRaw};

use self::scripted::Scripted;
use self::scripted::Step::{Block as B, Interrupt as I, Lie, Take as T};

/// The wrapper under test.
enum Under {
    Reader(BufferedReader<Scripted>),
    Writer(BufferedWriter<Scripted>),
    Random(BufferedRandom<Scripted>),
    Pair(Box<BufferedRWPair<Scripted, Scripted>>),
}

/// Which wrapper a case builds; a pair gets the case's raw stream as its reader and `Pair`'s as its
/// writer.
#[derive(Clone)]
enum Kind {
    Reader,
    Writer,
    Random,
    Pair(Scripted),
}

/// A subject: the wrapper (gone once `detach` consumed it), and the raw stream once detached.
struct Subject {
    under: Option<Under>,
    detached: Option<Scripted>,
}

fn show<T>(result: io::Result<T>, ok: impl FnOnce(T) -> String) -> String {
    match result {
        Ok(value) => ok(value),
        Err(err) => match Error::characters_written(&err) {
            Some(n) => format!("blocked {n}"),
            None if err.kind() == io::ErrorKind::WouldBlock => "blocked".to_string(),
            None => format!("E: {err}"),
        },
    }
}

fn text(bytes: &[u8]) -> String {
    bytes.escape_ascii().to_string()
}

/// `"x*20"` is twenty `x`; anything else is itself.
fn payload(arg: &str) -> Vec<u8> {
    match arg.rsplit_once('*') {
        Some((unit, count)) if count.parse::<usize>().is_ok() => {
            unit.repeat(count.parse().unwrap_or(0)).into_bytes()
        }
        _ => arg.as_bytes().to_vec(),
    }
}

impl Under {
    /// Python's methods (`BufferedIoBase` and its `IoBase`), the same table for every wrapper.
    fn python(&mut self) -> &mut dyn BufferedIoBase {
        match self {
            Under::Reader(f) => f,
            Under::Writer(f) => f,
            Under::Random(f) => f,
            Under::Pair(p) => &mut **p,
        }
    }

    /// std's reading side, where the wrapper reads.
    fn buf_read(&mut self) -> Option<&mut dyn BufRead> {
        match self {
            Under::Reader(f) => Some(f),
            Under::Random(f) => Some(f),
            Under::Pair(p) => Some(&mut **p),
            Under::Writer(_) => None,
        }
    }

    /// std's writing side, where the wrapper writes.
    fn write(&mut self) -> Option<&mut dyn Write> {
        match self {
            Under::Writer(f) => Some(f),
            Under::Random(f) => Some(f),
            Under::Pair(p) => Some(&mut **p),
            Under::Reader(_) => None,
        }
    }

    /// std's `Seek`, where the wrapper seeks.
    fn seek(&mut self) -> Option<&mut dyn Seek> {
        match self {
            Under::Reader(f) => Some(f),
            Under::Writer(f) => Some(f),
            Under::Random(f) => Some(f),
            Under::Pair(_) => None,
        }
    }
}

/// What a step that the wrapper does not have gives.
fn absent() -> String {
    "no such operation".to_string()
}

impl Subject {
    fn build(kind: &Kind, capacity: Option<usize>, raw: Scripted) -> io::Result<Subject> {
        let cap = capacity.unwrap_or(strata_buffered::DEFAULT_BUFFER_SIZE);
        let under = match kind {
            Kind::Reader => Under::Reader(BufferedReader::with_capacity(cap, raw)?),
            Kind::Writer => Under::Writer(BufferedWriter::with_capacity(cap, raw)?),
            Kind::Random => Under::Random(BufferedRandom::with_capacity(cap, raw)?),
            Kind::Pair(writer) => Under::Pair(Box::new(BufferedRWPair::with_capacity(
                cap,
                raw,
                writer.clone(),
            )?)),
        };
        Ok(Subject {
            under: Some(under),
            detached: None,
        })
    }

    /// The raw stream the raw-inspecting operations look at (a pair's writer for its bytes).
    fn raw(&self, reading: bool) -> Option<&Scripted> {
        if let Some(raw) = &self.detached {
            return Some(raw);
        }
        match self.under.as_ref()? {
            Under::Reader(f) => Some(f.get_ref()),
            Under::Writer(f) => Some(f.get_ref()),
            Under::Random(f) => Some(f.get_ref()),
            Under::Pair(p) if reading => Some(p.reader().get_ref()),
            Under::Pair(p) => Some(p.writer().get_ref()),
        }
    }

    /// `detach()`, which consumes the wrapper: on success only the raw stream is left.
    fn detach(&mut self) -> String {
        let Some(under) = self.under.take() else {
            return "no wrapper: detached".into();
        };
        let (result, back): (io::Result<Scripted>, Option<Under>) = match under {
            Under::Reader(f) => match f.detach() {
                Ok(raw) => (Ok(raw), None),
                Err(err) => {
                    let (err, f) = err.into_parts();
                    (Err(err), Some(Under::Reader(f)))
                }
            },
            Under::Writer(f) => match f.detach() {
                Ok(raw) => (Ok(raw), None),
                Err(err) => {
                    let (err, f) = err.into_parts();
                    (Err(err), Some(Under::Writer(f)))
                }
            },
            Under::Random(f) => match f.detach() {
                Ok(raw) => (Ok(raw), None),
                Err(err) => {
                    let (err, f) = err.into_parts();
                    (Err(err), Some(Under::Random(f)))
                }
            },
            pair @ Under::Pair(_) => return self.restore(pair, absent()),
        };
        self.under = back;
        show(result, |raw| {
            self.detached = Some(raw);
            "ok".into()
        })
    }

    fn restore(&mut self, under: Under, outcome: String) -> String {
        self.under = Some(under);
        outcome
    }

    fn apply(&mut self, op: &str) -> String {
        let words: Vec<&str> = op.split_whitespace().collect();
        let num = |i: usize| words.get(i).and_then(|w| w.parse::<usize>().ok());
        let arg = words.get(1).copied().unwrap_or("");
        if words[0] == "detach" {
            return self.detach();
        }
        if words[0] == "raw" {
            return self.raw_query(arg);
        }
        let Some(under) = &mut self.under else {
            return "no wrapper: detached".into();
        };
        let f = under.python();
        match words[0] {
            "read" => show(f.read_bytes(num(1)), |b| text(&b)),
            "read1" => show(f.read1(num(1)), |b| text(&b)),
            "readinto" | "readinto1" => {
                let mut buf = vec![0; num(1).unwrap_or(0)];
                let n = match words[0] {
                    "readinto" => f.readinto(&mut buf),
                    _ => f.readinto1(&mut buf),
                };
                show(n, |n| text(&buf[..n]))
            }
            "readline" => show(f.readline(num(1)), |b| text(&b)),
            "readlines" => show(f.readlines(num(1)), |lines| {
                lines.iter().map(|l| text(l)).collect::<Vec<_>>().join("|")
            }),
            "truncate" => show(f.truncate(num(1).map(|n| n as u64)), |n| n.to_string()),
            "close" => show(f.close(), |()| "ok".into()),
            "closed" => f.closed().to_string(),
            "readable" => show(f.readable(), |b| b.to_string()),
            "writable" => show(f.writable(), |b| b.to_string()),
            "seekable" => show(f.seekable(), |b| b.to_string()),
            "peek" => match under {
                Under::Reader(f) => show(f.peek_buffered(), text),
                Under::Random(f) => show(f.peek_buffered(), text),
                Under::Pair(p) => show(p.peek_buffered(), text),
                Under::Writer(_) => absent(),
            },
            "stdread" => under.buf_read().map_or_else(absent, |f| {
                let mut buf = vec![0; num(1).unwrap_or(0)];
                show(f.read(&mut buf), |n| text(&buf[..n]))
            }),
            "fill_buf" => under
                .buf_read()
                .map_or_else(absent, |f| show(f.fill_buf(), text)),
            "consume" => under.buf_read().map_or_else(absent, |f| {
                f.consume(num(1).unwrap_or(0));
                "ok".to_string()
            }),
            // `read_until D`: the bytes appended up to `D` (default `\n`), and after an error what
            // std's contract keeps appended.
            "read_until" => under.buf_read().map_or_else(absent, |f| {
                let mut out = Vec::new();
                let result = f.read_until(arg.bytes().next().unwrap_or(b'\n'), &mut out);
                match result {
                    Ok(n) => format!("{n} {}", text(&out)),
                    Err(err) => format!(
                        "{} after {}",
                        show::<()>(Err(err), |()| String::new()),
                        text(&out)
                    ),
                }
            }),
            "read_line" => under.buf_read().map_or_else(absent, |f| {
                let mut line = String::new();
                show(f.read_line(&mut line), |_| text(line.as_bytes()))
            }),
            "write" => under
                .write()
                .map_or_else(absent, |f| show(f.write(&payload(arg)), |n| n.to_string())),
            "write_all" => under.write().map_or_else(absent, |f| {
                show(f.write_all(&payload(arg)), |()| "ok".into())
            }),
            "flush" => under
                .write()
                .map_or_else(absent, |f| show(f.flush(), |()| "ok".into())),
            "seek" => {
                let offset: i64 = arg.parse().unwrap_or(0);
                let pos = match words.get(2).copied() {
                    Some("cur") => SeekFrom::Current(offset),
                    Some("end") => SeekFrom::End(offset),
                    _ => SeekFrom::Start(offset.unsigned_abs()),
                };
                under
                    .seek()
                    .map_or_else(absent, |f| show(f.seek(pos), |n| n.to_string()))
            }
            "tell" => match under {
                Under::Reader(f) => show(f.tell(), |n| n.to_string()),
                Under::Writer(f) => show(f.tell(), |n| n.to_string()),
                Under::Random(f) => show(f.tell(), |n| n.to_string()),
                Under::Pair(_) => absent(),
            },
            "capacity" => match under {
                Under::Reader(f) => f.capacity().to_string(),
                Under::Writer(f) => f.capacity().to_string(),
                Under::Random(f) => f.capacity().to_string(),
                Under::Pair(p) => p.reader().capacity().to_string(),
            },
            "buffer" => match under {
                Under::Reader(f) => text(f.buffer()),
                Under::Writer(f) => text(f.buffer()),
                Under::Random(f) => text(f.buffer()),
                Under::Pair(p) => text(p.writer().buffer()),
            },
            "reader" => match under {
                Under::Pair(p) => p.reader().closed().to_string(),
                _ => absent(),
            },
            other => panic!("unknown operation {other:?}"),
        }
    }

    /// `raw` (its bytes) and `raw reads|writes|seeks|pos|closed`.
    fn raw_query(&self, what: &str) -> String {
        let Some(raw) = self.raw(what == "reads") else {
            return "none".into();
        };
        match what {
            "" => text(&raw.data),
            "reads" => raw.read_calls.to_string(),
            "writes" => raw.write_calls.to_string(),
            "seeks" => raw.seek_calls.to_string(),
            "pos" => raw.pos.to_string(),
            "closed" => raw.closed.to_string(),
            other => format!("unknown raw query {other}"),
        }
    }
}

/// One case: a wrapper over a raw stream and a trace of (operation, outcome).
struct Case {
    name: &'static str,
    kind: Kind,
    capacity: Option<usize>,
    raw: Scripted,
    trace: &'static [(&'static str, &'static str)],
}

fn case(
    name: &'static str,
    kind: Kind,
    capacity: Option<usize>,
    raw: Scripted,
    trace: &'static [(&'static str, &'static str)],
) -> Case {
    Case {
        name,
        kind,
        capacity,
        raw,
        trace,
    }
}

/// Runs every case; a construction failure is the outcome of a leading `"new"` step.
fn check(cases: Vec<Case>) {
    for case in cases {
        let mut trace = case.trace.iter();
        let mut subject = match Subject::build(&case.kind, case.capacity, case.raw) {
            Ok(subject) => {
                if case.trace.first().is_some_and(|(op, _)| *op == "new") {
                    let (_, want) = trace.next().copied().unwrap_or_default();
                    assert_eq!("ok", want, "{}: new", case.name);
                }
                subject
            }
            Err(err) => {
                assert_eq!(
                    case.trace.first().map(|s| s.0),
                    Some("new"),
                    "{}: {err}",
                    case.name
                );
                assert_eq!(format!("E: {err}"), case.trace[0].1, "{}: new", case.name);
                continue;
            }
        };
        for (i, (op, want)) in trace.enumerate() {
            let got = subject.apply(op);
            assert_eq!(&got, want, "{}: step {i} `{op}`", case.name);
        }
    }
}

#[test]
fn c62_construction_checks_capabilities_and_size() {
    let closed = Scripted {
        closed: true,
        ..Scripted::reader(b"")
    };
    check(vec![
        case(
            "default size",
            Kind::Reader,
            None,
            Scripted::reader(b""),
            &[("capacity", "8192")],
        ),
        case(
            "writer default",
            Kind::Writer,
            None,
            Scripted::writer(),
            &[("capacity", "8192")],
        ),
        case(
            "size 0",
            Kind::Reader,
            Some(0),
            Scripted::reader(b""),
            &[("new", "E: buffer size must be strictly positive")],
        ),
        case(
            "writer size 0",
            Kind::Writer,
            Some(0),
            Scripted::writer(),
            &[("new", "E: buffer size must be strictly positive")],
        ),
        case(
            "reader over a writer",
            Kind::Reader,
            None,
            Scripted::writer(),
            &[("new", "E: File or stream is not readable.")],
        ),
        case(
            "writer over a reader",
            Kind::Writer,
            None,
            Scripted::reader(b""),
            &[("new", "E: File or stream is not writable.")],
        ),
        case(
            "random, not seekable",
            Kind::Random,
            None,
            Scripted::new(b"", true, true, false),
            &[("new", "E: File or stream is not seekable.")],
        ),
        case(
            "random, not readable",
            Kind::Random,
            None,
            Scripted::new(b"", false, true, true),
            &[("new", "E: File or stream is not readable.")],
        ),
        case(
            "random, not writable",
            Kind::Random,
            None,
            Scripted::new(b"", true, false, true),
            &[("new", "E: File or stream is not writable.")],
        ),
        case(
            "closed raw",
            Kind::Reader,
            None,
            closed,
            &[("new", "E: I/O operation on closed file.")],
        ),
        case(
            "pair, writer not writable",
            Kind::Pair(Scripted::reader(b"")),
            None,
            Scripted::reader(b""),
            &[("new", "E: File or stream is not writable.")],
        ),
        case(
            "capabilities reported",
            Kind::Random,
            None,
            Scripted::random(b""),
            &[
                ("readable", "true"),
                ("writable", "true"),
                ("seekable", "true"),
            ],
        ),
        case(
            "reader capabilities",
            Kind::Reader,
            None,
            Scripted::reader(b""),
            &[
                ("readable", "true"),
                ("writable", "false"),
                ("seekable", "false"),
            ],
        ),
    ]);
}

#[test]
fn c63_to_c69_reading() {
    let abcdefg = || Scripted::reader(b"abcdefg").reads(&[T(3), T(1), T(3)]);
    check(vec![
        case(
            "C63 read(None) to EOF",
            Kind::Reader,
            Some(4),
            Scripted::reader(b"abcdefghij").reads(&[T(3)]),
            &[("read", "abcdefghij"), ("read", "")],
        ),
        case(
            "C64 read past short reads, 3 raw calls",
            Kind::Reader,
            None,
            abcdefg(),
            &[("read 7", "abcdefg"), ("raw reads", "3")],
        ),
        case(
            "C64 no extra raw read once n is met",
            Kind::Reader,
            None,
            Scripted::reader(b"abcdefgXYZ").reads(&[T(3), T(1), T(3)]),
            &[
                ("read 7", "abcdefg"),
                ("raw reads", "3"),
                ("read 1", "X"),
                ("raw reads", "4"),
            ],
        ),
        case(
            "C65 would block mid-read",
            Kind::Reader,
            None,
            Scripted::reader(b"abcdefg").reads(&[T(3), T(1), B, T(3), B, B, B]),
            &[
                ("read 6", "abcd"),
                ("read 1", "e"),
                ("read", "fg"),
                ("peek 1", ""),
                ("read", "blocked"),
                ("read", ""),
            ],
        ),
        case(
            "C66 read1(0) makes no raw call",
            Kind::Reader,
            None,
            abcdefg(),
            &[
                ("read1 0", ""),
                ("raw reads", "0"),
                ("read1 2", "ab"),
                ("raw reads", "1"),
            ],
        ),
        case(
            "C67 read1 trace",
            Kind::Reader,
            None,
            abcdefg(),
            &[
                ("read 1", "a"),
                ("raw reads", "1"),
                ("read1 1", "b"),
                ("read1 0", ""),
                ("read1 100", "c"),
                ("raw reads", "1"),
                ("read1 100", "d"),
                ("raw reads", "2"),
                ("read1 100", "efg"),
                ("raw reads", "3"),
                ("read1 100", ""),
                ("raw reads", "4"),
            ],
        ),
        case(
            "C68 peek",
            Kind::Reader,
            Some(4),
            Scripted::reader(b"abcdef"),
            &[
                ("peek 1", "abcd"),
                ("raw reads", "1"),
                ("peek 10", "abcd"),
                ("raw reads", "1"),
                ("read 2", "ab"),
                ("peek 1", "cd"),
                ("read 2", "cd"),
                ("peek 1", "ef"),
                ("raw reads", "2"),
                ("read 2", "ef"),
                ("peek 1", ""),
                ("raw reads", "3"),
            ],
        ),
        case(
            "C69 readinto loops",
            Kind::Reader,
            None,
            abcdefg(),
            &[("readinto 7", "abcdefg"), ("raw reads", "3")],
        ),
        case(
            "C69 readinto1 makes one raw read",
            Kind::Reader,
            None,
            abcdefg(),
            &[
                ("readinto1 7", "abc"),
                ("raw reads", "1"),
                ("readinto1 7", "d"),
            ],
        ),
        case(
            "C69 large requests bypass the buffer",
            Kind::Reader,
            Some(4),
            Scripted::reader(b"abcdefghijkl"),
            &[
                ("readinto 10", "abcdefghij"),
                ("raw reads", "1"),
                ("buffer", ""),
                ("readinto1 2", "kl"),
            ],
        ),
        case(
            "C69 readinto would block",
            Kind::Reader,
            None,
            Scripted::reader(b"abcdef").reads(&[T(2), B, B]),
            &[
                ("readinto 5", "ab"),
                ("readinto 5", "blocked"),
                ("readinto1 5", "cdef"),
            ],
        ),
        case(
            "Read::read is readinto1",
            Kind::Reader,
            Some(4),
            abcdefg(),
            &[("stdread 7", "abc"), ("stdread 7", "d"), ("raw reads", "2")],
        ),
        case(
            "BufRead read_until across refills, would-block and end of file",
            Kind::Reader,
            Some(2),
            Scripted::reader(b"ab,cdef,gh\nij").reads(&[T(2), T(2), B]),
            &[
                ("read_until ,", "3 ab,"),
                ("read_until ,", "blocked after c"),
                ("read_until ,", "4 def,"),
                ("read_until", "3 gh\\n"),
                ("read_until", "2 ij"),
                ("read_until", "0 "),
            ],
        ),
        case(
            "BufRead read_until on a random-access stream, after a write",
            Kind::Random,
            Some(4),
            Scripted::random(b"abc\ndef"),
            &[
                ("write X", "1"),
                ("read_until", "3 bc\\n"),
                ("read_until", "3 def"),
                ("raw", "Xbc\\ndef"),
            ],
        ),
        case(
            "BufRead read_until on a pair reads the reading half",
            Kind::Pair(Scripted::writer()),
            Some(3),
            Scripted::reader(b"a\nbcdef\n"),
            &[
                ("read_until", "2 a\\n"),
                ("read_until", "6 bcdef\\n"),
                ("read_until", "0 "),
            ],
        ),
        case(
            "BufRead fill_buf and consume",
            Kind::Reader,
            Some(4),
            Scripted::reader(b"ab\ncd").reads(&[T(2), B]),
            &[
                ("fill_buf", "ab"),
                ("consume 1", "ok"),
                ("fill_buf", "b"),
                ("consume 5", "ok"),
                ("fill_buf", "blocked"),
                ("read_line", "\\n"),
                ("fill_buf", "cd"),
                ("consume 2", "ok"),
                ("fill_buf", ""),
            ],
        ),
    ]);
}

#[test]
fn c71_lines() {
    check(vec![
        case(
            "C71 readline with a limit",
            Kind::Reader,
            None,
            Scripted::reader(b"ab\ncd\nef"),
            &[
                ("readline", "ab\\n"),
                ("readline 1", "c"),
                ("readline", "d\\n"),
                ("readline 0", ""),
                ("readline", "ef"),
                ("readline", ""),
            ],
        ),
        case(
            "lines longer than the buffer",
            Kind::Reader,
            Some(2),
            Scripted::reader(b"abcdef\ngh\n\nx"),
            &[
                ("readline", "abcdef\\n"),
                ("readline 1", "g"),
                ("readlines", "h\\n|\\n|x"),
                ("readlines", ""),
            ],
        ),
        case(
            "limit across refills",
            Kind::Reader,
            Some(2),
            Scripted::reader(b"abcdefg\n"),
            &[("readline 5", "abcde"), ("readline 5", "fg\\n")],
        ),
        case(
            "readlines stops beyond the hint",
            Kind::Reader,
            None,
            Scripted::reader(b"a\nbb\nccc\nd"),
            &[
                ("readlines 1", "a\\n"),
                ("readlines 3", "bb\\n|ccc\\n"),
                ("readlines 0", "d"),
            ],
        ),
        case(
            "readlines hint 4",
            Kind::Reader,
            None,
            Scripted::reader(b"a\nbb\nccc\nd"),
            &[("readlines 4", "a\\n|bb\\n")],
        ),
        case(
            "readline stops at would-block",
            Kind::Reader,
            None,
            Scripted::reader(b"ab\ncd").reads(&[T(4), B]),
            &[("readline", "ab\\n"), ("readline", "c"), ("readline", "d")],
        ),
    ]);
}

#[test]
fn c72_to_c76_position_and_misbehaviour() {
    let digits = || Scripted::reader(b"0123456789").with_seek();
    check(vec![
        case(
            "C72 tell is raw minus buffered",
            Kind::Reader,
            Some(4),
            digits(),
            &[("read 1", "0"), ("tell", "1"), ("raw pos", "4")],
        ),
        case(
            "C74 seek inside the buffer without a raw seek",
            Kind::Reader,
            Some(4),
            digits(),
            &[
                ("read 1", "0"),
                ("tell", "1"),
                ("raw seeks", "1"),
                ("seek 3", "3"),
                ("seek -2 cur", "1"),
                ("seek 0 cur", "1"),
                ("raw seeks", "1"),
                ("read 2", "12"),
                ("raw reads", "1"),
                ("seek 8", "8"),
                ("raw seeks", "2"),
                ("read 1", "8"),
                ("seek -1 end", "9"),
                ("read", "9"),
                ("seek -20 cur", "E: negative seek value -10"),
            ],
        ),
        case(
            "C75 unseekable",
            Kind::Reader,
            None,
            Scripted::reader(b"abc"),
            &[
                ("tell", "E: seek"),
                ("seek 0", "E: File or stream is not seekable."),
                ("truncate", "E: truncate"),
            ],
        ),
        case(
            "C76 readinto returning too much",
            Kind::Reader,
            Some(8192),
            Scripted::reader(b"abc").reads(&[Lie(40960)]),
            &[
                (
                    "read 1",
                    "E: raw readinto() returned invalid length 40960 (should have been between 0 and 8192)",
                ),
                ("read 1", "a"),
            ],
        ),
        case(
            "C76 readinto1 returning too much",
            Kind::Reader,
            Some(4),
            Scripted::reader(b"abc").reads(&[Lie(30)]),
            &[(
                "readinto1 20",
                "E: raw readinto() returned invalid length 30 (should have been between 0 and 20)",
            )],
        ),
        case(
            "C76 an impossible position",
            Kind::Reader,
            Some(4),
            digits().lying_position(0),
            &[
                ("read 1", "0"),
                ("tell", "E: Raw stream returned invalid position -3"),
            ],
        ),
        case(
            "C76 a position past i64",
            Kind::Random,
            None,
            Scripted::random(b"").lying_position(u64::MAX),
            &[(
                "tell",
                "E: Raw stream returned invalid position 18446744073709551615",
            )],
        ),
    ]);
}

#[test]
fn c77_closed() {
    check(vec![
        case(
            "C77 reader",
            Kind::Reader,
            None,
            Scripted::reader(b"abc").with_seek(),
            &[
                ("read 1", "a"),
                ("close", "ok"),
                ("closed", "true"),
                ("raw closed", "true"),
                ("read", "E: read of closed file"),
                ("read1 1", "E: read of closed file"),
                ("peek 1", "E: peek of closed file"),
                ("readinto 1", "E: readinto of closed file"),
                ("readline", "E: readline of closed file"),
                ("readlines", "E: I/O operation on closed file."),
                ("seek 0", "E: seek of closed file"),
                ("tell", "E: I/O operation on closed file."),
                ("truncate", "E: truncate of closed file"),
                ("readable", "E: I/O operation on closed file."),
                ("detach", "E: I/O operation on closed file."),
                ("close", "ok"),
            ],
        ),
        case(
            "C77 writer",
            Kind::Writer,
            None,
            Scripted::writer().with_seek(),
            &[
                ("close", "ok"),
                ("write x", "E: write to closed file"),
                ("flush", "E: flush of closed file"),
                ("seek 0", "E: seek of closed file"),
                ("truncate", "E: truncate of closed file"),
                ("detach", "E: flush of closed file"),
                ("close", "ok"),
            ],
        ),
    ]);
}

#[test]
fn c78_to_c88_writing() {
    check(vec![
        case(
            "C78 write copies at once",
            Kind::Writer,
            Some(8),
            Scripted::writer(),
            &[
                ("write abc", "3"),
                ("raw", ""),
                ("buffer", "abc"),
                ("write x*20", "20"),
                ("raw", "abcxxxxxxxxxxxxxxxxxxxx"),
                ("buffer", ""),
            ],
        ),
        case(
            "C79 pending reaches raw on overflow and flush",
            Kind::Writer,
            Some(4),
            Scripted::writer(),
            &[
                ("write ab", "2"),
                ("write cd", "2"),
                ("raw", ""),
                ("write e", "1"),
                ("raw", "abcd"),
                ("buffer", "e"),
                ("flush", "ok"),
                ("raw", "abcde"),
            ],
        ),
        case(
            "C79 on seek",
            Kind::Writer,
            Some(4),
            Scripted::writer().with_seek(),
            &[("write ab", "2"), ("seek 0 end", "2"), ("raw", "ab")],
        ),
        case(
            "C79 on close",
            Kind::Writer,
            Some(4),
            Scripted::writer(),
            &[
                ("write ab", "2"),
                ("raw", ""),
                ("close", "ok"),
                ("raw", "ab"),
                ("raw closed", "true"),
            ],
        ),
        case(
            "C79 on truncate",
            Kind::Writer,
            Some(4),
            Scripted::writer(),
            &[
                ("write ab", "2"),
                ("truncate 1", "1"),
                ("raw", "a"),
                ("buffer", ""),
            ],
        ),
        case(
            "C79 on detach",
            Kind::Writer,
            Some(4),
            Scripted::writer(),
            &[("write ab", "2"), ("detach", "ok"), ("raw", "ab")],
        ),
        case(
            "C80 flush through 1-byte writes",
            Kind::Writer,
            Some(8),
            Scripted::writer().writes(&[T(1); 8]),
            &[
                ("write abcdefgh", "8"),
                ("flush", "ok"),
                ("raw writes", "8"),
                ("raw", "abcdefgh"),
            ],
        ),
        case(
            "C81 flush would block",
            Kind::Writer,
            Some(8),
            Scripted::writer().writes(&[T(1), B]),
            &[
                ("write abc", "3"),
                ("flush", "blocked 0"),
                ("buffer", "bc"),
                ("raw", "a"),
                ("flush", "ok"),
                ("raw", "abc"),
            ],
        ),
        case(
            "C82 write blocks: bytes accepted are a short write",
            Kind::Writer,
            Some(8),
            Scripted::writer().writes(&[B]),
            &[
                ("write x*20", "8"),
                ("raw", ""),
                ("write yz", "2"),
                ("raw", "xxxxxxxx"),
                ("buffer", "yz"),
            ],
        ),
        case(
            "C82 write_all blocks: its error counts the bytes of the call accepted",
            Kind::Writer,
            Some(8),
            Scripted::writer().writes(&[B, B, B]),
            &[
                ("write_all x*20", "blocked 8"),
                ("raw", ""),
                ("buffer", "xxxxxxxx"),
            ],
        ),
        case(
            "C82 write blocks with pending bytes",
            Kind::Writer,
            Some(8),
            Scripted::writer().writes(&[B, B]),
            &[
                ("write abcdef", "6"),
                ("write ghijk", "2"),
                ("buffer", "abcdefgh"),
                ("write ijk", "blocked 0"),
                ("write_all ijk", "ok"),
                ("raw", "abcdefgh"),
                ("buffer", "ijk"),
            ],
        ),
        case(
            "C82 pending bytes fit after the shift",
            Kind::Writer,
            Some(8),
            Scripted::writer().writes(&[T(4), B]),
            &[
                ("write abcdef", "6"),
                ("write ghij", "4"),
                ("raw", "abcd"),
                ("buffer", "efghij"),
            ],
        ),
        case(
            "C83 write returning too much",
            Kind::Writer,
            Some(4),
            Scripted::writer().writes(&[Lie(12)]),
            &[(
                "write abcdef",
                "E: raw write() returned invalid length 12 (should have been between 0 and 6)",
            )],
        ),
        case(
            "write returning 0 is WriteZero",
            Kind::Writer,
            Some(4),
            Scripted::writer().writes(&[Lie(0)]),
            &[
                ("write ab", "2"),
                ("flush", "E: raw write() accepted no bytes"),
            ],
        ),
        case(
            "C84 tell, truncate",
            Kind::Writer,
            Some(8),
            Scripted::writer().with_seek(),
            &[
                ("write abcdef", "6"),
                ("tell", "6"),
                ("truncate 3", "3"),
                ("tell", "6"),
                ("raw", "abc"),
            ],
        ),
        case(
            "C85 write and rewind",
            Kind::Writer,
            Some(4),
            Scripted::writer().with_seek(),
            &[
                ("write abcdef", "6"),
                ("tell", "6"),
                ("seek 0", "0"),
                ("write XY", "2"),
                ("seek 6", "6"),
                ("raw", "XYcdef"),
                ("write 123456", "6"),
                ("flush", "ok"),
                ("raw", "XYcdef123456"),
            ],
        ),
        case(
            "C86 detach",
            Kind::Writer,
            Some(8),
            Scripted::writer().with_seek(),
            &[
                ("write abc", "3"),
                ("detach", "ok"),
                ("raw", "abc"),
                ("raw closed", "false"),
                // `detach` consumed the writer: nothing else can be called on it.
                ("write x", "no wrapper: detached"),
                ("detach", "no wrapper: detached"),
            ],
        ),
        case(
            "C86 reader detach",
            Kind::Reader,
            Some(4),
            Scripted::reader(b"abcdef"),
            &[
                ("read 1", "a"),
                ("detach", "ok"),
                ("raw pos", "4"),
                ("read", "no wrapper: detached"),
            ],
        ),
        case(
            "C87 close after a blocked flush",
            Kind::Writer,
            Some(8),
            Scripted::writer().writes(&[B]),
            &[
                ("write abc", "3"),
                ("close", "blocked 0"),
                ("closed", "true"),
                ("raw closed", "true"),
                ("close", "ok"),
            ],
        ),
        case(
            "C87 close after a failed flush",
            Kind::Writer,
            Some(8),
            Scripted::writer().writes(&[Lie(9)]),
            &[
                ("write abc", "3"),
                (
                    "close",
                    "E: raw write() returned invalid length 9 (should have been between 0 and 3)",
                ),
                ("closed", "true"),
            ],
        ),
    ]);
}

#[test]
fn c89_to_c92_random() {
    check(vec![
        case(
            "C89 write after read-ahead",
            Kind::Random,
            Some(4),
            Scripted::random(b"AAAAAAAAAA"),
            &[
                ("read 1", "A"),
                ("write B", "1"),
                ("flush", "ok"),
                ("raw", "ABAAAAAAAA"),
                ("tell", "2"),
            ],
        ),
        case(
            "C90 interleaved",
            Kind::Random,
            None,
            Scripted::random(b"abcdefgh"),
            &[
                ("write 1", "1"),
                ("read 1", "b"),
                ("write 2", "1"),
                ("read1 1", "d"),
                ("write 3", "1"),
                ("readinto 1", "f"),
                ("write 4", "1"),
                ("peek 1", "h"),
                ("flush", "ok"),
                ("raw", "1b2d3f4h"),
            ],
        ),
        case(
            "C91 seek and tell",
            Kind::Random,
            None,
            Scripted::random(b"asdfghjkl"),
            &[
                ("read 2", "as"),
                ("tell", "2"),
                ("seek 0", "0"),
                ("read 4", "asdf"),
                ("write 123f", "4"),
                ("seek 0", "0"),
                ("read", "asdf123fl"),
                ("tell", "9"),
                ("seek -4 end", "5"),
                ("seek 2 cur", "7"),
                ("read 11", "fl"),
            ],
        ),
        case(
            "C92 truncate at the logical position",
            Kind::Random,
            Some(4),
            Scripted::random(b"AAAAAAAAAA"),
            &[
                ("read 2", "AA"),
                ("truncate", "2"),
                ("write BB", "2"),
                ("truncate", "4"),
                ("raw", "AABB"),
                ("tell", "4"),
            ],
        ),
        case(
            "read1 after a write flushes first",
            Kind::Random,
            Some(8),
            Scripted::random(b"0123456789"),
            &[
                ("write abc", "3"),
                ("read1 3", "345"),
                ("tell", "6"),
                ("flush", "ok"),
                ("raw", "abc3456789"),
            ],
        ),
        case(
            "reads see unflushed writes",
            Kind::Random,
            Some(8),
            Scripted::random(b"0123456789"),
            &[
                ("read 1", "0"),
                ("write ab", "2"),
                ("seek 0", "0"),
                ("read 4", "0ab3"),
                ("raw", "0123456789"),
                ("read_line", "456789"),
                ("raw", "0ab3456789"),
            ],
        ),
        case(
            "a read whose flush blocks consumes nothing",
            Kind::Random,
            Some(8),
            Scripted::random(b"0123456789").writes(&[B]),
            &[
                ("read 1", "0"),
                ("write ab", "2"),
                ("read 10", "blocked 0"),
                ("tell", "3"),
                ("seek 3", "3"),
                ("read 2", "34"),
                ("flush", "ok"),
                ("raw", "0ab3456789"),
            ],
        ),
        case(
            "a seek inside the buffer after a blocked flush reports the true position",
            Kind::Random,
            Some(12),
            Scripted::random(b"abcdefghijk").writes(&[B]),
            &[
                ("peek 4", "abcdefghijk"),
                ("write XY", "2"),
                ("readline 5", "cdefg"),
                ("flush", "blocked 0"),
                ("seek 7", "7"),
                ("read 1", "h"),
            ],
        ),
        case(
            "a blocked write behind pending bytes accepts nothing",
            Kind::Random,
            Some(12),
            Scripted::random(b"0123456789abcdefghij").writes(&[B]),
            &[
                ("read 8", "01234567"),
                ("write b", "1"),
                ("seek -9 cur", "0"),
                ("write x*20", "blocked 0"),
                ("tell", "0"),
                ("flush", "ok"),
                ("raw", "01234567b9abcdefghij"),
                ("write_all x*20", "ok"),
                ("raw", "xxxxxxxxxxxxxxxxxxxx"),
            ],
        ),
        case(
            "random write blocks after read-ahead",
            Kind::Random,
            Some(4),
            Scripted::random(b"0123456789").writes(&[B]),
            &[
                ("read 1", "0"),
                ("write abcdef", "4"),
                ("flush", "ok"),
                ("raw", "0abcd56789"),
                ("tell", "5"),
            ],
        ),
    ]);
}

#[test]
fn c93_to_c95_pair() {
    check(vec![
        case(
            "C93 reads and writes go to their halves",
            Kind::Pair(Scripted::writer()),
            Some(4),
            Scripted::reader(b"ab\ncd"),
            &[
                ("read 1", "a"),
                ("write xyz", "3"),
                ("raw", ""),
                ("readline", "b\\n"),
                ("flush", "ok"),
                ("raw", "xyz"),
                ("peek 1", "c"),
                ("readable", "true"),
                ("writable", "true"),
            ],
        ),
        case(
            "C94 never seekable",
            Kind::Pair(Scripted::writer().with_seek()),
            None,
            Scripted::reader(b"").with_seek(),
            &[("seekable", "false"), ("truncate", "E: truncate")],
        ),
        case(
            "C95 close order",
            Kind::Pair(Scripted::writer().writes(&[B])),
            None,
            Scripted::reader(b"ab"),
            &[
                ("write abc", "3"),
                ("close", "blocked 0"),
                ("closed", "true"),
                ("reader", "true"),
                ("raw reads", "0"),
                ("read", "E: read of closed file"),
            ],
        ),
    ]);
}

#[test]
fn dropping_a_writer_flushes_best_effort() {
    let mut raw = Scripted::writer();
    {
        let mut w = BufferedWriter::new(&mut raw).expect("writable");
        w.write_all(b"abc").expect("buffered");
    }
    assert_eq!(raw.data, b"abc");

    let mut blocked = Scripted::writer().writes(&[B]);
    let lost = strata_buffered::lost_on_drop();
    {
        let mut w = BufferedWriter::new(&mut blocked).expect("writable");
        w.write_all(b"abc").expect("buffered");
    } // the flush blocks: no panic, and the three bytes are counted
    assert_eq!(blocked.data, b"");
    // The counter is this thread's: other tests dropping writers meanwhile do not move it.
    assert_eq!(strata_buffered::lost_on_drop(), lost + 3);
    let other = std::thread::spawn(|| {
        let mut w = BufferedWriter::new(Scripted::writer().writes(&[B])).expect("writable");
        w.write_all(b"ab").expect("buffered");
        drop(w);
        strata_buffered::lost_on_drop()
    });
    assert_eq!(other.join().expect("no panic"), 2);
    assert_eq!(strata_buffered::lost_on_drop(), lost + 3);

    let mut raw = Scripted::random(b"0123");
    {
        let mut f = BufferedRandom::with_capacity(2, &mut raw).expect("random");
        f.read_bytes(Some(1)).expect("read");
        f.write_all(b"x").expect("buffered");
    }
    assert_eq!(raw.data, b"0x23");
}

#[test]
fn into_inner_and_into_parts() {
    let mut w = BufferedWriter::new(Scripted::writer().writes(&[B])).expect("writable");
    w.write_all(b"abc").expect("buffered");
    let err = w.into_inner().expect_err("the flush blocks");
    assert_eq!(Error::characters_written(err.error()), Some(0));
    let w = err.into_inner();
    assert_eq!(w.buffer(), b"abc");
    let raw = w.into_inner().expect("the script is used up");
    assert_eq!(raw.data, b"abc");

    let mut f = BufferedRandom::with_capacity(4, Scripted::random(b"0123456789")).expect("random");
    f.read_bytes(Some(1)).expect("read");
    let raw = f.into_inner().expect("settles");
    assert_eq!(raw.pos, 1, "the raw stream stands at the logical position");

    let mut r = BufferedReader::with_capacity(4, Scripted::reader(b"0123456789")).expect("reader");
    r.read_bytes(Some(1)).expect("read");
    let (raw, unread) = r.into_parts();
    assert_eq!((raw.pos, unread.as_slice()), (4, &b"123"[..]));

    // A failed `detach` gives the wrapper back, pending bytes and all.
    let mut w = BufferedWriter::new(Scripted::writer().writes(&[B])).expect("writer");
    w.write_all(b"abc").expect("buffered");
    let (err, w) = w.detach().expect_err("the flush blocks").into_parts();
    assert_eq!(Error::characters_written(&err), Some(0));
    assert_eq!(w.buffer(), b"abc");
    assert_eq!(w.detach().expect("the script is used up").data, b"abc");
}

#[test]
fn interrupted_raw_calls_are_retried() {
    check(vec![
        case(
            "reads",
            Kind::Reader,
            Some(2),
            Scripted::reader(b"abcde").reads(&[I, T(1), I, I, T(1), I]),
            &[("read", "abcde"), ("raw reads", "8")],
        ),
        case(
            "writes",
            Kind::Writer,
            Some(2),
            Scripted::writer().writes(&[I, T(1), I, T(1), I]),
            &[
                ("write abc", "3"),
                ("flush", "ok"),
                ("raw", "abc"),
                ("raw writes", "6"),
            ],
        ),
    ]);
}

/// One operation of the model-based property test.
#[derive(Debug, Clone)]
enum Op {
    Read(Option<usize>),
    Read1(usize),
    Readinto(usize),
    Readline(Option<usize>),
    ReadUntil(u8),
    Peek,
    Write(Vec<u8>),
    Seek(SeekFrom),
    Tell,
    Flush,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        proptest::option::of(0..12usize).prop_map(Op::Read),
        (0..12usize).prop_map(Op::Read1),
        (0..12usize).prop_map(Op::Readinto),
        proptest::option::of(0..12usize).prop_map(Op::Readline),
        prop_oneof![Just(b'\n'), Just(b'a')].prop_map(Op::ReadUntil),
        Just(Op::Peek),
        proptest::collection::vec(prop_oneof![Just(b'\n'), b'a'..=b'e'], 0..10).prop_map(Op::Write),
        (0..24u64).prop_map(|n| Op::Seek(SeekFrom::Start(n))),
        (-8..8i64).prop_map(|n| Op::Seek(SeekFrom::Current(n))),
        (-8..4i64).prop_map(|n| Op::Seek(SeekFrom::End(n))),
        Just(Op::Tell),
        Just(Op::Flush),
    ]
}

/// A file in memory: the model `BufferedRandom` must agree with.
struct Model {
    data: Vec<u8>,
    pos: usize,
}

impl Model {
    fn rest(&self) -> &[u8] {
        self.data.get(self.pos..).unwrap_or_default()
    }

    fn take(&mut self, n: usize) -> Vec<u8> {
        let out = self.rest()[..n.min(self.rest().len())].to_vec();
        self.pos += out.len();
        out
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_agrees_with_a_plain_file(
        initial in proptest::collection::vec(prop_oneof![Just(b'\n'), b'a'..=b'z'], 0..20),
        capacity in 1..8usize,
        ops in proptest::collection::vec(op(), 1..40),
    ) {
        let raw = StdRaw::random(io::Cursor::new(initial.clone()));
        let mut f = BufferedRandom::with_capacity(capacity, raw).expect("random");
        let mut model = Model { data: initial, pos: 0 };
        for op in ops {
            match op {
                Op::Read(n) => {
                    let want = model.take(n.unwrap_or(usize::MAX));
                    prop_assert_eq!(f.read_bytes(n).expect("read"), want);
                }
                Op::Read1(n) => {
                    let got = f.read1(Some(n)).expect("read1");
                    prop_assert!(got.len() <= n);
                    prop_assert!(!got.is_empty() || n == 0 || model.rest().is_empty());
                    prop_assert_eq!(got.to_vec(), model.take(got.len()));
                }
                Op::Readinto(n) => {
                    let mut buf = vec![0; n];
                    let got = f.readinto(&mut buf).expect("readinto");
                    let want = model.take(n);
                    prop_assert_eq!(&buf[..got], want.as_slice());
                }
                Op::Readline(limit) => {
                    let rest = model.rest();
                    let line = rest.iter().position(|&b| b == b'\n').map_or(rest.len(), |i| i + 1);
                    let want = model.take(line.min(limit.unwrap_or(usize::MAX)));
                    prop_assert_eq!(f.readline(limit).expect("readline"), want);
                }
                Op::ReadUntil(delim) => {
                    let rest = model.rest();
                    let n = rest.iter().position(|&b| b == delim).map_or(rest.len(), |i| i + 1);
                    let want = model.take(n);
                    let mut got = b"kept".to_vec();
                    prop_assert_eq!(f.read_until(delim, &mut got).expect("read_until"), n);
                    prop_assert_eq!(&got[4..], want.as_slice());
                }
                Op::Peek => {
                    let got = f.peek_buffered().expect("peek").to_vec();
                    prop_assert!(model.rest().starts_with(&got));
                    prop_assert!(!got.is_empty() || model.rest().is_empty());
                }
                Op::Write(data) => {
                    f.write_all(&data).expect("write");
                    if !data.is_empty() {
                        let end = model.pos + data.len();
                        if model.data.len() < end {
                            model.data.resize(end, 0);
                        }
                        model.data[model.pos..end].copy_from_slice(&data);
                        model.pos = end;
                    }
                }
                Op::Seek(pos) => {
                    let target = match pos {
                        SeekFrom::Start(n) => n as i64,
                        SeekFrom::Current(d) => model.pos as i64 + d,
                        SeekFrom::End(d) => model.data.len() as i64 + d,
                    };
                    let got = f.seek(pos);
                    if target < 0 {
                        prop_assert!(got.is_err());
                    } else {
                        prop_assert_eq!(got.expect("seek"), target as u64);
                        model.pos = target as usize;
                    }
                }
                Op::Tell => prop_assert_eq!(f.tell().expect("tell"), model.pos as u64),
                Op::Flush => f.flush().expect("flush"),
            }
        }
        prop_assert_eq!(f.tell().expect("tell"), model.pos as u64);
        let raw = f.into_inner().expect("flushed");
        prop_assert_eq!(raw.into_inner().into_inner(), model.data);
    }
}

#[test]
fn impossible_sizes_are_errors_and_large_reads_cost_what_arrives() {
    let raw = || StdRaw::reader(io::Cursor::new(b"abc".to_vec()));
    let err = BufferedReader::with_capacity(usize::MAX, raw()).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::OutOfMemory, "{err}");
    let mut f = BufferedReader::new(raw()).unwrap();
    let err = f.read_bytes(Some(usize::MAX)).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::OutOfMemory, "{err}");
    assert_eq!(
        f.read1(Some(usize::MAX)).unwrap_err().kind(),
        io::ErrorKind::OutOfMemory
    );
    // 1 GiB asked of 3 bytes: the zeroed result is mapped lazily, so this does not cost 1 GiB.
    assert_eq!(f.read_bytes(Some(1 << 30)).unwrap(), &b"abc"[..]);
}

/// A line kept while the buffer is refilled or overwritten keeps its bytes, and what is read
/// afterwards is the new data (a guard for any zero-copy line scheme: lines are values).
#[test]
fn kept_lines_keep_their_bytes() {
    let text: Vec<u8> = (0..40u8)
        .flat_map(|i| [b'a' + i % 26, b'0' + i % 10, b'\n'])
        .collect();
    let mut reader = BufferedReader::with_capacity(8, Scripted::reader(&text)).expect("readable");
    let kept: Vec<_> = reader
        .iter_lines()
        .collect::<io::Result<_>>()
        .expect("lines");
    assert_eq!(
        kept.concat(),
        text,
        "every line survives the refills after it"
    );

    let mut random = BufferedRandom::new(Scripted::random(b"one\ntwo\n")).expect("random");
    let first = random.readline(None).expect("a line");
    random.seek(SeekFrom::Start(0)).expect("seek");
    random
        .write_all(b"ONE")
        .expect("overwrites the buffered bytes in place");
    random.seek(SeekFrom::Start(0)).expect("seek");
    assert_eq!(first, "one\n", "the line kept its bytes");
    assert_eq!(random.readline(None).expect("a line"), "ONE\n");
    assert_eq!(random.readline(None).expect("a line"), "two\n");
}
