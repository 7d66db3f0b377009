//! [`SpooledIO`]'s async traits: tokio's under the `tokio` feature, the `futures` crate's under
//! `futures-io`. Each call is the sync operation and returns ready (see `strata_buffered::ready`).
//! After rollover a call blocks the polling thread for the file operation: see [`SpooledIO`]'s
//! section on async.

use std::io::{self, BufRead, SeekFrom, Write};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::SpooledIO;
#[cfg(feature = "tokio")]
use strata_buffered::ready;

#[cfg(feature = "tokio")]
impl tokio::io::AsyncRead for SpooledIO {
    fn poll_read(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        ready::poll_read(self.get_mut(), buf)
    }
}

#[cfg(feature = "tokio")]
impl tokio::io::AsyncBufRead for SpooledIO {
    fn poll_fill_buf(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        Poll::Ready(self.get_mut().fill_buf())
    }

    fn consume(self: Pin<&mut Self>, amount: usize) {
        BufRead::consume(self.get_mut(), amount);
    }
}

#[cfg(feature = "tokio")]
impl tokio::io::AsyncWrite for SpooledIO {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Poll::Ready(self.get_mut().write(buf))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.get_mut().flush())
    }

    /// Flushes only: the contents stay readable, as after `flush` (closing would discard them).
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.get_mut().flush())
    }
}

#[cfg(feature = "tokio")]
impl tokio::io::AsyncSeek for SpooledIO {
    fn start_seek(self: Pin<&mut Self>, position: SeekFrom) -> io::Result<()> {
        ready::start_seek(self.get_mut(), position)
    }

    fn poll_complete(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<u64>> {
        ready::poll_complete(self.get_mut())
    }
}

#[cfg(feature = "futures-io")]
impl futures_io::AsyncRead for SpooledIO {
    fn poll_read(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        Poll::Ready(io::Read::read(self.get_mut(), buf))
    }
}

#[cfg(feature = "futures-io")]
impl futures_io::AsyncBufRead for SpooledIO {
    fn poll_fill_buf(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        Poll::Ready(self.get_mut().fill_buf())
    }

    fn consume(self: Pin<&mut Self>, amount: usize) {
        BufRead::consume(self.get_mut(), amount);
    }
}

#[cfg(feature = "futures-io")]
impl futures_io::AsyncWrite for SpooledIO {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Poll::Ready(self.get_mut().write(buf))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.get_mut().flush())
    }

    /// Flushes only: the contents stay readable (closing would discard them).
    fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.get_mut().flush())
    }
}

#[cfg(feature = "futures-io")]
impl futures_io::AsyncSeek for SpooledIO {
    fn poll_seek(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        position: SeekFrom,
    ) -> Poll<io::Result<u64>> {
        Poll::Ready(io::Seek::seek(self.get_mut(), position))
    }
}
