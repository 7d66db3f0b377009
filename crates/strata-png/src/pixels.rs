//! [`PixelFormat`] and [`Pixels`]: a pixel buffer whose length is known to match its dimensions.

use std::borrow::Cow;
use std::io;

use image::{DynamicImage, ExtendedColorType};

use crate::error::PngError;

/// The layout of one pixel: channels and bits per channel.
///
/// 16-bit samples are stored as two bytes each in the machine's native byte order, as `image` and a
/// `&[u16]` cast to bytes hold them ([`Pixels::from_u16`] takes `u16` samples directly).
///
/// # Examples
///
/// ```
/// use strata_png::{PixelFormat, Pixels, PngDecoder, PngEncoder};
///
/// assert_eq!(PixelFormat::Rgba16.bytes_per_pixel(), 8);
///
/// // The format travels through the PNG: gray and alpha, 8 bits each, comes back as such.
/// let pixels = Pixels::new(&[200, 255, 100, 0], 2, 1, PixelFormat::GrayA8)?;
/// let png = PngEncoder::new().encode(&pixels)?;
/// assert_eq!(PngDecoder::new().decode(&png)?.format(), PixelFormat::GrayA8);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PixelFormat {
    /// Gray, 8 bits.
    Gray8,
    /// Gray and alpha, 8 bits each.
    GrayA8,
    /// Red, green, blue, 8 bits each.
    Rgb8,
    /// Red, green, blue, alpha, 8 bits each.
    Rgba8,
    /// Gray, 16 bits.
    Gray16,
    /// Gray and alpha, 16 bits each.
    GrayA16,
    /// Red, green, blue, 16 bits each.
    Rgb16,
    /// Red, green, blue, alpha, 16 bits each.
    Rgba16,
}

impl PixelFormat {
    /// Channels per pixel: 1 to 4.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_png::PixelFormat;
    ///
    /// assert_eq!(PixelFormat::GrayA16.channels(), 2);
    /// assert_eq!(PixelFormat::GrayA16.bytes_per_pixel(), 4);
    /// ```
    pub fn channels(self) -> u8 {
        match self {
            PixelFormat::Gray8 | PixelFormat::Gray16 => 1,
            PixelFormat::GrayA8 | PixelFormat::GrayA16 => 2,
            PixelFormat::Rgb8 | PixelFormat::Rgb16 => 3,
            PixelFormat::Rgba8 | PixelFormat::Rgba16 => 4,
        }
    }

    /// Whether each channel takes 16 bits.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_png::PixelFormat;
    ///
    /// assert!(PixelFormat::Rgb16.is_16_bit());
    /// assert!(!PixelFormat::Rgb8.is_16_bit());
    /// ```
    pub fn is_16_bit(self) -> bool {
        matches!(
            self,
            PixelFormat::Gray16 | PixelFormat::GrayA16 | PixelFormat::Rgb16 | PixelFormat::Rgba16
        )
    }

    /// Bytes per pixel: 1 to 8.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_png::PixelFormat;
    ///
    /// assert_eq!(PixelFormat::Gray8.bytes_per_pixel(), 1);
    /// assert_eq!(PixelFormat::Rgb8.bytes_per_pixel(), 3);
    /// assert_eq!(PixelFormat::Rgba16.bytes_per_pixel(), 8);
    /// ```
    pub fn bytes_per_pixel(self) -> u8 {
        self.channels() * if self.is_16_bit() { 2 } else { 1 }
    }

    /// The `image` crate's name for this layout.
    pub(crate) fn to_image(self) -> ExtendedColorType {
        match self {
            PixelFormat::Gray8 => ExtendedColorType::L8,
            PixelFormat::GrayA8 => ExtendedColorType::La8,
            PixelFormat::Rgb8 => ExtendedColorType::Rgb8,
            PixelFormat::Rgba8 => ExtendedColorType::Rgba8,
            PixelFormat::Gray16 => ExtendedColorType::L16,
            PixelFormat::GrayA16 => ExtendedColorType::La16,
            PixelFormat::Rgb16 => ExtendedColorType::Rgb16,
            PixelFormat::Rgba16 => ExtendedColorType::Rgba16,
        }
    }

    /// The layout `image` decodes into, if it is one of ours.
    pub(crate) fn from_image(color: image::ColorType) -> Option<PixelFormat> {
        Some(match color {
            image::ColorType::L8 => PixelFormat::Gray8,
            image::ColorType::La8 => PixelFormat::GrayA8,
            image::ColorType::Rgb8 => PixelFormat::Rgb8,
            image::ColorType::Rgba8 => PixelFormat::Rgba8,
            image::ColorType::L16 => PixelFormat::Gray16,
            image::ColorType::La16 => PixelFormat::GrayA16,
            image::ColorType::Rgb16 => PixelFormat::Rgb16,
            image::ColorType::Rgba16 => PixelFormat::Rgba16,
            _ => return None,
        })
    }

