//! The fault contract (docs/ARCHITECTURE.md, "Fault contract"), checked over every buffered and text
//! type: one table of faults ([`FAULTS`]) runs against every subject ([`subjects`]) through one
//! [`check`], over the shared raw stream [`Faulty`].
//!
//! A subject reads (or writes) a whole file one call at a time and retries every call that fails, as
//! a caller that treats errors as transient would. Once the faults clear, what it read (or what the
//! raw stream holds) must equal the fault-free bytes: a read that fails consumed nothing, a write that
//! fails passed nothing down. CPython 3.11 loses and repeats bytes here; Strata follows std's rule
//! (docs/python-parity.md). A proptest runs random fault schedules through the same `check`. The
//! panic row checks the other half of the contract: a raw stream that panics inside `write` unwinds
//! through the buffered writer's `Drop` without a second flush (which would abort the process).

use std::io::{self, BufRead, Read, Seek, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};

use bytes::Bytes;
use proptest::prelude::*;
use strata_buffered::prelude::*;
use strata_buffered::{BufferedRWPair, BufferedRandom, BufferedReader, BufferedWriter};
use strata_tests::faulty::{EIO, Fault, Faulty, Plan};
use strata_text::TextIOWrapper;
use strata_text::prelude::*;

/// The buffer size of every subject: small, so that a file crosses many refills and flushes.
const CAPACITY: usize = 16;

/// Calls a subject may make before the check gives up (a layer that repeats bytes forever).
const MAX_CALLS: usize = 100_000;

/// The file: ASCII lines of many lengths, some far longer than the buffer.
fn bytes_file() -> Vec<u8> {
    (0..120)
        .flat_map(|i| {
            let body: String = (0..(i * 7) % 53)
                .map(|k| (b'a' + (k % 26) as u8) as char)
                .collect();
            format!("{i:03} {body}\n").into_bytes()
        })
        .collect()
}

/// The text file: lines with characters of one to four bytes in UTF-8.
fn text_file() -> String {
    (0..80)
        .map(|i| format!("{i:02} café € 😀 {}\n", "ü".repeat(i % 23)))
        .collect()
}

/// What a row expects of every subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Once the faults clear, the bytes equal the fault-free bytes; every error a caller sees is
    /// the injected one.
    Intact,
    /// The raw stream panics from some call on: the panic reaches the caller, and the stack (dropped
    /// while unwinding) does not abort the process.
    Survives,
}

/// One row of the fault table.
struct Row {
    name: &'static str,
    plan: fn() -> Plan,
    expect: Expect,
}

/// The fault table: every subject runs every row.
const FAULTS: &[Row] = &[
    Row {
        name: "short counts (3 bytes a call)",
        plan: || Plan::chunk(3),
        expect: Expect::Intact,
    },
    Row {
        name: "Interrupted on every 2nd call",
        plan: || Plan::chunk(5).every(2, Fault::Interrupted),
        expect: Expect::Intact,
    },
    Row {
        name: "EIO on every 4th call, 3 bytes a call (issue 17)",
        plan: || Plan::chunk(3).every(4, Fault::Eio),
        expect: Expect::Intact,
    },
    Row {
        name: "EIO on every 7th call, 40 bytes a call",
        plan: || Plan::chunk(40).every(7, Fault::Eio),
        expect: Expect::Intact,
    },
    Row {
        // A write that went part-way meets a failure on its next raw call: `write_all` stops there.
        name: "EIO on two calls in a row, every 9 calls, 3 bytes a call",
        plan: || {
            (10..3000).step_by(9).fold(Plan::chunk(3), |plan, n| {
                plan.at(n, Fault::Eio).at(n + 1, Fault::Eio)
            })
        },
        expect: Expect::Intact,
    },
    Row {
        name: "a count larger than the buffer on every 5th call",
        plan: || Plan::chunk(7).every(5, Fault::Overcount),
        expect: Expect::Intact,
    },
    Row {
        // Writers hold bytes when it comes: the first 6 bytes are pending, and a flush passes 4.
        name: "a panic from the 3rd call on, 2 bytes a call",
        plan: || Plan::chunk(2).from(3, Fault::Panic),
        expect: Expect::Survives,
    },
];

/// The buffered types that read: their Python methods come from `BufferedIoBase`; `peek_buffered`
/// is each type's own.
trait Reads: BufferedIoBase + BufRead {
    fn peek(&mut self) -> io::Result<Vec<u8>>;
}

