"""Oracle driver: io.FileIO. spec: {"mode", "initial" (latin-1 str or null), "path"}; ops below."""
import io
import os

import oracle


def make(spec):
    if spec["initial"] is not None:
        with open(spec["path"], "wb") as f:
            f.write(oracle.s2b(spec["initial"]))
    elif os.path.exists(spec["path"]):
        os.remove(spec["path"])
    f = io.FileIO(spec["path"], spec["mode"])
    # CPython caches seekable() from the first lseek it makes; if that is a seek that fails
    # (EINVAL for a negative target), the file reports seekable() == False for ever after.
    # Asking once up front pins the real answer (docs/python-parity.md).
    f.seekable()
    return f


def apply(f, op):
    name = op[0]
    if name == "write":
        return f.write(oracle.s2b(op[1]))
    if name == "read":
        return oracle.b2s(f.read(op[1]))
    if name == "readall":
        # CPython's FileIO.readall skips the mode check and fails with EBADF on a write-only file;
        # Strata refuses it like read() does (docs/python-parity.md).
        if not f.closed and not f.readable():
            raise io.UnsupportedOperation("File not open for reading")
        return oracle.b2s(f.readall())
    if name == "seek":
        return f.seek(op[1], op[2])
    if name == "tell":
        return f.tell()
    if name == "truncate":
        return f.truncate(op[1])
    if name in ("readable", "writable", "seekable", "isatty"):
        return getattr(f, name)()
    if name == "close":
        return f.close()
    if name == "closed":
        return f.closed
    if name == "flush":
        return f.flush()
    if name == "contents":
        with open(f.name, "rb") as g:
            return oracle.b2s(g.read())
    raise AssertionError(f"unknown op {op}")


def normalize(exc):
    # OS errors compare by errno (Rust words them differently); FileIO omits the period of
    # "I/O operation on closed file." that Strata always prints (docs/python-parity.md).
    if isinstance(exc, OSError) and exc.errno is not None:
        return ["OSError", f"errno {exc.errno}"]
    msg = str(exc)
    if msg == "I/O operation on closed file":
        msg += "."
    return [oracle.error_class(exc), msg]


if __name__ == "__main__":
    oracle.main(make, apply, normalize)
