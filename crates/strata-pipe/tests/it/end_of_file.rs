//! End of file means the writer is gone, and how it went is visible: a writer dropped or closed is
//! end of file after its data, a writer whose thread panicked is a `BrokenPipe` error after its
//! data; and under `OverwriteOldest` stress no read reports end of file while the writer still
//! writes (nor does the reader's bookkeeping overflow while the writer reclaims space).

use std::io::{self, BufRead, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use strata_pipe::{Overflow, PipeBuilder, PipeReader, PipeWriter};

const ALL: [Overflow; 3] = [Overflow::Block, Overflow::Fail, Overflow::OverwriteOldest];

fn build(capacity: usize, overflow: Overflow) -> (PipeWriter, PipeReader) {
    PipeBuilder::new()
        .capacity(capacity)
        .overflow(overflow)
        .build()
        .expect("a pipe")
}

/// How the writing thread ends, after writing `data`.
#[derive(Debug, Clone, Copy)]
enum Ending {
    Drop,
    Close,
    Panic,
    /// Closed cleanly, then its thread panicked: the data was complete.
    CloseThenPanic,
}

/// An ending and what `read_to_end` must give: the data, then `Ok` or this error message.
const ENDINGS: &[(Ending, Result<(), &str>)] = &[
    (Ending::Drop, Ok(())),
    (Ending::Close, Ok(())),
    (
        Ending::Panic,
        Err("the writer panicked: the data in the pipe may be incomplete"),
    ),
    (Ending::CloseThenPanic, Ok(())),
];

fn check(overflow: Overflow, ending: Ending, expected: Result<(), &str>) {
    let (mut writer, mut reader) = build(64, overflow);
    let writing = thread::spawn(move || {
        writer.write_all(b"some data").expect("room in the pipe");
        match ending {
            Ending::Drop => drop(writer),
            Ending::Close => writer.close().expect("close"),
            Ending::Panic => panic!("the writing thread fails (expected by the test)"),
            Ending::CloseThenPanic => {
                writer.close().expect("close");
                panic!("the writing thread fails after closing (expected by the test)");
            }
        }
    });
    let mut got = Vec::new();
    let result = reader.read_to_end(&mut got);
    let panicked = writing.join().is_err();
    let case = format!("{overflow:?}, {ending:?}");
    assert_eq!(
        panicked,
        matches!(ending, Ending::Panic | Ending::CloseThenPanic),
        "{case}"
    );
    assert_eq!(got, b"some data", "{case}");
    match (result, expected) {
        (Ok(_), Ok(())) => {}
        (Err(err), Err(message)) => {
            assert_eq!(
                (err.kind(), err.to_string().as_str()),
                (io::ErrorKind::BrokenPipe, message),
                "{case}"
            );
            // The error comes once; then the end of file.
            assert_eq!(reader.read(&mut [0; 8]).ok(), Some(0), "{case}");
        }
        (result, _) => panic!("{case}: {result:?}, expected {expected:?}"),
    }
}

#[test]
fn the_reader_tells_a_panicked_writer_from_a_closed_one() {
    for overflow in ALL {
        for &(ending, expected) in ENDINGS {
            check(overflow, ending, expected);
        }
    }
}

/// How the stress reader reads.
#[derive(Debug, Clone, Copy)]
enum Reading {
    FillBuf,
    ReadTimeout,
    Read,
}

/// Writes of 1 to `capacity - 4` bytes into a small `OverwriteOldest` ring, many more than the
/// reader keeps up with, so the writer discards records all the time: every empty result (end of
/// file) must come after the writer finished, and the bytes must be whole writes.
fn overrun(capacity: usize, reading: Reading) {
    const WRITES: usize = 200_000;
    let case = format!("capacity {capacity}, {reading:?}");
    let (mut writer, mut reader) = build(capacity, Overflow::OverwriteOldest);
    let done = Arc::new(AtomicBool::new(false));
    let finished = Arc::clone(&done);
    let writing = thread::spawn(move || {
        let mut record = [0u8; 64];
        // Bounded in count and, on a slow machine, in time (a bound, not an assertion).
        let start = Instant::now();
        for i in (0..WRITES).take_while(|_| start.elapsed() < Duration::from_secs(10)) {
            let len = 1 + i % (capacity - 4);
            record[..len].fill(len as u8);
            writer.write_all(&record[..len]).expect("never full");
        }
        finished.store(true, Ordering::Release);
    });
    let mut received = 0u64;
    loop {
        let chunk: Vec<u8> = match reading {
            Reading::FillBuf => {
                let chunk = reader.fill_buf().expect("fill_buf").to_vec();
                reader.consume(chunk.len());
                chunk
            }
            Reading::ReadTimeout => reader
                .read_timeout(Duration::from_secs(600))
                .expect("read_timeout")
                .to_vec(),
            Reading::Read => {
                let mut buf = [0; 16];
                let n = reader.read(&mut buf).expect("read");
                buf[..n].to_vec()
            }
        };
        if chunk.is_empty() {
            assert!(
                done.load(Ordering::Acquire),
                "{case}: end of file after {received} bytes while the writer still writes"
            );
            break;
        }
        received += chunk.len() as u64;
    }
    writing.join().expect("the writing thread");
    let stats = reader.stats();
    assert_eq!(
        stats.bytes_read + stats.bytes_dropped,
        stats.bytes_written,
        "{case}"
    );
    assert_eq!(stats.bytes_read, received, "{case}");
}

#[test]
fn overwrite_oldest_reports_end_of_file_only_once_the_writer_is_gone() {
    for capacity in [8, 40] {
        for reading in [Reading::FillBuf, Reading::ReadTimeout, Reading::Read] {
            overrun(capacity, reading);
        }
    }
}
