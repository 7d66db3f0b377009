//! Behaviour of both ends under each policy: table-driven cases run by `check`, then the blocking
//! hand-offs between two threads (which cannot be a table of single-thread steps).

use std::io::{self, BufRead, Read, Write};
use std::thread;
use std::time::Duration;

use strata_pipe::prelude::*;
use strata_pipe::{Overflow, PipeBuilder, PipeReader, PipeStats, PipeWriter};
use strata_raw::Error;

/// One operation on one end of the pipe.
#[derive(Debug, Clone, Copy)]
enum Step {
    Write(&'static [u8]),
    WriteAll(&'static [u8]),
    TryWrite(&'static [u8]),
    Flush,
    Read(usize),
    FillBuf,
    Consume(usize),
    Drain,
    ReadTimeout(u64),
    /// Python's `read(n)` (`BufferedIoBase::read_bytes`); `usize::MAX` stands for `None`.
    ReadBytes(usize),
    /// Python's `read1(n)`.
    Read1(usize),
    /// Python's `readinto(b)` with a buffer of `n` bytes.
    ReadInto(usize),
    /// Python's `readline()`.
    ReadLine,
    /// Python's `readlines()`.
    ReadLines,
    CloseWriter,
    CloseWithError(&'static str),
    /// The writer is dropped while its thread unwinds from a panic (a writer of a fresh pipe takes
    /// its place, so writer steps after this one say nothing about the pipe under test).
    PanicWriter,
    CloseReader,
    /// `bytes_written, bytes_read, bytes_dropped, writes_dropped, high_water`, from both ends.
    Stats,
    /// `readable/writable/seekable/closed` of the writer, then of the reader.
    Caps,
}

use Step::*;

/// A case's steps, each with what it must return.
type Steps = &'static [(Step, &'static str)];

/// What a step returned: a count, bytes, `ok`, or an error as `Kind: message`
/// (`WouldBlock(n)` when it carries `characters_written`).
fn show<T>(result: io::Result<T>, ok: impl FnOnce(T) -> String) -> String {
    match result {
        Ok(value) => ok(value),
        Err(e) => match Error::characters_written(&e) {
            Some(n) => format!("WouldBlock({n})"),
            None => format!("{:?}: {e}", e.kind()),
        },
    }
}

fn bytes(data: &[u8]) -> String {
    format!("\"{}\"", data.escape_ascii())
}

fn caps(end: &dyn IoBase) -> String {
    let flag = |r: io::Result<bool>| r.map_or("E".to_string(), |b| u8::from(b).to_string());
    format!(
        "{}{}{}{}",
        flag(end.readable()),
        flag(end.writable()),
        flag(end.seekable()),
        u8::from(end.closed())
    )
}

fn stats(s: PipeStats) -> String {
    format!(
        "w{} r{} d{} dw{} hw{}",
        s.bytes_written, s.bytes_read, s.bytes_dropped, s.writes_dropped, s.high_water
    )
}

fn run(writer: &mut PipeWriter, reader: &mut PipeReader, step: Step) -> String {
    match step {
        Write(data) => show(writer.write(data), |n| n.to_string()),
        WriteAll(data) => show(writer.write_all(data), |()| "ok".into()),
        TryWrite(data) => show(writer.try_write(data), |n| n.to_string()),
        Flush => show(writer.flush(), |()| "ok".into()),
        Read(n) => {
            let mut buf = vec![0; n];
            show(reader.read(&mut buf), |k| bytes(&buf[..k]))
        }
        FillBuf => show(reader.fill_buf(), bytes),
        Consume(n) => {
            reader.consume(n);
            "ok".into()
        }
        Drain => show(reader.drain(), |b| bytes(&b)),
        ReadBytes(n) => show(
            reader.read_bytes(Some(n).filter(|&n| n != usize::MAX)),
            |b| bytes(&b),
        ),
        Read1(n) => show(reader.read1(Some(n)), |b| bytes(&b)),
        ReadInto(n) => {
            let mut buf = vec![0; n];
            show(reader.readinto(&mut buf), |k| bytes(&buf[..k]))
        }
        ReadLine => show(reader.readline(None), |b| bytes(&b)),
        ReadLines => show(reader.readlines(None), |lines| {
            let lines: Vec<String> = lines.iter().map(|line| bytes(line)).collect();
            format!("[{}]", lines.join(", "))
        }),
        ReadTimeout(ms) => show(reader.read_timeout(Duration::from_millis(ms)), |b| {
            bytes(&b)
        }),
        CloseWriter => show(writer.close(), |()| "ok".into()),
        CloseWithError(msg) => show(writer.close_with_error(io::Error::other(msg)), |()| {
            "ok".into()
        }),
        PanicWriter => {
            let (spare, _) = strata_pipe::pipe(1).expect("a pipe");
            let panicking = std::mem::replace(writer, spare);
            // `resume_unwind` unwinds as a panic does, without printing a panic message.
            let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                let _writer = panicking;
                std::panic::resume_unwind(Box::new("the writing thread fails"));
            }));
            assert!(unwound.is_err(), "the closure unwinds");
            "ok".into()
        }
        CloseReader => show(reader.close(), |()| "ok".into()),
        Stats => {
            assert_eq!(
                writer.stats(),
                reader.stats(),
                "both ends share the counters"
            );
            stats(writer.stats())
        }
        Caps => format!("{} {}", caps(writer), caps(reader)),
    }
}