    /// `width * height * bytes_per_pixel` as a `usize`.
    ///
    /// # Errors
    ///
    /// [`PngError::BadDimensions`] for a zero dimension or a size that overflows `usize`.
    pub(crate) fn buffer_len(self, width: u32, height: u32) -> io::Result<usize> {
        let len = u64::from(width)
            .checked_mul(u64::from(height))
            .and_then(|n| n.checked_mul(u64::from(self.bytes_per_pixel())))
            .and_then(|n| usize::try_from(n).ok())
            .filter(|&n| n > 0);
        len.ok_or_else(|| {
            PngError::BadDimensions {
                width,
                height,
                format: self,
            }
            .into()
        })
    }
}

/// A pixel buffer with its width, height and [`PixelFormat`], whose length is checked to match:
/// rows top to bottom, pixels left to right, channels in the format's order.
///
/// Borrowed from the caller ([`Pixels::new`], [`Pixels::from_image`]) or owned ([`Pixels::from_u16`],
/// [`PngDecoder::decode`](crate::PngDecoder::decode)).
///
/// # Examples
///
/// ```
/// use strata_png::{PixelFormat, Pixels};
///
/// let red_dot = Pixels::new(&[255, 0, 0], 1, 1, PixelFormat::Rgb8)?;
/// assert_eq!((red_dot.width(), red_dot.height()), (1, 1));
/// assert_eq!(red_dot.row(0), Some(&[255, 0, 0][..]));
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pixels<'a> {
    data: Cow<'a, [u8]>,
    width: u32,
    height: u32,
    format: PixelFormat,
}

