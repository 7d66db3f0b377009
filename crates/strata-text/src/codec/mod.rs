//! The codecs: name lookup, an incremental [`Decoder`] and a stateless [`encode`] for every encoding the
//! text layer supports.
//!
//! UTF-8, UTF-16, UTF-32, latin-1 and ASCII are implemented here. The single-byte legacy code pages
//! (cp1252, iso8859-2, koi8-r, …) decode through tables built on first use from `encoding_rs`'s and
//! corrected to Python's definition (the WHATWG tables map the bytes CPython leaves undefined in the
//! `cp125x` pages to C1 controls; Python refuses them). The CJK multi-byte codecs follow CPython's
//! decoding rules over `encoding_rs`'s tables, corrected the same way (see `multibyte`).
//!
//! Decoding is incremental: a [`Decoder`] keeps at most seven bytes of an incomplete sequence between
//! calls (at most three outside EUC-KR's eight-byte make-up sequences), so any chunking of the input
//! gives the same text and the same errors as decoding it in one piece. A decoder is
//! *clean* when it holds no such bytes; its remaining state (which byte order a BOM chose, whether the
//! UTF-8 BOM is still to be checked) fits in the two bits [`Decoder::flags`] returns, which is what
//! the text layer's tell/seek cookies store.

mod aliases;
mod cpython;
mod multibyte;

use std::io;
use std::sync::OnceLock;

use strata_raw::Error;

use crate::error::TextError;
use crate::handler::ErrorHandler;
use crate::utf8::{self, Scan};

/// Byte order of a UTF-16 or UTF-32 codec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endian {
    Le,
    Be,
}

/// What a codec does, independent of its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Utf8,
    /// UTF-8 that skips one leading BOM on read and writes one at the start.
    Utf8Sig,
    /// UTF-16 (`width` 2) or UTF-32 (`width` 4); `bom`: byte order from a BOM on read, a BOM written
    /// first (little endian, CPython's native order here) on write.
    Wide {
        width: usize,
        endian: Endian,
        bom: bool,
    },
    Latin1,
    Ascii,
    /// A single-byte code page, index into [`TABLE_SOURCES`].
    Table(usize),
    /// A CJK multi-byte codec, index into [`MULTI`].
    Multi(usize),
}

/// One supported encoding.
#[derive(Debug)]
pub(crate) struct Codec {
    /// Python's module name, e.g. `utf_8`.
    module: &'static str,
    /// Python's canonical name (`codecs.lookup(x).name`), e.g. `utf-8`, `iso8859-1`.
    pub(crate) name: &'static str,
    kind: Kind,
}

impl Codec {
    /// Whether the codec writes a BOM at the start of a stream.
    pub(crate) fn writes_bom(&self) -> bool {
        matches!(self.kind, Kind::Utf8Sig | Kind::Wide { bom: true, .. })
    }
}

const fn wide(
    module: &'static str,
    name: &'static str,
    width: usize,
    endian: Endian,
    bom: bool,
) -> Codec {
    Codec {
        module,
        name,
        kind: Kind::Wide { width, endian, bom },
    }
}

/// A single-byte code page: its `encoding_rs` table, and whether the C1 bytes that WHATWG maps to
/// themselves are undefined in Python (true for the Windows code pages).
struct TableSource {
    encoding: &'static encoding_rs::Encoding,
    c1_undefined: bool,
}

macro_rules! tables {
    ($( $module:literal $name:literal $enc:ident $c1:literal ),* $(,)?) => {
        const TABLE_SOURCES: &[TableSource] = &[ $( TableSource { encoding: encoding_rs::$enc, c1_undefined: $c1 } ),* ];
        const TABLE_CODECS: &[(&str, &str)] = &[ $( ($module, $name) ),* ];
    };
}

