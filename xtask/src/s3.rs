//! The S3-protocol server the tests and benchmarks of `strata-object` run against: `moto_server`
//! (PyPI's `moto[server]`, pinned), installed into a virtual environment under the target directory
//! and started on 127.0.0.1 on a free port.
//!
//! [`S3Server::start`] installs (once), starts the server, waits for it (a bounded number of tries),
//! creates the test bucket, and gives the environment that points `strata-object` at it: the
//! standard `AWS_*` variables and `STRATA_TEST_S3_URL` (the bucket). Dropping the value stops the
//! server, on success and on failure.

use std::fs::File;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::Duration;

use anyhow::{Context, Result, bail};

/// The `moto` release the suite was written against.
const MOTO: &str = "moto[server]==5.2.5";
/// The bucket the tests use.
const BUCKET: &str = "strata-test";
/// Connection attempts while the server starts, `POLL` apart: at most 30 s.
const TRIES: u32 = 300;
const POLL: Duration = Duration::from_millis(100);

/// A running `moto_server`; dropping it stops the server.
pub struct S3Server {
    child: Child,
    env: Vec<(String, String)>,
}

impl S3Server {
    /// Installs `moto` if needed and starts a server on a free loopback port with one bucket.
    pub fn start(root: &Path) -> Result<S3Server> {
        let venv = install(root)?;
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.local_addr())
            .context("no free loopback port for the S3 test server")?
            .port();
        let log_path = venv.join("moto_server.log");
        let log =
            File::create(&log_path).with_context(|| format!("creating {}", log_path.display()))?;
        let child = Command::new(venv.join("bin").join("moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .context("could not start moto_server")?;
        let endpoint = format!("http://127.0.0.1:{port}");
        let python = venv.join("bin").join("python");
        let mut server = S3Server {
            child,
            env: vec![
                ("AWS_ENDPOINT_URL".into(), endpoint),
                ("AWS_ACCESS_KEY_ID".into(), "strata-test".into()),
                ("AWS_SECRET_ACCESS_KEY".into(), "strata-test".into()),
                ("AWS_REGION".into(), "us-east-1".into()),
                ("AWS_ALLOW_HTTP".into(), "true".into()),
                ("STRATA_TEST_S3_URL".into(), format!("s3://{BUCKET}")),
            ],
        };
        server.wait_ready(port, &log_path)?;
        let mut bucket = Command::new(&python);
        bucket
            .args([
                "-c",
                "import boto3; boto3.client('s3').create_bucket(Bucket='strata-test')",
            ])
            .envs(server.env());
        let status = bucket.status().context("could not run the venv's python")?;
        if !status.success() {
            bail!("could not create the test bucket on moto_server ({status})");
        }
        println!("==> S3 test server (moto) on 127.0.0.1:{port}");
        Ok(server)
    }

    /// The environment that points a test run at this server.
    pub fn env(&self) -> impl Iterator<Item = (&str, &str)> {
        self.env.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    fn wait_ready(&mut self, port: u16, log: &Path) -> Result<()> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        for _ in 0..TRIES {
            if let Some(status) = self.child.try_wait()? {
                let output = std::fs::read_to_string(log).unwrap_or_default();
                bail!("moto_server exited at start ({status}):\n{output}");
            }
            if TcpStream::connect_timeout(&addr, POLL).is_ok() {
                return Ok(());
            }
            sleep(POLL);
        }
        bail!(
            "moto_server did not listen on {addr} within 30 s (log: {})",
            log.display()
        )
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The virtual environment with `moto`, made under the target directory on first use.
fn install(root: &Path) -> Result<PathBuf> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let venv = target.join("s3-venv");
    // The marker names the pinned release, so a change of pin reinstalls.
    let marker = venv.join(format!(".installed-{}", MOTO.replace(['[', ']', '='], "_")));
    if marker.exists() {
        return Ok(venv);
    }
    println!("==> installing {MOTO} into {}", venv.display());
    let status = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .context("python3 -m venv could not start")?;
    if !status.success() {
        bail!(
            "python3 -m venv {} failed ({status}); install python3-venv",
            venv.display()
        );
    }
    let status = Command::new(venv.join("bin").join("pip"))
        .args(["install", "--disable-pip-version-check", "--quiet", MOTO])
        .status()
        .context("pip could not start")?;
    if !status.success() {
        bail!(
            "pip install {MOTO} failed ({status}): the S3 tests need it (PyPI must be reachable)"
        );
    }
    File::create(&marker)?;
    Ok(venv)
}
