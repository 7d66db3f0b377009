//! Reading archives: [`ZipReader`] lists, streams, reads and extracts entries under [`Limits`], from
//! memory or any `Read + Seek` stream.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;
use strata_buffered::BytesIO;
use zip::read::{ZipFile, ZipReadOptions};

use crate::directory::{self, Record};
use crate::error::ZipError;
use crate::source::{Source, SourceError};
use crate::time::Timestamp;
use strata_raw::unsafe_path_reason;

/// Bounds on what reading an archive may produce: the defence against zip bombs.
///
/// Headers can lie, so each bound is checked twice: against the sizes the archive declares before any
/// byte is inflated, and against the bytes actually counted while inflating. The size limit is a budget
/// for the whole [`ZipReader`]: every byte any of its reads produces counts against it, so reading the
/// same entries again and again cannot inflate an archive without bound.
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
    /// The most uncompressed bytes one [`ZipReader`] may produce, over all its reads together
    /// ([`open`](ZipReader::open), [`read`](ZipReader::read), [`extract`](ZipReader::extract)).
    /// Default: 1 GiB.
    pub max_total_size: u64,
    /// The largest uncompressed/compressed size ratio allowed for an entry that inflates past
    /// [`ratio_threshold`](Limits::ratio_threshold). Default: 100 (ordinary text deflates 3–10×).
    pub max_ratio: u64,
    /// Entries up to this many uncompressed bytes are never refused for their ratio (a small file of
    /// zeros legitimately deflates a thousandfold). Default: 1 MiB.
    pub ratio_threshold: u64,
    /// The most entries the central directory may declare; checked before it is read. Default: 10 000.
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
    fn ratio_error(&self, entry: &Entry, uncompressed: u64) -> io::Error {
        ZipError::RatioExceeded {
            name: entry.name.clone(),
            compressed: entry.compressed_size,
            uncompressed,
            max_ratio: self.max_ratio,
        }
        .into()
    }

    /// The error for `entry` taking the reader past [`Limits::max_total_size`].
    fn size_error(&self, entry: &Entry) -> io::Error {
        ZipError::SizeLimitExceeded {
            name: entry.name.clone(),
            limit: self.max_total_size,
        }
        .into()
    }

    /// Refuses `entry` on its declared sizes: more than the `budget` left, or past the ratio limit.
    fn check_declared(&self, entry: &Entry, budget: u64) -> io::Result<()> {
        if entry.size > budget {
            return Err(self.size_error(entry));
        }
        if entry.size > self.ratio_cap(entry.compressed_size) {
            return Err(self.ratio_error(entry, entry.size));
        }
        Ok(())
    }
}

/// How an entry's bytes are stored in the archive.
///
/// Stored and deflate are always read; the other methods each need a feature of this crate (all of
/// them come with `full`), and reading an entry whose feature is off fails with
/// [`ZipError::Unsupported`], naming the feature.
///
/// # Examples
///
/// ```
/// use strata_zip::{Compression, Method, ZipBuilder, ZipReader};
///
/// let mut zip = ZipBuilder::new();
/// zip.add_bytes("raw.bin", [1, 2, 3], Compression::Stored)?;
/// zip.add_bytes("text.txt", "text ".repeat(100), Compression::Deflated(9))?;
/// let reader = ZipReader::new(zip.finish()?)?;
/// assert_eq!(reader.entries()[0].method, Method::Stored);
/// assert_eq!(reader.entries()[1].method, Method::Deflated);
/// assert_eq!(Method::Bzip2.number(), 12);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// Kept as is (method 0).
    Stored,
    /// Deflate (method 8).
    Deflated,
    /// Deflate64, "enhanced deflate" (method 9): feature `deflate64`, read only.
    Deflate64,
    /// bzip2 (method 12): feature `bzip2`.
    Bzip2,
    /// LZMA (method 14): feature `lzma`.
    Lzma,
    /// Zstandard (method 93): feature `zstd`.
    Zstd,
    /// xz (method 95): feature `xz`.
    Xz,
    /// Any other method, by its number in the ZIP specification (e.g. 98 for PPMd); reading such an
    /// entry fails with [`ZipError::Unsupported`].
    Other(u16),
}

