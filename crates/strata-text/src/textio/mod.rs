//! `TextIOWrapper`: text over a buffered byte stream, with an encoding, an error handler, a newline
//! mode and opaque tell/seek cookies.
//!
//! Reading decodes straight from the inner stream's [`BufRead::fill_buf`] slices: `read(None)` decodes
//! whole slices (in cache-sized blocks, each validated and copied once) into the returned `String`;
//! `read(n)` and `readline` decode up to [`CHUNK`] bytes at a time into a buffer of decoded text.
//! The bytes of that chunk (and of any earlier chunk that ended inside a character) are kept as the
//! *snapshot*, so that `tell` can find the byte offset of the current character by decoding them again
//! from the nearest clean point (recorded every 256 bytes while decoding), one byte at a time (see
//! [`cookie`] for the cookie layout). UTF-8 lines without a lone `\r` skip all of this: `readline`
//! reads them with `BufRead::read_until`, and `tell` is then the inner stream's position.
//!
//! Writing encodes each `write` and passes the bytes to the inner stream at once: the inner stream is
//! already buffered, so the wrapper keeps no pending bytes of its own and `tell` needs no flush
//! (`write_through` therefore changes nothing; `line_buffering` flushes the inner stream after a
//! write holding `\n` or `\r`). The one exception is a fault: when the inner stream fails part-way
//! through a write, the write succeeds (some of it went down) and the rest waits in the wrapper until
//! the next `write` or `flush` (see the `core` module); `close` tries to pass it down before closing
//! the inner stream, `detach` refuses while it waits, and dropping the wrapper tries once and counts
//! what it could not pass in [`lost_on_drop`].

//!
//! The state and every decision that does not touch the inner stream live in the non-generic
//! [`core::Core`]; the generic `TextIOWrapper<B>` only moves bytes between `B` and it.

mod cookie;
mod core;

use std::cell::Cell;
use std::fmt;
use std::io::{self, BufRead, Seek, SeekFrom, Write};

use strata_raw::{IoBase, ensure_open, unsupported};

#[cfg(doc)]
use crate::TextError;
use crate::error::DetachError;
use crate::handler::ErrorHandler;
use crate::newline::{Newline, SeenNewlines};
use crate::traits::{TextIoBase, TextWrite, read_lines_into};

use self::core::{CHUNK, Core};

/// Python's `io.TextIOWrapper`: reads and writes text over a buffered byte stream.
///
/// Build one with [`TextIOWrapper::builder`]. The inner stream `B` is any buffered stream of
/// `strata-buffered` ([`BytesIO`](strata_buffered::BytesIO), a buffered reader or writer, …); what the
/// wrapper can do follows from what `B` can do:
///
/// | inner stream | gives |
/// |---|---|
/// | `B: BufRead + IoBase` | [`TextIoBase`]: `read`, `readline`, `readlines`, `lines` |
/// | `B: Write + IoBase` | [`TextWrite`]: `write`, `flush`; `writelines`; `std::fmt::Write` |
/// | `B: Seek + IoBase` | [`tell`](TextIOWrapper::tell), [`Seek`] with Python's restrictions |
///
/// so writing to a read-only stream does not compile, where Python fails at run time.
///
/// - Sizes and limits count code points; `tell` returns an opaque cookie, which only `seek` should
///   interpret; `seek(tell())` restores the position exactly, in every encoding and newline mode.
/// - Universal newlines work across chunk boundaries (a `\r` ending one chunk and the `\n` starting
///   the next count once); incomplete multi-byte sequences fail only at the end of the stream, with
///   the byte offset in the error.
/// - BOM rules follow Python: `utf-8-sig`, `utf-16` and `utf-32` read and drop a leading BOM and write
///   one before the first write at the start of the stream (and again after `seek(0)`).
///
/// # Examples
///
/// ```
/// use std::io::{Seek, SeekFrom};
/// use strata_buffered::BytesIO;
/// use strata_text::prelude::*;
/// use strata_text::{Newline, TextIOWrapper};
///
/// let bytes = BytesIO::from(b"caf\xc3\xa9\r\nline two\rlast".to_vec());
/// let mut text = TextIOWrapper::builder(bytes).encoding("utf-8").newline(Newline::Universal).build()?;
/// assert_eq!(text.readline(None)?, "café\n");
/// let here = text.tell()?;
/// assert_eq!(text.read(None)?, "line two\nlast");
/// text.seek(SeekFrom::Start(here))?;
/// assert_eq!(text.readline(None)?, "line two\n");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct TextIOWrapper<B> {
    /// Dropped by `Drop` after the hook, or taken out by `detach`, which consumes the wrapper
    /// without running `Drop`.
    inner: B,
    core: Core,
    /// Passes what writes left unsent down to the inner stream: set by `write`, where `B: Write` is
    /// known, for `close` and `Drop`, which do not know it.
    send: Option<SendUnsent<B>>,
}

