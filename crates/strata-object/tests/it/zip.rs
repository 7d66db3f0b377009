//! Archives on a store: a ZIP's central directory and one entry cost a bounded number of range
//! requests, never the whole archive (strata-zip's `ZipReader` over an `ObjectReader`); a TAR
//! dataset shard streams through strata-tar's `ShardReader` with memory bounded by one sample.

use std::io::{Cursor, Read, Write};

use bytes::Bytes;
use strata_tar::{Sample, ShardReader, ShardSink, ShardWriter};
use strata_zip::ZipReader;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

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
        let count = ZipReader::from_reader(&mut reader)
            .expect("central directory")
            .entries()
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
        let mut zip = ZipReader::from_reader(reader).expect("central directory");

        let mut text = String::new();
        zip.open("notes/0150.txt")
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

#[test]
fn a_dataset_shard_streams_from_a_store() {
    let samples: Vec<Sample> = (0..40)
        .map(|i| {
            let mut sample = Sample::new(format!("{i:06}"));
            sample
                .files
                .insert("bin".into(), Bytes::from(pattern(100_000 + i, i as u64)));
            sample
                .files
                .insert("json".into(), Bytes::from(format!("{{\"index\": {i}}}")));
            sample
        })
        .collect();
    for_each_backend("tar", |b| {
        // Written straight to the store: each shard is an `ObjectWriter`, finished when complete.
        let mut writer = ShardWriter::new("dataset", ToStore(&b.store));
        for sample in &samples {
            writer.write(sample).expect("sample");
        }
        assert_eq!(writer.finish().expect("finish"), ["dataset-000000.tar"]);
        let reader = b.store.open("dataset-000000.tar").expect("open");
        let got: Vec<Sample> = ShardReader::new(reader)
            .expect("shard")
            .collect::<std::io::Result<_>>()
            .expect("samples");
        assert_eq!(got, samples, "{}", b.name);
    });
}

/// Shards go to the store as they are written.
struct ToStore<'a>(&'a strata_object::Store);

impl ShardSink for ToStore<'_> {
    type Writer = strata_object::ObjectWriter;

    fn create(&mut self, name: &str) -> std::io::Result<Self::Writer> {
        Ok(self.0.create(name))
    }

    fn complete(&mut self, _name: &str, writer: Self::Writer) -> std::io::Result<()> {
        writer.finish()
    }
}
