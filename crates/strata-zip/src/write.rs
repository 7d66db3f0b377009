//! Writing archives: [`ZipBuilder`] into memory or any seekable sink, [`ZipStream`] into a sink that
//! cannot seek; [`ZipBuilder::add_many`] (in `parallel`) compresses many entries on worker threads.

use std::io::{self, Read, Seek, Write};
use std::num::NonZeroUsize;

use bytes::Bytes;
use strata_buffered::BytesIO;
use zip::write::{SimpleFileOptions, StreamWriter};
use zip::{CompressionMethod, System};

use crate::error::ZipError;
use strata_raw::unsafe_path_reason;

use crate::name::is_dir_name;
use crate::time::Timestamp;

mod parallel;

/// How one entry's bytes are stored.
///
/// # Examples
///
/// ```
/// use strata_zip::Compression;
///
/// assert_eq!(Compression::default(), Compression::Deflated(6));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Compression {
    /// Kept as is (method 0): for data that is already compressed (PNG, JPEG, other archives).
    Stored,
    /// Deflate (method 8) at a level from 1 (fastest) to 9 (smallest), as Python's `compresslevel`
    /// (Python's level 0, deflate without compression, is [`Compression::Stored`] done better).
    Deflated(u8),
    /// bzip2 (method 12) at a level from 1 to 9 (Python's `ZIP_BZIP2`); needs the `bzip2` feature.
    #[cfg(feature = "bzip2")]
    Bzip2(u8),
    /// Zstandard (method 93) at a level from 1 to 22; needs the `zstd` feature. Python's `zipfile`
    /// (3.11) cannot read it.
    #[cfg(feature = "zstd")]
    Zstd(u8),
    /// xz (method 95); needs the `xz` feature. Python's `zipfile` (3.11) cannot read it.
    #[cfg(feature = "xz")]
    Xz,
}

impl Compression {
    /// Deflate at level 6, zlib's and Python's default.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{Compression, Method, ZipBuilder, ZipReader};
    ///
    /// assert_eq!(Compression::DEFAULT, Compression::Deflated(6));
    ///
    /// let mut zip = ZipBuilder::new();
    /// zip.add_bytes("a.txt", "a".repeat(1000), Compression::DEFAULT)?;
    /// let entries = ZipReader::new(zip.finish()?)?.entries().to_vec();
    /// assert_eq!(entries[0].method, Method::Deflated);
    /// assert!(entries[0].compressed_size < 100);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const DEFAULT: Compression = Compression::Deflated(6);

    /// The `zip` crate's options for an entry compressed this way and stamped `time`.
    fn options(self, time: Timestamp, len_hint: Option<u64>) -> io::Result<SimpleFileOptions> {
        let (method, level) = match self {
            Compression::Stored => (CompressionMethod::Stored, None),
            Compression::Deflated(level @ 1..=9) => {
                (CompressionMethod::Deflated, Some(i64::from(level)))
            }
            #[cfg(feature = "bzip2")]
            Compression::Bzip2(level @ 1..=9) => (CompressionMethod::Bzip2, Some(i64::from(level))),
            #[cfg(feature = "zstd")]
            Compression::Zstd(level @ 1..=22) => (CompressionMethod::Zstd, Some(i64::from(level))),
            #[cfg(feature = "xz")]
            Compression::Xz => (CompressionMethod::Xz, None),
            #[cfg(feature = "bzip2")]
            Compression::Bzip2(level) => return Err(ZipError::InvalidLevel(level).into()),
            #[cfg(feature = "zstd")]
            Compression::Zstd(level) => return Err(ZipError::InvalidLevel(level).into()),
            Compression::Deflated(level) => return Err(ZipError::InvalidLevel(level).into()),
        };
        // System and permissions are fixed so that the bytes do not depend on the platform.
        Ok(SimpleFileOptions::default()
            .compression_method(method)
            .compression_level(level)
            .last_modified_time(time.to_zip())
            .system(System::Unix)
            .unix_permissions(0o644)
            .large_file(len_hint.is_some_and(|len| len >= u64::from(u32::MAX))))
    }
}

