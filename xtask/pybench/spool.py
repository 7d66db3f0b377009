"""CPython baselines for crates/strata-spool/benches/spool.rs.

Prints `group<TAB>function<TAB>ns-per-iteration` for `cargo xtask bench`, with the benchmark's group
names and shapes: 1 GiB written in 64 KiB writes; a million 16-byte writes after rollover;
readline over about 100 MB of 80-byte lines.
Each figure is the best of a few runs (well under 30 s in all).
"""
import io
import mmap
import tempfile
import time

CHUNK = 64 * 1024
CHUNKS = 16384
LINE = b"x" * 79 + b"\n"
LINES = 1_250_000
WRITE_GROUP = "spool write 1GiB in 64KiB writes"
SMALL_GROUP = "spool write 16B x1e6 after rollover"
READ_GROUP = "readline 100MB file"


def best(fn, runs=3):
    times = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        fn()
        times.append(time.perf_counter_ns() - start)
    return min(times)


def write_spooled():
    chunk = b"\x5a" * CHUNK
    # max_size=0 means "never roll over" in Python; 1 rolls over at the first write, like the Rust side.
    with tempfile.SpooledTemporaryFile(max_size=1) as f:
        for _ in range(CHUNKS):
            f.write(chunk)
        assert f._rolled


def write_small_spooled():
    small = b"0123456789abcdef"
    with tempfile.SpooledTemporaryFile(max_size=1) as f:
        f.write(small)
        assert f._rolled
        for _ in range(1_000_000 - 1):
            f.write(small)
        f.flush()


def write_bytesio():
    chunk = b"\x5a" * CHUNK
    f = io.BytesIO()
    for _ in range(CHUNKS):
        f.write(chunk)


def readline_mmap(path):
    with open(path, "rb") as raw, mmap.mmap(raw.fileno(), 0, access=mmap.ACCESS_READ) as m:
        count = 0
        while m.readline():
            count += 1
        assert count == LINES


def readline_file(path):
    with open(path, "rb") as f:
        count = 0
        while f.readline():
            count += 1
        assert count == LINES


def main():
    print(f"{WRITE_GROUP}\tCPython tempfile.SpooledTemporaryFile\t{best(write_spooled)}")
    print(f"{WRITE_GROUP}\tCPython io.BytesIO\t{best(write_bytesio)}")
    print(f"{SMALL_GROUP}\tCPython tempfile.SpooledTemporaryFile\t{best(write_small_spooled)}")
    with tempfile.NamedTemporaryFile() as f:
        f.write(LINE * LINES)
        f.flush()
        print(f"{READ_GROUP}\tCPython mmap.readline\t{best(lambda: readline_mmap(f.name))}")
        print(f"{READ_GROUP}\tCPython BufferedReader.readline\t{best(lambda: readline_file(f.name))}")


if __name__ == "__main__":
    main()
