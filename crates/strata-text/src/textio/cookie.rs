//! The tell/seek cookie of [`TextIOWrapper`](crate::TextIOWrapper): an opaque `u64`.
//!
//! CPython packs five integers into a 161-bit cookie; a `u64` cannot hold that, so Strata records a
//! *clean point* instead: a byte offset where the decoder holds no partial sequence, the decoder's
//! remaining state there, and how many characters to drop after decoding from it.
//!
//! ```text
//!  63   61 60                47 46                                    0
//! +-------+--------------------+---------------------------------------+
//! | flags |     skip (14)      |           byte position (47)          |
//! +-------+--------------------+---------------------------------------+
//! flags: bits 0-1 the decoder's flags (BOM byte order / utf-8-sig check), bit 2 a held-back `\r`
//! ```
//!
//! With a clean, stateless decoder, no held-back `\r` and nothing to skip, the cookie *is* the byte
//! offset, as in CPython (whose `tell()` after reading ASCII text is the byte count). Positions up to 128 TiB and skips up to 16383 characters fit; the
//! skip is almost always 0 (it is only needed after a `\r` whose `\n` has not been seen, or for
//! characters produced at the end of the stream), so the limit is never reached in practice, and
//! [`Cookie::pack`] reports it when it is.

use std::io;

const POS_BITS: u32 = 47;
const SKIP_BITS: u32 = 14;
const POS_MASK: u64 = (1 << POS_BITS) - 1;
const SKIP_MASK: u64 = (1 << SKIP_BITS) - 1;

/// Flag bit of a held-back `\r`.
pub(super) const PENDING_CR: u8 = 4;
/// Mask of the decoder's own flags.
pub(super) const DECODER_FLAGS: u8 = 3;

/// A position in a text stream, unpacked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cookie {
    /// Byte offset of the clean point.
    pub(super) pos: u64,
    /// Characters to drop after decoding from `pos`.
    pub(super) skip: usize,
    /// Decoder flags and [`PENDING_CR`] at `pos`.
    pub(super) flags: u8,
}

impl Cookie {
    /// The packed value.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::InvalidData`] when the position or the skip does not fit its field.
    pub(super) fn pack(self) -> io::Result<u64> {
        let skip = self.skip as u64;
        if self.pos > POS_MASK || skip > SKIP_MASK {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "text position (byte {}, skip {}) does not fit a tell() cookie",
                    self.pos, skip
                ),
            ));
        }
        Ok(self.pos | (skip << POS_BITS) | (u64::from(self.flags) << (POS_BITS + SKIP_BITS)))
    }

    /// The fields of a packed cookie (any `u64` unpacks; nonsense seeks wherever it says).
    pub(super) fn unpack(cookie: u64) -> Cookie {
        Cookie {
            pos: cookie & POS_MASK,
            skip: ((cookie >> POS_BITS) & SKIP_MASK) as usize,
            flags: (cookie >> (POS_BITS + SKIP_BITS)) as u8,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_plain_offsets() {
        for cookie in [
            Cookie {
                pos: 0,
                skip: 0,
                flags: 0,
            },
            Cookie {
                pos: 12345,
                skip: 0,
                flags: 0,
            },
            Cookie {
                pos: POS_MASK,
                skip: SKIP_MASK as usize,
                flags: 7,
            },
            Cookie {
                pos: 7,
                skip: 1,
                flags: PENDING_CR | 2,
            },
        ] {
            assert_eq!(Cookie::unpack(cookie.pack().unwrap()), cookie);
        }
        assert_eq!(
            Cookie {
                pos: 42,
                skip: 0,
                flags: 0
            }
            .pack()
            .unwrap(),
            42
        );
        assert!(
            Cookie {
                pos: POS_MASK + 1,
                skip: 0,
                flags: 0
            }
            .pack()
            .is_err()
        );
        assert!(
            Cookie {
                pos: 0,
                skip: SKIP_MASK as usize + 1,
                flags: 0
            }
            .pack()
            .is_err()
        );
    }
}
