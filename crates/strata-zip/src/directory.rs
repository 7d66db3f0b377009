//! The central directory, parsed by Strata itself: the end-of-central-directory record (and its ZIP64
//! locator and record), one [`Record`] per central header in directory order (duplicates included),
//! and the local header check done before an entry's data is read.
//!
//! The `zip` crate keys its directory by name, so two entries of the same name would show as one; the
//! parser here keeps every record, as Python's `zipfile` and `unzip` do. The `zip` crate still decodes
//! and decrypts each entry's data.

use std::io::{self, BufReader, Read, Seek};

use crate::error::ZipError;
use crate::read::{Entry, EntryKind, Limits, Method};
use crate::source::{Source, SourceError};
use crate::time::Timestamp;

const EOCD: u32 = 0x0605_4b50;
const EOCD_LEN: u64 = 22;
const ZIP64_LOCATOR: u32 = 0x0706_4b50;
const ZIP64_LOCATOR_LEN: u64 = 20;
const ZIP64_EOCD: u32 = 0x0606_4b50;
const ZIP64_EOCD_LEN: u64 = 56;
const CENTRAL: u32 = 0x0201_4b50;
const CENTRAL_LEN: usize = 46;
const LOCAL: u32 = 0x0403_4b50;
/// The fixed part of a local header.
pub(crate) const LOCAL_LEN: u64 = 30;
/// Flag bit 0: the entry is encrypted.
const FLAG_ENCRYPTED: u16 = 1;
/// Flag bit 3: sizes and CRC follow the data, in a data descriptor.
const FLAG_DESCRIPTOR: u16 = 1 << 3;
/// Flag bit 11: the name is UTF-8.
const FLAG_UTF8: u16 = 1 << 11;
/// Method 99: WinZip AES; the real method is in the 0x9901 extra field.
const METHOD_AES: u16 = 99;

/// What the reader keeps of a central header besides the public [`Entry`].
#[derive(Clone, Debug)]
pub(crate) struct Record {
    /// Where the entry's local header starts.
    pub(crate) offset: u64,
    /// The method number as the headers spell it (99 for AES).
    pub(crate) raw_method: u16,
    /// The AES vendor version (1 or 2) of an AES-encrypted entry: AE-2 entries carry no CRC.
    pub(crate) aes_version: Option<u16>,
    /// Where the next local header (or the central directory) starts: the entry's data must end there.
    pub(crate) bound: u64,
    /// The entry starting at `bound`, or `None` when `bound` is the central directory; an entry sharing
    /// this entry's offset is its own bound.
    pub(crate) neighbour: Option<usize>,
}

/// The parsed directory: entries and records, index for index.
pub(crate) struct Directory {
    pub(crate) entries: Vec<Entry>,
    pub(crate) records: Vec<Record>,
}

/// Little-endian field readers over a byte slice, at offsets the caller knows are in range.
fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut bytes = [0; 8];
    bytes.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(bytes)
}

/// `read_exact`, with the end of the stream and the stream's own errors told apart from each other.
pub(crate) fn read_exact(
    reader: &mut impl Read,
    buf: &mut [u8],
    name: Option<&str>,
) -> io::Result<()> {
    reader
        .read_exact(buf)
        .map_err(|err| source_error(err, name))
}

/// An error that came up from the [`Source`]: the stream's own error as it was, or
/// [`ZipError::Truncated`]; any other error is returned unchanged.
pub(crate) fn source_error(err: io::Error, name: Option<&str>) -> io::Error {
    match SourceError::take(err) {
        Ok(SourceError::Io(err)) => err,
        Ok(SourceError::Eof) => ZipError::Truncated {
            name: name.map(str::to_owned),
        }
        .into(),
        Err(err) if err.kind() == io::ErrorKind::UnexpectedEof => ZipError::Truncated {
            name: name.map(str::to_owned),
        }
        .into(),
        Err(err) => err,
    }
}

