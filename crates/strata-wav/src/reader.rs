//! [`WavReader`]: WAV decoding from any [`Read`] (a pipe, a socket, stdin, a file, an object in a
//! store), a block at a time, in memory bounded by the block.

use std::io::{self, Read, Seek, SeekFrom};
use std::ops::Range;

use crate::decode::{Salvage, Strictness, check_data};
use crate::parse::{DataLen, Parsed, StreamSource, parse};
use crate::sample::{Sample, unpack};
use crate::spec::{WavSpec, invalid};

/// The most bytes of samples the reader holds at once (rounded down to whole frames, at least one).
const BLOCK_BYTES: usize = 64 * 1024;

/// Decodes a WAV stream from any [`Read`], block by block, without needing the whole file.
///
/// [`new`](WavReader::new) reads the header (with the same parser as [`decode`](crate::decode), so
/// both accept and refuse the same files), then [`read_interleaved`](WavReader::read_interleaved) and
/// [`read_planar`](WavReader::read_planar) convert frames into the caller's buffers, like
/// [`Read::read`]: each call returns the number of whole frames it produced (fewer than asked when
/// the source gave fewer bytes, 0 at the end of the data) as soon as one frame has arrived, so a
/// reader over a pipe decodes while the pipe fills. The reader holds at most one block of 64 KiB
/// (or one frame, if frames are larger), whatever the header claims: a source that never ends (an
/// open-ended stream) is decoded in constant memory.
///
/// The source needs no seeking; over a `Read + Seek`, [`seek_to_frame`](WavReader::seek_to_frame)
/// jumps to a frame. Chunks after the data are not read.
///
/// A data chunk cut short ends in a [`WavError::Truncated`](crate::WavError::Truncated) error after the whole frames that were
/// there ([`Strictness::Strict`], the default); with [`Strictness::Lenient`] the data simply ends and
/// [`salvage`](WavReader::salvage) reports what the header promised.
///
/// # Examples
///
/// Reading a stream in blocks of 1024 frames, from a source that cannot seek:
///
/// ```
/// use strata_wav::{SampleFormat, WavReader, WavSpec};
///
/// let bytes = WavSpec::new(2, 48_000, SampleFormat::Pcm16).encode_planar(&[[0.5f32; 3000], [-0.5; 3000]])?;
/// let pipe: &[u8] = &bytes; // any `Read`: a `PipeReader`, a `TcpStream`, `io::stdin()`
/// let mut reader = WavReader::new(pipe)?;
/// assert_eq!((reader.spec().channels, reader.frames()), (2, Some(3000)));
///
/// let mut block = [vec![0f32; 1024], vec![0f32; 1024]];
/// let mut total = 0;
/// loop {
///     let n = reader.read_planar(&mut block)?;
///     if n == 0 {
///         break;
///     }
///     assert!(block[0][..n].iter().all(|&x| x == 0.5));
///     total += n;
/// }
/// assert_eq!(total, 3000);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct WavReader<R> {
    inner: R,
    spec: WavSpec,
    strictness: Strictness,
    /// Data bytes the header declared, or `None` for an open-ended stream.
    declared: Option<u64>,
    /// Data bytes taken from `inner` so far (or skipped by a seek).
    consumed: u64,
    /// The block buffer: at most [`BLOCK_BYTES`] or one frame.
    buf: Vec<u8>,
    /// Bytes of a partial frame, at `buf[tail]`, kept for the next call.
    tail: Range<usize>,
    /// Frames handed out (or sought past) so far.
    position: u64,
    /// `inner` returned end of input.
    eof: bool,
    /// The data has ended (or an error ended it).
    finished: bool,
    salvage: Option<Salvage>,
}

impl<R: Read> WavReader<R> {
    /// Reads the header from `inner` and returns a reader positioned at the first frame; a data chunk
    /// cut short will be an error ([`Strictness::Strict`]).
    ///
    /// # Errors
    ///
    /// Those of [`decode`](crate::decode) for the header (a [`WavError`](crate::WavError) in an [`io::Error`]), and
    /// `inner`'s errors.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::WavReader;
    ///
    /// let err = WavReader::new(&b"RIFF\x04\x00\x00\x00AVI "[..]).unwrap_err();
    /// assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    /// ```
    pub fn new(inner: R) -> io::Result<WavReader<R>> {
        WavReader::with_strictness(inner, Strictness::Strict)
    }

