//! `BytesIO` behaviour, table-driven, and a proptest against a `Vec<u8>` + position model.
//!
//! Each case of [`CASES`] is named after the behaviour it checks (numbered A1, A2, … in the order
//! of CPython's `BytesIO` features: construction, reads, writes, seeks, truncation, getvalue, close),
//! and holds the initial contents and a script of operations with the outcome each must have;
//! [`check`] runs it and compares the final `getvalue()`.

use std::io::{self, BufRead, Read, Seek, SeekFrom, Write};

use bytes::Bytes;
use proptest::prelude::*;
use strata_buffered::BytesIO;
use strata_buffered::prelude::*;
use strata_raw::Error;

/// One operation of a script.
#[derive(Debug, Clone, Copy)]
enum Op {
    Read(Option<usize>),
    Read1(Option<usize>),
    /// `readinto` a buffer of this many `b'.'`s.
    ReadInto(usize),
    /// `Read::read_to_end` into an empty `Vec`.
    ReadToEnd,
    ReadLine(Option<usize>),
    /// `readline_slice`, the borrowed line.
    ReadLineSlice(Option<usize>),
    ReadLines(Option<usize>),
    /// `iter_lines().collect()`.
    Iter,
    /// `BufRead::fill_buf`, then `consume` this many bytes.
    FillConsume(usize),
    Write(&'static [u8]),
    WriteLines(&'static [&'static [u8]]),
    Seek(SeekFrom),
    Tell,
    Truncate(Option<u64>),
    GetValue,
    /// Write these bytes at this offset through `getbuffer()`; the outcome is the view's length.
    View(usize, &'static [u8]),
    Close,
    Closed,
    Flush,
    Readable,
    Writable,
    Seekable,
    Isatty,
    Fileno,
}

/// What an operation must produce.
#[derive(Debug, PartialEq)]
enum Out {
    /// Bytes (read, readline, getvalue, the contents of a `readinto` buffer after the call).
    B(&'static [u8]),
    /// A count or position.
    N(u64),
    /// A list of lines.
    L(&'static [&'static [u8]]),
    /// A flag.
    T(bool),
    /// `Ok(())`.
    Unit,
    /// An error: its kind and message.
    E(io::ErrorKind, &'static str),
}

/// The closed-file error every operation on a closed `BytesIO` returns.
const CLOSED: Out = Out::E(io::ErrorKind::InvalidInput, "I/O operation on closed file.");

/// What the stream answered, in the shape of [`Out`] (owned).
#[derive(Debug, PartialEq)]
enum Got {
    B(Vec<u8>),
    N(u64),
    L(Vec<Vec<u8>>),
    T(bool),
    Unit,
    E(io::ErrorKind, String),
}

impl Out {
    fn owned(&self) -> Got {
        match self {
            Out::B(b) => Got::B(b.to_vec()),
            Out::N(n) => Got::N(*n),
            Out::L(lines) => Got::L(lines.iter().map(|l| l.to_vec()).collect()),
            Out::T(t) => Got::T(*t),
            Out::Unit => Got::Unit,
            Out::E(kind, msg) => Got::E(*kind, msg.to_string()),
        }
    }
}

fn got<T>(result: io::Result<T>, ok: impl FnOnce(T) -> Got) -> Got {
    result.map_or_else(|e| Got::E(e.kind(), e.to_string()), ok)
}

fn lines(lines: Vec<Bytes>) -> Got {
    Got::L(lines.into_iter().map(|l| l.to_vec()).collect())
}

fn run(f: &mut BytesIO, op: Op) -> Got {
    let bytes = |b: Bytes| Got::B(b.to_vec());
    let count = |n: usize| Got::N(n as u64);
    match op {
        Op::Read(n) => got(f.read_bytes(n), bytes),
        Op::Read1(n) => got(f.read1(n), bytes),
        Op::ReadInto(len) => {
            let mut buf = vec![b'.'; len];
            got(f.readinto(&mut buf), |_| Got::B(buf))
        }
        Op::ReadToEnd => {
            let mut buf = Vec::new();
            got(f.read_to_end(&mut buf), |_| Got::B(buf))
        }
        Op::ReadLine(n) => got(f.readline(n), bytes),
        Op::ReadLineSlice(n) => got(f.readline_slice(n).map(<[u8]>::to_vec), Got::B),
        Op::ReadLines(hint) => got(f.readlines(hint), lines),
        Op::Iter => got(f.iter_lines().collect(), lines),
        Op::FillConsume(n) => {
            let filled = f.fill_buf().map(<[u8]>::to_vec);
            if filled.is_ok() {
                f.consume(n);
            }
            got(filled, Got::B)
        }
        Op::Write(data) => got(f.write(data), count),
        Op::WriteLines(items) => got(f.writelines(items), |()| Got::Unit),
        Op::Seek(from) => got(f.seek(from), Got::N),
        Op::Tell => got(f.tell(), Got::N),
        Op::Truncate(size) => got(f.truncate(size), Got::N),
        Op::GetValue => got(f.getvalue(), bytes),
        Op::View(at, data) => got(f.getbuffer(), |mut view| {
            view[at..at + data.len()].copy_from_slice(data);
            count(view.len())
        }),
        Op::Close => got(f.close(), |()| Got::Unit),
        Op::Closed => Got::T(f.closed()),
        Op::Flush => got(f.flush(), |()| Got::Unit),
        Op::Readable => got(f.readable(), Got::T),
        Op::Writable => got(f.writable(), Got::T),
        Op::Seekable => got(f.seekable(), Got::T),
        Op::Isatty => got(f.isatty(), Got::T),
        Op::Fileno => got(f.fileno(), |fd| Got::N(fd as u64)),
    }
}

/// A case: its name, the initial contents, the script, and the final `getvalue()`.
type Case = (
    &'static str,
    &'static [u8],
    &'static [(Op, Out)],
    &'static [u8],
);

fn check(case: &Case) {
    let (name, initial, script, after) = case;
    let mut f = BytesIO::from(*initial);
    for (i, (op, want)) in script.iter().enumerate() {
        assert_eq!(run(&mut f, *op), want.owned(), "{name}: step {i}, {op:?}");
    }
    if !f.closed() {
        assert_eq!(
            &f.getvalue().expect("open")[..],
            *after,
            "{name}: final getvalue()"
        );
    }
}

use Op::*;
use Out::{B, E, L, N, T};
use io::ErrorKind::{InvalidInput, Unsupported};

const CASES: &[Case] = &[
    (
        "borrowed lines are readline's, without the allocation",
        b"ab\ncd\nef",
        &[
            (ReadLineSlice(Some(1)), B(b"a")),
            (ReadLineSlice(None), B(b"b\n")),
            (ReadLine(None), B(b"cd\n")),
            (ReadLineSlice(None), B(b"ef")),
            (ReadLineSlice(None), B(b"")),
            (Seek(SeekFrom::Start(20)), N(20)),
            (ReadLineSlice(None), B(b"")),
            (Seek(SeekFrom::Start(3)), N(3)),
            (GetValue, B(b"ab\ncd\nef")), // shared storage: the same lines
            (ReadLineSlice(Some(0)), B(b"")),
            (ReadLineSlice(None), B(b"cd\n")),
            (Close, Out::Unit),
            (ReadLineSlice(None), CLOSED),
        ],
        b"",
    ),
    (
        "the append fast path keeps every check: empty, closed, shared, past the end",
        b"",
        &[
            (Write(b"ab"), N(2)),
            (Write(b""), N(0)),
            (GetValue, B(b"ab")),
            (Write(b"cd"), N(2)), // takes the shared storage back
            (Seek(SeekFrom::Start(6)), N(6)),
            (Write(b"x"), N(1)), // zero-fills the gap
            (Seek(SeekFrom::Start(1)), N(1)),
            (Write(b"Y"), N(1)), // overwrites
            (GetValue, B(b"aYcd\0\0x")),
            (Close, Out::Unit),
            (Write(b""), CLOSED),
            (Write(b"z"), CLOSED),
        ],
        b"",
    ),
    (
        "A1 starts empty",
        b"",
        &[(GetValue, B(b"")), (Tell, N(0)), (Read(None), B(b""))],
        b"",
    ),
    (
        "A2 initial bytes, position 0",
        b"abc",
        &[(Tell, N(0)), (Read(Some(2)), B(b"ab"))],
        b"abc",
    ),
    (
        "A4 read(None) reads to the end",
        b"abcdef",
        &[
            (Read(Some(2)), B(b"ab")),
            (Read(None), B(b"cdef")),
            (Tell, N(6)),
        ],
        b"abcdef",
    ),
    (
        "A5 read(0) does not move",
        b"abc",
        &[(Read(Some(0)), B(b"")), (Tell, N(0))],
        b"abc",
    ),
    (
        "A5 read(n) gives min(n, remaining)",
        b"abc",
        &[
            (Read(Some(2)), B(b"ab")),
            (Read(Some(5)), B(b"c")),
            (Tell, N(3)),
        ],
        b"abc",
    ),
    (
        "A6 past the end: nothing, position stays",
        b"abc",
        &[
            (Seek(SeekFrom::Start(20)), N(20)),
            (Read(None), B(b"")),
            (Read1(Some(3)), B(b"")),
            (ReadLine(None), B(b"")),
            (ReadInto(3), B(b"...")),
            (ReadLines(None), L(&[])),
            (ReadToEnd, B(b"")),
            (FillConsume(5), B(b"")),
            (Tell, N(20)),
        ],
        b"abc",
    ),
    (
        "A7 read1 is read",
        b"abcd",
        &[
            (Read1(Some(3)), B(b"abc")),
            (Read1(None), B(b"d")),
            (Read1(None), B(b"")),
        ],
        b"abcd",
    ),
    (
        "A8 readinto copies min(len, remaining)",
        b"abcde",
        &[
            (ReadInto(3), B(b"abc")),
            (ReadInto(3), B(b"de.")),
            (ReadInto(0), B(b"")),
            (Tell, N(5)),
        ],
        b"abcde",
    ),
    (
        "A10 readline ends at \\n only",
        b"ab\rcd\r\nx",
        &[
            (ReadLine(None), B(b"ab\rcd\r\n")),
            (ReadLine(None), B(b"x")),
            (ReadLine(None), B(b"")),
        ],
        b"ab\rcd\r\nx",
    ),
    (
        "A11 readline(limit)",
        b"abc\nd",
        &[
            (ReadLine(Some(0)), B(b"")),
            (ReadLine(Some(2)), B(b"ab")),
            (ReadLine(Some(9)), B(b"c\n")),
            (ReadLine(None), B(b"d")),
        ],
        b"abc\nd",
    ),
    (
        "A12 readlines(hint) 1 and 2",
        b"a\nbb\nccc\nd",
        &[
            (ReadLines(Some(1)), L(&[b"a\n"])),
            (Seek(SeekFrom::Start(0)), N(0)),
            (ReadLines(Some(2)), L(&[b"a\n"])),
        ],
        b"a\nbb\nccc\nd",
    ),
    (
        "A12 readlines(hint) 3 and 4",
        b"a\nbb\nccc\nd",
        &[
            (ReadLines(Some(3)), L(&[b"a\n", b"bb\n"])),
            (Seek(SeekFrom::Start(0)), N(0)),
            (ReadLines(Some(4)), L(&[b"a\n", b"bb\n"])),
        ],
        b"a\nbb\nccc\nd",
    ),
    (
        "A12 readlines(None or 0) reads all",
        b"a\nbb\nccc\nd",
        &[
            (ReadLines(Some(0)), L(&[b"a\n", b"bb\n", b"ccc\n", b"d"])),
            (Seek(SeekFrom::Start(0)), N(0)),
            (ReadLines(None), L(&[b"a\n", b"bb\n", b"ccc\n", b"d"])),
            (ReadLines(None), L(&[])),
        ],
        b"a\nbb\nccc\nd",
    ),
    (
        "A13 iteration yields lines",
        b"a\nbb\n\nd",
        &[(Iter, L(&[b"a\n", b"bb\n", b"\n", b"d"])), (Iter, L(&[]))],
        b"a\nbb\n\nd",
    ),
    (
        "A13 BufRead sees the same bytes",
        b"ab\ncd",
        &[
            (FillConsume(2), B(b"ab\ncd")),
            (FillConsume(100), B(b"\ncd")),
            (FillConsume(0), B(b"")),
            (Tell, N(5)),
        ],
        b"ab\ncd",
    ),
    (
        "A14 write returns its length",
        b"",
        &[(Write(b"abc"), N(3)), (Tell, N(3)), (Write(b""), N(0))],
        b"abc",
    ),
    (
        "A16 overwrite in place",
        b"abcd",
        &[
            (Seek(SeekFrom::Start(1)), N(1)),
            (Write(b"XY"), N(2)),
            (Tell, N(3)),
        ],
        b"aXYd",
    ),
    (
        "A16 overwrite and grow",
        b"abcd",
        &[
            (Seek(SeekFrom::Start(3)), N(3)),
            (Write(b"XYZ"), N(3)),
            (Tell, N(6)),
        ],
        b"abcXYZ",
    ),
    (
        "A17 write past the end zero-fills",
        b"ab",
        &[
            (Seek(SeekFrom::Start(5)), N(5)),
            (Write(b"Z"), N(1)),
            (Tell, N(6)),
        ],
        b"ab\0\0\0Z",
    ),
    (
        "A18 empty write past the end neither grows nor pads",
        b"ab",
        &[
            (Seek(SeekFrom::Start(5)), N(5)),
            (Write(b""), N(0)),
            (Tell, N(5)),
            (WriteLines(&[b"", b""]), Out::Unit),
        ],
        b"ab",
    ),
    (
        "A19 writelines in order",
        b"",
        &[(WriteLines(&[b"ab", b"", b"cd"]), Out::Unit), (Tell, N(4))],
        b"abcd",
    ),
    (
        "A20 seek returns the absolute position; past the end is fine",
        b"abcdef",
        &[
            (Seek(SeekFrom::Start(2)), N(2)),
            (Seek(SeekFrom::Current(3)), N(5)),
            (Seek(SeekFrom::End(-1)), N(5)),
            (Seek(SeekFrom::End(10)), N(16)),
            (Tell, N(16)),
        ],
        b"abcdef",
    ),
    (
        "A21 seeking before 0 is an error and does not move",
        b"abcdef",
        &[
            (Seek(SeekFrom::Start(2)), N(2)),
            (
                Seek(SeekFrom::Current(-3)),
                E(InvalidInput, "negative seek value -1"),
            ),
            (
                Seek(SeekFrom::End(-100)),
                E(InvalidInput, "negative seek value -94"),
            ),
            (Tell, N(2)),
            (Seek(SeekFrom::Current(-2)), N(0)),
        ],
        b"abcdef",
    ),
    (
        "A21 seeking beyond u64::MAX is an error",
        b"ab",
        &[
            (Seek(SeekFrom::Start(u64::MAX)), N(u64::MAX)),
            (
                Seek(SeekFrom::Current(1)),
                E(InvalidInput, "seek position out of range"),
            ),
            (Tell, N(u64::MAX)),
            (Read(None), B(b"")),
        ],
        b"ab",
    ),
    (
        "A24 truncate keeps the position",
        b"abcdefgh",
        &[
            (Seek(SeekFrom::Start(6)), N(6)),
            (Truncate(Some(4)), N(4)),
            (Tell, N(6)),
            (Read(None), B(b"")),
        ],
        b"abcd",
    ),
    (
        "A24 truncate(None) cuts at the position",
        b"abcdef",
        &[
            (Seek(SeekFrom::Start(2)), N(2)),
            (Truncate(None), N(2)),
            (Tell, N(2)),
        ],
        b"ab",
    ),
    (
        "A25 truncate never grows",
        b"0123456789",
        &[
            (Truncate(Some(20)), N(20)),
            (Seek(SeekFrom::Start(30)), N(30)),
            (Truncate(None), N(30)),
        ],
        b"0123456789",
    ),
    (
        "A27 write after truncating below the position zero-fills",
        b"1234567890",
        &[
            (Seek(SeekFrom::Start(6)), N(6)),
            (Truncate(Some(2)), N(2)),
            (Write(b"X"), N(1)),
        ],
        b"12\0\0\0\0X",
    ),
    (
        "A28 getvalue ignores and keeps the position",
        b"abc",
        &[
            (Seek(SeekFrom::Start(2)), N(2)),
            (GetValue, B(b"abc")),
            (Tell, N(2)),
            (Write(b"Z"), N(1)),
            (GetValue, B(b"abZ")),
        ],
        b"abZ",
    ),
    (
        "A29 getbuffer views everything; writes show",
        b"abcdef",
        &[
            (Seek(SeekFrom::Start(4)), N(4)),
            (View(0, b"XY"), N(6)),
            (Tell, N(4)),
            (Read(None), B(b"ef")),
            (GetValue, B(b"XYcdef")),
        ],
        b"XYcdef",
    ),
    (
        "A29 getbuffer of shared contents",
        b"abc",
        &[
            (GetValue, B(b"abc")),
            (View(2, b"!"), N(3)),
            (GetValue, B(b"ab!")),
        ],
        b"ab!",
    ),
    (
        "A33 flush and capabilities",
        b"",
        &[
            (Flush, Out::Unit),
            (Readable, T(true)),
            (Writable, T(true)),
            (Seekable, T(true)),
            (Isatty, T(false)),
            (Closed, T(false)),
        ],
        b"",
    ),
    (
        "A34 fileno is unsupported",
        b"",
        &[
            (Fileno, E(Unsupported, "fileno")),
            (Close, Out::Unit),
            (Fileno, E(Unsupported, "fileno")),
        ],
        b"",
    ),
    (
        "A35 close is idempotent; then everything fails",
        b"abc\n",
        &[
            (Close, Out::Unit),
            (Close, Out::Unit),
            (Closed, T(true)),
            (Read(None), CLOSED),
            (Read1(Some(0)), CLOSED),
            (ReadInto(0), CLOSED),
            (ReadToEnd, CLOSED),
            (ReadLine(Some(0)), CLOSED),
            (ReadLines(None), CLOSED),
            (Iter, CLOSED),
            (FillConsume(0), CLOSED),
            (Write(b""), CLOSED),
            (WriteLines(&[]), CLOSED),
            (Seek(SeekFrom::Current(-100)), CLOSED),
            (Tell, CLOSED),
            (Truncate(Some(0)), CLOSED),
            (GetValue, CLOSED),
            (View(0, b""), CLOSED),
            (Flush, CLOSED),
            (Readable, CLOSED),
            (Writable, CLOSED),
            (Seekable, CLOSED),
            (Isatty, CLOSED),
        ],
        b"",
    ),
];

#[test]
fn contract_a() {
    CASES.iter().for_each(check);
}

#[test]
fn a2_the_source_can_change_afterwards() {
    let mut source = b"abc".to_vec();
    let mut f = BytesIO::from(&source[..]);
    source[0] = b'X';
    assert_eq!(f.getvalue().unwrap(), "abc");
    let shared = Bytes::from(source);
    let mut g = BytesIO::from(shared.clone());
    g.write_all(b"Y").unwrap();
    assert_eq!(shared, "Xbc", "a write never reaches the adopted Bytes");
    assert_eq!(g.into_bytes(), "Ybc");
}

#[test]
fn a19_a_failing_writelines_item_is_an_error_not_a_panic() {
    let mut f = BytesIO::new();
    f.seek(SeekFrom::Start(u64::MAX - 1)).unwrap();
    let err = f.writelines([&b""[..], b"", b"toolong"]).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::OutOfMemory);
    assert_eq!(f.len(), 0);
}

#[test]
fn a20_errors_carry_the_typed_error() {
    let mut f = BytesIO::from(&b"abc"[..]);
    let err = f.seek(SeekFrom::End(-4)).unwrap_err();
    assert_eq!(Error::of(&err), Some(&Error::NegativeSeek(-1)));
    assert_eq!(Error::of(&err).map(Error::python_class), Some("ValueError"));
    f.close().unwrap();
    let err = f.write(b"x").unwrap_err();
    assert_eq!(Error::of(&err), Some(&Error::Closed { op: None }));
}

#[test]
fn a28_snapshots_survive_later_writes_and_truncates() {
    let mut f = BytesIO::new();
    f.write_all(b"abcdef").unwrap();
    let first = f.getvalue().unwrap();
    f.truncate(Some(2)).unwrap();
    let second = f.getvalue().unwrap();
    f.seek(SeekFrom::Start(0)).unwrap();
    f.write_all(b"XYZ").unwrap();
    f.getbuffer().unwrap()[0] = b'!';
    assert_eq!(
        (first, second, f.getvalue().unwrap()),
        ("abcdef".into(), "ab".into(), "!YZ".into())
    );
}

#[test]
fn a35_close_releases_the_contents_but_not_the_snapshots() {
    let mut f = BytesIO::from(&b"data"[..]);
    let snapshot = f.getvalue().unwrap();
    f.close().unwrap();
    assert_eq!((f.len(), f.is_empty()), (0, true));
    assert_eq!(snapshot, "data");
    assert_eq!(f.into_bytes(), "");
}

#[test]
fn a37_clone_is_independent() {
    for shared in [false, true] {
        let mut f = BytesIO::from(&b"abcdef"[..]);
        if shared {
            f.getvalue().unwrap();
        }
        f.seek(SeekFrom::Start(2)).unwrap();
        let mut g = f.clone();
        assert_eq!(g.tell().unwrap(), 2);
        g.write_all(b"XY").unwrap();
        f.write_all(b"12").unwrap();
        assert_eq!(g.getvalue().unwrap(), "abXYef");
        assert_eq!(f.getvalue().unwrap(), "ab12ef");
    }
}

#[test]
fn constructors_and_sizes() {
    let from_vec = BytesIO::from(b"abc".to_vec());
    let from_bytes = BytesIO::from(Bytes::from_static(b"abc"));
    let with_capacity = BytesIO::with_capacity(10).unwrap();
    assert_eq!(
        (from_vec.len(), from_bytes.len(), with_capacity.len()),
        (3, 3, 0)
    );
    assert!(with_capacity.is_empty() && BytesIO::new().is_empty() && BytesIO::default().is_empty());
    assert_eq!(from_vec.into_bytes(), from_bytes.into_bytes());
    // Capacities the allocator cannot give are errors, not an abort (1 TiB) or a panic.
    for impossible in [1 << 40, isize::MAX as usize, usize::MAX] {
        let err = BytesIO::with_capacity(impossible).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::OutOfMemory, "{impossible}");
    }
}

