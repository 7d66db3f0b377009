//! `TextIOWrapper`: text over a buffered byte stream, with an encoding, an error handler, a newline
//! mode and opaque tell/seek cookies.
//!
//! Reading decodes straight from the inner stream's [`BufRead::fill_buf`] slices: `read(None)` decodes
//! whole slices (in cache-sized blocks, each validated and copied once) into the returned `String`;
//! `read(n)` and `readline` decode up to [`CHUNK`] bytes at a time into a buffer of decoded text.
//! The bytes of that chunk (and of any earlier chunk that ended inside a character) are kept as the
//! *snapshot*, so that `tell` can find the byte offset of the current character by decoding them again
//! (see [`cookie`] for the cookie layout).
//!
//! Writing encodes each `write` and passes the bytes to the inner stream at once: the inner stream is
//! already buffered, so the wrapper keeps no pending bytes of its own, `tell` needs no flush, and
//! dropping the wrapper loses nothing (`write_through` therefore changes nothing; `line_buffering`
//! flushes the inner stream after a write holding `\n` or `\r`).

mod cookie;

use std::fmt;
use std::io::{self, BufRead, Seek, SeekFrom, Write};

use strata_raw::{IoBase, ensure_open, unsupported};

use crate::codec::{self, Codec, Decoder};
use crate::handler::ErrorHandler;
use crate::newline::{LINESEP, Newline, NewlineDecoder, SeenNewlines, contains_cr};
use crate::traits::{TextRead, TextWrite};
use crate::utf8;

use self::cookie::{Cookie, DECODER_FLAGS, PENDING_CR};

/// Bytes decoded at a time by `read(n)` and `readline` (CPython's `_CHUNK_SIZE`).
const CHUNK: usize = 8192;

/// Bytes decoded at a time by `read(None)`: small enough to stay in cache between validation and copy.
const BLOCK: usize = 64 * 1024;

