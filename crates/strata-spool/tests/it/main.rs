//! Integration tests for strata-spool (one binary; table-driven suites as modules).

mod file_size;
mod full_disk;
mod mmap;
mod model;
mod path;
mod spooled;

use std::path::{Path, PathBuf};

/// The entries of `dir`, to prove that nothing was left behind.
pub(crate) fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read the test directory")
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    found.sort();
    found
}
