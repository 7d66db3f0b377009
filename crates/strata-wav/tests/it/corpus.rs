//! The checked-in hostile corpus (`tests/corpus/`, made by `make_corpus.py`): every file decodes to
//! the outcome in the table, and every error names its problem.

use std::io::ErrorKind;

use strata_wav::{Strictness, WavError};

use crate::read_all;

/// What decoding a corpus file must give.
enum Expect {
    /// Decodes: frames, and whether the data ran to the end of the input.
    Frames(usize, bool),
    /// Fails with this kind, this `WavError` variant (by name) and a message containing this text.
    Error(ErrorKind, &'static str, &'static str),
}

use ErrorKind::{InvalidData as Data, UnexpectedEof as Eof, Unsupported};
use Expect::{Error as E, Frames};

/// Each file's expected outcome; `Error(kind, variant, message)` rows name the problem they must report.
#[rustfmt::skip]
const CORPUS: &[(&str, Expect)] = &[
    ("empty.wav",            E(Eof, "Truncated", "the RIFF header needs 12 bytes but only 0 remain")),
    ("riff_only.wav",        E(Eof, "Truncated", "RIFF header needs 12 bytes but only 4")),
    ("aiff.wav",             E(Data, "NotWav", "it starts with \"FORM\", not \"RIFF\"")),
    ("avi.wav",              E(Data, "NotWav", "the RIFF form type is \"AVI \"")),
    ("rifx.wav",             E(Unsupported, "Unsupported", "big-endian RIFX is not supported")),
    ("rf64_without_ds64.wav", E(Data, "MissingChunk", "no \"ds64\" chunk")),
    ("rf64_huge_ds64.wav",   E(Eof, "Truncated", "needs 18446744073709551615 bytes but only 10")),
    ("cut_chunk_header.wav", E(Eof, "Truncated", "chunk header needs 8 bytes but only 6")),
    ("cut_fmt.wav",          E(Eof, "Truncated", "the \"fmt \" chunk needs 24 bytes but only 18")),
    ("short_fmt.wav",        E(Data, "InvalidFmt", "14 bytes, fewer than the 16")),
    ("data_before_fmt.wav",  E(Data, "MissingChunk", "no \"fmt \" chunk before the \"data\" chunk")),
    ("no_data.wav",          E(Data, "MissingChunk", "no \"data\" chunk")),
    ("zero_channels.wav",    E(Data, "InvalidFmt", "0 channels")),
    ("zero_rate.wav",        E(Data, "InvalidFmt", "sample rate 0")),
    ("absurd_channels.wav",  E(Data, "InvalidFmt", "block align 2 does not match 65535 channels")),
    ("lying_data_size.wav",  E(Eof, "Truncated", "\"data\" chunk needs 1008 bytes but only 16")),
    ("claims_4gb.wav",       E(Eof, "Truncated", "needs 4294967302 bytes but only 16")),
    ("huge_list.wav",        E(Eof, "Truncated", "the \"LIST\" chunk needs 4294967288 bytes")),
    ("partial_frame.wav",    E(Data, "PartialFrame", "holds 6 bytes, not a whole number of 4-byte frames")),
    ("adpcm.wav",            E(Unsupported, "Unsupported", "Microsoft ADPCM (format tag 0x0002) is not supported")),
    ("ima_adpcm.wav",        E(Unsupported, "Unsupported", "IMA ADPCM (format tag 0x0011) is not supported")),
    ("short_extensible.wav", E(Data, "InvalidFmt", "WAVE_FORMAT_EXTENSIBLE needs 40 bytes")),
    ("extensible_mp3_guid.wav",     E(Unsupported, "Unsupported", "MP3 (format tag 0x0055) is not supported")),
    ("extensible_foreign_guid.wav", E(Unsupported, "Unsupported", "sub-format that is not a format tag")),
    ("extensible_valid_bits.wav",   E(Data, "InvalidFmt", "32 valid bits in a 24-bit container")),
    ("two_fmt.wav",                 E(Data, "InvalidFmt", "two \"fmt \" chunks")),
    // Oddities that real writers produce, accepted.
    ("odd_list_padded.wav",     Frames(2, false)),
    ("wrong_riff_size.wav",     Frames(2, false)),
    ("open_ended_ffff.wav",     Frames(2, true)),
    ("open_ended_zero.wav",     Frames(2, true)),
    ("extensible_20_in_24.wav", Frames(2, false)),
    ("trailing_chunk.wav",      Frames(2, false)),
    ("empty_data_then_list.wav", Frames(0, false)),
    ("empty_sizes_then_frames.wav", Frames(2, true)),
    ("sox_open_ended.wav",      Frames(2, true)),
    ("rf64.wav",                Frames(2, false)),
    ("bw64_open_ended.wav",     Frames(2, true)),
    ("pcm8.wav",                Frames(4, false)),
    ("float64.wav",             Frames(1, false)),
    ("ulaw.wav",                Frames(4, false)),
    ("pcm12_in_16.wav",         Frames(2, false)),
    ("extensible_24_in_32.wav", Frames(2, false)),
];

fn check(name: &str, expect: &Expect) {
    let path = format!("{}/tests/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(bytes.len() <= 100, "{name}: corpus files stay small");
    // The stream reader, strict and lenient, agrees with the slice decoder on every file.
    for strictness in [Strictness::Strict, Strictness::Lenient] {
        let sliced = strata_wav::decode_with(&bytes, strictness)
            .map(|wav| (wav.samples::<i32>(), wav.salvage()))
            .map_err(|e| e.to_string());
        let streamed = read_all(&bytes, strictness, 3).map_err(|(_, e)| e.to_string());
        assert_eq!(streamed, sliced, "{name} {strictness:?}");
    }
    match (strata_wav::decode(&bytes), expect) {
        (Ok(wav), Frames(frames, open)) => {
            assert_eq!(
                (wav.frames(), wav.is_open_ended()),
                (*frames, *open),
                "{name}"
            );
        }
        (Err(err), E(kind, variant, message)) => {
            assert_eq!(err.kind(), *kind, "{name}: {err}");
            let typed =
                WavError::of(&err).unwrap_or_else(|| panic!("{name}: untyped error {err:?}"));
            assert!(
                format!("{typed:?}").starts_with(variant),
                "{name}: {typed:?}"
            );
            assert!(err.to_string().contains(message), "{name}: {err}");
        }
        (Ok(wav), E(..)) => panic!("{name}: decoded {} frames, expected an error", wav.frames()),
        (Err(err), Frames(..)) => panic!("{name}: {err}"),
    }
}

#[test]
fn every_corpus_file_decodes_as_the_table_says() {
    for (name, expect) in CORPUS {
        check(name, expect);
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
    let on_disk = std::fs::read_dir(dir)
        .expect("corpus dir")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "wav"))
        })
        .count();
    assert_eq!(on_disk, CORPUS.len(), "every corpus file has a row");
}