impl Reads for BufferedReader<Faulty> {
    fn peek(&mut self) -> io::Result<Vec<u8>> {
        self.peek_buffered().map(<[u8]>::to_vec)
    }
}

impl Reads for BufferedRandom<Faulty> {
    fn peek(&mut self) -> io::Result<Vec<u8>> {
        self.peek_buffered().map(<[u8]>::to_vec)
    }
}

impl Reads for BufferedRWPair<Faulty, Faulty> {
    fn peek(&mut self) -> io::Result<Vec<u8>> {
        self.peek_buffered().map(<[u8]>::to_vec)
    }
}

/// A buffered stack that reads bytes.
#[derive(Debug, Clone, Copy)]
enum ByteReader {
    Reader,
    Random,
    Pair,
}

/// One reading call; each step appends what it got.
#[derive(Debug, Clone, Copy)]
enum ReadOp {
    Read(usize),
    ReadAll,
    Read1(usize),
    ReadInto(usize),
    /// `Read::read`, which is `readinto1`.
    StdRead(usize),
    /// `peek`, then `consume` of what it showed.
    Peek,
    /// `fill_buf`, then `consume`.
    FillBuf,
    ReadLine(Option<usize>),
    ReadLines(Option<usize>),
    /// `BufRead::read_until`: std keeps the bytes in the caller's vector when it fails.
    ReadUntil,
    /// `BufRead::read_line`: std keeps them in the caller's string (when they are valid UTF-8).
    StdReadLine,
}

const READ_OPS: &[ReadOp] = &[
    ReadOp::Read(7),
    ReadOp::Read(40),
    ReadOp::ReadAll,
    ReadOp::Read1(10),
    ReadOp::ReadInto(7),
    ReadOp::ReadInto(40),
    ReadOp::StdRead(40),
    ReadOp::Peek,
    ReadOp::FillBuf,
    ReadOp::ReadLine(None),
    ReadOp::ReadLine(Some(5)),
    ReadOp::ReadLines(None),
    ReadOp::ReadLines(Some(20)),
    ReadOp::ReadUntil,
    ReadOp::StdReadLine,
];

impl ReadOp {
    /// One call; `false` at the end of the file.
    fn step(self, s: &mut impl Reads, got: &mut Vec<u8>) -> io::Result<bool> {
        let before = got.len();
        match self {
            ReadOp::Read(n) => got.extend_from_slice(&s.read_bytes(Some(n))?),
            ReadOp::ReadAll => got.extend_from_slice(&s.read_bytes(None)?),
            ReadOp::Read1(n) => got.extend_from_slice(&s.read1(Some(n))?),
            ReadOp::ReadInto(n) | ReadOp::StdRead(n) => {
                let mut buf = vec![0; n];
                let k = match self {
                    ReadOp::StdRead(_) => s.read(&mut buf)?,
                    _ => s.readinto(&mut buf)?,
                };
                got.extend_from_slice(&buf[..k]);
            }
            ReadOp::Peek => {
                let seen = s.peek()?;
                got.extend_from_slice(&seen);
                s.consume(seen.len());
            }
            ReadOp::FillBuf => {
                let seen = s.fill_buf()?.to_vec();
                got.extend_from_slice(&seen);
                s.consume(seen.len());
            }
            ReadOp::ReadLine(limit) => got.extend_from_slice(&s.readline(limit)?),
            ReadOp::ReadLines(hint) => got.extend(s.readlines(hint)?.concat()),
            ReadOp::ReadUntil => {
                s.read_until(b'\n', got)?;
            }
            ReadOp::StdReadLine => {
                let mut line = String::new();
                let result = s.read_line(&mut line);
                got.extend_from_slice(line.as_bytes());
                result?;
            }
        }
        Ok(got.len() > before)
    }
}

/// One text-reading call.
#[derive(Debug, Clone, Copy)]
enum TextOp {
    Read(usize),
    ReadAll,
    ReadLine(Option<usize>),
}

impl TextOp {
    fn step(self, s: &mut impl TextIoBase, got: &mut String) -> io::Result<bool> {
        let text = match self {
            TextOp::Read(n) => s.read(Some(n))?,
            TextOp::ReadAll => s.read(None)?,
            TextOp::ReadLine(limit) => s.readline(limit)?,
        };
        got.push_str(&text);
        Ok(!text.is_empty())
    }
}