/// Builds a pipe, runs `steps` and compares what each returned with `expected`.
fn check(name: &str, capacity: usize, overflow: Overflow, steps: &[(Step, &str)]) {
    let (mut writer, mut reader) = PipeBuilder::new()
        .capacity(capacity)
        .overflow(overflow)
        .build()
        .expect("valid capacity");
    for (i, &(step, expected)) in steps.iter().enumerate() {
        let got = run(&mut writer, &mut reader, step);
        assert_eq!(got, expected, "case {name:?}, step {i} ({step:?})");
    }
}

const ALL: [Overflow; 3] = [Overflow::Block, Overflow::Fail, Overflow::OverwriteOldest];

#[test]
fn capacity_zero_is_refused() {
    for overflow in ALL {
        let err = PipeBuilder::new()
            .capacity(0)
            .overflow(overflow)
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{overflow:?}");
        assert_eq!(
            err.to_string(),
            "pipe capacity must be at least 1 byte, got 0"
        );
        assert!(matches!(Error::of(&err), Some(Error::InvalidArgument(_))));
    }
    assert!(strata_pipe::pipe(0).is_err());
    assert!(strata_pipe::pipe(1).is_ok());
}

#[test]
fn huge_capacity_is_an_error_not_an_abort() {
    let err = strata_pipe::pipe(usize::MAX).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::OutOfMemory);
    let err = PipeBuilder::new()
        .capacity(usize::MAX)
        .overflow(Overflow::OverwriteOldest)
        .build();
    assert_eq!(err.unwrap_err().kind(), io::ErrorKind::InvalidInput);
}

