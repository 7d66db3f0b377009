//! [`PipeReader`], the reading end of a pipe.

use std::io::{self, Read};
#[cfg(feature = "stream")]
use std::task::Context;
use std::task::Poll;
use std::time::{Duration, Instant};

use bytes::Bytes;
#[cfg(not(loom))]
use strata_buffered::BufferedIoBase;
use strata_raw::{IoBase, ensure_open};

use crate::pipe::{End, Overflow, PipeStats, Shared, Spin};
use crate::ring::{self, Consumer, HEADER};

/// The reading end of a pipe: [`Read`], [`BufRead`](std::io::BufRead),
/// [`BufferedIoBase`](strata_buffered::BufferedIoBase) (Python's `read`, `read1`, `readline`, …),
/// [`PipeReader::drain`] and [`PipeReader::read_timeout`].
///
/// Reads wait until data arrives or the writer closes; after the writer closed, the reader gets the
/// remaining data, then the writer's closing error if it gave one (once), then end of file
/// (`Ok(0)`). A writer dropped by a panic in its thread gives an [`io::ErrorKind::BrokenPipe`] error
/// ("the writer panicked") instead of a clean end of file. An empty read means end of file and
/// nothing else: under every policy, no read returns empty while the writer is open. Closing or
/// dropping the reader makes later writes fail with [`io::ErrorKind::BrokenPipe`].
///
/// Under [`Overflow::Block`] and [`Overflow::Fail`] the reader reads straight from the ring, and
/// [`fill_buf`](std::io::BufRead::fill_buf) lends the ring's contiguous readable part without a
/// copy. Under [`Overflow::OverwriteOldest`] the writer may reclaim ring space at any moment, so the
/// reader first moves everything buffered into a buffer of its own (one copy of whole writes, made
/// at build time, never grown) and serves reads from there.
///
/// # Examples
///
/// ```
/// use std::io::{BufRead, Write};
///
/// let (mut writer, mut reader) = strata_pipe::pipe(64)?;
/// writer.write_all(b"line one\nline two\n")?;
/// drop(writer);
/// let lines: Vec<String> = reader.lines().collect::<Result<_, _>>()?;
/// assert_eq!(lines, ["line one", "line two"]);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct PipeReader {
    ring: Consumer<Shared>,
    /// Under `OverwriteOldest`: whole records moved out of the ring, not yet read.
    frames: Option<Frames>,
    spin: Spin,
    closed: bool,
    /// The writer's closing error, met by a read that had already taken bytes: that read returned
    /// them, and the next read raises it (a read that fails has consumed nothing).
    deferred: Option<io::Error>,
}

impl std::fmt::Debug for PipeReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PipeReader")
            .field("overflow", &self.ring.shared().overflow)
            .field("closed", &self.closed)
            .field("stats", &self.stats())
            .finish()
    }
}

impl PipeReader {
    pub(crate) fn new(ring: Consumer<Shared>) -> io::Result<PipeReader> {
        let frames = match ring.shared().overflow {
            Overflow::OverwriteOldest => Some(Frames::new(ring.capacity())?),
            Overflow::Block | Overflow::Fail => None,
        };
        Ok(PipeReader {
            ring,
            frames,
            spin: Spin::default(),
            closed: false,
            deferred: None,
        })
    }

