//! `WavStreamWriter`: open-ended streams to non-seekable sinks, patched streams to seekable ones.

use std::io::{self, Cursor, Seek, SeekFrom, Write};

use strata_buffered::BytesIO;
use strata_wav::{FmtChunk, SampleFormat, UNKNOWN_LENGTH, WavSpec, WavStreamWriter};

use crate::{FORMATS, LAYOUTS, signal, spec};

/// A sink that cannot seek and counts flushes.
#[derive(Default)]
struct Pipe {
    bytes: Vec<u8>,
    flushes: usize,
}

impl Write for Pipe {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.flushes += 1;
        Ok(())
    }
}

/// A sink that accepts `room` bytes, then fails.
#[derive(Debug)]
struct Full {
    room: usize,
}

impl Write for Full {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.room == 0 {
            return Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"));
        }
        let n = buf.len().min(self.room);
        self.room -= n;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Writes `planar` in uneven parts through a stream writer over `sink`.
fn stream_into<W: Write>(sink: W, spec: WavSpec, planar: &[Vec<f32>]) -> WavStreamWriter<W> {
    let mut stream = WavStreamWriter::new(sink, spec).expect("header");
    let frames = planar[0].len();
    let mut start = 0usize;
    for size in [0, 1, 2, 500, usize::MAX] {
        let end = frames.min(start.saturating_add(size));
        let part: Vec<&[f32]> = planar.iter().map(|c| &c[start..end]).collect();
        stream.write_planar(&part).expect("write");
        start = end;
    }
    stream
}

#[test]
fn an_open_ended_stream_decodes_to_its_end() {
    for format in FORMATS {
        for layout in LAYOUTS {
            let spec = spec(3, 32_000, format, layout);
            let planar = signal(3, 40_001); // more than one 64 KiB conversion batch
            let stream = stream_into(Pipe::default(), spec, &planar);
            assert_eq!(stream.frames_written(), 40_001);
            let pipe = stream.finish().expect("finish");
            assert_eq!(pipe.flushes, 1);
            let bytes = pipe.bytes;
            assert_eq!(&bytes[4..8], &UNKNOWN_LENGTH.to_le_bytes());
            let header = bytes.len() - 40_001 * spec.block_align() as usize;
            assert_eq!(&bytes[header - 4..header], &UNKNOWN_LENGTH.to_le_bytes());

            let whole = spec.encode_planar(&planar).expect("encode");
            let wav = strata_wav::decode(&bytes).expect("decode");
            assert!(wav.is_open_ended());
            assert_eq!(
                wav.data(),
                strata_wav::decode(&whole).expect("decode").data(),
                "{spec:?}"
            );
            // Cut inside a frame: whole frames only.
            let cut = strata_wav::decode(&bytes[..bytes.len() - 1]).expect("decode");
            assert_eq!(cut.frames(), 40_000);
        }
    }
}

#[test]
fn a_patched_stream_is_byte_for_byte_the_one_call_file() {
    for format in FORMATS {
        for (channels, frames) in [(1u16, 0usize), (1, 7), (2, 1001), (6, 99)] {
            let spec = spec(channels, 44_100, format, FmtChunk::Auto);
            let planar = signal(channels.into(), frames);
            let whole = spec.encode_planar(&planar).expect("encode");
            let cursor = stream_into(Cursor::new(Vec::new()), spec, &planar)
                .finish_seekable()
                .expect("patch");
            assert_eq!(
                cursor.position(),
                whole.len() as u64,
                "left after the stream"
            );
            assert_eq!(cursor.into_inner(), whole, "{spec:?} {frames} frames");
        }
    }
}

#[test]
fn finish_patches_a_stream_started_as_seekable() {
    let spec = WavSpec::new(2, 8_000, SampleFormat::Pcm16);
    let planar = signal(2, 321);
    let whole = spec.encode_planar(&planar).expect("encode");
    let mut stream = WavStreamWriter::new_seekable(Cursor::new(Vec::new()), spec).expect("header");
    stream.write_planar(&planar).expect("samples");
    assert_eq!(stream.finish().expect("patch").into_inner(), whole);
    // Started with `new`, `finish` keeps the unknown sizes: the sink is not known to seek.
    let open = stream_into(Cursor::new(Vec::new()), spec, &planar)
        .finish()
        .expect("finish")
        .into_inner();
    assert_eq!(&open[4..8], &[0xff; 4]);
}

#[test]
fn a_patched_stream_after_other_data_leaves_that_data_alone() {
    let spec = WavSpec::new(1, 8_000, SampleFormat::Pcm24);
    let planar = signal(1, 5); // 15 bytes: odd, padded
    let whole = spec.encode_planar(&planar).expect("encode");
    let mut sink = BytesIO::from(&b"0123456789"[..]);
    sink.seek(SeekFrom::Start(3)).expect("seek");
    sink.write_all(b"abc").expect("write"); // the stream starts at 6, inside existing data
    let sink = stream_into(sink, spec, &planar)
        .finish_seekable()
        .expect("patch");
    let bytes = sink.into_bytes();
    assert_eq!(&bytes[..6], b"012abc");
    assert_eq!(&bytes[6..], &whole[..]);
}

#[test]
fn a_sink_error_is_returned_and_poisons_the_stream() {
    let spec = WavSpec::new(2, 8_000, SampleFormat::Pcm16);
    let mut stream = WavStreamWriter::new(Full { room: 50 }, spec).expect("header fits");
    let err = stream.write_interleaved(&[0i16; 8]).expect_err("full");
    assert_eq!(err.kind(), io::ErrorKind::StorageFull);
    let again = stream.write_interleaved(&[0i16; 2]).expect_err("broken");
    assert!(
        again
            .to_string()
            .contains("an earlier write to the sink failed"),
        "{again}"
    );
    let finish = stream.finish().expect_err("broken");
    assert_eq!(finish.kind(), io::ErrorKind::Other);

    let header = WavStreamWriter::new(Full { room: 10 }, spec).expect_err("header does not fit");
    assert_eq!(header.kind(), io::ErrorKind::StorageFull);
}

#[test]
fn bad_input_writes_nothing() {
    let spec = WavSpec::new(2, 8_000, SampleFormat::Pcm16);
    let mut stream = WavStreamWriter::new(Vec::new(), spec).expect("header");
    assert!(stream.write_interleaved(&[1i16, 2, 3]).is_err());
    assert!(stream.write_planar(&[vec![1i16], vec![]]).is_err());
    assert!(stream.write_planar(&[vec![1i16]]).is_err());
    assert_eq!(stream.get_ref().len(), 44);
    stream
        .write_planar(&[[1i16], [2]])
        .expect("good input still works");
    assert_eq!(stream.finish().expect("finish")[44..], [1, 0, 2, 0]);
}

#[test]
fn a_sink_that_lost_its_position_is_detected_when_patching() {
    let spec = WavSpec::new(1, 8_000, SampleFormat::Pcm16);
    let stream = WavStreamWriter::new(ShortSeek(Cursor::new(Vec::new())), spec).expect("header");
    let err = stream
        .finish_seekable()
        .expect_err("position before the stream's end");
    assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    assert!(
        err.to_string()
            .contains("the sink is at offset 0, before the end of the 44 bytes"),
        "{err}"
    );
}

/// A sink whose reported position is always 0: a stream over it cannot find its own header.
#[derive(Debug)]
struct ShortSeek(Cursor<Vec<u8>>);

impl Write for ShortSeek {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Seek for ShortSeek {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.0.seek(pos).map(|_| 0)
    }
}
