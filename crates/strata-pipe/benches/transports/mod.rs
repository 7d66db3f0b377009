//! The transports that the `pipe` benchmark and the `pipe_cpu` example compare, each a connected
//! pair of a [`Sink`] (the writing half, moved to a thread of its own) and a [`Source`]:
//!
//! - `strata`: the pipe, [`Overflow::Block`](strata_pipe::Overflow::Block), 64 KiB.
//! - `rtrb (spin, then yield)` and `ringbuf (spin, then yield)`: the wait-free SPSC byte rings
//!   people reach for, waited on the way their users do, with a backoff that spins, then yields
//!   the processor (the rings have no blocking of their own).
//! - `ringbuf-blocking`: `ringbuf` with its blocking wrapper (`Write` and `Read` that sleep on a
//!   semaphore per side).
//! - `Mutex<VecDeque<u8>>+Condvar`, a bounded byte ring behind one lock and two condition
//!   variables, and `mpsc::sync_channel(16) of Vec<u8>`, 16 messages of up to 4 KiB: the
//!   hand-made alternatives.
//!
//! Every transport holds 64 KiB; [`transfer`] moves 1 GiB in 4 KiB writes and 4 KiB reads. The
//! async ends (feature `tokio`) have groups of their own, with the sync pipe as the baseline
//! ([`ASYNC_READER`], [`ASYNC_WRITER`]).

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const CAPACITY: usize = 64 * 1024;
pub const CHUNK: usize = 4 * 1024;
pub const TOTAL: usize = 1 << 30;

/// The writing half of a transport.
pub trait Sink: Send + 'static {
    fn send(&mut self, data: &[u8]);

    /// Sends `block` `count` times.
    fn send_many(&mut self, block: &[u8], count: usize) {
        for _ in 0..count {
            self.send(block);
        }
    }
}

/// The reading half; `recv` returns 0 at the end.
pub trait Source {
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

pub type Pair = (Box<dyn Sink>, Box<dyn Source>);

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

/// How users of the wait-free rings wait when the ring is full or empty: spin with a growing number
/// of `spin_loop` hints (as crossbeam's `Backoff`), then yield the processor each turn.
#[derive(Default)]
struct SpinYield(u32);

impl SpinYield {
    /// Spins at most 2^`SPIN_STEPS` hints in a row before yielding.
    const SPIN_STEPS: u32 = 6;

    fn snooze(&mut self) {
        if self.0 <= SpinYield::SPIN_STEPS {
            for _ in 0..1 << self.0 {
                std::hint::spin_loop();
            }
            self.0 += 1;
        } else {
            thread::yield_now();
        }
    }
}

impl Sink for rtrb::Producer<u8> {
    fn send(&mut self, mut data: &[u8]) {
        let mut backoff = SpinYield::default();
        while !data.is_empty() {
            match self.push_partial_slice(data) {
                ([], _) => {
                    assert!(!self.is_abandoned(), "rtrb consumer gone");
                    backoff.snooze();
                }
                (_, rest) => (data, backoff) = (rest, SpinYield::default()),
            }
        }
    }
}

impl Source for rtrb::Consumer<u8> {
    fn recv(&mut self, buf: &mut [u8]) -> usize {
        let mut backoff = SpinYield::default();
        loop {
            // Abandoned first: the producer pushed its last bytes before it went.
            let abandoned = self.is_abandoned();
            match self.pop_partial_slice(buf) {
                ([], _) if abandoned => return 0,
                ([], _) => backoff.snooze(),
                (popped, _) => return popped.len(),
            }
        }
    }
}

fn rtrb() -> Pair {
    let (producer, consumer) = rtrb::RingBuffer::new(CAPACITY);
    (Box::new(producer), Box::new(consumer))
}

/// `ringbuf`'s lock-free ring, waited on as `rtrb` is.
impl Sink for ringbuf::HeapProd<u8> {
    fn send(&mut self, mut data: &[u8]) {
        use ringbuf::traits::{Observer, Producer};
        let mut backoff = SpinYield::default();
        while !data.is_empty() {
            match self.push_slice(data) {
                0 => {
                    assert!(self.read_is_held(), "ringbuf consumer gone");
                    backoff.snooze();
                }
                n => (data, backoff) = (&data[n..], SpinYield::default()),
            }
        }
    }
}

impl Source for ringbuf::HeapCons<u8> {
    fn recv(&mut self, buf: &mut [u8]) -> usize {
        use ringbuf::traits::{Consumer, Observer};
        let mut backoff = SpinYield::default();
        loop {
            let abandoned = !self.write_is_held();
            match self.pop_slice(buf) {
                0 if abandoned => return 0,
                0 => backoff.snooze(),
                n => return n,
            }
        }
    }
}

fn ringbuf() -> Pair {
    use ringbuf::traits::Split;
    let (producer, consumer) = ringbuf::HeapRb::<u8>::new(CAPACITY).split();
    (Box::new(producer), Box::new(consumer))
}

/// The two ends of `ringbuf-blocking`'s ring: `Write` and `Read` that sleep on a semaphore.
type BlockingRing = Arc<ringbuf_blocking::BlockingHeapRb<u8>>;

impl Sink for ringbuf_blocking::BlockingProd<BlockingRing> {
    fn send(&mut self, data: &[u8]) {
        self.write_all(data).expect("ringbuf-blocking write");
    }
}

impl Source for ringbuf_blocking::BlockingCons<BlockingRing> {
    fn recv(&mut self, buf: &mut [u8]) -> usize {
        self.read(buf).expect("ringbuf-blocking read")
    }
}

fn ringbuf_blocking() -> Pair {
    use ringbuf_blocking::traits::Split;
    let (producer, consumer) = ringbuf_blocking::BlockingHeapRb::<u8>::new(CAPACITY).split();
    (Box::new(producer), Box::new(consumer))
}

/// Makes a connected pair.
pub type Make = fn() -> Pair;

pub const TRANSPORTS: [(&str, Make); 6] = [
    ("strata", strata),
    ("rtrb (spin, then yield)", rtrb),
    ("ringbuf (spin, then yield)", ringbuf),
    ("ringbuf-blocking", ringbuf_blocking),
    ("Mutex<VecDeque<u8>>+Condvar", locked),
    ("mpsc::sync_channel(16) of Vec<u8>", channel),
];

/// Moves `TOTAL` bytes in `CHUNK` writes and reads; returns the bytes read.
pub fn transfer(make: Make) -> usize {
    let (mut sink, mut source) = make();
    let writer = thread::spawn(move || {
        sink.send_many(&[0x5a; CHUNK], TOTAL / CHUNK);
    });
    let total = source.recv_all(&mut [0; CHUNK]);
    writer.join().expect("writer thread");
    total
}

/// The async ends against the sync pipe: each group's "strata" is an async end.
pub const ASYNC_READER: [(&str, Make); 2] =
    [("strata", strata_async_reader), ("sync reader", strata)];
pub const ASYNC_WRITER: [(&str, Make); 2] =
    [("strata", strata_async_writer), ("sync writer", strata)];
