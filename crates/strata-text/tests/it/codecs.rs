//! Encodings through `TextIOWrapper`: bytes CPython produces, round trips, chunk independence and
//! `seek(tell())` in every encoding (proptest).

use std::io::{Seek, SeekFrom};

use proptest::prelude::*;
use strata_buffered::BytesIO;
use strata_text::prelude::*;
use strata_text::{ErrorHandler, Newline, TextIOWrapper};

use crate::support::{self, Chunked};

fn encode(encoding: &str, text: &str) -> Vec<u8> {
    let mut t = TextIOWrapper::builder(BytesIO::new())
        .encoding(encoding)
        .newline(Newline::Lf)
        .build()
        .unwrap();
    t.write(text).unwrap();
    t.detach().unwrap().getvalue().unwrap().to_vec()
}

#[test]
fn bytes_match_cpython() {
    // python3 -c "print('aé€😀'.encode(X))"
    let cases: [(&str, &str, &[u8]); 9] = [
        ("utf-8", "aé€😀", b"a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"),
        ("utf-16-le", "aé€😀", b"a\x00\xe9\x00\xac =\xd8\x00\xde"),
        ("utf-16-be", "aé€😀", b"\x00a\x00\xe9 \xac\xd8=\xde\x00"),
        ("utf-32-be", "a😀", b"\x00\x00\x00a\x00\x01\xf6\x00"),
        ("latin-1", "aé\u{ff}", b"a\xe9\xff"),
        ("cp1252", "a€—Ÿ", b"a\x80\x97\x9f"),
        ("koi8-r", "жир", b"\xd6\xc9\xd2"),
        ("iso8859-15", "€Š", b"\xa4\xa6"),
        ("mac-roman", "é∑", b"\x8e\xb7"),
    ];
    for (encoding, text, bytes) in cases {
        assert_eq!(encode(encoding, text), bytes, "{encoding}");
        let mut t = TextIOWrapper::builder(BytesIO::from(bytes))
            .encoding(encoding)
            .build()
            .unwrap();
        assert_eq!(t.read(None).unwrap(), text, "{encoding}");
    }
}

#[test]
fn decode_error_messages_match_cpython() {
    let cases: [(&str, &[u8], &str); 8] = [
        (
            "utf-8",
            b"\xe2\x82a",
            "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte",
        ),
        (
            "utf-8",
            b"\xe0\x80",
            "'utf-8' codec can't decode byte 0xe0 in position 0: invalid continuation byte",
        ),
        (
            "utf-8",
            b"ab\xe2\x82",
            "'utf-8' codec can't decode bytes in position 2-3: unexpected end of data",
        ),
        (
            "cp1252",
            b"\x81",
            "'charmap' codec can't decode byte 0x81 in position 0: character maps to <undefined>",
        ),
        (
            "utf-16-le",
            b"\x00\xdc",
            "'utf-16-le' codec can't decode bytes in position 0-1: illegal encoding",
        ),
        (
            "utf-16-le",
            b"\x00\xd8a\x00",
            "'utf-16-le' codec can't decode bytes in position 0-1: illegal UTF-16 surrogate",
        ),
        (
            "utf-32-le",
            b"\x00\x00\x11\x00",
            "'utf-32-le' codec can't decode bytes in position 0-3: code point not in range(0x110000)",
        ),
        (
            "utf-32-le",
            b"\x00\xd8\x00\x00",
            "'utf-32-le' codec can't decode bytes in position 0-3: code point in surrogate code point range(0xd800, 0xe000)",
        ),
    ];
    for (encoding, bytes, message) in cases {
        let mut t = TextIOWrapper::builder(BytesIO::from(bytes))
            .encoding(encoding)
            .build()
            .unwrap();
        assert_eq!(
            t.read(None).unwrap_err().to_string(),
            message,
            "{encoding} {bytes:?}"
        );
    }
}

