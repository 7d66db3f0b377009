//! [`ObjectWriter`]: a `Write` that uploads one object, with a multipart upload once it outgrows a
//! part.
//!
//! Memory is bounded by the part size and the number of parts in flight: the writer holds at most
//! one part being filled and [`WriteOptions::max_in_flight`] parts uploading, and a write that would
//! start one more waits for the oldest to finish. An object no larger than one part is stored with a
//! single `PUT` by [`ObjectWriter::finish`], so it never needs a multipart upload at all.

use std::io::{self, Write};

use bytes::Bytes;
use object_store::path::Path;
use object_store::{ObjectStoreExt, PutPayloadMut, WriteMultipart};
use strata_raw::{IoBase, ensure_open};
use tokio::runtime::Handle;

use crate::error::ObjectError;
use crate::store::Store;

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

/// Where the upload stands.
#[derive(Debug)]
enum State {
    /// Nothing sent yet: the first part fills here.
    First(PutPayloadMut),
    /// A multipart upload is open; `filled` bytes of the current part are buffered in it.
    Multipart {
        upload: WriteMultipart,
        filled: usize,
    },
    /// `finish` or `close` ran (successfully or not).
    Closed,
    /// A part failed; the upload was aborted.
    Failed,
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
/// let mut w = ObjectWriter::new(store.clone(), store.path("big.bin"), opts)?;
/// for _ in 0..10 {
///     w.write_all(&[1u8; 1000])?; // parts of 1024 bytes upload as they fill
/// }
/// w.finish()?;
/// assert_eq!(store.open("big.bin")?.size(), 10_000);
///
/// let mut dropped = store.create("never.bin")?;
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
    /// # Errors
    ///
    /// None today; the signature leaves room for stores that check up front.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_object::{ObjectWriter, Store, WriteOptions};
    ///
    /// let store = Store::from_url("memory://")?;
    /// let w = ObjectWriter::new(store.clone(), store.path("x"), WriteOptions::default())?;
    /// assert_eq!(w.written(), 0);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(store: Store, path: Path, opts: WriteOptions) -> io::Result<ObjectWriter> {
        Ok(ObjectWriter {
            store,
            path,
            opts,
            state: State::First(PutPayloadMut::new()),
            written: 0,
        })
    }

    /// Bytes accepted so far.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_object::Store;
    ///
    /// let mut w = Store::from_url("memory://")?.create("x")?;
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
    /// let mut w = store.create("x")?;
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
    /// let w = store.create("empty")?;
    /// w.finish()?; // a zero-byte object
    /// assert_eq!(store.open("empty")?.size(), 0);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(mut self) -> io::Result<()> {
        self.complete()
    }

    /// The upload's end, for `finish` and `close`.
    fn complete(&mut self) -> io::Result<()> {
        // Refuse before taking the upload: a refused wait would drop it without an abort.
        self.store.ensure_blocking_allowed()?;
        match std::mem::replace(&mut self.state, State::Closed) {
            State::First(payload) => {
                let inner = self.store.object_store();
                let put = inner.put(&self.path, payload.freeze());
                self.store
                    .block_on(put)?
                    .map_err(ObjectError::store("upload", &self.path))?;
                Ok(())
            }
            State::Multipart { mut upload, filled } => {
                // The last part goes out without a wait in `WriteMultipart::finish`: make room first.
                if filled > 0 {
                    let waited = self
                        .store
                        .block_on(upload.wait_for_capacity(self.opts.max_in_flight))?;
                    if let Err(e) = waited {
                        abort_upload(&self.store, upload);
                        self.state = State::Failed;
                        return Err(ObjectError::store("upload part of", &self.path)(e));
                    }
                }
                // `WriteMultipart::finish` aborts the upload itself when a part or the completion fails.
                self.store
                    .block_on(upload.finish())?
                    .map_err(ObjectError::store("complete the upload of", &self.path))?;
                Ok(())
            }
            State::Closed => Ok(()),
            State::Failed => {
                self.state = State::Failed;
                Err(self.failed())
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
    fn room(&mut self, offered: usize) -> io::Result<usize> {
        let part = self.opts.part_size;
        if let State::First(payload) = &mut self.state {
            let filled = payload.content_length();
            // The first part stays in memory until a byte beyond it arrives: an object of one part
            // is one `PUT`.
            if filled < part {
                return Ok(offered.min(part - filled));
            }
            let first = std::mem::take(payload).freeze();
            let inner = self.store.object_store();
            let started = self.store.block_on(inner.put_multipart(&self.path))?;
            let upload = started.map_err(ObjectError::store("start the upload of", &self.path))?;
            let mut upload = WriteMultipart::new_with_chunk_size(upload, part);
            let _runtime = self.store.handle().enter();
            for bytes in first {
                upload.put(bytes);
            }
            self.state = State::Multipart { upload, filled: 0 };
        }
        let State::Multipart { upload, filled } = &mut self.state else {
            return Err(self.unusable());
        };
        let n = offered.min(part - *filled);
        if n == part - *filled {
            let waited = self
                .store
                .block_on(upload.wait_for_capacity(self.opts.max_in_flight))?;
            if let Err(e) = waited {
                self.abort();
                return Err(ObjectError::store("upload part of", &self.path)(e));
            }
        }
        Ok(n)
    }

    /// The error of a writer that can take no more bytes: closed, or failed.
    fn unusable(&self) -> io::Error {
        match self.state {
            State::Failed => self.failed(),
            _ => strata_raw::Error::Closed { op: None }.into(),
        }
    }

    /// Takes `chunk`, which [`room`](ObjectWriter::room) sized to end at most at the part's end.
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
            State::Closed | State::Failed => {}
        }
    }

    /// Aborts the multipart upload, if one is open, and marks the writer failed.
    fn abort(&mut self) {
        if let State::Multipart { upload, .. } = std::mem::replace(&mut self.state, State::Failed) {
            abort_upload(&self.store, upload);
        }
    }
}

/// Aborts `upload`: waiting for it from a plain thread, in the background on a runtime thread
/// (where waiting is not allowed). The abort's own error is dropped: there is no one left to tell.
fn abort_upload(store: &Store, upload: WriteMultipart) {
    if Handle::try_current().is_ok() {
        drop(store.handle().spawn(upload.abort()));
    } else {
        let _ = store.block_on(upload.abort());
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
            State::First(_) | State::Multipart { .. } => Ok(()),
            State::Closed | State::Failed => Err(self.unusable()),
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
    fn drop(&mut self) {
        self.abort();
    }
}
