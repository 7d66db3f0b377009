//! A full disk on demand, for tests and the `spooled_full_disk` fuzz target (which includes this
//! file): `RLIMIT_FSIZE` makes writes past a file size take what fits, then fail with `EFBIG`, as
//! they fail with `ENOSPC` on a full disk, and raising it frees the space again. The limit holds for
//! the whole process.

/// Sets the soft limit on the size of files this process writes.
pub(crate) fn limit_file_size(bytes: u64) {
    let limit = libc::rlimit {
        rlim_cur: bytes,
        rlim_max: libc::RLIM_INFINITY,
    };
    // SAFETY: `setrlimit` reads the valid `rlimit` it is given; ignoring SIGXFSZ (whose default is to
    // kill the process) makes a write past the limit fail with EFBIG instead.
    let failed = unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN) == libc::SIG_ERR
            || libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0
    };
    assert!(!failed, "setrlimit: {}", std::io::Error::last_os_error());
}