/// [`Core::send_unsent`] for an inner stream type that is known to be writable.
type SendUnsent<B> = fn(&mut Core, &mut B) -> io::Result<()>;

thread_local! {
    /// Bytes that wrappers dropped on this thread could not pass down: [`lost_on_drop`].
    static LOST_ON_DROP: Cell<u64> = const { Cell::new(0) };
}

/// How many bytes `TextIOWrapper`s dropped on this thread could not pass down to their inner stream
/// (Python loses them as silently, but counts nothing).
///
/// The wrapper keeps no bytes of its own, except after a write that the inner stream took only in
/// part: the rest waits in the wrapper for the next `write` or `flush`. A wrapper dropped while such
/// bytes wait cannot pass them down any more (its inner stream is dropped with it, or moved out by
/// `detach`, which refuses while they wait); they are counted here, like
/// `strata_buffered::lost_on_drop` counts what the buffered writers drop. Call
/// [`flush`](TextWrite::flush) or [`close`](IoBase::close) first to pass them down or see the error.
///
/// # Examples
///
/// ```
/// use strata_buffered::BytesIO;
/// use strata_text::prelude::*;
/// use strata_text::TextIOWrapper;
///
/// let before = strata_text::lost_on_drop();
/// let mut text = TextIOWrapper::builder(BytesIO::new()).build()?;
/// text.write("abc")?;
/// drop(text); // nothing was left unsent
/// assert_eq!(strata_text::lost_on_drop(), before);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn lost_on_drop() -> u64 {
    LOST_ON_DROP.with(Cell::get)
}

/// Options for [`TextIOWrapper::builder`]; every option has Python's default.
///
/// # Examples
///
/// ```
/// use strata_buffered::BytesIO;
/// use strata_text::{ErrorHandler, Newline, TextIOWrapper};
///
/// let text = TextIOWrapper::builder(BytesIO::new())
///     .encoding("latin-1")
///     .errors(ErrorHandler::Replace)
///     .newline(Newline::CrLf)
///     .line_buffering(true)
///     .build()?;
/// assert_eq!(text.encoding(), "latin-1");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct TextIOWrapperBuilder<B> {
    inner: B,
    encoding: String,
    errors: ErrorHandler,
    newline: Newline,
    line_buffering: bool,
    write_through: bool,
}

