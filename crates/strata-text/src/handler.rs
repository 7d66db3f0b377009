//! [`ErrorHandler`]: Python's `errors` argument, and what each handler does with bytes that cannot be
//! decoded and characters that cannot be encoded.

use std::fmt::{self, Write as _};
use std::io;
use std::str::FromStr;

use strata_raw::Error;

use crate::error::TextError;

/// Python's `errors` argument: what to do with undecodable bytes and unencodable characters.
///
/// | Python | decoding | encoding |
/// |---|---|---|
/// | `"strict"` | [`TextError::Decode`] | [`TextError::Encode`] |
/// | `"ignore"` | skipped | skipped |
/// | `"replace"` | `U+FFFD` | `?` |
/// | `"backslashreplace"` | `\xNN` per byte | `\xNN`, `\uNNNN` or `\UNNNNNNNN` |
/// | `"xmlcharrefreplace"` | an error, as in Python | `&#NNN;` |
///
/// `"surrogateescape"` and `"surrogatepass"` would put lone surrogates into text, which a Rust
/// [`String`] cannot hold: [`FromStr`] refuses them (see `docs/python-parity.md`).
///
/// # Examples
///
/// ```
/// use strata_text::ErrorHandler;
///
/// let handler: ErrorHandler = "backslashreplace".parse()?;
/// assert_eq!(handler, ErrorHandler::BackslashReplace);
/// assert_eq!(handler.to_string(), "backslashreplace");
/// assert!("surrogateescape".parse::<ErrorHandler>().is_err());
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ErrorHandler {
    /// Fail with [`TextError::Decode`] or [`TextError::Encode`] (Python's default).
    #[default]
    Strict,
    /// Drop what cannot be converted.
    Ignore,
    /// `U+FFFD` when decoding, `?` when encoding.
    Replace,
    /// Python-style escapes: `\xNN` when decoding; `\xNN`, `\uNNNN`, `\UNNNNNNNN` when encoding.
    BackslashReplace,
    /// XML character references `&#NNN;` (encoding only; decoding errors fail as in Python).
    XmlCharRefReplace,
}

impl ErrorHandler {
    /// Python's name for the handler, e.g. `"strict"`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(strata_text::ErrorHandler::XmlCharRefReplace.name(), "xmlcharrefreplace");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ErrorHandler::Strict => "strict",
            ErrorHandler::Ignore => "ignore",
            ErrorHandler::Replace => "replace",
            ErrorHandler::BackslashReplace => "backslashreplace",
            ErrorHandler::XmlCharRefReplace => "xmlcharrefreplace",
        }
    }

    /// Handles undecodable `bytes` found at stream offset `position`: appends the replacement to
    /// `out`, or returns the error.
    pub(crate) fn on_decode_error(
        self,
        encoding: &'static str,
        position: u64,
        bytes: &[u8],
        reason: &'static str,
        out: &mut String,
    ) -> io::Result<()> {
        match self {
            ErrorHandler::Strict => Err(TextError::Decode {
                encoding: encoding.into(),
                position,
                bytes: bytes.to_vec(),
                reason: reason.into(),
            }
            .into()),
            ErrorHandler::Ignore => Ok(()),
            ErrorHandler::Replace => {
                out.push('\u{FFFD}');
                Ok(())
            }
            ErrorHandler::BackslashReplace => {
                for byte in bytes {
                    let _ = write!(out, "\\x{byte:02x}");
                }
                Ok(())
            }
            ErrorHandler::XmlCharRefReplace => Err(Error::InvalidArgument(
                "don't know how to handle UnicodeDecodeError in error callback".into(),
            )
            .into()),
        }
    }

    /// Handles the unencodable `character` at code-point `position` of the text being written: calls
    /// `emit` with the ASCII replacement, or returns the error.
    pub(crate) fn on_encode_error(
        self,
        encoding: &'static str,
        position: usize,
        character: char,
        reason: &'static str,
        mut emit: impl FnMut(&str),
    ) -> io::Result<()> {
        let code = u32::from(character);
        match self {
            ErrorHandler::Strict => {
                return Err(TextError::Encode {
                    encoding: encoding.into(),
                    position: position as u64,
                    character,
                    reason: reason.into(),
                }
                .into());
            }
            ErrorHandler::Ignore => {}
            ErrorHandler::Replace => emit("?"),
            ErrorHandler::BackslashReplace => emit(&match code {
                0..=0xff => format!("\\x{code:02x}"),
                0x100..=0xffff => format!("\\u{code:04x}"),
                _ => format!("\\U{code:08x}"),
            }),
            ErrorHandler::XmlCharRefReplace => emit(&format!("&#{code};")),
        }
        Ok(())
    }
}

impl fmt::Display for ErrorHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ErrorHandler {
    type Err = Error;

    /// Parses Python's handler names.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for `"surrogateescape"` and `"surrogatepass"` (a Rust `String` cannot
    /// hold lone surrogates), `"namereplace"` (needs the Unicode name database), and unknown names
    /// (`"unknown error handler name 'bogus'"`).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::ErrorHandler;
    ///
    /// let handler: ErrorHandler = "replace".parse()?;
    /// assert_eq!(handler, ErrorHandler::Replace);
    /// let err = "bogus".parse::<ErrorHandler>().unwrap_err();
    /// assert_eq!(err.to_string(), "unknown error handler name 'bogus'");
    /// assert!("surrogatepass".parse::<ErrorHandler>().is_err());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn from_str(name: &str) -> Result<ErrorHandler, Error> {
        Ok(match name {
            "strict" => ErrorHandler::Strict,
            "ignore" => ErrorHandler::Ignore,
            "replace" => ErrorHandler::Replace,
            "backslashreplace" => ErrorHandler::BackslashReplace,
            "xmlcharrefreplace" => ErrorHandler::XmlCharRefReplace,
            "surrogateescape" | "surrogatepass" => {
                return Err(Error::InvalidArgument(
                    format!(
                        "error handler '{name}' is not supported: it produces lone surrogates, \
                         which a Rust String cannot hold; use 'backslashreplace' or read bytes"
                    )
                    .into(),
                ));
            }
            "namereplace" => {
                return Err(Error::InvalidArgument(
                    "error handler 'namereplace' is not supported: it needs the Unicode name database"
                        .into(),
                ));
            }
            other => {
                return Err(Error::InvalidArgument(
                    format!("unknown error handler name '{other}'").into(),
                ));
            }
        })
    }
}
