//! The one RIFF header parser, shared by [`decode`](crate::decode) (over a slice) and
//! [`WavReader`](crate::WavReader) (over any [`Read`]).
//!
//! The parser pulls bytes through [`Source`], which a slice and a stream both implement: it reads at
//! most 64 bytes of any chunk into a stack buffer and skips the rest, so no size field in the input can
//! make it allocate, and it checks every size against the bytes that really arrive. All arithmetic on
//! sizes is done in `u64`.

use std::io::{self, Read};

use crate::decode::{WavError, truncated};
use crate::spec::{
    Container, FmtChunk, GUID_TAIL, SampleFormat, TAG_ALAW, TAG_EXTENSIBLE, TAG_FLOAT, TAG_MULAW,
    TAG_PCM, UNKNOWN_LENGTH, WavSpec, default_channel_mask,
};

/// The data size sox writes when it cannot seek back (to a pipe): "unknown", like [`UNKNOWN_LENGTH`].
pub(crate) const SOX_UNKNOWN_LENGTH: u32 = 0x7fff_f000;

/// The most bytes of a `fmt ` or `ds64` chunk the parser looks at (an extensible `fmt ` is 40).
const CHUNK_PEEK: usize = 64;

/// Where the parser's bytes come from.
pub(crate) trait Source {
    /// Fills `buf` from the input, returning fewer bytes than asked only at its end.
    fn fill(&mut self, buf: &mut [u8]) -> io::Result<usize>;
    /// Skips `n` bytes, returning fewer only at the end of the input.
    fn skip(&mut self, n: u64) -> io::Result<u64>;
}

/// A slice as a [`Source`]; `pos` is where the parser stopped.
pub(crate) struct SliceSource<'a> {
    pub(crate) input: &'a [u8],
    pub(crate) pos: usize,
}

impl Source for SliceSource<'_> {
    fn fill(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let rest = self.input.get(self.pos..).unwrap_or_default();
        let n = buf.len().min(rest.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.pos += n;
        Ok(n)
    }

    fn skip(&mut self, n: u64) -> io::Result<u64> {
        let rest = (self.input.len() - self.pos) as u64;
        let n = n.min(rest);
        self.pos += n as usize; // at most the slice's length
        Ok(n)
    }
}

/// A stream as a [`Source`].
pub(crate) struct StreamSource<'a, R>(pub(crate) &'a mut R);

impl<R: Read> Source for StreamSource<'_, R> {
    fn fill(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        read_full(self.0, buf)
    }

    fn skip(&mut self, n: u64) -> io::Result<u64> {
        // `io::copy` goes through an 8 KiB stack buffer: skipping allocates nothing.
        io::copy(&mut self.0.by_ref().take(n), &mut io::sink())
    }
}

/// Reads into `buf` until it is full or the reader ends (retrying interrupted reads); returns how many
/// bytes arrived.
pub(crate) fn read_full<R: Read>(reader: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(filled)
}

/// How long the data chunk is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DataLen {
    /// The header's size, in bytes.
    Declared(u64),
    /// The header said "unknown": the data runs to the end of the input.
    OpenEnded,
}

/// A parsed header: the spec, the data chunk's length, and where its body starts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parsed {
    pub(crate) spec: WavSpec,
    pub(crate) data: DataLen,
}

