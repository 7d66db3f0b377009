//! Newline handling shared by [`StringIO`](crate::StringIO) and [`TextIOWrapper`](crate::TextIOWrapper):
//! the [`Newline`] modes, the incremental universal-newline decoder (Python's
//! `IncrementalNewlineDecoder`), write translation and line-end search.

use std::borrow::Cow;
use std::fmt;

/// Python's `newline` argument: how line endings are read and written.
///
/// | Python | Rust | on read | on write |
/// |---|---|---|---|
/// | `None` | `Universal` | `\r\n`, `\r` and `\n` all end lines and come back as `\n` | `\n` becomes the platform separator (`\n` on Unix; a [`StringIO`](crate::StringIO) keeps `\n`) |
/// | `""` | `Untranslated` | `\r\n`, `\r` and `\n` all end lines, returned as they are | untranslated |
/// | `"\n"` | `Lf` | only `\n` ends a line | untranslated |
/// | `"\r"` | `Cr` | only `\r` ends a line | `\n` becomes `\r` |
/// | `"\r\n"` | `CrLf` | only `\r\n` ends a line | `\n` becomes `\r\n` |
///
/// # Examples
///
/// ```
/// use strata_text::prelude::*;
/// use strata_text::{Newline, StringIO};
///
/// let mut s = StringIO::with_newline("a\r\nb\rc", Newline::Universal);
/// assert_eq!(s.getvalue()?, "a\nb\nc");
/// assert_eq!(s.readline(None)?, "a\n");
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Newline {
    /// Python's `newline=None`: universal newlines, translated to `\n` on read.
    Universal,
    /// Python's `newline=""`: universal newlines on read, nothing translated.
    Untranslated,
    /// Python's `newline="\n"`.
    Lf,
    /// Python's `newline="\r"`.
    Cr,
    /// Python's `newline="\r\n"`.
    CrLf,
}

impl Newline {
    /// Whether reading recognises all three line endings (`None` and `""` in Python).
    pub(crate) fn universal(self) -> bool {
        matches!(self, Newline::Universal | Newline::Untranslated)
    }

    /// The separator a written `\n` becomes, or `None` when writes are not translated.
    ///
    /// `platform` is what [`Newline::Universal`] writes (a `TextIOWrapper` writes `os.linesep`, a
    /// `StringIO` writes `\n`).
    fn write_separator(self, platform: &'static str) -> Option<&'static str> {
        match self {
            Newline::Universal if platform != "\n" => Some(platform),
            Newline::Universal | Newline::Untranslated | Newline::Lf => None,
            Newline::Cr => Some("\r"),
            Newline::CrLf => Some("\r\n"),
        }
    }

    /// `text` as it is written under this mode: every `\n` replaced by the mode's separator.
    pub(crate) fn translate_write<'a>(self, text: &'a str, platform: &'static str) -> Cow<'a, str> {
        match self.write_separator(platform) {
            Some(sep) if text.contains('\n') => Cow::Owned(text.replace('\n', sep)),
            _ => Cow::Borrowed(text),
        }
    }

    /// The byte index just past the first line ending of `text` under this mode's reading rules.
    ///
    /// Under [`Newline::Universal`] the text has already been translated, so only `\n` counts. A `\r` as
    /// the last character of `text` ends a line under the universal modes (the callers hold a chunk's
    /// final `\r` back until they know what follows it).
    pub(crate) fn find_line_end(self, text: &str) -> Option<usize> {
        match self {
            Newline::Universal | Newline::Lf => text.find('\n').map(|i| i + 1),
            Newline::Cr => text.find('\r').map(|i| i + 1),
            Newline::CrLf => text.find("\r\n").map(|i| i + 2),
            Newline::Untranslated => {
                let i = text.find(['\r', '\n'])?;
                let crlf =
                    text.as_bytes()[i] == b'\r' && text.as_bytes().get(i + 1) == Some(&b'\n');
                Some(i + if crlf { 2 } else { 1 })
            }
        }
    }
}

/// The platform line separator, Python's `os.linesep`.
pub(crate) const LINESEP: &str = if cfg!(windows) { "\r\n" } else { "\n" };

/// The kinds of line ending a stream has seen, Python's `newlines` attribute.
///
/// Python reports `None`, one string, or a tuple in the order `"\r"`, `"\n"`, `"\r\n"`;
/// [`as_slice`](SeenNewlines::as_slice) gives the same strings in the same order.
///
/// # Examples
///
/// ```
/// use strata_text::prelude::*;
/// use strata_text::{Newline, StringIO};
///
/// let mut s = StringIO::with_newline("", Newline::Universal);
/// assert!(s.newlines()?.is_none());
/// s.write("a\r\nb\n")?;
/// assert_eq!(s.newlines()?.map(|n| n.as_slice()), Some(&["\n", "\r\n"][..]));
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SeenNewlines(u8);

const SEEN_CR: u8 = 1;
const SEEN_LF: u8 = 2;
const SEEN_CRLF: u8 = 4;

impl SeenNewlines {
    /// Whether a lone `\r` was seen.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::prelude::*;
    /// use strata_text::{Newline, StringIO};
    ///
    /// let s = StringIO::with_newline("a\rb\n", Newline::Universal);
    /// assert_eq!(s.newlines()?.map(|n| n.cr()), Some(true));
    /// let s = StringIO::with_newline("a\r\nb", Newline::Universal);
    /// assert_eq!(s.newlines()?.map(|n| n.cr()), Some(false)); // part of a `\r\n`
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cr(self) -> bool {
        self.0 & SEEN_CR != 0
    }