/// The end-of-central-directory facts the parser needs.
struct End {
    /// Entries the directory declares.
    count: u64,
    /// Where the directory starts in the stream (after correcting for data prepended to the archive).
    start: u64,
    /// Its size in bytes.
    size: u64,
    /// What to add to every recorded offset (data prepended to the archive, as a self-extractor has).
    shift: u64,
}

/// Reads the directory of the archive in `source`, which is `len` bytes long, under `limits`.
///
/// Reads the last `min(len, 65 557)` bytes (the end record and a comment of up to 64 KiB), the ZIP64
/// record when there is one, and the central directory: nothing else.
pub(crate) fn read<R: Read + Seek>(
    source: &mut Source<R>,
    len: u64,
    limits: &Limits,
) -> io::Result<Directory> {
    let end = find_end(source, len)?;
    if end.count > limits.max_entries as u64 {
        return Err(ZipError::TooManyEntries {
            count: end.count,
            limit: limits.max_entries,
        }
        .into());
    }
    if end.count.saturating_mul(CENTRAL_LEN as u64) > end.size {
        return Err(ZipError::corrupt(format!(
            "the directory declares {} entries but is only {} bytes long",
            end.count, end.size
        )));
    }
    source.window(end.start, end.size)?;
    let capacity = usize::try_from(end.size.min(64 << 10)).unwrap_or(64 << 10);
    let mut reader = BufReader::with_capacity(capacity, &mut *source);
    // `count` is at most `max_entries` and at most one per 46 bytes of directory actually present.
    let count = usize::try_from(end.count).unwrap_or(usize::MAX);
    let mut entries = Vec::with_capacity(count);
    let mut records = Vec::with_capacity(count);
    for _ in 0..count {
        let (entry, mut record) = read_central(&mut reader)?;
        record.offset = record
            .offset
            .checked_add(end.shift)
            .ok_or_else(|| ZipError::corrupt("an entry's offset is out of range"))?;
        entries.push(entry);
        records.push(record);
    }
    drop(reader);
    set_bounds(&mut records, end.start);
    Ok(Directory { entries, records })
}

/// Finds the end-of-central-directory record (and the ZIP64 one): in the last 22 bytes when the
/// archive has no comment, else in the last 64 KiB + 22 bytes.
fn find_end<R: Read + Seek>(source: &mut Source<R>, len: u64) -> io::Result<End> {
    let mut found = None;
    for tail_len in [len.min(EOCD_LEN), len.min(EOCD_LEN + u64::from(u16::MAX))] {
        let tail_start = len - tail_len;
        source.window(tail_start, tail_len)?;
        // At most 65 557 bytes.
        let mut tail = vec![0; usize::try_from(tail_len).unwrap_or(0)];
        read_exact(source, &mut tail, None)?;
        if let Some(at) = find_signature(&tail) {
            found = Some((tail, tail_start, at));
            break;
        }
        if tail_len == len {
            break;
        }
    }
    let (tail, tail_start, at) = found.ok_or(ZipError::NotZip)?;
    let eocd = &tail[at..];
    let eocd_pos = tail_start + at as u64;
    let mut count = u64::from(u16_at(eocd, 10));
    let mut size = u64::from(u32_at(eocd, 12));
    let mut offset = u64::from(u32_at(eocd, 16));
    let mut dir_end = eocd_pos;
    // The plain record's disk numbers are not checked: some writers fill them in for single-file
    // archives, and CPython ignores them too; only the ZIP64 locator's are (below).
    if eocd_pos >= ZIP64_LOCATOR_LEN {
        let locator = read_at(
            source,
            eocd_pos - ZIP64_LOCATOR_LEN,
            ZIP64_LOCATOR_LEN,
            &tail,
            tail_start,
        )?;
        if u32_at(&locator, 0) == ZIP64_LOCATOR {
            if u32_at(&locator, 4) != 0 || u32_at(&locator, 16) > 1 {
                return Err(ZipError::corrupt(
                    "archives split over several disks are not supported",
                ));
            }
            // The ZIP64 record sits right before its locator; its recorded offset may be shifted by
            // prepended data, so it is found by position as CPython does.
            let record_pos = (eocd_pos - ZIP64_LOCATOR_LEN)
                .checked_sub(ZIP64_EOCD_LEN)
                .ok_or(ZipError::Truncated { name: None })?;
            let record = read_at(source, record_pos, ZIP64_EOCD_LEN, &tail, tail_start)?;
            if u32_at(&record, 0) != ZIP64_EOCD {
                return Err(ZipError::corrupt(
                    "the ZIP64 end-of-central-directory record is missing",
                ));
            }
            count = u64_at(&record, 32);
            size = u64_at(&record, 40);
            offset = u64_at(&record, 48);
            dir_end = record_pos;
        }
    }
    let start = dir_end
        .checked_sub(size)
        .ok_or_else(|| ZipError::corrupt("the central directory is larger than the archive"))?;
    let shift = start
        .checked_sub(offset)
        // The directory starts before where its offset says: bytes are missing before it.
        .ok_or(ZipError::Truncated { name: None })?;
    Ok(End {
        count,
        start,
        size,
        shift,
    })
}

