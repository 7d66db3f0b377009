//! `SpooledIO`: a `BytesIO` that moves to an unnamed temporary file once it outgrows a limit.
//!
//! Before rollover every call goes to a [`BytesIO`]; after it, to [`Disk`], a private stream over the
//! file that reproduces `BytesIO`'s results (a write past the end zero-fills, truncation never grows,
//! reads past the end return nothing, the same seek errors).

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use bytes::Bytes;
use strata_buffered::{BufferedIoBase, BytesIO};
use strata_raw::{Error, IoBase, ensure_open, readline_into, readlines, seek_target};

use crate::map::{self, MapWatch};

/// Python's `tempfile.SpooledTemporaryFile`: a `BytesIO` in memory while small, an unnamed temporary
/// file once it would grow past `max_size` bytes.
///
/// Before and after this *rollover* it has `BytesIO`'s operations with the same results and errors:
/// [`Read`], [`Write`], [`Seek`], [`BufRead`], [`IoBase`], [`BufferedIoBase`] (Python's `read_bytes`,
/// `read1`, `readinto`, `readline`, `readlines`, `writelines`), `tell`, `truncate`, `getvalue`. A write
/// (including one after a seek past the end) that would end beyond `max_size` rolls it over first,
/// so memory never holds more than `max_size` bytes; [`rollover`](SpooledIO::rollover) does it on
/// demand. Truncation never grows the stream, so it never rolls it over. Iterating over
/// `&mut SpooledIO` (or [`iter_lines`](BufferedIoBase::iter_lines)) yields its lines, as for
/// `BytesIO`.
///
/// After rollover, writes shorter than 64 KiB are gathered (as in the `BufferedRandom` Python puts
/// over its file) and reach the file on the next read, seek, truncation, `getvalue` or
/// [`flush`](Write::flush); an error writing them (a full disk) surfaces from that call, and what the
/// file did not take stays gathered for the next one: a write that returned `Ok` is never dropped,
/// and a write that returns `Err` wrote nothing. Longer writes go straight to the file.
///
/// The file is created with [`tempfile::tempfile_in`] in the directory given to
/// [`new_in`](SpooledIO::new_in), or in `TMPDIR`: it has no name, so nothing else can open it, and
/// the operating system frees it when the stream is closed or dropped, even if the process crashes.
///
/// After rollover, [`getvalue`](SpooledIO::getvalue) and [`into_bytes`](SpooledIO::into_bytes) return
/// the file's contents without copying (a memory map) from [`MAP_THRESHOLD`](crate::MAP_THRESHOLD)
/// bytes on. A later write or truncation copies the file aside first if such a snapshot is still
/// alive, so snapshots never change, exactly as with `BytesIO`'s copy-on-write.
///
/// # Async
///
/// Under the `tokio` (or `futures-io`) feature, `SpooledIO` implements the async I/O traits, each
/// call being the sync operation, ready at once. Before rollover that is memory, which never waits.
/// After rollover each call is one file operation done in place, on the thread that polls: on the
/// page cache it takes microseconds, but on a slow or full disk it blocks the executor's thread for
/// as long as the disk takes. (`tokio::fs` instead moves each call to the blocking pool, at the cost
/// of a copy and a thread hand-off per call.) A service that spills much data to a slow disk should
/// run the whole `SpooledIO` inside `tokio::task::spawn_blocking` and hand the result back.
///
/// # Examples
///
/// ```
/// use strata_spool::SpooledIO;
/// use strata_spool::prelude::*;
///
/// let dir = tempfile::tempdir()?;
/// let mut f = SpooledIO::new_in(8, dir.path());
/// f.write_all(b"small\n")?;
/// assert!(!f.rolled()); // 6 bytes: still in memory
/// f.write_all(b"and now larger\n")?;
/// assert!(f.rolled()); // 21 bytes: on disk
///
/// f.seek(SeekFrom::Start(0))?;
/// assert_eq!(f.readlines(None)?, ["small\n", "and now larger\n"]);
/// assert_eq!(f.getvalue()?.len(), 21);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct SpooledIO {
    store: Store,
    max_size: u64,
    /// Where the file goes; `TMPDIR` (read at rollover) when `None`.
    dir: Option<PathBuf>,
}

