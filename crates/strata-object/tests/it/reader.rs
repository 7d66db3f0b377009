//! `ObjectReader`: random seeks and reads equal the same on the object's bytes; buffered reading;
//! errors.

use std::io::{self, Cursor, Read, Seek, SeekFrom};

use bytes::Bytes;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use strata_buffered::BufferedReader;
use strata_object::{ObjectReader, ReadOptions, Store};
use strata_raw::{Error, IoBase};

use crate::backends::for_each_backend;
use crate::pattern;

/// One step of a random access pattern.
#[derive(Debug, Clone)]
enum Op {
    Seek(SeekFrom),
    Read(usize),
}

fn op(len: u64) -> impl Strategy<Value = Op> {
    let len = len as i64;
    prop_oneof![
        (0..len + 10).prop_map(|p| Op::Seek(SeekFrom::Start(p as u64))),
        (-len..len).prop_map(|d| Op::Seek(SeekFrom::Current(d))),
        (-len..10).prop_map(|d| Op::Seek(SeekFrom::End(d))),
        (0usize..20_000).prop_map(Op::Read),
        (0usize..64).prop_map(Op::Read),
    ]
}

/// Applies `ops` to `stream`, returning what each step gave (`Err` as its kind).
fn run<S: Read + Seek>(stream: &mut S, ops: &[Op]) -> Vec<Result<Vec<u8>, io::ErrorKind>> {
    ops.iter()
        .map(|op| match op {
            Op::Seek(from) => stream
                .seek(*from)
                .map(|pos| pos.to_le_bytes().to_vec())
                .map_err(|e| e.kind()),
            Op::Read(n) => {
                // `read_exact`-like up to end of file, so short raw reads compare equal.
                let mut out = Vec::new();
                stream
                    .by_ref()
                    .take(*n as u64)
                    .read_to_end(&mut out)
                    .map(|_| out)
                    .map_err(|e| e.kind())
            }
        })
        .collect()
}

#[test]
fn random_seeks_and_reads_equal_the_objects_bytes() {
    const LEN: usize = 300_000;
    let data = pattern(LEN, 7);
    for_each_backend("random-reads", |b| {
        b.store
            .put_bytes("obj.bin", Bytes::from(data.clone()))
            .expect("upload");
        // Small blocks, so that reads cross windows, read-ahead starts and tail alignment happens.
        let opts = ReadOptions::default().block(4096).max_block(32 << 10);
        let mut runner = TestRunner::new(Config {
            cases: 24,
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(&proptest::collection::vec(op(LEN as u64), 1..40), |ops| {
                let mut reader = ObjectReader::open(b.store.clone(), b.store.path("obj.bin"), opts)
                    .expect("open");
                let got = run(&mut reader, &ops);
                let want = run(&mut Cursor::new(&data), &ops);
                prop_assert_eq!(got, want, "backend {}", b.name);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{}: {e}", b.name));
    });
}

#[test]
fn sequential_reads_through_buffered_reader_read_ahead_and_fetch_each_byte_once() {
    let data = pattern(3 << 20, 3);
    for_each_backend("sequential", |b| {
        b.store
            .put_bytes("seq.bin", Bytes::from(data.clone()))
            .expect("upload");
        let reader = b.store.open("seq.bin").expect("open");
        let mut buffered = BufferedReader::new(reader).expect("buffered");
        let mut got = Vec::new();
        buffered.read_to_end(&mut got).expect("read");
        assert!(got == data, "{}: contents differ", b.name);
        let stats = buffered.get_ref().stats();
        assert_eq!(stats.bytes, data.len() as u64, "{}: bytes fetched", b.name);

        // A small probe, then the rest: the second block is not moved back over the first.
        let mut reader = b.store.open("seq.bin").expect("open");
        let mut probe = [0u8; 32];
        reader.read_exact(&mut probe).expect("probe");
        let mut rest = Vec::new();
        reader.read_to_end(&mut rest).expect("rest");
        assert_eq!(
            reader.stats().bytes,
            data.len() as u64,
            "{}: re-fetched bytes",
            b.name
        );
        // HEAD + blocks of 64 KiB, 256 KiB, 1 MiB and the rest (fourfold growth): far fewer than
        // 3 MiB / 64 KiB = 48.
        assert_eq!(stats.requests, 5, "{}: {stats:?}", b.name);
    });
}

#[test]
fn errors_name_the_problem() {
    for_each_backend("errors", |b| {
        let err = b.store.open("missing.bin").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound, "{}: {err}", b.name);
        assert!(err.to_string().contains("missing.bin"), "{}: {err}", b.name);

        b.store
            .put_bytes("small.bin", Bytes::from_static(b"0123456789"))
            .expect("upload");
        let mut r = b.store.open("small.bin").expect("open");
        let err = r.seek(SeekFrom::Current(-1)).unwrap_err();
        assert_eq!(Error::of(&err), Some(&Error::NegativeSeek(-1)));
        assert!(r.readable().expect("open") && r.seekable().expect("open"));
        assert!(!r.writable().expect("open"));
        r.seek(SeekFrom::End(5)).expect("past the end");
        assert_eq!(r.read(&mut [0u8; 4]).expect("eof"), 0);
        r.close().expect("close");
        let err = r.read(&mut [0u8; 4]).unwrap_err();
        assert!(matches!(Error::of(&err), Some(Error::Closed { .. })));
        assert!(r.tell().is_err());
    });
}

#[test]
fn invalid_urls_are_refused() {
    let cases = [
        ("not a url", "relative URL without a base"),
        ("ftp://host/x", "unsupported scheme \"ftp\""),
        ("gs://bucket/x", "unsupported scheme \"gs\""),
    ];
    for (url, reason) in cases {
        let err = Store::from_url(url).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{url}");
        assert!(err.to_string().contains(reason), "{url}: {err}");
    }
}

#[test]
fn blocking_inside_a_runtime_is_refused() {
    let store = Store::from_url("memory://").expect("store");
    store
        .put_bytes("x", Bytes::from_static(b"x"))
        .expect("upload");
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let err = rt.block_on(async { store.open("x") }).unwrap_err();
    assert!(matches!(
        strata_object::ObjectError::of(&err),
        Some(strata_object::ObjectError::InsideRuntime)
    ));
    assert_eq!(err.kind(), io::ErrorKind::Unsupported);
}
