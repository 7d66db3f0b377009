//! What a WAV file holds ([`WavSpec`], [`SampleFormat`], [`FmtChunk`]) and the RIFF header that says so.
//!
//! The header is built here and nowhere else: the one-call encoders write it with the real sizes, the
//! stream writer writes it with the unknown-length sizes and patches them later, and the decoder reads
//! what this module writes (plus what other writers produce).

use std::borrow::Cow;
use std::io;

use strata_raw::Error;

use crate::sample::valid_mask;

/// The "unknown length" value written in the RIFF and data size fields of an open-ended stream.
///
/// `0xFFFF_FFFF` is what ffmpeg writes when it cannot seek back, and what its reader (and ours) takes to
/// mean "read the data to the end of the input". A size of `0`, which Python's `wave` and hound leave
/// behind when they cannot patch the header, and sox's `0x7FFF_F000` are read the same way. hound
/// refuses such a header and Python's `wave` reports `0xFFFF_FFFF / block_align` frames: write with
/// [`WavStreamWriter::new_seekable`](crate::WavStreamWriter::new_seekable) for them.
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
pub(crate) const TAG_ALAW: u16 = 6;
pub(crate) const TAG_MULAW: u16 = 7;
pub(crate) const TAG_EXTENSIBLE: u16 = 0xfffe;

/// How each sample is stored in the file.
///
/// Integer formats are little-endian PCM, two's complement except 8-bit, which WAV stores unsigned
/// (128 is silence); `Float32` and `Float64` are IEEE 754; `MuLaw` and `ALaw` are the 8-bit G.711
/// telephone codes. See [`Sample`](crate::Sample) for how values are converted between formats.
///
/// # Examples
///
/// ```
/// use strata_wav::SampleFormat;
///
/// assert_eq!(SampleFormat::Pcm24.bytes_per_sample(), 3);
/// assert!(SampleFormat::Float32.is_float());
/// assert_eq!(SampleFormat::MuLaw.bits_per_sample(), 8);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SampleFormat {
    /// 8-bit unsigned integer PCM (128 is silence).
    Pcm8,
    /// 16-bit signed integer PCM (CD audio).
    Pcm16,
    /// 24-bit signed integer PCM, packed in 3 bytes.
    Pcm24,
    /// 32-bit signed integer PCM.
    Pcm32,
    /// 32-bit IEEE float, nominally in `[-1.0, 1.0]`.
    Float32,
    /// 64-bit IEEE float, nominally in `[-1.0, 1.0]` (read and written through `f32` samples).
    Float64,
    /// G.711 µ-law (format tag 7): 8 bits that carry 14 bits of range.
    MuLaw,
    /// G.711 A-law (format tag 6): 8 bits that carry 13 bits of range.
    ALaw,
}

impl SampleFormat {
    /// Bytes one sample of one channel takes in the file.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(strata_wav::SampleFormat::Pcm16.bytes_per_sample(), 2);
    /// assert_eq!(strata_wav::SampleFormat::Float64.bytes_per_sample(), 8);
    /// ```
    pub const fn bytes_per_sample(self) -> u16 {
        match self {
            SampleFormat::Pcm8 | SampleFormat::MuLaw | SampleFormat::ALaw => 1,
            SampleFormat::Pcm16 => 2,
            SampleFormat::Pcm24 => 3,
            SampleFormat::Pcm32 | SampleFormat::Float32 => 4,
            SampleFormat::Float64 => 8,
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
    /// assert!(strata_wav::SampleFormat::Float64.is_float());
    /// ```
    pub const fn is_float(self) -> bool {
        matches!(self, SampleFormat::Float32 | SampleFormat::Float64)
    }

    /// Whether samples are integer PCM, the formats whose valid bits may be fewer than their
    /// container's (see [`WavSpec::with_valid_bits`]).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(strata_wav::SampleFormat::Pcm8.is_pcm());
    /// assert!(!strata_wav::SampleFormat::ALaw.is_pcm());
    /// ```
    pub const fn is_pcm(self) -> bool {
        matches!(
            self,
            SampleFormat::Pcm8 | SampleFormat::Pcm16 | SampleFormat::Pcm24 | SampleFormat::Pcm32
        )
    }

    /// The format tag of the basic `fmt ` chunk, and the first two bytes of the extensible sub-format.
    pub(crate) const fn tag(self) -> u16 {
        match self {
            SampleFormat::Float32 | SampleFormat::Float64 => TAG_FLOAT,
            SampleFormat::MuLaw => TAG_MULAW,
            SampleFormat::ALaw => TAG_ALAW,
            _ => TAG_PCM,
        }
    }
}

/// Which RIFF container the file uses: 32-bit sizes (RIFF) or 64-bit ones (RF64).
///
/// RIFF's size fields stop at 4 GiB. [`Container::Rf64`] writes an `RF64` file (EBU Tech 3306) whose
/// `ds64` chunk carries 64-bit sizes, which ffmpeg, sox and libsndfile read; most other readers
/// (Python's `wave`, hound) read RIFF only. The decoder reads both, and BW64 (ITU-R BS.2088), which
/// is RF64 under another name.
///
/// # Examples
///
/// ```
/// use strata_wav::{Container, SampleFormat, WavSpec};
///
/// let spec = WavSpec::new(2, 48_000, SampleFormat::Pcm24).with_container(Container::Rf64);
/// let wav = spec.encode_interleaved(&[0i32; 4])?;
/// assert_eq!(&wav[..4], b"RF64");
/// assert_eq!(strata_wav::decode(&wav)?.spec().container, Container::Rf64);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Container {
    /// `RIFF`, with 32-bit sizes: what every reader accepts. Data beyond 4 GiB cannot be encoded in one
    /// call, and a stream beyond 4 GiB keeps its unknown-length sizes.
    #[default]
    Riff,
    /// `RF64` with a `ds64` chunk of 64-bit sizes (36 bytes more header), for data beyond 4 GiB.
    Rf64,
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
                    || (spec.format.is_pcm() && spec.format.bits_per_sample() > 16)
                    || spec.valid_bits.is_some()
                    || spec.channel_mask.is_some() =>
            {
                FmtChunk::Extensible
            }
            FmtChunk::Auto => FmtChunk::Basic,
            chosen => chosen,
        }
    }
}

