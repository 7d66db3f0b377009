//! [`ObjectReader`]: a seekable raw stream over one object, read with range requests.
//!
//! The reader keeps one *window* of the object (the bytes of the last range request) and serves
//! reads from it. A read outside the window costs one ranged `GET` of at least a block:
//!
//! - **Coalescing.** Small reads never become small requests: a miss fetches a whole block, so the
//!   many tiny reads of a format parser (headers, a directory) are served by one request. A miss
//!   after a seek whose block would run past the end of the object is moved back to end there, so a parser that
//!   reads the tail of a file backwards (a ZIP's end-of-central-directory search, then its
//!   directory) gets it all in one request.
//! - **Read-ahead.** When a miss starts exactly where the window ended, the reading is sequential:
//!   the block grows fourfold (up to [`ReadOptions::max_block`]) and, as soon as the block arrives, the
//!   next one is requested in the background, so the network works while the caller consumes.
//!   A seek elsewhere cancels it and resets the block to [`ReadOptions::block`].

use std::future::Future;
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::Range;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt};
use strata_raw::{IoBase, RawIoBase, ensure_open, seek_target};
use tokio::task::JoinHandle;

use crate::error::ObjectError;
use crate::store::{Store, drive};

/// How much larger each block of sequential reading is than the one before. Few requests matter
/// more than small first ones: a store's cost per request (latency on S3; on the loopback test
/// server, a pass over the object) dwarfs a few KiB more.
const GROWTH: usize = 4;

/// How an [`ObjectReader`] sizes its range requests.
///
/// # Examples
///
/// ```
/// use strata_object::ReadOptions;
///
/// let opts = ReadOptions::default().block(16 << 10).max_block(1 << 20).read_ahead(false);
/// assert_eq!(opts.block_size(), 16 << 10);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    block: usize,
    max_block: usize,
    read_ahead: bool,
}

impl Default for ReadOptions {
    /// A 64 KiB first block, growing to 16 MiB while reading sequentially, with read-ahead: a
    /// reader holds at most two blocks (the window and the read-ahead), 32 MiB.
    fn default() -> ReadOptions {
        ReadOptions {
            block: 64 << 10,
            max_block: 16 << 20,
            read_ahead: true,
        }
    }
}

impl ReadOptions {
    /// The smallest request, and the size of the first one after a seek (at least 1).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_object::ReadOptions;
    ///
    /// assert_eq!(ReadOptions::default().block(0).block_size(), 1);
    /// ```
    pub fn block(mut self, bytes: usize) -> ReadOptions {
        self.block = bytes.max(1);
        self.max_block = self.max_block.max(self.block);
        self
    }

    /// The largest block sequential reading grows to (at least [`ReadOptions::block`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_object::ReadOptions;
    ///
    /// let opts = ReadOptions::default().block(1 << 20).max_block(1);
    /// assert_eq!(opts.max_block_size(), 1 << 20);
    /// ```
    pub fn max_block(mut self, bytes: usize) -> ReadOptions {
        self.max_block = bytes.max(self.block);
        self
    }

    /// Whether sequential reading requests the next block before it is needed.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_object::ReadOptions;
    ///
    /// assert!(ReadOptions::default().read_ahead(true).reads_ahead());
    /// ```
    pub fn read_ahead(mut self, on: bool) -> ReadOptions {
        self.read_ahead = on;
        self
    }

    /// The first block's size.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(strata_object::ReadOptions::default().block_size(), 64 << 10);
    /// ```
    pub fn block_size(&self) -> usize {
        self.block
    }

    /// The largest block's size.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(strata_object::ReadOptions::default().max_block_size(), 16 << 20);
    /// ```
    pub fn max_block_size(&self) -> usize {
        self.max_block
    }

    /// Whether read-ahead is on.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(strata_object::ReadOptions::default().reads_ahead());
    /// ```
    pub fn reads_ahead(&self) -> bool {
        self.read_ahead
    }
}

/// What a reader has asked of its store so far.
///
/// # Examples
///
/// ```
/// use std::io::Read;
/// use strata_object::Store;
///
/// let store = Store::from_url("memory://")?;
/// store.put_bytes("x", bytes::Bytes::from(vec![1u8; 1000]))?;
/// let mut r = store.open("x")?;
/// let mut head = [0u8; 10];
/// r.read_exact(&mut head)?;
/// let stats = r.stats();
/// assert_eq!(stats.requests, 2); // HEAD, then one ranged GET
/// assert_eq!(stats.bytes, 1000); // the first block covers the whole object
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Requests made: the `HEAD` of `open`, then every ranged `GET`, read-ahead included.
    pub requests: u64,
    /// Object bytes received.
    pub bytes: u64,
}