    /// Whether a lone `\n` was seen.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::prelude::*;
    /// use strata_text::{Newline, StringIO};
    ///
    /// let s = StringIO::with_newline("a\rb\n", Newline::Untranslated);
    /// assert_eq!(s.newlines()?.map(|n| n.lf()), Some(true));
    /// let s = StringIO::with_newline("a\r\nb", Newline::Untranslated);
    /// assert_eq!(s.newlines()?.map(|n| n.lf()), Some(false)); // part of a `\r\n`
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn lf(self) -> bool {
        self.0 & SEEN_LF != 0
    }

    /// Whether `\r\n` was seen.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_buffered::BytesIO;
    /// use strata_text::prelude::*;
    /// use strata_text::TextIOWrapper;
    ///
    /// let mut text = TextIOWrapper::builder(BytesIO::from(b"a\r\nb\r".to_vec())).build()?;
    /// assert_eq!(text.read(None)?, "a\nb\n");
    /// assert_eq!(text.newlines().map(|n| n.crlf()), Some(true));
    /// assert_eq!(text.newlines().map(|n| n.cr()), Some(true));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn crlf(self) -> bool {
        self.0 & SEEN_CRLF != 0
    }

    /// The kinds seen, in Python's order: `"\r"`, `"\n"`, `"\r\n"`.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::prelude::*;
    /// use strata_text::{Newline, SeenNewlines, StringIO};
    ///
    /// let s = StringIO::with_newline("a\nb\r\nc\r", Newline::Untranslated);
    /// assert_eq!(s.newlines()?.map(|n| n.as_slice()), Some(&["\r", "\n", "\r\n"][..]));
    /// assert!(SeenNewlines::default().as_slice().is_empty());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_slice(self) -> &'static [&'static str] {
        const ALL: [&str; 3] = ["\r", "\n", "\r\n"];
        const TABLE: [&[&str]; 8] = [
            &[],
            &["\r"],
            &["\n"],
            &["\r", "\n"],
            &["\r\n"],
            &["\r", "\r\n"],
            &["\n", "\r\n"],
            &ALL,
        ];
        TABLE[usize::from(self.0 & 7)]
    }
}

impl fmt::Display for SeenNewlines {
    /// Python's repr of the attribute, with Rust's string quoting: `"\n"` for one kind,
    /// `("\r", "\n")` for several.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_text::prelude::*;
    /// use strata_text::{Newline, StringIO};
    ///
    /// let one = StringIO::with_newline("a\r\nb", Newline::Universal);
    /// assert_eq!(one.newlines()?.map(|n| n.to_string()), Some(r#""\r\n""#.to_string()));
    /// let two = StringIO::with_newline("a\r\nb\n", Newline::Universal);
    /// assert_eq!(two.newlines()?.map(|n| n.to_string()), Some(r#"("\n", "\r\n")"#.to_string()));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let quoted: Vec<String> = self.as_slice().iter().map(|s| format!("{s:?}")).collect();
        match quoted.as_slice() {
            [one] => f.write_str(one),
            many => write!(f, "({})", many.join(", ")),
        }
    }
}

/// Python's `IncrementalNewlineDecoder`: finds line endings in text that arrives in pieces.
///
/// A `\r` at the end of a piece is held back until the next piece (or the end) shows whether a `\n`
/// follows, so a `\r\n` split across pieces counts once. With `translate`, `\r\n` and `\r` become `\n`.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewlineDecoder {
    translate: bool,
    pendingcr: bool,
    seen: SeenNewlines,
}

impl NewlineDecoder {
    /// A decoder that translates to `\n` when `translate` is true.
    pub(crate) fn new(translate: bool) -> NewlineDecoder {
        NewlineDecoder {
            translate,
            pendingcr: false,
            seen: SeenNewlines::default(),
        }
    }

    /// Whether a `\r` is being held back.
    pub(crate) fn pendingcr(&self) -> bool {
        self.pendingcr
    }

    /// Sets the held-back `\r` state (restoring a position).
    pub(crate) fn set_pendingcr(&mut self, pendingcr: bool) {
        self.pendingcr = pendingcr;
    }

    /// The line endings seen so far, `None` before the first.
    pub(crate) fn seen(&self) -> Option<SeenNewlines> {
        (self.seen.0 != 0).then_some(self.seen)
    }

    /// Sets the line endings seen (restoring them after a seek).
    pub(crate) fn restore_seen(&mut self, seen: Option<SeenNewlines>) {
        self.seen = seen.unwrap_or_default();
    }

