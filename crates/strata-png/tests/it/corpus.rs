//! The checked-in hostile corpus (`tests/corpus/`, made by `make_corpus.py`): every file decodes, with
//! the default limits, to the outcome in the table, as `Pixels` and as a `DynamicImage` alike, and
//! every error names its problem.

use std::io::ErrorKind;

use strata_png::{PixelFormat, PngDecoder};

use crate::variant;

/// What decoding a corpus file must give.
enum Expect {
    /// Decodes to width x height pixels in this format, whose samples (one per channel, 16-bit ones as
    /// numbers) are these; an empty slice means "all zero".
    Decodes(u32, u32, PixelFormat, &'static [u16]),
    /// Fails with this kind, this `PngError` variant (by name) and a message containing this text.
    Error(ErrorKind, &'static str, &'static str),
}

use ErrorKind::{InvalidData as Data, UnexpectedEof as Eof};
use Expect::{Decodes, Error as E};

/// The message of every truncated file: where it ends does not matter to the decoder.
const TRUNCATED: &str = "invalid PNG: truncated PNG: unexpected end of file";

/// Each file's expected outcome.
#[rustfmt::skip]
const CORPUS: &[(&str, Expect)] = &[
    ("empty.png",              E(Eof, "Invalid", TRUNCATED)),
    ("signature_only.png",     E(Eof, "Invalid", TRUNCATED)),
    ("truncated_ihdr.png",     E(Eof, "Invalid", TRUNCATED)),
    ("truncated_idat.png",     E(Eof, "Invalid", TRUNCATED)),
    // The decoder reads up to IEND: a file without it is truncated.
    ("missing_iend.png",       E(Eof, "Invalid", TRUNCATED)),
    ("not_png.png",            E(Data, "Invalid", "Invalid PNG signature")),
    ("bad_ihdr_crc.png",       E(Data, "Invalid", "CRC error: expected 0x0 have 0x3a7e9b55 while decoding ChunkType { type: IHDR")),
    ("bad_idat_crc.png",       E(Data, "Invalid", "CRC error: expected 0x0 have 0x6d4de049 while decoding ChunkType { type: IDAT")),
    ("zero_width.png",         E(Data, "Invalid", "Invalid image dimensions")),
    ("zero_height.png",        E(Data, "Invalid", "Invalid image dimensions")),
    ("huge_dimensions.png",    E(Data, "LimitExceeded", "PNG refused: 100000x100000 pixels exceed the limit of 16384x16384")),
    ("over_alloc.png",         E(Data, "LimitExceeded", "PNG refused: 16384x16384 pixels need 2147483648 bytes, more than the allocation limit of 536870912")),
    // Within the limits, so its 16 MiB are allocated; the data runs out long before.
    // 952 bytes claiming 4096x4096: refused before its 16 MiB are allocated.
    ("bomb_4096.png",          E(Data, "Invalid", "952 bytes inflate to at most 982464, and they need 16777216")),
    ("no_idat.png",            E(Data, "Invalid", "IDAT or fdAT chunk is missing")),
    ("broken_zlib.png",        E(Data, "Invalid", "Corrupt deflate stream")),
    ("bad_filter_type.png",    E(Data, "Invalid", "Unknown filter method 9")),
    ("bad_interlace.png",      E(Data, "Invalid", "Unknown interlace method 2")),
    // A panic inside png 0.18.1 (image-png #694), refused by our own look at the chunks.
    ("plte_not_multiple_of_3.png", E(Data, "Invalid", "the PLTE chunk holds 4 bytes, not a whole number of 3-byte entries")),
    ("rgb_depth_4.png",        E(Data, "Invalid", "Invalid color/depth combination in header: Rgb/Four")),
    ("gray_depth_3.png",       E(Data, "Invalid", "Invalid bit depth 3")),
    ("colour_type_5.png",      E(Data, "Invalid", "Invalid color type 5")),
    ("palette_without_plte.png", E(Data, "Invalid", "Missing palette of indexed image")),
    // Valid files.
    ("gray8_1x1.png",          Decodes(1, 1, PixelFormat::Gray8, &[127])),
    ("rgba16_2x2.png",         Decodes(2, 2, PixelFormat::Rgba16, &[
        0xFFFF, 0, 0, 0xFFFF,  0, 0xFFFF, 0, 0xFFFF,
        0, 0, 0xFFFF, 0xFFFF,  0xFFFF, 0xFFFF, 0xFFFF, 0x8000,
    ])),
    ("palette_2x2.png",        Decodes(2, 2, PixelFormat::Rgb8, &[255, 0, 0,  0, 255, 0,  0, 0, 255,  255, 0, 0])),
    // Indices 255 and 7 of a 3-colour palette: accepted, and black.
    ("palette_index_past_plte.png", Decodes(2, 2, PixelFormat::Rgb8, &[255, 0, 0,  0, 0, 0,  0, 0, 255,  0, 0, 0])),
    // 1-bit, Adam7-interlaced: widened to 8 bits and de-interlaced.
    ("gray1_adam7_9x9.png",    Decodes(9, 9, PixelFormat::Gray8, &[])),
    // A deflate bomb within the default limits: 973 bytes inflate to 922 560 (filter bytes and zeros).
    ("bomb_960.png",           Decodes(960, 960, PixelFormat::Gray8, &[])),
];

/// The samples of `data` in `format`: bytes, or native-endian pairs of bytes for 16-bit formats.
fn samples(data: &[u8], format: PixelFormat) -> Vec<u16> {
    if format.is_16_bit() {
        data.chunks_exact(2)
            .map(|b| u16::from_ne_bytes([b[0], b[1]]))
            .collect()
    } else {
        data.iter().copied().map(u16::from).collect()
    }
}

fn check(name: &str, expect: &Expect) {
    let path = format!("{}/tests/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(bytes.len() < 1024, "{name}: corpus files stay small");
    let decoder = PngDecoder::new();
    match (decoder.decode(&bytes), expect) {
        (Ok(pixels), Decodes(width, height, format, want)) => {
            assert_eq!(
                (pixels.width(), pixels.height(), pixels.format()),
                (*width, *height, *format),
                "{name}"
            );
            let got = samples(pixels.data(), pixels.format());
            let channels = usize::from(format.channels());
            assert_eq!(got.len(), (width * height) as usize * channels, "{name}");
            if want.is_empty() {
                assert!(got.iter().all(|&s| s == 0), "{name}: not all zero");
            } else {
                assert_eq!(got, *want, "{name}");
            }
            let image = decoder
                .decode_image(&bytes)
                .unwrap_or_else(|e| panic!("{name}: decode_image: {e}"));
            assert_eq!((image.width(), image.height()), (*width, *height), "{name}");
            assert_eq!(image.as_bytes(), pixels.data(), "{name}");
        }
        (Err(err), E(kind, want_variant, message)) => {
            assert_eq!(
                (err.kind(), variant(&err)),
                (*kind, *want_variant),
                "{name}: {err}"
            );
            assert!(err.to_string().contains(message), "{name}: {err}");
            let image_err = decoder.decode_image(&bytes).err();
            assert_eq!(
                image_err.map(|e| (e.kind(), e.to_string())),
                Some((err.kind(), err.to_string())),
                "{name}: decode_image"
            );
        }
        (Ok(pixels), E(..)) => panic!(
            "{name}: decoded {}x{} pixels, expected an error",
            pixels.width(),
            pixels.height()
        ),
        (Err(err), Decodes(..)) => panic!("{name}: {err}"),
    }
}

#[test]
fn every_corpus_file_decodes_as_the_table_says() {
    for (name, expect) in CORPUS {
        check(name, expect);
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .map(|e| e.expect("corpus entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut in_table: Vec<String> = CORPUS.iter().map(|(n, _)| n.to_string()).collect();
    in_table.sort();
    assert_eq!(on_disk, in_table, "every corpus file has exactly one row");
}