#[test]
fn replacements_match_cpython() {
    let cases: [(&str, &[u8], ErrorHandler, &str); 7] = [
        ("utf-8", b"\xe2\x82a", ErrorHandler::Replace, "\u{fffd}a"),
        (
            "utf-8",
            b"\xe2\x82a",
            ErrorHandler::BackslashReplace,
            "\\xe2\\x82a",
        ),
        (
            "utf-16-le",
            b"\x00\xd8a\x00",
            ErrorHandler::BackslashReplace,
            "\\x00\\xd8a",
        ),
        (
            "utf-16-le",
            b"\x00\xd8\x00\xd8\x00\xdc",
            ErrorHandler::Replace,
            "\u{fffd}\u{10000}",
        ),
        (
            "utf-32-le",
            b"a\x00\x00",
            ErrorHandler::BackslashReplace,
            "\\x61\\x00\\x00",
        ),
        (
            "cp1252",
            b"\x80\x81\x8d",
            ErrorHandler::Replace,
            "€\u{fffd}\u{fffd}",
        ),
        ("ascii", b"a\xff\xfeb", ErrorHandler::Ignore, "ab"),
    ];
    for (encoding, bytes, handler, want) in cases {
        for chunk in [1, 2, 3, 100] {
            let inner = Chunked::new(bytes, &[chunk]);
            let mut t = TextIOWrapper::builder(inner)
                .encoding(encoding)
                .errors(handler)
                .build()
                .unwrap();
            assert_eq!(
                t.read(None).unwrap(),
                want,
                "{encoding} {handler} chunks of {chunk}"
            );
        }
    }
}

#[test]
fn encode_errors_name_the_codec() {
    for (encoding, text, message) in [
        (
            "latin-1",
            "a€",
            "'latin-1' codec can't encode character '\\u20ac' in position 1: ordinal not in range(256)",
        ),
        (
            "cp1252",
            "aĀ",
            "'charmap' codec can't encode character '\\u0100' in position 1: character maps to <undefined>",
        ),
        (
            "ascii",
            "a\n😀",
            "'ascii' codec can't encode character '\\U0001f600' in position 2: ordinal not in range(128)",
        ),
    ] {
        let mut t = TextIOWrapper::builder(BytesIO::new())
            .encoding(encoding)
            .build()
            .unwrap();
        assert_eq!(t.write(text).unwrap_err().to_string(), message);
    }
}

/// Text drawn from ASCII, two- to four-byte characters, `\r`, `\n` and `\r\n`.
fn text_strategy(max_len: usize) -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        4 => "[a-z ]{1,4}",
        1 => Just("\r".to_string()),
        1 => Just("\n".to_string()),
        1 => Just("\r\n".to_string()),
        1 => Just("é".to_string()),
        1 => Just("€".to_string()),
        1 => Just("😀".to_string()),
    ];
    prop::collection::vec(pieces, 0..max_len).prop_map(|v| v.concat())
}

fn newline_strategy() -> impl Strategy<Value = Newline> {
    prop_oneof![
        Just(Newline::Universal),
        Just(Newline::Untranslated),
        Just(Newline::Lf),
        Just(Newline::Cr),
        Just(Newline::CrLf),
    ]
}

/// Encodings and whether they hold every character of `text_strategy`.
fn encoding_strategy() -> impl Strategy<Value = (&'static str, bool)> {
    prop_oneof![
        prop::sample::select(&ALL[..8]).prop_map(|e| (e, true)),
        Just(("latin-1", false)),
        Just(("cp1252", false)),
        Just(("ascii", false)),
    ]
}

fn wrapper(data: &[u8], chunk: usize, encoding: &str, newline: Newline) -> TextIOWrapper<Chunked> {
    TextIOWrapper::builder(Chunked::new(data, &[chunk]))
        .encoding(encoding)
        .errors(ErrorHandler::Replace)
        .newline(newline)
        .build()
        .unwrap()
}