/// The counters behind [`Stats`], shared with read-ahead tasks.
#[derive(Debug, Default)]
struct Counters {
    requests: AtomicU64,
    bytes: AtomicU64,
}

/// A range request in flight in the background.
#[derive(Debug)]
struct Ahead {
    range: Range<u64>,
    task: JoinHandle<object_store::Result<Bytes>>,
    /// Part of sequential reading: when it arrives, the next block is requested.
    sequential: bool,
}

/// A seekable raw stream over one object, read with ranged `GET`s (see the module notes for the
/// coalescing and read-ahead policy).
///
/// It implements [`Read`] (Python's `readinto`: one call returns what the window holds, so it may be
/// short), [`Seek`] (free: seeking makes no request) and [`IoBase`]. Stack a
/// `strata_buffered::BufferedReader` on it, or hand it to any `Read + Seek` consumer — a ZIP reader
/// fetches the directory and the entries it reads, never the whole archive.
///
/// The blocking methods must not be called on a thread of the store's runtime (see [`Store`]).
///
/// # Examples
///
/// ```
/// use std::io::{Read, Seek, SeekFrom};
/// use strata_object::Store;
/// use strata_raw::IoBase;
///
/// let store = Store::from_url("memory://")?;
/// store.put_bytes("abc", bytes::Bytes::from_static(b"abcdefgh"))?;
/// let mut r = store.open("abc")?;
/// assert_eq!(r.size(), 8);
/// r.seek(SeekFrom::Start(2))?;
/// let mut buf = [0u8; 3];
/// r.read_exact(&mut buf)?;
/// assert_eq!(&buf, b"cde");
/// assert_eq!(r.tell()?, 5);
/// r.close()?;
/// assert!(r.read(&mut buf).is_err());
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct ObjectReader {
    store: Store,
    path: Path,
    size: u64,
    pos: u64,
    window: Bytes,
    window_start: u64,
    ahead: Option<Ahead>,
    block: usize,
    opts: ReadOptions,
    counters: Arc<Counters>,
    closed: bool,
}

impl ObjectReader {
    /// Opens the object at `path` of `store`; one `HEAD` request learns its size.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::NotFound`] when there is no such object, or the store's error.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Read;
    /// use strata_object::{ObjectReader, ReadOptions, Store};
    ///
    /// let store = Store::from_url("memory://")?;
    /// store.put_bytes("data", bytes::Bytes::from(vec![5u8; 100]))?;
    /// let opts = ReadOptions::default().block(10).read_ahead(false);
    /// let mut r = ObjectReader::open(store.clone(), store.path("data"), opts)?;
    /// let mut byte = [0u8; 1];
    /// r.read_exact(&mut byte)?;
    /// assert_eq!(r.stats().bytes, 10); // one block of 10 bytes
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(store: Store, path: Path, opts: ReadOptions) -> io::Result<ObjectReader> {
        let counters = Arc::new(Counters::default());
        counters.requests.fetch_add(1, Ordering::Relaxed);
        let inner = Arc::clone(store.object_store());
        let meta = store
            .block_on(inner.head(&path))?
            .map_err(ObjectError::store("open", &path))?;
        Ok(ObjectReader {
            size: meta.size,
            pos: 0,
            window: Bytes::new(),
            window_start: 0,
            ahead: None,
            block: opts.block,
            opts,
            counters,
            closed: false,
            store,
            path,
        })
    }

    /// The object's size in bytes, as `open` found it.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_object::Store;
    ///
    /// let store = Store::from_url("memory://")?;
    /// store.put_bytes("e", bytes::Bytes::new())?;
    /// assert_eq!(store.open("e")?.size(), 0);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The object's location in its store.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_object::Store;
    ///
    /// let store = Store::from_url("memory://")?;
    /// store.put_bytes("d/e.bin", bytes::Bytes::new())?;
    /// assert_eq!(store.open("d/e.bin")?.path().as_ref(), "d/e.bin");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The requests made and bytes received so far.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_object::Store;
    ///
    /// let store = Store::from_url("memory://")?;
    /// store.put_bytes("x", bytes::Bytes::from_static(b"x"))?;
    /// assert_eq!(store.open("x")?.stats().requests, 1); // the HEAD of open
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn stats(&self) -> Stats {
        Stats {
            requests: self.counters.requests.load(Ordering::Relaxed),
            bytes: self.counters.bytes.load(Ordering::Relaxed),
        }
    }

