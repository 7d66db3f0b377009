//! `strata-text`: Python's text layer for Rust — [`StringIO`] and [`TextIOWrapper`].
//!
//! - [`StringIO`] is an in-memory text stream whose positions count code points, with Python's newline
//!   modes.
//! - [`TextIOWrapper`] reads and writes text over any buffered byte stream of `strata-buffered`
//!   ([`BytesIO`](strata_buffered::BytesIO), buffered readers and writers): encodings resolved by
//!   Python's names and aliases (UTF-8, UTF-8-sig, UTF-16/32 in every byte order, latin-1, ASCII, the
//!   single-byte code pages such as cp1252, and the CJK codecs Shift_JIS, EUC-JP, EUC-KR, GBK, GB18030
//!   and Big5), Python's error handlers ([`ErrorHandler`]), universal
//!   newlines across chunk boundaries ([`Newline`]), BOM rules, and opaque `tell`/`seek` cookies that
//!   restore a position exactly.
//!
//! Both implement the text traits [`TextIoBase`] (Python's `TextIOBase` reading side: `read`,
//! `readline`, `readlines`, line iteration) and [`TextWrite`] (`write`, `flush`, `writelines`),
//! [`std::io::Seek`] with Python's restrictions, [`std::fmt::Write`] so that `write!` works, and
//! [`IoBase`](strata_raw::IoBase). `use strata_text::prelude::*;` brings every trait in. Failures
//! about characters are [`TextError`]s; the rest are `strata_raw::Error`s.
//!
//! Where Python and Rust must differ (cookie values, error positions, `surrogateescape`) is listed in
//! `docs/python-parity.md`.
//!
//! # Example
//!
//! ```
//! use std::io::{Seek, SeekFrom};
//! use strata_buffered::BytesIO;
//! use strata_text::prelude::*;
//! use strata_text::{ErrorHandler, Newline, StringIO, TextIOWrapper};
//!
//! // Write text as cp1252 with Windows line endings, into memory.
//! let mut out = TextIOWrapper::builder(BytesIO::new())
//!     .encoding("windows-1252")
//!     .errors(ErrorHandler::Replace)
//!     .newline(Newline::CrLf)
//!     .build()?;
//! out.write("naïve café\n")?;
//! out.write("costs 5€ — or 4Ω\n")?; // Ω is not in cp1252: replaced by '?'
//! let bytes = out.detach()?.getvalue()?;
//! assert_eq!(&bytes[..], b"na\xefve caf\xe9\r\ncosts 5\x80 \x97 or 4?\r\n");
//!
//! // Read it back with universal newlines, line by line.
//! let mut text = TextIOWrapper::builder(BytesIO::from(bytes)).encoding("cp1252").build()?;
//! let lines: Vec<String> = text.lines().collect::<Result<_, _>>()?;
//! assert_eq!(lines, ["naïve café\n", "costs 5€ — or 4?\n"]);
//! text.seek(SeekFrom::Start(0))?;
//! assert_eq!(text.read(Some(5))?, "naïve");
//!
//! // StringIO counts code points.
//! let mut s = StringIO::from("😀 ok");
//! s.seek(SeekFrom::Start(2))?;
//! assert_eq!(s.read(None)?, "ok");
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Python's run-time errors that the types rule out
//!
//! Three of CPython's checks cannot fail here, because the call cannot be written (these examples
//! are compile-fail tests):
//!
//! - an illegal newline value (`ValueError: illegal newline value: '\t'`): [`Newline`] has
//!   exactly Python's five choices;
//!
//! ```compile_fail,E0308
//! let s = strata_text::StringIO::with_newline("", "\t");
//! ```
//!
//! - a negative position (`ValueError: Negative seek position -1`): `SeekFrom::Start` holds a
//!   `u64`;
//!
//! ```compile_fail,E0600
//! use std::io::{Seek, SeekFrom};
//! let mut s = strata_text::StringIO::new();
//! s.seek(SeekFrom::Start(-1));
//! ```
//!
//! - `tell()` during iteration (`OSError: telling position disabled by next() call`): the
//!   iterator borrows the stream.
//!
//! ```compile_fail,E0499
//! use strata_text::prelude::*;
//! let mut s = strata_text::StringIO::from("a\nb\n");
//! for line in s.lines() {
//!     let _ = s.tell();
//! }
//! ```
#![cfg_attr(not(test), warn(clippy::unwrap_used))]

mod codec;
mod error;
mod handler;
mod newline;
mod stringio;
mod textio;
mod traits;
mod utf8;

pub use crate::error::{DetachError, TextError};
pub use crate::handler::ErrorHandler;
pub use crate::newline::{Newline, SeenNewlines};
pub use crate::stringio::StringIO;
pub use crate::textio::{Reconfigure, TextIOWrapper, TextIOWrapperBuilder, lost_on_drop};
pub use crate::traits::{Lines, TextIoBase, TextWrite};

/// The earlier name of [`TextIoBase`].
#[doc(no_inline)]
pub use crate::traits::TextIoBase as TextRead;
/// The earlier home of [`TextIoBase::readlines`] and [`TextIoBase::lines`], now [`TextIoBase`].
#[doc(no_inline)]
pub use crate::traits::TextIoBase as TextReadExt;
/// The earlier home of [`TextWrite::writelines`], now [`TextWrite`].
#[doc(no_inline)]
pub use crate::traits::TextWrite as TextWriteExt;

/// The traits a user needs to call every method of this crate's streams: the text traits,
/// `strata_raw`'s prelude (`IoBase`, the `std::io` traits) and, unnamed, [`std::fmt::Write`] for
/// `write!`.
///
/// ```
/// use strata_text::prelude::*;
/// ```
pub mod prelude {
    pub use crate::traits::{TextIoBase, TextWrite};
    pub use std::fmt::Write as _;
    pub use strata_raw::prelude::*;
}
