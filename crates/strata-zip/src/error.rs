//! [`ZipError`]: every way reading or writing an archive can fail, carried inside an [`io::Error`].

use std::fmt;
use std::io;
use std::path::PathBuf;

/// A failure of `strata-zip`, carried inside the [`io::Error`] that every method returns.
///
/// Each variant names the entry it concerns. Recover it with [`ZipError::of`]; the [`io::ErrorKind`]
/// of the carrying error is [`ZipError::kind`], except that a name refused by the *builder* travels as
/// [`io::ErrorKind::InvalidInput`] (the caller's argument) rather than [`io::ErrorKind::InvalidData`]
/// (the archive's content).
///
/// # Examples
///
/// ```
/// use std::io;
/// use strata_zip::ZipError;
///
/// let err = io::Error::from(ZipError::EntryNotFound { name: "a.txt".into() });
/// assert_eq!(err.kind(), io::ErrorKind::NotFound);
/// assert_eq!(err.to_string(), "there is no entry named \"a.txt\" in the archive");
/// assert!(matches!(ZipError::of(&err), Some(ZipError::EntryNotFound { .. })));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum ZipError {
    /// The name could escape the target directory or is not portable (see [`crate::ZipBuilder`]).
    UnsafeName {
        /// The entry's name as the archive spells it.
        name: String,
        /// What is wrong with it, e.g. `"the name has a '..' component that escapes the target directory"`.
        reason: &'static str,
    },
    /// No entry has this name ([`io::ErrorKind::NotFound`]).
    EntryNotFound {
        /// The name that was asked for.
        name: String,
    },
    /// The entry inflates to more than [`crate::Limits::max_ratio`] times its compressed size: a zip
    /// bomb, detected from the declared sizes or while counting the inflated bytes.
    RatioExceeded {
        /// The entry's name.
        name: String,
        /// Its compressed size in bytes.
        compressed: u64,
        /// Its declared uncompressed size, or the bytes it had produced when reading stopped.
        uncompressed: u64,
        /// The limit in force.
        max_ratio: u64,
    },
    /// Reading would produce more than [`crate::Limits::max_total_size`] bytes.
    SizeLimitExceeded {
        /// The entry being read when the limit was reached.
        name: String,
        /// The limit in force, in bytes.
        limit: u64,
    },
    /// The archive has more entries than [`crate::Limits::max_entries`].
    TooManyEntries {
        /// How many entries the central directory lists.
        count: usize,
        /// The limit in force.
        limit: usize,
    },
    /// The entry inflated to a different size than its header declares.
    SizeMismatch {
        /// The entry's name.
        name: String,
        /// The size its header declares.
        declared: u64,
        /// The bytes it actually produced.
        actual: u64,
    },
    /// The archive or one entry is damaged: truncated, a bad checksum, a broken central directory.
    Corrupt {
        /// The entry, when the damage is inside one.
        name: Option<String>,
        /// What the zip reader reported, e.g. `"Invalid checksum"`.
        reason: String,
    },
    /// The entry needs something this crate does not do: encryption, a compression method other than
    /// stored and deflate, a symbolic link ([`io::ErrorKind::Unsupported`]).
    Unsupported {
        /// The entry's name.
        name: String,
        /// What it needs.
        reason: String,
    },
    /// A deflate level outside `1..=9` ([`io::ErrorKind::InvalidInput`]).
    InvalidLevel(u8),
    /// Writing an extracted entry to the file system failed; the kind is the file system's.
    Extract {
        /// The entry's name.
        name: String,
        /// The file or directory that could not be written.
        path: PathBuf,
        /// The file system's error.
        source: io::Error,
    },
}

impl ZipError {
    /// The typed error inside `err`, if it carries one.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io;
    /// use strata_zip::ZipError;
    ///
    /// let err = io::Error::from(ZipError::InvalidLevel(12));
    /// assert!(matches!(ZipError::of(&err), Some(ZipError::InvalidLevel(12))));
    /// assert!(ZipError::of(&io::Error::other("plain")).is_none());
    /// ```
    pub fn of(err: &io::Error) -> Option<&ZipError> {
        err.get_ref()
            .and_then(|inner| inner.downcast_ref::<ZipError>())
    }