impl<B> TextIOWrapperBuilder<B> {
    /// The encoding, by any name or alias Python accepts (default `"utf-8"`, Python's default in
    /// UTF-8 mode).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::TextIOWrapper;
    ///
    /// let cp1252 = BytesIO::from(b"\x93quoted\x94".to_vec());
    /// let mut text = TextIOWrapper::builder(cp1252).encoding("Windows-1252").build()?;
    /// assert_eq!(text.encoding(), "Windows-1252"); // as given, as in Python
    /// assert_eq!(text.read(None)?, "\u{201c}quoted\u{201d}");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn encoding(mut self, name: &str) -> Self {
        self.encoding = name.to_string();
        self
    }

    /// The error handler (default [`ErrorHandler::Strict`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::{ErrorHandler, TextIOWrapper};
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::from(b"ok \xff".to_vec()))
    ///     .errors(ErrorHandler::BackslashReplace)
    ///     .build()?;
    /// assert_eq!(text.read(None)?, "ok \\xff");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn errors(mut self, errors: ErrorHandler) -> Self {
        self.errors = errors;
        self
    }

    /// The newline mode (default [`Newline::Universal`], Python's `newline=None`).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::{Newline, TextIOWrapper};
    ///
    /// let mut out = TextIOWrapper::builder(BytesIO::new()).newline(Newline::CrLf).build()?;
    /// out.write("a\nb\n")?;
    /// assert_eq!(out.detach()?.getvalue()?, b"a\r\nb\r\n"[..]);
    ///
    /// let bytes = BytesIO::from(b"a\r\nb".to_vec());
    /// let mut text = TextIOWrapper::builder(bytes).newline(Newline::Lf).build()?;
    /// assert_eq!(text.readline(None)?, "a\r\n"); // only `\n` ends a line, nothing is translated
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn newline(mut self, newline: Newline) -> Self {
        self.newline = newline;
        self
    }

    /// Flush the inner stream after every write that holds `\n` or `\r` (default `false`).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::{BufferedWriter, BytesIO};
    /// use strata_text::prelude::*;
    /// use strata_text::{Newline, TextIOWrapper};
    ///
    /// let mut text = TextIOWrapper::builder(BufferedWriter::new(BytesIO::new())?)
    ///     .newline(Newline::Lf)
    ///     .line_buffering(true)
    ///     .build()?;
    /// text.write("no newline yet")?;
    /// assert_eq!(text.get_ref().get_ref().len(), 0); // in the buffer
    /// text.write(" done\n")?;
    /// assert_eq!(text.get_ref().get_ref().len(), 20); // flushed
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn line_buffering(mut self, on: bool) -> Self {
        self.line_buffering = on;
        self
    }

    /// Python's `write_through` (default `false`). Strata always passes written bytes to the inner
    /// stream at once, so the flag is only recorded.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::TextIOWrapper;
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::new()).write_through(true).build()?;
    /// assert!(text.write_through());
    /// text.write("hi")?;
    /// assert_eq!(text.get_ref().len(), 2); // the same without write_through
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_through(mut self, on: bool) -> Self {
        self.write_through = on;
        self
    }

    /// The wrapper.
    ///
    /// # Errors
    ///
    /// [`TextError::UnknownEncoding`] (`"unknown encoding: bogus"`) for an encoding this crate
    /// does not implement.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::TextIOWrapper;
    ///
    /// let err = TextIOWrapper::builder(BytesIO::new()).encoding("bogus").build().unwrap_err();
    /// assert_eq!(err.to_string(), "unknown encoding: bogus");
    /// ```
    pub fn build(self) -> io::Result<TextIOWrapper<B>> {
        let mut core = Core::new(self.encoding, self.errors, self.newline)?;
        core.line_buffering = self.line_buffering;
        core.write_through = self.write_through;
        Ok(TextIOWrapper {
            inner: self.inner,
            core,
            send: None,
        })
    }
}

/// Changes for [`TextIOWrapper::reconfigure`]: only the options set here change.
///
/// # Examples
///
/// ```
/// use strata_text::{ErrorHandler, Reconfigure};
///
/// let changes = Reconfigure::new().encoding("ascii").errors(ErrorHandler::Replace);
/// # let _ = changes;
/// ```
#[derive(Debug, Clone, Default)]
pub struct Reconfigure {
    encoding: Option<String>,
    errors: Option<ErrorHandler>,
    newline: Option<Newline>,
    line_buffering: Option<bool>,
    write_through: Option<bool>,
}

impl Reconfigure {
    /// No changes.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::{Reconfigure, TextIOWrapper};
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::new()).encoding("latin-1").build()?;
    /// text.reconfigure(Reconfigure::new())?;
    /// assert_eq!(text.encoding(), "latin-1");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new() -> Reconfigure {
        Reconfigure::default()
    }

    /// A new encoding; unless [`errors`](Reconfigure::errors) is also given, the handler becomes
    /// [`ErrorHandler::Strict`], as in Python.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::{Reconfigure, TextIOWrapper};
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::new()).build()?;
    /// text.write("a")?;
    /// text.reconfigure(Reconfigure::new().encoding("latin-1"))?;
    /// text.write("é")?;
    /// assert_eq!(text.encoding(), "latin-1");
    /// assert_eq!(text.detach()?.getvalue()?, b"a\xe9"[..]);
    ///
    /// // Text decoded ahead by `read(n)` pins the encoding, as in Python.
    /// let mut text = TextIOWrapper::builder(BytesIO::from(b"a\nb\n".to_vec())).build()?;
    /// text.read(Some(1))?;
    /// let err = text.reconfigure(Reconfigure::new().encoding("latin-1")).unwrap_err();
    /// assert_eq!(err.kind(), std::io::ErrorKind::Unsupported);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn encoding(mut self, name: &str) -> Self {
        self.encoding = Some(name.to_string());
        self
    }

    /// A new error handler.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::{ErrorHandler, Reconfigure, TextIOWrapper};
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::new()).encoding("ascii").build()?;
    /// assert!(text.write("é").is_err());
    /// text.reconfigure(Reconfigure::new().errors(ErrorHandler::Replace))?;
    /// text.write("é")?;
    /// assert_eq!(text.encoding(), "ascii"); // unchanged
    /// assert_eq!(text.detach()?.getvalue()?, b"?"[..]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn errors(mut self, errors: ErrorHandler) -> Self {
        self.errors = Some(errors);
        self
    }

    /// A new newline mode.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::{Newline, Reconfigure, TextIOWrapper};
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::new()).newline(Newline::Lf).build()?;
    /// text.write("a\n")?;
    /// text.reconfigure(Reconfigure::new().newline(Newline::CrLf))?;
    /// text.write("b\n")?;
    /// assert_eq!(text.detach()?.getvalue()?, b"a\nb\r\n"[..]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn newline(mut self, newline: Newline) -> Self {
        self.newline = Some(newline);
        self
    }

    /// A new `line_buffering` flag.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::{Reconfigure, TextIOWrapper};
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::new()).build()?;
    /// assert!(!text.line_buffering());
    /// text.reconfigure(Reconfigure::new().line_buffering(true))?;
    /// assert!(text.line_buffering());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn line_buffering(mut self, on: bool) -> Self {
        self.line_buffering = Some(on);
        self
    }

    /// A new `write_through` flag.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::{Reconfigure, TextIOWrapper};
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::new()).build()?;
    /// text.reconfigure(Reconfigure::new().write_through(true))?;
    /// assert!(text.write_through());
    /// assert!(!text.line_buffering()); // options not given stay as they were
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_through(mut self, on: bool) -> Self {
        self.write_through = Some(on);
        self
    }
}

