//! Integration tests for strata-wav (one binary; table-driven suites as modules).

mod alloc;
mod corpus;
mod encode;
mod fuzz;
mod offset;
mod python;
mod roundtrip;
mod stream;

use strata_wav::{FmtChunk, SampleFormat, WavSpec};

/// Every sample format, for loops over the matrix.
const FORMATS: [SampleFormat; 4] = [
    SampleFormat::Pcm16,
    SampleFormat::Pcm24,
    SampleFormat::Pcm32,
    SampleFormat::Float32,
];

/// Both concrete `fmt ` layouts and the automatic choice.
const LAYOUTS: [FmtChunk; 3] = [FmtChunk::Auto, FmtChunk::Basic, FmtChunk::Extensible];

/// A spec with the given layout.
fn spec(channels: u16, rate: u32, format: SampleFormat, layout: FmtChunk) -> WavSpec {
    WavSpec::new(channels, rate, format).with_fmt_chunk(layout)
}

/// A deterministic test signal of `frames` frames per channel, `[channels][frames]`: a ramp of exact
/// binary fractions plus the values that exercise the conversions (±1, beyond ±1, infinities, ties).
fn signal(channels: usize, frames: usize) -> Vec<Vec<f32>> {
    const SPECIAL: [f32; 8] = [
        1.0,
        -1.0,
        1.5,
        -3.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        1.0 / 65536.0,
        3.0 / 65536.0,
    ];
    (0..channels)
        .map(|c| {
            (0..frames)
                .map(|i| match (i + c) % 16 {
                    k @ 0..8 => SPECIAL[k],
                    _ => ((i * 7919 + c * 104_729) % 65_521) as f32 / 32_760.0 - 1.0,
                })
                .collect()
        })
        .collect()
}

/// `[channels][frames]` → interleaved.
fn interleave<S: Copy>(planar: &[Vec<S>]) -> Vec<S> {
    let frames = planar.first().map_or(0, Vec::len);
    (0..frames)
        .flat_map(|f| planar.iter().map(move |c| c[f]))
        .collect()
}