    /// Python's `tell()`: the current position.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Seek, SeekFrom};
    /// use strata_object::Store;
    ///
    /// let store = Store::from_url("memory://")?;
    /// store.put_bytes("x", bytes::Bytes::from_static(b"xyz"))?;
    /// let mut r = store.open("x")?;
    /// r.seek(SeekFrom::End(10))?; // past the end is allowed; reads there return 0
    /// assert_eq!(r.tell()?, 13);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tell(&self) -> io::Result<u64> {
        ensure_open(self.closed)?;
        Ok(self.pos)
    }

    fn window_end(&self) -> u64 {
        self.window_start + self.window.len() as u64
    }

    /// Makes the window cover `self.pos` (which is before the end of the object), for a read of
    /// `want` bytes: takes the read-ahead if it covers the position, or requests a block.
    fn poll_fill(&mut self, cx: &mut Context<'_>, want: usize) -> Poll<io::Result<()>> {
        if !self
            .ahead
            .as_ref()
            .is_some_and(|a| a.range.contains(&self.pos))
        {
            self.request(want);
        }
        let Some(ahead) = self.ahead.as_mut() else {
            return Poll::Ready(Ok(()));
        };
        let answer = ready!(Pin::new(&mut ahead.task).poll(cx));
        let range_start = ahead.range.start;
        let sequential = ahead.sequential;
        self.ahead = None;
        let bytes = answer
            .map_err(|e| ObjectError::TaskFailed {
                op: "read",
                path: self.path.to_string(),
                reason: e.to_string(),
            })?
            .map_err(ObjectError::store("read", &self.path))?;
        self.set_window(range_start, bytes)?;
        if sequential {
            self.read_ahead();
        }
        Poll::Ready(Ok(()))
    }

    /// Requests the block that starts (or, near the end, ends) the window at `self.pos`, cancelling
    /// a read-ahead elsewhere.
    fn request(&mut self, want: usize) {
        if let Some(ahead) = self.ahead.take() {
            ahead.task.abort();
        }
        let sequential = self.pos == self.window_end() && !self.window.is_empty();
        self.block = if sequential {
            self.block.saturating_mul(GROWTH).min(self.opts.max_block)
        } else {
            self.opts.block
        };
        let len = want.max(self.block) as u64;
        // After a seek, a block that would run past the end is moved back to end there (tail reads
        // coalesce); sequential reading already holds what lies before.
        let start = if sequential {
            self.pos
        } else {
            self.pos.min(self.size.saturating_sub(len))
        };
        self.spawn(start..self.size.min(start.saturating_add(len)), sequential);
    }

    fn set_window(&mut self, start: u64, bytes: Bytes) -> io::Result<()> {
        self.window_start = start;
        self.window = bytes;
        if self.window_end() <= self.pos {
            // The store answered short: the object shrank since `open`.
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "object {:?} ended at byte {} while {} bytes were expected (it changed after it was opened)",
                    self.path.as_ref(),
                    self.window_end(),
                    self.size
                ),
            ));
        }
        Ok(())
    }

    /// Requests the block after the window in the background, twice the last one.
    fn read_ahead(&mut self) {
        let start = self.window_end();
        if !self.opts.read_ahead || start >= self.size {
            return;
        }
        self.block = self.block.saturating_mul(GROWTH).min(self.opts.max_block);
        self.spawn(
            start..self.size.min(start.saturating_add(self.block as u64)),
            true,
        );
    }

    fn spawn(&mut self, range: Range<u64>, sequential: bool) {
        let task = self.store.handle().spawn(fetch(
            Arc::clone(self.store.object_store()),
            self.path.clone(),
            range.clone(),
            Arc::clone(&self.counters),
        ));
        self.ahead = Some(Ahead {
            range,
            task,
            sequential,
        });
    }

    /// Copies from the window at `self.pos`, which it covers, into `buf`.
    fn take(&mut self, buf: &mut [u8]) -> usize {
        // The window covers `pos`: the difference fits in the window's length.
        let at = (self.pos - self.window_start) as usize;
        let available = &self.window[at..];
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.pos += n as u64;
        n
    }

    /// Whether a read of `len` bytes needs no request: nothing to read, or the window has it.
    fn ready_to_read(&self, len: usize) -> bool {
        len == 0
            || self.pos >= self.size
            || (self.window_start..self.window_end()).contains(&self.pos)
    }
}