impl Default for Compression {
    fn default() -> Compression {
        Compression::DEFAULT
    }
}

/// Builds a ZIP archive entry by entry, in memory ([`ZipBuilder::new`] writes into a [`BytesIO`] and
/// [`ZipBuilder::finish`] hands its bytes over without copying) or into any `Write + Seek` sink
/// ([`ZipBuilder::on_sink`], [`ZipBuilder::finish_sink`]).
///
/// Entry names must be safe relative paths with `/` separators: no `..`, `.` or empty component, no
/// leading `/`, no `\`, `:` or NUL. Anything else is refused with [`ZipError::InvalidName`] (kind
/// [`io::ErrorKind::InvalidInput`]), so every archive built here extracts with [`crate::ZipReader`].
/// Entries are stamped with the current UTC time unless [`fixed_time`](ZipBuilder::fixed_time) is set,
/// which makes the archive byte-for-byte reproducible.
///
/// [`add_many`](ZipBuilder::add_many) adds a batch of entries compressed in parallel, one worker
/// thread per core by default ([`threads`](ZipBuilder::threads)), and writes the same bytes as
/// [`add_bytes`](ZipBuilder::add_bytes) on each in turn.
///
/// The sink need not be at offset 0: offsets are recorded where the archive really starts, so an archive
/// appended after other data (a self-extracting stub) stays readable.
///
/// Always end with `finish` or `finish_sink`: dropping the builder makes the `zip` crate write the
/// central directory anyway, but any error doing so is only printed to standard error. After an `add_*`
/// method fails, discard the builder: its archive may hold a partial entry.
///
/// The struct carries the `Write + Seek` bound because the `zip` writer inside it does.
///
/// # Examples
///
/// ```
/// use strata_zip::{Compression, Timestamp, ZipBuilder, ZipReader};
///
/// let mut zip = ZipBuilder::new().fixed_time(Timestamp::DOS_EPOCH);
/// zip.add_bytes("notes/hello.txt", b"hello, world\n", Compression::DEFAULT)?;
/// zip.add_reader("raw.bin", &[0u8, 1, 2, 3][..], Compression::Stored)?;
/// let archive = zip.finish()?;
///
/// let mut reader = ZipReader::new(archive)?;
/// assert_eq!(reader.read("notes/hello.txt")?, &b"hello, world\n"[..]);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ZipBuilder<W: Write + Seek = BytesIO> {
    zip: zip::ZipWriter<W>,
    time: Option<Timestamp>,
    /// How many workers [`ZipBuilder::add_many`] compresses on; `None`: one per core.
    threads: Option<NonZeroUsize>,
}

impl ZipBuilder<BytesIO> {
    /// An empty archive built in memory.
    ///
    /// # Examples
    ///
    /// ```
    /// let archive = strata_zip::ZipBuilder::new().finish()?;
    /// assert_eq!(archive.len(), 22); // just the end-of-central-directory record
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new() -> ZipBuilder<BytesIO> {
        ZipBuilder::on_sink(BytesIO::new())
    }

    /// Writes the central directory and returns the archive's bytes (the [`BytesIO`]'s buffer, not a
    /// copy).
    ///
    /// # Errors
    ///
    /// What finishing the last entry or writing the central directory reports.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{Compression, ZipBuilder};
    ///
    /// let mut zip = ZipBuilder::new();
    /// zip.add_bytes("a.txt", b"a", Compression::Stored)?;
    /// let archive: bytes::Bytes = zip.finish()?;
    /// assert!(archive.starts_with(b"PK\x03\x04"));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(self) -> io::Result<Bytes> {
        self.finish_sink().map(BytesIO::into_bytes)
    }
}

impl Default for ZipBuilder<BytesIO> {
    fn default() -> Self {
        ZipBuilder::new()
    }
}

