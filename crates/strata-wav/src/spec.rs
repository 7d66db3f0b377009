//! What a WAV file holds ([`WavSpec`], [`SampleFormat`], [`FmtChunk`]) and the RIFF header that says so.
//!
//! The header is built here and nowhere else: the one-call encoders write it with the real sizes, the
//! stream writer writes it with the unknown-length sizes and patches them later, and the decoder reads
//! what this module writes (plus what other writers produce).

use std::borrow::Cow;
use std::io;

use strata_raw::Error;

/// The "unknown length" value written in the RIFF and data size fields of an open-ended stream.
///
/// `0xFFFF_FFFF` is what ffmpeg writes when it cannot seek back, and what its reader (and ours) takes to
/// mean "read the data to the end of the input". A size of `0`, which Python's `wave` and hound leave
/// behind when they cannot patch the header, is read the same way.
///
/// # Examples
///
/// ```
/// use strata_wav::{SampleFormat, UNKNOWN_LENGTH, WavSpec, WavStreamWriter};
///
/// let mut stream = WavStreamWriter::new(Vec::new(), WavSpec::new(1, 8_000, SampleFormat::Pcm16))?;
/// stream.write_interleaved(&[1i16, 2, 3])?;
/// let bytes = stream.finish()?;
///
/// // Both size fields, RIFF (offset 4) and data (offset 40), say "unknown".
/// assert_eq!(bytes[4..8], UNKNOWN_LENGTH.to_le_bytes());
/// assert_eq!(bytes[40..44], UNKNOWN_LENGTH.to_le_bytes());
///
/// // The decoder reads such a stream to the end of its input.
/// let wav = strata_wav::decode(&bytes)?;
/// assert!(wav.is_open_ended());
/// assert_eq!(wav.samples::<i16>(), [1, 2, 3]);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const UNKNOWN_LENGTH: u32 = u32::MAX;

/// The sub-format GUID of WAVE_FORMAT_EXTENSIBLE, after its first two bytes (the format tag):
/// `xxxx0000-0000-0010-8000-00aa00389b71`, little-endian as it is stored.
pub(crate) const GUID_TAIL: [u8; 14] = [
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71,
];

/// `wFormatTag` values.
pub(crate) const TAG_PCM: u16 = 1;
pub(crate) const TAG_FLOAT: u16 = 3;
pub(crate) const TAG_EXTENSIBLE: u16 = 0xfffe;

/// How each sample is stored in the file.
///
/// Integer formats are two's-complement little-endian PCM; `Float32` is IEEE 754 single precision.
/// See [`Sample`](crate::Sample) for how values are converted between formats.
///
/// # Examples
///
/// ```
/// use strata_wav::SampleFormat;
///
/// assert_eq!(SampleFormat::Pcm24.bytes_per_sample(), 3);
/// assert!(SampleFormat::Float32.is_float());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SampleFormat {
    /// 16-bit signed integer PCM (CD audio).
    Pcm16,
    /// 24-bit signed integer PCM, packed in 3 bytes.
    Pcm24,
    /// 32-bit signed integer PCM.
    Pcm32,
    /// 32-bit IEEE float, nominally in `[-1.0, 1.0]`.
    Float32,
}

impl SampleFormat {
    /// Bytes one sample of one channel takes in the file.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(strata_wav::SampleFormat::Pcm16.bytes_per_sample(), 2);
    /// ```
    pub const fn bytes_per_sample(self) -> u16 {
        match self {
            SampleFormat::Pcm16 => 2,
            SampleFormat::Pcm24 => 3,
            SampleFormat::Pcm32 | SampleFormat::Float32 => 4,
        }
    }

    /// Bits per sample, as the header's `wBitsPerSample` says.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(strata_wav::SampleFormat::Float32.bits_per_sample(), 32);
    /// ```
    pub const fn bits_per_sample(self) -> u16 {
        self.bytes_per_sample() * 8
    }

    /// Whether samples are floating point.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!strata_wav::SampleFormat::Pcm32.is_float());
    /// ```
    pub const fn is_float(self) -> bool {
        matches!(self, SampleFormat::Float32)
    }

    /// The format tag of the basic `fmt ` chunk, and the first two bytes of the extensible sub-format.
    const fn tag(self) -> u16 {
        if self.is_float() { TAG_FLOAT } else { TAG_PCM }
    }
}