    /// Everything buffered right now, without waiting: empty when nothing is.
    ///
    /// Under [`Overflow::OverwriteOldest`] it never ends inside a write: it returns the rest of a
    /// write that `read` had started, then whole writes.
    ///
    /// # Errors
    ///
    /// The writer's closing error (see
    /// [`PipeWriter::close_with_error`](crate::PipeWriter::close_with_error)) once nothing is
    /// buffered; [`Error::Closed`](strata_raw::Error::Closed) after [`PipeReader::close`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    ///
    /// let (mut writer, mut reader) = strata_pipe::pipe(64)?;
    /// assert!(reader.drain()?.is_empty());
    /// writer.write_all(b"abc")?;
    /// writer.write_all(b"def")?;
    /// assert_eq!(reader.drain()?, &b"abcdef"[..]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn drain(&mut self) -> io::Result<Bytes> {
        ensure_open(self.closed)?;
        let mut out = ring::zeroed(self.buffered())?;
        let n = match &mut self.frames {
            Some(frames) => {
                out.clear(); // capacity only: whole writes are appended
                frames.drain(&mut self.ring, &mut out)
            }
            None => self.ring.pop(&mut out),
        };
        self.taken(n);
        if n == 0
            && self.ring.shared().closed(End::Writer)
            && let Some(error) = self.closing_error()
        {
            return Err(error);
        }
        out.truncate(n);
        Ok(Bytes::from(out))
    }

    /// Waits up to `timeout` for data, then returns everything buffered (as [`PipeReader::drain`]);
    /// empty at end of file.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::TimedOut`] when no data arrived in time; the writer's closing error; the
    /// [`Error::Closed`](strata_raw::Error::Closed) error after [`PipeReader::close`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use std::time::Duration;
    ///
    /// let (mut writer, mut reader) = strata_pipe::pipe(64)?;
    /// let err = reader.read_timeout(Duration::from_millis(1)).unwrap_err();
    /// assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
    /// writer.write_all(b"tick")?;
    /// assert_eq!(reader.read_timeout(Duration::from_secs(1))?, &b"tick"[..]);
    /// drop(writer);
    /// assert!(reader.read_timeout(Duration::from_secs(1))?.is_empty());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read_timeout(&mut self, timeout: Duration) -> io::Result<Bytes> {
        ensure_open(self.closed)?;
        let deadline = Instant::now().checked_add(timeout);
        // Under `OverwriteOldest` the writer may discard what was buffered between the wait and the
        // drain: wait again rather than return the empty result that means end of file.
        loop {
            if !self.wait_readable(deadline)? {
                return Ok(Bytes::new());
            }
            let data = self.drain()?;
            if !data.is_empty() {
                return Ok(data);
            }
        }
    }

    /// Closes the reading end: buffered data is discarded and later writes fail with
    /// [`io::ErrorKind::BrokenPipe`]. Closing again does nothing; dropping the reader closes it too.
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
    /// let (mut writer, mut reader) = strata_pipe::pipe(64)?;
    /// reader.close()?;
    /// assert_eq!(writer.write(b"x").unwrap_err().kind(), std::io::ErrorKind::BrokenPipe);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn close(&mut self) -> io::Result<()> {
        if !self.closed {
            self.closed = true;
            self.ring.shared().close(End::Reader, None);
        }
        Ok(())
    }

    /// The pipe's counters; the same as the writer's [`PipeWriter::stats`](crate::PipeWriter::stats).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    ///
    /// let (mut writer, mut reader) = strata_pipe::pipe(64)?;
    /// writer.write_all(b"abc")?;
    /// reader.drain()?;
    /// assert_eq!(reader.stats().bytes_read, 3);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn stats(&self) -> PipeStats {
        self.ring.shared().stats()
    }

    /// Hands `sink` the data, chunk by chunk, until it had `want` bytes or the writer closed and
    /// everything was read; returns how many bytes. Once it has some, it returns them rather than
    /// lose them with the writer's closing error: that error comes with the next call.
    #[cfg(not(loom))]
    fn take_until(&mut self, want: usize, mut sink: impl FnMut(&[u8])) -> io::Result<usize> {
        use std::io::BufRead;
        ensure_open(self.closed)?;
        let mut taken = 0;
        while taken < want {
            let chunk = match self.fill_buf() {
                Ok(chunk) => chunk,
                Err(error) => {
                    self.defer(error, taken > 0)?;
                    break;
                }
            };
            if chunk.is_empty() {
                break;
            }
            let n = chunk.len().min(want - taken);
            sink(&chunk[..n]);
            self.consume(n);
            taken += n;
        }
        Ok(taken)
    }

    /// The fault contract for a read that failed with `error`: when it had `taken` bytes, the
    /// error is kept for the next read (`Ok`) and the read returns them; otherwise it fails now.
    #[cfg(not(loom))]
    fn defer(&mut self, error: io::Error, taken: bool) -> io::Result<()> {
        if !taken {
            return Err(error);
        }
        self.deferred = Some(error);
        Ok(())
    }

    /// The error a read raises once the writer closed and everything was read: one kept by
    /// [`PipeReader::defer`], else the writer's closing error; each once.
    fn closing_error(&mut self) -> Option<io::Error> {
        self.deferred
            .take()
            .or_else(|| self.ring.shared().take_error())
    }

    /// An upper bound of the data buffered now (exact under `Block` and `Fail`; under
    /// `OverwriteOldest` it counts the ring's record headers too).
    fn buffered(&self) -> usize {
        self.frames.as_ref().map_or(0, Frames::remaining) + self.ring.len()
    }

    /// Copies what is buffered now into `buf`, without waiting; returns how many bytes.
    pub(crate) fn read_now(&mut self, buf: &mut [u8]) -> usize {
        let n = match &mut self.frames {
            Some(frames) => frames.read(&mut self.ring, buf),
            None => self.ring.pop(buf),
        };
        self.taken(n);
        n
    }

    /// Counts `n` bytes taken and wakes a waiting writer once there is room enough for it to resume
    /// (the same condition it waits for, so no wake-up is lost: only the reader makes room). Only a
    /// writer under `Block` ever waits.
    fn taken(&mut self, n: usize) {
        if n > 0 {
            let shared = self.ring.shared();
            shared.count_read(n);
            let (overflow, resume_at) = (shared.overflow, shared.resume_at);
            if overflow == Overflow::Block && self.ring.free_if_at_least(resume_at) >= resume_at {
                self.ring.shared().wake(End::Writer);
            }
        }
    }

    /// Waits until data is buffered (`Ok(true)`) or the writer closed and everything was read
    /// (`Ok(false)`, or its closing error once), or `deadline` passes ([`io::ErrorKind::TimedOut`]).
    fn wait_readable(&mut self, deadline: Option<Instant>) -> io::Result<bool> {
        loop {
            let waited = self.poll_readable(|shared, spin, ready| {
                if shared.wait(End::Reader, spin, deadline, ready, ready) {
                    Waited::Ready
                } else {
                    Waited::TimedOut
                }
            });
            // A thread never registers, so `Pending` cannot come; it would only mean "look again".
            if let Poll::Ready(result) = waited {
                return result;
            }
        }
    }

    /// [`PipeReader::wait_readable`] for a task: `Pending` once its waker is registered.
    #[cfg(feature = "stream")]
    pub(crate) fn poll_wait_readable(&mut self, cx: &Context<'_>) -> Poll<io::Result<bool>> {
        self.poll_readable(|shared, spin, ready| {
            if shared.poll_wait(End::Reader, spin, cx.waker(), ready, ready) {
                Waited::Ready
            } else {
                Waited::Registered
            }
        })
    }

    /// The readiness loop both ways of waiting share; `wait` waits once, as a thread or a task.
    fn poll_readable(
        &mut self,
        mut wait: impl FnMut(&Shared, &mut Spin, &dyn Fn() -> bool) -> Waited,
    ) -> Poll<io::Result<bool>> {
        loop {
            if self.buffered() > 0 {
                return Poll::Ready(Ok(true));
            }
            let shared = self.ring.shared();
            if shared.closed(End::Writer) {
                // The writer published its last bytes before it raised the flag: look once more.
                if self.buffered() > 0 {
                    return Poll::Ready(Ok(true));
                }
                return Poll::Ready(self.closing_error().map_or(Ok(false), Err));
            }
            let ring = &self.ring;
            let ready = || ring.len() > 0 || shared.closed(End::Writer);
            match wait(shared, &mut self.spin, &ready) {
                Waited::Ready => {}
                Waited::TimedOut => {
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "no data arrived in the pipe before the timeout",
                    )));
                }
                #[cfg(feature = "stream")]
                Waited::Registered => return Poll::Pending,
            }
        }
    }
}

