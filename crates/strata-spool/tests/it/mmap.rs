//! `MmapIO`: the same reads as a `BytesIO` over the same bytes (differential proptest), zero-copy
//! results that outlive the stream, and what a read-only stream refuses.

use std::io::{ErrorKind, SeekFrom};
use std::path::Path;

use proptest::prelude::*;
use strata_buffered::BytesIO;
use strata_raw::Error;
use strata_spool::MmapIO;
use strata_spool::prelude::*;

use crate::model::{Op, apply_read, read_op};

/// Writes `contents` to `path` and maps it.
fn mapped(path: &Path, contents: &[u8]) -> MmapIO {
    std::fs::write(path, contents).expect("write the test file");
    // SAFETY: the file is in a temporary directory private to this test; nothing else writes it.
    unsafe { MmapIO::open(path) }.expect("map the test file")
}

/// Reading operations; capabilities differ by design (`writable`) and are checked apart.
fn reads() -> impl Strategy<Value = Op> {
    read_op().prop_filter("MmapIO is not writable", |op| !matches!(op, Op::Caps))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn mmap_reads_like_bytesio(
        contents in prop::collection::vec(prop::sample::select(b"ab\n\r".to_vec()), 0..64),
        ops in prop::collection::vec(prop_oneof![20 => reads(), 1 => Just(Op::Close)], 0..40),
    ) {
        let dir = tempfile::tempdir().expect("a test directory");
        let mut got = mapped(&dir.path().join("f"), &contents);
        let mut want = BytesIO::from(contents.clone());
        for (i, op) in ops.iter().enumerate() {
            prop_assert_eq!(apply_read(&mut got, op), apply_read(&mut want, op), "op {} {:?}", i, op);
        }
    }
}

#[test]
fn reads_share_the_map_and_outlive_the_stream() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = mapped(&dir.path().join("f"), b"first\nsecond\nthird");
    let whole = f.getvalue().unwrap();
    let range = whole.as_ptr_range();
    let line = f.readline(None).unwrap();
    let rest = f.read_bytes(None).unwrap();
    for part in [&line, &rest] {
        assert!(
            range.contains(&part.as_ptr()),
            "a slice of the map, not a copy"
        );
    }
    f.close().unwrap();
    drop(f);
    assert_eq!((line, rest), ("first\n".into(), "second\nthird".into()));
    assert_eq!(whole.len(), 18);
}

#[test]
fn a_file_replaced_by_rename_keeps_the_old_contents_mapped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    let mut f = mapped(&path, b"old contents\n");
    let new = dir.path().join("new");
    std::fs::write(&new, b"new").unwrap();
    std::fs::rename(&new, &path).unwrap();
    assert_eq!(f.readline(None).unwrap(), "old contents\n");
    assert_eq!(f.len(), 13);
}

#[test]
fn std_traits_and_lines() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = mapped(&dir.path().join("f"), b"a\nbb\nccc");
    assert_eq!(f.readlines(Some(3)).unwrap(), ["a\n", "bb\n"]);
    f.seek(SeekFrom::Start(0)).unwrap();
    let lines: Vec<String> = f.by_ref().lines().collect::<Result<_, _>>().unwrap();
    assert_eq!(lines, ["a", "bb", "ccc"]);
    f.seek(SeekFrom::End(-2)).unwrap();
    let mut tail = String::new();
    f.read_to_string(&mut tail).unwrap();
    assert_eq!(tail, "cc");
    assert_eq!(f.seek(SeekFrom::Current(5)).unwrap(), 13);
    assert_eq!(f.read_bytes(None).unwrap(), ""); // past the end
    let err = f.seek(SeekFrom::Current(-14)).unwrap_err();
    assert_eq!(Error::of(&err), Some(&Error::NegativeSeek(-1)));
}

#[test]
fn an_empty_file_is_an_empty_stream() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = mapped(&dir.path().join("empty"), b"");
    assert!(f.is_empty());
    assert_eq!(f.readline(None).unwrap(), "");
    assert_eq!(f.getvalue().unwrap(), "");
    assert_eq!(f.into_bytes(), "");
}

#[test]
fn read_only_and_file_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = mapped(&dir.path().join("f"), b"data");
    assert_eq!(
        (
            f.readable().unwrap(),
            f.writable().unwrap(),
            f.seekable().unwrap()
        ),
        (true, false, true)
    );
    assert_eq!(
        f.truncate(Some(0)).unwrap_err().kind(),
        ErrorKind::Unsupported
    );
    assert_eq!(f.fileno().unwrap_err().kind(), ErrorKind::Unsupported);
    assert_eq!(f.into_bytes(), "data");

    // SAFETY: nothing is mapped: the file does not exist.
    let err = unsafe { MmapIO::open(dir.path().join("missing")) }.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

/// A line-iteration case: the file's contents, reads before iterating, and the lines
/// `for line in &mut f` must yield.
struct LineCase {
    name: &'static str,
    contents: &'static [u8],
    before: Vec<Op>,
    want: &'static [&'static [u8]],
}

#[test]
fn line_iteration_matches_bytesio() {
    let cases = [
        LineCase {
            name: "every line, blank ones included",
            contents: b"a\nbb\n\nd",
            before: vec![],
            want: &[b"a\n", b"bb\n", b"\n", b"d"],
        },
        LineCase {
            name: "after a readline, from the middle of a line",
            contents: b"head\nab\ncd\n",
            before: vec![Op::ReadLine(None), Op::Read(Some(1))],
            want: &[b"b\n", b"cd\n"],
        },
        LineCase {
            name: "\\r ends no line",
            contents: b"a\r\nb\rc",
            before: vec![],
            want: &[b"a\r\n", b"b\rc"],
        },
        LineCase {
            name: "an empty file",
            contents: b"",
            before: vec![],
            want: &[],
        },
        LineCase {
            name: "past the end",
            contents: b"abc\n",
            before: vec![Op::Seek(SeekFrom::End(3))],
            want: &[],
        },
    ];
    for case in &cases {
        let dir = tempfile::tempdir().unwrap();
        let mut f = mapped(&dir.path().join("f"), case.contents);
        let mut model = BytesIO::from(case.contents);
        for op in &case.before {
            assert_eq!(
                apply_read(&mut f, op),
                apply_read(&mut model, op),
                "{}",
                case.name
            );
        }
        let got: Vec<_> = (&mut f).into_iter().collect::<Result<_, _>>().unwrap();
        let want: Vec<_> = model.iter_lines().collect::<Result<_, _>>().unwrap();
        assert_eq!(got, case.want, "{}", case.name);
        assert_eq!(got, want, "{}: as BytesIO", case.name);
        assert_eq!(f.tell().unwrap(), model.tell().unwrap(), "{}", case.name);
    }
}

#[test]
fn iterated_lines_share_the_map_and_a_closed_file_yields_one_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = mapped(&dir.path().join("f"), b"one\ntwo\n");
    let range = f.getvalue().unwrap().as_ptr_range();
    let lines: Vec<_> = f.iter_lines().collect::<Result<_, _>>().unwrap();
    assert!(lines.iter().all(|line| range.contains(&line.as_ptr())));

    f.close().unwrap();
    let mut lines = f.iter_lines();
    let err = lines.next().expect("one item").unwrap_err();
    assert!(matches!(Error::of(&err), Some(Error::Closed { .. })));
    assert!(lines.next().is_none(), "the iterator ends after its error");
}
