//! Fuzz target: a ZIP archive read from a stream (`ZipReader::from_reader` over a `Cursor`), each entry
//! streamed through `open_index` in pieces whose sizes come from the input. Must never panic, produce
//! at most the limits over all entries, and give what `read_index` gives for the same entry.
#![no_main]

use std::io::{Cursor, Read};

use libfuzzer_sys::fuzz_target;
use strata_zip::{Limits, ZipReader};

fuzz_target!(|input: &[u8]| {
    // The first byte picks the piece sizes; the rest is the archive.
    let Some((&seed, data)) = input.split_first() else {
        return;
    };
    let mut limits = Limits::default();
    limits.max_total_size = 64 << 20;
    let Ok(mut zip) = ZipReader::from_reader_with_limits(Cursor::new(data), limits) else {
        return;
    };
    let mut total = 0u64;
    for index in 0..zip.len() {
        let mut streamed = Vec::new();
        let ok = match zip.open_index(index) {
            Ok(mut entry) => {
                let mut buf = vec![0; 1 + usize::from(seed) * 64];
                let mut piece = 1 + usize::from(seed % 7);
                loop {
                    let len = piece.min(buf.len());
                    match entry.read(&mut buf[..len]) {
                        Ok(0) => break true,
                        Ok(n) => streamed.extend_from_slice(&buf[..n]),
                        Err(_) => break false,
                    }
                    piece = piece * 3 % buf.len() + 1;
                }
            }
            Err(_) => false,
        };
        total += streamed.len() as u64;
        assert!(total <= limits.max_total_size);
        if ok {
            assert_eq!(streamed.len() as u64, zip.entries()[index].size);
            if let Ok(whole) = zip.read_index(index) {
                assert_eq!(whole, streamed);
            }
        }
    }
});
