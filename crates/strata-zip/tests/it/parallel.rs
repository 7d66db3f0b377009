//! `ZipBuilder::add_many`: entries compressed on worker threads give the bytes `add_bytes` gives one
//! entry at a time, across entry counts, sizes, methods and thread counts; Python's `testzip()` reads
//! them; a bad entry fails with the serial path's error, the first in input order; a panic while
//! compressing is an error, not an unwinding.

use std::io;
use std::num::NonZeroUsize;

use proptest::prelude::*;
use strata_zip::{Compression, Timestamp, ZipBuilder, ZipError, ZipReader};

use crate::{python_testzip, text_like};

type Entry = (String, Vec<u8>, Compression);

/// The archive `add_bytes` builds from `entries` one at a time, or its first error.
fn serial(entries: &[Entry]) -> io::Result<bytes::Bytes> {
    let mut zip = ZipBuilder::new().fixed_time(Timestamp::DOS_EPOCH);
    for (name, data, compression) in entries {
        zip.add_bytes(name, data, *compression)?;
    }
    zip.finish()
}

/// The archive `add_many` builds from `entries` on `threads` workers (the default when `None`).
fn parallel(entries: &[Entry], threads: Option<usize>) -> io::Result<bytes::Bytes> {
    let mut zip = ZipBuilder::new().fixed_time(Timestamp::DOS_EPOCH);
    if let Some(threads) = threads {
        zip = zip.threads(NonZeroUsize::new(threads).expect("at least one thread"));
    }
    zip.add_many(entries.iter().map(|(name, data, c)| (name, data, *c)))?;
    zip.finish()
}

/// Whether Python's `zipfile` (3.11) reads every entry's method.
fn python_reads(entries: &[Entry]) -> bool {
    entries.iter().all(|(_, _, c)| match c {
        Compression::Stored | Compression::Deflated(_) => true,
        #[cfg(feature = "bzip2")]
        Compression::Bzip2(_) => true,
        _ => false,
    })
}

/// `add_many` on 1, 2, 3 and the default number of threads writes exactly `serial`'s bytes, which
/// read back (and pass Python's `testzip()` when it knows the methods).
fn check(what: &str, entries: &[Entry]) {
    let want = serial(entries).unwrap_or_else(|err| panic!("{what}: serial: {err}"));
    for threads in [Some(1), Some(2), Some(3), None] {
        let got = parallel(entries, threads)
            .unwrap_or_else(|err| panic!("{what}: {threads:?} threads: {err}"));
        assert!(got == want, "{what}: {threads:?} threads: the bytes differ");
    }
    let mut reader = ZipReader::new(want.clone()).expect("read back");
    for (name, data, _) in entries {
        assert_eq!(reader.read(name).expect(name), &data[..], "{what}: {name}");
    }
    if python_reads(entries) {
        let listed = python_testzip(&want);
        assert_eq!(listed.len(), entries.len(), "{what}");
    }
}

/// Every compression this build has, at a low and a high level where it has levels.
fn compressions() -> Vec<Compression> {
    vec![
        Compression::Stored,
        Compression::Deflated(1),
        Compression::DEFAULT,
        Compression::Deflated(9),
        #[cfg(feature = "bzip2")]
        Compression::Bzip2(1),
        #[cfg(feature = "bzip2")]
        Compression::Bzip2(9),
        #[cfg(feature = "zstd")]
        Compression::Zstd(1),
        #[cfg(feature = "zstd")]
        Compression::Zstd(3),
        #[cfg(feature = "xz")]
        Compression::Xz,
    ]
}

/// Entry data: empty, tiny, text and random bytes larger than deflate's 32 KiB window and the
/// compressors' buffers.
fn sizes() -> Vec<(&'static str, Vec<u8>)> {
    // Incompressible: deflate stores it in stored blocks.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let random = (0..70_000 / 8)
        .flat_map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_le_bytes()
        })
        .collect();
    vec![
        ("empty", Vec::new()),
        ("tiny", b"x".to_vec()),
        ("small", text_like(700, 1)),
        ("text 100k", text_like(100_000, 2)),
        ("binary 70k", random),
    ]
}