/// Which `fmt ` chunk layout the header uses.
///
/// Readers differ in what they accept: Python's `wave` before 3.12 reads only the basic PCM layout,
/// while Microsoft asks for the extensible layout for more than two channels or more than 16 bits, which
/// is what hound, ffmpeg and sox write. [`FmtChunk::Auto`] follows Microsoft; choose
/// [`FmtChunk::Basic`] for old readers.
///
/// # Examples
///
/// ```
/// use strata_wav::{FmtChunk, SampleFormat, WavSpec};
///
/// let spec = WavSpec::new(6, 48_000, SampleFormat::Pcm24);
/// assert_eq!(spec.fmt_chunk.resolve(&spec), FmtChunk::Extensible);
/// let old = spec.with_fmt_chunk(FmtChunk::Basic);
/// assert_eq!(old.fmt_chunk.resolve(&old), FmtChunk::Basic);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum FmtChunk {
    /// Microsoft's rule: WAVE_FORMAT_EXTENSIBLE for more than 2 channels, or for integer samples of
    /// more than 16 bits; otherwise the basic layout (tag 1 for PCM, tag 3 for float).
    #[default]
    Auto,
    /// The basic layout, always: `WAVEFORMAT` with tag 1 (PCM, 16-byte chunk) or `WAVEFORMATEX` with
    /// tag 3 (IEEE float, 18-byte chunk). What Python's `wave` and libsndfile's plain WAV write.
    Basic,
    /// WAVEFORMATEXTENSIBLE (tag `0xFFFE`, 40-byte chunk), always: valid bits, a channel mask (the
    /// first `channels` speaker positions, at most 18) and a sub-format GUID.
    Extensible,
}

impl FmtChunk {
    /// The concrete layout for `spec`: [`FmtChunk::Basic`] or [`FmtChunk::Extensible`].
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{FmtChunk, SampleFormat, WavSpec};
    ///
    /// let stereo = WavSpec::new(2, 44_100, SampleFormat::Pcm16);
    /// assert_eq!(FmtChunk::Auto.resolve(&stereo), FmtChunk::Basic);
    /// let float = WavSpec::new(2, 44_100, SampleFormat::Float32);
    /// assert_eq!(FmtChunk::Auto.resolve(&float), FmtChunk::Basic);
    /// ```
    pub fn resolve(self, spec: &WavSpec) -> FmtChunk {
        match self {
            FmtChunk::Auto
                if spec.channels > 2
                    || (!spec.format.is_float() && spec.format.bits_per_sample() > 16) =>
            {
                FmtChunk::Extensible
            }
            FmtChunk::Auto => FmtChunk::Basic,
            chosen => chosen,
        }
    }
}

/// What a WAV file holds: channel count, sample rate, sample format and header layout.
///
/// Build one with [`WavSpec::new`]; it is checked when it is used (an encoder, a stream writer), so that
/// every error names the call that hit it.
///
/// # Examples
///
/// ```
/// use strata_wav::{SampleFormat, WavSpec};
///
/// let spec = WavSpec::new(2, 48_000, SampleFormat::Pcm16);
/// assert_eq!(spec.block_align(), 4);
/// assert_eq!(spec.byte_rate(), 192_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct WavSpec {
    /// Number of interleaved channels (at least 1).
    pub channels: u16,
    /// Frames per second (at least 1).
    pub sample_rate: u32,
    /// How each sample is stored.
    pub format: SampleFormat,
    /// Which `fmt ` chunk layout to write; the decoder reports the one it found.
    pub fmt_chunk: FmtChunk,
}

impl WavSpec {
    /// A spec with the [`FmtChunk::Auto`] header layout.
    ///
    /// # Examples
    ///
    /// ```
    /// let spec = strata_wav::WavSpec::new(1, 8_000, strata_wav::SampleFormat::Pcm16);
    /// assert_eq!(spec.channels, 1);
    /// ```
    pub const fn new(channels: u16, sample_rate: u32, format: SampleFormat) -> WavSpec {
        WavSpec {
            channels,
            sample_rate,
            format,
            fmt_chunk: FmtChunk::Auto,
        }
    }

    /// The same spec with another header layout.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{FmtChunk, SampleFormat, WavSpec};
    ///
    /// let spec = WavSpec::new(1, 8_000, SampleFormat::Pcm32).with_fmt_chunk(FmtChunk::Basic);
    /// assert_eq!(spec.fmt_chunk, FmtChunk::Basic);
    /// ```
    #[must_use]
    pub const fn with_fmt_chunk(mut self, fmt_chunk: FmtChunk) -> WavSpec {
        self.fmt_chunk = fmt_chunk;
        self
    }

