//! The temp-path bridge: results, errors and panics of `f`, what happens when `f` deletes or
//! replaces the file, permissions and names, and no leftovers in every case.

use std::io::{self, ErrorKind};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use strata_spool::{MAP_THRESHOLD, RemoveError, read_via_path_in, write_via_path_in};

use crate::entries;

/// What `f` does with the temporary path.
#[derive(Debug, Clone, Copy)]
enum Act {
    /// Reads it back (read) or writes `b"out"` (write), and succeeds.
    Succeed,
    /// Fails with a `PermissionDenied` error of its own.
    Fail,
    /// Panics.
    Panic,
    /// Deletes the file and succeeds.
    Delete,
    /// Replaces the file with a directory, which a file removal cannot delete, and succeeds.
    ReplaceWithDir,
    /// Replaces the file with a directory and fails.
    ReplaceWithDirAndFail,
    /// Writes a new file beside it and renames it over the path ("atomic save"), and succeeds.
    RenameOver,
}

/// The outcome a case expects.
#[derive(Debug, PartialEq)]
enum Expect {
    Ok,
    /// `f`'s own error, untouched.
    FError,
    /// The panic, carried on.
    Panics,
    /// An error of this kind that is not a removal error.
    Kind(ErrorKind),
    /// A [`RemoveError`], with or without `f`'s error pending.
    Removal {
        pending: bool,
    },
}

struct Case {
    act: Act,
    read: Expect,
    write: Expect,
}

const CASES: &[Case] = &[
    Case {
        act: Act::Succeed,
        read: Expect::Ok,
        write: Expect::Ok,
    },
    Case {
        act: Act::Fail,
        read: Expect::FError,
        write: Expect::FError,
    },
    Case {
        act: Act::Panic,
        read: Expect::Panics,
        write: Expect::Panics,
    },
    // The file is gone, which is what the removal wanted: fine for reading; writing has no output.
    Case {
        act: Act::Delete,
        read: Expect::Ok,
        write: Expect::Kind(ErrorKind::NotFound),
    },
    // Something else now sits at the path: reported, never ignored.
    Case {
        act: Act::ReplaceWithDir,
        read: Expect::Removal { pending: false },
        write: Expect::Removal { pending: false },
    },
    Case {
        act: Act::ReplaceWithDirAndFail,
        read: Expect::Removal { pending: true },
        write: Expect::Removal { pending: true },
    },
    Case {
        act: Act::RenameOver,
        read: Expect::Ok,
        write: Expect::Ok,
    },
];

/// Performs `act` on `path`; `writing` selects what a successful `f` does.
fn perform(act: Act, path: &Path, writing: bool) -> io::Result<Vec<u8>> {
    let own_error = || io::Error::new(ErrorKind::PermissionDenied, "f failed");
    match act {
        Act::Succeed if writing => std::fs::write(path, b"out").map(|()| Vec::new()),
        Act::Succeed => std::fs::read(path),
        Act::Fail => Err(own_error()),
        Act::Panic => panic!("f panicked"),
        Act::Delete => std::fs::remove_file(path).map(|()| Vec::new()),
        Act::ReplaceWithDir | Act::ReplaceWithDirAndFail => {
            std::fs::remove_file(path)?;
            std::fs::create_dir(path)?;
            std::fs::write(path.join("inside"), b"x")?;
            if matches!(act, Act::ReplaceWithDirAndFail) {
                Err(own_error())
            } else {
                Ok(Vec::new())
            }
        }
        Act::RenameOver => {
            let new = path.with_extension("new");
            std::fs::write(&new, b"renamed")?;
            std::fs::rename(&new, path)?;
            Ok(Vec::new())
        }
    }
}