/// Steps that behave the same under every policy (nothing ever fills the pipe).
#[test]
fn common_to_every_policy() {
    const CLOSED: &str = "InvalidInput: I/O operation on closed file.";
    const PANICKED: &str =
        "BrokenPipe: the writer panicked: the data in the pipe may be incomplete";
    let cases: &[(&str, Steps)] = &[
        (
            "write then read in pieces",
            &[
                (Write(b"abc"), "3"),
                (Read(2), "\"ab\""),
                (Drain, "\"c\""),
                (Drain, "\"\""),
            ],
        ),
        (
            "empty writes store nothing",
            &[
                (Write(b""), "0"),
                (TryWrite(b""), "0"),
                (WriteAll(b""), "ok"),
                (Stats, "w0 r0 d0 dw0 hw0"),
                (Read(0), "\"\""),
            ],
        ),
        (
            "close: data, then end of file",
            &[
                (Write(b"xy"), "2"),
                (CloseWriter, "ok"),
                (CloseWriter, "ok"),
                (Read(10), "\"xy\""),
                (Read(10), "\"\""),
                (Drain, "\"\""),
                (FillBuf, "\"\""),
                (ReadTimeout(1), "\"\""),
            ],
        ),
        (
            "close_with_error: data, the error once, then end of file",
            &[
                (Write(b"xy"), "2"),
                (CloseWithError("boom"), "ok"),
                (Read(10), "\"xy\""),
                (Read(10), "Other: boom"),
                (Read(10), "\"\""),
            ],
        ),
        (
            "Python's reads: whole requests, lines, then the closing error after the data",
            &[
                (Write(b"ab\ncd"), "5"),
                (ReadLine, "\"ab\\n\""),
                (Read1(1), "\"c\""),
                (Write(b"efgh"), "4"),
                (ReadInto(2), "\"de\""),
                (CloseWithError("boom"), "ok"),
                // Everything left, short: the error waits for the next call, so nothing is lost.
                (ReadBytes(10), "\"fgh\""),
                (ReadBytes(10), "Other: boom"),
                (ReadBytes(usize::MAX), "\"\""),
                (Read1(1), "\"\""),
                (ReadLine, "\"\""),
                (CloseReader, "ok"),
                (ReadBytes(1), "InvalidInput: I/O operation on closed file."),
            ],
        ),
        (
            "a partial line before close_with_error, then the error",
            &[
                (Write(b"abc"), "3"),
                (CloseWithError("boom"), "ok"),
                (ReadLine, "\"abc\""),
                (ReadLine, "Other: boom"),
                (ReadLine, "\"\""),
            ],
        ),
        (
            "read(None) before close_with_error, then the error",
            &[
                (Write(b"abc"), "3"),
                (CloseWithError("boom"), "ok"),
                (ReadBytes(usize::MAX), "\"abc\""),
                (ReadBytes(usize::MAX), "Other: boom"),
                (ReadBytes(usize::MAX), "\"\""),
            ],
        ),
        (
            "readlines before close_with_error, then the error",
            &[
                (Write(b"a\nbc"), "4"),
                (CloseWithError("boom"), "ok"),
                (ReadLines, "[\"a\\n\", \"bc\"]"),
                (ReadLines, "Other: boom"),
                (ReadLines, "[]"),
            ],
        ),
        (
            "a partial line before a writer panic, then the error",
            &[
                (Write(b"abc"), "3"),
                (PanicWriter, "ok"),
                (ReadLine, "\"abc\""),
                (ReadLine, PANICKED),
                (ReadLine, "\"\""),
            ],
        ),
        (
            "read(None) before a writer panic, then the error",
            &[
                (Write(b"abc"), "3"),
                (PanicWriter, "ok"),
                (ReadBytes(usize::MAX), "\"abc\""),
                (ReadBytes(usize::MAX), PANICKED),
                (ReadBytes(usize::MAX), "\"\""),
            ],
        ),
        (
            "close_with_error reaches drain too",
            &[
                (CloseWithError("boom"), "ok"),
                (Drain, "Other: boom"),
                (Drain, "\"\""),
            ],
        ),
        (
            "close_with_error reaches fill_buf and read_timeout",
            &[
                (Write(b"z"), "1"),
                (CloseWithError("late"), "ok"),
                (ReadTimeout(1), "\"z\""),
                (ReadTimeout(1), "Other: late"),
                (FillBuf, "\"\""),
            ],
        ),
        (
            "close_with_error on a closed writer is refused",
            &[
                (CloseWriter, "ok"),
                (CloseWithError("lost"), CLOSED),
                (Read(1), "\"\""),
            ],
        ),
        (
            "writes after close",
            &[
                (CloseWriter, "ok"),
                (Write(b"x"), "InvalidInput: write to closed file"),
                (TryWrite(b"x"), "InvalidInput: write to closed file"),
                (Flush, CLOSED),
            ],
        ),
        (
            "writes after the reader is gone",
            &[
                (Write(b"ab"), "2"),
                (CloseReader, "ok"),
                (CloseReader, "ok"),
                (
                    Write(b"x"),
                    "BrokenPipe: broken pipe: the reading end is closed",
                ),
                (
                    TryWrite(b"x"),
                    "BrokenPipe: broken pipe: the reading end is closed",
                ),
                (
                    WriteAll(b"x"),
                    "BrokenPipe: broken pipe: the reading end is closed",
                ),
            ],
        ),
        (
            "reads after the reader closed",
            &[
                (Write(b"ab"), "2"),
                (CloseReader, "ok"),
                (Read(1), CLOSED),
                (Drain, CLOSED),
                (FillBuf, CLOSED),
                (ReadTimeout(1), CLOSED),
                // Python's reads check first, even when asked for nothing.
                (ReadBytes(0), CLOSED),
                (ReadInto(0), CLOSED),
                (ReadLines, CLOSED),
            ],
        ),
        (
            "read_timeout: nothing yet, then data, then end of file",
            &[
                (
                    ReadTimeout(1),
                    "TimedOut: no data arrived in the pipe before the timeout",
                ),
                (Write(b"tick"), "4"),
                (ReadTimeout(1000), "\"tick\""),
                (CloseWriter, "ok"),
                (ReadTimeout(1000), "\"\""),
            ],
        ),
        (
            "fill_buf and consume",
            &[
                (Write(b"hello"), "5"),
                (FillBuf, "\"hello\""),
                (Consume(2), "ok"),
                (FillBuf, "\"llo\""),
                (Consume(99), "ok"),
                (Drain, "\"\""),
                (Write(b"!"), "1"),
                (Drain, "\"!\""),
            ],
        ),
        (
            "IoBase capabilities and close",
            &[
                (Caps, "0100 1000"),
                (CloseWriter, "ok"),
                (Caps, "EEE1 1000"),
                (CloseReader, "ok"),
                (Caps, "EEE1 EEE1"),
            ],
        ),
    ];
    for overflow in ALL {
        for (name, steps) in cases {
            check(&format!("{name} ({overflow:?})"), 16, overflow, steps);
        }
    }
}

