//! A full disk under a rolled-over `SpooledIO`: every write that returned `Ok` survives it, a write
//! that returns `Err` wrote nothing, and once there is room again the contents are exactly what was
//! acknowledged.
//!
//! The disk "fills up" through `RLIMIT_FSIZE`: past the limit, writes take what fits and then fail
//! (`EFBIG`), as they do with `ENOSPC` on a full disk; raising the limit frees the space. The limit
//! holds for the whole process, so the cases run in a child process: this test binary, re-run on
//! this one test.

use std::io::{ErrorKind, Write};
use std::process::Command;

use strata_spool::SpooledIO;

use crate::file_size::limit_file_size;

/// Set in the child process, which runs the cases.
const CHILD: &str = "STRATA_SPOOL_FULL_DISK_CHILD";

/// Where the disk is full: not a multiple of any write size below, so that writes end part-way.
const ROOM: u64 = 300_001;

/// A full-disk case: writes of `size` bytes until the disk is full.
struct FullDisk {
    name: &'static str,
    size: usize,
}

#[rustfmt::skip]
const CASES: &[FullDisk] = &[
    // Gathered in memory, reaching the file 64 KiB at a time (the case of the report).
    FullDisk { name: "4 KiB writes", size: 4096 },
    FullDisk { name: "1000-byte writes", size: 1000 },
    // Straight to the file.
    FullDisk { name: "100 KiB writes", size: 100 * 1024 },
];

/// The `i`th write: bytes that differ from write to write, so that a lost or shifted one shows.
fn chunk(i: usize, size: usize) -> Vec<u8> {
    (0..size).map(|j| (i * 7 + j % 251) as u8).collect()
}

fn check(case: &FullDisk) {
    let name = case.name;
    let dir = tempfile::tempdir().expect("a test directory");
    let mut f = SpooledIO::new_in(0, dir.path());
    let mut acknowledged = Vec::new();
    let mut failures = 0;
    limit_file_size(ROOM);
    for i in 0..(2 * ROOM as usize / case.size + 4) {
        let data = chunk(i, case.size);
        match f.write(&data) {
            Ok(n) => acknowledged.extend_from_slice(&data[..n]),
            Err(err) => {
                assert_eq!(err.kind(), ErrorKind::FileTooLarge, "{name}: {err}");
                failures += 1;
            }
        }
        assert_eq!(
            f.tell().ok(),
            Some(acknowledged.len() as u64),
            "{name}: write {i}"
        );
        if failures == 3 {
            break;
        }
    }
    assert_eq!(failures, 3, "{name}: the disk never filled up");
    assert!(acknowledged.len() as u64 <= ROOM + 64 * 1024, "{name}");
    limit_file_size(libc::RLIM_INFINITY);
    f.flush()
        .unwrap_or_else(|e| panic!("{name}: flush once there is room: {e}"));
    assert_eq!(f.len(), acknowledged.len() as u64, "{name}: len");
    assert_eq!(
        f.tell().ok(),
        Some(acknowledged.len() as u64),
        "{name}: tell"
    );
    assert!(
        f.getvalue().ok() == Some(acknowledged.clone().into()),
        "{name}: contents"
    );
    f.write_all(b"and more")
        .expect("a write once there is room");
    acknowledged.extend_from_slice(b"and more");
    assert!(
        f.getvalue().ok() == Some(acknowledged.into()),
        "{name}: contents after more"
    );
}

#[test]
fn a_full_disk_never_drops_an_acknowledged_write() {
    if std::env::var_os(CHILD).is_some() {
        CASES.iter().for_each(check);
        return;
    }
    let exe = std::env::current_exe().expect("the test binary");
    let out = Command::new(exe)
        .args([
            "--exact",
            "full_disk::a_full_disk_never_drops_an_acknowledged_write",
        ])
        .args(["--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .output()
        .expect("run the test binary again");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "the child failed:\n{report}");
    assert!(
        report.contains("1 passed"),
        "the child ran no case:\n{report}"
    );
}
