"""CPython baselines for crates/strata-text/benches/text.rs: io.TextIOWrapper and io.StringIO.

Prints `group<TAB>function<TAB>ns-per-iteration` for `cargo xtask bench`, with the benchmark's group
names and the same data: the same text generator (an LCG picking words, lines of 1 to 16 words).
"""
import io
import time

WORDS = ["stream ", "buffer ", "the ", "of ", "text ", "café ", "naïve ", "io ", "python ", "rust ", "€5 ", "a "]
SMALL = "0123456789abcdef"
BLOCK = 10_000_000


def lcg_text(length):
    """`length` bytes of UTF-8 generated exactly as the Rust benchmark generates them."""
    out, size, state, line = [], 0, 7, 0
    while size < length:
        state = (state * 1103515245 + 12345) & 0xFFFFFFFF
        word = WORDS[(state >> 16) % len(WORDS)]
        out.append(word)
        size += len(word.encode())
        line += 1
        if line == 1 + (state >> 8) % 16:
            out.append("\n")
            size += 1
            line = 0
    return cut("".join(out).encode(), length)


def cut(data, length):
    """`data[:length]`, shortened to the last character boundary."""
    return data[:length].decode("utf-8", "ignore").encode()


def text(length):
    """A 10 MB block of `lcg_text`, repeated to `length` bytes (as the Rust benchmark does)."""
    block = lcg_text(min(length, BLOCK))
    return cut(block * (length // len(block) + 1), length)


def median_ns(run, repeat):
    run()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        run()
        times.append(time.perf_counter_ns() - start)
    times.sort()
    return times[len(times) // 2]


def main():
    big = text(100_000_000)
    read = median_ns(lambda: io.TextIOWrapper(io.BytesIO(big), encoding="utf-8").read(), 3)
    print(f"text read() utf-8 100MB\tCPython io.TextIOWrapper\t{read}")
    del big

    small = text(10_000_000)

    def lines():
        return sum(len(line) for line in io.TextIOWrapper(io.BytesIO(small), encoding="utf-8"))

    print(f"text line iteration utf-8 10MB\tCPython io.TextIOWrapper\t{median_ns(lines, 5)}")

    def writes():
        s = io.StringIO()
        for _ in range(100_000):
            s.write(SMALL)
        return s.getvalue()

    print(f"stringio write 16 chars x1e5\tCPython io.StringIO\t{median_ns(writes, 9)}")


if __name__ == "__main__":
    main()
