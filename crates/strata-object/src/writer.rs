//! [`ObjectWriter`]: a `Write` that uploads one object, with a multipart upload once it outgrows a
//! part.
//!
//! Memory is bounded by the part size and the number of parts in flight: the writer holds at most
//! one part being filled and [`WriteOptions::max_in_flight`] parts uploading, and a write that would
//! start one more waits for the oldest to finish. An object no larger than one part is stored with a
//! single `PUT` by [`ObjectWriter::finish`], so it never needs a multipart upload at all.

use std::fmt;
use std::future::Future;
use std::io::{self, Write};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use object_store::path::Path;
use object_store::{MultipartUpload, ObjectStoreExt, PutPayload, PutPayloadMut, WriteMultipart};
use strata_raw::{IoBase, ensure_open};

use crate::error::ObjectError;
use crate::store::{Store, drive, ensure_blocking_allowed};

/// How an [`ObjectWriter`] splits its upload.
///
/// # Examples
///
/// ```
/// use strata_object::WriteOptions;
///
/// let opts = WriteOptions::default().part_size(16 << 20)?.max_in_flight(2)?;
/// assert_eq!(opts.memory_bound(), 3 * (16 << 20));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteOptions {
    part_size: usize,
    max_in_flight: usize,
}

impl Default for WriteOptions {
    /// 8 MiB parts, at most 4 in flight: at most 40 MiB held per writer.
    fn default() -> WriteOptions {
        WriteOptions {
            part_size: 8 << 20,
            max_in_flight: 4,
        }
    }
}

impl WriteOptions {
    /// The size of every part but the last. S3 refuses parts under 5 MiB (but the last) when the
    /// upload completes; some stores (R2) also want all parts but the last of equal size, which this
    /// writer always does.
    ///
    /// # Errors
    ///
    /// [`ObjectError::InvalidOption`] for 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_object::WriteOptions;
    ///
    /// let err = WriteOptions::default().part_size(0).unwrap_err();
    /// assert_eq!(err.to_string(), "the part size must be at least 1 byte");
    /// ```
    pub fn part_size(mut self, bytes: usize) -> io::Result<WriteOptions> {
        if bytes == 0 {
            return Err(
                ObjectError::InvalidOption("the part size must be at least 1 byte".into()).into(),
            );
        }
        self.part_size = bytes;
        Ok(self)
    }

    /// How many parts may upload at once.
    ///
    /// # Errors
    ///
    /// [`ObjectError::InvalidOption`] for 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_object::WriteOptions;
    ///
    /// assert!(WriteOptions::default().max_in_flight(0).is_err());
    /// ```
    pub fn max_in_flight(mut self, parts: usize) -> io::Result<WriteOptions> {
        if parts == 0 {
            return Err(ObjectError::InvalidOption(
                "at least one part must be allowed in flight".into(),
            )
            .into());
        }
        self.max_in_flight = parts;
        Ok(self)
    }

    /// The most object bytes a writer holds at once: the part being filled and the parts in
    /// flight.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(strata_object::WriteOptions::default().memory_bound(), 40 << 20);
    /// ```
    pub fn memory_bound(&self) -> usize {
        self.part_size.saturating_mul(self.max_in_flight + 1)
    }
}

/// A request whose answer the writer waits for.
type Pending<T> = Pin<Box<dyn Future<Output = object_store::Result<T>> + Send>>;

/// Where the upload stands.
enum State {
    /// Nothing sent yet: the first part fills here.
    First(PutPayloadMut),
    /// The first part is full and the multipart upload is being created.
    Starting {
        upload: Pending<Box<dyn MultipartUpload>>,
        first: PutPayload,
    },
    /// A multipart upload is open; `filled` bytes of the current part are buffered in it.
    Multipart {
        upload: WriteMultipart,
        filled: usize,
    },
    /// A part failed: the upload is being aborted; then `error` is returned.
    Aborting {
        done: Pending<()>,
        error: Option<io::Error>,
    },
    /// The single `PUT`, or the last part and the completion, are under way.
    Finishing { done: Pending<()>, op: &'static str },
    /// `finish` or `close` ran (successfully or not).
    Closed,
    /// A part failed; the upload was aborted.
    Failed,
}

impl fmt::Debug for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            State::First(_) => "First",
            State::Starting { .. } => "Starting",
            State::Multipart { .. } => "Multipart",
            State::Aborting { .. } => "Aborting",
            State::Finishing { .. } => "Finishing",
            State::Closed => "Closed",
            State::Failed => "Failed",
        })
    }
}