#[test]
fn parallel_bytes_equal_serial_bytes() {
    let sizes = sizes();
    let compressions = compressions();
    check("no entries", &[]);
    for compression in &compressions {
        for (size, data) in &sizes {
            let one = [("only.bin".to_owned(), data.clone(), *compression)];
            check(&format!("one {size} entry, {compression:?}"), &one);
        }
    }
    // Many entries, more than any window: every size and method, interleaved, in directories.
    let many: Vec<Entry> = (0..2)
        .flat_map(|round| {
            let sizes = &sizes;
            compressions
                .iter()
                .enumerate()
                .flat_map(move |(c, compression)| {
                    sizes.iter().map(move |(size, data)| {
                        let name = format!("r{round}/c{c}/{}.bin", size.replace(' ', "_"));
                        (name, data.clone(), *compression)
                    })
                })
        })
        .collect();
    assert!(
        many.len() >= 40,
        "far more than the 2 entries per thread in flight"
    );
    check(&format!("{} mixed entries", many.len()), &many);
}

#[test]
fn parallel_errors_are_the_serial_errors_first_in_input_order() {
    let ok = |name: &str| (name.to_owned(), text_like(5000, 9), Compression::DEFAULT);
    let bad_name = || ("../up.txt".to_owned(), Vec::new(), Compression::Stored);
    let bad_level = || {
        (
            "level.txt".to_owned(),
            b"x".to_vec(),
            Compression::Deflated(10),
        )
    };
    let cases: Vec<(&str, Vec<Entry>, &str)> = vec![
        (
            "invalid name first",
            vec![bad_name(), ok("a")],
            "'..' component",
        ),
        (
            "directory name",
            vec![
                ok("a"),
                ("dir/".to_owned(), Vec::new(), Compression::Stored),
            ],
            "cannot end with '/'",
        ),
        (
            "invalid level",
            vec![ok("a"), ok("b"), bad_level()],
            "compression level 10",
        ),
        (
            "duplicate",
            vec![ok("a"), ok("b"), ok("a")],
            "cannot add entry \"a\"",
        ),
        (
            "duplicate before an invalid name",
            vec![ok("a"), ok("a"), bad_name(), bad_level()],
            "cannot add entry \"a\"",
        ),
        (
            "invalid level before a duplicate, far into the input",
            (0..20)
                .map(|i| ok(&format!("{i}")))
                .chain([bad_level(), ok("3"), bad_name()])
                .collect(),
            "compression level 10",
        ),
    ];
    for (what, entries, want) in cases {
        let serial = serial(&entries).expect_err(what);
        assert!(serial.to_string().contains(want), "{what}: {serial}");
        for threads in [Some(1), Some(2), Some(4), None] {
            let err = parallel(&entries, threads).expect_err(what);
            assert_eq!(err.kind(), serial.kind(), "{what}: {err}");
            assert_eq!(err.to_string(), serial.to_string(), "{what}");
            let same_variant = match (ZipError::of(&err), ZipError::of(&serial)) {
                (
                    Some(ZipError::InvalidName { name: a, .. }),
                    Some(ZipError::InvalidName { name: b, .. }),
                ) => a == b,
                (Some(ZipError::InvalidLevel(a)), Some(ZipError::InvalidLevel(b))) => a == b,
                (None, None) => true,
                _ => false,
            };
            assert!(same_variant, "{what}: {err:?} vs {serial:?}");
        }
    }
}

/// Data whose `AsRef` panics: a bug in the caller's type, met on a worker thread.
struct Exploding;

impl AsRef<[u8]> for Exploding {
    fn as_ref(&self) -> &[u8] {
        panic!("exploding data")
    }
}

/// Data that is fine, or [`Exploding`].
enum Data {
    Fine(Vec<u8>),
    Exploding(Exploding),
}

