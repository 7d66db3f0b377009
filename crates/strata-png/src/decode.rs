//! [`PngDecoder`]: PNG bytes to pixels or a `DynamicImage`, under [`DecodeLimits`].

use std::io::{self, Cursor};

use image::codecs::png;
use image::{DynamicImage, ImageDecoder};

use crate::error::PngError;
use crate::pixels::{PixelFormat, Pixels};

/// Bounds on what decoding may allocate: the defence against decompression bombs (a few hundred bytes
/// of PNG that claim 100000×100000 pixels).
///
/// The dimensions are checked as soon as the header is read, and the pixel buffer's size against
/// `max_alloc` before it is allocated.
///
/// # Examples
///
/// ```
/// use strata_png::DecodeLimits;
///
/// let mut limits = DecodeLimits::default();
/// limits.max_width = 1920;
/// limits.max_height = 1080;
/// assert_eq!(limits.max_alloc, 512 << 20);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeLimits {
    /// The widest image accepted, in pixels. Default: 16384.
    pub max_width: u32,
    /// The tallest image accepted, in pixels. Default: 16384.
    pub max_height: u32,
    /// The most bytes decoding may allocate, the pixel buffer included. Default: 512 MiB.
    pub max_alloc: u64,
}

impl Default for DecodeLimits {
    fn default() -> DecodeLimits {
        DecodeLimits {
            max_width: 16_384,
            max_height: 16_384,
            max_alloc: 512 << 20,
        }
    }
}

/// Decodes PNG images under [`DecodeLimits`].
///
/// Pixels come back in the PNG's own layout, widened to 8 bits per channel for 1-, 2- and 4-bit
/// images and expanded to RGB(A) for palette images; 16-bit samples are in native byte order.
///
/// # Examples
///
/// ```
/// use strata_png::{PixelFormat, Pixels, PngDecoder, PngEncoder};
///
/// let rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255];
/// let png = PngEncoder::new().encode(&Pixels::new(&rgb, 2, 2, PixelFormat::Rgb8)?)?;
///
/// let pixels = PngDecoder::new().decode(&png)?;
/// assert_eq!((pixels.width(), pixels.height(), pixels.format()), (2, 2, PixelFormat::Rgb8));
/// assert_eq!(pixels.data(), rgb);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PngDecoder {
    limits: DecodeLimits,
}

