//! Hostile input: wrong pixel lengths, impossible dimensions, decompression bombs, truncated and damaged
//! PNGs. Each is an error with a precise kind and message, never a panic or a large allocation.

use std::io;

use image::{DynamicImage, Rgb32FImage};
use strata_png::{DecodeLimits, PixelFormat, Pixels, PngDecoder, PngEncoder};

use crate::{crc32, encoded, idat_offset, variant};

/// A valid 1x1 PNG whose IHDR is rewritten to claim `width` x `height` (CRC fixed up): a few dozen
/// bytes that would decode to gigabytes.
fn claiming(width: u32, height: u32) -> Vec<u8> {
    let pixels = Pixels::new(&[0], 1, 1, PixelFormat::Gray8).expect("pixels");
    let mut png = PngEncoder::new().encode(&pixels).expect("encode").to_vec();
    // Signature (8), length (4), "IHDR" (4), then the 13 bytes of IHDR data and its CRC.
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

#[test]
fn pixel_buffers_of_the_wrong_length_are_errors() {
    /// `Pixels::new` on `len` bytes must fail with `want_variant` and exactly `want_msg`.
    fn check(
        len: usize,
        width: u32,
        height: u32,
        format: PixelFormat,
        want_variant: &str,
        want_msg: &str,
    ) {
        let data = vec![0; len];
        let err = Pixels::new(&data, width, height, format).unwrap_err();
        assert_eq!(
            (variant(&err), err.kind()),
            (want_variant, io::ErrorKind::InvalidInput),
            "{err}"
        );
        assert_eq!(err.to_string(), want_msg);
    }
    let cases: &[(usize, u32, u32, PixelFormat, &str, &str)] = &[
        (
            11,
            2,
            2,
            PixelFormat::Rgb8,
            "WrongLength",
            "a 2x2 Rgb8 image needs 12 bytes of pixels, got 11",
        ),
        (
            13,
            2,
            2,
            PixelFormat::Rgb8,
            "WrongLength",
            "a 2x2 Rgb8 image needs 12 bytes of pixels, got 13",
        ),
        (
            0,
            3,
            1,
            PixelFormat::Gray8,
            "WrongLength",
            "a 3x1 Gray8 image needs 3 bytes of pixels, got 0",
        ),
        (
            32,
            2,
            2,
            PixelFormat::Rgba8,
            "WrongLength",
            "a 2x2 Rgba8 image needs 16 bytes of pixels, got 32",
        ),
        (
            16,
            2,
            2,
            PixelFormat::Rgba16,
            "WrongLength",
            "a 2x2 Rgba16 image needs 32 bytes of pixels, got 16",
        ),
        (
            7,
            1,
            2,
            PixelFormat::GrayA16,
            "WrongLength",
            "a 1x2 GrayA16 image needs 8 bytes of pixels, got 7",
        ),
        (
            0,
            0,
            5,
            PixelFormat::Gray8,
            "BadDimensions",
            "a 0x5 Gray8 image is empty: PNG needs at least 1x1 pixels",
        ),
        (
            0,
            5,
            0,
            PixelFormat::Rgb16,
            "BadDimensions",
            "a 5x0 Rgb16 image is empty: PNG needs at least 1x1 pixels",
        ),
        (
            8,
            u32::MAX,
            u32::MAX,
            PixelFormat::Rgba16,
            "BadDimensions",
            "a 4294967295x4294967295 Rgba16 image is too large to address in memory",
        ),
    ];
    for &(len, width, height, format, want_variant, want_msg) in cases {
        check(len, width, height, format, want_variant, want_msg);
    }

    let err = Pixels::from_u16(&[0; 3], 2, 1, PixelFormat::Gray16).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a 2x1 Gray16 image needs 4 bytes of pixels, got 6"
    );
    let err = Pixels::from_u16(&[0; 2], 2, 1, PixelFormat::Gray8).unwrap_err();
    assert_eq!(
        (variant(&err), err.kind()),
        ("Unsupported", io::ErrorKind::Unsupported)
    );
}

#[test]
fn float_images_and_bad_levels_are_refused_on_encode() {
    let float = DynamicImage::ImageRgb32F(Rgb32FImage::new(2, 2));
    let err = PngEncoder::new().encode_image(&float).unwrap_err();
    assert_eq!(
        (variant(&err), err.kind()),
        ("Unsupported", io::ErrorKind::Unsupported)
    );
    assert!(err.to_string().contains("Rgb32F"), "{err}");

    let pixels = Pixels::new(&[0], 1, 1, PixelFormat::Gray8).expect("pixels");
    let err = PngEncoder::new()
        .compression(strata_png::CompressionType::Level(10))
        .encode(&pixels)
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    assert_eq!(
        err.to_string(),
        "PNG compression level 10 is out of range (0..=9)"
    );
}

