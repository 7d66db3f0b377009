//! `ObjectWriter`: uploads of every shape leave the store with the whole object or without it,
//! never a partial object, never an unfinished multipart upload.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use bytes::Bytes;
use strata_object::{ObjectError, ObjectWriter, Store, WriteOptions};
use strata_raw::IoBase;

use crate::backends::{Backend, for_each_backend};
use crate::pattern;
use crate::probe::Probe;

/// S3's smallest part (but the last), which moto enforces as S3 does.
const PART: usize = 5 << 20;

/// How the bytes reach the writer.
#[derive(Debug, Clone, Copy)]
enum Feed {
    /// `write_all` in 64 KiB slices.
    Slices,
    /// One `write_bytes` of the whole buffer (the zero-copy path).
    Owned,
    /// `write_all`, then the writer is dropped without `finish`.
    Dropped,
}

/// How a case ends.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Stored,
    Absent,
}

struct Case {
    name: &'static str,
    len: usize,
    part: usize,
    feed: Feed,
    /// The part the store refuses (1-based), if any.
    refuse: Option<usize>,
    want: Outcome,
}

fn check(b: &Backend, case: &Case) {
    let data = pattern(case.len, case.len as u64);
    let probe = Arc::new(Probe::new(Arc::clone(b.store.object_store()), case.refuse));
    let peak = probe.peak();
    let probed = Store::new(probe, Default::default()).expect("store");
    let name = format!("up/{}.bin", case.name);
    let opts = WriteOptions::default()
        .part_size(case.part)
        .and_then(|o| o.max_in_flight(2))
        .expect("options");
    let mut w = ObjectWriter::new(probed, b.store.path(&name), opts);
    let result = match case.feed {
        Feed::Slices => data
            .chunks(64 << 10)
            .try_for_each(|chunk| w.write_all(chunk))
            .and_then(|()| w.finish()),
        Feed::Owned => w
            .write_bytes(Bytes::from(data.clone()))
            .and_then(|()| w.finish()),
        Feed::Dropped => {
            let written = data.chunks(64 << 10).try_for_each(|c| w.write_all(c));
            drop(w);
            written
        }
    };
    let ctx = format!("{} / {}", b.name, case.name);
    match case.want {
        Outcome::Stored => {
            result.unwrap_or_else(|e| panic!("{ctx}: {e}"));
            assert!(
                b.object(&name).as_deref() == Some(&data[..]),
                "{ctx}: stored bytes differ"
            );
        }
        Outcome::Absent => {
            if let Feed::Dropped = case.feed {
                result.unwrap_or_else(|e| panic!("{ctx}: {e}"));
            } else {
                let err = result.expect_err(&ctx);
                assert!(ObjectError::of(&err).is_some(), "{ctx}: untyped {err}");
            }
            assert!(b.object(&name).is_none(), "{ctx}: an object was left");
        }
    }
    assert_eq!(
        b.unfinished_uploads(),
        0,
        "{ctx}: an upload was left unfinished"
    );
    assert!(
        peak.load(Ordering::SeqCst) <= 2,
        "{ctx}: more than 2 parts in flight"
    );
}

#[test]
fn uploads_are_whole_or_absent() {
    let cases = [
        Case {
            name: "empty",
            len: 0,
            part: PART,
            feed: Feed::Slices,
            refuse: None,
            want: Outcome::Stored,
        },
        Case {
            name: "one-part",
            len: PART,
            part: PART,
            feed: Feed::Slices,
            refuse: None,
            want: Outcome::Stored,
        },
        Case {
            name: "one-part-and-a-byte",
            len: PART + 1,
            part: PART,
            feed: Feed::Slices,
            refuse: None,
            want: Outcome::Stored,
        },
        Case {
            name: "many-parts",
            len: 4 * PART + 7,
            part: PART,
            feed: Feed::Slices,
            refuse: None,
            want: Outcome::Stored,
        },
        Case {
            name: "many-parts-zero-copy",
            len: 3 * PART + 1,
            part: PART,
            feed: Feed::Owned,
            refuse: None,
            want: Outcome::Stored,
        },
        Case {
            name: "dropped-mid-upload",
            len: 2 * PART + 3,
            part: PART,
            feed: Feed::Dropped,
            refuse: None,
            want: Outcome::Absent,
        },
        Case {
            name: "first-part-refused",
            len: 3 * PART,
            part: PART,
            feed: Feed::Slices,
            refuse: Some(1),
            want: Outcome::Absent,
        },
        Case {
            name: "third-part-refused",
            len: 5 * PART,
            part: PART,
            feed: Feed::Slices,
            refuse: Some(3),
            want: Outcome::Absent,
        },
        Case {
            name: "last-part-refused",
            len: 2 * PART + 9,
            part: PART,
            feed: Feed::Owned,
            refuse: Some(3),
            want: Outcome::Absent,
        },
    ];
    for_each_backend("uploads", |b| {
        for case in &cases {
            check(b, case);
        }
    });
}

