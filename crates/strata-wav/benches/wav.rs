//! strata-wav against hound used directly (criterion; run by `cargo xtask bench`), and the stream
//! reader against the zero-copy slice decoder.
//!
//! One group per comparison: the function `strata` measures strata-wav, the others are baselines named
//! after what they are. The input is 10 s of a stereo 48 kHz signal shaped `[channels][frames]` as a
//! tensor library returns it; every baseline converts f32 to i16 with the same rounding as strata-wav
//! (clamp, scale by 32768, round half to even, saturate), so each function does the same work.

use std::hint::black_box;
use std::io::Cursor;

use criterion::{Criterion, criterion_group, criterion_main};
use strata_wav::{SampleFormat, WavReader, WavSpec};

const RATE: u32 = 48_000;
const FRAMES: usize = 10 * RATE as usize;

/// Ten seconds of a stereo tone, `[channels][frames]`.
fn tone() -> Vec<Vec<f32>> {
    (0..2)
        .map(|c| {
            (0..FRAMES)
                .map(|i| 0.8 * (i as f32 * (0.05 + 0.01 * c as f32)).sin())
                .collect()
        })
        .collect()
}

/// strata-wav's f32 → 16-bit conversion, written the same way (round half to even by adding and
/// subtracting 1.5 × 2^52, which compiles to plain SSE2 rather than a call to `rint`), for the baselines.
fn to_i16(x: f32) -> i16 {
    const ROUND: f64 = 6_755_399_441_055_744.0;
    let rounded = ((f64::from(x.clamp(-1.0, 1.0)) * 32_768.0 + ROUND) - ROUND) as i32;
    rounded.min(32_767) as i16
}

fn hound_spec() -> hound::WavSpec {
    hound::WavSpec {
        channels: 2,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    }
}

fn encode(c: &mut Criterion) {
    let planar = tone();
    let spec = WavSpec::new(2, RATE, SampleFormat::Pcm16);
    let mut group = c.benchmark_group("wav encode 10s stereo 48kHz f32 to pcm16");
    group.sample_size(20);
    group.bench_function("strata", |b| {
        b.iter(|| spec.encode_planar(black_box(&planar)).expect("encode"))
    });
    group.bench_function("hound write_sample into Cursor", |b| {
        b.iter(|| {
            let mut cursor = Cursor::new(Vec::new());
            let mut writer = hound::WavWriter::new(&mut cursor, hound_spec()).expect("hound");
            let planar = black_box(&planar);
            for (l, r) in planar[0].iter().zip(&planar[1]) {
                writer.write_sample(to_i16(*l)).expect("sample");
                writer.write_sample(to_i16(*r)).expect("sample");
            }
            writer.finalize().expect("finalize");
            cursor.into_inner()
        })
    });
    group.bench_function("hound get_i16_writer into Cursor", |b| {
        b.iter(|| {
            let mut cursor = Cursor::new(Vec::new());
            let mut writer = hound::WavWriter::new(&mut cursor, hound_spec()).expect("hound");
            let planar = black_box(&planar);
            let mut fast = writer.get_i16_writer(2 * FRAMES as u32);
            for (l, r) in planar[0].iter().zip(&planar[1]) {
                fast.write_sample(to_i16(*l));
                fast.write_sample(to_i16(*r));
            }
            fast.flush().expect("flush");
            writer.finalize().expect("finalize");
            cursor.into_inner()
        })
    });
    group.finish();
}

/// hound's reader over `source` into `[channels][frames]` f32, as its users write it.
fn hound_planar<R: std::io::Read>(source: R) -> Vec<Vec<f32>> {
    let mut reader = hound::WavReader::new(source).expect("hound");
    let mut planar = vec![Vec::with_capacity(FRAMES), Vec::with_capacity(FRAMES)];
    for (i, sample) in reader.samples::<i16>().enumerate() {
        planar[i % 2].push(f32::from(sample.expect("sample")) / 32_768.0);
    }
    planar
}

/// strata-wav's decoders against hound's reader, on the same 10 s of stereo 16-bit: the zero-copy
/// `decode` of the whole slice, and `WavReader` over a `Read` (a byte slice, so that only the decoder
/// is measured) into `[channels][frames]` output, against `decode` of the same bytes.
fn decode(c: &mut Criterion) {
    let wav = WavSpec::new(2, RATE, SampleFormat::Pcm16)
        .encode_planar(&tone())
        .expect("encode");
    let sliced = |wav: &[u8]| strata_wav::decode(wav).expect("decode").planar::<f32>();
    let mut group = c.benchmark_group("wav decode 10s stereo 48kHz pcm16 to f32 planar");
    group.sample_size(20);
    group.bench_function("strata", |b| b.iter(|| sliced(black_box(&wav))));
    group.bench_function("hound WavReader from Cursor", |b| {
        b.iter(|| hound_planar(Cursor::new(black_box(&wav[..]))))
    });
    group.finish();

    let mut group = c.benchmark_group("wav read stream 10s stereo 48kHz pcm16 to f32 planar");
    group.sample_size(20);
    group.bench_function("strata", |b| {
        b.iter(|| {
            let mut reader = WavReader::new(black_box(&wav[..])).expect("header");
            let mut planar = [vec![0f32; FRAMES], vec![0f32; FRAMES]];
            let mut at = 0;
            loop {
                let [left, right] = &mut planar;
                match reader
                    .read_planar(&mut [&mut left[at..], &mut right[at..]])
                    .expect("read")
                {
                    0 => break,
                    n => at += n,
                }
            }
            planar
        })
    });
    group.bench_function("strata decode (whole slice, zero-copy)", |b| {
        b.iter(|| sliced(black_box(&wav)))
    });
    group.bench_function("hound WavReader from a Read", |b| {
        b.iter(|| hound_planar(black_box(&wav[..])))
    });
    group.finish();
}

criterion_group!(benches, encode, decode);
criterion_main!(benches);
