"""CPython baselines for crates/strata-zip/benches/zip.rs: deflate 64 MiB of mixed data in memory, and
read it back (inflate).

Prints `group<TAB>function<TAB>ns-per-iteration` for `cargo xtask bench`. The data is the benchmark's,
byte for byte (the same xorshift64 generator; both sides check its CRC-32): 1 MiB blocks alternating
text-like words (a ten-word vocabulary) and random bytes.
"""
import io
import time
import zipfile
import zlib

GROUP = "zip deflate 64MiB mixed (level 6)"
INFLATE = "zip inflate 64MiB mixed (level 6)"
BLOCK = 1 << 20
BLOCKS = 64
LEVEL = 6
WORDS = [b"stream ", b"buffer ", b"the ", b"of ", b"zip ", b"bytes ", b"io\n", b"python ", b"rust ", b"a "]
# CRC-32 of the data; the Rust benchmark asserts the same value.
MIXED_CRC32 = 0x3D8995CD
MASK = (1 << 64) - 1


def mixed():
    x = 0x9E3779B97F4A7C15
    out = bytearray()
    for block in range(BLOCKS):
        end = (block + 1) * BLOCK
        while len(out) < end:
            x ^= (x << 13) & MASK
            x ^= x >> 7
            x ^= (x << 17) & MASK
            if block % 2 == 0:
                out += WORDS[x % len(WORDS)]
            else:
                out += x.to_bytes(8, "little")
        del out[end:]
    return bytes(out)


def deflate(data):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=LEVEL) as zf:
        zf.writestr(zipfile.ZipInfo("mixed.bin", (1980, 1, 1, 0, 0, 0)), data,
                    compress_type=zipfile.ZIP_DEFLATED, compresslevel=LEVEL)
    return buf.getvalue()


def inflate(archive):
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        return zf.read("mixed.bin")


def median_ns(job, arg):
    """The median of three timed runs of `job(arg)`, after a warm-up."""
    job(arg)
    runs = []
    for _ in range(3):
        start = time.perf_counter_ns()
        job(arg)
        runs.append(time.perf_counter_ns() - start)
    runs.sort()
    return runs[1]


def main():
    data = mixed()
    crc = zlib.crc32(data)
    assert crc == MIXED_CRC32, f"data differs from the Rust benchmark's: {crc:#010x}"
    print(f"{GROUP}\tCPython zipfile\t{median_ns(deflate, data)}")
    archive = deflate(data)
    assert inflate(archive) == data
    print(f"{INFLATE}\tCPython zipfile\t{median_ns(inflate, archive)}")


if __name__ == "__main__":
    main()