#[test]
fn s3_refuses_small_parts_and_the_upload_is_aborted() {
    // Real S3 (and moto) refuse parts under 5 MiB when the upload completes; the file system and
    // memory accept them. Either way the store ends whole or without the object.
    for_each_backend("small-parts", |b| {
        let want = if b.name == "s3" {
            Outcome::Absent
        } else {
            Outcome::Stored
        };
        let case = Case {
            name: "small-parts",
            len: 10_000,
            part: 1024,
            feed: Feed::Slices,
            refuse: None,
            want,
        };
        check(b, &case);
    });
}

#[test]
fn a_failed_writer_refuses_further_writes() {
    for_each_backend("failed", |b| {
        let probe = Arc::new(Probe::new(Arc::clone(b.store.object_store()), Some(1)));
        let probed = Store::new(probe, Default::default()).expect("store");
        let opts = WriteOptions::default()
            .part_size(PART)
            .and_then(|o| o.max_in_flight(1))
            .expect("options");
        let mut w = ObjectWriter::new(probed, b.store.path("failed.bin"), opts);
        let chunk = vec![1u8; 1 << 20];
        let err = (0..20)
            .find_map(|_| w.write_all(&chunk).err())
            .expect("a write fails once part 1 is refused");
        assert!(
            err.to_string().contains("part 1 refused"),
            "{}: {err}",
            b.name
        );
        let err = w.write(b"more").unwrap_err();
        assert!(matches!(
            ObjectError::of(&err),
            Some(ObjectError::UploadFailed { .. })
        ));
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
        assert!(w.finish().is_err());
        assert!(b.object("failed.bin").is_none());
        assert_eq!(b.unfinished_uploads(), 0, "{}", b.name);
    });
}

#[test]
fn close_completes_and_later_writes_are_refused() {
    for_each_backend("close", |b| {
        let mut w = b.store.create("closed.txt");
        assert!(w.writable().expect("open"));
        w.write_all(b"abc").expect("write");
        w.flush().expect("flush");
        w.close().expect("close");
        w.close().expect("closing twice");
        assert!(w.closed());
        let err = w.write(b"x").unwrap_err();
        assert_eq!(err.to_string(), "I/O operation on closed file.");
        assert_eq!(b.object("closed.txt").as_deref(), Some(&b"abc"[..]));
    });
}

#[test]
fn spooled_contents_upload_without_a_copy() {
    use strata_spool::SpooledIO;
    for_each_backend("spooled", |b| {
        // In memory, then rolled over to a file (uploaded from its memory map, in parts).
        for (limit, len) in [(1 << 20, 1000), (1024, 2 * PART + 5)] {
            let mut spool = SpooledIO::new(limit);
            let data = pattern(len, 11);
            spool.write_all(&data).expect("spool");
            let value = spool.getvalue().expect("getvalue");
            let ptr = value.as_ptr();
            b.store.put_bytes("spooled.bin", value).expect("upload");
            let stored = b.object("spooled.bin").expect("stored");
            assert!(stored == data, "{}: {len} bytes", b.name);
            if b.name == "memory" && len < PART {
                // One PUT of the spool's own bytes: the memory store holds them, not a copy.
                assert_eq!(stored.as_ptr(), ptr);
            }
        }
    });
}
