//! [`PipeWriter`], the writing end of a pipe.

use std::io::{self, Write};
use std::task::Poll;

use strata_raw::{Error, IoBase, ensure_open};

use crate::pipe::{End, Overflow, PipeStats, Shared, Spin};
use crate::ring::{HEADER, Producer};

/// The writing end of a pipe: [`Write`] plus a non-blocking [`PipeWriter::try_write`].
///
/// Bytes are visible to the reader as soon as a write returns; [`Write::flush`] has nothing to do.
/// Closing ([`PipeWriter::close`], or dropping the writer) lets the reader reach end of file after
/// the data; [`PipeWriter::close_with_error`] hands it an error instead, and so does a writer dropped
/// while its thread unwinds from a panic ([`io::ErrorKind::BrokenPipe`], "the writer panicked"), so
/// that data cut short never looks complete.
///
/// # Full pipe
///
/// - [`Overflow::Block`]: [`Write::write`] waits until room is made, then takes what fits. (It
///   polls for a few microseconds and yields the processor a few times, then sleeps until half the
///   pipe, at most 64 KiB, is free, so that
///   a busy reader does not have to wake it for every read.)
/// - [`Overflow::Fail`]: [`Write::write`] takes what fits (a short write) and fails with
///   [`io::ErrorKind::WouldBlock`] (0 bytes written) when nothing fits; [`Write::write_all`] fails
///   with `characters_written` set to the bytes of the call it did store (Python's
///   `BlockingIOError`).
/// - [`Overflow::OverwriteOldest`]: every write succeeds. Each write (up to `capacity` bytes; a
///   longer buffer is a short write, so `write_all` sends it as several writes) is kept **whole or
///   dropped whole**. To make room, the writer discards the oldest buffered writes. The one exception:
///   when the reader is copying the oldest write out at that very moment, nothing older can go
///   without cutting a write the reader has started, so the new write is dropped instead. Either
///   way the drop is counted in [`PipeStats::bytes_dropped`] and [`PipeStats::writes_dropped`].
///   So the reader receives a subsequence of the writes, in order, each complete, and
///   `bytes_written = bytes_read + bytes_dropped + bytes still buffered`.
///
/// # Real-time use
///
/// Under [`Overflow::OverwriteOldest`], and under [`Overflow::Fail`] for every write that stores at
/// least one byte, a write never blocks and never allocates: a few atomic operations and a copy. When
/// the reader sleeps, the writer wakes it with a *try*-lock and a notification; in the rare case
/// that the reader holds the lock at that instant (it is between its last look and its sleep), the
/// next write wakes it, and a reader of such a pipe looks again every 10 ms anyway. A completely full
/// pipe under `Fail` makes `write` and `try_write` return a bare [`io::ErrorKind::WouldBlock`] error,
/// which std builds without allocating ([`Error::characters_written`] reads it as 0). Only
/// `write_all`, whose error must carry how many bytes of the call were stored, allocates that error's
/// payload; a callback that must never allocate uses `write`/`try_write`.
///
/// # Examples
///
/// ```
/// use std::io::Write;
/// use strata_pipe::{Overflow, PipeBuilder};
///
/// let (mut writer, mut reader) = PipeBuilder::new().capacity(8).overflow(Overflow::OverwriteOldest).build()?;
/// for block in [b"aaaa", b"bbbb", b"cccc"] {
///     writer.write_all(block)?; // never blocks: the oldest block makes room
/// }
/// assert_eq!(reader.drain()?, &b"cccc"[..]);
/// assert_eq!((writer.stats().writes_dropped, writer.stats().bytes_dropped), (2, 8));
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct PipeWriter {
    ring: Producer<Shared>,
    spin: Spin,
    closed: bool,
}

impl std::fmt::Debug for PipeWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PipeWriter")
            .field("overflow", &self.overflow())
            .field("closed", &self.closed)
            .field("stats", &self.stats())
            .finish()
    }
}

impl PipeWriter {
    pub(crate) fn new(ring: Producer<Shared>) -> PipeWriter {
        PipeWriter {
            ring,
            spin: Spin::default(),
            closed: false,
        }
    }

