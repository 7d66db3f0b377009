//! The pipe's async ends (feature `stream`; `tokio` and `futures-io` add those crates' I/O traits):
//! [`AsyncPipeReader`] and [`AsyncPipeWriter`], made from the sync ends with
//! [`PipeReader::into_async`] and [`PipeWriter::into_async`], so any mix of sync and async ends
//! works on one pipe.
//!
//! An async end waits as a task, not a thread: when there is nothing to do it polls as the sync end
//! does (spinning for at most 32 µs, then yielding the processor up to 8 times, which keeps both
//! ends off the slow path of a sleep and a wake-up), then registers its waker and returns `Pending`,
//! and the other end wakes it exactly where it would notify a sleeping thread. The wake-up protocol
//! is the sync one (a flag raised after the waker is registered, a fence pair between the two
//! sides), so no wake-up is lost, and it takes no lock: a sync writer under
//! [`Overflow::Fail`](crate::Overflow::Fail) or
//! [`Overflow::OverwriteOldest`](crate::Overflow::OverwriteOldest) still never blocks and never
//! allocates with an async reader on the other end. The one piece of code it runs for that reader
//! is the reader's `Waker`, once per wait: that is the executor's (tokio's puts the task on its run
//! queue, under a short lock of its scheduler when called from a thread outside the runtime).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use strata_raw::{IoBase, ensure_open};

use crate::pipe::{End, PipeStats};
use crate::{PipeReader, PipeWriter};

/// The reading end of a pipe, for async code: a [`Stream`] of [`Bytes`] chunks (each everything
/// buffered when it is polled, as [`PipeReader::drain`]), and with the `tokio` or `futures-io`
/// feature those crates' `AsyncRead` and `AsyncBufRead` (`poll_fill_buf` lends the ring without a
/// copy under `Block` and `Fail`).
///
/// Results are the sync reader's: the data, then the writer's closing error if it gave one, then end
/// of file (an empty read; the stream ends). A stream item that is an error is followed by the end
/// of the stream once the writer closed.
///
/// # Examples
///
/// A sync writer thread (a device callback) and an async reader:
///
/// ```
/// use std::io::Write;
/// use tokio::io::AsyncReadExt;
///
/// # tokio::runtime::Builder::new_current_thread().build()?.block_on(async {
/// let (mut writer, reader) = strata_pipe::pipe(64)?;
/// let mut reader = reader.into_async();
/// let capture = std::thread::spawn(move || -> std::io::Result<()> {
///     for block in [b"one ", b"two "] {
///         writer.write_all(block)?;
///     }
///     writer.close()
/// });
/// let mut received = Vec::new();
/// reader.read_to_end(&mut received).await?;
/// assert_eq!(received, b"one two ");
/// capture.join().expect("capture thread")?;
/// # Ok::<(), std::io::Error>(())
/// # })?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct AsyncPipeReader {
    inner: PipeReader,
}

/// The writing end of a pipe, for async code: with the `tokio` or `futures-io` feature, those
/// crates' `AsyncWrite`. Under [`Overflow::Block`](crate::Overflow::Block) a full pipe makes the task wait (woken by the
/// reader once half the pipe is free); [`Overflow::Fail`](crate::Overflow::Fail) answers
/// [`io::ErrorKind::WouldBlock`] as the sync writer does, and
/// [`Overflow::OverwriteOldest`](crate::Overflow::OverwriteOldest) never waits. Shutting it down
/// closes the pipe: the reader sees end of file after the data.
///
/// # Examples
///
/// ```
/// use std::io::Read;
/// use tokio::io::AsyncWriteExt;
///
/// # tokio::runtime::Builder::new_current_thread().build()?.block_on(async {
/// let (writer, mut reader) = strata_pipe::pipe(4)?;
/// let mut writer = writer.into_async();
/// // A sync reader thread; the pipe holds 4 bytes, so the task waits for it twice.
/// let consumer = std::thread::spawn(move || {
///     let mut all = Vec::new();
///     reader.read_to_end(&mut all).map(|_| all)
/// });
/// writer.write_all(b"0123456789").await?;
/// writer.shutdown().await?;
/// assert_eq!(consumer.join().expect("reader thread")?, b"0123456789");
/// # Ok::<(), std::io::Error>(())
/// # })?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct AsyncPipeWriter {
    inner: PipeWriter,
}