impl<B> TextIOWrapper<B> {
    /// Starts building a wrapper around `inner`.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::TextIOWrapper;
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::from(b"\xff\xfeh\x00i\x00".to_vec()))
    ///     .encoding("utf-16")
    ///     .build()?;
    /// assert_eq!(text.read(None)?, "hi");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder(inner: B) -> TextIOWrapperBuilder<B> {
        TextIOWrapperBuilder {
            inner,
            encoding: "utf-8".to_string(),
            errors: ErrorHandler::Strict,
            newline: Newline::Universal,
            line_buffering: false,
            write_through: false,
        }
    }

    /// The encoding name as given to the builder or to `reconfigure` (Python's `encoding`).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::{Reconfigure, TextIOWrapper};
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::new()).build()?;
    /// assert_eq!(text.encoding(), "utf-8"); // the default
    /// text.reconfigure(Reconfigure::new().encoding("UTF16"))?;
    /// assert_eq!(text.encoding(), "UTF16"); // not normalised, as in Python
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn encoding(&self) -> &str {
        &self.core.encoding
    }

    /// The error handler (Python's `errors`).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::{ErrorHandler, TextIOWrapper};
    ///
    /// let text = TextIOWrapper::builder(BytesIO::new()).build()?;
    /// assert_eq!(text.errors(), ErrorHandler::Strict);
    /// assert_eq!(text.errors().name(), "strict");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn errors(&self) -> ErrorHandler {
        self.core.errors
    }

    /// Whether writes holding `\n` or `\r` flush the inner stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::TextIOWrapper;
    ///
    /// let text = TextIOWrapper::builder(BytesIO::new()).line_buffering(true).build()?;
    /// assert!(text.line_buffering());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn line_buffering(&self) -> bool {
        self.core.line_buffering
    }

    /// Python's `write_through` flag, as set (it changes nothing here: see the type's docs).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::TextIOWrapper;
    ///
    /// let text = TextIOWrapper::builder(BytesIO::new()).build()?;
    /// assert!(!text.write_through());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_through(&self) -> bool {
        self.core.write_through
    }

    /// The kinds of line ending read so far under [`Newline::Universal`] and [`Newline::Untranslated`]
    /// (Python's `newlines`); `None` before the first and under the other modes.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::TextIOWrapper;
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::from(b"a\r\nb\n".to_vec())).build()?;
    /// text.read(None)?;
    /// assert_eq!(text.newlines().map(|n| n.as_slice()), Some(&["\n", "\r\n"][..]));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn newlines(&self) -> Option<SeenNewlines> {
        self.core.newlines()
    }

    /// The inner stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::TextIOWrapper;
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::new()).encoding("utf-16-le").build()?;
    /// text.write("hi")?;
    /// assert_eq!(text.get_ref().len(), 4); // bytes, not code points
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_ref(&self) -> &B {
        &self.inner
    }

    /// The inner stream, mutably. Reading or seeking through it desynchronises the wrapper's decoded
    /// text; writing through it bypasses encoding.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::TextIOWrapper;
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::new()).encoding("utf-16-le").build()?;
    /// text.write("a")?;
    /// text.get_mut().write_all(b"!")?; // a raw byte, not encoded
    /// assert_eq!(text.get_mut().getvalue()?, b"a\x00!"[..]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_mut(&mut self) -> &mut B {
        &mut self.inner
    }
}