#[derive(Debug)]
enum Store {
    Memory(BytesIO),
    Disk(Disk),
}

/// What a store does: everything a `SpooledIO` forwards, so that each forwarding call is written
/// once, whichever store holds the data.
trait Contents: BufferedIoBase + BufRead + Write + Seek + fmt::Debug {
    /// The position.
    fn tell(&self) -> io::Result<u64>;
    /// A snapshot of the whole contents.
    fn getvalue(&mut self) -> io::Result<Bytes>;
}

impl Contents for BytesIO {
    fn tell(&self) -> io::Result<u64> {
        BytesIO::tell(self)
    }

    fn getvalue(&mut self) -> io::Result<Bytes> {
        BytesIO::getvalue(self)
    }
}

impl Contents for Disk {
    fn tell(&self) -> io::Result<u64> {
        Disk::tell(self)
    }

    fn getvalue(&mut self) -> io::Result<Bytes> {
        Disk::getvalue(self)
    }
}

impl SpooledIO {
    /// An empty stream that rolls over to a file in `TMPDIR` once it would exceed `max_size` bytes.
    ///
    /// `max_size` 0 puts the first byte written on disk (Python treats 0 as "no limit"; use
    /// `usize::MAX` for that).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_spool::SpooledIO;
    /// use strata_spool::prelude::*;
    ///
    /// let mut f = SpooledIO::new(1 << 20); // up to 1 MiB in memory
    /// f.write_all(b"hello")?;
    /// assert!(!f.rolled());
    /// assert_eq!(f.getvalue()?, "hello");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(max_size: usize) -> SpooledIO {
        SpooledIO {
            store: Store::Memory(BytesIO::new()),
            max_size: max_size as u64,
            dir: None,
        }
    }

    /// [`new`](SpooledIO::new), with the file in `dir` instead of `TMPDIR`.
    ///
    /// `dir` is only used at rollover, so a missing directory shows as an error of that write.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_spool::SpooledIO;
    /// use strata_spool::prelude::*;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let mut f = SpooledIO::new_in(0, dir.path());
    /// f.write_all(b"x")?;
    /// assert!(f.rolled());
    /// assert_eq!(std::fs::read_dir(dir.path())?.count(), 0); // the file has no name
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new_in(max_size: usize, dir: impl AsRef<Path>) -> SpooledIO {
        SpooledIO {
            dir: Some(dir.as_ref().to_path_buf()),
            ..SpooledIO::new(max_size)
        }
    }

    /// Whether the data has moved to the temporary file.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_spool::SpooledIO;
    /// use strata_spool::prelude::*;
    ///
    /// let mut f = SpooledIO::new(4);
    /// f.write_all(b"1234")?;
    /// assert!(!f.rolled());
    /// f.write_all(b"5")?;
    /// assert!(f.rolled());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rolled(&self) -> bool {
        matches!(self.store, Store::Disk(_))
    }

    /// The size from which the data moves to disk: the stream rolls over before a write that would
    /// end beyond it.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_spool::SpooledIO;
    ///
    /// assert_eq!(SpooledIO::new(4096).max_size(), 4096);
    /// assert_eq!(SpooledIO::new(usize::MAX).max_size(), usize::MAX); // never rolls over by itself
    /// ```
    pub fn max_size(&self) -> usize {
        usize::try_from(self.max_size).unwrap_or(usize::MAX)
    }

    /// Moves the data to the temporary file now, keeping the position; does nothing once rolled.
    ///
    /// # Errors
    ///
    /// The closed-file error when closed before rollover; the error of creating or writing the
    /// file, in which case the data stays in memory.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_spool::SpooledIO;
    /// use strata_spool::prelude::*;
    ///
    /// let mut f = SpooledIO::new(usize::MAX);
    /// f.write_all(b"abc")?;
    /// f.rollover()?;
    /// assert!(f.rolled());
    /// assert_eq!((f.tell()?, f.getvalue()?), (3, "abc".into()));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rollover(&mut self) -> io::Result<()> {
        let Store::Memory(memory) = &mut self.store else {
            return Ok(());
        };
        let data = memory.getvalue()?;
        let pos = memory.tell()?;
        let dir = self.dir.clone().unwrap_or_else(tempfile::env::temp_dir);
        let mut file = tempfile::tempfile_in(&dir)?;
        file.write_all(&data)?;
        self.store = Store::Disk(Disk {
            file: Some(BufReader::new(file)),
            dir,
            pos,
            len: data.len() as u64,
            stale: true,
            maps: MapWatch::default(),
            pending: Vec::new(),
        });
        Ok(())
    }

    /// The length of the contents in bytes, wherever the position is; 0 once closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_spool::SpooledIO;
    /// use strata_spool::prelude::*;
    ///
    /// let mut f = SpooledIO::new(2);
    /// f.write_all(b"abc")?;
    /// f.seek(SeekFrom::Start(10))?;
    /// assert_eq!(f.len(), 3);
    /// assert!(!f.is_empty());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn len(&self) -> u64 {
        match &self.store {
            Store::Memory(memory) => memory.len() as u64,
            Store::Disk(disk) => disk.file.as_ref().map_or(0, |_| disk.len),
        }
    }

    /// Whether the contents are empty.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_spool::SpooledIO;
    /// use strata_spool::prelude::*;
    ///
    /// let mut f = SpooledIO::new(0);
    /// assert!(f.is_empty());
    /// f.seek(SeekFrom::Start(5))?;
    /// assert!(f.is_empty()); // seeking past the end does not grow the stream
    /// f.write_all(b"x")?; // but a write there zero-fills the gap
    /// assert_eq!(f.len(), 6);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The current position, which may be past the end.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_spool::SpooledIO;
    /// use strata_spool::prelude::*;
    ///
    /// let mut f = SpooledIO::new(0);
    /// f.write_all(b"abc")?;
    /// assert_eq!(f.tell()?, 3);
    /// f.seek(SeekFrom::Start(7))?;
    /// assert_eq!(f.tell()?, 7);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tell(&self) -> io::Result<u64> {
        self.contents().tell()
    }

    /// Python's `truncate(size)`: drops the bytes from `size` (the position when `None`) on and
    /// returns `size`; the position does not move and the stream never grows.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed; the file's error after rollover.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_spool::SpooledIO;
    /// use strata_spool::prelude::*;
    ///
    /// let mut f = SpooledIO::new(0);
    /// f.write_all(b"0123456789")?;
    /// assert_eq!(f.truncate(Some(4))?, 4);
    /// assert_eq!(f.tell()?, 10); // unchanged
    /// assert_eq!(f.truncate(Some(100))?, 100); // never grows
    /// assert_eq!(f.getvalue()?, "0123");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        self.contents_mut().truncate(size)
    }

    /// The whole contents whatever the position: O(1) in memory (as `BytesIO`), a memory map of the
    /// file after rollover from [`MAP_THRESHOLD`](crate::MAP_THRESHOLD) bytes on, a copy below.
    ///
    /// The result is a snapshot: later writes do not change it.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed; the error of mapping or reading the file.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_spool::SpooledIO;
    /// use strata_spool::prelude::*;
    ///
    /// let mut f = SpooledIO::new(0);
    /// f.write_all(&vec![b'x'; 1 << 20])?;
    /// let snapshot = f.getvalue()?; // a map of the file: no copy
    /// f.write_all(b"more")?; // the file is copied aside first: the snapshot stays as it was
    /// assert_eq!(snapshot.len(), 1 << 20);
    /// assert_eq!(f.len(), (1 << 20) + 4);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn getvalue(&mut self) -> io::Result<Bytes> {
        self.contents_mut().getvalue()
    }

    /// The whole contents, without copying: the memory of `BytesIO` before rollover, a map of the
    /// file after it (a copy below [`MAP_THRESHOLD`](crate::MAP_THRESHOLD)); empty once closed.
    ///
    /// # Errors
    ///
    /// The error of writing the gathered writes (a full disk) or of mapping or reading the file. The
    /// stream is consumed either way: to keep the data when the disk is full, [`flush`](Write::flush)
    /// first, which keeps what it could not write for a later try.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_spool::SpooledIO;
    /// use strata_spool::prelude::*;
    ///
    /// let mut f = SpooledIO::new(1 << 10);
    /// f.write_all(&[1; 4096])?; // on disk
    /// let bytes = f.into_bytes()?;
    /// assert_eq!(bytes.len(), 4096);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_bytes(self) -> io::Result<Bytes> {
        match self.store {
            Store::Memory(memory) => Ok(memory.into_bytes()),
            Store::Disk(mut disk) => {
                disk.settle()?;
                match disk.file.take() {
                    Some(file) => map::snapshot(file.get_ref(), disk.len, Some(&mut disk.maps)),
                    None => Ok(Bytes::new()),
                }
            }
        }
    }

    /// The store that holds the data.
    fn contents(&self) -> &dyn Contents {
        match &self.store {
            Store::Memory(memory) => memory,
            Store::Disk(disk) => disk,
        }
    }

    /// The store that holds the data, mutably.
    fn contents_mut(&mut self) -> &mut dyn Contents {
        match &mut self.store {
            Store::Memory(memory) => memory,
            Store::Disk(disk) => disk,
        }
    }

    /// Rolls over first if writing `n` bytes at the position would end beyond `max_size`.
    fn make_room(&mut self, n: usize) -> io::Result<()> {
        if let Store::Memory(memory) = &self.store
            && n > 0
            && memory.tell()?.saturating_add(n as u64) > self.max_size
        {
            self.rollover()?;
        }
        Ok(())
    }
}