/// How one wait ended.
enum Waited {
    /// The condition holds (or may: look again).
    Ready,
    /// The deadline passed.
    TimedOut,
    /// A task's waker is registered; the writer wakes it.
    #[cfg(feature = "stream")]
    Registered,
}

impl Read for PipeReader {
    /// Reads what is buffered, waiting until something is or the writer closes.
    ///
    /// # Errors
    ///
    /// The writer's closing error (once, after the data before it);
    /// [`Error::Closed`](strata_raw::Error::Closed) after [`PipeReader::close`].
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        ensure_open(self.closed)?;
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match self.read_now(buf) {
                0 if self.wait_readable(None)? => {}
                n => return Ok(n),
            }
        }
    }
}

#[cfg(not(loom))]
impl std::io::BufRead for PipeReader {
    /// The contiguous part of what is buffered, waiting until something is; empty at end of file.
    /// Under `Block` and `Fail` this is a view of the ring itself: no copy.
    ///
    /// # Errors
    ///
    /// As [`Read::read`].
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        ensure_open(self.closed)?;
        // Under `OverwriteOldest` the writer may discard what was buffered between the wait and the
        // look: wait again rather than return the empty slice that means end of file.
        while self.chunk().is_empty() {
            if !self.wait_readable(None)? {
                return Ok(&[]);
            }
        }
        Ok(self.chunk())
    }

    fn consume(&mut self, amount: usize) {
        let taken = match &mut self.frames {
            Some(frames) => frames.consume(amount),
            None => self.ring.consume(amount),
        };
        self.taken(taken);
    }
}

