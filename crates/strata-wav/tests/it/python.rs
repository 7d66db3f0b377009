//! `python3` as an independent reader: Python's `wave` module (basic PCM layout) or a `struct` parse of
//! the RIFF chunks (float and WAVE_FORMAT_EXTENSIBLE, which `wave` in 3.11 cannot read) checks the
//! header fields and every sample against the documented conversion, recomputed in Python.

use std::io::Write;

use strata_buffered::BytesIO;
use strata_wav::{FmtChunk, SampleFormat, WavSpec, WavStreamWriter};

use crate::{FORMATS, interleave, python, signal, spec};

/// One WAV for Python, with the interleaved input it was made from and the line Python must print.
struct Case {
    wav: Vec<u8>,
    input: Vec<f32>,
    expect: String,
}

/// Runs `tests/py/read_wavs.py` over every case and compares its lines with the expectations.
fn check(cases: &[Case]) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/py/read_wavs.py");
    let mut payload = Vec::new();
    for case in cases {
        payload.extend_from_slice(&(case.wav.len() as u32).to_le_bytes());
        payload.extend_from_slice(&case.wav);
        payload.extend_from_slice(&(case.input.len() as u32).to_le_bytes());
        payload.extend(case.input.iter().flat_map(|x| x.to_le_bytes()));
    }
    let out = python(&[script], payload);
    let lines: Vec<&str> = std::str::from_utf8(&out).expect("utf-8").lines().collect();
    assert_eq!(lines.len(), cases.len(), "python3 printed {lines:?}");
    for (line, case) in lines.iter().zip(cases) {
        assert_eq!(*line, case.expect);
    }
}

/// What Python prints for a correct file of `spec` holding `frames` frames.
fn expect(spec: &WavSpec, frames: usize) -> String {
    let reader = match spec.fmt_chunk.resolve(spec) {
        FmtChunk::Basic if !spec.format.is_float() => "wave",
        _ => "struct",
    };
    let width = spec.format.bytes_per_sample();
    format!(
        "{reader} {} {} {width} {frames} exact",
        spec.channels, spec.sample_rate
    )
}

#[test]
fn python_reads_every_flavour_the_encoders_write() {
    let frames = 101; // odd, so mono 24-bit data needs RIFF's pad byte
    let mut cases = Vec::new();
    for channels in [1u16, 2, 6] {
        let planar = signal(channels.into(), frames);
        let input = interleave(&planar);
        for rate in [8_000, 44_100, 48_000] {
            for format in FORMATS {
                for layout in [FmtChunk::Auto, FmtChunk::Basic] {
                    let spec = spec(channels, rate, format, layout);
                    let wav = spec.encode_planar(&planar).expect("encode");
                    cases.push(Case {
                        wav: wav.to_vec(),
                        input: input.clone(),
                        expect: expect(&spec, frames),
                    });
                }
            }
        }
    }
    // Basic PCM (27) and Auto PCM16 mono/stereo (6) go through `wave`, the rest through `struct`.
    assert_eq!(
        cases
            .iter()
            .filter(|c| c.expect.starts_with("wave"))
            .count(),
        33
    );
    check(&cases);
}

#[test]
fn python_wave_reads_a_patched_stream_written_after_other_data() {
    let mut cases = Vec::new();
    for (channels, format) in [
        (2u16, SampleFormat::Pcm16),
        (6, SampleFormat::Pcm24),
        (1, SampleFormat::Pcm24),
    ] {
        let spec = spec(channels, 44_100, format, FmtChunk::Basic);
        let planar = signal(channels.into(), 333);
        let mut sink = BytesIO::new();
        sink.write_all(b"not part of the WAV").expect("write");
        let mut stream = WavStreamWriter::new(sink, spec).expect("header");
        for part in [0..100, 100..101, 101..333] {
            let chunk: Vec<&[f32]> = planar.iter().map(|c| &c[part.clone()]).collect();
            stream.write_planar(&chunk).expect("write");
        }
        let bytes = stream.finish_seekable().expect("patch").into_bytes();
        assert_eq!(&bytes[..19], b"not part of the WAV");
        cases.push(Case {
            wav: bytes[19..].to_vec(),
            input: interleave(&planar),
            expect: expect(&spec, 333),
        });
    }
    check(&cases);
}
