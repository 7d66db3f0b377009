//! CPU time beside throughput: what moving 1 GiB through the pipe costs the processor, against the
//! benchmark's baselines (`rtrb`, `ringbuf`, …; the transports are `benches/transports/`).
//!
//! A transport can look fast by burning a core while it waits (spinning, yielding in a loop); on a
//! machine that has other work that is time taken from it. So each transfer of the `pipe` benchmark
//! (1 GiB in 4 KiB writes and reads, 64 KiB held) is run `RUNS` times (first argument, default 5),
//! and for each the wall time and the CPU time of the whole process, user plus system, both threads
//! (`getrusage(RUSAGE_SELF)` before and after), are measured. It prints the median and the range of
//! GiB/s and of CPU seconds per GiB moved.
//!
//! ```text
//! cargo run --profile bench -p strata-pipe --all-features --example pipe_cpu -- 7
//! ```
//!
//! (The `bench` profile, as `cargo bench`: this workspace's `release` profile keeps debug
//! assertions and overflow checks.)

#[path = "../benches/transports/mod.rs"]
mod transports;

use std::time::{Duration, Instant};

use transports::{ASYNC_READER, ASYNC_WRITER, TOTAL, TRANSPORTS, transfer};

/// User plus system CPU time of this process so far, all threads.
fn cpu_time() -> Duration {
    // SAFETY: `getrusage` only writes the `rusage` it is given, which is valid and zeroed.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        assert_eq!(
            libc::getrusage(libc::RUSAGE_SELF, &mut usage),
            0,
            "getrusage"
        );
        usage
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// The median and the range of `values`, formatted with two decimals.
fn summary(values: &mut [f64]) -> String {
    values.sort_by(f64::total_cmp);
    let median = values[values.len() / 2];
    let (low, high) = (values[0], values[values.len() - 1]);
    format!("{median:6.2} [{low:5.2} – {high:5.2}]")
}

fn main() {
    let runs: usize = match std::env::args().nth(1) {
        Some(arg) => arg.parse().expect("RUNS must be a number"),
        None => 5,
    };
    let gib = TOTAL as f64 / f64::from(1 << 30);
    println!("{runs} runs of 1 GiB each; median [min – max]");
    for (group, transports) in [
        ("pipe 4KiB writes/reads x 1GiB", &TRANSPORTS[..]),
        ("pipe async reader 4KiB x 1GiB", &ASYNC_READER),
        ("pipe async writer 4KiB x 1GiB", &ASYNC_WRITER),
    ] {
        // Round after round of every transport, so that a burst of load elsewhere on the machine
        // falls on all of them rather than on one.
        let mut samples = vec![(Vec::new(), Vec::new()); transports.len()];
        for _ in 0..runs {
            for (&(_, make), (speed, cpu)) in transports.iter().zip(&mut samples) {
                let (wall, cpu_before) = (Instant::now(), cpu_time());
                assert_eq!(transfer(make), TOTAL);
                let (wall, used) = (wall.elapsed(), cpu_time() - cpu_before);
                speed.push(gib / wall.as_secs_f64());
                cpu.push(used.as_secs_f64() / gib);
            }
        }
        println!("\n{group}\n{:<36} {:>22} {:>22}", "", "GiB/s", "CPU s/GiB");
        for (&(name, _), (speed, cpu)) in transports.iter().zip(&mut samples) {
            println!("{name:<36} {:>22} {:>22}", summary(speed), summary(cpu));
        }
    }
}
