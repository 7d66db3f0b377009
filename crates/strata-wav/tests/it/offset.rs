//! `OffsetSink` shields hound, which patches its header at absolute offsets, from a non-empty sink.

use std::io::{Cursor, Seek, SeekFrom, Write};

use strata_buffered::BytesIO;
use strata_raw::IoBase;
use strata_wav::OffsetSink;

const PREFIX: &[u8] = b"earlier data in the sink";

fn hound_spec() -> hound::WavSpec {
    hound::WavSpec {
        channels: 2,
        sample_rate: 8_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    }
}

/// Writes 3 stereo frames with hound into `sink`.
fn write_with_hound<W: Write + Seek>(sink: W) {
    let mut writer = hound::WavWriter::new(sink, hound_spec()).expect("hound");
    for sample in [1i16, -1, 2, -2, 3, -3] {
        writer.write_sample(sample).expect("sample");
    }
    writer.finalize().expect("finalize");
}

#[test]
fn plain_hound_corrupts_a_non_empty_cursor() {
    let mut cursor = Cursor::new(PREFIX.to_vec());
    cursor.seek(SeekFrom::End(0)).expect("seek");
    write_with_hound(&mut cursor);
    let bytes = cursor.into_inner();
    assert_ne!(
        &bytes[..PREFIX.len()],
        PREFIX,
        "hound patched its sizes into the earlier data"
    );
    assert!(
        strata_wav::decode(&bytes[PREFIX.len()..]).is_err(),
        "and left the WAV's own sizes at 0"
    );
}

#[test]
fn hound_through_an_offset_sink_writes_a_valid_file_after_the_data() {
    let mut sink = BytesIO::new();
    sink.write_all(PREFIX).expect("write");
    write_with_hound(OffsetSink::new(&mut sink).expect("position"));
    let bytes = sink.getvalue().expect("value");
    assert_eq!(&bytes[..PREFIX.len()], PREFIX);
    let wav = strata_wav::decode(&bytes[PREFIX.len()..]).expect("a complete WAV");
    assert!(!wav.is_open_ended());
    assert_eq!(wav.planar::<i16>(), [[1, 2, 3], [-1, -2, -3]]);
    let reader =
        hound::WavReader::new(Cursor::new(&bytes[PREFIX.len()..])).expect("hound reads it");
    assert_eq!(reader.duration(), 3);
}

#[test]
fn iobase_and_truncate_are_relative_to_the_base() {
    let mut sink = BytesIO::from(&b"keep this|drop this"[..]);
    sink.seek(SeekFrom::Start(10)).expect("seek");
    let mut view = OffsetSink::new(sink).expect("position");
    assert!(view.writable().expect("open") && view.seekable().expect("open"));
    assert_eq!(view.truncate(Some(4)).expect("truncate"), 4);
    assert_eq!(view.tell().expect("tell"), 0);
    assert_eq!(
        view.get_mut().getvalue().expect("open"),
        &b"keep this|drop"[..]
    );
    assert!(
        view.seek(SeekFrom::End(-5)).is_err(),
        "the end is 4 bytes past the base"
    );
    assert_eq!(view.truncate(None).expect("truncate"), 0);
    assert_eq!(view.get_mut().getvalue().expect("open"), &b"keep this|"[..]);
    view.close().expect("close");
    assert!(view.closed() && view.get_ref().closed());
}
