//! The pipe against the two usual hand-made alternatives, on two threads:
//!
//! - `pipe 4KiB writes/reads x 1GiB`: throughput, 1 GiB in 4 KiB writes and 4 KiB reads per
//!   iteration. Every transport holds 64 KiB.
//! - `pipe wake-up latency 8B`: the time from a write to the sleeping reader having the bytes
//!   (the writer pauses between messages so that the reader is asleep each time).
//!
//! Baselines: `Mutex<VecDeque<u8>>+Condvar`, a bounded byte ring behind one lock and two condition
//! variables, and `mpsc::sync_channel(16) of Vec<u8>`, 16 messages of up to 4 KiB.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const CAPACITY: usize = 64 * 1024;
const CHUNK: usize = 4 * 1024;
const TOTAL: usize = 1 << 30;

/// The writing half of a transport.
trait Sink: Send + 'static {
    fn send(&mut self, data: &[u8]);
}

/// The reading half; `recv` returns 0 at the end.
trait Source {
    fn recv(&mut self, buf: &mut [u8]) -> usize;
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
        let block = [0x5a; CHUNK];
        for _ in 0..TOTAL / CHUNK {
            sink.send(&block);
        }
    });
    let mut buf = [0; CHUNK];
    let mut total = 0;
    loop {
        match source.recv(&mut buf) {
            0 => break,
            n => total += n,
        }
    }
    writer.join().expect("writer thread");
    total
}

fn throughput(c: &mut Criterion) {
    let mut group = c.benchmark_group("pipe 4KiB writes/reads x 1GiB");
    group
        .sample_size(10)
        .throughput(Throughput::Bytes(TOTAL as u64));
    for (name, make) in TRANSPORTS {
        group.bench_function(name, |b| b.iter(|| assert_eq!(transfer(make), TOTAL)));
    }
    group.finish();
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
    let mut group = c.benchmark_group("pipe wake-up latency 8B");
    group.sample_size(20);
    for (name, make) in TRANSPORTS {
        group.bench_function(name, |b| b.iter_custom(|iters| latency(make, iters)));
    }
    group.finish();
}

criterion_group!(benches, throughput, wake_up);
criterion_main!(benches);