    /// Writes what fits now and never blocks, whatever the policy (under [`Overflow::Block`] a full
    /// pipe fails as under [`Overflow::Fail`]).
    ///
    /// # Errors
    ///
    /// A bare [`io::ErrorKind::WouldBlock`] (no allocation; [`Error::characters_written`] reads it as
    /// 0) when nothing fits (never under [`Overflow::OverwriteOldest`]); [`io::ErrorKind::BrokenPipe`] once the reader is gone;
    /// [`Error::Closed`] after [`PipeWriter::close`].
    ///
    /// # Examples
    ///
    /// ```
    /// let (mut writer, _reader) = strata_pipe::pipe(4)?;
    /// assert_eq!(writer.try_write(b"abc")?, 3);
    /// assert_eq!(writer.try_write(b"def")?, 1);
    /// let err = writer.try_write(b"g").unwrap_err();
    /// assert_eq!(strata_raw::Error::characters_written(&err), Some(0));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn try_write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.check_open()?;
        match self.store(buf) {
            // A bare kind: std builds it without allocating (real-time writers rely on it).
            0 if !buf.is_empty() => Err(io::ErrorKind::WouldBlock.into()),
            n => Ok(n),
        }
    }

    /// Closes the writing end: the reader gets the data written so far, then end of file. Closing
    /// again does nothing. Dropping the writer closes it too.
    ///
    /// # Errors
    ///
    /// None today; the signature matches [`IoBase::close`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Read, Write};
    ///
    /// let (mut writer, mut reader) = strata_pipe::pipe(64)?;
    /// writer.write_all(b"last words")?;
    /// writer.close()?;
    /// let mut all = Vec::new();
    /// reader.read_to_end(&mut all)?;
    /// assert_eq!(all, b"last words");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn close(&mut self) -> io::Result<()> {
        if !self.closed {
            self.closed = true;
            self.ring.shared().close(End::Writer, None);
        }
        Ok(())
    }

    /// Closes the writing end with an error: the reader gets the data written before it, then
    /// `error` (once), then end of file. Use it to pass a capture failure on to the consumer.
    ///
    /// # Errors
    ///
    /// [`Error::Closed`] when the writer is already closed (so `error` would reach no one).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{self, Read, Write};
    ///
    /// let (mut writer, mut reader) = strata_pipe::pipe(64)?;
    /// writer.write_all(b"partial")?;
    /// writer.close_with_error(io::Error::other("device unplugged"))?;
    /// let mut buf = [0; 16];
    /// assert_eq!(reader.read(&mut buf)?, 7);
    /// assert_eq!(reader.read(&mut buf).unwrap_err().to_string(), "device unplugged");
    /// assert_eq!(reader.read(&mut buf)?, 0);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn close_with_error(&mut self, error: io::Error) -> io::Result<()> {
        ensure_open(self.closed)?;
        self.closed = true;
        self.ring.shared().close(End::Writer, Some(error));
        Ok(())
    }

    /// Bytes a write could store right now without waiting or dropping anything.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    ///
    /// let (mut writer, _reader) = strata_pipe::pipe(10)?;
    /// writer.write_all(b"1234")?;
    /// assert_eq!(writer.free(), 6);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn free(&self) -> usize {
        match self.overflow() {
            Overflow::OverwriteOldest => self.ring.free().saturating_sub(HEADER),
            Overflow::Block | Overflow::Fail => self.ring.free(),
        }
    }

    /// The pipe's counters; the same as the reader's [`PipeReader::stats`](crate::PipeReader::stats).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    ///
    /// let (mut writer, _reader) = strata_pipe::pipe(10)?;
    /// writer.write_all(b"1234")?;
    /// assert_eq!(writer.stats().bytes_written, 4);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn stats(&self) -> PipeStats {
        self.ring.shared().stats()
    }

    /// The pipe's overflow policy.
    ///
    /// # Examples
    ///
    /// ```
    /// let (writer, _reader) = strata_pipe::pipe(10)?;
    /// assert_eq!(writer.overflow(), strata_pipe::Overflow::Block);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn overflow(&self) -> Overflow {
        self.ring.shared().overflow
    }

    /// The write loop both ways of waiting share: stores what fits, and under [`Overflow::Block`]
    /// waits once with `wait` (a thread sleeps, a task registers and gets `false`: `Pending`)
    /// until something fits. The other policies never wait.
    pub(crate) fn poll_write_with(
        &mut self,
        buf: &[u8],
        mut wait: impl FnMut(&Shared, &mut Spin, &dyn Fn() -> bool, &dyn Fn() -> bool) -> bool,
    ) -> Poll<io::Result<usize>> {
        if self.overflow() != Overflow::Block {
            return Poll::Ready(self.try_write(buf));
        }
        loop {
            if let Err(error) = self.check_open() {
                return Poll::Ready(Err(error));
            }
            match self.store(buf) {
                0 if !buf.is_empty() => {
                    let shared = self.ring.shared();
                    shared.count_wait();
                    let ring = &self.ring;
                    let go = || ring.free() > 0;
                    let ready = || ring.free() >= shared.resume_at || shared.closed(End::Reader);
                    if !wait(shared, &mut self.spin, &go, &ready) {
                        return Poll::Pending;
                    }
                }
                n => return Poll::Ready(Ok(n)),
            }
        }
    }

    fn check_open(&self) -> io::Result<()> {
        if self.closed {
            return Err(Error::Closed { op: Some("write") }.into());
        }
        if self.ring.shared().closed(End::Reader) {
            return Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "broken pipe: the reading end is closed",
            ));
        }
        Ok(())
    }

    /// Stores what the policy lets through without waiting; returns the bytes accepted.
    fn store(&mut self, buf: &[u8]) -> usize {
        if buf.is_empty() {
            return 0; // not even an empty record: nothing to deliver, nothing to drop
        }
        let (accepted, dropped) = match self.overflow() {
            Overflow::OverwriteOldest => {
                let record = buf.len().min(self.ring.capacity() - HEADER);
                let pushed = self.ring.push_record(&buf[..record]);
                (record, pushed)
            }
            Overflow::Block | Overflow::Fail => (self.ring.push(buf), Default::default()),
        };
        let shared = self.ring.shared();
        if dropped.dropped_writes > 0 {
            shared.count_dropped(dropped.dropped_bytes, dropped.dropped_writes);
        }
        if accepted > 0 {
            let ring = &self.ring;
            shared.count_write(accepted, ring.len_at_most(), || ring.len());
            match self.overflow() {
                Overflow::Block => shared.wake(End::Reader),
                Overflow::Fail | Overflow::OverwriteOldest => shared.try_wake(End::Reader),
            }
        }
        accepted
    }
}

