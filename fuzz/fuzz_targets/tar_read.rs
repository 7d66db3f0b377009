//! Fuzz target: arbitrary bytes as a TAR (or tar.gz) stream. Reading every entry, and every sample
//! of the same bytes as a shard, must never panic, and never yield an entry larger than the limits.
#![no_main]

use std::io::Read;

use libfuzzer_sys::fuzz_target;
use strata_tar::{Limits, ShardReader, TarReader};

fuzz_target!(|data: &[u8]| {
    let mut limits = Limits::default();
    limits.max_entry_size = 1 << 20;
    limits.max_pax_size = 64 << 10;
    if let Ok(mut reader) = TarReader::with_limits(data, limits) {
        while let Ok(Some(mut entry)) = reader.next_entry() {
            let declared = entry.info().size;
            let mut read = Vec::new();
            if entry.read_to_end(&mut read).is_ok() {
                assert_eq!(read.len() as u64, declared);
            }
            assert!(declared <= limits.max_entry_size);
        }
    }
    if let Ok(shards) = ShardReader::with_limits(data, limits) {
        for sample in shards.flatten() {
            assert!(sample.files.values().all(|f| f.len() as u64 <= limits.max_entry_size));
        }
    }
});
