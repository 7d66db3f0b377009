//! `cargo xtask bench`: run the criterion benchmarks and report them side by side as ratios.
//!
//! Convention for every benchmark in the workspace: a criterion *group* is one comparison; the function
//! named `strata` measures our code, every other function in the group is a baseline (`Cursor`,
//! `memcpy`, `BufReader`, …). Scripts in `xtask/pybench/*.py` add CPython baselines: each prints lines
//! `group<TAB>function<TAB>nanoseconds-per-iteration`. The ratio is baseline time / Strata time, so a
//! ratio above 1 means Strata is faster.
//!
//! A full run writes `docs/perf.md`; `cargo xtask bench FILTER` runs the groups whose names contain
//! `FILTER` and only prints their table.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

/// One measured function: the median time per iteration, in nanoseconds.
type Times = BTreeMap<String, BTreeMap<String, f64>>;

pub(crate) fn run(root: &Path, args: &[String]) -> Result<()> {
    let quick = args.iter().any(|a| a == "--quick");
    let filter: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(String::as_str)
        .collect();
    let criterion_dir = root.join("target").join("criterion");
    // Stale results from benchmarks that no longer exist must not reach the report.
    if criterion_dir.exists() && filter.is_empty() {
        fs::remove_dir_all(&criterion_dir).context("removing old criterion results")?;
    }
    let mut cmd = crate::cargo(&[
        "bench",
        "--workspace",
        "--all-features",
        "--locked",
        "--benches",
        "--",
    ])?;
    if quick {
        cmd.args([
            "--warm-up-time",
            "1",
            "--measurement-time",
            "2",
            "--sample-size",
            "10",
        ]);
    }
    cmd.args(&filter);
    // strata-object's benchmark reads from the loopback S3 server.
    let s3 = crate::s3::S3Server::start(root)?;
    cmd.envs(s3.env());
    crate::step("cargo bench", cmd)?;
    drop(s3);

    let mut times = Times::new();
    collect_criterion(&criterion_dir, &mut times)?;
    collect_python(&root.join("xtask").join("pybench"), &filter, &mut times)?;
    let table = format!("{}\n{}", render(&times), render_peers(&times));
    println!("{table}");
    if !filter.is_empty() {
        // Part of a run: the other groups' rows would be stale or missing (the CPython baselines
        // run per filter), so the report is left as the last full run wrote it.
        println!("filtered run: docs/perf.md is written by a full `cargo xtask bench` only");
        return Ok(());
    }
    let memory = peak_memory()?;
    println!("{memory}");
    let cpu = pipe_cpu()?;
    println!("{cpu}");
    let perf = root.join("docs").join("perf.md");
    fs::write(&perf, report(&format!("{table}\n{memory}\n{cpu}"))?)
        .with_context(|| format!("writing {}", perf.display()))?;
    println!("written to {}", perf.display());
    Ok(())
}

/// The peak-memory section: examples that decode a large stream from a `Read` and print their peak
/// resident set, each with the command that reproduces it.
fn peak_memory() -> Result<String> {
    const WAV: &[&str] = &[
        "run",
        "--release",
        "--locked",
        "-q",
        "-p",
        "strata-wav",
        "--example",
        "wav_peak_memory",
    ];
    Ok(format!(
        "## Peak memory\n\n- `WavReader`, 1 GiB generated WAV stream from a `Read` (`cargo {}`): {}\n",
        WAV.join(" "),
        example_output(WAV)?.trim()
    ))
}

/// The pipe's CPU time beside its throughput: a transport can look fast by burning a core while it
/// waits, so the `pipe_cpu` example times whole transfers and the process's CPU time around them.
fn pipe_cpu() -> Result<String> {
    const PIPE_CPU: &[&str] = &[
        "run",
        "--profile",
        "bench",
        "--locked",
        "-q",
        "-p",
        "strata-pipe",
        "--all-features",
        "--example",
        "pipe_cpu",
        "--",
        "7",
    ];
    Ok(format!(
        "## Pipe CPU time\n\nThe pipe groups' transfers again, each timed whole with the CPU time \
         (user plus system, both threads) it cost, run after run of every transport (`cargo {}`):\n\n\
         ```text\n{}\n```\n",
        PIPE_CPU.join(" "),
        example_output(PIPE_CPU)?.trim_end()
    ))
}

/// What `cargo ARGS` (an example run) printed on its standard output.
fn example_output(args: &[&str]) -> Result<String> {
    let out = crate::cargo(args)?
        .output()
        .with_context(|| format!("running cargo {}", args.join(" ")))?;
    anyhow::ensure!(
        out.status.success(),
        "cargo {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Reads `*/new/benchmark.json` + `estimates.json` under `dir` (criterion's layout).
fn collect_criterion(dir: &Path, times: &mut Times) -> Result<()> {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.ends_with("new/benchmark.json") {
                let bench = fs::read_to_string(&path)?;
                let estimates = fs::read_to_string(path.with_file_name("estimates.json"))?;
                let (Some(group), Some(function), Some(median)) = (
                    json_str(&bench, "group_id"),
                    json_str(&bench, "function_id"),
                    json_after(&estimates, "\"median\"", "point_estimate"),
                ) else {
                    continue;
                };
                times.entry(group).or_default().insert(function, median);
            }
        }
    }
    Ok(())
}