impl Method {
    /// The method with number `number` in the ZIP specification.
    pub(crate) fn from_number(number: u16) -> Method {
        match number {
            0 => Method::Stored,
            8 => Method::Deflated,
            9 => Method::Deflate64,
            12 => Method::Bzip2,
            14 => Method::Lzma,
            93 => Method::Zstd,
            95 => Method::Xz,
            other => Method::Other(other),
        }
    }

    /// The method's number in the ZIP specification.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::Method;
    ///
    /// assert_eq!(Method::Deflated.number(), 8);
    /// assert_eq!(Method::Other(98).number(), 98);
    /// ```
    pub fn number(self) -> u16 {
        match self {
            Method::Stored => 0,
            Method::Deflated => 8,
            Method::Deflate64 => 9,
            Method::Bzip2 => 12,
            Method::Lzma => 14,
            Method::Zstd => 93,
            Method::Xz => 95,
            Method::Other(number) => number,
        }
    }

    /// Why this build cannot read entries of this method, or `None` when it can.
    fn unsupported(self) -> Option<String> {
        let (name, built) = match self {
            Method::Stored | Method::Deflated => return None,
            Method::Deflate64 => ("deflate64", cfg!(feature = "deflate64")),
            Method::Bzip2 => ("bzip2", cfg!(feature = "bzip2")),
            Method::Lzma => ("lzma", cfg!(feature = "lzma")),
            Method::Zstd => ("zstd", cfg!(feature = "zstd")),
            Method::Xz => ("xz", cfg!(feature = "xz")),
            Method::Other(number) => {
                let known = match number {
                    1 => " (Shrink)",
                    2..=5 => " (Reduce)",
                    6 => " (Implode)",
                    18 => " (IBM TERSE)",
                    19 => " (IBM LZ77)",
                    96 => " (JPEG)",
                    97 => " (WavPack)",
                    98 => " (PPMd)",
                    _ => "",
                };
                return Some(format!(
                    "compression method {number}{known} is not supported"
                ));
            }
        };
        (!built).then(|| format!("{name} entries need the `{name}` feature"))
    }
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
/// let entries = ZipReader::new(zip.finish()?)?.entries().to_vec();
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
/// let reader = ZipReader::new(zip.finish()?)?;
/// let entry = &reader.entries()[0];
///
/// assert_eq!(entry.name, "hello.txt");
/// assert_eq!((entry.kind, entry.method), (EntryKind::File, Method::Stored));
/// assert_eq!((entry.size, entry.compressed_size), (5, 5));
/// assert_eq!(entry.crc32, 0x3610a686); // CRC-32 of "hello"
/// assert_eq!(entry.modified, Some(time));
/// assert!(!entry.encrypted);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Entry {
    /// The name, decoded as UTF-8 when the entry flags it so, as code page 437 otherwise (as
    /// Python's `zipfile` does). Only a trailing `/` makes a directory: `d\e\` is a file name, as
    /// CPython reads it on POSIX.
    pub name: String,
    /// What the entry is.
    pub kind: EntryKind,
    /// How the bytes are compressed (for an AES-encrypted entry, the method under the encryption).
    pub method: Method,
    /// The declared uncompressed size in bytes.
    pub size: u64,
    /// The compressed size in bytes (with the encryption header, if any).
    pub compressed_size: u64,
    /// The declared CRC-32 of the uncompressed bytes, checked when the entry is read (AES entries of
    /// the AE-2 kind carry 0 and are authenticated by their MAC instead).
    pub crc32: u32,
    /// The modification time, if the stored one is a valid date.
    pub modified: Option<Timestamp>,
    /// Whether the entry is encrypted (ZipCrypto or AES): reading it needs
    /// [`ZipReader::set_password`].
    pub encrypted: bool,
}