tables! {
    "cp1250" "cp1250" WINDOWS_1250 true,
    "cp1251" "cp1251" WINDOWS_1251 true,
    "cp1252" "cp1252" WINDOWS_1252 true,
    "cp1253" "cp1253" WINDOWS_1253 true,
    "cp1254" "cp1254" WINDOWS_1254 true,
    "cp1255" "cp1255" WINDOWS_1255 true,
    "cp1256" "cp1256" WINDOWS_1256 true,
    "cp1257" "cp1257" WINDOWS_1257 true,
    "cp1258" "cp1258" WINDOWS_1258 true,
    "cp874" "cp874" WINDOWS_874 true,
    "iso8859_2" "iso8859-2" ISO_8859_2 false,
    "iso8859_3" "iso8859-3" ISO_8859_3 false,
    "iso8859_4" "iso8859-4" ISO_8859_4 false,
    "iso8859_5" "iso8859-5" ISO_8859_5 false,
    "iso8859_6" "iso8859-6" ISO_8859_6 false,
    "iso8859_7" "iso8859-7" ISO_8859_7 false,
    "iso8859_8" "iso8859-8" ISO_8859_8 false,
    "iso8859_10" "iso8859-10" ISO_8859_10 false,
    "iso8859_13" "iso8859-13" ISO_8859_13 false,
    "iso8859_14" "iso8859-14" ISO_8859_14 false,
    "iso8859_15" "iso8859-15" ISO_8859_15 false,
    "iso8859_16" "iso8859-16" ISO_8859_16 false,
    "koi8_r" "koi8-r" KOI8_R false,
    "cp866" "cp866" IBM866 false,
    "mac_roman" "mac-roman" MACINTOSH false,
    "mac_cyrillic" "mac-cyrillic" X_MAC_CYRILLIC false,
}

/// The CJK multi-byte codecs: Python's module and canonical name, and the `encoding_rs` codec.
const MULTI_CODECS: &[(&str, &str)] = &[
    ("shift_jis", "shift_jis"),
    ("cp932", "cp932"),
    ("euc_jp", "euc_jp"),
    ("euc_kr", "euc_kr"),
    ("cp949", "cp949"),
    ("gbk", "gbk"),
    ("gb18030", "gb18030"),
    ("big5", "big5"),
];

static MULTI: [multibyte::Multi; 8] = {
    use multibyte::{Multi, Shape};
    [
        Multi::new(
            encoding_rs::SHIFT_JIS,
            Shape::ShiftJis,
            &cpython::SHIFT_JIS,
            // 80 is a lone control in WHATWG's Shift_JIS, undefined in CPython's.
            &[(0x80, None)],
            &[],
            // CPython writes `¥` and `‾` as the ASCII bytes WHATWG gives them; cp932 refuses them.
            &[('¥', 0x5c), ('‾', 0x7e)],
        ),
        Multi::new(
            encoding_rs::SHIFT_JIS,
            Shape::Cp932,
            &cpython::NONE,
            // Microsoft's cp932 maps A0 and FD-FF to private-use characters; WHATWG leaves them out.
            &[
                (0xa0, Some('\u{f8f0}')),
                (0xfd, Some('\u{f8f1}')),
                (0xfe, Some('\u{f8f2}')),
                (0xff, Some('\u{f8f3}')),
            ],
            &[],
            &[],
        ),
        Multi::new(
            encoding_rs::EUC_JP,
            Shape::EucJp,
            &cpython::EUC_JP,
            &[],
            // JIS X 0212's tilde, which CPython maps to ASCII's; WHATWG's to the full-width one.
            &[(b"\x8f\xa2\xb7", '~')],
            // CPython writes `¥` and `‾` as the ASCII bytes WHATWG gives them.
            &[('¥', 0x5c), ('‾', 0x7e)],
        ),
        Multi::new(
            encoding_rs::EUC_KR,
            Shape::EucKr,
            &cpython::EUC_KR,
            &[],
            &[],
            &[],
        ),
        Multi::new(
            encoding_rs::EUC_KR,
            Shape::DoubleByte,
            &cpython::NONE,
            &[],
            &[],
            &[],
        ),
        Multi::new(
            encoding_rs::GBK,
            Shape::DoubleByte,
            &cpython::GBK,
            &[],
            &[],
            &[],
        ),
        Multi::new(
            encoding_rs::GB18030,
            Shape::Gb18030,
            &cpython::GB18030,
            &[],
            // GB18030-2005's mapping, which CPython keeps; WHATWG's maps it to U+E7C7.
            &[(b"\x81\x35\xf4\x37", '\u{1e3f}')],
            &[],
        ),
        Multi::new(
            encoding_rs::BIG5,
            Shape::DoubleByte,
            &cpython::BIG5,
            &[],
            &[],
            &[],
        ),
    ]
};