#[test]
fn full_pipe_under_block_and_fail() {
    let cases: &[(&str, Overflow, Steps)] = &[
        (
            "block: try_write never waits",
            Overflow::Block,
            &[
                (TryWrite(b"abcdef"), "4"),
                (TryWrite(b"g"), "WouldBlock(0)"),
                (Read(1), "\"a\""),
                (Write(b"gh"), "1"),
                (Stats, "w5 r1 d0 dw0 hw4"),
                (Drain, "\"bcdg\""),
            ],
        ),
        (
            "fail: short write, then WouldBlock",
            Overflow::Fail,
            &[
                (Write(b"abcdef"), "4"),
                (Write(b"x"), "WouldBlock(0)"),
                (Read(1), "\"a\""),
                (WriteAll(b"xyz"), "WouldBlock(1)"),
                (Drain, "\"bcdx\""),
                (WriteAll(b"1234"), "ok"),
                (Stats, "w9 r5 d0 dw0 hw4"),
            ],
        ),
        (
            "fail: nothing is dropped",
            Overflow::Fail,
            &[
                (WriteAll(b"abcdefgh"), "WouldBlock(4)"),
                (Read(99), "\"abcd\""),
                (Stats, "w4 r4 d0 dw0 hw4"),
            ],
        ),
    ];
    for (name, overflow, steps) in cases {
        check(name, 4, *overflow, steps);
    }
}

#[test]
fn overwrite_oldest_drops_whole_writes() {
    let cases: &[(&str, usize, Steps)] = &[
        (
            "the oldest writes make room",
            8,
            &[
                (Write(b"aaaa"), "4"),
                (Write(b"bbbb"), "4"),
                (Write(b"cccc"), "4"),
                (Drain, "\"cccc\""),
                (Stats, "w12 r4 d8 dw2 hw8"),
            ],
        ),
        (
            "small writes go first, as few as needed",
            8,
            &[
                (Write(b"a"), "1"),
                (Write(b"b"), "1"),
                (Write(b"cc"), "2"),
                (Write(b"dd"), "2"),
                (Drain, "\"ccdd\""),
                (Stats, "w6 r4 d2 dw2 hw12"),
            ],
        ),
        (
            "a write longer than the capacity is a short write",
            4,
            &[
                (Write(b"abcdefgh"), "4"),
                (Drain, "\"abcd\""),
                (WriteAll(b"abcdefgh"), "ok"),
                (Drain, "\"efgh\""),
                (Stats, "w12 r8 d4 dw1 hw8"),
            ],
        ),
        (
            "a write the reader started is delivered whole",
            8,
            &[
                (Write(b"aaaa"), "4"),
                (Read(2), "\"aa\""),
                (Write(b"bbbb"), "4"),
                (Write(b"cccc"), "4"),
                (Read(10), "\"aacccc\""),
                (Stats, "w12 r8 d4 dw1 hw8"),
            ],
        ),
        (
            "fill_buf shows one write at a time",
            16,
            &[
                (Write(b"ab"), "2"),
                (Write(b"cd"), "2"),
                (FillBuf, "\"ab\""),
                (Consume(1), "ok"),
                (FillBuf, "\"b\""),
                (Consume(1), "ok"),
                (FillBuf, "\"cd\""),
                (Write(b"ef"), "2"),
                (Consume(2), "ok"),
                (FillBuf, "\"ef\""),
                (Consume(2), "ok"),
                (Stats, "w6 r6 d0 dw0 hw12"),
            ],
        ),
        (
            "try_write and write_all never fail for room",
            4,
            &[
                (TryWrite(b"abcd"), "4"),
                (TryWrite(b"efgh"), "4"),
                (WriteAll(b"ijkl"), "ok"),
                (Read(99), "\"ijkl\""),
                (Stats, "w12 r4 d8 dw2 hw8"),
            ],
        ),
    ];
    for (name, capacity, steps) in cases {
        check(name, *capacity, Overflow::OverwriteOldest, steps);
    }
}