/// Reads everything with `read(step)` calls (or `readline` when `lines`), recording `tell()` after
/// each call.
fn read_in_steps(
    t: &mut TextIOWrapper<Chunked>,
    step: usize,
    lines: bool,
) -> (Vec<String>, Vec<u64>) {
    let (mut pieces, mut cookies) = (vec![], vec![t.tell().unwrap()]);
    loop {
        let piece = if lines {
            t.readline(None).unwrap()
        } else {
            t.read(Some(step)).unwrap()
        };
        if piece.is_empty() {
            return (pieces, cookies);
        }
        pieces.push(piece);
        cookies.push(t.tell().unwrap());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Writing then reading gives the text back, whatever the chunking, read sizes and newline mode;
    /// and `seek(tell())` from any point reads the same rest.
    #[test]
    fn chunking_and_tell_round_trips(
        text in text_strategy(24),
        (encoding, full) in encoding_strategy(),
        newline in newline_strategy(),
        chunk in 1usize..9,
        step in 1usize..5,
        lines in any::<bool>(),
    ) {
        let text = if full { text } else { text.replace(['€', '😀'], "?") };
        let text = if encoding == "ascii" { text.replace('é', "e") } else { text };
        let data = encode(encoding, &text);
        let whole = wrapper(&data, usize::MAX, encoding, newline).read(None).unwrap();
        let mut t = wrapper(&data, chunk, encoding, newline);
        let (pieces, cookies) = read_in_steps(&mut t, step, lines);
        prop_assert_eq!(pieces.concat(), whole.clone());
        if newline == Newline::Lf || newline == Newline::Untranslated {
            prop_assert_eq!(&whole, &text);
        }
        for (i, cookie) in cookies.iter().enumerate() {
            t.seek(SeekFrom::Start(*cookie)).unwrap();
            prop_assert_eq!(t.read(None).unwrap(), pieces[i..].concat(), "after seek to cookie {} ({:#x})", i, cookie);
        }
    }

    /// Random bytes decode the same in one piece and in random chunks, under every replacing handler.
    #[test]
    fn arbitrary_bytes_decode_independently_of_chunking(
        data in prop::collection::vec(any::<u8>(), 0..40),
        encoding in prop::sample::select(&["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "ascii", "cp1252", "latin-1", "utf-8-sig", "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949", "gbk", "gb18030", "big5"][..]),
        handler in prop::sample::select(&[ErrorHandler::Replace, ErrorHandler::Ignore, ErrorHandler::BackslashReplace][..]),
        chunk in 1usize..6,
        step in 1usize..4,
    ) {
        let build = |chunk| {
            TextIOWrapper::builder(Chunked::new(&data, &[chunk])).encoding(encoding).errors(handler).newline(Newline::Lf).build().unwrap()
        };
        let whole = build(usize::MAX).read(None).unwrap();
        let mut t = build(chunk);
        let (pieces, cookies) = read_in_steps(&mut t, step, false);
        prop_assert_eq!(pieces.concat(), whole);
        for (i, cookie) in cookies.iter().enumerate() {
            t.seek(SeekFrom::Start(*cookie)).unwrap();
            prop_assert_eq!(t.read(None).unwrap(), pieces[i..].concat());
        }
    }
}

/// Every supported encoding, by its Python name; the first eight hold every character.
const ALL: &[&str] = &[
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "utf-32-le",
    "utf-32-be",
    "latin-1",
    "ascii",
    "cp1250",
    "cp1251",
    "cp1252",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "cp1258",
    "cp874",
    "iso8859-2",
    "iso8859-3",
    "iso8859-4",
    "iso8859-5",
    "iso8859-6",
    "iso8859-7",
    "iso8859-8",
    "iso8859-10",
    "iso8859-13",
    "iso8859-14",
    "iso8859-15",
    "iso8859-16",
    "koi8-r",
    "cp866",
    "mac-roman",
    "mac-cyrillic",
    "shift_jis",
    "cp932",
    "euc_jp",
    "euc_kr",
    "cp949",
    "gbk",
    "gb18030",
    "big5",
];

/// CJK text and the bytes CPython writes for it (`python3 -c "print(TEXT.encode(X))"`).
#[test]
fn multibyte_codecs_match_cpython() {
    let cases: [(&str, &str, &[u8]); 8] = [
        (
            "shift_jis",
            "a日本語テキスト、ｶﾀｶﾅ\n",
            b"a\x93\xfa\x96{\x8c\xea\x83e\x83L\x83X\x83g\x81A\xb6\xc0\xb6\xc5\n",
        ),
        ("cp932", "日本語①\n", b"\x93\xfa\x96{\x8c\xea\x87@\n"),
        (
            "euc-jp",
            "日本語テキスト\n",
            b"\xc6\xfc\xcb\xdc\xb8\xec\xa5\xc6\xa5\xad\xa5\xb9\xa5\xc8\n",
        ),
        (
            "euc_kr",
            "한국어 텍스트\n",
            b"\xc7\xd1\xb1\xb9\xbe\xee \xc5\xd8\xbd\xba\xc6\xae\n",
        ),
        (
            "cp949",
            "한국어 똠방각하\n",
            b"\xc7\xd1\xb1\xb9\xbe\xee \x8cc\xb9\xe6\xb0\xa2\xc7\xcf\n",
        ),
        ("gbk", "中文文本\n", b"\xd6\xd0\xce\xc4\xce\xc4\xb1\xbe\n"),
        (
            "gb18030",
            "中文😀é\n",
            b"\xd6\xd0\xce\xc4\x949\xfc6\xa8\xa6\n",
        ),
        ("big5", "繁體中文\n", b"\xc1c\xc5\xe9\xa4\xa4\xa4\xe5\n"),
    ];
    for (encoding, text, bytes) in cases {
        assert_eq!(encode(encoding, text), bytes, "{encoding}");
        for chunk in [1, 2, 3, 64] {
            let mut t = TextIOWrapper::builder(Chunked::new(bytes, &[chunk]))
                .encoding(encoding)
                .build()
                .unwrap();
            assert_eq!(t.read(None).unwrap(), text, "{encoding} chunks of {chunk}");
        }
    }
    for (encoding, bytes, message) in [
        (
            "shift_jis",
            &b"\x81 "[..],
            "'shift_jis' codec can't decode byte 0x81 in position 0: illegal multibyte sequence",
        ),
        (
            "gbk",
            b"ab\x81",
            "'gbk' codec can't decode byte 0x81 in position 2: incomplete multibyte sequence",
        ),
    ] {
        let mut t = TextIOWrapper::builder(BytesIO::from(bytes))
            .encoding(encoding)
            .build()
            .unwrap();
        assert_eq!(t.read(None).unwrap_err().to_string(), message);
    }
    // Characters `encoding_rs` encodes otherwise than CPython: from the inverse of CPython's tables.
    for (encoding, text, bytes) in [
        ("euc_jp", "é", &b"\x8f\xab\xb1"[..]),
        ("big5", "жあ", b"\xc7\xcf\xc6\xa6"),
    ] {
        assert_eq!(encode(encoding, text), bytes, "{encoding}");
    }
    let mut t = TextIOWrapper::builder(BytesIO::new())
        .encoding("gbk")
        .build()
        .unwrap();
    assert_eq!(
        t.write("€").unwrap_err().to_string(),
        "'gbk' codec can't encode character '\\u20ac' in position 0: illegal multibyte sequence"
    );
    let mut t = TextIOWrapper::builder(BytesIO::new())
        .encoding("shift_jis")
        .build()
        .unwrap();
    assert_eq!(
        t.write("aé").unwrap_err().to_string(),
        "'shift_jis' codec can't encode character '\\xe9' in position 1: illegal multibyte sequence"
    );
}

/// `¥` and `‾`, which `encoding_rs` writes as ASCII bytes in Shift_JIS, cp932 and EUC-JP, encode
/// as in CPython 3.11 (`python3 -c "print('¥‾'.encode(X))"`): to those bytes in `shift_jis` and
/// `euc_jp`, refused by `cp932` and the other codecs without them (they once panicked).
#[test]
fn yen_and_overline_encode_as_in_python() {
    for encoding in ["shift_jis", "euc_jp"] {
        assert_eq!(encode(encoding, "a¥‾b"), b"a\\~b", "{encoding}");
    }
    for (encoding, c) in [
        ("cp932", "\\xa5"),
        ("cp932", "\\u203e"),
        ("gbk", "\\xa5"),
        ("euc_kr", "\\u203e"),
        ("cp949", "\\xa5"),
    ] {
        let mut t = TextIOWrapper::builder(BytesIO::new())
            .encoding(encoding)
            .build()
            .unwrap();
        let text = if c == "\\xa5" { "a¥" } else { "a‾" };
        assert_eq!(
            t.write(text).unwrap_err().to_string(),
            format!(
                "'{encoding}' codec can't encode character '{c}' in position 1: illegal multibyte sequence"
            )
        );
    }
}

/// Every character of the Basic Multilingual Plane goes through every CJK encoder without a panic,
/// each either encoded or escaped, and what is encoded decodes back to itself (or, for the ASCII
/// stand-ins `¥` and `‾`, to `\\` and `~`).
#[test]
fn every_bmp_character_encodes_in_every_cjk_codec() {
    let text: String = (0..=0xffffu32).filter_map(char::from_u32).collect();
    for encoding in [
        "shift_jis",
        "cp932",
        "euc_jp",
        "euc_kr",
        "cp949",
        "gbk",
        "gb18030",
        "big5",
    ] {
        let mut t = TextIOWrapper::builder(BytesIO::new())
            .encoding(encoding)
            .errors(ErrorHandler::Replace)
            .newline(Newline::Lf)
            .build()
            .unwrap();
        t.write(&text).unwrap();
        let bytes = t.detach().unwrap().getvalue().unwrap().to_vec();
        let mut t = TextIOWrapper::builder(BytesIO::from(bytes))
            .encoding(encoding)
            .newline(Newline::Lf)
            .build()
            .unwrap();
        let back = t.read(None).unwrap();
        assert_eq!(back.chars().count(), text.chars().count(), "{encoding}");
        let wrong: Vec<(char, char)> = text
            .chars()
            .zip(back.chars())
            .filter(|&(c, b)| c != b && b != '?' && !matches!((c, b), ('¥', '\\') | ('‾', '~')))
            .collect();
        assert!(
            wrong.is_empty(),
            "{encoding}: {:?}",
            &wrong[..wrong.len().min(5)]
        );
    }
}

/// Malformed CJK input decodes as CPython decodes it (the strings are CPython 3.11's), whatever the
/// chunking: CPython's decoders report an undefined sequence at its lead byte alone and go on at the
/// next byte, and a sequence cut by the end of the stream as one error over the rest.
#[test]
fn malformed_multibyte_input_decodes_as_in_python_in_any_chunking() {
    let cases: [(&str, &[u8], &str); 9] = [
        // `a9 34` is not a GBK pair (GBK has no four-byte sequences): 0xa9 alone is bad.
        ("gbk", b"\xc70X\xa94", "\u{fffd}0X\u{fffd}4"),
        // `f7 34` starts a four-byte sequence whose third byte is not a lead.
        (
            "gb18030",
            b"\xef\xbbH\xf74\x00\xbb\xbb\xbb",
            "锘H\u{fffd}4\0换\u{fffd}",
        ),
        ("gb18030", b"\x810A", "\u{fffd}"),
        ("gb18030", b"a\x81\x35\xf4\x37", "aḿ"),
        (
            "shift_jis",
            b"\x80\xa0\x87@\xeb",
            "\u{fffd}\u{fffd}\u{fffd}@\u{fffd}",
        ),
        ("cp932", b"\x80\xa0\xfd\x87@", "\u{80}\u{f8f0}\u{f8f1}①"),
        (
            "euc_kr",
            b"\xa4\xd4\xa4\xa1\xa4\xbf\xa4\xbb|\xa4\xd4abcdef",
            "갘|\u{fffd}\u{fffd}abcdef",
        ),
        (
            "euc_kr",
            b"\xa4\xd4\xa4\xd4\xa4\xd4\xa4\xd4",
            "\u{fffd}渡渡渡\u{fffd}",
        ),
        ("big5", b"\xc7\xcf\xc6\xa6\x88\x62", "жあ\u{fffd}b"),
    ];
    for (encoding, bytes, want) in cases {
        for chunk in [1, 2, 3, 5, usize::MAX] {
            let mut t = TextIOWrapper::builder(Chunked::new(bytes, &[chunk]))
                .encoding(encoding)
                .errors(ErrorHandler::Replace)
                .newline(Newline::Lf)
                .build()
                .unwrap();
            assert_eq!(
                t.read(None).unwrap(),
                want,
                "{encoding} {bytes:x?} in chunks of {chunk}"
            );
        }
    }
}

/// After any `read(1)`, `seek(tell())` and reading on give what reading on would have given, over
/// malformed CJK input under `replace`.
#[test]
fn seek_tell_round_trips_over_malformed_multibyte_input() {
    let cases: [(&str, &[u8]); 3] = [
        ("gb18030", b"\xef\xbbH\xf74\x00\xbb\xbb\xbb"),
        ("gbk", b"\xc70X\xa94"),
        ("euc_kr", b"\xa4\xd4\xa4\xa1\xa4\xbf\xa4\xd4\xa4\xd4\xa4"),
    ];
    for (encoding, bytes) in cases {
        for chunk in [1, 2, 3, usize::MAX] {
            let build = || {
                TextIOWrapper::builder(Chunked::new(bytes, &[chunk]))
                    .encoding(encoding)
                    .errors(ErrorHandler::Replace)
                    .newline(Newline::Lf)
                    .build()
                    .unwrap()
            };
            let whole = build().read(None).unwrap();
            let mut t = build();
            let mut read = String::new();
            loop {
                let cookie = t.tell().unwrap();
                let rest = t.read(None).unwrap();
                assert_eq!(
                    format!("{read}{rest}"),
                    whole,
                    "{encoding} chunks of {chunk} at {cookie:#x}"
                );
                t.seek(SeekFrom::Start(cookie)).unwrap();
                let one = t.read(Some(1)).unwrap();
                if one.is_empty() {
                    break;
                }
                read.push_str(&one);
            }
        }
    }
}

/// Every two-byte sequence of every CJK codec, EUC-JP's three-byte ones and EUC-KR's eight-byte
/// make-up sequences, decode as CPython 3.11 decodes them, under `backslashreplace` (which shows where each error starts and ends).
#[test]
fn every_cjk_pair_decodes_as_in_python() {
    // The CJK codecs end the list of every encoding.
    let cjk = &ALL[ALL
        .iter()
        .position(|&e| e == "shift_jis")
        .unwrap_or(ALL.len())..];
    assert_eq!(cjk.len(), 8);
    let script = "import json, sys\n\
        out = {}\n\
        JAMO = [*range(0xa1, 0xbf), 0xd4]\n\
        VOWELS = [*range(0xbf, 0xd4), 0xd4]\n\
        for enc in sys.argv[1:]:\n\
        \x20   seqs = [bytes([l, t]) for l in range(0x80, 0x100) for t in range(0x100)]\n\
        \x20   if enc == 'euc_jp': seqs += [bytes([0x8f, l, t]) for l in range(0xa1, 0xff) for t in range(0xa1, 0xff)]\n\
        \x20   if enc == 'euc_kr': seqs += [bytes([0xa4, 0xd4, 0xa4, c, 0xa4, v, 0xa4, j]) for c in JAMO for v in VOWELS for j in JAMO]\n\
        \x20   out[enc] = [s.decode(enc, 'backslashreplace') for s in seqs]\n\
        json.dump(out, sys.stdout)";
    let printed = support::python(script, cjk);
    let python: std::collections::HashMap<String, Vec<String>> =
        serde_json::from_str(&printed).expect("python prints JSON");
    for &encoding in cjk {
        let mut seqs: Vec<Vec<u8>> = (0x8000..=0xffffu16)
            .map(|c| c.to_be_bytes().to_vec())
            .collect();
        if encoding == "euc_jp" {
            seqs.extend((0xa1..0xff).flat_map(|l| (0xa1..0xff).map(move |t| vec![0x8f, l, t])));
        }
        if encoding == "euc_kr" {
            let jamo: Vec<u8> = (0xa1..0xbf).chain([0xd4]).collect();
            let vowels: Vec<u8> = (0xbf..0xd4).chain([0xd4]).collect();
            for &c in &jamo {
                for &v in &vowels {
                    seqs.extend(
                        jamo.iter()
                            .map(|&j| vec![0xa4, 0xd4, 0xa4, c, 0xa4, v, 0xa4, j]),
                    );
                }
            }
        }
        let want = &python[encoding];
        assert_eq!(want.len(), seqs.len());
        let wrong: Vec<String> = seqs
            .iter()
            .zip(want)
            .filter_map(|(seq, want)| {
                let mut t = TextIOWrapper::builder(BytesIO::from(seq.as_slice()))
                    .encoding(encoding)
                    .errors(ErrorHandler::BackslashReplace)
                    .newline(Newline::Lf)
                    .build()
                    .unwrap();
                let got = t.read(None).unwrap();
                (got != *want).then(|| format!("{seq:02x?}: python {want:?}, strata {got:?}"))
            })
            .collect();
        assert!(
            wrong.is_empty(),
            "{encoding}: {} sequences differ, e.g. {:?}",
            wrong.len(),
            &wrong[..wrong.len().min(5)]
        );
    }
}

/// `seek(tell())` restores every position, in every encoding, newline mode and chunking.
#[test]
fn seek_tell_round_trips_in_every_encoding() {
    let text = "hé\r\nwö\r€ ж😀\r";
    for encoding in ALL {
        let mut writer = TextIOWrapper::builder(BytesIO::new())
            .encoding(encoding)
            .errors(ErrorHandler::Replace)
            .newline(Newline::Lf)
            .build()
            .unwrap();
        writer.write(text).unwrap();
        let data = writer.detach().unwrap().getvalue().unwrap().to_vec();
        for newline in [
            Newline::Universal,
            Newline::Untranslated,
            Newline::Lf,
            Newline::Cr,
            Newline::CrLf,
        ] {
            for chunk in [1, 2, 3, 8192] {
                let mut t = wrapper(&data, chunk, encoding, newline);
                let (pieces, cookies) = read_in_steps(&mut t, 1, false);
                for (i, cookie) in cookies.iter().enumerate() {
                    t.seek(SeekFrom::Start(*cookie)).unwrap();
                    assert_eq!(
                        t.read(None).unwrap(),
                        pieces[i..].concat(),
                        "{encoding} {newline:?} chunks of {chunk}, cookie {i}"
                    );
                }
            }
        }
    }
}

/// Every encoding writes what it reads back (characters it cannot hold become `?`).
#[test]
fn every_encoding_round_trips_its_repertoire() {
    for encoding in ALL {
        let text = "plain ASCII, é, ж, €";
        let bytes = {
            let mut t = TextIOWrapper::builder(BytesIO::new())
                .encoding(encoding)
                .errors(ErrorHandler::Replace)
                .build()
                .unwrap();
            t.write(text).unwrap();
            t.detach().unwrap().getvalue().unwrap()
        };
        let back = TextIOWrapper::builder(BytesIO::from(bytes))
            .encoding(encoding)
            .build()
            .unwrap()
            .read(None)
            .unwrap();
        assert_eq!(
            back.chars().count(),
            text.chars().count(),
            "{encoding}: {back}"
        );
        assert!(back.starts_with("plain ASCII, "), "{encoding}: {back}");
        for (a, b) in back.chars().zip(text.chars()) {
            assert!(a == b || a == '?', "{encoding}: {back}");
        }
    }
}