impl<W: Write + Seek> ZipBuilder<W> {
    /// An empty archive written into `sink`, starting at its current position.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Cursor, Write};
    /// use strata_zip::{Compression, ZipBuilder, ZipReader};
    ///
    /// let mut file = Cursor::new(Vec::new());
    /// file.write_all(b"#!stub\n")?; // data before the archive is fine
    /// let mut zip = ZipBuilder::on_sink(file);
    /// zip.add_bytes("a.txt", b"a", Compression::Stored)?;
    /// let bytes = zip.finish_sink()?.into_inner();
    /// assert_eq!(ZipReader::new(bytes)?.read("a.txt")?, &b"a"[..]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn on_sink(sink: W) -> ZipBuilder<W> {
        ZipBuilder::from_zip(zip::ZipWriter::new(sink))
    }

    fn from_zip(zip: zip::ZipWriter<W>) -> ZipBuilder<W> {
        ZipBuilder {
            zip: zip.set_auto_large_file(),
            time: None,
            threads: None,
        }
    }

    /// Stamps every entry added from now on with `time` instead of the current time.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{Compression, Timestamp, ZipBuilder, ZipReader};
    ///
    /// let time = Timestamp::new(2030, 1, 2, 3, 4, 6)?;
    /// let mut zip = ZipBuilder::new().fixed_time(time);
    /// zip.add_bytes("a.txt", b"a", Compression::Stored)?;
    /// let entries = ZipReader::new(zip.finish()?)?.entries().to_vec();
    /// assert_eq!(entries[0].modified, Some(time));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fixed_time(mut self, time: Timestamp) -> Self {
        self.time = Some(time);
        self
    }

    /// Adds an entry named `name` holding `data`.
    ///
    /// # Errors
    ///
    /// [`ZipError::InvalidName`] for a name that is not a safe relative file path (see the type's
    /// docs), [`ZipError::InvalidLevel`], [`io::ErrorKind::InvalidInput`] for a name already in the
    /// archive, and what the sink reports.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{Compression, ZipBuilder, ZipError};
    ///
    /// let mut zip = ZipBuilder::new();
    /// zip.add_bytes("docs/readme.txt", "read me\n".repeat(50), Compression::Deflated(9))?;
    /// zip.add_bytes("photo.jpg", [0xff, 0xd8, 0xff], Compression::Stored)?;
    ///
    /// let err = zip.add_bytes("C:/windows.txt", b"", Compression::Stored).unwrap_err();
    /// assert!(matches!(ZipError::of(&err), Some(ZipError::InvalidName { .. })));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_bytes(
        &mut self,
        name: &str,
        data: impl AsRef<[u8]>,
        compression: Compression,
    ) -> io::Result<()> {
        let data = data.as_ref();
        self.start(name, compression, Some(data.len() as u64))?;
        self.zip.write_all(data)
    }

    /// Adds an entry named `name` holding everything `reader` yields, and returns its size.
    ///
    /// # Errors
    ///
    /// As [`add_bytes`](ZipBuilder::add_bytes), and what `reader` reports.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Read;
    /// use strata_zip::{Compression, ZipBuilder};
    ///
    /// let mut zip = ZipBuilder::new();
    /// let zeros = std::io::repeat(0).take(1 << 20); // any `Read`: a file, a socket, a decoder
    /// assert_eq!(zip.add_reader("zeros.bin", zeros, Compression::DEFAULT)?, 1 << 20);
    /// assert!(zip.finish()?.len() < 4096);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_reader(
        &mut self,
        name: &str,
        mut reader: impl Read,
        compression: Compression,
    ) -> io::Result<u64> {
        self.start(name, compression, None)?;
        io::copy(&mut reader, &mut self.zip)
    }

    /// Starts entry `name`; the following writes to `self.zip` are its bytes.
    fn start(&mut self, name: &str, compression: Compression, len: Option<u64>) -> io::Result<()> {
        let options = entry_options(name, compression, self.entry_time(), len)?;
        self.zip
            .start_file(name, options)
            .map_err(|err| entry_error(name, err))
    }

    /// The time to stamp the next entry with: the fixed time, or now.
    fn entry_time(&self) -> Timestamp {
        self.time.unwrap_or_else(Timestamp::now_utc)
    }

    /// Writes the central directory and returns the sink, positioned after the archive.
    ///
    /// # Errors
    ///
    /// What finishing the last entry or writing the central directory reports.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Cursor, Seek, Write};
    /// use strata_zip::{Compression, ZipBuilder, ZipReader};
    ///
    /// let mut zip = ZipBuilder::on_sink(Cursor::new(Vec::new()));
    /// zip.add_bytes("a.txt", b"alpha", Compression::Stored)?;
    /// let mut sink = zip.finish_sink()?;
    /// let end = sink.stream_position()?;
    /// assert_eq!(end, sink.get_ref().len() as u64); // positioned after the archive
    ///
    /// // Data after the archive does not hide it: the end-of-directory record is found anyway.
    /// sink.write_all(b"trailer")?;
    /// let mut reader = ZipReader::new(sink.into_inner())?;
    /// assert_eq!(reader.read("a.txt")?, &b"alpha"[..]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish_sink(self) -> io::Result<W> {
        self.zip.finish().map_err(|err| match err {
            zip::result::ZipError::Io(err) => err,
            other => io::Error::other(format!("cannot finish the archive: {other}")),
        })
    }
}

