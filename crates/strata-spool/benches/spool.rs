//! `SpooledIO` and `MmapIO` against the std baselines (criterion; run by `cargo xtask bench`).
//!
//! One group per comparison: the function `strata` measures this crate, the others are baselines
//! named after what they are. `xtask/pybench/spool.py` adds CPython's `SpooledTemporaryFile` and
//! `mmap` to the same groups.

use std::fs::File;
use std::hint::black_box;
use std::io::{BufRead, BufReader, BufWriter, Write};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use strata_buffered::{BufferedIoBase, BytesIO};
use strata_spool::MmapIO;
use strata_spool::SpooledIO;

/// 64 KiB writes, 16384 of them: 1 GiB.
const CHUNK: usize = 64 * 1024;
const CHUNKS: usize = 16384;
/// Sixteen bytes, written a million times.
const SMALL: &[u8; 16] = b"0123456789abcdef";
const SMALL_WRITES: usize = 1_000_000;
/// About 100 MB of 80-byte lines.
const LINE: usize = 80;
const LINES: usize = 1_250_000;

fn write_spilled(c: &mut Criterion) {
    let chunk = vec![0x5a; CHUNK];
    let mut group = c.benchmark_group("spool write 1GiB in 64KiB writes");
    group.sample_size(10);
    group.throughput(Throughput::Bytes((CHUNK * CHUNKS) as u64));
    group.bench_function("strata", |b| {
        b.iter(|| {
            // Rolled over at the first write: every byte goes to the unnamed temporary file.
            let mut f = SpooledIO::new(0);
            for _ in 0..CHUNKS {
                f.write_all(black_box(&chunk)).expect("spooled write");
            }
            assert!(f.rolled());
            f
        })
    });
    group.bench_function("BytesIO", |b| {
        b.iter(|| {
            let mut f = BytesIO::new();
            for _ in 0..CHUNKS {
                f.write_all(black_box(&chunk)).expect("memory write");
            }
            f
        })
    });
    group.bench_function("BufWriter<File>", |b| {
        b.iter(|| {
            let mut f = BufWriter::new(tempfile::tempfile().expect("temporary file"));
            for _ in 0..CHUNKS {
                f.write_all(black_box(&chunk)).expect("file write");
            }
            f.into_inner().expect("flush")
        })
    });
    group.finish();
}

fn write_small_spilled(c: &mut Criterion) {
    let mut group = c.benchmark_group("spool write 16B x1e6 after rollover");
    group.sample_size(10);
    group.throughput(Throughput::Bytes((SMALL.len() * SMALL_WRITES) as u64));
    group.bench_function("strata", |b| {
        b.iter(|| {
            // Short writes after rollover are gathered, as Python's `BufferedRandom` does.
            let mut f = SpooledIO::new(0);
            for _ in 0..SMALL_WRITES {
                f.write_all(black_box(SMALL)).expect("spooled write");
            }
            f.flush().expect("flush");
            f
        })
    });
    group.bench_function("BufWriter<File>", |b| {
        b.iter(|| {
            let mut f = BufWriter::new(tempfile::tempfile().expect("temporary file"));
            for _ in 0..SMALL_WRITES {
                f.write_all(black_box(SMALL)).expect("file write");
            }
            f.into_inner().expect("flush")
        })
    });
    group.finish();
}

fn readline_mapped(c: &mut Criterion) {
    let mut file = tempfile::NamedTempFile::new().expect("temporary file");
    let mut line = vec![b'x'; LINE - 1];
    line.push(b'\n');
    {
        let mut out = BufWriter::new(file.as_file_mut());
        for _ in 0..LINES {
            out.write_all(&line).expect("write the input");
        }
        out.flush().expect("flush the input");
    }
    let path = file.path();

    let mut group = c.benchmark_group("readline 100MB file");
    group.sample_size(10);
    group.throughput(Throughput::Bytes((LINE * LINES) as u64));
    group.bench_function("strata", |b| {
        b.iter(|| {
            // SAFETY: the file is a private temporary file of this benchmark; nothing else writes it.
            let mut f = unsafe { MmapIO::open(path) }.expect("map the input");
            let mut count = 0usize;
            while !f.readline(None).expect("readline").is_empty() {
                count += 1;
            }
            assert_eq!(count, LINES);
        })
    });
    group.bench_function("BufReader<File>::read_line", |b| {
        b.iter(|| {
            let mut f = BufReader::new(File::open(path).expect("open the input"));
            let (mut text, mut count) = (String::new(), 0usize);
            while f.read_line(&mut text).expect("read_line") > 0 {
                text.clear();
                count += 1;
            }
            assert_eq!(count, LINES);
        })
    });
    group.finish();
}

criterion_group!(benches, write_spilled, write_small_spilled, readline_mapped);
criterion_main!(benches);
