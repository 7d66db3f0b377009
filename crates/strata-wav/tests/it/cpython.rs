//! CPython 3.11 as the reference for the formats its standard library knows: `wave` writes and reads
//! 8/16/24/32-bit PCM (and its own `Lib/test/audiodata/pluck-pcm*.wav` files are decoded), and
//! `audioop` is the G.711 codec in both directions.

use strata_wav::{FmtChunk, SampleFormat, Strictness, WavReader, WavSpec};

use crate::{python, read_all};

/// Runs `python3 -c code` (warnings off: `audioop` is deprecated) with `input` on stdin.
fn run(code: &str, input: Vec<u8>) -> Vec<u8> {
    python(&["-W", "ignore", "-c", code], input)
}

/// Splits `u32 length + bytes` records.
fn records(mut bytes: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while let Some((len, rest)) = bytes.split_first_chunk::<4>() {
        let len = u32::from_le_bytes(*len) as usize;
        out.push(&rest[..len]);
        bytes = &rest[len..];
    }
    out
}

/// Each case: a WAV file made by `wave` (or shipped with CPython's tests), and what `wave` reads from
/// it: `channels width rate frames` and the raw frames.
const WAVE_FILES: &str = r#"
import io, os, struct, sys, test, wave
def emit(b):
    sys.stdout.buffer.write(struct.pack("<I", len(b)) + b)
def show(name, blob):
    with wave.open(io.BytesIO(blob)) as w:
        meta = f"{name} {w.getnchannels()} {w.getsampwidth()} {w.getframerate()} {w.getnframes()}"
        frames = w.readframes(w.getnframes())
    emit(blob); emit(meta.encode()); emit(frames)
for width in (1, 2, 3, 4):
    for channels in (1, 2, 3):
        buf = io.BytesIO()
        with wave.open(buf, "wb") as w:
            w.setnchannels(channels); w.setsampwidth(width); w.setframerate(11025)
            w.writeframes(bytes((i * 37 + 11) % 256 for i in range(101 * width * channels)))
        show(f"wave-{width}x{channels}", buf.getvalue())
audio = os.path.join(os.path.dirname(test.__file__), "audiodata")
for name in ("pluck-pcm8.wav", "pluck-pcm16.wav", "pluck-pcm24.wav", "pluck-pcm32.wav"):
    with open(os.path.join(audio, name), "rb") as f:
        show(name, f.read())
"#;

#[test]
fn files_wave_writes_and_cpython_ships_decode_to_the_frames_wave_reads() {
    let out = run(WAVE_FILES, Vec::new());
    let records = records(&out);
    assert_eq!(
        records.len(),
        3 * (12 + 4),
        "python3 printed {} records",
        records.len()
    );
    for case in records.chunks(3) {
        let [blob, meta, frames] = case else {
            unreachable!("chunks of 3")
        };
        let meta = std::str::from_utf8(meta).expect("utf-8");
        let wav = strata_wav::decode(blob).unwrap_or_else(|e| panic!("{meta}: {e}"));
        let spec = wav.spec();
        let ours = format!(
            "{} {} {} {} {}",
            meta.split(' ').next().unwrap_or_default(),
            spec.channels,
            spec.format.bytes_per_sample(),
            spec.sample_rate,
            wav.frames()
        );
        assert_eq!(ours, meta);
        assert_eq!(wav.data(), *frames, "{meta}: the sample bytes");
        // The samples: 8-bit is unsigned, the rest two's complement, all full scale.
        let width = usize::from(spec.format.bytes_per_sample());
        let expected: Vec<i32> = frames
            .chunks(width)
            .map(|s| match *s {
                [b] => (i32::from(b) - 128) << 24,
                _ => {
                    let mut word = [0u8; 4];
                    word[4 - width..].copy_from_slice(s);
                    i32::from_le_bytes(word)
                }
            })
            .collect();
        assert_eq!(wav.samples::<i32>(), expected, "{meta}");
        let streamed = read_all(blob, Strictness::Strict, 64).expect("reader");
        assert_eq!(streamed.0, expected, "{meta}: WavReader");
    }
}

