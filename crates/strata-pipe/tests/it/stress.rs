//! Seeded pseudo-random bytes through the pipe on two threads, with random write and read sizes and
//! a random mix of `read`, `fill_buf`/`consume` and `drain` on the reading side.
//!
//! The data is a function of its position in the stream (`byte_at`), so the reader regenerates what
//! it should have received and compares every chunk (stronger than comparing checksums), and it also
//! compares a checksum of everything received with the writer's.
//!
//! Size: 256 MiB per policy, in debug builds (`cargo test`, CI) as in release.

use std::io::{BufRead, ErrorKind, Read, Write};
use std::thread;

use strata_pipe::{Overflow, PipeBuilder, PipeReader, PipeStats};

const TOTAL: u64 = 256 << 20;
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

/// Reads the whole pipe with random sizes and methods, handing each chunk to `take`.
fn read_all(mut reader: PipeReader, seed: u64, mut take: impl FnMut(&[u8])) -> PipeStats {
    let mut rng = Rng(seed ^ 0x5eed);
    let mut buf = vec![0; MAX_IO];
    loop {
        let size = rng.between(1, MAX_IO);
        let n = match rng.between(0, 9) {
            0 => {
                let chunk = reader.drain().unwrap();
                if chunk.is_empty() {
                    thread::yield_now();
                    continue;
                }
                take(&chunk);
                chunk.len()
            }
            1..=3 => {
                let view = reader.fill_buf().unwrap();
                let n = view.len().min(size);
                take(&view[..n]);
                reader.consume(n);
                n
            }
            _ => {
                let n = reader.read(&mut buf[..size]).unwrap();
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
fn lossless(overflow: Overflow, seed: u64) {
    let (mut writer, reader) = PipeBuilder::new()
        .capacity(CAPACITY)
        .overflow(overflow)
        .build()
        .unwrap();
    let producer = thread::spawn(move || {
        let mut rng = Rng(seed);
        let mut buf = vec![0; MAX_IO];
        let mut sum = Checksum::new();
        let mut pos = 0;
        while pos < TOTAL {
            let n = rng.between(1, MAX_IO).min((TOTAL - pos) as usize);
            fill_at(seed, pos, &mut buf[..n]);
            sum.add(&buf[..n]);
            let mut rest = &buf[..n];
            while !rest.is_empty() {
                match writer.write(rest) {
                    Ok(k) => rest = &rest[k..],
                    Err(e) if e.kind() == ErrorKind::WouldBlock => thread::yield_now(),
                    Err(e) => panic!("{overflow:?}: {e}"),
                }
            }
            pos += n as u64;
        }
        sum
    });
    let mut expected = vec![0; CAPACITY]; // `drain` may return everything buffered
    let mut received = 0u64;
    let mut sum = Checksum::new();
    let stats = read_all(reader, seed, |chunk| {
        fill_at(seed, received, &mut expected[..chunk.len()]);
        assert!(
            chunk == &expected[..chunk.len()],
            "{overflow:?}: wrong bytes at {received}"
        );
        sum.add(chunk);
        received += chunk.len() as u64;
    });
    assert_eq!(producer.join().unwrap(), sum, "{overflow:?}: checksums");
    assert_eq!(received, TOTAL);
    assert_eq!(
        (stats.bytes_written, stats.bytes_read, stats.bytes_dropped),
        (TOTAL, TOTAL, 0)
    );
    assert!(stats.high_water <= CAPACITY);
}

#[test]
fn block_delivers_every_byte() {
    lossless(Overflow::Block, 1);
}

#[test]
fn fail_delivers_every_byte_the_writer_retries() {
    lossless(Overflow::Fail, 2);
}

/// Each write starts with a header: sequence number, length, position of its payload in the stream.
const HEAD: usize = 20;

/// `OverwriteOldest`: the reader gets a subsequence of the writes, each whole, in order, and the
/// missing ones are exactly what the pipe counted as dropped.
#[test]
fn overwrite_oldest_delivers_whole_writes_in_order() {
    let seed = 3;
    let (mut writer, reader) = PipeBuilder::new()
        .capacity(CAPACITY)
        .overflow(Overflow::OverwriteOldest)
        .build()
        .unwrap();
    let producer = thread::spawn(move || {
        let mut rng = Rng(seed);
        let mut buf = vec![0; MAX_IO];
        let mut sizes = Vec::new();
        let mut pos = 0;
        while pos < TOTAL {
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
    let stats = read_all(reader, seed, |chunk| {
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
