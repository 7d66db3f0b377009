//! The sample types the encoders take and the decoder returns, and the conversions between them and
//! every [`SampleFormat`].
//!
//! See [`Sample`] for the conversion rules.

use crate::g711;
use crate::spec::SampleFormat;

mod sealed {
    /// Conversions to and from what the file stores; implemented for `f32`, `i16` and `i32` only.
    pub trait Convert: Copy {
        /// The sample as a `BITS`-bit integer (`BITS` is 8, 16, 24 or 32).
        fn to_pcm<const BITS: u32>(self) -> i32;
        /// The sample as a float.
        fn to_float(self) -> f32;
        /// A sample from a full-scale 32-bit integer (narrower files are shifted up to 32 bits first).
        fn from_pcm32(value: i32) -> Self;
        /// A sample from a float.
        fn from_float(value: f32) -> Self;
    }
}

/// A sample type the encoders accept and the decoder returns: `f32`, `i16` or `i32`.
///
/// The trait is sealed.
///
/// # Sample conversions
///
/// Float ↔ integer conversions are those of ffmpeg's libswresample (`lrintf(x * 2^(n-1))`, clipped),
/// integer ↔ integer those of libsndfile:
///
/// - **float → n-bit integer**: clamp to `[-1.0, 1.0]`, multiply by `2^(n-1)`, round half to even, and
///   saturate at `2^(n-1) - 1`; NaN becomes 0. So `1.0 → 32767`, `-1.0 → -32768`, `0.5 → 16384`,
///   `1/65536 → 0` (a tie, rounded to even) for 16 bits.
/// - **n-bit integer → float**: divide by `2^(n-1)` (ffmpeg and libsndfile alike), so `-32768 → -1.0` and the float grid of a 16-bit
///   file comes back exactly.
/// - **integer → integer**: every integer type is full scale for its width (an `i32` spans `±2^31`, as
///   libsndfile's `sf_write_int` takes it). Widening shifts left; narrowing shifts right (the low bits are
///   dropped, rounding toward negative infinity).
/// - **float → float**: unchanged; values beyond `±1.0` are kept in a float file. A `Float64` file is
///   read and written through `f32` (rounded to nearest).
/// - **8-bit PCM** is unsigned in WAV: a sample is stored as its 8-bit value plus 128.
/// - **µ-law and A-law** are converted through 16-bit integers, with the tables of G.711 as CPython's
///   `audioop` implements them (`ulaw2lin`, `alaw2lin`, `lin2ulaw`, `lin2alaw`).
/// - **valid bits** ([`WavSpec::valid_bits`](crate::WavSpec::valid_bits)): the bits below them are
///   cleared when written and ignored when read.
///
/// # Examples
///
/// ```
/// use strata_wav::{SampleFormat, WavSpec};
///
/// let spec = WavSpec::new(1, 8_000, SampleFormat::Pcm16);
/// let from_float = spec.encode_interleaved(&[1.0f32, -1.0, 0.5])?;
/// let from_int = spec.encode_interleaved(&[32767i16, -32768, 16384])?;
/// assert_eq!(from_float, from_int);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Sample: sealed::Convert + 'static {}

impl Sample for f32 {}
impl Sample for i16 {}
impl Sample for i32 {}

impl sealed::Convert for f32 {
    #[inline]
    fn to_pcm<const BITS: u32>(self) -> i32 {
        /// Adding and subtracting 1.5 × 2^52 rounds an `f64` below 2^51 in magnitude to an integer,
        /// half to even (IEEE's default rounding): `round_ties_even` without a libm call.
        const ROUND: f64 = 6_755_399_441_055_744.0;
        let scaled = f64::from(self.clamp(-1.0, 1.0)) * (1u64 << (BITS - 1)) as f64; // exact
        // `as` saturates (and maps NaN to 0), which covers +1.0 for 32 bits; `min` covers 16 and 24.
        let rounded = ((scaled + ROUND) - ROUND) as i32;
        rounded.min(((1u64 << (BITS - 1)) - 1) as i32)
    }
    #[inline]
    fn to_float(self) -> f32 {
        self
    }
    #[inline]
    fn from_pcm32(value: i32) -> f32 {
        // Exact for 16- and 24-bit sources; a 32-bit value rounds to the nearest float.
        value as f32 * (1.0 / 2_147_483_648.0)
    }
    #[inline]
    fn from_float(value: f32) -> f32 {
        value
    }
}

impl sealed::Convert for i16 {
    #[inline]
    fn to_pcm<const BITS: u32>(self) -> i32 {
        (i32::from(self) << 16) >> (32 - BITS)
    }
    #[inline]
    fn to_float(self) -> f32 {
        f32::from(self) * (1.0 / 32_768.0)
    }
    #[inline]
    fn from_pcm32(value: i32) -> i16 {
        (value >> 16) as i16
    }
    #[inline]
    fn from_float(value: f32) -> i16 {
        value.to_pcm::<16>() as i16
    }
}

