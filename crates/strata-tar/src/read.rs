//! Reading archives: [`TarReader`] streams entries from any `Read` under [`Limits`], and extracts
//! them safely.

use std::collections::HashSet;
use std::fs;
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use bytes::Bytes;
use flate2::bufread::MultiGzDecoder;
use tar::Header;

use crate::error::TarError;
use strata_raw::unsafe_path_reason;

use crate::name::{escapes, parent, strip_current_dir};
use crate::write::{BLOCK, padding};

/// Bounds on what reading an archive may take: the defence against hostile archives.
///
/// Every bound is checked on the sizes a header *declares*, before anything is read or allocated, so
/// a header that claims gigabytes costs nothing; data is then read at most as far as declared.
///
/// # Examples
///
/// ```
/// use strata_tar::Limits;
///
/// let mut limits = Limits::default();
/// limits.max_entry_size = 64 << 20; // 64 MiB
/// assert_eq!(limits.max_pax_size, 1 << 20);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The largest entry, in bytes. Default: 1 GiB.
    pub max_entry_size: u64,
    /// The most bytes all entries (and their pax and long-name records) may declare together.
    /// Default: 16 GiB.
    pub max_total_size: u64,
    /// The most entries. Default: 1 000 000.
    pub max_entries: usize,
    /// The longest name or link target, in bytes (`PATH_MAX` on Linux). Default: 4096.
    pub max_name_len: u64,
    /// The largest pax extended header, in bytes (Go's `archive/tar` has the same bound).
    /// Default: 1 MiB.
    pub max_pax_size: u64,
    /// The most bytes the files of one sample may hold together, for a
    /// [`ShardReader`](crate::ShardReader), which keeps a whole sample in memory; checked on each
    /// file's declared size before its data is read. Default: 1 GiB.
    pub max_sample_size: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_entry_size: 1 << 30,
            max_total_size: 16 << 30,
            max_entries: 1_000_000,
            max_name_len: 4096,
            max_pax_size: 1 << 20,
            max_sample_size: 1 << 30,
        }
    }
}

/// The most decompressed bytes read after a gzip archive's end block, to reach its trailer: a
/// stream that inflates to more is not worth the CPU (a few KiB of gzip can hold gigabytes of zeros).
const DRAIN_LIMIT: u64 = 1 << 20;

/// What an entry is (its header's type flag).
///
/// # Examples
///
/// ```
/// use strata_tar::{Attrs, EntryKind, TarBuilder, TarReader};
///
/// let mut tar = TarBuilder::new();
/// tar.add_dir("docs", Attrs::default())?;
/// tar.add_bytes("docs/a.txt", b"a", Attrs::default())?;
/// let archive = tar.finish()?;
/// let mut reader = TarReader::new(&archive[..])?;
/// assert_eq!(reader.next_entry()?.unwrap().info().kind, EntryKind::Directory);
/// assert_eq!(reader.next_entry()?.unwrap().info().kind, EntryKind::File);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EntryKind {
    /// A regular file (type `0`, NUL or `7`).
    File,
    /// A directory (type `5`, or an old-style entry of type NUL whose name ends with `/`; as in
    /// CPython's `tarfile`, types `0` and `7` stay files whatever their name).
    Directory,
    /// A symbolic link (type `2`); see [`EntryInfo::link_name`].
    Symlink,
    /// A hard link to an earlier entry (type `1`); see [`EntryInfo::link_name`].
    HardLink,
    /// A character device (type `3`).
    CharDevice,
    /// A block device (type `4`).
    BlockDevice,
    /// A named pipe (type `6`).
    Fifo,
    /// Any other type flag, e.g. `b'S'` for a GNU sparse file; its data is the archive's raw bytes.
    Other(u8),
}

impl EntryKind {
    fn from_flag(flag: u8, name: &str) -> EntryKind {
        match flag {
            // An old (pre-POSIX) archive marks directories by the name's trailing '/' alone, with the
            // type NUL (CPython's AREGTYPE); a '0' or '7' entry is a file whatever its name, so its
            // data is data, never read as headers.
            0 if name.ends_with('/') => EntryKind::Directory,
            0 | b'0' | b'7' => EntryKind::File,
            b'1' => EntryKind::HardLink,
            b'2' => EntryKind::Symlink,
            b'3' => EntryKind::CharDevice,
            b'4' => EntryKind::BlockDevice,
            b'5' => EntryKind::Directory,
            b'6' => EntryKind::Fifo,
            other => EntryKind::Other(other),
        }
    }