/// Reads a ZIP archive from memory ([`ZipReader::new`]) or from any `Read + Seek` stream
/// ([`ZipReader::from_reader`]: a file, a memory map, a spooled buffer, a buffered reader, a remote
/// object): list its entries, stream one ([`open`](ZipReader::open)), read one into [`Bytes`], or
/// extract them all into a directory, safely.
///
/// # What is read
///
/// Opening reads the end record (the last 22 bytes; the last 65 557 when the archive has a comment),
/// the ZIP64 end record when there is one (76 bytes), and the central directory (46 bytes plus the
/// name, extra field and comment of each entry): a listing of 10 000 entries with 20-byte names
/// reads about 0.7 MiB however large the archive. An entry's local header and data are read only
/// when it is opened, and never a byte past its data. [`bytes_read`](ZipReader::bytes_read) counts.
///
/// # Entries
///
/// Every central-directory record is an entry, in directory order, duplicates included:
/// [`entries`](ZipReader::entries) lists them, [`open_index`](ZipReader::open_index) reads any of
/// them, and a name finds the **last** entry of that name, as Python's `zipfile` does (its
/// `getinfo` and `open` see the last one). [`extract`](ZipReader::extract) refuses archives whose
/// names collide.
///
/// # Safety against hostile archives
///
/// Every read is bounded by [`Limits`] (a size budget for the whole reader, a compression ratio, an
/// entry count), checked against the declared sizes first and against the bytes actually inflated;
/// the CRC-32 is checked when an entry's last byte is read. An entry's local header must agree with
/// the directory, and its data must end before the next entry starts: entries sharing data (the
/// overlapping zip bomb) are refused with [`ZipError::Overlap`]. [`extract`](ZipReader::extract)
/// refuses names that could escape the target directory (`..`, absolute paths, drive letters,
/// backslashes) before it writes anything.
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
/// let entries = reader.entries();
/// assert_eq!(entries[0].name, "data/numbers.csv");
/// assert_eq!((entries[0].kind, entries[0].size), (EntryKind::File, 6000));
///
/// let dir = tempfile::tempdir()?;
/// let written = reader.extract(dir.path())?;
/// assert_eq!(written, [dir.path().join("data").join("numbers.csv")]);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ZipReader<R = BytesIO> {
    source: Source<R>,
    entries: Vec<Entry>,
    records: Vec<Record>,
    limits: Limits,
    /// Uncompressed bytes produced so far, over all reads: the budget of [`Limits::max_total_size`].
    produced: u64,
    password: Option<Vec<u8>>,
}

impl ZipReader<BytesIO> {
    /// Opens the archive in `data` with the default [`Limits`]. The bytes are shared, not copied.
    ///
    /// # Errors
    ///
    /// As [`ZipReader::from_reader`].
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
    /// As [`ZipReader::from_reader`].
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{Limits, ZipError, ZipReader};
    ///
    /// let err = ZipReader::with_limits(&b"not a zip"[..], Limits::default()).err().unwrap();
    /// assert!(matches!(ZipError::of(&err), Some(ZipError::NotZip)));
    /// assert_eq!(err.to_string(), "not a ZIP file (no end-of-central-directory record found)");
    /// ```
    pub fn with_limits(data: impl Into<Bytes>, limits: Limits) -> io::Result<ZipReader> {
        ZipReader::from_reader_with_limits(BytesIO::from(data.into()), limits)
    }
}

