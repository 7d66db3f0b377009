//! Fuzz target: arbitrary bytes through the PNG decoder with small limits. Must never panic nor
//! allocate past the limits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use strata_png::{DecodeLimits, PngDecoder};

fuzz_target!(|data: &[u8]| {
    let mut limits = DecodeLimits::default();
    (limits.max_width, limits.max_height, limits.max_alloc) = (512, 512, 8 << 20);
    let decoder = PngDecoder::new().limits(limits);
    let _ = decoder.decode(data);
});
