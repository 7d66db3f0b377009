//! Measures the peak heap of streaming a 1 GiB shard through [`ShardReader`]: it must stay under the
//! largest sample plus 1 MiB.
//!
//! Writes a shard of about 1 GiB (samples of a `wav` of 64 KiB to 1 MiB, a 32 KiB `png` and a small
//! `json`) with [`ShardWriter`] into a temporary file, then reads it back from the file with a
//! counting global allocator, and prints the shard's size, the largest sample, the peak of live heap
//! bytes while reading, and whether it stayed under the bound (exit status 1 if not). The file is
//! removed afterwards.
//!
//! Run with `cargo run --release -p strata-tar --example shard_memory [-- DIR]`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::fs::File;
use std::io::{self, BufWriter};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use strata_tar::{Limits, Sample, ShardReader, ShardWriter};

/// Live heap bytes, and their peak since the last [`reset_peak`].
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

struct Counting;

#[global_allocator]
static COUNTING: Counting = Counting;

fn grow(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every method forwards to `System` with the caller's arguments, so
// `System`'s guarantees are ours; the counters neither allocate nor touch the memory.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which we pass on.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grow(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grow(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` with this layout (every allocation goes through us).
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`, and the caller upholds `realloc`'s contract on `new_size`.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grow(new_size);
        }
        new
    }
}

/// Makes the peak the current live count, and returns that count.
fn reset_peak() -> usize {
    let live = LIVE.load(Ordering::Relaxed);
    PEAK.store(live, Ordering::Relaxed);
    live
}

const SHARD_BYTES: u64 = 1 << 30;

fn main() -> ExitCode {
    let dir = std::env::args()
        .nth(1)
        .map_or_else(std::env::temp_dir, Into::into);
    let path = dir.join(format!("strata-shard-memory-{}.tar", std::process::id()));
    let result = run(&path);
    let _ = std::fs::remove_file(&path);
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("shard_memory failed: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(path: &std::path::Path) -> io::Result<bool> {
    // One pool of bytes; each file is a zero-copy slice of it.
    let pool = Bytes::from(
        (0..2u32 << 20)
            .map(|i| (i * 31 % 251) as u8)
            .collect::<Vec<u8>>(),
    );
    let mut file = Some(BufWriter::with_capacity(1 << 20, File::create(path)?));
    let sink = move |_name: &str| {
        file.take()
            .ok_or_else(|| io::Error::other("one shard only"))
    };
    let mut writer = ShardWriter::new("memory", sink)
        .max_size(u64::MAX)
        .max_samples(usize::MAX);
    let (mut written, mut count) = (0u64, 0usize);
    while written < SHARD_BYTES {
        let wav = (64 << 10) + (count * 7919 % 31) * (32 << 10);
        let mut sample = Sample::new(format!("{count:08}"));
        sample.files.insert("wav".into(), pool.slice(..wav));
        sample
            .files
            .insert("png".into(), pool.slice(wav..wav + (32 << 10)));
        sample
            .files
            .insert("json".into(), format!("{{\"index\": {count}}}").into());
        written += sample.files.values().map(|f| f.len() as u64).sum::<u64>();
        writer.write(&sample)?;
        count += 1;
    }
    writer.finish()?;
    drop(pool);
    let shard_len = std::fs::metadata(path)?.len();

    let before = reset_peak();
    let mut limits = Limits::default();
    limits.max_total_size = 4 << 30;
    let mut reader = ShardReader::with_limits(File::open(path)?, limits)?;
    let (mut samples, mut largest) = (0usize, 0usize);
    for sample in reader.by_ref() {
        let sample = sample?;
        largest = largest.max(sample.files.values().map(Bytes::len).sum());
        samples += 1;
    }
    drop(reader);
    let peak = PEAK.load(Ordering::Relaxed) - before;
    let bound = largest + (1 << 20);
    println!("shard: {shard_len} bytes, {samples} samples (written: {count})");
    println!("largest sample: {largest} bytes");
    println!("peak heap while streaming: {peak} bytes (bound: largest sample + 1 MiB = {bound})");
    let ok = peak < bound && samples == count;
    println!("{}", if ok { "ok: under the bound" } else { "FAILED" });
    Ok(ok)
}
