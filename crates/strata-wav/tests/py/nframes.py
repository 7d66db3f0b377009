"""Prints the frame count Python's `wave` reads from each WAV file given in hex on the command line."""
import io
import sys
import wave

for arg in sys.argv[1:]:
    with wave.open(io.BytesIO(bytes.fromhex(arg))) as w:
        print(w.getnframes())
