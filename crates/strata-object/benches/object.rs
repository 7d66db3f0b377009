//! `ObjectReader` and `ObjectWriter` against `object_store`'s own buffered reader, on the loopback
//! S3 server (criterion; run by `cargo xtask bench`, or `cargo xtask with-s3 cargo bench -p
//! strata-object`, which start the server).
//!
//! Besides the criterion group it prints two measurements: the peak heap held while streaming a ZIP
//! upload through `ObjectWriter` (a counting global allocator), and the requests that reading one
//! entry of that ZIP back takes.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::io::{self, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use object_store::ObjectStoreExt;
use object_store::buffered::BufReader;
use strata_object::{ObjectWriter, Store, WriteOptions};

/// The object read sequentially: 64 MiB.
const LEN: usize = 64 << 20;
/// The streamed upload: 256 MiB in 1 MiB writes, unless `STRATA_BENCH_UPLOAD_MIB` says otherwise.
const UPLOAD: usize = 256 << 20;

/// The system allocator, counting the bytes live and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to `System`, which upholds `GlobalAlloc`'s contract; the
// counters are plain atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's `layout` contract is `System::alloc`'s.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `alloc` above with this `layout`.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The S3 store of the loopback server; the bench cannot run without it.
fn s3() -> Store {
    let url = std::env::var("STRATA_TEST_S3_URL").unwrap_or_else(|_| {
        panic!(
            "STRATA_TEST_S3_URL is not set: run through `cargo xtask bench` or \
             `cargo xtask with-s3 cargo bench -p strata-object`, which start the S3 test server"
        )
    });
    Store::from_url(&format!("{url}/bench")).expect("s3 store")
}

fn read_sequential(c: &mut Criterion) {
    let store = s3();
    let data: Vec<u8> = (0..LEN).map(|i| (i * 31 % 251) as u8).collect();
    store
        .put_bytes("seq.bin", data.into())
        .expect("upload the object");
    let inner = Arc::clone(store.object_store());
    let path = store.path("seq.bin");
    // The baseline's runtime: one worker, as the store's own.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let meta = rt.block_on(inner.head(&path)).expect("head");

    let mut group = c.benchmark_group("object read 64MiB sequentially (loopback S3)");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(LEN as u64));
    group.bench_function("strata", |b| {
        b.iter(|| {
            let mut reader = store.open("seq.bin").expect("open");
            let n = io::copy(&mut reader, &mut io::sink()).expect("read");
            assert_eq!(n, LEN as u64);
        })
    });
    for (name, capacity) in [
        ("object_store BufReader (1 MiB, its default)", 1 << 20),
        ("object_store BufReader (8 MiB)", 8 << 20),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                rt.block_on(async {
                    let mut reader = BufReader::with_capacity(Arc::clone(&inner), &meta, capacity);
                    let n = tokio::io::copy(&mut reader, &mut tokio::io::sink())
                        .await
                        .expect("read");
                    assert_eq!(n, LEN as u64);
                })
            })
        });
    }
    group.finish();
    upload_peak_memory(&store);
}

/// Streams a ZIP of `UPLOAD_MIB` MiB (one big stored entry, then small ones; `zip`'s streaming
/// writer, so nothing seeks) through an `ObjectWriter` with the default options and prints the peak
/// heap it took, next to the writer's bound; then reads one small entry back through `ZipArchive`
/// over an `ObjectReader` and prints the requests and bytes that took.
fn upload_peak_memory(store: &Store) {
    let mib: usize = std::env::var("STRATA_BENCH_UPLOAD_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(UPLOAD >> 20);
    let chunk = vec![0x5au8; 1 << 20];
    let opts = WriteOptions::default();
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let w = ObjectWriter::new(store.clone(), store.path("big.zip"), opts);
    let mut zip = zip::ZipWriter::new_stream(w);
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    zip.start_file("big.bin", stored).expect("start");
    for _ in 0..mib {
        zip.write_all(black_box(&chunk)).expect("write");
    }
    for i in 0..100 {
        zip.start_file(format!("small/{i:03}.txt"), stored)
            .expect("start");
        write!(zip, "small entry {i}").expect("write");
    }
    let w = zip.finish().expect("zip").into_inner();
    w.finish().expect("finish");
    let peak = PEAK.load(Ordering::Relaxed) - before;
    println!(
        "object upload of a {mib} MiB ZIP streamed: peak heap {:.1} MiB (bound: part size x (parts in flight + 1) = {} MiB)",
        peak as f64 / (1 << 20) as f64,
        opts.memory_bound() >> 20
    );

    let reader = store.open("big.zip").expect("open");
    let size = reader.size();
    let mut archive = zip::ZipArchive::new(reader).expect("central directory");
    let mut text = String::new();
    archive
        .by_name("small/042.txt")
        .expect("entry")
        .read_to_string(&mut text)
        .expect("read");
    assert_eq!(text, "small entry 42");
    let stats = archive.into_inner().stats();
    println!(
        "one entry of the {size}-byte ZIP: {} requests (HEAD included), {} bytes fetched",
        stats.requests, stats.bytes
    );
}

criterion_group!(benches, read_sequential);
criterion_main!(benches);
