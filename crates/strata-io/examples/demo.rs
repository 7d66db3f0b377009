//! `cargo xtask demo`: Strata's main job, end to end, in memory first.
//!
//! 1. Synthesises two seconds of a stereo 440 Hz tone at 48 kHz with a fade in and out.
//! 2. Encodes it to a 16-bit WAV in memory (`strata_io::wav`).
//! 3. Draws its waveform into a 1024x256 RGB pixel buffer and encodes it to PNG in memory
//!    (`strata_io::png`).
//! 4. Bundles both with a `manifest.json` (sizes, sample rate, channels, CRC-32s) into a ZIP in memory
//!    (`strata_io::zip`).
//! 5. Builds a dataset shard, `dataset-000000.tar` (`strata_io::tar`, WebDataset layout): a handful of
//!    samples, each a short tone at its own pitch as WAV, its waveform as PNG and a JSON record.
//! 6. Reads everything back and verifies it: the WAV decodes to the same spec, frame count and samples
//!    (within 16-bit quantisation), also through hound's path-only `WavReader::open` fed by
//!    `strata_io::spool::read_via_path`; the PNG decodes to the same pixels; the ZIP lists the three
//!    entries, each reads back byte for byte with its CRC checked, and the manifest's CRCs match the
//!    archive's; the shard streams back through `ShardReader` sample by sample, each equal to what was
//!    written, its WAV decoding to the frames its JSON record declares.
//! 7. Only then writes `tone.wav`, `waveform.png`, `bundle.zip` and `dataset-000000.tar` to
//!    `target/strata-demo/` (or `--out DIR`), and prints a table: artifact, size, encode time,
//!    verification.
//!
//! Exits with status 1 when any verification fails (nothing is written then), 2 on bad arguments.
//!
//! With `--store URL` (`s3://bucket/prefix`, `file:///dir`, `memory://`; S3 endpoint and credentials
//! from the standard `AWS_*` variables) the artifacts go to that object store instead of the
//! directory: each is read back through `strata_io::object::ObjectReader` and compared, then one
//! entry of `bundle.zip` is read without fetching the whole archive. Every read prints the requests
//! and bytes it took.
//!
//! Run with `cargo xtask demo [--out DIR | --store URL]`, or `cargo run --release -p strata-io
//! --features full --example demo -- [--out DIR | --store URL]`.

use std::f32::consts::PI;
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};
use std::{fs, io};

use bytes::Bytes;
use strata_io::object::Store;
use strata_io::png::{PixelFormat, Pixels, PngDecoder, PngEncoder};
use strata_io::tar::{Sample, ShardReader, ShardSink, ShardWriter};
use strata_io::wav::{SampleFormat, WavSpec};
use strata_io::zip::{Compression, ZipBuilder, ZipReader};

const SAMPLE_RATE: u32 = 48_000;
const CHANNELS: u16 = 2;
const SECONDS: f32 = 2.0;
const FREQUENCY: f32 = 440.0;
const FADE_IN: f32 = 0.05;
const FADE_OUT: f32 = 0.6;
/// The dataset shard's samples: one short tone per pitch.
const DATASET_PITCHES: [f32; 4] = [220.0, 330.0, 440.0, 660.0];
const DATASET_SECONDS: f32 = 0.25;
const WIDTH: u32 = 1024;
const HEIGHT: u32 = 256;

/// One row of the report: what was made or checked, its size, how long encoding took, and the verdict.
struct Row {
    artifact: &'static str,
    size: Option<usize>,
    encode: Option<Duration>,
    verdict: Result<String, String>,
}

