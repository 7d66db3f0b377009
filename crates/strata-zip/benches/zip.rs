//! ZIP deflate and inflate of 64 MiB of mixed data in memory (criterion; run by `cargo xtask bench`).
//!
//! Three groups. Build: the same 64 MiB as 64 entries of 1 MiB (every other one text-like, the others
//! random), `strata` is [`ZipBuilder::add_many`] compressing on one thread per core, `strata serial`
//! is [`ZipBuilder::add_bytes`] entry by entry (the same bytes), `zip::ZipWriter` is the `zip` crate
//! writing into a `Cursor<Vec<u8>>` as its users do, one `start_file` and `write_all` per entry.
//! Deflate: `strata` is [`ZipBuilder`] into memory, `zip::ZipWriter` is the `zip` crate
//! writing into a `Cursor<Vec<u8>>` directly (Strata's overhead). Inflate: `strata` is
//! [`ZipReader::read`] of the entry, `zip::ZipArchive` is the `zip` crate reading it into a `Vec`
//! sized up front (the fastest way to use it), both from the same in-memory archive. In both,
//! `xtask/pybench/zip.py` adds `CPython zipfile` at the same level. The data alternates 1 MiB blocks of text-like words and of random bytes; the
//! Python script generates the same bytes, and both check their CRC-32 ([`MIXED_CRC32`]).

use std::hint::black_box;
use std::io::{Cursor, Read, Write};

use criterion::{Criterion, criterion_group, criterion_main};
use strata_zip::{Compression, Timestamp, ZipBuilder, ZipReader};
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

const BLOCK: usize = 1 << 20;
const BLOCKS: usize = 64;
const LEVEL: u8 = 6;
const GROUP: &str = "zip deflate 64MiB mixed (level 6)";
const INFLATE: &str = "zip inflate 64MiB mixed (level 6)";
const BUILD: &str = "zip build 64 entries x 1MiB mixed (level 6)";
/// CRC-32 of [`mixed`]'s bytes; `xtask/pybench/zip.py` checks the same value.
const MIXED_CRC32: u32 = 0x3D89_95CD;

/// 64 MiB: even blocks words from a ten-word vocabulary, odd blocks random bytes (xorshift64).
fn mixed() -> Vec<u8> {
    const WORDS: &[&[u8]] = &[
        b"stream ", b"buffer ", b"the ", b"of ", b"zip ", b"bytes ", b"io\n", b"python ", b"rust ",
        b"a ",
    ];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut out = Vec::with_capacity(BLOCK * BLOCKS);
    for block in 0..BLOCKS {
        let end = (block + 1) * BLOCK;
        while out.len() < end {
            if block % 2 == 0 {
                out.extend_from_slice(WORDS[(next() % WORDS.len() as u64) as usize]);
            } else {
                out.extend_from_slice(&next().to_le_bytes());
            }
        }
        out.truncate(end);
    }
    out
}

fn deflate(c: &mut Criterion) {
    let data = mixed();
    let mut check = ZipBuilder::new();
    check
        .add_bytes("mixed.bin", &data[..], Compression::Stored)
        .expect("add");
    let reader = ZipReader::new(check.finish().expect("finish")).expect("read back");
    assert_eq!(
        reader.entries()[0].crc32,
        MIXED_CRC32,
        "the data the Python baseline uses"
    );
    let mut group = c.benchmark_group(GROUP);
    group.sample_size(10);
    group.bench_function("strata", |b| {
        b.iter(|| {
            let mut zip = ZipBuilder::new().fixed_time(Timestamp::DOS_EPOCH);
            zip.add_bytes("mixed.bin", black_box(&data), Compression::Deflated(LEVEL))
                .expect("add");
            zip.finish().expect("finish")
        })
    });
    group.bench_function("zip::ZipWriter", |b| {
        b.iter(|| {
            let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
            let options = SimpleFileOptions::default().compression_level(Some(i64::from(LEVEL)));
            zip.start_file("mixed.bin", options).expect("start");
            zip.write_all(black_box(&data)).expect("write");
            zip.finish().expect("finish").into_inner()
        })
    });
    group.finish();
}

fn build(c: &mut Criterion) {
    let data = mixed();
    let entries = || {
        data.chunks(BLOCK).enumerate().map(|(i, block)| {
            (
                format!("block-{i:02}.bin"),
                block,
                Compression::Deflated(LEVEL),
            )
        })
    };
    let parallel = || {
        let mut zip = ZipBuilder::new().fixed_time(Timestamp::DOS_EPOCH);
        zip.add_many(entries()).expect("add");
        zip.finish().expect("finish")
    };
    let serial = || {
        let mut zip = ZipBuilder::new().fixed_time(Timestamp::DOS_EPOCH);
        for (name, block, compression) in entries() {
            zip.add_bytes(&name, block, compression).expect("add");
        }
        zip.finish().expect("finish")
    };
    assert_eq!(parallel(), serial(), "add_many writes add_bytes's bytes");
    let mut group = c.benchmark_group(BUILD);
    group.sample_size(10);
    group.bench_function("strata", |b| b.iter(|| black_box(parallel())));
    group.bench_function("strata serial", |b| b.iter(|| black_box(serial())));
    group.bench_function("zip::ZipWriter", |b| {
        b.iter(|| {
            let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
            let options = SimpleFileOptions::default()
                .compression_method(CompressionMethod::Deflated)
                .compression_level(Some(i64::from(LEVEL)));
            for (name, block, _) in entries() {
                zip.start_file(name, options).expect("start");
                zip.write_all(black_box(block)).expect("write");
            }
            zip.finish().expect("finish").into_inner()
        })
    });
    group.finish();
}

fn inflate(c: &mut Criterion) {
    let data = mixed();
    let mut zip = ZipBuilder::new().fixed_time(Timestamp::DOS_EPOCH);
    zip.add_bytes("mixed.bin", &data, Compression::Deflated(LEVEL))
        .expect("add");
    let archive = zip.finish().expect("finish");
    let mut group = c.benchmark_group(INFLATE);
    group.sample_size(10);
    group.bench_function("strata", |b| {
        b.iter(|| {
            let mut reader = ZipReader::new(black_box(archive.clone())).expect("open");
            let out = reader.read("mixed.bin").expect("read");
            assert_eq!(out.len(), data.len());
            out
        })
    });
    group.bench_function("zip::ZipArchive", |b| {
        b.iter(|| {
            let mut zip =
                zip::ZipArchive::new(Cursor::new(black_box(archive.clone()))).expect("open");
            let mut file = zip.by_name("mixed.bin").expect("entry");
            let mut out = Vec::with_capacity(file.size() as usize);
            file.read_to_end(&mut out).expect("read");
            assert_eq!(out.len(), data.len());
            out
        })
    });
    group.finish();
}

criterion_group!(benches, build, deflate, inflate);
criterion_main!(benches);
