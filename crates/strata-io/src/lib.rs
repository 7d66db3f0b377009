//! `strata-io`: the whole of Strata behind one dependency, Python's `io` module for Rust, each layer
//! behind a cargo feature.
//!
//! Every crate is re-exported as a module of the same name; [`prelude`] brings every trait needed to
//! call their methods into scope at once.
//!
//! | feature | module | what it gives |
//! |---|---|---|
//! | *(always)* | [`raw`] | `IoBase`, the error model (`Error`), `FileIo`, `StdRaw`: Python's `IOBase`/`RawIOBase` |
//! | *(always)* | [`buffered`] | `BytesIO`, `BufferedReader`, `BufferedWriter`, `BufferedRandom`, `BufferedRWPair` |
//! | `text` | `text` | `StringIO`, `TextIOWrapper`, encodings, universal newlines |
//! | `pipe` | `pipe` | a bounded byte pipe between threads with a policy for when it is full |
//! | `spool` | `spool` | `SpooledIO` (spill to disk), `MmapIO`, `read_via_path`/`write_via_path` for path-only APIs |
//! | `wav` | `wav` | PCM samples to WAV bytes and back, chunked and open-ended streams |
//! | `png` | `png` | pixels or an `image::DynamicImage` to PNG bytes, decoding under limits |
//! | `zip` | `zip` | ZIP archives built in memory or streamed, read back safely |
//! | `tar` | `tar` | TAR and tar.gz streamed to and from any stream, dataset shards (WebDataset) |
//! | `object` | `object` | seekable reads and multipart uploads on S3, the file system or memory (`object_store`) |
//! | `full` | all of the above | |
//!
//! The default features are the two layers every other crate stands on (`raw` and `buffered`), so a
//! dependency on `strata-io` alone costs nothing beyond `bytes`:
//!
//! ```toml
//! [dependencies]
//! strata-io = { version = "0.1", features = ["zip", "png"] }
//! ```
//!
//! # Example
//!
//! ```
//! use strata_io::buffered::BytesIO;
//! use strata_io::prelude::*;
//!
//! // A file in memory, for any API that wants `Write + Seek`…
//! let mut f = BytesIO::new();
//! f.write_all(b"hello, world!\n")?;
//! f.seek(SeekFrom::Start(7))?;
//! f.write_all(b"strata")?;
//! // …and its bytes, without a copy.
//! assert_eq!(f.getvalue()?, "hello, strata\n");
//!
//! // Python's errors, with Python's words.
//! f.close()?;
//! let err = f.tell().unwrap_err();
//! assert!(matches!(strata_io::raw::Error::of(&err), Some(strata_io::raw::Error::Closed { .. })));
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! With the `zip` and `png` features, a picture goes into an archive without touching the disk:
//!
//! ```
//! # #[cfg(all(feature = "zip", feature = "png"))]
//! # {
//! use strata_io::png::{PixelFormat, Pixels, PngEncoder};
//! use strata_io::zip::{Compression, ZipBuilder, ZipReader};
//!
//! let pixels = Pixels::new(&[0, 64, 128, 255], 2, 2, PixelFormat::Gray8)?;
//! let png = PngEncoder::new().encode(&pixels)?;
//! let mut zip = ZipBuilder::new();
//! zip.add_bytes("pixels.png", &png, Compression::Stored)?;
//! let archive = zip.finish()?;
//! assert_eq!(ZipReader::new(archive)?.read("pixels.png")?, png);
//! # }
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The `demo` example (`cargo xtask demo`) runs the whole chain: a tone to WAV, its waveform to PNG,
//! both and a manifest to ZIP, a few such samples to a dataset shard (TAR), everything read back and
//! verified before anything is written to disk.
#![forbid(unsafe_code)]
#![cfg_attr(not(test), warn(clippy::unwrap_used))]

pub use strata_buffered as buffered;
#[cfg(feature = "object")]
pub use strata_object as object;
#[cfg(feature = "pipe")]
pub use strata_pipe as pipe;
#[cfg(feature = "png")]
pub use strata_png as png;
pub use strata_raw as raw;
#[cfg(feature = "spool")]
pub use strata_spool as spool;
#[cfg(feature = "tar")]
pub use strata_tar as tar;
#[cfg(feature = "text")]
pub use strata_text as text;
#[cfg(feature = "wav")]
pub use strata_wav as wav;
#[cfg(feature = "zip")]
pub use strata_zip as zip;

/// Every trait needed to call the methods of every enabled crate: the union of their preludes.
///
/// ```
/// use strata_io::prelude::*;
/// ```
#[allow(
    unused_imports,
    reason = "the preludes overlap (each holds strata-raw's), so some globs add nothing today; all are \
              kept so that a trait a crate adds to its prelude reaches this one"
)]
pub mod prelude {
    pub use strata_buffered::prelude::*;
    #[cfg(feature = "object")]
    pub use strata_object::prelude::*;
    #[cfg(feature = "pipe")]
    pub use strata_pipe::prelude::*;
    #[cfg(feature = "png")]
    pub use strata_png::prelude::*;
    pub use strata_raw::prelude::*;
    #[cfg(feature = "spool")]
    pub use strata_spool::prelude::*;
    #[cfg(feature = "tar")]
    pub use strata_tar::prelude::*;
    #[cfg(feature = "text")]
    pub use strata_text::prelude::*;
    #[cfg(feature = "wav")]
    pub use strata_wav::prelude::*;
    #[cfg(feature = "zip")]
    pub use strata_zip::prelude::*;
}

/// The README's example, compiled and run as a doctest so that it stays true.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeExample;
