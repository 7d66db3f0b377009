//! Reading archives: [`ZipReader`] lists, reads and extracts entries under [`Limits`].

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use bytes::Bytes;
use strata_buffered::BytesIO;
use zip::CompressionMethod;

use crate::error::ZipError;
use crate::name::unsafe_reason;
use crate::time::Timestamp;

/// Bounds on what reading an archive may produce: the defence against zip bombs.
///
/// Headers can lie, so each bound is checked twice: against the sizes the archive declares before any
/// byte is inflated, and against the bytes actually counted while inflating.
///
/// # Examples
///
/// ```
/// use strata_zip::Limits;
///
/// let mut limits = Limits::default();
/// limits.max_total_size = 64 << 20; // 64 MiB
/// limits.max_ratio = 20;
/// assert_eq!(limits.max_entries, 10_000);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The most uncompressed bytes one [`ZipReader::read`] or [`ZipReader::extract`] call may produce.
    /// Default: 1 GiB.
    pub max_total_size: u64,
    /// The largest uncompressed/compressed size ratio allowed for an entry that inflates past
    /// [`ratio_threshold`](Limits::ratio_threshold). Default: 100 (ordinary text deflates 3–10×).
    pub max_ratio: u64,
    /// Entries up to this many uncompressed bytes are never refused for their ratio (a small file of
    /// zeros legitimately deflates a thousandfold). Default: 1 MiB.
    pub ratio_threshold: u64,
    /// The most entries the central directory may list. Default: 10 000.
    pub max_entries: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_total_size: 1 << 30,
            max_ratio: 100,
            ratio_threshold: 1 << 20,
            max_entries: 10_000,
        }
    }
}

impl Limits {
    /// The most bytes an entry of `compressed` bytes may inflate to under the ratio limit.
    fn ratio_cap(&self, compressed: u64) -> u64 {
        compressed
            .saturating_mul(self.max_ratio)
            .max(self.ratio_threshold)
    }

    /// The error for `entry` found to inflate to `uncompressed` bytes, past [`Limits::ratio_cap`].
    fn ratio_error(&self, entry: &Entry, uncompressed: u64) -> ZipError {
        ZipError::RatioExceeded {
            name: entry.name.clone(),
            compressed: entry.compressed_size,
            uncompressed,
            max_ratio: self.max_ratio,
        }
    }
}

/// How an entry's bytes are stored in the archive.
///
/// # Examples
///
/// ```
/// use strata_zip::{Compression, Method, ZipBuilder, ZipReader};
///
/// let mut zip = ZipBuilder::new();
/// zip.add_bytes("raw.bin", [1, 2, 3], Compression::Stored)?;
/// zip.add_bytes("text.txt", "text ".repeat(100), Compression::Deflated(9))?;
/// let entries = ZipReader::new(zip.finish()?)?.entries()?;
/// assert_eq!(entries[0].method, Method::Stored);
/// assert_eq!(entries[1].method, Method::Deflated);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// Kept as is (method 0).
    Stored,
    /// Deflate (method 8).
    Deflated,
    /// Any other method, by its number in the ZIP specification (e.g. 12 for bzip2); reading such an
    /// entry fails with [`ZipError::Unsupported`].
    Other(u16),
}

/// What an entry is.
///
/// [`ZipBuilder`](crate::ZipBuilder) writes files only; directories and symbolic links come from
/// archives made elsewhere.
///
/// # Examples
///
/// ```
/// use strata_zip::{Compression, EntryKind, ZipBuilder, ZipReader};
///
/// let mut zip = ZipBuilder::new();
/// zip.add_bytes("docs/a.txt", b"a", Compression::Stored)?;
/// let entries = ZipReader::new(zip.finish()?)?.entries()?;
/// assert_eq!(entries[0].kind, EntryKind::File);
/// assert_ne!(entries[0].kind, EntryKind::Directory);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A directory (its name ends with `/`).
    Directory,
    /// A symbolic link (Unix mode `S_IFLNK`); [`ZipReader::extract`] refuses it.
    Symlink,
}