/// Where the last end-of-central-directory signature in `tail` is whose record, comment included,
/// fits in `tail` (as CPython's `rfind`).
fn find_signature(tail: &[u8]) -> Option<usize> {
    (0..tail.len().saturating_sub(EOCD_LEN as usize - 1))
        .rev()
        .find(|&at| {
            u32_at(tail, at) == EOCD
                && at + EOCD_LEN as usize + usize::from(u16_at(tail, at + 20)) <= tail.len()
        })
}

/// `len` bytes at `pos`, from `tail` when they lie in it (it starts at `tail_start`), else read.
fn read_at<R: Read + Seek>(
    source: &mut Source<R>,
    pos: u64,
    len: u64,
    tail: &[u8],
    tail_start: u64,
) -> io::Result<Vec<u8>> {
    if let Some(from) = pos.checked_sub(tail_start) {
        // `pos + len` is at most the end of the tail here: callers ask for bytes before the end record.
        let from = usize::try_from(from).unwrap_or(usize::MAX);
        if let Some(bytes) = tail.get(from..from + len as usize) {
            return Ok(bytes.to_vec());
        }
    }
    source.window(pos, len)?;
    let mut buf = vec![0; len as usize];
    read_exact(source, &mut buf, None)?;
    Ok(buf)
}

