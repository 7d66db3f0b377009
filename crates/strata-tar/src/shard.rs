//! Dataset shards in the WebDataset layout: [`ShardWriter`] writes [`Sample`]s into numbered TAR
//! shards, [`ShardReader`] streams them back.
//!
//! A sample is a key and a few files, stored one after another as `KEY.EXTENSION` entries
//! (`000017.wav`, `000017.png`, `000017.json`). The key is the entry's name up to the first dot of its
//! last path component (directories included), the extension the rest (`seg.png` in
//! `a/000017.seg.png`).

use std::collections::{BTreeMap, HashSet};
use std::io::{self, Read, Write};

use bytes::Bytes;

use crate::error::TarError;
use strata_raw::unsafe_path_reason;

use crate::name::split_key;
use crate::read::{EntryKind, Limits, TarReader};
use crate::write::{Attrs, BLOCK, Compression, TarBuilder, padding};

/// One sample: its key and its files, by extension.
///
/// # Examples
///
/// ```
/// use strata_tar::Sample;
///
/// let mut sample = Sample::new("000017");
/// sample.files.insert("json".into(), r#"{"label": 3}"#.into());
/// sample.files.insert("wav".into(), vec![0u8; 44].into());
/// assert_eq!(sample.names(), ["000017.json", "000017.wav"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sample {
    /// The key shared by the sample's files, e.g. `"000017"` or `"train/000017"`.
    pub key: String,
    /// The files, by extension (`"wav"`, `"seg.png"`), in the order they are written.
    pub files: BTreeMap<String, Bytes>,
}

impl Sample {
    /// A sample with key `key` and no files yet.
    ///
    /// # Examples
    ///
    /// ```
    /// let sample = strata_tar::Sample::new("a");
    /// assert!(sample.files.is_empty());
    /// ```
    pub fn new(key: impl Into<String>) -> Sample {
        Sample {
            key: key.into(),
            files: BTreeMap::new(),
        }
    }

    /// The names the files have in a shard: `KEY.EXTENSION`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut sample = strata_tar::Sample::new("x/7");
    /// sample.files.insert("txt".into(), "seven".into());
    /// assert_eq!(sample.names(), ["x/7.txt"]);
    /// ```
    pub fn names(&self) -> Vec<String> {
        self.files
            .keys()
            .map(|extension| format!("{}.{extension}", self.key))
            .collect()
    }
}

/// Where a [`ShardWriter`] puts its shards: something that opens a writer for a shard's name, and
/// completes it once the shard is written.
///
/// Any closure `FnMut(&str) -> io::Result<W>` is one: its writers are flushed and dropped when their
/// shard is complete. Implement the trait when completing a shard needs more (an upload to finish, a
/// file to sync).
///
/// # Examples
///
/// ```
/// use std::fs::File;
/// use std::io::{self, BufWriter};
/// use strata_tar::{Sample, ShardSink, ShardWriter};
///
/// /// Shards as files in a directory, synced to disk when complete.
/// struct Synced(std::path::PathBuf);
///
/// impl ShardSink for Synced {
///     type Writer = BufWriter<File>;
///     fn create(&mut self, name: &str) -> io::Result<Self::Writer> {
///         Ok(BufWriter::new(File::create(self.0.join(name))?))
///     }
///     fn complete(&mut self, _name: &str, writer: Self::Writer) -> io::Result<()> {
///         writer.into_inner().map_err(io::IntoInnerError::into_error)?.sync_all()
///     }
/// }
///
/// let dir = tempfile::tempdir()?;
/// let mut shards = ShardWriter::new("data", Synced(dir.path().to_path_buf()));
/// let mut sample = Sample::new("0");
/// sample.files.insert("txt".into(), "zero".into());
/// shards.write(&sample)?;
/// assert_eq!(shards.finish()?, ["data-000000.tar"]);
/// assert!(dir.path().join("data-000000.tar").exists());
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait ShardSink {
    /// The writer of one shard.
    type Writer: Write;

    /// Opens the shard named `name` (e.g. `"train-000003.tar"`).
    ///
    /// # Errors
    ///
    /// What opening it reports; the [`ShardWriter`] call that needed the shard returns it.
    fn create(&mut self, name: &str) -> io::Result<Self::Writer>;

    /// Completes shard `name` once its archive is written. The default flushes `writer` and drops it.
    ///
    /// # Errors
    ///
    /// What completing it reports.
    fn complete(&mut self, name: &str, mut writer: Self::Writer) -> io::Result<()> {
        let _ = name;
        writer.flush()
    }
}

