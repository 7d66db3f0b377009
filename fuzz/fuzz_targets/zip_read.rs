//! Fuzz target: arbitrary bytes as a ZIP archive. Listing and reading every entry must never panic
//! and never produce more bytes than the limits allow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use strata_zip::{Limits, ZipReader};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let Ok(mut zip) = ZipReader::with_limits(bytes::Bytes::copy_from_slice(data), limits.clone())
    else {
        return;
    };
    let Ok(entries) = zip.entries() else { return };
    for entry in entries {
        if let Ok(content) = zip.read(&entry.name) {
            assert!(content.len() as u64 <= limits.max_total_size);
        }
    }
});
