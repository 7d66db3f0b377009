//! Writing archives: [`TarBuilder`] into memory or any `Write`, seekable or not, plain or gzip.

use std::collections::HashSet;
use std::io::{self, Read, Write};

use bytes::Bytes;
use flate2::write::GzEncoder;
use tar::{EntryType, Header};

use crate::error::TarError;
use strata_raw::unsafe_path_reason;

/// The size of a TAR block: headers take one, data is padded to a whole number.
pub(crate) const BLOCK: u64 = 512;

/// The bytes needed to pad `len` bytes of data to a whole block.
pub(crate) fn padding(len: u64) -> u64 {
    (BLOCK - len % BLOCK) % BLOCK
}

/// Whether the archive is compressed as a whole.
///
/// # Examples
///
/// ```
/// use strata_tar::{Attrs, Compression, TarBuilder, TarReader};
///
/// let mut tar = TarBuilder::on_sink(Vec::new(), Compression::Gzip(6))?;
/// tar.add_bytes("log.txt", "line\n".repeat(1000), Attrs::default())?;
/// let gz = tar.finish()?;
/// assert!(gz.starts_with(&[0x1f, 0x8b]) && gz.len() < 1000);
///
/// let mut reader = TarReader::new(&gz[..])?; // gzip is detected
/// assert_eq!(reader.next_entry()?.unwrap().info().size, 5000);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Compression {
    /// A plain `.tar`.
    #[default]
    None,
    /// A `.tar.gz`: gzip at a level from 0 (stored) to 9 (smallest), 6 being zlib's default.
    Gzip(u32),
}

/// Which TAR dialect the headers are written in; they differ only for names that do not fit the
/// classic 100-byte field.
///
/// # Examples
///
/// ```
/// use strata_tar::{Attrs, Format, TarBuilder, TarError, TarReader};
///
/// let long = format!("{}/file.txt", "d".repeat(300));
/// for format in [Format::Pax, Format::Gnu] {
///     let mut tar = TarBuilder::new().format(format);
///     tar.add_bytes(&long, b"x", Attrs::default())?;
///     let archive = tar.finish()?;
///     assert_eq!(TarReader::new(&archive[..])?.next_entry()?.unwrap().info().name, long);
/// }
/// let mut tar = TarBuilder::new().format(Format::Ustar);
/// let err = tar.add_bytes(&long, b"x", Attrs::default()).unwrap_err();
/// assert!(matches!(TarError::of(&err), Some(TarError::NameTooLong { .. })));
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// POSIX.1-1988 ustar: names up to 256 bytes (a 155-byte prefix, a `/`, a 100-byte name);
    /// longer ones are refused with [`TarError::NameTooLong`].
    Ustar,
    /// GNU: a longer name goes in a `././@LongLink` record (type `L`) before the entry.
    Gnu,
    /// POSIX.1-2001 pax, CPython's default: a name that is longer than ustar holds or not ASCII goes
    /// in a pax extended header (type `x`) before the entry; other entries are plain ustar.
    #[default]
    Pax,
}

/// The metadata written with an entry. The defaults make archives reproducible: mode `0o644`, mtime
/// 0 (1970-01-01), and always uid and gid 0 with empty user and group names.
///
/// # Examples
///
/// ```
/// use strata_tar::{Attrs, TarBuilder, TarReader};
///
/// let mut tar = TarBuilder::new();
/// tar.add_bytes("run.sh", b"#!/bin/sh\n", Attrs::default().mode(0o755).mtime(1_700_000_000))?;
/// let archive = tar.finish()?;
/// let mut reader = TarReader::new(&archive[..])?;
/// let info = reader.next_entry()?.unwrap().info().clone();
/// assert_eq!((info.mode, info.mtime), (0o755, 1_700_000_000));
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Attrs {
    /// The Unix permission bits. Default: `0o644`.
    pub mode: u32,
    /// The modification time in seconds since 1970-01-01 UTC. Default: 0.
    pub mtime: u64,
}

