//! The decoder: one RIFF chunk parser for ordinary files and open-ended streams alike.
//!
//! The parser only borrows the input. It allocates nothing while it parses (an error allocates its
//! message), reads no size field without checking it against the bytes that are really there, and
//! does all arithmetic on sizes in `u64`, so no claim in the input can make it allocate, overflow or
//! index out of bounds.

use std::borrow::Cow;
use std::fmt;
use std::io;

use crate::sample::{Sample, unpack};
use crate::spec::{
    FmtChunk, GUID_TAIL, SampleFormat, TAG_EXTENSIBLE, TAG_FLOAT, TAG_PCM, UNKNOWN_LENGTH, WavSpec,
};

/// Why WAV bytes could not be decoded; carried inside the [`io::Error`] that [`decode`] returns.
///
/// # Examples
///
/// ```
/// use strata_wav::WavError;
///
/// let err = strata_wav::decode(b"RIFF\x04\x00\x00\x00AVI ").unwrap_err();
/// assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
/// assert!(matches!(WavError::of(&err), Some(WavError::NotWav(_))));
/// assert_eq!(err.to_string(), "not a WAV file: the RIFF form type is \"AVI \", not \"WAVE\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WavError {
    /// The input is not RIFF/WAVE ([`io::ErrorKind::InvalidData`]).
    NotWav(Cow<'static, str>),
    /// A chunk or header claims more bytes than the input holds ([`io::ErrorKind::UnexpectedEof`]).
    Truncated {
        /// What was cut short, e.g. `"RIFF header"` or `"\"fmt \" chunk"`.
        what: Cow<'static, str>,
        /// Bytes it needs, counted from its start.
        needed: u64,
        /// Bytes the input holds from its start.
        available: u64,
    },
    /// A chunk the file needs is absent: `"fmt "` (or it comes after the data) or `"data"`
    /// ([`io::ErrorKind::InvalidData`]).
    MissingChunk(&'static str),
    /// The `fmt ` chunk contradicts itself or is malformed ([`io::ErrorKind::InvalidData`]).
    InvalidFmt(Cow<'static, str>),
    /// A valid format this crate does not decode, e.g. 8-bit PCM or ADPCM
    /// ([`io::ErrorKind::Unsupported`]).
    Unsupported(Cow<'static, str>),
    /// The data chunk's size is not a whole number of frames ([`io::ErrorKind::InvalidData`]).
    PartialFrame {
        /// The data chunk's size.
        data_len: u64,
        /// Bytes per frame.
        block_align: u32,
    },
}

impl WavError {
    /// The [`WavError`] inside `err`, if it carries one.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = strata_wav::decode(b"RIFF").unwrap_err();
    /// assert!(matches!(strata_wav::WavError::of(&err), Some(strata_wav::WavError::Truncated { .. })));
    /// ```
    pub fn of(err: &io::Error) -> Option<&WavError> {
        err.get_ref()
            .and_then(|inner| inner.downcast_ref::<WavError>())
    }

    /// The [`io::ErrorKind`] this error travels with.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::WavError;
    ///
    /// assert_eq!(WavError::MissingChunk("data").kind(), std::io::ErrorKind::InvalidData);
    /// ```
    pub fn kind(&self) -> io::ErrorKind {
        match self {
            WavError::Truncated { .. } => io::ErrorKind::UnexpectedEof,
            WavError::Unsupported(_) => io::ErrorKind::Unsupported,
            WavError::NotWav(_)
            | WavError::MissingChunk(_)
            | WavError::InvalidFmt(_)
            | WavError::PartialFrame { .. } => io::ErrorKind::InvalidData,
        }
    }
}

impl fmt::Display for WavError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WavError::NotWav(why) => write!(f, "not a WAV file: {why}"),
            WavError::Truncated {
                what,
                needed,
                available,
            } => {
                write!(
                    f,
                    "truncated WAV: the {what} needs {needed} bytes but only {available} remain"
                )
            }
            WavError::MissingChunk("fmt ") => {
                f.write_str("no \"fmt \" chunk before the \"data\" chunk")
            }
            WavError::MissingChunk(id) => write!(f, "no \"{id}\" chunk"),
            WavError::InvalidFmt(why) => write!(f, "invalid \"fmt \" chunk: {why}"),
            WavError::Unsupported(what) => write!(f, "unsupported WAV format: {what}"),
            WavError::PartialFrame {
                data_len,
                block_align,
            } => write!(
                f,
                "the \"data\" chunk holds {data_len} bytes, not a whole number of {block_align}-byte frames"
            ),
        }
    }
}

