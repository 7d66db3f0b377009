//! Model checks of the ring's index protocol and of the sleep/wake-up protocol, with loom.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test -p strata-pipe --release --lib` (add
//! `LOOM_MAX_PREEMPTIONS=5` for a deeper search). Loom runs each test
//! under every interleaving of the two threads (up to a preemption bound) and reports a data race
//! on any ring slot (each is a tracked cell), a deadlock (a lost wake-up), or a failed assertion.

use std::io::{self, Read, Write};

use loom::thread;

use crate::{Overflow, PipeBuilder, PipeReader, PipeWriter};

fn model(test: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    // `LOOM_MAX_PREEMPTIONS` overrides the default bound of 3 for a deeper search.
    builder.preemption_bound.get_or_insert(3);
    builder.check(test);
}

fn build(capacity: usize, overflow: Overflow) -> (PipeWriter, PipeReader) {
    PipeBuilder::new()
        .capacity(capacity)
        .overflow(overflow)
        .build()
        .expect("pipe")
}

/// Blocking on both sides: every byte arrives in order, nobody sleeps forever.
#[test]
fn block_delivers_everything() {
    model(|| {
        let (mut writer, mut reader) = build(2, Overflow::Block);
        let producer = thread::spawn(move || {
            writer.write_all(&[1, 2, 3]).expect("write");
        });
        let mut got = Vec::new();
        reader.read_to_end(&mut got).expect("read");
        producer.join().expect("writer thread");
        assert_eq!(got, [1, 2, 3]);
    });
}

/// A writer waiting for room wakes up with a broken pipe when the reader goes away.
#[test]
fn reader_drop_wakes_a_blocked_writer() {
    model(|| {
        let (mut writer, reader) = build(1, Overflow::Block);
        let producer = thread::spawn(move || writer.write_all(&[1, 2]));
        drop(reader);
        let result = producer.join().expect("writer thread");
        assert_eq!(result.map_err(|e| e.kind()), Err(io::ErrorKind::BrokenPipe));
    });
}

/// `Fail` never waits, and what it accepts arrives in order.
#[test]
fn fail_takes_what_fits() {
    model(|| {
        let (mut writer, mut reader) = build(2, Overflow::Fail);
        let producer = thread::spawn(move || {
            let mut sent = Vec::new();
            for byte in 1..=3u8 {
                if writer.try_write(&[byte]).is_ok() {
                    sent.push(byte);
                }
            }
            sent
        });
        let mut got = reader.drain().expect("drain").to_vec();
        let sent = producer.join().expect("writer thread");
        got.extend_from_slice(&reader.drain().expect("drain"));
        assert_eq!(got, sent);
    });
}

/// A sleeping reader of a pipe whose writer never blocks still gets the data, then end of file.
#[test]
fn fail_wakes_a_sleeping_reader() {
    model(|| {
        let (mut writer, mut reader) = build(2, Overflow::Fail);
        let producer = thread::spawn(move || {
            writer.try_write(&[1]).expect("room");
        });
        let mut got = Vec::new();
        reader.read_to_end(&mut got).expect("read");
        producer.join().expect("writer thread");
        assert_eq!(got, [1]);
    });
}

/// Overwriting while the reader copies: whole writes only, in order, and the counts add up.
#[test]
fn overwrite_keeps_writes_whole() {
    model(|| {
        let (mut writer, mut reader) = build(3, Overflow::OverwriteOldest);
        let writes: [&[u8]; 3] = [&[1, 1], &[2], &[3, 3]];
        let producer = thread::spawn(move || {
            for write in writes {
                writer.write_all(write).expect("write");
            }
            writer.stats()
        });
        let mut got = reader.drain().expect("drain").to_vec();
        producer.join().expect("writer thread");
        got.extend_from_slice(&reader.drain().expect("drain"));

        // Match `got` against a subsequence of the writes (they differ, so greedy is exact).
        let mut rest = &got[..];
        let mut kept = 0;
        for write in writes {
            if let Some(after) = rest.strip_prefix(write) {
                rest = after;
                kept += write.len() as u64;
            }
        }
        assert!(
            rest.is_empty(),
            "{got:?} is not a subsequence of whole writes"
        );
        let stats = reader.stats();
        assert_eq!(stats.bytes_written, 5);
        assert_eq!(stats.bytes_read, kept);
        assert_eq!(stats.bytes_dropped, 5 - kept);
    });
}

/// The closing error reaches the reader after the data written before it.
#[test]
fn close_with_error_after_data() {
    model(|| {
        let (mut writer, mut reader) = build(4, Overflow::Block);
        let producer = thread::spawn(move || {
            writer.write_all(&[7, 8]).expect("write");
            writer
                .close_with_error(io::Error::other("gone"))
                .expect("close");
        });
        let mut got = Vec::new();
        let err = reader.read_to_end(&mut got).expect_err("the closing error");
        producer.join().expect("writer thread");
        assert_eq!(err.to_string(), "gone");
        assert_eq!(got, [7, 8]);
        assert_eq!(reader.read(&mut [0; 4]).expect("end of file"), 0);
    });
}

/// The reader's count of buffered bytes stays within the capacity (and never underflows) while the
/// writer discards records to make room: the tail and head it pairs come from one moment.
#[test]
fn len_stays_within_capacity_while_overwriting() {
    model(|| {
        // Room for one record of a 1-byte payload (4-byte header): each push discards the last.
        let (mut producer, consumer) =
            crate::ring::channel(6, crate::ring::Discard::OldestRecords, ()).expect("ring");
        let writer = thread::spawn(move || {
            for byte in 1..=2u8 {
                assert!(producer.push_record(&[byte]).stored);
            }
        });
        for _ in 0..2 {
            let len = consumer.len();
            assert!(len <= consumer.capacity(), "{len} bytes in a ring of 6");
        }
        writer.join().expect("writer thread");
        assert_eq!(consumer.len(), 5);
    });
}