impl sealed::Convert for i32 {
    #[inline]
    fn to_pcm<const BITS: u32>(self) -> i32 {
        self >> (32 - BITS)
    }
    #[inline]
    fn to_float(self) -> f32 {
        f32::from_pcm32(self)
    }
    #[inline]
    fn from_pcm32(value: i32) -> i32 {
        value
    }
    #[inline]
    fn from_float(value: f32) -> i32 {
        value.to_pcm::<32>()
    }
}

/// Writes `src` in `format` into `frames`, whole frames of `stride` bytes: sample `i` at byte `offset`
/// of frame `i`.
///
/// Interleaved input uses `offset = 0, stride = bytes_per_sample`; channel `c` of planar input uses
/// `offset = c * bytes_per_sample, stride = block_align`. Walking whole frames (`chunks_exact`)
/// keeps the bounds check out of the loop. `keep` is [`valid_mask`] of the spec: integer samples
/// lose the bits below the valid ones.
pub(crate) fn pack<S: Sample>(
    format: SampleFormat,
    keep: i32,
    src: &[S],
    frames: &mut [u8],
    offset: usize,
    stride: usize,
) {
    #[inline(always)]
    fn each<S: Sample, const N: usize>(
        src: &[S],
        frames: &mut [u8],
        offset: usize,
        stride: usize,
        bytes: impl Fn(S) -> [u8; N],
    ) {
        for (frame, &sample) in frames.chunks_exact_mut(stride).zip(src) {
            frame[offset..offset + N].copy_from_slice(&bytes(sample));
        }
    }
    match format {
        SampleFormat::Pcm8 => each(src, frames, offset, stride, |s| {
            [((s.to_pcm::<8>() & (keep >> 24)) + 128) as u8]
        }),
        SampleFormat::Pcm16 => each(src, frames, offset, stride, |s| {
            ((s.to_pcm::<16>() & (keep >> 16)) as i16).to_le_bytes()
        }),
        SampleFormat::Pcm24 => each(src, frames, offset, stride, |s| {
            let [a, b, c, _] = (s.to_pcm::<24>() & (keep >> 8)).to_le_bytes();
            [a, b, c]
        }),
        SampleFormat::Pcm32 => each(src, frames, offset, stride, |s| {
            (s.to_pcm::<32>() & keep).to_le_bytes()
        }),
        SampleFormat::Float32 => each(src, frames, offset, stride, |s| s.to_float().to_le_bytes()),
        SampleFormat::Float64 => each(src, frames, offset, stride, |s| {
            f64::from(s.to_float()).to_le_bytes()
        }),
        SampleFormat::MuLaw => each(src, frames, offset, stride, |s| {
            [g711::linear_to_ulaw(s.to_pcm::<16>() as i16)]
        }),
        SampleFormat::ALaw => each(src, frames, offset, stride, |s| {
            [g711::linear_to_alaw(s.to_pcm::<16>() as i16)]
        }),
    }
}

/// Reads `dst.len()` samples in `format` from `src`, one every `stride` bytes from its start (the
/// mirror of [`pack`]); reading stops early if `src` runs out. `keep` clears the bits below the valid
/// ones of integer samples.
pub(crate) fn unpack<S: Sample>(
    format: SampleFormat,
    keep: i32,
    src: &[u8],
    stride: usize,
    dst: &mut [S],
) {
    #[inline(always)]
    fn each<S: Sample, const N: usize>(
        src: &[u8],
        stride: usize,
        dst: &mut [S],
        sample: impl Fn([u8; N]) -> S,
    ) {
        for (slot, bytes) in dst.iter_mut().zip(src.chunks(stride)) {
            if let Some(word) = bytes.first_chunk::<N>() {
                *slot = sample(*word);
            }
        }
    }
    match format {
        SampleFormat::Pcm8 => each(src, stride, dst, |[b]: [u8; 1]| {
            S::from_pcm32(((i32::from(b) - 128) << 24) & keep)
        }),
        SampleFormat::Pcm16 => each(src, stride, dst, |b: [u8; 2]| {
            S::from_pcm32((i32::from(i16::from_le_bytes(b)) << 16) & keep)
        }),
        SampleFormat::Pcm24 => each(src, stride, dst, |b: [u8; 3]| {
            S::from_pcm32(i32::from_le_bytes([0, b[0], b[1], b[2]]) & keep)
        }),
        SampleFormat::Pcm32 => each(src, stride, dst, |b: [u8; 4]| {
            S::from_pcm32(i32::from_le_bytes(b) & keep)
        }),
        SampleFormat::Float32 => each(src, stride, dst, |b: [u8; 4]| {
            S::from_float(f32::from_le_bytes(b))
        }),
        SampleFormat::Float64 => each(src, stride, dst, |b: [u8; 8]| {
            S::from_float(f64::from_le_bytes(b) as f32)
        }),
        SampleFormat::MuLaw => each(src, stride, dst, |[b]: [u8; 1]| {
            S::from_pcm32(i32::from(g711::ulaw_to_linear(b)) << 16)
        }),
        SampleFormat::ALaw => each(src, stride, dst, |[b]: [u8; 1]| {
            S::from_pcm32(i32::from(g711::alaw_to_linear(b)) << 16)
        }),
    }
}