#[test]
fn iteration_over_mut_ref_and_after_close() {
    let mut f = BytesIO::from(&b"x\ny"[..]);
    let mut seen = Vec::new();
    for line in &mut f {
        seen.push(line.unwrap());
    }
    assert_eq!(seen, ["x\n", "y"]);
    f.close().unwrap();
    let mut lines = f.iter_lines();
    assert!(matches!(lines.next(), Some(Err(_))));
    assert!(lines.next().is_none(), "the iterator ends after its error");
}

#[test]
fn std_traits_follow_their_contracts() {
    let mut f = BytesIO::from(&b"hello world\n"[..]);
    let mut word = [0u8; 5];
    f.read_exact(&mut word).unwrap();
    assert_eq!(&word, b"hello");
    let mut rest = String::new();
    f.read_line(&mut rest).unwrap();
    assert_eq!(rest, " world\n");
    assert_eq!(f.stream_position().unwrap(), 12);
    let written = f
        .write_vectored(&[io::IoSlice::new(b"ab"), io::IoSlice::new(b"cd")])
        .unwrap();
    assert_eq!(written, 4);
    assert_eq!(f.getvalue().unwrap(), "hello world\nabcd");
    f.rewind().unwrap();
    assert_eq!(io::copy(&mut f, &mut io::sink()).unwrap(), 16);
}

