//! `StdRaw`: capabilities reported and enforced, close semantics, and `RawIoBase` over it.

use std::collections::VecDeque;
use std::io::{self, Cursor, ErrorKind, Read, Seek, SeekFrom, Write};

use strata_raw::prelude::*;
use strata_raw::{Caps, Error, StdRaw};

/// One scripted answer of a raw reader: data, or "no data right now".
enum Step {
    Data(&'static [u8]),
    Block,
}

/// A reader that answers from a script, as CPython's test_io mock raw does.
struct Scripted(VecDeque<Step>);

impl Read for Scripted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.0.pop_front() {
            None => Ok(0),
            Some(Step::Block) => Err(ErrorKind::WouldBlock.into()),
            Some(Step::Data(data)) => {
                let n = data.len().min(buf.len());
                buf[..n].copy_from_slice(&data[..n]);
                if n < data.len() {
                    self.0.push_front(Step::Data(&data[n..]));
                }
                Ok(n)
            }
        }
    }
}

#[test]
fn raw_read_follows_rawiobase_over_blocking_chunks() {
    // CPython's `RawIOBase.read(2)` eight times over chunks (abc, d, BLOCK, efg, BLOCK): one call
    // each, short reads kept short, `None` (here WouldBlock) where a call would block.
    use Step::*;
    let script = [Data(b"abc"), Data(b"d"), Block, Data(b"efg"), Block];
    let mut raw = StdRaw::reader(Scripted(script.into_iter().collect()));
    let expected: [Option<&[u8]>; 8] = [
        Some(b"ab"),
        Some(b"c"),
        Some(b"d"),
        None,
        Some(b"ef"),
        Some(b"g"),
        None,
        Some(b""),
    ];
    for (i, want) in expected.into_iter().enumerate() {
        match (raw.read_bytes(Some(2)), want) {
            (Ok(got), Some(want)) => assert_eq!(got, want, "read {i}"),
            (Err(e), None) => assert_eq!(e.kind(), ErrorKind::WouldBlock, "read {i}"),
            (got, want) => panic!("read {i}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn readall_stops_at_a_block_after_data_and_fails_before_any() {
    // CPython's `RawIOBase.readall()`: what arrived before a would-block, or `None` (WouldBlock) when
    // nothing did.
    use Step::*;
    let mut raw = StdRaw::reader(Scripted(
        [Data(b"ab"), Data(b"c"), Block, Data(b"d")].into(),
    ));
    assert_eq!(raw.readall().unwrap(), b"abc");
    assert_eq!(raw.readall().unwrap(), b"d");
    let mut blocked = StdRaw::reader(Scripted([Block].into()));
    assert_eq!(blocked.readall().unwrap_err().kind(), ErrorKind::WouldBlock);
}

#[test]
fn capabilities_are_reported_and_enforced() {
    let cases: &[(Caps, bool, bool, bool)] = &[
        (Caps::READ, true, false, false),
        (Caps::WRITE, false, true, false),
        (Caps::READ | Caps::SEEK, true, false, true),
        (Caps::ALL, true, true, true),
        (Caps::NONE, false, false, false),
    ];
    for &(caps, readable, writable, seekable) in cases {
        let mut raw = StdRaw::new(Cursor::new(b"abc".to_vec()), caps);
        assert_eq!(raw.caps(), caps);
        assert_eq!(raw.readable().unwrap(), readable, "{caps:?}");
        assert_eq!(raw.writable().unwrap(), writable, "{caps:?}");
        assert_eq!(raw.seekable().unwrap(), seekable, "{caps:?}");
        let mut buf = [0; 1];
        assert_eq!(raw.read(&mut buf).is_ok(), readable, "{caps:?} read");
        assert_eq!(raw.write(b"x").is_ok(), writable, "{caps:?} write");
        assert_eq!(
            raw.seek(SeekFrom::Start(0)).is_ok(),
            seekable,
            "{caps:?} seek"
        );
        if !readable {
            let err = raw.read(&mut buf).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Unsupported);
            assert_eq!(err.to_string(), "File or stream is not readable.");
        }
        assert_eq!(raw.fileno().unwrap_err().kind(), ErrorKind::Unsupported);
        assert_eq!(
            raw.truncate(None).unwrap_err().kind(),
            ErrorKind::Unsupported
        );
        assert!(!raw.isatty().unwrap());
    }
}

#[test]
fn closed_bridge_fails_with_the_closed_error() {
    let mut raw = StdRaw::random(Cursor::new(Vec::new()));
    raw.close().unwrap();
    raw.close().unwrap();
    assert!(raw.closed());
    let errors = [
        raw.read(&mut [0; 1]).unwrap_err(),
        raw.write(b"x").unwrap_err(),
        raw.flush().unwrap_err(),
        raw.seek(SeekFrom::Start(0)).unwrap_err(),
        raw.readable().unwrap_err(),
    ];
    for err in errors {
        assert_eq!(Error::of(&err), Some(&Error::Closed { op: None }));
    }
    assert_eq!(raw.into_inner().into_inner(), b"");
}

#[test]
fn forwarding_impls_reach_the_inner_stream() {
    fn close_through<T: IoBase>(mut stream: T) -> io::Result<()> {
        stream.close()
    }
    let mut raw = StdRaw::reader(&b"abc"[..]);
    close_through(&mut raw).unwrap();
    assert!(raw.closed());
    let boxed: Box<dyn IoBase> = Box::new(StdRaw::writer(Vec::<u8>::new()));
    assert!(boxed.writable().unwrap());
    close_through(boxed).unwrap();
}

#[test]
fn raw_read_rejects_a_stream_that_claims_more_than_it_was_given() {
    struct Liar;
    impl Read for Liar {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            Ok(buf.len() + 1)
        }
    }
    let err = StdRaw::reader(Liar).read_bytes(Some(4)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidData);
    assert!(matches!(
        Error::of(&err),
        Some(Error::InvalidLength {
            returned: 5,
            max: 4,
            ..
        })
    ));
    assert!(StdRaw::reader(Liar).readall().is_err());
}

#[test]
fn an_impossible_read_size_is_an_error_not_a_panic() {
    let mut raw = StdRaw::reader(Cursor::new(b"abc".to_vec()));
    let err = raw.read_bytes(Some(usize::MAX)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutOfMemory, "{err}");
    assert!(err.to_string().contains("read buffer"), "{err}");
    assert_eq!(
        raw.read_bytes(Some(10)).unwrap(),
        b"abc",
        "nothing was consumed"
    );
}
