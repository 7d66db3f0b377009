"""Writes the hostile-input corpus of strata-wav's decoder (run from this directory; the files are
checked in, this script documents how each was made). The expected outcome of each file is the table
in `tests/it/corpus.rs`."""
import struct

EXT_TAIL = bytes.fromhex("000000001000800000aa00389b71")


def chunk(cid, body, size=None):
    return cid + struct.pack("<I", len(body) if size is None else size) + body


def fmt(tag=1, channels=2, rate=8000, align=None, bits=16, extra=b""):
    align = channels * bits // 8 if align is None else align
    return struct.pack("<HHIIHH", tag, channels, rate, rate * align, align, bits) + extra


def ext(bits=24, valid=24, sub=1, tail=EXT_TAIL, channels=1):
    extra = struct.pack("<HHIH", 22, valid, 1, sub) + tail
    return fmt(0xFFFE, channels, 8000, None, bits, extra)


def riff(*chunks, size=None, form=b"WAVE", magic=b"RIFF"):
    body = form + b"".join(chunks)
    return magic + struct.pack("<I", len(body) if size is None else size) + body


FRAMES = bytes(range(8))  # two stereo 16-bit frames

CORPUS = {
    "empty.wav": b"",
    "riff_only.wav": b"RIFF",
    "aiff.wav": b"FORM\x00\x00\x00\x04AIFF",
    "avi.wav": riff(form=b"AVI "),
    "rf64.wav": riff(chunk(b"ds64", struct.pack("<QQQI", 64, 8, 2, 0)), chunk(b"fmt ", fmt()),
                     chunk(b"data", FRAMES, size=0xFFFFFFFF), magic=b"RF64", size=0xFFFFFFFF),
    "bw64_open_ended.wav": riff(chunk(b"ds64", struct.pack("<QQQI", 2**64 - 1, 2**64 - 1, 0, 0)),
                                chunk(b"fmt ", fmt()), chunk(b"data", FRAMES, size=0xFFFFFFFF),
                                magic=b"BW64", size=0xFFFFFFFF),
    # A ds64 data size just below the open-ended marker: the truncation message must not overflow.
    "rf64_huge_ds64.wav": riff(chunk(b"ds64", struct.pack("<QQQI", 2**64 - 2, 2**64 - 2, 0, 0)),
                               chunk(b"fmt ", fmt()), chunk(b"data", FRAMES[:2], size=0xFFFFFFFF),
                               magic=b"RF64", size=0xFFFFFFFF),
    "rf64_without_ds64.wav": riff(chunk(b"fmt ", fmt()), chunk(b"data", FRAMES, size=0xFFFFFFFF),
                                  magic=b"RF64", size=0xFFFFFFFF),
    "rifx.wav": riff(chunk(b"fmt ", fmt()), magic=b"RIFX"),
    "ima_adpcm.wav": riff(chunk(b"fmt ", fmt(tag=0x11, bits=4, align=256)), chunk(b"data", FRAMES)),
    "ulaw.wav": riff(chunk(b"fmt ", fmt(tag=7, bits=8, extra=b"\x00\x00")), chunk(b"data", FRAMES)),
    "pcm12_in_16.wav": riff(chunk(b"fmt ", fmt(bits=12, align=4)), chunk(b"data", FRAMES)),
    "extensible_24_in_32.wav": riff(chunk(b"fmt ", ext(bits=32, valid=24)), chunk(b"data", FRAMES)),
    # sox's unknown length, written when it writes to a pipe.
    "sox_open_ended.wav": riff(chunk(b"fmt ", fmt()), chunk(b"data", FRAMES, size=0x7FFFF000),
                               size=0x7FFFF024),
    "cut_chunk_header.wav": riff(b"fmt \x10\x00"),
    "cut_fmt.wav": riff(chunk(b"fmt ", fmt()[:10], size=16)),
    "short_fmt.wav": riff(chunk(b"fmt ", fmt()[:14]), chunk(b"data", FRAMES)),
    "data_before_fmt.wav": riff(chunk(b"data", FRAMES), chunk(b"fmt ", fmt())),
    "no_data.wav": riff(chunk(b"fmt ", fmt())),
    "zero_channels.wav": riff(chunk(b"fmt ", fmt(channels=0, align=0)), chunk(b"data", FRAMES)),
    "zero_rate.wav": riff(chunk(b"fmt ", fmt(rate=0)), chunk(b"data", FRAMES)),
    "absurd_channels.wav": riff(chunk(b"fmt ", fmt(channels=65535, align=2)), chunk(b"data", FRAMES)),
    "lying_data_size.wav": riff(chunk(b"fmt ", fmt()), chunk(b"data", FRAMES, size=1000)),
    "claims_4gb.wav": riff(chunk(b"fmt ", fmt()), chunk(b"data", FRAMES, size=0xFFFFFFFE), size=0xFFFFFFF0),
    "huge_list.wav": riff(chunk(b"fmt ", fmt()), chunk(b"LIST", b"INFO", size=0xFFFFFFF0), chunk(b"data", FRAMES)),
    "partial_frame.wav": riff(chunk(b"fmt ", fmt()), chunk(b"data", FRAMES[:6])),
    "adpcm.wav": riff(chunk(b"fmt ", fmt(tag=2, bits=4, align=512)), chunk(b"data", FRAMES)),
    "pcm8.wav": riff(chunk(b"fmt ", fmt(bits=8)), chunk(b"data", FRAMES)),
    "float64.wav": riff(chunk(b"fmt ", fmt(tag=3, bits=64)), chunk(b"data", bytes(16))),
    "short_extensible.wav": riff(chunk(b"fmt ", fmt(tag=0xFFFE, bits=24)), chunk(b"data", bytes(6))),
    "extensible_mp3_guid.wav": riff(chunk(b"fmt ", ext(sub=0x55)), chunk(b"data", bytes(6))),
    "extensible_foreign_guid.wav": riff(chunk(b"fmt ", ext(tail=bytes(14))), chunk(b"data", bytes(6))),
    "extensible_valid_bits.wav": riff(chunk(b"fmt ", ext(valid=32)), chunk(b"data", bytes(6))),
    "two_fmt.wav": riff(chunk(b"fmt ", fmt()), chunk(b"fmt ", fmt()), chunk(b"data", FRAMES)),
    # Accepted oddities.
    "odd_list_padded.wav": riff(chunk(b"LIST", b"abc") + b"\x00", chunk(b"fmt ", fmt()), chunk(b"data", FRAMES)),
    "wrong_riff_size.wav": riff(chunk(b"fmt ", fmt()), chunk(b"data", FRAMES), size=4),
    "open_ended_ffff.wav": riff(chunk(b"fmt ", fmt()), chunk(b"data", FRAMES + b"\x01", size=0xFFFFFFFF), size=0xFFFFFFFF),
    "open_ended_zero.wav": riff(chunk(b"fmt ", fmt()), chunk(b"data", FRAMES, size=0), size=0),
    "extensible_20_in_24.wav": riff(chunk(b"fmt ", ext(valid=20)), chunk(b"data", bytes(6))),
    "trailing_chunk.wav": riff(chunk(b"fmt ", fmt()), chunk(b"data", FRAMES), chunk(b"LIST", b"x" * 5)),
    # An empty data chunk inside a RIFF that goes on: the LIST after it is not audio.
    "empty_data_then_list.wav": riff(chunk(b"fmt ", fmt()), chunk(b"data", b""), chunk(b"LIST", b"INFOabcd")),
    # A writer that could not seek back: the sizes of an empty file, the frames after them.
    "empty_sizes_then_frames.wav": riff(chunk(b"fmt ", fmt()), chunk(b"data", b"", size=0), size=36) + FRAMES,
}

for name, data in CORPUS.items():
    with open(name, "wb") as f:
        f.write(data)
