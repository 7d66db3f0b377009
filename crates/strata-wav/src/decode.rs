//! The decoder: one RIFF chunk parser for ordinary files and open-ended streams alike.
//!
//! The parser only borrows the input. It allocates nothing while it parses (an error allocates its
//! message), reads no size field without checking it against the bytes that are really there, and
//! does all arithmetic on sizes in `u64`, so no claim in the input can make it allocate, overflow or
//! index out of bounds.

use std::borrow::Cow;
use std::fmt;
use std::io;

use crate::parse::{DataLen, Parsed, SliceSource, parse};
use crate::sample::{Sample, unpack};
use crate::spec::WavSpec;

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
    /// A valid format this crate does not decode, named: `"IMA ADPCM (format tag 0x0011)"`, `"12-bit
    /// float"` ([`io::ErrorKind::Unsupported`]). The message reads "… is not supported".
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
            WavError::Unsupported(what) => write!(f, "{what} is not supported"),
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
    salvage: Option<Salvage>,
}

impl<'a> Wav<'a> {
    /// The spec; [`WavSpec::fmt_chunk`] says which layout the file used
    /// ([`FmtChunk::Basic`](crate::FmtChunk::Basic) or [`FmtChunk::Extensible`](crate::FmtChunk::Extensible)).
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

    /// Whether the data chunk's size said "unknown" (`0xFFFF_FFFF`, sox's `0x7FFF_F000`, or 0), so that the data was read to
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

    /// What [`Strictness::Lenient`] salvaged, when the data chunk was cut short or not whole frames;
    /// `None` for a whole file.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, Strictness, WavSpec};
    ///
    /// let bytes = WavSpec::new(1, 8_000, SampleFormat::Pcm16).encode_interleaved(&[0i16; 3])?;
    /// assert_eq!(strata_wav::decode_with(&bytes, Strictness::Lenient)?.salvage(), None);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn salvage(&self) -> Option<Salvage> {
        self.salvage
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
        unpack(
            self.spec.format,
            self.spec.keep_mask(),
            self.data,
            width,
            &mut out,
        );
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
                unpack(
                    self.spec.format,
                    self.spec.keep_mask(),
                    src,
                    block,
                    &mut out,
                );
                out
            })
            .collect()
    }
}

/// What the decoder does with a data chunk shorter than its header says (a file cut off while it
/// was being written or copied).
///
/// # Examples
///
/// ```
/// use strata_wav::{SampleFormat, Strictness, WavSpec};
///
/// let wav = WavSpec::new(1, 8_000, SampleFormat::Pcm16).encode_interleaved(&[1i16, 2, 3])?;
/// let cut = &wav[..wav.len() - 1]; // half the last frame lost
/// assert!(strata_wav::decode(cut).is_err());
/// let salvaged = strata_wav::decode_with(cut, Strictness::Lenient)?;
/// assert_eq!(salvaged.samples::<i16>(), [1, 2]);
/// let report = salvaged.salvage().expect("the file was cut");
/// assert_eq!((report.frames_promised, report.frames_found), (3, 2));
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Strictness {
    /// A data chunk shorter than its size, or not a whole number of frames, is an error
    /// ([`WavError::Truncated`], [`WavError::PartialFrame`]).
    #[default]
    Strict,
    /// Every whole frame present is returned, as Python's `wave` and sox do, and a [`Salvage`] report
    /// says how many frames the header promised and how many were found. Only the data chunk is
    /// salvaged: a cut header is still an error.
    Lenient,
}

/// What [`Strictness::Lenient`] salvaged from a data chunk that was shorter than its header said or not
/// a whole number of frames.
///
/// # Examples
///
/// ```
/// use strata_wav::{SampleFormat, Strictness, WavSpec};
///
/// let wav = WavSpec::new(2, 8_000, SampleFormat::Pcm16).encode_interleaved(&[0i16; 20])?;
/// let cut = strata_wav::decode_with(&wav[..44 + 15], Strictness::Lenient)?;
/// let report = cut.salvage().expect("cut");
/// assert_eq!((report.frames_promised, report.frames_found), (10, 3));
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Salvage {
    /// Whole frames the data chunk's size promised.
    pub frames_promised: u64,
    /// Whole frames that were really there (and were returned).
    pub frames_found: u64,
}

impl Salvage {
    /// The report for `declared` bytes promised and `found` bytes present, or `None` when the data is
    /// whole.
    pub(crate) fn of(declared: u64, found: u64, block_align: u32) -> Option<Salvage> {
        let align = u64::from(block_align);
        (found < declared || !declared.is_multiple_of(align)).then_some(Salvage {
            frames_promised: declared / align,
            frames_found: found.min(declared) / align,
        })
    }
}