const UNICODE_CODECS: &[Codec] = &[
    Codec {
        module: "utf_8",
        name: "utf-8",
        kind: Kind::Utf8,
    },
    Codec {
        module: "utf_8_sig",
        name: "utf-8-sig",
        kind: Kind::Utf8Sig,
    },
    wide("utf_16", "utf-16", 2, Endian::Le, true),
    wide("utf_16_le", "utf-16-le", 2, Endian::Le, false),
    wide("utf_16_be", "utf-16-be", 2, Endian::Be, false),
    wide("utf_32", "utf-32", 4, Endian::Le, true),
    wide("utf_32_le", "utf-32-le", 4, Endian::Le, false),
    wide("utf_32_be", "utf-32-be", 4, Endian::Be, false),
    Codec {
        module: "latin_1",
        name: "iso8859-1",
        kind: Kind::Latin1,
    },
    Codec {
        module: "ascii",
        name: "ascii",
        kind: Kind::Ascii,
    },
];

/// Every codec: the Unicode ones, the code pages in [`TABLE_SOURCES`] order, the multi-byte ones.
fn codecs() -> &'static [Codec] {
    static ALL: OnceLock<Vec<Codec>> = OnceLock::new();
    ALL.get_or_init(|| {
        let tables = TABLE_CODECS
            .iter()
            .enumerate()
            .map(|(i, &(module, name))| Codec {
                module,
                name,
                kind: Kind::Table(i),
            });
        let multi = MULTI_CODECS
            .iter()
            .enumerate()
            .map(|(i, &(module, name))| Codec {
                module,
                name,
                kind: Kind::Multi(i),
            });
        UNICODE_CODECS
            .iter()
            .map(|c| Codec {
                module: c.module,
                name: c.name,
                kind: c.kind,
            })
            .chain(tables)
            .chain(multi)
            .collect()
    })
}

/// Python's `encodings.normalize_encoding` after lower-casing: runs of characters other than ASCII
/// letters, digits and `.` become one `_`, leading and trailing ones vanish.
fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut punct = false;
    for c in name.chars() {
        if c.is_alphanumeric() || c == '.' {
            if punct && !out.is_empty() {
                out.push('_');
            }
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            }
            punct = false;
        } else {
            punct = true;
        }
    }
    out
}

/// The codec Python's `codecs.lookup(name)` would find, among those this crate implements.
///
/// # Errors
///
/// [`TextError::UnknownEncoding`] (`"unknown encoding: bogus"`), also for encodings Python knows but this
/// crate does not implement.
pub(crate) fn lookup(name: &str) -> io::Result<&'static Codec> {
    let norm = normalize(name);
    let find = |key: &str| {
        aliases::ALIASES
            .binary_search_by(|(alias, _)| alias.cmp(&key))
            .ok()
            .map(|i| aliases::ALIASES[i].1)
    };
    let module = find(&norm).or_else(|| find(&norm.replace('.', "_")));
    module
        .and_then(|module| codecs().iter().find(|c| c.module == module))
        .ok_or_else(|| TextError::UnknownEncoding(name.to_string()).into())
}

/// A code page's decode table and sorted encode table.
struct Table {
    decode: [Option<char>; 256],
    encode: Vec<(char, u8)>,
}

fn table(index: usize) -> &'static Table {
    static TABLES: [OnceLock<Table>; TABLE_CODECS.len()] =
        [const { OnceLock::new() }; TABLE_CODECS.len()];
    TABLES[index].get_or_init(|| {
        let source = &TABLE_SOURCES[index];
        let mut decode = [None; 256];
        for (byte, slot) in (0u8..=255).zip(decode.iter_mut()) {
            let single = [byte];
            let decoded = source
                .encoding
                .decode_without_bom_handling_and_without_replacement(&single);
            let c = decoded.and_then(|s| s.chars().next());
            let c1_identity =
                c.is_some_and(|c| u32::from(c) == u32::from(byte) && (0x80..0xa0).contains(&byte));
            *slot = if source.c1_undefined && c1_identity {
                None
            } else {
                c
            };
        }
        let mut encode: Vec<(char, u8)> = (0u8..=255)
            .zip(decode)
            .filter_map(|(b, c)| c.map(|c| (c, b)))
            .collect();
        encode.sort_unstable();
        Table { decode, encode }
    })
}

