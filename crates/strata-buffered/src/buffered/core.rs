//! The buffer behind every buffered wrapper: one non-generic state machine, CPython's design.
//!
//! One buffer serves reading and writing. It mirrors the raw stream around the logical position:
//! `buf[..read_end]` holds bytes read ahead from the raw stream, `buf[write_pos..write_end]` holds bytes
//! written but not yet passed down, and `pos` is the logical position inside the buffer. A write that
//! lands inside read-ahead overwrites the buffered copy in place, so the bytes a later read sees are
//! the bytes the raw stream will hold once flushed (this is how `BufferedRandom` keeps reads and writes
//! coherent without flushing on every switch).
//!
//! Invariants, kept by every method: `pos <= buf.len()`; `read_end`, `write_end` and `raw_pos`, when
//! known, are `<= buf.len()`; `write_pos <= write_end`; a reader's `pos <= read_end`. `raw_pos` is where
//! the raw stream stands, relative to the start of the buffer; `abs_pos` caches the raw stream's
//! absolute position (`None`: ask the raw stream).
//!
//! The core never trusts the raw stream: counts larger than the slice it was given, positions beyond
//! `i64::MAX` and writes that accept nothing are errors.
//!
//! Faults keep progress (std's rule, stricter than CPython, which loses and repeats bytes here):
//!
//! - a `write` that fails has passed none of its bytes down: once some went down, it returns that
//!   count instead, and the next call meets the error;
//! - a read that fails has consumed nothing: the bytes it already took (from the buffer or the raw
//!   stream) are put back in front of the read-ahead ([`Core::unread_front`]), so the next read
//!   returns them;
//! - a raw `write` that panics leaves the core marked, and the flush on `Drop` is skipped then (std's
//!   `BufWriter` does the same): flushing again while unwinding would abort the process.

use std::cell::Cell;
use std::io::{self, SeekFrom};

use bytes::Bytes;
use strata_raw::{Error, checked_len, ensure_open, readlines, unsupported};

use super::DEFAULT_BUFFER_SIZE;
use super::raw::Raw;

/// How many raw reads [`Core::read_into`] makes once the read-ahead is used up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RawReads {
    /// As many as it takes to fill the destination (`readinto`).
    UntilFull,
    /// At most one, and none once it has some bytes (`readinto1`).
    AtMostOne,
}

/// The buffer and its positions; see the module documentation.
pub struct Core {
    buf: Box<[u8]>,
    /// The buffer's size as asked for; `buf` is larger only while it holds the bytes of a failed
    /// read ([`Core::unread_front`]).
    capacity: usize,
    readable: bool,
    writable: bool,
    pos: usize,
    raw_pos: Option<usize>,
    read_end: Option<usize>,
    write_pos: usize,
    write_end: Option<usize>,
    abs_pos: Option<u64>,
    /// Set while a raw `write` runs: still set afterwards means it panicked.
    panicked: bool,
}

/// The positions, not the buffer's bytes.
impl std::fmt::Debug for Core {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Core")
            .field("capacity", &self.buf.len())
            .field("pos", &self.pos)
            .field("read_end", &self.read_end)
            .field("write", &(self.write_pos, self.write_end))
            .field("raw_pos", &self.raw_pos)
            .field("abs_pos", &self.abs_pos)
            .field("panicked", &self.panicked)
            .finish_non_exhaustive()
    }
}

thread_local! {
    /// Bytes that writers dropped on this thread with pending data could not pass down:
    /// [`crate::lost_on_drop`].
    pub static LOST_ON_DROP: Cell<u64> = const { Cell::new(0) };
}

/// The error a read returns when the raw stream would block before any byte arrived.
fn would_block() -> io::Error {
    io::Error::new(
        io::ErrorKind::WouldBlock,
        "read could not complete without blocking",
    )
}

/// A raw position that cannot be one (Python: `OSError`).
fn invalid_position(pos: i128) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("Raw stream returned invalid position {pos}"),
    )
}

/// `pos` as a stream position, if it is one (`0..=i64::MAX`).
fn position(pos: i128) -> io::Result<u64> {
    u64::try_from(pos)
        .ok()
        .filter(|&p| i64::try_from(p).is_ok())
        .ok_or_else(|| invalid_position(pos))
}

/// A vector of `len` zeros, or an out-of-memory error naming `what` instead of an abort. Pages are
/// touched only as data fills them (a `read(1 GiB)` of 3 bytes costs 3 bytes of memory).
fn zeroed(len: usize, what: &str) -> io::Result<Vec<u8>> {
    crate::mem::try_zeroed(len).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::OutOfMemory,
            format!("cannot allocate {what} of {len} bytes"),
        )
    })
}

