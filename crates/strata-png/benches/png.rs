//! PNG encode through `strata-png` against `image` directly (criterion; run by `cargo xtask bench`).
//!
//! One group: `strata` is [`PngEncoder::encode`] (length check, then `image`'s encoder into memory);
//! `image PngEncoder` calls `image::codecs::png::PngEncoder::write_image` into a `Vec` with the same
//! options. The image is 1024x1024 RGB: smooth gradients with some noise, like a rendered chart.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use image::ImageEncoder;
use image::codecs::png::{CompressionType, FilterType};
use strata_png::{PixelFormat, Pixels, PngEncoder};

const SIDE: u32 = 1024;

fn picture() -> Vec<u8> {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut out = Vec::with_capacity((SIDE * SIDE * 3) as usize);
    for y in 0..SIDE {
        for col in 0..SIDE {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let noise = (x & 0x0f) as u8;
            out.extend_from_slice(&[
                (col / 4) as u8 ^ noise,
                (y / 4) as u8,
                ((col + y) / 8) as u8,
            ]);
        }
    }
    out
}

fn encode(c: &mut Criterion) {
    let data = picture();
    let pixels = Pixels::new(&data, SIDE, SIDE, PixelFormat::Rgb8).expect("pixels");
    let mut group = c.benchmark_group("png encode 1024x1024 rgb8 (fast, adaptive)");
    group.sample_size(20);
    group.bench_function("strata", |b| {
        let encoder = PngEncoder::new()
            .compression(CompressionType::Fast)
            .filter(FilterType::Adaptive);
        b.iter(|| encoder.encode(black_box(&pixels)).expect("encode"))
    });
    group.bench_function("image PngEncoder", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                CompressionType::Fast,
                FilterType::Adaptive,
            )
            .write_image(black_box(&data), SIDE, SIDE, image::ExtendedColorType::Rgb8)
            .expect("encode");
            out
        })
    });
    group.finish();
}

criterion_group!(benches, encode);
criterion_main!(benches);