/// One entry of an archive, as its central directory describes it.
///
/// # Examples
///
/// ```
/// use strata_zip::{Compression, EntryKind, Method, Timestamp, ZipBuilder, ZipReader};
///
/// let time = Timestamp::new(2024, 6, 1, 12, 0, 0)?;
/// let mut zip = ZipBuilder::new().fixed_time(time);
/// zip.add_bytes("hello.txt", b"hello", Compression::Stored)?;
/// let entry = &ZipReader::new(zip.finish()?)?.entries()?[0];
///
/// assert_eq!(entry.name, "hello.txt");
/// assert_eq!((entry.kind, entry.method), (EntryKind::File, Method::Stored));
/// assert_eq!((entry.size, entry.compressed_size), (5, 5));
/// assert_eq!(entry.crc32, 0x3610a686); // CRC-32 of "hello"
/// assert_eq!(entry.modified, Some(time));
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Entry {
    /// The name, decoded as UTF-8 or, for archives that do not flag UTF-8, as code page 437.
    pub name: String,
    /// What the entry is.
    pub kind: EntryKind,
    /// How the bytes are stored.
    pub method: Method,
    /// The declared uncompressed size in bytes.
    pub size: u64,
    /// The compressed size in bytes.
    pub compressed_size: u64,
    /// The declared CRC-32 of the uncompressed bytes, checked when the entry is read.
    pub crc32: u32,
    /// The modification time, if the stored one is a valid date.
    pub modified: Option<Timestamp>,
}

/// Reads a ZIP archive held in memory: list its entries, read one into [`Bytes`], or extract them all
/// into a directory, safely. The archive's bytes are shared, not copied (it is read through a
/// [`BytesIO`]).
///
/// Every read is bounded by [`Limits`] (total size, compression ratio, entry count), checked against the
/// declared sizes first and against the bytes actually inflated; every entry is read to its end, so its
/// CRC-32 is always checked. [`extract`](ZipReader::extract) refuses names that could escape the target
/// directory (`..`, absolute paths, drive letters, backslashes) before it writes anything.
///
/// # Examples
///
/// ```
/// use strata_zip::{Compression, EntryKind, ZipBuilder, ZipReader};
///
/// let mut zip = ZipBuilder::new();
/// zip.add_bytes("data/numbers.csv", "1,2,3\n".repeat(1000), Compression::DEFAULT)?;
/// let mut reader = ZipReader::new(zip.finish()?)?;
///
/// let entries = reader.entries()?;
/// assert_eq!(entries[0].name, "data/numbers.csv");
/// assert_eq!((entries[0].kind, entries[0].size), (EntryKind::File, 6000));
///
/// let dir = tempfile::tempdir()?;
/// let written = reader.extract(dir.path())?;
/// assert_eq!(written, [dir.path().join("data").join("numbers.csv")]);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ZipReader {
    archive: zip::ZipArchive<BytesIO>,
    limits: Limits,
    /// The archive's length in bytes: no entry holds more compressed bytes than this.
    len: u64,
}

