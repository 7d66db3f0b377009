//! `Scripted`: a raw stream test double for the buffered layer.
//!
//! It holds a file (`data`, `pos`) and two scripts, one step per raw call: a read step limits how many
//! bytes that `read` returns (a chunk; what the caller's slice cannot take stays for the next call),
//! blocks, or lies about the count; a write step limits the bytes accepted, blocks, or lies. Once a
//! script is used up, calls are unlimited. It counts its calls. The python3 oracle
//! (`tests/py/buffered.py`) implements the same machine as a `RawIOBase`, so both sides see the same
//! raw stream. Shared by the crate's tests and the workspace oracle suite.

use std::collections::VecDeque;
use std::io::{self, Read, Seek, SeekFrom, Write};

use strata_raw::{Error, IoBase, ensure_open, unsupported};

/// One scripted raw call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Read: a chunk of at most this many bytes. Write: accept at most this many bytes.
    Take(usize),
    /// Would block (`io::ErrorKind::WouldBlock`; Python: `None`).
    Block,
    /// Misbehave: report this count whatever the slice's length, touching nothing.
    Lie(usize),
    /// Fail with `io::ErrorKind::Interrupted`, as a signal would (the caller should retry).
    Interrupt,
}

/// The scripted raw stream.
#[derive(Debug, Clone, Default)]
pub struct Scripted {
    /// The file's bytes.
    pub data: Vec<u8>,
    /// The position.
    pub pos: u64,
    /// Steps for the coming `read` calls.
    pub reads: VecDeque<Step>,
    /// Steps for the coming `write` calls.
    pub writes: VecDeque<Step>,
    /// Capabilities: readable, writable, seekable.
    pub caps: (bool, bool, bool),
    /// Closed by `close`.
    pub closed: bool,
    /// When set, every `seek` reports this position (a misbehaving raw stream).
    pub lie_position: Option<u64>,
    /// `read` calls so far.
    pub read_calls: usize,
    /// `write` calls so far.
    pub write_calls: usize,
    /// `seek` calls so far.
    pub seek_calls: usize,
    /// `write` calls that would block so far.
    pub write_blocks: usize,
}

impl Scripted {
    /// A stream over `data` with the given capabilities and no script.
    pub fn new(data: &[u8], readable: bool, writable: bool, seekable: bool) -> Scripted {
        Scripted {
            data: data.to_vec(),
            caps: (readable, writable, seekable),
            ..Scripted::default()
        }
    }

    /// Read-only, not seekable.
    pub fn reader(data: &[u8]) -> Scripted {
        Scripted::new(data, true, false, false)
    }

    /// Write-only, not seekable.
    pub fn writer() -> Scripted {
        Scripted::new(b"", false, true, false)
    }

    /// Readable, writable, seekable.
    pub fn random(data: &[u8]) -> Scripted {
        Scripted::new(data, true, true, true)
    }

    /// With this read script.
    pub fn reads(mut self, steps: &[Step]) -> Scripted {
        self.reads = steps.iter().copied().collect();
        self
    }

    /// With this write script.
    pub fn writes(mut self, steps: &[Step]) -> Scripted {
        self.writes = steps.iter().copied().collect();
        self
    }

    /// Reports `pos` from every `seek`, whatever the real position.
    pub fn lying_position(mut self, pos: u64) -> Scripted {
        self.lie_position = Some(pos);
        self
    }

    /// Seekable too.
    pub fn with_seek(mut self) -> Scripted {
        self.caps.2 = true;
        self
    }

    fn at(&self) -> usize {
        usize::try_from(self.pos).unwrap_or(usize::MAX)
    }
}

impl IoBase for Scripted {
    fn closed(&self) -> bool {
        self.closed
    }

    fn close(&mut self) -> io::Result<()> {
        self.closed = true;
        Ok(())
    }

    fn readable(&self) -> io::Result<bool> {
        ensure_open(self.closed).map(|()| self.caps.0)
    }

    fn writable(&self) -> io::Result<bool> {
        ensure_open(self.closed).map(|()| self.caps.1)
    }

    fn seekable(&self) -> io::Result<bool> {
        ensure_open(self.closed).map(|()| self.caps.2)
    }

    /// Resizes like a file: grows with zeros.
    fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        ensure_open(self.closed)?;
        let size = size.unwrap_or(self.pos);
        self.data
            .resize(usize::try_from(size).unwrap_or(usize::MAX), 0);
        Ok(size)
    }
}

impl Read for Scripted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.read_calls += 1;
        ensure_open(self.closed)?;
        let limit = match self.reads.pop_front() {
            None => usize::MAX,
            Some(Step::Block) => return Err(io::ErrorKind::WouldBlock.into()),
            Some(Step::Interrupt) => return Err(io::ErrorKind::Interrupted.into()),
            Some(Step::Lie(n)) => return Ok(n),
            Some(Step::Take(n)) => {
                if n > buf.len() {
                    self.reads.push_front(Step::Take(n - buf.len()));
                }
                n
            }
        };
        let start = self.at().min(self.data.len());
        let n = limit.min(buf.len()).min(self.data.len() - start);
        buf[..n].copy_from_slice(&self.data[start..start + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Write for Scripted {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_calls += 1;
        ensure_open(self.closed)?;
        let n = match self.writes.pop_front() {
            None => buf.len(),
            Some(Step::Block) => {
                self.write_blocks += 1;
                return Err(io::ErrorKind::WouldBlock.into());
            }
            Some(Step::Interrupt) => return Err(io::ErrorKind::Interrupted.into()),
            Some(Step::Lie(n)) => return Ok(n),
            Some(Step::Take(n)) => n.min(buf.len()),
        };
        let start = self.at();
        if self.data.len() < start + n {
            self.data.resize(start + n, 0);
        }
        self.data[start..start + n].copy_from_slice(&buf[..n]);
        self.pos += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        ensure_open(self.closed)
    }
}

impl Seek for Scripted {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.seek_calls += 1;
        ensure_open(self.closed)?;
        if !self.caps.2 {
            return Err(unsupported("seek"));
        }
        let target = match pos {
            SeekFrom::Start(n) => i128::from(n),
            SeekFrom::Current(d) => i128::from(self.pos) + i128::from(d),
            SeekFrom::End(d) => self.data.len() as i128 + i128::from(d),
        };
        if target < 0 {
            return Err(Error::NegativeSeek(i64::try_from(target).unwrap_or(i64::MIN)).into());
        }
        self.pos = u64::try_from(target).unwrap_or(u64::MAX);
        Ok(self.lie_position.unwrap_or(self.pos))
    }
}