/// Python's name for a UTF-16/32 codec of this byte order, as its errors spell it.
fn wide_name(width: usize, endian: Endian) -> &'static str {
    match (width, endian) {
        (2, Endian::Le) => "utf-16-le",
        (2, Endian::Be) => "utf-16-be",
        (_, Endian::Le) => "utf-32-le",
        (_, Endian::Be) => "utf-32-be",
    }
}

const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// Flag values of [`Decoder::flags`] for the BOM-detecting codecs, as CPython numbers them: for UTF-16
/// and UTF-32, 0 = native order (little endian here), 1 = the other order, 2 = not yet determined; for
/// utf-8-sig, 1 = the BOM is still to be checked, 0 = checked.
const FLAG_UNDETERMINED: u8 = 2;

/// The longest sequence of any codec: EUC-KR's Hangul make-up sequences take eight bytes.
const LONGEST: usize = 8;

/// An incremental decoder: bytes in, text out, any chunking giving the same result.
#[derive(Debug, Clone)]
pub(crate) struct Decoder {
    codec: &'static Codec,
    errors: ErrorHandler,
    /// Bytes of an incomplete sequence (or of a BOM still being recognised).
    pending: Vec<u8>,
    /// See [`FLAG_UNDETERMINED`]; 0 for codecs without state.
    flags: u8,
    /// Stream offset of the next input byte, for error positions.
    fed: u64,
}

impl Decoder {
    /// A fresh decoder, as at the start of a stream; `fed` is the stream offset of the first byte.
    pub(crate) fn new(codec: &'static Codec, errors: ErrorHandler, fed: u64) -> Decoder {
        let mut decoder = Decoder {
            codec,
            errors,
            pending: Vec::new(),
            flags: 0,
            fed,
        };
        decoder.reset(fed);
        decoder
    }

    /// Back to the state at the start of a stream, at stream offset `fed`.
    pub(crate) fn reset(&mut self, fed: u64) {
        let flags = match self.codec.kind {
            Kind::Utf8Sig => 1,
            Kind::Wide { bom: true, .. } => FLAG_UNDETERMINED,
            _ => 0,
        };
        self.restore(flags, fed);
    }

    /// A clean decoder with `flags` (from [`Decoder::flags`]) at stream offset `fed`.
    pub(crate) fn restore(&mut self, flags: u8, fed: u64) {
        self.pending.clear();
        self.flags = flags;
        self.fed = fed;
    }

    /// The state besides pending bytes, two bits (see [`FLAG_UNDETERMINED`]).
    pub(crate) fn flags(&self) -> u8 {
        self.flags
    }

    /// Whether no bytes of an incomplete sequence are held.
    pub(crate) fn is_clean(&self) -> bool {
        self.pending.is_empty()
    }

    /// Whether the decoder is clean and decodes plain UTF-8 from here on, so that a caller may
    /// validate complete UTF-8 itself and report it with [`Decoder::skip_valid`].
    pub(crate) fn is_plain_utf8(&self) -> bool {
        let plain = match self.codec.kind {
            Kind::Utf8 => true,
            Kind::Utf8Sig => self.flags == 0,
            _ => false,
        };
        plain && self.is_clean()
    }

    /// Accounts for `n` bytes of complete, valid UTF-8 the caller decoded itself.
    pub(crate) fn skip_valid(&mut self, n: usize) {
        self.fed += n as u64;
    }