    /// Bytes per frame (one sample of every channel), the header's `nBlockAlign`.
    ///
    /// # Examples
    ///
    /// ```
    /// let spec = strata_wav::WavSpec::new(6, 48_000, strata_wav::SampleFormat::Pcm24);
    /// assert_eq!(spec.block_align(), 18);
    /// ```
    pub const fn block_align(&self) -> u32 {
        self.channels as u32 * self.format.bytes_per_sample() as u32
    }

    /// Bytes per second, the header's `nAvgBytesPerSec`.
    ///
    /// # Examples
    ///
    /// ```
    /// let spec = strata_wav::WavSpec::new(2, 44_100, strata_wav::SampleFormat::Pcm16);
    /// assert_eq!(spec.byte_rate(), 176_400);
    /// ```
    pub const fn byte_rate(&self) -> u64 {
        self.sample_rate as u64 * self.block_align() as u64
    }

    /// Checks that the spec can be written as a WAV header.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::InvalidInput`] ([`strata_raw::Error::InvalidArgument`]) for zero channels, a
    /// sample rate of 0, a frame wider than 65535 bytes or more than `u32::MAX` bytes per second.
    pub(crate) fn check(&self) -> io::Result<()> {
        if self.channels == 0 {
            return Err(invalid("a WAV file needs at least 1 channel, got 0"));
        }
        if self.sample_rate == 0 {
            return Err(invalid("sample rate must be at least 1 Hz, got 0"));
        }
        if self.block_align() > u32::from(u16::MAX) {
            return Err(invalid(format!(
                "{} channels of {}-byte samples make a {}-byte frame; WAV allows at most 65535",
                self.channels,
                self.format.bytes_per_sample(),
                self.block_align()
            )));
        }
        if self.byte_rate() > u64::from(u32::MAX) {
            return Err(invalid(format!(
                "{} Hz with {}-byte frames is {} bytes per second; WAV allows at most {}",
                self.sample_rate,
                self.block_align(),
                self.byte_rate(),
                u32::MAX
            )));
        }
        Ok(())
    }
}

/// An [`io::ErrorKind::InvalidInput`] error with `message`.
pub(crate) fn invalid(message: impl Into<Cow<'static, str>>) -> io::Error {
    Error::InvalidArgument(message.into()).into()
}

/// The speaker mask hound, ffmpeg and sox write: the first `channels` positions, at most 18.
fn channel_mask(channels: u16) -> u32 {
    let positions = u32::from(channels.min(18));
    ((1u64 << positions) - 1) as u32
}

/// The RIFF header of a WAV file, up to and including the data chunk's size field.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Header {
    bytes: [u8; Header::MAX_LEN],
    len: usize,
}

impl Header {
    /// The longest header: RIFF (12) + extensible fmt (8 + 40) + data chunk header (8).
    const MAX_LEN: usize = 68;
    /// Where the RIFF size field is.
    pub(crate) const RIFF_SIZE_AT: u64 = 4;

    /// The header of `spec` (already checked) with the size fields set for `data_len` bytes of samples, or
    /// to [`UNKNOWN_LENGTH`] when `data_len` is `None` or does not fit.
    pub(crate) fn new(spec: &WavSpec, data_len: Option<u64>) -> Header {
        let mut header = Header {
            bytes: [0; Header::MAX_LEN],
            len: 0,
        };
        let layout = spec.fmt_chunk.resolve(spec);
        let fmt_len: u32 = match (layout, spec.format.is_float()) {
            (FmtChunk::Extensible, _) => 40,
            (_, true) => 18,
            (_, false) => 16,
        };
        let tag = if layout == FmtChunk::Extensible {
            TAG_EXTENSIBLE
        } else {
            spec.format.tag()
        };
        header.put(b"RIFF");
        header.put(&[0; 4]);
        header.put(b"WAVE");
        header.put(b"fmt ");
        header.put(&fmt_len.to_le_bytes());
        header.put(&tag.to_le_bytes());
        header.put(&spec.channels.to_le_bytes());
        header.put(&spec.sample_rate.to_le_bytes());
        // `check` bounds both below `u32::MAX` / `u16::MAX`.
        header.put(&(spec.byte_rate() as u32).to_le_bytes());
        header.put(&(spec.block_align() as u16).to_le_bytes());
        header.put(&spec.format.bits_per_sample().to_le_bytes());
        if fmt_len == 18 {
            header.put(&0u16.to_le_bytes());
        } else if fmt_len == 40 {
            header.put(&22u16.to_le_bytes());
            header.put(&spec.format.bits_per_sample().to_le_bytes());
            header.put(&channel_mask(spec.channels).to_le_bytes());
            header.put(&spec.format.tag().to_le_bytes());
            header.put(&GUID_TAIL);
        }
        header.put(b"data");
        header.put(&[0; 4]);
        header.set_sizes(data_len);
        header
    }

