//! PNG layouts the encoder never writes but the decoder must read: palette and sub-byte depths, built
//! chunk by chunk here, decode to the widened pixels the docs promise.

use strata_png::{PixelFormat, PngDecoder};

use crate::crc32;

/// A chunk: length, type, data, CRC.
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(&[&kind[..], data].concat()).to_be_bytes());
    out
}

/// `raw` in a zlib stream of one stored deflate block (no compression needed to be valid).
fn zlib_stored(raw: &[u8]) -> Vec<u8> {
    let len = raw.len() as u16;
    let mut out = vec![0x78, 0x01, 0x01];
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(raw);
    let (a, b) = raw.iter().fold((1u32, 0u32), |(a, b), &x| {
        let a = (a + u32::from(x)) % 65_521;
        (a, (b + a) % 65_521)
    });
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

/// A `width` x `height` PNG of `depth` bits and colour type `colour`, with optional palette, whose
/// filtered rows are `rows`.
fn png(
    width: u32,
    height: u32,
    depth: u8,
    colour: u8,
    palette: Option<&[u8]>,
    rows: &[u8],
) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[depth, colour, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &ihdr));
    if let Some(palette) = palette {
        out.extend(chunk(b"PLTE", palette));
    }
    out.extend(chunk(b"IDAT", &zlib_stored(rows)));
    out.extend(chunk(b"IEND", &[]));
    out
}

#[test]
fn palette_and_sub_byte_images_decode_widened() {
    // (what, png, format, pixels)
    let palette = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255];
    let cases: Vec<(&str, Vec<u8>, PixelFormat, Vec<u8>)> = vec![
        (
            "2-bit palette, indices 0 1 / 2 3",
            png(
                2,
                2,
                2,
                3,
                Some(&palette),
                &[0, 0b0001_0000, 0, 0b1011_0000],
            ),
            PixelFormat::Rgb8,
            vec![255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255],
        ),
        (
            "1-bit gray, 1 0 1 in one row",
            png(3, 1, 1, 0, None, &[0, 0b1010_0000]),
            PixelFormat::Gray8,
            vec![255, 0, 255],
        ),
        (
            "4-bit gray, 0x0 0xf 0x8",
            png(3, 1, 4, 0, None, &[0, 0x0f, 0x80]),
            PixelFormat::Gray8,
            vec![0, 255, 0x88],
        ),
    ];
    for (what, bytes, format, want) in cases {
        let pixels = PngDecoder::new()
            .decode(&bytes)
            .unwrap_or_else(|err| panic!("{what}: {err}"));
        assert_eq!(
            (pixels.format(), pixels.data()),
            (format, want.as_slice()),
            "{what}"
        );
    }
}