    /// Whether the archive holds data after this kind's header. As in CPython's `tarfile`, links,
    /// directories (type `5`, or type NUL with a name ending in `/`), devices and FIFOs have none,
    /// whatever their size field says; files of type `0` or `7` have theirs even when their name
    /// ends with `/`.
    fn has_data(self) -> bool {
        matches!(self, EntryKind::File | EntryKind::Other(_))
    }
}

/// One entry's header, with pax and GNU long-name records applied.
///
/// # Examples
///
/// ```
/// use strata_tar::{Attrs, EntryKind, TarBuilder, TarReader};
///
/// let mut tar = TarBuilder::new();
/// tar.add_bytes("hello.txt", b"hello", Attrs::default().mtime(1_000))?;
/// let archive = tar.finish()?;
/// let mut reader = TarReader::new(&archive[..])?;
/// let info = reader.next_entry()?.unwrap().info().clone();
/// assert_eq!(info.name, "hello.txt");
/// assert_eq!((info.kind, info.size, info.mode, info.mtime), (EntryKind::File, 5, 0o644, 1_000));
/// assert_eq!(info.link_name, None);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct EntryInfo {
    /// The name (UTF-8; directories end with `/`).
    pub name: String,
    /// What the entry is.
    pub kind: EntryKind,
    /// The bytes of data the entry holds in the archive (0 for links, directories and devices).
    pub size: u64,
    /// The Unix permission bits (and any set-id bits) as stored.
    pub mode: u32,
    /// The modification time in whole seconds since 1970-01-01 UTC (0 for earlier times).
    pub mtime: u64,
    /// Where a symbolic or hard link points, as stored.
    pub link_name: Option<String>,
}

/// The bytes the reader has not decoded yet: the first two, read to look for gzip's magic, then the
/// source.
type Head<R> = io::Chain<io::Take<io::Cursor<[u8; 2]>>, R>;

/// The archive's bytes, buffered, gunzipped when they start with gzip's magic.
enum Input<R: Read> {
    Plain(BufReader<Head<R>>),
    Gzip(Box<MultiGzDecoder<BufReader<Marked<Head<R>>>>>),
}

impl<R: Read> Read for Input<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Input::Plain(r) => r.read(buf),
            // The decoder reports damage as InvalidInput or InvalidData, a cut stream as
            // UnexpectedEof; errors of the source come through marked, and are returned as they were.
            Input::Gzip(r) => r.read(buf).map_err(|err| match SourceError::take(err) {
                Ok(SourceError(err)) => err,
                Err(err) => match err.kind() {
                    io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => {
                        TarError::corrupt(None, format!("broken gzip stream: {err}"))
                    }
                    io::ErrorKind::UnexpectedEof => TarError::Truncated { name: None }.into(),
                    _ => err,
                },
            }),
        }
    }
}

/// The source under a gzip decoder: its errors come out wrapped in [`SourceError`] (with their own
/// kind), so that they can be told apart from the decoder's reports of a damaged or cut stream.
struct Marked<R>(R);

impl<R: Read> Read for Marked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf).map_err(|err| match err.kind() {
            // The decoder retries these; they are not failures.
            io::ErrorKind::Interrupted | io::ErrorKind::WouldBlock => err,
            kind => io::Error::new(kind, SourceError(err)),
        })
    }
}

/// An error of the source itself, as it passes through the gzip decoder.
#[derive(Debug)]
struct SourceError(io::Error);

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for SourceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

impl SourceError {
    /// The [`SourceError`] inside `err`, taken out of it, or `err` back when it carries none.
    fn take(err: io::Error) -> Result<SourceError, io::Error> {
        if !err.get_ref().is_some_and(|inner| inner.is::<SourceError>()) {
            return Err(err);
        }
        let kind = err.kind();
        match err
            .into_inner()
            .map(|inner| inner.downcast::<SourceError>())
        {
            Some(Ok(source)) => Ok(*source),
            // Unreachable after the check above; rebuilt rather than unwrapped.
            _ => Err(io::Error::from(kind)),
        }
    }
}