/// The `zip` crate's options for entry `name` (checked first: see [`ZipBuilder`]) compressed with
/// `compression`, stamped `time`, of `len` bytes when known: how [`ZipBuilder::add_bytes`] and
/// [`ZipBuilder::add_many`]'s workers both start an entry.
fn entry_options(
    name: &str,
    compression: Compression,
    time: Timestamp,
    len: Option<u64>,
) -> io::Result<SimpleFileOptions> {
    let reason = if is_dir_name(name) {
        Some("a file name cannot end with '/'")
    } else {
        unsafe_path_reason(name)
    };
    if let Some(reason) = reason {
        let name = name.to_owned();
        return Err(ZipError::InvalidName { name, reason }.into());
    }
    compression.options(time, len)
}

/// The `zip` crate's error adding entry `name`: the sink's I/O errors unchanged, anything else (a name
/// already in the archive) [`io::ErrorKind::InvalidInput`] naming the entry.
fn entry_error(name: &str, err: zip::result::ZipError) -> io::Error {
    match err {
        zip::result::ZipError::Io(err) => err,
        other => io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("cannot add entry {name:?}: {other}"),
        ),
    }
}

/// Writes a ZIP archive into a sink that cannot seek: a socket, a pipe, standard output.
///
/// Each entry's CRC and sizes follow its data in a *data descriptor*, since they cannot be patched into
/// the local header afterwards; every ZIP reader (Python's `zipfile`, `unzip`, this crate's
/// [`ZipReader`](crate::ZipReader)) reads such archives. The rules on names and times are
/// [`ZipBuilder`]'s.
///
/// # Examples
///
/// ```
/// use strata_zip::{Compression, ZipReader, ZipStream};
///
/// let mut zip = ZipStream::new(Vec::new()); // a Vec cannot seek: stand-in for a socket
/// zip.add_bytes("log.txt", "line\n".repeat(100), Compression::DEFAULT)?;
/// let sent = zip.finish()?;
/// assert_eq!(ZipReader::new(sent)?.read("log.txt")?.len(), 500);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ZipStream<W: Write> {
    inner: ZipBuilder<StreamWriter<W>>,
}