    /// Decodes `input`, appending to `out`; `last` marks the end of the stream (incomplete sequences are
    /// errors then).
    ///
    /// # Errors
    ///
    /// [`TextError::Decode`] under [`ErrorHandler::Strict`]; [`Error::InvalidArgument`] when a UTF-16/32
    /// stream does not start with a BOM (Python's `UnicodeError`), or for
    /// [`ErrorHandler::XmlCharRefReplace`].
    pub(crate) fn decode(
        &mut self,
        mut input: &[u8],
        last: bool,
        out: &mut String,
    ) -> io::Result<()> {
        if self.awaiting_bom() {
            input = self.detect_bom(input, last, out)?;
            if self.awaiting_bom() {
                return Ok(());
            }
        }
        if !self.pending.is_empty() {
            // Complete the held sequence with at most `LONGEST` new bytes.
            let held = self.pending.len();
            let take = input.len().min(LONGEST);
            let mut joined = std::mem::take(&mut self.pending);
            joined.extend_from_slice(&input[..take]);
            let start = self.fed - held as u64;
            let used = self.run(&joined, last && take == input.len(), start, out)?;
            if used < held {
                // Still incomplete: all of the input went into `joined`.
                joined.drain(..used);
                self.pending = joined;
                self.fed += take as u64;
                return Ok(());
            }
            input = &input[used - held..];
            self.fed += (used - held) as u64;
        }
        let used = self.run(input, last, self.fed, out)?;
        self.pending.extend_from_slice(&input[used..]);
        self.fed += input.len() as u64;
        Ok(())
    }

    fn awaiting_bom(&self) -> bool {
        match self.codec.kind {
            Kind::Utf8Sig => self.flags == 1,
            Kind::Wide { bom: true, .. } => self.flags == FLAG_UNDETERMINED,
            _ => false,
        }
    }