impl AsRef<[u8]> for Data {
    fn as_ref(&self) -> &[u8] {
        match self {
            Data::Fine(data) => data,
            Data::Exploding(exploding) => exploding.as_ref(),
        }
    }
}

#[test]
fn a_panic_on_a_worker_is_an_error() {
    let entries = || {
        (0..12).map(|i| {
            let data = if i == 5 {
                Data::Exploding(Exploding)
            } else {
                Data::Fine(text_like(20_000, i))
            };
            (format!("{i}.txt"), data, Compression::DEFAULT)
        })
    };
    for threads in [1, 2, 4] {
        let threads = NonZeroUsize::new(threads).expect("not zero");
        let mut zip = ZipBuilder::new().threads(threads);
        let err = zip.add_many(entries()).expect_err("a panicking entry");
        assert_eq!(err.kind(), io::ErrorKind::Other, "{err}");
        let Some(ZipError::WorkerPanicked { index, message }) = ZipError::of(&err) else {
            panic!("not a worker panic: {err:?}");
        };
        assert_eq!((*index, message.as_str()), (5, "exploding data"));
        assert_eq!(
            err.to_string(),
            "compressing entry 5 (counting from 0) panicked: exploding data"
        );

        // An earlier error in input order wins over the panic.
        let mut zip = ZipBuilder::new().threads(threads);
        let bad = (
            "../x".to_owned(),
            Data::Fine(Vec::new()),
            Compression::Stored,
        );
        let err = zip
            .add_many(entries().take(3).chain([bad]).chain(entries().skip(3)))
            .expect_err("a bad name");
        assert!(
            matches!(ZipError::of(&err), Some(ZipError::InvalidName { name, .. }) if name == "../x"),
            "{err:?}"
        );
    }
}

#[test]
fn add_many_after_add_bytes_and_twice_continues_the_archive() -> io::Result<()> {
    let entries: Vec<Entry> = (0..9)
        .map(|i| {
            (
                format!("{i}.txt"),
                text_like(3000 * i, i as u64),
                Compression::DEFAULT,
            )
        })
        .collect();
    let want = serial(&entries)?;
    let mut zip = ZipBuilder::new().fixed_time(Timestamp::DOS_EPOCH);
    zip.add_bytes(&entries[0].0, &entries[0].1, entries[0].2)?;
    zip.add_many(entries[1..5].iter().map(|(n, d, c)| (n, d, *c)))?;
    zip.add_many(entries[5..8].iter().map(|(n, d, c)| (n, d, *c)))?;
    zip.add_bytes(&entries[8].0, &entries[8].1, entries[8].2)?;
    assert_eq!(zip.finish()?, want);
    Ok(())
}

fn compression() -> impl Strategy<Value = Compression> {
    prop_oneof![
        Just(Compression::Stored),
        (1u8..=9).prop_map(Compression::Deflated),
        Just(Compression::Deflated(0)),
    ]
}

/// Up to 12 entries; names from a small set, so duplicates and a bad name happen.
fn entries() -> impl Strategy<Value = Vec<Entry>> {
    let name = prop_oneof![
        8 => "[a-e]{1,2}(/[a-c]){0,1}",
        1 => Just("../bad".to_owned()),
    ];
    let data = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..3000),
        (0usize..40_000, any::<u64>()).prop_map(|(len, seed)| text_like(len, seed)),
    ];
    proptest::collection::vec((name, data, compression()), 0..12)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn parallel_equals_serial(entries in entries(), threads in 1usize..5) {
        match (serial(&entries), parallel(&entries, Some(threads))) {
            (Ok(want), Ok(got)) => prop_assert!(got == want, "the bytes differ"),
            (Err(want), Err(got)) => {
                prop_assert_eq!(got.kind(), want.kind());
                prop_assert_eq!(got.to_string(), want.to_string());
            }
            (want, got) => prop_assert!(false, "serial {:?}, parallel {:?}", want.map(drop), got.map(drop)),
        }
    }
}
