//! Integration tests for strata-wav (one binary; table-driven suites as modules).

mod alloc;
mod by_hound;
mod corpus;
mod cpython;
mod encode;
mod fuzz;
mod offset;
mod python;
mod reader;
mod roundtrip;
mod stream;

use std::io::{self, Read, Write};
use std::process::{Command, Stdio};

use strata_wav::{FmtChunk, Salvage, SampleFormat, Strictness, WavReader, WavSpec};

/// The sample formats of 16 bits and more, which every reader of the Python tests parses.
const FORMATS: [SampleFormat; 4] = [
    SampleFormat::Pcm16,
    SampleFormat::Pcm24,
    SampleFormat::Pcm32,
    SampleFormat::Float32,
];

/// Every sample format the crate reads and writes.
const ALL_FORMATS: [SampleFormat; 8] = [
    SampleFormat::Pcm8,
    SampleFormat::Pcm16,
    SampleFormat::Pcm24,
    SampleFormat::Pcm32,
    SampleFormat::Float32,
    SampleFormat::Float64,
    SampleFormat::MuLaw,
    SampleFormat::ALaw,
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

/// What [`read_all`] gives: the samples and the salvage report, or the samples before an error and
/// the error.
type Outcome = Result<(Vec<i32>, Option<Salvage>), (Vec<i32>, io::Error)>;

/// Every sample of `bytes` read through a [`WavReader`] in blocks of at most `block` frames, as
/// `i32`, with the salvage report; on an error, the samples read before it and the error.
fn read_all(bytes: &[u8], strictness: Strictness, block: usize) -> Outcome {
    read_all_from(bytes, strictness, block)
}

/// [`read_all`] over any source.
fn read_all_from<R: Read>(source: R, strictness: Strictness, block: usize) -> Outcome {
    let mut reader = WavReader::with_strictness(source, strictness).map_err(|e| (Vec::new(), e))?;
    let channels = usize::from(reader.spec().channels);
    let mut out = Vec::new();
    let mut buf = vec![0i32; block * channels];
    loop {
        match reader.read_interleaved(&mut buf) {
            Ok(0) => return Ok((out, reader.salvage())),
            Ok(n) => out.extend_from_slice(&buf[..n * channels]),
            Err(err) => return Err((out, err)),
        }
    }
}

/// Runs `python3` with `args` and `input` on stdin, and returns its stdout; fails the test (never
/// skips it) when `python3` is missing or fails.
fn python(args: &[&str], input: Vec<u8>) -> Vec<u8> {
    let mut child = Command::new("python3")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("python3 is required by these tests and could not start: {e}"));
    let mut stdin = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("python3 runs");
    writer
        .join()
        .expect("writer")
        .expect("python3 reads its input");
    assert!(
        out.status.success(),
        "python3 {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}
