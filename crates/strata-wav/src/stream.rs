//! [`WavStreamWriter`]: one open-ended WAV stream to any [`Write`], a socket or a pipe included.

use std::io::{self, Seek, SeekFrom, Write};

use crate::encode::Frames;
use crate::sample::Sample;
use crate::spec::{Header, WavSpec};

/// How many bytes of samples are converted at a time before they go to the sink.
const BATCH_BYTES: usize = 64 * 1024;

/// Patches the header of a stream whose sink can seek (see [`WavStreamWriter::new_seekable`]).
type Patch<W> = fn(&mut WavStreamWriter<W>) -> io::Result<()>;

/// Writes one WAV stream whose length is not known in advance, to a sink that need not seek.
///
/// The header goes out first with the RIFF and data sizes set to the "unknown length" value
/// [`UNKNOWN_LENGTH`](crate::UNKNOWN_LENGTH) (`0xFFFF_FFFF`, as ffmpeg writes to a pipe); readers that
/// follow ffmpeg's convention, [`decode`](crate::decode) among them, read such a stream to its end.
/// Samples go to the sink as soon as each `write_*` call has converted them: the writer keeps nothing
/// back, so dropping it loses nothing, and there is no `Drop` that could hide an error.
///
/// End the stream with [`finish`](WavStreamWriter::finish), which flushes the sink and returns it. When
/// the sink can seek, start the stream with [`new_seekable`](WavStreamWriter::new_seekable) instead of
/// [`new`](WavStreamWriter::new), and `finish` also patches the real sizes into the header, so that every
/// WAV reader (Python's `wave`, hound) accepts the result; [`finish_seekable`](WavStreamWriter::finish_seekable)
/// does the same for a stream started with `new`. The writer never assumes it started at offset 0 of
/// the sink.
///
/// # Examples
///
/// A stream to a sink that cannot seek (here a `Vec`), read back to its end:
///
/// ```
/// use strata_wav::{SampleFormat, WavSpec, WavStreamWriter};
///
/// let spec = WavSpec::new(2, 48_000, SampleFormat::Pcm16);
/// let mut stream = WavStreamWriter::new(Vec::new(), spec)?;
/// for _ in 0..3 {
///     stream.write_planar(&[[0.25f32; 480], [-0.25f32; 480]])?;
/// }
/// let bytes = stream.finish()?;
/// assert_eq!(&bytes[4..8], &[0xff; 4]); // RIFF size: unknown
///
/// let wav = strata_wav::decode(&bytes)?;
/// assert!(wav.is_open_ended());
/// assert_eq!(wav.frames(), 1440);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct WavStreamWriter<W> {
    sink: W,
    spec: WavSpec,
    header: Header,
    /// Bytes of samples the sink accepted.
    data_len: u64,
    /// Conversion buffer, reused between calls.
    buf: Vec<u8>,
    /// A write to the sink failed part-way: the stream may end inside a frame.
    failed: bool,
    /// Patches the real sizes into the header before [`finish`](WavStreamWriter::finish) returns the
    /// sink: set when the sink is known to seek ([`new_seekable`](WavStreamWriter::new_seekable)).
    patch: Option<Patch<W>>,
}

