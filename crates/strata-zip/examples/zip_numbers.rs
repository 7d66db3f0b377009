//! The reading numbers of `strata-zip` on large archives in files, each mode in its own process so that
//! the peak memory it reports is its own:
//!
//! ```text
//! cargo run --release -p strata-zip --example zip_numbers -- build DIR   # writes the two archives
//! cargo run --release -p strata-zip --example zip_numbers -- list DIR    # bytes a listing reads
//! cargo run --release -p strata-zip --example zip_numbers -- stream DIR  # peak memory streaming 256 MiB
//! ```
//!
//! `build` writes `DIR/listing.zip` (10 000 stored entries, 1 GiB) and `DIR/one-entry.zip` (one
//! entry of 256 MiB of text, deflated). `list` opens the first from a file through a counting reader;
//! `stream` reads the second's entry through [`ZipReader::open`] in 64 KiB reads and prints the
//! process's peak resident memory (`VmHWM`, Linux).

use std::env;
use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use strata_zip::{Compression, Timestamp, ZipBuilder, ZipReader};

const ENTRIES: u64 = 10_000;
const LISTING_SIZE: u64 = 1 << 30;
const ENTRY_SIZE: u64 = 256 << 20;

/// A file that counts the bytes read from it.
struct Counting {
    file: File,
    read: Arc<AtomicU64>,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl Seek for Counting {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.file.seek(pos)
    }
}

/// Text-like bytes without end: words from a small vocabulary, chosen by xorshift64.
struct Words {
    x: u64,
}

impl Read for Words {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        const WORDS: &[&[u8]] = &[
            b"stream ", b"buffer ", b"the ", b"of ", b"zip ", b"bytes ", b"io\n", b"python ",
            b"rust ", b"a ",
        ];
        let mut n = 0;
        while n < buf.len() {
            self.x ^= self.x << 13;
            self.x ^= self.x >> 7;
            self.x ^= self.x << 17;
            let word = WORDS[(self.x % WORDS.len() as u64) as usize];
            let len = word.len().min(buf.len() - n);
            buf[n..n + len].copy_from_slice(&word[..len]);
            n += len;
        }
        Ok(n)
    }
}

fn build(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let mut zip = ZipBuilder::on_sink(File::create(dir.join("listing.zip"))?)
        .fixed_time(Timestamp::DOS_EPOCH);
    for i in 0..ENTRIES {
        let name = format!("data/part-{i:05}.bin");
        let data = io::repeat(i as u8).take(LISTING_SIZE / ENTRIES);
        zip.add_reader(&name, data, Compression::Stored)?;
    }
    zip.finish_sink()?;
    let mut zip = ZipBuilder::on_sink(File::create(dir.join("one-entry.zip"))?)
        .fixed_time(Timestamp::DOS_EPOCH);
    let words = Words {
        x: 0x9e37_79b9_7f4a_7c15,
    };
    zip.add_reader(
        "words.txt",
        words.take(ENTRY_SIZE),
        Compression::Deflated(1),
    )?;
    zip.finish_sink()?;
    Ok(())
}

fn list(dir: &Path) -> io::Result<()> {
    let path = dir.join("listing.zip");
    let len = fs::metadata(&path)?.len();
    let read = Arc::new(AtomicU64::new(0));
    let counting = Counting {
        file: File::open(&path)?,
        read: Arc::clone(&read),
    };
    let reader = ZipReader::from_reader(counting)?;
    let total: u64 = reader.entries().iter().map(|e| e.size).sum();
    println!(
        "listed {} entries ({total} bytes) of a {len}-byte archive: read {} bytes ({:.2} MiB)",
        reader.len(),
        read.load(Ordering::Relaxed),
        read.load(Ordering::Relaxed) as f64 / f64::from(1 << 20)
    );
    Ok(())
}

fn stream(dir: &Path) -> io::Result<()> {
    let mut reader = ZipReader::from_reader(File::open(dir.join("one-entry.zip"))?)?;
    let mut entry = reader.open("words.txt")?;
    let mut buf = vec![0; 64 << 10];
    let mut total = 0u64;
    loop {
        let n = entry.read(&mut buf)?;
        if n == 0 {
            break;
        }
        total += n as u64;
    }
    let status = fs::read_to_string("/proc/self/status")?;
    let peak = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .unwrap_or("VmHWM: unknown");
    println!("streamed {total} bytes (CRC checked); peak resident memory {peak}");
    Ok(())
}

fn main() -> io::Result<()> {
    let args: Vec<String> = env::args().skip(1).collect();
    let (Some(mode), Some(dir)) = (args.first(), args.get(1)) else {
        eprintln!("usage: zip_numbers build|list|stream DIR");
        std::process::exit(2);
    };
    let dir = Path::new(dir);
    match mode.as_str() {
        "build" => build(dir),
        "list" => list(dir),
        "stream" => stream(dir),
        other => {
            eprintln!("unknown mode {other:?}: build, list or stream");
            std::process::exit(2);
        }
    }
}
