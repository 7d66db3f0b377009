//! The one-call encoders and the chunk encoder: argument errors, and hound as a second opinion.

use std::io::{self, Cursor};

use strata_raw::Error;
use strata_wav::{FmtChunk, SampleFormat, WavSpec};

use crate::{FORMATS, LAYOUTS, interleave, signal, spec};

/// Checks that `result` failed with `InvalidInput` and a message containing `message`.
fn check<T: std::fmt::Debug>(what: &str, result: io::Result<T>, message: &str) {
    let err = result.expect_err(what);
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{what}: {err}");
    assert!(
        matches!(Error::of(&err), Some(Error::InvalidArgument(_))),
        "{what}: {err:?}"
    );
    assert!(err.to_string().contains(message), "{what}: {err}");
}

#[test]
fn invalid_specs_and_inputs_are_refused_with_a_reason() {
    let stereo = WavSpec::new(2, 48_000, SampleFormat::Pcm16);
    let two = [vec![0f32; 4], vec![0f32; 4]];
    check(
        "zero channels",
        WavSpec::new(0, 8_000, SampleFormat::Pcm16).encode_interleaved(&[0i16]),
        "at least 1 channel",
    );
    check(
        "rate 0",
        WavSpec::new(1, 0, SampleFormat::Pcm16).encode_interleaved(&[0i16]),
        "sample rate",
    );
    check(
        "frame too wide",
        WavSpec::new(20_000, 8_000, SampleFormat::Pcm32).encode_interleaved(&[0i16; 0]),
        "80000-byte frame",
    );
    check(
        "byte rate too high",
        WavSpec::new(16_000, u32::MAX, SampleFormat::Pcm16).encode_interleaved(&[0i16; 0]),
        "bytes per second",
    );
    check(
        "valid bits on float",
        WavSpec::new(1, 8_000, SampleFormat::Float32)
            .with_valid_bits(24)
            .encode_interleaved(&[0f32]),
        "valid bits apply to integer PCM, not Float32",
    );
    for bits in [0, 25] {
        check(
            "valid bits outside the container",
            WavSpec::new(1, 8_000, SampleFormat::Pcm24)
                .with_valid_bits(bits)
                .encode_interleaved(&[0f32]),
            &format!("{bits} valid bits do not fit a 24-bit sample"),
        );
    }
    check(
        "a channel mask in the basic layout",
        WavSpec::new(2, 8_000, SampleFormat::Pcm16)
            .with_channel_mask(3)
            .with_fmt_chunk(FmtChunk::Basic)
            .encode_interleaved(&[0i16; 2]),
        "need the extensible `fmt ` layout",
    );
    check(
        "channel count mismatch",
        stereo.encode_planar(&two[..1]),
        "the spec says 2 channels but 1 were given",
    );
    check(
        "ragged channels",
        stereo.encode_planar(&[vec![0f32; 4], vec![0f32; 3]]),
        "channel 1 has 3 frames but channel 0 has 4",
    );
    let many = vec![[0i16; 0]; 70_000];
    check(
        "more than 65535 channels",
        stereo.encode_planar(&many),
        "70000 channels given; WAV allows at most 65535",
    );
    check(
        "partial frame",
        stereo.encode_interleaved(&[0f32; 3]),
        "3 interleaved samples",
    );
    check(
        "chunk of 0 frames",
        stereo.encode_chunks(&two, 0),
        "frames_per_chunk",
    );
    check(
        "chunk errors come first",
        stereo.encode_chunks(&two[..1], 2),
        "the spec says 2",
    );
}

#[test]
fn more_than_4_gib_of_samples_is_refused_before_allocating() {
    // 16383 channels of the same 65600-sample slice: 4.3 GB of samples from 256 KiB of memory.
    let wide = WavSpec::new(16_383, 1, SampleFormat::Float32); // 65532-byte frames
    let frames = vec![0f32; 65_600];
    let channels: Vec<&[f32]> = (0..16_383).map(|_| &frames[..]).collect();
    check(
        "over 4 GiB",
        wide.encode_planar(&channels),
        "do not fit in a RIFF file's 4 GiB; choose `Container::Rf64`",
    );
    let chunks = wide.encode_chunks(&channels, 2).expect("small chunks fit");
    assert_eq!(chunks.len(), 32_800);
}