impl<W: Write> WavStreamWriter<W> {
    /// Writes the header (with unknown sizes) to `sink` and returns a writer for the samples.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::InvalidInput`] when the spec is invalid (0 channels, sample rate 0, a frame
    /// wider than 65535 bytes), or the sink's error.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavSpec, WavStreamWriter};
    ///
    /// let stream = WavStreamWriter::new(Vec::new(), WavSpec::new(1, 16_000, SampleFormat::Pcm16))?;
    /// assert_eq!(stream.get_ref().len(), 44);
    /// assert!(WavStreamWriter::new(Vec::new(), WavSpec::new(0, 16_000, SampleFormat::Pcm16)).is_err());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(mut sink: W, spec: WavSpec) -> io::Result<WavStreamWriter<W>> {
        spec.check()?;
        let header = Header::new(&spec, None);
        sink.write_all(header.as_bytes())?;
        Ok(WavStreamWriter {
            sink,
            spec,
            header,
            data_len: 0,
            buf: Vec::new(),
            failed: false,
            patch: None,
        })
    }

    /// Converts `[channels][frames]` samples and writes them to the sink.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::InvalidInput`] when the number of slices differs from the spec's channels or
    /// the slices differ in length (nothing is written then); the sink's error, after which the stream
    /// is broken and [`finish`](WavStreamWriter::finish) fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavSpec, WavStreamWriter};
    ///
    /// let mut stream = WavStreamWriter::new(Vec::new(), WavSpec::new(2, 8_000, SampleFormat::Pcm16))?;
    /// stream.write_planar(&[vec![0i16; 10], vec![0i16; 10]])?;
    /// assert!(stream.write_planar(&[vec![0i16; 10], vec![0i16; 9]]).is_err());
    /// assert_eq!(stream.frames_written(), 10);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_planar<S: Sample, C: AsRef<[S]>>(&mut self, channels: &[C]) -> io::Result<()> {
        self.write_frames(Frames::Planar(channels))
    }

    /// Converts interleaved frames and writes them to the sink.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::InvalidInput`] when `samples.len()` is not a multiple of the channel count
    /// (nothing is written then); the sink's error, after which the stream is broken.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavSpec, WavStreamWriter};
    ///
    /// let mut stream = WavStreamWriter::new(Vec::new(), WavSpec::new(2, 8_000, SampleFormat::Float32))?;
    /// stream.write_interleaved(&[0.5f32, -0.5, 0.25, -0.25])?;
    /// assert_eq!(stream.frames_written(), 2);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_interleaved<S: Sample>(&mut self, samples: &[S]) -> io::Result<()> {
        self.write_frames(Frames::<S, &[S]>::Interleaved(samples))
    }

    fn write_frames<S: Sample, C: AsRef<[S]>>(
        &mut self,
        frames: Frames<'_, S, C>,
    ) -> io::Result<()> {
        self.ensure_whole()?;
        let count = frames.count(&self.spec)?;
        let block = self.spec.block_align() as usize;
        let batch = (BATCH_BYTES / block).max(1);
        let mut start = 0;
        while start < count {
            let end = count.min(start + batch);
            self.buf.clear();
            self.buf.resize((end - start) * block, 0);
            frames.pack(&self.spec, start..end, &mut self.buf);
            if let Err(err) = self.sink.write_all(&self.buf) {
                self.failed = true;
                return Err(err);
            }
            self.data_len += self.buf.len() as u64;
            start = end;
        }
        Ok(())
    }

    /// Frames written so far.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavSpec, WavStreamWriter};
    ///
    /// let mut stream = WavStreamWriter::new(Vec::new(), WavSpec::new(1, 8_000, SampleFormat::Pcm24))?;
    /// stream.write_interleaved(&[0i32; 5])?;
    /// assert_eq!(stream.frames_written(), 5);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn frames_written(&self) -> u64 {
        self.data_len / u64::from(self.spec.block_align())
    }

    /// The spec the stream was started with.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavSpec, WavStreamWriter};
    ///
    /// let spec = WavSpec::new(1, 8_000, SampleFormat::Pcm16);
    /// assert_eq!(WavStreamWriter::new(Vec::new(), spec)?.spec(), &spec);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn spec(&self) -> &WavSpec {
        &self.spec
    }

    /// The sink. (There is no `get_mut`: bytes written around the writer would break the stream.)
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavSpec, WavStreamWriter};
    ///
    /// let stream = WavStreamWriter::new(Vec::new(), WavSpec::new(1, 8_000, SampleFormat::Float32))?;
    /// assert_eq!(&stream.get_ref()[..4], b"RIFF");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_ref(&self) -> &W {
        &self.sink
    }

    /// Ends the stream: flushes the sink and returns it. A stream started with
    /// [`new_seekable`](WavStreamWriter::new_seekable) first gets its real sizes patched into the header
    /// (see [`finish_seekable`](WavStreamWriter::finish_seekable)); one started with
    /// [`new`](WavStreamWriter::new) keeps its unknown sizes.
    ///
    /// # Errors
    ///
    /// The sink's error; [`io::ErrorKind::Other`] when an earlier write failed part-way, since the
    /// stream may then end inside a frame; when patching, the errors of
    /// [`finish_seekable`](WavStreamWriter::finish_seekable).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavSpec, WavStreamWriter};
    ///
    /// let mut stream = WavStreamWriter::new(Vec::new(), WavSpec::new(1, 8_000, SampleFormat::Pcm16))?;
    /// stream.write_interleaved(&[1i16, 2, 3])?;
    /// assert_eq!(stream.finish()?.len(), 44 + 6);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(mut self) -> io::Result<W> {
        self.ensure_whole()?;
        if let Some(patch) = self.patch.take() {
            patch(&mut self)?;
        }
        self.sink.flush()?;
        Ok(self.sink)
    }

    fn ensure_whole(&self) -> io::Result<()> {
        if self.failed {
            Err(io::Error::other(
                "an earlier write to the sink failed; the WAV stream is incomplete",
            ))
        } else {
            Ok(())
        }
    }
}

