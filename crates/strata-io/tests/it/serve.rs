//! The `serve` example over a real loopback connection: the example binary serves one request on
//! 127.0.0.1, python3's `urllib` fetches the archive and its `zipfile` and `wave` check it.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long the server waits for the request, and the client for the whole response.
const TIMEOUT_SECONDS: u64 = 60;

/// Fetches the URL given as the first argument and prints what the test checks: the transfer
/// encoding, then one line per entry with its WAV parameters.
const CLIENT: &str = r#"
import io, sys, urllib.request, wave, zipfile
with urllib.request.urlopen(sys.argv[1], timeout=float(sys.argv[2])) as response:
    print("transfer-encoding", response.headers.get("Transfer-Encoding"))
    print("content-length", response.headers.get("Content-Length"))
    data = response.read()
archive = zipfile.ZipFile(io.BytesIO(data))
print("testzip", archive.testzip())
for name in archive.namelist():
    with wave.open(io.BytesIO(archive.read(name))) as w:
        print(name, w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes())
"#;

/// The example binary, built by `cargo test --all-features` beside this test's binary.
fn example() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let deps = exe.parent().expect("the test binary's directory");
    let path = deps
        .parent()
        .expect("the profile directory")
        .join("examples")
        .join(format!("serve{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.is_file(),
        "{} is missing: build it with `cargo build -p strata-io --features full --example serve` \
         (`cargo test --workspace --all-features` does)",
        path.display()
    );
    path
}

/// Kills the server if the test fails before it stops on its own.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_streams_a_zip_of_wavs_that_python_reads() {
    let mut server = Server(
        Command::new(example())
            .args(["--addr", "127.0.0.1:0", "--requests", "1"])
            .args(["--timeout", &TIMEOUT_SECONDS.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the serve example starts"),
    );
    // The first line names the URL; read it on a thread so that a silent server fails the test.
    let stdout = server.0.stdout.take().expect("piped stdout");
    let (sent, received) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = sent.send(line);
    });
    let line = received
        .recv_timeout(Duration::from_secs(TIMEOUT_SECONDS))
        .expect("the server prints its address");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let client = Command::new("python3")
        .args(["-c", CLIENT, url, &TIMEOUT_SECONDS.to_string()])
        .output()
        .expect("python3 runs");
    let report = String::from_utf8_lossy(&client.stdout);
    assert!(
        client.status.success(),
        "python3 failed: {report}{}",
        String::from_utf8_lossy(&client.stderr)
    );

    let mut lines = report.lines();
    assert_eq!(lines.next(), Some("transfer-encoding chunked"));
    assert_eq!(lines.next(), Some("content-length None"));
    assert_eq!(lines.next(), Some("testzip None"));
    let entries: Vec<&str> = lines.collect();
    let expected: Vec<String> = (0..8)
        .map(|n| format!("tone-{n:02}.wav 1 2 44100 44100"))
        .collect();
    assert_eq!(entries, expected);

    // One request served: the server stops by itself, successfully.
    let status = server.0.wait().expect("the server exits");
    let mut errors = String::new();
    if let Some(mut stderr) = server.0.stderr.take() {
        let _ = stderr.read_to_string(&mut errors);
    }
    assert!(status.success(), "serve failed: {errors}");
}