impl Write for PipeWriter {
    /// Writes what fits; under [`Overflow::Block`] waits until something fits. See [`PipeWriter`].
    ///
    /// # Errors
    ///
    /// As [`PipeWriter::try_write`], except that under [`Overflow::Block`] a full pipe waits instead.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        loop {
            let waited = self.poll_write_with(buf, |shared, spin, go, ready| {
                shared.wait(End::Writer, spin, None, go, ready)
            });
            // A thread never registers a waker and has no deadline here, so `Pending` cannot come;
            // it would only mean "look again" (as in the reader's `wait_readable`), never `Ok(0)`.
            if let Poll::Ready(result) = waited {
                return result;
            }
        }
    }

    /// Writes all of `buf`.
    ///
    /// # Errors
    ///
    /// Under [`Overflow::Fail`], [`Error::WouldBlock`] with `characters_written` set to the bytes of
    /// `buf` that were stored; otherwise as [`Write::write`].
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        strata_raw::write_all_counted(self, buf)
    }

    /// Nothing to do: written bytes are already visible to the reader.
    ///
    /// # Errors
    ///
    /// [`Error::Closed`] after [`PipeWriter::close`].
    fn flush(&mut self) -> io::Result<()> {
        ensure_open(self.closed)
    }
}

impl IoBase for PipeWriter {
    fn closed(&self) -> bool {
        self.closed
    }

    fn close(&mut self) -> io::Result<()> {
        PipeWriter::close(self)
    }

    fn writable(&self) -> io::Result<bool> {
        ensure_open(self.closed).map(|()| true)
    }
}

impl Drop for PipeWriter {
    /// Closes the writing end: the reader sees end of file after the data, or, when the writer is
    /// dropped by a panic unwinding its thread, an [`io::ErrorKind::BrokenPipe`] error, because the
    /// data may stop short of what the writer meant to send.
    fn drop(&mut self) {
        if std::thread::panicking() && !self.closed {
            let error = io::Error::new(
                io::ErrorKind::BrokenPipe,
                "the writer panicked: the data in the pipe may be incomplete",
            );
            // Cannot fail: the writer is open.
            let _ = self.close_with_error(error);
        } else {
            // `close` cannot fail.
            let _ = PipeWriter::close(self);
        }
    }
}
