//! The CJK multi-byte codecs (Shift_JIS, cp932, EUC-JP, EUC-KR, cp949, GBK, GB18030, Big5): CPython's
//! decoding rules, with `encoding_rs`'s tables corrected to CPython's (see [`cpython`](super::cpython)).
//!
//! Decoding walks the input as CPython's C decoders do (`Modules/cjkcodecs`), so that the same bytes
//! give the same text and the same errors however they are chunked:
//!
//! - the lead byte, and for GB18030 the byte after it, tells how many bytes the sequence takes
//!   ([`Shape::need`]); a sequence cut by the end of the input waits for more bytes, or at the end of
//!   the stream is one error, `"incomplete multibyte sequence"`, over all the remaining bytes;
//! - a complete sequence is looked up (two-byte sequences in a table built on first use from
//!   `encoding_rs` and corrected to CPython's; longer ones through `encoding_rs`, or for EUC-KR's
//!   eight-byte Hangul make-up sequences by composition); one that is not defined is an error over
//!   its lead byte alone, `"illegal multibyte sequence"`, and decoding resumes at the next byte.
//!
//! Encoding goes through `encoding_rs` where its bytes decode back to the character, and through
//! the inverse of the decoding tables otherwise; Shift_JIS and EUC-JP also write `¥` as `\` and
//! `‾` as `~`, as CPython does (those bytes decode back as ASCII). A character with two sequences
//! takes `encoding_rs`'s choice, which may differ from CPython's (see `docs/python-parity.md`).

use std::io;
use std::sync::OnceLock;

use encoding_rs::{EncoderResult, Encoding};

use super::cpython::Corrections;
use crate::handler::ErrorHandler;

/// How CPython's decoder of a codec tells a sequence's length from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// CPython's `shift_jis`: leads 81–9F and E0–EA take one more byte.
    ShiftJis,
    /// CPython's `cp932`: leads 81–9F and E0–FC take one more byte.
    Cp932,
    /// EUC-JP: 8F takes two more bytes, every other byte from 80 one more.
    EucJp,
    /// EUC-KR: every byte from 80 takes one more; A4 D4 starts an eight-byte make-up sequence.
    EucKr,
    /// cp949, GBK, Big5: every byte from 80 takes one more.
    DoubleByte,
    /// GB18030: every byte from 80 takes one more, or three more when the next is a digit.
    Gb18030,
}

impl Shape {
    /// The length of the sequence at the start of `bytes` (which starts with a byte from 80), or
    /// `None` when the bytes present do not tell yet.
    fn need(self, bytes: &[u8]) -> Option<usize> {
        let lead = bytes[0];
        Some(match self {
            Shape::ShiftJis if matches!(lead, 0x81..=0x9f | 0xe0..=0xea) => 2,
            Shape::Cp932 if matches!(lead, 0x81..=0x9f | 0xe0..=0xfc) => 2,
            Shape::ShiftJis | Shape::Cp932 => 1,
            Shape::EucJp if lead == 0x8f => 3,
            Shape::EucKr if lead == MAKEUP_LEAD => match bytes.get(1) {
                None => return None,
                Some(&MAKEUP_FILLER) => 8,
                Some(_) => 2,
            },
            Shape::Gb18030 => match bytes.get(1) {
                None => return None,
                Some(0x30..=0x39) => 4,
                Some(_) => 2,
            },
            Shape::EucJp | Shape::EucKr | Shape::DoubleByte => 2,
        })
    }
}

