//! An HTTP server on 127.0.0.1 that streams a freshly built ZIP of generated WAV tones as the
//! response body: each entry is encoded when the body asks for it and sent as one chunk, so the
//! archive is never held whole (HTTP/1.1 chunked transfer, no `Content-Length`).
//!
//! ```text
//! cargo run -p strata-io --features full --example serve -- [--addr 127.0.0.1:8080] [--requests N] [--timeout SECONDS]
//! curl -o bundle.zip http://127.0.0.1:8080/bundle.zip
//! ```
//!
//! It prints `listening on http://ADDR/bundle.zip` once bound (port 0 picks a free one), serves
//! connections one after another, and stops after `--requests` requests (default: never) or when
//! no request came for `--timeout` seconds (default: never); a connection that takes longer than
//! `--timeout` is dropped. Only loopback addresses are accepted.

use std::convert::Infallible;
use std::f32::consts::TAU;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{TryStreamExt, stream};
use http_body_util::{Either, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use strata_io::buffered::{ChunkSink, EncoderStream};
use strata_io::wav::{SampleFormat, WavSpec};
use strata_io::zip::{Compression, ZipStream};

/// Tones in the archive, one second each.
const TONES: u32 = 8;
const RATE: u32 = 44_100;

/// What the command line asks for.
struct Options {
    addr: SocketAddr,
    requests: Option<u64>,
    timeout: Option<Duration>,
}

fn options() -> Result<Options, Box<dyn std::error::Error>> {
    let mut options = Options {
        addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
        requests: None,
        timeout: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--addr" => options.addr = value.parse()?,
            "--requests" => options.requests = Some(value.parse()?),
            "--timeout" => options.timeout = Some(Duration::from_secs(value.parse()?)),
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    if !options.addr.ip().is_loopback() {
        return Err(format!("{} is not a loopback address", options.addr.ip()).into());
    }
    Ok(options)
}

/// Tone `n` (220 Hz and up, in semitones) as a one-second 16-bit mono WAV.
fn tone(n: u32) -> io::Result<Bytes> {
    let hz = 220.0 * 2f32.powf(n as f32 / 12.0);
    let samples: Vec<i16> = (0..RATE)
        .map(|i| ((TAU * hz * i as f32 / RATE as f32).sin() * 0.3 * f32::from(i16::MAX)) as i16)
        .collect();
    WavSpec::new(1, RATE, SampleFormat::Pcm16).encode_interleaved(&samples)
}

type Body = Either<
    StreamBody<Box<dyn futures_util::Stream<Item = io::Result<Frame<Bytes>>> + Send + Unpin>>,
    Full<Bytes>,
>;

async fn handle(request: Request<Incoming>) -> Result<Response<Body>, Infallible> {
    if request.uri().path() != "/bundle.zip" {
        let mut response = Response::new(Either::Right(Full::from("try /bundle.zip\n")));
        *response.status_mut() = StatusCode::NOT_FOUND;
        return Ok(response);
    }
    // The entries are made one at a time, as the body is polled.
    let entries = stream::iter(
        (0..TONES)
            .map(|n| tone(n).map(|wav| (format!("tone-{n:02}.wav"), wav, Compression::DEFAULT))),
    );
    let sink = ChunkSink::new();
    let zip = ZipStream::new(sink.clone());
    let chunks = EncoderStream::new(zip, sink, entries).map_ok(Frame::data);
    let body = StreamBody::new(Box::new(chunks) as Box<_>);
    let response = Response::builder()
        .header("content-type", "application/zip")
        .body(Either::Left(body));
    Ok(response.unwrap_or_else(|_| Response::new(Either::Right(Full::from("internal error\n")))))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let options = options()?;
    let listener = tokio::net::TcpListener::bind(options.addr).await?;
    println!("listening on http://{}/bundle.zip", listener.local_addr()?);
    let mut served = 0;
    while options.requests.is_none_or(|limit| served < limit) {
        let accepted = match options.timeout {
            Some(timeout) => match tokio::time::timeout(timeout, listener.accept()).await {
                Ok(accepted) => accepted,
                Err(_) => return Err("no request before the timeout".into()),
            },
            None => listener.accept().await,
        };
        let (connection, peer) = accepted?;
        // One request per connection keeps the count exact.
        let service = service_fn(handle);
        let served_connection = http1::Builder::new()
            .keep_alive(false)
            .serve_connection(TokioIo::new(connection), service);
        let outcome: Result<(), Box<dyn std::error::Error>> = match options.timeout {
            Some(timeout) => match tokio::time::timeout(timeout, served_connection).await {
                Ok(served) => served.map_err(Into::into),
                Err(_) => Err("the connection outlived --timeout".into()),
            },
            None => served_connection.await.map_err(Into::into),
        };
        if let Err(error) = outcome {
            eprintln!("{peer}: {error}");
        }
        served += 1;
    }
    Ok(())
}
