//! Live capture into an async service: a std thread writes 10 ms blocks of 48 kHz stereo 16-bit PCM
//! into the pipe (as an audio callback would: it never blocks, never allocates), and a tokio task
//! reads the pipe through its async end, without occupying a thread while it waits, and forwards
//! every chunk over a TCP connection on 127.0.0.1. A second task is the receiving peer: it checks
//! that each block arrived whole and in order.
//!
//! Run with `cargo run -p strata-pipe --features tokio --example capture_async [seconds]` (default 2).

use std::io::Write;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use strata_pipe::{Overflow, PipeBuilder};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const RATE: usize = 48_000;
const FRAME: usize = 2 * 2; // stereo, 16-bit samples
const BLOCK: usize = RATE / 100 * FRAME; // 10 ms: 1920 bytes

/// Block `n`: its number in the first 8 bytes, then a 440 Hz tone.
fn fill(block: &mut [u8; BLOCK], n: u64) {
    block[..8].copy_from_slice(&n.to_le_bytes());
    for (i, frame) in block[8..].chunks_exact_mut(FRAME).enumerate() {
        let t = (n as usize * (BLOCK / FRAME) + i) as f32 / RATE as f32;
        let sample =
            ((std::f32::consts::TAU * 440.0 * t).sin() * 0.25 * f32::from(i16::MAX)) as i16;
        frame[..2].copy_from_slice(&sample.to_le_bytes());
        frame[2..].copy_from_slice(&sample.to_le_bytes());
    }
}

/// The receiving peer: reads the connection to its end and checks that every block is whole and
/// that the block numbers only go up (a block the full pipe refused is a gap, never a reorder).
/// Returns how many blocks arrived.
async fn receive(listener: TcpListener) -> std::io::Result<u64> {
    let (mut connection, _) = listener.accept().await?;
    let mut block = [0u8; BLOCK];
    let (mut received, mut next) = (0u64, 0u64);
    loop {
        match connection.read_exact(&mut block).await {
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(received),
            Err(error) => return Err(error),
        }
        let mut number = [0u8; 8];
        number.copy_from_slice(&block[..8]);
        let got = u64::from_le_bytes(number);
        if got < next {
            let message = format!("block {got} arrived after block {}", next - 1);
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                message,
            ));
        }
        let mut expected = [0u8; BLOCK];
        fill(&mut expected, got);
        if block != expected {
            let message = format!("block {got} arrived damaged");
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                message,
            ));
        }
        (received, next) = (received + 1, got + 1);
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seconds: u64 = match std::env::args().nth(1) {
        Some(arg) => arg.parse().map_err(|e| format!("seconds: {e}"))?,
        None => 2,
    };
    // 250 ms of audio. `Fail` keeps the callback realtime-safe: were the network to stall that
    // long, writes would fail (and be counted) instead of blocking the device thread.
    let (mut writer, reader) = PipeBuilder::new()
        .capacity(25 * BLOCK)
        .overflow(Overflow::Fail)
        .build()?;

    let blocks = seconds * 100;
    let source = std::thread::spawn(move || -> std::io::Result<u64> {
        let start = Instant::now();
        let mut block = [0u8; BLOCK];
        let mut refused = 0;
        for n in 0..blocks {
            fill(&mut block, n);
            if writer.write_all(&block).is_err() {
                refused += 1; // `Fail` writes all or nothing: the block is lost whole
            }
            let next = start + Duration::from_millis(10 * (n + 1));
            std::thread::sleep(next.saturating_duration_since(Instant::now()));
        }
        writer.close()?;
        Ok(refused)
    });

    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let peer = tokio::spawn(receive(listener));

    // The forwarder: each item of the async reader is everything buffered when it was polled.
    let started = Instant::now();
    let mut connection = TcpStream::connect(addr).await?;
    let mut chunks = reader.into_async();
    let (mut forwarded, mut sends) = (0u64, 0u64);
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk?;
        connection.write_all(&chunk).await?;
        forwarded += chunk.len() as u64;
        sends += 1;
    }
    connection.shutdown().await?;
    let stats = chunks.stats();

    let refused = source.join().map_err(|_| "the source thread panicked")??;
    let received = peer.await??;
    println!(
        "forwarded {forwarded} bytes in {sends} sends over {:.2} s; the peer received {received} of \
         {blocks} blocks; {refused} refused by a full pipe; high-water mark {} of {} bytes",
        started.elapsed().as_secs_f64(),
        stats.high_water,
        stats.capacity
    );
    if received + refused != blocks || forwarded != received * BLOCK as u64 {
        return Err("blocks sent, refused and received do not add up".into());
    }
    Ok(())
}