    /// Collects the first bytes of the stream into `pending` until the BOM question is settled; returns
    /// the input left over.
    fn detect_bom<'a>(
        &mut self,
        mut input: &'a [u8],
        last: bool,
        out: &mut String,
    ) -> io::Result<&'a [u8]> {
        let need = match self.codec.kind {
            Kind::Wide { width, .. } => width,
            _ => UTF8_BOM.len(),
        };
        while self.pending.len() < need && !input.is_empty() {
            if self.codec.kind == Kind::Utf8Sig && !UTF8_BOM.starts_with(&self.pending) {
                break;
            }
            self.pending.push(input[0]);
            input = &input[1..];
            self.fed += 1;
        }
        if let Kind::Wide { width, .. } = self.codec.kind {
            if self.pending.len() < need {
                if last && !self.pending.is_empty() {
                    // CPython reports this as the native-order codec's truncated data.
                    let start = self.fed - self.pending.len() as u64;
                    let bytes = std::mem::take(&mut self.pending);
                    let name = wide_name(width, Endian::Le);
                    self.errors
                        .on_decode_error(name, start, &bytes, "truncated data", out)?;
                }
                return Ok(input);
            }
            let bom: &[u8] = if width == 2 {
                b"\xff\xfe"
            } else {
                b"\xff\xfe\x00\x00"
            };
            let bom_be: &[u8] = if width == 2 {
                b"\xfe\xff"
            } else {
                b"\x00\x00\xfe\xff"
            };
            self.flags = if self.pending == bom {
                0
            } else if self.pending == bom_be {
                1
            } else {
                // CPython decodes the input in native order before it checks for the BOM, so an
                // undecodable sequence in it is reported first.
                let native = Decoder {
                    flags: 0,
                    pending: Vec::new(),
                    ..self.clone()
                };
                let mut probe = std::mem::take(&mut self.pending);
                let start = self.fed - probe.len() as u64;
                probe.extend_from_slice(input);
                native.run(&probe, last, start, &mut String::new())?;
                let bits = if width == 2 { 16 } else { 32 };
                return Err(Error::InvalidArgument(
                    format!("UTF-{bits} stream does not start with BOM").into(),
                )
                .into());
            };
            self.pending.clear();
            return Ok(input);
        }
        // utf-8-sig
        if self.pending.len() == need && self.pending == UTF8_BOM {
            self.pending.clear();
            self.flags = 0;
        } else if UTF8_BOM.starts_with(&self.pending) && self.pending.len() < need {
            if last {
                // CPython's utf-8-sig decoder drops a partial BOM at the end of the stream.
                self.pending.clear();
                self.flags = 0;
            }
        } else {
            // Not a BOM: the collected bytes are ordinary UTF-8, still in `pending`.
            self.flags = 0;
        }
        Ok(input)
    }

    /// Decodes a complete prefix of `bytes` (all of it when `last`), which start at stream offset
    /// `base`; returns how many bytes it used.
    fn run(&self, bytes: &[u8], last: bool, base: u64, out: &mut String) -> io::Result<usize> {
        match self.codec.kind {
            Kind::Utf8 | Kind::Utf8Sig => self.run_utf8(bytes, last, base, out),
            Kind::Wide { width, endian, bom } => {
                let endian = match (bom, self.flags) {
                    (true, 1) => Endian::Be,
                    (true, _) => Endian::Le,
                    (false, _) => endian,
                };
                if width == 2 {
                    self.run_utf16(bytes, last, base, endian, out)
                } else {
                    self.run_utf32(bytes, last, base, endian, out)
                }
            }
            Kind::Latin1 => {
                out.extend(bytes.iter().map(|&b| char::from(b)));
                Ok(bytes.len())
            }
            Kind::Ascii => self.run_bytewise(
                bytes,
                base,
                "ascii",
                "ordinal not in range(128)",
                out,
                |b| b.is_ascii().then(|| char::from(b)),
            ),
            Kind::Table(i) => {
                let table = table(i);
                let reason = "character maps to <undefined>";
                self.run_bytewise(bytes, base, "charmap", reason, out, |b| {
                    table.decode[usize::from(b)]
                })
            }
            Kind::Multi(i) => multibyte::decode(
                &MULTI[i],
                self.codec.name,
                bytes,
                last,
                base,
                self.errors,
                out,
            ),
        }
    }

    fn error(
        &self,
        name: &'static str,
        at: u64,
        bad: &[u8],
        reason: &'static str,
        out: &mut String,
    ) -> io::Result<()> {
        self.errors.on_decode_error(name, at, bad, reason, out)
    }

    fn run_utf8(&self, bytes: &[u8], last: bool, base: u64, out: &mut String) -> io::Result<usize> {
        let mut i = 0;
        loop {
            match utf8::scan(&bytes[i..]) {
                Scan::Valid(text) => {
                    out.push_str(text);
                    return Ok(bytes.len());
                }
                Scan::Incomplete(text) if !last => {
                    out.push_str(text);
                    return Ok(i + text.len());
                }
                // An error, or an incomplete end of the stream: let `from_utf8` say where and why.
                Scan::Incomplete(_) | Scan::Invalid => {}
            }
            match std::str::from_utf8(&bytes[i..]) {
                Ok(text) => {
                    out.push_str(text);
                    return Ok(bytes.len());
                }
                Err(err) => {
                    let valid = i + err.valid_up_to();
                    out.push_str(
                        std::str::from_utf8(&bytes[i..valid])
                            .map_err(|_| io::ErrorKind::InvalidData)?,
                    );
                    i = valid;
                    let at = base + i as u64;
                    match err.error_len() {
                        None if !last => return Ok(i),
                        None => {
                            self.error("utf-8", at, &bytes[i..], "unexpected end of data", out)?;
                            return Ok(bytes.len());
                        }
                        Some(n) => {
                            let reason = if (0xc2..=0xf4).contains(&bytes[i]) {
                                "invalid continuation byte"
                            } else {
                                "invalid start byte"
                            };
                            self.error("utf-8", at, &bytes[i..i + n], reason, out)?;
                            i += n;
                        }
                    }
                }
            }
        }
    }

    fn run_utf16(
        &self,
        bytes: &[u8],
        last: bool,
        base: u64,
        endian: Endian,
        out: &mut String,
    ) -> io::Result<usize> {
        let name = wide_name(2, endian);
        let unit = |i: usize| {
            let pair = [bytes[i], bytes[i + 1]];
            match endian {
                Endian::Le => u16::from_le_bytes(pair),
                Endian::Be => u16::from_be_bytes(pair),
            }
        };
        let mut i = 0;
        while i + 2 <= bytes.len() {
            let at = base + i as u64;
            let u = unit(i);
            match u {
                0xd800..=0xdbff => {
                    if i + 4 > bytes.len() {
                        if !last {
                            return Ok(i);
                        }
                        // CPython reports the surrogate and whatever follows it as one error.
                        self.error(name, at, &bytes[i..], "unexpected end of data", out)?;
                        return Ok(bytes.len());
                    }
                    let low = unit(i + 2);
                    if (0xdc00..=0xdfff).contains(&low) {
                        let c =
                            0x10000 + ((u32::from(u) - 0xd800) << 10) + (u32::from(low) - 0xdc00);
                        out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                        i += 4;
                    } else {
                        self.error(name, at, &bytes[i..i + 2], "illegal UTF-16 surrogate", out)?;
                        i += 2;
                    }
                }
                0xdc00..=0xdfff => {
                    self.error(name, at, &bytes[i..i + 2], "illegal encoding", out)?;
                    i += 2;
                }
                _ => {
                    out.push(char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}'));
                    i += 2;
                }
            }
        }
        if i < bytes.len() {
            if !last {
                return Ok(i);
            }
            self.error(name, base + i as u64, &bytes[i..], "truncated data", out)?;
        }
        Ok(bytes.len())
    }

    fn run_utf32(
        &self,
        bytes: &[u8],
        last: bool,
        base: u64,
        endian: Endian,
        out: &mut String,
    ) -> io::Result<usize> {
        let name = wide_name(4, endian);
        let mut units = bytes.chunks_exact(4);
        for (k, unit) in units.by_ref().enumerate() {
            let quad = [unit[0], unit[1], unit[2], unit[3]];
            let code = match endian {
                Endian::Le => u32::from_le_bytes(quad),
                Endian::Be => u32::from_be_bytes(quad),
            };
            let at = base + 4 * k as u64;
            match char::from_u32(code) {
                Some(c) => out.push(c),
                None if code > 0x10ffff => {
                    self.error(name, at, unit, "code point not in range(0x110000)", out)?
                }
                None => {
                    let reason = "code point in surrogate code point range(0xd800, 0xe000)";
                    self.error(name, at, unit, reason, out)?
                }
            }
        }
        let tail = units.remainder();
        let done = bytes.len() - tail.len();
        if tail.is_empty() || !last {
            return Ok(done);
        }
        self.error(name, base + done as u64, tail, "truncated data", out)?;
        Ok(bytes.len())
    }

    /// Decodes a stateless single-byte codec: `map` gives each byte's character or `None`.
    fn run_bytewise(
        &self,
        bytes: &[u8],
        base: u64,
        name: &'static str,
        reason: &'static str,
        out: &mut String,
        map: impl Fn(u8) -> Option<char>,
    ) -> io::Result<usize> {
        let mut rest = bytes;
        while !rest.is_empty() {
            // ASCII runs map to themselves in every supported code page.
            let run = rest
                .iter()
                .position(|b| !b.is_ascii())
                .unwrap_or(rest.len());
            out.push_str(
                std::str::from_utf8(&rest[..run]).map_err(|_| io::ErrorKind::InvalidData)?,
            );
            rest = &rest[run..];
            if let Some((&byte, tail)) = rest.split_first() {
                match map(byte) {
                    Some(c) => out.push(c),
                    None => {
                        let at = base + (bytes.len() - rest.len()) as u64;
                        self.error(name, at, &[byte], reason, out)?;
                    }
                }
                rest = tail;
            }
        }
        Ok(bytes.len())
    }
}