/// Python's reading methods over the pipe, waiting for data as [`Read::read`] does:
/// [`read_bytes`](BufferedIoBase::read_bytes) and [`readinto`](BufferedIoBase::readinto) wait until
/// they have all they asked for or the writer closed; [`read1`](BufferedIoBase::read1) and
/// [`readinto1`](BufferedIoBase::readinto1) wait only until something is buffered (`read1(None)`
/// takes the contiguous part of it); [`readline`](BufferedIoBase::readline) waits for the end of
/// the line. After the writer closed, they return the rest, then its closing error once, then end of
/// file (empty).
///
/// # Examples
///
/// ```
/// use std::io::Write;
/// use strata_pipe::prelude::*;
///
/// let (mut writer, mut reader) = strata_pipe::pipe(64)?;
/// writer.write_all(b"one\ntwo\nthree")?;
/// drop(writer);
/// assert_eq!(reader.readline(None)?, "one\n");
/// assert_eq!(reader.read1(Some(2))?, "tw");
/// assert_eq!(reader.read_bytes(Some(3))?, "o\nt");
/// assert_eq!(reader.readlines(None)?, ["hree"]);
/// assert_eq!(reader.read_bytes(None)?, "");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(not(loom))]
impl BufferedIoBase for PipeReader {
    fn read_bytes(&mut self, size: Option<usize>) -> io::Result<Bytes> {
        let mut out = Vec::new();
        self.take_until(size.unwrap_or(usize::MAX), |chunk| {
            out.extend_from_slice(chunk)
        })?;
        Ok(out.into())
    }

    fn read1(&mut self, size: Option<usize>) -> io::Result<Bytes> {
        use std::io::BufRead;
        let chunk = self.fill_buf()?;
        let n = chunk.len().min(size.unwrap_or(usize::MAX));
        let out = Bytes::copy_from_slice(&chunk[..n]);
        self.consume(n);
        Ok(out)
    }

    fn readinto(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut filled = 0;
        self.take_until(buf.len(), |chunk| {
            buf[filled..filled + chunk.len()].copy_from_slice(chunk);
            filled += chunk.len();
        })
    }

    fn readinto1(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.read(buf)
    }

    fn readline(&mut self, limit: Option<usize>) -> io::Result<Bytes> {
        ensure_open(self.closed)?;
        let mut line = Vec::new();
        if let Err(error) = strata_raw::readline_into(self, limit, &mut line) {
            self.defer(error, !line.is_empty())?;
        }
        Ok(line.into())
    }

    fn readlines(&mut self, hint: Option<usize>) -> io::Result<Vec<Bytes>> {
        ensure_open(self.closed)?;
        let beyond = hint.filter(|&h| h > 0).map(|h| h.saturating_add(1));
        let mut taken = false;
        // An error after some lines waits for the next call; an empty line ends the list.
        strata_raw::readlines(beyond, || match self.readline(None) {
            Ok(line) => {
                taken = true;
                Ok(line)
            }
            Err(error) => self.defer(error, taken).map(|()| Bytes::new()),
        })
    }
}