impl std::error::Error for WavError {}

impl From<WavError> for io::Error {
    fn from(err: WavError) -> io::Error {
        io::Error::new(err.kind(), err)
    }
}

/// A decoded WAV file: its spec and its sample bytes, borrowed from the input.
///
/// Samples are converted when asked for, to the type asked for ([`Wav::samples`],
/// [`Wav::planar`]); see [`Sample`] for the conversions.
///
/// # Examples
///
/// ```
/// use strata_wav::{SampleFormat, WavSpec};
///
/// let bytes = WavSpec::new(2, 44_100, SampleFormat::Pcm16).encode_planar(&[[0.5f32; 4], [-0.5; 4]])?;
/// let wav = strata_wav::decode(&bytes)?;
/// assert_eq!((wav.spec().channels, wav.spec().sample_rate), (2, 44_100));
/// assert_eq!(wav.planar::<f32>(), vec![vec![0.5; 4], vec![-0.5; 4]]);
/// assert_eq!(wav.samples::<i16>()[..2], [16384, -16384]);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wav<'a> {
    spec: WavSpec,
    data: &'a [u8],
    open_ended: bool,
}

impl<'a> Wav<'a> {
    /// The spec; [`WavSpec::fmt_chunk`] says which layout the file used
    /// ([`FmtChunk::Basic`] or [`FmtChunk::Extensible`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{FmtChunk, SampleFormat, WavSpec};
    ///
    /// let bytes = WavSpec::new(6, 48_000, SampleFormat::Pcm24).encode_interleaved(&[0i32; 6])?;
    /// let spec = *strata_wav::decode(&bytes)?.spec();
    /// assert_eq!(spec.format, SampleFormat::Pcm24);
    /// assert_eq!(spec.fmt_chunk, FmtChunk::Extensible);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn spec(&self) -> &WavSpec {
        &self.spec
    }

    /// The sample bytes, interleaved little-endian frames in [`WavSpec::format`].
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavSpec};
    ///
    /// let bytes = WavSpec::new(1, 8_000, SampleFormat::Pcm16).encode_interleaved(&[258i16])?;
    /// assert_eq!(strata_wav::decode(&bytes)?.data(), &[2, 1]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Number of frames (samples per channel).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavSpec};
    ///
    /// let bytes = WavSpec::new(2, 8_000, SampleFormat::Float32).encode_interleaved(&[0f32; 10])?;
    /// assert_eq!(strata_wav::decode(&bytes)?.frames(), 5);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn frames(&self) -> usize {
        self.data.len() / self.spec.block_align() as usize
    }

    /// Whether the data chunk's size said "unknown" (`0xFFFF_FFFF` or 0), so that the data was read to
    /// the end of the input (whole frames only).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavSpec};
    ///
    /// let bytes = WavSpec::new(1, 8_000, SampleFormat::Pcm16).encode_interleaved(&[0i16; 3])?;
    /// assert!(!strata_wav::decode(&bytes)?.is_open_ended());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_open_ended(&self) -> bool {
        self.open_ended
    }

    /// Every sample, interleaved (`[frame0 ch0, frame0 ch1, frame1 ch0, …]`), converted to `S`.
    ///
    /// Allocates `frames × channels` samples: at most twice the input's size.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavSpec};
    ///
    /// let bytes = WavSpec::new(2, 8_000, SampleFormat::Pcm16).encode_interleaved(&[-32768i16, 16384])?;
    /// assert_eq!(strata_wav::decode(&bytes)?.samples::<f32>(), [-1.0, 0.5]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn samples<S: Sample>(&self) -> Vec<S> {
        let width = usize::from(self.spec.format.bytes_per_sample());
        let mut out = vec![S::from_float(0.0); self.data.len() / width];
        unpack(self.spec.format, self.data, width, &mut out);
        out
    }

    /// Every sample as `[channels][frames]`, the shape audio tensors use, converted to `S`.
    ///
    /// Allocates one `Vec` per channel and `frames × channels` samples.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavSpec};
    ///
    /// let bytes = WavSpec::new(2, 8_000, SampleFormat::Pcm24).encode_interleaved(&[1i16, 2, 3, 4])?;
    /// assert_eq!(strata_wav::decode(&bytes)?.planar::<i16>(), [[1, 3], [2, 4]]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn planar<S: Sample>(&self) -> Vec<Vec<S>> {
        let width = usize::from(self.spec.format.bytes_per_sample());
        let block = self.spec.block_align() as usize;
        (0..usize::from(self.spec.channels))
            .map(|c| {
                let mut out = vec![S::from_float(0.0); self.frames()];
                // Channel `c` starts `c` samples into the first frame, then comes once per frame.
                let src = self.data.get(c * width..).unwrap_or_default();
                unpack(self.spec.format, src, block, &mut out);
                out
            })
            .collect()
    }
}