impl<R: Read + Seek> ZipReader<R> {
    /// Opens the archive in `reader` with the default [`Limits`], reading only its end and its central
    /// directory (see the type's docs). Data before the archive (a self-extractor's stub) is allowed.
    ///
    /// # Errors
    ///
    /// [`ZipError::NotZip`] when there is no end-of-central-directory record; [`ZipError::Truncated`]
    /// when the directory reaches past the end; [`ZipError::Corrupt`] when it is damaged;
    /// [`ZipError::TooManyEntries`]; and the stream's own errors as they are.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Seek, Write};
    /// use strata_zip::{Compression, ZipBuilder, ZipReader};
    ///
    /// let mut zip = ZipBuilder::new();
    /// zip.add_bytes("a.txt", b"alpha", Compression::DEFAULT)?;
    /// let mut file = tempfile::tempfile()?;
    /// file.write_all(&zip.finish()?)?;
    ///
    /// let mut reader = ZipReader::from_reader(file)?;
    /// assert_eq!(reader.read("a.txt")?, &b"alpha"[..]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_reader(reader: R) -> io::Result<ZipReader<R>> {
        ZipReader::from_reader_with_limits(reader, Limits::default())
    }

    /// Opens the archive in `reader` under `limits`.
    ///
    /// # Errors
    ///
    /// As [`ZipReader::from_reader`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Cursor;
    /// use strata_zip::{Compression, Limits, ZipBuilder, ZipError, ZipReader};
    ///
    /// let mut zip = ZipBuilder::new();
    /// for name in ["a", "b", "c"] {
    ///     zip.add_bytes(name, b"x", Compression::Stored)?;
    /// }
    /// let mut limits = Limits::default();
    /// limits.max_entries = 2;
    /// let err = ZipReader::from_reader_with_limits(Cursor::new(zip.finish()?), limits).err().unwrap();
    /// assert!(matches!(ZipError::of(&err), Some(ZipError::TooManyEntries { count: 3, .. })));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_reader_with_limits(mut reader: R, limits: Limits) -> io::Result<ZipReader<R>> {
        let pos = reader.stream_position()?;
        let mut source = Source::new(reader, pos);
        let len = source.len()?;
        let directory = directory::read(&mut source, len, &limits)?;
        Ok(ZipReader {
            source,
            entries: directory.entries,
            records: directory.records,
            limits,
            produced: 0,
            password: None,
        })
    }

    /// The number of entries (central-directory records, duplicates included).
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
        self.entries.len()
    }

    /// Whether the archive has no entries.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{ZipBuilder, ZipReader};
    ///
    /// assert!(ZipReader::new(ZipBuilder::new().finish()?)?.is_empty());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
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

    /// Every entry, in central-directory order, duplicates included (parsed when the archive was
    /// opened; nothing is read or inflated here).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{Compression, Method, ZipBuilder, ZipReader};
    ///
    /// let mut zip = ZipBuilder::new();
    /// zip.add_bytes("a.txt", "a".repeat(1000), Compression::DEFAULT)?;
    /// zip.add_bytes("b.bin", [1, 2, 3], Compression::Stored)?;
    /// let reader = ZipReader::new(zip.finish()?)?;
    /// let entries = reader.entries();
    /// assert_eq!((entries[0].method, entries[0].size), (Method::Deflated, 1000));
    /// assert!(entries[0].compressed_size < 100);
    /// assert_eq!((entries[1].method, entries[1].crc32), (Method::Stored, 0x55bc801d));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The index of the **last** entry named `name` (as Python's `zipfile` resolves a name), or
    /// `None`. Use [`entries`](ZipReader::entries) and [`open_index`](ZipReader::open_index) to reach
    /// earlier entries of the same name.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{Compression, ZipBuilder, ZipReader};
    ///
    /// let mut zip = ZipBuilder::new();
    /// zip.add_bytes("a.txt", b"a", Compression::Stored)?;
    /// zip.add_bytes("b.txt", b"b", Compression::Stored)?;
    /// let reader = ZipReader::new(zip.finish()?)?;
    /// assert_eq!(reader.index_of("b.txt"), Some(1));
    /// assert_eq!(reader.index_of("c.txt"), None);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.entries.iter().rposition(|entry| entry.name == name)
    }

    /// Sets the password for encrypted entries (ZipCrypto, and AES with the `aes` feature), as
    /// Python's `ZipFile.setpassword`. Entries that are not encrypted ignore it.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{ZipBuilder, ZipReader};
    ///
    /// let mut reader = ZipReader::new(ZipBuilder::new().finish()?)?;
    /// reader.set_password(b"secret");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_password(&mut self, password: impl AsRef<[u8]>) {
        self.password = Some(password.as_ref().to_vec());
    }

    /// How many bytes of the stream this reader has read so far (the directory, and the local headers
    /// and data of the entries opened).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{Compression, ZipBuilder, ZipReader};
    ///
    /// let mut zip = ZipBuilder::new();
    /// zip.add_bytes("big.bin", vec![7; 100_000], Compression::Stored)?;
    /// let reader = ZipReader::new(zip.finish()?)?;
    /// assert!(reader.bytes_read() < 200); // the end record and the directory, not the data
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bytes_read(&self) -> u64 {
        self.source.bytes_read()
    }

    /// The stream, given back.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Cursor;
    /// use strata_zip::{ZipBuilder, ZipReader};
    ///
    /// let archive = ZipBuilder::new().finish()?;
    /// let reader = ZipReader::from_reader(Cursor::new(archive.clone()))?;
    /// assert_eq!(reader.into_inner().into_inner(), archive);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_inner(self) -> R {
        self.source.into_inner()
    }

    /// Opens the last entry named `name` for streaming; see [`open_index`](ZipReader::open_index).
    ///
    /// # Errors
    ///
    /// [`ZipError::EntryNotFound`], and those of [`open_index`](ZipReader::open_index).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Read;
    /// use strata_zip::{Compression, ZipBuilder, ZipReader};
    ///
    /// let mut zip = ZipBuilder::new();
    /// zip.add_bytes("log.txt", "line\n".repeat(10_000), Compression::DEFAULT)?;
    /// let mut reader = ZipReader::new(zip.finish()?)?;
    /// let mut lines = 0;
    /// let mut buf = [0; 4096];
    /// let mut entry = reader.open("log.txt")?;
    /// loop {
    ///     let n = entry.read(&mut buf)?;
    ///     if n == 0 { break; }
    ///     lines += buf[..n].iter().filter(|&&b| b == b'\n').count();
    /// }
    /// assert_eq!(lines, 10_000);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(&mut self, name: &str) -> io::Result<EntryReader<'_, R>> {
        let index = self.find(name)?;
        self.open_index(index)
    }

    /// Opens entry `index` (in directory order) for streaming: a [`Read`] of its uncompressed bytes,
    /// holding one decoder's state, whatever the entry's size.
    ///
    /// The limits are enforced as the bytes come: declared sizes are checked here, counted bytes on
    /// every read. The CRC-32 is checked when the last byte has been read: the read that would return
    /// end of file returns [`ZipError::ChecksumMismatch`] instead if it does not match.
    ///
    /// # Errors
    ///
    /// [`ZipError::NoSuchIndex`]; [`ZipError::Unsupported`] for a method this build does not read;
    /// [`ZipError::PasswordRequired`] or [`ZipError::WrongPassword`] for an encrypted entry;
    /// [`ZipError::SizeLimitExceeded`] or [`ZipError::RatioExceeded`] on the declared sizes;
    /// [`ZipError::Overlap`] when its data runs into another entry or the directory;
    /// [`ZipError::Corrupt`] when its local header disagrees with the directory;
    /// [`ZipError::Truncated`]; the stream's own errors as they are.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Read;
    /// use strata_zip::{Compression, ZipBuilder, ZipReader};
    ///
    /// let mut zip = ZipBuilder::new();
    /// zip.add_bytes("a.txt", b"first", Compression::Stored)?;
    /// zip.add_bytes("b.txt", b"second", Compression::DEFAULT)?;
    /// let mut reader = ZipReader::new(zip.finish()?)?;
    /// let mut text = String::new();
    /// reader.open_index(1)?.read_to_string(&mut text)?;
    /// assert_eq!(text, "second");
    /// assert!(reader.open_index(2).is_err());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open_index(&mut self, index: usize) -> io::Result<EntryReader<'_, R>> {
        let ZipReader {
            source,
            entries,
            records,
            limits,
            produced,
            password,
        } = self;
        let (Some(entry), Some(record)) = (entries.get(index), records.get(index)) else {
            let len = entries.len();
            return Err(ZipError::NoSuchIndex { index, len }.into());
        };
        let name = || entry.name.clone();
        if let Some(reason) = entry.method.unsupported() {
            return Err(ZipError::Unsupported {
                name: name(),
                reason,
            }
            .into());
        }
        if entry.encrypted {
            if record.aes_version.is_some() && !cfg!(feature = "aes") {
                let reason = "AES-encrypted entries need the `aes` feature".to_owned();
                return Err(ZipError::Unsupported {
                    name: name(),
                    reason,
                }
                .into());
            }
            if password.is_none() {
                return Err(ZipError::PasswordRequired { name: name() }.into());
            }
        }
        limits.check_declared(entry, limits.max_total_size.saturating_sub(*produced))?;
        let data_start = directory::check_local(source, entry, record, entries)?;
        let closed = source.window(
            record.offset,
            data_start - record.offset + entry.compressed_size,
        )?;
        let options = ZipReadOptions::new()
            .password(password.as_deref())
            .override_compressed_size(entry.compressed_size)
            .override_uncompressed_size(entry.size)
            .ignore_crc32(true);
        let file = match zip::read::read_zipfile_from_stream_with_options(source, options) {
            Ok(Some(file)) => file,
            Ok(None) => return Err(directory::local_missing(entry)),
            Err(err) => return Err(zip_error(err, entry)),
        };
        Ok(EntryReader {
            file,
            entry,
            limits: *limits,
            ratio_cap: limits.ratio_cap(entry.compressed_size),
            produced,
            crc: crc32fast::Hasher::new(),
            // AE-2 entries record no CRC: their MAC, checked by the decoder, stands for it.
            check_crc: record.aes_version != Some(2),
            count: 0,
            done: false,
            closed,
        })
    }

    /// The bytes of the last entry named `name`; see [`read_index`](ZipReader::read_index).
    ///
    /// # Errors
    ///
    /// [`ZipError::EntryNotFound`], and those of [`read_index`](ZipReader::read_index).
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
        let index = self.find(name)?;
        self.read_index(index)
    }

    /// The bytes of entry `index`, CRC-checked and bounded by the limits.
    ///
    /// # Errors
    ///
    /// Those of [`open_index`](ZipReader::open_index), and while reading:
    /// [`ZipError::RatioExceeded`] or [`ZipError::SizeLimitExceeded`] on the counted bytes,
    /// [`ZipError::SizeMismatch`] when it inflates to another size than declared,
    /// [`ZipError::ChecksumMismatch`], [`ZipError::Corrupt`] for data that does not decode,
    /// [`ZipError::Truncated`].
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{Compression, ZipBuilder, ZipReader};
    ///
    /// let mut zip = ZipBuilder::new();
    /// zip.add_bytes("a.txt", b"alpha", Compression::Stored)?;
    /// let mut reader = ZipReader::new(zip.finish()?)?;
    /// assert_eq!(reader.read_index(0)?, &b"alpha"[..]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read_index(&mut self, index: usize) -> io::Result<Bytes> {
        let present = self.data_len();
        let mut reader = self.open_index(index)?;
        // Headers can lie: reserve the declared size only as far as the compressed bytes really in the
        // archive could inflate under the ratio limit, and at most 16 MiB or four times those bytes,
        // whichever is more; larger entries grow as their bytes really arrive.
        let entry = reader.entry;
        let present = entry.compressed_size.min(present);
        let reserve = entry
            .size
            .min(reader.limits.ratio_cap(present))
            .min((16 << 20).max(present.saturating_mul(4)));
        let mut out = Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
        reader.read_to_end(&mut out)?;
        Ok(Bytes::from(out))
    }

    /// The most compressed bytes any entry can really hold: where the central directory starts.
    fn data_len(&self) -> u64 {
        self.records.iter().map(|r| r.bound).max().unwrap_or(0)
    }

    /// Extracts every entry into `dir` (created if missing), returning the files written.
    ///
    /// All names and declared sizes are checked before anything is written: names that could escape
    /// `dir`, symbolic links, and names that collide (the same name twice, names equal once case and a
    /// trailing `/` are ignored, a file named as another entry's directory) are refused. Existing files
    /// are never overwritten. Should reading an entry fail (its bytes break a limit or its CRC), its
    /// partial file is removed and the error returned; the entries extracted before it remain.
    ///
    /// # Errors
    ///
    /// [`ZipError::UnsafeName`], [`ZipError::NameCollision`]; [`ZipError::Unsupported`] for a
    /// symbolic link; [`ZipError::Extract`] (with the file system's kind, e.g.
    /// [`io::ErrorKind::AlreadyExists`]) when a file cannot be created; and the errors of
    /// [`read_index`](ZipReader::read_index).
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
        self.check_extractable()?;
        let mut written = Vec::new();
        let mut buf = vec![0; 64 << 10];
        for index in 0..self.entries.len() {
            let entry = &self.entries[index];
            let name = entry.name.clone();
            let path = dir.join(name.trim_end_matches('/'));
            let fs_error = |source| ZipError::Extract {
                name: name.clone(),
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
            let mut reader = self.open_index(index)?;
            let mut file = fs::File::create_new(&path).map_err(fs_error)?;
            let copied = loop {
                match reader.read(&mut buf) {
                    Ok(0) => break Ok(()),
                    Ok(n) => {
                        if let Err(err) = file.write_all(&buf[..n]) {
                            break Err(fs_error(err).into());
                        }
                    }
                    Err(err) => break Err(err),
                }
            };
            if let Err(err) = copied {
                drop(file);
                // The entry's error is the one to report; a failed clean-up leaves a file the caller
                // can see, so it is not worth masking it.
                let _ = fs::remove_file(&path);
                return Err(err);
            }
            written.push(path);
        }
        Ok(written)
    }

    /// The checks [`extract`](ZipReader::extract) makes before writing anything.
    fn check_extractable(&self) -> io::Result<()> {
        let mut declared = 0u64;
        // Each path, case-folded and without a trailing '/', with the index of the entry that takes it.
        let mut paths: HashMap<String, usize> = HashMap::with_capacity(self.entries.len());
        for (index, entry) in self.entries.iter().enumerate() {
            if let Some(reason) = unsafe_path_reason(&entry.name) {
                let name = entry.name.clone();
                return Err(ZipError::UnsafeName { name, reason }.into());
            }
            if entry.kind == EntryKind::Symlink {
                let reason = "symbolic links are not extracted".to_owned();
                let name = entry.name.clone();
                return Err(ZipError::Unsupported { name, reason }.into());
            }
            let key = entry.name.trim_end_matches('/').to_lowercase();
            if let Some(&other) = paths.get(&key) {
                return Err(self.collision(index, other));
            }
            paths.insert(key, index);
            let budget = self.limits.max_total_size.saturating_sub(self.produced);
            self.limits
                .check_declared(entry, budget.saturating_sub(declared))?;
            declared += entry.size;
        }
        // A file cannot also be a directory that another entry's path goes through.
        for (index, entry) in self.entries.iter().enumerate() {
            let key = entry.name.trim_end_matches('/').to_lowercase();
            for (at, _) in key.match_indices('/') {
                if let Some(&other) = paths.get(&key[..at])
                    && self.entries[other].kind != EntryKind::Directory
                {
                    return Err(self.collision(index, other));
                }
            }
        }
        Ok(())
    }

    fn collision(&self, index: usize, other: usize) -> io::Error {
        ZipError::NameCollision {
            name: self.entries[index].name.clone(),
            other: self.entries[other].name.clone(),
        }
        .into()
    }

    /// The index of the last entry named `name`, or [`ZipError::EntryNotFound`].
    fn find(&self, name: &str) -> io::Result<usize> {
        self.index_of(name).ok_or_else(|| {
            ZipError::EntryNotFound {
                name: name.to_owned(),
            }
            .into()
        })
    }
}