    /// Like [`new`](WavReader::new), with a choice of what to do with a data chunk cut short.
    ///
    /// # Errors
    ///
    /// As [`new`](WavReader::new).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, Strictness, WavReader, WavSpec};
    ///
    /// let bytes = WavSpec::new(1, 8_000, SampleFormat::Pcm16).encode_interleaved(&[7i16; 10])?;
    /// let mut reader = WavReader::with_strictness(&bytes[..bytes.len() - 5], Strictness::Lenient)?;
    /// let mut out = [0i16; 16];
    /// assert_eq!(reader.read_interleaved(&mut out)?, 7);
    /// assert_eq!(reader.read_interleaved(&mut out)?, 0);
    /// let salvage = reader.salvage().expect("cut");
    /// assert_eq!((salvage.frames_promised, salvage.frames_found), (10, 7));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_strictness(mut inner: R, strictness: Strictness) -> io::Result<WavReader<R>> {
        let Parsed { spec, data } = parse(&mut StreamSource(&mut inner))?;
        Ok(WavReader {
            inner,
            spec,
            strictness,
            declared: match data {
                DataLen::Declared(len) => Some(len),
                DataLen::OpenEnded => None,
            },
            consumed: 0,
            buf: Vec::new(),
            tail: 0..0,
            position: 0,
            eof: false,
            finished: false,
            salvage: None,
        })
    }

    /// Reads up to `out.len() / channels` frames, interleaved, converted to `S`; returns how many
    /// frames it wrote to the front of `out` (0 at the end of the data).
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::InvalidInput`] when `out` is not empty but shorter than one frame; the source's
    /// errors (after which the frames read before stay buffered and a retry continues);
    /// [`WavError::Truncated`](crate::WavError::Truncated) or [`WavError::PartialFrame`](crate::WavError::PartialFrame) once, at the end of a short data chunk in
    /// [`Strictness::Strict`].
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavReader, WavSpec};
    ///
    /// let bytes = WavSpec::new(2, 8_000, SampleFormat::Pcm24).encode_interleaved(&[1i32 << 8, -1 << 8])?;
    /// let mut reader = WavReader::new(&bytes[..])?;
    /// let mut out = [0i32; 4];
    /// assert_eq!(reader.read_interleaved(&mut out)?, 1);
    /// assert_eq!(out[..2], [1 << 8, -1 << 8]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read_interleaved<S: Sample>(&mut self, out: &mut [S]) -> io::Result<usize> {
        let channels = usize::from(self.spec.channels);
        let frames = out.len() / channels;
        if frames == 0 && !out.is_empty() {
            return Err(invalid(format!(
                "a buffer of {} samples cannot hold one {channels}-channel frame",
                out.len()
            )));
        }
        let spec = self.spec;
        let width = usize::from(spec.format.bytes_per_sample());
        let block = self.next_block(frames)?;
        let got = block.len() / spec.block_align() as usize;
        unpack(
            spec.format,
            spec.keep_mask(),
            block,
            width,
            &mut out[..got * channels],
        );
        Ok(got)
    }

    /// Reads up to as many frames as the shortest slice of `out` holds, one slice per channel (the
    /// `[channels][frames]` shape of audio tensors), converted to `S`; returns how many frames it wrote
    /// to the front of every slice (0 at the end of the data).
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::InvalidInput`] when `out` does not hold one slice per channel; otherwise those
    /// of [`read_interleaved`](WavReader::read_interleaved).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavReader, WavSpec};
    ///
    /// let bytes = WavSpec::new(2, 8_000, SampleFormat::MuLaw).encode_planar(&[[0i16; 5], [0i16; 5]])?;
    /// let mut reader = WavReader::new(&bytes[..])?;
    /// let mut left_right = [[1i16; 8]; 2];
    /// assert_eq!(reader.read_planar(&mut left_right)?, 5);
    /// assert_eq!(left_right[1][..5], [0; 5]);
    /// assert!(reader.read_planar(&mut [[0i16; 8]; 3]).is_err());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read_planar<S: Sample, C: AsMut<[S]>>(&mut self, out: &mut [C]) -> io::Result<usize> {
        if out.len() != usize::from(self.spec.channels) {
            return Err(invalid(format!(
                "the stream has {} channels but {} slices were given",
                self.spec.channels,
                out.len()
            )));
        }
        let frames = out.iter_mut().map(|c| c.as_mut().len()).min().unwrap_or(0);
        let spec = self.spec;
        let width = usize::from(spec.format.bytes_per_sample());
        let stride = spec.block_align() as usize;
        let block = self.next_block(frames)?;
        let got = block.len() / stride;
        for (c, channel) in out.iter_mut().enumerate() {
            let src = block.get(c * width..).unwrap_or_default();
            unpack(
                spec.format,
                spec.keep_mask(),
                src,
                stride,
                &mut channel.as_mut()[..got],
            );
        }
        Ok(got)
    }

    /// The next whole frames of data, at most `max_frames` and one block; empty at the end.
    fn next_block(&mut self, max_frames: usize) -> io::Result<&[u8]> {
        let align = self.spec.block_align() as usize;
        let frames = max_frames.min((BLOCK_BYTES / align).max(1));
        if frames == 0 || self.finished {
            return Ok(&[]);
        }
        // The partial frame left by the last call goes first.
        self.buf.copy_within(self.tail.clone(), 0);
        let mut filled = self.tail.len();
        self.tail = 0..0;
        let mut want = frames * align;
        if let Some(declared) = self.declared {
            let left = declared.saturating_sub(self.consumed);
            want = want.min(filled + left.min(want as u64) as usize);
        }
        if self.buf.len() < want {
            self.buf.resize(want, 0);
        }
        while filled < want && filled < align && !self.eof {
            match self.inner.read(&mut self.buf[filled..want]) {
                Ok(0) => self.eof = true,
                Ok(n) => {
                    filled += n;
                    self.consumed += n as u64;
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => {
                    self.tail = 0..filled;
                    return Err(err);
                }
            }
        }
        let whole = filled - filled % align;
        if whole > 0 {
            self.tail = whole..filled;
            self.position += (whole / align) as u64;
            return Ok(&self.buf[..whole]);
        }
        self.finished = true;
        self.end()?;
        Ok(&[])
    }

    /// Settles the end of the data: fine for an open-ended stream (a partial last frame is dropped) or
    /// a whole chunk; for a short one, an error or a salvage report.
    fn end(&mut self) -> io::Result<()> {
        let Some(declared) = self.declared else {
            return Ok(());
        };
        let align = self.spec.block_align();
        if self.strictness == Strictness::Lenient {
            self.salvage = Salvage::of(declared, self.consumed, align);
            return Ok(());
        }
        check_data(declared, self.consumed, align)
    }
}

