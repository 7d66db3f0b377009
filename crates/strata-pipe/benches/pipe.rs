//! The pipe against the usual alternatives, on two threads (the transports are in `transports/`):
//!
//! - `pipe 4KiB writes/reads x 1GiB`: throughput, 1 GiB in 4 KiB writes and 4 KiB reads per
//!   iteration. Every transport holds 64 KiB. Baselines: `rtrb` and `ringbuf` (wait-free SPSC
//!   rings, waited on with a spin-then-yield backoff), `ringbuf-blocking`, a
//!   `Mutex<VecDeque<u8>>+Condvar` byte ring and `mpsc::sync_channel(16) of Vec<u8>`. The CPU
//!   time these transfers cost is the `pipe_cpu` example's (`docs/perf.md`, "Pipe CPU time").
//! - `pipe wake-up latency 8B`: the time from a write to the sleeping reader having the bytes
//!   (the writer pauses between messages so that the reader is asleep each time).
//!
//! The async ends (feature `tokio`) run the same transfers in groups of their own, with the sync
//! pipe as the baseline, so that a group's ratio is the async end's speed relative to the sync
//! one: `pipe async reader …` reads through tokio's `AsyncReadExt::read` on a current-thread
//! runtime while a std thread writes, `pipe async writer …` the other way round. The whole read (or
//! write) loop is one task, so the rows measure the ends and their wake-ups, not a runtime started
//! per call; the wake-up group wakes a runtime parked on its driver.

mod transports;

use std::thread;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use transports::{ASYNC_READER, ASYNC_WRITER, Make, TOTAL, TRANSPORTS, transfer};

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