impl<R> fmt::Debug for ZipReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ZipReader")
            .field("entries", &self.entries.len())
            .field("limits", &self.limits)
            .field("produced", &self.produced)
            .field("bytes_read", &self.source.bytes_read())
            .finish_non_exhaustive()
    }
}

/// An error of the `zip` crate met opening `entry`'s data.
fn zip_error(err: zip::result::ZipError, entry: &Entry) -> io::Error {
    use zip::result::ZipError as Z;
    let name = entry.name.clone();
    match err {
        Z::Io(err) => decode_error(err, entry),
        Z::InvalidPassword => ZipError::WrongPassword { name }.into(),
        Z::UnsupportedArchive(reason) if reason == Z::PASSWORD_REQUIRED => {
            ZipError::PasswordRequired { name }.into()
        }
        Z::UnsupportedArchive(reason) => ZipError::Unsupported {
            name,
            reason: reason.to_owned(),
        }
        .into(),
        Z::CompressionMethodNotSupported(method) => ZipError::Unsupported {
            name,
            reason: format!("compression method {method} is not supported"),
        }
        .into(),
        other => ZipError::Corrupt {
            name: Some(name),
            reason: other.to_string(),
        }
        .into(),
    }
}

/// An I/O error met reading `entry`'s data: the stream's own error as it is, [`ZipError::Truncated`],
/// or (from the decoder) [`ZipError::Corrupt`].
fn decode_error(err: io::Error, entry: &Entry) -> io::Error {
    let name = entry.name.clone();
    match SourceError::take(err) {
        Ok(SourceError::Io(err)) => err,
        Ok(SourceError::Eof) => ZipError::Truncated { name: Some(name) }.into(),
        Err(err) => ZipError::Corrupt {
            name: Some(name),
            reason: format!("its compressed data does not decode ({err})"),
        }
        .into(),
    }
}

