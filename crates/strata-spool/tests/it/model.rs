//! A model of the `BytesIO` interface: operations as data, applied through `BufferedIoBase` and
//! std's traits to any stream (one table of Python methods for every type), with comparable outcomes
//! (values, or the error's kind and message). The differential tests run the same operations on
//! `BytesIO` and on the stream under test.

use std::io::{self, BufRead, Seek, SeekFrom, Write};

use bytes::Bytes;
use proptest::prelude::*;
use strata_buffered::{BufferedIoBase, BytesIO};
use strata_raw::IoBase;
use strata_spool::{MmapIO, SpooledIO};

/// One call on a stream.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    Write(Vec<u8>),
    WriteLines(Vec<Vec<u8>>),
    Seek(SeekFrom),
    Read(Option<usize>),
    Read1(Option<usize>),
    ReadInto(usize),
    StdRead(usize),
    ReadToEnd,
    ReadLine(Option<usize>),
    ReadLines(Option<usize>),
    /// Line iteration: every line of `iter_lines()` for `None`, else at most that many items.
    Iter(Option<usize>),
    FillBufConsume(usize),
    Tell,
    Truncate(Option<u64>),
    GetValue,
    Flush,
    Caps,
    Close,
}

/// What a call gave back; errors compare by kind and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Bytes(Vec<u8>),
    Lines(Vec<Vec<u8>>),
    /// The items an iterator yielded, each an outcome of its own.
    Items(Vec<Outcome>),
    Num(u64),
    Flags(bool, bool, bool),
    Unit,
    Err(io::ErrorKind, String),
}

impl Outcome {
    fn of<T>(result: io::Result<T>, ok: impl FnOnce(T) -> Outcome) -> Outcome {
        match result {
            Ok(value) => ok(value),
            Err(err) => Outcome::Err(err.kind(), err.to_string()),
        }
    }
}

fn bytes(value: Bytes) -> Outcome {
    Outcome::Bytes(value.to_vec())
}

/// `getvalue`, the one call the model makes that is a method of each type rather than of a trait.
pub(crate) trait GetValue {
    fn getvalue(&mut self) -> io::Result<Bytes>;
}

impl GetValue for BytesIO {
    fn getvalue(&mut self) -> io::Result<Bytes> {
        BytesIO::getvalue(self)
    }
}

impl GetValue for SpooledIO {
    fn getvalue(&mut self) -> io::Result<Bytes> {
        SpooledIO::getvalue(self)
    }
}

impl GetValue for MmapIO {
    fn getvalue(&mut self) -> io::Result<Bytes> {
        MmapIO::getvalue(self)
    }
}

/// Applies `op` to a stream that writes, and reports what came back.
pub(crate) fn apply<S>(stream: &mut S, op: &Op) -> Outcome
where
    S: BufferedIoBase + BufRead + Seek + Write + GetValue,
{
    match op {
        Op::Write(data) => Outcome::of(stream.write(data), |n| Outcome::Num(n as u64)),
        Op::WriteLines(lines) => Outcome::of(stream.writelines(lines), |()| Outcome::Unit),
        Op::Flush => Outcome::of(stream.flush(), |()| Outcome::Unit),
        other => apply_read(stream, other),
    }
}

