//! `BytesIO` against the std baselines it must beat (criterion; run by `cargo xtask bench`).
//!
//! One group per comparison: the function `strata` measures `BytesIO`, the others are baselines named
//! after what they are. `xtask/pybench/bytesio.py` adds CPython's `io.BytesIO` to the same groups.

use std::hint::black_box;
use std::io::{BufRead, Cursor, Seek, SeekFrom, Write};

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use strata_buffered::{BufferedIoBase, BytesIO};

/// Sixteen bytes, written a million times.
const SMALL: &[u8; 16] = b"0123456789abcdef";
const SMALL_WRITES: usize = 1_000_000;
/// 64 KiB chunks, sixteen of them into 1 MiB of warm capacity.
const CHUNK: usize = 64 * 1024;
const CHUNKS: usize = 16;
/// The size of the contents `getvalue()` returns.
const SNAPSHOT: usize = 256 * 1024 * 1024;
/// About 100 MB of 80-byte lines.
const LINES: usize = 1_250_000;

fn write_small(c: &mut Criterion) {
    let mut group = c.benchmark_group("bytesio write 16B x1e6");
    group.sample_size(20);
    group.bench_function("strata", |b| {
        b.iter(|| write_small_into(BytesIO::new()).into_bytes())
    });
    group.bench_function("Cursor<Vec<u8>>", |b| {
        b.iter(|| write_small_into(Cursor::new(Vec::new())).into_inner())
    });
    group.finish();
}

/// The small writes as generic code makes them: through `std::io::Write`, whatever the stream.
#[inline(never)]
fn write_small_into<W: Write>(mut f: W) -> W {
    for _ in 0..SMALL_WRITES {
        f.write_all(black_box(SMALL)).expect("memory write");
    }
    f
}

fn write_warm(c: &mut Criterion) {
    let mut group = c.benchmark_group("bytesio write 64KiB x16 into warm capacity");
    group.bench_function("strata", |b| {
        let mut f = BytesIO::with_capacity(CHUNK * CHUNKS).expect("a buffer of this size");
        let at = page_offset(f.getbuffer().expect("open stream").as_ptr());
        let (source, start) = chunk_at(at);
        let chunk = &source[start..start + CHUNK];
        b.iter(|| {
            f.seek(SeekFrom::Start(0)).expect("memory seek");
            f.truncate(Some(0)).expect("memory truncate"); // keeps the capacity
            for _ in 0..CHUNKS {
                f.write_all(black_box(chunk)).expect("memory write");
            }
        })
    });
    group.bench_function("memcpy", |b| {
        let mut dst = vec![0u8; CHUNK * CHUNKS];
        let (source, start) = chunk_at(page_offset(dst.as_ptr()));
        let chunk = &source[start..start + CHUNK];
        b.iter(|| {
            for slot in dst.chunks_exact_mut(CHUNK) {
                slot.copy_from_slice(black_box(chunk));
            }
            black_box(&mut dst);
        })
    });
    group.finish();
}

/// Where `p` lies within its 4 KiB page.
fn page_offset(p: *const u8) -> usize {
    p as usize % 4096
}

/// A `CHUNK` of `0x5a` starting at `source[start..]`, at page offset `at`.
///
/// glibc's large copy (`rep movsb`) is slower when source and destination lie at different offsets
/// within a cache line, so every contestant in the warm-write group (and CPython in
/// `xtask/pybench/bytesio.py`) copies from a source at its destination's page offset: the group then
/// compares the writes, not where the allocator happened to put the two buffers.
fn chunk_at(at: usize) -> (Vec<u8>, usize) {
    let source = vec![0x5a; CHUNK + 4096];
    let start = (at + 4096 - page_offset(source.as_ptr())) % 4096;
    (source, start)
}

fn getvalue(c: &mut Criterion) {
    let mut f = BytesIO::new();
    let block = vec![0xa5; 1 << 20];
    for _ in 0..SNAPSHOT / block.len() {
        f.write_all(&block).expect("memory write");
    }
    let copy = f.getvalue().expect("open stream").to_vec();
    let mut group = c.benchmark_group("bytesio getvalue of 256 MiB");
    group.sample_size(10);
    group.bench_function("strata", |b| b.iter(|| f.getvalue().expect("open stream")));
    group.bench_function("Vec::clone", |b| b.iter(|| black_box(&copy).clone()));
    group.finish();
}

fn lines() -> Bytes {
    let mut text = Vec::with_capacity(LINES * 80);
    for i in 0..LINES {
        let start = text.len();
        write!(text, "line {i:>10} ").expect("memory write");
        text.resize(start + 79, b'.');
        text.push(b'\n');
    }
    Bytes::from(text)
}

