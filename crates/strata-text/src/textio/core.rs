//! The non-generic core of [`TextIOWrapper`](super::TextIOWrapper): every piece of state and every
//! decision that does not touch the inner stream. The generic shell only moves bytes between the
//! inner stream and these methods.
//!
//! Faults keep progress, as in the buffered layer below. A read that fails gives back the text it had
//! taken ([`Core::give_back`]): the next read returns it. To make that possible, the snapshot restarts
//! only between calls ([`Core::begin_read`]), never inside one, so it still holds the bytes of the
//! text given back and `tell` stays exact. A write that fails has passed none of its bytes down; once
//! some went down it succeeds, and the rest waits in [`Core::unsent`] for the next write or flush.

use std::io::{self, Write};

use crate::codec::{self, Codec, Decoder};
use crate::handler::ErrorHandler;
use crate::newline::{LINESEP, Newline, NewlineDecoder, SeenNewlines, contains_cr};
use crate::utf8;

use super::Reconfigure;
use super::cookie::{Cookie, DECODER_FLAGS, PENDING_CR};

/// Bytes decoded at a time by `read(n)` and `readline` (CPython's `_CHUNK_SIZE`).
pub(super) const CHUNK: usize = 8192;

/// Bytes decoded at a time by `read(None)`: small enough to stay in cache between validation and copy.
const BLOCK: usize = 64 * 1024;

/// `read(n)` and `readline` decode a chunk in steps of this many bytes and remember the clean points
/// between steps, so that `tell` re-decodes at most this many bytes one at a time.
const STEP: usize = 256;

/// A clean point inside the snapshot: byte offset, characters decoded before it, cookie flags.
#[derive(Debug, Clone, Copy)]
struct Checkpoint {
    offset: usize,
    chars: usize,
    flags: u8,
}

