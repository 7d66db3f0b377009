//! Reading from a stream: what a listing and an entry read from the stream (through a counting
//! reader), streaming entries in pieces of any size, and the CRC checked at the end of the entry.

use std::io::{self, Cursor, Read, Seek, SeekFrom};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use proptest::prelude::*;
use strata_zip::{Compression, Timestamp, ZipBuilder, ZipError, ZipReader};

use crate::text_like;

/// A stream that counts the bytes read from it.
struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R> Counting<R> {
    fn new(inner: R) -> (Counting<R>, Arc<AtomicU64>) {
        let read = Arc::new(AtomicU64::new(0));
        let counting = Counting {
            inner,
            read: Arc::clone(&read),
        };
        (counting, read)
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// `count` stored entries of `size` bytes each, named `dir/entry-00001.bin` and so on, in a file.
fn many_entries(count: usize, size: usize) -> io::Result<std::fs::File> {
    let file = tempfile::tempfile()?;
    let mut zip = ZipBuilder::on_sink(file).fixed_time(Timestamp::DOS_EPOCH);
    for i in 0..count {
        let name = format!("dir/entry-{i:05}.bin");
        zip.add_reader(
            &name,
            io::repeat(i as u8).take(size as u64),
            Compression::Stored,
        )?;
    }
    let mut file = zip.finish_sink()?;
    file.rewind()?;
    Ok(file)
}

#[test]
fn a_listing_reads_the_end_and_the_directory_only() -> io::Result<()> {
    // 2 000 entries of 8 KiB: a 16 MiB archive whose directory is 2 000 × (46 + 22) bytes.
    let (count, size, name_len) = (2000, 8 << 10, 22);
    let file = many_entries(count, size)?;
    let archive_len = file.metadata()?.len();
    let (counting, read) = Counting::new(file);
    let mut reader = ZipReader::from_reader(counting)?;
    let directory = (count * (46 + name_len)) as u64;
    let listed = read.load(Ordering::Relaxed);
    assert_eq!(reader.len(), count);
    assert_eq!(reader.bytes_read(), listed);
    // The documented bound: the last 65 557 bytes and the directory.
    assert!(listed <= 65_557 + directory, "{listed} of {archive_len}");
    assert!(listed < archive_len / 10, "{listed} of {archive_len}");

    // One entry: its local header and its data, nothing more.
    let before = read.load(Ordering::Relaxed);
    assert_eq!(reader.read("dir/entry-00007.bin")?, vec![7; size]);
    let one = read.load(Ordering::Relaxed) - before;
    assert!(one <= (size + 2 * (30 + name_len)) as u64, "{one}");

    // An entry dropped after its first bytes costs no more reading.
    let before = read.load(Ordering::Relaxed);
    let mut head = [0; 16];
    reader.open("dir/entry-00009.bin")?.read_exact(&mut head)?;
    assert_eq!(head, [9; 16]);
    let partial = read.load(Ordering::Relaxed) - before;
    assert!(partial < (size / 2) as u64, "{partial}");
    Ok(())
}

#[test]
fn a_wrong_crc_is_an_error_at_the_end_of_the_entry_only() -> io::Result<()> {
    let data = text_like(100_000, 5);
    let mut zip = ZipBuilder::new();
    zip.add_bytes("a.txt", &data, Compression::DEFAULT)?;
    let mut archive = zip.finish()?.to_vec();
    // The CRC in the local header (offset 14) and in the central header.
    let central = archive.len() - 22 - (46 + 5);
    for at in [14, central + 16] {
        archive[at] ^= 0xff;
    }
    let mut reader = ZipReader::new(archive)?;
    let mut entry = reader.open("a.txt")?;
    let mut got = vec![0; data.len()];
    entry.read_exact(&mut got)?;
    assert_eq!(got, data);
    let err = entry.read(&mut [0; 10]).unwrap_err();
    assert!(
        matches!(ZipError::of(&err), Some(ZipError::ChecksumMismatch { .. })),
        "{err}"
    );
    assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    Ok(())
}

/// Everything `entry` yields, read `sizes[0]`, `sizes[1]`, ... bytes at a time (cycling).
fn read_in_pieces(mut entry: impl Read, sizes: &[usize]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = vec![0; sizes.iter().max().copied().unwrap_or(1)];
    for &size in sizes.iter().cycle() {
        let n = entry.read(&mut buf[..size])?;
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    Ok(out)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Streaming an entry with reads of any sizes gives what `read_index` gives.
    #[test]
    fn streaming_in_any_pieces_equals_read(
        len in 0usize..300_000,
        seed in any::<u64>(),
        level in prop_oneof![Just(None), (1u8..=9).prop_map(Some)],
        sizes in proptest::collection::vec(1usize..70_000, 1..20),
        from_stream in any::<bool>(),
    ) {
        let data = text_like(len, seed);
        let compression = level.map_or(Compression::Stored, Compression::Deflated);
        let mut zip = ZipBuilder::new();
        zip.add_bytes("first.txt", b"first", Compression::DEFAULT)?;
        zip.add_bytes("data.txt", &data, compression)?;
        let archive = zip.finish()?;
        let whole = ZipReader::new(archive.clone())?.read_index(1)?;
        prop_assert_eq!(&whole[..], &data[..]);

        let streamed = if from_stream {
            read_in_pieces(ZipReader::from_reader(Cursor::new(archive))?.open("data.txt")?, &sizes)?
        } else {
            read_in_pieces(ZipReader::new(archive)?.open("data.txt")?, &sizes)?
        };
        prop_assert_eq!(&streamed[..], &data[..]);
    }
}

#[test]
fn strata_streams_are_archives_too() -> io::Result<()> {
    use strata_buffered::{BufferedReader, BytesIO};
    use strata_raw::FileIo;

    let data = text_like(300_000, 11);
    let mut zip = ZipBuilder::new();
    zip.add_bytes("a.txt", &data, Compression::DEFAULT)?;
    zip.add_bytes("b.bin", [1, 2, 3], Compression::Stored)?;
    let archive = zip.finish()?;
    let file = tempfile::NamedTempFile::new()?;
    std::fs::write(file.path(), &archive)?;

    let buffered = BufferedReader::new(FileIo::open(file.path(), "rb")?)?;
    let mut reader = ZipReader::from_reader(buffered)?;
    assert_eq!(reader.read("a.txt")?, data);
    assert_eq!(reader.read("b.bin")?, &[1, 2, 3][..]);

    let mut reader = ZipReader::from_reader(BytesIO::from(archive))?;
    assert_eq!(reader.read("a.txt")?, data);
    Ok(())
}
