"""Independent PNG reader for the strata-png tests: python3's zlib only, no imaging library.

For each path on the command line: check the signature, every chunk's CRC-32 (`zlib.crc32` over type
and data), the chunk order (IHDR first, IEND last), inflate the concatenated IDAT data, check its size
(height rows of one filter byte plus the row bytes), undo the five PNG row filters, and print

    <path> <width> <height> <bit depth> <colour type> <hex of the raw pixel bytes, big-endian samples>

A failed check prints `<path> ERROR <what>` instead.
"""
import struct
import sys
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}


def chunks(data):
    if not data.startswith(SIGNATURE):
        raise ValueError("bad signature")
    at = len(SIGNATURE)
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        if zlib.crc32(kind + body) != crc:
            raise ValueError(f"bad CRC in {kind!r}")
        yield kind, body
        at += 12 + length


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def unfilter(raw, height, stride, bpp):
    out = bytearray()
    prev = bytearray(stride)
    for y in range(height):
        row = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        kind, line = row[0], bytearray(row[1:])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                line[i] = (line[i] + paeth(a, b, c)) & 0xFF
            elif kind != 0:
                raise ValueError(f"bad filter type {kind} in row {y}")
        out += line
        prev = line
    return bytes(out)


def check(path):
    data = open(path, "rb").read()
    found = list(chunks(data))
    kinds = [kind for kind, _ in found]
    if kinds[0] != b"IHDR" or kinds[-1] != b"IEND":
        raise ValueError(f"bad chunk order {kinds}")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", found[0][1])
    if interlace != 0:
        raise ValueError("interlaced")
    bpp = CHANNELS[colour] * depth // 8
    stride = width * bpp
    raw = zlib.decompress(b"".join(body for kind, body in found if kind == b"IDAT"))
    if len(raw) != height * (stride + 1):
        raise ValueError(f"IDAT inflates to {len(raw)} bytes, expected {height * (stride + 1)}")
    pixels = unfilter(raw, height, stride, bpp)
    return f"{width} {height} {depth} {colour} {pixels.hex()}"


for path in sys.argv[1:]:
    try:
        print(path, check(path))
    except Exception as err:  # report every failure as data for the Rust side
        print(path, "ERROR", err)
