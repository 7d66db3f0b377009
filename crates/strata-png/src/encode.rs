//! [`PngEncoder`]: pixels or a `DynamicImage` to PNG bytes, with compression and filter choices.

use std::io::{self, Write};

use bytes::Bytes;
use image::codecs::png::{CompressionType, FilterType};
use image::{DynamicImage, ImageEncoder};
use strata_buffered::BytesIO;

use crate::pixels::Pixels;

/// Encodes PNG images; a small builder over `image`'s PNG encoder.
///
/// The defaults are `image`'s: [`CompressionType::Fast`] and [`FilterType::Adaptive`]. The pixel
/// length is checked when the [`Pixels`] are made, so encoding never hits the panic `image` raises on
/// a buffer of the wrong length.
///
/// # Examples
///
/// ```
/// use strata_png::{CompressionType, FilterType, PixelFormat, Pixels, PngEncoder};
///
/// let gradient: Vec<u8> = (0..64 * 64).map(|i| (i % 64 * 4) as u8).collect();
/// let pixels = Pixels::new(&gradient, 64, 64, PixelFormat::Gray8)?;
/// let png = PngEncoder::new()
///     .compression(CompressionType::Best)
///     .filter(FilterType::Sub)
///     .encode(&pixels)?;
/// assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PngEncoder {
    compression: CompressionType,
    filter: FilterType,
}

impl PngEncoder {
    /// An encoder with `image`'s defaults.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_png::{CompressionType, FilterType, PngEncoder};
    ///
    /// let defaults = PngEncoder::new()
    ///     .compression(CompressionType::Fast)
    ///     .filter(FilterType::Adaptive);
    /// assert_eq!(PngEncoder::new(), defaults);
    /// ```
    pub fn new() -> PngEncoder {
        PngEncoder::default()
    }

    /// Sets how hard deflate works: `Fast`, `Default`, `Best`, `Uncompressed` or `Level(0..=9)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_png::{CompressionType, PixelFormat, Pixels, PngDecoder, PngEncoder};
    ///
    /// let zeros = vec![0; 256 * 256];
    /// let pixels = Pixels::new(&zeros, 256, 256, PixelFormat::Gray8)?;
    /// let best = PngEncoder::new().compression(CompressionType::Best).encode(&pixels)?;
    /// let stored = PngEncoder::new().compression(CompressionType::Uncompressed).encode(&pixels)?;
    /// assert!(best.len() < 1024);
    /// assert!(stored.len() > zeros.len());
    /// assert_eq!(PngDecoder::new().decode(&best)?, PngDecoder::new().decode(&stored)?);
    ///
    /// // Levels above 9 are refused when encoding.
    /// let too_hard = PngEncoder::new().compression(CompressionType::Level(12));
    /// let err = too_hard.encode(&pixels).unwrap_err();
    /// assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn compression(mut self, compression: CompressionType) -> PngEncoder {
        self.compression = compression;
        self
    }

    /// Sets the row filter (`Adaptive` picks one per row).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_png::{FilterType, PixelFormat, Pixels, PngDecoder, PngEncoder};
    ///
    /// let ramp: Vec<u8> = (0..=255).collect();
    /// let pixels = Pixels::new(&ramp, 256, 1, PixelFormat::Gray8)?;
    /// for filter in [FilterType::NoFilter, FilterType::Sub, FilterType::Paeth] {
    ///     let png = PngEncoder::new().filter(filter).encode(&pixels)?;
    ///     assert_eq!(PngDecoder::new().decode(&png)?, pixels);
    /// }
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn filter(mut self, filter: FilterType) -> PngEncoder {
        self.filter = filter;
        self
    }

    /// Encodes `pixels` into PNG bytes in memory (a [`BytesIO`], whose bytes are handed over without a
    /// copy).
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::InvalidInput`] for a `CompressionType::Level` above 9.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_png::{PixelFormat, Pixels, PngDecoder, PngEncoder};
    ///
    /// let rgba = [255, 0, 0, 255, 0, 0, 255, 128];
    /// let pixels = Pixels::new(&rgba, 2, 1, PixelFormat::Rgba8)?;
    /// let png: bytes::Bytes = PngEncoder::new().encode(&pixels)?;
    /// assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    /// assert_eq!(&png[12..16], b"IHDR");
    /// assert_eq!(PngDecoder::new().decode(&png)?, pixels);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn encode(&self, pixels: &Pixels<'_>) -> io::Result<Bytes> {
        let estimate = pixels.data().len() / 2 + 1024;
        self.encode_to(pixels, BytesIO::with_capacity(estimate)?)
            .map(BytesIO::into_bytes)
    }

    /// Encodes `pixels` into `sink` and returns it.
    ///
    /// # Errors
    ///
    /// As [`encode`](PngEncoder::encode), and what `sink` reports, unchanged.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_png::{PixelFormat, Pixels, PngEncoder};
    ///
    /// let pixels = Pixels::new(&[0, 128, 255, 64], 2, 2, PixelFormat::Gray8)?;
    /// let file = PngEncoder::new().encode_to(&pixels, std::io::Cursor::new(Vec::new()))?;
    /// assert_eq!(&file.get_ref()[1..4], b"PNG");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn encode_to<W: Write>(&self, pixels: &Pixels<'_>, mut sink: W) -> io::Result<W> {
        if let CompressionType::Level(level @ 10..) = self.compression {
            let msg = format!("PNG compression level {level} is out of range (0..=9)");
            return Err(strata_raw::Error::InvalidArgument(msg.into()).into());
        }
        let encoder = image::codecs::png::PngEncoder::new_with_quality(
            &mut sink,
            self.compression,
            self.filter,
        );
        encoder
            .write_image(
                pixels.data(),
                pixels.width(),
                pixels.height(),
                pixels.format().to_image(),
            )
            .map_err(crate::error::PngError::from_image)?;
        Ok(sink)
    }

    /// Encodes `image` into PNG bytes in memory.
    ///
    /// # Errors
    ///
    /// As [`Pixels::from_image`] and [`encode`](PngEncoder::encode).
    ///
    /// # Examples
    ///
    /// ```
    /// use image::{DynamicImage, Rgba, RgbaImage};
    /// use strata_png::PngEncoder;
    ///
    /// let image = DynamicImage::ImageRgba8(RgbaImage::from_pixel(8, 8, Rgba([0, 0, 255, 128])));
    /// let png = PngEncoder::new().encode_image(&image)?;
    /// let back = strata_png::PngDecoder::new().decode_image(&png)?;
    /// assert_eq!(back, image);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn encode_image(&self, image: &DynamicImage) -> io::Result<Bytes> {
        self.encode(&Pixels::from_image(image)?)
    }
}