/// Encodes `text` with `codec`, appending to `out`; `bom` asks for the codec's BOM first.
///
/// Positions in errors count code points of `text`.
///
/// # Errors
///
/// [`TextError::Encode`] under [`ErrorHandler::Strict`] for a character the codec cannot represent (only
/// latin-1, ASCII and the code pages have such characters).
pub(crate) fn encode(
    codec: &Codec,
    text: &str,
    errors: ErrorHandler,
    bom: bool,
    out: &mut Vec<u8>,
) -> io::Result<()> {
    match codec.kind {
        Kind::Utf8 | Kind::Utf8Sig => {
            if bom {
                out.extend_from_slice(UTF8_BOM);
            }
            out.extend_from_slice(text.as_bytes());
        }
        Kind::Wide { width, endian, .. } => {
            if bom {
                encode_wide_unit(0xfeff, width, endian, out);
            }
            if width == 2 {
                text.encode_utf16()
                    .for_each(|u| encode_wide_unit(u32::from(u), 2, endian, out));
            } else {
                text.chars()
                    .for_each(|c| encode_wide_unit(u32::from(c), 4, endian, out));
            }
        }
        Kind::Latin1 => encode_bytewise(
            text,
            errors,
            "latin-1",
            "ordinal not in range(256)",
            out,
            |c| u8::try_from(u32::from(c)).ok(),
        )?,
        Kind::Ascii => encode_bytewise(
            text,
            errors,
            "ascii",
            "ordinal not in range(128)",
            out,
            |c| c.is_ascii().then_some(c as u8),
        )?,
        Kind::Table(i) => {
            let table = table(i);
            encode_bytewise(
                text,
                errors,
                "charmap",
                "character maps to <undefined>",
                out,
                |c| {
                    table
                        .encode
                        .binary_search_by(|&(k, _)| k.cmp(&c))
                        .ok()
                        .map(|j| table.encode[j].1)
                },
            )?
        }
        Kind::Multi(i) => multibyte::encode(&MULTI[i], codec.name, text, errors, out)?,
    }
    Ok(())
}