/// One entry's uncompressed bytes, as a [`Read`]; made by [`ZipReader::open`] and
/// [`ZipReader::open_index`].
///
/// Reads are counted against the reader's [`Limits`] as they happen, and the read that reaches the end
/// checks the size and the CRC-32. Dropping it early reads nothing more from the stream.
///
/// The struct carries the `Read` bound because the `zip` crate's decoder inside it does.
///
/// # Examples
///
/// ```
/// use std::io::Read;
/// use strata_zip::{Compression, ZipBuilder, ZipReader};
///
/// let mut zip = ZipBuilder::new();
/// zip.add_bytes("a.txt", "abc".repeat(1000), Compression::DEFAULT)?;
/// let mut reader = ZipReader::new(zip.finish()?)?;
/// let mut entry = reader.open("a.txt")?;
/// assert_eq!(entry.entry().size, 3000);
/// let mut head = [0; 6];
/// entry.read_exact(&mut head)?;
/// assert_eq!(&head, b"abcabc");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct EntryReader<'a, R: Read> {
    file: ZipFile<'a, Source<R>>,
    entry: &'a Entry,
    limits: Limits,
    /// The most bytes the entry may produce under the ratio limit.
    ratio_cap: u64,
    /// The reader's running total, for [`Limits::max_total_size`].
    produced: &'a mut u64,
    crc: crc32fast::Hasher,
    check_crc: bool,
    /// Bytes produced by this entry so far.
    count: u64,
    /// The end was reached and checked.
    done: bool,
    /// Closes the stream window on drop, so that the `zip` crate does not drain the entry's rest.
    closed: Arc<AtomicBool>,
}