/// Python's reading methods, with `BytesIO`'s results before and after rollover: reads are never
/// short but at the end of the contents (`read1` is `read_bytes`, even on disk), and `readlines` stops
/// once the lines reach the hint. `writelines` rolls over when an item would cross `max_size`.
///
/// # Examples
///
/// ```
/// use strata_spool::SpooledIO;
/// use strata_spool::prelude::*;
///
/// let mut f = SpooledIO::new(4);
/// f.writelines(["a\n", "bb\n", "ccc\n", "d"])?;
/// assert!(f.rolled());
/// f.seek(SeekFrom::Start(0))?;
/// assert_eq!(f.read_bytes(Some(1))?, "a");
/// assert_eq!(f.readline(None)?, "\n");
/// assert_eq!(f.readlines(Some(4))?, ["bb\n", "ccc\n"]); // stops once 4 bytes are reached
/// let mut buf = [0; 4];
/// assert_eq!(f.readinto(&mut buf)?, 1);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl BufferedIoBase for SpooledIO {
    fn read_bytes(&mut self, size: Option<usize>) -> io::Result<Bytes> {
        self.contents_mut().read_bytes(size)
    }

    fn read1(&mut self, size: Option<usize>) -> io::Result<Bytes> {
        self.contents_mut().read1(size)
    }

    fn readinto(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.contents_mut().readinto(buf)
    }

    fn readinto1(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.contents_mut().readinto1(buf)
    }

    fn readline(&mut self, limit: Option<usize>) -> io::Result<Bytes> {
        self.contents_mut().readline(limit)
    }

    fn readlines(&mut self, hint: Option<usize>) -> io::Result<Vec<Bytes>> {
        self.contents_mut().readlines(hint)
    }
}