/// A `Write` that uploads one object: a single `PUT` when it fits one part, a multipart upload
/// otherwise (see the module notes for the memory bound).
///
/// [`ObjectWriter::finish`] (or [`IoBase::close`]) completes the upload and returns its error.
/// Until then the object does not exist in the store (or keeps its old contents). A writer dropped
/// before `finish`, or whose upload failed, aborts its multipart upload, so no orphaned parts
/// remain; the object is then unchanged. [`Write::flush`] sends nothing: an object store has no way
/// to append to an object.
///
/// The blocking methods must not be called on a thread of the store's runtime (see [`Store`]).
///
/// # Examples
///
/// ```
/// use std::io::Write;
/// use strata_object::{ObjectWriter, Store, WriteOptions};
///
/// let store = Store::from_url("memory://")?;
/// let opts = WriteOptions::default().part_size(1024)?.max_in_flight(2)?;
/// let mut w = ObjectWriter::new(store.clone(), store.path("big.bin"), opts);
/// for _ in 0..10 {
///     w.write_all(&[1u8; 1000])?; // parts of 1024 bytes upload as they fill
/// }
/// w.finish()?;
/// assert_eq!(store.open("big.bin")?.size(), 10_000);
///
/// let mut dropped = store.create("never.bin");
/// dropped.write_all(b"lost")?;
/// drop(dropped); // no finish: nothing is stored
/// assert!(store.open("never.bin").is_err());
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct ObjectWriter {
    store: Store,
    path: Path,
    opts: WriteOptions,
    state: State,
    written: u64,
}