fn main() -> ExitCode {
    let (out, store) = match out_dir(std::env::args().skip(1)) {
        Ok(target) => target,
        Err(msg) => {
            eprintln!("{msg}\nusage: demo [--out DIR | --store URL]");
            return ExitCode::from(2);
        }
    };
    match run(&out, store.as_deref()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("verification failed: nothing was written");
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("demo failed: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The output directory: `--out DIR`, or `target/strata-demo` in the workspace; and the store URL
/// of `--store URL`, which replaces the directory.
fn out_dir(mut args: impl Iterator<Item = String>) -> Result<(PathBuf, Option<String>), String> {
    let (mut out, mut store) = (None, None);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(args.next().ok_or("--out needs a directory")?)),
            "--store" => store = Some(args.next().ok_or("--store needs a URL")?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if out.is_some() && store.is_some() {
        return Err("--out and --store exclude each other".into());
    }
    let out = out.unwrap_or_else(|| {
        // crates/strata-io → the workspace root.
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let workspace = manifest.ancestors().nth(2).unwrap_or(manifest);
        workspace.join("target").join("strata-demo")
    });
    Ok((out, store))
}

/// Builds, verifies and (if all is well) writes the artifacts, to `store` when given; `Ok(false)`
/// when a check failed.
fn run(out: &Path, store: Option<&str>) -> io::Result<bool> {
    let planar = tone(FREQUENCY, SECONDS);
    let spec = WavSpec::new(CHANNELS, SAMPLE_RATE, SampleFormat::Pcm16);
    let (wav, wav_time) = timed(|| spec.encode_planar(&planar))?;

    let picture = waveform(&planar);
    let pixels = Pixels::new(&picture, WIDTH, HEIGHT, PixelFormat::Rgb8)?;
    let (png, png_time) = timed(|| PngEncoder::new().encode(&pixels))?;

    let manifest = manifest(&[("tone.wav", &wav), ("waveform.png", &png)]);
    let (zip, zip_time) = timed(|| {
        let mut zip = ZipBuilder::new();
        zip.add_bytes("tone.wav", &wav, Compression::Deflated(6))?;
        zip.add_bytes("waveform.png", &png, Compression::Stored)?;
        zip.add_bytes("manifest.json", &manifest, Compression::Deflated(9))?;
        zip.finish()
    })?;

    let (shards, shard_time) = timed(|| dataset(&DATASET_PITCHES))?;
    let Some((shard_name, shard)) = shards.first() else {
        return Err(io::Error::other("the dataset has no shard"));
    };

    let rows = [
        Row {
            artifact: "tone.wav",
            size: Some(wav.len()),
            encode: Some(wav_time),
            verdict: verify_wav(&wav, &planar),
        },
        Row {
            artifact: "  read via path (hound)",
            size: None,
            encode: None,
            verdict: verify_via_path(&wav),
        },
        Row {
            artifact: "waveform.png",
            size: Some(png.len()),
            encode: Some(png_time),
            verdict: verify_png(&png, &pixels),
        },
        Row {
            artifact: "bundle.zip",
            size: Some(zip.len()),
            encode: Some(zip_time),
            verdict: verify_zip(
                ZipReader::new(zip.clone()),
                &[
                    ("tone.wav", &wav),
                    ("waveform.png", &png),
                    ("manifest.json", &manifest),
                ],
            ),
        },
        Row {
            artifact: "dataset-000000.tar",
            size: Some(shard.len()),
            encode: Some(shard_time),
            verdict: verify_dataset(&shards, &DATASET_PITCHES),
        },
    ];
    print!("{}", table(&rows));
    if rows.iter().any(|row| row.verdict.is_err()) {
        return Ok(false);
    }

    if let Some(url) = store {
        return to_store(
            url,
            &[
                ("tone.wav", &wav),
                ("waveform.png", &png),
                ("bundle.zip", &zip),
                (shard_name.as_str(), &shard[..]),
            ],
        );
    }
    fs::create_dir_all(out)?;
    for (name, bytes) in [
        ("tone.wav", &wav[..]),
        ("waveform.png", &png[..]),
        ("bundle.zip", &zip[..]),
        (shard_name.as_str(), &shard[..]),
    ] {
        let path = out.join(name);
        fs::write(&path, bytes)?;
        println!("wrote {}", path.display());
    }
    Ok(true)
}

/// `--store URL`: uploads the artifacts, reads each back through `ObjectReader` and compares it,
/// then reads `manifest.json` out of `bundle.zip` with range requests; prints what each read cost.
fn to_store(url: &str, artifacts: &[(&str, &[u8])]) -> io::Result<bool> {
    let store = Store::from_url(url)?;
    let mut same = true;
    for (name, bytes) in artifacts {
        store.put_bytes(name, bytes.to_vec().into())?;
        let mut reader = store.open(name)?;
        let mut back = Vec::with_capacity(bytes.len());
        reader.read_to_end(&mut back)?;
        let stats = reader.stats();
        let verdict = if back == *bytes {
            "same bytes"
        } else {
            "DIFFERENT"
        };
        same &= back == *bytes;
        println!(
            "wrote {}/{name}; read back {} bytes: {} requests, {} bytes fetched, {verdict}",
            url.trim_end_matches('/'),
            back.len(),
            stats.requests,
            stats.bytes
        );
    }
    // One entry of the archive, without fetching the whole of it.
    let mut archive = ZipReader::from_reader(store.open("bundle.zip")?)?;
    let mut manifest = Vec::new();
    archive.open("manifest.json")?.read_to_end(&mut manifest)?;
    let stats = archive.into_inner().stats();
    println!(
        "read manifest.json ({} bytes) from {}/bundle.zip: {} requests, {} bytes fetched",
        manifest.len(),
        url.trim_end_matches('/'),
        stats.requests,
        stats.bytes
    );
    // The dataset shard, streamed sample by sample (one sample in memory at a time).
    let mut object = store.open("dataset-000000.tar")?;
    let mut samples = ShardReader::new(&mut object)?;
    let mut count = 0;
    while samples.next_sample()?.is_some() {
        count += 1;
    }
    drop(samples);
    same &= count == DATASET_PITCHES.len();
    let stats = object.stats();
    println!(
        "streamed {count} samples from {}/dataset-000000.tar: {} requests, {} bytes fetched",
        url.trim_end_matches('/'),
        stats.requests,
        stats.bytes
    );
    Ok(same)
}

/// Runs `f` and measures it.
fn timed<T>(f: impl FnOnce() -> io::Result<T>) -> io::Result<(T, Duration)> {
    let start = Instant::now();
    let value = f()?;
    Ok((value, start.elapsed()))
}

/// `[channels][frames]`: a sine at `frequency` Hz lasting `seconds`, the right channel a quarter period
/// behind the left, with a short fade in and a long fade out (at most a quarter of the tone), peaking
/// at -3 dBFS.
fn tone(frequency: f32, seconds: f32) -> Vec<Vec<f32>> {
    let frames = (seconds * SAMPLE_RATE as f32) as usize;
    let fade_out = FADE_OUT.min(seconds / 4.0);
    let envelope = |t: f32| (t / FADE_IN).min(1.0) * ((seconds - t) / fade_out).clamp(0.0, 1.0);
    (0..CHANNELS)
        .map(|channel| {
            let phase = f32::from(channel) * PI / 2.0;
            (0..frames)
                .map(|i| {
                    let t = i as f32 / SAMPLE_RATE as f32;
                    0.707 * envelope(t) * (2.0 * PI * frequency * t - phase).sin()
                })
                .collect()
        })
        .collect()
}

/// An RGB picture of `planar` on a dark background. Top half: the whole two seconds, one lane per
/// channel, each column spanning the minimum to the maximum of the samples it covers (the fades show).
/// Bottom half: four periods from the middle of the tone, both channels traced over each other (the
/// quarter-period shift between them shows).
fn waveform(planar: &[Vec<f32>]) -> Vec<u8> {
    const BACKGROUND: [u8; 3] = [18, 20, 28];
    const COLOURS: [[u8; 3]; 2] = [[84, 196, 255], [255, 156, 84]];
    let mut canvas = Canvas {
        rgb: [BACKGROUND; (WIDTH * HEIGHT) as usize].concat(),
    };
    let (half, lane) = (HEIGHT as usize / 2, HEIGHT as usize / 2 / planar.len());
    let zoom_start = planar[0].len() / 2;
    let zoom_len = (4.0 * SAMPLE_RATE as f32 / FREQUENCY) as usize;
    canvas.axis(half + half / 2);
    for (channel, samples) in planar.iter().enumerate() {
        let colour = COLOURS[channel % COLOURS.len()];
        let overview = Lane {
            top: channel * lane,
            height: lane,
        };
        canvas.axis(overview.centre());
        let per_column = samples.len().div_ceil(WIDTH as usize);
        for (x, column) in samples.chunks(per_column).enumerate() {
            let (lo, hi) = column
                .iter()
                .fold((f32::MAX, f32::MIN), |(lo, hi), &s| (lo.min(s), hi.max(s)));
            canvas.span(x, overview.row(hi), overview.row(lo), colour);
        }
        let zoom = Lane {
            top: half,
            height: half,
        };
        let window = &samples[zoom_start..zoom_start + zoom_len];
        let mut previous = zoom.row(window[0]);
        for x in 0..WIDTH as usize {
            let y = zoom.row(window[x * (zoom_len - 1) / (WIDTH as usize - 1)]);
            canvas.span(x, previous.min(y), previous.max(y), colour);
            previous = y;
        }
    }
    canvas.rgb
}

/// A horizontal band of the picture that plots values from -1 (bottom) to +1 (top).
struct Lane {
    top: usize,
    height: usize,
}

impl Lane {
    fn centre(&self) -> usize {
        self.top + self.height / 2
    }

    /// The pixel row of `value`, with a 4-pixel margin.
    fn row(&self, value: f32) -> usize {
        (self.centre() as f32 - value.clamp(-1.0, 1.0) * (self.height as f32 / 2.0 - 4.0)).round()
            as usize
    }
}

/// A `WIDTH` x `HEIGHT` RGB pixel buffer.
struct Canvas {
    rgb: Vec<u8>,
}

impl Canvas {
    /// Colours column `x` from row `from` to row `to`, inclusive.
    fn span(&mut self, x: usize, from: usize, to: usize, colour: [u8; 3]) {
        for y in from..=to.min(HEIGHT as usize - 1) {
            let at = (y * WIDTH as usize + x) * 3;
            self.rgb[at..at + 3].copy_from_slice(&colour);
        }
    }

    /// A grey horizontal line at row `y`.
    fn axis(&mut self, y: usize) {
        for x in 0..WIDTH as usize {
            self.span(x, y, y, [70, 74, 90]);
        }
    }
}

/// `manifest.json`: the audio's parameters and each artifact's size and CRC-32.
fn manifest(artifacts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut files = String::new();
    for (i, (name, bytes)) in artifacts.iter().enumerate() {
        let comma = if i + 1 < artifacts.len() { "," } else { "" };
        let _ = writeln!(
            files,
            "    {{\"name\": \"{name}\", \"size\": {}, \"crc32\": \"{:08x}\"}}{comma}",
            bytes.len(),
            crc32(bytes)
        );
    }
    format!(
        "{{\n  \"generator\": \"strata-io demo\",\n  \"sample_rate\": {SAMPLE_RATE},\n  \"channels\": {CHANNELS},\n  \
         \"frames\": {},\n  \"frequency_hz\": {FREQUENCY},\n  \"files\": [\n{files}  ]\n}}\n",
        (SECONDS * SAMPLE_RATE as f32) as usize
    )
    .into_bytes()
}

/// CRC-32 (IEEE 802.3, the polynomial of ZIP, PNG and zlib), table-driven. The demo checks it against
/// the CRCs the `zip` crate (crc32fast) records in the archive.
fn crc32(bytes: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut crc = i as u32;
            let mut bit = 0;
            while bit < 8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
                bit += 1;
            }
            table[i] = crc;
            i += 1;
        }
        table
    };
    !bytes.iter().fold(!0u32, |crc, &b| {
        TABLE[((crc ^ u32::from(b)) & 0xff) as usize] ^ (crc >> 8)
    })
}