/// A buffered or text stack that writes.
#[derive(Debug, Clone, Copy)]
enum Sink {
    Writer,
    Random,
    Pair,
    Text,
}

/// What runs under a fault plan.
#[derive(Debug, Clone, Copy)]
enum Subject {
    Bytes(ByteReader, ReadOp),
    Text(TextOp),
    Write(Sink),
}

fn subjects() -> Vec<Subject> {
    let readers = [ByteReader::Reader, ByteReader::Random, ByteReader::Pair];
    let text = [
        TextOp::Read(5),
        TextOp::Read(300),
        TextOp::ReadAll,
        TextOp::ReadLine(None),
        TextOp::ReadLine(Some(7)),
    ];
    let writers = [Sink::Writer, Sink::Random, Sink::Pair, Sink::Text];
    readers
        .iter()
        .flat_map(|&r| READ_OPS.iter().map(move |&op| Subject::Bytes(r, op)))
        .chain(text.map(Subject::Text))
        .chain(writers.map(Subject::Write))
        .collect()
}

/// The sizes of successive writes: within the buffer, across it, far beyond it.
const WRITE_SIZES: &[usize] = &[1, 5, 40, 17, 100, 3, 300];

/// What a subject did under a plan.
#[derive(Debug, Default)]
struct Run {
    /// The bytes read, or the raw stream's bytes after the writes and a flush.
    bytes: Vec<u8>,
    /// The errors the caller saw.
    errors: Vec<io::Error>,
}

impl Run {
    /// Runs `call` until it reports the end (or `MAX_CALLS`), collecting errors. A panic goes on
    /// up, through the stack's `Drop`.
    fn drive(&mut self, mut call: impl FnMut() -> io::Result<bool>) {
        for _ in 0..MAX_CALLS {
            match call() {
                Ok(true) => {}
                Ok(false) => return,
                Err(err) => self.errors.push(err),
            }
        }
        panic!("no end after {MAX_CALLS} calls");
    }
}

/// Reads the whole stream `s` with `op`, into `run`.
fn read_all_of(s: &mut impl Reads, op: ReadOp, run: &mut Run) {
    let mut got = Vec::new();
    run.drive(|| op.step(s, &mut got));
    run.bytes = got;
}

/// Writes `data` through `w` in pieces, retrying failed calls, then flushes until it works.
fn write_all_of(w: &mut impl Write, data: &[u8], run: &mut Run) {
    let mut sent = 0;
    let mut sizes = WRITE_SIZES.iter().cycle();
    run.drive(|| {
        let end = (sent + sizes.next().copied().unwrap_or(1)).min(data.len());
        sent += w.write(&data[sent..end])?;
        Ok(sent < data.len())
    });
    run.drive(|| w.flush().map(|()| false));
}

/// The text equivalent of [`write_all_of`], in pieces of whole characters.
fn write_text_of(w: &mut impl TextWrite, text: &str, run: &mut Run) {
    let chars: Vec<char> = text.chars().collect();
    let mut sent = 0;
    let mut sizes = WRITE_SIZES.iter().cycle();
    run.drive(|| {
        let end = (sent + sizes.next().copied().unwrap_or(1)).min(chars.len());
        let piece: String = chars[sent..end].iter().collect();
        w.write(&piece)?;
        sent = end;
        Ok(sent < chars.len())
    });
    run.drive(|| w.flush().map(|()| false));
}

/// A stack built over `Faulty`, which reads, writes and seeks.
fn built<T>(stack: io::Result<T>) -> T {
    stack.expect("a stack over a readable, writable, seekable stream")
}

