//! Fuzz target: arbitrary operation sequences on `BytesIO`, checked against a plain `Vec` model.
//!
//! Every byte of input picks an operation and its argument; after each, the stream's length,
//! position and (at the end) contents must equal the model's, and nothing may panic.
#![no_main]

use std::io::{Read, Seek, SeekFrom, Write};

use libfuzzer_sys::fuzz_target;
use strata_buffered::BytesIO;
use strata_buffered::prelude::*;

fuzz_target!(|data: &[u8]| {
    let mut f = BytesIO::new();
    let (mut model, mut pos) = (Vec::<u8>::new(), 0usize);
    let mut snapshot = None;
    for pair in data.chunks(2) {
        let (op, arg) = (pair[0], usize::from(*pair.get(1).unwrap_or(&0)));
        match op % 8 {
            0 => {
                let chunk = vec![op; arg % 17];
                f.write_all(&chunk).expect("write");
                if !chunk.is_empty() {
                    if model.len() < pos + chunk.len() {
                        model.resize(pos + chunk.len(), 0);
                    }
                    model[pos..pos + chunk.len()].copy_from_slice(&chunk);
                    pos += chunk.len();
                }
            }
            1 => {
                let got = f.read_bytes(Some(arg % 9)).expect("read");
                let end = (pos + arg % 9).min(model.len()).max(pos.min(model.len()));
                assert_eq!(&got[..], &model[pos.min(model.len())..end]);
                pos += got.len();
            }
            2 => {
                pos = f.seek(SeekFrom::Start((arg % 40) as u64)).expect("seek") as usize;
            }
            3 => {
                let size = f.truncate(Some((arg % 30) as u64)).expect("truncate") as usize;
                model.truncate(size);
            }
            4 => snapshot = Some((f.getvalue().expect("getvalue"), model.clone())),
            5 => {
                let line = f.readline(Some(arg % 12)).expect("readline");
                pos += line.len();
            }
            6 => {
                let mut buf = [0u8; 7];
                pos += f.read(&mut buf[..arg % 8]).expect("read");
            }
            _ => {
                if let Ok(mut view) = f.getbuffer() {
                    if let Some(first) = view.first_mut() {
                        *first = op;
                        model[0] = op;
                    }
                }
            }
        }
        assert_eq!(f.len(), model.len());
        assert_eq!(f.tell().expect("tell") as usize, pos);
    }
    assert_eq!(&f.getvalue().expect("getvalue")[..], &model[..]);
    if let Some((snap, then)) = snapshot {
        assert_eq!(&snap[..], &then[..], "a snapshot never changes");
    }
});
