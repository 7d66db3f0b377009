//! Async I/O for streams whose operations never wait: tokio's traits (`tokio` feature) and the
//! `futures` crate's (`futures-io` feature), for [`BytesIO`](crate::BytesIO) here and for any other
//! in-memory stream through the functions below.
//!
//! An in-memory stream is always ready, so each `poll_*` runs the synchronous operation and returns
//! [`Poll::Ready`]: no task is ever parked, and there is no copy beyond the sync path (a read copies
//! from [`BufRead::fill_buf`] straight into the caller's buffer, without zeroing it first). Rust's
//! orphan rule forbids one blanket impl of a foreign trait, so each stream writes its impls and
//! delegates to these functions; `strata-spool`'s `SpooledIO` does the same.

use std::io::{self, BufRead, Seek, SeekFrom};
use std::task::Poll;

/// The body of tokio's `AsyncRead::poll_read` for a stream that never waits: copies what
/// [`BufRead::fill_buf`] lends into `buf` (as much as fits) and consumes it.
///
/// # Errors
///
/// What `fill_buf` reports (for example, the stream is closed).
///
/// # Examples
///
/// ```
/// use std::task::Poll;
/// use strata_buffered::{BytesIO, ready};
///
/// let mut stream = BytesIO::from(&b"abcdef"[..]);
/// let mut storage = [0u8; 4];
/// let mut buf = tokio::io::ReadBuf::new(&mut storage);
/// assert!(matches!(ready::poll_read(&mut stream, &mut buf), Poll::Ready(Ok(()))));
/// assert_eq!(buf.filled(), b"abcd");
/// ```
#[cfg(feature = "tokio")]
pub fn poll_read<T: BufRead>(
    stream: &mut T,
    buf: &mut tokio::io::ReadBuf<'_>,
) -> Poll<io::Result<()>> {
    let available = match stream.fill_buf() {
        Ok(available) => available,
        Err(error) => return Poll::Ready(Err(error)),
    };
    let n = available.len().min(buf.remaining());
    buf.put_slice(&available[..n]);
    stream.consume(n);
    Poll::Ready(Ok(()))
}

/// The body of tokio's `AsyncSeek::start_seek`: seeks now, so that
/// [`poll_complete`] only reports the position.
///
/// # Errors
///
/// What [`Seek::seek`] reports (a negative position, a closed stream).
///
/// # Examples
///
/// ```
/// use std::io::SeekFrom;
/// use std::task::Poll;
/// use strata_buffered::{BytesIO, ready};
///
/// let mut stream = BytesIO::from(&b"abcdef"[..]);
/// ready::start_seek(&mut stream, SeekFrom::End(-2))?;
/// assert!(matches!(ready::poll_complete(&mut stream), Poll::Ready(Ok(4))));
/// Ok::<(), std::io::Error>(())
/// ```
pub fn start_seek<T: Seek>(stream: &mut T, position: SeekFrom) -> io::Result<()> {
    stream.seek(position).map(drop)
}

/// The body of tokio's `AsyncSeek::poll_complete` after [`start_seek`]: the position now.
///
/// # Errors
///
/// What [`Seek::stream_position`] reports (a closed stream).
///
/// # Examples
///
/// See [`start_seek`].
pub fn poll_complete<T: Seek>(stream: &mut T) -> Poll<io::Result<u64>> {
    Poll::Ready(stream.stream_position())
}
