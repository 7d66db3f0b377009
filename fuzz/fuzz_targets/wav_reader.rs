//! Fuzz target: arbitrary bytes through `WavReader`, strict and lenient, in blocks of a size and
//! through a source chunking taken from the input. Must never panic, must hold no more than its block,
//! and must yield exactly the samples `decode_with` yields (and the same error).
#![no_main]

use std::io::{self, Read};

use libfuzzer_sys::fuzz_target;
use strata_wav::{Strictness, WavReader};

/// A source that returns at most `step` bytes per read.
struct Chunked<'a> {
    bytes: &'a [u8],
    step: usize,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.bytes.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

fuzz_target!(|input: &[u8]| {
    let Some((&[block, step], data)) = input.split_first_chunk::<2>() else {
        return;
    };
    for strictness in [Strictness::Strict, Strictness::Lenient] {
        let source = Chunked {
            bytes: data,
            step: usize::from(step).max(1),
        };
        let expected = strata_wav::decode_with(data, strictness);
        let mut reader = match WavReader::with_strictness(source, strictness) {
            Ok(reader) => reader,
            Err(err) => {
                let expected = expected.expect_err("decode accepts what the reader refuses");
                assert_eq!(err.to_string(), expected.to_string());
                continue;
            }
        };
        let channels = usize::from(reader.spec().channels);
        let mut buf = vec![0i32; (usize::from(block) + 1) * channels];
        let mut samples = Vec::new();
        let outcome = loop {
            match reader.read_interleaved(&mut buf) {
                Ok(0) => break Ok(reader.salvage()),
                Ok(n) => samples.extend_from_slice(&buf[..n * channels]),
                Err(err) => break Err(err),
            }
        };
        match (outcome, expected) {
            (Ok(salvage), Ok(wav)) => {
                assert_eq!(samples, wav.samples::<i32>());
                assert_eq!(salvage, wav.salvage());
            }
            (Err(err), Err(expected)) => assert_eq!(err.to_string(), expected.to_string()),
            (outcome, expected) => panic!("reader {outcome:?}, decode {:?}", expected.map(|w| w.frames())),
        }
    }
});
