"""Independent reader for strata-wav's tests: checks every WAV it is given with Python alone.

Input on stdin, repeated: u32 length + WAV bytes, u32 count + that many f32 samples (the interleaved
input the WAV was encoded from). For each WAV it prints one line:

    <reader> <channels> <rate> <sample width> <frames> <samples>

where <reader> is `wave` when Python's `wave` module read the file (basic PCM layout) or `struct` when
the header was parsed here with `struct` (float and WAVE_FORMAT_EXTENSIBLE, which `wave` in 3.11 cannot
read), and <samples> is `exact` when every sample equals the input converted as strata-wav documents
(clamp to [-1, 1], scale by 2**(bits-1), round half to even, saturate), or the first mismatch.
"""
import io
import struct
import sys
import wave

EXT_TAIL = bytes.fromhex("000000001000800000aa00389b71")


def expected_int(x, bits):
    if x != x:  # NaN
        return 0
    full = 2 ** (bits - 1)
    return max(-full, min(full - 1, round(max(-1.0, min(1.0, x)) * full)))


def parse_header(blob):
    """RIFF walk with struct: (tag, channels, rate, block_align, bits, data bytes)."""
    riff, size, form = struct.unpack_from("<4sI4s", blob, 0)
    assert riff == b"RIFF" and form == b"WAVE", (riff, form)
    assert size == len(blob) - 8, f"RIFF size {size} but the file has {len(blob) - 8} bytes after it"
    pos, fmt = 12, None
    while True:
        cid, csize = struct.unpack_from("<4sI", blob, pos)
        body = blob[pos + 8 : pos + 8 + csize]
        if cid == b"fmt ":
            tag, ch, rate, byte_rate, align, bits = struct.unpack_from("<HHIIHH", body, 0)
            assert byte_rate == rate * align, (byte_rate, rate, align)
            if tag == 0xFFFE:
                cb, valid, mask, sub = struct.unpack_from("<HHIH", body, 16)
                assert csize == 40 and cb == 22 and valid == bits, (csize, cb, valid, bits)
                assert mask == (1 << min(ch, 18)) - 1, mask
                assert body[26:40] == EXT_TAIL
                tag = sub
            elif tag == 3:
                assert csize == 18 and struct.unpack_from("<H", body, 16)[0] == 0
            else:
                assert csize == 16, csize
            assert align == ch * bits // 8
            fmt = (tag, ch, rate, align, bits)
        elif cid == b"data":
            assert fmt is not None
            assert len(body) == csize
            return fmt + (body,)
        pos += 8 + csize + (csize & 1)


def samples_of(tag, bits, data):
    width = bits // 8
    if tag == 3:
        return [v for (v,) in struct.iter_unpack("<f", data)]
    return [int.from_bytes(data[i : i + width], "little", signed=True) for i in range(0, len(data), width)]


def check_samples(tag, bits, got, floats):
    if len(got) != len(floats):
        return f"count {len(got)} != {len(floats)}"
    for i, (g, x) in enumerate(zip(got, floats)):
        want = x if tag == 3 else expected_int(x, bits)
        if g != want and not (tag == 3 and g != g and x != x):
            return f"sample {i}: {g} != {want} (input {x!r})"
    return "exact"


def main():
    data = sys.stdin.buffer.read()
    pos = 0
    while pos < len(data):
        (n,) = struct.unpack_from("<I", data, pos)
        blob = data[pos + 4 : pos + 4 + n]
        pos += 4 + n
        (count,) = struct.unpack_from("<I", data, pos)
        floats = [v for (v,) in struct.iter_unpack("<f", data[pos + 4 : pos + 4 + 4 * count])]
        pos += 4 + 4 * count
        tag, ch, rate, align, bits, body = parse_header(blob)
        if struct.unpack_from("<H", blob, 20)[0] == 1:
            with wave.open(io.BytesIO(blob)) as w:
                frames = w.readframes(w.getnframes())
                got = samples_of(1, w.getsampwidth() * 8, frames)
                line = ("wave", w.getnchannels(), w.getframerate(), w.getsampwidth(), w.getnframes())
                assert frames == body
        else:
            got = samples_of(tag, bits, body)
            line = ("struct", ch, rate, bits // 8, len(body) // align)
        print(*line, check_samples(tag, bits, got, floats))


main()
