//! The narrow view of a raw stream that the non-generic [`Core`](super::core::Core) works through.
//!
//! Each generic shell borrows its raw stream into one of the adapters below for the length of one
//! call, and hands the core a `&mut dyn Raw`: the buffering logic is compiled once, whatever the raw
//! stream's type, and only these few forwarding functions are generic. An adapter forwards exactly the
//! capabilities its bounds give; the trait's defaults refuse the rest (the core never asks a reader's
//! adapter to write, but a refusal is still an error, never a panic).

use std::io::{self, Read, Seek, SeekFrom, Write};

use strata_raw::{IoBase, unsupported};

/// What the buffer core may ask of a raw stream: its [`IoBase`] (through [`io`](Raw::io)), and
/// the capabilities the adapter forwards; the defaults refuse the rest.
pub trait Raw {
    /// The raw stream's [`IoBase`].
    fn io(&self) -> &dyn IoBase;
    /// The raw stream's [`IoBase`], mutably.
    fn io_mut(&mut self) -> &mut dyn IoBase;
    /// [`IoBase::closed`], which every call checks: a direct call, where [`io`](Raw::io) would add
    /// an indirect one.
    fn closed(&self) -> bool;
    /// [`IoBase::close`].
    fn close(&mut self) -> io::Result<()> {
        self.io_mut().close()
    }
    /// [`IoBase::seekable`].
    fn seekable(&self) -> io::Result<bool> {
        self.io().seekable()
    }
    /// [`IoBase::truncate`].
    fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        self.io_mut().truncate(size)
    }

    /// [`Read::read`] (Python's `readinto`).
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let _ = buf;
        Err(unsupported("read"))
    }

    /// [`Write::write`].
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let _ = buf;
        Err(unsupported("write"))
    }

    /// [`Write::flush`]; nothing to do for a stream that cannot be written.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }

    /// [`Seek::seek`].
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let _ = pos;
        Err(unsupported("seek"))
    }
}

/// A raw stream that reads.
pub struct Reading<'a, T>(pub &'a mut T);

impl<T: IoBase + Read> Raw for Reading<'_, T> {
    fn io(&self) -> &dyn IoBase {
        self.0
    }
    fn io_mut(&mut self) -> &mut dyn IoBase {
        self.0
    }
    fn closed(&self) -> bool {
        self.0.closed()
    }
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

/// A raw stream that reads and seeks.
pub struct ReadSeeking<'a, T>(pub &'a mut T);

impl<T: IoBase + Read + Seek> Raw for ReadSeeking<'_, T> {
    fn io(&self) -> &dyn IoBase {
        self.0
    }
    fn io_mut(&mut self) -> &mut dyn IoBase {
        self.0
    }
    fn closed(&self) -> bool {
        self.0.closed()
    }
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.0.seek(pos)
    }
}

/// A raw stream that writes.
pub struct Writing<'a, T>(pub &'a mut T);

impl<T: IoBase + Write> Raw for Writing<'_, T> {
    fn io(&self) -> &dyn IoBase {
        self.0
    }
    fn io_mut(&mut self) -> &mut dyn IoBase {
        self.0
    }
    fn closed(&self) -> bool {
        self.0.closed()
    }
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// A raw stream that writes and seeks.
pub struct WriteSeeking<'a, T>(pub &'a mut T);

impl<T: IoBase + Write + Seek> Raw for WriteSeeking<'_, T> {
    fn io(&self) -> &dyn IoBase {
        self.0
    }
    fn io_mut(&mut self) -> &mut dyn IoBase {
        self.0
    }
    fn closed(&self) -> bool {
        self.0.closed()
    }
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.0.seek(pos)
    }
}

/// A raw stream that reads, writes and seeks.
pub struct Random<'a, T>(pub &'a mut T);

impl<T: IoBase + Read + Write + Seek> Raw for Random<'_, T> {
    fn io(&self) -> &dyn IoBase {
        self.0
    }
    fn io_mut(&mut self) -> &mut dyn IoBase {
        self.0
    }
    fn closed(&self) -> bool {
        self.0.closed()
    }
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.0.seek(pos)
    }
}
