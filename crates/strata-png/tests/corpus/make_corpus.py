"""Writes the hostile-input corpus of strata-png's decoder (run from this directory:
`python3 make_corpus.py`; the files are checked in, this script documents how each was made). Python's
standard library only. Every file is under 1 KiB; the expected outcome of each is the table in
`tests/it/corpus.rs`."""
import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Colour types.
GRAY, RGB, PALETTE, GRAY_ALPHA, RGBA = 0, 2, 3, 4, 6


def chunk(ctype, body, crc=None, length=None):
    """A chunk: length, type, body, CRC-32 of type and body (`crc` and `length` override them)."""
    crc = zlib.crc32(ctype + body) if crc is None else crc
    length = len(body) if length is None else length
    return struct.pack(">I", length) + ctype + body + struct.pack(">I", crc)


def ihdr(width, height, depth=8, colour=GRAY, interlace=0):
    return chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, interlace))


def idat(raw, level=9):
    """One IDAT holding `raw` (filtered scanlines) deflated."""
    return chunk(b"IDAT", zlib.compress(raw, level))


IEND = chunk(b"IEND", b"")


def png(*chunks):
    return SIGNATURE + b"".join(chunks)


def rows(width_bytes, height, fill=0):
    """`height` scanlines of filter type 0 (None) and `width_bytes` bytes of `fill` each."""
    return (b"\x00" + bytes([fill]) * width_bytes) * height


def adam7(width, height, bits):
    """The filtered scanlines (all zero) of an Adam7-interlaced `width` x `height` image."""
    out = b""
    for x0, y0, dx, dy in ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)):
        cols, lines = (width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy
        if cols > 0 and lines > 0:
            out += rows((cols * bits + 7) // 8, lines)
    return out


GRAY_1X1 = png(ihdr(1, 1), idat(b"\x00\x7f"), IEND)

# 2x2 RGBA, 16 bits per channel (big-endian in the file): red, green / blue, half-transparent white.
RGBA16 = [
    (0xFFFF, 0, 0, 0xFFFF), (0, 0xFFFF, 0, 0xFFFF),
    (0, 0, 0xFFFF, 0xFFFF), (0xFFFF, 0xFFFF, 0xFFFF, 0x8000),
]
RGBA16_RAW = b"".join(
    b"\x00" + b"".join(struct.pack(">4H", *p) for p in RGBA16[y * 2:y * 2 + 2]) for y in range(2)
)

# 2x2 palette image, 8-bit indices into a 3-colour palette.
PLTE = chunk(b"PLTE", bytes([255, 0, 0, 0, 255, 0, 0, 0, 255]))
PALETTE_RAW = b"\x00\x00\x01" + b"\x00\x02\x00"

VALID = png(ihdr(4, 4), idat(rows(4, 4, 0x80)), IEND)
IDAT_AT = VALID.index(b"IDAT") - 4  # the start of its IDAT chunk (length field)

# 900 bytes of deflated zeros: a complete zlib stream that inflates to 900 000 bytes, a thousandfold.
ZEROS = zlib.compress(bytes(900_000), 9)
assert len(ZEROS) < 920, len(ZEROS)

CORPUS = {
    "empty.png": b"",
    "signature_only.png": SIGNATURE,
    "not_png.png": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    "truncated_ihdr.png": SIGNATURE + ihdr(16, 16)[:15],
    "bad_ihdr_crc.png": png(chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, GRAY, 0, 0, 0), crc=0), idat(b"\x00\x7f"), IEND),
    "zero_width.png": png(ihdr(0, 1), idat(b"\x00"), IEND),
    "zero_height.png": png(ihdr(1, 0), idat(b""), IEND),
    # Decompression bombs by dimensions: a few dozen bytes that claim gigabytes.
    "huge_dimensions.png": png(ihdr(100_000, 100_000), idat(rows(1, 1)), IEND),
    # Within the 16384x16384 dimension limit, but 16384x16384 RGBA16 needs 2 GiB: over the 512 MiB
    # allocation limit. Its 900-byte IDAT of zeros would inflate to 900 kB.
    "over_alloc.png": png(ihdr(16_384, 16_384, 16, RGBA), chunk(b"IDAT", ZEROS), IEND),
    # Within every default limit: 4096x4096 gray needs 16 MiB, and 900 bytes of deflated zeros inflate
    # to 900 kB of it before the stream ends.
    "bomb_4096.png": png(ihdr(4096, 4096), chunk(b"IDAT", ZEROS), IEND),
    # A complete deflate bomb within the limits: 960x960 gray (922 560 bytes filtered) in 1 KiB.
    "bomb_960.png": png(ihdr(960, 960), idat(rows(960, 960)), IEND),
    "missing_iend.png": VALID[: len(VALID) - len(IEND)],
    "truncated_idat.png": VALID[: IDAT_AT + 8 + 5],
    "bad_idat_crc.png": VALID[: IDAT_AT + 8] + VALID[IDAT_AT + 8: VALID.index(IEND) - 4] + b"\0\0\0\0" + IEND,
    "broken_zlib.png": png(ihdr(4, 4), chunk(b"IDAT", b"\x78\x9c\xff\xff\xff\xff\xff\xff"), IEND),
    "no_idat.png": png(ihdr(4, 4), IEND),
    "bad_filter_type.png": png(ihdr(4, 4), idat(b"\x09" + bytes(4) + rows(4, 3)), IEND),
    "rgb_depth_4.png": png(ihdr(2, 2, 4, RGB), idat(rows(3, 2)), IEND),
    "gray_depth_3.png": png(ihdr(2, 2, 3, GRAY), idat(rows(1, 2)), IEND),
    "colour_type_5.png": png(ihdr(2, 2, 8, 5), idat(rows(6, 2)), IEND),
    "palette_without_plte.png": png(ihdr(2, 2, 8, PALETTE), idat(PALETTE_RAW), IEND),
    "palette_index_past_plte.png": png(ihdr(2, 2, 8, PALETTE), PLTE, idat(b"\x00\x00\xff\x00\x02\x07"), IEND),
    # A 1x1 palette image whose PLTE holds 4 bytes: png 0.18.1 panics on it (image-png #694); found
    # by the png_decode fuzz target.
    "plte_not_multiple_of_3.png": png(ihdr(1, 1, 8, PALETTE), chunk(b"PLTE", b"\xff\x00\x00\x00"), idat(b"\x00\x00", 6), IEND),
    "bad_interlace.png": png(ihdr(2, 2, 8, GRAY, interlace=2), idat(rows(2, 2)), IEND),
    # Valid files that must decode.
    "gray8_1x1.png": GRAY_1X1,
    "rgba16_2x2.png": png(ihdr(2, 2, 16, RGBA), idat(RGBA16_RAW), IEND),
    "palette_2x2.png": png(ihdr(2, 2, 8, PALETTE), PLTE, idat(PALETTE_RAW), IEND),
    "gray1_adam7_9x9.png": png(ihdr(9, 9, 1, GRAY, interlace=1), idat(adam7(9, 9, 1)), IEND),
}

if __name__ == "__main__":
    for name, data in CORPUS.items():
        assert len(data) < 1024, (name, len(data))
        with open(name, "wb") as f:
            f.write(data)