impl Read for SpooledIO {
    /// Python's `readinto`: fills as much of `buf` as the data has left.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.readinto(buf)
    }
}

impl BufRead for SpooledIO {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.contents_mut().fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.contents_mut().consume(amt);
    }
}

impl Write for SpooledIO {
    /// Writes all of `buf` at the position (zero-filling a gap past the end), rolling over first
    /// if the stream would then exceed `max_size`.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.make_room(buf.len())?;
        self.contents_mut().write(buf)
    }

    /// Writes the gathered short writes to the file after rollover; in memory, only checks that the
    /// stream is open.
    fn flush(&mut self) -> io::Result<()> {
        self.contents_mut().flush()
    }
}

impl Seek for SpooledIO {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.contents_mut().seek(pos)
    }
}

impl IoBase for SpooledIO {
    fn closed(&self) -> bool {
        self.contents().closed()
    }

    /// Closes the stream, releasing the memory or the temporary file (whose space the operating
    /// system frees at once).
    fn close(&mut self) -> io::Result<()> {
        self.contents_mut().close()
    }

    fn readable(&self) -> io::Result<bool> {
        self.contents().readable()
    }

    fn writable(&self) -> io::Result<bool> {
        self.contents().writable()
    }

    fn seekable(&self) -> io::Result<bool> {
        self.contents().seekable()
    }