impl PipeReader {
    /// This reader as an async end; see [`AsyncPipeReader`].
    ///
    /// # Examples
    ///
    /// ```
    /// let (_writer, reader) = strata_pipe::pipe(64)?;
    /// let reader = reader.into_async();
    /// assert_eq!(reader.stats().capacity, 64);
    /// Ok::<(), std::io::Error>(())
    /// ```
    pub fn into_async(self) -> AsyncPipeReader {
        AsyncPipeReader { inner: self }
    }
}

impl PipeWriter {
    /// This writer as an async end; see [`AsyncPipeWriter`].
    ///
    /// # Examples
    ///
    /// ```
    /// let (writer, _reader) = strata_pipe::pipe(64)?;
    /// let writer = writer.into_async();
    /// assert_eq!(writer.stats().capacity, 64);
    /// Ok::<(), std::io::Error>(())
    /// ```
    pub fn into_async(self) -> AsyncPipeWriter {
        AsyncPipeWriter { inner: self }
    }
}

impl AsyncPipeReader {
    /// The sync reader again, for a thread.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Read, Write};
    ///
    /// let (mut writer, reader) = strata_pipe::pipe(64)?;
    /// let mut reader = reader.into_async().into_sync();
    /// writer.write_all(b"hi")?;
    /// drop(writer);
    /// let mut all = String::new();
    /// reader.read_to_string(&mut all)?;
    /// assert_eq!(all, "hi");
    /// Ok::<(), std::io::Error>(())
    /// ```
    pub fn into_sync(self) -> PipeReader {
        self.inner
    }

    /// The pipe's counters; see [`PipeStats`].
    ///
    /// # Examples
    ///
    /// See [`PipeReader::into_async`].
    pub fn stats(&self) -> PipeStats {
        self.inner.stats()
    }

    /// Closes the reading end; see [`PipeReader::close`].
    ///
    /// # Errors
    ///
    /// None today; the signature matches [`IoBase::close`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    ///
    /// let (mut writer, reader) = strata_pipe::pipe(64)?;
    /// reader.into_async().close()?;
    /// assert_eq!(writer.write(b"x").unwrap_err().kind(), std::io::ErrorKind::BrokenPipe);
    /// Ok::<(), std::io::Error>(())
    /// ```
    pub fn close(mut self) -> io::Result<()> {
        self.inner.close()
    }

    /// Reads what is buffered into `buf`, or registers the task and returns `Pending` when nothing
    /// is; `Ok(0)` at end of file.
    #[cfg(feature = "futures-io")]
    fn poll_read_into(&mut self, cx: &Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        if let Err(error) = ensure_open(self.inner.closed()) {
            return Poll::Ready(Err(error));
        }
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        loop {
            match self.inner.read_now(buf) {
                0 => match self.inner.poll_wait_readable(cx) {
                    Poll::Ready(Ok(true)) => {}
                    Poll::Ready(Ok(false)) => return Poll::Ready(Ok(0)),
                    Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
                    Poll::Pending => return Poll::Pending,
                },
                n => return Poll::Ready(Ok(n)),
            }
        }
    }

    /// The contiguous part of what is buffered, or `Pending` when nothing is; empty at end of file.
    #[cfg(any(feature = "tokio", feature = "futures-io"))]
    fn poll_chunk(&mut self, cx: &Context<'_>) -> Poll<io::Result<&[u8]>> {
        if let Err(error) = ensure_open(self.inner.closed()) {
            return Poll::Ready(Err(error));
        }
        // Under `OverwriteOldest` the writer may discard what was buffered between the wait and the
        // look: wait again rather than return the empty slice that means end of file.
        while self.inner.chunk().is_empty() {
            match self.inner.poll_wait_readable(cx) {
                Poll::Ready(Ok(true)) => {}
                Poll::Ready(Ok(false)) => return Poll::Ready(Ok(&[])),
                Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(self.inner.chunk()))
    }
}

impl Stream for AsyncPipeReader {
    type Item = io::Result<Bytes>;

    /// Everything buffered when data is there (as [`PipeReader::drain`]), `Pending` while nothing
    /// is; the writer's closing error as an item; `None` at end of file.
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<io::Result<Bytes>>> {
        let this = self.get_mut();
        if this.inner.closed() {
            return Poll::Ready(None);
        }
        loop {
            match this.inner.poll_wait_readable(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(false)) => return Poll::Ready(None),
                Poll::Ready(Err(error)) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Ok(true)) => match this.inner.drain() {
                    // Discarded by an `OverwriteOldest` writer since the look: wait again.
                    Ok(chunk) if chunk.is_empty() => {}
                    result => return Poll::Ready(Some(result)),
                },
            }
        }
    }
}

