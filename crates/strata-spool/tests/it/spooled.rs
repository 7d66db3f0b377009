//! `SpooledIO`: the same results as `BytesIO` before, across and after rollover (differential
//! proptest), when exactly it rolls over, snapshots that survive later writes, and no files left.

use std::io::{ErrorKind, SeekFrom};

use proptest::prelude::*;
use strata_buffered::BytesIO;
use strata_raw::Error;
use strata_spool::prelude::*;
use strata_spool::{MAP_THRESHOLD, SpooledIO};

use crate::entries;
use crate::model::{Op, Outcome, apply, op};

/// Runs `ops` on a `BytesIO` and on a `SpooledIO` with `max_size` in a fresh directory, and checks
/// every outcome, the final contents, that every `getvalue` snapshot kept its contents to the end
/// (so that later writes had to copy a mapped file aside), and that the directory stays empty.
fn differential(max_size: usize, ops: &[Op]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("a test directory");
    let mut want = BytesIO::new();
    let mut got = SpooledIO::new_in(max_size, dir.path());
    let mut snapshots = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        if let Op::GetValue = op
            && let (Ok(expected), Ok(actual)) = (want.getvalue(), got.getvalue())
        {
            snapshots.push((expected, actual));
        }
        let expected = apply(&mut want, op);
        let actual = apply(&mut got, op);
        prop_assert_eq!(
            &actual,
            &expected,
            "op {} {:?} (rolled: {})",
            i,
            op,
            got.rolled()
        );
    }
    for (expected, actual) in &snapshots {
        prop_assert!(expected == actual, "a snapshot changed after it was taken");
    }
    let final_state = [Op::Tell, Op::GetValue];
    for op in &final_state {
        prop_assert_eq!(apply(&mut got, op), apply(&mut want, op), "final {:?}", op);
    }
    prop_assert!(
        entries(dir.path()).is_empty(),
        "the spilled file has no name"
    );
    drop(got);
    prop_assert!(entries(dir.path()).is_empty());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Small writes and a tiny limit: rollover happens mid-sequence, usually early.
    #[test]
    fn spooled_matches_bytesio(max_size in 0usize..24, ops in prop::collection::vec(op(false), 0..40)) {
        differential(max_size, &ops)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Large writes carry the file past `MAP_THRESHOLD`, so `getvalue` maps it and later writes and
    /// truncations must copy it aside.
    #[test]
    fn spooled_matches_bytesio_when_mapped(max_size in prop_oneof![0usize..16, 0usize..600_000], ops in prop::collection::vec(op(true), 0..20)) {
        differential(max_size, &ops)?;
    }
}

/// A rollover case: operations from empty, and whether the stream is rolled afterwards.
struct Rollover {
    name: &'static str,
    max_size: usize,
    ops: Vec<Op>,
    rolled: bool,
}

fn check(case: &Rollover) {
    let dir = tempfile::tempdir().expect("a test directory");
    let mut f = SpooledIO::new_in(case.max_size, dir.path());
    let mut model = BytesIO::new();
    for op in &case.ops {
        assert_eq!(
            apply(&mut f, op),
            apply(&mut model, op),
            "{}: {op:?}",
            case.name
        );
    }
    assert_eq!(f.rolled(), case.rolled, "{}: rolled", case.name);
}

#[test]
fn rollover_happens_exactly_when_the_limit_would_be_exceeded() {
    let w = |data: &[u8]| Op::Write(data.to_vec());
    let cases = [
        Rollover {
            name: "fits exactly",
            max_size: 4,
            ops: vec![w(b"ab"), w(b"cd")],
            rolled: false,
        },
        Rollover {
            name: "one byte over",
            max_size: 4,
            ops: vec![w(b"ab"), w(b"cde")],
            rolled: true,
        },
        Rollover {
            name: "overwrite inside",
            max_size: 4,
            ops: vec![w(b"abcd"), Op::Seek(SeekFrom::Start(0)), w(b"wxyz")],
            rolled: false,
        },
        Rollover {
            name: "seek then write",
            max_size: 4,
            ops: vec![Op::Seek(SeekFrom::Start(4)), w(b"x")],
            rolled: true,
        },
        Rollover {
            name: "seek alone",
            max_size: 4,
            ops: vec![Op::Seek(SeekFrom::Start(100))],
            rolled: false,
        },
        Rollover {
            name: "empty write past the limit",
            max_size: 4,
            ops: vec![Op::Seek(SeekFrom::Start(100)), w(b"")],
            rolled: false,
        },
        Rollover {
            name: "truncate never grows",
            max_size: 4,
            ops: vec![w(b"ab"), Op::Truncate(Some(100))],
            rolled: false,
        },
        Rollover {
            name: "writelines crosses",
            max_size: 4,
            ops: vec![Op::WriteLines(vec![b"ab".to_vec(), b"cde".to_vec()])],
            rolled: true,
        },
        Rollover {
            name: "limit 0, first byte",
            max_size: 0,
            ops: vec![w(b"a")],
            rolled: true,
        },
        Rollover {
            name: "limit 0, nothing written",
            max_size: 0,
            ops: vec![w(b""), Op::GetValue],
            rolled: false,
        },
        Rollover {
            name: "closed stays in memory",
            max_size: 1,
            ops: vec![Op::Close, w(b"abc")],
            rolled: false,
        },
        Rollover {
            name: "closed after rollover",
            max_size: 1,
            ops: vec![w(b"abc"), Op::Close, Op::Tell],
            rolled: true,
        },
    ];
    for case in &cases {
        check(case);
    }
}