/// EUC-KR's Hangul make-up sequences (KS X 1001:1998 Annex 3): `A4 D4`, then `A4` and a choseong,
/// `A4` and a jungseong, `A4` and a jongseong or the filler `D4`.
const MAKEUP_LEAD: u8 = 0xa4;
const MAKEUP_FILLER: u8 = 0xd4;
/// For each jamo byte A1–BE, its choseong and jongseong index (CPython's `cgk2u_choseong` and
/// `cgk2u_jongseong`), [`NO_JAMO`] where it has none.
#[rustfmt::skip]
const JAMO: [(u8, u8); 30] = {
    const X: u8 = NO_JAMO;
    [
        (0, 1), (1, 2), (X, 3), (2, 4), (X, 5), (X, 6), (3, 7), (4, X), (5, 8), (X, 9),
        (X, 10), (X, 11), (X, 12), (X, 13), (X, 14), (X, 15), (6, 16), (7, 17), (8, X), (X, 18),
        (9, 19), (10, 20), (11, 21), (12, 22), (13, X), (14, 23), (15, 24), (16, 25), (17, 26),
        (18, 27),
    ]
};
const NO_JAMO: u8 = u8::MAX;

/// The syllable of an eight-byte make-up sequence, as CPython composes it.
fn makeup(seq: &[u8]) -> Option<char> {
    if seq[2] != MAKEUP_LEAD || seq[4] != MAKEUP_LEAD || seq[6] != MAKEUP_LEAD {
        return None;
    }
    let index = |b: u8, pick: fn((u8, u8)) -> u8| {
        let entry = JAMO.get(usize::from(b.wrapping_sub(0xa1)))?;
        Some(pick(*entry)).filter(|&i| i != NO_JAMO)
    };
    let cho = index(seq[3], |(cho, _)| cho)?;
    let jung = (0xbf..=0xd3).contains(&seq[5]).then(|| seq[5] - 0xbf)?;
    let jong = match seq[7] {
        MAKEUP_FILLER => 0,
        b => index(b, |(_, jong)| jong)?,
    };
    char::from_u32(0xac00 + u32::from(cho) * 588 + u32::from(jung) * 28 + u32::from(jong))
}

/// One multi-byte codec.
#[derive(Debug)]
pub(super) struct Multi {
    pub(super) encoding: &'static Encoding,
    pub(super) shape: Shape,
    /// Where CPython's two-byte table differs from `encoding_rs`'s.
    pub(super) corrections: &'static Corrections,
    /// Single bytes from 80 that CPython decodes otherwise than `encoding_rs`: `(byte, character)`.
    pub(super) singles: &'static [(u8, Option<char>)],
    /// Longer sequences CPython decodes otherwise than `encoding_rs`.
    pub(super) long_remap: &'static [(&'static [u8], char)],
    /// Characters CPython's encoder writes as an ASCII byte that decodes to another character
    /// (Shift_JIS's and EUC-JP's `¥` as `\` and `‾` as `~`).
    pub(super) narrow: &'static [(char, u8)],
    tables: OnceLock<Tables>,
}

/// A sequence of one to three bytes, inline.
#[derive(Debug, Clone, Copy)]
struct Sequence {
    len: u8,
    bytes: [u8; 3],
}

impl Sequence {
    fn new(bytes: &[u8]) -> Sequence {
        let mut seq = Sequence {
            len: bytes.len() as u8,
            bytes: [0; 3],
        };
        seq.bytes[..bytes.len()].copy_from_slice(bytes);
        seq
    }

    fn as_slice(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

/// A codec's lookup tables, built on first use.
#[derive(Debug)]
struct Tables {
    /// The bytes 80–FF decoded alone.
    single: [Option<char>; 128],
    /// The pairs `(lead - 0x80) << 8 | trail`.
    pair: Box<[Option<char>]>,
    /// Every non-ASCII character these tables decode (and for EUC-JP, its three-byte JIS X 0212
    /// sequences), with the first sequence that decodes to it, sorted by character: the encoder's
    /// fallback for the characters `encoding_rs` cannot encode.
    reverse: Vec<(char, Sequence)>,
}

/// The only character `encoding_rs` decodes `seq` to, when it decodes it to exactly one.
fn decode_one(encoding: &'static Encoding, seq: &[u8]) -> Option<char> {
    let text = encoding.decode_without_bom_handling_and_without_replacement(seq)?;
    let mut chars = text.chars();
    chars.next().filter(|_| chars.next().is_none())
}

impl Multi {
    /// A codec decoding as `shape` says, with `encoding_rs`'s `encoding` corrected by `corrections`,
    /// `singles` and `long_remap`, and encoding the characters of `narrow` to their ASCII bytes.
    pub(super) const fn new(
        encoding: &'static Encoding,
        shape: Shape,
        corrections: &'static Corrections,
        singles: &'static [(u8, Option<char>)],
        long_remap: &'static [(&'static [u8], char)],
        narrow: &'static [(char, u8)],
    ) -> Multi {
        Multi {
            encoding,
            shape,
            corrections,
            singles,
            long_remap,
            narrow,
            tables: OnceLock::new(),
        }
    }

