//! Fuzz target: arbitrary bytes as a ZIP archive in memory. Listing and reading every entry must never
//! panic and never produce more bytes, over all reads together, than the limits allow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use strata_zip::{Limits, ZipReader};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let Ok(mut zip) = ZipReader::with_limits(bytes::Bytes::copy_from_slice(data), limits) else {
        return;
    };
    let mut total = 0u64;
    for index in 0..zip.len() {
        if let Ok(content) = zip.read_index(index) {
            total += content.len() as u64;
            assert!(content.len() as u64 == zip.entries()[index].size);
        }
    }
    assert!(total <= limits.max_total_size);
});