/// Python's `io.TextIOWrapper`: reads and writes text over a buffered byte stream.
///
/// Build one with [`TextIOWrapper::builder`]. The inner stream `B` is any buffered stream of
/// `strata-buffered` ([`BytesIO`](strata_buffered::BytesIO), a buffered reader or writer, …); what the
/// wrapper can do follows from what `B` can do:
///
/// | inner stream | gives |
/// |---|---|
/// | `B: BufRead + IoBase` | [`TextRead`]: `read`, `readline`, `readlines`, `lines` |
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
    inner: B,
    /// The encoding name as the caller spelled it (Python's `encoding` attribute).
    encoding: String,
    codec: &'static Codec,
    errors: ErrorHandler,
    newline: Newline,
    line_buffering: bool,
    write_through: bool,
    decoder: TextDecoder,
    /// Decoded text not yet returned starts at `decoded_pos`.
    decoded: String,
    decoded_pos: usize,
    /// Python's `decoded_chars is not None`: set by `read(n)`/`readline`, cleared by `read(None)`,
    /// writes and seeks. While set, `reconfigure` refuses to change the encoding or newline.
    has_decoded: bool,
    /// Python's `snapshot is not None`: set by decoding a chunk and by seeking to a cookie with state;
    /// while clear, `tell` is the inner stream's position, as in CPython.
    snapshot_live: bool,
    /// The bytes consumed since the last clean point (see the module docs).
    snapshot: Vec<u8>,
    /// Decoder flags and held-back `\r` at the clean point.
    snap_flags: u8,
    /// Characters decoded from the snapshot before the current `decoded` text.
    snap_chars: usize,
    /// Characters still to drop after a seek to a cookie with a skip.
    skip: usize,
    /// Whether the next non-empty write starts with the codec's BOM.
    bom_due: bool,
    /// The inner stream's byte position, assuming it was 0 when the wrapper was built (exact after a
    /// seek); used for error offsets and BOM decisions.
    pos_hint: u64,
    /// Scratch space for encoded bytes.
    encoded: Vec<u8>,
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
    pub fn encoding(mut self, name: &str) -> Self {
        self.encoding = name.to_string();
        self
    }

    /// The error handler (default [`ErrorHandler::Strict`]).
    pub fn errors(mut self, errors: ErrorHandler) -> Self {
        self.errors = errors;
        self
    }

    /// The newline mode (default [`Newline::Universal`], Python's `newline=None`).
    pub fn newline(mut self, newline: Newline) -> Self {
        self.newline = newline;
        self
    }

    /// Flush the inner stream after every write that holds `\n` or `\r` (default `false`).
    pub fn line_buffering(mut self, on: bool) -> Self {
        self.line_buffering = on;
        self
    }

    /// Python's `write_through` (default `false`). Strata always passes written bytes to the inner
    /// stream at once, so the flag is only recorded.
    pub fn write_through(mut self, on: bool) -> Self {
        self.write_through = on;
        self
    }

    /// The wrapper.
    ///
    /// # Errors
    ///
    /// [`strata_raw::Error::UnknownEncoding`] (`"unknown encoding: bogus"`) for an encoding this crate
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
        let codec = codec::lookup(&self.encoding)?;
        let mut text = TextIOWrapper {
            inner: self.inner,
            encoding: self.encoding,
            codec,
            errors: self.errors,
            newline: self.newline,
            line_buffering: self.line_buffering,
            write_through: self.write_through,
            decoder: TextDecoder::new(codec, self.errors, self.newline),
            decoded: String::new(),
            decoded_pos: 0,
            has_decoded: false,
            snapshot_live: false,
            snapshot: Vec::new(),
            snap_flags: 0,
            snap_chars: 0,
            skip: 0,
            bom_due: true,
            pos_hint: 0,
            encoded: Vec::new(),
        };
        text.discard_read_state(0);
        Ok(text)
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
    pub fn new() -> Reconfigure {
        Reconfigure::default()
    }

    /// A new encoding; unless [`errors`](Reconfigure::errors) is also given, the handler becomes
    /// [`ErrorHandler::Strict`], as in Python.
    pub fn encoding(mut self, name: &str) -> Self {
        self.encoding = Some(name.to_string());
        self
    }

    /// A new error handler.
    pub fn errors(mut self, errors: ErrorHandler) -> Self {
        self.errors = Some(errors);
        self
    }

    /// A new newline mode.
    pub fn newline(mut self, newline: Newline) -> Self {
        self.newline = Some(newline);
        self
    }

    /// A new `line_buffering` flag.
    pub fn line_buffering(mut self, on: bool) -> Self {
        self.line_buffering = Some(on);
        self
    }

    /// A new `write_through` flag.
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
    pub fn encoding(&self) -> &str {
        &self.encoding
    }

    /// The error handler (Python's `errors`).
    pub fn errors(&self) -> ErrorHandler {
        self.errors
    }

    /// Whether writes holding `\n` or `\r` flush the inner stream.
    pub fn line_buffering(&self) -> bool {
        self.line_buffering
    }

    /// Python's `write_through` flag, as set (it changes nothing here: see the type's docs).
    pub fn write_through(&self) -> bool {
        self.write_through
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
        if self.newline.universal() {
            self.decoder.lines.seen()
        } else {
            None
        }
    }

    /// The inner stream.
    pub fn get_ref(&self) -> &B {
        &self.inner
    }

    /// The inner stream, mutably. Reading or seeking through it desynchronises the wrapper's decoded
    /// text; writing through it bypasses encoding.
    pub fn get_mut(&mut self) -> &mut B {
        &mut self.inner
    }

    /// Forgets decoded text and decoder state; the stream continues at byte `pos`.
    fn discard_read_state(&mut self, pos: u64) {
        self.decoded.clear();
        self.decoded_pos = 0;
        self.has_decoded = false;
        self.snapshot_live = false;
        self.snapshot.clear();
        self.snap_chars = 0;
        self.skip = 0;
        self.decoder = TextDecoder::new(self.codec, self.errors, self.newline);
        self.decoder.bytes.reset(pos);
        self.snap_flags = self.decoder.flags();
        self.pos_hint = pos;
    }
}