impl<F, W> ShardSink for F
where
    F: FnMut(&str) -> io::Result<W>,
    W: Write,
{
    type Writer = W;

    fn create(&mut self, name: &str) -> io::Result<W> {
        self(name)
    }
}

/// Writes [`Sample`]s into shards named `NAME-000000.tar`, `NAME-000001.tar`, …, opened from a
/// [`ShardSink`], starting a new shard before a sample that would take the current one past
/// [`max_size`](ShardWriter::max_size) bytes or [`max_samples`](ShardWriter::max_samples) samples.
/// A sample is never split: one larger than `max_size` gets a shard of its own. After an error from
/// the sink, discard the writer: the shard being written may hold part of a sample.
///
/// Files are written in the sample's order with the default [`Attrs`] (so the same samples give the
/// same bytes), in the [`Format::Pax`](crate::Format::Pax) dialect. Keys must be unique, and their
/// last component must hold no dot (it would move the key's end); extensions must not be empty or
/// hold a `/`.
///
/// # Examples
///
/// ```
/// use std::fs::File;
/// use strata_tar::{Sample, ShardReader, ShardWriter};
///
/// let dir = tempfile::tempdir()?;
/// let sink = |name: &str| File::create(dir.path().join(name)); // any `Write`: a file, an upload
/// let mut writer = ShardWriter::new("train", sink).max_samples(2);
/// for i in 0..5 {
///     let mut sample = Sample::new(format!("{i:06}"));
///     sample.files.insert("txt".into(), format!("sample {i}").into());
///     sample.files.insert("cls".into(), i.to_string().into());
///     writer.write(&sample)?;
/// }
/// assert_eq!(writer.finish()?, ["train-000000.tar", "train-000001.tar", "train-000002.tar"]);
///
/// let mut reader = ShardReader::new(File::open(dir.path().join("train-000001.tar"))?)?;
/// let sample = reader.next_sample()?.unwrap();
/// assert_eq!((sample.key.as_str(), &sample.files["txt"][..]), ("000002", &b"sample 2"[..]));
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ShardWriter<S: ShardSink> {
    sink: S,
    name: String,
    max_size: u64,
    max_samples: usize,
    /// The shard being written: its name, its archive, its sample count.
    current: Option<(String, TarBuilder<S::Writer>, usize)>,
    written: Vec<String>,
    keys: HashSet<String>,
    previous: String,
}

impl<S: ShardSink> ShardWriter<S> {
    /// A writer of shards `NAME-000000.tar`, … into `sink`, at most 3 GB and 100 000 samples each
    /// (WebDataset's defaults). Nothing is opened before the first sample.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::ShardWriter;
    ///
    /// let writer = ShardWriter::new("dataset", |_name: &str| Ok(Vec::new()));
    /// assert_eq!(writer.finish()?, Vec::<String>::new()); // no sample, no shard
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(name: impl Into<String>, sink: S) -> ShardWriter<S> {
        ShardWriter {
            sink,
            name: name.into(),
            max_size: 3_000_000_000,
            max_samples: 100_000,
            current: None,
            written: Vec::new(),
            keys: HashSet::new(),
            previous: String::new(),
        }
    }