/// One step of the proptest's random sequences.
#[derive(Debug, Clone)]
enum Step {
    Write(Vec<u8>),
    Seek(SeekFrom),
    Read(Option<usize>),
    ReadLine(Option<usize>),
    ReadInto(usize),
    Truncate(Option<u64>),
    /// `getvalue()`, keeping the snapshot alive to check later writes do not change it.
    Snapshot,
    /// A write through `getbuffer()` at a fraction (in 1/256) of the length.
    View(u8, u8),
}

fn step() -> impl Strategy<Value = Step> {
    let size = proptest::option::of(0usize..12);
    prop_oneof![
        4 => proptest::collection::vec(prop_oneof![Just(b'\n'), Just(b'a'), Just(b'b')], 0..10).prop_map(Step::Write),
        2 => (0u64..30).prop_map(|n| Step::Seek(SeekFrom::Start(n))),
        1 => (-20i64..20).prop_map(|n| Step::Seek(SeekFrom::Current(n))),
        1 => (-20i64..20).prop_map(|n| Step::Seek(SeekFrom::End(n))),
        2 => size.clone().prop_map(Step::Read),
        2 => size.prop_map(Step::ReadLine),
        1 => (0usize..8).prop_map(Step::ReadInto),
        1 => proptest::option::of(0u64..30).prop_map(Step::Truncate),
        1 => Just(Step::Snapshot),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(at, b)| Step::View(at, b)),
    ]
}