impl<B: IoBase> TextIOWrapper<B> {
    /// Applies `changes` (Python's `reconfigure`).
    ///
    /// # Errors
    ///
    /// The closed-file error once closed; [`io::ErrorKind::Unsupported`] ("It is not possible to set
    /// the encoding or newline of stream after the first read") when text decoded by `read(n)` or
    /// `readline` is pending and the encoding, errors or newline would change;
    /// [`TextError::UnknownEncoding`] for an unknown encoding.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::{ErrorHandler, Reconfigure, TextIOWrapper};
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::new()).errors(ErrorHandler::Replace).build()?;
    /// text.reconfigure(Reconfigure::new().encoding("ascii"))?;
    /// assert_eq!(text.errors(), ErrorHandler::Strict); // a new encoding resets errors
    /// assert!(text.write("é").is_err());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reconfigure(&mut self, changes: Reconfigure) -> io::Result<()> {
        ensure_open(self.inner.closed())?;
        self.core.reconfigure(changes)
    }

    /// Gives the inner stream back (Python's `detach`). Nothing is flushed: data the inner stream
    /// buffers stays in it.
    ///
    /// # Errors
    ///
    /// A [`DetachError`] holding the wrapper intact, with the closed-file error when the inner stream
    /// is closed, or [`io::ErrorKind::ResourceBusy`] while a write that the inner stream took only in
    /// part left bytes in the wrapper: [`flush`](TextWrite::flush) them down, then detach again.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::TextIOWrapper;
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::new()).encoding("utf-16-be").build()?;
    /// text.write("hi")?;
    /// let mut bytes = text.detach()?;
    /// assert_eq!(bytes.getvalue()?, b"\x00h\x00i"[..]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn detach(self) -> Result<B, DetachError<Self>> {
        match ensure_open(self.inner.closed()).and_then(|()| self.core.check_sent()) {
            Ok(()) => Ok(self.inner),
            Err(err) => Err(DetachError::new(self, err)),
        }
    }

    fn check_readable(&self) -> io::Result<()> {
        ensure_open(self.inner.closed())?;
        self.core.check_sent()?;
        if self.inner.readable()? {
            Ok(())
        } else {
            Err(unsupported("not readable"))
        }
    }

    fn check_seekable(&self) -> io::Result<()> {
        ensure_open(self.inner.closed())?;
        if self.inner.seekable()? {
            Ok(())
        } else {
            Err(unsupported("underlying stream is not seekable"))
        }
    }
}

/// `inner.fill_buf()`, retrying interruptions. (The slice is taken by a second call: a borrow returned
/// from inside the retry loop would outlive the loop.)
fn fill<B: BufRead>(inner: &mut B) -> io::Result<&[u8]> {
    loop {
        match inner.fill_buf() {
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
            Ok(_) => break,
        }
    }
    inner.fill_buf()
}

impl<B: BufRead + IoBase> TextIOWrapper<B> {
    /// Decodes the next chunk of at most [`CHUNK`] bytes; `false` at the end of the stream (the
    /// decoder's final output may still be waiting then).
    fn read_chunk(&mut self) -> io::Result<bool> {
        let buf = fill(&mut self.inner)?;
        let n = buf.len().min(CHUNK);
        let result = self.core.decode_chunk(&buf[..n]);
        // The bytes are consumed even when they fail to decode, as in CPython.
        self.inner.consume(n);
        result.map(|()| n > 0)
    }

    /// Decodes until a pending skip (from seeking to a cookie) is used up.
    fn settle_skip(&mut self) -> io::Result<()> {
        while self.core.skip_pending() {
            if !self.read_chunk()? && self.core.skip_pending() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "can't restore logical file position",
                ));
            }
        }
        Ok(())
    }

    /// `read(None)`: decodes everything left straight into the result.
    fn read_to_end(&mut self) -> io::Result<String> {
        let mut out = self.core.take_rest();
        loop {
            let buf = match fill(&mut self.inner) {
                Ok(buf) => buf,
                Err(err) => {
                    // What was decoded so far waits for the next read.
                    self.core.give_back_untracked(&out);
                    return Err(err);
                }
            };
            let n = buf.len();
            let result = self.core.decode_into(buf, &mut out);
            self.inner.consume(n);
            if let Err(err) = result {
                // As for a failed `read(n)`: the text decoded before the error comes next.
                self.core.give_back_untracked(&out);
                return Err(err);
            }
            if n == 0 {
                self.core.finish_read_to_end();
                return Ok(out);
            }
        }
    }
}

