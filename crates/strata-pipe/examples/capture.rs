//! The live-capture pattern: a simulated 48 kHz stereo source writes 10 ms blocks of 16-bit PCM from
//! a timer thread (as an audio callback would), and a consumer drains everything buffered every
//! 100 ms. Halfway through, the consumer stalls for 400 ms, longer than the pipe holds, so the oldest
//! blocks are overwritten: the consumer sees the overruns in the pipe's counters, and every block it
//! does get is whole.
//!
//! Run with `cargo run -p strata-pipe --example capture [seconds]` (default 2).

use std::f32::consts::TAU;
use std::io::Write;
use std::time::{Duration, Instant};

use strata_pipe::{Overflow, PipeBuilder};

const RATE: usize = 48_000;
const CHANNELS: usize = 2;
const FRAME: usize = CHANNELS * 2; // 16-bit samples
const BLOCK_FRAMES: usize = RATE / 100; // 10 ms
const BLOCK: usize = BLOCK_FRAMES * FRAME; // 1920 bytes

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seconds: u64 = match std::env::args().nth(1) {
        Some(arg) => arg.parse().map_err(|e| format!("seconds: {e}"))?,
        None => 2,
    };
    // 250 ms of audio: enough for the 100 ms drain period, not for the 400 ms stall. Under
    // `OverwriteOldest` the ring keeps a 4-byte length beside each write, hence the `+ 4`.
    let capacity = 25 * (BLOCK + 4);
    let (mut writer, mut reader) = PipeBuilder::new()
        .capacity(capacity)
        .overflow(Overflow::OverwriteOldest)
        .build()?;

    let blocks = seconds * 100;
    let source = std::thread::spawn(move || -> std::io::Result<()> {
        let start = Instant::now();
        let mut block = [0u8; BLOCK];
        let mut phase = 0f32;
        for n in 0..blocks {
            // A 440 Hz tone, the same on both channels.
            for frame in block.chunks_exact_mut(FRAME) {
                let sample = ((phase.sin() * 0.25) * f32::from(i16::MAX)) as i16;
                phase = (phase + TAU * 440.0 / RATE as f32) % TAU;
                frame[..2].copy_from_slice(&sample.to_le_bytes());
                frame[2..].copy_from_slice(&sample.to_le_bytes());
            }
            // The "callback": never blocks, never allocates.
            writer.write_all(&block)?;
            let next = start + Duration::from_millis(10 * (n + 1));
            std::thread::sleep(next.saturating_duration_since(Instant::now()));
        }
        writer.close()
    });

    println!(
        "capacity {capacity} bytes ({} blocks of {BLOCK} bytes, each with its 4-byte length)",
        capacity / (BLOCK + 4)
    );
    println!(
        "{:>6} {:>7} {:>9} {:>9}",
        "ms", "blocks", "bytes", "overruns"
    );
    let start = Instant::now();
    let (mut total_blocks, mut total_bytes) = (0usize, 0usize);
    let mut tick = 0u64;
    loop {
        tick += 1;
        let stall = if tick >= 10 { 400 } else { 0 }; // one 400 ms stall before tick 10
        let next = start + Duration::from_millis(100 * tick + stall);
        std::thread::sleep(next.saturating_duration_since(Instant::now()));
        let finished = source.is_finished(); // before the drain: then it gets the last blocks
        let chunk = reader.drain()?;
        if chunk.len() % BLOCK != 0 {
            return Err(format!("a partial block arrived: {} bytes", chunk.len()).into());
        }
        let stats = reader.stats();
        total_blocks += chunk.len() / BLOCK;
        total_bytes += chunk.len();
        println!(
            "{:>6} {:>7} {:>9} {:>9}",
            start.elapsed().as_millis(),
            chunk.len() / BLOCK,
            chunk.len(),
            stats.writes_dropped
        );
        if chunk.is_empty() && finished {
            break;
        }
    }
    source.join().map_err(|_| "the source thread panicked")??;

    let stats = reader.stats();
    println!(
        "received {total_blocks} of {blocks} blocks ({total_bytes} bytes); {} overruns \
         ({} bytes dropped); high-water mark {} bytes",
        stats.writes_dropped, stats.bytes_dropped, stats.high_water
    );
    if total_blocks as u64 + stats.writes_dropped != blocks {
        return Err("blocks received and dropped do not add up".into());
    }
    Ok(())
}