    fn put(&mut self, bytes: &[u8]) {
        self.bytes[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    /// Sets both size fields for `data_len` bytes of samples, or to [`UNKNOWN_LENGTH`] when the length
    /// is unknown or too large for them.
    fn set_sizes(&mut self, data_len: Option<u64>) {
        let (riff, data) = data_len
            .and_then(|len| self.sizes(len))
            .unwrap_or((UNKNOWN_LENGTH, UNKNOWN_LENGTH));
        self.bytes[4..8].copy_from_slice(&riff.to_le_bytes());
        self.bytes[self.len - 4..self.len].copy_from_slice(&data.to_le_bytes());
    }

    /// The RIFF and data size fields for `data_len` bytes of samples (the RIFF size counts the pad byte
    /// RIFF adds after an odd-sized chunk), or `None` when they do not fit in 32 bits.
    ///
    /// A fitting RIFF size is never [`UNKNOWN_LENGTH`]: the header is even-sized, so a RIFF size of
    /// `0xFFFF_FFFF` would need odd data, whose pad byte pushes it past 32 bits.
    pub(crate) fn sizes(&self, data_len: u64) -> Option<(u32, u32)> {
        let riff = (self.len as u64 - 8) + data_len + (data_len & 1);
        Some((u32::try_from(riff).ok()?, u32::try_from(data_len).ok()?))
    }

    /// Where the data chunk's size field is, from the start of the file.
    pub(crate) fn data_size_at(&self) -> u64 {
        self.len as u64 - 4
    }

    /// The header bytes.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lengths_follow_the_layout() {
        let check = |spec: WavSpec, len: usize, tag: u16| {
            let header = Header::new(&spec, Some(0));
            assert_eq!(header.as_bytes().len(), len, "{spec:?}");
            assert_eq!(
                u16::from_le_bytes([header.bytes[20], header.bytes[21]]),
                tag,
                "{spec:?}"
            );
        };
        check(WavSpec::new(2, 48_000, SampleFormat::Pcm16), 44, TAG_PCM);
        check(
            WavSpec::new(3, 48_000, SampleFormat::Pcm16),
            68,
            TAG_EXTENSIBLE,
        );
        check(
            WavSpec::new(1, 48_000, SampleFormat::Pcm24),
            68,
            TAG_EXTENSIBLE,
        );
        check(
            WavSpec::new(2, 48_000, SampleFormat::Float32),
            46,
            TAG_FLOAT,
        );
        check(
            WavSpec::new(6, 48_000, SampleFormat::Float32),
            68,
            TAG_EXTENSIBLE,
        );
        let basic = WavSpec::new(6, 8_000, SampleFormat::Pcm32).with_fmt_chunk(FmtChunk::Basic);
        check(basic, 44, TAG_PCM);
        let ext = WavSpec::new(1, 8_000, SampleFormat::Pcm16).with_fmt_chunk(FmtChunk::Extensible);
        check(ext, 68, TAG_EXTENSIBLE);
    }

    #[test]
    fn sizes_pad_odd_data_and_fall_back_to_unknown() {
        let header = Header::new(&WavSpec::new(1, 8_000, SampleFormat::Pcm24), None);
        assert_eq!(header.sizes(3), Some((60 + 4, 3)));
        assert_eq!(&header.as_bytes()[4..8], &[0xff; 4]);
        assert_eq!(&header.as_bytes()[64..68], &[0xff; 4]);
        // RIFF size = 60 + data (+ 1 pad) must fit in 32 bits.
        let max = u64::from(u32::MAX) - 61;
        assert_eq!(header.sizes(max), Some((u32::MAX - 1, u32::MAX - 61)));
        assert_eq!(header.sizes(max + 1), None);
        assert_eq!(header.sizes(u64::MAX / 2), None);
    }

    #[test]
    fn channel_mask_stops_at_18_positions() {
        assert_eq!(channel_mask(1), 1);
        assert_eq!(channel_mask(6), 0x3f);
        assert_eq!(channel_mask(18), 0x3_ffff);
        assert_eq!(channel_mask(u16::MAX), 0x3_ffff);
    }
}
