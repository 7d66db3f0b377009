//! Shards: a proptest round trip over random samples, limits and read sizes; the errors for samples
//! split across shards, keys out of order, duplicates and foreign entries; `tarfile` reading a shard.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::{Arc, Mutex};

use proptest::prelude::*;
use strata_tar::{Attrs, Sample, ShardReader, ShardSink, ShardWriter, TarBuilder, TarError};

use crate::python_members;

/// Shards kept in memory, by name.
#[derive(Clone, Default)]
struct Memory(Arc<Mutex<BTreeMap<String, Vec<u8>>>>);

impl ShardSink for Memory {
    type Writer = Vec<u8>;

    fn create(&mut self, _name: &str) -> io::Result<Vec<u8>> {
        Ok(Vec::new())
    }

    fn complete(&mut self, name: &str, writer: Vec<u8>) -> io::Result<()> {
        let mut shards = self.0.lock().expect("lock");
        assert!(
            shards.insert(name.to_owned(), writer).is_none(),
            "{name} twice"
        );
        Ok(())
    }
}

impl Memory {
    fn shards(&self) -> BTreeMap<String, Vec<u8>> {
        self.0.lock().expect("lock").clone()
    }
}

/// A reader that returns at most the next of `sizes` bytes per call, cycling.
struct Chunked<'a> {
    data: &'a [u8],
    sizes: Vec<usize>,
    at: usize,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let size = self.sizes[self.at % self.sizes.len()];
        self.at += 1;
        let n = buf.len().min(size).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

