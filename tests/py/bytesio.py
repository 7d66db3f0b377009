"""Oracle driver for Strata's BytesIO: runs op sequences through CPython's io.BytesIO.

spec: {"init": latin-1 string, "how": "vec" | "slice" | "bytes"} (how Strata builds it; Python ignores it).
ops: ["write", s], ["writelines", [s, ...]], ["read", n|null], ["read1", n|null], ["readinto", n],
["readline", n|null], ["readlines", n|null], ["iter"], ["seek", offset, whence], ["tell"],
["truncate", n|null], ["getvalue"], ["view", fraction, s], ["close"], ["closed"], ["flush"],
["readable"], ["writable"], ["seekable"], ["isatty"], ["fileno"].

One documented difference is modelled here rather than in Rust (docs/python-parity.md, the row on seeking before byte 0): CPython
clamps a relative seek whose target is negative at 0, while Strata follows std's `Seek` contract and fails
with ValueError "negative seek value <target>", leaving the position alone.
"""
import io

import oracle
from oracle import b2s, s2b


def make(spec):
    return io.BytesIO(s2b(spec["init"]))


def seek(obj, offset, whence):
    if whence != 0 and not obj.closed:
        base = obj.tell() if whence == 1 else len(obj.getbuffer())
        if base + offset < 0:
            raise ValueError(f"negative seek value {base + offset}")
    return obj.seek(offset, whence)


def readinto(obj, n):
    buf = bytearray(b"." * n)
    count = obj.readinto(buf)
    return [count, b2s(buf)]


def view(obj, fraction, data):
    with obj.getbuffer() as m:
        n = len(m)
        at = n * fraction // 256
        chunk = s2b(data)[: n - at]
        m[at : at + len(chunk)] = chunk
    return n


def apply(obj, op):
    name, args = op[0], op[1:]
    if name == "write":
        return obj.write(s2b(args[0]))
    if name == "writelines":
        return obj.writelines([s2b(s) for s in args[0]])
    if name in ("read", "read1", "readline", "getvalue"):
        return b2s(getattr(obj, name)(*args))
    if name == "readinto":
        return readinto(obj, args[0])
    if name == "readlines":
        return [b2s(line) for line in obj.readlines(args[0])]
    if name == "iter":
        return [b2s(line) for line in obj]
    if name == "seek":
        return seek(obj, *args)
    if name == "view":
        return view(obj, *args)
    if name == "closed":
        return obj.closed
    return getattr(obj, name)(*args)


if __name__ == "__main__":
    oracle.main(make, apply)
