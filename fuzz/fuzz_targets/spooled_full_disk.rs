//! Fuzz target: operation sequences on a `SpooledIO` whose disk fills up and frees again, checked
//! against a `BytesIO`.
//!
//! The disk "fills up" through `RLIMIT_FSIZE`: past the limit a write takes what fits, then fails
//! (`EFBIG`), as with `ENOSPC` on a full disk. While it is full, every call must either give
//! `BytesIO`'s result or fail with that error having changed nothing (position and contents as the
//! model has them: an `Err` from `write` wrote nothing, and no write that returned `Ok` is lost).
//! At the end, with room again, `flush` succeeds and the contents equal the model's.
//!
//! Input: a byte for `max_size`, then pairs of bytes (operation, argument).
#![no_main]

use std::io::{self, ErrorKind, SeekFrom, Write};

use libfuzzer_sys::fuzz_target;
use strata_buffered::BytesIO;
use strata_spool::SpooledIO;
use strata_spool::prelude::*;

#[path = "../../crates/strata-spool/tests/it/file_size.rs"]
mod file_size;

use file_size::limit_file_size;

/// Frees the disk when the run ends, even by a panic, so that libFuzzer can write its files.
struct Room;

impl Drop for Room {
    fn drop(&mut self) {
        limit_file_size(libc::RLIM_INFINITY);
    }
}

/// Checks a call's result: when it succeeded, against the same call on the model (made only then);
/// when it failed, that the disk is full. A failed call changes nothing: the length and position
/// checks after every operation see to it.
fn check<T: PartialEq + std::fmt::Debug>(
    got: io::Result<T>,
    full: bool,
    model: impl FnOnce() -> io::Result<T>,
) {
    match got {
        Ok(got) => assert_eq!(Some(got), model().ok(), "differs from BytesIO"),
        Err(err) => assert!(
            full && err.kind() == ErrorKind::FileTooLarge,
            "unexpected error: {err}"
        ),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&max, ops)) = data.split_first() else {
        return;
    };
    let dir = std::env::temp_dir();
    let mut f = SpooledIO::new_in(usize::from(max) * 64, &dir);
    let mut model = BytesIO::new();
    let _room = Room;
    let mut full = false;
    for pair in ops.chunks(2) {
        let (op, arg) = (pair[0], usize::from(*pair.get(1).unwrap_or(&0)));
        match op % 9 {
            // Gathered writes, and now and then one long enough to go straight to the file (which
            // may take part of it: a short write).
            0 | 1 => {
                let len = if op % 9 == 1 { arg * 400 } else { arg };
                let chunk = vec![op; len];
                let written = f.write(&chunk);
                let n = *written.as_ref().unwrap_or(&0);
                assert!(n == len || full, "a short write with room on the disk");
                check(written, full, || model.write_all(&chunk[..n]).map(|()| n));
            }
            2 => {
                let to = SeekFrom::Start(arg as u64 * 97);
                check(f.seek(to), full, || model.seek(to));
            }
            3 => check(f.read_bytes(Some(arg * 13)), full, || {
                model.read_bytes(Some(arg * 13))
            }),
            4 => check(f.readline(Some(arg)), full, || model.readline(Some(arg))),
            5 => {
                let size = Some(arg as u64 * 151);
                check(f.truncate(size), full, || model.truncate(size));
            }
            6 => check(f.getvalue(), full, || model.getvalue()),
            7 => check(f.flush(), full, || Ok(())),
            // The disk fills up a little past what the file holds now, or frees again.
            _ => {
                full = arg % 4 != 0;
                if full {
                    limit_file_size(f.len().min(1 << 20) + arg as u64 * 37);
                } else {
                    limit_file_size(libc::RLIM_INFINITY);
                }
            }
        }
        assert_eq!(f.len(), model.len() as u64, "len");
        assert_eq!(f.tell().ok(), model.tell().ok(), "tell");
    }
    limit_file_size(libc::RLIM_INFINITY);
    f.flush().expect("flush once there is room");
    assert_eq!(
        f.getvalue().ok(),
        model.getvalue().ok(),
        "the contents once there is room"
    );
});