/// The mask that keeps the `valid` most significant bits of a sample scaled to 32 bits (all of them
/// when `valid` is 0 or 32 or more).
pub(crate) const fn valid_mask(valid: u16) -> i32 {
    if valid == 0 || valid >= 32 {
        -1
    } else {
        !((1u32 << (32 - valid)) - 1) as i32
    }
}

#[cfg(test)]
mod tests {
    use super::sealed::Convert as _;
    use super::*;

    #[test]
    fn float_to_pcm_clamps_scales_and_rounds_half_to_even() {
        let cases: &[(f32, i32, i32, i32)] = &[
            // input, 16-bit, 24-bit, 32-bit
            (0.0, 0, 0, 0),
            (1.0, 32_767, 8_388_607, i32::MAX),
            (-1.0, -32_768, -8_388_608, i32::MIN),
            (2.5, 32_767, 8_388_607, i32::MAX),
            (-7.0, -32_768, -8_388_608, i32::MIN),
            (0.5, 16_384, 4_194_304, 1 << 30),
            (1.0 / 65_536.0, 0, 128, 1 << 15),
            (3.0 / 65_536.0, 2, 384, 3 << 15),
            (-1.0 / 65_536.0, 0, -128, -(1 << 15)),
            (f32::NAN, 0, 0, 0),
            (f32::INFINITY, 32_767, 8_388_607, i32::MAX),
            (f32::NEG_INFINITY, -32_768, -8_388_608, i32::MIN),
        ];
        for &(x, p16, p24, p32) in cases {
            assert_eq!(
                (x.to_pcm::<16>(), x.to_pcm::<24>(), x.to_pcm::<32>()),
                (p16, p24, p32),
                "{x}"
            );
        }
    }

    #[test]
    fn integers_are_full_scale_for_their_width() {
        assert_eq!((-32_768i16).to_pcm::<24>(), -8_388_608);
        assert_eq!(0x1234i16.to_pcm::<32>(), 0x1234_0000);
        assert_eq!(0x1234_5678i32.to_pcm::<16>(), 0x1234);
        assert_eq!((-1i32).to_pcm::<16>(), -1);
        assert_eq!(i16::from_pcm32(0x7fff_ffff), 0x7fff);
        assert_eq!(i16::MIN.to_float(), -1.0);
        assert_eq!(i32::MIN.to_float(), -1.0);
        assert_eq!(f32::from_pcm32(1 << 30), 0.5);
    }

    #[test]
    fn pack_then_unpack_restores_every_16_bit_value() {
        let all: Vec<i16> = (i16::MIN..=i16::MAX).collect();
        for format in [
            SampleFormat::Pcm16,
            SampleFormat::Pcm24,
            SampleFormat::Pcm32,
            SampleFormat::Float32,
            SampleFormat::Float64,
        ] {
            let width = usize::from(format.bytes_per_sample());
            let mut bytes = vec![0; all.len() * width];
            pack(format, -1, &all, &mut bytes, 0, width);
            let mut back = vec![0i16; all.len()];
            unpack(format, -1, &bytes, width, &mut back);
            assert_eq!(back, all, "{format:?}");
            let mut floats = vec![0f32; all.len()];
            unpack(format, -1, &bytes, width, &mut floats);
            assert!(
                floats.iter().zip(&all).all(|(f, &i)| *f == i.to_float()),
                "{format:?}"
            );
        }
    }

    #[test]
    fn pack_strides_into_frames() {
        let mut frame = [0u8; 8];
        pack(SampleFormat::Pcm16, -1, &[1i16, 2], &mut frame, 2, 4);
        assert_eq!(frame, [0, 0, 1, 0, 0, 0, 2, 0]);
        let mut back = [0i16; 2];
        unpack(SampleFormat::Pcm16, -1, &frame[2..], 4, &mut back);
        assert_eq!(back, [1, 2]);
    }

    #[test]
    fn eight_bit_pcm_is_unsigned_and_valid_bits_clear_the_rest() {
        let mut bytes = [0u8; 3];
        pack(
            SampleFormat::Pcm8,
            -1,
            &[i16::MIN, 0, i16::MAX],
            &mut bytes,
            0,
            1,
        );
        assert_eq!(bytes, [0, 128, 255]);
        let mut back = [0i16; 3];
        unpack(SampleFormat::Pcm8, -1, &bytes, 1, &mut back);
        assert_eq!(back, [i16::MIN, 0, 0x7f00]);
        let keep = valid_mask(20);
        let mut wide = [0u8; 3];
        pack(
            SampleFormat::Pcm24,
            keep,
            &[0x7fff_ffffi32],
            &mut wide,
            0,
            3,
        );
        assert_eq!(wide, [0xf0, 0xff, 0x7f]);
        let mut back = [0i32; 1];
        unpack(SampleFormat::Pcm24, keep, &[0xff, 0xff, 0x7f], 3, &mut back);
        assert_eq!(back, [0x7fff_f000]);
        assert_eq!(
            (valid_mask(0), valid_mask(32), valid_mask(24)),
            (-1, -1, !0xff)
        );
    }
}