impl<W: Write> ZipStream<W> {
    /// An empty archive streamed into `sink`.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{ZipReader, ZipStream};
    ///
    /// let empty = ZipStream::new(Vec::new()).finish()?;
    /// assert_eq!(empty.len(), 22); // just the end-of-central-directory record
    /// assert!(ZipReader::new(empty)?.is_empty());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(sink: W) -> ZipStream<W> {
        ZipStream {
            inner: ZipBuilder::from_zip(zip::ZipWriter::new_stream(sink)),
        }
    }

    /// Stamps every entry added from now on with `time`; see [`ZipBuilder::fixed_time`].
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{Compression, Timestamp, ZipReader, ZipStream};
    ///
    /// let build = || -> std::io::Result<Vec<u8>> {
    ///     let time = Timestamp::new(2024, 1, 2, 3, 4, 6)?;
    ///     let mut zip = ZipStream::new(Vec::new()).fixed_time(time);
    ///     zip.add_bytes("a.txt", b"alpha", Compression::DEFAULT)?;
    ///     zip.finish()
    /// };
    /// let archive = build()?;
    /// assert_eq!(archive, build()?); // reproducible, byte for byte
    /// let entries = ZipReader::new(archive)?.entries().to_vec();
    /// assert_eq!(entries[0].modified.map(|t| t.parts()), Some((2024, 1, 2, 3, 4, 6)));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fixed_time(self, time: Timestamp) -> Self {
        ZipStream {
            inner: self.inner.fixed_time(time),
        }
    }

    /// Adds an entry holding `data`; see [`ZipBuilder::add_bytes`].
    ///
    /// # Errors
    ///
    /// As [`ZipBuilder::add_bytes`].
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{Compression, ZipError, ZipReader, ZipStream};
    ///
    /// let mut zip = ZipStream::new(Vec::new());
    /// zip.add_bytes("notes.txt", "note\n".repeat(20), Compression::Deflated(9))?;
    /// let err = zip.add_bytes("../escape.txt", b"", Compression::Stored).unwrap_err();
    /// assert!(matches!(ZipError::of(&err), Some(ZipError::InvalidName { .. })));
    ///
    /// let mut reader = ZipReader::new(zip.finish()?)?;
    /// assert_eq!(reader.read("notes.txt")?, "note\n".repeat(20).as_bytes());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_bytes(
        &mut self,
        name: &str,
        data: impl AsRef<[u8]>,
        compression: Compression,
    ) -> io::Result<()> {
        self.inner.add_bytes(name, data, compression)
    }

    /// Adds an entry holding what `reader` yields; see [`ZipBuilder::add_reader`].
    ///
    /// # Errors
    ///
    /// As [`ZipBuilder::add_reader`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Read;
    /// use strata_zip::{Compression, ZipReader, ZipStream};
    ///
    /// let mut zip = ZipStream::new(Vec::new());
    /// let ones = std::io::repeat(1).take(100_000); // any `Read`, its length unknown in advance
    /// assert_eq!(zip.add_reader("ones.bin", ones, Compression::DEFAULT)?, 100_000);
    /// let mut reader = ZipReader::new(zip.finish()?)?;
    /// assert_eq!(reader.read("ones.bin")?, vec![1; 100_000]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_reader(
        &mut self,
        name: &str,
        reader: impl Read,
        compression: Compression,
    ) -> io::Result<u64> {
        self.inner.add_reader(name, reader, compression)
    }

    /// Writes the central directory and returns the sink.
    ///
    /// # Errors
    ///
    /// What the sink reports.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{Compression, ZipStream};
    ///
    /// let mut zip = ZipStream::new(Vec::new());
    /// zip.add_bytes("a.txt", b"alpha", Compression::Stored)?;
    /// let sent: Vec<u8> = zip.finish()?;
    /// assert!(sent.starts_with(b"PK\x03\x04"));
    /// let end_of_directory = &sent[sent.len() - 22..];
    /// assert!(end_of_directory.starts_with(b"PK\x05\x06"));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(self) -> io::Result<W> {
        self.inner.finish_sink().map(StreamWriter::into_inner)
    }
}
