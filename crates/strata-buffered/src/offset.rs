//! [`OffsetSink`]: a stream seen from a later position, so that writers which assume they start at
//! offset 0 (hound patches its WAV header at absolute offsets 4 and 40, zip its local headers at the
//! offsets it recorded) can write into the middle of one.

use std::io::{self, BufRead, Read, Seek, SeekFrom, Write};

use strata_raw::{Error, IoBase};

/// A view of a seekable stream in which the position the stream had at creation is offset 0.
///
/// hound's `WavWriter` and zip's `ZipWriter` (like many encoders that patch a header when they
/// finish) seek to absolute offsets: given a `Cursor` or a `BytesIO` that already holds data, they
/// overwrite that data and leave a corrupt file. Wrapped in an `OffsetSink` they write after the
/// data and patch their own headers. Seeking before the base is an error, so the data before it is safe.
///
/// `OffsetSink` forwards [`Read`], [`Write`], [`BufRead`] and [`IoBase`]; positions (from
/// [`Seek`], [`tell`](OffsetSink::tell) and [`IoBase::truncate`]) are relative to the base.
///
/// # Examples
///
/// ```
/// use std::io::{Seek, SeekFrom, Write};
/// use strata_buffered::BytesIO;
/// use strata_buffered::OffsetSink;
///
/// let mut sink = BytesIO::new();
/// sink.write_all(b"header")?;
/// let mut shifted = OffsetSink::new(&mut sink)?;
/// shifted.write_all(b"RIFF....")?;
/// shifted.seek(SeekFrom::Start(4))?; // patches offset 4 of the view, offset 10 of the stream
/// shifted.write_all(b"size")?;
/// assert!(shifted.seek(SeekFrom::Current(-100)).is_err());
/// assert_eq!(sink.getvalue()?, &b"headerRIFFsize"[..]);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct OffsetSink<W> {
    inner: W,
    base: u64,
}

impl<W: Seek> OffsetSink<W> {
    /// Makes the current position of `inner` offset 0.
    ///
    /// # Errors
    ///
    /// The error of asking `inner` for its position.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Cursor, SeekFrom, Seek};
    ///
    /// let mut cursor = Cursor::new(vec![0u8; 10]);
    /// cursor.seek(SeekFrom::End(0))?;
    /// assert_eq!(strata_buffered::OffsetSink::new(cursor)?.base(), 10);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(mut inner: W) -> io::Result<OffsetSink<W>> {
        let base = inner.stream_position()?;
        Ok(OffsetSink { inner, base })
    }

    /// The position relative to the base, Python's `tell()`.
    ///
    /// # Errors
    ///
    /// The inner stream's error.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Cursor, Write};
    ///
    /// let mut sink = strata_buffered::OffsetSink::new(Cursor::new(vec![1u8, 2, 3]))?;
    /// sink.write_all(b"ab")?;
    /// assert_eq!(sink.tell()?, 2);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tell(&mut self) -> io::Result<u64> {
        self.stream_position()
    }
}

impl<W> OffsetSink<W> {
    /// The position of the inner stream that this view calls 0.
    ///
    /// # Examples
    ///
    /// ```
    /// let sink = strata_buffered::OffsetSink::new(std::io::Cursor::new(Vec::<u8>::new()))?;
    /// assert_eq!(sink.base(), 0);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn base(&self) -> u64 {
        self.base
    }

    /// The inner stream.
    ///
    /// # Examples
    ///
    /// ```
    /// let sink = strata_buffered::OffsetSink::new(std::io::Cursor::new(vec![7u8]))?;
    /// assert_eq!(sink.get_ref().get_ref(), &[7]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_ref(&self) -> &W {
        &self.inner
    }

    /// The inner stream, mutably. Seeking it directly moves this view too.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut sink = strata_buffered::OffsetSink::new(std::io::Cursor::new(vec![7u8]))?;
    /// sink.get_mut().get_mut().push(8);
    /// assert_eq!(sink.into_inner().into_inner(), [7, 8]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.inner
    }

    /// The inner stream, positioned wherever this view left it.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    ///
    /// let mut sink = strata_buffered::OffsetSink::new(std::io::Cursor::new(Vec::new()))?;
    /// sink.write_all(b"x")?;
    /// assert_eq!(sink.into_inner().position(), 1);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_inner(self) -> W {
        self.inner
    }

    /// `relative` as an absolute position of the inner stream, or the negative-seek error.
    fn absolute(&self, relative: i128) -> io::Result<u64> {
        if relative < 0 {
            let shown = i64::try_from(relative).unwrap_or(i64::MIN);
            return Err(Error::NegativeSeek(shown).into());
        }
        u64::try_from(relative + i128::from(self.base))
            .map_err(|_| Error::InvalidArgument("seek position overflows u64".into()).into())
    }
}

