//! Encoders as streams of [`Bytes`] chunks (feature `stream`): what an async service sends as an HTTP
//! response body while the archive or the audio is still being made.
//!
//! - [`ChunkSink`] is a [`Write`] that gathers what an encoder writes; [`ChunkSink::take`] hands the
//!   bytes gathered so far out as one [`Bytes`], with no copy.
//! - [`Encode`] is the one thing an adapter implements: feed the encoder one input (an entry, a block
//!   of samples), and finish it.
//! - [`EncoderStream`] drives an [`Encode`] from a [`Stream`] of inputs and yields each input's
//!   bytes as a chunk, then the trailer: a `futures_core::Stream<Item = io::Result<Bytes>>`, which
//!   hyper, axum and `tokio_util::io::StreamReader` take.
//!
//! Each input is encoded synchronously inside `poll_next`, on the task that polls the stream, and
//! its bytes are held until the chunk is taken: memory is bounded by the largest encoded input, not
//! by the whole output. Inputs that take long to encode (a large entry at a high compression level)
//! belong on a blocking thread instead: write the encoder into `strata-pipe`'s pipe there and send
//! the pipe's async reader, which is itself a stream of `Bytes`.

use std::io::{self, Write};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;

/// A [`Write`] that gathers bytes for [`ChunkSink::take`]; clones share one buffer, so an encoder can
/// own one while the stream that drives it takes from another.
///
/// # Examples
///
/// ```
/// use std::io::Write;
/// use strata_buffered::ChunkSink;
///
/// let sink = ChunkSink::new();
/// let mut writer = sink.clone(); // handed to an encoder
/// writer.write_all(b"RIFF")?;
/// assert_eq!(sink.take(), &b"RIFF"[..]);
/// assert!(sink.take().is_empty());
/// Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct ChunkSink {
    buf: Arc<Mutex<BytesMut>>,
}

impl ChunkSink {
    /// An empty sink.
    ///
    /// # Examples
    ///
    /// ```
    /// let sink = strata_buffered::ChunkSink::new();
    /// assert_eq!(sink.len(), 0);
    /// ```
    pub fn new() -> ChunkSink {
        ChunkSink::default()
    }

    /// Everything written since the last call, as one [`Bytes`] (empty when nothing was): the
    /// buffer is split off, not copied.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    ///
    /// let mut sink = strata_buffered::ChunkSink::new();
    /// sink.write_all(b"ab")?;
    /// sink.write_all(b"cd")?;
    /// assert_eq!(sink.take(), &b"abcd"[..]);
    /// Ok::<(), std::io::Error>(())
    /// ```
    pub fn take(&self) -> Bytes {
        self.lock().split().freeze()
    }

    /// Bytes written and not yet taken.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    ///
    /// let mut sink = strata_buffered::ChunkSink::new();
    /// sink.write_all(b"abc")?;
    /// assert_eq!(sink.len(), 3);
    /// Ok::<(), std::io::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing is waiting to be taken.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(strata_buffered::ChunkSink::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, BytesMut> {
        // A panic while holding the lock cannot leave a `BytesMut` half-changed for later calls.
        self.buf.lock().unwrap_or_else(|poison| poison.into_inner())
    }
}

impl Write for ChunkSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.lock().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.lock().extend_from_slice(buf);
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// An encoder fed one input at a time: the trait an adapter implements for its writer over a
/// [`ChunkSink`] so that [`EncoderStream`] can drive it.
///
/// # Examples
///
/// ```
/// use std::io::{self, Write};
/// use strata_buffered::{ChunkSink, Encode};
///
/// /// Lines of text, each ended with a newline, then a trailer.
/// struct Lines(ChunkSink);
///
/// impl Encode<&'static str> for Lines {
///     fn encode(&mut self, line: &'static str) -> io::Result<()> {
///         writeln!(self.0, "{line}")
///     }
///
///     fn finish(mut self) -> io::Result<()> {
///         self.0.write_all(b"-- end\n")
///     }
/// }
///
/// let sink = ChunkSink::new();
/// let mut lines = Lines(sink.clone());
/// lines.encode("one")?;
/// lines.finish()?;
/// assert_eq!(sink.take(), &b"one\n-- end\n"[..]);
/// Ok::<(), io::Error>(())
/// ```
pub trait Encode<I> {
    /// Encodes one input into the sink.
    ///
    /// # Errors
    ///
    /// The encoder's: an invalid input, or the sink's error.
    fn encode(&mut self, input: I) -> io::Result<()>;