/// The model: the contents and a position.
#[derive(Debug, Default)]
struct Model {
    data: Vec<u8>,
    pos: u64,
}

impl Model {
    fn rest(&self) -> &[u8] {
        &self.data[(self.pos as usize).min(self.data.len())..]
    }

    /// Runs `step` on the model; the expected outcome, as bytes, a number or "error".
    fn apply(&mut self, step: &Step) -> Result<Vec<u8>, ()> {
        match step {
            Step::Write(data) => {
                let pos = self.pos as usize;
                if !data.is_empty() {
                    if self.data.len() < pos {
                        self.data.resize(pos, 0);
                    }
                    let end = pos + data.len();
                    if self.data.len() < end {
                        self.data.resize(end, 0);
                    }
                    self.data[pos..end].copy_from_slice(data);
                    self.pos = end as u64;
                }
                Ok(data.len().to_string().into_bytes())
            }
            Step::Seek(from) => {
                let target = match *from {
                    SeekFrom::Start(n) => n as i64,
                    SeekFrom::Current(d) => self.pos as i64 + d,
                    SeekFrom::End(d) => self.data.len() as i64 + d,
                };
                if target < 0 {
                    return Err(());
                }
                self.pos = target as u64;
                Ok(target.to_string().into_bytes())
            }
            Step::Read(size) => {
                let n = self.rest().len().min(size.unwrap_or(usize::MAX));
                let out = self.rest()[..n].to_vec();
                self.pos += n as u64;
                Ok(out)
            }
            Step::ReadLine(limit) => {
                let rest = self.rest();
                let window = &rest[..rest.len().min(limit.unwrap_or(usize::MAX))];
                let n = window
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(window.len(), |i| i + 1);
                let out = window[..n].to_vec();
                self.pos += n as u64;
                Ok(out)
            }
            Step::ReadInto(len) => {
                let n = self.rest().len().min(*len);
                let mut out = vec![b'.'; *len];
                out[..n].copy_from_slice(&self.rest()[..n]);
                self.pos += n as u64;
                Ok(out)
            }
            Step::Truncate(size) => {
                let size = size.unwrap_or(self.pos);
                self.data.truncate(size as usize);
                Ok(size.to_string().into_bytes())
            }
            Step::Snapshot => Ok(self.data.clone()),
            Step::View(at, byte) => {
                if !self.data.is_empty() {
                    let i = self.data.len() * usize::from(*at) / 256;
                    self.data[i] = *byte;
                }
                Ok(self.data.len().to_string().into_bytes())
            }
        }
    }
}

