//! `WavReader`: over random block sizes and a slow, interrupting source it yields exactly what
//! `decode` yields; it reads a live pipe while it fills, seeks to frames, and stays within its block.

use std::io::{self, Cursor, Read};

use proptest::prelude::*;
use strata_wav::{
    Container, FmtChunk, SampleFormat, Strictness, WavError, WavReader, WavSpec, WavStreamWriter,
};

use crate::alloc::peak_during;
use crate::{ALL_FORMATS, LAYOUTS, read_all, read_all_from, signal};

/// A source that hands out at most `step` bytes per read (cycling through `steps`) and fails every
/// third read with `Interrupted`.
struct Slow<'a> {
    bytes: &'a [u8],
    steps: Vec<usize>,
    calls: usize,
}

impl Read for Slow<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.calls += 1;
        if self.calls.is_multiple_of(3) {
            return Err(io::Error::from(io::ErrorKind::Interrupted));
        }
        let step = self.steps[self.calls % self.steps.len()];
        let n = step.min(buf.len()).min(self.bytes.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

/// A valid file of every kind the encoders write, to cut and to read.
fn any_file() -> impl Strategy<Value = Vec<u8>> {
    (
        1u16..=5,
        0..ALL_FORMATS.len(),
        0..LAYOUTS.len(),
        0usize..300,
        any::<bool>(),
    )
        .prop_map(|(channels, format, layout, frames, rf64)| {
            let container = if rf64 {
                Container::Rf64
            } else {
                Container::Riff
            };
            WavSpec::new(channels, 16_000, ALL_FORMATS[format])
                .with_fmt_chunk(LAYOUTS[layout])
                .with_container(container)
                .encode_planar(&signal(channels.into(), frames))
                .expect("encode")
                .to_vec()
        })
}

proptest! {
    #[test]
    fn the_reader_yields_what_decode_yields(
        wav in any_file(),
        cut in any::<prop::sample::Index>(),
        cut_it in any::<bool>(),
        block in 1usize..40,
        steps in prop::collection::vec(1usize..20, 1..5),
    ) {
        let bytes = if cut_it { &wav[..cut.index(wav.len() + 1)] } else { &wav[..] };
        for strictness in [Strictness::Strict, Strictness::Lenient] {
            let slow = Slow { bytes, steps: steps.clone(), calls: 0 };
            let streamed = read_all_from(slow, strictness, block);
            let sliced = strata_wav::decode_with(bytes, strictness);
            match (streamed, sliced) {
                (Ok((samples, salvage)), Ok(wav)) => {
                    prop_assert_eq!(samples, wav.samples::<i32>());
                    prop_assert_eq!(salvage, wav.salvage());
                }
                (Err((before, err)), Err(expected)) => {
                    prop_assert_eq!(err.to_string(), expected.to_string());
                    prop_assert_eq!(err.kind(), expected.kind());
                    // What came before the error is what a lenient decode salvages.
                    if let Ok(lenient) = strata_wav::decode_with(bytes, Strictness::Lenient) {
                        prop_assert_eq!(before, lenient.samples::<i32>());
                    }
                }
                (streamed, sliced) => {
                    prop_assert!(false, "reader {:?} but decode {:?}", streamed.map(|s| s.0.len()), sliced.map(|w| w.frames()));
                }
            }
        }
    }

    #[test]
    fn planar_reads_match_interleaved_ones(wav in any_file(), block in 1usize..40) {
        let mut reader = WavReader::new(&wav[..]).expect("header");
        let channels = usize::from(reader.spec().channels);
        let mut planar = vec![Vec::new(); channels];
        let mut buf = vec![vec![0f32; block]; channels];
        loop {
            let n = reader.read_planar(&mut buf).expect("read");
            if n == 0 {
                break;
            }
            for (all, part) in planar.iter_mut().zip(&buf) {
                all.extend_from_slice(&part[..n]);
            }
        }
        let decoded = strata_wav::decode(&wav).expect("decode").planar::<f32>();
        prop_assert_eq!(planar.len(), decoded.len());
        for (got, want) in planar.iter().zip(&decoded) {
            prop_assert!(got.iter().zip(want).all(|(a, b)| a.to_bits() == b.to_bits()));
            prop_assert_eq!(got.len(), want.len());
        }
    }
}

/// What reading `bytes` must give.
enum Expect {
    /// These samples, and this salvage report (promised, found).
    Samples(Vec<i32>, Option<(u64, u64)>),
    /// The samples before the error, and the error's message.
    Error(Vec<i32>, &'static str),
}

fn check(name: &str, bytes: &[u8], strictness: Strictness, expect: Expect) {
    let got = read_all(bytes, strictness, 2);
    match (got, expect) {
        (Ok((samples, salvage)), Expect::Samples(want, report)) => {
            assert_eq!(samples, want, "{name}");
            let salvage = salvage.map(|s| (s.frames_promised, s.frames_found));
            assert_eq!(salvage, report, "{name}");
        }
        (Err((before, err)), Expect::Error(want, message)) => {
            assert_eq!(before, want, "{name}");
            assert!(WavError::of(&err).is_some(), "{name}: untyped {err:?}");
            assert!(err.to_string().contains(message), "{name}: {err}");
        }
        (Ok((samples, _)), Expect::Error(..)) => panic!("{name}: read {samples:?}"),
        (Err((_, err)), Expect::Samples(..)) => panic!("{name}: {err}"),
    }
}

#[test]
fn short_data_is_an_error_after_the_whole_frames_or_a_salvage() {
    let spec = WavSpec::new(1, 8_000, SampleFormat::Pcm32).with_fmt_chunk(FmtChunk::Basic);
    let wav = spec
        .encode_interleaved(&[1i32, 2, 3, 4, 5])
        .expect("encode");
    let cut = &wav[..wav.len() - 6];
    let mut partial = wav.to_vec();
    partial[40..44].copy_from_slice(&18u32.to_le_bytes()); // 4.5 frames
    #[rustfmt::skip]
    let cases: Vec<(&str, &[u8], Strictness, Expect)> = vec![
        ("whole, strict", &wav, Strictness::Strict, Expect::Samples(vec![1, 2, 3, 4, 5], None)),
        ("whole, lenient", &wav, Strictness::Lenient, Expect::Samples(vec![1, 2, 3, 4, 5], None)),
        ("cut, strict", cut, Strictness::Strict,
            Expect::Error(vec![1, 2, 3], "the \"data\" chunk needs 28 bytes but only 22 remain")),
        ("cut, lenient", cut, Strictness::Lenient, Expect::Samples(vec![1, 2, 3], Some((5, 3)))),
        ("partial frame, strict", &partial, Strictness::Strict,
            Expect::Error(vec![1, 2, 3, 4], "holds 18 bytes, not a whole number of 4-byte frames")),
        ("partial frame, lenient", &partial, Strictness::Lenient,
            Expect::Samples(vec![1, 2, 3, 4], Some((4, 4)))),
        ("header only", &wav[..44], Strictness::Lenient, Expect::Samples(vec![], Some((5, 0)))),
        ("cut header", &wav[..30], Strictness::Lenient,
            Expect::Error(vec![], "the \"fmt \" chunk needs 24 bytes but only 18 remain")),
    ];
    for (name, bytes, strictness, expect) in cases {
        check(name, bytes, strictness, expect);
    }
}

#[test]
fn a_pipe_is_decoded_while_it_fills() {
    let (writer, reader) = strata_pipe::pipe(4096).expect("pipe");
    let spec = WavSpec::new(2, 48_000, SampleFormat::Pcm16);
    let planar = signal(2, 50_000);
    let expected = spec.encode_planar(&planar).expect("encode");
    let producer = std::thread::spawn(move || -> io::Result<()> {
        let mut stream = WavStreamWriter::new(writer, spec)?;
        for part in planar[0].chunks(777).zip(planar[1].chunks(777)) {
            stream.write_planar(&[part.0, part.1])?;
        }
        stream.finish()?.close()
    });
    let mut reader = WavReader::new(reader).expect("header");
    assert!(reader.is_open_ended());
    let mut samples = Vec::new();
    let mut buf = [0i16; 1024];
    loop {
        let n = reader.read_interleaved(&mut buf).expect("read");
        if n == 0 {
            break;
        }
        samples.extend_from_slice(&buf[..2 * n]);
    }
    producer.join().expect("producer").expect("write");
    let want = strata_wav::decode(&expected)
        .expect("decode")
        .samples::<i16>();
    assert_eq!(samples, want);
    assert_eq!(reader.frame_position(), 50_000);
}

#[test]
fn a_socket_is_decoded_as_it_arrives() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("loopback");
    let address = listener.local_addr().expect("address");
    let spec = WavSpec::new(1, 16_000, SampleFormat::ALaw);
    let samples: Vec<i16> = (0..20_000)
        .map(|i| (i * 13 % 65_536 - 32_768) as i16)
        .collect();
    let expected = spec.encode_interleaved(&samples).expect("encode");
    let sender = std::thread::spawn(move || -> io::Result<()> {
        let socket = std::net::TcpStream::connect(address)?;
        let mut stream = WavStreamWriter::new(socket, spec)?;
        for part in samples.chunks(1_000) {
            stream.write_interleaved(part)?;
        }
        stream.finish()?.shutdown(std::net::Shutdown::Write)
    });
    let (socket, _) = listener.accept().expect("accept");
    let (got, salvage) = read_all_from(socket, Strictness::Strict, 300).expect("read");
    sender.join().expect("sender").expect("send");
    let want = strata_wav::decode(&expected)
        .expect("decode")
        .samples::<i32>();
    assert_eq!((got, salvage), (want, None));
}

#[test]
fn seek_to_frame_works_after_other_data_and_in_open_ended_streams() {
    let spec = WavSpec::new(2, 8_000, SampleFormat::Pcm24);
    let samples: Vec<i32> = (0..40).map(|i| i << 16).collect();
    let file = spec.encode_interleaved(&samples).expect("encode");
    let mut stream = WavStreamWriter::new(Vec::new(), spec).expect("header");
    stream.write_interleaved(&samples).expect("write");
    let open = stream.finish().expect("finish");
    for (name, bytes) in [("file", file.to_vec()), ("open-ended", open)] {
        let mut source = Cursor::new([b"prefix".as_slice(), &bytes].concat());
        source.set_position(6);
        let mut reader = WavReader::new(source).expect("header");
        let mut out = [0i32; 6];
        assert_eq!(
            reader.read_interleaved(&mut out).expect("read"),
            3,
            "{name}"
        );
        for frame in [17u64, 0, 19, 20, 5] {
            reader.seek_to_frame(frame).expect("seek");
            assert_eq!(reader.frame_position(), frame);
            let n = reader.read_interleaved(&mut out).expect("read");
            let start = 2 * frame as usize;
            assert_eq!(n, (20 - frame as usize).min(3), "{name} frame {frame}");
            assert_eq!(out[..2 * n], samples[start..start + 2 * n], "{name}");
        }
    }
    let mut reader = WavReader::new(Cursor::new(file)).expect("header");
    let err = reader.seek_to_frame(21).expect_err("beyond");
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
}

/// A source of `len` bytes of silence after `header`, generated as it is read.
struct Generated {
    header: Vec<u8>,
    at: u64,
    len: u64,
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let head = self.header.len() as u64;
        if self.at < head {
            let rest = &self.header[self.at as usize..];
            let n = rest.len().min(buf.len());
            buf[..n].copy_from_slice(&rest[..n]);
            self.at += n as u64;
            return Ok(n);
        }
        let n = (self.len + head - self.at).min(buf.len() as u64) as usize;
        buf[..n].fill(0);
        self.at += n as u64;
        Ok(n)
    }
}