impl ObjectWriter {
    /// A writer of the object at `path` of `store`. No request is made until the first part fills
    /// or [`finish`](ObjectWriter::finish) runs.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_object::{ObjectWriter, Store, WriteOptions};
    ///
    /// let store = Store::from_url("memory://")?;
    /// let w = ObjectWriter::new(store.clone(), store.path("x"), WriteOptions::default());
    /// assert_eq!(w.written(), 0);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(store: Store, path: Path, opts: WriteOptions) -> ObjectWriter {
        ObjectWriter {
            store,
            path,
            opts,
            state: State::First(PutPayloadMut::new()),
            written: 0,
        }
    }

    /// Bytes accepted so far.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_object::Store;
    ///
    /// let mut w = Store::from_url("memory://")?.create("x");
    /// w.write_all(b"abc")?;
    /// assert_eq!(w.written(), 3);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Appends `data` without copying it: parts are slices of `data` (see [`Store::put_bytes`]).
    ///
    /// # Errors
    ///
    /// As [`Write::write`]; on error the upload is aborted.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_object::Store;
    ///
    /// let store = Store::from_url("memory://")?;
    /// let mut w = store.create("x");
    /// w.write_bytes(bytes::Bytes::from(vec![0u8; 100]))?;
    /// w.finish()?;
    /// assert_eq!(store.open("x")?.size(), 100);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_bytes(&mut self, mut data: Bytes) -> io::Result<()> {
        while !data.is_empty() {
            let n = self.room(data.len())?;
            let chunk = data.split_to(n);
            self.accept(Chunk::Owned(chunk));
        }
        Ok(())
    }

    /// Completes the upload: the object exists, whole, once this returns `Ok`.
    ///
    /// # Errors
    ///
    /// The store's error, after aborting the multipart upload (the object is then unchanged);
    /// [`ObjectError::UploadFailed`] when an earlier write failed.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_object::Store;
    ///
    /// let store = Store::from_url("memory://")?;
    /// let w = store.create("empty");
    /// w.finish()?; // a zero-byte object
    /// assert_eq!(store.open("empty")?.size(), 0);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(mut self) -> io::Result<()> {
        self.complete()
    }

    /// The upload's end, for `finish` and `close`.
    fn complete(&mut self) -> io::Result<()> {
        // Refuse up front on a runtime thread: a refused wait would leave the upload half done.
        ensure_blocking_allowed()?;
        let handle = self.store.handle().clone();
        drive(&handle, |cx| self.poll_complete(cx))?
    }

    /// Drives the upload's end: the single `PUT`, or the last part and the completion.
    fn poll_complete(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        loop {
            match &mut self.state {
                State::First(payload) => {
                    let payload = std::mem::take(payload).freeze();
                    let (inner, path) = (Arc::clone(self.store.object_store()), self.path.clone());
                    self.state = State::Finishing {
                        done: Box::pin(async move { inner.put(&path, payload).await.map(drop) }),
                        op: "upload",
                    };
                }
                State::Starting { .. } => {
                    ready!(self.poll_room(cx, 0))?;
                }
                State::Multipart { upload, filled } => {
                    // `WriteMultipart::finish` sends the last part without waiting: make room first.
                    if *filled > 0 {
                        let waited = ready!(upload.poll_for_capacity(cx, self.opts.max_in_flight));
                        if let Err(e) = waited {
                            self.begin_abort(ObjectError::store("upload part of", &self.path)(e));
                            continue;
                        }
                    }
                    if let State::Multipart { upload, .. } =
                        std::mem::replace(&mut self.state, State::Closed)
                    {
                        // It aborts the upload itself when a part or the completion fails.
                        self.state = State::Finishing {
                            done: Box::pin(async move { upload.finish().await.map(drop) }),
                            op: "complete the upload of",
                        };
                    }
                }
                State::Finishing { done, op } => {
                    let op = *op;
                    let result = ready!(done.as_mut().poll(cx));
                    self.state = State::Closed;
                    return Poll::Ready(result.map_err(ObjectError::store(op, &self.path)));
                }
                State::Aborting { .. } => return self.poll_abort(cx).map(Err),
                State::Closed => return Poll::Ready(Ok(())),
                State::Failed => return Poll::Ready(Err(self.failed())),
            }
        }
    }

    fn failed(&self) -> io::Error {
        ObjectError::UploadFailed {
            path: self.path.to_string(),
        }
        .into()
    }

    /// How many of `offered` bytes the next step takes: up to the end of the current part. When that
    /// completes a part, first waits until fewer than `max_in_flight` parts are uploading (starting
    /// the multipart upload if the first part is full).
    fn poll_room(&mut self, cx: &mut Context<'_>, offered: usize) -> Poll<io::Result<usize>> {
        let part = self.opts.part_size;
        loop {
            match &mut self.state {
                State::First(payload) => {
                    let filled = payload.content_length();
                    // The first part stays in memory until a byte beyond it arrives: an object of
                    // one part is one `PUT`.
                    if filled < part {
                        return Poll::Ready(Ok(offered.min(part - filled)));
                    }
                    let first = std::mem::take(payload).freeze();
                    let (inner, path) = (Arc::clone(self.store.object_store()), self.path.clone());
                    self.state = State::Starting {
                        upload: Box::pin(async move { inner.put_multipart(&path).await }),
                        first,
                    };
                }
                State::Starting { upload, first } => {
                    let started = ready!(upload.as_mut().poll(cx));
                    let first = std::mem::take(first);
                    let upload = match started {
                        Ok(upload) => upload,
                        Err(e) => {
                            self.state = State::Failed;
                            return Poll::Ready(Err(ObjectError::store(
                                "start the upload of",
                                &self.path,
                            )(e)));
                        }
                    };
                    let mut upload = WriteMultipart::new_with_chunk_size(upload, part);
                    // A completed part is spawned on the store's runtime.
                    let _runtime = self.store.handle().enter();
                    for bytes in first {
                        upload.put(bytes);
                    }
                    self.state = State::Multipart { upload, filled: 0 };
                }
                State::Multipart { upload, filled } => {
                    let n = offered.min(part - *filled);
                    if n > 0 && n == part - *filled {
                        let waited = ready!(upload.poll_for_capacity(cx, self.opts.max_in_flight));
                        if let Err(e) = waited {
                            self.begin_abort(ObjectError::store("upload part of", &self.path)(e));
                            continue;
                        }
                    }
                    return Poll::Ready(Ok(n));
                }
                State::Aborting { .. } => return self.poll_abort(cx).map(Err),
                State::Finishing { .. } | State::Closed | State::Failed => {
                    return Poll::Ready(Err(self.unusable()));
                }
            }
        }
    }

    /// Takes `chunk`, which [`poll_room`](ObjectWriter::poll_room) sized to end at most at the
    /// part's end.
    fn accept(&mut self, chunk: Chunk<'_>) {
        let len = chunk.len();
        self.written += len as u64;
        match &mut self.state {
            State::First(payload) => match chunk {
                Chunk::Borrowed(buf) => payload.extend_from_slice(buf),
                Chunk::Owned(bytes) => payload.push(bytes),
            },
            State::Multipart { upload, filled } => {
                // A completed part is spawned on the store's runtime.
                let _runtime = self.store.handle().enter();
                match chunk {
                    Chunk::Borrowed(buf) => upload.write(buf),
                    Chunk::Owned(bytes) => upload.put(bytes),
                }
                *filled = (*filled + len) % self.opts.part_size;
            }
            State::Starting { .. }
            | State::Aborting { .. }
            | State::Finishing { .. }
            | State::Closed
            | State::Failed => {}
        }
    }

    /// The error of a writer that can take no more bytes: closed, or failed.
    fn unusable(&self) -> io::Error {
        match self.state {
            State::Failed => self.failed(),
            _ => strata_raw::Error::Closed { op: None }.into(),
        }
    }

    /// Starts aborting the multipart upload (open or being opened) after `error`, which the
    /// writer returns once the abort is done.
    fn begin_abort(&mut self, error: io::Error) {
        let done: Pending<()> = match std::mem::replace(&mut self.state, State::Failed) {
            State::Multipart { upload, .. } => Box::pin(upload.abort()),
            State::Starting { upload, .. } => Box::pin(async move { upload.await?.abort().await }),
            State::Aborting { done, .. } => done,
            _ => return,
        };
        self.state = State::Aborting {
            done,
            error: Some(error),
        };
    }

    /// Waits for the abort, then gives its cause. The abort's own error is dropped: the cause is
    /// what the caller needs, and the abort was the best that could be done.
    fn poll_abort(&mut self, cx: &mut Context<'_>) -> Poll<io::Error> {
        let State::Aborting { done, error } = &mut self.state else {
            return Poll::Ready(self.unusable());
        };
        let _ = ready!(done.as_mut().poll(cx));
        let error = error.take();
        self.state = State::Failed;
        Poll::Ready(error.unwrap_or_else(|| self.failed()))
    }

    /// The sync path of `write` and `write_bytes`: room for `offered` bytes, waiting if needed.
    fn room(&mut self, offered: usize) -> io::Result<usize> {
        let handle = self.store.handle().clone();
        drive(&handle, |cx| self.poll_room(cx, offered))?
    }
}

