//! `strata-raw`: the bottom layer of Strata, Python's `IOBase` and `RawIOBase` for Rust.
//!
//! Every Strata stream, in every layer, implements [`IoBase`] (capabilities and the close protocol)
//! beside the `std::io` traits that fit it. This crate also holds:
//!
//! - the **error model** of the whole workspace: [`std::io::Error`] everywhere, carrying a typed
//!   [`Error`] with CPython's wording, which callers recover with [`Error::of`];
//! - [`RawIoBase`], Python's `RawIOBase`: `readinto`, `read_bytes` and `readall`, derived once from
//!   [`std::io::Read`] for every raw stream;
//! - Python's line and seek arithmetic, written once for every byte stream: [`seek_target`],
//!   [`line_len`], [`readline_into`] and [`readlines`];
//! - [`FileIo`], Python's `io.FileIO`, opened with Python's mode strings;
//! - [`StdRaw`], which turns any `std::io` stream into a raw stream the upper layers can stack on.
//!
//! A raw stream is unbuffered: `Read::read` is Python's `readinto` and may be short, `Ok(0)` is end of
//! file, [`std::io::ErrorKind::WouldBlock`] means "no data right now", and `Write::write` may be short.
//!
//! # Example
//!
//! ```
//! use std::io::{Seek, SeekFrom, Write};
//! use strata_raw::prelude::*;
//! use strata_raw::{Error, FileIo};
//!
//! let dir = std::env::temp_dir().join(format!("strata-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let mut f = FileIo::open(dir.join("log.bin"), "w+b")?;
//! f.write_all(b"first line\n")?;
//! f.seek(SeekFrom::Start(0))?;
//! assert_eq!(f.read_bytes(Some(5))?, b"first");
//! f.close()?;
//!
//! let err = f.read_bytes(None).unwrap_err();
//! assert!(matches!(Error::of(&err), Some(Error::Closed { .. })));
//! assert_eq!(err.to_string(), "I/O operation on closed file.");
//! std::fs::remove_dir_all(&dir)?;
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(not(test), warn(clippy::unwrap_used))]

mod bridge;
mod error;
mod file;
mod iobase;
mod lines;
mod path;

pub use crate::bridge::{Caps, StdRaw};
pub use crate::error::{Error, ensure_open, unsupported};
pub use crate::file::{FileIo, Mode};
pub use crate::iobase::{IoBase, RawIoBase, checked_len, write_all_counted};
pub use crate::lines::{Lines, line_len, readline_into, readlines, seek_target};
pub use crate::path::{ABSOLUTE_PATH, unsafe_path_reason};

/// The traits a user needs to call every method of this crate's streams.
///
/// ```
/// use strata_raw::prelude::*;
/// ```
pub mod prelude {
    pub use crate::iobase::{IoBase, RawIoBase};
    pub use std::io::{BufRead, Read, Seek, SeekFrom, Write};
}
