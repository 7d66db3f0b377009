//! A ZIP archive on a store: the central directory and one entry cost a bounded number of range
//! requests, never the whole archive.

use std::io::{Cursor, Read, Write};

use bytes::Bytes;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::backends::for_each_backend;
use crate::pattern;

/// An archive of `count` small text entries and one `big` stored entry of `big_len` bytes in the
/// middle.
fn archive(count: usize, big_len: usize) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for i in 0..count {
        if i == count / 2 {
            zip.start_file("big.bin", stored).expect("start");
            zip.write_all(&pattern(big_len, 5)).expect("write");
        }
        zip.start_file(format!("notes/{i:04}.txt"), deflated)
            .expect("start");
        write!(zip, "entry {i}: {}", "text ".repeat(i % 50)).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

#[test]
fn one_entry_of_a_remote_zip_costs_a_bounded_number_of_requests() {
    let bytes = archive(200, 8 << 20);
    for_each_backend("zip", |b| {
        b.store
            .put_bytes("bundle.zip", Bytes::from(bytes.clone()))
            .expect("upload");
        let mut reader = b.store.open("bundle.zip").expect("open");
        let count = ZipArchive::new(&mut reader)
            .expect("central directory")
            .len();
        assert_eq!(count, 201, "{}", b.name);
        let listing = reader.stats();
        // HEAD + one tail block that holds the end record and the whole directory.
        assert!(
            listing.requests <= 2,
            "{}: listing took {listing:?}",
            b.name
        );

        // Parsing the directory again is served from the reader's window.
        let mut zip = ZipArchive::new(reader).expect("central directory");

        let mut text = String::new();
        zip.by_name("notes/0150.txt")
            .expect("entry")
            .read_to_string(&mut text)
            .expect("read entry");
        assert!(text.starts_with("entry 150: "), "{}: {text:?}", b.name);
        let stats = zip.into_inner().stats();
        assert!(stats.requests <= 4, "{}: {stats:?}", b.name);
        assert!(
            stats.bytes < bytes.len() as u64 / 20,
            "{}: fetched {} of {} bytes",
            b.name,
            stats.bytes,
            bytes.len()
        );
    });
}
