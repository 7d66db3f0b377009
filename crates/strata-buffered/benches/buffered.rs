//! The buffered wrappers against std's `BufReader`/`BufWriter` (criterion; run by `cargo xtask bench`).
//!
//! One group per comparison: the function `strata` measures Strata, the others are baselines named
//! after what they are. The line benchmarks read a 16 MB file of 80-byte lines from a temporary
//! directory (the page cache keeps it warm, so they measure the buffering, not the disk).

use std::fs::File;
use std::hint::black_box;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use strata_buffered::{BufferedIoBase, BufferedReader, BufferedWriter};
use strata_raw::{FileIo, StdRaw};

/// 200 000 lines of 80 bytes: 16 MB.
const LINES: usize = 200_000;
const LINE: usize = 80;
/// Sixteen bytes, written a million times.
const SMALL: &[u8; 16] = b"0123456789abcdef";
const SMALL_WRITES: usize = 1_000_000;

fn write_lines(path: &Path) -> io::Result<()> {
    let mut out = BufWriter::new(File::create(path)?);
    let mut line = [b'x'; LINE];
    line[LINE - 1] = b'\n';
    for i in 0..LINES {
        line[..8].copy_from_slice(format!("{i:08}").as_bytes());
        out.write_all(&line)?;
    }
    out.flush()
}

fn readline(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("lines.txt");
    write_lines(&path).expect("the line file is written");
    let mut group = c.benchmark_group("buffered readline 80B lines, 16MB file");
    group.sample_size(10);
    group.throughput(Throughput::Bytes((LINES * LINE) as u64));
    group.bench_function("strata", |b| {
        b.iter(|| {
            let raw = FileIo::open(&path, "rb").expect("open");
            let mut f = BufferedReader::new(raw).expect("readable");
            let mut total = 0;
            loop {
                let line = f.readline(None).expect("read");
                if line.is_empty() {
                    break total;
                }
                total += black_box(line).len();
            }
        })
    });
    group.bench_function("BufReader<File>::read_line", |b| {
        b.iter(|| {
            let mut f = BufReader::new(File::open(&path).expect("open"));
            let (mut line, mut total) = (String::new(), 0);
            loop {
                line.clear();
                match f.read_line(&mut line).expect("read") {
                    0 => break total,
                    n => total += black_box(n),
                }
            }
        })
    });
    // Like `readline`, a new buffer per line (`read_line` above reuses one).
    group.bench_function("BufReader<File>::lines (a String per line)", |b| {
        b.iter(|| {
            let f = BufReader::new(File::open(&path).expect("open"));
            f.lines()
                .map(|line| black_box(line.expect("read")).len() + 1)
                .sum::<usize>()
        })
    });
    group.bench_function("BufReader<File>::read_until", |b| {
        b.iter(|| read_until_all(BufReader::new(File::open(&path).expect("open"))))
    });
    group.finish();

    // The borrowing path on both sides: `BufRead::read_until` into one reused `Vec`.
    let mut group = c.benchmark_group("buffered read_until 80B lines, 16MB file");
    group.sample_size(10);
    group.throughput(Throughput::Bytes((LINES * LINE) as u64));
    group.bench_function("strata", |b| {
        b.iter(|| {
            let raw = FileIo::open(&path, "rb").expect("open");
            read_until_all(BufferedReader::new(raw).expect("readable"))
        })
    });
    group.bench_function("BufReader<File>", |b| {
        b.iter(|| read_until_all(BufReader::new(File::open(&path).expect("open"))))
    });
    group.finish();
}

/// Reads `f` to the end with `read_until` into one reused `Vec`; the bytes read.
fn read_until_all(mut f: impl BufRead) -> usize {
    let (mut line, mut total) = (Vec::new(), 0);
    loop {
        line.clear();
        match f.read_until(b'\n', &mut line).expect("read") {
            0 => return total,
            n => total += black_box(n),
        }
    }
}

fn write_small(c: &mut Criterion) {
    let mut group = c.benchmark_group("buffered write 16B x1e6 into a sink");
    group.sample_size(20);
    group.throughput(Throughput::Bytes((SMALL_WRITES * SMALL.len()) as u64));
    group.bench_function("strata", |b| {
        b.iter(|| {
            let mut w = BufferedWriter::new(StdRaw::writer(io::sink())).expect("writable");
            for _ in 0..SMALL_WRITES {
                w.write_all(black_box(SMALL)).expect("buffered write");
            }
            w.flush().expect("flush");
        })
    });
    group.bench_function("BufWriter<Sink>", |b| {
        b.iter(|| {
            let mut w = BufWriter::with_capacity(8192, io::sink());
            for _ in 0..SMALL_WRITES {
                w.write_all(black_box(SMALL)).expect("buffered write");
            }
            w.flush().expect("flush");
        })
    });
    group.finish();
}

criterion_group!(benches, readline, write_small);
criterion_main!(benches);