    fn tables(&self) -> &Tables {
        self.tables.get_or_init(|| {
            let mut single = [None; 128];
            for (byte, slot) in (0x80..=0xffu8).zip(single.iter_mut()) {
                *slot = decode_one(self.encoding, &[byte]);
            }
            for &(byte, c) in self.singles {
                single[usize::from(byte - 0x80)] = c;
            }
            let mut pair = vec![None; 0x8000].into_boxed_slice();
            for (code, slot) in (0x8000..=0xffffu16).zip(pair.iter_mut()) {
                *slot = decode_one(self.encoding, &code.to_be_bytes());
            }
            for &(first, last) in self.corrections.refused {
                pair[usize::from(first - 0x8000)..=usize::from(last - 0x8000)].fill(None);
            }
            for &(code, c) in self.corrections.remap {
                pair[usize::from(code - 0x8000)] = Some(c);
            }
            let singles = (0x80..=0xffu8)
                .zip(single)
                .map(|(b, c)| (c, Sequence::new(&[b])));
            let pairs = (0x8000..=0xffffu16)
                .zip(pair.iter())
                .map(|(code, &c)| (c, Sequence::new(&code.to_be_bytes())));
            let triples = (self.shape == Shape::EucJp)
                .then(|| (0xa1..=0xfeu8).flat_map(|l| (0xa1..=0xfeu8).map(move |t| [0x8f, l, t])))
                .into_iter()
                .flatten()
                .map(|seq| (self.lookup_long(&seq), Sequence::new(&seq)));
            // Only sequences the decoder reads as one: not a pair whose lead stands alone, say.
            let mut reverse: Vec<(char, Sequence)> = singles
                .chain(pairs)
                .chain(triples)
                .filter(|(_, seq)| self.shape.need(seq.as_slice()) == Some(usize::from(seq.len)))
                .filter_map(|(c, seq)| Some((c?, seq)))
                .collect();
            // Stable: the first sequence of each character stays first.
            reverse.sort_by_key(|&(c, _)| c);
            reverse.dedup_by_key(|&mut (c, _)| c);
            Tables {
                single,
                pair,
                reverse,
            }
        })
    }

    /// The character of the complete sequence `seq`, if defined: `None` for a sequence that does
    /// not start with a byte from 80 (those are ASCII, not looked up).
    fn lookup(&self, tables: &Tables, seq: &[u8]) -> Option<char> {
        let lead = usize::from(seq.first()?.checked_sub(0x80)?);
        match *seq {
            [_] => tables.single[lead],
            [_, trail] => tables.pair[lead << 8 | usize::from(trail)],
            _ => self.lookup_long(seq),
        }
    }

    /// The character of a complete sequence of three or more bytes, if defined.
    fn lookup_long(&self, seq: &[u8]) -> Option<char> {
        if self.shape == Shape::EucKr {
            return makeup(seq);
        }
        match self.long_remap.iter().find(|(bytes, _)| *bytes == seq) {
            Some(&(_, c)) => Some(c),
            None => decode_one(self.encoding, seq),
        }
    }