/// Parses the RIFF header from `src`, leaving it at the first byte of the data chunk's body.
///
/// Chunks before the data chunk are walked in order (`fmt ` must come before `data`; others such as
/// `LIST`, `fact` or `JUNK` are skipped, honouring RIFF's pad byte after odd sizes). The RIFF size is
/// not trusted (many writers get it wrong), except to tell an empty data chunk from an unknown one.
pub(crate) fn parse<S: Source>(src: &mut S) -> io::Result<Parsed> {
    let mut head = [0u8; 12];
    let got = src.fill(&mut head)?;
    if got < 12 {
        return Err(truncated("RIFF header", 12, got as u64));
    }
    let container = match &head[..4] {
        b"RIFF" => Container::Riff,
        b"RF64" | b"BW64" => Container::Rf64,
        b"RIFX" => return Err(WavError::Unsupported("big-endian RIFX".into()).into()),
        other => {
            let why = format!("it starts with \"{}\", not \"RIFF\"", other.escape_ascii());
            return Err(WavError::NotWav(why.into()).into());
        }
    };
    if &head[8..12] != b"WAVE" {
        let form = head[8..12].escape_ascii();
        let why = format!("the RIFF form type is \"{form}\", not \"WAVE\"");
        return Err(WavError::NotWav(why.into()).into());
    }
    let riff_size = u32_at(&head, 4);
    let mut pos: u64 = 12;
    let mut spec: Option<WavSpec> = None;
    let mut ds64_data: Option<u64> = None;
    loop {
        let mut chunk = [0u8; 8];
        let got = src.fill(&mut chunk)?;
        if got == 0 {
            return Err(WavError::MissingChunk("data").into());
        }
        if got < 8 {
            return Err(truncated("chunk header", 8, got as u64));
        }
        pos += 8;
        let id: [u8; 4] = [chunk[0], chunk[1], chunk[2], chunk[3]];
        let size = u32_at(&chunk, 4);
        if &id == b"data" {
            let mut spec = spec.ok_or(WavError::MissingChunk("fmt "))?;
            spec.container = container;
            let data = match (container, size) {
                (Container::Rf64, UNKNOWN_LENGTH) => match ds64_data {
                    None => return Err(WavError::MissingChunk("ds64").into()),
                    Some(u64::MAX) => DataLen::OpenEnded,
                    Some(len) => DataLen::Declared(len),
                },
                (_, UNKNOWN_LENGTH | SOX_UNKNOWN_LENGTH) => DataLen::OpenEnded,
                // An empty data chunk inside a RIFF that goes on is empty; a RIFF size that ends at
                // the data header (or is unknown itself) was written before the length was known.
                (_, 0) => match riff_size {
                    0 | UNKNOWN_LENGTH | SOX_UNKNOWN_LENGTH => DataLen::OpenEnded,
                    riff if u64::from(riff) + 8 <= pos => DataLen::OpenEnded,
                    _ => DataLen::Declared(0),
                },
                (_, size) => DataLen::Declared(u64::from(size)),
            };
            return Ok(Parsed { spec, data });
        }
        let size = u64::from(size);
        let what = || format!("\"{}\" chunk", id.escape_ascii());
        let mut peek = [0u8; CHUNK_PEEK];
        let peeked = size.min(CHUNK_PEEK as u64) as usize;
        let got = src.fill(&mut peek[..peeked])?;
        if got < peeked {
            return Err(truncated(what(), size + 8, got as u64 + 8));
        }
        let content = &peek[..peeked];
        match &id {
            b"fmt " => {
                if spec.is_some() {
                    return Err(
                        WavError::InvalidFmt("the file has two \"fmt \" chunks".into()).into(),
                    );
                }
                spec = Some(parse_fmt(content)?);
            }
            b"ds64" if container == Container::Rf64 => {
                if content.len() < 16 {
                    return Err(WavError::InvalidFmt(
                        format!(
                            "the \"ds64\" chunk holds {} bytes, fewer than the 16 of its sizes",
                            content.len()
                        )
                        .into(),
                    )
                    .into());
                }
                ds64_data = Some(u64_at(content, 8));
            }
            _ => {}
        }
        let rest = size - peeked as u64;
        let skipped = src.skip(rest)?;
        if skipped < rest {
            return Err(truncated(what(), size + 8, 8 + peeked as u64 + skipped));
        }
        // The pad byte after an odd-sized chunk (tolerated when missing at the very end).
        src.skip(size & 1)?;
        pos += size + (size & 1);
    }
}

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from(u32_at(bytes, at)) | u64::from(u32_at(bytes, at + 4)) << 32
}

/// The name of a compressed format tag, for the error that refuses it.
fn tag_name(tag: u16) -> Option<&'static str> {
    Some(match tag {
        0x0002 => "Microsoft ADPCM",
        0x0011 => "IMA ADPCM",
        0x0022 => "DSP Group TrueSpeech",
        0x0031 => "GSM 6.10",
        0x0040 => "G.721 ADPCM",
        0x0045 => "G.726 ADPCM",
        0x0050 => "MPEG audio",
        0x0055 => "MP3",
        0x00ff => "AAC",
        0x0160..=0x0163 => "Windows Media Audio",
        0x2000 => "Dolby AC-3",
        0x2001 => "DTS",
        0xf1ac => "FLAC",
        _ => return None,
    })
}