#[test]
fn explicit_rollover_keeps_contents_and_position() {
    let mut f = SpooledIO::new(usize::MAX);
    f.write_all(b"abc\ndef").unwrap();
    f.seek(SeekFrom::Start(2)).unwrap();
    f.rollover().unwrap();
    assert!(f.rolled());
    f.rollover().unwrap(); // a no-op once rolled
    assert_eq!(f.tell().unwrap(), 2);
    assert_eq!(f.readline(None).unwrap(), "c\n");
    assert_eq!(f.getvalue().unwrap(), "abc\ndef");
    assert_eq!(f.len(), 7);
    assert_eq!(f.max_size(), usize::MAX);
}

#[test]
fn rollover_of_a_closed_stream_fails() {
    let mut f = SpooledIO::new(10);
    f.close().unwrap();
    let err = f.rollover().unwrap_err();
    assert!(matches!(Error::of(&err), Some(Error::Closed { .. })));
    assert!(!f.rolled());
}

#[test]
fn rollover_into_a_missing_directory_keeps_the_data_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = SpooledIO::new_in(2, dir.path().join("missing"));
    f.write_all(b"ab").unwrap();
    let err = f.write(b"c").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(!f.rolled());
    assert_eq!(f.getvalue().unwrap(), "ab");
}

#[test]
fn big_snapshots_are_maps_that_later_changes_do_not_touch() {
    let dir = tempfile::tempdir().unwrap();
    let size = MAP_THRESHOLD as usize * 2;
    let mut f = SpooledIO::new_in(0, dir.path());
    f.write_all(&vec![b'a'; size]).unwrap();
    let first = f.getvalue().unwrap();
    let again = f.getvalue().unwrap();
    assert_eq!(first.len(), size);

    // Overwrite inside, grow, then shrink: each change must leave both snapshots alone.
    f.seek(SeekFrom::Start(10)).unwrap();
    f.write_all(b"XYZ").unwrap();
    f.seek(SeekFrom::End(0)).unwrap();
    f.write_all(b"tail").unwrap();
    let second = f.getvalue().unwrap();
    f.truncate(Some(5)).unwrap();
    assert!(first.iter().all(|&b| b == b'a') && again.iter().all(|&b| b == b'a'));
    assert_eq!(&second[8..14], b"aaXYZa");
    assert_eq!(second.len(), size + 4);
    assert!(second.ends_with(b"tail"));
    assert_eq!(f.getvalue().unwrap(), "aaaaa");
    drop((first, again, second));

    // Without live snapshots the file changes in place.
    f.seek(SeekFrom::Start(5)).unwrap();
    f.write_all(b"!").unwrap();
    f.seek(SeekFrom::Start(0)).unwrap();
    assert_eq!(f.read_bytes(None).unwrap(), "aaaaa!");
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn into_bytes_is_the_whole_contents_in_both_states() {
    let mut small = SpooledIO::new(100);
    small.write_all(b"memory").unwrap();
    assert_eq!(small.into_bytes().unwrap(), "memory");

    let size = MAP_THRESHOLD as usize + 1;
    let mut big = SpooledIO::new(10);
    big.write_all(&vec![7; size]).unwrap();
    big.seek(SeekFrom::Start(0)).unwrap(); // the position does not matter
    let bytes = big.into_bytes().unwrap();
    assert_eq!(bytes.len(), size);
    assert!(bytes.iter().all(|&b| b == 7));

    let mut closed = SpooledIO::new(0);
    closed.write_all(b"gone").unwrap();
    closed.close().unwrap();
    assert_eq!(closed.into_bytes().unwrap(), "");
}

#[test]
fn lines_and_std_traits_work_after_rollover() {
    let mut f = SpooledIO::new(4);
    f.writelines([&b"one\n"[..], b"two\n", b"three"]).unwrap();
    assert!(f.rolled());
    f.seek(SeekFrom::Start(0)).unwrap();
    let lines: Vec<String> = (&mut f).lines().collect::<Result<_, _>>().unwrap();
    assert_eq!(lines, ["one", "two", "three"]);
    f.seek(SeekFrom::Start(4)).unwrap();
    let mut rest = String::new();
    f.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "two\nthree");
    assert_eq!(f.readlines(None).unwrap(), Vec::<bytes::Bytes>::new());
}

