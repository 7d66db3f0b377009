//! Seeded pseudo-random bytes through the pipe on two threads, with random write and read sizes and
//! a random mix of `read`, `fill_buf`/`consume` and `drain` on the reading side.
//!
//! The data is a function of its position in the stream (`byte_at`), so the reader regenerates what
//! it should have received and compares every chunk (stronger than comparing checksums), and it also
//! compares a checksum of everything received with the writer's.
//!
//! With the `tokio` feature the same checks run with one end, or both, as an async task (each on a
//! current-thread tokio runtime of its own thread): the reader's `drain` becomes the stream's next
//! item, `fill_buf` and `read` the `AsyncBufRead` and `AsyncRead` calls.
//!
//! Size: 256 MiB per policy with sync ends, 64 MiB per policy and mix of async ends, in debug builds
//! (`cargo test`, CI) as in release.

use std::io::{self, BufRead, ErrorKind, Read, Write};
use std::thread;

use bytes::Bytes;
use strata_pipe::{Overflow, PipeBuilder, PipeReader, PipeStats, PipeWriter};

const TOTAL: u64 = 256 << 20;
#[cfg(feature = "tokio")]
const ASYNC_TOTAL: u64 = 64 << 20;
const CAPACITY: usize = 64 * 1024;
const MAX_IO: usize = 16 * 1024;

/// SplitMix64: a seeded generator for sizes and choices.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Fills `out` with the stream `seed` from position `pos` on: word `i` is `mix(seed + i)`.
fn fill_at(seed: u64, pos: u64, out: &mut [u8]) {
    let mut word = pos / 8;
    let mut skip = (pos % 8) as usize;
    let mut rest = out;
    while !rest.is_empty() {
        let bytes = mix(seed.wrapping_add(word)).to_le_bytes();
        let n = (8 - skip).min(rest.len());
        rest[..n].copy_from_slice(&bytes[skip..skip + n]);
        rest = &mut rest[n..];
        skip = 0;
        word += 1;
    }
}

/// A checksum that does not depend on how the stream is cut into chunks (FNV-1a, 64-bit).
#[derive(PartialEq, Eq, Debug)]
struct Checksum(u64);

impl Checksum {
    fn new() -> Checksum {
        Checksum(0xcbf2_9ce4_8422_2325)
    }

    fn add(&mut self, data: &[u8]) {
        for &b in data {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Which ends of the pipe are async tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ends {
    Sync,
    #[cfg(feature = "tokio")]
    AsyncReader,
    #[cfg(feature = "tokio")]
    AsyncWriter,
    #[cfg(feature = "tokio")]
    BothAsync,
}

impl Ends {
    fn async_reader(self) -> bool {
        #[cfg(feature = "tokio")]
        return matches!(self, Ends::AsyncReader | Ends::BothAsync);
        #[cfg(not(feature = "tokio"))]
        false
    }

    fn async_writer(self) -> bool {
        #[cfg(feature = "tokio")]
        return matches!(self, Ends::AsyncWriter | Ends::BothAsync);
        #[cfg(not(feature = "tokio"))]
        false
    }

    fn total(self) -> u64 {
        match self {
            Ends::Sync => TOTAL,
            #[cfg(feature = "tokio")]
            _ => ASYNC_TOTAL,
        }
    }
}

/// The writing end as the test drives it: sync, or async with its thread's runtime.
enum Writer {
    Sync(PipeWriter),
    #[cfg(feature = "tokio")]
    Async(strata_pipe::AsyncPipeWriter, tokio::runtime::Runtime),
}

/// The reading end as the test drives it: sync, or async with its thread's runtime.
enum Reader {
    Sync(PipeReader),
    #[cfg(feature = "tokio")]
    Async(strata_pipe::AsyncPipeReader, tokio::runtime::Runtime),
}

#[cfg(feature = "tokio")]
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

impl Writer {
    fn new(writer: PipeWriter, ends: Ends) -> Self {
        if ends.async_writer() {
            #[cfg(feature = "tokio")]
            return Writer::Async(writer.into_async(), runtime());
        }
        Writer::Sync(writer)
    }

    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Writer::Sync(writer) => writer.write(buf),
            #[cfg(feature = "tokio")]
            Writer::Async(writer, rt) => {
                use tokio::io::AsyncWriteExt;
                rt.block_on(writer.write(buf))
            }
        }
    }
}

/// What one reading step got.
enum Got<'a> {
    Drained(Bytes),
    Lent(&'a [u8]),
    Read(usize),
}

impl Reader {
    fn new(reader: PipeReader, ends: Ends) -> Self {
        if ends.async_reader() {
            #[cfg(feature = "tokio")]
            return Reader::Async(reader.into_async(), runtime());
        }
        Reader::Sync(reader)
    }