/// Half a 16-bit step, the most a sample may move when quantised to PCM 16.
const HALF_STEP: f32 = 0.5 / 32768.0;

fn verify_wav(wav: &[u8], planar: &[Vec<f32>]) -> Result<String, String> {
    let decoded = strata_io::wav::decode(wav).map_err(|e| e.to_string())?;
    let spec = decoded.spec();
    let frames = planar[0].len();
    if (spec.channels, spec.sample_rate, decoded.frames()) != (CHANNELS, SAMPLE_RATE, frames) {
        return Err(format!(
            "decoded {} ch, {} Hz, {} frames",
            spec.channels,
            spec.sample_rate,
            decoded.frames()
        ));
    }
    let worst = max_error(&decoded.planar::<f32>(), planar);
    if worst > HALF_STEP * 1.01 {
        return Err(format!("a sample is off by {worst:e}"));
    }
    Ok(format!(
        "{CHANNELS} ch, {SAMPLE_RATE} Hz, {frames} frames, max error {worst:.1e}"
    ))
}

/// The largest difference between corresponding samples.
fn max_error(a: &[Vec<f32>], b: &[Vec<f32>]) -> f32 {
    a.iter()
        .zip(b)
        .flat_map(|(x, y)| x.iter().zip(y))
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

/// The path-only bridge: hound's `WavReader::open` takes nothing but a path.
fn verify_via_path(wav: &[u8]) -> Result<String, String> {
    let (spec, samples, temp) = strata_io::spool::read_via_path(wav, ".wav", |path| {
        let mut reader = hound::WavReader::open(path).map_err(io::Error::other)?;
        let samples: Result<Vec<i16>, _> = reader.samples::<i16>().collect();
        Ok((
            reader.spec(),
            samples.map_err(io::Error::other)?,
            path.to_path_buf(),
        ))
    })
    .map_err(|e| e.to_string())?;
    if temp.exists() {
        return Err(format!(
            "the temporary file {} is still there",
            temp.display()
        ));
    }
    let ours = strata_io::wav::decode(wav)
        .map_err(|e| e.to_string())?
        .samples::<i16>();
    if (spec.channels, spec.sample_rate, spec.bits_per_sample) != (CHANNELS, SAMPLE_RATE, 16) {
        return Err(format!("hound read {spec:?}"));
    }
    if samples != ours {
        return Err("hound's samples differ from strata-wav's".into());
    }
    Ok(format!(
        "hound: {} samples, same as strata-wav; temp file removed",
        samples.len()
    ))
}

fn verify_png(png: &[u8], pixels: &Pixels<'_>) -> Result<String, String> {
    let decoded = PngDecoder::new().decode(png).map_err(|e| e.to_string())?;
    if &decoded != pixels {
        return Err(format!(
            "decoded {}x{} {:?}, pixels differ",
            decoded.width(),
            decoded.height(),
            decoded.format()
        ));
    }
    Ok(format!(
        "{}x{} RGB, every pixel equal",
        decoded.width(),
        decoded.height()
    ))
}

fn verify_zip(reader: io::Result<ZipReader>, expected: &[(&str, &[u8])]) -> Result<String, String> {
    let mut reader = reader.map_err(|e| e.to_string())?;
    let entries = reader.entries().to_vec();
    let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    let want: Vec<&str> = expected.iter().map(|(name, _)| *name).collect();
    if names != want {
        return Err(format!("entries {names:?}"));
    }
    let manifest = String::from_utf8(
        reader
            .read("manifest.json")
            .map_err(|e| e.to_string())?
            .to_vec(),
    )
    .map_err(|e| e.to_string())?;
    for (entry, (name, bytes)) in entries.iter().zip(expected) {
        let read = reader.read(name).map_err(|e| e.to_string())?;
        if read != bytes {
            return Err(format!("{name} reads back different bytes"));
        }
        if entry.crc32 != crc32(bytes) {
            return Err(format!(
                "{name}: archive CRC {:08x}, ours {:08x}",
                entry.crc32,
                crc32(bytes)
            ));
        }
        if *name != "manifest.json"
            && !manifest.contains(&format!("\"crc32\": \"{:08x}\"", entry.crc32))
        {
            return Err(format!(
                "the manifest lacks {name}'s CRC {:08x}",
                entry.crc32
            ));
        }
    }
    Ok(format!(
        "{} entries, bytes and CRC-32s equal, manifest agrees",
        entries.len()
    ))
}

fn table(rows: &[Row]) -> String {
    let mut out = format!(
        "{:<26} {:>10} {:>10}  {}\n",
        "artifact", "size", "encode", "verification"
    );
    for row in rows {
        let size = row.size.map_or(String::new(), |n| format!("{n} B"));
        let encode = row.encode.map_or(String::new(), |d| {
            format!("{:.2} ms", d.as_secs_f64() * 1e3)
        });
        let verdict = match &row.verdict {
            Ok(detail) => format!("ok: {detail}"),
            Err(problem) => format!("FAILED: {problem}"),
        };
        let _ = writeln!(
            out,
            "{:<26} {size:>10} {encode:>10}  {verdict}",
            row.artifact
        );
    }
    out
}

/// The dataset's shards, kept in memory until verified: `(name, bytes)` in order.
#[derive(Default)]
struct InMemory(Vec<(String, Bytes)>);

impl ShardSink for InMemory {
    type Writer = Vec<u8>;

    fn create(&mut self, _name: &str) -> io::Result<Vec<u8>> {
        Ok(Vec::new())
    }

    fn complete(&mut self, name: &str, writer: Vec<u8>) -> io::Result<()> {
        self.0.push((name.to_owned(), Bytes::from(writer)));
        Ok(())
    }
}

/// One sample per pitch, keyed `000000`, `000001`, …: a short tone as WAV, its waveform as PNG and a
/// JSON record of its pitch, frame count and the other files' sizes and CRC-32s.
fn dataset_samples(pitches: &[f32]) -> io::Result<Vec<Sample>> {
    let spec = WavSpec::new(CHANNELS, SAMPLE_RATE, SampleFormat::Pcm16);
    let mut samples = Vec::with_capacity(pitches.len());
    for (index, &pitch) in pitches.iter().enumerate() {
        let planar = tone(pitch, DATASET_SECONDS);
        let wav = spec.encode_planar(&planar)?;
        let picture = waveform(&planar);
        let png =
            PngEncoder::new().encode(&Pixels::new(&picture, WIDTH, HEIGHT, PixelFormat::Rgb8)?)?;
        let key = format!("{index:06}");
        let json = format!(
            "{{\"key\": \"{key}\", \"frequency_hz\": {pitch}, \"frames\": {}, \"wav\": {{\"size\": {}, \
             \"crc32\": \"{:08x}\"}}, \"png\": {{\"size\": {}, \"crc32\": \"{:08x}\"}}}}\n",
            planar[0].len(),
            wav.len(),
            crc32(&wav),
            png.len(),
            crc32(&png)
        );
        let mut sample = Sample::new(key);
        sample.files.insert("wav".into(), wav);
        sample.files.insert("png".into(), png);
        sample.files.insert("json".into(), Bytes::from(json));
        samples.push(sample);
    }
    Ok(samples)
}

/// Writes the samples for `pitches` into shards named `dataset-NNNNNN.tar` (one, at this size), in
/// memory.
fn dataset(pitches: &[f32]) -> io::Result<Vec<(String, Bytes)>> {
    let mut writer = ShardWriter::new("dataset", InMemory::default());
    for sample in dataset_samples(pitches)? {
        writer.write(&sample)?;
    }
    Ok(writer.finish_sink()?.0)
}

/// Streams the shards back through `ShardReader` and checks every sample against a fresh build of the
/// same samples, and each WAV against the frame count its JSON record declares.
fn verify_dataset(shards: &[(String, Bytes)], pitches: &[f32]) -> Result<String, String> {
    let expected = dataset_samples(pitches).map_err(|e| e.to_string())?;
    let mut read = Vec::new();
    let mut reader: Option<ShardReader<&[u8]>> = None;
    for (_, shard) in shards {
        let mut next = match reader.take() {
            None => ShardReader::new(&shard[..]),
            Some(previous) => previous.next_shard(&shard[..]),
        }
        .map_err(|e| e.to_string())?;
        for sample in next.by_ref() {
            read.push(sample.map_err(|e| e.to_string())?);
        }
        reader = Some(next);
    }
    if read != expected {
        let keys: Vec<&str> = read.iter().map(|s| s.key.as_str()).collect();
        return Err(format!("read back samples {keys:?}, not the ones written"));
    }
    for sample in &read {
        let wav = strata_io::wav::decode(&sample.files["wav"]).map_err(|e| e.to_string())?;
        let record = String::from_utf8_lossy(&sample.files["json"]);
        if !record.contains(&format!("\"frames\": {},", wav.frames())) {
            return Err(format!(
                "{}: the WAV's {} frames differ from its record",
                sample.key,
                wav.frames()
            ));
        }
    }
    Ok(format!(
        "{} samples (wav, png, json) in {} shard, streamed back equal",
        read.len(),
        shards.len()
    ))
}