#[test]
fn fill_buf_lends_the_ring_without_copying() {
    let (mut writer, mut reader) = strata_pipe::pipe(8).unwrap();
    writer.write_all(b"abcdef").unwrap();
    let mut first = [0; 4];
    reader.read_exact(&mut first).unwrap();
    writer.write_all(b"ghij").unwrap(); // "efgh" fill the ring's last 4 bytes, "ij" wraps
    let view = reader.fill_buf().unwrap();
    assert_eq!(
        view, b"efgh",
        "fill_buf stops at the end of the ring's storage"
    );
    let end_of_ring = view.as_ptr_range().end;
    assert_eq!(
        reader.fill_buf().unwrap().as_ptr(),
        end_of_ring.wrapping_sub(4),
        "same view"
    );
    reader.consume(4);
    let view = reader.fill_buf().unwrap();
    assert_eq!(view, b"ij");
    // The wrapped part starts 8 bytes (the ring's size) before where the first part ended: both
    // slices are views of the same 8-byte ring, not copies.
    assert_eq!(view.as_ptr().wrapping_add(8), end_of_ring);
}

#[test]
fn a_full_block_pipe_waits_for_the_reader() {
    let (mut writer, mut reader) = strata_pipe::pipe(4).unwrap();
    let producer = thread::spawn(move || {
        writer.write_all(b"0123456789").unwrap();
        writer.stats()
    });
    // Nobody reads until the writer has had to wait: it must, since 10 bytes do not fit in 4.
    while reader.stats().writer_waits == 0 {
        thread::yield_now();
    }
    let mut all = Vec::new();
    reader.read_to_end(&mut all).unwrap();
    let stats = producer.join().unwrap();
    assert_eq!(all, b"0123456789");
    assert!(stats.writer_waits >= 1);
    assert_eq!(stats.high_water, 4);
}

#[test]
fn a_waiting_reader_wakes_for_data_and_for_end_of_file() {
    for overflow in ALL {
        let (mut writer, mut reader) = PipeBuilder::new()
            .capacity(64)
            .overflow(overflow)
            .build()
            .unwrap();
        let consumer = thread::spawn(move || {
            let mut all = Vec::new();
            reader.read_to_end(&mut all).map(|_| all)
        });
        for chunk in [&b"first "[..], b"second"] {
            thread::sleep(Duration::from_millis(5)); // lets the reader fall asleep first (not asserted)
            writer.write_all(chunk).unwrap();
        }
        drop(writer);
        assert_eq!(
            consumer.join().unwrap().unwrap(),
            b"first second",
            "{overflow:?}"
        );
    }
}

#[test]
fn read_timeout_returns_as_soon_as_data_arrives() {
    let (mut writer, mut reader) = strata_pipe::pipe(64).unwrap();
    let producer = thread::spawn(move || {
        thread::sleep(Duration::from_millis(5));
        writer.write_all(b"late").unwrap();
        writer
    });
    assert_eq!(
        reader.read_timeout(Duration::from_secs(600)).unwrap(),
        &b"late"[..]
    );
    drop(producer.join().unwrap());
    assert!(
        reader.read_timeout(Duration::MAX).unwrap().is_empty(),
        "end of file, no overflow"
    );
}