impl<W: Write + Seek> WavStreamWriter<W> {
    /// Like [`new`](WavStreamWriter::new), for a sink that can seek: [`finish`](WavStreamWriter::finish)
    /// then patches the real sizes into the header, as [`finish_seekable`](WavStreamWriter::finish_seekable)
    /// does. The stream may start anywhere in the sink.
    ///
    /// # Errors
    ///
    /// As [`new`](WavStreamWriter::new).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Cursor;
    /// use strata_wav::{SampleFormat, WavSpec, WavStreamWriter};
    ///
    /// let spec = WavSpec::new(1, 8_000, SampleFormat::Pcm16);
    /// let mut stream = WavStreamWriter::new_seekable(Cursor::new(Vec::new()), spec)?;
    /// stream.write_interleaved(&[0.5f32; 100])?;
    /// let bytes = stream.finish()?.into_inner();
    ///
    /// let wav = strata_wav::decode(&bytes)?;
    /// assert!(!wav.is_open_ended());
    /// assert_eq!(wav.frames(), 100);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new_seekable(sink: W, spec: WavSpec) -> io::Result<WavStreamWriter<W>> {
        let mut stream = WavStreamWriter::new(sink, spec)?;
        stream.patch = Some(WavStreamWriter::patch_sizes);
        Ok(stream)
    }

    /// Ends the stream on a sink that can seek: writes the pad byte RIFF wants after odd-sized data,
    /// patches the real RIFF and data sizes into the header, leaves the sink positioned after the
    /// stream, flushes it and returns it.
    ///
    /// The header is found relative to where the stream ends, so a stream that started in the middle of
    /// the sink (after other data) is patched in place. A RIFF stream over 4 GiB keeps the unknown
    /// sizes, which no 32-bit field can replace; start it with [`Container::Rf64`](crate::Container) to
    /// have its 64-bit sizes patched.
    ///
    /// # Errors
    ///
    /// The sink's error; [`io::ErrorKind::InvalidData`] when the sink's position is before the end of
    /// what this writer wrote (someone moved it); [`io::ErrorKind::Other`] after a failed write.
    ///
    /// # Examples
    ///
    /// Patched in place after data already in the sink; the WAV file is then an ordinary one:
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_buffered::BytesIO;
    /// use strata_wav::{SampleFormat, WavSpec, WavStreamWriter};
    ///
    /// let mut sink = BytesIO::new();
    /// sink.write_all(b"preamble")?;
    /// let mut stream = WavStreamWriter::new(sink, WavSpec::new(1, 8_000, SampleFormat::Pcm16))?;
    /// stream.write_interleaved(&[0.5f32; 100])?;
    /// let bytes = stream.finish_seekable()?.into_bytes();
    ///
    /// assert_eq!(&bytes[..8], b"preamble");
    /// let wav = strata_wav::decode(&bytes[8..])?;
    /// assert!(!wav.is_open_ended());
    /// assert_eq!(wav.frames(), 100);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish_seekable(mut self) -> io::Result<W> {
        self.patch = Some(WavStreamWriter::patch_sizes);
        self.finish()
    }

    /// Writes the pad byte and the header with the real sizes, and leaves the sink after the stream.
    fn patch_sizes(&mut self) -> io::Result<()> {
        if let Some(header) = self.header.with_sizes(&self.spec, self.data_len) {
            let pad = self.data_len & 1;
            if pad == 1 {
                self.sink.write_all(&[0])?;
            }
            let written = header.as_bytes().len() as u64 + self.data_len + pad;
            let end = self.sink.stream_position()?;
            let start = end.checked_sub(written).ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "the sink is at offset {end}, before the end of the {written} bytes this \
                         WAV stream wrote"
                    ),
                )
            })?;
            self.sink.seek(SeekFrom::Start(start))?;
            self.sink.write_all(header.as_bytes())?;
            self.sink.seek(SeekFrom::Start(end))?;
        }
        Ok(())
    }
}

/// Each input is a block of interleaved samples, written with
/// [`WavStreamWriter::write_interleaved`]; finishing checks the data ends on a whole frame (the
/// header keeps its unknown-length marker: the sink cannot seek). Feature `stream`.
///
/// # Examples
///
/// ```
/// use std::pin::pin;
/// use std::task::{Context, Poll, Waker};
/// use futures_util::{stream, StreamExt};
/// use strata_buffered::{ChunkSink, EncoderStream};
/// use strata_wav::{SampleFormat, WavSpec, WavStreamWriter};
///
/// let sink = ChunkSink::new();
/// let wav = WavStreamWriter::new(sink.clone(), WavSpec::new(1, 8_000, SampleFormat::Pcm16))?;
/// let blocks = vec![vec![0i16; 80], vec![1000; 80]];
/// let mut body = pin!(EncoderStream::new(wav, sink, stream::iter(blocks.into_iter().map(Ok))));
///
/// let mut cx = Context::from_waker(Waker::noop());
/// let mut sent = Vec::new();
/// while let Poll::Ready(Some(chunk)) = body.poll_next_unpin(&mut cx) {
///     sent.extend_from_slice(&chunk?);
/// }
/// let decoded = strata_wav::decode(&sent)?;
/// assert_eq!(decoded.frames(), 160);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "stream")]
impl<W: Write, S: Sample> strata_buffered::Encode<Vec<S>> for WavStreamWriter<W> {
    fn encode(&mut self, block: Vec<S>) -> io::Result<()> {
        self.write_interleaved(&block)
    }

    fn finish(self) -> io::Result<()> {
        WavStreamWriter::finish(self).map(drop)
    }
}