    /// The temporary file's descriptor after rollover; unsupported before, as for `BytesIO`
    /// (Python's `SpooledTemporaryFile.fileno()` rolls over: call [`SpooledIO::rollover`] first).
    /// Call [`flush`](Write::flush) before using it, so that gathered writes are in the file.
    fn fileno(&self) -> io::Result<i32> {
        self.contents().fileno()
    }

    fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        SpooledIO::truncate(self, size)
    }
}

impl<'a> IntoIterator for &'a mut SpooledIO {
    type Item = io::Result<Bytes>;
    type IntoIter = SpooledLines<'a>;

    /// The lines of the stream: see [`BufferedIoBase::iter_lines`].
    fn into_iter(self) -> SpooledLines<'a> {
        self.iter_lines()
    }
}

/// The lines of a [`SpooledIO`], from [`iter_lines`](BufferedIoBase::iter_lines) or
/// `for line in &mut stream`.
///
/// Each item is what [`readline(None)`](BufferedIoBase::readline) returns; the iterator ends at the end of the
/// contents, or after yielding one error, as `BytesIO`'s lines do.
///
/// # Examples
///
/// ```
/// use strata_spool::SpooledIO;
/// use strata_spool::prelude::*;
///
/// let mut f = SpooledIO::new(0);
/// f.writelines(["one\n", "two\n"])?;
/// f.seek(SeekFrom::Start(0))?;
/// let mut count = 0;
/// for line in &mut f {
///     assert!(line?.ends_with(b"\n"));
///     count += 1;
/// }
/// assert_eq!(count, 2);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type SpooledLines<'a> = strata_raw::Lines<'a, SpooledIO, Bytes>;

/// Writes shorter than this are gathered after rollover and reach the file together.
const WRITE_BUFFER: usize = 64 * 1024;

/// The rolled-over store: an unnamed temporary file read through a buffer, with short writes gathered.
///
/// Invariants while open: the file and `pending` together hold `len` bytes; `pending` is to be
/// written at `pos - pending.len()`, where the file's own position then is, with nothing read ahead
/// and not `stale`; otherwise, unless `stale`, the file's position is `pos` plus the bytes left in
/// the read buffer (so a read continues at `pos`); and no write or truncation happens while `maps`
/// reports a live map of the file.
struct Disk {
    /// `None` once closed: closing drops the file, and with it its disk space.
    file: Option<BufReader<File>>,
    /// Where to put a copy of the file when a live snapshot forbids changing it in place.
    dir: PathBuf,
    pos: u64,
    len: u64,
    /// The file's position and read buffer do not match `pos`: seek before the next read or write.
    stale: bool,
    /// Snapshots handed out by `getvalue` that map the file.
    maps: MapWatch,
    /// Short writes not yet in the file; they end at `pos`.
    pending: Vec<u8>,
}

impl Disk {
    fn check(&self) -> io::Result<()> {
        ensure_open(self.file.is_none())
    }

    fn open(&mut self) -> io::Result<&mut BufReader<File>> {
        self.file
            .as_mut()
            .ok_or_else(|| Error::Closed { op: None }.into())
    }