impl PngDecoder {
    /// A decoder with the default limits.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_png::{DecodeLimits, PixelFormat, Pixels, PngDecoder, PngEncoder};
    ///
    /// assert_eq!(PngDecoder::new(), PngDecoder::new().limits(DecodeLimits::default()));
    ///
    /// let png = PngEncoder::new().encode(&Pixels::new(&[9, 8, 7], 3, 1, PixelFormat::Gray8)?)?;
    /// assert_eq!(PngDecoder::new().decode(&png)?.data(), [9, 8, 7]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new() -> PngDecoder {
        PngDecoder::default()
    }

    /// Sets the limits.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use strata_png::{DecodeLimits, PixelFormat, Pixels, PngDecoder, PngEncoder, PngError};
    ///
    /// let pixels = Pixels::new(&[0; 64 * 64 * 4], 64, 64, PixelFormat::Rgba8)?;
    /// let png = PngEncoder::new().encode(&pixels)?;
    ///
    /// // 64x64 RGBA needs 16 KiB of pixels: more than this decoder may allocate.
    /// let mut limits = DecodeLimits::default();
    /// limits.max_alloc = 4096;
    /// let err = PngDecoder::new().limits(limits).decode(&png).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidData);
    /// assert!(matches!(PngError::of(&err), Some(PngError::LimitExceeded { .. })));
    /// assert_eq!(
    ///     err.to_string(),
    ///     "PNG refused: 64x64 pixels need 16384 bytes, more than the allocation limit of 4096"
    /// );
    ///
    /// // Enough room: the same PNG decodes.
    /// limits.max_alloc = 16384;
    /// assert_eq!(PngDecoder::new().limits(limits).decode(&png)?.data().len(), 16384);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn limits(mut self, limits: DecodeLimits) -> PngDecoder {
        self.limits = limits;
        self
    }

    /// Decodes `data` into pixels.
    ///
    /// # Errors
    ///
    /// [`PngError::LimitExceeded`] for an image larger than the limits (before its pixels are
    /// allocated); [`PngError::Invalid`] for bytes that are not a valid PNG (bad signature, CRC or
    /// deflate stream), of kind [`io::ErrorKind::UnexpectedEof`] when they are truncated, and for
    /// input too short to hold the pixels its header claims even at deflate's largest ratio
    /// (1032:1), refused before the pixel buffer is allocated.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use strata_png::{PixelFormat, Pixels, PngDecoder, PngEncoder};
    ///
    /// let png = PngEncoder::new().encode(&Pixels::new(&[7; 64 * 3], 8, 8, PixelFormat::Rgb8)?)?;
    /// assert_eq!(PngDecoder::new().decode(&png)?.data(), [7; 64 * 3]);
    ///
    /// let err = PngDecoder::new().decode(&png[..png.len() / 2]).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::UnexpectedEof);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decode(&self, data: &[u8]) -> io::Result<Pixels<'static>> {
        let (decoder, len) = self.open(data)?;
        let (width, height) = decoder.dimensions();
        let Some(format) = PixelFormat::from_image(decoder.color_type()) else {
            let reason = format!("{:?} pixels", decoder.color_type());
            return Err(PngError::Unsupported { reason }.into());
        };
        let mut buf = vec![0; len];
        decoder.read_image(&mut buf).map_err(PngError::from_image)?;
        Ok(Pixels::decoded(buf, width, height, format))
    }

    /// Decodes `data` into a `DynamicImage`.
    ///
    /// # Errors
    ///
    /// As [`decode`](PngDecoder::decode).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_png::{PixelFormat, Pixels, PngDecoder, PngEncoder};
    ///
    /// let samples: Vec<u16> = vec![0, 1000, 65535, 30000];
    /// let png = PngEncoder::new().encode(&Pixels::from_u16(&samples, 2, 2, PixelFormat::Gray16)?)?;
    /// let image = PngDecoder::new().decode_image(&png)?;
    /// assert_eq!(image.as_luma16().map(|i| i.get_pixel(0, 1).0), Some([65535]));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decode_image(&self, data: &[u8]) -> io::Result<DynamicImage> {
        let (decoder, _) = self.open(data)?;
        DynamicImage::from_decoder(decoder).map_err(PngError::from_image)
    }

    /// Reads the header and checks the limits; returns the decoder and the pixel buffer's length.
    fn open<'d>(&self, data: &'d [u8]) -> io::Result<(png::PngDecoder<Cursor<&'d [u8]>>, usize)> {
        let DecodeLimits {
            max_width,
            max_height,
            max_alloc,
        } = self.limits;
        // Our own look at the header first, for an error that names the claimed size.
        let header = ihdr(data);
        if let Some(Ihdr { width, height, .. }) = header
            && (width > max_width || height > max_height)
        {
            let what =
                format!("{width}x{height} pixels exceed the limit of {max_width}x{max_height}");
            return Err(PngError::LimitExceeded { what }.into());
        }
        // png 0.18.1 panics on a palette whose length is not a multiple of 3 (image-png #694): refuse
        // it before the decoder sees it.
        if let Some(len) = palette_len(data)
            && len % 3 != 0
        {
            let reason =
                format!("the PLTE chunk holds {len} bytes, not a whole number of 3-byte entries");
            return Err(PngError::Invalid { reason }.into());
        }
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(max_width);
        limits.max_image_height = Some(max_height);
        limits.max_alloc = Some(max_alloc);
        let decoder = png::PngDecoder::with_limits(Cursor::new(data), limits)
            .map_err(PngError::from_image)?;
        let (width, height) = decoder.dimensions();
        let needed = decoder.total_bytes();
        let len = match usize::try_from(needed) {
            Ok(len) if needed <= max_alloc => len,
            _ => {
                let what = format!(
                    "{width}x{height} pixels need {needed} bytes, more than the allocation limit \
                     of {max_alloc}"
                );
                return Err(PngError::LimitExceeded { what }.into());
            }
        };
        // Deflate expands at most 1032-fold: input too short to hold the pixels it claims is refused
        // before their buffer is allocated (a small file claiming a large image).
        let packed = header.map_or(0, |h| h.packed_bytes());
        let most = (data.len() as u64).saturating_mul(MAX_INFLATE);
        if packed > most {
            let reason = format!(
                "the image data cannot hold {width}x{height} pixels: {} bytes inflate to at most \
                 {most}, and they need {packed}",
                data.len()
            );
            return Err(PngError::Invalid { reason }.into());
        }
        Ok((decoder, len))
    }
}