impl<'a> Pixels<'a> {
    /// Borrows `data` as a `width` × `height` image in `format`.
    ///
    /// # Errors
    ///
    /// [`PngError::WrongLength`] when `data.len()` is not `width * height * bytes_per_pixel`;
    /// [`PngError::BadDimensions`] for a zero dimension or a size that overflows.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use strata_png::{PixelFormat, Pixels, PngError};
    ///
    /// let rgb = [0u8; 4 * 2 * 3];
    /// let pixels = Pixels::new(&rgb, 4, 2, PixelFormat::Rgb8)?;
    /// assert_eq!(pixels.data().as_ptr(), rgb.as_ptr()); // borrowed, not copied
    ///
    /// let err = Pixels::new(&rgb, 4, 3, PixelFormat::Rgb8).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidInput);
    /// assert_eq!(err.to_string(), "a 4x3 Rgb8 image needs 36 bytes of pixels, got 24");
    ///
    /// let err = Pixels::new(&[], 0, 2, PixelFormat::Rgb8).unwrap_err();
    /// assert!(matches!(PngError::of(&err), Some(PngError::BadDimensions { width: 0, .. })));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        data: &'a [u8],
        width: u32,
        height: u32,
        format: PixelFormat,
    ) -> io::Result<Pixels<'a>> {
        Pixels::checked(Cow::Borrowed(data), width, height, format)
    }

    fn checked(
        data: Cow<'a, [u8]>,
        width: u32,
        height: u32,
        format: PixelFormat,
    ) -> io::Result<Self> {
        let expected = format.buffer_len(width, height)?;
        if data.len() != expected {
            let err = PngError::WrongLength {
                width,
                height,
                format,
                expected: expected as u64,
                actual: data.len(),
            };
            return Err(err.into());
        }
        Ok(Pixels {
            data,
            width,
            height,
            format,
        })
    }

    /// Borrows the pixels of `image`.
    ///
    /// # Errors
    ///
    /// [`PngError::Unsupported`] for 32-bit float images (`Rgb32F`, `Rgba32F`), which PNG cannot
    /// store: convert them first, e.g. with `DynamicImage::to_rgba16`.
    ///
    /// # Examples
    ///
    /// ```
    /// use image::{DynamicImage, RgbImage};
    /// use strata_png::{PixelFormat, Pixels};
    ///
    /// let image = DynamicImage::ImageRgb8(RgbImage::new(4, 3));
    /// let pixels = Pixels::from_image(&image)?;
    /// assert_eq!((pixels.width(), pixels.height(), pixels.format()), (4, 3, PixelFormat::Rgb8));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_image(image: &'a DynamicImage) -> io::Result<Pixels<'a>> {
        let Some(format) = PixelFormat::from_image(image.color()) else {
            let reason = format!(
                "{:?} pixels (PNG stores 8- and 16-bit integers)",
                image.color()
            );
            return Err(PngError::Unsupported { reason }.into());
        };
        Pixels::checked(
            Cow::Borrowed(image.as_bytes()),
            image.width(),
            image.height(),
            format,
        )
    }

    /// Copies 16-bit `samples` into a `width` × `height` image in `format`, which must be a 16-bit
    /// format.
    ///
    /// # Errors
    ///
    /// [`PngError::WrongLength`] (counted in bytes) when the sample count does not match;
    /// [`PngError::Unsupported`] for an 8-bit `format`.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_png::{PixelFormat, Pixels};
    ///
    /// let ramp: Vec<u16> = (0..16).map(|i| i * 4096).collect();
    /// let pixels = Pixels::from_u16(&ramp, 4, 4, PixelFormat::Gray16)?;
    /// assert_eq!(pixels.data().len(), 32);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_u16(
        samples: &[u16],
        width: u32,
        height: u32,
        format: PixelFormat,
    ) -> io::Result<Pixels<'static>> {
        if !format.is_16_bit() {
            let reason = format!("u16 samples for the 8-bit format {format:?}");
            return Err(PngError::Unsupported { reason }.into());
        }
        let data: Vec<u8> = samples.iter().flat_map(|s| s.to_ne_bytes()).collect();
        Pixels::checked(Cow::Owned(data), width, height, format)
    }

    /// Wraps a buffer the decoder filled; its length was computed from the dimensions.
    pub(crate) fn decoded(
        data: Vec<u8>,
        width: u32,
        height: u32,
        format: PixelFormat,
    ) -> Pixels<'static> {
        Pixels {
            data: Cow::Owned(data),
            width,
            height,
            format,
        }
    }

    /// The width in pixels.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_png::{PixelFormat, Pixels};
    ///
    /// let pixels = Pixels::new(&[0; 6], 3, 2, PixelFormat::Gray8)?;
    /// assert_eq!(pixels.width(), 3);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn width(&self) -> u32 {
        self.width
    }

    /// The height in pixels.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_png::{PixelFormat, Pixels};
    ///
    /// let pixels = Pixels::new(&[0; 6], 3, 2, PixelFormat::Gray8)?;
    /// assert_eq!(pixels.height(), 2);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The pixel format.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_png::{PixelFormat, Pixels};
    ///
    /// let pixels = Pixels::from_u16(&[0, 65535], 1, 1, PixelFormat::GrayA16)?;
    /// assert_eq!(pixels.format(), PixelFormat::GrayA16);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn format(&self) -> PixelFormat {
        self.format
    }

    /// The pixel bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_png::{PixelFormat, Pixels};
    ///
    /// let pixels = Pixels::new(&[1, 2, 3, 4], 2, 2, PixelFormat::Gray8)?;
    /// assert_eq!(pixels.data(), [1, 2, 3, 4]);
    ///
    /// // 16-bit samples are in native byte order.
    /// let pixels = Pixels::from_u16(&[0x1234], 1, 1, PixelFormat::Gray16)?;
    /// assert_eq!(pixels.data(), 0x1234u16.to_ne_bytes());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// Row `y` (`None` past the last row).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_png::{PixelFormat, Pixels};
    ///
    /// // Two rows of two gray-and-alpha pixels.
    /// let pixels = Pixels::new(&[1, 2, 3, 4, 5, 6, 7, 8], 2, 2, PixelFormat::GrayA8)?;
    /// assert_eq!(pixels.row(0), Some(&[1, 2, 3, 4][..]));
    /// assert_eq!(pixels.row(1), Some(&[5, 6, 7, 8][..]));
    /// assert_eq!(pixels.row(2), None);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn row(&self, y: u32) -> Option<&[u8]> {
        let stride = self.width as usize * usize::from(self.format.bytes_per_pixel());
        let start = (y as usize).checked_mul(stride)?;
        self.data.get(start..start.checked_add(stride)?)
    }

    /// The pixel bytes, owned (copied only if they were borrowed).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_png::{PixelFormat, Pixels};
    ///
    /// let pixels = Pixels::from_u16(&[0x0102], 1, 1, PixelFormat::Gray16)?;
    /// assert_eq!(pixels.into_data(), 0x0102u16.to_ne_bytes());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_data(self) -> Vec<u8> {
        self.data.into_owned()
    }
}