/// What a WAV file holds: channel count, sample rate, sample format, and how the header says so.
///
/// Build one with [`WavSpec::new`] and the `with_*` methods; it is checked when it is used (an
/// encoder, a stream writer), so that every error names the call that hit it. The decoder fills in
/// every field from the file it read.
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
    /// How many of an integer sample's bits carry signal, when fewer than its container holds (20 in
    /// a 24-bit sample, 24 in a 32-bit one): the most significant ones, as WAVE_FORMAT_EXTENSIBLE says.
    /// `None` means all of them.
    pub valid_bits: Option<u16>,
    /// The speaker positions of WAVE_FORMAT_EXTENSIBLE's `dwChannelMask` (bit 0 front left, bit 1
    /// front right, bit 2 front centre, …). `None` means the first `channels` positions, what hound,
    /// ffmpeg and sox write; the decoder reports `None` for that mask and for the basic layout.
    pub channel_mask: Option<u32>,
    /// RIFF or RF64.
    pub container: Container,
}

impl WavSpec {
    /// A spec with the [`FmtChunk::Auto`] header layout, all bits valid, the default channel mask and
    /// the RIFF container.
    ///
    /// # Examples
    ///
    /// ```
    /// let spec = strata_wav::WavSpec::new(1, 8_000, strata_wav::SampleFormat::Pcm16);
    /// assert_eq!(spec.channels, 1);
    /// assert_eq!(spec.valid_bits, None);
    /// ```
    pub const fn new(channels: u16, sample_rate: u32, format: SampleFormat) -> WavSpec {
        WavSpec {
            channels,
            sample_rate,
            format,
            fmt_chunk: FmtChunk::Auto,
            valid_bits: None,
            channel_mask: None,
            container: Container::Riff,
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

    /// The same spec with `bits` valid bits per integer sample (written in the extensible layout; the
    /// encoders clear the bits below them, and the decoder ignores those bits).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{FmtChunk, SampleFormat, WavSpec};
    ///
    /// let spec = WavSpec::new(1, 48_000, SampleFormat::Pcm24).with_valid_bits(20);
    /// let wav = spec.encode_interleaved(&[0x7fff_ffffi32])?;
    /// let decoded = strata_wav::decode(&wav)?;
    /// assert_eq!(decoded.spec().valid_bits, Some(20));
    /// assert_eq!(decoded.samples::<i32>(), [0x7fff_f000]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn with_valid_bits(mut self, bits: u16) -> WavSpec {
        self.valid_bits = Some(bits);
        self
    }

    /// The same spec with the speaker positions `mask` (written in the extensible layout).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavSpec};
    ///
    /// // Front left and right plus the low-frequency effects channel (bit 3).
    /// let spec = WavSpec::new(3, 48_000, SampleFormat::Pcm16).with_channel_mask(0b1011);
    /// let wav = spec.encode_interleaved(&[0i16; 3])?;
    /// assert_eq!(strata_wav::decode(&wav)?.spec().channel_mask, Some(0b1011));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn with_channel_mask(mut self, mask: u32) -> WavSpec {
        self.channel_mask = Some(mask);
        self
    }