#[test]
fn dropping_the_reader_wakes_a_blocked_writer() {
    let (mut writer, reader) = strata_pipe::pipe(2).unwrap();
    let producer = thread::spawn(move || writer.write_all(b"more than fits"));
    while reader.stats().writer_waits == 0 {
        thread::yield_now();
    }
    drop(reader);
    let err = producer.join().unwrap().unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
}

#[test]
fn ends_move_between_threads_and_debug_print() {
    fn is_send<T: Send>(_: &T) {}
    let (writer, reader) = strata_pipe::pipe(8).unwrap();
    is_send(&writer);
    is_send(&reader);
    let text = format!("{writer:?} {reader:?}");
    assert!(
        text.contains("PipeWriter") && text.contains("overflow: Block"),
        "{text}"
    );
}

#[test]
fn overwrite_drain_never_ends_inside_a_write() {
    const BLOCK: usize = 1920;
    let (mut writer, mut reader) = PipeBuilder::new()
        .capacity(8 * BLOCK)
        .overflow(Overflow::OverwriteOldest)
        .build()
        .unwrap();
    let producer = thread::spawn(move || {
        for i in 0..20_000u32 {
            writer.write_all(&[i as u8; BLOCK]).unwrap();
        }
    });
    let mut drained = 0;
    loop {
        let finished = producer.is_finished();
        let chunk = reader.drain().unwrap();
        assert_eq!(chunk.len() % BLOCK, 0, "drain cut a write");
        for block in chunk.chunks(BLOCK) {
            assert!(
                block.iter().all(|&b| b == block[0]),
                "a block mixes two writes"
            );
        }
        drained += chunk.len();
        if finished && chunk.is_empty() {
            break;
        }
    }
    producer.join().unwrap();
    let stats = reader.stats();
    assert_eq!(drained as u64 + stats.bytes_dropped, 20_000 * BLOCK as u64);
}

/// How a read waiting in the middle of its request meets the writer's end.
#[derive(Debug, Clone, Copy)]
enum WaitingRead {
    /// `read(None)`.
    All,
    /// `readline()`.
    Line,
    /// `readlines()`.
    Lines,
}

/// A read that took `abc` and waits for more when the writer fails (closes with an error, or its
/// thread panics) returns `abc`; the error comes with the next call, then the end of file.
#[test]
fn a_waiting_read_keeps_its_bytes_when_the_writer_fails() {
    const READS: [WaitingRead; 3] = [WaitingRead::All, WaitingRead::Line, WaitingRead::Lines];
    let endings: [(bool, &str); 2] = [
        (false, "boom"),
        (
            true,
            "the writer panicked: the data in the pipe may be incomplete",
        ),
    ];
    for overflow in ALL {
        for read in READS {
            for (panics, message) in endings {
                let case = format!("{overflow:?}, {read:?}, panics: {panics}");
                let (mut writer, mut reader) = PipeBuilder::new()
                    .capacity(64)
                    .overflow(overflow)
                    .build()
                    .unwrap();
                let producer = thread::spawn(move || {
                    writer.write_all(b"abc").unwrap();
                    // The reader took the bytes: it now waits for more (or is about to).
                    while writer.stats().bytes_read < 3 {
                        thread::yield_now();
                    }
                    if panics {
                        std::panic::resume_unwind(Box::new("the writing thread fails"));
                    }
                    writer.close_with_error(io::Error::other("boom")).unwrap();
                });
                let mut next = || -> io::Result<Vec<u8>> {
                    Ok(match read {
                        WaitingRead::All => reader.read_bytes(None)?.to_vec(),
                        WaitingRead::Line => reader.readline(None)?.to_vec(),
                        WaitingRead::Lines => reader.readlines(None)?.concat(),
                    })
                };
                assert_eq!(next().unwrap(), b"abc", "{case}");
                let err = next().unwrap_err();
                assert_eq!(err.to_string(), message, "{case}");
                assert_eq!(next().unwrap(), b"", "{case}");
                assert_eq!(producer.join().is_err(), panics, "{case}");
            }
        }
    }
}