    /// Starts a new shard before a sample that would take the current one past `bytes` (headers,
    /// data and padding; the 1 KiB end marker comes on top).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::{Sample, ShardWriter};
    ///
    /// let mut writer = ShardWriter::new("d", |_name: &str| Ok(Vec::new())).max_size(4096);
    /// for key in ["a", "b", "c"] {
    ///     let mut sample = Sample::new(key);
    ///     sample.files.insert("bin".into(), vec![0u8; 1500].into()); // 2 KiB in the archive
    ///     writer.write(&sample)?;
    /// }
    /// assert_eq!(writer.finish()?, ["d-000000.tar", "d-000001.tar"]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn max_size(mut self, bytes: u64) -> Self {
        self.max_size = bytes;
        self
    }

    /// Starts a new shard after `count` samples (at least one).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::{Sample, ShardWriter};
    ///
    /// let mut writer = ShardWriter::new("d", |_name: &str| Ok(Vec::new())).max_samples(1);
    /// for key in ["a", "b"] {
    ///     let mut sample = Sample::new(key);
    ///     sample.files.insert("txt".into(), key.to_owned().into());
    ///     writer.write(&sample)?;
    /// }
    /// assert_eq!(writer.finish()?.len(), 2);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn max_samples(mut self, count: usize) -> Self {
        self.max_samples = count.max(1);
        self
    }

    /// Writes `sample` into the current shard, or into a new one when it would pass the limits.
    ///
    /// # Errors
    ///
    /// [`TarError::NotASampleFile`] (kind [`io::ErrorKind::InvalidInput`]) for a sample without
    /// files, a key or extension that would not read back as written, or an unsafe name;
    /// [`TarError::KeyOutOfOrder`] for a key written before; and what the sink reports.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::{Sample, ShardWriter, TarError};
    ///
    /// let mut writer = ShardWriter::new("d", |_name: &str| Ok(Vec::new()));
    /// let mut sample = Sample::new("a.b"); // the dot would end the key early
    /// sample.files.insert("txt".into(), "x".into());
    /// let err = writer.write(&sample).unwrap_err();
    /// assert!(matches!(TarError::of(&err), Some(TarError::NotASampleFile { .. })));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write(&mut self, sample: &Sample) -> io::Result<()> {
        self.check(sample)?;
        let len: u64 = sample
            .names()
            .iter()
            .zip(sample.files.values())
            .map(|(name, data)| entry_len(name, data.len() as u64))
            .sum();
        let full = self.current.as_ref().is_some_and(|(_, tar, count)| {
            *count >= self.max_samples || tar.position().saturating_add(len) > self.max_size
        });
        if full {
            self.complete()?;
        }
        if self.current.is_none() {
            let name = format!("{}-{:06}.tar", self.name, self.written.len());
            let writer = self.sink.create(&name)?;
            let tar = TarBuilder::on_sink(writer, Compression::None)?;
            self.current = Some((name, tar, 0));
        }
        if let Some((_, tar, count)) = &mut self.current {
            for (name, data) in sample.names().iter().zip(sample.files.values()) {
                tar.add_bytes(name, data, Attrs::default())?;
            }
            *count += 1;
        }
        self.keys.insert(sample.key.clone());
        self.previous.clone_from(&sample.key);
        Ok(())
    }

    /// Completes the last shard and returns the names of all shards written, in order.
    ///
    /// # Errors
    ///
    /// What the sink reports.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::{Sample, ShardWriter};
    ///
    /// let mut writer = ShardWriter::new("d", |_name: &str| Ok(Vec::new()));
    /// let mut sample = Sample::new("k");
    /// sample.files.insert("txt".into(), "x".into());
    /// writer.write(&sample)?;
    /// assert_eq!(writer.finish()?, ["d-000000.tar"]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(mut self) -> io::Result<Vec<String>> {
        self.complete()?;
        Ok(self.written)
    }

    /// Completes the last shard and returns the sink, which has seen every shard's name in
    /// [`ShardSink::complete`]: the way to get shards kept in memory back.
    ///
    /// # Errors
    ///
    /// What the sink reports.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io;
    /// use strata_tar::{Sample, ShardReader, ShardSink, ShardWriter};
    ///
    /// /// Shards held in memory.
    /// #[derive(Default)]
    /// struct Memory(Vec<(String, Vec<u8>)>);
    ///
    /// impl ShardSink for Memory {
    ///     type Writer = Vec<u8>;
    ///     fn create(&mut self, _name: &str) -> io::Result<Vec<u8>> {
    ///         Ok(Vec::new())
    ///     }
    ///     fn complete(&mut self, name: &str, writer: Vec<u8>) -> io::Result<()> {
    ///         self.0.push((name.to_owned(), writer));
    ///         Ok(())
    ///     }
    /// }
    ///
    /// let mut writer = ShardWriter::new("d", Memory::default());
    /// let mut sample = Sample::new("k");
    /// sample.files.insert("txt".into(), "x".into());
    /// writer.write(&sample)?;
    /// let Memory(shards) = writer.finish_sink()?;
    /// assert_eq!(shards[0].0, "d-000000.tar");
    /// assert_eq!(ShardReader::new(&shards[0].1[..])?.next_sample()?, Some(sample));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish_sink(mut self) -> io::Result<S> {
        self.complete()?;
        Ok(self.sink)
    }

    /// Ends the current shard, if any, and hands it to the sink.
    fn complete(&mut self) -> io::Result<()> {
        if let Some((name, tar, _)) = self.current.take() {
            let writer = tar.finish_sink()?;
            self.sink.complete(&name, writer)?;
            self.written.push(name);
        }
        Ok(())
    }

    /// Refuses a sample that would not read back as written.
    fn check(&self, sample: &Sample) -> io::Result<()> {
        let refuse = |name: &str, reason| {
            let err = TarError::NotASampleFile {
                name: name.to_owned(),
                reason,
            };
            Err(err.with_kind(io::ErrorKind::InvalidInput))
        };
        if sample.files.is_empty() {
            return refuse(&sample.key, "the sample has no files");
        }
        for (name, extension) in sample.names().iter().zip(sample.files.keys()) {
            if let Some(reason) = unsafe_path_reason(name) {
                return refuse(name, reason);
            }
            if extension.contains('/') {
                return refuse(name, "the extension contains a '/'");
            }
            if split_key(name) != Some((sample.key.as_str(), extension.as_str())) {
                return refuse(name, "the name does not split into this key and extension");
            }
        }
        if self.keys.contains(&sample.key) {
            let err = TarError::KeyOutOfOrder {
                key: sample.key.clone(),
                previous: self.previous.clone(),
            };
            return Err(err.with_kind(io::ErrorKind::InvalidInput));
        }
        Ok(())
    }
}

