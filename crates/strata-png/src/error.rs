//! [`PngError`]: every way encoding or decoding a PNG can fail, carried inside an [`io::Error`].

use std::fmt;
use std::io;

use crate::pixels::PixelFormat;

/// A failure of `strata-png`, carried inside the [`io::Error`] that every function returns.
///
/// Recover it with [`PngError::of`]; the carrying error's kind is [`PngError::kind`].
///
/// # Examples
///
/// ```
/// use std::io;
/// use strata_png::{PixelFormat, Pixels, PngError};
///
/// let err = Pixels::new(&[0u8; 10], 2, 2, PixelFormat::Rgb8).unwrap_err();
/// assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
/// assert_eq!(err.to_string(), "a 2x2 Rgb8 image needs 12 bytes of pixels, got 10");
/// assert!(matches!(PngError::of(&err), Some(PngError::WrongLength { expected: 12, actual: 10, .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PngError {
    /// The pixel buffer's length does not match the image's size ([`io::ErrorKind::InvalidInput`]).
    WrongLength {
        /// The image's width in pixels.
        width: u32,
        /// The image's height in pixels.
        height: u32,
        /// The pixel format.
        format: PixelFormat,
        /// `width * height * bytes_per_pixel`.
        expected: u64,
        /// The buffer's length.
        actual: usize,
    },
    /// A width or height of zero, or `width * height * bytes_per_pixel` does not fit in memory
    /// ([`io::ErrorKind::InvalidInput`]).
    BadDimensions {
        /// The image's width in pixels.
        width: u32,
        /// The image's height in pixels.
        height: u32,
        /// The pixel format.
        format: PixelFormat,
    },
    /// The PNG is larger than the [`DecodeLimits`](crate::DecodeLimits) allow: a decompression bomb
    /// is refused before its pixels are allocated ([`io::ErrorKind::InvalidData`]).
    LimitExceeded {
        /// What is over the limit, e.g. `"100000x100000 pixels exceed the limit of 16384x16384"`.
        what: String,
    },
    /// The bytes are not a valid PNG: bad signature, bad CRC, broken deflate stream, truncated. The
    /// kind is [`io::ErrorKind::UnexpectedEof`] for truncated input and
    /// [`io::ErrorKind::InvalidData`] otherwise.
    Invalid {
        /// What the decoder reported.
        reason: String,
    },
    /// The image uses something this crate does not encode or decode, e.g. 32-bit float pixels
    /// ([`io::ErrorKind::Unsupported`]).
    Unsupported {
        /// What is unsupported.
        reason: String,
    },
}

impl PngError {
    /// The typed error inside `err`, if it carries one.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_png::PngError;
    ///
    /// assert!(PngError::of(&std::io::Error::other("plain")).is_none());
    /// ```
    pub fn of(err: &io::Error) -> Option<&PngError> {
        err.get_ref()
            .and_then(|inner| inner.downcast_ref::<PngError>())
    }

    /// The [`io::ErrorKind`] this error travels with.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use strata_png::PngError;
    ///
    /// assert_eq!(PngError::LimitExceeded { what: "big".into() }.kind(), ErrorKind::InvalidData);
    /// ```
    pub fn kind(&self) -> io::ErrorKind {
        match self {
            PngError::WrongLength { .. } | PngError::BadDimensions { .. } => {
                io::ErrorKind::InvalidInput
            }
            PngError::LimitExceeded { .. } | PngError::Invalid { .. } => io::ErrorKind::InvalidData,
            PngError::Unsupported { .. } => io::ErrorKind::Unsupported,
        }
    }

    /// Converts an error of the `image` crate met while encoding or decoding.
    pub(crate) fn from_image(err: image::ImageError) -> io::Error {
        use image::ImageError as E;
        let typed = match err {
            E::IoError(err) if err.kind() == io::ErrorKind::UnexpectedEof => {
                let reason = format!("truncated PNG: {err}");
                return io::Error::new(io::ErrorKind::UnexpectedEof, PngError::Invalid { reason });
            }
            // Errors of the sink the caller gave us stay as they are.
            E::IoError(err) => return err,
            E::Limits(err) => PngError::LimitExceeded {
                what: err.to_string(),
            },
            E::Unsupported(err) => PngError::Unsupported {
                reason: err.to_string(),
            },
            other => PngError::Invalid {
                reason: other.to_string(),
            },
        };
        typed.into()
    }
}

impl fmt::Display for PngError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PngError::WrongLength {
                width,
                height,
                format,
                expected,
                actual,
            } => write!(
                f,
                "a {width}x{height} {format:?} image needs {expected} bytes of pixels, got {actual}"
            ),
            PngError::BadDimensions {
                width,
                height,
                format,
            } if *width == 0 || *height == 0 => {
                write!(
                    f,
                    "a {width}x{height} {format:?} image is empty: PNG needs at least 1x1 pixels"
                )
            }
            PngError::BadDimensions {
                width,
                height,
                format,
            } => {
                write!(
                    f,
                    "a {width}x{height} {format:?} image is too large to address in memory"
                )
            }
            PngError::LimitExceeded { what } => write!(f, "PNG refused: {what}"),
            PngError::Invalid { reason } => write!(f, "invalid PNG: {reason}"),
            PngError::Unsupported { reason } => write!(f, "unsupported PNG: {reason}"),
        }
    }
}

impl std::error::Error for PngError {}

impl From<PngError> for io::Error {
    fn from(err: PngError) -> io::Error {
        io::Error::new(err.kind(), err)
    }
}
