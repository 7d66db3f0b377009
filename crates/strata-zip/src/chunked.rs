//! [`ZipStream`] as an [`Encode`] (feature `stream`): an archive sent as a stream of [`Bytes`](bytes::Bytes)
//! chunks, one per entry and then the central directory, for an HTTP response body.

use std::io::{self, Write};

use strata_buffered::Encode;

use crate::{Compression, ZipStream};

/// Each input is an entry: its name, its data and how to compress it, added with
/// [`ZipStream::add_bytes`]; finishing writes the central directory.
///
/// # Examples
///
/// ```
/// use std::pin::pin;
/// use std::task::{Context, Poll, Waker};
/// use futures_util::{stream, StreamExt};
/// use strata_buffered::{ChunkSink, EncoderStream};
/// use strata_zip::{Compression, ZipReader, ZipStream};
///
/// let entries = vec![
///     ("a.txt".to_owned(), b"alpha".repeat(100), Compression::DEFAULT),
///     ("b.txt".to_owned(), b"beta".to_vec(), Compression::Stored),
/// ];
/// let sink = ChunkSink::new();
/// let zip = ZipStream::new(sink.clone());
/// let mut body = pin!(EncoderStream::new(zip, sink, stream::iter(entries.into_iter().map(Ok))));
///
/// let mut cx = Context::from_waker(Waker::noop());
/// let mut sent = Vec::new();
/// let mut chunks = 0;
/// while let Poll::Ready(Some(chunk)) = body.poll_next_unpin(&mut cx) {
///     sent.extend_from_slice(&chunk?);
///     chunks += 1;
/// }
/// assert_eq!(chunks, 3); // one per entry, then the central directory
/// let mut archive = ZipReader::new(sent)?;
/// assert_eq!(archive.read("b.txt")?, &b"beta"[..]);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl<W, N, D> Encode<(N, D, Compression)> for ZipStream<W>
where
    W: Write,
    N: AsRef<str>,
    D: AsRef<[u8]>,
{
    fn encode(&mut self, (name, data, compression): (N, D, Compression)) -> io::Result<()> {
        self.add_bytes(name.as_ref(), data, compression)
    }

    fn finish(self) -> io::Result<()> {
        ZipStream::finish(self).map(drop)
    }
}