/// The bytes an entry named `name` holding `len` bytes takes in a pax archive: its header, its padded
/// data, and for a name that is long or not ASCII a pax record of about its length (an estimate).
fn entry_len(name: &str, len: u64) -> u64 {
    let record = if name.len() > 100 || !name.is_ascii() {
        let record = name.len() as u64 + 16;
        BLOCK + record + padding(record)
    } else {
        0
    };
    record + BLOCK + len + padding(len)
}

/// Reads [`Sample`]s from a shard in any `Read`, one sample in memory at a time: the entries of a
/// key are gathered until the next key's first header. Directories are skipped.
///
/// Each file must be a regular file named `KEY.EXTENSION`, a sample's files must be contiguous, an
/// extension may appear once per sample; [`next_shard`](ShardReader::next_shard) continues with the
/// following shard of a set, where the rules hold across shards too (a sample may not continue from
/// one into the next). The keys met are remembered to enforce this.
///
/// # Examples
///
/// ```
/// use strata_tar::{Attrs, ShardReader, TarBuilder, TarError};
///
/// let mut tar = TarBuilder::new();
/// tar.add_bytes("0001.txt", b"one", Attrs::default())?;
/// tar.add_bytes("0001.cls", b"1", Attrs::default())?;
/// tar.add_bytes("0002.txt", b"two", Attrs::default())?;
/// tar.add_bytes("0001.png", b"late", Attrs::default())?; // 0001 again: not contiguous
/// let shard = tar.finish()?;
///
/// let mut reader = ShardReader::new(&shard[..])?;
/// let first = reader.next_sample()?.unwrap();
/// assert_eq!(first.key, "0001");
/// assert_eq!(first.files.keys().collect::<Vec<_>>(), ["cls", "txt"]);
/// assert_eq!(reader.next_sample()?.unwrap().key, "0002");
/// let err = reader.next_sample().unwrap_err();
/// assert!(matches!(TarError::of(&err), Some(TarError::KeyOutOfOrder { .. })));
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ShardReader<R: Read> {
    tar: TarReader<R>,
    /// The key and extension of the next sample's first file, whose data is unread.
    pending: Option<(String, String)>,
    keys: HashSet<String>,
    /// The key of the last sample returned.
    previous: Option<String>,
    /// The last key of the shard before this one, while no sample of this one was returned.
    split: Option<String>,
    done: bool,
}

