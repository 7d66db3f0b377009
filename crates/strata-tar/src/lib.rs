//! `strata-tar`: TAR and tar.gz archives built and read as streams, on the `tar` crate's header
//! codec with pure-Rust gzip (`flate2` on zlib-rs), and dataset shards in the WebDataset layout.
//!
//! - [`TarBuilder`] writes an archive entry by entry, from bytes or from a reader of known size, into
//!   memory ([`TarBuilder::finish`] returns [`bytes::Bytes`]) or into any `Write`, seekable or not;
//!   gzip is optional. The default [`Attrs`] (mode `0o644`, mtime 0, owner 0) make it reproducible.
//! - [`TarReader`] reads an archive from any `Read` (a file, a pipe, a socket, an object being
//!   downloaded) without seeking, one [`Entry`] (a `Read`) at a time; gzip is recognised by its magic
//!   bytes; ustar, pax and GNU long names are understood. [`Limits`] bound entry size, total size,
//!   entry count, name length and pax header size, checked on the declared sizes before anything is
//!   allocated. [`TarReader::extract`] refuses names and links that leave the target directory,
//!   device files and overwrites.
//! - [`ShardWriter`] writes [`Sample`]s (a key and its files by extension) into `NAME-000000.tar`,
//!   `NAME-000001.tar`, … through a [`ShardSink`], rolling at a size or sample-count limit;
//!   [`ShardReader`] streams them back one sample at a time.
//!
//! Every error is an [`std::io::Error`] carrying a [`TarError`] that names the entry concerned.
//!
//! # Example
//!
//! ```
//! use std::io::Read;
//! use strata_tar::{Attrs, Compression, Sample, ShardReader, ShardWriter, TarBuilder, TarReader};
//!
//! // Build a .tar.gz in memory: the same input always gives the same bytes.
//! let build = || -> std::io::Result<bytes::Bytes> {
//!     let mut tar = TarBuilder::on_sink(Vec::new(), Compression::Gzip(6))?;
//!     tar.add_bytes("report.txt", "all good\n".repeat(100), Attrs::default())?;
//!     tar.add_reader("image.png", &[0x89, b'P', b'N', b'G'][..], 4, Attrs::default())?;
//!     tar.finish()
//! };
//! let archive = build()?;
//! assert_eq!(archive, build()?);
//!
//! // Stream it back: any `Read` will do, gzip is detected.
//! let mut reader = TarReader::new(&archive[..])?;
//! let mut report = reader.next_entry()?.expect("an entry");
//! assert_eq!(report.info().name, "report.txt");
//! let mut text = String::new();
//! report.read_to_string(&mut text)?;
//! assert_eq!(text.len(), 900);
//!
//! // Dataset shards: samples in, samples out.
//! let dir = tempfile::tempdir()?;
//! let mut shards = ShardWriter::new("train", |name: &str| std::fs::File::create(dir.path().join(name)));
//! let mut sample = Sample::new("000017");
//! sample.files.insert("wav".into(), vec![0u8; 44].into());
//! sample.files.insert("json".into(), r#"{"label": 3}"#.into());
//! shards.write(&sample)?;
//! assert_eq!(shards.finish()?, ["train-000000.tar"]);
//! let shard = std::fs::File::open(dir.path().join("train-000000.tar"))?;
//! let samples: Vec<Sample> = ShardReader::new(shard)?.collect::<Result<_, _>>()?;
//! assert_eq!(samples, [sample]);
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(not(test), warn(clippy::unwrap_used))]

mod error;
mod name;
mod read;
mod shard;
mod write;

pub use crate::error::TarError;
pub use crate::read::{Entry, EntryInfo, EntryKind, Limits, TarReader};
pub use crate::shard::{Sample, ShardReader, ShardSink, ShardWriter};
pub use crate::write::{Attrs, Compression, Format, TarBuilder};

/// The traits a user needs to call every method of this crate's types.
///
/// ```
/// use strata_tar::prelude::*;
/// ```
pub mod prelude {
    pub use strata_raw::prelude::*;
}