impl Default for Attrs {
    fn default() -> Attrs {
        Attrs {
            mode: 0o644,
            mtime: 0,
        }
    }
}

impl Attrs {
    /// These attributes with permission bits `mode`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(strata_tar::Attrs::default().mode(0o600).mode, 0o600);
    /// ```
    pub fn mode(mut self, mode: u32) -> Attrs {
        self.mode = mode;
        self
    }

    /// These attributes with modification time `mtime` (seconds since 1970-01-01 UTC).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(strata_tar::Attrs::default().mtime(86_400).mtime, 86_400);
    /// ```
    pub fn mtime(mut self, mtime: u64) -> Attrs {
        self.mtime = mtime;
        self
    }
}

/// Where the archive's bytes go: the sink itself or a gzip stream into it.
enum Sink<W: Write> {
    Plain(W),
    Gzip(Box<GzEncoder<W>>),
}

impl<W: Write> Write for Sink<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Plain(w) => w.write(buf),
            Sink::Gzip(w) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Sink::Plain(w) => w.write_all(buf),
            Sink::Gzip(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Plain(w) => w.flush(),
            Sink::Gzip(w) => w.flush(),
        }
    }
}

/// Builds a TAR archive entry by entry into memory ([`TarBuilder::new`], [`TarBuilder::finish`]
/// returns [`Bytes`] without a copy) or into any `Write` ([`TarBuilder::on_sink`],
/// [`TarBuilder::finish_sink`]): a file, a socket, a pipe, an upload. It never seeks, and holds no
/// entry in memory: [`add_reader`](TarBuilder::add_reader) streams an entry of a known size.
///
/// Entry names must be safe relative paths with `/` separators: no `..`, `.` or empty component, no
/// leading `/`, no `\`, `:` or NUL, and each name at most once. Anything else is refused with
/// [`TarError::UnsafeName`] (kind [`io::ErrorKind::InvalidInput`]), so every archive built here
/// extracts with [`crate::TarReader::extract`]. With the default [`Attrs`] the same entries give the
/// same bytes, gzip included (its header's time is 0).
///
/// Always end with `finish` or `finish_sink`: they write the end-of-archive marker and the gzip
/// trailer, which dropping the builder does not. An `add_*` method that fails after writing part of
/// an entry (a sink error, [`TarError::SizeMismatch`]) leaves the archive unusable: every later call,
/// `finish` included, then fails with [`TarError::Poisoned`]. A refused name writes nothing and
/// leaves the builder usable.
///
/// # Examples
///
/// ```
/// use strata_tar::{Attrs, TarBuilder, TarReader};
///
/// let mut tar = TarBuilder::new();
/// tar.add_dir("notes/", Attrs::default().mode(0o755))?;
/// tar.add_bytes("notes/hello.txt", b"hello, world\n", Attrs::default())?;
/// tar.add_reader("raw.bin", &[0u8, 1, 2, 3][..], 4, Attrs::default())?;
/// let archive = tar.finish()?;
/// assert_eq!(archive.len() % 512, 0);
///
/// let mut reader = TarReader::new(&archive[..])?;
/// let mut names = Vec::new();
/// while let Some(entry) = reader.next_entry()? {
///     names.push(entry.info().name.clone());
/// }
/// assert_eq!(names, ["notes/", "notes/hello.txt", "raw.bin"]);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct TarBuilder<W: Write = Vec<u8>> {
    sink: Sink<W>,
    format: Format,
    names: HashSet<String>,
    /// Bytes of the (uncompressed) archive written so far.
    position: u64,
    /// Whether part of an entry is written and the rest not yet.
    writing: bool,
    /// The failure that left an entry half-written: every later call reports it.
    poisoned: Option<String>,
}

impl TarBuilder<Vec<u8>> {
    /// An empty, uncompressed archive built in memory.
    ///
    /// # Examples
    ///
    /// ```
    /// let archive = strata_tar::TarBuilder::new().finish()?;
    /// assert_eq!(archive, vec![0; 1024]); // just the end-of-archive marker
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new() -> TarBuilder<Vec<u8>> {
        TarBuilder::with_sink(Sink::Plain(Vec::new()))
    }

