"""CPython baselines for crates/strata-buffered/benches/bytesio.rs (read by `cargo xtask bench`).

Prints `group<TAB>CPython io.BytesIO<TAB>nanoseconds-per-iteration` for the same groups as the criterion
benchmarks: the best of a few repeats, so a busy machine inflates the numbers less, except where a group
says otherwise.
"""
import ctypes
import io
import statistics
import time

FUNCTION = "CPython io.BytesIO"


def times_ns(fn, repeats):
    """The time of each of `repeats` calls of `fn`."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter_ns()
        fn()
        times.append(time.perf_counter_ns() - start)
    return times


def best_ns(fn, repeats):
    return min(times_ns(fn, repeats))


def median_ns(fn, repeats):
    return statistics.median(times_ns(fn, repeats))


def address(buffer):
    """Where a writable buffer's first byte lies in memory."""
    with memoryview(buffer) as view:
        first = ctypes.c_char.from_buffer(view)
        at = ctypes.addressof(first)
        del first  # releases the export, so the buffer may be resized again
    return at


def report(group, ns):
    print(f"{group}\t{FUNCTION}\t{ns:.1f}")


def write_small():
    small = b"0123456789abcdef"

    def run():
        f = io.BytesIO()
        write = f.write
        for _ in range(1_000_000):
            write(small)
        return f.getvalue()

    report("bytesio write 16B x1e6", best_ns(run, 5))


def write_warm():
    chunk_len = 64 * 1024
    f = io.BytesIO()
    f.write(b"\x5a" * (chunk_len * 16))
    # As in the criterion group: the source starts at the destination's offset within a 4 KiB page, so
    # the copy is not slowed by a source and destination at different offsets within a cache line.
    at = address(f.getbuffer()) % 4096
    source = bytearray(b"\x5a" * (chunk_len + 4096))
    start = (at - address(source)) % 4096
    chunk = memoryview(source)[start : start + chunk_len]

    def run():
        # CPython's truncate(0) gives the memory back, so "warm" here is overwriting in place.
        f.seek(0)
        for _ in range(16):
            f.write(chunk)

    # The median, as criterion reports for the Rust side: the best of 2000 runs of 22 us is the luckiest
    # copy, not the typical one.
    report("bytesio write 64KiB x16 into warm capacity", median_ns(run, 2000))


def getvalue():
    f = io.BytesIO()
    block = b"\xa5" * (1 << 20)
    for _ in range(256):
        f.write(block)
    f.getvalue()  # the first call may still copy; the benchmark measures repeated snapshots
    calls = 100_000
    ns = best_ns(lambda: [f.getvalue() for _ in range(calls)], 5) / calls
    report("bytesio getvalue of 256 MiB", ns)


def readline():
    lines = [f"line {i:>10} ".encode().ljust(79, b".") + b"\n" for i in range(1_250_000)]
    data = b"".join(lines)
    del lines

    def run():
        f = io.BytesIO(data)
        readline = f.readline
        count = 0
        while readline():
            count += 1
        return count

    ns = best_ns(run, 3)
    # CPython copies every line whatever the source, so one number serves both groups.
    report("bytesio readline 100 MB of 80 B lines", ns)
    report("bytesio readline 100 MB of 80 B lines, owned contents", ns)


if __name__ == "__main__":
    write_small()
    write_warm()
    getvalue()
    readline()