/// The most a deflate stream expands: 1032 output bytes per input byte (zlib's technical notes).
const MAX_INFLATE: u64 = 1032;

/// What an IHDR chunk claims.
#[derive(Debug, PartialEq, Eq)]
struct Ihdr {
    width: u32,
    height: u32,
    /// Bits per pixel: bit depth × channels of the colour type (0 for an unknown colour type).
    bits: u64,
}

impl Ihdr {
    /// The fewest bytes the pixels take packed as the PNG stores them (filter bytes not counted).
    fn packed_bytes(&self) -> u64 {
        (u64::from(self.width) * u64::from(self.height)).saturating_mul(self.bits) / 8
    }
}

/// The IHDR chunk's claims, if `data` starts like a PNG.
fn ihdr(data: &[u8]) -> Option<Ihdr> {
    let header = data.strip_prefix(SIGNATURE)?;
    // Chunk length (4 bytes), type `IHDR`, then width and height (big-endian), bit depth, colour type.
    if header.get(4..8)? != b"IHDR" {
        return None;
    }
    let width = u32::from_be_bytes(header.get(8..12)?.try_into().ok()?);
    let height = u32::from_be_bytes(header.get(12..16)?.try_into().ok()?);
    let depth = u64::from(*header.get(16)?);
    let channels = match header.get(17)? {
        0 | 3 => 1,
        4 => 2,
        2 => 3,
        6 => 4,
        _ => 0,
    };
    Some(Ihdr {
        width,
        height,
        bits: depth * channels,
    })
}

/// The length of the PLTE chunk, if one comes before the image data and its header is all there.
///
/// Walks the chunk headers only (length, type): CRCs and bodies are the decoder's to check.
fn palette_len(data: &[u8]) -> Option<u32> {
    let mut rest = data.get(SIGNATURE.len()..)?;
    loop {
        let len = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?);
        match rest.get(4..8)? {
            b"PLTE" => return Some(len),
            b"IDAT" | b"IEND" => return None,
            _ => {}
        }
        // Length, type, body, CRC.
        let next = usize::try_from(len).ok()?.checked_add(12)?;
        rest = rest.get(next..)?;
    }
}

/// Every PNG's first eight bytes.
const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

#[cfg(test)]
mod tests {
    use super::{Ihdr, ihdr, palette_len};

    #[test]
    fn ihdr_reads_only_what_is_there() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&640u32.to_be_bytes());
        png.extend_from_slice(&480u32.to_be_bytes());
        png.extend_from_slice(&[16, 6]); // 16-bit RGBA
        let header = Ihdr {
            width: 640,
            height: 480,
            bits: 64,
        };
        assert_eq!(header.packed_bytes(), 640 * 480 * 8);
        assert_eq!(ihdr(&png), Some(header));
        assert_eq!(ihdr(&png[..png.len() - 1]), None);
        assert_eq!(ihdr(&png[1..]), None);
        png[12] = b'X';
        assert_eq!(ihdr(&png), None);
    }

    #[test]
    fn palette_len_walks_chunk_headers_up_to_the_image_data() {
        let chunk = |kind: &[u8], body: &[u8]| {
            let mut c = (body.len() as u32).to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(body);
            c.extend_from_slice(&[0; 4]);
            c
        };
        let png = |chunks: &[Vec<u8>]| {
            let mut p = b"\x89PNG\r\n\x1a\n".to_vec();
            chunks.iter().for_each(|c| p.extend_from_slice(c));
            p
        };
        let ihdr = chunk(b"IHDR", &[0; 13]);
        let text = chunk(b"tEXt", b"a\0b");
        let plte = chunk(b"PLTE", &[0; 4]);
        let idat = chunk(b"IDAT", &[0; 2]);
        assert_eq!(
            palette_len(&png(&[ihdr.clone(), text.clone(), plte.clone()])),
            Some(4)
        );
        assert_eq!(palette_len(&png(&[ihdr.clone(), idat, plte.clone()])), None);
        assert_eq!(palette_len(&png(&[ihdr.clone(), text])), None);
        let cut = png(&[ihdr, plte]);
        assert_eq!(palette_len(&cut[..cut.len() - 12]), None);
        assert_eq!(palette_len(&cut[..cut.len() - 12 + 8]), Some(4));
        assert_eq!(palette_len(b"\x89PNG"), None);
    }
}