impl<W: Seek> Seek for OffsetSink<W> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let base = i128::from(self.base);
        let relative = match pos {
            SeekFrom::Start(offset) => i128::from(offset),
            SeekFrom::Current(delta) => {
                i128::from(self.inner.stream_position()?) - base + i128::from(delta)
            }
            SeekFrom::End(delta) => {
                let here = self.inner.stream_position()?;
                let end = self.inner.seek(SeekFrom::End(0))?;
                let relative = i128::from(end) - base + i128::from(delta);
                if relative < 0 {
                    self.inner.seek(SeekFrom::Start(here))?;
                }
                relative
            }
        };
        let target = self.absolute(relative)?;
        Ok(self.inner.seek(SeekFrom::Start(target))? - self.base)
    }
}

impl<W: Write> Write for OffsetSink<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.inner.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Read> Read for OffsetSink<W> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf)
    }
}

impl<W: BufRead> BufRead for OffsetSink<W> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.inner.consume(amount);
    }
}

/// The inner stream's state and capabilities; `truncate` counts from the base.
impl<W: IoBase> IoBase for OffsetSink<W> {
    fn closed(&self) -> bool {
        self.inner.closed()
    }

    fn close(&mut self) -> io::Result<()> {
        self.inner.close()
    }

    fn readable(&self) -> io::Result<bool> {
        self.inner.readable()
    }

    fn writable(&self) -> io::Result<bool> {
        self.inner.writable()
    }

    fn seekable(&self) -> io::Result<bool> {
        self.inner.seekable()
    }

    fn fileno(&self) -> io::Result<i32> {
        self.inner.fileno()
    }

    fn isatty(&self) -> io::Result<bool> {
        self.inner.isatty()
    }

    /// Resizes the inner stream to `base + size`; `None` means the current position.
    fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        let absolute = match size {
            Some(size) => Some(self.absolute(i128::from(size))?),
            None => None,
        };
        Ok(self.inner.truncate(absolute)?.saturating_sub(self.base))
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;

    #[test]
    fn seeks_are_relative_to_the_base_and_never_go_before_it() {
        let mut cursor = Cursor::new(b"0123456789".to_vec());
        cursor.set_position(4);
        let mut view = OffsetSink::new(cursor).expect("cursor position");
        assert_eq!(view.seek(SeekFrom::End(0)).ok(), Some(6));
        assert_eq!(view.seek(SeekFrom::Current(-2)).ok(), Some(4));
        assert_eq!(view.seek(SeekFrom::Start(1)).ok(), Some(1));
        let err = view.seek(SeekFrom::End(-7)).expect_err("before the base");
        assert_eq!(err.to_string(), "negative seek value -1");
        assert_eq!(view.tell().ok(), Some(1), "a failed seek does not move");
        assert!(view.seek(SeekFrom::Current(-2)).is_err());
        assert!(view.seek(SeekFrom::Start(u64::MAX)).is_err());
        let mut byte = [0];
        view.read_exact(&mut byte).expect("read");
        assert_eq!(&byte, b"5");
    }
}
