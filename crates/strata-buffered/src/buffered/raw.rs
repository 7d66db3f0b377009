//! The narrow view of a raw stream that the non-generic [`Core`](super::core::Core) works through.
//!
//! Each generic shell borrows its raw stream into one of the adapters below for the length of one
//! call, and hands the core a `&mut dyn Raw`: the buffering logic is compiled once, whatever the raw
//! stream's type, and only these few forwarding functions are generic. An adapter forwards exactly the
//! capabilities its bounds give; the trait's defaults refuse the rest (the core never asks a reader's
//! adapter to write, but a refusal is still an error, never a panic).

use std::io::{self, Read, Seek, SeekFrom, Write};

use strata_raw::{IoBase, unsupported};

/// What the buffer core may ask of a raw stream.
pub trait Raw {
    /// [`IoBase::closed`].
    fn closed(&self) -> bool;
    /// [`IoBase::close`].
    fn close(&mut self) -> io::Result<()>;
    /// [`IoBase::seekable`].
    fn seekable(&self) -> io::Result<bool>;
    /// [`IoBase::truncate`].
    fn truncate(&mut self, size: Option<u64>) -> io::Result<u64>;

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

/// The forwarding functions for one capability.
macro_rules! forward {
    (read) => {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            Read::read(self.0, buf)
        }
    };
    (write) => {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            Write::write(self.0, buf)
        }
        fn flush(&mut self) -> io::Result<()> {
            Write::flush(self.0)
        }
    };
    (seek) => {
        fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
            Seek::seek(self.0, pos)
        }
    };
}

/// An adapter: a borrowed raw stream seen through the capabilities listed.
macro_rules! adapter {
    ($(#[$doc:meta])* $name:ident: $($cap:ident $bound:ident),+) => {
        $(#[$doc])*
        pub struct $name<'a, T>(pub &'a mut T);

        impl<T: IoBase $(+ $bound)+> Raw for $name<'_, T> {
            fn closed(&self) -> bool {
                self.0.closed()
            }
            fn close(&mut self) -> io::Result<()> {
                self.0.close()
            }
            fn seekable(&self) -> io::Result<bool> {
                self.0.seekable()
            }
            fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
                self.0.truncate(size)
            }
            $(forward!($cap);)+
        }
    };
}

adapter!(
    /// A raw stream that reads.
    Reading: read Read
);
adapter!(
    /// A raw stream that reads and seeks.
    ReadSeeking: read Read, seek Seek
);
adapter!(
    /// A raw stream that writes.
    Writing: write Write
);
adapter!(
    /// A raw stream that writes and seeks.
    WriteSeeking: write Write, seek Seek
);
adapter!(
    /// A raw stream that reads, writes and seeks.
    Random: read Read, write Write, seek Seek
);