impl<B: BufRead + IoBase> TextIoBase for TextIOWrapper<B> {
    /// Reads `size` code points (fewer only at the end), or everything when `None`.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed; [`io::ErrorKind::Unsupported`] (`"not readable"`) when the
    /// inner stream is not readable; [`TextError::Decode`] under the `strict` handler (an
    /// incomplete sequence only at the end of the stream); the inner stream's errors. A read that fails
    /// takes nothing: the text it had taken comes first at the next read.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::TextIOWrapper;
    ///
    /// let bytes = BytesIO::from(b"\xfe\xff\x00h\x00\xe9\xd8\x3d\xde\x00\x00!".to_vec());
    /// let mut text = TextIOWrapper::builder(bytes).encoding("utf-16").build()?;
    /// assert_eq!(text.read(Some(3))?, "hé😀"); // the BOM is dropped
    /// assert_eq!(text.read(None)?, "!");
    ///
    /// let mut bad = TextIOWrapper::builder(BytesIO::from(b"ab\xc3".to_vec())).build()?;
    /// let err = bad.read(None).unwrap_err(); // incomplete at the end of the stream
    /// assert!(err.to_string().contains("can't decode byte 0xc3 in position 2"));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn read(&mut self, size: Option<usize>) -> io::Result<String> {
        self.check_readable()?;
        self.settle_skip()?;
        let Some(mut remaining) = size else {
            return self.read_to_end();
        };
        self.core.begin_read();
        let mut out = String::new();
        while remaining > 0 {
            remaining -= self.core.take(remaining, &mut out);
            if remaining == 0 {
                break;
            }
            match self.read_chunk() {
                Ok(more) if !more && self.core.exhausted() => break,
                Ok(_) => {}
                Err(err) => {
                    // A read that fails takes nothing: the next one returns this text first.
                    self.core.give_back(&out);
                    return Err(err);
                }
            }
        }
        Ok(out)
    }

    /// Reads one line (ending included) or at most `limit` code points of it.
    ///
    /// # Errors
    ///
    /// As for [`read`](TextIOWrapper::read).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::TextIOWrapper;
    ///
    /// let bytes = BytesIO::from(b"one\r\ntwo\rthree".to_vec());
    /// let mut text = TextIOWrapper::builder(bytes).encoding("latin-1").build()?;
    /// assert_eq!(text.readline(None)?, "one\n"); // universal newlines by default
    /// assert_eq!(text.readline(Some(2))?, "tw");
    /// assert_eq!(text.readline(None)?, "o\n");
    /// assert_eq!(text.readline(None)?, "three");
    /// assert_eq!(text.readline(None)?, "");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn readline(&mut self, limit: Option<usize>) -> io::Result<String> {
        self.check_readable()?;
        self.settle_skip()?;
        self.core.begin_read();
        if self.core.direct_line(limit) {
            let mut bytes = Vec::new();
            loop {
                match self.inner.read_until(b'\n', &mut bytes) {
                    Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                    Err(err) => {
                        // The bytes read so far wait, decoded, for the next read.
                        if !bytes.is_empty() {
                            self.core.keep_partial_line(&bytes)?;
                        }
                        return Err(err);
                    }
                    Ok(_) => break,
                }
            }
            if let Some(line) = self.core.finish_direct_line(bytes)? {
                return Ok(line);
            }
        }
        let mut line = String::new();
        let mut line_chars = 0;
        loop {
            // As CPython's C implementation: get data first, then look at the limit.
            while self.core.exhausted() {
                match self.read_chunk() {
                    Ok(more) if !more && self.core.exhausted() => return Ok(line),
                    Ok(_) => {}
                    Err(err) => {
                        self.core.give_back(&line);
                        return Err(err);
                    }
                }
            }
            if self.core.line_step(&mut line, &mut line_chars, limit) {
                return Ok(line);
            }
        }
    }

    /// Reads lines as [`TextIoBase::readlines`] does.
    ///
    /// # Errors
    ///
    /// As for [`readline`](TextIOWrapper::readline). A failure loses nothing: the lines read before
    /// it come first at the next read (Python loses them); `tell` fails until they are read again.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::TextIOWrapper;
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::from(b"a\nb\n\xff".to_vec())).build()?;
    /// assert!(text.readlines(None).is_err()); // 0xff is not UTF-8
    /// assert_eq!(text.readline(None)?, "a\n"); // the lines before it were kept
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn readlines(&mut self, hint: Option<usize>) -> io::Result<Vec<String>> {
        let mut lines = Vec::new();
        match read_lines_into(self, hint, &mut lines) {
            Ok(()) => Ok(lines),
            Err(err) => {
                self.core.give_back_untracked(&lines.concat());
                Err(err)
            }
        }
    }
}

