//! [`TextError`]: the failures that only the text layer knows, those about characters, carried inside
//! an [`io::Error`] beside the shared [`strata_raw::Error`].

use std::borrow::Cow;
use std::fmt;
use std::io;

/// A failure about characters: bytes that do not decode, a character that does not encode, an
/// encoding name that is not known.
///
/// Every method of this crate returns [`io::Result`]; when it fails for one of these reasons, the
/// [`io::Error`] carries a `TextError` with the [`io::ErrorKind`] of [`TextError::kind`] and CPython
/// 3.11's message. Recover it with [`TextError::of`]. The failures every layer shares (a closed
/// stream, an unsupported operation, …) stay [`strata_raw::Error`]s.
///
/// # Examples
///
/// ```
/// use std::io;
/// use strata_buffered::BytesIO;
/// use strata_text::prelude::*;
/// use strata_text::{TextError, TextIOWrapper};
///
/// let mut text = TextIOWrapper::builder(BytesIO::from(b"abc\xff".to_vec())).build()?;
/// let err = text.read(None).unwrap_err();
/// assert_eq!(err.kind(), io::ErrorKind::InvalidData);
/// assert_eq!(err.to_string(), "'utf-8' codec can't decode byte 0xff in position 3: invalid start byte");
/// assert!(matches!(TextError::of(&err), Some(TextError::Decode { position: 3, .. })));
/// assert_eq!(TextError::of(&err).map(TextError::python_class), Some("UnicodeDecodeError"));
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TextError {
    /// Bytes could not be decoded (Python `UnicodeDecodeError`, [`io::ErrorKind::InvalidData`]).
    ///
    /// Message: `"'utf-8' codec can't decode byte 0xff in position 3: invalid start byte"`, or
    /// `"… can't decode bytes in position 2-3: …"` for several bytes.
    Decode {
        /// The encoding's name as Python spells it in the message, e.g. `"utf-8"`, `"charmap"`.
        encoding: Cow<'static, str>,
        /// Byte offset of the first bad byte, counted from the start of the stream (CPython counts
        /// from the start of the chunk it happened to decode; see `docs/python-parity.md`).
        position: u64,
        /// The bytes that could not be decoded.
        bytes: Vec<u8>,
        /// Why, e.g. `"invalid start byte"` or `"unexpected end of data"`.
        reason: Cow<'static, str>,
    },
    /// Text could not be encoded (Python `UnicodeEncodeError`, [`io::ErrorKind::InvalidData`]).
    ///
    /// Message: `"'ascii' codec can't encode character '\xe9' in position 2: ordinal not in
    /// range(128)"`, the character escaped as Python's `repr` escapes it.
    Encode {
        /// The encoding's name as Python spells it in the message, e.g. `"ascii"`.
        encoding: Cow<'static, str>,
        /// Code-point index of the character within the text handed to the write.
        position: u64,
        /// The character that could not be encoded.
        character: char,
        /// Why, e.g. `"ordinal not in range(128)"`.
        reason: Cow<'static, str>,
    },
    /// An encoding name that is not known, or not implemented by this crate (Python `LookupError`,
    /// [`io::ErrorKind::InvalidInput`]): `"unknown encoding: bogus"`.
    UnknownEncoding(String),
}

impl TextError {
    /// The typed text error inside `err`, if it carries one.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io;
    /// use strata_text::TextError;
    ///
    /// let err = io::Error::from(TextError::UnknownEncoding("bogus".into()));
    /// assert_eq!(TextError::of(&err), Some(&TextError::UnknownEncoding("bogus".into())));
    /// assert_eq!(TextError::of(&io::Error::other("plain")), None);
    /// ```
    pub fn of(err: &io::Error) -> Option<&TextError> {
        err.get_ref()
            .and_then(|inner| inner.downcast_ref::<TextError>())
    }

    /// The [`io::ErrorKind`] this error travels with.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use strata_text::TextError;
    ///
    /// assert_eq!(TextError::UnknownEncoding("bogus".into()).kind(), ErrorKind::InvalidInput);
    /// ```
    pub fn kind(&self) -> io::ErrorKind {
        match self {
            TextError::Decode { .. } | TextError::Encode { .. } => io::ErrorKind::InvalidData,
            TextError::UnknownEncoding(_) => io::ErrorKind::InvalidInput,
        }
    }