    /// Writes the gathered short writes to the file.
    ///
    /// On an error (a full disk) the bytes the file did not take stay pending, and the file's
    /// position stays where they go: acknowledged writes are never dropped, and a later call (once
    /// there is room) writes them.
    fn settle(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let Some(file) = self.file.as_mut() else {
            return Ok(()); // unreachable: closing drops what is pending
        };
        let (written, result) = write_counted(file.get_mut(), &self.pending);
        self.pending.drain(..written);
        result
    }

    /// The file, with its buffered reading continuing at `pos`.
    fn reader(&mut self) -> io::Result<&mut BufReader<File>> {
        self.settle()?;
        let (pos, stale) = (self.pos, self.stale);
        let file = self.open()?;
        if stale {
            file.seek(SeekFrom::Start(pos))?; // also drops the read buffer
        }
        self.stale = false;
        self.open()
    }

    /// The file, positioned at `pos` with nothing read ahead, and free to change: a file that live
    /// snapshots map is first replaced by a copy (which the snapshots do not see).
    fn writer(&mut self) -> io::Result<&mut File> {
        self.check()?;
        self.settle()?;
        if self.maps.alive() {
            let mut copy = tempfile::tempfile_in(&self.dir)?;
            let len = self.len;
            let mut original = self.open()?.get_ref();
            original.seek(SeekFrom::Start(0))?;
            io::copy(&mut original.take(len), &mut copy)?;
            self.file = Some(BufReader::new(copy));
            self.maps = MapWatch::default();
            self.stale = true;
        }
        let read_ahead = !self.open()?.buffer().is_empty();
        if read_ahead {
            self.stale = true;
        }
        Ok(self.reader()?.get_mut())
    }

    /// Reads exactly `buf.len()` bytes, which the caller checked are there, and moves past them.
    fn read_exact_here(&mut self, buf: &mut [u8]) -> io::Result<()> {
        if buf.is_empty() {
            // No file access: the position may lie beyond what the file system can seek to.
            return Ok(());
        }
        let result = self.reader()?.read_exact(buf);
        match &result {
            Ok(()) => self.pos += buf.len() as u64,
            Err(_) => self.stale = true,
        }
        result
    }

    /// How many of `wanted` bytes remain from the position.
    fn available(&self, wanted: usize) -> usize {
        usize::try_from(self.len.saturating_sub(self.pos)).map_or(wanted, |left| left.min(wanted))
    }

    fn tell(&self) -> io::Result<u64> {
        self.check().map(|()| self.pos)
    }

    fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        self.check()?;
        let size = size.unwrap_or(self.pos);
        if size < self.len {
            self.writer()?.set_len(size)?;
            self.len = size;
            self.stale = true; // the read buffer may hold bytes that are gone
        }
        Ok(size)
    }

    fn getvalue(&mut self) -> io::Result<Bytes> {
        self.check()?;
        self.settle()?;
        let Disk {
            file, len, maps, ..
        } = self;
        let file = file.as_ref().ok_or(Error::Closed { op: None })?;
        let value = map::snapshot(file.get_ref(), *len, Some(maps));
        self.stale = true; // reading the file moved its position
        value
    }
}

/// `BytesIO`'s writes: see [`Disk`].
impl Write for Disk {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.is_empty() {
            // Neither grows nor pads, even past the end, as `BytesIO.write(b"")` in CPython.
            return self.check().map(|()| 0);
        }
        if self.pending.len() + buf.len() > WRITE_BUFFER {
            self.settle()?;
        }
        let taken = if buf.len() >= WRITE_BUFFER {
            // Straight to the file; what it took before an error counts as a short write, so an
            // `Err` means nothing was written.
            match write_counted(self.writer()?, buf) {
                (0, Err(err)) => return Err(err),
                (written, _) => written,
            }
        } else {
            if self.pending.is_empty() {
                self.writer()?; // the file at `pos`, free to change
            }
            self.pending.extend_from_slice(buf);
            buf.len()
        };
        self.pos += taken as u64;
        self.len = self.len.max(self.pos);
        Ok(taken)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.check()?;
        self.settle()
    }
}