    /// The [`io::ErrorKind`] this error travels with when converted with `From`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use strata_zip::ZipError;
    ///
    /// assert_eq!(ZipError::InvalidLevel(10).kind(), ErrorKind::InvalidInput);
    /// ```
    pub fn kind(&self) -> io::ErrorKind {
        match self {
            ZipError::EntryNotFound { .. } => io::ErrorKind::NotFound,
            ZipError::Unsupported { .. } => io::ErrorKind::Unsupported,
            ZipError::InvalidLevel(_) => io::ErrorKind::InvalidInput,
            ZipError::Extract { source, .. } => source.kind(),
            ZipError::UnsafeName { .. }
            | ZipError::RatioExceeded { .. }
            | ZipError::SizeLimitExceeded { .. }
            | ZipError::TooManyEntries { .. }
            | ZipError::SizeMismatch { .. }
            | ZipError::Corrupt { .. } => io::ErrorKind::InvalidData,
        }
    }

    /// This error as an [`io::Error`] of kind `kind` instead of [`ZipError::kind`].
    pub(crate) fn with_kind(self, kind: io::ErrorKind) -> io::Error {
        io::Error::new(kind, self)
    }

    /// Converts an error of the `zip` crate, naming `entry` when the failure concerns one.
    pub(crate) fn from_zip(err: zip::result::ZipError, entry: Option<&str>) -> io::Error {
        use zip::result::ZipError as Z;
        let name = entry.map(str::to_owned);
        let typed = match err {
            Z::FileNotFound => ZipError::EntryNotFound {
                name: name.unwrap_or_default(),
            },
            Z::UnsupportedArchive(reason) => ZipError::Unsupported {
                name: name.unwrap_or_default(),
                reason: reason.to_owned(),
            },
            Z::CompressionMethodNotSupported(method) => ZipError::Unsupported {
                name: name.unwrap_or_default(),
                reason: format!("compression method {method} is not supported"),
            },
            Z::Io(source) => return ZipError::from_read(source, entry),
            other => ZipError::Corrupt {
                name,
                reason: other.to_string(),
            },
        };
        typed.into()
    }

    /// Converts an I/O error met while inflating `entry` (from memory, so it is always about the
    /// data: truncated, a bad CRC, a broken deflate stream, an unknown method): it keeps its kind and
    /// gains the name.
    pub(crate) fn from_read(err: io::Error, entry: Option<&str>) -> io::Error {
        if ZipError::of(&err).is_some() {
            return err;
        }
        let (name, reason) = (
            entry.map(str::to_owned).unwrap_or_default(),
            err.to_string(),
        );
        match err.kind() {
            io::ErrorKind::Unsupported => ZipError::Unsupported { name, reason }.into(),
            kind => ZipError::Corrupt {
                name: Some(name),
                reason,
            }
            .with_kind(kind),
        }
    }
}

impl fmt::Display for ZipError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ZipError::UnsafeName { name, reason } => {
                write!(f, "unsafe entry name {name:?}: {reason}")
            }
            ZipError::EntryNotFound { name } => {
                write!(f, "there is no entry named {name:?} in the archive")
            }
            ZipError::RatioExceeded {
                name,
                compressed,
                uncompressed,
                max_ratio,
            } => write!(
                f,
                "entry {name:?} inflates {compressed} bytes to {uncompressed} or more, \
                 beyond the compression ratio limit of {max_ratio} (a zip bomb?)"
            ),
            ZipError::SizeLimitExceeded { name, limit } => write!(
                f,
                "entry {name:?} takes the uncompressed size past the limit of {limit} bytes"
            ),
            ZipError::TooManyEntries { count, limit } => {
                write!(
                    f,
                    "the archive lists {count} entries, more than the limit of {limit}"
                )
            }
            ZipError::SizeMismatch {
                name,
                declared,
                actual,
            } => write!(
                f,
                "entry {name:?} declares {declared} uncompressed bytes but holds {actual}"
            ),
            ZipError::Corrupt {
                name: Some(name),
                reason,
            } => {
                write!(f, "entry {name:?} is corrupt: {reason}")
            }
            ZipError::Corrupt { name: None, reason } => write!(f, "corrupt archive: {reason}"),
            ZipError::Unsupported { name, reason } => {
                write!(f, "entry {name:?} is not supported: {reason}")
            }
            ZipError::InvalidLevel(level) => {
                write!(f, "deflate level {level} is out of range (1..=9)")
            }
            ZipError::Extract { name, path, source } => {
                write!(
                    f,
                    "cannot extract entry {name:?} to {}: {source}",
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for ZipError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ZipError::Extract { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<ZipError> for io::Error {
    fn from(err: ZipError) -> io::Error {
        io::Error::new(err.kind(), err)
    }
}