/// Runs `subject` over a raw stream following `plan`; returns what it did and the raw stream.
fn run(subject: Subject, plan: Plan) -> (Run, Faulty) {
    let mut run = Run::default();
    let (input, output) = match subject {
        Subject::Text(_) => (text_file().into_bytes(), Vec::new()),
        Subject::Bytes(..) => (bytes_file(), Vec::new()),
        Subject::Write(_) => (Vec::new(), bytes_file()),
    };
    let raw = Faulty::new(&input, plan);
    let empty = || Faulty::new(b"", Plan::clean());
    match subject {
        Subject::Bytes(ByteReader::Reader, op) => {
            let mut s = built(BufferedReader::with_capacity(CAPACITY, raw.clone()));
            read_all_of(&mut s, op, &mut run);
        }
        Subject::Bytes(ByteReader::Random, op) => {
            let mut s = built(BufferedRandom::with_capacity(CAPACITY, raw.clone()));
            read_all_of(&mut s, op, &mut run);
            raw.set_plan(Plan::clean());
            // The bytes put back after a failed read count as unread.
            assert_eq!(s.tell().ok(), Some(input.len() as u64), "{subject:?}");
        }
        Subject::Bytes(ByteReader::Pair, op) => {
            let mut s = built(BufferedRWPair::with_capacity(
                CAPACITY,
                raw.clone(),
                empty(),
            ));
            read_all_of(&mut s, op, &mut run);
        }
        Subject::Text(op) => {
            let inner = built(BufferedReader::with_capacity(CAPACITY, raw.clone()));
            let mut s = built(TextIOWrapper::builder(inner).build());
            let mut got = String::new();
            run.drive(|| op.step(&mut s, &mut got));
            run.bytes = got.into_bytes();
        }
        Subject::Write(Sink::Writer) => {
            let mut w = built(BufferedWriter::with_capacity(CAPACITY, raw.clone()));
            write_all_of(&mut w, &output, &mut run);
        }
        Subject::Write(Sink::Random) => {
            let mut w = built(BufferedRandom::with_capacity(CAPACITY, raw.clone()));
            write_all_of(&mut w, &output, &mut run);
            raw.set_plan(Plan::clean());
            assert_eq!(w.tell().ok(), Some(output.len() as u64), "{subject:?}");
        }
        Subject::Write(Sink::Pair) => {
            let mut w = built(BufferedRWPair::with_capacity(
                CAPACITY,
                empty(),
                raw.clone(),
            ));
            write_all_of(&mut w, &output, &mut run);
        }
        Subject::Write(Sink::Text) => {
            let inner = built(BufferedWriter::with_capacity(CAPACITY, raw.clone()));
            let mut w = built(TextIOWrapper::builder(inner).build());
            let text = String::from_utf8(output).expect("the file is ASCII");
            write_text_of(&mut w, &text, &mut run);
        }
    }
    if let Subject::Write(_) = subject {
        run.bytes = raw.data();
    }
    (run, raw)
}

/// Whether `err` is what the plan injects: `EIO`, or the refusal of a count larger than the buffer.
fn injected(err: &io::Error) -> bool {
    err.raw_os_error() == Some(EIO)
        || (err.kind() == io::ErrorKind::InvalidData
            && err.to_string().contains("returned invalid length"))
}

/// Runs `subject` under `plan` and checks `expect`; returns how many faults the raw stream injected.
fn check(subject: Subject, plan: Plan, expect: Expect) -> usize {
    match expect {
        Expect::Intact => {
            let (clean, _) = run(subject, Plan::clean());
            let (faulty, raw) = run(subject, plan.clone());
            let count = raw.state().injected;
            let wanted = match subject {
                Subject::Text(_) => text_file().into_bytes(),
                _ => bytes_file(),
            };
            assert!(clean.errors.is_empty(), "{subject:?}: {:?}", clean.errors);
            assert_eq!(clean.bytes, wanted, "{subject:?} without faults");
            assert!(
                faulty.bytes == wanted,
                "{subject:?} under {plan:?}: {} bytes, {} wanted; first difference at {:?}",
                faulty.bytes.len(),
                wanted.len(),
                faulty.bytes.iter().zip(&wanted).position(|(a, b)| a != b),
            );
            assert!(
                faulty.errors.iter().all(injected),
                "{subject:?} under {plan:?}: {:?}",
                faulty.errors
            );
            count
        }
        Expect::Survives => {
            // The whole stack lives inside the closure, so it is dropped while the panic unwinds:
            // a writer that flushed again there would panic twice and abort the process.
            let unwound = catch_unwind(AssertUnwindSafe(|| run(subject, plan.clone())));
            assert!(
                unwound.is_err(),
                "{subject:?}: the raw stream's panic never surfaced"
            );
            1
        }
    }
}

