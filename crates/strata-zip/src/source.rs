//! [`Source`]: the archive's stream as the reader sees it, counting every byte it reads and never reading
//! past the window it is given.

use std::error::Error;
use std::fmt;
use std::io::{self, Read, Seek, SeekFrom};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The archive's stream: reads are counted, clipped to a window (`remaining` bytes from the current
/// position), and seeks to the current position are skipped.
///
/// Errors of the stream itself, and an end of file inside the window (the archive is shorter than its
/// directory says), come out wrapped in [`SourceError`], so that a decoder passing them through can be
/// told apart from a decoder reporting damaged data.
pub(crate) struct Source<R> {
    inner: R,
    /// The stream position, as far as this wrapper moved it.
    pos: u64,
    /// Bytes read from the stream so far.
    read: u64,
    /// Bytes the current window still allows.
    remaining: u64,
    /// Set when the entry reading through this window is dropped: the `zip` crate drains an entry's
    /// remaining bytes on drop, and reading them would only cost I/O.
    closed: Arc<AtomicBool>,
}

/// An error of the underlying stream (or its end, inside the window), as it passes through a decoder.
#[derive(Debug)]
pub(crate) enum SourceError {
    /// The stream failed; the error is the stream's own.
    Io(io::Error),
    /// The stream ended inside the window: the archive is truncated.
    Eof,
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceError::Io(err) => err.fmt(f),
            SourceError::Eof => f.write_str("truncated archive"),
        }
    }
}

impl Error for SourceError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            SourceError::Io(err) => Some(err),
            SourceError::Eof => None,
        }
    }
}

impl SourceError {
    /// The [`SourceError`] inside `err`, taken out of it, or `err` back when it carries none.
    pub(crate) fn take(err: io::Error) -> Result<SourceError, io::Error> {
        if !err.get_ref().is_some_and(|inner| inner.is::<SourceError>()) {
            return Err(err);
        }
        let kind = err.kind();
        match err
            .into_inner()
            .map(|inner| inner.downcast::<SourceError>())
        {
            Some(Ok(source)) => Ok(*source),
            // Unreachable after the check above; rebuilt rather than unwrapped.
            _ => Err(io::Error::from(kind)),
        }
    }
}

impl<R: Read + Seek> Source<R> {
    /// Wraps `inner`, which is at stream position `pos`.
    pub(crate) fn new(inner: R, pos: u64) -> Source<R> {
        Source {
            inner,
            pos,
            read: 0,
            remaining: 0,
            closed: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The stream's length (it is left where it was).
    pub(crate) fn len(&mut self) -> io::Result<u64> {
        let end = self.inner.seek(SeekFrom::End(0))?;
        self.inner.seek(SeekFrom::Start(self.pos))?;
        Ok(end)
    }

    /// Opens a window of `len` bytes at `start`, and returns the flag that closes it early.
    pub(crate) fn window(&mut self, start: u64, len: u64) -> io::Result<Arc<AtomicBool>> {
        if self.pos != start {
            self.pos = self.inner.seek(SeekFrom::Start(start))?;
        }
        self.remaining = len;
        self.closed = Arc::new(AtomicBool::new(false));
        Ok(Arc::clone(&self.closed))
    }

    /// The stream, given back.
    pub(crate) fn into_inner(self) -> R {
        self.inner
    }
}

impl<R> Source<R> {
    /// Bytes read from the stream so far.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.read
    }
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.remaining == 0 || buf.is_empty() || self.closed.load(Ordering::Relaxed) {
            return Ok(0);
        }
        let want = buf
            .len()
            .min(usize::try_from(self.remaining).unwrap_or(usize::MAX));
        let n = loop {
            match self.inner.read(&mut buf[..want]) {
                Ok(n) => break n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => {
                    let kind = err.kind();
                    return Err(io::Error::new(kind, SourceError::Io(err)));
                }
            }
        };
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                SourceError::Eof,
            ));
        }
        self.pos += n as u64;
        self.read += n as u64;
        self.remaining -= n as u64;
        Ok(n)
    }
}
