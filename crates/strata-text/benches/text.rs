//! The text layer against the std baselines it must match (criterion; run by `cargo xtask bench`).
//!
//! One group per comparison: the function `strata` measures strata-text, the others are baselines named
//! after what they are. `xtask/pybench/text.py` adds CPython's `io.TextIOWrapper` and `io.StringIO` to
//! the same groups, over the same data.

use std::hint::black_box;
use std::io::{BufRead, Cursor, Read};

use bytes::Bytes;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use strata_buffered::BytesIO;
use strata_text::prelude::*;
use strata_text::{StringIO, TextIOWrapper};

/// Size of the text `read()` decodes: 100 MB.
const READ_BYTES: usize = 100_000_000;
/// Size of the text iterated line by line: 10 MB of lines averaging about 60 bytes.
const LINE_BYTES: usize = 10_000_000;
/// Sixteen characters, written a hundred thousand times.
const SMALL: &str = "0123456789abcdef";
const SMALL_WRITES: usize = 100_000;

/// Text is generated in blocks of this size and repeated (as `xtask/pybench/text.py` does).
const BLOCK: usize = 10_000_000;

/// `len` bytes of UTF-8 text in lines of varied length, mostly ASCII with some accented letters and a
/// symbol now and then: a block made by an LCG picking words, repeated (the same generator as
/// `xtask/pybench/text.py`).
fn text(len: usize) -> Bytes {
    const WORDS: [&str; 12] = [
        "stream ", "buffer ", "the ", "of ", "text ", "café ", "naïve ", "io ", "python ", "rust ",
        "€5 ", "a ",
    ];
    let mut block = String::with_capacity(len.min(BLOCK) + 64);
    let (mut state, mut line) = (7u32, 0);
    while block.len() < len.min(BLOCK) {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        block.push_str(WORDS[(state >> 16) as usize % WORDS.len()]);
        line += 1;
        if line == 1 + (state >> 8) as usize % 16 {
            block.push('\n');
            line = 0;
        }
    }
    cut(&mut block, len.min(BLOCK));
    let mut out = block.repeat(len / block.len() + 1);
    cut(&mut out, len);
    Bytes::from(out)
}

/// Shortens `text` to the last character boundary at or before `len`.
fn cut(text: &mut String, len: usize) {
    let mut end = len.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
}

fn wrapper(data: &Bytes) -> TextIOWrapper<BytesIO> {
    TextIOWrapper::builder(BytesIO::from(data.clone()))
        .encoding("utf-8")
        .build()
        .expect("utf-8 is known")
}

fn read_all(c: &mut Criterion) {
    let data = text(READ_BYTES);
    let mut group = c.benchmark_group("text read() utf-8 100MB");
    group.sample_size(10);
    group.bench_function("strata", |b| {
        b.iter_batched(
            || wrapper(&data),
            |mut t| t.read(None).expect("valid utf-8"),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("Read::read_to_string", |b| {
        b.iter(|| {
            let mut out = String::new();
            Cursor::new(black_box(&data[..]))
                .read_to_string(&mut out)
                .expect("valid utf-8");
            out
        })
    });
    group.finish();
}

fn lines(c: &mut Criterion) {
    let data = text(LINE_BYTES);
    let mut group = c.benchmark_group("text line iteration utf-8 10MB");
    group.sample_size(10);
    group.bench_function("strata", |b| {
        b.iter_batched(
            || wrapper(&data),
            |mut t| {
                t.lines()
                    .map(|line| line.expect("valid utf-8").len())
                    .sum::<usize>()
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("BufRead::read_line", |b| {
        b.iter(|| {
            let mut reader = Cursor::new(black_box(&data[..]));
            let mut total = 0;
            loop {
                let mut line = String::new();
                match reader.read_line(&mut line).expect("valid utf-8") {
                    0 => break total,
                    _ => total += line.len(),
                }
            }
        })
    });
    group.finish();
}

fn stringio_writes(c: &mut Criterion) {
    let mut group = c.benchmark_group("stringio write 16 chars x1e5");
    group.bench_function("strata", |b| {
        b.iter(|| {
            let mut s = StringIO::new();
            for _ in 0..SMALL_WRITES {
                s.write(black_box(SMALL)).expect("open stream");
            }
            s.into_string()
        })
    });
    group.bench_function("String::push_str", |b| {
        b.iter(|| {
            let mut s = String::new();
            for _ in 0..SMALL_WRITES {
                s.push_str(black_box(SMALL));
            }
            s
        })
    });
    group.finish();
}

/// Chinese text with some ASCII, about 9 MB in GBK: `read()` walks CPython's sequence rules over
/// corrected tables; `encoding_rs` decoding the same bytes in one call is the baseline.
fn read_gbk(c: &mut Criterion) {
    let text = "中文文本，这是一个测试。ASCII text too. 日本語?\n".repeat(200_000);
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    let data = Bytes::from(bytes.into_owned());
    let mut group = c.benchmark_group("text read() gbk 9MB");
    group.sample_size(10);
    group.bench_function("strata", |b| {
        b.iter_batched(
            || {
                TextIOWrapper::builder(BytesIO::from(data.clone()))
                    .encoding("gbk")
                    .build()
                    .expect("gbk is known")
            },
            |mut t| t.read(None).expect("valid gbk"),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("encoding_rs::Encoding::decode", |b| {
        b.iter(|| encoding_rs::GBK.decode_without_bom_handling(black_box(&data)))
    });
    group.finish();
}

criterion_group!(benches, read_all, lines, stringio_writes, read_gbk);
criterion_main!(benches);