/// One ranged `GET`, counted.
async fn fetch(
    store: Arc<dyn ObjectStore>,
    path: Path,
    range: Range<u64>,
    counters: Arc<Counters>,
) -> object_store::Result<Bytes> {
    counters.requests.fetch_add(1, Ordering::Relaxed);
    let bytes = store.get_range(&path, range).await?;
    counters
        .bytes
        .fetch_add(bytes.len() as u64, Ordering::Relaxed);
    Ok(bytes)
}

impl Read for ObjectReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        ensure_open(self.closed)?;
        if !self.ready_to_read(buf.len()) {
            let want = buf.len();
            let handle = self.store.handle().clone();
            drive(&handle, |cx| self.poll_fill(cx, want))??;
        }
        if self.pos >= self.size {
            return Ok(0);
        }
        Ok(self.take(buf))
    }
}

impl Seek for ObjectReader {
    fn seek(&mut self, from: SeekFrom) -> io::Result<u64> {
        ensure_open(self.closed)?;
        self.pos = seek_target(self.pos, self.size, from)?;
        Ok(self.pos)
    }
}

/// Python's `RawIOBase` methods (`readinto`, `read_bytes`, `readall`) over the ranged reads.
///
/// # Examples
///
/// ```
/// use strata_object::Store;
/// use strata_object::prelude::*;
///
/// let store = Store::from_url("memory://")?;
/// store.put_bytes("x", bytes::Bytes::from_static(b"xyz"))?;
/// let mut reader = store.open("x")?;
/// let mut buf = [0u8; 2];
/// assert_eq!(reader.readinto(&mut buf)?, 2);
/// assert_eq!(reader.readall()?, b"z");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl RawIoBase for ObjectReader {}

impl IoBase for ObjectReader {
    fn closed(&self) -> bool {
        self.closed
    }

    fn close(&mut self) -> io::Result<()> {
        if let Some(ahead) = self.ahead.take() {
            ahead.task.abort();
        }
        self.window = Bytes::new();
        self.closed = true;
        Ok(())
    }

    fn readable(&self) -> io::Result<bool> {
        ensure_open(self.closed).map(|()| true)
    }

    fn seekable(&self) -> io::Result<bool> {
        ensure_open(self.closed).map(|()| true)
    }
}

impl Drop for ObjectReader {
    fn drop(&mut self) {
        if let Some(ahead) = self.ahead.take() {
            ahead.task.abort();
        }
    }
}

#[cfg(feature = "tokio")]
mod async_io {
    //! `AsyncRead` and `AsyncSeek`: the same window and requests, awaited instead of blocked on.

    use std::io::{self, SeekFrom};
    use std::pin::Pin;
    use std::task::{Context, Poll, ready};

    use strata_raw::{ensure_open, seek_target};
    use tokio::io::{AsyncRead, AsyncSeek, ReadBuf};

    use super::ObjectReader;

    impl AsyncRead for ObjectReader {
        fn poll_read(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<io::Result<()>> {
            let this = self.get_mut();
            ensure_open(this.closed)?;
            if !this.ready_to_read(buf.remaining()) {
                ready!(this.poll_fill(cx, buf.remaining()))?;
            }
            if this.pos < this.size {
                let n = this.take(buf.initialize_unfilled());
                buf.advance(n);
            }
            Poll::Ready(Ok(()))
        }
    }

    impl AsyncSeek for ObjectReader {
        fn start_seek(self: Pin<&mut Self>, from: SeekFrom) -> io::Result<()> {
            let this = self.get_mut();
            ensure_open(this.closed)?;
            this.pos = seek_target(this.pos, this.size, from)?;
            Ok(())
        }

        fn poll_complete(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
            Poll::Ready(ensure_open(self.closed).map(|()| self.pos))
        }
    }
}
