//! [`ZipError`]: every way reading or writing an archive can fail, carried inside an [`io::Error`].

use std::fmt;
use std::io;
use std::path::PathBuf;

/// A failure of `strata-zip`, carried inside the [`io::Error`] that every method returns.
///
/// Each variant names the entry it concerns. Recover it with [`ZipError::of`]; the [`io::ErrorKind`]
/// of the carrying error is always [`ZipError::kind`], one kind per variant: code that matches on
/// `err.kind()` and code that matches on the variant agree. Errors of the stream being read (a file's
/// `EIO`, a network failure) are not `ZipError`s: they come through unchanged, with their own kind.
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
    /// The input is not a ZIP archive: no end-of-central-directory record in its last 64 KiB.
    NotZip,
    /// The archive ends before the data its directory describes ([`io::ErrorKind::UnexpectedEof`]).
    Truncated {
        /// The entry being read, when the data cut short is an entry's.
        name: Option<String>,
    },
    /// A name [`crate::ZipBuilder`] refuses to write: not a safe relative file path
    /// ([`io::ErrorKind::InvalidInput`], since the name is the caller's argument).
    InvalidName {
        /// The name as given.
        name: String,
        /// What is wrong with it, e.g. `"the name has a '..' component that escapes the target directory"`.
        reason: &'static str,
    },
    /// An entry name in the archive that could escape the target directory or is not portable, met
    /// by [`crate::ZipReader::extract`].
    UnsafeName {
        /// The entry's name as the archive spells it.
        name: String,
        /// What is wrong with it, e.g. `"the name has a '..' component that escapes the target directory"`.
        reason: &'static str,
    },
    /// Two entries would be extracted to the same path: the same name twice, or names equal once
    /// case and a trailing `/` are ignored, or a file whose name is another entry's directory.
    NameCollision {
        /// The later entry's name.
        name: String,
        /// The earlier entry's name.
        other: String,
    },
    /// No entry has this name ([`io::ErrorKind::NotFound`]).
    EntryNotFound {
        /// The name that was asked for.
        name: String,
    },
    /// No entry has this index ([`io::ErrorKind::NotFound`]).
    NoSuchIndex {
        /// The index that was asked for.
        index: usize,
        /// How many entries the archive has.
        len: usize,
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
    /// Reading would take the bytes this reader has produced past [`crate::Limits::max_total_size`].
    SizeLimitExceeded {
        /// The entry being read when the limit was reached.
        name: String,
        /// The limit in force, in bytes.
        limit: u64,
    },
    /// The archive has more entries than [`crate::Limits::max_entries`].
    TooManyEntries {
        /// How many entries the central directory declares.
        count: u64,
        /// The limit in force.
        limit: usize,
    },
    /// The entry inflated to a different size than its header declares.
    SizeMismatch {
        /// The entry's name.
        name: String,
        /// The size its header declares.
        declared: u64,
        /// The bytes it actually produced (at least this many, when it holds more than declared).
        actual: u64,
    },
    /// The entry's bytes do not match the CRC-32 its header declares.
    ChecksumMismatch {
        /// The entry's name.
        name: String,
        /// The CRC-32 the header declares.
        declared: u32,
        /// The CRC-32 of the bytes read.
        actual: u32,
    },
    /// The entry's bytes lie (partly) inside another entry's or the central directory: the shape of
    /// the overlapping-entries zip bomb, where thousands of entries share one compressed kernel.
    Overlap {
        /// The entry's name.
        name: String,
        /// The entry whose bytes it overlaps, or `None` for the central directory.
        other: Option<String>,
    },
    /// The archive or one entry is damaged: a broken directory record, a local header that disagrees
    /// with the directory, compressed data that does not decode.
    Corrupt {
        /// The entry, when the damage is inside one.
        name: Option<String>,
        /// What is wrong, e.g. `"its deflate data does not decode (invalid distance too far back)"`.
        reason: String,
    },
    /// The entry needs something this build does not do: a compression method whose feature is off
    /// or that no backend implements, a symbolic link to extract ([`io::ErrorKind::Unsupported`]).
    Unsupported {
        /// The entry's name.
        name: String,
        /// What it needs, e.g. ``"bzip2 entries need the `bzip2` feature"``.
        reason: String,
    },
    /// The entry is encrypted and no password was set ([`io::ErrorKind::PermissionDenied`]).
    PasswordRequired {
        /// The entry's name.
        name: String,
    },
    /// The password set does not decrypt the entry ([`io::ErrorKind::PermissionDenied`]).
    WrongPassword {
        /// The entry's name.
        name: String,
    },
    /// A compression level outside the method's range: `1..=9` for deflate and bzip2, `1..=22` for
    /// zstd ([`io::ErrorKind::InvalidInput`]).
    InvalidLevel(u8),
    /// Compressing an entry on one of [`crate::ZipBuilder::add_many`]'s workers panicked (in the
    /// entry's `AsRef` or in the compressor); the panic is caught and reported instead of unwinding
    /// into the caller ([`io::ErrorKind::Other`]).
    ///
    /// ```
    /// use strata_zip::{Compression, ZipBuilder, ZipError};
    ///
    /// struct Broken;
    /// impl AsRef<[u8]> for Broken {
    ///     fn as_ref(&self) -> &[u8] {
    ///         panic!("no data today")
    ///     }
    /// }
    ///
    /// let err = ZipBuilder::new().add_many([("a.bin", Broken, Compression::DEFAULT)]).unwrap_err();
    /// assert_eq!(err.kind(), std::io::ErrorKind::Other);
    /// assert!(matches!(ZipError::of(&err), Some(ZipError::WorkerPanicked { index: 0, .. })));
    /// assert_eq!(err.to_string(), "compressing entry 0 (counting from 0) panicked: no data today");
    /// ```
    WorkerPanicked {
        /// The entry's position among the entries given to `add_many`, from 0.
        index: usize,
        /// The panic's message, when it carried a string.
        message: String,
    },
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

    /// The [`io::ErrorKind`] this error always travels with: one kind per variant, except
    /// [`ZipError::Extract`], which keeps the file system's.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use strata_zip::ZipError;
    ///
    /// assert_eq!(ZipError::InvalidLevel(10).kind(), ErrorKind::InvalidInput);
    /// assert_eq!(ZipError::Truncated { name: None }.kind(), ErrorKind::UnexpectedEof);
    /// ```
    pub fn kind(&self) -> io::ErrorKind {
        match self {
            ZipError::EntryNotFound { .. } | ZipError::NoSuchIndex { .. } => {
                io::ErrorKind::NotFound
            }
            ZipError::Unsupported { .. } => io::ErrorKind::Unsupported,
            ZipError::InvalidLevel(_) | ZipError::InvalidName { .. } => io::ErrorKind::InvalidInput,
            ZipError::Truncated { .. } => io::ErrorKind::UnexpectedEof,
            ZipError::PasswordRequired { .. } | ZipError::WrongPassword { .. } => {
                io::ErrorKind::PermissionDenied
            }
            ZipError::Extract { source, .. } => source.kind(),
            ZipError::WorkerPanicked { .. } => io::ErrorKind::Other,
            ZipError::NotZip
            | ZipError::UnsafeName { .. }
            | ZipError::NameCollision { .. }
            | ZipError::RatioExceeded { .. }
            | ZipError::SizeLimitExceeded { .. }
            | ZipError::TooManyEntries { .. }
            | ZipError::SizeMismatch { .. }
            | ZipError::ChecksumMismatch { .. }
            | ZipError::Overlap { .. }
            | ZipError::Corrupt { .. } => io::ErrorKind::InvalidData,
        }
    }

    /// A [`ZipError::Corrupt`] about the archive as a whole.
    pub(crate) fn corrupt(reason: impl Into<String>) -> io::Error {
        ZipError::Corrupt {
            name: None,
            reason: reason.into(),
        }
        .into()
    }
}