impl<R: Read> EntryReader<'_, R> {
    /// The entry being read.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{Compression, ZipBuilder, ZipReader};
    ///
    /// let mut zip = ZipBuilder::new();
    /// zip.add_bytes("a.txt", b"alpha", Compression::Stored)?;
    /// let mut reader = ZipReader::new(zip.finish()?)?;
    /// assert_eq!(reader.open("a.txt")?.entry().name, "a.txt");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn entry(&self) -> &Entry {
        self.entry
    }

    /// The end of the entry's bytes: checks the size and the CRC-32.
    fn finish(&mut self) -> io::Result<usize> {
        let entry = self.entry;
        if self.count != entry.size {
            return Err(ZipError::SizeMismatch {
                name: entry.name.clone(),
                declared: entry.size,
                actual: self.count,
            }
            .into());
        }
        let actual = self.crc.clone().finalize();
        if self.check_crc && actual != entry.crc32 {
            return Err(ZipError::ChecksumMismatch {
                name: entry.name.clone(),
                declared: entry.crc32,
                actual,
            }
            .into());
        }
        self.done = true;
        Ok(0)
    }
}

impl<R: Read> Read for EntryReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        let entry = self.entry;
        let left = entry.size - self.count;
        // Never ask for more than the declared size; once it is reached, one more byte is a probe:
        // the decoder reports any byte past the declared size as an error.
        let want = usize::try_from(left).map_or(buf.len(), |left| buf.len().min(left.max(1)));
        let n = match self.file.read(&mut buf[..want]) {
            Ok(n) => n,
            Err(err) if left == 0 => {
                let err = decode_error(err, entry);
                return Err(match ZipError::of(&err) {
                    Some(ZipError::Corrupt { .. }) => ZipError::Corrupt {
                        name: Some(entry.name.clone()),
                        reason: format!(
                            "it holds more than the {} bytes its header declares",
                            entry.size
                        ),
                    }
                    .into(),
                    _ => err,
                });
            }
            Err(err) => return Err(decode_error(err, entry)),
        };
        if n == 0 {
            return self.finish();
        }
        self.count += n as u64;
        *self.produced += n as u64;
        if self.count > self.ratio_cap {
            return Err(self.limits.ratio_error(entry, self.count));
        }
        if *self.produced > self.limits.max_total_size {
            return Err(self.limits.size_error(entry));
        }
        self.crc.update(&buf[..n]);
        Ok(n)
    }
}

impl<R: Read> fmt::Debug for EntryReader<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EntryReader")
            .field("entry", &self.entry.name)
            .field("read", &self.count)
            .field("size", &self.entry.size)
            .finish_non_exhaustive()
    }
}

impl<R: Read> Drop for EntryReader<'_, R> {
    fn drop(&mut self) {
        self.closed.store(true, Ordering::Relaxed);
    }
}
