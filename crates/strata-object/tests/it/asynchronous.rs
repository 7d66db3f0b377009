//! The async traits (feature `tokio`): the same reads and uploads, awaited from a runtime thread,
//! where the blocking API refuses to run.

use std::io::SeekFrom;

use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

use crate::backends::for_each_backend;
use crate::pattern;

#[test]
fn async_reads_and_uploads_match_the_blocking_ones() {
    let data = pattern((5 << 20) * 2 + 123, 9);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    for_each_backend("async", |b| {
        let path = b.store.path("async.bin");
        let opts = strata_object::WriteOptions::default()
            .part_size(5 << 20)
            .expect("options");
        let mut w = strata_object::ObjectWriter::new(b.store.clone(), path.clone(), opts);
        rt.block_on(async {
            for chunk in data.chunks(100_000) {
                w.write_all(chunk).await.expect("write");
            }
            w.shutdown().await.expect("complete");
        });
        assert!(
            b.object("async.bin").as_deref() == Some(&data[..]),
            "{}",
            b.name
        );
        assert_eq!(b.unfinished_uploads(), 0, "{}", b.name);

        // `open` blocks (one HEAD): done outside the runtime, then everything else awaited in it.
        let mut r = b.store.open("async.bin").expect("open");
        rt.block_on(async {
            let mut all = Vec::new();
            r.read_to_end(&mut all).await.expect("read");
            assert!(all == data, "{}: async read differs", b.name);
            let at = r.seek(SeekFrom::End(-10)).await.expect("seek");
            assert_eq!(at, data.len() as u64 - 10);
            let mut tail = Vec::new();
            r.read_to_end(&mut tail).await.expect("read tail");
            assert_eq!(tail, &data[data.len() - 10..], "{}", b.name);
        });
    });
}
