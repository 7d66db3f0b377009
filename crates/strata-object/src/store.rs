//! [`Store`]: an `object_store` store, a prefix inside it, and the tokio runtime that drives its
//! requests for the blocking API.
//!
//! `object_store` is async. The blocking API (`Read`, `Seek`, `Write`) waits on its futures with
//! [`tokio::runtime::Handle::block_on`] from the caller's thread, while the runtime's worker threads
//! run what continues in the background: read-ahead requests and multipart parts in flight. The
//! runtime is either owned (one worker thread, made by [`Store::from_url`] and [`Store::new`]) or the
//! application's own ([`Store::with_handle`]). A blocking call made on a runtime thread is refused
//! with [`ObjectError::InsideRuntime`] instead of stalling it.

use std::fmt;
use std::future::Future;
use std::io;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreScheme};
use tokio::runtime::{Handle, Runtime};
use url::Url;

use crate::error::ObjectError;
use crate::reader::{ObjectReader, ReadOptions};
use crate::writer::{ObjectWriter, WriteOptions};

/// One object store, a prefix inside it, and the runtime that drives its requests.
///
/// Cloning is cheap and shares all three: the objects of a `memory://` store are visible to every
/// clone, and to no store made from another `from_url` call.
///
/// # Examples
///
/// ```
/// use std::io::{Read, Write};
/// use strata_object::Store;
///
/// let store = Store::from_url("memory://")?;
/// let mut w = store.create("greeting.txt");
/// w.write_all(b"hello, object storage")?;
/// w.finish()?;
///
/// let mut text = String::new();
/// store.open("greeting.txt")?.read_to_string(&mut text)?;
/// assert_eq!(text, "hello, object storage");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Store {
    inner: Arc<dyn ObjectStore>,
    prefix: Path,
    handle: Handle,
    /// The runtime behind `handle` when the store owns it; `None` for [`Store::with_handle`].
    _runtime: Option<Arc<OwnedRuntime>>,
}

impl Store {
    /// The store a URL names:
    ///
    /// - `memory://` — a new, empty in-memory store;
    /// - `file:///absolute/dir` — the local file system under that directory (created if missing);
    /// - `s3://bucket/prefix` — S3 or any S3-protocol server. The endpoint, credentials and region
    ///   come from the standard AWS environment variables: `AWS_ENDPOINT_URL` (MinIO, R2, Ceph,
    ///   a test server), `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
    ///   `AWS_REGION`, and `AWS_ALLOW_HTTP=true` for a plain-HTTP endpoint.
    ///
    /// The store gets its own runtime (one worker thread). No request is made here.
    ///
    /// # Errors
    ///
    /// [`ObjectError::InvalidUrl`] for a URL that does not parse, another scheme, or an S3
    /// configuration the environment leaves incomplete; the file system's error when the directory
    /// of a `file://` URL cannot be created; the runtime's error when its thread cannot start.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_object::{ObjectError, Store};
    ///
    /// let dir = std::env::temp_dir().join(format!("strata-object-doc-{}", std::process::id()));
    /// let store = Store::from_url(&format!("file://{}", dir.display()))?;
    /// store.put_bytes("a.bin", bytes::Bytes::from_static(b"abc"))?;
    /// assert_eq!(std::fs::read(dir.join("a.bin"))?, b"abc");
    ///
    /// let err = Store::from_url("ftp://example.com/x").err().unwrap();
    /// assert!(matches!(ObjectError::of(&err), Some(ObjectError::InvalidUrl { .. })));
    /// std::fs::remove_dir_all(&dir)?;
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_url(url: &str) -> io::Result<Store> {
        let invalid = |reason: String| ObjectError::InvalidUrl {
            url: url.to_owned(),
            reason,
        };
        let parsed = Url::parse(url).map_err(|e| invalid(e.to_string()))?;
        let (scheme, _) = ObjectStoreScheme::parse(&parsed).map_err(|_| {
            invalid(format!(
                "unsupported scheme {:?} (use file://, memory:// or s3://)",
                parsed.scheme()
            ))
        })?;
        let (inner, prefix): (Arc<dyn ObjectStore>, Path) = match scheme {
            ObjectStoreScheme::Memory => (Arc::new(InMemory::new()), Path::default()),
            ObjectStoreScheme::Local => {
                let dir = parsed
                    .to_file_path()
                    .map_err(|()| invalid("not an absolute local path".into()))?;
                std::fs::create_dir_all(&dir)?;
                let fs =
                    LocalFileSystem::new_with_prefix(&dir).map_err(|e| invalid(e.to_string()))?;
                (Arc::new(fs), Path::default())
            }
            ObjectStoreScheme::AmazonS3 => {
                let s3 = AmazonS3Builder::from_env()
                    .with_url(url)
                    .build()
                    .map_err(|e| invalid(e.to_string()))?;
                let prefix =
                    Path::from_url_path(parsed.path()).map_err(|e| invalid(e.to_string()))?;
                (Arc::new(s3), prefix)
            }
            _ => {
                return Err(invalid(format!(
                    "unsupported scheme {:?} (use file://, memory:// or s3://)",
                    parsed.scheme()
                ))
                .into());
            }
        };
        Store::new(inner, prefix)
    }