    /// Ends the archive and returns its bytes (the `Vec`'s buffer, not a copy).
    ///
    /// # Errors
    ///
    /// What compressing the archive's end reports (nothing, for a plain archive).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::{Attrs, TarBuilder};
    ///
    /// let mut tar = TarBuilder::new();
    /// tar.add_bytes("a.txt", b"alpha", Attrs::default())?;
    /// let archive: bytes::Bytes = tar.finish()?;
    /// assert_eq!(archive.len(), 512 + 512 + 1024); // header, padded data, end marker
    /// assert_eq!(&archive[512..517], b"alpha");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(self) -> io::Result<Bytes> {
        self.finish_sink().map(Bytes::from)
    }
}

impl Default for TarBuilder<Vec<u8>> {
    fn default() -> Self {
        TarBuilder::new()
    }
}

impl<W: Write> TarBuilder<W> {
    /// An empty archive written into `sink` as it grows, compressed as `compression` says.
    ///
    /// # Errors
    ///
    /// [`TarError::InvalidLevel`] for a gzip level above 9.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::{Attrs, Compression, TarBuilder, TarReader};
    ///
    /// // Any `Write` will do; a Vec stands in for a socket here.
    /// let mut tar = TarBuilder::on_sink(Vec::new(), Compression::None)?;
    /// tar.add_bytes("a.txt", b"alpha", Attrs::default())?;
    /// let sent: Vec<u8> = tar.finish_sink()?;
    /// let mut reader = TarReader::new(&sent[..])?;
    /// assert_eq!(reader.next_entry()?.unwrap().read_to_bytes()?, &b"alpha"[..]);
    ///
    /// assert!(TarBuilder::on_sink(Vec::new(), Compression::Gzip(10)).is_err());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn on_sink(sink: W, compression: Compression) -> io::Result<TarBuilder<W>> {
        let sink = match compression {
            Compression::None => Sink::Plain(sink),
            Compression::Gzip(level @ 0..=9) => Sink::Gzip(Box::new(GzEncoder::new(
                sink,
                flate2::Compression::new(level),
            ))),
            Compression::Gzip(level) => return Err(TarError::InvalidLevel(level).into()),
        };
        Ok(TarBuilder::with_sink(sink))
    }

    fn with_sink(sink: Sink<W>) -> TarBuilder<W> {
        TarBuilder {
            sink,
            format: Format::default(),
            names: HashSet::new(),
            position: 0,
            writing: false,
            poisoned: None,
        }
    }

    /// Writes the headers of the entries added from now on in `format` (default [`Format::Pax`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::{Attrs, Format, TarBuilder};
    ///
    /// let mut tar = TarBuilder::new().format(Format::Gnu);
    /// tar.add_bytes("a.txt", b"a", Attrs::default())?;
    /// let archive = tar.finish()?;
    /// assert_eq!(&archive[257..265], b"ustar  \0"); // the GNU magic
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// The bytes of the uncompressed archive written so far (headers, data and padding).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::{Attrs, TarBuilder};
    ///
    /// let mut tar = TarBuilder::new();
    /// assert_eq!(tar.position(), 0);
    /// tar.add_bytes("a.txt", [7; 600], Attrs::default())?;
    /// assert_eq!(tar.position(), 512 + 1024);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Adds a file named `name` holding `data`.
    ///
    /// # Errors
    ///
    /// [`TarError::UnsafeName`] (kind [`io::ErrorKind::InvalidInput`]) for a name that is not a safe
    /// relative file path or is already in the archive, [`TarError::NameTooLong`] for a name
    /// [`Format::Ustar`] cannot hold, and what the sink reports.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::{Attrs, TarBuilder, TarError};
    ///
    /// let mut tar = TarBuilder::new();
    /// tar.add_bytes("données/été.txt", "chaud\n", Attrs::default())?; // UTF-8 names are fine
    /// let err = tar.add_bytes("../evil.sh", b"", Attrs::default()).unwrap_err();
    /// assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    /// assert!(matches!(TarError::of(&err), Some(TarError::UnsafeName { .. })));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_bytes(
        &mut self,
        name: &str,
        data: impl AsRef<[u8]>,
        attrs: Attrs,
    ) -> io::Result<()> {
        let data = data.as_ref();
        let len = data.len() as u64;
        self.guarded(|tar| {
            tar.header(name, EntryType::Regular, len, attrs)?;
            tar.sink.write_all(data)?;
            tar.pad(len)
        })
    }

    /// Adds a file named `name` holding the next `size` bytes of `reader`, streamed: the entry is
    /// never held in memory. Bytes after the first `size` are left in `reader`.
    ///
    /// # Errors
    ///
    /// As [`add_bytes`](TarBuilder::add_bytes); [`TarError::SizeMismatch`] when `reader` ends before
    /// `size` bytes (the archive is then unusable), and what `reader` reports.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Read;
    /// use strata_tar::{Attrs, TarBuilder, TarError};
    ///
    /// let mut tar = TarBuilder::new();
    /// let zeros = std::io::repeat(0).take(1 << 20); // any `Read`: a file, a socket, a decoder
    /// tar.add_reader("zeros.bin", zeros, 1 << 20, Attrs::default())?;
    /// assert_eq!(tar.finish()?.len(), 512 + (1 << 20) + 1024);
    ///
    /// let mut tar = TarBuilder::new();
    /// let err = tar.add_reader("short.bin", &b"abc"[..], 10, Attrs::default()).unwrap_err();
    /// assert!(matches!(TarError::of(&err), Some(TarError::SizeMismatch { actual: 3, .. })));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_reader(
        &mut self,
        name: &str,
        reader: impl Read,
        size: u64,
        attrs: Attrs,
    ) -> io::Result<()> {
        self.guarded(|tar| {
            tar.header(name, EntryType::Regular, size, attrs)?;
            let copied = io::copy(&mut reader.take(size), &mut tar.sink)?;
            if copied != size {
                let err = TarError::SizeMismatch {
                    name: name.to_owned(),
                    declared: size,
                    actual: copied,
                };
                return Err(err.into());
            }
            tar.pad(size)
        })
    }

    /// Adds a directory entry; `name` may end with `/` or not, the archive's name does.
    ///
    /// # Errors
    ///
    /// As [`add_bytes`](TarBuilder::add_bytes).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::{Attrs, EntryKind, TarBuilder, TarReader};
    ///
    /// let mut tar = TarBuilder::new();
    /// tar.add_dir("a/b", Attrs::default().mode(0o755))?;
    /// let archive = tar.finish()?;
    /// let mut reader = TarReader::new(&archive[..])?;
    /// let entry = reader.next_entry()?.unwrap();
    /// assert_eq!((entry.info().name.as_str(), entry.info().kind), ("a/b/", EntryKind::Directory));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_dir(&mut self, name: &str, attrs: Attrs) -> io::Result<()> {
        let name = format!("{}/", name.strip_suffix('/').unwrap_or(name));
        self.guarded(|tar| tar.header(&name, EntryType::Directory, 0, attrs))
    }

    /// Ends the archive (two zero blocks, then the gzip trailer) and returns the sink.
    ///
    /// # Errors
    ///
    /// What the sink reports.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_tar::{Attrs, Compression, TarBuilder, TarReader};
    ///
    /// let mut out = Vec::new();
    /// out.write_all(b"")?; // the sink may already hold data; nothing is seeked
    /// let mut tar = TarBuilder::on_sink(out, Compression::Gzip(1))?;
    /// tar.add_bytes("a.txt", b"alpha", Attrs::default())?;
    /// let out = tar.finish_sink()?;
    /// let mut reader = TarReader::new(&out[..])?;
    /// assert_eq!(reader.next_entry()?.unwrap().info().name, "a.txt");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish_sink(mut self) -> io::Result<W> {
        self.check_poisoned()?;
        self.sink.write_all(&[0; 2 * BLOCK as usize])?;
        match self.sink {
            Sink::Plain(mut w) => {
                w.flush()?;
                Ok(w)
            }
            Sink::Gzip(gz) => {
                let mut w = gz.finish()?;
                w.flush()?;
                Ok(w)
            }
        }
    }

    /// The earlier failure that left the archive unusable, if any.
    fn check_poisoned(&self) -> io::Result<()> {
        match &self.poisoned {
            Some(cause) => Err(TarError::Poisoned {
                cause: cause.clone(),
            }
            .into()),
            None => Ok(()),
        }
    }

    /// Runs `add`, which writes one entry; when it fails after writing part of it, the builder is
    /// poisoned. A failure before anything is written (a refused name) leaves it usable.
    fn guarded(&mut self, add: impl FnOnce(&mut Self) -> io::Result<()>) -> io::Result<()> {
        self.check_poisoned()?;
        let result = add(self);
        if let Err(err) = &result
            && self.writing
        {
            self.poisoned = Some(err.to_string());
        }
        self.writing = false;
        result
    }

    /// Zero bytes after `len` bytes of data, to the end of its block.
    fn pad(&mut self, len: u64) -> io::Result<()> {
        let pad = padding(len);
        self.sink.write_all(&[0; BLOCK as usize][..pad as usize])?;
        self.position += len + pad;
        Ok(())
    }

    /// Checks `name` and writes the header(s) for an entry of `kind` holding `size` bytes.
    fn header(&mut self, name: &str, kind: EntryType, size: u64, attrs: Attrs) -> io::Result<()> {
        let reason = match unsafe_path_reason(name) {
            None if kind == EntryType::Regular && name.ends_with('/') => {
                Some("a file name cannot end with '/'")
            }
            None if self.names.contains(name) => Some("the name is already in the archive"),
            other => other,
        };
        if let Some(reason) = reason {
            let err = TarError::UnsafeName {
                name: name.to_owned(),
                reason,
            };
            return Err(err.with_kind(io::ErrorKind::InvalidInput));
        }
        let mut header = match self.format {
            Format::Gnu => Header::new_gnu(),
            Format::Ustar | Format::Pax => Header::new_ustar(),
        };
        let fits = match self.format {
            Format::Gnu => set_name(&mut header, name.as_bytes(), None),
            Format::Ustar => set_name(&mut header, name.as_bytes(), Some(name)),
            Format::Pax => name.is_ascii() && set_name(&mut header, name.as_bytes(), Some(name)),
        };
        if !fits {
            match self.format {
                Format::Ustar => {
                    let err = TarError::NameTooLong {
                        len: name.len() as u64,
                        limit: 256,
                    };
                    return Err(err.with_kind(io::ErrorKind::InvalidInput));
                }
                Format::Gnu => {
                    let mut record = name.as_bytes().to_vec();
                    record.push(0);
                    self.record(Header::new_gnu(), b'L', &record)?;
                }
                Format::Pax => self.record(Header::new_ustar(), b'x', &pax_record("path", name))?,
            }
            // The header keeps what fits of the name, cut at a character boundary, for old readers.
            let mut cut = name.len().min(100);
            while !name.is_char_boundary(cut) {
                cut -= 1;
            }
            set_name(&mut header, &name.as_bytes()[..cut], None);
        }
        header.set_entry_type(kind);
        header.set_size(size);
        header.set_mode(attrs.mode);
        header.set_mtime(attrs.mtime);
        header.set_uid(0);
        header.set_gid(0);
        header.set_cksum();
        // From here on (or from a record written above), a failure leaves part of the entry written.
        self.writing = true;
        self.sink.write_all(header.as_bytes())?;
        self.position += BLOCK;
        self.names.insert(name.to_owned());
        Ok(())
    }

    /// Writes a metadata entry of type `kind` (a GNU long name, a pax header) holding `data`.
    fn record(&mut self, mut header: Header, kind: u8, data: &[u8]) -> io::Result<()> {
        set_name(&mut header, b"././@LongLink", None);
        header.set_entry_type(EntryType::new(kind));
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        header.set_cksum();
        self.writing = true;
        self.sink.write_all(header.as_bytes())?;
        self.position += BLOCK;
        self.sink.write_all(data)?;
        self.pad(data.len() as u64)
    }
}