    /// Everything buffered now (sync), or the stream's next item (async: waits for one; `None`
    /// at end of file becomes empty).
    fn drain(&mut self) -> Bytes {
        match self {
            Reader::Sync(reader) => reader.drain().unwrap(),
            #[cfg(feature = "tokio")]
            Reader::Async(reader, rt) => {
                use futures_util::StreamExt;
                rt.block_on(reader.next())
                    .transpose()
                    .unwrap()
                    .unwrap_or_default()
            }
        }
    }

    fn fill_buf(&mut self) -> &[u8] {
        match self {
            Reader::Sync(reader) => reader.fill_buf().unwrap(),
            #[cfg(feature = "tokio")]
            Reader::Async(reader, rt) => {
                use tokio::io::AsyncBufReadExt;
                rt.block_on(reader.fill_buf()).unwrap()
            }
        }
    }

    fn consume(&mut self, n: usize) {
        match self {
            Reader::Sync(reader) => reader.consume(n),
            #[cfg(feature = "tokio")]
            Reader::Async(reader, _) => {
                tokio::io::AsyncBufRead::consume(std::pin::Pin::new(reader), n)
            }
        }
    }

    fn read(&mut self, buf: &mut [u8]) -> usize {
        match self {
            Reader::Sync(reader) => reader.read(buf).unwrap(),
            #[cfg(feature = "tokio")]
            Reader::Async(reader, rt) => {
                use tokio::io::AsyncReadExt;
                rt.block_on(reader.read(buf)).unwrap()
            }
        }
    }