/// Runs `step` on the stream, shaped like [`Model::apply`]; snapshots go to `snapshots`.
fn apply(f: &mut BytesIO, step: &Step, snapshots: &mut Vec<Bytes>) -> Result<Vec<u8>, ()> {
    let num = |n: u64| n.to_string().into_bytes();
    match step {
        Step::Write(data) => f.write(data).map(|n| num(n as u64)),
        Step::Seek(from) => f.seek(*from).map(num),
        Step::Read(size) => f.read_bytes(*size).map(|b| b.to_vec()),
        Step::ReadLine(limit) => f.readline(*limit).map(|b| b.to_vec()),
        Step::ReadInto(len) => {
            let mut buf = vec![b'.'; *len];
            f.readinto(&mut buf).map(|_| buf)
        }
        Step::Truncate(size) => f.truncate(*size).map(num),
        Step::Snapshot => f.getvalue().map(|b| {
            snapshots.push(b.clone());
            b.to_vec()
        }),
        Step::View(at, byte) => f.getbuffer().map(|mut view| {
            if !view.is_empty() {
                let i = view.len() * usize::from(*at) / 256;
                view[i] = *byte;
            }
            num(view.len() as u64)
        }),
    }
    .map_err(|e| {
        assert_eq!(
            Error::of(&e).map(Error::python_class),
            Some("ValueError"),
            "{e}"
        )
    })
}

