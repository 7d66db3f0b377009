//! The pipe against the two usual hand-made alternatives, on two threads:
//!
//! - `pipe 4KiB writes/reads x 1GiB`: throughput, 1 GiB in 4 KiB writes and 4 KiB reads per
//!   iteration. Every transport holds 64 KiB.
//! - `pipe wake-up latency 8B`: the time from a write to the sleeping reader having the bytes
//!   (the writer pauses between messages so that the reader is asleep each time).
//!
//! Baselines: `Mutex<VecDeque<u8>>+Condvar`, a bounded byte ring behind one lock and two condition
//! variables, and `mpsc::sync_channel(16) of Vec<u8>`, 16 messages of up to 4 KiB.
//!
//! The async ends (feature `tokio`) run the same transfers in groups of their own, with the sync
//! pipe as the baseline, so that a group's ratio is the async end's speed relative to the sync
//! one: `pipe async reader …` reads through tokio's `AsyncReadExt::read` on a current-thread
//! runtime while a std thread writes, `pipe async writer …` the other way round. The whole read (or
//! write) loop is one task, so the rows measure the ends and their wake-ups, not a runtime started
//! per call; the wake-up group wakes a runtime parked on its driver.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CAPACITY: usize = 64 * 1024;
const CHUNK: usize = 4 * 1024;
const TOTAL: usize = 1 << 30;

/// The writing half of a transport.
trait Sink: Send + 'static {
    fn send(&mut self, data: &[u8]);

    /// Sends `block` `count` times.
    fn send_many(&mut self, block: &[u8], count: usize) {
        for _ in 0..count {
            self.send(block);
        }
    }
}

/// The reading half; `recv` returns 0 at the end.
trait Source {
    fn recv(&mut self, buf: &mut [u8]) -> usize;

    /// Reads to the end in `buf`-sized reads; returns the bytes read.
    fn recv_all(&mut self, buf: &mut [u8]) -> usize {
        let mut total = 0;
        loop {
            match self.recv(buf) {
                0 => return total,
                n => total += n,
            }
        }
    }
}

type Pair = (Box<dyn Sink>, Box<dyn Source>);

impl Sink for strata_pipe::PipeWriter {
    fn send(&mut self, data: &[u8]) {
        self.write_all(data).expect("pipe write");
    }
}

impl Source for strata_pipe::PipeReader {
    fn recv(&mut self, buf: &mut [u8]) -> usize {
        self.read(buf).expect("pipe read")
    }
}

fn strata() -> Pair {
    let (writer, reader) = strata_pipe::pipe(CAPACITY).expect("pipe");
    (Box::new(writer), Box::new(reader))
}

/// An async end with the current-thread runtime that polls it.
struct OnRuntime<E>(tokio::runtime::Runtime, E);

impl<E> OnRuntime<E> {
    fn new(end: E) -> OnRuntime<E> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        OnRuntime(runtime, end)
    }
}

impl Source for OnRuntime<strata_pipe::AsyncPipeReader> {
    fn recv(&mut self, buf: &mut [u8]) -> usize {
        let OnRuntime(runtime, reader) = self;
        runtime.block_on(reader.read(buf)).expect("pipe read")
    }

    fn recv_all(&mut self, buf: &mut [u8]) -> usize {
        let OnRuntime(runtime, reader) = self;
        runtime.block_on(async {
            let mut total = 0;
            loop {
                match reader.read(buf).await.expect("pipe read") {
                    0 => return total,
                    n => total += n,
                }
            }
        })
    }
}

impl Sink for OnRuntime<strata_pipe::AsyncPipeWriter> {
    fn send(&mut self, data: &[u8]) {
        let OnRuntime(runtime, writer) = self;
        runtime
            .block_on(writer.write_all(data))
            .expect("pipe write");
    }

    fn send_many(&mut self, block: &[u8], count: usize) {
        let OnRuntime(runtime, writer) = self;
        runtime.block_on(async {
            for _ in 0..count {
                writer.write_all(block).await.expect("pipe write");
            }
            writer.shutdown().await.expect("pipe close");
        });
    }
}

fn strata_async_reader() -> Pair {
    let (writer, reader) = strata_pipe::pipe(CAPACITY).expect("pipe");
    (
        Box::new(writer),
        Box::new(OnRuntime::new(reader.into_async())),
    )
}

fn strata_async_writer() -> Pair {
    let (writer, reader) = strata_pipe::pipe(CAPACITY).expect("pipe");
    (
        Box::new(OnRuntime::new(writer.into_async())),
        Box::new(reader),
    )
}

/// A bounded byte ring behind one lock: what people write by hand.
struct Locked {
    state: Mutex<(VecDeque<u8>, bool)>,
    not_empty: Condvar,
    not_full: Condvar,
}

struct LockedEnd(Arc<Locked>);

impl Sink for LockedEnd {
    fn send(&mut self, mut data: &[u8]) {
        let ring = &self.0;
        while !data.is_empty() {
            let mut state = ring.state.lock().expect("lock");
            while state.0.len() == CAPACITY {
                state = ring.not_full.wait(state).expect("lock");
            }
            let n = (CAPACITY - state.0.len()).min(data.len());
            state.0.extend(&data[..n]);
            data = &data[n..];
            ring.not_empty.notify_one();
        }
    }
}