/// Applies `op` (not a writing one) to any stream the model drives, through `BufferedIoBase`,
/// `IoBase` and std's traits, and reports what came back.
///
/// # Panics
///
/// On a writing operation: [`apply`] runs those.
pub(crate) fn apply_read<S>(stream: &mut S, op: &Op) -> Outcome
where
    S: BufferedIoBase + BufRead + Seek + GetValue,
{
    match op {
        Op::Write(_) | Op::WriteLines(_) | Op::Flush => {
            panic!("{op:?} is for streams that write: use `apply`")
        }
        Op::Seek(from) => Outcome::of(stream.seek(*from), Outcome::Num),
        Op::Read(size) => Outcome::of(stream.read_bytes(*size), bytes),
        Op::Read1(size) => Outcome::of(stream.read1(*size), bytes),
        Op::ReadInto(len) => {
            let mut buf = vec![b'?'; *len];
            Outcome::of(stream.readinto(&mut buf), |n| {
                Outcome::Bytes(buf[..n].to_vec())
            })
        }
        Op::StdRead(len) => {
            let mut buf = vec![b'?'; *len];
            Outcome::of(stream.read(&mut buf), |n| Outcome::Bytes(buf[..n].to_vec()))
        }
        Op::ReadToEnd => {
            let mut buf = Vec::new();
            Outcome::of(stream.read_to_end(&mut buf), |_| Outcome::Bytes(buf))
        }
        Op::ReadLine(limit) => Outcome::of(stream.readline(*limit), bytes),
        Op::ReadLines(hint) => Outcome::of(stream.readlines(*hint), |lines| {
            Outcome::Lines(lines.iter().map(|line| line.to_vec()).collect())
        }),
        Op::Iter(max) => Outcome::Items(
            stream
                .iter_lines()
                .take(max.unwrap_or(usize::MAX))
                .map(|item| Outcome::of(item, bytes))
                .collect(),
        ),
        Op::FillBufConsume(amt) => {
            let got = stream
                .fill_buf()
                .map(|buf| buf[..buf.len().min(*amt)].to_vec());
            if let Ok(got) = &got {
                stream.consume(got.len());
            }
            Outcome::of(got, Outcome::Bytes)
        }
        Op::Tell => Outcome::of(stream.stream_position(), Outcome::Num),
        Op::Truncate(size) => Outcome::of(IoBase::truncate(stream, *size), Outcome::Num),
        Op::GetValue => Outcome::of(stream.getvalue(), bytes),
        Op::Caps => Outcome::of(
            stream
                .readable()
                .and_then(|r| Ok((r, stream.writable()?, stream.seekable()?))),
            |(r, w, s)| Outcome::Flags(r, w, s),
        ),
        Op::Close => Outcome::of(stream.close(), |()| Outcome::Unit),
    }
}

/// Data to write: short runs over a small alphabet rich in newlines, or, with `big`, long runs
/// that carry a stream across [`strata_spool::MAP_THRESHOLD`] in a few writes.
pub(crate) fn data(big: bool) -> BoxedStrategy<Vec<u8>> {
    if big {
        (1usize..250_000, any::<u8>())
            .prop_map(|(len, seed)| {
                (0..len)
                    .map(|i| {
                        if i % 61 == 60 {
                            b'\n'
                        } else {
                            seed ^ (i as u8)
                        }
                    })
                    .collect()
            })
            .boxed()
    } else {
        prop::collection::vec(prop::sample::select(b"ab\n\r\0".to_vec()), 0..12).boxed()
    }
}

/// Sizes around the interesting values, as Python's -1/None maps to `None`.
fn size() -> impl Strategy<Value = Option<usize>> {
    prop_oneof![
        Just(None),
        (0usize..20).prop_map(Some),
        (0usize..200_000).prop_map(Some)
    ]
}

/// Reading operations only (for read-only streams).
pub(crate) fn read_op() -> BoxedStrategy<Op> {
    prop_oneof![
        // Mostly inside short contents, sometimes before 0 or past the end.
        (-16i64..24).prop_map(|n| Op::Seek(SeekFrom::Current(n))),
        (-20i64..8).prop_map(|n| Op::Seek(SeekFrom::End(n))),
        (0u64..24).prop_map(|n| Op::Seek(SeekFrom::Start(n))),
        (0u64..24).prop_map(|n| Op::Seek(SeekFrom::Start(n))),
        size().prop_map(Op::Read),
        size().prop_map(Op::Read1),
        (0usize..20).prop_map(Op::ReadInto),
        (0usize..20).prop_map(Op::StdRead),
        Just(Op::ReadToEnd),
        size().prop_map(Op::ReadLine),
        size().prop_map(Op::ReadLines),
        prop_oneof![Just(None), (0usize..4).prop_map(Some)].prop_map(Op::Iter),
        (0usize..20).prop_map(Op::FillBufConsume),
        Just(Op::Tell),
        Just(Op::GetValue),
        Just(Op::Caps),
    ]
    .boxed()
}

/// Every operation; closing is rare so that most sequences stay open for a while. With `big`, the
/// writes are long, `getvalue` frequent and nothing closes, so that snapshots of mapped files meet
/// later changes.
pub(crate) fn op(big: bool) -> BoxedStrategy<Op> {
    let (reads, snapshots, small_truncates, closes) =
        if big { (4, 6, 0, 0) } else { (16, 0, 2, 1) };
    prop_oneof![
        12 => data(big).prop_map(Op::Write),
        2 => prop::collection::vec(data(false), 0..4).prop_map(Op::WriteLines),
        reads => read_op(),
        snapshots => Just(Op::GetValue),
        small_truncates => prop_oneof![Just(None), (0u64..40).prop_map(Some)].prop_map(Op::Truncate),
        1 => (0u64..800_000).prop_map(|n| Op::Truncate(Some(n))),
        1 => Just(Op::Flush),
        closes => Just(Op::Close),
    ]
    .boxed()
}