/// Parses WAV bytes: an ordinary file, or an open-ended stream whose sizes say "unknown"; a data chunk
/// cut short is an error ([`Strictness::Strict`]; see [`decode_with`] to salvage it).
///
/// This is the zero-copy path: the samples stay in `input` until they are asked for. For a stream
/// (a pipe, a socket, a file too large to hold), use [`WavReader`](crate::WavReader), which shares this
/// header parser.
///
/// Chunks before the data chunk are walked in order (`fmt ` must come before `data`; others such as
/// `LIST`, `fact` or `JUNK` are skipped, honouring RIFF's pad byte after odd sizes). Formats: every
/// [`SampleFormat`](crate::SampleFormat), in the basic or the extensible `fmt ` layout (whose valid bits and channel mask
/// are honoured), in a RIFF, RF64 or BW64 container. The RIFF size is not trusted (many writers get it
/// wrong) and chunks after the data are ignored.
///
/// A data size of `0xFFFF_FFFF` ([`UNKNOWN_LENGTH`](crate::UNKNOWN_LENGTH), what ffmpeg writes to a pipe)
/// or `0x7FFF_F000` (what sox writes to a pipe) means the length was not known when the header was
/// written: the data then runs to the end of the input, whole frames only, and
/// [`Wav::is_open_ended`] is true. A data size of 0 means the same (writers that cannot seek back
/// leave an empty file's sizes) unless the RIFF size says the file holds more chunks after the data
/// header: then the data chunk really is empty and what follows is metadata, not audio.
///
/// # Errors
///
/// An [`io::Error`] carrying a [`WavError`] that names the problem: [`io::ErrorKind::UnexpectedEof`] when
/// a header or chunk is cut short (a data size larger than the input is a lie, not a stream);
/// [`io::ErrorKind::InvalidData`] for a missing RIFF/WAVE signature, a missing `fmt ` or `data` chunk, a
/// `fmt ` chunk that contradicts itself (zero channels or sample rate, wrong block align) or data that is
/// not whole frames; [`io::ErrorKind::Unsupported`] for other formats ("IMA ADPCM (format tag 0x0011)
/// is not supported").
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
    decode_with(input, Strictness::Strict)
}

/// [`decode`] with a choice of what to do with a data chunk cut short.
///
/// # Errors
///
/// Those of [`decode`]; with [`Strictness::Lenient`], a short data chunk or a partial last frame is not
/// an error: [`Wav::salvage`] reports it.
///
/// # Examples
///
/// ```
/// use strata_wav::{SampleFormat, Strictness, WavSpec};
///
/// let wav = WavSpec::new(1, 8_000, SampleFormat::Pcm8).encode_interleaved(&[0.5f32; 100])?;
/// let cut = strata_wav::decode_with(&wav[..wav.len() - 40], Strictness::Lenient)?;
/// assert_eq!(cut.frames(), 60);
/// assert_eq!(cut.salvage().map(|s| s.frames_promised), Some(100));
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn decode_with(input: &[u8], strictness: Strictness) -> io::Result<Wav<'_>> {
    let mut src = SliceSource { input, pos: 0 };
    let Parsed { spec, data } = parse(&mut src)?;
    let body = &input[src.pos..];
    let block_align = spec.block_align();
    let block = block_align as usize;
    let declared = match data {
        DataLen::OpenEnded => {
            let whole = body.len() - body.len() % block;
            return Ok(Wav {
                spec,
                data: &body[..whole],
                open_ended: true,
                salvage: None,
            });
        }
        DataLen::Declared(len) => len,
    };
    let present = declared.min(body.len() as u64);
    if strictness == Strictness::Strict {
        check_data(declared, present, block_align)?;
    }
    let whole = present as usize - present as usize % block; // at most `body.len()`
    Ok(Wav {
        spec,
        data: &body[..whole],
        open_ended: false,
        salvage: Salvage::of(declared, present, block_align),
    })
}

/// The strict verdict on a data chunk of `declared` bytes of which `present` arrived: an error when it
/// is short or not whole frames.
pub(crate) fn check_data(declared: u64, present: u64, block_align: u32) -> io::Result<()> {
    if present < declared {
        // A ds64 size may be near `u64::MAX`: the chunk header's 8 bytes saturate rather than wrap.
        return Err(truncated(
            "\"data\" chunk",
            declared.saturating_add(8),
            present.saturating_add(8),
        ));
    }
    if !declared.is_multiple_of(u64::from(block_align)) {
        return Err(WavError::PartialFrame {
            data_len: declared,
            block_align,
        }
        .into());
    }
    Ok(())
}

/// A [`WavError::Truncated`] as an [`io::Error`].
pub(crate) fn truncated(
    what: impl Into<Cow<'static, str>>,
    needed: u64,
    available: u64,
) -> io::Error {
    WavError::Truncated {
        what: what.into(),
        needed,
        available,
    }
    .into()
}