/// The byte decoder and, under the universal modes, the newline decoder behind it.
#[derive(Debug, Clone)]
struct TextDecoder {
    bytes: Decoder,
    lines: NewlineDecoder,
    universal: bool,
}

impl TextDecoder {
    fn new(codec: &'static Codec, errors: ErrorHandler, newline: Newline) -> TextDecoder {
        TextDecoder {
            bytes: Decoder::new(codec, errors, 0),
            lines: NewlineDecoder::new(newline == Newline::Universal),
            universal: newline.universal(),
        }
    }

    /// Decodes `input` and appends the text to `out`, line endings handled.
    fn decode(&mut self, input: &[u8], last: bool, out: &mut String) -> io::Result<()> {
        let start = out.len();
        let result = self.bytes.decode(input, last, out);
        if self.universal {
            self.lines.decode_in_place(out, start, last);
        }
        result
    }

    /// Whether a line of plain UTF-8 without `\r` may bypass this decoder: see
    /// [`TextIOWrapper::readline_utf8`].
    fn line_fast_path(&self) -> bool {
        self.bytes.is_plain_utf8() && !self.lines.pendingcr()
    }

    /// Whether no partial sequence is held (a held-back `\r` is part of the flags instead).
    fn is_clean(&self) -> bool {
        self.bytes.is_clean()
    }

    /// The state at a clean point, as cookie flags.
    fn flags(&self) -> u8 {
        self.bytes.flags()
            | if self.lines.pendingcr() {
                PENDING_CR
            } else {
                0
            }
    }

    /// A clean state with cookie `flags` at byte `pos`.
    fn restore(&mut self, flags: u8, pos: u64) {
        self.bytes.restore(flags & DECODER_FLAGS, pos);
        self.lines.set_pendingcr(flags & PENDING_CR != 0);
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
    /// [`strata_raw::Error::UnknownEncoding`] for an unknown encoding.
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
        let codec_change = changes.encoding.is_some() || changes.errors.is_some();
        if self.has_decoded && (codec_change || changes.newline.is_some()) {
            return Err(unsupported(
                "It is not possible to set the encoding or newline of stream after the first read",
            ));
        }
        if let Some(name) = changes.encoding {
            self.codec = codec::lookup(&name)?;
            self.encoding = name;
            self.errors = changes.errors.unwrap_or_default();
            self.bom_due = self.pos_hint == 0;
        } else if let Some(errors) = changes.errors {
            self.errors = errors;
        }
        self.newline = changes.newline.unwrap_or(self.newline);
        if codec_change || changes.newline.is_some() {
            self.discard_read_state(self.pos_hint);
        }
        self.line_buffering = changes.line_buffering.unwrap_or(self.line_buffering);
        self.write_through = changes.write_through.unwrap_or(self.write_through);
        Ok(())
    }

    /// Gives the inner stream back (Python's `detach`). The wrapper holds no unwritten bytes, so
    /// nothing is flushed: data the inner stream buffers stays in it.
    ///
    /// # Errors
    ///
    /// The closed-file error when the inner stream is closed.
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
    pub fn detach(self) -> io::Result<B> {
        ensure_open(self.inner.closed())?;
        Ok(self.inner)
    }

