//! The python3 oracle harness: drive the same seeded operation sequences through CPython and Strata
//! and compare every outcome.
//!
//! A suite builds `Sequence`s (a JSON spec plus JSON ops), runs them through a Python driver in
//! `tests/py/` with [`run_python`], runs them through Strata itself, and hands both outcome lists to
//! [`compare`], which reports the seed and the shortest failing prefix on the first mismatch.
//!
//! `STRATA_ORACLE_CASES` sets how many sequences a suite runs (default 200; `cargo xtask conformance`
//! raises it), `STRATA_ORACLE_SEED` the base seed. `python3` missing is a loud failure, never a skip.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

/// Sequences per suite: `STRATA_ORACLE_CASES`, default 200.
pub fn cases() -> usize {
    std::env::var("STRATA_ORACLE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

/// The base seed: `STRATA_ORACLE_SEED`, default fixed so runs are reproducible.
pub fn base_seed() -> u64 {
    std::env::var("STRATA_ORACLE_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5EED_0001)
}

/// A small, seeded, reproducible generator (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A `usize` in `0..n` (`n > 0`).
    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// True with probability `percent`/100.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// `len` bytes drawn from `alphabet`.
    pub fn bytes_from(&mut self, alphabet: &[u8], len: usize) -> Vec<u8> {
        (0..len)
            .map(|_| alphabet[self.index(alphabet.len())])
            .collect()
    }
}

/// One sequence: how to build the object, and the operations to run on it.
#[derive(Debug, Clone)]
pub struct Sequence {
    /// The seed it was generated from, reported on a mismatch.
    pub seed: u64,
    /// The constructor's arguments, as the driver's `make(spec)` reads them.
    pub spec: Value,
    /// The operations, as the driver's `apply(obj, op)` reads them.
    pub ops: Vec<Value>,
}

/// What one operation did: a value, or an error with Python's class name and message.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Success, with the returned value in the drivers' JSON form.
    Ok(Value),
    /// Failure: the Python exception class (or the class Strata's error maps to) and the message.
    Err {
        /// `"ValueError"`, `"UnsupportedOperation"`, `"BlockingIOError"`, …
        class: String,
        /// The exception's message.
        message: String,
    },
}

impl Outcome {
    /// The outcome of a Strata call: its value mapped to JSON, or its error classified.
    pub fn of<T>(result: std::io::Result<T>, to_json: impl FnOnce(T) -> Value) -> Outcome {
        match result {
            Ok(value) => Outcome::Ok(to_json(value)),
            Err(err) => Outcome::error(&err),
        }
    }

    /// Classifies an `io::Error` as the Python exception class it stands for.
    pub fn error(err: &std::io::Error) -> Outcome {
        let class = match (strata_raw::Error::of(err), strata_text::TextError::of(err)) {
            (Some(typed), _) => typed.python_class(),
            (None, Some(text)) => text.python_class(),
            (None, None) => "OSError",
        };
        Outcome::Err {
            class: class.to_string(),
            message: err.to_string(),
        }
    }

    fn from_json(value: &Value) -> Outcome {
        if let Some(ok) = value.get("ok") {
            return Outcome::Ok(ok.clone());
        }
        let err = value.get("err").and_then(Value::as_array);
        let field = |i: usize| {
            err.and_then(|e| e.get(i))
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string()
        };
        Outcome::Err {
            class: field(0),
            message: field(1),
        }
    }
}

/// Bytes in the drivers' JSON form: a latin-1 string, one char per byte.
pub fn b(data: &[u8]) -> Value {
    Value::String(data.iter().map(|&byte| char::from(byte)).collect())
}

/// Bytes back from the drivers' JSON form.
pub fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("latin-1 string"))
        .collect()
}

/// Runs the Python driver `tests/py/<driver>.py` over `sequences`; returns its outcomes per sequence.
///
/// # Panics
///
/// When `python3` cannot be started or the driver fails: the oracle must never be skipped silently.
pub fn run_python(driver: &str, sequences: &[Sequence]) -> Vec<Vec<Outcome>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("py");
    let input = json!({
        "sequences": sequences.iter().map(|s| json!({"spec": s.spec, "ops": s.ops})).collect::<Vec<_>>()
    });
    let mut child = Command::new("python3")
        .arg(dir.join(format!("{driver}.py")))
        .env("PYTHONPATH", &dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("the oracle needs python3 (CPython 3.11) on PATH: {e}"));
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let payload = input.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(payload.as_bytes()));
    let out = child.wait_with_output().expect("python3 runs");
    writer
        .join()
        .expect("writer thread")
        .expect("python3 reads its input");
    assert!(
        out.status.success(),
        "python3 driver {driver} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: Value = serde_json::from_slice(&out.stdout).expect("driver prints JSON");
    parsed
        .as_array()
        .expect("driver prints a list")
        .iter()
        .map(|seq| {
            seq.as_array()
                .expect("a list per sequence")
                .iter()
                .map(Outcome::from_json)
                .collect()
        })
        .collect()
}

/// Compares Python's and Strata's outcomes sequence by sequence.
///
/// Documented differences (`docs/python-parity.md`) are modelled in the Python drivers, never here.
///
/// # Panics
///
/// On the first mismatch, naming the suite, the seed, and the shortest failing prefix of operations.
pub fn compare(
    suite: &str,
    sequences: &[Sequence],
    python: &[Vec<Outcome>],
    strata: &[Vec<Outcome>],
) {
    assert_eq!(
        python.len(),
        sequences.len(),
        "{suite}: python answered a different number of sequences"
    );
    for ((seq, py), rs) in sequences.iter().zip(python).zip(strata) {
        let first_bad = (0..py.len().max(rs.len())).find(|&i| py.get(i) != rs.get(i));
        if let Some(i) = first_bad {
            let prefix: Vec<String> = seq.ops.iter().take(i + 1).map(Value::to_string).collect();
            panic!(
                "{suite}: mismatch at operation {i} (seed {seed}; rerun with STRATA_ORACLE_SEED={seed})\n\
                 spec: {spec}\nshortest failing prefix:\n  {ops}\npython: {py:?}\nstrata: {rs:?}",
                seed = seq.seed,
                spec = seq.spec,
                ops = prefix.join("\n  "),
                py = py.get(i),
                rs = rs.get(i),
            );
        }
    }
}