impl Drop for LockedEnd {
    fn drop(&mut self) {
        self.0.state.lock().expect("lock").1 = true;
        self.0.not_empty.notify_one();
    }
}

impl Source for Arc<Locked> {
    fn recv(&mut self, buf: &mut [u8]) -> usize {
        let mut state = self.state.lock().expect("lock");
        while state.0.is_empty() && !state.1 {
            state = self.not_empty.wait(state).expect("lock");
        }
        let n = state.0.read(buf).expect("VecDeque read");
        self.not_full.notify_one();
        n
    }
}

fn locked() -> Pair {
    let ring = Arc::new(Locked {
        state: Mutex::new((VecDeque::with_capacity(CAPACITY), false)),
        not_empty: Condvar::new(),
        not_full: Condvar::new(),
    });
    (Box::new(LockedEnd(Arc::clone(&ring))), Box::new(ring))
}

impl Sink for SyncSender<Vec<u8>> {
    fn send(&mut self, data: &[u8]) {
        SyncSender::send(self, data.to_vec()).expect("channel send");
    }
}

/// A receiver and the rest of the last message.
struct Channel(Receiver<Vec<u8>>, Vec<u8>, usize);

impl Source for Channel {
    fn recv(&mut self, buf: &mut [u8]) -> usize {
        if self.2 == self.1.len() {
            match self.0.recv() {
                Ok(message) => (self.1, self.2) = (message, 0),
                Err(_) => return 0,
            }
        }
        let n = buf.len().min(self.1.len() - self.2);
        buf[..n].copy_from_slice(&self.1[self.2..self.2 + n]);
        self.2 += n;
        n
    }
}

fn channel() -> Pair {
    let (tx, rx) = sync_channel(CAPACITY / CHUNK);
    (Box::new(tx), Box::new(Channel(rx, Vec::new(), 0)))
}

/// Makes a connected pair.
type Make = fn() -> Pair;

const TRANSPORTS: [(&str, Make); 3] = [
    ("strata", strata),
    ("Mutex<VecDeque<u8>>+Condvar", locked),
    ("mpsc::sync_channel(16) of Vec<u8>", channel),
];

/// Moves `TOTAL` bytes in `CHUNK` writes and reads; returns the bytes read.
fn transfer(make: Make) -> usize {
    let (mut sink, mut source) = make();
    let writer = thread::spawn(move || {
        sink.send_many(&[0x5a; CHUNK], TOTAL / CHUNK);
    });
    let total = source.recv_all(&mut [0; CHUNK]);
    writer.join().expect("writer thread");
    total
}

/// The async ends against the sync pipe: each group's "strata" is an async end.
const ASYNC_READER: [(&str, Make); 2] = [("strata", strata_async_reader), ("sync reader", strata)];
const ASYNC_WRITER: [(&str, Make); 2] = [("strata", strata_async_writer), ("sync writer", strata)];

fn throughput(c: &mut Criterion) {
    for (group, transports) in [
        ("pipe 4KiB writes/reads x 1GiB", &TRANSPORTS[..]),
        ("pipe async reader 4KiB x 1GiB", &ASYNC_READER),
        ("pipe async writer 4KiB x 1GiB", &ASYNC_WRITER),
    ] {
        let mut group = c.benchmark_group(group);
        group
            .sample_size(10)
            .throughput(Throughput::Bytes(TOTAL as u64));
        for &(name, make) in transports {
            group.bench_function(name, |b| b.iter(|| assert_eq!(transfer(make), TOTAL)));
        }
        group.finish();
    }
}

/// Sends `iters` timestamps, each after a pause that lets the reader fall asleep, and returns the
/// sum of the write-to-read delays.
fn latency(make: Make, iters: u64) -> Duration {
    let (mut sink, mut source) = make();
    let base = Instant::now();
    let writer = thread::spawn(move || {
        for _ in 0..iters {
            thread::sleep(Duration::from_micros(50));
            sink.send(&(base.elapsed().as_nanos() as u64).to_le_bytes());
        }
    });
    let mut total = Duration::ZERO;
    let mut stamp = [0; 8];
    for _ in 0..iters {
        let mut got = 0;
        while got < stamp.len() {
            got += source.recv(&mut stamp[got..]);
        }
        let sent = Duration::from_nanos(u64::from_le_bytes(stamp));
        total += base.elapsed().saturating_sub(sent);
    }
    writer.join().expect("writer thread");
    total
}

fn wake_up(c: &mut Criterion) {
    for (group, transports) in [
        ("pipe wake-up latency 8B", &TRANSPORTS[..]),
        ("pipe async reader wake-up latency 8B", &ASYNC_READER),
    ] {
        let mut group = c.benchmark_group(group);
        group.sample_size(20);
        for &(name, make) in transports {
            group.bench_function(name, |b| b.iter_custom(|iters| latency(make, iters)));
        }
        group.finish();
    }
}

criterion_group!(benches, throughput, wake_up);
criterion_main!(benches);