fn readline(c: &mut Criterion) {
    let text = lines();
    // Shared contents (`From<Bytes>`, e.g. received from the network): each line is a zero-copy slice.
    let mut group = c.benchmark_group("bytesio readline 100 MB of 80 B lines");
    group.sample_size(10);
    let mut shared = BytesIO::from(text.clone());
    group.bench_function("strata", |b| b.iter(|| count_lines(&mut shared)));
    group.bench_function("Cursor<&[u8]>::read_line", |b| {
        b.iter(|| cursor_read_line(&text))
    });
    group.bench_function("Cursor<&[u8]>::read_until", |b| {
        b.iter(|| cursor_read_until(&text))
    });
    group.finish();

    // Owned contents (`From<Vec<u8>>`): each line is copied into a new `Bytes` (one allocation).
    let mut group = c.benchmark_group("bytesio readline 100 MB of 80 B lines, owned contents");
    group.sample_size(10);
    let mut owned = BytesIO::from(text.to_vec());
    group.bench_function("strata", |b| b.iter(|| count_lines(&mut owned)));
    group.bench_function("Cursor<&[u8]>::read_line", |b| {
        b.iter(|| cursor_read_line(&text))
    });
    group.bench_function("Cursor<&[u8]>::read_until", |b| {
        b.iter(|| cursor_read_until(&text))
    });
    group.finish();

    // Borrowed lines: no allocation and no reference count per line.
    let mut group = c.benchmark_group("bytesio borrowed lines 100 MB of 80 B lines");
    group.sample_size(10);
    group.bench_function("strata", |b| {
        b.iter(|| {
            owned.seek(SeekFrom::Start(0)).expect("memory seek");
            let mut count = 0;
            while !owned.readline_slice(None).expect("open stream").is_empty() {
                count += 1;
            }
            count
        })
    });
    group.bench_function("Cursor<&[u8]>::read_until", |b| {
        b.iter(|| cursor_read_until(&text))
    });
    group.finish();
}

/// What handing out one owned line costs by itself, without any search: the floor under an owned
/// `readline` over the same 1.25 million 80-byte lines. `Cursor::read_until` (the baseline of the
/// groups above) must beat neither row to be 1.2x slower than an owned `readline`.
fn line_floor(c: &mut Criterion) {
    let text = lines();
    let mut group = c.benchmark_group("bytesio owned line floor 1.25M x 80 B");
    group.sample_size(10);
    group.bench_function("copy: Bytes::copy_from_slice + drop", |b| {
        b.iter(|| {
            for line in text.chunks_exact(80) {
                black_box(Bytes::copy_from_slice(line));
            }
        })
    });
    group.bench_function("share: Bytes::slice + drop", |b| {
        b.iter(|| {
            for start in (0..text.len()).step_by(80) {
                black_box(text.slice(start..start + 80));
            }
        })
    });
    group.bench_function("Cursor<&[u8]>::read_until", |b| {
        b.iter(|| cursor_read_until(&text))
    });
    group.finish();
}

/// Reads and writes interleaved: every line read is followed by a write at the end. This is the
/// pattern that sharing owned contents on read (copy-on-write) would make pay a take-back per write.
fn read_write(c: &mut Criterion) {
    let text = lines().slice(..1 << 20);
    let mut group = c.benchmark_group("bytesio readline then write 16B x1e5");
    group.bench_function("strata", |b| {
        b.iter(|| {
            let mut f = BytesIO::from(text.to_vec());
            for _ in 0..100_000 {
                let line = f.readline(None).expect("open stream");
                black_box(line);
                let at = f.tell().expect("open stream");
                f.seek(SeekFrom::End(0)).expect("memory seek");
                f.write_all(SMALL).expect("memory write");
                f.seek(SeekFrom::Start(at)).expect("memory seek");
            }
            f.into_bytes()
        })
    });
    group.bench_function("Cursor<Vec<u8>> read_until", |b| {
        b.iter(|| {
            let mut f = Cursor::new(text.to_vec());
            let mut line = Vec::new();
            for _ in 0..100_000 {
                line.clear();
                f.read_until(b'\n', &mut line).expect("memory read");
                black_box(&line);
                let at = f.position();
                f.seek(SeekFrom::End(0)).expect("memory seek");
                f.write_all(SMALL).expect("memory write");
                f.set_position(at);
            }
            f.into_inner()
        })
    });
    group.finish();
}

/// Reads `f` from the start line by line with `readline(None)`; the number of lines.
fn count_lines(f: &mut BytesIO) -> usize {
    f.seek(SeekFrom::Start(0)).expect("memory seek");
    let mut count = 0;
    while !f.readline(None).expect("open stream").is_empty() {
        count += 1;
    }
    count
}

/// The baseline: std's `read_line` into one reused `String`; the number of lines.
fn cursor_read_line(text: &[u8]) -> usize {
    let mut f = Cursor::new(text);
    let mut line = String::new();
    let mut count = 0;
    while f.read_line(&mut line).expect("valid UTF-8") > 0 {
        line.clear();
        count += 1;
    }
    count
}

/// The strongest std baseline: `read_until` into one reused `Vec`; the number of lines.
fn cursor_read_until(text: &[u8]) -> usize {
    let mut f = Cursor::new(text);
    let mut line = Vec::new();
    let mut count = 0;
    while f.read_until(b'\n', &mut line).expect("memory read") > 0 {
        line.clear();
        count += 1;
    }
    count
}

criterion_group!(
    benches,
    write_small,
    write_warm,
    getvalue,
    readline,
    line_floor,
    read_write
);
criterion_main!(benches);
