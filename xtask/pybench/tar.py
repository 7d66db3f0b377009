"""CPython baseline for crates/strata-tar/benches/tar.rs: write 1 GiB of 100 KiB entries.

Prints `group<TAB>function<TAB>ns-per-iteration` for `cargo xtask bench`. The bytes are the
benchmark's (the same xorshift64 payload, checked by its CRC-32), the names `000000.bin`, …, written
with `tarfile.addfile` into a `BytesIO`, GNU format, as the Rust side's headers.
"""
import io
import tarfile
import time
import zlib

GROUP = "tar write 1GiB of 100KiB entries"
ENTRY = 100 << 10
ENTRIES = (1 << 30) // ENTRY
# CRC-32 of the payload; the Rust benchmark asserts the same value.
PAYLOAD_CRC32 = 0x4A6ACF5F
MASK = (1 << 64) - 1


def payload():
    x = 0x9E3779B97F4A7C15
    out = bytearray()
    while len(out) < ENTRY:
        x ^= (x << 13) & MASK
        x ^= x >> 7
        x ^= (x << 17) & MASK
        out += x.to_bytes(8, "little")
    return bytes(out)


def write(data):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for i in range(ENTRIES):
            info = tarfile.TarInfo(f"{i:06}.bin")
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return buf.getbuffer().nbytes


def main():
    data = payload()
    crc = zlib.crc32(data)
    assert crc == PAYLOAD_CRC32, f"data differs from the Rust benchmark's: {crc:#010x}"
    runs = []
    for _ in range(3):
        start = time.perf_counter_ns()
        write(data)
        runs.append(time.perf_counter_ns() - start)
    runs.sort()
    print(f"{GROUP}\tCPython tarfile\t{runs[1]}")


if __name__ == "__main__":
    main()