impl<B: Write + IoBase> TextWrite for TextIOWrapper<B> {
    /// Translates newlines, encodes and passes the bytes to the inner stream; returns the length of
    /// `text` in code points. Decoded text that was read ahead is dropped, as in Python.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed; [`io::ErrorKind::Unsupported`] (`"not writable"`) when the
    /// inner stream is not writable; [`TextError::Encode`] under the `strict` handler (nothing
    /// is written then); the inner stream's errors. An error means none of `text` was written: once
    /// the inner stream took some of it, the write succeeds and the rest waits for the next `write` or
    /// `flush` (reads, `seek`, `truncate` and `detach` fail with [`io::ErrorKind::ResourceBusy`]
    /// until then; `close` passes it down first).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::{Newline, TextIOWrapper};
    ///
    /// let mut out = TextIOWrapper::builder(BytesIO::new()).newline(Newline::Cr).build()?;
    /// assert_eq!(out.write("é\n")?, 2); // code points, counted before translation
    /// let mut ascii = TextIOWrapper::builder(BytesIO::new()).encoding("ascii").build()?;
    /// assert!(ascii.write("abé").is_err()); // nothing written
    /// assert_eq!(ascii.get_ref().len(), 0);
    /// assert_eq!(out.detach()?.getvalue()?, b"\xc3\xa9\r"[..]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn write(&mut self, text: &str) -> io::Result<usize> {
        ensure_open(self.inner.closed())?;
        if !self.inner.writable()? {
            return Err(unsupported("not writable"));
        }
        self.core.encode(text)?;
        self.send = Some(|core, inner| {
            ensure_open(inner.closed())?;
            core.send_unsent(inner)
        });
        self.core.send_encoded(&mut self.inner)?;
        self.core.written();
        if self.core.line_buffering && text.contains(['\n', '\r']) {
            self.inner.flush()?;
        }
        Ok(if text.is_ascii() {
            text.len()
        } else {
            text.chars().count()
        })
    }

    /// Flushes the inner stream, after passing down what a write left unsent when the inner stream
    /// failed part-way (the only bytes the wrapper ever holds).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::{BufferedWriter, BytesIO};
    /// use strata_text::prelude::*;
    /// use strata_text::TextIOWrapper;
    ///
    /// let mut text = TextIOWrapper::builder(BufferedWriter::new(BytesIO::new())?).build()?;
    /// text.write("abc")?;
    /// assert_eq!(text.get_ref().buffer(), b"abc"); // held by the buffered writer
    /// text.flush()?;
    /// assert!(text.get_ref().buffer().is_empty());
    /// assert_eq!(text.get_ref().get_ref().len(), 3);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn flush(&mut self) -> io::Result<()> {
        ensure_open(self.inner.closed())?;
        self.core.send_unsent(&mut self.inner)?;
        self.inner.flush()
    }
}

impl<B: Write + IoBase> fmt::Write for TextIOWrapper<B> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        TextWrite::write(self, s).map(drop).map_err(|_| fmt::Error)
    }
}

impl<B: Seek + IoBase> TextIOWrapper<B> {
    /// The current position as an opaque cookie for [`Seek::seek`] with [`SeekFrom::Start`] (Python's
    /// `tell()`); with a clean decoder state it is the byte offset.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed; [`io::ErrorKind::Unsupported`] (`"underlying stream is not
    /// seekable"`); the inner stream's errors.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::TextIOWrapper;
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::from("a€b\nc".as_bytes())).build()?;
    /// text.read(Some(2))?;
    /// assert_eq!(text.tell()?, 4); // a byte offset while the decoder is clean
    /// text.readline(None)?;
    /// assert_eq!(text.tell()?, 6);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tell(&mut self) -> io::Result<u64> {
        self.check_seekable()?;
        let pos = self.inner.stream_position()?;
        self.core.tell(pos)
    }

    fn seek_cookie(&mut self, cookie: u64) -> io::Result<u64> {
        self.inner.seek(SeekFrom::Start(Core::cookie_pos(cookie)))?;
        self.core.sought(cookie);
        Ok(cookie)
    }
}

