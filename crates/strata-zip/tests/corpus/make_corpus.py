"""Builds the hostile ZIP corpus checked in beside this script (run once: `python3 make_corpus.py`).

Every archive is small and deterministic (fixed timestamps); `tests/it/hostile.rs` holds the table of
what reading each one must fail with.
"""
import struct
import zipfile

STAMP = (2024, 1, 1, 0, 0, 0)


def archive(path, entries, method=zipfile.ZIP_DEFLATED):
    """Writes (name, data[, external_attr]) entries to `path`."""
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data, *attr in entries:
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = method
            if attr:
                info.external_attr = attr[0]
            zf.writestr(info, data)


def patch(path, local_offset, central_offset, fmt, value):
    """Overwrites a field at `local_offset` in every local header and `central_offset` in every
    central-directory header."""
    data = bytearray(open(path, "rb").read())
    for sig, off in ((b"PK\x03\x04", local_offset), (b"PK\x01\x02", central_offset)):
        at = data.find(sig)
        while at >= 0:
            struct.pack_into(fmt, data, at + off, value)
            at = data.find(sig, at + 4)
    open(path, "wb").write(data)


archive("traversal.zip", [("../evil.txt", b"owned")])
archive("nested_traversal.zip", [("ok/../../evil.txt", b"owned")])
archive("absolute.zip", [("/tmp/evil.txt", b"owned")])
archive("drive.zip", [("C:/evil.txt", b"owned")])
archive("backslash.zip", [("..\\evil.txt", b"owned")])
archive("symlink.zip", [("link", b"/etc/passwd", (0o120777 << 16))])
# 2 MiB of zeros deflate to about 2 KiB: a ratio near 1000.
archive("bomb.zip", [("zeros.bin", bytes(2 << 20))])
archive("bzip2.zip", [("text.txt", b"hello " * 50)], zipfile.ZIP_BZIP2)

# Declares 100 bytes but inflates to 2 MiB.
archive("lying_small.zip", [("zeros.bin", bytes(2 << 20))])
patch("lying_small.zip", 22, 24, "<I", 100)

# Declares 1000 bytes but inflates to 10 (whose CRC is the one recorded).
archive("lying_large.zip", [("zeros.bin", bytes(10))])
patch("lying_large.zip", 22, 24, "<I", 1000)

archive("bad_crc.zip", [("data.txt", b"the quick brown fox " * 10)])
patch("bad_crc.zip", 14, 16, "<I", 0xDEADBEEF)

archive("encrypted.zip", [("secret.txt", b"not really encrypted")], zipfile.ZIP_STORED)
patch("encrypted.zip", 6, 8, "<H", 1)

archive("whole.zip", [("a.txt", b"alpha " * 40), ("b.txt", b"beta " * 40)])
# Valid: directory entries, nesting and a non-ASCII name (UTF-8 flag).
archive("dirs.zip", [("d/", b""), ("d/e/", b""), ("d/e/f.txt", b"deep"), ("d/\u00e9t\u00e9.txt", b"summer")])
whole = open("whole.zip", "rb").read()
open("truncated.zip", "wb").write(whole[: len(whole) // 2])