    fn check_readable(&self) -> io::Result<()> {
        ensure_open(self.inner.closed())?;
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

/// `inner.fill_buf()`, retrying interruptions.
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

/// The byte length and code-point count of the first `n` code points of `text` (all of it if shorter).
fn take_chars(text: &str, n: usize) -> (usize, usize) {
    if text.len() <= n {
        let count = if text.is_ascii() {
            text.len()
        } else {
            text.chars().count()
        };
        return (text.len(), count);
    }
    match text.char_indices().nth(n) {
        Some((byte, _)) => (byte, n),
        None => (text.len(), text.chars().count()),
    }
}

impl<B: BufRead + IoBase> TextIOWrapper<B> {
    /// Decodes the next chunk of at most [`CHUNK`] bytes into `decoded`, which must be used up.
    /// Returns `false` at the end of the stream (the decoder's final output may still be in `decoded`).
    fn read_chunk(&mut self) -> io::Result<bool> {
        if self.decoder.is_clean() {
            self.snapshot.clear();
            self.snap_chars = 0;
            self.snap_flags = self.decoder.flags();
        } else {
            self.snap_chars += self.decoded.chars().count();
        }
        self.decoded.clear();
        self.decoded_pos = 0;
        self.has_decoded = true;
        self.snapshot_live = true;
        let buf = fill(&mut self.inner)?;
        let n = buf.len().min(CHUNK);
        self.snapshot.extend_from_slice(&buf[..n]);
        let result = self.decoder.decode(&buf[..n], n == 0, &mut self.decoded);
        // The bytes are consumed even when they fail to decode, as in CPython.
        self.inner.consume(n);
        self.pos_hint += n as u64;
        result?;
        self.apply_skip();
        Ok(n > 0)
    }

    /// `readline` for UTF-8 under `\n` and the universal modes, when no decoded text is pending: the
    /// line is read with [`BufRead::read_until`] and validated once, as `BufRead::read_line` does.
    /// A line holding `\r` or invalid UTF-8 is handed to the decoder instead, as if it were a chunk,
    /// and `None` tells the caller to continue the general way.
    fn readline_utf8(&mut self) -> io::Result<Option<String>> {
        self.snapshot.clear();
        self.snap_chars = 0;
        self.snap_flags = self.decoder.flags();
        self.has_decoded = true;
        self.snapshot_live = true;
        let mut line = Vec::new();
        let n = loop {
            match self.inner.read_until(b'\n', &mut line) {
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                other => break other?,
            }
        };
        self.pos_hint += n as u64;
        let universal = self.newline.universal();
        if !(universal && contains_cr(&line)) {
            match utf8::into_string(line) {
                Ok(text) => {
                    self.decoder.bytes.skip_valid(n);
                    if universal && text.ends_with('\n') {
                        self.decoder.lines.note_lf();
                    }
                    return Ok((n > 0).then_some(text));
                }
                Err(bytes) => line = bytes,
            }
        }
        self.snapshot.extend_from_slice(&line);
        self.decoded.clear();
        self.decoded_pos = 0;
        self.decoder.decode(&line, false, &mut self.decoded)?;
        Ok(None)
    }

    /// Drops up to `skip` characters of `decoded`.
    fn apply_skip(&mut self) {
        if self.skip > 0 {
            let (bytes, chars) = take_chars(&self.decoded[self.decoded_pos..], self.skip);
            self.decoded_pos += bytes;
            self.skip -= chars;
        }
    }

    /// Decodes until a pending skip (from seeking to a cookie) is used up.
    fn settle_skip(&mut self) -> io::Result<()> {
        while self.skip > 0 {
            if !self.read_chunk()? && self.skip > 0 {
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
        let mut out = self.decoded[self.decoded_pos..].to_string();
        self.decoded.clear();
        self.decoded_pos = 0;
        loop {
            let buf = fill(&mut self.inner)?;
            let n = buf.len();
            if n == 0 {
                self.decoder.decode(&[], true, &mut out)?;
                break;
            }
            out.reserve(n);
            let result = buf
                .chunks(BLOCK)
                .try_for_each(|block| self.decoder.decode(block, false, &mut out));
            self.inner.consume(n);
            self.pos_hint += n as u64;
            result?;
        }
        self.snapshot.clear();
        self.snap_chars = 0;
        self.snap_flags = self.decoder.flags();
        self.has_decoded = false;
        self.snapshot_live = false;
        Ok(out)
    }
}

impl<B: BufRead + IoBase> TextRead for TextIOWrapper<B> {
    /// Reads `size` code points (fewer only at the end), or everything when `None`.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed; [`io::ErrorKind::Unsupported`] (`"not readable"`) when the
    /// inner stream is not readable; [`strata_raw::Error::Decode`] under the `strict` handler (an
    /// incomplete sequence only at the end of the stream); the inner stream's errors.
    fn read(&mut self, size: Option<usize>) -> io::Result<String> {
        self.check_readable()?;
        self.settle_skip()?;
        let Some(mut remaining) = size else {
            return self.read_to_end();
        };
        let mut out = String::new();
        while remaining > 0 {
            let (bytes, chars) = take_chars(&self.decoded[self.decoded_pos..], remaining);
            out.push_str(&self.decoded[self.decoded_pos..self.decoded_pos + bytes]);
            self.decoded_pos += bytes;
            remaining -= chars;
            if remaining > 0 && !self.read_chunk()? && self.decoded_pos == self.decoded.len() {
                break;
            }
        }
        Ok(out)
    }

    /// Reads one line (ending included) or at most `limit` code points of it.
    ///
    /// # Errors
    ///
    /// As for [`read`](TextIOWrapper::read).
    fn readline(&mut self, limit: Option<usize>) -> io::Result<String> {
        self.check_readable()?;
        self.settle_skip()?;
        let exhausted = self.decoded_pos == self.decoded.len();
        let line_modes = matches!(
            self.newline,
            Newline::Lf | Newline::Universal | Newline::Untranslated
        );
        if limit.is_none()
            && exhausted
            && line_modes
            && self.decoder.line_fast_path()
            && let Some(line) = self.readline_utf8()?
        {
            return Ok(line);
        }
        let mut line = String::new();
        let mut line_chars = 0;
        loop {
            // As CPython's C implementation: get data first, then look at the limit.
            while self.decoded_pos == self.decoded.len() {
                if !self.read_chunk()? && self.decoded_pos == self.decoded.len() {
                    return Ok(line);
                }
            }
            let avail = &self.decoded[self.decoded_pos..];
            let split_crlf =
                self.newline == Newline::CrLf && line.ends_with('\r') && avail.starts_with('\n');
            let found = if split_crlf {
                Some(1)
            } else {
                self.newline.find_line_end(avail)
            };
            let end = match limit {
                None => found,
                Some(limit) => {
                    let room = limit - line_chars;
                    let (cap, cap_chars) = take_chars(avail, room);
                    match found {
                        Some(end) => Some(end.min(cap)),
                        None if cap_chars == room => Some(cap),
                        None => None,
                    }
                }
            };
            if let Some(end) = end {
                line.push_str(&avail[..end]);
                self.decoded_pos += end;
                return Ok(line);
            }
            line.push_str(avail);
            if limit.is_some() {
                line_chars += avail.chars().count();
            }
            self.decoded_pos = self.decoded.len();
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
    /// inner stream is not writable; [`strata_raw::Error::Encode`] under the `strict` handler (nothing
    /// is written then); the inner stream's errors.
    fn write(&mut self, text: &str) -> io::Result<usize> {
        ensure_open(self.inner.closed())?;
        if !self.inner.writable()? {
            return Err(unsupported("not writable"));
        }
        let translated = self.newline.translate_write(text, LINESEP);
        let mut encoded = std::mem::take(&mut self.encoded);
        encoded.clear();
        // CPython's encoders emit their BOM on the first call, even for empty text.
        let bom = self.bom_due && self.codec.writes_bom();
        let result = codec::encode(self.codec, &translated, self.errors, bom, &mut encoded)
            .and_then(|()| self.inner.write_all(&encoded));
        let written = encoded.len() as u64;
        self.encoded = encoded;
        result?;
        self.bom_due = false;
        self.discard_read_state(self.pos_hint + written);
        if self.line_buffering && text.contains(['\n', '\r']) {
            self.inner.flush()?;
        }
        Ok(if text.is_ascii() {
            text.len()
        } else {
            text.chars().count()
        })
    }

    /// Flushes the inner stream (the wrapper itself holds no unwritten bytes).
    fn flush(&mut self) -> io::Result<()> {
        ensure_open(self.inner.closed())?;
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
        if !self.snapshot_live {
            return Ok(pos);
        }
        let consumed = &self.decoded[..self.decoded_pos];
        let used = self.snap_chars + consumed.chars().count() + self.skip;
        if self.decoded_pos == self.decoded.len() && self.skip == 0 && self.decoder.is_clean() {
            return Cookie {
                pos,
                skip: 0,
                flags: self.decoder.flags(),
            }
            .pack();
        }
        let start = pos.checked_sub(self.snapshot.len() as u64).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                "the inner stream moved behind the text wrapper",
            )
        })?;
        self.replay(start, used)?.pack()
    }

    /// Finds the last clean point at or before the `used`-th character decoded from the snapshot,
    /// which starts at byte `start`, by decoding it again one byte at a time.
    fn replay(&self, start: u64, used: usize) -> io::Result<Cookie> {
        let mut best = Cookie {
            pos: start,
            skip: used,
            flags: self.snap_flags,
        };
        if used == 0 {
            return Ok(best);
        }
        let mut decoder = TextDecoder::new(self.codec, self.errors, self.newline);
        decoder.restore(self.snap_flags, start);
        let mut count = 0;
        let mut piece = String::new();
        for (i, byte) in self.snapshot.iter().enumerate() {
            piece.clear();
            decoder.decode(std::slice::from_ref(byte), false, &mut piece)?;
            count += piece.chars().count();
            if count > used {
                break;
            }
            if decoder.is_clean() {
                best = Cookie {
                    pos: start + i as u64 + 1,
                    skip: used - count,
                    flags: decoder.flags(),
                };
                if count == used {
                    break;
                }
            }
        }
        Ok(best)
    }

    fn seek_cookie(&mut self, value: u64) -> io::Result<u64> {
        let cookie = Cookie::unpack(value);
        self.inner.seek(SeekFrom::Start(cookie.pos))?;
        let seen = self.decoder.lines.seen();
        self.discard_read_state(cookie.pos);
        // As CPython: the start of the stream resets the decoder and the encoder (a BOM is due again).
        let start = cookie.pos == 0 && cookie.flags == 0;
        if !start {
            // CPython sets the state of the same decoder, which keeps the newlines it has seen.
            self.decoder.lines.restore_seen(seen);
            self.decoder.restore(cookie.flags, cookie.pos);
            self.snap_flags = cookie.flags;
        }
        self.skip = cookie.skip;
        self.snapshot_live = cookie.flags != 0 || cookie.skip != 0;
        self.bom_due = start;
        Ok(value)
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
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.check_seekable()?;
        match pos {
            SeekFrom::Start(cookie) => self.seek_cookie(cookie),
            SeekFrom::Current(0) => {
                let cookie = self.tell()?;
                self.seek_cookie(cookie)
            }
            SeekFrom::Current(_) => Err(unsupported("can't do nonzero cur-relative seeks")),
            SeekFrom::End(0) => {
                let end = self.inner.seek(SeekFrom::End(0))?;
                self.discard_read_state(end);
                self.bom_due = end == 0;
                Ok(end)
            }
            SeekFrom::End(_) => Err(unsupported("can't do nonzero end-relative seeks")),
        }
    }
}

impl<B: IoBase> IoBase for TextIOWrapper<B> {
    /// Whether the inner stream is closed.
    fn closed(&self) -> bool {
        self.inner.closed()
    }

    /// Closes the inner stream, which flushes what it buffers. Closing twice does nothing.
    fn close(&mut self) -> io::Result<()> {
        if self.inner.closed() {
            Ok(())
        } else {
            self.inner.close()
        }
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
    fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        ensure_open(self.closed())?;
        self.inner.truncate(size)
    }
}