    /// The same spec in another container.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{Container, SampleFormat, WavSpec};
    ///
    /// let spec = WavSpec::new(1, 8_000, SampleFormat::Pcm16).with_container(Container::Rf64);
    /// assert_eq!(spec.container, Container::Rf64);
    /// ```
    #[must_use]
    pub const fn with_container(mut self, container: Container) -> WavSpec {
        self.container = container;
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

    /// The mask that clears the bits below the valid ones of a sample scaled to 32 bits.
    pub(crate) const fn keep_mask(&self) -> i32 {
        match self.valid_bits {
            Some(bits) => valid_mask(bits),
            None => -1,
        }
    }

    /// Checks that the spec can be written as a WAV header.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::InvalidInput`] ([`strata_raw::Error::InvalidArgument`]) for zero channels, a
    /// sample rate of 0, a frame wider than 65535 bytes, more than `u32::MAX` bytes per second, valid
    /// bits on a format that is not integer PCM or outside `1..=container bits`, or valid bits or a
    /// channel mask with the basic layout, which cannot say them.
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
        if let Some(bits) = self.valid_bits {
            let container = self.format.bits_per_sample();
            if !self.format.is_pcm() {
                return Err(invalid(format!(
                    "valid bits apply to integer PCM, not {:?}",
                    self.format
                )));
            }
            if bits == 0 || bits > container {
                return Err(invalid(format!(
                    "{bits} valid bits do not fit a {container}-bit sample"
                )));
            }
        }
        if self.fmt_chunk == FmtChunk::Basic
            && (self.valid_bits.is_some() || self.channel_mask.is_some())
        {
            return Err(invalid(
                "valid bits and a channel mask need the extensible `fmt ` layout, not the basic one",
            ));
        }
        Ok(())
    }
}

/// An [`io::ErrorKind::InvalidInput`] error with `message`.
pub(crate) fn invalid(message: impl Into<Cow<'static, str>>) -> io::Error {
    Error::InvalidArgument(message.into()).into()
}

/// The speaker mask hound, ffmpeg and sox write: the first `channels` positions, at most 18.
pub(crate) fn default_channel_mask(channels: u16) -> u32 {
    let positions = u32::from(channels.min(18));
    ((1u64 << positions) - 1) as u32
}

/// The RIFF header of a WAV file, up to and including the data chunk's size field.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Header {
    bytes: [u8; Header::MAX_LEN],
    len: usize,
    container: Container,
}

impl Header {
    /// The longest header: RF64 (12) + ds64 (8 + 28) + extensible fmt (8 + 40) + data chunk header (8).
    const MAX_LEN: usize = 104;
    /// Where the ds64 chunk's three 64-bit sizes (RIFF, data, sample count) start in an RF64 header.
    const DS64_SIZES_AT: usize = 20;