#[test]
fn reads_far_past_the_end_return_nothing_in_both_states() {
    for max_size in [100, 0] {
        let mut f = SpooledIO::new(max_size);
        f.write_all(b"abc").unwrap();
        assert_eq!(f.seek(SeekFrom::Start(u64::MAX)).unwrap(), u64::MAX);
        let mut buf = [0; 4];
        assert_eq!(f.readinto(&mut buf).unwrap(), 0, "max_size {max_size}");
        assert_eq!(f.read_bytes(None).unwrap(), "");
        assert_eq!(f.readline(None).unwrap(), "");
        assert_eq!(f.readlines(None).unwrap(), Vec::<bytes::Bytes>::new());
        assert_eq!(f.fill_buf().unwrap(), b"");
        assert_eq!(f.tell().unwrap(), u64::MAX);
    }
}

#[test]
fn fileno_exists_only_on_disk() {
    let mut f = SpooledIO::new(1);
    assert_eq!(f.fileno().unwrap_err().kind(), ErrorKind::Unsupported);
    f.write_all(b"ab").unwrap();
    #[cfg(unix)]
    assert!(f.fileno().unwrap() >= 0);
    assert!(!f.isatty().unwrap());
    f.close().unwrap();
    assert!(f.closed());
    assert!(matches!(
        Error::of(&f.fileno().unwrap_err()),
        Some(Error::Closed { .. })
    ));
}

#[test]
fn closing_a_rolled_stream_is_idempotent_and_final() {
    let mut f = SpooledIO::new(0);
    f.write_all(b"data").unwrap();
    f.close().unwrap();
    f.close().unwrap();
    assert_eq!(f.len(), 0);
    for op in [
        Op::Tell,
        Op::GetValue,
        Op::Read(None),
        Op::Write(b"x".to_vec()),
        Op::WriteLines(vec![]),
        Op::Flush,
    ] {
        assert_eq!(
            apply(&mut f, &op),
            Outcome::Err(
                ErrorKind::InvalidInput,
                "I/O operation on closed file.".into()
            ),
            "{op:?}"
        );
    }
}
#[test]
fn gathered_writes_are_in_place_before_the_next_read() {
    let mut f = SpooledIO::new(0);
    f.write_all(b"abcd").unwrap();
    f.seek(SeekFrom::Start(0)).unwrap();
    f.write_all(b"x").unwrap(); // gathered, not yet in the file
    assert_eq!(f.read_bytes(Some(1)).unwrap(), "b");
    f.write_all(b"y").unwrap();
    f.flush().unwrap();
    assert_eq!(f.getvalue().unwrap(), "xbyd");
}

#[test]
fn debug_output_stays_short() {
    let mut f = SpooledIO::new(0);
    f.write_all(&[b'x'; 1000]).unwrap(); // gathered
    let shown = format!("{f:?}");
    assert!(shown.len() < 300, "{shown}");
    assert!(shown.contains("pending: 1000"), "{shown}");
}

/// A line-iteration case: the contents written, the operations after them, the iteration
/// ([`Op::Iter`]) and the items it must yield, then operations to compare with `BytesIO`'s.
struct LineCase {
    name: &'static str,
    contents: Vec<u8>,
    before: Vec<Op>,
    iter: Op,
    want: Vec<Outcome>,
    after: Vec<Op>,
}

/// The items of a line iteration that yields `lines`.
fn lines(lines: &[&[u8]]) -> Vec<Outcome> {
    lines
        .iter()
        .map(|line| Outcome::Bytes(line.to_vec()))
        .collect()
}

/// The closed-file error's message.
const CLOSED: &str = "I/O operation on closed file.";

