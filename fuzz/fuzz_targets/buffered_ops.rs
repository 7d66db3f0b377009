//! Fuzz target: arbitrary interleaved reads, writes, seeks and flushes on `BufferedRandom` over a
//! raw stream that makes short reads and writes; the result must equal the same operations on an
//! unbuffered `Cursor`.
#![no_main]

use std::io::{self, Cursor, Read, Seek, SeekFrom, Write};

use libfuzzer_sys::fuzz_target;
use strata_buffered::BufferedRandom;
use strata_buffered::prelude::*;
use strata_raw::StdRaw;

/// A raw stream that moves at most `step` bytes per call.
struct Short {
    inner: Cursor<Vec<u8>>,
    step: usize,
}

impl Read for Short {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.step);
        self.inner.read(&mut buf[..n])
    }
}

impl Write for Short {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = buf.len().min(self.step);
        self.inner.write(&buf[..n])
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Seek for Short {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&setup, ops)) = data.split_first() else {
        return;
    };
    let initial: Vec<u8> = (0..64u8).collect();
    let raw = StdRaw::random(Short {
        inner: Cursor::new(initial.clone()),
        step: usize::from(setup % 5) + 1,
    });
    let Ok(mut f) = BufferedRandom::with_capacity(usize::from(setup / 5 % 9) + 1, raw) else {
        return;
    };
    let mut model = Cursor::new(initial);
    for pair in ops.chunks(2) {
        let (op, arg) = (pair[0], usize::from(*pair.get(1).unwrap_or(&0)));
        match op % 6 {
            0 => {
                let chunk = vec![op; arg % 13 + 1];
                f.write_all(&chunk).expect("write");
                // (Non-empty only: `Cursor` zero-pads even for an empty write past the end.)
                model.write_all(&chunk).expect("model write");
            }
            1 => {
                let got = f.read_bytes(Some(arg % 11)).expect("read");
                let mut want = vec![0; arg % 11];
                let n = model.read(&mut want).expect("model read");
                assert_eq!(&got[..], &want[..n]);
            }
            2 => {
                let target = SeekFrom::Start((arg % 80) as u64);
                assert_eq!(
                    f.seek(target).expect("seek"),
                    model.seek(target).expect("model seek")
                );
            }
            3 => f.flush().expect("flush"),
            4 => {
                let got = f.peek_buffered().expect("peek").len();
                assert!(got <= 80);
            }
            _ => {
                let line = f.readline(Some(arg % 7)).expect("readline");
                let mut want = vec![0; line.len()];
                model.read_exact(&mut want).expect("model readline");
                assert_eq!(&line[..], &want[..]);
            }
        }
        assert_eq!(f.tell().expect("tell"), model.position());
    }
    f.flush().expect("flush");
    let raw = f.into_inner().expect("into_inner");
    assert_eq!(raw.into_inner().inner.into_inner(), model.into_inner());
});
