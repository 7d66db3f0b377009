//! Test doubles: [`Chunked`], a `BytesIO` whose `fill_buf` hands out chosen chunk sizes, which counts
//! flushes and can pretend to be unseekable, read-only or write-only, or fail a read or a write.

use std::io::{self, BufRead, Read, Seek, SeekFrom, Write};

use strata_buffered::BytesIO;
use strata_raw::IoBase;

/// A `BytesIO` that returns at most `sizes[i]` bytes from the `i`-th `fill_buf` (the last size
/// repeats), so tests choose where chunk boundaries fall.
#[derive(Debug)]
pub struct Chunked {
    pub inner: BytesIO,
    sizes: Vec<usize>,
    next: usize,
    pub flushes: usize,
    pub seekable: bool,
    pub readable: bool,
    pub writable: bool,
    /// Writes take at most this many more bytes, then fail with `"disk full"`.
    pub write_budget: Option<usize>,
    /// The next `fill_buf` at this byte position fails once with `"read fault"`.
    pub fail_at: Option<u64>,
}

impl Chunked {
    pub fn new(data: &[u8], sizes: &[usize]) -> Chunked {
        Chunked {
            inner: BytesIO::from(data),
            sizes: if sizes.is_empty() {
                vec![usize::MAX]
            } else {
                sizes.to_vec()
            },
            next: 0,
            flushes: 0,
            seekable: true,
            readable: true,
            writable: true,
            write_budget: None,
            fail_at: None,
        }
    }

    /// Splits `data` into exactly these chunks.
    pub fn chunks(chunks: &[&[u8]]) -> Chunked {
        let data: Vec<u8> = chunks.concat();
        let mut sizes: Vec<usize> = chunks.iter().map(|c| c.len()).collect();
        sizes.push(usize::MAX);
        Chunked::new(&data, &sizes)
    }

    fn limit(&self) -> usize {
        self.sizes[self.next.min(self.sizes.len() - 1)]
    }
}

impl Read for Chunked {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.limit());
        self.next += 1;
        self.inner.read(&mut buf[..n])
    }
}

impl BufRead for Chunked {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let mut limit = self.limit();
        if let Some(at) = self.fail_at {
            let pos = self.inner.stream_position()?;
            if pos >= at {
                self.fail_at = None;
                return Err(io::Error::other("read fault"));
            }
            limit = limit.min(usize::try_from(at - pos).unwrap_or(usize::MAX));
        }
        let buf = self.inner.fill_buf()?;
        Ok(&buf[..buf.len().min(limit)])
    }

    fn consume(&mut self, amt: usize) {
        self.next += 1;
        self.inner.consume(amt);
    }
}

impl Write for Chunked {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.write_budget {
            Some(0) => Err(io::Error::other("disk full")),
            Some(budget) => {
                let n = self.inner.write(&buf[..buf.len().min(budget)])?;
                self.write_budget = Some(budget - n);
                Ok(n)
            }
            None => self.inner.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.flushes += 1;
        self.inner.flush()
    }
}

impl Seek for Chunked {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

impl IoBase for Chunked {
    fn closed(&self) -> bool {
        self.inner.closed()
    }

    fn close(&mut self) -> io::Result<()> {
        self.inner.close()
    }

    fn readable(&self) -> io::Result<bool> {
        Ok(self.inner.readable()? && self.readable)
    }

    fn writable(&self) -> io::Result<bool> {
        Ok(self.inner.writable()? && self.writable)
    }

    fn seekable(&self) -> io::Result<bool> {
        Ok(self.inner.seekable()? && self.seekable)
    }

    fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        IoBase::truncate(&mut self.inner, size)
    }
}

/// Runs `script` with `python3 -c`, `args` after it, and returns what it printed.
///
/// # Panics
///
/// When `python3` is missing, is not CPython 3.11 (the version whose messages and codec tables these
/// tests compare with), or fails.
pub fn python(script: &str, args: &[&str]) -> String {
    let check = "import sys\n\
        if sys.version_info[:2] != (3, 11):\n\
        \x20   sys.exit('these tests compare with CPython 3.11, but python3 is ' + sys.version.split()[0])\n";
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(format!("{check}{script}"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("these tests need python3 (CPython 3.11) on PATH: {e}"));
    assert!(
        out.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("python3 prints UTF-8")
}