impl<B: Seek + IoBase> Seek for TextIOWrapper<B> {
    /// Python's `seek` for text: `SeekFrom::Start` takes a cookie from [`tell`](TextIOWrapper::tell)
    /// (or 0), `SeekFrom::Current(0)` is `seek(tell())`, `SeekFrom::End(0)` moves to the end. Returns
    /// the new cookie. Seeking past the end is allowed.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed; [`io::ErrorKind::Unsupported`] for an unseekable inner stream
    /// and for `Current(n)`/`End(n)` with `n != 0` (`"can't do nonzero cur-relative seeks"`,
    /// `"can't do nonzero end-relative seeks"`); the inner stream's errors. A cookie that asks to skip
    /// more characters than the stream holds fails at the next read (`"can't restore logical file
    /// position"`).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::TextIOWrapper;
    ///
    /// let bytes = BytesIO::from(b"\xff\xfea\x00b\x00c\x00".to_vec());
    /// let mut text = TextIOWrapper::builder(bytes).encoding("utf-16").build()?;
    /// text.read(Some(1))?;
    /// let cookie = text.tell()?;
    /// assert_eq!(text.read(None)?, "bc");
    /// text.seek(SeekFrom::Start(cookie))?;
    /// assert_eq!(text.read(Some(1))?, "b");
    /// text.seek(SeekFrom::End(0))?;
    /// assert_eq!(text.read(None)?, "");
    /// let err = text.seek(SeekFrom::Current(-1)).unwrap_err();
    /// assert_eq!(err.to_string(), "can't do nonzero cur-relative seeks");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.check_seekable()?;
        self.core.check_sent()?;
        match pos {
            SeekFrom::Start(cookie) => self.seek_cookie(cookie),
            SeekFrom::Current(0) => {
                let cookie = self.tell()?;
                self.seek_cookie(cookie)
            }
            SeekFrom::Current(_) => Err(unsupported("can't do nonzero cur-relative seeks")),
            SeekFrom::End(0) => {
                let end = self.inner.seek(SeekFrom::End(0))?;
                self.core.sought_end(end);
                Ok(end)
            }
            SeekFrom::End(_) => Err(unsupported("can't do nonzero end-relative seeks")),
        }
    }
}

impl<B: IoBase> IoBase for TextIOWrapper<B> {
    /// Whether the inner stream is closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::TextIOWrapper;
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::new()).build()?;
    /// assert!(!text.closed());
    /// text.get_mut().close()?; // closing the inner stream closes the wrapper
    /// assert!(text.closed());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn closed(&self) -> bool {
        self.inner.closed()
    }

    /// Closes the inner stream, which flushes what it buffers, after passing down what a write left
    /// unsent (see [`lost_on_drop`]). Closing twice does nothing.
    ///
    /// # Errors
    ///
    /// The inner stream's `close` error, else the error of passing the unsent bytes down: as in
    /// CPython, the inner stream is closed even when that fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::TextIOWrapper;
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::new()).build()?;
    /// text.write("x")?;
    /// text.close()?;
    /// text.close()?; // a second close does nothing
    /// assert!(text.get_ref().closed());
    /// assert_eq!(text.write("y").unwrap_err().to_string(), "I/O operation on closed file.");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn close(&mut self) -> io::Result<()> {
        if self.inner.closed() {
            return Ok(());
        }
        // As CPython: the inner stream is closed even when the flush fails; its error comes first.
        let sent = self
            .send
            .map_or(Ok(()), |send| send(&mut self.core, &mut self.inner));
        self.inner.close().and(sent)
    }

    fn readable(&self) -> io::Result<bool> {
        ensure_open(self.closed())?;
        self.inner.readable()
    }

    fn writable(&self) -> io::Result<bool> {
        ensure_open(self.closed())?;
        self.inner.writable()
    }

    fn seekable(&self) -> io::Result<bool> {
        ensure_open(self.closed())?;
        self.inner.seekable()
    }

    fn fileno(&self) -> io::Result<i32> {
        ensure_open(self.closed())?;
        self.inner.fileno()
    }

    fn isatty(&self) -> io::Result<bool> {
        ensure_open(self.closed())?;
        self.inner.isatty()
    }

    /// Truncates the inner stream to `size` bytes (its own position when `None`), as CPython's C
    /// implementation does.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::TextIOWrapper;
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::new()).build()?;
    /// text.write("café au lait")?;
    /// assert_eq!(text.truncate(Some(5))?, 5); // bytes: "café" is 5 of them
    /// text.seek(SeekFrom::Start(0))?;
    /// assert_eq!(text.read(None)?, "café");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        ensure_open(self.closed())?;
        self.core.check_sent()?;
        self.inner.truncate(size)
    }
}
