//! hound as the reference for float and WAVE_FORMAT_EXTENSIBLE: files hound writes (extensible for
//! float, for more than 16 bits and for more than 2 channels) decode, through `decode` and
//! `WavReader`, to the samples hound reads back from them.

use std::io::Cursor;

use strata_wav::{FmtChunk, SampleFormat, Strictness, WavSpec, WavStreamWriter};

use crate::{python, read_all, signal};

/// One file hound writes: channels, bits and sample format; the format and layout we must report.
#[rustfmt::skip]
const CASES: &[(u16, u16, hound::SampleFormat, SampleFormat, FmtChunk)] = &[
    (1, 32, hound::SampleFormat::Float, SampleFormat::Float32, FmtChunk::Extensible),
    (2, 32, hound::SampleFormat::Float, SampleFormat::Float32, FmtChunk::Extensible),
    (6, 32, hound::SampleFormat::Float, SampleFormat::Float32, FmtChunk::Extensible),
    (1, 8,  hound::SampleFormat::Int,   SampleFormat::Pcm8,    FmtChunk::Basic),
    (2, 8,  hound::SampleFormat::Int,   SampleFormat::Pcm8,    FmtChunk::Basic),
    (6, 16, hound::SampleFormat::Int,   SampleFormat::Pcm16,   FmtChunk::Extensible),
    (2, 24, hound::SampleFormat::Int,   SampleFormat::Pcm24,   FmtChunk::Extensible),
    (5, 32, hound::SampleFormat::Int,   SampleFormat::Pcm32,   FmtChunk::Extensible),
];

/// What hound writes for `planar` in this format, and what it reads back, scaled to 32 bits (floats
/// as their bits).
fn hound_file(
    channels: u16,
    bits: u16,
    format: hound::SampleFormat,
    planar: &[Vec<f32>],
) -> (Vec<u8>, Vec<i32>) {
    let spec = hound::WavSpec {
        channels,
        sample_rate: 44_100,
        bits_per_sample: bits,
        sample_format: format,
    };
    let mut cursor = Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut cursor, spec).expect("hound");
    for frame in 0..planar[0].len() {
        for channel in planar {
            let x = channel[frame].clamp(-1.0, 1.0);
            if format == hound::SampleFormat::Float {
                writer.write_sample(x).expect("sample");
            } else {
                let full = (1i64 << (bits - 1)) as f64;
                let v = (f64::from(x) * full).round().clamp(-full, full - 1.0) as i32;
                writer.write_sample(v).expect("sample");
            }
        }
    }
    writer.finalize().expect("finalize");
    let bytes = cursor.into_inner();
    let mut reader = hound::WavReader::new(Cursor::new(&bytes[..])).expect("hound reads");
    let back: Vec<i32> = if format == hound::SampleFormat::Float {
        reader
            .samples::<f32>()
            .map(|s| s.expect("sample").to_bits() as i32)
            .collect()
    } else {
        let shift = 32 - u32::from(bits);
        reader
            .samples::<i32>()
            .map(|s| s.expect("sample") << shift)
            .collect()
    };
    (bytes, back)
}

#[test]
fn files_hound_writes_decode_to_the_samples_hound_reads() {
    for &(channels, bits, hound_format, format, layout) in CASES {
        let planar = signal(channels.into(), 301);
        let (bytes, theirs) = hound_file(channels, bits, hound_format, &planar);
        let wav = strata_wav::decode(&bytes).expect("decode");
        let spec = *wav.spec();
        assert_eq!(
            (
                spec.channels,
                spec.sample_rate,
                spec.format,
                spec.fmt_chunk,
                spec.valid_bits,
                spec.channel_mask
            ),
            (channels, 44_100, format, layout, None, None),
            "hound {channels}x{bits}"
        );
        let ours: Vec<i32> = if format.is_float() {
            wav.samples::<f32>()
                .iter()
                .map(|x| x.to_bits() as i32)
                .collect()
        } else {
            wav.samples::<i32>()
        };
        assert_eq!(ours, theirs, "hound {channels}x{bits}");
        if !format.is_float() {
            let (streamed, salvage) = read_all(&bytes, Strictness::Strict, 17).expect("reader");
            assert_eq!(
                (streamed, salvage),
                (theirs, None),
                "hound {channels}x{bits}, WavReader"
            );
        }
    }
}

