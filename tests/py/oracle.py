"""Common driver for Strata's python3 oracle.

A driver module defines ``make(spec)`` (build the object under test from a JSON spec) and
``apply(obj, op)`` (run one JSON op, return a JSON-able value) and ends with ``oracle.main(make, apply)``.
stdin: ``{"sequences": [{"spec": ..., "ops": [op, ...]}, ...]}``.
stdout: ``[[outcome, ...], ...]``: ``{"ok": value}`` or ``{"err": [class_name, message]}``.
Bytes travel as latin-1 strings (one char per byte).
"""
import io
import json
import sys


def b2s(data):
    """Bytes (or None) as the JSON form the Rust side decodes."""
    return None if data is None else bytes(data).decode("latin-1")


def s2b(text):
    return text.encode("latin-1")


def error_class(exc):
    if isinstance(exc, io.UnsupportedOperation):
        return "UnsupportedOperation"
    return type(exc).__name__


def default_normalize(exc):
    return [error_class(exc), str(exc)]


def require_python_3_11():
    """The drivers model CPython 3.11 (its messages, its read-ahead, its codecs): refuse any other."""
    if sys.version_info[:2] != (3, 11):
        sys.exit(
            f"the Strata oracle models CPython 3.11, but python3 is {sys.version.split()[0]} "
            f"({sys.executable}): put CPython 3.11 first on PATH as python3"
        )


def main(make, apply, normalize=default_normalize):
    """Run every sequence; ``normalize(exc)`` turns an exception into ``[class, message]``."""
    require_python_3_11()
    data = json.load(sys.stdin)
    results = []
    for seq in data["sequences"]:
        outcomes = []
        try:
            obj = make(seq["spec"])
        except Exception as exc:  # the constructor's own failure is outcome 0
            results.append([{"err": normalize(exc)}])
            continue
        for op in seq["ops"]:
            try:
                outcomes.append({"ok": apply(obj, op)})
            except Exception as exc:
                outcomes.append({"err": normalize(exc)})
        results.append(outcomes)
    json.dump(results, sys.stdout)
