//! The temp-path bridge: hand bytes to an API that only reads a path, or take back the bytes an API
//! could only write to a path, with the temporary file always removed.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use bytes::Bytes;
use tempfile::{Builder, TempPath};

use crate::map;

/// Writes `data` to a fresh temporary file in the system's temporary directory (`TMPDIR` on Unix),
/// calls `f` with its path and removes the file.
///
/// For APIs that can only *read* a path. The file is created with an unpredictable name ending in
/// `suffix` (give the extension the API looks at, e.g. `".wav"`), readable and writable by the owner
/// only (mode `0600` on Unix), and closed before `f` runs.
///
/// The file is removed whatever `f` does: it returns, fails, or panics (the panic then carries on
/// unchanged, and a removal failure during it cannot be reported). `f` may delete the file itself.
///
/// # Errors
///
/// - [`io::ErrorKind::InvalidInput`] when `suffix` contains a path separator;
/// - the error of creating or writing the file, or `f`'s error;
/// - a [`RemoveError`] (downcast with [`RemoveError::of`]) when the file cannot be removed, e.g.
///   because `f` replaced it with a directory; it carries `f`'s error too if there was one, and the
///   value `f` returned is dropped. A file that is already gone is not an error.
///
/// # Examples
///
/// ```
/// // A library that insists on a path:
/// fn count_lines(path: &std::path::Path) -> std::io::Result<usize> {
///     Ok(std::fs::read_to_string(path)?.lines().count())
/// }
///
/// let received: &[u8] = b"a\nb\nc\n"; // e.g. from the network
/// let lines = strata_spool::read_via_path(received, ".txt", |path| {
///     assert!(path.to_string_lossy().ends_with(".txt"));
///     count_lines(path)
/// })?;
/// assert_eq!(lines, 3);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_via_path<T, F>(data: &[u8], suffix: &str, f: F) -> io::Result<T>
where
    F: FnOnce(&Path) -> io::Result<T>,
{
    read_via_path_in(tempfile::env::temp_dir(), data, suffix, f)
}