/// Reads a TAR archive entry by entry from any `Read`, never seeking: a file, a pipe, a socket, an
/// object being downloaded. A gzip-compressed archive (`.tar.gz`, also several gzip members one
/// after another) is recognised by its first two bytes and decompressed on the fly.
///
/// [`next_entry`](TarReader::next_entry) parses the next header and returns an [`Entry`], a `Read`
/// over that entry's data; whatever of it is left unread is skipped on the next call. ustar, pax
/// (POSIX.1-2001: `path`, `linkpath`, `size`, `mtime` records; global headers are checked and
/// skipped) and GNU (`L` and `K` long names) headers are understood, and every header's checksum is
/// verified. Memory stays bounded by a 64 KiB buffer plus the records the [`Limits`] allow.
///
/// # Examples
///
/// ```
/// use std::io::Read;
/// use strata_tar::{Attrs, TarBuilder, TarReader};
///
/// let mut tar = TarBuilder::new();
/// tar.add_bytes("a.txt", b"alpha", Attrs::default())?;
/// tar.add_bytes("b.txt", "beta\n".repeat(1000), Attrs::default())?;
/// let archive = tar.finish()?;
///
/// let mut reader = TarReader::new(&archive[..])?; // any `Read`
/// let mut sizes = Vec::new();
/// while let Some(mut entry) = reader.next_entry()? {
///     let mut first = [0; 4];
///     entry.read_exact(&mut first)?; // read as little as you like; the rest is skipped
///     sizes.push((entry.info().name.clone(), entry.info().size));
/// }
/// assert_eq!(sizes, [("a.txt".to_string(), 5), ("b.txt".to_string(), 5000)]);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct TarReader<R: Read> {
    input: Input<R>,
    limits: Limits,
    /// Data bytes of the current entry not read yet, then its padding.
    remaining: u64,
    pad: u64,
    /// The current entry's name, for errors.
    current: String,
    entries: usize,
    /// Bytes declared so far, records included.
    total: u64,
    /// Whether the end of the archive was reached (or an error made reading stop).
    done: bool,
}