/// Reads one central header.
fn read_central(reader: &mut impl Read) -> io::Result<(Entry, Record)> {
    let mut fixed = [0; CENTRAL_LEN];
    read_exact(reader, &mut fixed, None)?;
    if u32_at(&fixed, 0) != CENTRAL {
        return Err(ZipError::corrupt(
            "a central directory record has a bad signature",
        ));
    }
    let made_by = u16_at(&fixed, 4);
    let flags = u16_at(&fixed, 8);
    let raw_method = u16_at(&fixed, 10);
    let (time, date) = (u16_at(&fixed, 12), u16_at(&fixed, 14));
    let crc32 = u32_at(&fixed, 16);
    let mut compressed_size = u64::from(u32_at(&fixed, 20));
    let mut size = u64::from(u32_at(&fixed, 24));
    let name_len = usize::from(u16_at(&fixed, 28));
    let extra_len = usize::from(u16_at(&fixed, 30));
    let comment_len = usize::from(u16_at(&fixed, 32));
    let external = u32_at(&fixed, 38);
    let mut offset = u64::from(u32_at(&fixed, 42));
    // At most 3 × 64 KiB.
    let mut variable = vec![0; name_len + extra_len + comment_len];
    read_exact(reader, &mut variable, None)?;
    let (raw_name, rest) = variable.split_at(name_len);
    let name = decode_name(raw_name, flags);
    let extra = &rest[..extra_len];

    let mut method_number = raw_method;
    let mut aes_version = None;
    for (id, field) in extra_fields(extra) {
        match id {
            0x0001 => {
                // ZIP64: the 64-bit values of the fields saturated at 0xFFFFFFFF, in this order.
                let mut values = field.chunks_exact(8).map(|v| u64_at(v, 0));
                for value in [&mut size, &mut compressed_size, &mut offset] {
                    if *value == u64::from(u32::MAX) {
                        *value = values.next().ok_or_else(|| {
                            ZipError::corrupt(format!("entry {name:?} has a short ZIP64 field"))
                        })?;
                    }
                }
            }
            0x9901 if field.len() >= 7 && raw_method == METHOD_AES => {
                aes_version = Some(u16_at(field, 0));
                method_number = u16_at(field, 5);
            }
            _ => {}
        }
    }
    let is_unix = made_by >> 8 == 3;
    let kind = if is_unix && (external >> 16) & 0o170_000 == 0o120_000 {
        EntryKind::Symlink
    } else if name.ends_with('/') {
        EntryKind::Directory
    } else {
        EntryKind::File
    };
    let entry = Entry {
        name,
        kind,
        method: Method::from_number(method_number),
        size,
        compressed_size,
        crc32,
        modified: zip::DateTime::try_from_msdos(date, time)
            .ok()
            .map(Timestamp::from_zip),
        encrypted: flags & FLAG_ENCRYPTED != 0,
    };
    let record = Record {
        offset,
        raw_method,
        aes_version,
        bound: 0,
        neighbour: None,
    };
    Ok((entry, record))
}

/// The `(id, data)` extra fields in `extra`; a truncated last field ends the list.
fn extra_fields(mut extra: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        if extra.len() < 4 {
            return None;
        }
        let (id, len) = (u16_at(extra, 0), usize::from(u16_at(extra, 2)));
        let field = extra.get(4..4 + len)?;
        extra = &extra[4 + len..];
        Some((id, field))
    })
}

/// A name decoded as CPython's `zipfile` does: UTF-8 when flag bit 11 says so (invalid sequences
/// replaced), code page 437 otherwise.
fn decode_name(raw: &[u8], flags: u16) -> String {
    if flags & FLAG_UTF8 != 0 {
        return String::from_utf8_lossy(raw).into_owned();
    }
    raw.iter()
        .map(|&b| match b {
            0..=0x7f => char::from(b),
            _ => CP437_HIGH[usize::from(b - 0x80)],
        })
        .collect()
}

/// Code page 437, bytes 0x80 to 0xFF.
const CP437_HIGH: [char; 128] = [
    'Ç', 'ü', 'é', 'â', 'ä', 'à', 'å', 'ç', 'ê', 'ë', 'è', 'ï', 'î', 'ì', 'Ä', 'Å', 'É', 'æ', 'Æ',
    'ô', 'ö', 'ò', 'û', 'ù', 'ÿ', 'Ö', 'Ü', '¢', '£', '¥', '₧', 'ƒ', 'á', 'í', 'ó', 'ú', 'ñ', 'Ñ',
    'ª', 'º', '¿', '⌐', '¬', '½', '¼', '¡', '«', '»', '░', '▒', '▓', '│', '┤', '╡', '╢', '╖', '╕',
    '╣', '║', '╗', '╝', '╜', '╛', '┐', '└', '┴', '┬', '├', '─', '┼', '╞', '╟', '╚', '╔', '╩', '╦',
    '╠', '═', '╬', '╧', '╨', '╤', '╥', '╙', '╘', '╒', '╓', '╫', '╪', '┘', '┌', '█', '▄', '▌', '▐',
    '▀', 'α', 'ß', 'Γ', 'π', 'Σ', 'σ', 'µ', 'τ', 'Φ', 'Θ', 'Ω', 'δ', '∞', 'φ', 'ε', '∩', '≡', '±',
    '≥', '≤', '⌠', '⌡', '÷', '≈', '°', '∙', '·', '√', 'ⁿ', '²', '■', '\u{a0}',
];