    /// The bytes CPython's rules decode to `c`, from the tables, for a character `encoding_rs`
    /// cannot encode (or encodes to bytes that decode otherwise).
    fn reverse<'t>(&self, tables: &'t Tables, c: char) -> Option<&'t [u8]> {
        let i = tables.reverse.binary_search_by_key(&c, |&(k, _)| k).ok()?;
        Some(tables.reverse[i].1.as_slice())
    }
}

/// Decodes the complete sequences of `bytes` (at stream offset `base`), all of them when `last`
/// marks the end of the stream; returns how many bytes it used.
pub(super) fn decode(
    codec: &Multi,
    name: &'static str,
    bytes: &[u8],
    last: bool,
    base: u64,
    errors: ErrorHandler,
    out: &mut String,
) -> io::Result<usize> {
    let tables = codec.tables();
    let mut i = 0;
    while i < bytes.len() {
        let ascii = bytes[i..]
            .iter()
            .position(|b| !b.is_ascii())
            .unwrap_or(bytes.len() - i);
        if ascii > 0 {
            let run = std::str::from_utf8(&bytes[i..i + ascii])
                .map_err(|_| io::ErrorKind::InvalidData)?;
            out.push_str(run);
            i += ascii;
            continue;
        }
        let rest = &bytes[i..];
        let at = base + i as u64;
        let Some(len) = codec.shape.need(rest).filter(|&len| len <= rest.len()) else {
            if !last {
                return Ok(i);
            }
            errors.on_decode_error(name, at, rest, "incomplete multibyte sequence", out)?;
            return Ok(bytes.len());
        };
        match codec.lookup(tables, &rest[..len]) {
            Some(c) => {
                out.push(c);
                i += len;
            }
            None => {
                errors.on_decode_error(name, at, &rest[..1], "illegal multibyte sequence", out)?;
                i += 1;
            }
        }
    }
    Ok(i)
}

/// Encodes `text`; positions in errors count its code points.
///
/// A character is encoded only if its bytes decode back to it under CPython's rules (the tables of
/// [`decode`]): `encoding_rs` encodes some characters CPython refuses, such as `€` in GBK.
pub(super) fn encode(
    codec: &Multi,
    name: &'static str,
    text: &str,
    errors: ErrorHandler,
    out: &mut Vec<u8>,
) -> io::Result<()> {
    // The common case: `encoding_rs` maps everything, and the bytes read back as `text`.
    let (result, _, _) = codec.encoding.encode(text);
    let mut back = String::with_capacity(text.len());
    let clean = decode(
        codec,
        name,
        &result,
        true,
        0,
        ErrorHandler::Strict,
        &mut back,
    )
    .is_ok()
        && back == text;
    if clean {
        out.extend_from_slice(&result);
        return Ok(());
    }
    let tables = codec.tables();
    let mut encoder = codec.encoding.new_encoder();
    let mut one = Vec::with_capacity(8);
    let mut buf = [0; 4];
    for (position, c) in text.chars().enumerate() {
        if c.is_ascii() {
            out.push(c as u8);
            continue;
        }
        one.clear();
        let (result, _) = encoder.encode_from_utf8_to_vec_without_replacement(
            c.encode_utf8(&mut buf),
            &mut one,
            true,
        );
        let round_trips = result == EncoderResult::InputEmpty
            && codec.shape.need(&one) == Some(one.len())
            && codec.lookup(tables, &one) == Some(c);
        if round_trips {
            out.extend_from_slice(&one);
        } else if let Some(&(_, byte)) = codec.narrow.iter().find(|&&(k, _)| k == c) {
            out.push(byte);
        } else if let Some(seq) = codec.reverse(tables, c) {
            out.extend_from_slice(seq);
        } else {
            // Replacements are ASCII, which every multi-byte codec here encodes as itself.
            let reason = "illegal multibyte sequence";
            errors.on_encode_error(name, position, c, reason, |s| {
                out.extend_from_slice(s.as_bytes())
            })?;
        }
    }
    Ok(())
}