/// Runs `case` in memory and on disk, against its expected items and against `BytesIO`.
fn check_lines(case: &LineCase) {
    for max_size in [usize::MAX, 0] {
        let dir = tempfile::tempdir().expect("a test directory");
        let mut f = SpooledIO::new_in(max_size, dir.path());
        let mut model = BytesIO::new();
        let name = format!("{} (max_size {max_size})", case.name);
        let mut same = |op: &Op| {
            let outcome = apply(&mut f, op);
            assert_eq!(outcome, apply(&mut model, op), "{name}: {op:?}");
            outcome
        };
        same(&Op::Write(case.contents.clone()));
        for op in &case.before {
            same(op);
        }
        assert_eq!(
            same(&case.iter),
            Outcome::Items(case.want.clone()),
            "{name}"
        );
        for op in &case.after {
            same(op);
        }
        let rolled = max_size == 0 && !case.contents.is_empty();
        assert_eq!(f.rolled(), rolled, "{name}: rolled");
    }
}

#[test]
fn line_iteration_matches_bytesio_in_both_states() {
    let text = b"a\nbb\n\nd".to_vec();
    let mut long = vec![b'x'; 20_000]; // longer than the file's read buffer
    long.extend_from_slice(b"\nend");
    let all = lines(&[b"a\n", b"bb\n", b"\n", b"d"]);
    let cases = [
        LineCase {
            name: "every line, blank ones included",
            contents: text.clone(),
            before: vec![Op::Seek(SeekFrom::Start(0))],
            iter: Op::Iter(None),
            want: all.clone(),
            after: vec![Op::Tell, Op::ReadLine(None)],
        },
        LineCase {
            name: "iter_lines gives the same",
            contents: text.clone(),
            before: vec![Op::Seek(SeekFrom::Start(0))],
            iter: Op::Iter(Some(usize::MAX)),
            want: all,
            after: vec![Op::Tell],
        },
        LineCase {
            name: "from the middle of a line",
            contents: text.clone(),
            before: vec![Op::Seek(SeekFrom::Start(3))],
            iter: Op::Iter(None),
            want: lines(&[b"b\n", b"\n", b"d"]),
            after: vec![],
        },
        LineCase {
            name: "stopping early leaves the rest to read",
            contents: text.clone(),
            before: vec![Op::Seek(SeekFrom::Start(0))],
            iter: Op::Iter(Some(2)),
            want: lines(&[b"a\n", b"bb\n"]),
            after: vec![Op::Tell, Op::ReadLine(None), Op::Iter(None)],
        },
        LineCase {
            name: "a trailing newline ends the last line; \\r ends none",
            contents: b"a\r\nb\rc\n".to_vec(),
            before: vec![Op::Seek(SeekFrom::Start(0))],
            iter: Op::Iter(None),
            want: lines(&[b"a\r\n", b"b\rc\n"]),
            after: vec![Op::Iter(None)],
        },
        LineCase {
            name: "at the end after writing",
            contents: text.clone(),
            before: vec![],
            iter: Op::Iter(None),
            want: vec![],
            after: vec![],
        },
        LineCase {
            name: "past the end",
            contents: text.clone(),
            before: vec![Op::Seek(SeekFrom::Start(100))],
            iter: Op::Iter(None),
            want: vec![],
            after: vec![Op::Tell],
        },
        LineCase {
            name: "an empty stream",
            contents: vec![],
            before: vec![],
            iter: Op::Iter(None),
            want: vec![],
            after: vec![],
        },
        LineCase {
            name: "a write gathered on disk is seen",
            contents: text.clone(),
            before: vec![Op::Seek(SeekFrom::Start(3)), Op::Write(b"X\nY".to_vec())],
            iter: Op::Iter(None),
            want: lines(&[b"d"]),
            after: vec![Op::Seek(SeekFrom::Start(0)), Op::Iter(None)],
        },
        LineCase {
            name: "a line longer than the read buffer",
            contents: long.clone(),
            before: vec![Op::Seek(SeekFrom::Start(1))],
            iter: Op::Iter(None),
            want: lines(&[&long[1..20_001], b"end"]),
            after: vec![],
        },
        LineCase {
            name: "closed: the error once, for each iteration",
            contents: text,
            before: vec![Op::Close],
            iter: Op::Iter(None),
            want: vec![Outcome::Err(ErrorKind::InvalidInput, CLOSED.into())],
            after: vec![Op::Iter(Some(5))],
        },
    ];
    for case in &cases {
        check_lines(case);
    }
}

#[test]
fn line_iteration_ends_after_its_error() {
    let mut f = SpooledIO::new(0);
    f.write_all(b"a\nb\n").unwrap();
    f.close().unwrap();
    let mut lines = f.iter_lines();
    assert!(matches!(
        lines
            .next()
            .map(|line| line.map_err(|err| Error::of(&err).cloned())),
        Some(Err(Some(Error::Closed { .. })))
    ));
    assert!(lines.next().is_none(), "the iterator ends after its error");
    assert!(lines.next().is_none(), "and stays ended");
}
