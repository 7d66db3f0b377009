//! Async equals sync: the same operation table run through `std::io`, through tokio's async traits
//! and through the `futures` crate's gives the same results, step by step, on `BytesIO` and on
//! `SpooledIO` (also across its rollover to a file). Every poll is ready at once: the task's waker
//! is never used, so a no-op waker drives them.

use std::io::{self, BufRead, Read, Seek, SeekFrom, Write};
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use proptest::prelude::*;
use strata_buffered::BytesIO;
use strata_buffered::prelude::IoBase;
use strata_spool::SpooledIO;

/// One call on a stream.
#[derive(Debug, Clone)]
enum Op {
    Read(usize),
    /// `fill_buf`, then `consume` of at most this many of the bytes lent.
    FillConsume(usize),
    Write(Vec<u8>),
    Seek(SeekFrom),
    Flush,
}

/// What one call returned; errors compare by kind.
#[derive(Debug, PartialEq)]
enum Outcome {
    Bytes(Vec<u8>),
    Written(usize),
    Position(u64),
    Done,
    Failed(io::ErrorKind),
}

impl<T: Into<Outcome>> From<io::Result<T>> for Outcome {
    fn from(result: io::Result<T>) -> Outcome {
        result.map_or_else(|error| Outcome::Failed(error.kind()), Into::into)
    }
}

impl From<Vec<u8>> for Outcome {
    fn from(bytes: Vec<u8>) -> Outcome {
        Outcome::Bytes(bytes)
    }
}

impl From<usize> for Outcome {
    fn from(n: usize) -> Outcome {
        Outcome::Written(n)
    }
}

impl From<u64> for Outcome {
    fn from(position: u64) -> Outcome {
        Outcome::Position(position)
    }
}

impl From<()> for Outcome {
    fn from((): ()) -> Outcome {
        Outcome::Done
    }
}

/// The value of a poll that must be ready: these streams never wait.
fn ready<T>(poll: Poll<T>) -> T {
    match poll {
        Poll::Ready(value) => value,
        Poll::Pending => panic!("an in-memory stream returned Pending"),
    }
}

fn sync_op<S: Read + BufRead + Write + Seek>(stream: &mut S, op: &Op) -> Outcome {
    match op {
        Op::Read(n) => {
            let mut buf = vec![0; *n];
            stream.read(&mut buf).map(|got| buf[..got].to_vec()).into()
        }
        Op::FillConsume(n) => stream
            .fill_buf()
            .map(|lent| lent[..lent.len().min(*n)].to_vec())
            .inspect(|taken| stream.consume(taken.len()))
            .into(),
        Op::Write(data) => stream.write(data).into(),
        Op::Seek(position) => stream.seek(*position).into(),
        Op::Flush => stream.flush().into(),
    }
}

fn tokio_op<S>(stream: &mut S, op: &Op) -> Outcome
where
    S: tokio::io::AsyncRead
        + tokio::io::AsyncBufRead
        + tokio::io::AsyncWrite
        + tokio::io::AsyncSeek
        + Unpin,
{
    let mut cx = Context::from_waker(Waker::noop());
    let mut stream = Pin::new(stream);
    match op {
        Op::Read(n) => {
            let mut storage = vec![0; *n];
            let mut buf = tokio::io::ReadBuf::new(&mut storage);
            ready(stream.as_mut().poll_read(&mut cx, &mut buf))
                .map(|()| buf.filled().to_vec())
                .into()
        }
        Op::FillConsume(n) => {
            let taken = ready(stream.as_mut().poll_fill_buf(&mut cx))
                .map(|lent| lent[..lent.len().min(*n)].to_vec());
            if let Ok(taken) = &taken {
                stream.as_mut().consume(taken.len());
            }
            taken.into()
        }
        Op::Write(data) => ready(stream.as_mut().poll_write(&mut cx, data)).into(),
        Op::Seek(position) => match stream.as_mut().start_seek(*position) {
            Ok(()) => ready(stream.as_mut().poll_complete(&mut cx)).into(),
            Err(error) => Outcome::Failed(error.kind()),
        },
        Op::Flush => ready(stream.as_mut().poll_flush(&mut cx)).into(),
    }
}

fn futures_op<S>(stream: &mut S, op: &Op) -> Outcome
where
    S: futures_io::AsyncRead
        + futures_io::AsyncBufRead
        + futures_io::AsyncWrite
        + futures_io::AsyncSeek
        + Unpin,
{
    let mut cx = Context::from_waker(Waker::noop());
    let mut stream = Pin::new(stream);
    match op {
        Op::Read(n) => {
            let mut buf = vec![0; *n];
            ready(stream.as_mut().poll_read(&mut cx, &mut buf))
                .map(|got| buf[..got].to_vec())
                .into()
        }
        Op::FillConsume(n) => {
            let taken = ready(stream.as_mut().poll_fill_buf(&mut cx))
                .map(|lent| lent[..lent.len().min(*n)].to_vec());
            if let Ok(taken) = &taken {
                stream.as_mut().consume(taken.len());
            }
            taken.into()
        }
        Op::Write(data) => ready(stream.as_mut().poll_write(&mut cx, data)).into(),
        Op::Seek(position) => ready(stream.as_mut().poll_seek(&mut cx, *position)).into(),
        Op::Flush => ready(stream.as_mut().poll_flush(&mut cx)).into(),
    }
}