    /// Records the line ending of a line the caller decoded without this decoder, having checked that
    /// it holds no other `\r`: `\r\n` when `crlf`, else `\n`.
    pub(crate) fn note_line_end(&mut self, crlf: bool) {
        self.seen.0 |= if crlf { SEEN_CRLF } else { SEEN_LF };
    }

    /// Decodes `out[start..]` in place as the next piece of input; `last` marks the end of input.
    pub(crate) fn decode_in_place(&mut self, out: &mut String, start: usize, last: bool) {
        if std::mem::take(&mut self.pendingcr) {
            out.insert(start, '\r');
        }
        let piece = &out.as_bytes()[start..];
        if !contains_cr(piece) {
            if !self.seen.lf() && piece.contains(&b'\n') {
                self.seen.0 |= SEEN_LF;
            }
            return;
        }
        let mut text = out.split_off(start);
        if !last && text.ends_with('\r') {
            text.pop();
            self.pendingcr = true;
        }
        let bytes = text.as_bytes();
        for (i, &byte) in bytes.iter().enumerate() {
            self.seen.0 |= match (byte, bytes.get(i + 1)) {
                (b'\r', Some(b'\n')) => SEEN_CRLF,
                (b'\r', _) => SEEN_CR,
                (b'\n', _) if i > 0 && bytes[i - 1] == b'\r' => 0,
                (b'\n', _) => SEEN_LF,
                _ => 0,
            };
        }
        if self.translate {
            out.push_str(&text.replace("\r\n", "\n").replace('\r', "\n"));
        } else {
            out.push_str(&text);
        }
    }
}

/// Whether `bytes` holds a `\r`; word-at-a-time so that the common no-`\r` case stays cheap.
pub(crate) fn contains_cr(bytes: &[u8]) -> bool {
    const LANES: usize = 16;
    let mut blocks = bytes.chunks_exact(LANES);
    let found = blocks
        .by_ref()
        .any(|block| block.iter().fold(false, |acc, &b| acc | (b == b'\r')));
    found || blocks.remainder().contains(&b'\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_pieces(pieces: &[&str], translate: bool) -> String {
        let mut dec = NewlineDecoder::new(translate);
        let mut out = String::new();
        for (i, piece) in pieces.iter().enumerate() {
            let start = out.len();
            out.push_str(piece);
            dec.decode_in_place(&mut out, start, i + 1 == pieces.len());
        }
        out
    }

    #[test]
    fn crlf_split_across_pieces_counts_once() {
        assert_eq!(
            decode_pieces(&["abc\r", "\ndef\r", "\r\n", "x\r", ""], true),
            "abc\ndef\n\nx\n"
        );
        assert_eq!(
            decode_pieces(&["abc\r", "\ndef\r", "\r\n", "x\r", ""], false),
            "abc\r\ndef\r\r\nx\r"
        );
    }

    #[test]
    fn seen_kinds_follow_python_order() {
        let mut dec = NewlineDecoder::new(true);
        let mut out = String::from("a\r\nb\rc\n");
        dec.decode_in_place(&mut out, 0, true);
        assert_eq!(
            dec.seen().map(SeenNewlines::as_slice),
            Some(&["\r", "\n", "\r\n"][..])
        );
        assert_eq!(
            dec.seen().map(|s| s.to_string()),
            Some(r#"("\r", "\n", "\r\n")"#.to_string())
        );
    }

    proptest::proptest! {
        /// Any split of the input gives what decoding it in one piece gives, in both modes, and the
        /// same `newlines`.
        #[test]
        fn pieces_decode_like_the_whole(text in "[ab\r\n]{0,24}", cuts in proptest::collection::vec(0usize..24, 0..6), translate: bool) {
            let mut cuts: Vec<usize> = cuts.into_iter().filter(|&c| c <= text.len()).collect();
            cuts.sort_unstable();
            let mut pieces = vec![];
            let mut last = 0;
            for cut in cuts {
                pieces.push(&text[last..cut]);
                last = cut;
            }
            pieces.push(&text[last..]);
            let mut whole = NewlineDecoder::new(translate);
            let mut one = text.clone();
            whole.decode_in_place(&mut one, 0, true);
            proptest::prop_assert_eq!(decode_pieces(&pieces, translate), one);
            let mut split = NewlineDecoder::new(translate);
            let mut out = String::new();
            for (i, piece) in pieces.iter().enumerate() {
                let start = out.len();
                out.push_str(piece);
                split.decode_in_place(&mut out, start, i + 1 == pieces.len());
            }
            proptest::prop_assert_eq!(split.seen(), whole.seen());
        }
    }

    #[test]
    fn contains_cr_checks_every_byte() {
        for len in 0..40 {
            for at in 0..len {
                let mut v = vec![b'a'; len];
                v[at] = b'\r';
                assert!(contains_cr(&v));
            }
            assert!(!contains_cr(&vec![b'a'; len]));
        }
    }
}
