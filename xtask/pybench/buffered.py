"""CPython baselines for crates/strata-buffered/benches/buffered.rs (read by `cargo xtask bench`).

Prints `group<TAB>function<TAB>nanoseconds-per-iteration` for the same groups and workloads as the
criterion benchmarks: the best of a few repeats.
"""
import io
import os
import tempfile
import time

LINES = 200_000
LINE = 80


def best_ns(fn, repeats):
    best = None
    for _ in range(repeats):
        start = time.perf_counter_ns()
        fn()
        elapsed = time.perf_counter_ns() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


def readline():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "lines.txt")
        with open(path, "wb") as f:
            for i in range(LINES):
                f.write(b"%08d" % i + b"x" * (LINE - 9) + b"\n")

        def run():
            total = 0
            with io.BufferedReader(io.FileIO(path, "rb")) as f:
                readline = f.readline
                while True:
                    line = readline()
                    if not line:
                        return total
                    total += len(line)

        ns = best_ns(run, 5)
    print(f"buffered readline 80B lines, 16MB file\tCPython io.BufferedReader\t{ns:.1f}")


def write_small():
    small = b"0123456789abcdef"

    def run():
        with io.BufferedWriter(io.FileIO(os.devnull, "wb")) as f:
            write = f.write
            for _ in range(1_000_000):
                write(small)

    ns = best_ns(run, 5)
    print(f"buffered write 16B x1e6 into a sink\tCPython io.BufferedWriter\t{ns:.1f}")


if __name__ == "__main__":
    readline()
    write_small()