    /// The header of `spec` (already checked) with the size fields set for `data_len` bytes of samples,
    /// or to "unknown length" when `data_len` is `None`, or when it does not fit a RIFF header.
    pub(crate) fn new(spec: &WavSpec, data_len: Option<u64>) -> Header {
        let mut header = Header {
            bytes: [0; Header::MAX_LEN],
            len: 0,
            container: spec.container,
        };
        let layout = spec.fmt_chunk.resolve(spec);
        let fmt_len: u32 = match (layout, spec.format.is_pcm()) {
            (FmtChunk::Extensible, _) => 40,
            (_, false) => 18,
            (_, true) => 16,
        };
        let tag = if layout == FmtChunk::Extensible {
            TAG_EXTENSIBLE
        } else {
            spec.format.tag()
        };
        match spec.container {
            Container::Riff => header.put(b"RIFF"),
            Container::Rf64 => header.put(b"RF64"),
        }
        header.put(&[0; 4]);
        header.put(b"WAVE");
        if spec.container == Container::Rf64 {
            header.put(b"ds64");
            header.put(&28u32.to_le_bytes());
            header.put(&[0; 28]); // three 64-bit sizes and an empty table, set below
        }
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
            let valid = spec
                .valid_bits
                .unwrap_or_else(|| spec.format.bits_per_sample());
            let mask = spec
                .channel_mask
                .unwrap_or_else(|| default_channel_mask(spec.channels));
            header.put(&22u16.to_le_bytes());
            header.put(&valid.to_le_bytes());
            header.put(&mask.to_le_bytes());
            header.put(&spec.format.tag().to_le_bytes());
            header.put(&GUID_TAIL);
        }
        header.put(b"data");
        header.put(&[0; 4]);
        header.set_sizes(spec, data_len);
        header
    }

    fn put(&mut self, bytes: &[u8]) {
        self.bytes[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    /// Sets the size fields for `data_len` bytes of samples, or to "unknown length" when the length is
    /// unknown or too large for them: [`UNKNOWN_LENGTH`] in a RIFF header; in an RF64 one, the 32-bit
    /// fields always say "see ds64" (`0xFFFF_FFFF`) and the ds64 sizes say `u64::MAX`.
    fn set_sizes(&mut self, spec: &WavSpec, data_len: Option<u64>) {
        let known = data_len.filter(|&len| self.fits(len));
        let end = self.len;
        match (self.container, known) {
            (Container::Riff, Some(len)) => {
                let riff = self.riff_size(len) as u32;
                self.bytes[4..8].copy_from_slice(&riff.to_le_bytes());
                self.bytes[end - 4..end].copy_from_slice(&(len as u32).to_le_bytes());
            }
            (Container::Riff, None) => {
                self.bytes[4..8].copy_from_slice(&UNKNOWN_LENGTH.to_le_bytes());
                self.bytes[end - 4..end].copy_from_slice(&UNKNOWN_LENGTH.to_le_bytes());
            }
            (Container::Rf64, known) => {
                self.bytes[4..8].copy_from_slice(&UNKNOWN_LENGTH.to_le_bytes());
                self.bytes[end - 4..end].copy_from_slice(&UNKNOWN_LENGTH.to_le_bytes());
                let (riff, data, frames) = match known {
                    Some(len) => (
                        self.riff_size(len),
                        len,
                        len / u64::from(spec.block_align()),
                    ),
                    None => (u64::MAX, u64::MAX, u64::MAX),
                };
                let at = Header::DS64_SIZES_AT;
                self.bytes[at..at + 8].copy_from_slice(&riff.to_le_bytes());
                self.bytes[at + 8..at + 16].copy_from_slice(&data.to_le_bytes());
                self.bytes[at + 16..at + 24].copy_from_slice(&frames.to_le_bytes());
            }
        }
    }

    /// The RIFF size for `data_len` bytes of samples: everything after the size field, the pad byte
    /// RIFF adds after an odd-sized chunk included.
    fn riff_size(&self, data_len: u64) -> u64 {
        (self.len as u64 - 8) + data_len + (data_len & 1)
    }

    /// Whether the header's size fields can hold `data_len` bytes of samples.
    ///
    /// A fitting RIFF size is never [`UNKNOWN_LENGTH`]: the header is even-sized, so a RIFF size of
    /// `0xFFFF_FFFF` would need odd data, whose pad byte pushes it past 32 bits.
    pub(crate) fn fits(&self, data_len: u64) -> bool {
        match self.container {
            Container::Riff => u32::try_from(self.riff_size(data_len)).is_ok(),
            Container::Rf64 => data_len < u64::MAX / 2,
        }
    }

    /// The same header with its sizes set for `data_len` bytes of samples, or `None` when they do not
    /// fit.
    pub(crate) fn with_sizes(&self, spec: &WavSpec, data_len: u64) -> Option<Header> {
        self.fits(data_len).then(|| {
            let mut header = *self;
            header.set_sizes(spec, Some(data_len));
            header
        })
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
        let spec = WavSpec::new(1, 8_000, SampleFormat::Pcm24);
        let header = Header::new(&spec, None);
        assert_eq!(&header.as_bytes()[4..8], &[0xff; 4]);
        assert_eq!(&header.as_bytes()[64..68], &[0xff; 4]);
        let sized = header.with_sizes(&spec, 3).expect("fits");
        assert_eq!(&sized.as_bytes()[4..8], &(60u32 + 4).to_le_bytes());
        assert_eq!(&sized.as_bytes()[64..68], &3u32.to_le_bytes());
        // RIFF size = 60 + data (+ 1 pad) must fit in 32 bits.
        let max = u64::from(u32::MAX) - 61;
        assert!(header.fits(max));
        assert!(!header.fits(max + 1));
        let rf64 = Header::new(&spec.with_container(Container::Rf64), None);
        assert_eq!(rf64.as_bytes().len(), 104);
        assert!(rf64.fits(max + 1));
        let big = rf64
            .with_sizes(&spec.with_container(Container::Rf64), 3 << 32)
            .expect("fits");
        assert_eq!(&big.as_bytes()[4..8], &[0xff; 4]);
        assert_eq!(&big.as_bytes()[28..36], &(3u64 << 32).to_le_bytes());
        assert_eq!(&big.as_bytes()[36..44], &(1u64 << 32).to_le_bytes());
    }

    #[test]
    fn channel_mask_stops_at_18_positions() {
        assert_eq!(default_channel_mask(1), 1);
        assert_eq!(default_channel_mask(6), 0x3f);
        assert_eq!(default_channel_mask(18), 0x3_ffff);
        assert_eq!(default_channel_mask(u16::MAX), 0x3_ffff);
    }
}