/// Parses WAV bytes: an ordinary file, or an open-ended stream whose sizes say "unknown".
///
/// Chunks before the data chunk are walked in order (`fmt ` must come before `data`; others such as
/// `LIST`, `fact` or `JUNK` are skipped, honouring RIFF's pad byte after odd sizes). Formats: PCM 16, 24
/// and 32 bits and IEEE float 32 bits, in the basic or the extensible `fmt ` layout. The RIFF size is
/// not trusted (many writers get it wrong) and chunks after the data are ignored.
///
/// A data size of [`UNKNOWN_LENGTH`] means the length was not known when the header was written (ffmpeg
/// writes it to a pipe): the data then runs to the end of the input, whole frames only, and
/// [`Wav::is_open_ended`] is true. A data size of 0 means the same (writers that cannot seek back leave
/// an empty file's sizes) unless the RIFF size says the file holds more chunks after the data
/// header: then the data chunk really is empty and what follows is metadata, not audio.
///
/// # Errors
///
/// An [`io::Error`] carrying a [`WavError`] that names the problem: [`io::ErrorKind::UnexpectedEof`] when
/// a header or chunk is cut short (a data size larger than the input is a lie, not a stream);
/// [`io::ErrorKind::InvalidData`] for a missing RIFF/WAVE signature, a missing `fmt ` or `data` chunk, a
/// `fmt ` chunk that contradicts itself (zero channels or sample rate, wrong block align) or data that is
/// not whole frames; [`io::ErrorKind::Unsupported`] for other formats (8-bit or 64-bit, ADPCM, …).
///
/// # Examples
///
/// ```
/// use strata_wav::{SampleFormat, WavSpec};
///
/// let bytes = WavSpec::new(1, 16_000, SampleFormat::Float32).encode_interleaved(&[0.25f32, -0.75])?;
/// let wav = strata_wav::decode(&bytes)?;
/// assert_eq!(wav.samples::<f32>(), [0.25, -0.75]);
///
/// let cut = strata_wav::decode(&bytes[..bytes.len() - 1]).unwrap_err();
/// assert_eq!(cut.kind(), std::io::ErrorKind::UnexpectedEof);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn decode(input: &[u8]) -> io::Result<Wav<'_>> {
    let available = input.len() as u64;
    if input.len() < 12 {
        return Err(truncated("RIFF header", 12, available));
    }
    match &input[..4] {
        b"RIFF" => {}
        b"RF64" | b"BW64" => return Err(WavError::Unsupported("RF64 (64-bit sizes)".into()).into()),
        b"RIFX" => return Err(WavError::Unsupported("big-endian RIFX".into()).into()),
        other => {
            let why = format!("it starts with \"{}\", not \"RIFF\"", other.escape_ascii());
            return Err(WavError::NotWav(why.into()).into());
        }
    }
    if &input[8..12] != b"WAVE" {
        let form = input[8..12].escape_ascii();
        return Err(WavError::NotWav(
            format!("the RIFF form type is \"{form}\", not \"WAVE\"").into(),
        )
        .into());
    }
    let mut spec = None;
    let mut rest = &input[12..];
    loop {
        if rest.is_empty() {
            return Err(WavError::MissingChunk("data").into());
        }
        if rest.len() < 8 {
            return Err(truncated("chunk header", 8, rest.len() as u64));
        }
        let id: [u8; 4] = [rest[0], rest[1], rest[2], rest[3]];
        let size = u32::from_le_bytes([rest[4], rest[5], rest[6], rest[7]]);
        let body = &rest[8..];
        if &id == b"data" {
            let spec = spec.ok_or(WavError::MissingChunk("fmt "))?;
            let body_at = (input.len() - body.len()) as u64;
            let open_ended = match size {
                UNKNOWN_LENGTH => true,
                // An empty data chunk inside a RIFF that goes on is empty; a RIFF size that ends at
                // the data header (or is unknown itself) was written before the length was known.
                0 => match u32_at(input, 4) {
                    0 | UNKNOWN_LENGTH => true,
                    riff => u64::from(riff) + 8 <= body_at,
                },
                _ => false,
            };
            return data_chunk(spec, size, body, open_ended);
        }
        let Some(content) = body.get(..size as usize) else {
            let what = format!("\"{}\" chunk", id.escape_ascii());
            return Err(truncated(what, u64::from(size) + 8, body.len() as u64 + 8));
        };
        if &id == b"fmt " {
            if spec.is_some() {
                return Err(WavError::InvalidFmt("the file has two \"fmt \" chunks".into()).into());
            }
            spec = Some(parse_fmt(content)?);
        }
        // Skip the chunk and its pad byte (tolerating a missing pad at the very end).
        let next = (size as usize).saturating_add(size as usize & 1);
        rest = body.get(next..).unwrap_or_default();
    }
}