/// Bytes offered to the writer: borrowed by `write`, owned by `write_bytes`.
enum Chunk<'a> {
    Borrowed(&'a [u8]),
    Owned(Bytes),
}

impl Chunk<'_> {
    fn len(&self) -> usize {
        match self {
            Chunk::Borrowed(buf) => buf.len(),
            Chunk::Owned(bytes) => bytes.len(),
        }
    }
}

impl Write for ObjectWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.is_empty() {
            ensure_open(matches!(self.state, State::Closed))?;
            return Ok(0);
        }
        let n = self.room(buf.len())?;
        self.accept(Chunk::Borrowed(&buf[..n]));
        Ok(n)
    }

    /// Checks the writer is usable; sends nothing (objects cannot be appended to).
    fn flush(&mut self) -> io::Result<()> {
        match self.state {
            State::First(_) | State::Starting { .. } | State::Multipart { .. } => Ok(()),
            State::Aborting { .. } | State::Finishing { .. } | State::Closed | State::Failed => {
                Err(self.unusable())
            }
        }
    }
}

impl IoBase for ObjectWriter {
    fn closed(&self) -> bool {
        matches!(self.state, State::Closed)
    }

    /// Completes the upload, as [`ObjectWriter::finish`]; closing again does nothing.
    fn close(&mut self) -> io::Result<()> {
        self.complete()
    }

    fn writable(&self) -> io::Result<bool> {
        ensure_open(self.closed()).map(|()| true)
    }
}

impl Drop for ObjectWriter {
    /// Aborts an unfinished multipart upload: waiting for it on a plain thread, in the background on
    /// a runtime thread (where waiting is not allowed).
    fn drop(&mut self) {
        let dropped = ObjectError::UploadFailed {
            path: self.path.to_string(),
        };
        self.begin_abort(dropped.into());
        if let State::Aborting { done, .. } = std::mem::replace(&mut self.state, State::Failed) {
            if ensure_blocking_allowed().is_ok() {
                let _ = self.store.block_on(done);
            } else {
                drop(self.store.handle().spawn(done));
            }
        }
    }
}

#[cfg(feature = "tokio")]
mod async_io {
    //! `AsyncWrite`: the same parts and limits, awaited instead of blocked on; `poll_shutdown`
    //! completes the upload.

    use std::io::{self, Write};
    use std::pin::Pin;
    use std::task::{Context, Poll, ready};

    use tokio::io::AsyncWrite;

    use super::{Chunk, ObjectWriter};

    impl AsyncWrite for ObjectWriter {
        fn poll_write(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &[u8],
        ) -> Poll<io::Result<usize>> {
            let this = self.get_mut();
            if buf.is_empty() {
                return Poll::Ready(this.write(buf));
            }
            let n = ready!(this.poll_room(cx, buf.len()))?;
            this.accept(Chunk::Borrowed(&buf[..n]));
            Poll::Ready(Ok(n))
        }

        fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(self.get_mut().flush())
        }

        fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
            self.get_mut().poll_complete(cx)
        }
    }
}
