//! "Fuzz" tests with proptest: valid PNGs with random bytes overwritten, cut at random points, or
//! both, never panic the decoder: each decode is `Ok` or an `Err` carrying a `PngError`, and
//! `decode` and `decode_image` agree.
//!
//! Half the cases fix every chunk's CRC after mutating, so that the damage reaches the header
//! checks, the deflate stream and the unfiltering instead of stopping at the first CRC.

use proptest::prelude::*;
use strata_png::{DecodeLimits, PngDecoder, PngError};

use crate::{FORMATS, crc32, encoded};

/// Rewrites the CRC of every complete chunk of `png` to match its (possibly mutated) contents.
fn fix_crcs(png: &mut [u8]) {
    let mut at = 8;
    while let Some(len) = png.get(at..at + 4) {
        let len = u32::from_be_bytes(len.try_into().expect("4 bytes")) as usize;
        let Some(end) = (at + 8).checked_add(len) else {
            return;
        };
        if end + 4 > png.len() {
            return;
        }
        let crc = crc32(&png[at + 4..end]);
        png[end..end + 4].copy_from_slice(&crc.to_be_bytes());
        at = end + 4;
    }
}

/// Valid PNGs of assorted formats and sizes, from the default encoder.
fn seed() -> impl Strategy<Value = Vec<u8>> {
    (0..FORMATS.len(), 1u32..24, 1u32..24, any::<u64>())
        .prop_map(|(format, width, height, seed)| encoded(width, height, FORMATS[format], seed).1)
}

/// A seed with up to 8 bytes overwritten (positions as fractions of its length), maybe cut short,
/// and maybe with its CRCs fixed.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    (
        seed(),
        proptest::collection::vec((0.0f64..1.0, any::<u8>()), 0..8),
        proptest::option::of(0.0f64..1.0),
        any::<bool>(),
    )
        .prop_map(|(mut png, writes, cut, fix)| {
            for (at, byte) in writes {
                let at = (at * png.len() as f64) as usize;
                png[at] = byte;
            }
            if let Some(cut) = cut {
                png.truncate((cut * png.len() as f64) as usize);
            }
            if fix {
                fix_crcs(&mut png);
            }
            png
        })
}

/// Decodes `png` both ways; errors must be typed, and the two ways must agree.
fn decode_both(png: &[u8]) {
    // Tighter than the defaults so that a mutated header cannot make a case allocate 512 MiB.
    let mut limits = DecodeLimits::default();
    limits.max_alloc = 16 << 20;
    let decoder = PngDecoder::new().limits(limits);
    let pixels = decoder.decode(png);
    let image = decoder.decode_image(png);
    match (&pixels, &image) {
        (Ok(pixels), Ok(image)) => {
            assert_eq!(
                (pixels.width(), pixels.height()),
                (image.width(), image.height())
            );
            assert_eq!(pixels.data(), image.as_bytes());
        }
        (Err(a), Err(b)) => {
            assert!(PngError::of(a).is_some(), "untyped error {a:?}");
            assert_eq!(a.to_string(), b.to_string());
        }
        _ => panic!(
            "decode and decode_image disagree: {:?} / {:?}",
            pixels.as_ref().map(|_| ()),
            image.as_ref().map(|_| ())
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn mutated_pngs_never_panic(png in mutated()) {
        decode_both(&png);
    }

    #[test]
    fn arbitrary_bytes_after_the_signature_never_panic(
        tail in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        decode_both(&[b"\x89PNG\r\n\x1a\n".as_slice(), &tail].concat());
    }
}

#[test]
fn every_ihdr_byte_set_to_edge_values_is_handled() {
    // Exhaustive over the IHDR: each of its 13 data bytes set to each of a few values, CRC fixed.
    let (_, png) = encoded(5, 3, FORMATS[3], 7);
    for at in 16..29 {
        for value in [0u8, 1, 2, 3, 4, 6, 7, 8, 16, 0x40, 0x7f, 0x80, 0xff] {
            let mut bad = png.clone();
            bad[at] = value;
            fix_crcs(&mut bad);
            decode_both(&bad);
        }
    }
}
