"""Oracle driver for strata-text: io.StringIO and io.TextIOWrapper.

Specs:
- ``{"kind": "stringio", "initial": str, "newline": None | "" | "\\n" | "\\r" | "\\r\\n"}``
- ``{"kind": "reader", "data": bytes, "chunk": k, "encoding", "errors", "newline"}``: a TextIOWrapper
  over a BufferedReader whose raw stream returns at most ``k`` bytes per read, so that chunk
  boundaries fall everywhere.
- ``{"kind": "writer", "data": bytes, "encoding", "errors", "newline"}``: a TextIOWrapper over a
  BytesIO holding ``data``.

Ops: ``["write", s]``, ``["read", n]``, ``["readline", n]``, ``["readlines", hint]``, ``["tell"]``
(StringIO only: its positions are comparable), ``["mark"]`` / ``["restore"]`` (remember ``tell()``, later
``seek`` to it: compares seek(tell()) behaviour, not cookie values), ``["seek", pos, whence]``,
``["truncate", n]``, ``["getvalue"]`` (StringIO's text, or the writer's flushed bytes), ``["newlines"]``,
``["close"]``.
"""
import io

import oracle


class ChunkRaw(io.RawIOBase):
    """A seekable raw stream over bytes that returns at most ``chunk`` bytes per read."""

    def __init__(self, data, chunk):
        self._data = io.BytesIO(data)
        self._chunk = chunk

    def readable(self):
        return True

    def seekable(self):
        return True

    def readinto(self, buf):
        data = self._data.read(min(len(buf), self._chunk))
        buf[: len(data)] = data
        return len(data)

    def seek(self, pos, whence=0):
        return self._data.seek(pos, whence)

    def tell(self):
        return self._data.tell()


class Subject:
    def __init__(self, spec):
        self.kind = spec["kind"]
        self.mark = None
        if self.kind == "stringio":
            self.obj = io.StringIO(spec["initial"], newline=spec["newline"])
            return
        data = oracle.s2b(spec["data"])
        self.data = data
        if self.kind == "reader":
            buf = io.BufferedReader(ChunkRaw(data, spec["chunk"]), buffer_size=spec["chunk"])
        else:
            buf = io.BytesIO(data)
        self.obj = io.TextIOWrapper(buf, encoding=spec["encoding"], errors=spec["errors"], newline=spec["newline"])


def newlines(value):
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def make(spec):
    return Subject(spec)


def apply(subject, op):
    try:
        return run(subject, op)
    except UnicodeDecodeError as exc:
        raise stream_position(subject, exc) from None
    except UnicodeEncodeError as exc:
        raise first_character(exc) from None


def stream_position(subject, exc):
    """The decoding error ``exc`` with its position counted from the start of the stream, as Strata
    counts it (docs/python-parity.md).

    CPython counts from the start of the bytes its decoder was handed: the bytes it held back from
    the previous chunk, then the chunk. Those are the last bytes the wrapper took from its buffer, so
    they end at ``buffer.tell()``.
    """
    if subject.kind == "stringio":
        return exc
    end = subject.obj.buffer.tell()
    start = end - len(exc.object) + exc.start
    data = subject.data if subject.kind == "reader" else subject.obj.buffer.getvalue()
    return UnicodeDecodeError(exc.encoding, data, start, start + exc.end - exc.start, exc.reason)


def first_character(exc):
    """The encoding error ``exc`` naming only the first character of its run, as Strata does
    (docs/python-parity.md): ``characters in position 3-5`` becomes ``character '\\xe9' in position 3``."""
    return UnicodeEncodeError(exc.encoding, exc.object, exc.start, exc.start + 1, exc.reason)


def run(subject, op):
    obj = subject.obj
    name, args = op[0], op[1:]
    if name == "write":
        return obj.write(args[0])
    if name == "read":
        return obj.read(args[0])
    if name == "readline":
        return obj.readline(-1 if args[0] is None else args[0])
    if name == "readlines":
        # IOBase.readlines iterates with next(), which disables TextIOWrapper.tell() until a seek
        # (CPython's `OSError: telling position disabled by next() call`); a Rust iterator borrows the stream, so Strata cannot be in that state. The
        # same lines, by readline, as IOBase.readlines gathers them.
        hint = args[0] or 0
        lines, total = [], 0
        while True:
            line = obj.readline()
            if not line:
                return lines
            lines.append(line)
            total += len(line)
            if 0 < hint < total:
                return lines
    if name == "tell":
        return obj.tell()
    if name == "mark":
        subject.mark = obj.tell()
        return None
    if name == "restore":
        obj.seek(subject.mark if subject.mark is not None else 0)
        return None
    if name == "seek":
        pos = obj.seek(args[0], args[1])
        return pos if subject.kind == "stringio" or args[1] == 2 else None
    if name == "truncate":
        return obj.truncate(args[0])
    if name == "getvalue":
        if subject.kind == "stringio":
            return obj.getvalue()
        obj.flush()
        return oracle.b2s(obj.buffer.getvalue())
    if name == "newlines":
        return newlines(obj.newlines)
    if name == "close":
        return obj.close()
    raise ValueError(f"unknown op {op}")


if __name__ == "__main__":
    oracle.main(make, apply)
