//! [`TarError`]: every way reading, writing or sharding an archive can fail, carried inside an
//! [`io::Error`].

use std::fmt;
use std::io;
use std::path::PathBuf;

/// A failure of `strata-tar`, carried inside the [`io::Error`] that every method returns.
///
/// Recover it with [`TarError::of`]. The [`io::ErrorKind`] of the carrying error is
/// [`TarError::kind`]: [`InvalidData`](io::ErrorKind::InvalidData) for a bad archive,
/// [`UnexpectedEof`](io::ErrorKind::UnexpectedEof) for a truncated one,
/// [`InvalidInput`](io::ErrorKind::InvalidInput) for a bad argument to a writer. A name refused by a
/// *writer* travels as `InvalidInput` (the caller's argument) rather than `InvalidData` (the
/// archive's content). [`TarError::python_class`] names the exception CPython's `tarfile` raises for
/// the same problem.
///
/// # Examples
///
/// ```
/// use std::io;
/// use strata_tar::TarError;
///
/// let err = io::Error::from(TarError::TooManyEntries { limit: 10 });
/// assert_eq!(err.kind(), io::ErrorKind::InvalidData);
/// assert_eq!(err.to_string(), "the archive has more than 10 entries, the limit");
/// assert!(matches!(TarError::of(&err), Some(TarError::TooManyEntries { limit: 10 })));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum TarError {
    /// The name could escape the target directory or is not portable.
    UnsafeName {
        /// The entry's name as the archive spells it.
        name: String,
        /// What is wrong with it, e.g. `"the name has a '..' component that escapes the target directory"`.
        reason: &'static str,
    },
    /// A symbolic or hard link whose target lies outside the target directory.
    LinkEscapes {
        /// The link's name.
        name: String,
        /// Where it points.
        target: String,
    },
    /// An entry declares more bytes than [`crate::Limits::max_entry_size`].
    EntryTooLarge {
        /// The entry's name.
        name: String,
        /// Its declared size in bytes.
        size: u64,
        /// The limit in force.
        limit: u64,
    },
    /// The entries together declare more bytes than [`crate::Limits::max_total_size`].
    SizeLimitExceeded {
        /// The entry that took the total past the limit.
        name: String,
        /// The limit in force, in bytes.
        limit: u64,
    },
    /// The archive has more entries than [`crate::Limits::max_entries`].
    TooManyEntries {
        /// The limit in force.
        limit: usize,
    },
    /// A name (or link target) longer than [`crate::Limits::max_name_len`] bytes, or, when writing,
    /// longer than the chosen [`crate::Format`] can store.
    NameTooLong {
        /// Its length in bytes, as declared.
        len: u64,
        /// The limit in force.
        limit: u64,
    },
    /// A pax extended header larger than [`crate::Limits::max_pax_size`].
    PaxTooLarge {
        /// Its declared size in bytes.
        size: u64,
        /// The limit in force.
        limit: u64,
    },
    /// The archive ends in the middle of a header or of an entry's data
    /// ([`io::ErrorKind::UnexpectedEof`]).
    Truncated {
        /// The entry being read, if the archive ended inside one.
        name: Option<String>,
    },
    /// The archive is damaged: a bad checksum, a malformed number or pax record, a name that is not
    /// UTF-8, a broken gzip stream.
    Corrupt {
        /// The entry concerned, when the damage is inside or about one.
        name: Option<String>,
        /// What is wrong, e.g. `"header checksum 0o1234 does not match the computed 0o5670"`.
        reason: String,
    },
    /// The entry is something this crate does not do: a device file or FIFO to extract, a symbolic
    /// link to extract, a sparse file ([`io::ErrorKind::Unsupported`]).
    Unsupported {
        /// The entry's name.
        name: String,
        /// What it needs.
        reason: &'static str,
    },
    /// A reader handed to a writer yielded another number of bytes than the size it was added with
    /// ([`io::ErrorKind::InvalidInput`]).
    SizeMismatch {
        /// The entry's name.
        name: String,
        /// The size it was added with.
        declared: u64,
        /// What the reader yielded (at most one byte more than declared: reading stops there).
        actual: u64,
    },
    /// A gzip level outside `0..=9` ([`io::ErrorKind::InvalidInput`]).
    InvalidLevel(u32),
    /// A file of a shard whose name is not `KEY.EXTENSION`, or that is not a regular file.
    NotASampleFile {
        /// The file's name.
        name: String,
        /// What is wrong, e.g. `"the name has no extension after the sample key"`.
        reason: &'static str,
    },
    /// A sample's key appears again after another sample: its files are not contiguous.
    KeyOutOfOrder {
        /// The key seen again.
        key: String,
        /// The key of the sample before it.
        previous: String,
    },
    /// A sample continues across the end of one shard into the next.
    SampleSplit {
        /// The sample's key.
        key: String,
    },
    /// Two files of one sample have the same extension.
    DuplicateFile {
        /// The sample's key.
        key: String,
        /// The extension seen twice.
        extension: String,
    },
    /// An earlier call on this [`crate::TarBuilder`] failed after writing part of an entry: the
    /// archive is unusable, and every later call fails with this error.
    Poisoned {
        /// The earlier failure, as it was reported.
        cause: String,
    },
    /// A shard's sample holds more bytes than [`crate::Limits::max_sample_size`].
    SampleTooLarge {
        /// The sample's key.
        key: String,
        /// The file that took the sample past the limit.
        name: String,
        /// The limit in force, in bytes.
        limit: u64,
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

impl TarError {
    /// The typed error inside `err`, if it carries one.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io;
    /// use strata_tar::TarError;
    ///
    /// let err = io::Error::from(TarError::InvalidLevel(12));
    /// assert!(matches!(TarError::of(&err), Some(TarError::InvalidLevel(12))));
    /// assert!(TarError::of(&io::Error::other("plain")).is_none());
    /// ```
    pub fn of(err: &io::Error) -> Option<&TarError> {
        err.get_ref()
            .and_then(|inner| inner.downcast_ref::<TarError>())
    }

    /// The [`io::ErrorKind`] this error travels with when converted with `From`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use strata_tar::TarError;
    ///
    /// assert_eq!(TarError::InvalidLevel(10).kind(), ErrorKind::InvalidInput);
    /// assert_eq!(TarError::Truncated { name: None }.kind(), ErrorKind::UnexpectedEof);
    /// ```
    pub fn kind(&self) -> io::ErrorKind {
        match self {
            TarError::Truncated { .. } => io::ErrorKind::UnexpectedEof,
            TarError::Unsupported { .. } => io::ErrorKind::Unsupported,
            TarError::InvalidLevel(_) | TarError::SizeMismatch { .. } => {
                io::ErrorKind::InvalidInput
            }
            TarError::Extract { source, .. } => source.kind(),
            TarError::Poisoned { .. } => io::ErrorKind::Other,
            TarError::UnsafeName { .. }
            | TarError::LinkEscapes { .. }
            | TarError::EntryTooLarge { .. }
            | TarError::SizeLimitExceeded { .. }
            | TarError::TooManyEntries { .. }
            | TarError::NameTooLong { .. }
            | TarError::PaxTooLarge { .. }
            | TarError::Corrupt { .. }
            | TarError::NotASampleFile { .. }
            | TarError::KeyOutOfOrder { .. }
            | TarError::SampleSplit { .. }
            | TarError::DuplicateFile { .. }
            | TarError::SampleTooLarge { .. } => io::ErrorKind::InvalidData,
        }
    }

    /// The Python exception CPython 3.11 raises for the same problem: `tarfile`'s own classes for
    /// archive damage and unsafe extraction (the `data` extraction filter's), builtins otherwise.
    /// The limits and the shard rules have no `tarfile` counterpart; they map to `tarfile.ReadError`
    /// and `ValueError`.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::TarError;
    ///
    /// assert_eq!(TarError::Truncated { name: None }.python_class(), "tarfile.ReadError");
    /// assert_eq!(TarError::InvalidLevel(10).python_class(), "ValueError");
    /// let escape = TarError::LinkEscapes { name: "l".into(), target: "../x".into() };
    /// assert_eq!(escape.python_class(), "tarfile.LinkOutsideDestinationError");
    /// ```
    pub fn python_class(&self) -> &'static str {
        match self {
            TarError::UnsafeName { reason, .. } if *reason == strata_raw::ABSOLUTE_PATH => {
                "tarfile.AbsolutePathError"
            }
            TarError::UnsafeName { .. } => "tarfile.OutsideDestinationError",
            TarError::LinkEscapes { .. } => "tarfile.LinkOutsideDestinationError",
            TarError::Unsupported { .. } => "tarfile.SpecialFileError",
            TarError::EntryTooLarge { .. }
            | TarError::SizeLimitExceeded { .. }
            | TarError::TooManyEntries { .. }
            | TarError::PaxTooLarge { .. }
            | TarError::Truncated { .. }
            | TarError::Corrupt { .. } => "tarfile.ReadError",
            TarError::NameTooLong { .. }
            | TarError::InvalidLevel(_)
            | TarError::NotASampleFile { .. }
            | TarError::KeyOutOfOrder { .. }
            | TarError::SampleSplit { .. }
            | TarError::DuplicateFile { .. }
            | TarError::SampleTooLarge { .. } => "ValueError",
            TarError::SizeMismatch { .. } | TarError::Poisoned { .. } => "OSError",
            TarError::Extract { source, .. } => match source.kind() {
                io::ErrorKind::AlreadyExists => "FileExistsError",
                io::ErrorKind::NotFound => "FileNotFoundError",
                io::ErrorKind::PermissionDenied => "PermissionError",
                io::ErrorKind::NotADirectory => "NotADirectoryError",
                io::ErrorKind::IsADirectory => "IsADirectoryError",
                _ => "OSError",
            },
        }
    }

    /// This error as an [`io::Error`] of kind `kind` instead of [`TarError::kind`].
    pub(crate) fn with_kind(self, kind: io::ErrorKind) -> io::Error {
        io::Error::new(kind, self)
    }

    /// A [`TarError::Corrupt`] about `name`.
    pub(crate) fn corrupt(name: Option<&str>, reason: impl Into<String>) -> io::Error {
        TarError::Corrupt {
            name: name.map(str::to_owned),
            reason: reason.into(),
        }
        .into()
    }
}