/// The error for a format this crate does not decode.
fn unsupported(what: String) -> io::Error {
    WavError::Unsupported(what.into()).into()
}

/// The spec a `fmt ` chunk describes (at most its first [`CHUNK_PEEK`] bytes).
fn parse_fmt(fmt: &[u8]) -> io::Result<WavSpec> {
    let bad = |why: String| -> io::Error { WavError::InvalidFmt(why.into()).into() };
    if fmt.len() < 16 {
        return Err(bad(format!(
            "it holds {} bytes, fewer than the 16 every layout needs",
            fmt.len()
        )));
    }
    let tag = u16_at(fmt, 0);
    let channels = u16_at(fmt, 2);
    let sample_rate = u32_at(fmt, 4);
    let block_align = u16_at(fmt, 12);
    let bits = u16_at(fmt, 14);
    let (subtag, layout, valid, mask) = if tag == TAG_EXTENSIBLE {
        if fmt.len() < 40 || u16_at(fmt, 16) < 22 {
            return Err(bad(format!(
                "WAVE_FORMAT_EXTENSIBLE needs 40 bytes with 22 of extension, got {} bytes",
                fmt.len()
            )));
        }
        let valid = u16_at(fmt, 18);
        if valid > bits {
            return Err(bad(format!("{valid} valid bits in a {bits}-bit container")));
        }
        let subtag = u16_at(fmt, 24);
        if fmt[26..40] != GUID_TAIL || subtag == 0 {
            return Err(unsupported(
                "a WAVE_FORMAT_EXTENSIBLE sub-format that is not a format tag".into(),
            ));
        }
        // hound's rule: a valid-bits field of 0 is a writer's mistake and means "all".
        let valid = if valid == 0 { bits } else { valid };
        (subtag, FmtChunk::Extensible, valid, Some(u32_at(fmt, 20)))
    } else {
        // The basic layout says the valid bits only: 12-bit PCM lives in 16-bit samples.
        (tag, FmtChunk::Basic, bits, None)
    };
    let container_bits = if layout == FmtChunk::Basic && subtag == TAG_PCM {
        bits.div_ceil(8).saturating_mul(8)
    } else {
        bits
    };
    let format = match (subtag, container_bits) {
        (TAG_PCM, 8) => SampleFormat::Pcm8,
        (TAG_PCM, 16) => SampleFormat::Pcm16,
        (TAG_PCM, 24) => SampleFormat::Pcm24,
        (TAG_PCM, 32) => SampleFormat::Pcm32,
        (TAG_FLOAT, 32) => SampleFormat::Float32,
        (TAG_FLOAT, 64) => SampleFormat::Float64,
        (TAG_MULAW, 8) => SampleFormat::MuLaw,
        (TAG_ALAW, 8) => SampleFormat::ALaw,
        (TAG_PCM, _) => return Err(unsupported(format!("{bits}-bit PCM"))),
        (TAG_FLOAT, _) => return Err(unsupported(format!("{bits}-bit float"))),
        (TAG_MULAW | TAG_ALAW, _) => {
            return Err(unsupported(format!("{bits}-bit G.711 (it has 8)")));
        }
        (tag, _) => {
            return Err(unsupported(match tag_name(tag) {
                Some(name) => format!("{name} (format tag 0x{tag:04x})"),
                None => format!("format tag 0x{tag:04x}"),
            }));
        }
    };
    if channels == 0 {
        return Err(bad("0 channels".into()));
    }
    if sample_rate == 0 {
        return Err(bad("sample rate 0".into()));
    }
    let spec = WavSpec {
        channels,
        sample_rate,
        format,
        fmt_chunk: layout,
        valid_bits: (format.is_pcm() && valid < container_bits).then_some(valid),
        channel_mask: mask.filter(|&m| m != default_channel_mask(channels)),
        container: Container::Riff,
    };
    if spec.block_align() != u32::from(block_align) {
        return Err(bad(format!(
            "block align {block_align} does not match {channels} channels of {} bytes",
            format.bytes_per_sample()
        )));
    }
    Ok(spec)
}
