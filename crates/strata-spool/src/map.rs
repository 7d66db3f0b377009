//! Every `unsafe` block of the crate: creating memory maps with `memmap2`.
//!
//! A map of a file is only sound while nothing truncates or writes the file: a shrink makes touching the
//! lost pages raise `SIGBUS` (the process dies), and a write changes bytes that Rust code holds as an
//! immutable `&[u8]` (undefined behaviour). The crate therefore maps only:
//!
//! - files it owns and that nothing else can reach ([`snapshot`]): an unnamed temporary file held by a
//!   [`SpooledIO`](crate::SpooledIO), or the output of [`write_via_path`](crate::write_via_path) after its
//!   last name was removed (`nlink == 0`). The crate itself never writes or truncates such a file while
//!   a map of it is alive: [`MapWatch`] tells `SpooledIO` to copy the file aside before it changes it;
//! - files the caller vouches for, through the `unsafe` constructor [`MmapIO::open`].
//!
//! A process of the same user can still open an unnamed file through `/proc/<pid>/fd`; that process
//! can equally attach a debugger, so it is outside what a library can defend against.

use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::Path;
use std::sync::{Arc, Weak};

use bytes::Bytes;
use memmap2::{Mmap, MmapOptions};

use crate::mmap::MmapIO;

/// Files shorter than this are read into memory instead of mapped.
///
/// Measured on Linux (a file in the page cache, one byte read per page of the result): reading
/// 256 KiB into a fresh buffer took about 25 µs against 32 µs for `mmap` + page faults + `munmap`;
/// at 512 KiB the map won (42 µs against 50 µs), and from 4 MiB on it costs a tenth of the copy or
/// less, since big buffers need fresh (faulting) heap pages too. It applies to
/// [`write_via_path`](crate::write_via_path) and to [`SpooledIO::getvalue`](crate::SpooledIO::getvalue)
/// and [`SpooledIO::into_bytes`](crate::SpooledIO::into_bytes) after rollover. `MmapIO::open` always
/// maps.
///
/// # Examples
///
/// ```
/// use strata_spool::prelude::*;
/// use strata_spool::{MAP_THRESHOLD, SpooledIO};
///
/// let big = usize::try_from(MAP_THRESHOLD)?;
/// let mut f = SpooledIO::new(0);
/// f.write_all(&vec![b'x'; big])?; // on disk, and big enough to be mapped
/// let mapped = f.getvalue()?;
/// assert_eq!(mapped.len(), big);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const MAP_THRESHOLD: u64 = 512 * 1024;

/// A map kept alive by the `Bytes` that share it, and watched by whoever may write the file later.
struct Shared {
    map: Mmap,
    /// Dropped with the last `Bytes` of this map; [`MapWatch`] sees it go.
    _alive: Arc<()>,
}

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.map
    }
}

/// Tells whether `Bytes` handed out by [`snapshot`] still use the map of a file.
#[derive(Debug, Default)]
pub(crate) struct MapWatch(Weak<()>);

impl MapWatch {
    /// Whether some `Bytes` over the map still exist, so that the file must not change in place.
    pub(crate) fn alive(&self) -> bool {
        self.0.strong_count() > 0
    }
}

/// The first `len` bytes of `file`, which the crate owns.
///
/// With a `watch` and at least [`MAP_THRESHOLD`] bytes, they are mapped, and `watch` reports while
/// any map it watches lives (all maps of one file share the watch). Otherwise they are read from
/// offset 0, moving `file`'s position.
///
/// Passing a `watch` is the caller's guarantee of what the module documentation requires: nothing
/// but the crate can reach `file`, and the crate does not write or shrink it while
/// [`MapWatch::alive`].
pub(crate) fn snapshot(file: &File, len: u64, watch: Option<&mut MapWatch>) -> io::Result<Bytes> {
    let Some(watch) = watch.filter(|_| len >= MAP_THRESHOLD) else {
        let mut data = Vec::new();
        data.try_reserve_exact(usize::try_from(len).unwrap_or(usize::MAX))
            .map_err(|err| io::Error::new(io::ErrorKind::OutOfMemory, err))?;
        let mut reader = file;
        reader.seek(io::SeekFrom::Start(0))?;
        reader.take(len).read_to_end(&mut data)?;
        return Ok(Bytes::from(data));
    };
    let len = usize::try_from(len)
        .map_err(|_| io::Error::new(io::ErrorKind::OutOfMemory, "file too large to map"))?;
    // SAFETY: `file` is owned by the crate and unreachable by name (see the module documentation);
    // the crate neither writes nor truncates it while `watch` says a map is alive, so the mapped
    // bytes stay valid and unchanged for as long as any `Bytes` over them exists.
    let map = unsafe { MmapOptions::new().len(len).map(file)? };
    let alive = watch.0.upgrade().unwrap_or_default();
    watch.0 = Arc::downgrade(&alive);
    Ok(Bytes::from_owner(Shared { map, _alive: alive }))
}

/// Whether the file behind `file` has no name left, so that only open handles can reach it.
///
/// Elsewhere than on Unix the link count is unknown and the answer is `false`.
pub(crate) fn unlinked(file: &File) -> io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Ok(file.metadata()?.nlink() == 0)
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        Ok(false)
    }
}

impl MmapIO {
    /// Maps the file at `path` read-only and opens it as a stream positioned at 0.
    ///
    /// # Safety
    ///
    /// For as long as the stream or any [`Bytes`] it returned is alive, nothing may truncate or
    /// modify the file — not this process, not another one. A truncation makes the next access to
    /// the lost pages raise `SIGBUS`, which kills the process; a modification changes bytes Rust
    /// treats as immutable, which is undefined behaviour. Map only files you control: ones you
    /// created in a private directory, read-only artefacts that nothing rewrites in place (tools
    /// that replace a file by renaming a new one over it are fine: the map keeps the old file).
    ///
    /// This is why the constructor is `unsafe`: no check the library could make rules out another
    /// process truncating the file later, so the promise can only come from the caller.
    ///
    /// # Errors
    ///
    /// The operating system's error for opening or mapping the file, e.g.
    /// [`io::ErrorKind::NotFound`]; [`io::ErrorKind::OutOfMemory`] when the file is larger than the
    /// address space.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_spool::MmapIO;
    /// use strata_spool::prelude::*;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("log.txt");
    /// std::fs::write(&path, b"one\ntwo\n")?;
    ///
    /// // SAFETY: the file lives in our private temporary directory and nothing else writes it.
    /// let mut log = unsafe { MmapIO::open(&path)? };
    /// assert_eq!(log.readline(None)?, "one\n");
    /// assert_eq!(log.tell()?, 4);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub unsafe fn open(path: impl AsRef<Path>) -> io::Result<MmapIO> {
        let file = File::open(path)?;
        let len = usize::try_from(file.metadata()?.len())
            .map_err(|_| io::Error::new(io::ErrorKind::OutOfMemory, "file too large to map"))?;
        if len == 0 {
            return Ok(MmapIO::from_mapped(Bytes::new()));
        }
        // SAFETY: the caller promises (see `# Safety`) that nothing truncates or modifies the file
        // while the stream or any `Bytes` from it is alive; the `Bytes` owns the map, so the map
        // outlives every slice of it.
        let map = unsafe { MmapOptions::new().len(len).map(&file)? };
        Ok(MmapIO::from_mapped(Bytes::from_owner(map)))
    }
}