fn samples() -> impl Strategy<Value = Vec<Sample>> {
    let file = (
        prop::sample::select(vec!["wav", "png", "json", "seg.png", "cls"]),
        prop::collection::vec(any::<u8>(), 0..1500),
    );
    let sample = (
        prop::option::of("[a-z]{1,3}/"),
        prop::collection::btree_map(file.prop_map(|f| f.0), any::<u8>(), 1..4),
        prop::collection::vec(prop::collection::vec(any::<u8>(), 0..1500), 4),
    );
    prop::collection::vec(sample, 0..12).prop_map(|raw| {
        raw.into_iter()
            .enumerate()
            .map(|(i, (dir, extensions, datas))| {
                let mut sample = Sample::new(format!("{}{i:06}", dir.unwrap_or_default()));
                for ((extension, _), data) in extensions.into_iter().zip(datas) {
                    sample.files.insert(extension.to_owned(), data.into());
                }
                sample
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn shards_round_trip(
        samples in samples(),
        max_samples in 1usize..5,
        max_size in 1024u64..8192,
        sizes in prop::collection::vec(1usize..5000, 1..6),
    ) {
        let memory = Memory::default();
        let mut writer = ShardWriter::new("set", memory.clone())
            .max_samples(max_samples)
            .max_size(max_size);
        for sample in &samples {
            writer.write(sample).expect("write");
        }
        let names = writer.finish().expect("finish");
        let shards = memory.shards();
        prop_assert_eq!(&names, &shards.keys().cloned().collect::<Vec<_>>());
        for (i, name) in names.iter().enumerate() {
            prop_assert_eq!(name, &format!("set-{i:06}.tar"));
        }
        let mut read = Vec::new();
        let mut reader: Option<ShardReader<Chunked<'_>>> = None;
        for shard in shards.values() {
            let source = Chunked { data: shard, sizes: sizes.clone(), at: 0 };
            let mut next = match reader.take() {
                None => ShardReader::new(source).expect("reader"),
                Some(previous) => previous.next_shard(source).expect("next shard"),
            };
            let mut in_shard = 0;
            while let Some(sample) = next.next_sample().expect("sample") {
                read.push(sample);
                in_shard += 1;
            }
            prop_assert!(in_shard >= 1 && in_shard <= max_samples);
            reader = Some(next);
        }
        prop_assert_eq!(read, samples);
    }
}

/// A shard holding entries named `names`, each with one byte.
fn shard(names: &[&str]) -> Vec<u8> {
    let mut tar = TarBuilder::new();
    for name in names {
        tar.add_bytes(name, b"x", Attrs::default()).expect("add");
    }
    tar.finish().expect("finish").to_vec()
}

/// The error expected: the variant's name and a fragment of the message.
type Want = (&'static str, &'static str);

/// Reads `shards` in sequence to the first error, and checks it against `want` (variant's name and
/// a fragment of the message).
fn check(shards: &[Vec<u8>], want: Want) {
    let read = || -> io::Result<usize> {
        let mut count = 0;
        let mut reader: Option<ShardReader<&[u8]>> = None;
        for shard in shards {
            let mut next = match reader.take() {
                None => ShardReader::new(&shard[..])?,
                Some(previous) => previous.next_shard(&shard[..])?,
            };
            for sample in next.by_ref() {
                sample?;
                count += 1;
            }
            reader = Some(next);
        }
        Ok(count)
    };
    let err = read().expect_err(want.0);
    let typed = TarError::of(&err).unwrap_or_else(|| panic!("untyped {err}"));
    let name = match typed {
        TarError::SampleSplit { .. } => "SampleSplit",
        TarError::KeyOutOfOrder { .. } => "KeyOutOfOrder",
        TarError::DuplicateFile { .. } => "DuplicateFile",
        TarError::NotASampleFile { .. } => "NotASampleFile",
        _ => "other",
    };
    assert_eq!(
        (name, err.kind()),
        (want.0, io::ErrorKind::InvalidData),
        "{err}"
    );
    assert!(err.to_string().contains(want.1), "{err} lacks {:?}", want.1);
}

#[test]
fn bad_shards_fail_as_the_table_says() {
    let table: Vec<(Vec<Vec<u8>>, Want)> = vec![
        (
            vec![shard(&["a.txt", "b.txt"]), shard(&["b.cls", "c.txt"])],
            ("SampleSplit", "sample \"b\" continues from one shard"),
        ),
        (
            vec![shard(&["a.txt", "b.txt", "a.cls"])],
            ("KeyOutOfOrder", "sample \"a\" appears again after sample \"b\""),
        ),
        (
            vec![shard(&["a.txt", "b.txt"]), shard(&["c.txt", "a.cls"])],
            ("KeyOutOfOrder", "\"a\" appears again after sample \"c\""),
        ),
        (
            vec![shard(&["a.txt", "b.txt"]), shard(&["a.cls"])],
            ("KeyOutOfOrder", "\"a\" appears again after sample \"b\""),
        ),
        (
            vec![shard(&["a.txt", "a/b.txt", "README"])],
            ("NotASampleFile", "\"README\" is not a sample file: the name has no extension"),
        ),
        (
            vec![shard(&["a.txt", ".hidden"])],
            ("NotASampleFile", "no extension"),
        ),
        (
            vec![[
                crate::python(
                    "import io, sys, tarfile\nb = io.BytesIO()\n\
                     with tarfile.open(fileobj=b, mode='w') as t:\n    \
                         i = tarfile.TarInfo('a.lnk'); i.type = tarfile.SYMTYPE; i.linkname = 'x'\n    \
                         t.addfile(i)\n\
                     sys.stdout.buffer.write(b.getvalue())\n",
                    b"",
                ),
            ]
            .concat()],
            ("NotASampleFile", "not a regular file"),
        ),
    ];
    for (shards, want) in table {
        check(&shards, want);
    }
    // A name twice in one sample cannot come from TarBuilder (it refuses duplicates): from tarfile.
    let twice = crate::python(
        "import io, sys, tarfile\nb = io.BytesIO()\n\
         with tarfile.open(fileobj=b, mode='w') as t:\n    \
             for n in ['a.txt', 'a.txt']:\n        \
                 i = tarfile.TarInfo(n); i.size = 1; t.addfile(i, io.BytesIO(b'x'))\n\
         sys.stdout.buffer.write(b.getvalue())\n",
        b"",
    );
    check(
        &[twice],
        ("DuplicateFile", "sample \"a\" has two \"txt\" files"),
    );
}

#[test]
fn the_writer_refuses_samples_that_would_not_read_back() {
    let sample = |key: &str, extensions: &[&str]| {
        let mut sample = Sample::new(key);
        for extension in extensions {
            sample.files.insert((*extension).to_owned(), "x".into());
        }
        sample
    };
    let table: &[(Sample, &str)] = &[
        (sample("a.b", &["txt"]), "does not split into this key"),
        (sample("", &["txt"]), "does not split into this key"),
        (sample("k", &[""]), "does not split into this key"),
        (sample("k", &["a/b"]), "the extension contains a '/'"),
        (sample("../k", &["txt"]), "'..' component"),
        (sample("k", &[]), "the sample has no files"),
        (
            sample("first", &["txt"]),
            "sample \"first\" appears again after sample \"first\"",
        ),
    ];
    let mut writer = ShardWriter::new("d", Memory::default());
    writer.write(&sample("first", &["txt"])).expect("first");
    for (sample, want) in table {
        let err = writer.write(sample).expect_err(want);
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{err}");
        assert!(err.to_string().contains(want), "{err} lacks {want:?}");
    }
    assert_eq!(writer.finish().expect("finish"), ["d-000000.tar"]);
}

#[test]
fn a_sample_larger_than_max_size_gets_a_shard_of_its_own() {
    let memory = Memory::default();
    let mut writer = ShardWriter::new("d", memory.clone()).max_size(2048);
    for (key, len) in [("a", 100), ("b", 10_000), ("c", 100)] {
        let mut sample = Sample::new(key);
        sample.files.insert("bin".into(), vec![1u8; len].into());
        writer.write(&sample).expect("write");
    }
    assert_eq!(writer.finish().expect("finish").len(), 3);
    for shard in memory.shards().values() {
        assert_eq!(ShardReader::new(&shard[..]).expect("reader").count(), 1);
    }
}

#[test]
fn tarfile_reads_a_shard() {
    let memory = Memory::default();
    let mut writer = ShardWriter::new("d", memory.clone());
    let mut sample = Sample::new("dir/000001");
    sample.files.insert("wav".into(), vec![1u8; 3000].into());
    sample.files.insert("seg.png".into(), vec![2u8; 10].into());
    writer.write(&sample).expect("write");
    writer.finish().expect("finish");
    let members = python_members(&memory.shards()["d-000000.tar"]);
    let names: Vec<_> = members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["dir/000001.seg.png", "dir/000001.wav"]);
    assert_eq!(members[1].data, vec![1u8; 3000]);
}
