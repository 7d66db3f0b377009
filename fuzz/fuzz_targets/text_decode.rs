//! Fuzz target: arbitrary bytes decoded by `TextIOWrapper` with a fuzzer-chosen encoding, error
//! handler, newline mode and read pattern. Must never panic; with `replace`, decoding never fails, and
//! `seek(tell())` must restore the position exactly (under `strict` the re-read may meet bad bytes
//! sooner).
#![no_main]

use libfuzzer_sys::fuzz_target;
use strata_buffered::{BufferedReader, BytesIO};
use strata_text::prelude::*;
use strata_text::{ErrorHandler, Newline, TextIOWrapper};

const ENCODINGS: &[&str] = &[
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "utf-32-le",
    "latin-1",
    "ascii",
    "cp1252",
    "shift_jis",
    "gb18030",
];
const NEWLINES: &[Newline] = &[
    Newline::Universal,
    Newline::Untranslated,
    Newline::Lf,
    Newline::Cr,
    Newline::CrLf,
];

fuzz_target!(|data: &[u8]| {
    let [a, b, c, rest @ ..] = data else { return };
    let encoding = ENCODINGS[usize::from(*a) % ENCODINGS.len()];
    let newline = NEWLINES[usize::from(*b) % NEWLINES.len()];
    let errors = if c & 1 == 0 {
        ErrorHandler::Replace
    } else {
        ErrorHandler::Strict
    };
    let buffer = usize::from(c >> 1).max(1);
    let Ok(reader) = BufferedReader::with_capacity(buffer, BytesIO::from(rest)) else {
        return;
    };
    let Ok(mut text) = TextIOWrapper::builder(reader)
        .encoding(encoding)
        .errors(errors)
        .newline(newline)
        .build()
    else {
        return;
    };
    let mut steps = 0;
    loop {
        steps += 1;
        let before = match text.tell() {
            Ok(cookie) => cookie,
            Err(_) => break,
        };
        let got = if steps % 2 == 0 {
            text.readline(Some(steps % 5))
        } else {
            text.read(Some(steps % 4 + 1))
        };
        match got {
            Ok(s) if s.is_empty() => break,
            Ok(s) => {
                // Rewind and read again: the same text must come back.
                text.seek(std::io::SeekFrom::Start(before))
                    .expect("seek to a cookie from tell");
                match text.read(Some(s.chars().count())) {
                    Ok(again) => assert_eq!(again, s, "seek(tell()) must restore the position"),
                    // Under `strict`, decoding a whole chunk may meet bad bytes further on
                    // sooner than the first read did (CPython decodes by chunks too).
                    Err(err) => {
                        assert_eq!(
                            errors,
                            ErrorHandler::Strict,
                            "replace re-read failed: {err}"
                        );
                        break;
                    }
                }
            }
            Err(err) => {
                // `replace` never fails to *decode*; a missing UTF-16/32 BOM is still an error, as in
                // CPython.
                let decode = matches!(
                    strata_text::TextError::of(&err),
                    Some(strata_text::TextError::Decode { .. })
                );
                assert!(
                    errors == ErrorHandler::Strict || !decode,
                    "replace failed to decode: {err}"
                );
                break;
            }
        }
        if steps > 10_000 {
            break;
        }
    }
});