/// One raw read into `dst`, `Interrupted` retried; `None` when the raw stream would block.
fn raw_read(
    raw: &mut dyn Raw,
    dst: &mut [u8],
    abs_pos: &mut Option<u64>,
) -> io::Result<Option<usize>> {
    loop {
        match raw.read(dst) {
            Ok(n) => {
                let n = checked_len(n, dst.len())?;
                *abs_pos = abs_pos.map(|p| p.saturating_add(n as u64));
                return Ok(Some(n));
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(None),
            Err(e) => return Err(e),
        }
    }
}

/// One raw write of `src` (not empty), `Interrupted` retried; `None` when the raw stream would block.
/// `panicked` stays set if the raw stream's `write` panics.
fn raw_write(
    raw: &mut dyn Raw,
    src: &[u8],
    abs_pos: &mut Option<u64>,
    panicked: &mut bool,
) -> io::Result<Option<usize>> {
    loop {
        *panicked = true;
        let result = raw.write(src);
        *panicked = false;
        match result {
            Ok(0) => {
                return Err(io::Error::new(
                    io::ErrorKind::WriteZero,
                    "raw write() accepted no bytes",
                ));
            }
            Ok(n) if n > src.len() => {
                return Err(Error::InvalidLength {
                    call: "write()",
                    returned: n,
                    max: src.len(),
                }
                .into());
            }
            Ok(n) => {
                *abs_pos = abs_pos.map(|p| p.saturating_add(n as u64));
                return Ok(Some(n));
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(None),
            Err(e) => return Err(e),
        }
    }
}

impl Core {
    /// A core with a buffer of `capacity` bytes, for a stream with these capabilities.
    pub fn new(capacity: usize, readable: bool, writable: bool) -> io::Result<Core> {
        if capacity == 0 {
            return Err(
                Error::InvalidArgument("buffer size must be strictly positive".into()).into(),
            );
        }
        Ok(Core {
            buf: zeroed(capacity, "a stream buffer")?.into_boxed_slice(),
            capacity,
            readable,
            writable,
            pos: 0,
            raw_pos: None,
            read_end: None,
            write_pos: 0,
            write_end: None,
            abs_pos: None,
            panicked: false,
        })
    }

    /// The buffer's size.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    fn valid_read(&self) -> bool {
        self.readable && self.read_end.is_some()
    }

    fn valid_write(&self) -> bool {
        self.writable && self.write_end.is_some()
    }

    /// How many read-ahead bytes wait at the logical position.
    fn readahead(&self) -> usize {
        match self.read_end {
            Some(end) if self.readable => end.saturating_sub(self.pos),
            _ => 0,
        }
    }

    /// Where the raw stream stands relative to the logical position.
    fn raw_offset(&self) -> i64 {
        match self.raw_pos {
            Some(raw) if self.valid_read() || self.valid_write() => raw as i64 - self.pos as i64,
            _ => 0,
        }
    }

    /// The bytes read ahead and not consumed yet.
    pub fn unread(&self) -> &[u8] {
        &self.buf[self.pos..self.pos + self.readahead()]
    }

    /// The bytes written and not passed down yet.
    pub fn pending(&self) -> &[u8] {
        match self.write_end {
            Some(end) if self.writable => &self.buf[self.write_pos..end],
            _ => &[],
        }
    }

    /// Consumes `n` (at most the read-ahead) bytes and returns them.
    fn take(&mut self, n: usize) -> &[u8] {
        let start = self.pos;
        self.pos += n.min(self.readahead());
        &self.buf[start..self.pos]
    }

    /// Consumes up to `n` read-ahead bytes (`BufRead::consume`).
    pub fn consume(&mut self, n: usize) {
        self.take(n);
    }

    /// Puts `front`, the bytes just before the logical position, back in front of the read-ahead: the
    /// position moves back over them and the next read returns them first. A read that fails after
    /// taking bytes (from the buffer or the raw stream) calls this, so it consumes nothing. The
    /// buffer grows when they do not fit, until the next refill ([`Core::restore_capacity`]).
    ///
    /// Called only with no pending writes: a read passes them down before it reads from the raw
    /// stream.
    fn unread_front(&mut self, front: &[u8]) -> io::Result<()> {
        if front.is_empty() {
            return Ok(());
        }
        debug_assert!(self.pending().is_empty(), "a read left bytes pending");
        // Where the raw stream stands, relative to the new start of the buffer.
        let raw_pos = usize::try_from(front.len() as i64 + self.raw_offset())
            .map_err(|_| invalid_position(i128::from(self.raw_offset())))?;
        let (start, rest) = (self.pos, self.readahead());
        let total = front.len() + rest;
        if total <= self.buf.len() {
            self.buf.copy_within(start..start + rest, front.len());
        } else {
            let mut grown = zeroed(total, "the bytes of a failed read")?;
            grown[front.len()..].copy_from_slice(&self.buf[start..start + rest]);
            self.buf = grown.into_boxed_slice();
        }
        self.buf[..front.len()].copy_from_slice(front);
        self.reset_write();
        self.pos = 0;
        self.read_end = Some(total);
        self.raw_pos = Some(raw_pos.min(total));
        Ok(())
    }

    /// The error of a read that fails after taking `taken`: they are put back first, so the read
    /// consumes nothing (or, when there is no memory to put them back, the error says so).
    fn give_back(&mut self, taken: &[u8], err: io::Error) -> io::Error {
        match self.unread_front(taken) {
            Ok(()) => err,
            Err(oom) => oom,
        }
    }

    /// Shrinks a buffer that grew to hold the bytes of a failed read back to its size, once those
    /// bytes are consumed (called before the buffer is reused, with no read-ahead or pending bytes).
    fn restore_capacity(&mut self) -> io::Result<()> {
        if self.buf.len() != self.capacity && self.readahead() == 0 && self.pending().is_empty() {
            self.buf = zeroed(self.capacity, "a stream buffer")?.into_boxed_slice();
            // Nothing is buffered: the positions start again at the logical one.
            self.reset_read();
            self.reset_write();
            self.pos = 0;
            self.raw_pos = None;
        }
        Ok(())
    }

    fn adjust_position(&mut self, pos: usize) {
        self.pos = pos;
        if let Some(end) = self.read_end
            && self.readable
            && end < pos
        {
            self.read_end = Some(pos);
        }
    }

    fn reset_read(&mut self) {
        self.read_end = None;
    }

    fn reset_write(&mut self) {
        self.write_pos = 0;
        self.write_end = None;
    }

    /// The "closed" error for `op`, unless read-ahead can still serve it (as CPython allows).
    fn check_closed(&self, raw: &dyn Raw, op: &'static str) -> io::Result<()> {
        // The read-ahead first: `closed` is a call through `dyn Raw`, once per line otherwise.
        if self.readahead() == 0 && raw.closed() {
            Err(Error::Closed { op: Some(op) }.into())
        } else {
            Ok(())
        }
    }

    fn raw_seek(&mut self, raw: &mut dyn Raw, pos: SeekFrom) -> io::Result<u64> {
        let n = position(i128::from(raw.seek(pos)?))?;
        self.abs_pos = Some(n);
        Ok(n)
    }

    fn raw_tell(&mut self, raw: &mut dyn Raw) -> io::Result<u64> {
        self.raw_seek(raw, SeekFrom::Current(0))
    }

    /// Reads into the free end of the buffer (all of it when no read-ahead is valid).
    fn fill_buffer(&mut self, raw: &mut dyn Raw) -> io::Result<Option<usize>> {
        let start = if self.valid_read() {
            self.read_end.unwrap_or(0)
        } else {
            0
        };
        let got = raw_read(raw, &mut self.buf[start..], &mut self.abs_pos)?;
        if let Some(n) = got.filter(|&n| n > 0) {
            self.read_end = Some(start + n);
            self.raw_pos = Some(start + n);
        }
        Ok(got)
    }

    /// Drops the read-ahead and reads one raw chunk into the empty buffer.
    fn refill(&mut self, raw: &mut dyn Raw) -> io::Result<Option<usize>> {
        self.reset_read();
        self.restore_capacity()?;
        let got = self.fill_buffer(raw)?;
        self.pos = 0;
        Ok(got)
    }

    /// Passes the pending bytes down, through short writes; on would-block they stay buffered.
    fn flush_writes(&mut self, raw: &mut dyn Raw) -> io::Result<()> {
        if let Some(end) = self.write_end
            && self.writable
            && self.write_pos < end
        {
            let rewind = self.raw_offset() + (self.pos as i64 - self.write_pos as i64);
            if rewind != 0 {
                self.raw_seek(raw, SeekFrom::Current(-rewind))?;
            }
            self.raw_pos = Some(self.write_pos);
            while self.write_pos < end {
                let src = &self.buf[self.write_pos..end];
                match raw_write(raw, src, &mut self.abs_pos, &mut self.panicked)? {
                    None => {
                        return Err(Error::WouldBlock {
                            characters_written: 0,
                        }
                        .into());
                    }
                    Some(n) => {
                        self.write_pos += n;
                        self.raw_pos = Some(self.write_pos);
                    }
                }
            }
        }
        self.reset_write();
        Ok(())
    }

    /// Flushes, then (for a stream that reads) moves the raw stream back to the logical position
    /// and drops the read-ahead.
    fn flush_and_rewind(&mut self, raw: &mut dyn Raw) -> io::Result<()> {
        self.flush_writes(raw)?;
        if self.readable {
            let back = self.raw_offset();
            let moved = self.raw_seek(raw, SeekFrom::Current(-back));
            self.reset_read();
            moved?;
        }
        Ok(())
    }

    /// Flushes before a read goes to the raw stream. When the flush fails, the `taken` bytes the
    /// read already consumed from the buffer are put back: a read that fails consumes nothing.
    fn before_raw_read(&mut self, raw: &mut dyn Raw, taken: usize) -> io::Result<()> {
        if !self.writable {
            return Ok(());
        }
        self.flush_and_rewind(raw).inspect_err(|_| {
            if self.valid_read() {
                self.pos -= taken;
            }
        })
    }

    /// Python's `read(size)`.
    pub fn read(&mut self, raw: &mut dyn Raw, size: Option<usize>) -> io::Result<Bytes> {
        self.check_closed(raw, "read")?;
        match size {
            None => self.read_all(raw),
            Some(n) if n <= self.readahead() => Ok(Bytes::copy_from_slice(self.take(n))),
            Some(n) => self.read_generic(raw, n),
        }
    }

    fn read_all(&mut self, raw: &mut dyn Raw) -> io::Result<Bytes> {
        let mut out = self.take(usize::MAX).to_vec();
        let buffered = !out.is_empty();
        self.before_raw_read(raw, out.len())?;
        self.reset_read();
        // Python's `RawIOBase.readall`: chunks of DEFAULT_BUFFER_SIZE until EOF or would-block.
        let mut chunk = vec![0; DEFAULT_BUFFER_SIZE];
        let mut from_raw = 0;
        loop {
            match raw_read(raw, &mut chunk, &mut self.abs_pos) {
                Ok(Some(0)) => break,
                Ok(Some(n)) => {
                    out.extend_from_slice(&chunk[..n]);
                    from_raw += n;
                }
                Ok(None) if from_raw == 0 && !buffered => return Err(would_block()),
                Ok(None) => break,
                Err(err) => return Err(self.give_back(&out, err)),
            }
        }
        Ok(out.into())
    }

    fn read_generic(&mut self, raw: &mut dyn Raw, n: usize) -> io::Result<Bytes> {
        let mut out = zeroed(n, "a read buffer")?;
        let mut written = self.readahead();
        out[..written].copy_from_slice(self.take(written));
        self.before_raw_read(raw, written)?;
        self.reset_read();
        if let Err(err) = self.restore_capacity() {
            return Err(self.give_back(&out[..written], err));
        }
        let cap = self.buf.len();
        let finish = |mut out: Vec<u8>, written: usize, got: Option<usize>| {
            if got.is_none() && written == 0 {
                return Err(would_block());
            }
            out.truncate(written);
            Ok(Bytes::from(out))
        };
        // Whole buffer-sized blocks go straight into the result…
        while n - written >= cap {
            let block = (n - written) - (n - written) % cap;
            match raw_read(raw, &mut out[written..written + block], &mut self.abs_pos) {
                Ok(Some(0)) => return finish(out, written, Some(0)),
                Ok(None) => return finish(out, written, None),
                Ok(Some(k)) => written += k,
                Err(err) => return Err(self.give_back(&out[..written], err)),
            }
        }
        // …the rest through the buffer, which keeps what is read beyond it.
        self.pos = 0;
        self.raw_pos = Some(0);
        self.read_end = Some(0);
        while written < n && self.read_end.is_some_and(|end| end < cap) {
            match self.fill_buffer(raw) {
                Ok(got @ (Some(0) | None)) => return finish(out, written, got),
                Ok(Some(_)) => {
                    let k = (n - written).min(self.readahead());
                    out[written..written + k].copy_from_slice(self.take(k));
                    written += k;
                }
                Err(err) => return Err(self.give_back(&out[..written], err)),
            }
        }
        finish(out, written, Some(written))
    }

    /// Python's `read1(size)`: buffered bytes if any, else at most one raw read.
    pub fn read1(&mut self, raw: &mut dyn Raw, size: Option<usize>) -> io::Result<Bytes> {
        let n = size.unwrap_or(self.capacity);
        self.check_closed(raw, "read")?;
        if n == 0 {
            return Ok(Bytes::new());
        }
        let have = self.readahead();
        if have > 0 {
            return Ok(Bytes::copy_from_slice(self.take(n.min(have))));
        }
        // CPython 3.11's C `BufferedRandom.read1` skips this flush (docs/python-parity.md).
        self.before_raw_read(raw, 0)?;
        let mut out = zeroed(n, "a read buffer")?;
        self.reset_read();
        let got = raw_read(raw, &mut out, &mut self.abs_pos)?.unwrap_or(0);
        out.truncate(got);
        Ok(out.into())
    }

    /// Python's `readinto(b)`: raw reads until `dst` is full, the end of file, or a read that would
    /// block.
    pub fn readinto(&mut self, raw: &mut dyn Raw, dst: &mut [u8]) -> io::Result<usize> {
        self.read_into(raw, dst, RawReads::UntilFull)
    }

    /// Python's `readinto1(b)`: the read-ahead, then at most one raw read.
    pub fn readinto1(&mut self, raw: &mut dyn Raw, dst: &mut [u8]) -> io::Result<usize> {
        self.read_into(raw, dst, RawReads::AtMostOne)
    }

    /// `readinto` and `readinto1`: they differ only in how many raw reads they make.
    fn read_into(
        &mut self,
        raw: &mut dyn Raw,
        dst: &mut [u8],
        reads: RawReads,
    ) -> io::Result<usize> {
        self.check_closed(raw, "readinto")?;
        let have = self.readahead();
        if have >= dst.len() && have > 0 {
            dst.copy_from_slice(self.take(dst.len()));
            return Ok(dst.len());
        }
        let mut written = have;
        dst[..have].copy_from_slice(self.take(have));
        self.before_raw_read(raw, have)?;
        self.reset_read();
        self.pos = 0;
        if let Err(err) = self.restore_capacity() {
            return Err(self.give_back(&dst[..written], err));
        }
        let cap = self.buf.len();
        while written < dst.len() {
            let remaining = dst.len() - written;
            let got = if remaining > cap {
                // Large requests bypass the buffer, straight into the caller's memory.
                raw_read(raw, &mut dst[written..], &mut self.abs_pos)
            } else if reads == RawReads::UntilFull || written == 0 {
                match self.fill_buffer(raw) {
                    Ok(Some(n)) if n > 0 => {
                        let k = n.min(remaining);
                        dst[written..written + k].copy_from_slice(self.take(k));
                        written += k;
                        continue;
                    }
                    other => other,
                }
            } else {
                Ok(Some(0))
            };
            let got = match got {
                Ok(got) => got,
                Err(err) => return Err(self.give_back(&dst[..written], err)),
            };
            match got {
                Some(0) => break,
                None if written > 0 => break,
                None => return Err(would_block()),
                Some(n) => {
                    written += n;
                    if reads == RawReads::AtMostOne {
                        break;
                    }
                }
            }
        }
        Ok(written)
    }

    /// Python's `peek(size)`: the read-ahead, or one raw read when there is none.
    pub fn peek(&mut self, raw: &mut dyn Raw) -> io::Result<&[u8]> {
        self.check_closed(raw, "peek")?;
        self.before_raw_read(raw, 0)?;
        if self.readahead() == 0 {
            self.refill(raw)?;
        }
        Ok(self.unread())
    }

    /// `BufRead::fill_buf`: the read-ahead, or one raw read when there is none.
    pub fn fill_buf(&mut self, raw: &mut dyn Raw) -> io::Result<&[u8]> {
        self.check_closed(raw, "read")?;
        if self.readahead() == 0 {
            self.before_raw_read(raw, 0)?;
            if self.refill(raw)?.is_none() {
                return Err(would_block());
            }
        }
        Ok(self.unread())
    }

    /// `BufRead::read_until`: std's contract (bytes taken before an error stay appended to `out`,
    /// `Interrupted` is retried), each chunk from [`Core::fill_buf`] searched by
    /// [`chunk_delimited_len`], in one call instead of std's `fill_buf`/`consume` round per chunk.
    pub fn read_until(
        &mut self,
        raw: &mut dyn Raw,
        delim: u8,
        out: &mut Vec<u8>,
    ) -> io::Result<usize> {
        let mut read = 0;
        loop {
            let chunk = match self.fill_buf(raw) {
                Ok(chunk) => chunk,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            };
            let (n, found) = chunk_delimited_len(chunk, delim);
            out.extend_from_slice(&chunk[..n]);
            self.consume(n);
            read += n;
            if found || n == 0 {
                return Ok(read);
            }
        }
    }

    /// Python's `readline(limit)`: the read-ahead is searched first, and a line found there costs one
    /// copy. A longer line goes on through the buffer, refilled one raw read at a time; a raw read
    /// that would block ends the line early. When the flush before the first raw read fails, nothing
    /// is consumed.
    #[inline]
    pub fn readline(&mut self, raw: &mut dyn Raw, limit: Option<usize>) -> io::Result<Bytes> {
        self.check_closed(raw, "readline")?;
        let (n, complete) = chunk_line_len(self.unread(), limit);
        if complete || limit == Some(n) {
            return Ok(Bytes::copy_from_slice(self.take(n)));
        }
        self.readline_through_refills(raw, n, limit)
    }

    /// The rest of [`readline`](Self::readline) when the line goes on beyond the read-ahead, whose
    /// first `n` bytes belong to it: out of line, to keep the common case small.
    #[inline(never)]
    fn readline_through_refills(
        &mut self,
        raw: &mut dyn Raw,
        n: usize,
        limit: Option<usize>,
    ) -> io::Result<Bytes> {
        let mut out = self.take(n).to_vec();
        let mut limit = limit.map(|l| l - n);
        self.before_raw_read(raw, n)?;
        loop {
            match self.refill(raw) {
                Ok(Some(got)) if got > 0 => {}
                Ok(_) => break,
                Err(err) => return Err(self.give_back(&out, err)),
            }
            let (n, complete) = chunk_line_len(self.unread(), limit);
            out.extend_from_slice(self.take(n));
            if complete || limit == Some(n) {
                break;
            }
            limit = limit.map(|l| l - n);
        }
        Ok(out.into())
    }

    /// Python's `readlines(hint)` (`IOBase.readlines`): lines until end of file (or would-block), or
    /// until their total length exceeds `hint`.
    pub fn readlines(&mut self, raw: &mut dyn Raw, hint: Option<usize>) -> io::Result<Vec<Bytes>> {
        ensure_open(raw.closed())?;
        // The shared `readlines` stops once the total reaches its hint (BytesIO's rule); IOBase's
        // stops once it exceeds it, which is reaching one byte more.
        let reaches = hint.filter(|&h| h > 0).map(|h| h.saturating_add(1));
        // The lines returned so far go back in front of the buffer when a later line fails.
        let mut returned = Vec::new();
        readlines(reaches, || match self.readline(raw, None) {
            Ok(line) => {
                returned.push(line.clone());
                Ok(line)
            }
            Err(err) => Err(self.give_back(&returned.concat(), err)),
        })
    }

    /// The common case of [`write`](Self::write), small enough to inline into the wrappers: appends
    /// `data` to pending bytes that end at the logical position, when nothing is read ahead and it
    /// fits. `false` means "take [`write`](Self::write)". The caller checks that the raw stream is open.
    #[inline]
    pub fn append(&mut self, data: &[u8]) -> bool {
        match self.write_end {
            Some(end)
                if self.writable
                    && end == self.pos
                    && self.read_end.is_none()
                    && data.len() <= self.buf.len() - end =>
            {
                crate::mem::copy_into(&mut self.buf[end..end + data.len()], data);
                self.pos = end + data.len();
                self.write_end = Some(self.pos);
                true
            }
            _ => false,
        }
    }

    /// Python's `write(b)`: `Err` with [`Error::WouldBlock`] and the count of this call's bytes that
    /// were accepted when the raw stream blocks and not all of `data` fits in the buffer.
    pub fn write(&mut self, raw: &mut dyn Raw, data: &[u8]) -> io::Result<usize> {
        if raw.closed() {
            return Err(Error::Closed { op: Some("write") }.into());
        }
        if !self.valid_read() && !self.valid_write() {
            self.pos = 0;
            self.raw_pos = Some(0);
        }
        let cap = self.buf.len();
        if data.len() <= cap - self.pos {
            // Fast path: the data fits.
            crate::mem::copy_into(&mut self.buf[self.pos..self.pos + data.len()], data);
            if !self.valid_write() || self.write_pos > self.pos {
                self.write_pos = self.pos;
            }
            self.adjust_position(self.pos + data.len());
            if self.write_end.is_none_or(|end| self.pos > end) {
                self.write_end = Some(self.pos);
            }
            return Ok(data.len());
        }
        if let Err(err) = self.flush_writes(raw) {
            return self.buffer_after_block(err, data);
        }
        // The raw stream may stand after read-ahead that was not overwritten.
        let offset = self.raw_offset();
        if offset != 0 {
            self.raw_seek(raw, SeekFrom::Current(-offset))?;
            self.raw_pos = Some(self.pos);
        }
        let mut written = 0;
        while data.len() - written > cap {
            match raw_write(raw, &data[written..], &mut self.abs_pos, &mut self.panicked) {
                Ok(Some(n)) => written += n,
                // Some of `data` went down: an error now would say none did, so report the count.
                Err(_) if written > 0 => return Ok(self.wrote_directly(written)),
                Err(err) => return Err(err),
                Ok(None) => {
                    // Keep a buffer's worth; report how much of this call was accepted.
                    self.buf.copy_from_slice(&data[written..written + cap]);
                    self.raw_pos = Some(0);
                    self.adjust_position(cap);
                    self.write_end = Some(cap);
                    return Err(Error::WouldBlock {
                        characters_written: written + cap,
                    }
                    .into());
                }
            }
        }
        self.wrote_directly(written);
        let rest = data.len() - written;
        self.buf[..rest].copy_from_slice(&data[written..]);
        self.write_pos = 0;
        self.write_end = Some(rest);
        self.adjust_position(rest);
        self.raw_pos = Some(0);
        Ok(data.len())
    }

    /// After `written` bytes of a write went straight to the raw stream (with nothing pending): the
    /// buffer starts at the raw stream's new position, which is the logical one. Returns `written`.
    fn wrote_directly(&mut self, written: usize) -> usize {
        if self.readable {
            self.reset_read();
        }
        self.reset_write();
        self.pos = 0;
        self.raw_pos = Some(0);
        written
    }

    /// After a flush that would block: shift the pending bytes to the front and buffer as much of
    /// `data` as fits.
    fn buffer_after_block(&mut self, err: io::Error, data: &[u8]) -> io::Result<usize> {
        let (start, end) = (self.write_pos, self.write_end.unwrap_or(self.write_pos));
        // Only the plain case (logical position at the end of the pending bytes) can append safely.
        if Error::characters_written(&err).is_none() || self.pos != end {
            return Err(err);
        }
        if self.readable {
            self.reset_read();
        }
        self.buf.copy_within(start..end, 0);
        let kept = end - start;
        self.write_pos = 0;
        self.raw_pos = Some(0);
        let accepted = data.len().min(self.buf.len() - kept);
        self.buf[kept..kept + accepted].copy_from_slice(&data[..accepted]);
        self.write_end = Some(kept + accepted);
        self.pos = kept + accepted;
        if accepted == data.len() {
            Ok(accepted)
        } else {
            Err(Error::WouldBlock {
                characters_written: accepted,
            }
            .into())
        }
    }

    /// Python's `flush()` for a stream that writes: pending bytes down, then the raw stream's flush.
    pub fn flush(&mut self, raw: &mut dyn Raw) -> io::Result<()> {
        self.check_closed(raw, "flush")?;
        self.flush_and_rewind(raw)?;
        raw.flush()
    }

    /// Passes pending bytes down and puts the raw stream at the logical position, for `detach` and
    /// `into_inner`; no closed check (a closed stream with nothing pending gives its raw stream up).
    pub fn settle(&mut self, raw: &mut dyn Raw) -> io::Result<()> {
        if self.writable {
            self.flush_and_rewind(raw)
        } else {
            Ok(())
        }
    }

    /// Best-effort flush for `Drop`; what cannot be passed down is counted in [`LOST_ON_DROP`]. After
    /// a raw `write` panicked, nothing is tried: the writer is dropped while unwinding, and a second
    /// panic there would abort the process.
    pub fn flush_on_drop(&mut self, raw: &mut dyn Raw) {
        if self.pending().is_empty() {
            return;
        }
        if self.panicked || raw.closed() || self.flush_writes(raw).is_err() {
            let lost = self.pending().len() as u64;
            LOST_ON_DROP.with(|count| count.set(count.get().saturating_add(lost)));
        }
    }

    /// Python's `tell()`: the raw position minus read-ahead, plus pending writes.
    pub fn tell(&mut self, raw: &mut dyn Raw) -> io::Result<u64> {
        let raw_pos = self.raw_tell(raw)?;
        position(i128::from(raw_pos) - i128::from(self.raw_offset()))
    }

    /// Python's `seek(offset, whence)`: inside the read-ahead without a raw call when it can.
    pub fn seek(&mut self, raw: &mut dyn Raw, pos: SeekFrom) -> io::Result<u64> {
        self.check_closed(raw, "seek")?;
        if !raw.seekable()? {
            return Err(unsupported("File or stream is not seekable."));
        }
        let avail = self.readahead();
        if self.readable && avail > 0 && !matches!(pos, SeekFrom::End(_)) {
            let current = match self.abs_pos {
                Some(p) => p,
                None => self.raw_tell(raw)?,
            };
            let offset = match pos {
                SeekFrom::Start(target) => {
                    i128::from(target) - (i128::from(current) - i128::from(self.raw_offset()))
                }
                SeekFrom::Current(delta) | SeekFrom::End(delta) => i128::from(delta),
            };
            if offset >= -(self.pos as i128) && offset <= avail as i128 {
                // CPython returns `current - avail + offset`, wrong (even negative) when the raw
                // stream is not at the end of the read-ahead, after a flush that would block.
                let logical = i128::from(current) - i128::from(self.raw_offset()) + offset;
                self.pos = (self.pos as i128 + offset) as usize;
                return position(logical);
            }
        }
        if self.writable {
            self.flush_writes(raw)?;
        }
        let target = match pos {
            SeekFrom::Current(delta) => SeekFrom::Current(
                delta
                    .checked_sub(self.raw_offset())
                    .ok_or_else(|| invalid_position(i128::from(delta)))?,
            ),
            other => other,
        };
        let n = self.raw_seek(raw, target)?;
        self.raw_pos = None;
        if self.readable {
            self.reset_read();
        }
        Ok(n)
    }

    /// Python's `truncate(size)`: flushes, then resizes the raw stream (`None`: at the logical
    /// position); the position does not move.
    pub fn truncate(&mut self, raw: &mut dyn Raw, size: Option<u64>) -> io::Result<u64> {
        self.check_closed(raw, "truncate")?;
        if !self.writable {
            return Err(unsupported("truncate"));
        }
        self.flush_and_rewind(raw)?;
        let n = raw.truncate(size)?;
        self.abs_pos = None;
        Ok(n)
    }

    /// Python's `close()`: flush, then close the raw stream even if the flush failed.
    ///
    /// The flush error wins over the raw stream's close error: it is the one that lost data.
    pub fn close(&mut self, raw: &mut dyn Raw) -> io::Result<()> {
        if raw.closed() {
            return Ok(());
        }
        let flushed = if self.writable {
            self.flush(raw)
        } else {
            Ok(())
        };
        let closed = raw.close();
        self.reset_read();
        self.reset_write();
        self.pos = 0;
        flushed.and(closed)
    }
}

/// [`strata_raw::line_len`] over the read-ahead, with [`chunk_delimited_len`]'s search.
#[inline]
fn chunk_line_len(chunk: &[u8], limit: Option<usize>) -> (usize, bool) {
    chunk_delimited_len(
        &chunk[..chunk.len().min(limit.unwrap_or(usize::MAX))],
        b'\n',
    )
}

/// How many bytes of `chunk` the record at its start takes, up to and including the first `delim`,
/// and whether `delim` ended it: on x86-64 with `memchr`'s SSE2 loop, inlined.
///
/// The read-ahead was just written by the raw read and sits in cache; there this search reads
/// 80-byte lines faster than [`strata_raw::line_len`]'s word-at-a-time one (`BufferedReader::readline`
/// 1.03-1.13x `BufReader::read_line` with it, 0.85-0.89x with the other; `cargo bench -p
/// strata-buffered --bench buffered -- "buffered read"`), while over large in-memory contents
/// (`BytesIO`) it is the other way round (borrowed lines 24.6 against 20.8 ms over 100 MB; `--bench
/// bytesio -- borrowed`), so each layer keeps its own.
#[inline]
fn chunk_delimited_len(chunk: &[u8], delim: u8) -> (usize, bool) {
    #[cfg(target_arch = "x86_64")]
    let found = match memchr::arch::x86_64::sse2::memchr::One::new(delim) {
        Some(sse2) => sse2.find(chunk),
        // SSE2 is part of x86-64, so this is never taken.
        None => memchr::memchr(delim, chunk),
    };
    #[cfg(not(target_arch = "x86_64"))]
    let found = memchr::memchr(delim, chunk);
    match found {
        Some(i) => (i + 1, true),
        None => (chunk.len(), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_delimited_len_matches_a_plain_search() {
        // Below, at and beyond one 16-byte vector and the 64-byte unrolled loop.
        for len in 0..150 {
            let mut hay = vec![b'x'; len];
            assert_eq!(chunk_delimited_len(&hay, b'\n'), (len, false));
            for at in 0..len {
                hay[at] = b'\n';
                assert_eq!(chunk_delimited_len(&hay, b'\n'), (at + 1, true));
                assert_eq!(chunk_line_len(&hay, Some(at)), (at, false));
                hay[at] = 0x8a;
            }
        }
    }

    #[test]
    fn debug_shows_positions_not_bytes() {
        let core = Core::new(4096, true, false).expect("a size");
        let shown = format!("{core:?}");
        assert!(
            shown.starts_with("Core { capacity: 4096, pos: 0"),
            "{shown}"
        );
        assert!(shown.len() < 200, "{shown}");
        assert!(Core::new(0, true, true).is_err());
    }

    #[test]
    fn positions_beyond_i64_are_refused() {
        assert_eq!(position(5).ok(), Some(5));
        assert!(position(-1).is_err());
        assert!(position(i128::from(u64::MAX)).is_err());
        assert_eq!(
            position(-3).unwrap_err().to_string(),
            "Raw stream returned invalid position -3"
        );
    }
}
