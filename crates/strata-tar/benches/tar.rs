//! TAR writing, 1 GiB of 100 KiB entries into a sink (criterion; run by `cargo xtask bench`).
//!
//! One group: `strata` is [`TarBuilder::add_bytes`], `tar::Builder` is the `tar` crate used directly
//! the way its documentation shows (`append_data` with a GNU header), and `xtask/pybench/tar.py` adds
//! `CPython tarfile` (`addfile` into a `BytesIO`) on the same bytes. The sink is a `Vec` whose
//! capacity is kept between iterations, so that what is measured is the archive's writing rather than
//! the allocator's page faults. The payload is 100 KiB of xorshift64 bytes; both sides check its
//! CRC-32 ([`PAYLOAD_CRC32`]).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use strata_tar::{Attrs, Compression, TarBuilder};

const ENTRY: usize = 100 << 10;
const ENTRIES: usize = (1 << 30) / ENTRY;
const GROUP: &str = "tar write 1GiB of 100KiB entries";
/// CRC-32 of [`payload`]'s bytes; `xtask/pybench/tar.py` checks the same value.
const PAYLOAD_CRC32: u32 = 0x4A6A_CF5F;

/// 100 KiB of xorshift64 output, little-endian.
fn payload() -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut out = Vec::with_capacity(ENTRY);
    while out.len() < ENTRY {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out
}

/// Entry `i`'s name, as the Python baseline spells it.
fn name(i: usize) -> String {
    format!("{i:06}.bin")
}

fn write(c: &mut Criterion) {
    let data = payload();
    assert_eq!(
        crc32(&data),
        PAYLOAD_CRC32,
        "the data the Python baseline uses"
    );

    let mut sink: Vec<u8> = Vec::with_capacity(ENTRIES * (ENTRY + 512) + 1024);
    let mut group = c.benchmark_group(GROUP);
    group.sample_size(10);
    group.bench_function("strata", |b| {
        b.iter(|| {
            sink.clear();
            let mut tar = TarBuilder::on_sink(&mut sink, Compression::None).expect("builder");
            for i in 0..ENTRIES {
                tar.add_bytes(&name(i), black_box(&data), Attrs::default())
                    .expect("add");
            }
            tar.finish_sink().expect("finish").len()
        })
    });
    group.bench_function("tar::Builder", |b| {
        b.iter(|| {
            sink.clear();
            let mut tar = tar::Builder::new(&mut sink);
            for i in 0..ENTRIES {
                let mut header = tar::Header::new_gnu();
                header.set_size(ENTRY as u64);
                header.set_mode(0o644);
                header.set_mtime(0);
                tar.append_data(&mut header, name(i), black_box(&data[..]))
                    .expect("append");
            }
            tar.into_inner().expect("finish").len()
        })
    });
    group.finish();
}

/// CRC-32 (IEEE), bitwise: only used once, on 100 KiB.
fn crc32(bytes: &[u8]) -> u32 {
    !bytes.iter().fold(!0u32, |crc, &b| {
        (0..8).fold(crc ^ u32::from(b), |crc, _| {
            (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg())
        })
    })
}

criterion_group!(benches, write);
criterion_main!(benches);