impl AsyncPipeWriter {
    /// The sync writer again, for a thread.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    ///
    /// let (writer, mut reader) = strata_pipe::pipe(64)?;
    /// let mut writer = writer.into_async().into_sync();
    /// writer.write_all(b"hi")?;
    /// assert_eq!(reader.drain()?, &b"hi"[..]);
    /// Ok::<(), std::io::Error>(())
    /// ```
    pub fn into_sync(self) -> PipeWriter {
        self.inner
    }

    /// The pipe's counters; see [`PipeStats`].
    ///
    /// # Examples
    ///
    /// See [`PipeWriter::into_async`].
    pub fn stats(&self) -> PipeStats {
        self.inner.stats()
    }

    /// Closes the writing end: the reader gets the data, then end of file. Shutting the writer down
    /// through `AsyncWrite` does the same.
    ///
    /// # Errors
    ///
    /// None today; the signature matches [`IoBase::close`].
    ///
    /// # Examples
    ///
    /// ```
    /// let (writer, mut reader) = strata_pipe::pipe(64)?;
    /// writer.into_async().close()?;
    /// assert!(reader.drain()?.is_empty());
    /// Ok::<(), std::io::Error>(())
    /// ```
    pub fn close(mut self) -> io::Result<()> {
        self.inner.close()
    }

    /// Closes the writing end with `error`, which the reader gets after the data; see
    /// [`PipeWriter::close_with_error`].
    ///
    /// # Errors
    ///
    /// [`Error::Closed`](strata_raw::Error::Closed) when already closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Error, ErrorKind, Read};
    ///
    /// let (writer, mut reader) = strata_pipe::pipe(64)?;
    /// writer.into_async().close_with_error(Error::new(ErrorKind::ConnectionReset, "device lost"))?;
    /// assert_eq!(reader.read(&mut [0; 8]).unwrap_err().kind(), ErrorKind::ConnectionReset);
    /// Ok::<(), std::io::Error>(())
    /// ```
    pub fn close_with_error(mut self, error: io::Error) -> io::Result<()> {
        self.inner.close_with_error(error)
    }

    /// Writes what fits, waiting as a task under [`Overflow::Block`](crate::Overflow::Block); see [`AsyncPipeWriter`].
    fn poll_write_from(&mut self, cx: &Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.inner.poll_write_with(buf, |shared, spin, go, ready| {
            shared.poll_wait(End::Writer, spin, cx.waker(), go, ready)
        })
    }
}

#[cfg(feature = "tokio")]
impl tokio::io::AsyncRead for AsyncPipeReader {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match this.poll_chunk(cx) {
            Poll::Ready(Ok(chunk)) => {
                let n = chunk.len().min(buf.remaining());
                buf.put_slice(&chunk[..n]);
                std::io::BufRead::consume(&mut this.inner, n);
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
            Poll::Pending => Poll::Pending,
        }
    }
}

#[cfg(feature = "tokio")]
impl tokio::io::AsyncBufRead for AsyncPipeReader {
    fn poll_fill_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        self.get_mut().poll_chunk(cx)
    }

    fn consume(self: Pin<&mut Self>, amount: usize) {
        std::io::BufRead::consume(&mut self.get_mut().inner, amount);
    }
}

#[cfg(feature = "tokio")]
impl tokio::io::AsyncWrite for AsyncPipeWriter {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().poll_write_from(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(std::io::Write::flush(&mut self.get_mut().inner))
    }

    /// Closes the writing end: the reader gets end of file after the data.
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.get_mut().inner.close())
    }
}

#[cfg(feature = "futures-io")]
impl futures_io::AsyncRead for AsyncPipeReader {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().poll_read_into(cx, buf)
    }
}

#[cfg(feature = "futures-io")]
impl futures_io::AsyncBufRead for AsyncPipeReader {
    fn poll_fill_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        self.get_mut().poll_chunk(cx)
    }

    fn consume(self: Pin<&mut Self>, amount: usize) {
        std::io::BufRead::consume(&mut self.get_mut().inner, amount);
    }
}

#[cfg(feature = "futures-io")]
impl futures_io::AsyncWrite for AsyncPipeWriter {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().poll_write_from(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(std::io::Write::flush(&mut self.get_mut().inner))
    }

    /// Closes the writing end: the reader gets end of file after the data.
    fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.get_mut().inner.close())
    }
}