    /// A store over any `object_store` store (GCS, Azure, a wrapper of your own), with object names
    /// taken under `prefix`, driven by a runtime of its own (one worker thread).
    ///
    /// # Errors
    ///
    /// The runtime's error if its thread cannot be started.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use object_store::memory::InMemory;
    /// use strata_object::Store;
    ///
    /// let store = Store::new(Arc::new(InMemory::new()), "datasets/v1".into())?;
    /// assert_eq!(store.path("a.tar").as_ref(), "datasets/v1/a.tar");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(inner: Arc<dyn ObjectStore>, prefix: Path) -> io::Result<Store> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("strata-object")
            .enable_all()
            .build()?;
        Ok(Store {
            inner,
            prefix,
            handle: runtime.handle().clone(),
            _runtime: Some(Arc::new(OwnedRuntime(Some(runtime)))),
        })
    }

    /// A store driven by the application's runtime. Blocking calls must then come from threads
    /// outside it (for example `tokio::task::spawn_blocking`); the runtime must outlive them.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Read;
    /// use std::sync::Arc;
    /// use object_store::memory::InMemory;
    /// use strata_object::Store;
    ///
    /// let rt = tokio::runtime::Runtime::new()?;
    /// let store = Store::with_handle(Arc::new(InMemory::new()), "".into(), rt.handle().clone());
    /// store.put_bytes("x", bytes::Bytes::from_static(b"abc"))?; // from a thread outside `rt`
    /// let mut out = Vec::new();
    /// store.open("x")?.read_to_end(&mut out)?;
    /// assert_eq!(out, b"abc");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_handle(inner: Arc<dyn ObjectStore>, prefix: Path, handle: Handle) -> Store {
        Store {
            inner,
            prefix,
            handle,
            _runtime: None,
        }
    }

    /// The underlying `object_store` store, for the operations this crate does not wrap (listing,
    /// deleting, copying).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_object::Store;
    ///
    /// let store = Store::from_url("memory://")?;
    /// assert!(store.object_store().to_string().contains("InMemory"));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn object_store(&self) -> &Arc<dyn ObjectStore> {
        &self.inner
    }

    /// The location of object `name` (a `/`-separated name) in the underlying store: the store's
    /// prefix joined with `name`.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_object::Store;
    ///
    /// let store = Store::from_url("memory://")?;
    /// assert_eq!(store.path("a/b.zip").as_ref(), "a/b.zip");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn path(&self, name: &str) -> Path {
        name.split('/')
            .filter(|part| !part.is_empty())
            .fold(self.prefix.clone(), |path, part| path.join(part))
    }

    /// Opens object `name` for seekable reading with the default [`ReadOptions`]. One request (a
    /// `HEAD`) learns its size.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::NotFound`] when there is no such object, or the store's error.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Read, Seek, SeekFrom};
    /// use strata_object::Store;
    ///
    /// let store = Store::from_url("memory://")?;
    /// store.put_bytes("digits", bytes::Bytes::from_static(b"0123456789"))?;
    /// let mut r = store.open("digits")?;
    /// r.seek(SeekFrom::End(-3))?;
    /// let mut tail = String::new();
    /// r.read_to_string(&mut tail)?;
    /// assert_eq!(tail, "789");
    /// assert_eq!(store.open("missing").unwrap_err().kind(), std::io::ErrorKind::NotFound);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(&self, name: &str) -> io::Result<ObjectReader> {
        ObjectReader::open(self.clone(), self.path(name), ReadOptions::default())
    }

    /// Opens object `name` for writing with the default [`WriteOptions`]; see [`ObjectWriter`]. No
    /// request is made until the first part fills or the writer finishes.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_object::Store;
    ///
    /// let store = Store::from_url("memory://")?;
    /// let mut w = store.create("log.txt");
    /// writeln!(w, "line one")?;
    /// w.finish()?;
    /// assert_eq!(store.open("log.txt")?.size(), 9);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create(&self, name: &str) -> ObjectWriter {
        ObjectWriter::new(self.clone(), self.path(name), WriteOptions::default())
    }

    /// Stores `data` as object `name` without copying it: one `PUT` up to a part, a multipart upload
    /// of slices of `data` beyond. This is how a `SpooledIO` is uploaded without a copy: its
    /// `getvalue()` is the memory it holds, or a memory map of its file after rollover.
    ///
    /// # Errors
    ///
    /// The store's error; a failed multipart upload is aborted first.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_object::Store;
    /// use strata_spool::SpooledIO;
    ///
    /// let mut spool = SpooledIO::new(1024);
    /// spool.write_all(&[7u8; 4096])?; // rolled over to a temporary file
    /// let store = Store::from_url("memory://")?;
    /// store.put_bytes("spooled.bin", spool.getvalue()?)?;
    /// assert_eq!(store.open("spooled.bin")?.size(), 4096);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn put_bytes(&self, name: &str, data: Bytes) -> io::Result<()> {
        let mut writer = self.create(name);
        writer.write_bytes(data)?;
        writer.finish()
    }

    /// Waits for `fut` on the calling thread.
    pub(crate) fn block_on<F: Future>(&self, fut: F) -> io::Result<F::Output> {
        ensure_blocking_allowed()?;
        Ok(self.handle.block_on(fut))
    }

    /// The runtime's handle, to spawn background requests on.
    pub(crate) fn handle(&self) -> &Handle {
        &self.handle
    }
}

