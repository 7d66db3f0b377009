//! Round trips with proptest: encode → decode gives the samples back within quantisation, whatever
//! the format (every one), the layout, the container, the sample type and the path (one call, chunks,
//! stream, patched stream).

use proptest::prelude::*;
use strata_wav::{Container, FmtChunk, SampleFormat, WavSpec, WavStreamWriter};

use crate::{ALL_FORMATS, FORMATS, LAYOUTS, interleave};

/// A spec in one of `formats`, with any layout and container.
fn spec_of(formats: &'static [SampleFormat]) -> impl Strategy<Value = WavSpec> {
    (
        1u16..=8,
        prop_oneof![Just(8_000u32), Just(44_100), Just(48_000), 1u32..=400_000],
        0..formats.len(),
        0..3usize,
        any::<bool>(),
    )
        .prop_map(move |(channels, rate, format, layout, rf64)| {
            let container = if rf64 {
                Container::Rf64
            } else {
                Container::Riff
            };
            WavSpec::new(channels, rate, formats[format])
                .with_fmt_chunk(LAYOUTS[layout])
                .with_container(container)
        })
}

/// A spec of any format.
fn any_spec() -> impl Strategy<Value = WavSpec> {
    spec_of(&ALL_FORMATS)
}

/// `[channels][frames]` floats for `spec`, mostly in range, some beyond.
fn planar_for(spec: WavSpec) -> impl Strategy<Value = (WavSpec, Vec<Vec<f32>>)> {
    (0usize..64).prop_flat_map(move |frames| {
        let channel = prop::collection::vec(-1.25f32..1.25, frames);
        (
            Just(spec),
            prop::collection::vec(channel, usize::from(spec.channels)),
        )
    })
}

/// The largest error a float may come back with: one step of the format (half a step from rounding,
/// a whole one where `+1.0` saturates at `2^(n-1) - 1`), or none for float.
fn tolerance(format: SampleFormat) -> f32 {
    match format {
        SampleFormat::Float32 | SampleFormat::Float64 => 0.0,
        // G.711's widest step, at full scale, is 1024 in 16-bit units.
        SampleFormat::MuLaw | SampleFormat::ALaw => 1.0 / 32.0,
        // 32-bit PCM is read back into an f32, whose 24-bit mantissa is coarser than the format.
        SampleFormat::Pcm32 => 1.0 / (1u64 << 24) as f32,
        _ => 1.0 / (1u64 << (format.bits_per_sample() - 1)) as f32,
    }
}

proptest! {
    #[test]
    fn floats_come_back_within_one_step((spec, planar) in any_spec().prop_flat_map(planar_for)) {
        let wav = spec.encode_planar(&planar).expect("encode");
        let decoded = strata_wav::decode(&wav).expect("decode");
        prop_assert_eq!(decoded.spec().channels, spec.channels);
        prop_assert_eq!(decoded.spec().sample_rate, spec.sample_rate);
        prop_assert_eq!(decoded.spec().format, spec.format);
        prop_assert_eq!(decoded.spec().fmt_chunk, spec.fmt_chunk.resolve(&spec));
        prop_assert_eq!(decoded.spec().container, spec.container);
        let back = decoded.planar::<f32>();
        prop_assert_eq!(back.len(), planar.len());
        for (got, sent) in back.iter().flatten().zip(planar.iter().flatten()) {
            let want = if spec.format.is_float() { *sent } else { sent.clamp(-1.0, 1.0) };
            prop_assert!((got - want).abs() <= tolerance(spec.format), "{} came back as {}", sent, got);
        }
        // The interleaved encoder writes the same file.
        prop_assert_eq!(spec.encode_interleaved(&interleave(&planar)).expect("encode"), wav);
    }

    #[test]
    fn integers_come_back_exactly_when_the_format_is_wide_enough(
        spec in spec_of(&FORMATS),
        samples in prop::collection::vec(any::<i16>(), 0..64),
        wide in prop::collection::vec(any::<i32>(), 0..64),
    ) {
        let channels = usize::from(spec.channels);
        let frames = samples.len() / channels;
        let samples = &samples[..frames * channels];
        let wav = spec.encode_interleaved(samples).expect("encode");
        prop_assert_eq!(strata_wav::decode(&wav).expect("decode").samples::<i16>(), samples);

        let frames = wide.len() / channels;
        let wide = &wide[..frames * channels];
        let wav = spec.encode_interleaved(wide).expect("encode");
        let back = strata_wav::decode(&wav).expect("decode").samples::<i32>();
        let shift = 32 - u32::from(spec.format.bits_per_sample());
        for (got, sent) in back.iter().zip(wide) {
            if spec.format == SampleFormat::Float32 {
                // Through an f32: exact to 24 significant bits.
                prop_assert!((i64::from(*got) - i64::from(*sent)).abs() <= 128, "{} came back as {}", sent, got);
            } else {
                prop_assert_eq!(*got, (sent >> shift) << shift);
            }
        }
    }

    #[test]
    fn streams_and_chunks_carry_the_same_samples(
        (spec, planar) in any_spec().prop_flat_map(planar_for),
        split in 1usize..20,
    ) {
        let whole = spec.encode_planar(&planar).expect("encode");
        let expected = strata_wav::decode(&whole).expect("decode").samples::<f32>();

        let mut stream = WavStreamWriter::new(Vec::new(), spec).expect("header");
        let frames = planar[0].len();
        for start in (0..frames).step_by(split) {
            let end = frames.min(start + split);
            let part: Vec<&[f32]> = planar.iter().map(|c| &c[start..end]).collect();
            stream.write_planar(&part).expect("write");
        }
        let open = stream.finish().expect("finish");
        prop_assert_eq!(strata_wav::decode(&open).expect("decode").samples::<f32>(), expected.clone());
        // Patched in place, the stream is the one-call file, RF64 included.
        let mut seekable = WavStreamWriter::new_seekable(std::io::Cursor::new(Vec::new()), spec).expect("header");
        seekable.write_planar(&planar).expect("write");
        prop_assert_eq!(seekable.finish().expect("patch").into_inner(), whole.to_vec());

        let chunked: Vec<f32> = spec
            .encode_chunks(&planar, split)
            .expect("chunks")
            .flat_map(|wav| strata_wav::decode(&wav).expect("decode").samples::<f32>())
            .collect();
        prop_assert_eq!(chunked, expected);
    }
}

#[test]
fn an_empty_file_round_trips() {
    let spec = WavSpec::new(2, 8_000, SampleFormat::Pcm16).with_fmt_chunk(FmtChunk::Basic);
    let wav = spec.encode_interleaved::<f32>(&[]).expect("encode");
    assert_eq!(wav.len(), 44);
    let decoded = strata_wav::decode(&wav).expect("decode");
    assert_eq!(
        (decoded.frames(), decoded.is_open_ended()),
        (0, true),
        "a 0 data size reads as open-ended"
    );
    assert_eq!(decoded.planar::<f32>(), [Vec::<f32>::new(), Vec::new()]);
}
