//! Independent check: python3 parses the chunks (CRC), inflates IDAT with zlib, unfilters the rows, and
//! must find exactly the pixels that went in, for every format, filter and compression.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use strata_png::{CompressionType, FilterType, PixelFormat, Pixels, PngEncoder};

use crate::{FORMATS, encoded, idat_offset, test_pixels};

/// Runs `tests/py/png_check.py` on `paths`; returns each path's output line after the path.
fn python_check(paths: &[String]) -> BTreeMap<String, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/py/png_check.py");
    let out = Command::new("python3")
        .arg(script)
        .args(paths)
        .output()
        .expect("python3 is required for the strata-png tests");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|line| {
            let (path, rest) = line.split_once(' ').expect("path and result");
            (path.to_owned(), rest.to_owned())
        })
        .collect()
}

/// The bytes PNG stores for `data`: 16-bit samples big-endian.
fn big_endian(data: &[u8], format: PixelFormat) -> Vec<u8> {
    if !format.is_16_bit() {
        return data.to_vec();
    }
    data.chunks_exact(2)
        .flat_map(|s| u16::from_ne_bytes([s[0], s[1]]).to_be_bytes())
        .collect()
}

/// PNG's colour type for `format`.
fn colour_type(format: PixelFormat) -> u8 {
    match format.channels() {
        1 => 0,
        2 => 4,
        3 => 2,
        _ => 6,
    }
}

#[test]
fn python_zlib_reads_every_format_filter_and_compression() {
    let filters = [
        FilterType::NoFilter,
        FilterType::Sub,
        FilterType::Up,
        FilterType::Avg,
        FilterType::Paeth,
        FilterType::Adaptive,
    ];
    let compressions = [
        CompressionType::Fast,
        CompressionType::Best,
        CompressionType::Uncompressed,
        CompressionType::Level(3),
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    let mut expected = BTreeMap::new();
    for (f, &format) in FORMATS.iter().enumerate() {
        for (k, &filter) in filters.iter().enumerate() {
            let compression = compressions[(f + k) % compressions.len()];
            let (width, height) = (13 + k as u32, 7 + f as u32);
            let data = test_pixels(width, height, format, (f * 10 + k) as u64);
            let pixels = Pixels::new(&data, width, height, format).expect("pixels");
            let png = PngEncoder::new()
                .compression(compression)
                .filter(filter)
                .encode(&pixels)
                .expect("encode");
            let path = dir
                .path()
                .join(format!("{format:?}-{filter:?}.png"))
                .display()
                .to_string();
            std::fs::write(&path, &png).expect("write png");
            let depth = if format.is_16_bit() { 16 } else { 8 };
            let hex: String = big_endian(&data, format)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            let line = format!("{width} {height} {depth} {} {hex}", colour_type(format));
            expected.insert(path, line);
        }
    }
    let paths: Vec<String> = expected.keys().cloned().collect();
    let got = python_check(&paths);
    assert_eq!(got.len(), expected.len());
    for (path, want) in &expected {
        assert_eq!(&got[path], want, "{path}");
    }
}

#[test]
fn python_check_catches_a_bad_crc() {
    // The oracle itself must be able to fail: flip one byte of the image data.
    let (_, mut bad) = encoded(8, 8, PixelFormat::Rgb8, 1);
    let idat = idat_offset(&bad);
    bad[idat + 6] ^= 0xff;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bad.png").display().to_string();
    std::fs::write(&path, bad).expect("write png");
    let got = python_check(std::slice::from_ref(&path));
    assert_eq!(got[&path], "ERROR bad CRC in b'IDAT'");
}