/// Runs `call` (one bridge function), catching a panic, and checks the outcome against `expect`.
/// Returns the value on success.
fn outcome<T>(name: &str, expect: &Expect, call: impl FnOnce() -> io::Result<T>) -> Option<T> {
    match (panic::catch_unwind(AssertUnwindSafe(call)), expect) {
        (Err(payload), Expect::Panics) => {
            assert_eq!(
                payload.downcast_ref::<&str>(),
                Some(&"f panicked"),
                "{name}: the panic carried on"
            );
            None
        }
        (Err(_), _) => panic!("{name}: unexpected panic"),
        (Ok(Ok(value)), Expect::Ok) => Some(value),
        (Ok(Err(err)), Expect::FError) => {
            assert_eq!(
                (err.kind(), err.to_string()),
                (ErrorKind::PermissionDenied, "f failed".into()),
                "{name}"
            );
            None
        }
        (Ok(Err(err)), Expect::Kind(kind)) => {
            assert_eq!(err.kind(), *kind, "{name}: {err}");
            assert!(RemoveError::of(&err).is_none(), "{name}");
            None
        }
        (Ok(Err(err)), Expect::Removal { pending }) => {
            let removal = RemoveError::of(&err)
                .unwrap_or_else(|| panic!("{name}: not a removal error: {err}"));
            assert!(
                err.to_string()
                    .starts_with("failed to remove temporary file "),
                "{name}: {err}"
            );
            assert_eq!(removal.pending().is_some(), *pending, "{name}: pending");
            if let Some(pending) = removal.pending() {
                assert_eq!(pending.to_string(), "f failed");
                assert!(
                    err.to_string().ends_with("(after the error: f failed)"),
                    "{name}: {err}"
                );
            }
            // What was left behind is the caller's to clean now.
            std::fs::remove_dir_all(removal.path()).expect("clean up the reported path");
            None
        }
        (Ok(result), _) => panic!("{name}: expected {expect:?}, got {:?}", result.map(|_| ())),
    }
}

fn check(case: &Case) {
    let dir = tempfile::tempdir().expect("a test directory");
    let name = format!("read_via_path {:?}", case.act);
    let seen = std::cell::RefCell::new(PathBuf::new());
    let read = outcome(&name, &case.read, || {
        read_via_path_in(dir.path(), b"input", ".txt", |path| {
            *seen.borrow_mut() = path.to_path_buf();
            perform(case.act, path, false)
        })
    });
    if let Some(read) = read {
        let want: &[u8] = match case.act {
            Act::Succeed => b"input",
            _ => b"",
        };
        assert_eq!(read, want, "{name}");
    }
    assert!(
        seen.borrow().to_string_lossy().ends_with(".txt"),
        "{name}: suffix"
    );
    assert_eq!(
        entries(dir.path()),
        Vec::<PathBuf>::new(),
        "{name}: leftovers"
    );

    let name = format!("write_via_path {:?}", case.act);
    let written = outcome(&name, &case.write, || {
        write_via_path_in(dir.path(), ".bin", |path| {
            perform(case.act, path, true).map(drop)
        })
    });
    if let Some(written) = written {
        let want: &[u8] = match case.act {
            Act::RenameOver => b"renamed",
            _ => b"out",
        };
        assert_eq!(written, want, "{name}");
    }
    assert_eq!(
        entries(dir.path()),
        Vec::<PathBuf>::new(),
        "{name}: leftovers"
    );
}

#[test]
fn every_outcome_of_f_cleans_up() {
    for case in CASES {
        check(case);
    }
}

#[test]
fn a_suffix_cannot_leave_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    let err = read_via_path_in(dir.path(), b"", "/../escape", |_| Ok(())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("path separator"), "{err}");
    let err = write_via_path_in(dir.path(), "x/y", |_| Ok(())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(entries(dir.path()).is_empty());
    assert!(
        entries(dir.path().parent().unwrap())
            .iter()
            .all(|p| !p.ends_with("escape"))
    );
}

