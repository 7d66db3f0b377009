//! Compression methods and encryption: every method this crate writes round-trips (and Python reads
//! the ones it knows), and archives other tools made with deflate64, xz, ZipCrypto and AES read back
//! the same bytes.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use strata_zip::{Compression, Method, ZipBuilder, ZipError, ZipReader};

use crate::{feature, python_testzip, text_like};

fn others(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/others")
        .join(file)
}

/// Every compression this build writes, with the method it records and whether Python 3.11 reads it.
fn compressions() -> Vec<(Compression, Method, bool)> {
    #[allow(unused_mut)]
    let mut all = vec![
        (Compression::Stored, Method::Stored, true),
        (Compression::Deflated(1), Method::Deflated, true),
        (Compression::Deflated(9), Method::Deflated, true),
    ];
    #[cfg(feature = "bzip2")]
    all.push((Compression::Bzip2(9), Method::Bzip2, true));
    #[cfg(feature = "zstd")]
    all.push((Compression::Zstd(3), Method::Zstd, false));
    #[cfg(feature = "xz")]
    all.push((Compression::Xz, Method::Xz, false));
    all
}

#[test]
fn every_method_round_trips() -> io::Result<()> {
    let contents: [(&str, Vec<u8>); 3] = [
        ("text.txt", text_like(200_000, 3)),
        ("zeros.bin", vec![0; 50_000]),
        ("empty", Vec::new()),
    ];
    for (compression, method, python_reads) in compressions() {
        let mut zip = ZipBuilder::new();
        for (name, data) in &contents {
            zip.add_bytes(name, data, compression)?;
        }
        let archive = zip.finish()?;
        if python_reads {
            let listed = python_testzip(&archive);
            assert_eq!(listed.len(), contents.len(), "{compression:?}");
            assert!(listed.iter().all(|e| e.method == method.number()));
        }
        let mut reader = ZipReader::new(archive)?;
        for (index, (name, data)) in contents.iter().enumerate() {
            assert_eq!(reader.entries()[index].method, method, "{compression:?}");
            assert_eq!(&reader.read(name)?[..], &data[..], "{compression:?} {name}");
        }
    }
    Ok(())
}

/// What reading entry `name` of `file` (with `password`) must give.
enum Want {
    /// These bytes.
    Bytes(Vec<u8>),
    /// An error of this variant (by name) and kind.
    Error(&'static str, io::ErrorKind),
}

fn check(file: &str, password: Option<&str>, name: &str, want: Want) {
    let what = format!("{file} {name} (password {password:?})");
    let mut reader = ZipReader::from_reader(fs::File::open(others(file)).expect(file)).expect(file);
    if let Some(password) = password {
        reader.set_password(password);
    }
    let index = reader.index_of(name).expect(name);
    let entry = reader.entries()[index].clone();
    let result = reader.read(name);
    match (feature(entry.method), want) {
        (Some((feature, false)), _) => {
            let err = result.expect_err(&what);
            let message = format!("{feature} entries need the `{feature}` feature");
            assert!(err.to_string().contains(&message), "{what}: {err}");
            assert_eq!(err.kind(), io::ErrorKind::Unsupported, "{what}");
        }
        (_, Want::Bytes(bytes)) => {
            let got = result.unwrap_or_else(|err| panic!("{what}: {err}"));
            assert!(got == bytes, "{what}: different bytes");
        }
        (_, Want::Error(variant, kind)) => {
            let err = result.expect_err(&what);
            assert_eq!(err.kind(), kind, "{what}: {err}");
            let typed = ZipError::of(&err).unwrap_or_else(|| panic!("{what}: untyped {err}"));
            let got = format!("{typed:?}");
            assert!(got.starts_with(variant), "{what}: {got}");
        }
    }
}

#[test]
fn archives_from_other_tools_read_the_same_bytes() {
    use io::ErrorKind::{PermissionDenied, Unsupported};
    // The same `text.txt` (98 227 bytes) is in four of them; Python reads the ZipCrypto one.
    let text = crate::python_read(&others("zipcrypto.zip"), Some("pass word"))
        .remove(0)
        .data
        .expect("python decrypts ZipCrypto");
    assert_eq!(text.len(), 98_227);
    let lorem = || Want::Bytes(b"Lorem ipsum dolor sit amet".to_vec());
    let aes = |bytes: Want| {
        if cfg!(feature = "aes") {
            bytes
        } else {
            Want::Error("Unsupported", Unsupported)
        }
    };
    let table = [
        ("deflate64.zip", None, "text.txt", Want::Bytes(text.clone())),
        (
            "deflate64.zip",
            None,
            "zeros.bin",
            Want::Bytes(vec![0; 3000]),
        ),
        (
            "xz.zip",
            None,
            "hello.txt",
            Want::Bytes(b"Hello world\n".to_vec()),
        ),
        (
            "zipcrypto.zip",
            Some("pass word"),
            "text.txt",
            Want::Bytes(text.clone()),
        ),
        (
            "zipcrypto.zip",
            None,
            "text.txt",
            Want::Error("PasswordRequired", PermissionDenied),
        ),
        (
            "zipcrypto.zip",
            Some("wrong"),
            "text.txt",
            Want::Error("WrongPassword", PermissionDenied),
        ),
        (
            "aes.zip",
            Some("pass word"),
            "text.txt",
            aes(Want::Bytes(text.clone())),
        ),
        (
            "aes.zip",
            Some("pass word"),
            "zeros.bin",
            aes(Want::Bytes(vec![0; 3000])),
        ),
        (
            "aes.zip",
            Some("wrong"),
            "text.txt",
            aes(Want::Error("WrongPassword", PermissionDenied)),
        ),
        (
            "aes.zip",
            None,
            "text.txt",
            aes(Want::Error("PasswordRequired", PermissionDenied)),
        ),
        (
            "aes_archive.zip",
            Some("helloworld"),
            "secret_data_128",
            aes(lorem()),
        ),
        (
            "aes_archive.zip",
            Some("helloworld"),
            "secret_data_192",
            aes(lorem()),
        ),
        (
            "aes_archive.zip",
            Some("helloworld"),
            "secret_data_256",
            aes(lorem()),
        ),
        (
            "aes_archive.zip",
            Some("helloworld"),
            "secret_data_256_uncompressed",
            aes(lorem()),
        ),
    ];
    for (file, password, name, want) in table {
        check(file, password, name, want);
    }
}

#[test]
fn aes_entries_list_their_real_method() -> io::Result<()> {
    let reader = ZipReader::from_reader(fs::File::open(others("aes.zip"))?)?;
    for entry in reader.entries() {
        assert!(entry.encrypted, "{}", entry.name);
        assert_eq!(entry.method, Method::Deflated, "{}", entry.name);
    }
    Ok(())
}