/// Gives each record the offset its data must end by: the next distinct local header offset, or the
/// directory's start. Two records sharing an offset bound each other at that offset, so neither reads.
fn set_bounds(records: &mut [Record], directory_start: u64) {
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.sort_by_key(|&i| records[i].offset);
    for (k, &i) in order.iter().enumerate() {
        let offset = records[i].offset;
        let same = |j: Option<&usize>| j.filter(|&&j| records[j].offset == offset).copied();
        let (bound, neighbour) = match (same(order.get(k.wrapping_sub(1))), order.get(k + 1)) {
            (Some(twin), _) => (offset, Some(twin)),
            (None, Some(&next)) => (records[next].offset, Some(next)),
            (None, None) => (directory_start, None),
        };
        records[i].bound = bound.min(directory_start);
        records[i].neighbour = if bound > directory_start {
            None
        } else {
            neighbour
        };
    }
}

/// Reads and checks the local header of `entry` (at `record.offset`), returning where its data starts.
///
/// The local header must agree with the central one on the name and the method, and, unless the sizes
/// follow the data, on the compressed size; the data must end before the next entry's local header or
/// the central directory ([`ZipError::Overlap`]).
pub(crate) fn check_local<R: Read + Seek>(
    source: &mut Source<R>,
    entry: &Entry,
    record: &Record,
    entries: &[Entry],
) -> io::Result<u64> {
    let name = Some(entry.name.as_str());
    let corrupt = |reason: &str| -> io::Error {
        ZipError::Corrupt {
            name: name.map(str::to_owned),
            reason: reason.to_owned(),
        }
        .into()
    };
    let overlap = || -> io::Error {
        ZipError::Overlap {
            name: entry.name.clone(),
            other: record.neighbour.map(|i| entries[i].name.clone()),
        }
        .into()
    };
    if record.offset.saturating_add(LOCAL_LEN) > record.bound {
        return Err(overlap());
    }
    source.window(record.offset, record.bound - record.offset)?;
    let mut fixed = [0; LOCAL_LEN as usize];
    read_exact(source, &mut fixed, name)?;
    if u32_at(&fixed, 0) != LOCAL {
        return Err(local_missing(entry));
    }
    let flags = u16_at(&fixed, 6);
    if u16_at(&fixed, 8) != record.raw_method {
        return Err(corrupt(
            "its local header and the central directory disagree on the compression method",
        ));
    }
    let local_compressed = u32_at(&fixed, 18);
    if flags & FLAG_DESCRIPTOR == 0
        && local_compressed != u32::MAX
        && u64::from(local_compressed) != entry.compressed_size
    {
        return Err(corrupt(
            "its local header and the central directory disagree on the compressed size",
        ));
    }
    let name_len = u64::from(u16_at(&fixed, 26));
    let extra_len = u64::from(u16_at(&fixed, 28));
    let data_start = record.offset + LOCAL_LEN + name_len + extra_len;
    if data_start.saturating_add(entry.compressed_size) > record.bound {
        return Err(overlap());
    }
    // At most 64 KiB, and inside the bound checked above.
    let mut raw_name = vec![0; name_len as usize];
    read_exact(source, &mut raw_name, name)?;
    if decode_name(&raw_name, flags) != entry.name {
        return Err(corrupt(
            "its local header and the central directory disagree on the name",
        ));
    }
    Ok(data_start)
}

/// The error for `entry` whose local header is not where the directory says.
pub(crate) fn local_missing(entry: &Entry) -> io::Error {
    ZipError::Corrupt {
        name: Some(entry.name.clone()),
        reason: "its local header is missing (bad signature)".to_owned(),
    }
    .into()
}