impl Seek for Disk {
    fn seek(&mut self, from: SeekFrom) -> io::Result<u64> {
        self.check()?;
        self.settle()?;
        let target = seek_target(self.pos, self.len, from)?;
        match (self.stale, &mut self.file) {
            // A short hop forward inside the read buffer keeps it.
            (false, Some(file))
                if target >= self.pos && target - self.pos <= file.buffer().len() as u64 =>
            {
                file.consume((target - self.pos) as usize);
            }
            _ => self.stale |= target != self.pos,
        }
        self.pos = target;
        Ok(target)
    }
}

/// `BytesIO`'s results from the file: see [`SpooledIO`]'s implementation.
impl BufferedIoBase for Disk {
    fn read_bytes(&mut self, size: Option<usize>) -> io::Result<Bytes> {
        self.check()?;
        let n = self.available(size.unwrap_or(usize::MAX));
        let mut data = Vec::new();
        data.try_reserve_exact(n)
            .map_err(|err| io::Error::new(io::ErrorKind::OutOfMemory, err))?;
        data.resize(n, 0);
        self.read_exact_here(&mut data)?;
        Ok(Bytes::from(data))
    }

    fn read1(&mut self, size: Option<usize>) -> io::Result<Bytes> {
        self.read_bytes(size)
    }

    fn readinto(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.check()?;
        let n = self.available(buf.len());
        self.read_exact_here(&mut buf[..n])?;
        Ok(n)
    }

    fn readinto1(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.readinto(buf)
    }

    fn readline(&mut self, limit: Option<usize>) -> io::Result<Bytes> {
        self.check()?;
        let mut line = Vec::new();
        readline_into(self, limit, &mut line)?;
        Ok(line.into())
    }

    fn readlines(&mut self, hint: Option<usize>) -> io::Result<Vec<Bytes>> {
        self.check()?;
        readlines(hint, || self.readline(None))
    }
}

/// Writes `buf` at the file's position until done or an error: how many bytes the file took, and
/// the error that stopped it. The file's position ends just past what it took.
fn write_counted(file: &mut File, buf: &[u8]) -> (usize, io::Result<()>) {
    let mut written = 0;
    while written < buf.len() {
        match file.write(&buf[written..]) {
            Ok(0) => return (written, Err(io::ErrorKind::WriteZero.into())),
            Ok(n) => written += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return (written, Err(err)),
        }
    }
    (written, Ok(()))
}

impl fmt::Debug for Disk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Disk")
            .field("len", &self.len)
            .field("pos", &self.pos)
            .field("pending", &self.pending.len())
            .field("mapped", &self.maps.alive())
            .field("closed", &self.file.is_none())
            .finish()
    }
}

impl Read for Disk {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.readinto(buf)
    }
}

impl BufRead for Disk {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let left = self.available(usize::MAX);
        if left == 0 {
            return self.check().map(|()| &[][..]);
        }
        let buf = self.reader()?.fill_buf()?;
        Ok(&buf[..buf.len().min(left)])
    }

    fn consume(&mut self, amt: usize) {
        // Only bytes `fill_buf` returned can be consumed: it left the buffer in step with `pos`.
        if let (false, Some(file)) = (self.stale, &mut self.file) {
            let amt = amt.min(file.buffer().len());
            file.consume(amt);
            self.pos += amt as u64;
        }
    }
}

impl IoBase for Disk {
    fn closed(&self) -> bool {
        self.file.is_none()
    }

    /// Drops the file, and with it what is pending: nobody can see the file any more.
    fn close(&mut self) -> io::Result<()> {
        self.file = None;
        self.pending = Vec::new();
        Ok(())
    }

    fn readable(&self) -> io::Result<bool> {
        self.check().map(|()| true)
    }

    fn writable(&self) -> io::Result<bool> {
        self.check().map(|()| true)
    }

    fn seekable(&self) -> io::Result<bool> {
        self.check().map(|()| true)
    }

    #[cfg(unix)]
    fn fileno(&self) -> io::Result<i32> {
        use std::os::fd::AsRawFd;
        let file = self.file.as_ref().ok_or(Error::Closed { op: None })?;
        Ok(file.get_ref().as_raw_fd())
    }

    fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        Disk::truncate(self, size)
    }
}
