//! Integration tests for strata-png (one binary; table-driven suites as modules).
//!
//! `tests/py/png_check.py` is the independent reader: python3's `zlib` checks every chunk's CRC and
//! inflates the image data, without any imaging library.

mod corpus;
mod fuzz;
mod hostile;
mod layouts;
mod python;
mod roundtrip;

use strata_png::{PixelFormat, Pixels, PngEncoder, PngError};

/// The variant of the `PngError` inside `err`, by name.
fn variant(err: &std::io::Error) -> &'static str {
    match PngError::of(err) {
        Some(PngError::WrongLength { .. }) => "WrongLength",
        Some(PngError::BadDimensions { .. }) => "BadDimensions",
        Some(PngError::LimitExceeded { .. }) => "LimitExceeded",
        Some(PngError::Invalid { .. }) => "Invalid",
        Some(PngError::Unsupported { .. }) => "Unsupported",
        _ => "untyped",
    }
}

/// Every pixel format.
const FORMATS: [PixelFormat; 8] = [
    PixelFormat::Gray8,
    PixelFormat::GrayA8,
    PixelFormat::Rgb8,
    PixelFormat::Rgba8,
    PixelFormat::Gray16,
    PixelFormat::GrayA16,
    PixelFormat::Rgb16,
    PixelFormat::Rgba16,
];

/// `width * height` pixels in `format`: a gradient mixed with noise, deterministic in `seed`.
fn test_pixels(width: u32, height: u32, format: PixelFormat, seed: u64) -> Vec<u8> {
    let len = (width * height) as usize * usize::from(format.bytes_per_pixel());
    let mut x = seed | 1;
    (0..len)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if i % 3 == 0 {
                (x >> 32) as u8
            } else {
                (i / 3) as u8
            }
        })
        .collect()
}

/// [`test_pixels`] and their PNG from the default encoder.
fn encoded(width: u32, height: u32, format: PixelFormat, seed: u64) -> (Vec<u8>, Vec<u8>) {
    let data = test_pixels(width, height, format, seed);
    let pixels = Pixels::new(&data, width, height, format).expect("pixels");
    let png = PngEncoder::new().encode(&pixels).expect("encode").to_vec();
    (data, png)
}

/// The offset of the first `IDAT` chunk type in `png`.
fn idat_offset(png: &[u8]) -> usize {
    png.windows(4)
        .position(|w| w == b"IDAT")
        .expect("an IDAT chunk")
}

/// CRC-32 (IEEE, as PNG and zlib use), bit by bit: test code only.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