fn encode_wide_unit(unit: u32, width: usize, endian: Endian, out: &mut Vec<u8>) {
    match (width, endian) {
        (2, Endian::Le) => out.extend_from_slice(&(unit as u16).to_le_bytes()),
        (2, Endian::Be) => out.extend_from_slice(&(unit as u16).to_be_bytes()),
        (_, Endian::Le) => out.extend_from_slice(&unit.to_le_bytes()),
        (_, Endian::Be) => out.extend_from_slice(&unit.to_be_bytes()),
    }
}

fn encode_bytewise(
    text: &str,
    errors: ErrorHandler,
    name: &'static str,
    reason: &'static str,
    out: &mut Vec<u8>,
    map: impl Fn(char) -> Option<u8>,
) -> io::Result<()> {
    if text.is_ascii() {
        out.extend_from_slice(text.as_bytes());
        return Ok(());
    }
    for (position, c) in text.chars().enumerate() {
        match map(c) {
            Some(byte) => out.push(byte),
            // Replacements are ASCII, which every byte-wise codec here encodes as itself.
            None => errors.on_encode_error(name, position, c, reason, |s| {
                out.extend_from_slice(s.as_bytes())
            })?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_follows_python_aliases() {
        for (alias, name) in [
            ("UTF8", "utf-8"),
            ("utf_8", "utf-8"),
            ("u8", "utf-8"),
            ("latin1", "iso8859-1"),
            ("iso-8859-1", "iso8859-1"),
            ("ISO 8859-1", "iso8859-1"),
            ("cp1252", "cp1252"),
            ("windows-1252", "cp1252"),
            ("UTF-16LE", "utf-16-le"),
            ("U16", "utf-16"),
            ("646", "ascii"),
            ("ansi_x3.4_1968", "ascii"),
            ("ansi-x3.4-1968", "ascii"),
            ("mac-roman", "mac-roman"),
        ] {
            assert_eq!(lookup(alias).map(|c| c.name).ok(), Some(name), "{alias}");
        }
        let err = lookup("utf8-sig").unwrap_err();
        assert_eq!(err.to_string(), "unknown encoding: utf8-sig");
    }

    #[test]
    fn aliases_are_sorted_and_resolve() {
        assert!(aliases::ALIASES.windows(2).all(|w| w[0].0 < w[1].0));
        for (alias, _) in aliases::ALIASES {
            assert!(lookup(alias).is_ok(), "{alias}");
        }
    }

    #[test]
    fn cp1252_leaves_python_holes_undefined() {
        let t = table(2);
        assert_eq!(t.decode[0x80], Some('€'));
        for hole in [0x81, 0x8d, 0x8f, 0x90, 0x9d] {
            assert_eq!(t.decode[hole], None);
        }
    }
}