/// The data chunk of `size` bytes whose body starts `body` (which runs to the end of the input); when
/// `open_ended`, the size was not known when it was written and the data runs to the end.
fn data_chunk(spec: WavSpec, size: u32, body: &[u8], open_ended: bool) -> io::Result<Wav<'_>> {
    let block_align = spec.block_align();
    let block = block_align as usize;
    if open_ended {
        let whole = body.len() - body.len() % block;
        return Ok(Wav {
            spec,
            data: &body[..whole],
            open_ended: true,
        });
    }
    let Some(data) = body.get(..size as usize) else {
        return Err(truncated(
            "\"data\" chunk",
            u64::from(size) + 8,
            body.len() as u64 + 8,
        ));
    };
    if data.len() % block != 0 {
        return Err(WavError::PartialFrame {
            data_len: u64::from(size),
            block_align,
        }
        .into());
    }
    Ok(Wav {
        spec,
        data,
        open_ended: false,
    })
}

fn truncated(what: impl Into<Cow<'static, str>>, needed: u64, available: u64) -> io::Error {
    WavError::Truncated {
        what: what.into(),
        needed,
        available,
    }
    .into()
}

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// The spec a `fmt ` chunk describes.
fn parse_fmt(fmt: &[u8]) -> io::Result<WavSpec> {
    let bad = |why: String| -> io::Error { WavError::InvalidFmt(why.into()).into() };
    if fmt.len() < 16 {
        return Err(bad(format!(
            "it holds {} bytes, fewer than the 16 every layout needs",
            fmt.len()
        )));
    }
    let tag = u16_at(fmt, 0);
    let channels = u16_at(fmt, 2);
    let sample_rate = u32_at(fmt, 4);
    let block_align = u16_at(fmt, 12);
    let bits = u16_at(fmt, 14);
    let (subtag, layout) = if tag == TAG_EXTENSIBLE {
        if fmt.len() < 40 || u16_at(fmt, 16) < 22 {
            return Err(bad(format!(
                "WAVE_FORMAT_EXTENSIBLE needs 40 bytes with 22 of extension, got {} bytes",
                fmt.len()
            )));
        }
        let valid_bits = u16_at(fmt, 18);
        if valid_bits > bits {
            return Err(bad(format!(
                "{valid_bits} valid bits in a {bits}-bit container"
            )));
        }
        if fmt[26..40] != GUID_TAIL || u16_at(fmt, 24) == 0 {
            return Err(WavError::Unsupported(
                "a non-PCM WAVE_FORMAT_EXTENSIBLE sub-format".into(),
            )
            .into());
        }
        (u16_at(fmt, 24), FmtChunk::Extensible)
    } else {
        (tag, FmtChunk::Basic)
    };
    let format = match (subtag, bits) {
        (TAG_PCM, 16) => SampleFormat::Pcm16,
        (TAG_PCM, 24) => SampleFormat::Pcm24,
        (TAG_PCM, 32) => SampleFormat::Pcm32,
        (TAG_FLOAT, 32) => SampleFormat::Float32,
        (TAG_PCM, bits) => {
            return Err(WavError::Unsupported(format!("{bits}-bit PCM").into()).into());
        }
        (TAG_FLOAT, bits) => {
            return Err(WavError::Unsupported(format!("{bits}-bit float").into()).into());
        }
        (tag, _) => {
            return Err(WavError::Unsupported(format!("format tag 0x{tag:04x}").into()).into());
        }
    };
    if channels == 0 {
        return Err(bad("0 channels".into()));
    }
    if sample_rate == 0 {
        return Err(bad("sample rate 0".into()));
    }
    let spec = WavSpec {
        channels,
        sample_rate,
        format,
        fmt_chunk: layout,
    };
    if spec.block_align() != u32::from(block_align) {
        return Err(bad(format!(
            "block align {block_align} does not match {channels} channels of {} bytes",
            format.bytes_per_sample()
        )));
    }
    Ok(spec)
}
