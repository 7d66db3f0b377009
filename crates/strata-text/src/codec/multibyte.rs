//! The CJK multi-byte codecs (Shift_JIS, cp932, EUC-JP, EUC-KR, cp949, GBK, GB18030, Big5) through
//! `encoding_rs`.
//!
//! `encoding_rs` implements the WHATWG Encoding Standard, whose tables are supersets of CPython's for
//! these names (WHATWG's Shift_JIS is Microsoft's cp932, its EUC-KR is cp949, its Big5 includes
//! HKSCS): text CPython reads, these read the same; a few vendor extensions CPython refuses decode
//! here (see `docs/python-parity.md`).
//!
//! The `encoding_rs` decoder keeps partial sequences inside itself, where the tell/seek machinery
//! cannot see them. So each call decodes only the *complete* sequences of its input, found by the
//! encoding's byte structure, with a fresh decoder told that the input ends there; the incomplete tail
//! stays in [`Decoder`](super::Decoder)'s own pending bytes like any other codec's. Well-formed input
//! is split only between characters; malformed input may be reported differently at chunk borders.

use std::io;

use encoding_rs::{DecoderResult, EncoderResult, Encoding};

use crate::handler::ErrorHandler;

/// How the lead byte tells a sequence's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// Shift_JIS: leads 81–9F and E0–FC take one more byte.
    ShiftJis,
    /// EUC-KR, Big5: leads 81–FE take one more byte.
    DoubleByte,
    /// EUC-JP: 8E and A1–FE take one more byte, 8F two more.
    EucJp,
    /// GBK, GB18030: leads 81–FE take one more byte, or three more when the next is a digit.
    Gb,
}

/// One multi-byte codec.
#[derive(Debug)]
pub(super) struct Multi {
    pub(super) encoding: &'static Encoding,
    pub(super) shape: Shape,
}

/// The length of the sequence starting at `bytes[i]`, or `None` when it runs past the end.
fn sequence_len(shape: Shape, bytes: &[u8], i: usize) -> Option<usize> {
    let lead = bytes[i];
    let len = match (shape, lead) {
        (_, 0x00..=0x7f) => 1,
        (Shape::ShiftJis, 0x81..=0x9f | 0xe0..=0xfc) => 2,
        (Shape::DoubleByte, 0x81..=0xfe) => 2,
        (Shape::EucJp, 0x8e | 0xa1..=0xfe) => 2,
        (Shape::EucJp, 0x8f) => 3,
        (Shape::Gb, 0x81..=0xfe) => match bytes.get(i + 1) {
            None => return None,
            Some(0x30..=0x39) => 4,
            Some(_) => 2,
        },
        _ => 1,
    };
    (i + len <= bytes.len()).then_some(len)
}

/// The length of the longest prefix of `bytes` made of complete sequences.
pub(super) fn complete_prefix(shape: Shape, bytes: &[u8]) -> usize {
    let mut i = 0;
    while i < bytes.len() {
        match sequence_len(shape, bytes, i) {
            Some(len) => i += len,
            None => break,
        }
    }
    i
}

/// Decodes all of `bytes` (at stream offset `base`) as if the stream ended there.
pub(super) fn decode(
    codec: &Multi,
    name: &'static str,
    bytes: &[u8],
    base: u64,
    errors: ErrorHandler,
    out: &mut String,
) -> io::Result<()> {
    let mut decoder = codec.encoding.new_decoder_without_bom_handling();
    let mut done = 0;
    loop {
        let rest = &bytes[done..];
        let room = decoder.max_utf8_buffer_length_without_replacement(rest.len());
        out.reserve(room.unwrap_or(rest.len()));
        let (result, read) = decoder.decode_to_string_without_replacement(rest, out, true);
        done += read;
        match result {
            DecoderResult::InputEmpty => return Ok(()),
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(bad, unread) => {
                let end = done - usize::from(unread);
                let start = end - usize::from(bad);
                let reason = if end == bytes.len() {
                    "incomplete multibyte sequence"
                } else {
                    "illegal multibyte sequence"
                };
                let at = base + start as u64;
                errors.on_decode_error(name, at, &bytes[start..end], reason, out)?;
            }
        }
    }
}

/// Encodes `text`; positions in errors count its code points.
pub(super) fn encode(
    codec: &Multi,
    name: &'static str,
    text: &str,
    errors: ErrorHandler,
    out: &mut Vec<u8>,
) -> io::Result<()> {
    let mut encoder = codec.encoding.new_encoder();
    let (mut done, mut chars) = (0, 0);
    loop {
        let rest = &text[done..];
        let room = encoder.max_buffer_length_from_utf8_without_replacement(rest.len());
        out.reserve(room.unwrap_or(rest.len()));
        let (result, read) = encoder.encode_from_utf8_to_vec_without_replacement(rest, out, true);
        done += read;
        chars += rest[..read].chars().count();
        match result {
            EncoderResult::InputEmpty => return Ok(()),
            EncoderResult::OutputFull => {}
            EncoderResult::Unmappable(c) => {
                let reason = "illegal multibyte sequence";
                // Replacements are ASCII, which every multi-byte codec here encodes as itself.
                errors.on_encode_error(name, chars - 1, c, reason, |s| {
                    out.extend_from_slice(s.as_bytes())
                })?;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_stop_before_incomplete_sequences() {
        assert_eq!(complete_prefix(Shape::ShiftJis, b"a\x93\xfa\x96"), 3);
        assert_eq!(
            complete_prefix(Shape::ShiftJis, b"\xb6\xc0"),
            2,
            "half-width katakana are single"
        );
        assert_eq!(complete_prefix(Shape::EucJp, b"\x8f\xa1"), 0);
        assert_eq!(complete_prefix(Shape::Gb, b"\xd6\xd0\x94"), 2);
        assert_eq!(complete_prefix(Shape::Gb, b"\x949\xfc"), 0);
        assert_eq!(complete_prefix(Shape::Gb, b"\x949\xfc6"), 4);
        assert_eq!(complete_prefix(Shape::DoubleByte, b"\xc7\xd1\xb1"), 2);
    }
}