/// Stores `name` in the header's name field, or, when `split` is given and the header is ustar,
/// across its prefix and name fields (split at a `/`). Returns whether it fit.
fn set_name(header: &mut Header, name: &[u8], split: Option<&str>) -> bool {
    if name.len() <= 100 {
        header.as_old_mut().name[..name.len()].copy_from_slice(name);
        return true;
    }
    let (Some(full), Some(ustar)) = (split, header.as_ustar_mut()) else {
        return false;
    };
    // The prefix takes at most 155 bytes, the rest at most 100, and the `/` between them is implied.
    let fits = full.match_indices('/').map(|(at, _)| at).find(|&at| {
        at <= ustar.prefix.len() && full.len() - at - 1 <= ustar.name.len() && at + 1 < full.len()
    });
    let Some(at) = fits else {
        return false;
    };
    ustar.prefix[..at].copy_from_slice(&name[..at]);
    ustar.name[..full.len() - at - 1].copy_from_slice(&name[at + 1..]);
    true
}

/// One pax record, `"<len> <key>=<value>\n"`, where `<len>` counts the whole record, itself included.
fn pax_record(key: &str, value: &str) -> Vec<u8> {
    let body = key.len() + value.len() + 3; // ' ', '=', '\n'
    let mut len = body + 1;
    while len != body + len.to_string().len() {
        len = body + len.to_string().len();
    }
    format!("{len} {key}={value}\n").into_bytes()
}