/// Reads each `u32 length + WAV` record with `wave` and emits `channels width rate` and the frames.
const WAVE_READS: &str = r#"
import io, struct, sys, wave
data = sys.stdin.buffer.read()
pos = 0
while pos < len(data):
    (n,) = struct.unpack_from("<I", data, pos)
    with wave.open(io.BytesIO(data[pos + 4 : pos + 4 + n])) as w:
        meta = f"{w.getnchannels()} {w.getsampwidth()} {w.getframerate()}".encode()
        frames = w.readframes(w.getnframes())
    pos += 4 + n
    for b in (meta, frames):
        sys.stdout.buffer.write(struct.pack("<I", len(b)) + b)
"#;

#[test]
fn wave_reads_the_pcm_this_crate_writes_at_every_width() {
    let samples: Vec<i16> = (0..300)
        .map(|i| (i * 7919 % 65_536 - 32_768) as i16)
        .collect();
    let formats = [
        SampleFormat::Pcm8,
        SampleFormat::Pcm16,
        SampleFormat::Pcm24,
        SampleFormat::Pcm32,
    ];
    let mut input = Vec::new();
    for format in formats {
        let spec = WavSpec::new(3, 22_050, format).with_fmt_chunk(FmtChunk::Basic);
        let wav = spec.encode_interleaved(&samples).expect("encode");
        input.extend_from_slice(&(wav.len() as u32).to_le_bytes());
        input.extend_from_slice(&wav);
    }
    let out = run(WAVE_READS, input);
    let records = records(&out);
    assert_eq!(records.len(), 2 * formats.len());
    for (format, case) in formats.iter().zip(records.chunks(2)) {
        let width = format.bytes_per_sample();
        assert_eq!(case[0], format!("3 {width} 22050").as_bytes(), "{format:?}");
        // What `wave` reads, recomputed here from the 16-bit input: 8-bit is the top byte plus 128.
        let expected: Vec<u8> = samples
            .iter()
            .flat_map(|&s| match format {
                SampleFormat::Pcm8 => vec![((s >> 8) + 128) as u8],
                _ => (i32::from(s) << 16).to_le_bytes()[4 - usize::from(width)..].to_vec(),
            })
            .collect();
        assert_eq!(case[1], expected, "{format:?}");
    }
}

/// `audioop`'s G.711 tables: µ-law and A-law decoding of all 256 codes, then encoding of all 65536
/// 16-bit samples.
const AUDIOOP_G711: &str = r#"
import audioop, struct, sys
codes = bytes(range(256))
linear = struct.pack("<65536h", *range(-32768, 32768))
for b in (audioop.ulaw2lin(codes, 2), audioop.alaw2lin(codes, 2),
          audioop.lin2ulaw(linear, 2), audioop.lin2alaw(linear, 2)):
    sys.stdout.buffer.write(struct.pack("<I", len(b)) + b)
"#;

#[test]
fn g711_matches_audioop_both_ways() {
    let out = run(AUDIOOP_G711, Vec::new());
    let [ulaw2lin, alaw2lin, lin2ulaw, lin2alaw] = records(&out)[..] else {
        panic!("python3 printed {} bytes", out.len())
    };
    let all: Vec<i16> = (i16::MIN..=i16::MAX).collect();
    let codes: Vec<u8> = (0..=255).collect();
    for (format, decoded, encoded) in [
        (SampleFormat::MuLaw, ulaw2lin, lin2ulaw),
        (SampleFormat::ALaw, alaw2lin, lin2alaw),
    ] {
        let spec = WavSpec::new(1, 8_000, format);
        // Decoding: a file of all 256 codes, through decode and through the reader.
        let mut wav = spec
            .encode_interleaved(&[0i16; 256])
            .expect("encode")
            .to_vec();
        let at = wav.len() - 256;
        wav[at..].copy_from_slice(&codes);
        let want: Vec<i16> = decoded
            .chunks(2)
            .map(|b| i16::from_le_bytes([b[0], b[1]]))
            .collect();
        assert_eq!(
            strata_wav::decode(&wav).expect("decode").samples::<i16>(),
            want,
            "{format:?}"
        );
        let mut reader = WavReader::new(&wav[..]).expect("header");
        let mut out = [0i16; 300];
        assert_eq!(reader.read_interleaved(&mut out).expect("read"), 256);
        assert_eq!(out[..256], want[..], "{format:?} WavReader");
        // Encoding: every 16-bit sample.
        let wav = spec.encode_interleaved(&all).expect("encode");
        assert_eq!(&wav[wav.len() - all.len()..], encoded, "{format:?}");
    }
}