    /// Writes what ends the output (a central directory, a trailer, sizes).
    ///
    /// # Errors
    ///
    /// The encoder's.
    fn finish(self) -> io::Result<()>
    where
        Self: Sized;
}

/// A [`Stream`] of the chunks an [`Encode`] writes while it is fed from a stream of inputs: one chunk
/// per input that produced bytes, then the trailer. After an error (the encoder's or the inputs'),
/// the stream ends: the output is incomplete, and the consumer must not treat it as whole.
///
/// # Examples
///
/// ```
/// use std::io::{self, Write};
/// use std::pin::pin;
/// use std::task::{Context, Poll, Waker};
/// use futures_util::{stream, StreamExt};
/// use strata_buffered::{ChunkSink, Encode, EncoderStream};
///
/// struct Upper(ChunkSink);
///
/// impl Encode<String> for Upper {
///     fn encode(&mut self, text: String) -> io::Result<()> {
///         self.0.write_all(text.to_uppercase().as_bytes())
///     }
///
///     fn finish(mut self) -> io::Result<()> {
///         self.0.write_all(b"!")
///     }
/// }
///
/// let sink = ChunkSink::new();
/// let inputs = stream::iter(["ab", "cd"].map(|text| Ok(text.to_owned())));
/// let mut body = pin!(EncoderStream::new(Upper(sink.clone()), sink, inputs));
/// let mut cx = Context::from_waker(Waker::noop());
/// let mut chunks = Vec::new();
/// while let Poll::Ready(Some(chunk)) = body.poll_next_unpin(&mut cx) {
///     chunks.push(chunk?);
/// }
/// assert_eq!(chunks, ["AB", "CD", "!"]);
/// Ok::<(), io::Error>(())
/// ```
#[derive(Debug)]
pub struct EncoderStream<E, S> {
    encoder: Option<E>,
    sink: ChunkSink,
    inputs: S,
}

impl<E, S> EncoderStream<E, S> {
    /// A stream that feeds `encoder` from `inputs` and takes its output from `sink` (a clone of the
    /// sink the encoder writes into).
    ///
    /// # Examples
    ///
    /// See [`EncoderStream`].
    pub fn new(encoder: E, sink: ChunkSink, inputs: S) -> EncoderStream<E, S> {
        EncoderStream {
            encoder: Some(encoder),
            sink,
            inputs,
        }
    }

    /// The chunk of bytes gathered now, or `None` when there is none yet.
    fn chunk(&self) -> Option<Bytes> {
        Some(self.sink.take()).filter(|chunk| !chunk.is_empty())
    }

    /// Ends the stream with `error`: the encoder is dropped unfinished.
    fn fail(&mut self, error: io::Error) -> Poll<Option<io::Result<Bytes>>> {
        self.encoder = None;
        Poll::Ready(Some(Err(error)))
    }
}

impl<E, S, I> Stream for EncoderStream<E, S>
where
    E: Encode<I> + Unpin,
    S: Stream<Item = io::Result<I>> + Unpin,
{
    type Item = io::Result<Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<io::Result<Bytes>>> {
        let this = self.get_mut();
        loop {
            let Some(encoder) = this.encoder.as_mut() else {
                return Poll::Ready(None);
            };
            let input = match Pin::new(&mut this.inputs).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(input) => input,
            };
            match input {
                Some(Ok(input)) => {
                    if let Err(error) = encoder.encode(input) {
                        return this.fail(error);
                    }
                    if let Some(chunk) = this.chunk() {
                        return Poll::Ready(Some(Ok(chunk)));
                    }
                }
                Some(Err(error)) => return this.fail(error),
                None => {
                    let encoder = this.encoder.take();
                    if let Some(Err(error)) = encoder.map(Encode::finish) {
                        return Poll::Ready(Some(Err(error)));
                    }
                    return Poll::Ready(this.chunk().map(Ok));
                }
            }
        }
    }
}
