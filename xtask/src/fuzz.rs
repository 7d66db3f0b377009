//! `cargo xtask fuzz [--seconds N] [TARGET…]`: every libFuzzer target in `fuzz/` (or the named ones)
//! for `N` seconds each (default 60), starting from its checked-in corpus `fuzz/corpus/<target>/`.
//!
//! It needs no nightly toolchain and no `cargo fuzz`: it builds `fuzz/` with `cargo build` and the
//! coverage instrumentation `cargo fuzz` would add, all of it stable `rustc` flags (the
//! `sanitizer-coverage` passes of LLVM, without a sanitizer), then runs each target binary. A crash
//! (a panic, a failed assertion, an input that runs longer than 30 seconds) fails the
//! task after every target has had its turn, and libFuzzer leaves the reproducer in
//! `fuzz/artifacts/<target>/` (replay it with `<binary> <file>`). Inputs the fuzzer finds go to a
//! scratch corpus under the target directory, so the checked-in corpora stay as they are.
//!
//! libFuzzer itself is C++ that `libfuzzer-sys` compiles: without a C++ compiler, the task installs
//! Debian's `g++` when it runs as root, and otherwise says what to install.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// Seconds per target when `--seconds` is not given.
const DEFAULT_SECONDS: &str = "60";

/// One input running this long counts as a crash (a hang).
const TIMEOUT_SECONDS: u32 = 30;

/// The instrumentation `cargo fuzz build --sanitizer none` adds, plus debug assertions (which turn
/// overflow checks on): stable flags only.
const RUSTFLAGS: &str = "-Cpasses=sancov-module \
     -Cllvm-args=-sanitizer-coverage-level=4 \
     -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
     -Cllvm-args=-sanitizer-coverage-pc-table \
     -Cllvm-args=-sanitizer-coverage-trace-compares \
     --cfg fuzzing \
     -Cdebug-assertions";

/// Added on Linux, as `cargo fuzz` does: the deepest stack reached counts as coverage too.
const RUSTFLAGS_LINUX: &str = " -Cllvm-args=-sanitizer-coverage-stack-depth";

pub(crate) fn run(root: &Path, args: &[String]) -> Result<()> {
    let seconds: u32 = crate::flag(args, "--seconds")
        .unwrap_or(DEFAULT_SECONDS)
        .parse()
        .context("--seconds takes a whole number of seconds")?;
    let fuzz = root.join("fuzz");
    let all = targets(&fuzz.join("Cargo.toml"))?;
    let named: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|&(i, a)| !a.starts_with("--") && (i == 0 || args[i - 1] != "--seconds"))
        .map(|(_, a)| a)
        .collect();
    if let Some(unknown) = named.iter().find(|n| !all.contains(n)) {
        bail!("no fuzz target {unknown:?} in fuzz/Cargo.toml (targets: {all:?})");
    }
    let chosen: Vec<&String> = if named.is_empty() {
        all.iter().collect()
    } else {
        named
    };

    ensure_cxx()?;
    let host = host_triple()?;
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), PathBuf::from)
        .join("fuzz");
    let mut rustflags = RUSTFLAGS.to_owned();
    if host.contains("-linux-") {
        rustflags.push_str(RUSTFLAGS_LINUX);
    }
    // `--target`, even the host's, keeps RUSTFLAGS away from build scripts and proc macros.
    // `--locked`: `fuzz/Cargo.lock` is committed, so CI builds the versions tested here.
    let mut build = crate::cargo(&[
        "build",
        "--release",
        "--locked",
        "--bins",
        "--target",
        &host,
    ])?;
    build
        .arg("--manifest-path")
        .arg(fuzz.join("Cargo.toml"))
        .env("RUSTFLAGS", rustflags)
        .env("CARGO_TARGET_DIR", &target_dir);
    crate::step(
        "fuzz: build the targets (libFuzzer, coverage instrumentation)",
        build,
    )?;

    let bin_dir = target_dir.join(&host).join("release");
    let mut crashed = Vec::new();
    for name in chosen {
        let seeds = fuzz.join("corpus").join(name);
        let scratch = target_dir.join("corpus").join(name);
        let artifacts = fuzz.join("artifacts").join(name);
        for dir in [&scratch, &artifacts] {
            fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let mut cmd = Command::new(bin_dir.join(name));
        cmd.arg(format!("-max_total_time={seconds}"))
            .arg(format!("-timeout={TIMEOUT_SECONDS}"))
            // The trailing separator makes it a directory prefix.
            .arg(format!("-artifact_prefix={}/", artifacts.display()))
            // New inputs go to the first directory, the scratch one; the seeds are only read.
            .arg(&scratch);
        if seeds.is_dir() {
            cmd.arg(&seeds);
        } else {
            println!("note: {name} has no corpus in fuzz/corpus/{name}/: it starts from nothing");
        }
        if let Err(err) = crate::step(&format!("fuzz {name} for {seconds} s"), cmd) {
            println!("{err:#}: the reproducer is in {}", artifacts.display());
            crashed.push(name.as_str());
        }
    }
    if !crashed.is_empty() {
        bail!("fuzz targets crashed: {crashed:?} (reproducers in fuzz/artifacts/<target>/)");
    }
    Ok(())
}

/// The names of the `[[bin]]` targets in the fuzz crate's manifest.
fn targets(manifest: &Path) -> Result<Vec<String>> {
    let text =
        fs::read_to_string(manifest).with_context(|| format!("reading {}", manifest.display()))?;
    let mut names = Vec::new();
    let mut in_bin = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_bin = line == "[[bin]]";
        } else if in_bin && let Some(value) = line.strip_prefix("name") {
            let name = value
                .trim_start()
                .trim_start_matches('=')
                .trim()
                .trim_matches('"');
            names.push(name.to_owned());
        }
    }
    if names.is_empty() {
        bail!("no [[bin]] targets in {}", manifest.display());
    }
    Ok(names)
}

/// The host's target triple, from `rustc -vV`.
fn host_triple() -> Result<String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc)
        .arg("-vV")
        .output()
        .context("running rustc -vV")?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_owned)
        .context("rustc -vV printed no host triple")
}

/// Makes sure a C++ compiler is there for libFuzzer: installs Debian's `g++` if it is not and the
/// task runs as root.
fn ensure_cxx() -> Result<()> {
    let cxx = std::env::var("CXX").unwrap_or_else(|_| "c++".into());
    let works = |cmd: &str| {
        Command::new(cmd)
            .arg("--version")
            .output()
            .is_ok_and(|out| out.status.success())
    };
    if works(&cxx) {
        return Ok(());
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0");
    if !root || !works("apt-get") {
        bail!("fuzzing needs a C++ compiler to build libFuzzer: install g++ (or set CXX)");
    }
    let mut update = Command::new("apt-get");
    update.args(["update", "-q"]);
    crate::step("fuzz: apt-get update (for g++)", update)?;
    let mut install = Command::new("apt-get");
    install
        .args(["install", "-y", "-q", "--no-install-recommends", "g++"])
        .env("DEBIAN_FRONTEND", "noninteractive");
    crate::step("fuzz: install g++ (libFuzzer is C++)", install)
}
