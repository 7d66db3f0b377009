//! `strata-png`: PNG images encoded into memory and decoded safely, on `image` (PNG only).
//!
//! - [`Pixels`]: a pixel buffer with its width, height and [`PixelFormat`] (gray, gray+alpha, RGB,
//!   RGBA; 8 or 16 bits per channel), whose length is checked once, when it is made: a wrong length is
//!   an error naming the expected and actual length, never the panic `image` would raise.
//! - [`PngEncoder`]: pixels or an `image::DynamicImage` to PNG [`bytes::Bytes`] (or into any `Write`),
//!   with a [`CompressionType`] and a [`FilterType`].
//! - [`PngDecoder`]: PNG bytes to pixels or a `DynamicImage`, under [`DecodeLimits`] (dimensions and
//!   allocation) so that a decompression bomb is refused before anything large is allocated.
//!
//! Every error is an [`std::io::Error`] carrying a [`PngError`].
//!
//! # Example
//!
//! ```
//! use strata_png::{CompressionType, DecodeLimits, PixelFormat, Pixels, PngDecoder, PngEncoder, PngError};
//!
//! // A 256x16 RGB gradient, encoded in memory.
//! let mut rgb = Vec::new();
//! for _y in 0..16 {
//!     for x in 0..256u32 {
//!         rgb.extend_from_slice(&[x as u8, 0, 255 - x as u8]);
//!     }
//! }
//! let pixels = Pixels::new(&rgb, 256, 16, PixelFormat::Rgb8)?;
//! let png = PngEncoder::new().compression(CompressionType::Best).encode(&pixels)?;
//!
//! // Decoded back: the same pixels.
//! assert_eq!(PngDecoder::new().decode(&png)?, pixels);
//!
//! // A decoder that accepts only small images refuses this one, before decoding it.
//! let mut limits = DecodeLimits::default();
//! limits.max_width = 100;
//! let err = PngDecoder::new().limits(limits).decode(&png).unwrap_err();
//! assert!(matches!(PngError::of(&err), Some(PngError::LimitExceeded { .. })));
//! assert_eq!(err.to_string(), "PNG refused: 256x16 pixels exceed the limit of 100x16384");
//!
//! // A buffer of the wrong length is an error, not a panic.
//! let err = Pixels::new(&rgb[1..], 256, 16, PixelFormat::Rgb8).unwrap_err();
//! assert_eq!(err.to_string(), "a 256x16 Rgb8 image needs 12288 bytes of pixels, got 12287");
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(not(test), warn(clippy::unwrap_used))]

mod decode;
mod encode;
mod error;
mod pixels;

pub use crate::decode::{DecodeLimits, PngDecoder};
pub use crate::encode::PngEncoder;
pub use crate::error::PngError;
pub use crate::pixels::{PixelFormat, Pixels};
pub use image::codecs::png::{CompressionType, FilterType};

/// The traits a user needs to call every method of this crate's types.
///
/// ```
/// use strata_png::prelude::*;
/// ```
pub mod prelude {
    pub use strata_raw::prelude::*;
}