impl ZipReader {
    /// Opens the archive in `data` with the default [`Limits`].
    ///
    /// # Errors
    ///
    /// [`ZipError::Corrupt`] when `data` is not a ZIP archive or its central directory is damaged,
    /// [`ZipError::TooManyEntries`].
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{Compression, ZipBuilder, ZipReader};
    ///
    /// let mut zip = ZipBuilder::new();
    /// zip.add_bytes("a.txt", b"alpha", Compression::DEFAULT)?;
    /// let received: Vec<u8> = zip.finish()?.to_vec(); // e.g. an HTTP body
    /// let reader = ZipReader::new(received)?;
    /// assert_eq!(reader.len(), 1);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(data: impl Into<Bytes>) -> io::Result<ZipReader> {
        ZipReader::with_limits(data, Limits::default())
    }

    /// Opens the archive in `data` under `limits`.
    ///
    /// # Errors
    ///
    /// As [`ZipReader::new`].
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{Limits, ZipError, ZipReader};
    ///
    /// let err = ZipReader::with_limits(&b"not a zip"[..], Limits::default()).err().unwrap();
    /// assert!(matches!(ZipError::of(&err), Some(ZipError::Corrupt { .. })));
    /// ```
    pub fn with_limits(data: impl Into<Bytes>, limits: Limits) -> io::Result<ZipReader> {
        let data = data.into();
        let len = data.len() as u64;
        let archive = zip::ZipArchive::new(BytesIO::from(data))
            .map_err(|err| ZipError::from_zip(err, None))?;
        if archive.len() > limits.max_entries {
            let err = ZipError::TooManyEntries {
                count: archive.len(),
                limit: limits.max_entries,
            };
            return Err(err.into());
        }
        Ok(ZipReader {
            archive,
            limits,
            len,
        })
    }

    /// The number of entries.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{Compression, ZipBuilder, ZipReader};
    ///
    /// let mut zip = ZipBuilder::new();
    /// zip.add_bytes("a.txt", b"a", Compression::Stored)?;
    /// zip.add_bytes("b.txt", b"b", Compression::Stored)?;
    /// assert_eq!(ZipReader::new(zip.finish()?)?.len(), 2);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn len(&self) -> usize {
        self.archive.len()
    }

    /// Whether the archive has no entries.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{Compression, ZipBuilder, ZipReader};
    ///
    /// assert!(ZipReader::new(ZipBuilder::new().finish()?)?.is_empty());
    ///
    /// let mut zip = ZipBuilder::new();
    /// zip.add_bytes("a.txt", b"a", Compression::Stored)?;
    /// assert!(!ZipReader::new(zip.finish()?)?.is_empty());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.archive.is_empty()
    }

    /// The limits in force.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{Limits, ZipBuilder, ZipReader};
    ///
    /// let archive = ZipBuilder::new().finish()?;
    /// assert_eq!(ZipReader::new(archive.clone())?.limits(), &Limits::default());
    ///
    /// let mut limits = Limits::default();
    /// limits.max_entries = 10;
    /// assert_eq!(ZipReader::with_limits(archive, limits)?.limits().max_entries, 10);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Every entry, in central-directory order, without inflating anything.
    ///
    /// # Errors
    ///
    /// [`ZipError::Corrupt`] when an entry's record cannot be decoded.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{Compression, Method, ZipBuilder, ZipReader};
    ///
    /// let mut zip = ZipBuilder::new();
    /// zip.add_bytes("a.txt", "a".repeat(1000), Compression::DEFAULT)?;
    /// zip.add_bytes("b.bin", [1, 2, 3], Compression::Stored)?;
    /// let entries = ZipReader::new(zip.finish()?)?.entries()?;
    /// assert_eq!((entries[0].method, entries[0].size), (Method::Deflated, 1000));
    /// assert!(entries[0].compressed_size < 100);
    /// assert_eq!((entries[1].method, entries[1].crc32), (Method::Stored, 0x55bc801d));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn entries(&self) -> io::Result<Vec<Entry>> {
        (0..self.archive.len())
            .map(|index| self.entry(index))
            .collect()
    }

    fn entry(&self, index: usize) -> io::Result<Entry> {
        let data = self
            .archive
            .by_index_data(index)
            .map_err(|err| ZipError::from_zip(err, None))?;
        let name = data
            .name()
            .map_err(|err| ZipError::from_zip(err, None))?
            .into_owned();
        let kind = if data.is_symlink() {
            EntryKind::Symlink
        } else if data.is_dir() {
            EntryKind::Directory
        } else {
            EntryKind::File
        };
        let method = match data.compression() {
            CompressionMethod::Stored => Method::Stored,
            CompressionMethod::Deflated => Method::Deflated,
            // Deprecated for matching, but still the one public way to get a method's number.
            #[allow(deprecated)]
            other => Method::Other(other.to_u16()),
        };
        Ok(Entry {
            name,
            kind,
            method,
            size: data.size(),
            compressed_size: data.compressed_size(),
            crc32: data.crc32(),
            modified: data.last_modified().map(Timestamp::from_zip),
        })
    }

    /// The bytes of the entry named `name`, CRC-checked and bounded by the limits.
    ///
    /// # Errors
    ///
    /// [`ZipError::EntryNotFound`]; [`ZipError::RatioExceeded`] or [`ZipError::SizeLimitExceeded`] for
    /// an entry that inflates (or claims to) past the limits; [`ZipError::SizeMismatch`] when it inflates
    /// to another size than declared; [`ZipError::Corrupt`] for a bad CRC or truncated data;
    /// [`ZipError::Unsupported`] for encrypted entries and methods other than stored and deflate.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{Compression, Limits, ZipBuilder, ZipError, ZipReader};
    ///
    /// let mut zip = ZipBuilder::new();
    /// zip.add_bytes("zeros.bin", vec![0; 4 << 20], Compression::Deflated(9))?;
    /// let archive = zip.finish()?;
    ///
    /// // 4 MiB of zeros deflate about a thousandfold: past the default ratio limit of 100.
    /// let err = ZipReader::new(archive.clone())?.read("zeros.bin").unwrap_err();
    /// assert!(matches!(ZipError::of(&err), Some(ZipError::RatioExceeded { .. })));
    ///
    /// // A caller who expects such data raises the limit.
    /// let mut limits = Limits::default();
    /// limits.max_ratio = 10_000;
    /// assert_eq!(ZipReader::with_limits(archive, limits)?.read("zeros.bin")?.len(), 4 << 20);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read(&mut self, name: &str) -> io::Result<Bytes> {
        let Some(index) = self.archive.index_for_name(name) else {
            return Err(ZipError::EntryNotFound {
                name: name.to_owned(),
            }
            .into());
        };
        let entry = self.entry(index)?;
        let budget = self.limits.max_total_size;
        self.check_declared(&entry, budget)?;
        // Headers can lie: reserve the declared size only as far as the bytes really in the archive
        // could inflate under the ratio limit, and at most 16 MiB; larger entries grow as their bytes
        // really arrive.
        let present = entry.compressed_size.min(self.len);
        let reserve = entry.size.min(self.limits.ratio_cap(present)).min(16 << 20);
        let mut out = Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
        self.copy_entry(index, &entry, budget, &mut out)?;
        Ok(Bytes::from(out))
    }

    /// Extracts every entry into `dir` (created if missing), returning the files written.
    ///
    /// All names and declared sizes are checked before anything is written; existing files are never
    /// overwritten. Should inflating an entry fail (its bytes break a limit or its CRC), its partial file
    /// is removed and the error returned; the entries extracted before it remain.
    ///
    /// # Errors
    ///
    /// [`ZipError::UnsafeName`] for a name that could escape `dir`; [`ZipError::Unsupported`] for a
    /// symbolic link; [`ZipError::Extract`] (with the file system's kind, e.g.
    /// [`io::ErrorKind::AlreadyExists`]) when a file cannot be created; and the errors of
    /// [`read`](ZipReader::read).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use strata_zip::{Compression, ZipBuilder, ZipError, ZipReader};
    ///
    /// let mut zip = ZipBuilder::new();
    /// zip.add_bytes("a.txt", b"alpha", Compression::Stored)?;
    /// zip.add_bytes("sub/dir/b.txt", "beta\n".repeat(10), Compression::DEFAULT)?;
    /// let mut reader = ZipReader::new(zip.finish()?)?;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let written = reader.extract(dir.path())?;
    /// assert_eq!(written, [dir.path().join("a.txt"), dir.path().join("sub/dir/b.txt")]);
    /// assert_eq!(std::fs::read(&written[0])?, b"alpha");
    /// assert_eq!(std::fs::read_to_string(&written[1])?, "beta\n".repeat(10));
    ///
    /// // Existing files are never overwritten.
    /// let err = reader.extract(dir.path()).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::AlreadyExists);
    /// assert!(matches!(ZipError::of(&err), Some(ZipError::Extract { .. })));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn extract(&mut self, dir: impl AsRef<Path>) -> io::Result<Vec<PathBuf>> {
        let dir = dir.as_ref();
        let entries = self.entries()?;
        let mut declared = 0u64;
        for entry in &entries {
            if let Some(reason) = unsafe_reason(&entry.name) {
                return Err(ZipError::UnsafeName {
                    name: entry.name.clone(),
                    reason,
                }
                .into());
            }
            if entry.kind == EntryKind::Symlink {
                let reason = "symbolic links are not extracted".to_owned();
                return Err(ZipError::Unsupported {
                    name: entry.name.clone(),
                    reason,
                }
                .into());
            }
            self.check_declared(entry, self.limits.max_total_size - declared)?;
            declared += entry.size;
        }
        let mut budget = self.limits.max_total_size;
        let mut written = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            let path = dir.join(entry.name.trim_end_matches('/'));
            let fs_error = |source| ZipError::Extract {
                name: entry.name.clone(),
                path: path.clone(),
                source,
            };
            if entry.kind == EntryKind::Directory {
                fs::create_dir_all(&path).map_err(fs_error)?;
                continue;
            }
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(fs_error)?;
            }
            let mut file = fs::File::create_new(&path).map_err(fs_error)?;
            match self.copy_entry(index, entry, budget, &mut file) {
                Ok(n) => budget -= n,
                Err(err) => {
                    drop(file);
                    // The entry's error is the one to report; a failed clean-up leaves a file the
                    // caller can see, so it is not worth masking it.
                    let _ = fs::remove_file(&path);
                    return Err(match ZipError::of(&err) {
                        Some(_) => err,
                        None => fs_error(err).into(),
                    });
                }
            }
            written.push(path);
        }
        Ok(written)
    }

    /// Refuses `entry` on its declared sizes: more than `budget` bytes, or past the ratio limit.
    fn check_declared(&self, entry: &Entry, budget: u64) -> io::Result<()> {
        if entry.size > budget {
            let limit = self.limits.max_total_size;
            return Err(ZipError::SizeLimitExceeded {
                name: entry.name.clone(),
                limit,
            }
            .into());
        }
        if entry.size > self.limits.ratio_cap(entry.compressed_size) {
            return Err(self.limits.ratio_error(entry, entry.size).into());
        }
        Ok(())
    }

    /// Inflates entry `index` into `sink` to its very end (so the `zip` crate checks its CRC-32),
    /// counting the bytes: more than `budget` or than the ratio allows is refused as soon as it is
    /// seen, and a count other than the declared size is an error. Returns the count.
    ///
    /// Errors of the sink are returned as they are; errors of the archive carry a [`ZipError`].
    fn copy_entry(
        &mut self,
        index: usize,
        entry: &Entry,
        budget: u64,
        sink: &mut dyn Write,
    ) -> io::Result<u64> {
        let name = entry.name.as_str();
        let limits = self.limits;
        let ratio_cap = limits.ratio_cap(entry.compressed_size);
        let cap = ratio_cap.min(budget);
        let file = self
            .archive
            .by_index(index)
            .map_err(|err| ZipError::from_zip(err, Some(name)))?;
        // One byte past the cap is enough to know the cap is broken.
        let mut limited = file.take(cap.saturating_add(1));
        let mut buf = vec![0; 64 * 1024];
        let mut count = 0u64;
        loop {
            let n = match limited.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(ZipError::from_read(err, Some(name))),
            };
            count += n as u64;
            if count > cap {
                let limit = limits.max_total_size;
                return Err(if budget < ratio_cap {
                    ZipError::SizeLimitExceeded {
                        name: name.to_owned(),
                        limit,
                    }
                } else {
                    limits.ratio_error(entry, count)
                }
                .into());
            }
            sink.write_all(&buf[..n])?;
        }
        if count != entry.size {
            let err = ZipError::SizeMismatch {
                name: name.to_owned(),
                declared: entry.size,
                actual: count,
            };
            return Err(err.into());
        }
        Ok(count)
    }
}