/// Each input is a regular file: its name, its data and its attributes, added with
/// [`TarBuilder::add_bytes`]; finishing writes the end-of-archive blocks (and the gzip trailer).
/// Feature `stream`.
///
/// # Examples
///
/// ```
/// use std::pin::pin;
/// use std::task::{Context, Poll, Waker};
/// use futures_util::{stream, StreamExt};
/// use strata_buffered::{ChunkSink, EncoderStream};
/// use strata_tar::{Attrs, Compression, TarBuilder, TarReader};
///
/// let sink = ChunkSink::new();
/// let tar = TarBuilder::on_sink(sink.clone(), Compression::None)?;
/// let files = vec![("000001.json", b"{}".to_vec(), Attrs::default())];
/// let mut body = pin!(EncoderStream::new(tar, sink, stream::iter(files.into_iter().map(Ok))));
///
/// let mut cx = Context::from_waker(Waker::noop());
/// let mut sent = Vec::new();
/// while let Poll::Ready(Some(chunk)) = body.poll_next_unpin(&mut cx) {
///     sent.extend_from_slice(&chunk?);
/// }
/// let mut reader = TarReader::new(&sent[..])?;
/// let entry = reader.next_entry()?.expect("one entry");
/// assert_eq!(entry.info().name, "000001.json");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "stream")]
impl<W, N, D> strata_buffered::Encode<(N, D, Attrs)> for TarBuilder<W>
where
    W: Write,
    N: AsRef<str>,
    D: AsRef<[u8]>,
{
    fn encode(&mut self, (name, data, attrs): (N, D, Attrs)) -> io::Result<()> {
        self.add_bytes(name.as_ref(), data, attrs)
    }

    fn finish(self) -> io::Result<()> {
        self.finish_sink().map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::pax_record;

    #[test]
    fn pax_records_count_their_own_length() {
        for value_len in [
            0, 1, 5, 6, 7, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 994, 995, 996,
        ] {
            let record = pax_record("path", &"v".repeat(value_len));
            let (len, _) = std::str::from_utf8(&record)
                .unwrap()
                .split_once(' ')
                .unwrap();
            assert_eq!(len.parse::<usize>().unwrap(), record.len(), "{value_len}");
        }
    }
}