/// Runs `ops` on three fresh streams, one per API, and checks every step and the final contents
/// agree. `value` reads a stream's whole contents.
fn check<S>(make: impl Fn() -> S, value: impl Fn(&mut S) -> Vec<u8>, ops: &[Op])
where
    S: Read
        + BufRead
        + Write
        + Seek
        + tokio::io::AsyncRead
        + tokio::io::AsyncBufRead
        + tokio::io::AsyncWrite
        + tokio::io::AsyncSeek
        + futures_io::AsyncRead
        + futures_io::AsyncBufRead
        + futures_io::AsyncWrite
        + futures_io::AsyncSeek
        + Unpin,
{
    let (mut sync, mut tokio, mut futures) = (make(), make(), make());
    for (step, op) in ops.iter().enumerate() {
        let expected = sync_op(&mut sync, op);
        assert_eq!(
            tokio_op(&mut tokio, op),
            expected,
            "tokio, step {step}: {op:?}"
        );
        assert_eq!(
            futures_op(&mut futures, op),
            expected,
            "futures, step {step}: {op:?}"
        );
    }
    let contents = value(&mut sync);
    assert_eq!(value(&mut tokio), contents, "tokio's final contents");
    assert_eq!(value(&mut futures), contents, "futures' final contents");
}

fn bytesio_value(stream: &mut BytesIO) -> Vec<u8> {
    stream.getvalue().expect("open").to_vec()
}

fn spooled_value(stream: &mut SpooledIO) -> Vec<u8> {
    stream.getvalue().expect("open").to_vec()
}

/// A spooled stream that rolls over to a file past 64 bytes, holding `initial`.
fn spooled(initial: &[u8]) -> SpooledIO {
    let mut stream = SpooledIO::new(64);
    stream.write_all(initial).expect("in memory");
    stream.rewind().expect("in memory");
    stream
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0usize..48).prop_map(Op::Read),
        (0usize..48).prop_map(Op::FillConsume),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(Op::Write),
        (0u64..160).prop_map(|at| Op::Seek(SeekFrom::Start(at))),
        (-80i64..80).prop_map(|by| Op::Seek(SeekFrom::Current(by))),
        (-80i64..40).prop_map(|by| Op::Seek(SeekFrom::End(by))),
        Just(Op::Flush),
    ]
}

#[test]
fn fixed_tables_agree() {
    use Op::*;
    let tables: &[&[Op]] = &[
        &[Read(3), FillConsume(2), Read(100), Read(1)],
        &[
            Seek(SeekFrom::End(0)),
            Write(b"tail".to_vec()),
            Seek(SeekFrom::Start(0)),
            Read(64),
        ],
        // A negative position is an error and leaves the position where it was.
        &[
            Seek(SeekFrom::Current(-1)),
            Read(2),
            Seek(SeekFrom::End(-100)),
            Read(2),
        ],
        // Writing past the end fills the gap with zeros.
        &[
            Seek(SeekFrom::Start(90)),
            Write(b"x".to_vec()),
            Seek(SeekFrom::Start(0)),
            Read(100),
        ],
        // The spooled stream rolls over here (more than 64 bytes): results stay the same.
        &[
            Write(vec![7; 70]),
            Flush,
            Seek(SeekFrom::Start(5)),
            FillConsume(10),
            Read(70),
        ],
    ];
    for ops in tables {
        check(|| BytesIO::from(&b"hello, world\n"[..]), bytesio_value, ops);
        check(|| spooled(b"hello, world\n"), spooled_value, ops);
    }
}

#[test]
fn a_closed_stream_fails_the_same_way() {
    let ops = [
        Op::Read(1),
        Op::FillConsume(1),
        Op::Write(b"x".to_vec()),
        Op::Flush,
    ];
    let closed_bytesio = || {
        let mut stream = BytesIO::from(&b"abc"[..]);
        stream.close().expect("closes");
        stream
    };
    check(closed_bytesio, |_| Vec::new(), &ops);
    let closed_spooled = || {
        let mut stream = spooled(b"abc");
        stream.close().expect("closes");
        stream
    };
    check(closed_spooled, |_| Vec::new(), &ops);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_tables_agree(
        initial in proptest::collection::vec(any::<u8>(), 0..80),
        ops in proptest::collection::vec(op(), 0..40),
    ) {
        check(|| BytesIO::from(initial.clone()), bytesio_value, &ops);
        check(|| spooled(&initial), spooled_value, &ops);
    }
}