#[test]
fn every_subject_keeps_its_bytes_through_every_fault() {
    let mut failed = Vec::new();
    for row in FAULTS {
        for subject in subjects() {
            let plan = (row.plan)();
            let faulty = plan != Plan::chunk(plan.chunk);
            match catch_unwind(AssertUnwindSafe(|| check(subject, plan, row.expect))) {
                Ok(0) if faulty => failed.push(format!("{}: {subject:?}: no fault", row.name)),
                Ok(_) => {}
                Err(_) => failed.push(format!("{}: {subject:?}", row.name)),
            }
        }
    }
    assert!(
        failed.is_empty(),
        "{} failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

/// The two cases of issue 17 exactly as reported, one call each.
#[test]
fn issue_17_examples() {
    let data: Vec<u8> = (b'0'..=b'9')
        .chain(b'a'..=b'z')
        .chain(b'A'..=b'Z')
        .collect();
    let plan = || Plan::chunk(3).every(4, Fault::Eio);

    // A write that reached the raw stream is a short write, not an error.
    let raw = Faulty::new(b"", plan());
    let mut w = BufferedWriter::with_capacity(CAPACITY, raw.clone()).expect("writable");
    let first = w.write(&data[..40]);
    assert_eq!(first.ok(), Some(9));
    assert_eq!(raw.data(), &data[..9]);
    assert_eq!(w.write(&data[9..40]).ok(), Some(9)); // calls 5 to 7, then EIO on the 8th
    assert_eq!(raw.data(), &data[..18]);

    // A read that fails keeps what it took: the next call returns it.
    let raw = Faulty::new(&data, plan());
    let mut r = BufferedReader::with_capacity(CAPACITY, raw).expect("readable");
    let err = r.read_bytes(Some(10)).expect_err("EIO on the 4th call");
    assert_eq!(err.raw_os_error(), Some(EIO));
    assert_eq!(r.buffer(), b"012345678");
    assert_eq!(
        r.read_bytes(Some(10)).ok(),
        Some(Bytes::from_static(b"0123456789"))
    );
}

/// A count larger than the caller's buffer is an error that names the call, never a panic.
#[test]
fn overcounts_are_errors() {
    type Call = fn(Faulty) -> io::Result<usize>;
    let cases: [(&str, Call); 2] = [
        ("raw readinto() returned invalid length 17", |raw| {
            let mut r = BufferedReader::with_capacity(CAPACITY, raw)?;
            r.read(&mut [0; 4])
        }),
        ("raw write() returned invalid length 41", |raw| {
            let mut w = BufferedWriter::with_capacity(CAPACITY, raw)?;
            w.write(&[b'x'; 40])
        }),
    ];
    for (message, call) in cases {
        let raw = Faulty::new(b"abc", Plan::clean().at(1, Fault::Overcount));
        let err = call(raw.clone()).expect_err(message);
        assert!(err.to_string().starts_with(message), "{err}");
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(raw.state().injected, 1);
    }
}

/// A fault on any of the first calls, of any kind but a panic.
fn any_fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        Just(Fault::Interrupted),
        Just(Fault::Eio),
        Just(Fault::Overcount),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random schedules (a few hundred faulty calls among the first ones, short counts of any
    /// size), random subjects: nothing lost, nothing repeated.
    #[test]
    fn random_fault_schedules_keep_every_byte(
        subject in 0..subjects().len(),
        chunk in 1usize..50,
        faults in proptest::collection::btree_map(1usize..400, any_fault(), 1..120),
    ) {
        let plan = Plan { at: faults, ..Plan::chunk(chunk) };
        check(subjects()[subject], plan, Expect::Intact);
    }
}

/// A text write that the inner stream took part of succeeds; the rest waits in the wrapper, counted by
/// `tell`, and operations that would overtake it wait for a flush.
#[test]
fn text_write_keeps_its_unsent_tail() {
    let plan = Plan::chunk(3).at(4, Fault::Eio).at(5, Fault::Eio);
    let raw = Faulty::new(b"", plan);
    let inner = built(BufferedWriter::with_capacity(CAPACITY, raw.clone()));
    let mut text = built(TextIOWrapper::builder(inner).build());
    let line = "x".repeat(39) + "\n";
    assert_eq!(text.write(&line).ok(), Some(40)); // 9 bytes went down, then two failures
    assert_eq!(raw.data().len(), 9);
    assert_eq!(text.tell().ok(), Some(40));
    let busy = text
        .seek(io::SeekFrom::Start(0))
        .expect_err("31 bytes wait");
    assert_eq!(busy.kind(), io::ErrorKind::ResourceBusy);
    assert_eq!(
        busy.to_string(),
        "31 bytes of an earlier write are not passed down yet: flush first"
    );
    assert!(text.flush().is_ok());
    assert_eq!(raw.data(), line.as_bytes());
    assert_eq!(text.seek(io::SeekFrom::Start(0)).ok(), Some(0));
}