#[test]
fn hound_reads_the_valid_bits_and_channel_mask_this_crate_writes() {
    // hound reports the valid bits as its `bits_per_sample` and skips the mask; 20 valid bits in 24
    // are beyond its readers, so the 24-bit case declares 24 of 24 explicitly.
    let planar = signal(3, 50);
    let spec = WavSpec::new(3, 48_000, SampleFormat::Pcm24)
        .with_valid_bits(24)
        .with_channel_mask(0b1_0000_0011);
    let wav = spec.encode_planar(&planar).expect("encode");
    let decoded = strata_wav::decode(&wav).expect("decode");
    assert_eq!(decoded.spec().channel_mask, Some(0b1_0000_0011));
    assert_eq!(
        decoded.spec().valid_bits,
        None,
        "24 of 24 bits is all of them"
    );
    let mut reader = hound::WavReader::new(Cursor::new(&wav[..])).expect("hound");
    assert_eq!(reader.spec().bits_per_sample, 24);
    let theirs: Vec<i32> = reader
        .samples::<i32>()
        .map(|s| s.expect("sample") << 8)
        .collect();
    assert_eq!(theirs, decoded.samples::<i32>());

    let spec = WavSpec::new(1, 8_000, SampleFormat::Pcm24).with_valid_bits(20);
    let wav = spec.encode_planar(&signal(1, 50)).expect("encode");
    assert_eq!(
        u16::from_le_bytes([wav[38], wav[39]]),
        20,
        "wValidBitsPerSample"
    );
    let samples = strata_wav::decode(&wav).expect("decode").samples::<i32>();
    assert!(
        samples.iter().all(|s| s & 0xfff == 0),
        "below the 20 valid bits, zeros"
    );
}

/// strata-wav's spec as hound's, as docs/adapters.md shows it: `None` for what hound cannot write.
fn to_hound(spec: &WavSpec) -> Option<hound::WavSpec> {
    let (bits_per_sample, sample_format) = match spec.format {
        SampleFormat::Pcm8 => (8, hound::SampleFormat::Int),
        SampleFormat::Pcm16 => (16, hound::SampleFormat::Int),
        SampleFormat::Pcm24 => (24, hound::SampleFormat::Int),
        SampleFormat::Pcm32 => (32, hound::SampleFormat::Int),
        SampleFormat::Float32 => (32, hound::SampleFormat::Float),
        _ => return None, // 64-bit float, µ-law, A-law
    };
    if spec.valid_bits.is_some() {
        return None; // hound writes valid bits only as its container size
    }
    Some(hound::WavSpec {
        channels: spec.channels,
        sample_rate: spec.sample_rate,
        bits_per_sample,
        sample_format,
    })
}

/// hound's spec as strata-wav's, as docs/adapters.md shows it.
fn from_hound(spec: hound::WavSpec) -> Option<WavSpec> {
    let format = match (spec.sample_format, spec.bits_per_sample) {
        (hound::SampleFormat::Int, 8) => SampleFormat::Pcm8,
        (hound::SampleFormat::Int, 16) => SampleFormat::Pcm16,
        (hound::SampleFormat::Int, 24) => SampleFormat::Pcm24,
        (hound::SampleFormat::Int, 32) => SampleFormat::Pcm32,
        (hound::SampleFormat::Float, 32) => SampleFormat::Float32,
        _ => return None,
    };
    Some(WavSpec::new(spec.channels, spec.sample_rate, format))
}

#[test]
fn specs_convert_both_ways_as_the_docs_show() {
    for &(channels, bits, hound_format, format, _) in CASES {
        let theirs = hound::WavSpec {
            channels,
            sample_rate: 32_000,
            bits_per_sample: bits,
            sample_format: hound_format,
        };
        let ours = from_hound(theirs).expect("hound's formats all convert");
        assert_eq!(ours, WavSpec::new(channels, 32_000, format));
        assert_eq!(to_hound(&ours), Some(theirs));
        // Both write the same samples for the converted spec.
        let planar = signal(channels.into(), 20);
        let (bytes, _) = hound_file(channels, bits, hound_format, &planar);
        assert_eq!(
            from_hound(hound::WavReader::new(&bytes[..]).expect("hound").spec()).map(|s| s.format),
            Some(format)
        );
    }
    for format in [
        SampleFormat::Float64,
        SampleFormat::MuLaw,
        SampleFormat::ALaw,
    ] {
        assert_eq!(to_hound(&WavSpec::new(1, 8_000, format)), None);
    }
    let bits_20 = WavSpec::new(1, 8_000, SampleFormat::Pcm24).with_valid_bits(20);
    assert_eq!(to_hound(&bits_20), None);
}

#[test]
fn other_tools_read_patched_streams_but_not_open_ended_ones() {
    let spec = WavSpec::new(2, 44_100, SampleFormat::Pcm16);
    let write = |seekable: bool| {
        let sink = Cursor::new(Vec::new());
        let mut stream = if seekable {
            WavStreamWriter::new_seekable(sink, spec)
        } else {
            WavStreamWriter::new(sink, spec)
        }
        .expect("header");
        stream.write_interleaved(&[0i16; 200]).expect("write");
        stream.finish().expect("finish").into_inner()
    };
    let open = write(false);
    let patched = write(true);
    // hound refuses the unknown length; it reads the patched file.
    assert!(hound::WavReader::new(&open[..]).is_err());
    assert_eq!(
        hound::WavReader::new(&patched[..])
            .expect("hound")
            .duration(),
        100
    );
    // Python's `wave` takes the unknown length at its word: 0xFFFF_FFFF / 4 frames.
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/py/nframes.py");
    let out = python(&[script, &hex(&open), &hex(&patched)], Vec::new());
    assert_eq!(String::from_utf8_lossy(&out), "1073741823\n100\n");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
