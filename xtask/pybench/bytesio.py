"""CPython baselines for crates/strata-buffered/benches/bytesio.rs (read by `cargo xtask bench`).

Prints `group<TAB>CPython io.BytesIO<TAB>nanoseconds-per-iteration` for the same groups as the criterion
benchmarks: the best of a few repeats, so a busy machine inflates the numbers less.
"""
import io
import time

FUNCTION = "CPython io.BytesIO"


def best_ns(fn, repeats):
    best = None
    for _ in range(repeats):
        start = time.perf_counter_ns()
        fn()
        elapsed = time.perf_counter_ns() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


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
    chunk = b"\x5a" * (64 * 1024)
    f = io.BytesIO()
    f.write(chunk * 16)

    def run():
        # CPython's truncate(0) gives the memory back, so "warm" here is overwriting in place.
        f.seek(0)
        for _ in range(16):
            f.write(chunk)

    report("bytesio write 64KiB x16 into warm capacity", best_ns(run, 200))


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