impl fmt::Display for TarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TarError::UnsafeName { name, reason } => {
                write!(f, "unsafe entry name {name:?}: {reason}")
            }
            TarError::LinkEscapes { name, target } => write!(
                f,
                "link {name:?} points to {target:?}, outside the target directory"
            ),
            TarError::EntryTooLarge { name, size, limit } => write!(
                f,
                "entry {name:?} declares {size} bytes, more than the limit of {limit}"
            ),
            TarError::SizeLimitExceeded { name, limit } => write!(
                f,
                "entry {name:?} takes the archive's size past the limit of {limit} bytes"
            ),
            TarError::TooManyEntries { limit } => {
                write!(f, "the archive has more than {limit} entries, the limit")
            }
            TarError::NameTooLong { len, limit } => write!(
                f,
                "a name of {len} bytes is longer than the limit of {limit}"
            ),
            TarError::PaxTooLarge { size, limit } => write!(
                f,
                "a pax extended header of {size} bytes is larger than the limit of {limit}"
            ),
            TarError::Truncated { name: Some(name) } => {
                write!(f, "the archive ends inside entry {name:?} (truncated)")
            }
            TarError::Truncated { name: None } => {
                write!(f, "the archive ends inside a header (truncated)")
            }
            TarError::Corrupt {
                name: Some(name),
                reason,
            } => write!(f, "entry {name:?} is corrupt: {reason}"),
            TarError::Corrupt { name: None, reason } => write!(f, "corrupt archive: {reason}"),
            TarError::Unsupported { name, reason } => {
                write!(f, "entry {name:?} is not supported: {reason}")
            }
            TarError::SizeMismatch {
                name,
                declared,
                actual,
            } => write!(
                f,
                "entry {name:?} was added with a size of {declared} bytes but its reader \
                 yielded {actual}"
            ),
            TarError::InvalidLevel(level) => {
                write!(f, "gzip level {level} is out of range (0..=9)")
            }
            TarError::NotASampleFile { name, reason } => {
                write!(f, "{name:?} is not a sample file: {reason}")
            }
            TarError::KeyOutOfOrder { key, previous } => write!(
                f,
                "sample {key:?} appears again after sample {previous:?}: a sample's files \
                 must be contiguous"
            ),
            TarError::SampleSplit { key } => write!(
                f,
                "sample {key:?} continues from one shard into the next: a sample must sit \
                 in one shard"
            ),
            TarError::DuplicateFile { key, extension } => {
                write!(f, "sample {key:?} has two {extension:?} files")
            }
            TarError::Poisoned { cause } => write!(
                f,
                "the archive is unusable: an earlier entry failed half-written ({cause})"
            ),
            TarError::SampleTooLarge { key, name, limit } => write!(
                f,
                "entry {name:?} takes sample {key:?} past the limit of {limit} bytes"
            ),
            TarError::Extract { name, path, source } => write!(
                f,
                "cannot extract entry {name:?} to {}: {source}",
                path.display()
            ),
        }
    }
}

impl std::error::Error for TarError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TarError::Extract { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<TarError> for io::Error {
    fn from(err: TarError) -> io::Error {
        io::Error::new(err.kind(), err)
    }
}
