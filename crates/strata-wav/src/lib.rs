//! `strata-wav`: WAV audio in memory — encode samples to WAV bytes, stream an open-ended WAV to any sink,
//! and decode WAV bytes (hostile ones included) without surprises.
//!
//! - **One call**: [`WavSpec::encode_planar`] takes `[channels][frames]` samples (one slice per channel,
//!   the shape torchaudio and other tensor libraries return) and [`WavSpec::encode_interleaved`] takes
//!   interleaved frames; both return the whole file as [`Bytes`]. Samples are `f32`, `i16` or `i32`
//!   ([`Sample`], which documents the exact conversions), stored as any [`SampleFormat`]: 8-bit
//!   unsigned, 16/24/32-bit integer PCM, 32/64-bit float, G.711 µ-law or A-law; with valid bits and a
//!   channel mask in WAVE_FORMAT_EXTENSIBLE; in a RIFF or, beyond 4 GiB, an RF64 [`Container`].
//! - **Chunks**: [`WavSpec::encode_chunks`] yields one complete, playable WAV file per chunk of frames.
//! - **One open-ended stream**: [`WavStreamWriter`] writes a single WAV to any [`std::io::Write`], a socket
//!   or a pipe included, with the sizes set to "unknown length" ([`UNKNOWN_LENGTH`]); `finish()` returns
//!   the sink, and patches the real sizes first when the sink can seek
//!   ([`WavStreamWriter::new_seekable`], what to use whenever the file goes to other tools).
//! - **Decoding a slice**: [`decode`] parses WAV bytes without copying them, checks every size against
//!   the bytes really present, and reports a [`WavError`] naming the problem ("IMA ADPCM (format tag
//!   0x0011) is not supported") instead of panicking or allocating what a header claims.
//! - **Decoding a stream**: [`WavReader`] parses the header from any [`std::io::Read`] (a pipe, a
//!   socket, stdin, an open-ended stream that never ends) with the same parser, then hands out frames
//!   block by block in memory bounded by the block; over a `Read + Seek` it seeks to a frame.
//! - **Salvage**: [`Strictness::Lenient`] returns every whole frame of a file cut short, as Python's
//!   `wave` and sox do, with a [`Salvage`] report of the frames promised and found.
//! - **Offset 0 is not assumed**: nothing here seeks to absolute offsets, and [`OffsetSink`] shields
//!   writers that do (hound patches its header at offsets 4 and 40) when they write after other data.
//!
//! The header is written by this crate, not by hound: hound cannot write or read open-ended streams,
//! always picks the extensible layout for float and for more than 16 bits (which Python's `wave` before
//! 3.12 cannot read), and needs a seekable sink. [`FmtChunk`] chooses the layout: Microsoft's rule by
//! default, or the basic one that every reader accepts.
//!
//! # Example
//!
//! Two seconds of a stereo 440 Hz tone, shaped `[channels][frames]` as a tensor library hands it over,
//! to 16-bit WAV bytes and back:
//!
//! ```
//! use strata_wav::{SampleFormat, WavSpec};
//!
//! let rate = 48_000;
//! let tone: Vec<f32> = (0..2 * rate)
//!     .map(|i| 0.5 * (2.0 * std::f32::consts::PI * 440.0 * i as f32 / rate as f32).sin())
//!     .collect();
//! let waveform = vec![tone.clone(), tone]; // [channels][frames]
//!
//! let spec = WavSpec::new(2, rate as u32, SampleFormat::Pcm16);
//! let wav: bytes::Bytes = spec.encode_planar(&waveform)?;
//! assert_eq!(wav.len(), 44 + 2 * 48_000 * 2 * 2);
//!
//! let decoded = strata_wav::decode(&wav)?;
//! assert_eq!(decoded.spec().sample_rate, 48_000);
//! assert_eq!(decoded.frames(), 96_000);
//! let back = decoded.planar::<f32>();
//! let worst = back[1].iter().zip(&waveform[1]).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
//! assert!(worst <= 0.5 / 32768.0); // within half a 16-bit step
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(not(test), warn(clippy::unwrap_used))]

mod decode;
mod encode;
mod g711;
mod parse;
mod reader;
mod sample;
mod spec;
mod stream;

pub use crate::decode::{Salvage, Strictness, Wav, WavError, decode, decode_with};
pub use crate::encode::EncodeChunks;
pub use crate::reader::WavReader;
pub use crate::sample::Sample;
pub use crate::spec::{Container, FmtChunk, SampleFormat, UNKNOWN_LENGTH, WavSpec};
pub use crate::stream::WavStreamWriter;
pub use bytes::Bytes;
pub use strata_buffered::OffsetSink;

/// The traits a user needs to call every method of this crate's types ([`OffsetSink`] is a stream).
///
/// ```
/// use strata_wav::prelude::*;
/// ```
pub mod prelude {
    pub use strata_raw::prelude::*;
}