/// [`read_via_path`] with the temporary file in `dir`.
///
/// # Errors
///
/// As [`read_via_path`]; [`io::ErrorKind::NotFound`] when `dir` does not exist.
///
/// # Examples
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let size = strata_spool::read_via_path_in(dir.path(), b"12345", ".bin", |path| {
///     assert_eq!(path.parent(), Some(dir.path()));
///     Ok(std::fs::metadata(path)?.len())
/// })?;
/// assert_eq!(size, 5);
/// assert_eq!(std::fs::read_dir(dir.path())?.count(), 0); // removed
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_via_path_in<T, F>(
    dir: impl AsRef<Path>,
    data: &[u8],
    suffix: &str,
    f: F,
) -> io::Result<T>
where
    F: FnOnce(&Path) -> io::Result<T>,
{
    with_temp_path(dir.as_ref(), suffix, data, f)
}

/// Gives `f` the path of an empty temporary file in the system's temporary directory (`TMPDIR` on
/// Unix) to write, then returns what it wrote and removes the file.
///
/// For APIs that can only *write* a path. The file exists when `f` runs (mode `0600` on Unix, an
/// unpredictable name ending in `suffix`); `f` may overwrite it, or replace it, e.g. by renaming a
/// new file over it as "atomic save" writers do. When `f` returns, whatever file is at the path is
/// opened, its name removed, and its contents returned: read into memory below
/// [`MAP_THRESHOLD`](crate::MAP_THRESHOLD), otherwise memory-mapped without copying (the map keeps
/// the nameless file alive until the last [`Bytes`] is dropped).
///
/// The map is sound because, once the name is gone (checked: the file's link count is 0), no one
/// can open the file any more; `f` returning is the caller's word that nothing it started still
/// writes the file through a handle it kept. A file `f` hard-linked elsewhere is read, not mapped.
/// Elsewhere than on Unix, the result is always read.
///
/// # Errors
///
/// As [`read_via_path`]; also [`io::ErrorKind::NotFound`] when `f` left no file at the path.
///
/// # Examples
///
/// ```
/// // A library that can only save to a path:
/// fn save_report(path: &std::path::Path) -> std::io::Result<()> {
///     std::fs::write(path, "total: 42\n")
/// }
///
/// let bytes = strata_spool::write_via_path(".txt", save_report)?;
/// assert_eq!(bytes, "total: 42\n"); // ready to send or store
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_via_path<F>(suffix: &str, f: F) -> io::Result<Bytes>
where
    F: FnOnce(&Path) -> io::Result<()>,
{
    write_via_path_in(tempfile::env::temp_dir(), suffix, f)
}

/// [`write_via_path`] with the temporary file in `dir`.
///
/// # Errors
///
/// As [`write_via_path`]; [`io::ErrorKind::NotFound`] when `dir` does not exist.
///
/// # Examples
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let bytes = strata_spool::write_via_path_in(dir.path(), ".bin", |path| {
///     std::fs::write(path, [1, 2, 3])
/// })?;
/// assert_eq!(bytes, [1, 2, 3].as_slice());
/// assert_eq!(std::fs::read_dir(dir.path())?.count(), 0); // removed
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_via_path_in<F>(dir: impl AsRef<Path>, suffix: &str, f: F) -> io::Result<Bytes>
where
    F: FnOnce(&Path) -> io::Result<()>,
{
    let file = with_temp_path(dir.as_ref(), suffix, &[], |path| {
        f(path)?;
        File::open(path).map_err(|err| {
            let msg = format!("no file to read back at {}: {err}", path.display());
            io::Error::new(err.kind(), msg)
        })
    })?;
    // The name is gone now: map only if no other name was made for the file meanwhile.
    let len = file.metadata()?.len();
    let mut watch = map::MapWatch::default(); // nothing writes the file again: no one to tell
    map::snapshot(&file, len, map::unlinked(&file)?.then_some(&mut watch))
}

/// Creates a temporary file in `dir` holding `data`, runs `f` on its path and removes it, reporting
/// both `f`'s outcome and the removal's; a panic in `f` continues after the removal.
fn with_temp_path<T>(
    dir: &Path,
    suffix: &str,
    data: &[u8],
    f: impl FnOnce(&Path) -> io::Result<T>,
) -> io::Result<T> {
    if suffix.chars().any(std::path::is_separator) {
        let msg = format!("temporary file suffix must not contain a path separator: {suffix:?}");
        return Err(io::Error::new(io::ErrorKind::InvalidInput, msg));
    }
    let mut file = Builder::new().suffix(suffix).tempfile_in(dir)?;
    let written = file.write_all(data);
    // Closes our handle: `f` may need the file to itself (Windows) and must see all of `data`.
    let path = file.into_temp_path();
    let outcome = match written {
        Ok(()) => panic::catch_unwind(AssertUnwindSafe(|| f(&path))),
        Err(err) => Ok(Err(err)),
    };
    let removed = remove(path);
    match outcome {
        // Nothing can carry a removal error through a panic; the panic matters more.
        Err(panic) => panic::resume_unwind(panic),
        Ok(result) => match removed {
            Ok(()) => result,
            Err((path, removal)) => Err(RemoveError {
                path,
                removal,
                pending: result.err(),
            }
            .into()),
        },
    }
}

/// Removes the temporary file; a file already gone (deleted or moved away by `f`) is fine.
fn remove(mut path: TempPath) -> Result<(), (PathBuf, io::Error)> {
    // From here on the removal is ours to report, not `TempPath`'s drop to ignore.
    path.disable_cleanup(true);
    match fs::remove_file(&path) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => Err((path.to_path_buf(), err)),
        _ => Ok(()),
    }
}

/// A temporary file of [`read_via_path`] or [`write_via_path`] could not be removed.
///
/// It travels inside the [`io::Error`] those functions return, with the removal error's kind; recover
/// it with [`RemoveError::of`] to learn the path left behind and the error `f` returned, if any.
///
/// # Examples
///
/// ```
/// use strata_spool::RemoveError;
///
/// let dir = tempfile::tempdir()?;
/// // `f` replaces the file with a directory, which a file removal cannot delete.
/// let err = strata_spool::read_via_path_in(dir.path(), b"", ".tmp", |path| {
///     std::fs::remove_file(path)?;
///     std::fs::create_dir(path)
/// })
/// .unwrap_err();
/// let removal = RemoveError::of(&err).expect("a removal error");
/// assert!(removal.path().is_dir());
/// assert!(removal.pending().is_none()); // `f` itself succeeded
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct RemoveError {
    path: PathBuf,
    removal: io::Error,
    pending: Option<io::Error>,
}

impl RemoveError {
    /// The removal error inside `err`, if it is one.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io;
    /// use strata_spool::RemoveError;
    ///
    /// let other = io::Error::other("not a removal");
    /// assert!(RemoveError::of(&other).is_none());
    ///
    /// let dir = tempfile::tempdir()?;
    /// // `f` leaves a directory where the file was: removing "the file" fails.
    /// let err = strata_spool::read_via_path_in(dir.path(), b"", ".tmp", |path| {
    ///     std::fs::remove_file(path)?;
    ///     std::fs::create_dir(path)
    /// })
    /// .unwrap_err();
    /// assert!(RemoveError::of(&err).is_some());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of(err: &io::Error) -> Option<&RemoveError> {
        err.get_ref().and_then(|inner| inner.downcast_ref())
    }

    /// The path that could not be removed.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_spool::RemoveError;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let err = strata_spool::read_via_path_in(dir.path(), b"data", ".bin", |path| {
    ///     std::fs::remove_file(path)?;
    ///     std::fs::create_dir(path)
    /// })
    /// .unwrap_err();
    /// let left = RemoveError::of(&err).expect("a removal error").path();
    /// assert!(left.starts_with(dir.path()) && left.is_dir());
    /// std::fs::remove_dir(left)?; // cleaning up is now the caller's job
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The error `f` (or writing the data) returned before the removal failed, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io;
    /// use strata_spool::RemoveError;
    ///
    /// let dir = tempfile::tempdir()?;
    /// // `f` fails, and leaves behind something the removal cannot delete: both are reported.
    /// let err = strata_spool::read_via_path_in(dir.path(), b"", ".tmp", |path| {
    ///     std::fs::remove_file(path)?;
    ///     std::fs::create_dir(path)?;
    ///     Err::<(), _>(io::Error::other("parse failed"))
    /// })
    /// .unwrap_err();
    /// let removal = RemoveError::of(&err).expect("a removal error");
    /// assert_eq!(removal.pending().map(|e| e.to_string()).as_deref(), Some("parse failed"));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pending(&self) -> Option<&io::Error> {
        self.pending.as_ref()
    }
}

impl fmt::Display for RemoveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "failed to remove temporary file {}: {}",
            self.path.display(),
            self.removal
        )?;
        if let Some(pending) = &self.pending {
            write!(f, " (after the error: {pending})")?;
        }
        Ok(())
    }
}

impl std::error::Error for RemoveError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.removal)
    }
}

impl From<RemoveError> for io::Error {
    fn from(err: RemoveError) -> io::Error {
        io::Error::new(err.removal.kind(), err)
    }
}
