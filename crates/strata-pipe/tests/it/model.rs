//! Random operation sequences on one thread, checked against the models in `pipe_model.rs`: a
//! bounded byte queue for `Block` and `Fail`, and "a subsequence of whole writes, counted" for
//! `OverwriteOldest`.

use proptest::prelude::*;
use strata_pipe::{Overflow, PipeBuilder};

use crate::pipe_model::{Op, lossless, overwrite};

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0usize..80).prop_map(Op::Write),
        1 => (0usize..80).prop_map(Op::Read),
        1 => (0usize..80).prop_map(Op::FillConsume),
        1 => Just(Op::Drain),
    ]
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
        let (writer, reader) =
            PipeBuilder::new().capacity(capacity).overflow(overflow).build().unwrap();
        lossless(writer, reader, capacity, &ops);
    }

    /// `OverwriteOldest`: what arrives is a subsequence of whole writes, in order, and every write
    /// is either read or counted as dropped.
    #[test]
    fn overwrite_delivers_a_subsequence_of_whole_writes(
        capacity in 1usize..64,
        ops in prop::collection::vec(op(), 1..60),
    ) {
        let (writer, reader) =
            PipeBuilder::new().capacity(capacity).overflow(Overflow::OverwriteOldest).build().unwrap();
        overwrite(writer, reader, capacity, &ops);
    }
}