impl<R: Read> ShardReader<R> {
    /// A reader of the shard in `source`, under the default [`Limits`]; gzip is detected.
    ///
    /// # Errors
    ///
    /// What reading `source` reports.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::ShardReader;
    ///
    /// let empty = strata_tar::TarBuilder::new().finish()?;
    /// assert_eq!(ShardReader::new(&empty[..])?.count(), 0);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(source: R) -> io::Result<ShardReader<R>> {
        ShardReader::with_limits(source, Limits::default())
    }

    /// A reader of the shard in `source` under `limits`; [`Limits::max_entry_size`] bounds each
    /// file held in memory, and [`Limits::max_sample_size`] the files of one sample together.
    ///
    /// # Errors
    ///
    /// What reading `source` reports.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::{Attrs, Limits, ShardReader, TarBuilder, TarError};
    ///
    /// let mut tar = TarBuilder::new();
    /// tar.add_bytes("k.bin", vec![0; 10_000], Attrs::default())?;
    /// let shard = tar.finish()?;
    /// let mut limits = Limits::default();
    /// limits.max_entry_size = 4096;
    /// let err = ShardReader::with_limits(&shard[..], limits)?.next_sample().unwrap_err();
    /// assert!(matches!(TarError::of(&err), Some(TarError::EntryTooLarge { .. })));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_limits(source: R, limits: Limits) -> io::Result<ShardReader<R>> {
        Ok(ShardReader {
            tar: TarReader::with_limits(source, limits)?,
            pending: None,
            keys: HashSet::new(),
            previous: None,
            split: None,
            done: false,
        })
    }

    /// Continues with the next shard of a set, in `source`: its keys must be new, and its first
    /// sample must not be the continuation of this shard's last one.
    ///
    /// # Errors
    ///
    /// What reading `source` reports.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::{Attrs, ShardReader, TarBuilder, TarError};
    ///
    /// let shard = |names: &[&str]| -> std::io::Result<bytes::Bytes> {
    ///     let mut tar = TarBuilder::new();
    ///     for name in names {
    ///         tar.add_bytes(name, b"x", Attrs::default())?;
    ///     }
    ///     tar.finish()
    /// };
    /// let (first, second) = (shard(&["a.txt", "b.txt"])?, shard(&["b.cls", "c.txt"])?);
    /// let mut reader = ShardReader::new(&first[..])?;
    /// assert_eq!(reader.by_ref().count(), 2);
    /// let mut reader = reader.next_shard(&second[..])?;
    /// let err = reader.next_sample().unwrap_err();
    /// assert!(matches!(TarError::of(&err), Some(TarError::SampleSplit { .. })));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_shard(self, source: R) -> io::Result<ShardReader<R>> {
        let limits = *self.tar.limits();
        Ok(ShardReader {
            tar: TarReader::with_limits(source, limits)?,
            pending: None,
            keys: self.keys,
            split: self.previous.clone(),
            previous: self.previous,
            done: false,
        })
    }

    /// The next sample, or `None` at the end of the shard.
    ///
    /// # Errors
    ///
    /// [`TarError::NotASampleFile`], [`TarError::KeyOutOfOrder`], [`TarError::SampleSplit`],
    /// [`TarError::DuplicateFile`], and the errors of [`TarReader::next_entry`]. After an error
    /// the reader returns `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tar::{Attrs, ShardReader, TarBuilder};
    ///
    /// let mut tar = TarBuilder::new();
    /// tar.add_bytes("a/1.jpg", b"jpeg", Attrs::default())?;
    /// tar.add_bytes("a/1.json", b"{}", Attrs::default())?;
    /// let shard = tar.finish()?;
    /// let sample = ShardReader::new(&shard[..])?.next_sample()?.unwrap();
    /// assert_eq!(sample.key, "a/1");
    /// assert_eq!(&sample.files["json"][..], b"{}");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_sample(&mut self) -> io::Result<Option<Sample>> {
        if self.done {
            return Ok(None);
        }
        let result = self.read_sample();
        if !matches!(result, Ok(Some(_))) {
            self.done = true;
        }
        result
    }

    fn read_sample(&mut self) -> io::Result<Option<Sample>> {
        let first = match self.pending.take() {
            Some(first) => first,
            None => match self.next_file()? {
                Some(first) => first,
                None => return Ok(None),
            },
        };
        let (key, extension) = first;
        if self.keys.contains(&key) {
            let err = match self.split.take() {
                Some(last) if last == key => TarError::SampleSplit { key },
                _ => TarError::KeyOutOfOrder {
                    key,
                    previous: self.previous.clone().unwrap_or_default(),
                },
            };
            return Err(err.into());
        }
        self.split = None;
        let mut sample = Sample::new(key);
        let mut held = 0;
        let data = self.sample_file(&sample.key, &mut held)?;
        sample.files.insert(extension, data);
        while let Some((key, extension)) = self.next_file()? {
            if key != sample.key {
                self.pending = Some((key, extension));
                break;
            }
            if sample.files.contains_key(&extension) {
                return Err(TarError::DuplicateFile { key, extension }.into());
            }
            let data = self.sample_file(&sample.key, &mut held)?;
            sample.files.insert(extension, data);
        }
        self.keys.insert(sample.key.clone());
        self.previous = Some(sample.key.clone());
        Ok(Some(sample))
    }

    /// The current file's data, for the sample `key` whose files so far hold `held` bytes: refused
    /// before anything is read when its declared size takes the sample past
    /// [`Limits::max_sample_size`].
    fn sample_file(&mut self, key: &str, held: &mut u64) -> io::Result<Bytes> {
        let limit = self.tar.limits().max_sample_size;
        let (size, name) = self.tar.current();
        *held = held.saturating_add(size);
        if *held > limit {
            let err = TarError::SampleTooLarge {
                key: key.to_owned(),
                name: name.to_owned(),
                limit,
            };
            return Err(err.into());
        }
        self.tar.current_to_bytes()
    }

    /// The key and extension of the next file, its data left unread; directories are skipped.
    fn next_file(&mut self) -> io::Result<Option<(String, String)>> {
        loop {
            let Some(info) = self.tar.advance()? else {
                return Ok(None);
            };
            let reason = match info.kind {
                EntryKind::Directory => continue,
                EntryKind::File => None,
                _ => Some("it is not a regular file"),
            };
            let split = split_key(&info.name);
            let reason = reason.or(split
                .is_none()
                .then_some("the name has no extension after the sample key"));
            if let Some(reason) = reason {
                let err = TarError::NotASampleFile {
                    name: info.name,
                    reason,
                };
                return Err(err.into());
            }
            if let Some((key, extension)) = split {
                return Ok(Some((key.to_owned(), extension.to_owned())));
            }
        }
    }
}

impl<R: Read> Iterator for ShardReader<R> {
    type Item = io::Result<Sample>;

    fn next(&mut self) -> Option<io::Result<Sample>> {
        self.next_sample().transpose()
    }
}