    /// The name of the Python exception class this error corresponds to, e.g. `"UnicodeDecodeError"`.
    ///
    /// The conformance tests compare it with what `python3` raises.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::TextError;
    ///
    /// assert_eq!(TextError::UnknownEncoding("bogus".into()).python_class(), "LookupError");
    /// ```
    pub fn python_class(&self) -> &'static str {
        match self {
            TextError::Decode { .. } => "UnicodeDecodeError",
            TextError::Encode { .. } => "UnicodeEncodeError",
            TextError::UnknownEncoding(_) => "LookupError",
        }
    }
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::Decode {
                encoding,
                position,
                bytes,
                reason,
            } => {
                write!(f, "'{encoding}' codec can't decode ")?;
                match bytes.as_slice() {
                    [byte] => write!(f, "byte 0x{byte:02x} in position {position}")?,
                    many => {
                        let last = position + many.len().saturating_sub(1) as u64;
                        write!(f, "bytes in position {position}-{last}")?
                    }
                }
                write!(f, ": {reason}")
            }
            TextError::Encode {
                encoding,
                position,
                character,
                reason,
            } => {
                write!(f, "'{encoding}' codec can't encode character '")?;
                // Python's repr escapes: \xNN, \uNNNN, \UNNNNNNNN.
                match u32::from(*character) {
                    c @ 0..=0xff => write!(f, "\\x{c:02x}")?,
                    c @ 0x100..=0xffff => write!(f, "\\u{c:04x}")?,
                    c => write!(f, "\\U{c:08x}")?,
                }
                write!(f, "' in position {position}: {reason}")
            }
            TextError::UnknownEncoding(name) => write!(f, "unknown encoding: {name}"),
        }
    }
}

impl std::error::Error for TextError {}

impl From<TextError> for io::Error {
    fn from(err: TextError) -> io::Error {
        io::Error::new(err.kind(), err)
    }
}

/// The error of [`TextIOWrapper::detach`](crate::TextIOWrapper::detach): why the inner stream
/// could not be given back (it is closed, or a write left bytes not yet passed down), and the wrapper
/// itself with its inner stream and those bytes intact (like `strata_buffered::IntoInnerError`).
///
/// # Examples
///
/// ```
/// use strata_buffered::BytesIO;
/// use strata_text::prelude::*;
/// use strata_text::TextIOWrapper;
///
/// let mut text = TextIOWrapper::builder(BytesIO::new()).build()?;
/// text.get_mut().close()?;
/// let err = text.detach().unwrap_err();
/// assert_eq!(err.error().to_string(), "I/O operation on closed file.");
/// let text = err.into_inner(); // nothing was lost
/// assert!(text.get_ref().closed());
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct DetachError<W> {
    /// Boxed, so that a `Result<B, DetachError<Self>>` stays small: the wrapper moves to the heap
    /// only on the failure path.
    inner: Box<W>,
    error: io::Error,
}

impl<W> DetachError<W> {
    pub(crate) fn new(inner: W, error: io::Error) -> Self {
        DetachError {
            inner: Box::new(inner),
            error,
        }
    }

    /// Why the inner stream could not be given back.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::TextIOWrapper;
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::new()).build()?;
    /// text.get_mut().close()?;
    /// assert_eq!(text.detach().unwrap_err().error().to_string(), "I/O operation on closed file.");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn error(&self) -> &io::Error {
        &self.error
    }

    /// The wrapper, unchanged.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::TextIOWrapper;
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::new()).encoding("latin-1").build()?;
    /// text.get_mut().close()?;
    /// let text = text.detach().unwrap_err().into_inner();
    /// assert_eq!(text.encoding(), "latin-1");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_inner(self) -> W {
        *self.inner
    }

    /// The error and the wrapper.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::TextIOWrapper;
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::new()).build()?;
    /// text.get_mut().close()?;
    /// let (err, text) = text.detach().unwrap_err().into_parts();
    /// assert_eq!(err.to_string(), "I/O operation on closed file.");
    /// assert!(text.closed());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_parts(self) -> (io::Error, W) {
        (self.error, *self.inner)
    }
}

impl<W> fmt::Debug for DetachError<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DetachError")
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl<W> fmt::Display for DetachError<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl<W> std::error::Error for DetachError<W> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl<W> From<DetachError<W>> for io::Error {
    fn from(err: DetachError<W>) -> io::Error {
        err.error
    }
}
