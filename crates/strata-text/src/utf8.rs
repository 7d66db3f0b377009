//! Fast UTF-8 validation for the decoding hot paths, and the only `unsafe` code of the crate.
//!
//! `core::str::from_utf8` branches on every non-ASCII character; on text that mixes ASCII with
//! accented letters (most European text) it made validation most of `TextIOWrapper::read()`. This
//! module validates with [`simdutf8`] (already in the build through `encoding_rs`), which checks 32 or
//! 64 bytes per step with SIMD where the processor has it and falls back to std elsewhere. On the
//! benchmark text (100 MB, `crates/strata-text/benches/text.rs`'s generator) it took 11 ms, against
//! 63 ms for the shift DFA this module held before and 129 ms for `core::str::from_utf8`.
//!
//! # Invariants
//!
//! - [`scan`] and [`into_string`] accept exactly the byte strings `core::str::from_utf8` accepts
//!   (simdutf8's contract; the unit tests check it against `from_utf8` exhaustively for every sequence
//!   of up to three bytes, and with proptest for longer random inputs).
//! - [`scan`] converts a slice to `&str` without checking only when simdutf8 validated all of it
//!   ([`Scan::Valid`]) or, for an incomplete tail, only the prefix simdutf8 reports as valid
//!   (`valid_up_to`, [`Scan::Incomplete`]); [`into_string`] only in the first case.

use simdutf8::compat::from_utf8;

/// What [`scan`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Scan<'a> {
    /// All of the bytes are UTF-8.
    Valid(&'a str),
    /// The bytes are UTF-8 but for an incomplete sequence at the end; this is the text before it.
    Incomplete(&'a str),
    /// An invalid sequence: ask `core::str::from_utf8` where and why.
    Invalid,
}

/// Validates `bytes`.
pub(crate) fn scan(bytes: &[u8]) -> Scan<'_> {
    match from_utf8(bytes) {
        Ok(text) => Scan::Valid(text),
        Err(err) if err.error_len().is_none() => {
            let prefix = &bytes[..err.valid_up_to()];
            // SAFETY: simdutf8 reports `valid_up_to` as the length of the longest prefix of `bytes`
            // that is well-formed UTF-8 (module invariant).
            Scan::Incomplete(unsafe { std::str::from_utf8_unchecked(prefix) })
        }
        Err(_) => Scan::Invalid,
    }
}

/// `String::from_utf8`, validating with simdutf8; the bytes come back when they are not UTF-8.
pub(crate) fn into_string(bytes: Vec<u8>) -> Result<String, Vec<u8>> {
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: simdutf8 accepted all of `bytes` (module invariant).
        Ok(unsafe { String::from_utf8_unchecked(bytes) })
    } else {
        Err(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agrees(bytes: &[u8]) -> bool {
        let ours = match scan(bytes) {
            Scan::Valid(s) => Ok(s.len()),
            Scan::Incomplete(s) => Err((s.len(), None)),
            Scan::Invalid => Err((usize::MAX, Some(0))),
        };
        let std = match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.len()),
            Err(e) if e.error_len().is_none() => Err((e.valid_up_to(), None)),
            Err(_) => Err((usize::MAX, Some(0))),
        };
        ours == std && into_string(bytes.to_vec()).is_ok() == std.is_ok()
    }

    #[test]
    fn agrees_with_std_on_every_short_sequence() {
        for a in 0..=255u8 {
            assert!(agrees(&[a]), "{a:#x}");
            for b in 0..=255u8 {
                assert!(agrees(&[a, b]), "{a:#x} {b:#x}");
                if a >= 0xc0 {
                    for c in 0..=255u8 {
                        assert!(agrees(&[a, b, c]), "{a:#x} {b:#x} {c:#x}");
                    }
                }
            }
        }
    }

    #[test]
    fn four_byte_boundaries() {
        for s in [
            "\u{10000}",
            "\u{10ffff}",
            "\u{fffd}",
            "\u{d7ff}",
            "\u{e000}",
            "\u{7ff}",
            "😀",
        ] {
            assert_eq!(scan(s.as_bytes()), Scan::Valid(s));
        }
        for bad in [
            &b"\xf4\x90\x80\x80"[..],
            b"\xf0\x80\x80\x80",
            b"\xed\xa0\x80",
            b"\xc0\x80",
            b"\xf5\x80",
        ] {
            assert!(agrees(bad));
            assert_eq!(scan(bad), Scan::Invalid);
        }
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_std_on_random_bytes(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64)) {
            proptest::prop_assert!(agrees(&bytes));
        }

        #[test]
        fn accepts_text_and_its_prefixes(text in "\\PC{0,40}", cut in 0usize..200) {
            proptest::prop_assert_eq!(scan(text.as_bytes()), Scan::Valid(&text));
            let cut = cut.min(text.len());
            proptest::prop_assert!(agrees(&text.as_bytes()[..cut]));
            let mut mixed = "ascii padding run ".repeat(2);
            mixed.push_str(&text);
            proptest::prop_assert!(agrees(mixed.as_bytes()));
        }
    }
}
