//! [`ObjectError`]: every way opening, reading or writing an object can fail, carried inside an
//! [`io::Error`].

use std::fmt;
use std::io;

/// A failure of `strata-object`, carried inside the [`io::Error`] that every method returns.
///
/// Recover it with [`ObjectError::of`]; the carrying error's kind is [`ObjectError::kind`], and
/// [`ObjectError::python_class`] names the exception Python's `fsspec`/`s3fs` file objects raise for
/// the same failure.
///
/// # Examples
///
/// ```
/// use std::io;
/// use strata_object::ObjectError;
///
/// let err = io::Error::from(ObjectError::InvalidUrl {
///     url: "ftp://host/x".into(),
///     reason: "unsupported scheme \"ftp\" (use file://, memory:// or s3://)".into(),
/// });
/// assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
/// assert_eq!(
///     err.to_string(),
///     "invalid store URL \"ftp://host/x\": unsupported scheme \"ftp\" (use file://, memory:// or s3://)"
/// );
/// assert!(matches!(ObjectError::of(&err), Some(ObjectError::InvalidUrl { .. })));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum ObjectError {
    /// The store URL cannot be parsed or names a scheme this crate does not serve.
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The store refused or failed an operation on one object; the kind follows the store's error
    /// (not found, permission denied, already exists, …).
    Store {
        /// The operation, e.g. `"read"`, `"upload part of"`, `"complete the upload of"`.
        op: &'static str,
        /// The object's location in its store.
        path: String,
        /// The store's error.
        source: object_store::Error,
    },
    /// A background request was cancelled or panicked before it could answer.
    TaskFailed {
        /// The operation, as for [`ObjectError::Store`].
        op: &'static str,
        /// The object's location in its store.
        path: String,
        /// What the runtime reported.
        reason: String,
    },
    /// A blocking method was called on a thread that is running a tokio runtime, where blocking
    /// would stall (or deadlock) the runtime. Use the async traits of the `tokio` feature there, or
    /// call from `tokio::task::spawn_blocking`.
    InsideRuntime,
    /// The writer's upload failed earlier and was aborted; nothing more can be written.
    UploadFailed {
        /// The object's location in its store.
        path: String,
    },
    /// A write option outside its range, e.g. a part size of 0.
    InvalidOption(String),
}

impl ObjectError {
    /// The typed error inside `err`, if it carries one.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io;
    /// use strata_object::ObjectError;
    ///
    /// let err = io::Error::from(ObjectError::InsideRuntime);
    /// assert!(matches!(ObjectError::of(&err), Some(ObjectError::InsideRuntime)));
    /// assert!(ObjectError::of(&io::Error::other("plain")).is_none());
    /// ```
    pub fn of(err: &io::Error) -> Option<&ObjectError> {
        err.get_ref()
            .and_then(|inner| inner.downcast_ref::<ObjectError>())
    }

    /// The [`io::ErrorKind`] this error travels with.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use strata_object::ObjectError;
    ///
    /// assert_eq!(ObjectError::InsideRuntime.kind(), ErrorKind::Unsupported);
    /// ```
    pub fn kind(&self) -> io::ErrorKind {
        match self {
            ObjectError::InvalidUrl { .. } | ObjectError::InvalidOption(_) => {
                io::ErrorKind::InvalidInput
            }
            ObjectError::Store { source, .. } => store_kind(source),
            ObjectError::TaskFailed { .. } => io::ErrorKind::Interrupted,
            ObjectError::InsideRuntime => io::ErrorKind::Unsupported,
            ObjectError::UploadFailed { .. } => io::ErrorKind::BrokenPipe,
        }
    }

    /// The Python exception class raised for the same failure (`fsspec`'s file objects).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_object::ObjectError;
    ///
    /// assert_eq!(ObjectError::InvalidOption("part size 0".into()).python_class(), "ValueError");
    /// ```
    pub fn python_class(&self) -> &'static str {
        match self.kind() {
            io::ErrorKind::InvalidInput => "ValueError",
            io::ErrorKind::NotFound => "FileNotFoundError",
            io::ErrorKind::AlreadyExists => "FileExistsError",
            io::ErrorKind::PermissionDenied => "PermissionError",
            io::ErrorKind::Unsupported => "io.UnsupportedOperation",
            io::ErrorKind::BrokenPipe => "BrokenPipeError",
            _ => "OSError",
        }
    }

    /// A [`ObjectError::Store`] for `op` on `path`, as an [`io::Error`].
    pub(crate) fn store(
        op: &'static str,
        path: &object_store::path::Path,
    ) -> impl FnOnce(object_store::Error) -> io::Error {
        move |source| {
            ObjectError::Store {
                op,
                path: path.to_string(),
                source,
            }
            .into()
        }
    }
}

/// The kind of an `object_store` error: what a caller matching on `ErrorKind` needs.
fn store_kind(err: &object_store::Error) -> io::ErrorKind {
    use object_store::Error as E;
    match err {
        E::NotFound { .. } => io::ErrorKind::NotFound,
        E::AlreadyExists { .. } => io::ErrorKind::AlreadyExists,
        E::PermissionDenied { .. } | E::Unauthenticated { .. } => io::ErrorKind::PermissionDenied,
        E::NotSupported { .. } | E::NotImplemented { .. } => io::ErrorKind::Unsupported,
        E::InvalidPath { .. } => io::ErrorKind::InvalidInput,
        _ => io::ErrorKind::Other,
    }
}

impl fmt::Display for ObjectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ObjectError::InvalidUrl { url, reason } => {
                write!(f, "invalid store URL {url:?}: {reason}")
            }
            ObjectError::Store { op, path, source } => {
                write!(f, "cannot {op} object {path:?}: {source}")
            }
            ObjectError::TaskFailed { op, path, reason } => {
                write!(
                    f,
                    "cannot {op} object {path:?}: the request was lost ({reason})"
                )
            }
            ObjectError::InsideRuntime => f.write_str(
                "a blocking strata-object method was called from inside a tokio runtime; \
                 use the async traits (feature `tokio`) or tokio::task::spawn_blocking",
            ),
            ObjectError::UploadFailed { path } => write!(
                f,
                "the upload of {path:?} failed earlier and was aborted; nothing more can be written"
            ),
            ObjectError::InvalidOption(what) => f.write_str(what),
        }
    }
}

impl std::error::Error for ObjectError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ObjectError::Store { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<ObjectError> for io::Error {
    fn from(err: ObjectError) -> io::Error {
        io::Error::new(err.kind(), err)
    }
}