#[test]
fn memory_stays_within_the_block_whatever_the_header_or_the_stream() {
    let spec = WavSpec::new(2, 48_000, SampleFormat::Pcm16);
    let mut header = Vec::new();
    WavStreamWriter::new(&mut header, spec)
        .expect("header")
        .finish()
        .expect("finish");
    // An 8 MiB open-ended stream, read into a 1 MiB buffer: the reader's block is 64 KiB.
    let mut out = vec![0f32; 1 << 18];
    let source = Generated {
        header,
        at: 0,
        len: 8 << 20,
    };
    let (frames, peak) = peak_during(|| {
        let mut reader = WavReader::new(source).expect("header");
        let mut frames = 0;
        loop {
            match reader.read_interleaved(&mut out).expect("read") {
                0 => break frames,
                n => frames += n,
            }
        }
    });
    assert_eq!(frames, 2 << 20);
    assert!(
        peak <= 64 * 1024 + 1024,
        "the reader allocated {peak} bytes"
    );

    // Hostile headers: a 4 GiB data claim over 16 bytes, a 4 GiB LIST chunk.
    for name in ["claims_4gb.wav", "huge_list.wav", "lying_data_size.wav"] {
        let path = format!("{}/tests/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).expect("corpus file");
        let (result, peak) = peak_during(|| read_all(&bytes, Strictness::Strict, 1 << 16));
        assert!(result.is_err(), "{name}");
        // The caller's 512 KiB buffer, the reader's block (64 KiB at most, whatever the claim),
        // and the error.
        assert!(
            peak <= (1 << 16) * 2 * 4 + 64 * 1024 + 1024,
            "{name}: {peak}"
        );
    }
}