/// Runs `poll` to completion on the calling thread: once without waiting (so work that is already
/// done costs no trip through the runtime), then, if it is pending, blocking on `handle` until it is
/// ready. Both run inside the runtime's context, where `object_store`'s futures must be created.
///
/// # Errors
///
/// [`ObjectError::InsideRuntime`] when it would block on a runtime thread.
pub(crate) fn drive<T>(
    handle: &Handle,
    mut poll: impl FnMut(&mut Context<'_>) -> Poll<T>,
) -> io::Result<T> {
    {
        let _runtime = handle.enter();
        if let Poll::Ready(value) = poll(&mut Context::from_waker(Waker::noop())) {
            return Ok(value);
        }
    }
    ensure_blocking_allowed()?;
    Ok(handle.block_on(std::future::poll_fn(poll)))
}

/// Refuses blocking on a runtime thread, where `block_on` would panic.
///
/// # Errors
///
/// [`ObjectError::InsideRuntime`] there.
pub(crate) fn ensure_blocking_allowed() -> io::Result<()> {
    match Handle::try_current() {
        Ok(_) => Err(ObjectError::InsideRuntime.into()),
        Err(_) => Ok(()),
    }
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("store", &self.inner.to_string())
            .field("prefix", &self.prefix.as_ref())
            .finish_non_exhaustive()
    }
}

/// A runtime shut down in the background when dropped, so that dropping the last [`Store`] clone
/// never blocks, even on a runtime thread (where dropping a `Runtime` panics).
struct OwnedRuntime(Option<Runtime>);

impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}
