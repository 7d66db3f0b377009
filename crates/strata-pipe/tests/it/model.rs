//! Random operation sequences on one thread, checked against a model: a bounded byte queue for
//! `Block` and `Fail`, and "a subsequence of whole writes, counted" for `OverwriteOldest`.

use std::collections::VecDeque;
use std::io::{BufRead, ErrorKind, Read, Write};

use proptest::prelude::*;
use strata_pipe::{Overflow, PipeBuilder, PipeReader};

#[derive(Debug, Clone)]
enum Op {
    Write(usize),
    Read(usize),
    FillConsume(usize),
    Drain,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0usize..80).prop_map(Op::Write),
        1 => (0usize..80).prop_map(Op::Read),
        1 => (0usize..80).prop_map(Op::FillConsume),
        1 => Just(Op::Drain),
    ]
}

/// Reads with `op` (not a write); returns the bytes it got.
fn read(reader: &mut PipeReader, op: &Op, empty: bool) -> Vec<u8> {
    match *op {
        // A read on an empty pipe would wait for the writer: only read when something is there.
        Op::Read(n) if !empty => {
            let mut buf = vec![0; n];
            let k = reader.read(&mut buf).unwrap();
            buf.truncate(k);
            buf
        }
        Op::FillConsume(n) if !empty => {
            let view = reader.fill_buf().unwrap();
            let got = view[..n.min(view.len())].to_vec();
            reader.consume(got.len());
            got
        }
        Op::Drain => reader.drain().unwrap().to_vec(),
        _ => Vec::new(),
    }
}

proptest! {
    /// `Block` (through `try_write`) and `Fail`: a bounded FIFO of bytes that never loses one.
    #[test]
    fn lossless_pipes_are_bounded_fifos(
        capacity in 1usize..64,
        fail in any::<bool>(),
        ops in prop::collection::vec(op(), 1..60),
    ) {
        let overflow = if fail { Overflow::Fail } else { Overflow::Block };
        let (mut writer, mut reader) =
            PipeBuilder::new().capacity(capacity).overflow(overflow).build().unwrap();
        let mut model = VecDeque::new();
        let mut next = 0u8;
        for op in &ops {
            if let Op::Write(len) = *op {
                let data: Vec<u8> = (0..len).map(|i| next.wrapping_add(i as u8)).collect();
                let fits = len.min(capacity - model.len());
                match writer.try_write(&data) {
                    Ok(n) => prop_assert_eq!(n, fits),
                    Err(e) => prop_assert!(e.kind() == ErrorKind::WouldBlock && fits == 0 && len > 0),
                }
                model.extend(&data[..fits]);
                next = next.wrapping_add(fits as u8);
            } else {
                let got = read(&mut reader, op, model.is_empty());
                let expected: Vec<u8> = model.drain(..got.len()).collect();
                prop_assert_eq!(got, expected);
            }
            let stats = writer.stats();
            prop_assert_eq!(stats.bytes_written - stats.bytes_read, model.len() as u64);
            prop_assert!(stats.high_water <= capacity);
        }
    }

    /// `OverwriteOldest`: what arrives is a subsequence of whole writes, in order, and every write
    /// is either read or counted as dropped.
    #[test]
    fn overwrite_delivers_a_subsequence_of_whole_writes(
        capacity in 1usize..64,
        ops in prop::collection::vec(op(), 1..60),
    ) {
        let (mut writer, mut reader) =
            PipeBuilder::new().capacity(capacity).overflow(Overflow::OverwriteOldest).build().unwrap();
        // Each write is its sequence number repeated, so the stream parses back unambiguously.
        let mut writes: Vec<Vec<u8>> = Vec::new();
        let mut received = Vec::new();
        for op in &ops {
            if let Op::Write(len) = *op {
                let data = vec![writes.len() as u8; len.min(capacity)];
                prop_assert_eq!(writer.write(&data).unwrap(), data.len());
                if !data.is_empty() {
                    writes.push(data);
                }
            } else {
                let empty = reader.stats().bytes_written
                    == reader.stats().bytes_read + reader.stats().bytes_dropped;
                received.extend(read(&mut reader, op, empty));
            }
        }
        drop(writer);
        reader.read_to_end(&mut received).unwrap();

        let mut rest = &received[..];
        let mut kept = 0;
        for write in &writes {
            if let Some(after) = rest.strip_prefix(&write[..]) {
                rest = after;
                kept += 1;
            }
        }
        prop_assert!(rest.is_empty(), "{:?} is not whole writes of {:?}", received, writes);
        let stats = reader.stats();
        let total: usize = writes.iter().map(Vec::len).sum();
        prop_assert_eq!(stats.bytes_written, total as u64);
        prop_assert_eq!(stats.bytes_read, received.len() as u64);
        prop_assert_eq!(stats.bytes_dropped, (total - received.len()) as u64);
        prop_assert_eq!(stats.writes_dropped, (writes.len() - kept) as u64);
    }
}