/// Runs every `*.py` in `dir` whose name matches the filter and adds its lines.
fn collect_python(dir: &Path, filter: &[&str], times: &mut Times) -> Result<()> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    let mut scripts: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    scripts.sort();
    for script in scripts
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
    {
        let out = Command::new("python3")
            .arg(script)
            .output()
            .with_context(|| format!("running {}", script.display()))?;
        anyhow::ensure!(out.status.success(), "{} failed", script.display());
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let mut parts = line.split('\t');
            if let (Some(group), Some(function), Some(ns)) =
                (parts.next(), parts.next(), parts.next())
                && (filter.is_empty() || filter.iter().any(|f| group.contains(f)))
            {
                let ns: f64 = ns
                    .trim()
                    .parse()
                    .with_context(|| format!("bad line {line:?}"))?;
                times
                    .entry(group.into())
                    .or_default()
                    .insert(function.into(), ns);
            }
        }
    }
    Ok(())
}

/// The string value of `"key":"…"` in a JSON text (criterion's ids contain no escapes we need).
fn json_str(json: &str, key: &str) -> Option<String> {
    let start = json.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let end = json[start..].find('"')? + start;
    Some(json[start..end].to_string())
}

/// The number after `"key":` that follows the first `anchor` in `json`.
fn json_after(json: &str, anchor: &str, key: &str) -> Option<f64> {
    let json = &json[json.find(anchor)?..];
    let start = json.find(&format!("\"{key}\":"))? + key.len() + 3;
    let end = json[start..].find([',', '}'])? + start;
    json[start..end].trim().parse().ok()
}

fn human(ns: f64) -> String {
    match ns {
        ns if ns < 1e3 => format!("{ns:.1} ns"),
        ns if ns < 1e6 => format!("{:.2} µs", ns / 1e3),
        ns if ns < 1e9 => format!("{:.2} ms", ns / 1e6),
        ns => format!("{:.2} s", ns / 1e9),
    }
}

fn render(times: &Times) -> String {
    let mut out = String::from(
        "| benchmark | strata | baseline | baseline time | ratio (baseline/strata) |\n",
    );
    out.push_str("|---|---|---|---|---|\n");
    for (group, functions) in times {
        let ours = functions.get("strata");
        for (name, &base) in functions
            .iter()
            .filter(|(name, _)| name.as_str() != "strata")
        {
            let (ours_s, ratio) = match ours {
                Some(&ours) => (human(ours), format!("{:.2}×", base / ours)),
                None => ("—".into(), "—".into()),
            };
            let _ = writeln!(
                out,
                "| {group} | {ours_s} | {name} | {} | {ratio} |",
                human(base)
            );
        }
        if functions.len() == 1
            && let Some(&ours) = ours
        {
            let _ = writeln!(out, "| {group} | {} | — | — | — |", human(ours));
        }
    }
    out
}

/// The crates (and CPython) a user would pick instead of Strata: a label, and how the names of
/// their baselines begin.
const PEERS: [(&str, &str); 10] = [
    ("rtrb", "rtrb"),
    ("ringbuf", "ringbuf"),
    ("tar", "tar::"),
    ("zip", "zip::"),
    ("hound", "hound"),
    ("image", "image"),
    ("object_store", "object_store"),
    ("std", "Cursor"),
    ("std", "BufReader"),
    ("CPython", "CPython"),
];

/// The "Peers" section: every row whose baseline is one of [`PEERS`], grouped by peer, each ratio
/// measured in this run, with the command that reruns its group.
fn render_peers(times: &Times) -> String {
    let mut out = String::from(
        "## Peers\n\nThe rows above whose baseline is what a user would pick instead of Strata. \
         Each ratio is from this run; the command reruns the group (a filtered run prints, and \
         does not write this file).\n\n| peer | benchmark | strata | peer's time | ratio | rerun |\n\
         |---|---|---|---|---|---|\n",
    );
    let mut labels: Vec<&str> = PEERS.iter().map(|&(label, _)| label).collect();
    labels.dedup();
    for label in labels {
        for (group, functions) in times {
            let Some(&ours) = functions.get("strata") else {
                continue;
            };
            for (name, &base) in functions {
                let is_peer = PEERS
                    .iter()
                    .any(|&(l, prefix)| l == label && name.starts_with(prefix));
                if name == "strata" || !is_peer {
                    continue;
                }
                // Criterion takes the filter as a regular expression: stop before any bracket.
                let filter = group.split(['(', '[']).next().unwrap_or(group).trim_end();
                let _ = writeln!(
                    out,
                    "| {label} | {group} | {} | {name}: {} | {:.2}× | `cargo xtask bench '{filter}'` |",
                    human(ours),
                    human(base),
                    base / ours
                );
            }
        }
    }
    out
}

fn report(table: &str) -> Result<String> {
    let date = command_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]);
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.to_string())
        })
        .and_then(|l| l.split(':').nth(1).map(|s| s.trim().to_string()))
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let rustc = command_line("rustc", &["--version"]);
    let python = command_line("python3", &["--version"]);
    Ok(format!(
        "# Performance\n\nWritten by `cargo xtask bench` (median time per iteration, criterion). \
         Ratio = baseline time / Strata time: above 1 means Strata is faster. On the shared \
         2-core machines here the same benchmark has differed by up to 1.9x between runs, and the \
         two-thread pipe groups far more (against the Mutex ring: 2.1x to 8.7x in six runs on \
         2026-12-01), because their times depend on how the two threads are scheduled: read the \
         pipe rows as a range, and rerun a group (`cargo xtask bench pipe`) before drawing \
         conclusions from one number.\n\n\
         - date: {date}\n- machine: {cpu}, {cores} cores\n- {rustc}\n- {python}\n\n{table}"
    ))
}

fn command_line(cmd: &str, args: &[&str]) -> String {
    Command::new(cmd)
        .args(args)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| format!("{cmd}: unavailable"))
}
