//! Differential tests against Python's `zipfile`: CPython's own test archives, and archives Python
//! writes with every method it has, duplicate names, backslash names and ZIP64 records.

use std::path::{Path, PathBuf};

use crate::{check_against_python, python};

/// CPython's `Lib/test` directory.
fn cpython_test_dir() -> PathBuf {
    let script = "import test, os; print(os.path.dirname(test.__file__))";
    let out = python(script, &[], "CPython's test package is required");
    PathBuf::from(String::from_utf8(out).expect("utf-8").trim())
}

#[test]
fn cpython_test_archives_read_as_python_reads_them() {
    let dir = cpython_test_dir();
    let archives = [
        "zipdir.zip",
        "zip_cp437_header.zip",
        // Executables with an archive appended: offsets relative to the archive, not the file.
        "ziptestdata/exe_with_zip",
        "ziptestdata/exe_with_z64",
    ];
    for archive in archives {
        check_against_python(&dir.join(archive), None);
    }
}

/// Writes an archive with Python: `body` runs with `zf` open for writing on `path`.
fn python_write(path: &Path, body: &str) {
    let script = format!(
        "import sys, zipfile, warnings\nwarnings.simplefilter('ignore')\n\
         with zipfile.ZipFile(sys.argv[1], 'w') as zf:\n{}",
        body.lines()
            .map(|line| format!("    {line}\n"))
            .collect::<String>()
    );
    let what = format!("could not write {}", path.display());
    python(&script, &[path.as_os_str()], &what);
}

#[test]
fn archives_python_writes_read_as_python_reads_them() {
    let text = "b'stream buffer the of zip bytes io\\n' * 2000";
    let cases: &[(&str, String)] = &[
        (
            "methods.zip",
            format!(
                "for name, method in [('stored', zipfile.ZIP_STORED), ('deflated', zipfile.ZIP_DEFLATED),\n\
                 \x20   ('bzip2', zipfile.ZIP_BZIP2), ('lzma', zipfile.ZIP_LZMA)]:\n\
                 \x20   zf.writestr(name + '.txt', {text}, compress_type=method)\n\
                 \x20   zf.writestr(name + '-empty', b'', compress_type=method)"
            ),
        ),
        (
            "duplicates.zip",
            "zf.writestr('same.txt', b'first')\n\
             zf.writestr('other.txt', b'between')\n\
             zf.writestr('same.txt', b'second, longer')"
                .to_owned(),
        ),
        (
            "backslashes.zip",
            "zf.writestr('d\\\\e\\\\', b'a file, on POSIX')\n\
             zf.writestr('a\\\\b.txt', b'also a file')\n\
             zf.writestr('real/', b'')"
                .to_owned(),
        ),
        (
            "zip64.zip",
            format!(
                "with zf.open('big.txt', 'w', force_zip64=True) as f:\n\
                 \x20   f.write({text})\n\
                 zf.writestr('small.txt', b'after')"
            ),
        ),
        (
            "cp437.zip",
            // Not ASCII, yet written without the UTF-8 flag: Python stores cp437 bytes.
            "info = zipfile.ZipInfo('caf\\u00e9.txt')\n\
             info.flag_bits = 0\n\
             zf.writestr(info, b'x')"
                .to_owned(),
        ),
    ];
    let tmp = tempfile::tempdir().expect("temp dir");
    for (name, body) in cases {
        let path = tmp.path().join(name);
        python_write(&path, body);
        check_against_python(&path, None);
    }
}