#[test]
fn decompression_bombs_are_refused_before_allocation() {
    /// Decoding `png` under `limits` must fail with `LimitExceeded` and exactly `want`.
    fn check(png: &[u8], limits: DecodeLimits, want: &str) {
        let decoder = PngDecoder::new().limits(limits);
        for err in [
            decoder.decode(png).unwrap_err(),
            decoder.decode_image(png).unwrap_err(),
        ] {
            assert_eq!(
                (variant(&err), err.kind()),
                ("LimitExceeded", io::ErrorKind::InvalidData),
                "{err}"
            );
            assert_eq!(err.to_string(), want);
        }
    }
    let mut wide = DecodeLimits::default();
    wide.max_width = 1 << 20;
    wide.max_height = 1 << 20;
    let mut small_alloc = DecodeLimits::default();
    small_alloc.max_alloc = 1 << 20;
    // A real bomb: 16 MiB of zero pixels deflate to a few kilobytes.
    let zeros = vec![0; 4096 * 4096];
    let bomb = PngEncoder::new()
        .compression(strata_png::CompressionType::Best)
        .encode(&Pixels::new(&zeros, 4096, 4096, PixelFormat::Gray8).expect("pixels"))
        .expect("encode");
    assert!(bomb.len() < 64 * 1024, "the bomb is {} bytes", bomb.len());

    let cases: Vec<(Vec<u8>, DecodeLimits, &str)> = vec![
        (
            claiming(100_000, 100_000),
            DecodeLimits::default(),
            "PNG refused: 100000x100000 pixels exceed the limit of 16384x16384",
        ),
        (
            claiming(1, 20_000),
            DecodeLimits::default(),
            "PNG refused: 1x20000 pixels exceed the limit of 16384x16384",
        ),
        (
            claiming(100_000, 100_000),
            wide,
            "PNG refused: 100000x100000 pixels need 10000000000 bytes, more than the allocation limit of 536870912",
        ),
        (
            bomb.to_vec(),
            small_alloc,
            "PNG refused: 4096x4096 pixels need 16777216 bytes, more than the allocation limit of 1048576",
        ),
    ];
    for (png, limits, want) in cases {
        check(&png, limits, want);
    }
    // Within the limits, the same bomb decodes to its zeros.
    assert_eq!(
        PngDecoder::new().decode(&bomb).expect("decode").data(),
        zeros
    );
}

#[test]
fn truncated_pngs_are_errors_never_panics() {
    let (data, png) = encoded(16, 16, PixelFormat::Rgba8, 3);
    for len in 0..png.len() {
        // The last 12 bytes are the IEND chunk, which decoders may not need.
        match PngDecoder::new().decode(&png[..len]) {
            Err(err) => assert!(matches!(variant(&err), "Invalid"), "{len}: {err:?}"),
            Ok(pixels) => assert!(
                len >= png.len() - 12 && pixels.data() == data,
                "{len} bytes decoded"
            ),
        }
    }
    let err = PngDecoder::new().decode(&png[..png.len() / 2]).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof, "{err}");
}

#[test]
fn damaged_pngs_are_invalid_data() {
    let (_, png) = encoded(8, 8, PixelFormat::Rgb8, 5);
    let idat = idat_offset(&png);
    let mut bad_crc = png.to_vec();
    bad_crc[idat + 6] ^= 0x01;
    let mut bad_ihdr_crc = png.to_vec();
    bad_ihdr_crc[30] ^= 0x01;
    let cases: &[(&str, &[u8], &str)] = &[
        ("bad IDAT CRC", &bad_crc, "CRC"),
        ("bad IHDR CRC", &bad_ihdr_crc, "CRC"),
        (
            "not a PNG",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
            "invalid PNG",
        ),
        ("empty", b"", "invalid PNG"),
    ];
    for &(what, bytes, want) in cases {
        let err = PngDecoder::new().decode(bytes).unwrap_err();
        assert_eq!(variant(&err), "Invalid", "{what}: {err}");
        assert!(err.to_string().contains(want), "{what}: {err}");
    }
}
