"""Oracle driver: io.BufferedReader / BufferedWriter / BufferedRandom over a scripted raw stream.

The raw stream is the machine of `crates/strata-buffered/tests/it/buffered/scripted.rs`: a file
(`data`, `pos`) and two scripts with one step per call. A read step is a chunk limit (what the
caller's buffer cannot take stays for the next call) or None (would block: readinto returns None); a
write step is a limit on the bytes accepted or None (write returns None). Used-up scripts mean no
limit. spec: {"kind", "cap", "data", "caps": [readable, writable, seekable], "reads", "writes"}.
"""
import io

import oracle

CLOSED = "I/O operation on closed file."


class Scripted(io.RawIOBase):
    def __init__(self, data, caps, reads, writes):
        super().__init__()
        self.data = bytearray(data)
        self.pos = 0
        self.caps = caps
        self.reads = list(reads)
        self.writes = list(writes)
        self.write_blocks = 0

    def _open(self):
        if self.closed:
            raise ValueError(CLOSED)

    def readable(self):
        self._open()
        return self.caps[0]

    def writable(self):
        self._open()
        return self.caps[1]

    def seekable(self):
        self._open()
        return self.caps[2]

    def readinto(self, buf):
        self._open()
        limit = len(buf)
        if self.reads:
            step = self.reads.pop(0)
            if step is None:
                return None
            if step > len(buf):
                self.reads.insert(0, step - len(buf))
            limit = min(step, len(buf))
        start = min(self.pos, len(self.data))
        chunk = self.data[start:start + limit]
        buf[:len(chunk)] = chunk
        self.pos += len(chunk)
        return len(chunk)

    def write(self, buf):
        self._open()
        n = len(buf)
        if self.writes:
            step = self.writes.pop(0)
            if step is None:
                self.write_blocks += 1
                return None
            n = min(step, n)
        if len(self.data) < self.pos + n:
            self.data.extend(bytes(self.pos + n - len(self.data)))
        self.data[self.pos:self.pos + n] = bytes(buf[:n])
        self.pos += n
        return n

    def flush(self):
        self._open()

    def seek(self, offset, whence=0):
        self._open()
        if not self.caps[2]:
            raise io.UnsupportedOperation("seek")
        base = {0: 0, 1: self.pos, 2: len(self.data)}[whence]
        target = base + offset
        if target < 0:
            raise ValueError(f"negative seek value {target}")
        self.pos = target
        return target

    def tell(self):
        return self.seek(0, 1)

    def truncate(self, size=None):
        self._open()
        if size is None:
            size = self.pos
        if size < len(self.data):
            del self.data[size:]
        else:
            self.data.extend(bytes(size - len(self.data)))
        return size


# After a BufferedRandom flush would block, CPython 3.11's state can go wrong: a read that consumed
# buffered bytes before its flush blocked keeps them consumed and the next write lands before them; a
# seek inside the buffer can report a negative position; a write whose flush blocked while the
# position was past the pending bytes buffers its bytes at the wrong place (Strata puts the bytes
# back, reports the true position, refuses the write; docs/python-parity.md). So the driver and the
# Rust side both stop comparing a BufferedRandom sequence ("dead") after the first operation during
# which the raw stream's write would block, reporting that operation as "blocked".


class Subject:
    def __init__(self, spec):
        caps = spec["caps"]
        self.raw = Scripted(oracle.s2b(spec["data"]), caps, spec["reads"], spec["writes"])
        kind = {"reader": io.BufferedReader, "writer": io.BufferedWriter, "random": io.BufferedRandom}
        self.f = kind[spec["kind"]](self.raw, spec["cap"])
        self.random = spec["kind"] == "random"
        self.dead = False


def refresh_position(f):
    """CPython 3.11 does not count the bytes of the raw stream's readall() in its cached raw
    position, so a later seek inside the buffer can land elsewhere than it reports (Strata counts
    them; docs/python-parity.md). A tell() refreshes the cache; it consumes no script step."""
    try:
        f.tell()
    except (OSError, ValueError):
        pass


def make(spec):
    return Subject(spec)


def apply(s, op):
    if s.dead:
        return "dead"
    blocks = s.raw.write_blocks
    try:
        result = run(s, op)
    except BlockingIOError:
        if not (s.random and s.raw.write_blocks > blocks):
            raise
    if s.random and s.raw.write_blocks > blocks:
        s.dead = True
        return "blocked"
    return result


def run(s, op):
    f = s.f
    name = op["op"]
    n = op.get("n")
    try:
        if name == "read":
            data = f.read(n)
            if n is None:
                refresh_position(f)
            return oracle.b2s(data)
        if name == "read1":
            if s.random:
                f.flush()  # CPython 3.11's C read1 skips this flush (docs/python-parity.md)
            return oracle.b2s(f.read1(-1 if n is None else n))
        if name == "peek":
            return oracle.b2s(f.peek(n))
        if name in ("readinto", "readinto1"):
            buf = bytearray(n)
            got = getattr(f, name)(buf)
            return None if got is None else oracle.b2s(buf[:got])
        if name == "readline":
            return oracle.b2s(f.readline(n))
        if name == "readlines":
            return [oracle.b2s(line) for line in f.readlines(n)]
        if name == "write":
            return f.write(oracle.s2b(op["data"]))
        if name == "flush":
            return f.flush()
        if name == "tell":
            return f.tell()
        if name == "seek":
            return f.seek(op["offset"], op["whence"])
        if name == "truncate":
            return f.truncate(n)
        if name == "close":
            return f.close()
        if name == "detach":
            f.detach()
            return None
        if name == "closed":
            try:
                return f.closed
            except ValueError:  # detached: Strata reports closed (docs/python-parity.md)
                return True
        if name in ("readable", "writable", "seekable"):
            return getattr(f, name)()
        if name == "raw":
            return [oracle.b2s(s.raw.data), s.raw.pos]
    except BlockingIOError as e:
        # A write that blocked after accepting bytes is a short write under Write::write's contract.
        if name == "write" and e.characters_written > 0:
            return e.characters_written
        raise BlockingIOError(f"{e.strerror} (characters_written={e.characters_written})") from None
    raise ValueError(f"unknown op {name}")


if __name__ == "__main__":
    oracle.main(make, apply)