impl fmt::Display for ZipError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ZipError::NotZip => {
                f.write_str("not a ZIP file (no end-of-central-directory record found)")
            }
            ZipError::Truncated { name: None } => f.write_str("truncated archive"),
            ZipError::Truncated { name: Some(name) } => {
                write!(f, "truncated archive: entry {name:?} is cut short")
            }
            ZipError::InvalidName { name, reason } => {
                write!(f, "invalid entry name {name:?}: {reason}")
            }
            ZipError::UnsafeName { name, reason } => {
                write!(f, "unsafe entry name {name:?}: {reason}")
            }
            ZipError::NameCollision { name, other } => write!(
                f,
                "entry {name:?} would be extracted over entry {other:?} (the same path)"
            ),
            ZipError::EntryNotFound { name } => {
                write!(f, "there is no entry named {name:?} in the archive")
            }
            ZipError::NoSuchIndex { index, len } => {
                write!(f, "there is no entry {index}: the archive has {len}")
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
                "entry {name:?} takes the uncompressed bytes read from this archive past the \
                 limit of {limit} bytes"
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
            ZipError::ChecksumMismatch {
                name,
                declared,
                actual,
            } => write!(
                f,
                "entry {name:?} is corrupt: its checksum is {actual:08x}, its header says \
                 {declared:08x}"
            ),
            ZipError::Overlap {
                name,
                other: Some(other),
            } => write!(
                f,
                "entry {name:?} overlaps entry {other:?} (entries sharing data: a zip bomb?)"
            ),
            ZipError::Overlap { name, other: None } => {
                write!(f, "entry {name:?} overlaps the central directory")
            }
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
            ZipError::PasswordRequired { name } => {
                write!(f, "entry {name:?} is encrypted: set a password to read it")
            }
            ZipError::WrongPassword { name } => {
                write!(f, "the password does not decrypt entry {name:?}")
            }
            ZipError::InvalidLevel(level) => write!(
                f,
                "compression level {level} is out of range (1..=9 for deflate and bzip2, \
                 1..=22 for zstd)"
            ),
            ZipError::WorkerPanicked { index, message } => write!(
                f,
                "compressing entry {index} (counting from 0) panicked: {message}"
            ),
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
