"""CPython baseline for crates/strata-zip/benches/zip.rs: deflate 64 MiB of mixed data in memory.

Prints `group<TAB>function<TAB>ns-per-iteration` for `cargo xtask bench`. The data has the benchmark's
shape: 1 MiB blocks alternating text-like words (a ten-word vocabulary) and random bytes.
"""
import io
import random
import time
import zipfile

GROUP = "zip deflate 64MiB mixed (level 6)"
BLOCK = 1 << 20
BLOCKS = 64
LEVEL = 6
WORDS = [b"stream ", b"buffer ", b"the ", b"of ", b"zip ", b"bytes ", b"io\n", b"python ", b"rust ", b"a "]


def mixed():
    rng = random.Random(7)
    blocks = []
    for block in range(BLOCKS):
        if block % 2 == 0:
            text = b"".join(rng.choices(WORDS, k=BLOCK // 4))
            while len(text) < BLOCK:
                text += text
            blocks.append(text[:BLOCK])
        else:
            blocks.append(rng.randbytes(BLOCK))
    return b"".join(blocks)


def deflate(data):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=LEVEL) as zf:
        zf.writestr(zipfile.ZipInfo("mixed.bin", (1980, 1, 1, 0, 0, 0)), data,
                    compress_type=zipfile.ZIP_DEFLATED, compresslevel=LEVEL)
    return buf.getvalue()


def main():
    data = mixed()
    deflate(data)  # warm-up
    runs = []
    for _ in range(3):
        start = time.perf_counter_ns()
        deflate(data)
        runs.append(time.perf_counter_ns() - start)
    runs.sort()
    print(f"{GROUP}\tCPython zipfile\t{runs[1]}")


if __name__ == "__main__":
    main()