#[test]
fn a_missing_directory_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    let err = read_via_path_in(&missing, b"", "", |_| Ok(())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let err = write_via_path_in(&missing, "", |_| Ok(())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[cfg(unix)]
#[test]
fn temp_files_are_private_and_unpredictable() {
    use std::collections::HashSet;
    use std::os::unix::fs::PermissionsExt;

    let dir = tempfile::tempdir().unwrap();
    let mut names = HashSet::new();
    for i in 0..20 {
        let (name, mode) = read_via_path_in(dir.path(), b"secret", ".wav", |path| {
            let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
            Ok((
                path.file_name().unwrap().to_string_lossy().into_owned(),
                mode,
            ))
        })
        .unwrap();
        assert_eq!(mode, 0o600, "read_via_path file {i}");
        names.insert(name);
        let mode = std::cell::Cell::new(0);
        write_via_path_in(dir.path(), ".wav", |path| {
            mode.set(std::fs::metadata(path)?.permissions().mode() & 0o777);
            std::fs::write(path, b"data")
        })
        .unwrap();
        assert_eq!(mode.get(), 0o600, "write_via_path file {i}");
    }
    assert_eq!(names.len(), 20, "every name differs");
    for name in &names {
        // tempfile's ".tmp" + 6 random characters + the suffix.
        let random = name
            .strip_prefix(".tmp")
            .and_then(|n| n.strip_suffix(".wav"))
            .unwrap();
        assert!(
            random.len() >= 6 && random.chars().all(|c| c.is_ascii_alphanumeric()),
            "{name}"
        );
    }
}

#[test]
fn large_outputs_come_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let size = MAP_THRESHOLD as usize * 3 + 17;
    let pattern = |i: usize| (i % 251) as u8;
    let bytes = write_via_path_in(dir.path(), ".bin", |path| {
        std::fs::write(path, (0..size).map(pattern).collect::<Vec<u8>>())
    })
    .unwrap();
    assert!(
        entries(dir.path()).is_empty(),
        "the mapped file has no name left"
    );
    assert_eq!(bytes.len(), size);
    assert!(bytes.iter().enumerate().all(|(i, &b)| b == pattern(i)));
}

#[cfg(unix)]
#[test]
fn a_hard_linked_output_is_read_not_mapped_and_the_link_stays() {
    let dir = tempfile::tempdir().unwrap();
    let keep = tempfile::tempdir().unwrap();
    let link = keep.path().join("kept.bin");
    let size = MAP_THRESHOLD as usize + 1;
    let bytes = write_via_path_in(dir.path(), ".bin", |path| {
        std::fs::write(path, vec![1; size])?;
        std::fs::hard_link(path, &link)
    })
    .unwrap();
    // The copy is ours: rewriting the linked file does not reach it.
    std::fs::write(&link, b"changed").unwrap();
    assert_eq!(bytes.len(), size);
    assert!(bytes.iter().all(|&b| b == 1));
    assert!(entries(dir.path()).is_empty());
}

/// The one test that sets `TMPDIR`: it runs this test binary again as a child process with
/// `TMPDIR` pointing at an empty directory, so that no other test thread sees the change.
#[test]
fn tmpdir_is_honoured() {
    const CHILD: &str = "STRATA_SPOOL_TMPDIR_CHILD";
    if std::env::var_os(CHILD).is_some() {
        let tmpdir = PathBuf::from(std::env::var_os("TMPDIR").expect("TMPDIR set by the parent"));
        let parent = strata_spool::read_via_path(b"x", ".in", |path| {
            Ok(path.parent().map(Path::to_path_buf))
        })
        .unwrap();
        assert_eq!(parent.as_deref(), Some(tmpdir.as_path()));
        let bytes = strata_spool::write_via_path(".out", |path| {
            assert_eq!(path.parent(), Some(tmpdir.as_path()));
            std::fs::write(path, b"y")
        })
        .unwrap();
        assert_eq!(bytes, "y");
        // Error and panic in `f`, and a rolled-over `SpooledIO` dropped: nothing is left in TMPDIR.
        let err = strata_spool::read_via_path(b"x", ".in", |path| -> io::Result<()> {
            assert_eq!(path.parent(), Some(tmpdir.as_path()));
            Err(io::Error::other("f failed"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "f failed");
        let err = strata_spool::write_via_path(".out", |_| Err(io::Error::other("f failed")));
        assert_eq!(err.unwrap_err().to_string(), "f failed");
        let panicked = panic::catch_unwind(|| {
            strata_spool::read_via_path(b"x", ".in", |_| -> io::Result<()> { panic!("in f") })
        });
        assert!(panicked.is_err());
        let panicked = panic::catch_unwind(|| {
            strata_spool::write_via_path(".out", |path| {
                std::fs::write(path, b"partial")?;
                panic!("in f")
            })
        });
        assert!(panicked.is_err());
        let mut spooled = strata_spool::SpooledIO::new(4);
        std::io::Write::write_all(&mut spooled, b"more than four bytes").unwrap();
        assert!(spooled.rolled());
        drop(spooled);
        assert!(entries(&tmpdir).is_empty());
        return;
    }
    let tmpdir = tempfile::tempdir().unwrap();
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "path::tmpdir_is_honoured", "--test-threads", "1"])
        .env(CHILD, "1")
        .env("TMPDIR", tmpdir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&child.stdout);
    assert!(child.status.success(), "the child run failed: {stdout}");
    assert!(
        stdout.contains("1 passed"),
        "the child ran no test: {stdout}"
    );
    assert!(entries(tmpdir.path()).is_empty());
}
