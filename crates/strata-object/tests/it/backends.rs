//! The stores every suite runs against, and what each can tell about unfinished uploads.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use bytes::Bytes;

use strata_object::Store;

/// Why the S3 part of the suite cannot run, in the words a developer needs.
const NO_S3: &str = "STRATA_TEST_S3_URL is not set: the S3 part of strata-object's suite needs the \
local S3 test server. Run the tests through `cargo xtask test-object` (or `cargo xtask ci`), which \
installs moto into target/s3-venv, starts it on 127.0.0.1 and sets AWS_ENDPOINT_URL and friends.";

/// One store under test.
pub struct Backend {
    pub name: &'static str,
    pub store: Store,
    kind: Kind,
}

enum Kind {
    Memory,
    File(tempfile::TempDir),
    S3 {
        endpoint: String,
        bucket: String,
        prefix: String,
    },
}

/// Runs `check` against memory, the file system, then S3 (failing loudly when S3 is not set up).
/// `test` names the test, so that each test works under a prefix of its own.
pub fn for_each_backend(test: &str, check: impl Fn(&Backend)) {
    check(&memory());
    check(&file());
    check(&s3(test));
}

fn memory() -> Backend {
    Backend {
        name: "memory",
        store: Store::from_url("memory://").expect("memory store"),
        kind: Kind::Memory,
    }
}

fn file() -> Backend {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::from_url(&format!("file://{}", dir.path().display())).expect("file store");
    Backend {
        name: "file",
        store,
        kind: Kind::File(dir),
    }
}

fn s3(test: &str) -> Backend {
    let url = std::env::var("STRATA_TEST_S3_URL").unwrap_or_else(|_| panic!("{NO_S3}"));
    let endpoint = std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| panic!("{NO_S3}"));
    let bucket = url
        .strip_prefix("s3://")
        .expect("STRATA_TEST_S3_URL starts with s3://")
        .trim_end_matches('/')
        .to_owned();
    let prefix = format!("{test}-{}", std::process::id());
    let store = Store::from_url(&format!("s3://{bucket}/{prefix}")).expect("s3 store");
    Backend {
        name: "s3",
        store,
        kind: Kind::S3 {
            endpoint,
            bucket,
            prefix,
        },
    }
}

impl Backend {
    /// Multipart uploads started and neither completed nor aborted.
    ///
    /// S3 lists them (`ListMultipartUploads`); the file system keeps each one's parts in a staging
    /// file `NAME#ID` beside the object; memory holds parts in the upload itself, never in the store.
    pub fn unfinished_uploads(&self) -> usize {
        match &self.kind {
            Kind::Memory => 0,
            Kind::File(dir) => staging_files(dir.path()),
            Kind::S3 {
                endpoint,
                bucket,
                prefix,
            } => list_multipart_uploads(endpoint, bucket, prefix),
        }
    }

    /// The whole object `name`, read through `object_store` directly, or `None` if absent.
    pub fn object(&self, name: &str) -> Option<Bytes> {
        use object_store::ObjectStoreExt;
        let inner = self.store.object_store().clone();
        let path = self.store.path(name);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            match inner.get(&path).await {
                Ok(got) => Some(got.bytes().await.expect("body")),
                Err(object_store::Error::NotFound { .. }) => None,
                Err(e) => panic!("get {path}: {e}"),
            }
        })
    }
}

/// Files under `dir` whose name holds a `#`: `LocalFileSystem`'s staged multipart parts.
fn staging_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .expect("read dir")
        .map(|entry| {
            let entry = entry.expect("dir entry");
            if entry.file_type().expect("file type").is_dir() {
                staging_files(&entry.path())
            } else {
                usize::from(entry.file_name().to_string_lossy().contains('#'))
            }
        })
        .sum()
}

/// `ListMultipartUploads` on the loopback test server, as one plain HTTP request (moto does not check
/// signatures; `object_store` has no call for this): the number of `<Upload>` records.
fn list_multipart_uploads(endpoint: &str, bucket: &str, prefix: &str) -> usize {
    let host = endpoint
        .strip_prefix("http://")
        .expect("the test server speaks plain HTTP")
        .trim_end_matches('/');
    assert!(
        host.starts_with("127.0.0.1:"),
        "the test server is on loopback, not {host}"
    );
    let mut conn = TcpStream::connect(host).expect("connect to the test server");
    conn.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    write!(
        conn,
        "GET /{bucket}?uploads&prefix={prefix} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut response = String::new();
    conn.read_to_string(&mut response).expect("response");
    assert!(
        response.starts_with("HTTP/1.1 200"),
        "ListMultipartUploads: {response}"
    );
    response.matches("<Upload>").count()
}