fn initial() -> impl Strategy<Value = (Vec<u8>, u8)> {
    (
        proptest::collection::vec(prop_oneof![Just(b'\n'), Just(b'x')], 0..16),
        0u8..3,
    )
}

proptest! {
    #[test]
    fn agrees_with_a_vec_and_position_model(
        (data, how) in initial(),
        steps in proptest::collection::vec(step(), 1..60),
    ) {
        let mut f = match how {
            0 => BytesIO::from(data.clone()),
            1 => BytesIO::from(&data[..]),
            _ => BytesIO::from(Bytes::from(data.clone())),
        };
        let mut model = Model { data, pos: 0 };
        let mut snapshots = Vec::new();
        let mut expected_snapshots = Vec::new();
        for (i, step) in steps.iter().enumerate() {
            let want = model.apply(step);
            let got = apply(&mut f, step, &mut snapshots);
            prop_assert_eq!(&got, &want, "step {} {:?}", i, step);
            if matches!(step, Step::Snapshot) {
                expected_snapshots.push(model.data.clone());
            }
            prop_assert_eq!(f.tell().unwrap(), model.pos);
            prop_assert_eq!(f.len(), model.data.len());
        }
        for (snapshot, expected) in snapshots.iter().zip(&expected_snapshots) {
            prop_assert_eq!(&snapshot[..], &expected[..], "a snapshot changed after later writes");
        }
        prop_assert_eq!(&f.getvalue().unwrap()[..], &model.data[..]);
        prop_assert_eq!(&f.into_bytes()[..], &model.data[..]);
    }
}