/// The number of code points in `text`.
fn count_chars(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
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

/// The byte length and code-point count of the first `n` code points of `text` (all of it if shorter).
fn take_chars(text: &str, n: usize) -> (usize, usize) {
    if text.len() <= n {
        return (text.len(), count_chars(text));
    }
    match text.char_indices().nth(n) {
        Some((byte, _)) => (byte, n),
        None => (text.len(), count_chars(text)),
    }
}

/// The state of a text wrapper apart from its inner stream.
#[derive(Debug)]
pub(super) struct Core {
    /// The encoding name as the caller spelled it (Python's `encoding` attribute).
    pub(super) encoding: String,
    codec: &'static Codec,
    pub(super) errors: ErrorHandler,
    pub(super) newline: Newline,
    pub(super) line_buffering: bool,
    pub(super) write_through: bool,
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
    /// The bytes consumed since the last clean point (see the module docs of `textio`).
    snapshot: Vec<u8>,
    /// Decoder flags and held-back `\r` at the clean point.
    snap_flags: u8,
    /// Characters decoded from the snapshot before the current `decoded` text.
    snap_chars: usize,
    /// Clean points inside the snapshot, in order.
    checkpoints: Vec<Checkpoint>,
    /// Characters still to drop after a seek to a cookie with a skip.
    skip: usize,
    /// Whether the next write starts with the codec's BOM.
    bom_due: bool,
    /// The inner stream's byte position, assuming it was 0 when the wrapper was built (exact after a
    /// seek); used for error offsets and BOM decisions.
    pos_hint: u64,
    /// The bytes of the last write.
    pub(super) encoded: Vec<u8>,
    /// Bytes of earlier writes that the inner stream has not taken yet (it failed part-way); they go
    /// down first at the next write or flush, and other operations wait for them.
    unsent: Vec<u8>,
    /// The text decoded since the snapshot started is not all in `decoded`: a failed `read(None)` gave
    /// back text it had decoded without keeping its bytes. `tell` fails until the snapshot restarts.
    untracked: bool,
}

/// Passes as much of `buf` to `inner` as it takes, `Interrupted` retried: the count it took, and the
/// error that stopped it before the end (a count larger than offered, or 0, is an error too).
fn write_some(inner: &mut dyn Write, buf: &[u8]) -> (usize, Option<io::Error>) {
    let mut taken = 0;
    while taken < buf.len() {
        match inner.write(&buf[taken..]) {
            Ok(0) => return (taken, Some(io::ErrorKind::WriteZero.into())),
            Ok(n) if n <= buf.len() - taken => taken += n,
            Ok(n) => {
                let err = strata_raw::Error::InvalidLength {
                    call: "write()",
                    returned: n,
                    max: buf.len() - taken,
                };
                return (taken, Some(err.into()));
            }
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return (taken, Some(err)),
        }
    }
    (taken, None)
}

impl Core {
    pub(super) fn new(
        encoding: String,
        errors: ErrorHandler,
        newline: Newline,
    ) -> io::Result<Core> {
        let codec = codec::lookup(&encoding)?;
        let mut core = Core {
            encoding,
            codec,
            errors,
            newline,
            line_buffering: false,
            write_through: false,
            decoder: TextDecoder::new(codec, errors, newline),
            decoded: String::new(),
            decoded_pos: 0,
            has_decoded: false,
            snapshot_live: false,
            snapshot: Vec::new(),
            snap_flags: 0,
            snap_chars: 0,
            checkpoints: Vec::new(),
            skip: 0,
            bom_due: true,
            pos_hint: 0,
            encoded: Vec::new(),
            unsent: Vec::new(),
            untracked: false,
        };
        core.discard(0);
        Ok(core)
    }

    pub(super) fn newlines(&self) -> Option<SeenNewlines> {
        if self.newline.universal() {
            self.decoder.lines.seen()
        } else {
            None
        }
    }

    /// Forgets decoded text and decoder state; the stream continues at byte `pos`.
    fn discard(&mut self, pos: u64) {
        self.decoded.clear();
        self.decoded_pos = 0;
        self.has_decoded = false;
        self.snapshot_live = false;
        self.skip = 0;
        self.decoder = TextDecoder::new(self.codec, self.errors, self.newline);
        self.decoder.bytes.reset(pos);
        self.reset_snapshot();
        self.pos_hint = pos;
    }

    /// Makes the current position the clean point the snapshot starts from.
    fn reset_snapshot(&mut self) {
        self.untracked = false;
        self.snapshot.clear();
        self.checkpoints.clear();
        self.snap_chars = 0;
        self.snap_flags = self.decoder.flags();
    }

    /// Decodes `bytes` into `decoded` in steps of [`STEP`], appending them to the snapshot and
    /// recording the clean points between steps. `last` marks the end of the stream.
    fn decode_tracked(&mut self, bytes: &[u8], last: bool) -> io::Result<()> {
        self.snapshot.extend_from_slice(bytes);
        if last {
            return self.decoder.decode(bytes, true, &mut self.decoded);
        }
        let mut offset = self.snapshot.len() - bytes.len();
        let mut chars = self.snap_chars + count_chars(&self.decoded);
        for step in bytes.chunks(STEP) {
            let before = self.decoded.len();
            self.decoder.decode(step, false, &mut self.decoded)?;
            offset += step.len();
            chars += count_chars(&self.decoded[before..]);
            if self.decoder.is_clean() {
                self.checkpoints.push(Checkpoint {
                    offset,
                    chars,
                    flags: self.decoder.flags(),
                });
            }
        }
        Ok(())
    }

    pub(super) fn reconfigure(&mut self, changes: Reconfigure) -> io::Result<()> {
        let codec_change = changes.encoding.is_some() || changes.errors.is_some();
        // After a seek to a cookie with characters to skip, CPython has decoded them already: the
        // stream counts as read (and a new codec would lose the skip).
        let read = self.has_decoded || self.skip > 0;
        if read && (codec_change || changes.newline.is_some()) {
            return Err(strata_raw::unsupported(
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
            self.discard(self.pos_hint);
        }
        self.line_buffering = changes.line_buffering.unwrap_or(self.line_buffering);
        self.write_through = changes.write_through.unwrap_or(self.write_through);
        Ok(())
    }

    // ----- reading -------------------------------------------------------------------------------

    /// Whether all decoded text has been returned.
    pub(super) fn exhausted(&self) -> bool {
        self.decoded_pos == self.decoded.len()
    }

    /// Characters still to skip after a seek.
    pub(super) fn skip_pending(&self) -> bool {
        self.skip > 0
    }

    /// At the start of `read(n)` and `readline`: the snapshot restarts here when the decoded text is
    /// used up and the decoder is clean, and otherwise, once it holds more than two chunks, drops what
    /// lies before the last clean point ahead of the decoded text. Never inside a call, which may have
    /// to give its text back: the snapshot then grows by the call's own bytes at most.
    pub(super) fn begin_read(&mut self) {
        if self.exhausted() && self.skip == 0 && self.decoder.is_clean() {
            self.decoded.clear();
            self.decoded_pos = 0;
            self.reset_snapshot();
        } else if self.snapshot.len() > 2 * CHUNK {
            self.trim_snapshot();
        }
    }

    /// Starts the snapshot at its last checkpoint before the decoded text (which `tell` may need).
    fn trim_snapshot(&mut self) {
        let Some(i) = self
            .checkpoints
            .iter()
            .rposition(|c| c.chars <= self.snap_chars)
        else {
            return;
        };
        let from = self.checkpoints[i];
        self.snapshot.drain(..from.offset);
        self.checkpoints.drain(..=i);
        for c in &mut self.checkpoints {
            c.offset -= from.offset;
            c.chars -= from.chars;
        }
        self.snap_chars -= from.chars;
        self.snap_flags = from.flags;
    }

    /// Decodes `chunk` (the next bytes of the stream, empty at its end) into the decoded text, which
    /// must be used up. The snapshot goes on (see [`Core::begin_read`]).
    pub(super) fn decode_chunk(&mut self, chunk: &[u8]) -> io::Result<()> {
        self.snap_chars += count_chars(&self.decoded);
        self.decoded.clear();
        self.decoded_pos = 0;
        self.has_decoded = true;
        self.snapshot_live = true;
        self.pos_hint += chunk.len() as u64;
        self.decode_tracked(chunk, chunk.is_empty())?;
        if self.skip > 0 {
            let (bytes, chars) = take_chars(&self.decoded, self.skip);
            self.decoded_pos += bytes;
            self.skip -= chars;
        }
        Ok(())
    }

    /// Puts `text`, which a failing `read(n)` or `readline` had taken during this call, back in front
    /// of the decoded text: the next read returns it, and `tell` counts it as unread.
    pub(super) fn give_back(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let used = self.snap_chars + count_chars(&self.decoded[..self.decoded_pos]);
        self.decoded = format!("{text}{}", &self.decoded[self.decoded_pos..]);
        self.decoded_pos = 0;
        self.snap_chars = used.saturating_sub(count_chars(text));
        self.has_decoded = true;
        self.snapshot_live = true;
    }

    /// Puts `text`, which a failing `read(None)` had decoded straight from the inner stream, back in
    /// front of the decoded text. Its bytes were not kept, so `tell` fails until the snapshot
    /// restarts (once the text is read and the decoder is clean).
    pub(super) fn give_back_untracked(&mut self, text: &str) {
        self.give_back(text);
        self.untracked = !text.is_empty();
    }

    /// Moves up to `remaining` characters of decoded text to `out`; returns how many.
    pub(super) fn take(&mut self, remaining: usize, out: &mut String) -> usize {
        let (bytes, chars) = take_chars(&self.decoded[self.decoded_pos..], remaining);
        out.push_str(&self.decoded[self.decoded_pos..self.decoded_pos + bytes]);
        self.decoded_pos += bytes;
        chars
    }

    /// Whether a UTF-8 line may be read directly (see [`Core::finish_direct_line`]).
    pub(super) fn direct_line(&self, limit: Option<usize>) -> bool {
        let modes = matches!(
            self.newline,
            Newline::Lf | Newline::Universal | Newline::Untranslated
        );
        limit.is_none()
            && modes
            && self.exhausted()
            && self.skip == 0
            && self.decoder.bytes.is_plain_utf8()
            && !self.decoder.lines.pendingcr()
    }

    /// Takes a line the shell read with `BufRead::read_until(b'\n')`, under [`Core::direct_line`]:
    /// validated once and returned, as `BufRead::read_line` does; under the universal modes a final
    /// `\r\n` is handled here too (translated to `\n` under [`Newline::Universal`]). A line holding any
    /// other `\r` (under the universal modes) or invalid UTF-8 goes to the decoder instead, as if it
    /// were a chunk, and `None` tells the shell to continue the general way (as it does at the end of
    /// the stream).
    pub(super) fn finish_direct_line(&mut self, line: Vec<u8>) -> io::Result<Option<String>> {
        let n = line.len();
        self.start_line(n);
        let universal = self.newline.universal();
        let crlf = universal && line.ends_with(b"\r\n");
        let body = if crlf { &line[..n - 2] } else { &line[..] };
        let line = if universal && contains_cr(body) {
            line
        } else {
            match utf8::into_string(line) {
                Ok(mut text) => {
                    self.decoder.bytes.skip_valid(n);
                    if crlf && self.newline == Newline::Universal {
                        text.truncate(n - 2);
                        text.push('\n');
                    }
                    if universal && text.ends_with('\n') {
                        self.decoder.lines.note_line_end(crlf);
                    }
                    return Ok((n > 0).then_some(text));
                }
                Err(bytes) => bytes,
            }
        };
        self.decode_tracked(&line, false)?;
        Ok(None)
    }

    /// A line read directly starts a snapshot of its own, `n` bytes long.
    fn start_line(&mut self, n: usize) {
        self.reset_snapshot();
        self.decoded.clear();
        self.decoded_pos = 0;
        self.has_decoded = true;
        self.snapshot_live = true;
        self.pos_hint += n as u64;
    }

    /// The bytes a direct line had read when the inner stream failed: decoded like a chunk, so the
    /// next read returns their text.
    pub(super) fn keep_partial_line(&mut self, line: &[u8]) -> io::Result<()> {
        self.start_line(line.len());
        self.decode_tracked(line, false)
    }

    /// One step of `readline` over decoded text that is not used up: extends `line` and returns `true`
    /// when the line is complete. `line_chars` counts the characters of `line` while a limit applies.
    pub(super) fn line_step(
        &mut self,
        line: &mut String,
        line_chars: &mut usize,
        limit: Option<usize>,
    ) -> bool {
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
                let room = limit - *line_chars;
                let (cap, cap_chars) = take_chars(avail, room);
                match found {
                    Some(end) => Some(end.min(cap)),
                    None if cap_chars == room => Some(cap),
                    None => None,
                }
            }
        };
        let take = end.unwrap_or(avail.len());
        line.push_str(&avail[..take]);
        if limit.is_some() && end.is_none() {
            *line_chars += count_chars(avail);
        }
        self.decoded_pos += take;
        end.is_some()
    }

    /// The text decoded but not returned yet, taken (the start of `read(None)`'s result).
    pub(super) fn take_rest(&mut self) -> String {
        let rest = self.decoded[self.decoded_pos..].to_string();
        self.decoded.clear();
        self.decoded_pos = 0;
        rest
    }

    /// Decodes one `fill_buf` slice (empty at the end of the stream) straight into `out`, in
    /// cache-sized blocks.
    pub(super) fn decode_into(&mut self, buf: &[u8], out: &mut String) -> io::Result<()> {
        self.pos_hint += buf.len() as u64;
        if buf.is_empty() {
            return self.decoder.decode(&[], true, out);
        }
        out.reserve(buf.len());
        buf.chunks(BLOCK)
            .try_for_each(|block| self.decoder.decode(block, false, out))
    }

    /// After `read(None)`: the decoder stands clean at the end.
    pub(super) fn finish_read_to_end(&mut self) {
        self.reset_snapshot();
        self.has_decoded = false;
        self.snapshot_live = false;
    }

    // ----- writing -------------------------------------------------------------------------------

    /// Translates and encodes `text` into `self.encoded`.
    pub(super) fn encode(&mut self, text: &str) -> io::Result<()> {
        let translated = self.newline.translate_write(text, LINESEP);
        self.encoded.clear();
        // CPython's encoders emit their BOM on the first call, even for empty text.
        let bom = self.bom_due && self.codec.writes_bom();
        codec::encode(self.codec, &translated, self.errors, bom, &mut self.encoded)
    }

    /// Passes what earlier writes left unsent down to `inner`; on an error the rest stays.
    pub(super) fn send_unsent(&mut self, inner: &mut dyn Write) -> io::Result<()> {
        let (taken, err) = write_some(inner, &self.unsent);
        self.unsent.drain(..taken);
        err.map_or(Ok(()), Err)
    }

    /// Passes `self.encoded` down, after what earlier writes left unsent. An error means none of it
    /// went down; once some did, the rest waits in `unsent` and the error comes at the next write or
    /// flush.
    pub(super) fn send_encoded(&mut self, inner: &mut dyn Write) -> io::Result<()> {
        self.send_unsent(inner)?;
        match write_some(inner, &self.encoded) {
            (0, Some(err)) => Err(err),
            (taken, _) => {
                self.unsent.extend_from_slice(&self.encoded[taken..]);
                Ok(())
            }
        }
    }

    /// Counts what earlier writes left unsent in [`LOST_ON_DROP`](super::LOST_ON_DROP): the
    /// wrapper is dropped and nothing more can pass them down.
    fn count_lost(&self) {
        if !self.unsent.is_empty() {
            let lost = self.unsent.len() as u64;
            super::LOST_ON_DROP.with(|count| count.set(count.get().saturating_add(lost)));
        }
    }

    /// The refusal of an operation that would move or read the inner stream before what earlier
    /// writes left unsent is passed down (they would land in the wrong place, or be read stale).
    pub(super) fn check_sent(&self) -> io::Result<()> {
        if self.unsent.is_empty() {
            Ok(())
        } else {
            Err(io::Error::new(
                io::ErrorKind::ResourceBusy,
                format!(
                    "{} bytes of an earlier write are not passed down yet: flush first",
                    self.unsent.len()
                ),
            ))
        }
    }

    /// After the inner stream took `self.encoded` (or some of it, the rest being unsent): read-ahead
    /// is dropped, as in CPython.
    pub(super) fn written(&mut self) {
        self.bom_due = false;
        self.discard(self.pos_hint + self.encoded.len() as u64);
    }

    // ----- positions ------------------------------------------------------------------------------

    /// The cookie for the current position, given the inner stream's byte position `pos`.
    pub(super) fn tell(&self, pos: u64) -> io::Result<u64> {
        if self.untracked {
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "tell: the position is unknown until the text kept from a failed read is read",
            ));
        }
        if !self.snapshot_live {
            // Bytes left unsent land where the inner stream stands.
            return Ok(pos + self.unsent.len() as u64);
        }
        if self.exhausted() && self.skip == 0 && self.decoder.is_clean() {
            return Cookie {
                pos,
                skip: 0,
                flags: self.decoder.flags(),
            }
            .pack();
        }
        let used = self.snap_chars + count_chars(&self.decoded[..self.decoded_pos]) + self.skip;
        let start = pos.checked_sub(self.snapshot.len() as u64).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                "the inner stream moved behind the text wrapper",
            )
        })?;
        self.replay(start, used)?.pack()
    }

    /// Finds the last clean point at or before the `used`-th character decoded from the snapshot,
    /// which starts at byte `start`: from the last checkpoint before it, by decoding again one byte
    /// at a time.
    fn replay(&self, start: u64, used: usize) -> io::Result<Cookie> {
        let origin = Checkpoint {
            offset: 0,
            chars: 0,
            flags: self.snap_flags,
        };
        let from = self
            .checkpoints
            .iter()
            .rev()
            .find(|c| c.chars < used)
            .copied()
            .unwrap_or(origin);
        let mut best = Cookie {
            pos: start + from.offset as u64,
            skip: used - from.chars.min(used),
            flags: from.flags,
        };
        if used == 0 {
            return Ok(best);
        }
        let mut decoder = TextDecoder::new(self.codec, self.errors, self.newline);
        decoder.restore(from.flags, start + from.offset as u64);
        let mut count = from.chars;
        let mut piece = String::new();
        for (i, byte) in self.snapshot.iter().enumerate().skip(from.offset) {
            piece.clear();
            decoder.decode(std::slice::from_ref(byte), false, &mut piece)?;
            count += count_chars(&piece);
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

    /// After the inner stream moved to the byte position of `value` (a cookie from [`Core::tell`]).
    pub(super) fn sought(&mut self, value: u64) {
        let cookie = Cookie::unpack(value);
        let seen = self.decoder.lines.seen();
        self.discard(cookie.pos);
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
    }

    /// After the inner stream moved to its end, at byte `end`.
    pub(super) fn sought_end(&mut self, end: u64) {
        self.discard(end);
        self.bom_due = end == 0;
    }

    /// The byte position of a cookie.
    pub(super) fn cookie_pos(value: u64) -> u64 {
        Cookie::unpack(value).pos
    }
}

/// Bytes that earlier writes left unsent die with the core: the wrapper holding it is gone (or was
/// detached, which refuses while any wait), so they are counted in
/// [`lost_on_drop`](super::lost_on_drop), never silently dropped.
impl Drop for Core {
    fn drop(&mut self) {
        self.count_lost();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Many small reads over a long stream, never starting at a chunk's end: the snapshot stays
    /// within a few chunks, and `tell` stays exact.
    #[test]
    fn snapshot_stays_bounded_between_calls() {
        let mut core = Core::new("latin-1".into(), ErrorHandler::Strict, Newline::Lf)
            .expect("a known encoding");
        let chunk: Vec<u8> = (0..CHUNK).map(|i| b'a' + (i % 7) as u8).collect();
        let mut pos = 0u64;
        let mut returned = 0u64;
        for _ in 0..20_000 {
            core.begin_read();
            let mut out = String::new();
            let mut want = 5;
            while want > 0 {
                want -= core.take(want, &mut out);
                if want > 0 {
                    core.decode_chunk(&chunk).expect("latin-1 decodes anything");
                    pos += chunk.len() as u64;
                }
            }
            returned += 5;
            assert!(core.snapshot.len() <= 4 * CHUNK, "{}", core.snapshot.len());
        }
        assert_eq!(core.tell(pos).ok(), Some(returned));
    }
}
