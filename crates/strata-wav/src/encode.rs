//! Encoding samples to complete WAV files in memory: one call, or one file per chunk.

use std::io;
use std::iter::FusedIterator;
use std::marker::PhantomData;
use std::ops::Range;

use bytes::Bytes;

use crate::sample::{Sample, pack};
use crate::spec::{Header, WavSpec, invalid};

/// Samples as the caller holds them: one slice per channel, or frames interleaved in one slice.
pub(crate) enum Frames<'a, S, C> {
    /// `[channels][frames]`, the shape audio tensors use.
    Planar(&'a [C]),
    /// `[frames * channels]`, channel by channel within each frame.
    Interleaved(&'a [S]),
}

impl<S: Sample, C: AsRef<[S]>> Frames<'_, S, C> {
    /// Checks the samples against `spec` and returns how many frames they hold.
    pub(crate) fn count(&self, spec: &WavSpec) -> io::Result<usize> {
        match *self {
            Frames::Planar(channels) => {
                if channels.len() > usize::from(u16::MAX) {
                    return Err(invalid(format!(
                        "{} channels given; WAV allows at most 65535",
                        channels.len()
                    )));
                }
                if channels.len() != usize::from(spec.channels) {
                    return Err(invalid(format!(
                        "the spec says {} channels but {} were given",
                        spec.channels,
                        channels.len()
                    )));
                }
                let frames = channels.first().map_or(0, |first| first.as_ref().len());
                match channels.iter().position(|c| c.as_ref().len() != frames) {
                    Some(i) => Err(invalid(format!(
                        "channel {i} has {} frames but channel 0 has {frames}",
                        channels[i].as_ref().len()
                    ))),
                    None => Ok(frames),
                }
            }
            Frames::Interleaved(samples) => {
                let channels = usize::from(spec.channels.max(1));
                if samples.len() % channels == 0 {
                    Ok(samples.len() / channels)
                } else {
                    Err(invalid(format!(
                        "{} interleaved samples are not a whole number of {channels}-channel frames",
                        samples.len()
                    )))
                }
            }
        }
    }

    /// Writes the frames in `range` into `out`, which holds exactly that many frames of `spec`.
    pub(crate) fn pack(&self, spec: &WavSpec, range: Range<usize>, out: &mut [u8]) {
        if range.is_empty() {
            return; // `out` is empty: even channel 1's offset is out of it.
        }
        let width = usize::from(spec.format.bytes_per_sample());
        let keep = spec.keep_mask();
        match *self {
            Frames::Planar(channels) => {
                let stride = width * channels.len();
                for (c, channel) in channels.iter().enumerate() {
                    let samples = &channel.as_ref()[range.clone()];
                    pack(spec.format, keep, samples, out, c * width, stride);
                }
            }
            Frames::Interleaved(samples) => {
                let channels = usize::from(spec.channels);
                let samples = &samples[range.start * channels..range.end * channels];
                pack(spec.format, keep, samples, out, 0, width);
            }
        }
    }
}

/// A complete WAV file of the frames `range` of `frames`, already counted against `spec` and checked
/// with [`checked_data_len`].
fn encode<S: Sample, C: AsRef<[S]>>(
    spec: &WavSpec,
    frames: &Frames<'_, S, C>,
    range: Range<usize>,
) -> Bytes {
    let data_len = range.len() * spec.block_align() as usize;
    let header = Header::new(spec, Some(data_len as u64));
    let head = header.as_bytes();
    // The pad byte after an odd-sized data chunk stays zero.
    let mut out = vec![0; head.len() + data_len + (data_len & 1)];
    out[..head.len()].copy_from_slice(head);
    frames.pack(spec, range, &mut out[head.len()..head.len() + data_len]);
    Bytes::from(out)
}

/// A complete WAV file of every frame in `frames`, after checking `spec` and the frames against it.
fn encode_all<S: Sample, C: AsRef<[S]>>(
    spec: &WavSpec,
    frames: Frames<'_, S, C>,
) -> io::Result<Bytes> {
    spec.check()?;
    let count = frames.count(spec)?;
    checked_data_len(spec, count)?;
    Ok(encode(spec, &frames, 0..count))
}

/// The byte length of `frames` frames of `spec`, or an error when a WAV file cannot hold them.
fn checked_data_len(spec: &WavSpec, frames: usize) -> io::Result<usize> {
    let data_len = frames as u64 * u64::from(spec.block_align());
    match usize::try_from(data_len) {
        Ok(len) if Header::new(spec, None).fits(data_len) => Ok(len),
        _ => Err(invalid(format!(
            "{frames} frames of {} bytes ({data_len} bytes) do not fit in a RIFF file's 4 GiB; \
             choose `Container::Rf64`, or split them with `encode_chunks`",
            spec.block_align()
        ))),
    }
}