impl<R> WavReader<R> {
    /// The spec the header describes (see [`Wav::spec`](crate::Wav::spec)).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavReader, WavSpec};
    ///
    /// let bytes = WavSpec::new(1, 22_050, SampleFormat::ALaw).encode_interleaved(&[0i16])?;
    /// assert_eq!(WavReader::new(&bytes[..])?.spec().format, SampleFormat::ALaw);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn spec(&self) -> &WavSpec {
        &self.spec
    }

    /// The frames the header promises, or `None` for an open-ended stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavReader, WavSpec, WavStreamWriter};
    ///
    /// let mut stream = WavStreamWriter::new(Vec::new(), WavSpec::new(1, 8_000, SampleFormat::Pcm16))?;
    /// stream.write_interleaved(&[0i16; 4])?;
    /// let bytes = stream.finish()?;
    /// let reader = WavReader::new(&bytes[..])?;
    /// assert!(reader.is_open_ended());
    /// assert_eq!(reader.frames(), None);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn frames(&self) -> Option<u64> {
        self.declared
            .map(|len| len / u64::from(self.spec.block_align()))
    }

    /// Whether the header said "unknown length", so that the data runs to the end of the source.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavReader, WavSpec};
    ///
    /// let bytes = WavSpec::new(1, 8_000, SampleFormat::Pcm16).encode_interleaved(&[0i16; 4])?;
    /// assert!(!WavReader::new(&bytes[..])?.is_open_ended());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_open_ended(&self) -> bool {
        self.declared.is_none()
    }

    /// The index of the next frame to be read: frames handed out so far, or the frame sought to.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavReader, WavSpec};
    ///
    /// let bytes = WavSpec::new(1, 8_000, SampleFormat::Pcm16).encode_interleaved(&[0i16; 4])?;
    /// let mut reader = WavReader::new(&bytes[..])?;
    /// reader.read_interleaved(&mut [0i16; 3])?;
    /// assert_eq!(reader.frame_position(), 3);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn frame_position(&self) -> u64 {
        self.position
    }

    /// What [`Strictness::Lenient`] salvaged, once the data has ended short of its header's size (see
    /// [`Wav::salvage`](crate::Wav::salvage)); `None` before the end and for whole data.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, Strictness, WavReader, WavSpec};
    ///
    /// let bytes = WavSpec::new(1, 8_000, SampleFormat::Pcm16).encode_interleaved(&[0i16; 4])?;
    /// let mut reader = WavReader::with_strictness(&bytes[..], Strictness::Lenient)?;
    /// while reader.read_interleaved(&mut [0i16; 3])? > 0 {}
    /// assert_eq!(reader.salvage(), None);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn salvage(&self) -> Option<Salvage> {
        self.salvage
    }

    /// The source.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavReader, WavSpec};
    ///
    /// let bytes = WavSpec::new(1, 8_000, SampleFormat::Pcm16).encode_interleaved(&[0i16; 4])?;
    /// let reader = WavReader::new(&bytes[..])?;
    /// assert_eq!(reader.get_ref().len(), 8); // the header has been read
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The source, positioned after what the reader took from it (the reader may have read a partial
    /// frame beyond the last frame it returned).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_wav::{SampleFormat, WavReader, WavSpec};
    ///
    /// let bytes = WavSpec::new(1, 8_000, SampleFormat::Pcm16).encode_interleaved(&[0i16; 4])?;
    /// let rest: &[u8] = WavReader::new(&bytes[..])?.into_inner();
    /// assert_eq!(rest.len(), 8);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: Read + Seek> WavReader<R> {
    /// Moves to frame `frame` of the data (the source seeks relative to where it is, so the file may
    /// start anywhere in it); the next read starts there.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::InvalidInput`] when `frame` is beyond the frames the header promises (seeking
    /// to the end is allowed), or when the offset does not fit a seek; the source's errors.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Cursor;
    /// use strata_wav::{SampleFormat, WavReader, WavSpec};
    ///
    /// let bytes = WavSpec::new(1, 8_000, SampleFormat::Pcm16).encode_interleaved(&[10i16, 11, 12, 13])?;
    /// let mut reader = WavReader::new(Cursor::new(bytes))?;
    /// reader.seek_to_frame(2)?;
    /// let mut out = [0i16; 4];
    /// assert_eq!(reader.read_interleaved(&mut out)?, 2);
    /// assert_eq!(out[..2], [12, 13]);
    /// reader.seek_to_frame(0)?;
    /// assert_eq!(reader.read_interleaved(&mut out)?, 4);
    /// assert!(reader.seek_to_frame(5).is_err());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn seek_to_frame(&mut self, frame: u64) -> io::Result<()> {
        if let Some(frames) = self.frames()
            && frame > frames
        {
            return Err(invalid(format!(
                "frame {frame} is beyond the {frames} frames of the data"
            )));
        }
        let target = frame
            .checked_mul(u64::from(self.spec.block_align()))
            .and_then(|t| i64::try_from(t).ok());
        let here = i64::try_from(self.consumed).ok();
        let (Some(target), Some(here)) = (target, here) else {
            return Err(invalid(format!(
                "frame {frame} is beyond any seekable offset"
            )));
        };
        self.inner.seek(SeekFrom::Current(target - here))?;
        self.consumed = target as u64;
        self.position = frame;
        self.tail = 0..0;
        self.eof = false;
        self.finished = false;
        self.salvage = None;
        Ok(())
    }
}