impl<R: Read> TarReader<R> {
    /// A reader of the archive in `source`, under the default [`Limits`]. Reads the first two bytes
    /// to tell a gzip stream from a plain archive.
    ///
    /// # Errors
    ///
    /// What reading `source` reports.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::{Attrs, TarBuilder, TarReader};
    ///
    /// let mut tar = TarBuilder::new();
    /// tar.add_bytes("a.txt", b"alpha", Attrs::default())?;
    /// let received: Vec<u8> = tar.finish()?.to_vec(); // e.g. an HTTP body
    /// let mut reader = TarReader::new(std::io::Cursor::new(received))?;
    /// assert!(reader.next_entry()?.is_some());
    /// assert!(reader.next_entry()?.is_none());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(source: R) -> io::Result<TarReader<R>> {
        TarReader::with_limits(source, Limits::default())
    }

    /// A reader of the archive in `source` under `limits`.
    ///
    /// # Errors
    ///
    /// What reading `source` reports.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::{Attrs, Limits, TarBuilder, TarError, TarReader};
    ///
    /// let mut tar = TarBuilder::new();
    /// tar.add_bytes("big.bin", vec![0; 4096], Attrs::default())?;
    /// let archive = tar.finish()?;
    ///
    /// let mut limits = Limits::default();
    /// limits.max_entry_size = 1024;
    /// let mut reader = TarReader::with_limits(&archive[..], limits)?;
    /// let err = reader.next_entry().err().unwrap();
    /// assert!(matches!(TarError::of(&err), Some(TarError::EntryTooLarge { size: 4096, .. })));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_limits(mut source: R, limits: Limits) -> io::Result<TarReader<R>> {
        let mut magic = [0u8; 2];
        let mut got = 0;
        while got < magic.len() {
            match source.read(&mut magic[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        }
        let gzip = got == 2 && magic == [0x1f, 0x8b];
        let head = io::Cursor::new(magic).take(got as u64).chain(source);
        let input = if gzip {
            let buffered = BufReader::with_capacity(64 << 10, Marked(head));
            Input::Gzip(Box::new(MultiGzDecoder::new(buffered)))
        } else {
            Input::Plain(BufReader::with_capacity(64 << 10, head))
        };
        Ok(TarReader {
            input,
            limits,
            remaining: 0,
            pad: 0,
            current: String::new(),
            entries: 0,
            total: 0,
            done: false,
        })
    }

    /// The limits in force.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::{Limits, TarReader};
    ///
    /// let reader = TarReader::new(&[][..])?;
    /// assert_eq!(reader.limits(), &Limits::default());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The next entry, or `None` at the end of the archive (its zero block, or the end of the
    /// stream at a header's boundary after at least one header, as CPython's `tarfile` accepts).
    ///
    /// # Errors
    ///
    /// [`TarError::Truncated`] when the stream ends inside a header or the previous entry's data;
    /// [`TarError::Corrupt`] for an empty stream, a bad checksum, a malformed field or pax record, a name that is not
    /// UTF-8, a pax or long-name record with no entry after it, broken gzip; [`TarError::EntryTooLarge`], [`TarError::SizeLimitExceeded`],
    /// [`TarError::TooManyEntries`], [`TarError::NameTooLong`] and [`TarError::PaxTooLarge`] for a
    /// header past the [`Limits`]. After an error the reader returns `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::{Attrs, TarBuilder, TarError, TarReader};
    ///
    /// let mut tar = TarBuilder::new();
    /// tar.add_bytes("a.txt", b"alpha", Attrs::default())?;
    /// let archive = tar.finish()?;
    ///
    /// let mut damaged = archive.to_vec();
    /// damaged[0] = b'b'; // the name changes, the checksum does not
    /// let err = TarReader::new(&damaged[..])?.next_entry().err().unwrap();
    /// assert!(matches!(TarError::of(&err), Some(TarError::Corrupt { .. })));
    /// assert!(err.to_string().contains("checksum"));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_entry(&mut self) -> io::Result<Option<Entry<'_, R>>> {
        Ok(self.advance()?.map(|info| Entry { reader: self, info }))
    }

    /// Extracts every entry into `dir` (created if missing), returning the files written.
    ///
    /// Names are checked as [`strata-zip`'s `ZipReader::extract`] checks them, after dropping a
    /// leading `./` (GNU tar's `tar cf x.tar .` writes one on every name); existing files are never
    /// overwritten, so a duplicate or colliding name fails. Directories are created. A hard
    /// link to a file extracted earlier becomes a copy of it; symbolic links, device files and FIFOs
    /// are not extracted. Permission bits and times are not applied. A stream cannot be checked
    /// before it is read: the entries before a refused one stay extracted (a failing entry's partial
    /// file is removed).
    ///
    /// [`strata-zip`'s `ZipReader::extract`]: https://docs.rs/strata-zip
    ///
    /// # Errors
    ///
    /// [`TarError::UnsafeName`] for a name that could escape `dir`; [`TarError::LinkEscapes`] for a
    /// symbolic or hard link pointing outside it; [`TarError::Unsupported`] for a link that stays
    /// inside, a device file, a FIFO, an unknown type, or a hard link to something not extracted
    /// before it; [`TarError::Extract`] (with the file system's kind, e.g.
    /// [`io::ErrorKind::AlreadyExists`]) when a file cannot be created; and the errors of
    /// [`next_entry`](TarReader::next_entry).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use strata_tar::{Attrs, TarBuilder, TarError, TarReader};
    ///
    /// let mut tar = TarBuilder::new();
    /// tar.add_bytes("a.txt", b"alpha", Attrs::default())?;
    /// tar.add_bytes("sub/dir/b.txt", "beta\n".repeat(10), Attrs::default())?;
    /// let archive = tar.finish()?;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let written = TarReader::new(&archive[..])?.extract(dir.path())?;
    /// assert_eq!(written, [dir.path().join("a.txt"), dir.path().join("sub/dir/b.txt")]);
    /// assert_eq!(std::fs::read(&written[0])?, b"alpha");
    ///
    /// // Existing files are never overwritten.
    /// let err = TarReader::new(&archive[..])?.extract(dir.path()).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::AlreadyExists);
    /// assert!(matches!(TarError::of(&err), Some(TarError::Extract { .. })));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn extract(&mut self, dir: impl AsRef<Path>) -> io::Result<Vec<PathBuf>> {
        let dir = dir.as_ref();
        let extract_error = |name: &str, path: &Path, source| TarError::Extract {
            name: name.to_owned(),
            path: path.to_path_buf(),
            source,
        };
        fs::create_dir_all(dir).map_err(|err| extract_error("", dir, err))?;
        let mut files: HashSet<String> = HashSet::new();
        let mut written = Vec::new();
        while let Some(mut entry) = self.next_entry()? {
            let info = entry.info().clone();
            let name = strip_current_dir(&info.name);
            if name.is_empty() {
                continue; // `./`: the target directory itself
            }
            if let Some(reason) = unsafe_path_reason(name) {
                let err = TarError::UnsafeName {
                    name: name.to_owned(),
                    reason,
                };
                return Err(err.into());
            }
            let path = dir.join(name.trim_end_matches('/'));
            let source = match info.kind {
                EntryKind::Directory => {
                    fs::create_dir_all(&path).map_err(|err| extract_error(name, &path, err))?;
                    continue;
                }
                EntryKind::File => None,
                EntryKind::HardLink | EntryKind::Symlink => {
                    let target = strip_current_dir(info.link_name.as_deref().unwrap_or_default());
                    let hard = info.kind == EntryKind::HardLink;
                    // A hard link's target is a name in the archive; a symbolic link's is relative to
                    // the link's own directory.
                    let base = if hard { "" } else { parent(name) };
                    if escapes(base, target) {
                        let err = TarError::LinkEscapes {
                            name: name.to_owned(),
                            target: target.to_owned(),
                        };
                        return Err(err.into());
                    }
                    let reason = match files.contains(target) {
                        true if hard => None,
                        _ if hard => Some("a hard link must point to a file extracted before it"),
                        _ => Some("symbolic links are not extracted"),
                    };
                    if let Some(reason) = reason {
                        return Err(unsupported(name, reason));
                    }
                    Some(dir.join(target))
                }
                EntryKind::CharDevice | EntryKind::BlockDevice | EntryKind::Fifo => {
                    return Err(unsupported(
                        name,
                        "device files and FIFOs are not extracted",
                    ));
                }
                EntryKind::Other(_) => {
                    return Err(unsupported(name, "this entry type is not extracted"));
                }
            };
            if let Some(folder) = path.parent() {
                fs::create_dir_all(folder).map_err(|err| extract_error(name, folder, err))?;
            }
            let mut file =
                fs::File::create_new(&path).map_err(|err| extract_error(name, &path, err))?;
            let copied = match &source {
                Some(target) => fs::File::open(target)
                    .and_then(|mut target| io::copy(&mut target, &mut file))
                    .map(drop)
                    .map_err(|err| extract_error(name, &path, err).into()),
                None => copy_into(&mut entry, &mut file).map_err(|failed| match failed {
                    Failed::Source(err) => err,
                    Failed::File(err) => extract_error(name, &path, err).into(),
                }),
            };
            if let Err(err) = copied {
                drop(file);
                // The entry's error is the one to report; a failed clean-up leaves a file the caller
                // can see, so it is not worth masking it.
                let _ = fs::remove_file(&path);
                return Err(err);
            }
            files.insert(name.to_owned());
            written.push(path);
        }
        Ok(written)
    }

    /// Skips what is left of the current entry and parses the next header, leaving the new entry's
    /// data unread. `None` at the end of the archive.
    pub(crate) fn advance(&mut self) -> io::Result<Option<EntryInfo>> {
        if self.done {
            return Ok(None);
        }
        let result = self.parse_next();
        if !matches!(result, Ok(Some(_))) {
            self.done = true;
        }
        result
    }

    fn parse_next(&mut self) -> io::Result<Option<EntryInfo>> {
        // Both come from a header within the limits, but limits near `u64::MAX` let them overflow.
        let rest = self.remaining.checked_add(self.pad).ok_or_else(|| {
            let reason = "the entry's size and padding overflow";
            TarError::corrupt(Some(&self.current), reason)
        })?;
        self.skip(rest)?;
        (self.remaining, self.pad) = (0, 0);
        self.current.clear();
        let mut records = Records::default();
        let mut block = [0u8; BLOCK as usize];
        loop {
            if !self.read_block(&mut block)? {
                if self.entries == 0 && self.total == 0 && records.is_empty() {
                    // As CPython's `tarfile`: no header at all is not an empty archive.
                    return Err(TarError::corrupt(
                        None,
                        "empty file: the stream holds no header",
                    ));
                }
                if records.is_empty() {
                    return Ok(None);
                }
                return Err(TarError::Truncated { name: None }.into());
            }
            if block.iter().all(|&b| b == 0) {
                if !records.is_empty() {
                    // As CPython's `tarfile` ("end of file header"): a record describes an entry,
                    // so the archive cannot end after it.
                    let reason = "a pax or long-name record is followed by the end of the archive";
                    return Err(TarError::corrupt(None, reason));
                }
                self.drain()?;
                return Ok(None);
            }
            let header = Header::from_byte_slice(&block);
            check_checksum(header)?;
            let size = header
                .entry_size()
                .map_err(|err| TarError::corrupt(None, err.to_string()))?;
            let flag = header.entry_type().as_byte();
            let limit = match flag {
                b'x' | b'g' => self.limits.max_pax_size,
                // The name and its NUL terminator.
                b'L' | b'K' => self.limits.max_name_len.saturating_add(1),
                _ => break,
            };
            if size > limit {
                let err = if matches!(flag, b'x' | b'g') {
                    TarError::PaxTooLarge { size, limit }
                } else {
                    TarError::NameTooLong { len: size, limit }
                };
                return Err(err.into());
            }
            self.count("a pax or long-name record", size)?;
            let data = self.read_record(size)?;
            if matches!(flag, b'x' | b'g') {
                // Checked here, so that a bad record is reported as such rather than as whatever
                // follows it; a global header's records are then dropped.
                parse_pax(&data)?;
            }
            match flag {
                b'x' => records.pax = Some(data),
                b'g' => {}
                b'L' => records.long_name = Some(trim_nuls(data)),
                _ => records.long_link = Some(trim_nuls(data)),
            }
        }
        self.entry_info(Header::from_byte_slice(&block), records)
            .map(Some)
    }

    /// Applies `records` to `header` and checks the result against the limits.
    fn entry_info(&mut self, header: &Header, records: Records) -> io::Result<EntryInfo> {
        let corrupt = |err: io::Error| TarError::corrupt(None, err.to_string());
        let mut size = header.entry_size().map_err(corrupt)?;
        let mut mtime = header.mtime().map_err(corrupt)?;
        let mut name = records.long_name;
        let mut link = records.long_link;
        if let Some(pax) = &records.pax {
            for (key, value) in parse_pax(pax)? {
                match key {
                    "path" => name = Some(value.to_vec()),
                    "linkpath" => link = Some(value.to_vec()),
                    "size" => size = pax_number(key, value)?,
                    "mtime" => {
                        // Seconds with an optional fraction, possibly negative.
                        let whole = value.split(|&b| b == b'.').next().unwrap_or_default();
                        mtime = match whole.strip_prefix(b"-") {
                            Some(_) => 0,
                            None => pax_number(key, whole)?,
                        };
                    }
                    _ => {}
                }
            }
        }
        let name = name.unwrap_or_else(|| header.path_bytes().into_owned());
        let name = self.text(name, None)?;
        let link = match link.or_else(|| header.link_name_bytes().map(|l| l.into_owned())) {
            Some(link) if !link.is_empty() => Some(self.text(link, Some(&name))?),
            _ => None,
        };
        let kind = EntryKind::from_flag(header.entry_type().as_byte(), &name);
        if !kind.has_data() {
            size = 0;
        }
        let mode = header
            .mode()
            .map_err(|err| TarError::corrupt(Some(&name), err.to_string()))?;
        self.entries += 1;
        if self.entries > self.limits.max_entries {
            let limit = self.limits.max_entries;
            return Err(TarError::TooManyEntries { limit }.into());
        }
        if size > self.limits.max_entry_size {
            let limit = self.limits.max_entry_size;
            return Err(TarError::EntryTooLarge { name, size, limit }.into());
        }
        self.count(&name, size)?;
        (self.remaining, self.pad) = (size, padding(size));
        self.current.clone_from(&name);
        Ok(EntryInfo {
            name,
            kind,
            size,
            mode,
            mtime,
            link_name: link,
        })
    }

    /// `bytes` as a name of the entry `of` (or of the next entry): within the length limit, UTF-8.
    fn text(&self, bytes: Vec<u8>, of: Option<&str>) -> io::Result<String> {
        let limit = self.limits.max_name_len;
        if bytes.len() as u64 > limit {
            let len = bytes.len() as u64;
            return Err(TarError::NameTooLong { len, limit }.into());
        }
        String::from_utf8(bytes).map_err(|err| {
            let name = String::from_utf8_lossy(err.as_bytes());
            let reason = format!("the name {name:?} is not valid UTF-8");
            TarError::corrupt(of, reason)
        })
    }

    /// Adds `size` declared bytes to the total, refusing to pass the limit.
    fn count(&mut self, name: &str, size: u64) -> io::Result<()> {
        self.total = self.total.saturating_add(size);
        if self.total > self.limits.max_total_size {
            let err = TarError::SizeLimitExceeded {
                name: name.to_owned(),
                limit: self.limits.max_total_size,
            };
            return Err(err.into());
        }
        Ok(())
    }

    /// Reads one header block; `false` when the stream ends before its first byte.
    fn read_block(&mut self, block: &mut [u8; BLOCK as usize]) -> io::Result<bool> {
        let mut got = 0;
        while got < block.len() {
            match self.input.read(&mut block[got..]) {
                Ok(0) if got == 0 => return Ok(false),
                Ok(0) => return Err(TarError::Truncated { name: None }.into()),
                Ok(n) => got += n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        }
        Ok(true)
    }

    /// Reads a record of `size` bytes (already checked against its limit) and its padding.
    fn read_record(&mut self, size: u64) -> io::Result<Vec<u8>> {
        let mut data = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        let got = (&mut self.input).take(size).read_to_end(&mut data)?;
        if got as u64 != size {
            return Err(TarError::Truncated { name: None }.into());
        }
        self.skip(padding(size))?;
        Ok(data)
    }

    /// Reads and drops `n` bytes of the current entry.
    fn skip(&mut self, n: u64) -> io::Result<()> {
        let skipped = io::copy(&mut (&mut self.input).take(n), &mut io::sink())?;
        if skipped != n {
            let name = Some(self.current.clone()).filter(|name| !name.is_empty());
            return Err(TarError::Truncated { name }.into());
        }
        Ok(())
    }

    /// After the end-of-archive block of a gzip stream, reads the rest of the stream (the zero
    /// padding of the last record, 10 KiB at most from GNU tar) so that the gzip trailer's CRC and
    /// length are checked; but no more than [`DRAIN_LIMIT`] bytes of it: whatever follows is left
    /// unread and unchecked, as CPython's `tarfile` never reads past the end block.
    fn drain(&mut self) -> io::Result<()> {
        if let Input::Gzip(_) = self.input {
            io::copy(&mut (&mut self.input).take(DRAIN_LIMIT), &mut io::sink())?;
        }
        Ok(())
    }

    /// Reads data of the current entry into `buf`.
    pub(crate) fn read_current(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.remaining == 0 || buf.is_empty() {
            return Ok(0);
        }
        let want = buf
            .len()
            .min(usize::try_from(self.remaining).unwrap_or(usize::MAX));
        let n = self.input.read(&mut buf[..want])?;
        if n == 0 {
            let name = Some(self.current.clone());
            self.done = true;
            return Err(TarError::Truncated { name }.into());
        }
        self.remaining -= n as u64;
        Ok(n)
    }

    /// The current entry's data not read yet, in bytes, and its name.
    pub(crate) fn current(&self) -> (u64, &str) {
        (self.remaining, &self.current)
    }

    /// The rest of the current entry's data (within the limits, checked when its header was read).
    /// The buffer starts at 64 KiB at most and doubles (up to the size) with the data that actually
    /// arrives, so a header declaring more than the stream holds costs no more than what it holds.
    pub(crate) fn current_to_bytes(&mut self) -> io::Result<Bytes> {
        let size = usize::try_from(self.remaining).map_err(|_| {
            let reason = "the entry does not fit in this machine's memory";
            TarError::corrupt(Some(&self.current), reason)
        })?;
        let mut data = Vec::with_capacity(size.min(64 << 10));
        let mut chunk = vec![0; size.min(64 << 10)];
        while data.len() < size {
            let want = chunk.len().min(size - data.len());
            match self.read_current(&mut chunk[..want]) {
                Ok(n) => {
                    // Doubling, but never past `size`: no byte of capacity is wasted at the end.
                    let room = data.capacity() - data.len();
                    if room < n {
                        data.reserve_exact(n.max(data.len().min(size - data.len())));
                    }
                    data.extend_from_slice(&chunk[..n]);
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        }
        Ok(Bytes::from(data))
    }
}

/// Which side of [`copy_into`] failed.
enum Failed {
    /// Reading the entry: the archive's or its source's error, reported as it is.
    Source(io::Error),
    /// Writing the file: the file system's error.
    File(io::Error),
}

/// Copies the rest of `entry` into `file`, telling the entry's errors from the file's.
fn copy_into<R: Read>(entry: &mut Entry<'_, R>, file: &mut fs::File) -> Result<(), Failed> {
    let mut buf = vec![0; 64 << 10];
    loop {
        let n = match entry.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(Failed::Source(err)),
        };
        file.write_all(&buf[..n]).map_err(Failed::File)?;
    }
}

fn unsupported(name: &str, reason: &'static str) -> io::Error {
    TarError::Unsupported {
        name: name.to_owned(),
        reason,
    }
    .into()
}

/// The metadata records met before an entry's header.
#[derive(Default)]
struct Records {
    pax: Option<Vec<u8>>,
    long_name: Option<Vec<u8>>,
    long_link: Option<Vec<u8>>,
}

impl Records {
    fn is_empty(&self) -> bool {
        self.pax.is_none() && self.long_name.is_none() && self.long_link.is_none()
    }
}

/// A GNU long name without the NUL padding after it.
fn trim_nuls(mut data: Vec<u8>) -> Vec<u8> {
    let end = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    data.truncate(end);
    data
}

/// Checks a header's checksum: the sum of its bytes with the checksum field read as spaces, unsigned
/// or (as some old tars wrote it) signed, as CPython accepts either.
fn check_checksum(header: &Header) -> io::Result<()> {
    let stored = header
        .cksum()
        .map_err(|err| TarError::corrupt(None, format!("bad checksum field: {err}")))?;
    let bytes = header.as_bytes();
    let (mut unsigned, mut signed) = (0u32, 0i32);
    for (at, &b) in bytes.iter().enumerate() {
        let b = if (148..156).contains(&at) { b' ' } else { b };
        unsigned += u32::from(b);
        signed += i32::from(b as i8);
    }
    if stored == unsigned || i64::from(stored) == i64::from(signed) {
        return Ok(());
    }
    let reason = format!("header checksum {stored:#o} does not match the computed {unsigned:#o}");
    Err(TarError::corrupt(None, reason))
}

/// The records of a pax extended header, `"<len> <key>=<value>\n"` each, `<len>` counting the whole
/// record; values may hold any byte, newlines included.
fn parse_pax(mut data: &[u8]) -> io::Result<Vec<(&str, &[u8])>> {
    let bad = |what: &str| TarError::corrupt(None, format!("malformed pax record: {what}"));
    let mut records = Vec::new();
    while !data.is_empty() {
        let space = data
            .iter()
            .position(|&b| b == b' ')
            .ok_or_else(|| bad("no length"))?;
        let len: usize = std::str::from_utf8(&data[..space])
            .ok()
            .and_then(|len| len.parse().ok())
            .ok_or_else(|| bad("the length is not a number"))?;
        if len <= space + 1 || len > data.len() || data[len - 1] != b'\n' {
            return Err(bad("the length does not match the record"));
        }
        let record = &data[space + 1..len - 1];
        let equals = record
            .iter()
            .position(|&b| b == b'=')
            .ok_or_else(|| bad("no '='"))?;
        let key =
            std::str::from_utf8(&record[..equals]).map_err(|_| bad("the key is not UTF-8"))?;
        records.push((key, &record[equals + 1..]));
        data = &data[len..];
    }
    Ok(records)
}

/// A pax record's value as a whole number.
fn pax_number(key: &str, value: &[u8]) -> io::Result<u64> {
    std::str::from_utf8(value)
        .ok()
        .and_then(|value| value.parse().ok())
        .ok_or_else(|| {
            let value = String::from_utf8_lossy(value);
            TarError::corrupt(None, format!("pax record {key}={value:?} is not a number"))
        })
}

/// One entry of a [`TarReader`]: its header ([`info`](Entry::info)) and a `Read` over its data,
/// which ends after [`EntryInfo::size`] bytes. Whatever is not read is skipped by the next
/// [`TarReader::next_entry`].
///
/// # Examples
///
/// ```
/// use std::io::Read;
/// use strata_tar::{Attrs, TarBuilder, TarReader};
///
/// let mut tar = TarBuilder::new();
/// tar.add_bytes("poem.txt", "roses\nviolets\n", Attrs::default())?;
/// let archive = tar.finish()?;
/// let mut reader = TarReader::new(&archive[..])?;
/// let mut entry = reader.next_entry()?.unwrap();
/// let mut text = String::new();
/// entry.read_to_string(&mut text)?;
/// assert_eq!(text, "roses\nviolets\n");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Entry<'a, R: Read> {
    reader: &'a mut TarReader<R>,
    info: EntryInfo,
}

