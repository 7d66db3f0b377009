//! Round trips with proptest: whatever entries go in come back out, through memory and through a stream.

use proptest::prelude::*;
use strata_zip::{Compression, EntryKind, Method, Timestamp, ZipBuilder, ZipReader, ZipStream};

fn compression() -> impl Strategy<Value = Compression> {
    prop_oneof![
        Just(Compression::Stored),
        (1u8..=9).prop_map(Compression::Deflated)
    ]
}

/// Up to 6 entries with distinct safe names and mixed contents.
fn entries() -> impl Strategy<Value = Vec<(String, Vec<u8>, Compression)>> {
    let data = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..2000),
        (0usize..5000, any::<u64>()).prop_map(|(len, seed)| crate::text_like(len, seed)),
    ];
    proptest::collection::btree_map(
        "[a-z]{1,8}(/[a-z0-9_-][a-z0-9_.-]{0,7}){0,2}",
        (data, compression()),
        0..6,
    )
    .prop_map(|m| {
        m.into_iter()
            .map(|(name, (data, c))| (name, data, c))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn entries_round_trip(entries in entries(), streamed in any::<bool>()) {
        let archive = if streamed {
            let mut zip = ZipStream::new(Vec::new()).fixed_time(Timestamp::DOS_EPOCH);
            for (name, data, c) in &entries {
                zip.add_reader(name, data.as_slice(), *c)?;
            }
            bytes::Bytes::from(zip.finish()?)
        } else {
            let mut zip = ZipBuilder::new().fixed_time(Timestamp::DOS_EPOCH);
            for (name, data, c) in &entries {
                zip.add_bytes(name, data, *c)?;
            }
            zip.finish()?
        };
        let mut reader = ZipReader::new(archive)?;
        let listed = reader.entries().to_vec();
        prop_assert_eq!(listed.len(), entries.len());
        for ((name, data, c), entry) in entries.iter().zip(&listed) {
            prop_assert_eq!(&entry.name, name);
            prop_assert_eq!(entry.kind, EntryKind::File);
            prop_assert_eq!(entry.size, data.len() as u64);
            let method = if *c == Compression::Stored { Method::Stored } else { Method::Deflated };
            prop_assert_eq!(entry.method, method);
            prop_assert_eq!(&reader.read(name)?[..], &data[..]);
        }
    }
}