impl WavSpec {
    /// Encodes `[channels][frames]` samples (one slice per channel, the shape audio tensors use) to a
    /// complete WAV file.
    ///
    /// The sample type is `f32`, `i16` or `i32`, converted to [`WavSpec::format`] as [`Sample`]
    /// describes; slices may be arrays, `Vec`s or anything else that is `AsRef<[S]>`.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::InvalidInput`] when the spec is invalid (0 channels, sample rate 0, a frame
    /// wider than 65535 bytes), when the number of slices differs from `self.channels` (or exceeds
    /// 65535), when the slices differ in length, or when the data would exceed WAV's 4 GiB.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavSpec};
    ///
    /// let left = vec![0.0f32, 0.5, 1.0];
    /// let right = vec![0.0f32, -0.5, -1.0];
    /// let wav = WavSpec::new(2, 48_000, SampleFormat::Pcm16).encode_planar(&[left, right])?;
    /// assert_eq!(wav.len(), 44 + 3 * 4);
    /// assert_eq!(&wav[..4], b"RIFF");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn encode_planar<S: Sample, C: AsRef<[S]>>(&self, channels: &[C]) -> io::Result<Bytes> {
        encode_all(self, Frames::Planar(channels))
    }

    /// Encodes interleaved frames (`[frame0 ch0, frame0 ch1, frame1 ch0, …]`) to a complete WAV file.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::InvalidInput`] when the spec is invalid, when `samples.len()` is not a multiple
    /// of `self.channels`, or when the data would exceed WAV's 4 GiB.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavSpec};
    ///
    /// let wav = WavSpec::new(2, 8_000, SampleFormat::Pcm24).encode_interleaved(&[1i16, -1, 2, -2])?;
    /// assert_eq!(wav.len(), 68 + 4 * 3);
    /// let err = WavSpec::new(2, 8_000, SampleFormat::Pcm24).encode_interleaved(&[1i16, -1, 2]);
    /// assert_eq!(err.unwrap_err().kind(), std::io::ErrorKind::InvalidInput);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn encode_interleaved<S: Sample>(&self, samples: &[S]) -> io::Result<Bytes> {
        encode_all(self, Frames::<S, &[S]>::Interleaved(samples))
    }

    /// Splits `[channels][frames]` samples into complete WAV files of `frames_per_chunk` frames each
    /// (the last one may be shorter), for a receiver that wants one playable file per message.
    ///
    /// For interleaved samples, `samples.chunks(frames_per_chunk * channels)` with
    /// [`encode_interleaved`](WavSpec::encode_interleaved) does the same; for a live source, call
    /// [`encode_planar`](WavSpec::encode_planar) on each buffer.
    ///
    /// # Errors
    ///
    /// Those of [`encode_planar`](WavSpec::encode_planar), all found before the first chunk, and
    /// [`io::ErrorKind::InvalidInput`] when `frames_per_chunk` is 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavSpec};
    ///
    /// let tone: Vec<f32> = (0..1000).map(|i| (i as f32 / 10.0).sin()).collect();
    /// let spec = WavSpec::new(1, 8_000, SampleFormat::Pcm16);
    /// let chunks: Vec<bytes::Bytes> = spec.encode_chunks(&[&tone], 400)?.collect();
    /// assert_eq!(chunks.len(), 3);
    /// assert_eq!(strata_wav::decode(&chunks[2])?.frames(), 200);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn encode_chunks<'a, S: Sample, C: AsRef<[S]>>(
        &self,
        channels: &'a [C],
        frames_per_chunk: usize,
    ) -> io::Result<EncodeChunks<'a, S, C>> {
        self.check()?;
        if frames_per_chunk == 0 {
            return Err(invalid("frames_per_chunk must be at least 1"));
        }
        let frames = Frames::Planar(channels);
        let total = frames.count(self)?;
        checked_data_len(self, frames_per_chunk.min(total))?;
        Ok(EncodeChunks {
            spec: *self,
            channels,
            next: 0,
            total,
            frames_per_chunk,
            sample: PhantomData,
        })
    }
}

/// The iterator of [`WavSpec::encode_chunks`]: one complete WAV file per chunk of frames.
///
/// # Examples
///
/// ```
/// use strata_wav::{SampleFormat, WavSpec};
///
/// let silence = [[0i16; 10]; 2];
/// let mut chunks = WavSpec::new(2, 8_000, SampleFormat::Pcm16).encode_chunks(&silence, 4)?;
/// assert_eq!(chunks.len(), 3);
/// assert_eq!(chunks.next().map(|wav| wav.len()), Some(44 + 4 * 4));
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct EncodeChunks<'a, S, C> {
    spec: WavSpec,
    channels: &'a [C],
    next: usize,
    total: usize,
    frames_per_chunk: usize,
    sample: PhantomData<S>,
}

impl<S: Sample, C: AsRef<[S]>> Iterator for EncodeChunks<'_, S, C> {
    type Item = Bytes;

    fn next(&mut self) -> Option<Bytes> {
        if self.next >= self.total {
            return None;
        }
        let end = self.total.min(self.next + self.frames_per_chunk);
        let range = self.next..end;
        self.next = end;
        // `encode_chunks` checked that a whole chunk fits.
        Some(encode(&self.spec, &Frames::Planar(self.channels), range))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.total - self.next).div_ceil(self.frames_per_chunk);
        (left, Some(left))
    }
}

impl<S: Sample, C: AsRef<[S]>> ExactSizeIterator for EncodeChunks<'_, S, C> {}

impl<S: Sample, C: AsRef<[S]>> FusedIterator for EncodeChunks<'_, S, C> {}