#[test]
fn headers_match_hound_byte_for_byte_for_pcm() {
    for channels in [1u16, 2, 3, 6, 8] {
        for format in [
            SampleFormat::Pcm16,
            SampleFormat::Pcm24,
            SampleFormat::Pcm32,
        ] {
            let spec = WavSpec::new(channels, 44_100, format);
            let planar = signal(channels.into(), 64); // even data: hound writes no pad byte
            let ours = spec.encode_planar(&planar).expect("encode");
            let bits = format.bits_per_sample();
            let hound_spec = hound::WavSpec {
                channels,
                sample_rate: 44_100,
                bits_per_sample: bits,
                sample_format: hound::SampleFormat::Int,
            };
            let mut cursor = Cursor::new(Vec::new());
            let mut writer = hound::WavWriter::new(&mut cursor, hound_spec).expect("hound");
            let decoded = strata_wav::decode(&ours).expect("decode");
            for sample in decoded.samples::<i32>() {
                writer
                    .write_sample(sample >> (32 - u32::from(bits)))
                    .expect("hound write");
            }
            writer.finalize().expect("hound finalize");
            assert_eq!(ours, cursor.into_inner(), "{spec:?}");
        }
    }
}

#[test]
fn hound_reads_every_flavour_with_the_same_samples() {
    for channels in [1u16, 2, 6] {
        let planar = signal(channels.into(), 37);
        for format in FORMATS {
            for layout in LAYOUTS {
                let spec = spec(channels, 22_050, format, layout);
                let wav = spec.encode_planar(&planar).expect("encode");
                let mut reader =
                    hound::WavReader::new(Cursor::new(&wav[..])).expect("hound parses");
                let got = reader.spec();
                assert_eq!(
                    (got.channels, got.sample_rate, got.bits_per_sample),
                    (channels, 22_050, format.bits_per_sample())
                );
                let ours = strata_wav::decode(&wav).expect("decode");
                if format.is_float() {
                    let theirs: Vec<f32> = reader
                        .samples::<f32>()
                        .collect::<Result<_, _>>()
                        .expect("samples");
                    assert_eq!(theirs, ours.samples::<f32>(), "{spec:?}");
                    assert_eq!(theirs, interleave(&planar), "{spec:?}");
                } else {
                    let theirs: Vec<i32> = reader
                        .samples::<i32>()
                        .collect::<Result<_, _>>()
                        .expect("samples");
                    let shift = 32 - u32::from(format.bits_per_sample());
                    let ours: Vec<i32> = ours.samples::<i32>().iter().map(|s| s >> shift).collect();
                    assert_eq!(theirs, ours, "{spec:?}");
                }
            }
        }
    }
}

#[test]
fn layouts_are_chosen_as_documented() {
    let check = |spec: WavSpec, tag: u16, header: usize| {
        let wav = spec
            .encode_interleaved(&vec![0i16; 2 * usize::from(spec.channels)])
            .expect("encode");
        assert_eq!(u16::from_le_bytes([wav[20], wav[21]]), tag, "{spec:?}");
        assert_eq!(
            wav.len() - 2 * usize::try_from(spec.block_align()).expect("small"),
            header,
            "{spec:?}"
        );
        let found = strata_wav::decode(&wav).expect("decode").spec().fmt_chunk;
        assert_eq!(found, spec.fmt_chunk.resolve(&spec), "{spec:?}");
    };
    check(WavSpec::new(2, 8_000, SampleFormat::Pcm16), 1, 44);
    check(WavSpec::new(2, 8_000, SampleFormat::Float32), 3, 46);
    check(WavSpec::new(1, 8_000, SampleFormat::Pcm24), 0xfffe, 68);
    check(WavSpec::new(3, 8_000, SampleFormat::Float32), 0xfffe, 68);
    check(spec(6, 8_000, SampleFormat::Pcm32, FmtChunk::Basic), 1, 44);
    check(
        spec(1, 8_000, SampleFormat::Float32, FmtChunk::Extensible),
        0xfffe,
        68,
    );
}

#[test]
fn chunks_are_complete_files_that_add_up_to_the_input() {
    let spec = WavSpec::new(2, 16_000, SampleFormat::Pcm24);
    let planar = signal(2, 1000);
    let whole = strata_wav::decode(&spec.encode_planar(&planar).expect("encode"))
        .expect("decode")
        .samples::<i32>();
    for per_chunk in [1, 7, 333, 1000, 5000] {
        let chunks: Vec<_> = spec
            .encode_chunks(&planar, per_chunk)
            .expect("chunks")
            .collect();
        assert_eq!(chunks.len(), 1000usize.div_ceil(per_chunk));
        let joined: Vec<i32> = chunks
            .iter()
            .flat_map(|wav| strata_wav::decode(wav).expect("decode").samples::<i32>())
            .collect();
        assert_eq!(joined, whole, "{per_chunk} frames per chunk");
    }
    let empty: [&[f32]; 2] = [&[], &[]];
    assert_eq!(spec.encode_chunks(&empty, 10).expect("chunks").count(), 0);
}
