//! Fuzz target: operation sequences on one thread through a pipe under each of its three policies,
//! checked against the models of strata-pipe's tests (`tests/it/pipe_model.rs`, included here): a
//! bounded byte queue for `Block` and `Fail` (nothing lost, nothing reordered, `WouldBlock` exactly
//! when full), and for `OverwriteOldest` a subsequence of whole writes, in order, whose missing
//! bytes are exactly the counted drops. An empty `fill_buf` with data buffered fails too.
//!
//! Input: a policy byte, a capacity byte, then one byte per operation (kind in the low two bits,
//! size in the other six).
#![no_main]

use libfuzzer_sys::fuzz_target;
use strata_pipe::{Overflow, PipeBuilder};

#[path = "../../crates/strata-pipe/tests/it/pipe_model.rs"]
mod pipe_model;

use pipe_model::{Op, lossless, overwrite};

fn op(byte: u8) -> Op {
    let size = usize::from(byte >> 2);
    match byte & 3 {
        0 => Op::Write(size),
        1 => Op::Read(size),
        2 => Op::FillConsume(size),
        _ => Op::Drain,
    }
}

fuzz_target!(|data: &[u8]| {
    let [policy, size, ops @ ..] = data else {
        return;
    };
    let overflow =
        [Overflow::Block, Overflow::Fail, Overflow::OverwriteOldest][usize::from(policy % 3)];
    let capacity = usize::from(size % 64) + 1;
    let (writer, reader) = PipeBuilder::new()
        .capacity(capacity)
        .overflow(overflow)
        .build()
        .expect("a small pipe");
    let ops: Vec<Op> = ops.iter().copied().map(op).collect();
    match overflow {
        Overflow::OverwriteOldest => overwrite(writer, reader, capacity, &ops),
        _ => lossless(writer, reader, capacity, &ops),
    }
});
