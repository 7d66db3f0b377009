//! Operation sequences on one thread against a model: a bounded byte queue for `Block` and `Fail`,
//! and "a subsequence of whole writes, counted" for `OverwriteOldest`. Shared by the proptests in
//! `model.rs` and the `pipe_ops` fuzz target (which includes this file).

use std::collections::VecDeque;
use std::io::{BufRead, ErrorKind, Read, Write};

use strata_pipe::{PipeReader, PipeWriter};

/// One operation; sizes are small (the callers keep them under 80).
#[derive(Debug, Clone)]
pub(crate) enum Op {
    Write(usize),
    Read(usize),
    FillConsume(usize),
    Drain,
}

/// Reads with `op` (not a write); returns the bytes it got. `empty` says nothing is buffered: then
/// only `drain`, which never waits, runs.
fn read(reader: &mut PipeReader, op: &Op, empty: bool) -> Vec<u8> {
    match *op {
        Op::Read(n) if !empty => {
            let mut buf = vec![0; n];
            let k = reader.read(&mut buf).expect("read");
            buf.truncate(k);
            buf
        }
        Op::FillConsume(n) if !empty => {
            let view = reader.fill_buf().expect("fill_buf");
            assert!(
                !view.is_empty(),
                "fill_buf said end of file with data buffered"
            );
            let got = view[..n.min(view.len())].to_vec();
            reader.consume(got.len());
            got
        }
        Op::Drain => reader.drain().expect("drain").to_vec(),
        _ => Vec::new(),
    }
}

/// `Block` (through `try_write`, which never waits) and `Fail` on a pipe of `capacity` bytes: a
/// bounded FIFO of bytes that never loses one, `WouldBlock` exactly when full.
pub(crate) fn lossless(
    mut writer: PipeWriter,
    mut reader: PipeReader,
    capacity: usize,
    ops: &[Op],
) {
    let mut model = VecDeque::new();
    let mut next = 0u8;
    for op in ops {
        if let Op::Write(len) = *op {
            let data: Vec<u8> = (0..len).map(|i| next.wrapping_add(i as u8)).collect();
            let fits = len.min(capacity - model.len());
            match writer.try_write(&data) {
                Ok(n) => assert_eq!(n, fits),
                Err(e) => assert!(e.kind() == ErrorKind::WouldBlock && fits == 0 && len > 0),
            }
            model.extend(&data[..fits]);
            next = next.wrapping_add(fits as u8);
        } else {
            let got = read(&mut reader, op, model.is_empty());
            let expected: Vec<u8> = model.drain(..got.len()).collect();
            assert_eq!(got, expected);
        }
        let stats = writer.stats();
        assert_eq!(stats.bytes_written - stats.bytes_read, model.len() as u64);
        assert!(stats.high_water <= capacity);
    }
    drop(writer);
    let mut rest = Vec::new();
    reader.read_to_end(&mut rest).expect("read_to_end");
    assert!(
        rest.iter().eq(model.iter()),
        "the rest differs from the model"
    );
}

/// `OverwriteOldest` on a pipe of `capacity` bytes: what arrives is a subsequence of whole writes,
/// in order, and every write is either read or counted as dropped.
pub(crate) fn overwrite(
    mut writer: PipeWriter,
    mut reader: PipeReader,
    capacity: usize,
    ops: &[Op],
) {
    // Each write is its sequence number repeated, so the stream parses back unambiguously: that
    // holds for 256 writes, after which a byte would name two writes (the fuzzer found a stream that
    // parses wrongly then), so the sequence stops there.
    let mut writes: Vec<Vec<u8>> = Vec::new();
    let mut received = Vec::new();
    for op in ops {
        if let Op::Write(len) = *op {
            let Ok(id) = u8::try_from(writes.len()) else {
                break;
            };
            let data = vec![id; len.min(capacity)];
            assert_eq!(writer.write(&data).expect("write"), data.len());
            if !data.is_empty() {
                writes.push(data);
            }
        } else {
            let stats = reader.stats();
            let empty = stats.bytes_written == stats.bytes_read + stats.bytes_dropped;
            received.extend(read(&mut reader, op, empty));
        }
    }
    drop(writer);
    reader.read_to_end(&mut received).expect("read_to_end");

    let mut rest = &received[..];
    let mut kept = 0;
    for write in &writes {
        if let Some(after) = rest.strip_prefix(&write[..]) {
            rest = after;
            kept += 1;
        }
    }
    assert!(
        rest.is_empty(),
        "{received:?} is not whole writes of {writes:?}"
    );
    let stats = reader.stats();
    let total: usize = writes.iter().map(Vec::len).sum();
    assert_eq!(stats.bytes_written, total as u64);
    assert_eq!(stats.bytes_read, received.len() as u64);
    assert_eq!(stats.bytes_dropped, (total - received.len()) as u64);
    assert_eq!(stats.writes_dropped, (writes.len() - kept) as u64);
}