#[cfg(not(loom))]
impl PipeReader {
    /// The next readable bytes without waiting: empty when none are buffered right now. Looking
    /// again (before consuming) returns the same bytes, or more.
    pub(crate) fn chunk(&mut self) -> &[u8] {
        match &mut self.frames {
            Some(frames) => frames.chunk(&mut self.ring),
            None => self.ring.peek(),
        }
    }
}

impl IoBase for PipeReader {
    fn closed(&self) -> bool {
        self.closed
    }

    fn close(&mut self) -> io::Result<()> {
        PipeReader::close(self)
    }

    fn readable(&self) -> io::Result<bool> {
        ensure_open(self.closed).map(|()| true)
    }
}

impl Drop for PipeReader {
    fn drop(&mut self) {
        // `close` cannot fail; the writer sees a broken pipe.
        let _ = PipeReader::close(self);
    }
}

/// Whole records moved out of the ring (`OverwriteOldest`): `[len: u32 LE][payload]…` in
/// `buf[..len]`, read up to `pos`, with `left` payload bytes of the current record still unread.
struct Frames {
    buf: Box<[u8]>,
    len: usize,
    pos: usize,
    left: usize,
}

impl Frames {
    fn new(size: usize) -> io::Result<Frames> {
        Ok(Frames {
            buf: ring::zeroed(size)?.into_boxed_slice(),
            len: 0,
            pos: 0,
            left: 0,
        })
    }

    /// Payload bytes still here, plus headers not yet parsed (an upper bound).
    fn remaining(&self) -> usize {
        self.len - self.pos
    }

    /// The unread payload of the current record, moving everything buffered out of the ring first
    /// when nothing is left here.
    fn chunk(&mut self, ring: &mut Consumer<Shared>) -> &[u8] {
        if self.pos == self.len {
            self.refill(ring);
        }
        self.current()
    }

    /// Moves every whole record in the ring here; only when everything here was read.
    fn refill(&mut self, ring: &mut Consumer<Shared>) {
        debug_assert_eq!(self.pos, self.len, "records still unread");
        self.len = ring.pop(&mut self.buf);
        self.pos = 0;
    }

    /// The unread payload of the current record here, parsing the next header if needed; empty
    /// when everything here was read.
    fn current(&mut self) -> &[u8] {
        if self.left == 0
            && let Some(header) = self.buf[self.pos..self.len].first_chunk::<HEADER>()
        {
            self.left = u32::from_le_bytes(*header) as usize;
            self.pos += HEADER;
        }
        &self.buf[self.pos..self.pos + self.left]
    }

    /// Appends everything buffered to `out` and returns how many bytes: the rest of the current
    /// record and the whole records here, then every whole record in the ring. It never stops
    /// inside a write.
    fn drain(&mut self, ring: &mut Consumer<Shared>, out: &mut Vec<u8>) -> usize {
        let before = out.len();
        self.take_all(out);
        self.refill(ring);
        self.take_all(out);
        out.len() - before
    }

    fn take_all(&mut self, out: &mut Vec<u8>) {
        loop {
            let payload = self.current();
            let n = payload.len();
            if n == 0 {
                return;
            }
            out.extend_from_slice(payload);
            self.consume(n);
        }
    }

    /// Marks up to `amount` bytes of the current record read; returns how many.
    fn consume(&mut self, amount: usize) -> usize {
        let amount = amount.min(self.left);
        self.pos += amount;
        self.left -= amount;
        amount
    }

    /// Copies payload bytes into `out`, across records.
    fn read(&mut self, ring: &mut Consumer<Shared>, out: &mut [u8]) -> usize {
        let mut n = 0;
        while n < out.len() {
            let chunk = self.chunk(ring);
            if chunk.is_empty() {
                break;
            }
            let k = chunk.len().min(out.len() - n);
            out[n..n + k].copy_from_slice(&chunk[..k]);
            self.consume(k);
            n += k;
        }
        n
    }
}