    fn stats(&self) -> PipeStats {
        match self {
            Reader::Sync(reader) => reader.stats(),
            #[cfg(feature = "tokio")]
            Reader::Async(reader, _) => reader.stats(),
        }
    }
}

/// Reads the whole pipe with random sizes and methods, handing each chunk to `take`.
fn read_all(reader: PipeReader, ends: Ends, seed: u64, mut take: impl FnMut(&[u8])) -> PipeStats {
    let mut reader = Reader::new(reader, ends);
    let mut rng = Rng(seed ^ 0x5eed);
    let mut buf = vec![0; MAX_IO];
    loop {
        let size = rng.between(1, MAX_IO);
        let got = match rng.between(0, 9) {
            0 => Got::Drained(reader.drain()),
            1..=3 => Got::Lent(reader.fill_buf()),
            _ => Got::Read(reader.read(&mut buf[..size])),
        };
        let n = match got {
            // A sync drain is empty when nothing is buffered yet; an async one waits.
            Got::Drained(chunk) if chunk.is_empty() && !ends.async_reader() => {
                thread::yield_now();
                continue;
            }
            Got::Drained(chunk) => {
                take(&chunk);
                chunk.len()
            }
            Got::Lent(view) => {
                let n = view.len().min(size);
                take(&view[..n]);
                reader.consume(n);
                n
            }
            Got::Read(n) => {
                take(&buf[..n]);
                n
            }
        };
        if n == 0 {
            return reader.stats();
        }
    }
}

/// `Block` and `Fail`: every byte arrives, in order.
fn lossless(overflow: Overflow, ends: Ends, seed: u64) {
    let total = ends.total();
    let (writer, reader) = PipeBuilder::new()
        .capacity(CAPACITY)
        .overflow(overflow)
        .build()
        .unwrap();
    let producer = thread::spawn(move || {
        let mut writer = Writer::new(writer, ends);
        let mut rng = Rng(seed);
        let mut buf = vec![0; MAX_IO];
        let mut sum = Checksum::new();
        let mut pos = 0;
        while pos < total {
            let n = rng.between(1, MAX_IO).min((total - pos) as usize);
            fill_at(seed, pos, &mut buf[..n]);
            sum.add(&buf[..n]);
            let mut rest = &buf[..n];
            while !rest.is_empty() {
                match writer.write(rest) {
                    Ok(k) => rest = &rest[k..],
                    Err(e) if e.kind() == ErrorKind::WouldBlock => thread::yield_now(),
                    Err(e) => panic!("{overflow:?}, {ends:?}: {e}"),
                }
            }
            pos += n as u64;
        }
        sum
    });
    let mut expected = vec![0; CAPACITY]; // `drain` may return everything buffered
    let mut received = 0u64;
    let mut sum = Checksum::new();
    let stats = read_all(reader, ends, seed, |chunk| {
        fill_at(seed, received, &mut expected[..chunk.len()]);
        assert!(
            chunk == &expected[..chunk.len()],
            "{overflow:?}, {ends:?}: wrong bytes at {received}"
        );
        sum.add(chunk);
        received += chunk.len() as u64;
    });
    assert_eq!(
        producer.join().unwrap(),
        sum,
        "{overflow:?}, {ends:?}: checksums"
    );
    assert_eq!(received, total);
    assert_eq!(
        (stats.bytes_written, stats.bytes_read, stats.bytes_dropped),
        (total, total, 0)
    );
    assert!(stats.high_water <= CAPACITY);
}

#[test]
fn block_delivers_every_byte() {
    lossless(Overflow::Block, Ends::Sync, 1);
}

#[test]
fn fail_delivers_every_byte_the_writer_retries() {
    lossless(Overflow::Fail, Ends::Sync, 2);
}

/// Each write starts with a header: sequence number, length, position of its payload in the stream.
const HEAD: usize = 20;

/// `OverwriteOldest`: the reader gets a subsequence of the writes, each whole, in order, and the
/// missing ones are exactly what the pipe counted as dropped.
#[test]
fn overwrite_oldest_delivers_whole_writes_in_order() {
    overwrite_oldest(Ends::Sync, 3);
}

fn overwrite_oldest(ends: Ends, seed: u64) {
    let total = ends.total();
    let (writer, reader) = PipeBuilder::new()
        .capacity(CAPACITY)
        .overflow(Overflow::OverwriteOldest)
        .build()
        .unwrap();
    let producer = thread::spawn(move || {
        let mut writer = Writer::new(writer, ends);
        let mut rng = Rng(seed);
        let mut buf = vec![0; MAX_IO];
        let mut sizes = Vec::new();
        let mut pos = 0;
        while pos < total {
            let n = rng.between(HEAD + 1, MAX_IO);
            let seq = sizes.len() as u64;
            buf[..8].copy_from_slice(&seq.to_le_bytes());
            buf[8..12].copy_from_slice(&(n as u32).to_le_bytes());
            buf[12..HEAD].copy_from_slice(&pos.to_le_bytes());
            fill_at(seed, pos, &mut buf[HEAD..n]);
            assert_eq!(
                writer.write(&buf[..n]).unwrap(),
                n,
                "a write up to the capacity is whole"
            );
            sizes.push(n as u64);
            pos += n as u64;
        }
        sizes
    });

    let mut pending = Vec::new();
    let mut received: Vec<u64> = Vec::new(); // sequence numbers
    let mut expected = vec![0; MAX_IO];
    let stats = read_all(reader, ends, seed, |chunk| {
        pending.extend_from_slice(chunk);
        let mut at = 0;
        while pending.len() - at >= HEAD {
            let field = |from: usize, to: usize| {
                let mut word = [0; 8];
                word[..to - from].copy_from_slice(&pending[at + from..at + to]);
                u64::from_le_bytes(word)
            };
            let (seq, len, pos) = (field(0, 8), field(8, 12) as usize, field(12, HEAD));
            assert!(
                received.last().is_none_or(|&last| seq > last),
                "order: {seq} after {received:?}"
            );
            if pending.len() - at < len {
                break;
            }
            fill_at(seed, pos, &mut expected[..len - HEAD]);
            assert!(
                pending[at + HEAD..at + len] == expected[..len - HEAD],
                "write {seq} is cut"
            );
            received.push(seq);
            at += len;
        }
        pending.drain(..at);
    });
    let sizes = producer.join().unwrap();
    assert!(pending.is_empty(), "a partial write at the end");

    let total: u64 = sizes.iter().sum();
    let kept: u64 = received.iter().map(|&seq| sizes[seq as usize]).sum();
    assert_eq!(stats.bytes_written, total);
    assert_eq!(stats.bytes_read, kept);
    assert_eq!(
        stats.bytes_dropped,
        total - kept,
        "dropped bytes are exactly the missing writes"
    );
    assert_eq!(stats.writes_dropped, (sizes.len() - received.len()) as u64);
    assert!(!received.is_empty());
}

/// The mixes of sync and async ends, each under every policy.
#[cfg(feature = "tokio")]
#[test]
fn async_ends_deliver_the_same_as_sync_ones() {
    for (n, ends) in [Ends::AsyncReader, Ends::AsyncWriter, Ends::BothAsync]
        .into_iter()
        .enumerate()
    {
        let seed = 10 + 3 * n as u64;
        lossless(Overflow::Block, ends, seed);
        lossless(Overflow::Fail, ends, seed + 1);
        overwrite_oldest(ends, seed + 2);
    }
}
