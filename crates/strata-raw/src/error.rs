//! The error model shared by every Strata crate.
//!
//! Every fallible Strata operation returns [`std::io::Result`]. When the failure is one Python's `io`
//! module would report (a closed stream, an unsupported operation, a negative seek, a would-block with a
//! partial write, …), the [`io::Error`] carries a typed [`Error`] as its inner error, with an
//! [`io::ErrorKind`] chosen to fit and a message worded as CPython words it. Callers that need more than the
//! kind downcast with [`Error::of`].

use std::borrow::Cow;
use std::fmt;
use std::io;

/// A failure with a Python-`io` meaning, carried inside an [`io::Error`].
///
/// Build one and convert it with `io::Error::from(err)` (or `?`); recover it with [`Error::of`].
/// Messages follow CPython 3.11's wording where CPython has one (see `docs/python-parity.md`).
///
/// # Examples
///
/// ```
/// use std::io;
/// use strata_raw::Error;
///
/// let err: io::Error = Error::Closed { op: None }.into();
/// assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
/// assert_eq!(err.to_string(), "I/O operation on closed file.");
/// assert!(matches!(Error::of(&err), Some(Error::Closed { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The stream is closed (Python `ValueError`).
    ///
    /// With `op: None` the message is `"I/O operation on closed file."`; the buffered layer names the
    /// operation as CPython does: `"read of closed file"`, `"write to closed file"`.
    Closed {
        /// The operation that was attempted, for the buffered layer's wording.
        op: Option<&'static str>,
    },
    /// The wrapper gave its inner stream away with `detach()` (Python `ValueError`).
    ///
    /// The field names what was detached: `"raw stream"` or `"underlying buffer"`.
    Detached(&'static str),
    /// The stream cannot do this (Python `io.UnsupportedOperation`, [`io::ErrorKind::Unsupported`]).
    ///
    /// The message names the operation, e.g. `"fileno"` or `"File not open for writing"`.
    Unsupported(Cow<'static, str>),
    /// A seek would move before the start of the stream: `"negative seek value -1"`.
    NegativeSeek(i64),
    /// A size or position argument is negative: `"negative size value -1"`.
    NegativeSize(i64),
    /// The operation would block (Python `BlockingIOError`, [`io::ErrorKind::WouldBlock`]).
    ///
    /// `characters_written` counts the bytes of this call that were accepted before blocking.
    WouldBlock {
        /// Bytes of the current write that the stream accepted (buffered or passed down).
        characters_written: usize,
    },
    /// A view of the buffer is alive, so the stream cannot be resized (Python `BufferError`).
    BufferExported,
    /// A wrapped stream broke its contract, e.g. reported more bytes than it was given (Python `OSError`).
    ///
    /// Message: `"raw readinto() returned invalid length 40960 (should have been between 0 and 8192)"`.
    InvalidLength {
        /// The misbehaving call, e.g. `"readinto()"` or `"write()"`.
        call: &'static str,
        /// What it returned.
        returned: usize,
        /// The largest value it was allowed to return.
        max: usize,
    },
    /// An argument with an invalid value (Python `ValueError`), e.g. `"invalid mode: rt"`.
    InvalidArgument(Cow<'static, str>),
}

impl Error {
    /// The typed Strata error inside `err`, if it carries one.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io;
    /// use strata_raw::Error;
    ///
    /// let err = io::Error::from(Error::NegativeSeek(-3));
    /// assert_eq!(Error::of(&err), Some(&Error::NegativeSeek(-3)));
    /// assert_eq!(Error::of(&io::Error::other("plain")), None);
    /// ```
    pub fn of(err: &io::Error) -> Option<&Error> {
        err.get_ref()
            .and_then(|inner| inner.downcast_ref::<Error>())
    }

    /// The `characters_written` of a would-block error, as Python's `BlockingIOError` carries it.
    ///
    /// A bare [`io::ErrorKind::WouldBlock`] error, a kind with no payload at all (a non-blocking
    /// socket's, or one built so as not to allocate), wrote nothing, by std's contract for
    /// `Write::write`: `Some(0)`. Other errors, would-block ones with a message included, give `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io;
    /// use strata_raw::Error;
    ///
    /// let err = io::Error::from(Error::WouldBlock { characters_written: 8 });
    /// assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
    /// assert_eq!(Error::characters_written(&err), Some(8));
    /// assert_eq!(Error::characters_written(&io::ErrorKind::WouldBlock.into()), Some(0));
    /// assert_eq!(Error::characters_written(&io::ErrorKind::BrokenPipe.into()), None);
    /// let read = io::Error::new(io::ErrorKind::WouldBlock, "read could not complete without blocking");
    /// assert_eq!(Error::characters_written(&read), None);
    /// ```
    pub fn characters_written(err: &io::Error) -> Option<usize> {
        match Error::of(err) {
            Some(Error::WouldBlock { characters_written }) => Some(*characters_written),
            None if err.kind() == io::ErrorKind::WouldBlock && err.get_ref().is_none() => Some(0),
            _ => None,
        }
    }

    /// The [`io::ErrorKind`] this error travels with.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use strata_raw::Error;
    ///
    /// assert_eq!(Error::Unsupported("fileno".into()).kind(), ErrorKind::Unsupported);
    /// ```
    pub fn kind(&self) -> io::ErrorKind {
        match self {
            Error::Closed { .. }
            | Error::Detached(_)
            | Error::NegativeSeek(_)
            | Error::NegativeSize(_)
            | Error::InvalidArgument(_) => io::ErrorKind::InvalidInput,
            Error::Unsupported(_) => io::ErrorKind::Unsupported,
            Error::WouldBlock { .. } => io::ErrorKind::WouldBlock,
            Error::BufferExported => io::ErrorKind::ResourceBusy,
            Error::InvalidLength { .. } => io::ErrorKind::InvalidData,
        }
    }

    /// The name of the Python exception class this error corresponds to, e.g. `"ValueError"`.
    ///
    /// The conformance tests compare it with what `python3` raises.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_raw::Error;
    ///
    /// assert_eq!(Error::Closed { op: None }.python_class(), "ValueError");
    /// assert_eq!(Error::BufferExported.python_class(), "BufferError");
    /// ```
    pub fn python_class(&self) -> &'static str {
        match self {
            Error::Closed { .. }
            | Error::Detached(_)
            | Error::NegativeSeek(_)
            | Error::NegativeSize(_)
            | Error::InvalidArgument(_) => "ValueError",
            Error::Unsupported(_) => "UnsupportedOperation",
            Error::WouldBlock { .. } => "BlockingIOError",
            Error::BufferExported => "BufferError",
            Error::InvalidLength { .. } => "OSError",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Closed { op: None } => f.write_str("I/O operation on closed file."),
            Error::Closed { op: Some("write") } => f.write_str("write to closed file"),
            Error::Closed { op: Some(op) } => write!(f, "{op} of closed file"),
            Error::Detached(what) => write!(f, "{what} has been detached"),
            Error::Unsupported(msg) => f.write_str(msg),
            Error::NegativeSeek(value) => write!(f, "negative seek value {value}"),
            Error::NegativeSize(value) => write!(f, "negative size value {value}"),
            Error::WouldBlock { .. } => f.write_str("write could not complete without blocking"),
            Error::BufferExported => {
                f.write_str("Existing exports of data: object cannot be re-sized")
            }
            Error::InvalidLength {
                call,
                returned,
                max,
            } => write!(
                f,
                "raw {call} returned invalid length {returned} (should have been between 0 and {max})"
            ),
            Error::InvalidArgument(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for Error {}

impl From<Error> for io::Error {
    fn from(err: Error) -> io::Error {
        io::Error::new(err.kind(), err)
    }
}

/// `Err` with the closed-file error, for `?` in stream methods.
///
/// # Examples
///
/// ```
/// assert_eq!(strata_raw::ensure_open(false).is_ok(), true);
/// assert_eq!(strata_raw::ensure_open(true).unwrap_err().to_string(), "I/O operation on closed file.");
/// ```
///
/// # Errors
///
/// [`Error::Closed`] when `closed` is true.
#[inline]
pub fn ensure_open(closed: bool) -> io::Result<()> {
    if closed {
        Err(Error::Closed { op: None }.into())
    } else {
        Ok(())
    }
}

/// The [`Error::Unsupported`] error for `operation`, as an [`io::Error`].
///
/// # Examples
///
/// ```
/// let err = strata_raw::unsupported("fileno");
/// assert_eq!(err.kind(), std::io::ErrorKind::Unsupported);
/// assert_eq!(err.to_string(), "fileno");
/// ```
pub fn unsupported(operation: impl Into<Cow<'static, str>>) -> io::Error {
    Error::Unsupported(operation.into()).into()
}
