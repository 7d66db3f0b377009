//! "Fuzz" tests with proptest: arbitrary and mutated bytes never panic the decoder, and what it
//! allocates is bounded by the input's real size, whatever the headers claim.

use proptest::prelude::*;
use strata_wav::{FmtChunk, Strictness, WavReader, WavSpec};

use crate::alloc::peak_during;
use crate::{FORMATS, LAYOUTS, signal};

/// Decodes `bytes` and, if that works, converts the samples every way, checking each allocation.
fn decode_bounded(bytes: &[u8]) {
    let (result, parse_peak) = peak_during(|| {
        strata_wav::decode(bytes)
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    // Parsing allocates nothing but an error (a box and its message).
    assert!(
        parse_peak <= 512,
        "decode allocated {parse_peak} bytes: {result:?}"
    );
    // The stream reader holds one block at most (64 KiB, or one frame of at most 65535 bytes),
    // whatever the header claims, besides the caller's buffer.
    if let Ok(mut reader) = WavReader::with_strictness(bytes, Strictness::Lenient) {
        let mut buf = vec![0i32; 64 * usize::from(reader.spec().channels)];
        let (_, peak) =
            peak_during(|| while reader.read_interleaved(&mut buf).is_ok_and(|n| n > 0) {});
        assert!(peak <= 64 * 1024 + 512, "WavReader allocated {peak} bytes");
    }
    let Ok(wav) = strata_wav::decode(bytes) else {
        return;
    };
    let budget = 2 * bytes.len() + 64;
    let (samples, peak) = peak_during(|| wav.samples::<f32>().len());
    assert!(
        peak <= budget,
        "samples::<f32>() of {} input bytes allocated {peak}",
        bytes.len()
    );
    assert_eq!(samples, wav.frames() * usize::from(wav.spec().channels));
    let (_, peak) = peak_during(|| wav.samples::<i16>().len());
    assert!(peak <= budget, "samples::<i16>() allocated {peak}");
    let per_channel = usize::from(wav.spec().channels) * std::mem::size_of::<Vec<i32>>();
    let (planar, peak) = peak_during(|| wav.planar::<i32>());
    assert!(
        peak <= 2 * budget + per_channel,
        "planar::<i32>() allocated {peak}"
    );
    assert!(planar.iter().all(|c| c.len() == wav.frames()));
}

/// Valid files of assorted specs, to mutate.
fn seed() -> impl Strategy<Value = Vec<u8>> {
    (1u16..=6, 0..4usize, 0..3usize, 0usize..40).prop_map(|(channels, format, layout, frames)| {
        let spec = WavSpec::new(channels, 44_100, FORMATS[format]).with_fmt_chunk(LAYOUTS[layout]);
        let mut wav = spec
            .encode_planar(&signal(channels.into(), frames))
            .expect("encode")
            .to_vec();
        if frames % 3 == 0 {
            // Some seeds carry an extra chunk before the data, odd-sized.
            let list = [b"LIST".as_slice(), &3u32.to_le_bytes(), b"abc\0"].concat();
            let data_at = wav
                .windows(4)
                .rposition(|w| w == b"data")
                .expect("data chunk");
            wav.splice(data_at..data_at, list);
        }
        wav
    })
}

/// A change to a valid file: a byte, a 32-bit field, a cut, or an insertion.
#[derive(Debug, Clone)]
enum Mutation {
    Byte(usize, u8),
    Word(usize, u32),
    Cut(usize),
    Insert(usize, Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let special = prop_oneof![
        Just(0u32),
        Just(1),
        Just(0xffff_ffff),
        Just(0xffff_fffe),
        Just(0x8000_0000),
        any::<u32>()
    ];
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Byte(at, b)),
        // Size, channel, rate and align fields all sit on even offsets below 72.
        ((0usize..36).prop_map(|i| 2 * i), special).prop_map(|(at, w)| Mutation::Word(at, w)),
        any::<usize>().prop_map(Mutation::Cut),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, b)| Mutation::Insert(at, b)),
    ]
}

fn apply(wav: &mut Vec<u8>, mutation: &Mutation) {
    let len = wav.len().max(1);
    match mutation {
        Mutation::Byte(at, b) => {
            if let Some(slot) = wav.get_mut(at % len) {
                *slot = *b;
            }
        }
        Mutation::Word(at, w) => {
            if let Some(slot) = wav.get_mut(*at..at + 4) {
                slot.copy_from_slice(&w.to_le_bytes());
            }
        }
        Mutation::Cut(at) => wav.truncate(at % len),
        Mutation::Insert(at, bytes) => {
            let at = at % len;
            wav.splice(at..at, bytes.iter().copied());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        decode_bounded(&bytes);
    }

    #[test]
    fn riff_shaped_noise_never_panics(
        fields in prop::collection::vec(any::<u32>(), 0..20),
        ids in prop::collection::vec(prop_oneof![Just(*b"fmt "), Just(*b"data"), Just(*b"LIST"), any::<[u8; 4]>()], 0..4),
    ) {
        let mut bytes = b"RIFF\xff\xff\xff\xffWAVE".to_vec();
        for (i, field) in fields.iter().enumerate() {
            match ids.get(i % 5) {
                Some(id) if i % 5 == 0 => bytes.extend_from_slice(id),
                _ => bytes.extend_from_slice(&field.to_le_bytes()),
            }
        }
        decode_bounded(&bytes);
    }

    #[test]
    fn mutated_files_never_panic(mut wav in seed(), mutations in prop::collection::vec(mutation(), 1..4)) {
        for m in &mutations {
            apply(&mut wav, m);
        }
        decode_bounded(&wav);
    }
}

#[test]
fn a_4_gb_claim_over_a_few_bytes_allocates_nothing() {
    let spec =
        WavSpec::new(2, 8_000, strata_wav::SampleFormat::Pcm16).with_fmt_chunk(FmtChunk::Basic);
    let mut wav = spec
        .encode_interleaved(&[0i16; 8])
        .expect("encode")
        .to_vec();
    wav[40..44].copy_from_slice(&0xffff_fff0u32.to_le_bytes());
    let (result, peak) = peak_during(|| strata_wav::decode(&wav).map(|w| w.frames()));
    assert!(result.is_err());
    assert!(peak <= 512, "{peak}");
}