impl<R: Read> Entry<'_, R> {
    /// The entry's header.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::{Attrs, TarBuilder, TarReader};
    ///
    /// let mut tar = TarBuilder::new();
    /// tar.add_bytes("a.txt", b"alpha", Attrs::default())?;
    /// let archive = tar.finish()?;
    /// let mut reader = TarReader::new(&archive[..])?;
    /// assert_eq!(reader.next_entry()?.unwrap().info().size, 5);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn info(&self) -> &EntryInfo {
        &self.info
    }

    /// The rest of the entry's data, read into one buffer that grows as the data arrives.
    ///
    /// # Errors
    ///
    /// [`TarError::Truncated`] when the archive ends first, and what the source reports.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::{Attrs, TarBuilder, TarReader};
    ///
    /// let mut tar = TarBuilder::new();
    /// tar.add_bytes("a.bin", [1, 2, 3], Attrs::default())?;
    /// let archive = tar.finish()?;
    /// let mut reader = TarReader::new(&archive[..])?;
    /// assert_eq!(reader.next_entry()?.unwrap().read_to_bytes()?, &[1, 2, 3][..]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read_to_bytes(&mut self) -> io::Result<Bytes> {
        self.reader.current_to_bytes()
    }
}

impl<R: Read> Read for Entry<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.reader.read_current(buf)
    }
}
