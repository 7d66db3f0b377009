//! `cargo xtask`: Strata's one entry point for the project's tasks.
//!
//! - `cargo xtask ci`: everything CI checks, in order (rustfmt, clippy, tests, the loom model of the
//!   pipe ring, every fuzz target for a few seconds, docs), stopping at the first failure.
//! - `cargo xtask conformance [--cases N] [--seed S]`: the python3 oracle harness with many sequences.
//! - `cargo xtask bench [--quick] [FILTER]`: criterion benchmarks, summarised as ratios in `docs/perf.md`
//!   (a full run; with `FILTER`, the matching groups are only printed).
//! - `cargo xtask demo [--out DIR]`: the main job (tone → WAV, waveform → PNG, both → ZIP, samples
//!   → the dataset shard `dataset-000000.tar`).
//! - `cargo xtask fuzz [--seconds N] [TARGET…]`: the libFuzzer targets in `fuzz/`, N seconds each,
//!   from their checked-in corpora, on the stable toolchain; a crash leaves its input in
//!   `fuzz/artifacts/` (see `fuzz.rs`).
//! - `cargo xtask test-object`: strata-object's tests against a local S3 server (moto, see `s3.rs`).
//! - `cargo xtask with-s3 CMD [ARGS…]`: any command with that server up and its environment set
//!   (e.g. `cargo xtask with-s3 cargo bench -p strata-object`).
//!
//! If `cargo xtask ci` passes locally, CI is green: `.ci/run` calls nothing else.
#![forbid(unsafe_code)]

mod bench;
mod fuzz;
mod s3;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let task = args.next().unwrap_or_default();
    let rest: Vec<String> = args.collect();
    match task.as_str() {
        "ci" => ci(),
        "conformance" => conformance(&rest),
        "bench" => bench::run(&root()?, &rest),
        "demo" => demo(&rest),
        "fuzz" => fuzz::run(&root()?, &rest),
        "test-object" => with_s3(&[
            "cargo".into(),
            "test".into(),
            "-p".into(),
            "strata-object".into(),
            "--all-features".into(),
        ]),
        "with-s3" => with_s3(&rest),
        _ => {
            eprintln!(
                "usage: cargo xtask <ci | conformance [--cases N] [--seed S] | bench [--quick] [FILTER] | demo [--out DIR] | fuzz [--seconds N] [TARGET...] | test-object | with-s3 CMD...>"
            );
            bail!("unknown task {task:?}")
        }
    }
}

/// The workspace root: the parent of this crate's directory.
fn root() -> Result<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map(Path::to_path_buf)
        .context("xtask has no parent directory")
}

/// A `cargo` command run from the workspace root.
fn cargo(args: &[&str]) -> Result<Command> {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(args).current_dir(root()?);
    Ok(cmd)
}

/// Runs `cmd`, printing `name` first; fails with the step's name if it fails.
fn step(name: &str, mut cmd: Command) -> Result<()> {
    println!("==> {name}");
    let status = cmd
        .status()
        .with_context(|| format!("{name}: could not start"))?;
    if !status.success() {
        bail!("step failed: {name} ({status})");
    }
    Ok(())
}

/// The value after `--flag` in `args`, if any.
fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

/// Seconds each fuzz target runs in `cargo xtask ci`.
const FUZZ_SECONDS_IN_CI: &str = "10";

fn ci() -> Result<()> {
    require_python()?;
    step("rustfmt", cargo(&["fmt", "--all", "--check"])?)?;
    step(
        "clippy",
        cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--locked",
            "--",
            "-D",
            "warnings",
        ])?,
    )?;
    // `--all-features` so the facade's feature-gated code and the demo are built and tested too.
    // strata-object's suite needs its S3 server, stopped when `s3` drops (on failure too).
    let s3 = s3::S3Server::start(&root()?)?;
    let mut tests = cargo(&["test", "--workspace", "--all-features", "--locked"])?;
    tests.envs(s3.env());
    step("tests", tests)?;
    drop(s3);
    // The pipe ring's atomics, model-checked by loom: a build of its own (other cfg, other directory,
    // so the main build stays cached).
    let mut loom = cargo(&[
        "test",
        "-p",
        "strata-pipe",
        "--release",
        "--lib",
        "--locked",
    ])?;
    loom.env("RUSTFLAGS", "--cfg loom")
        .env("CARGO_TARGET_DIR", root()?.join("target").join("loom"));
    step("loom (strata-pipe ring)", loom)?;
    // Every fuzz target, briefly, from its checked-in corpus: a crash fails CI.
    fuzz::run(&root()?, &["--seconds".into(), FUZZ_SECONDS_IN_CI.into()])?;
    let mut doc = cargo(&[
        "doc",
        "--workspace",
        "--all-features",
        "--no-deps",
        "--locked",
    ])?;
    doc.env("RUSTDOCFLAGS", "-D warnings");
    step("docs", doc)?;
    println!("==> ci passed");
    Ok(())
}

fn conformance(args: &[String]) -> Result<()> {
    require_python()?;
    // Every suite in the workspace test binary is an oracle suite (or cheap): run them all.
    let mut cmd = cargo(&[
        "test",
        "--release",
        "--locked",
        "-p",
        "strata-tests",
        "--test",
        "it",
    ])?;
    cmd.env(
        "STRATA_ORACLE_CASES",
        flag(args, "--cases").unwrap_or("2000"),
    );
    if let Some(seed) = flag(args, "--seed") {
        cmd.env("STRATA_ORACLE_SEED", seed);
    }
    step("conformance (python3 oracle)", cmd)
}

fn demo(args: &[String]) -> Result<()> {
    let mut cmd = cargo(&[
        "run",
        "--release",
        "--locked",
        "-p",
        "strata-io",
        "--features",
        "full",
        "--example",
        "demo",
        "--",
    ])?;
    cmd.args(args);
    step("demo", cmd)
}

/// Runs `command` with the S3 test server up and its environment set.
fn with_s3(command: &[String]) -> Result<()> {
    let Some((program, args)) = command.split_first() else {
        bail!("usage: cargo xtask with-s3 CMD [ARGS...]");
    };
    let s3 = s3::S3Server::start(&root()?)?;
    let mut cmd = Command::new(program);
    cmd.args(args).current_dir(root()?).envs(s3.env());
    step(&command.join(" "), cmd)
}

/// The oracle tests need `python3`, and it must be CPython 3.11, the version the drivers model (its
/// messages, its read-ahead, its codec tables); say so plainly instead of failing deep inside a test.
fn require_python() -> Result<()> {
    let script = "import sys; print('%d.%d' % sys.version_info[:2], sys.version.split()[0])";
    let out = Command::new("python3").args(["-c", script]).output();
    let printed = match out {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).into_owned(),
        _ => bail!("python3 is required (the conformance oracle); install CPython 3.11"),
    };
    match printed.split_whitespace().collect::<Vec<_>>()[..] {
        ["3.11", _] => Ok(()),
        [_, version] => bail!(
            "the conformance oracle models CPython 3.11, but python3 is {version}: \
             put CPython 3.11 first on PATH as python3"
        ),
        _ => bail!("python3 printed an unexpected version: {printed:?}"),
    }
}
