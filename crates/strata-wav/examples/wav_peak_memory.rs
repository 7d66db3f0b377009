//! Peak memory of [`WavReader`] decoding a 1 GiB WAV stream from a `Read` that cannot seek: the
//! stream is generated as it is read (never held), decoded 4096 frames at a time to `f32` planar, and
//! the process's peak resident set (`VmHWM` in `/proc/self/status`, Linux) is printed at the end.
//!
//! ```sh
//! cargo run --release -p strata-wav --example wav_peak_memory
//! ```

use std::io::{self, Read};
use std::time::Instant;

use strata_wav::{SampleFormat, WavReader, WavSpec, WavStreamWriter};

/// Bytes of samples in the generated stream.
const DATA_BYTES: u64 = 1 << 30;

/// A WAV header followed by `left` bytes of a 16-bit stereo sawtooth, produced on demand.
struct Generated {
    header: io::Cursor<Vec<u8>>,
    at: u64,
    left: u64,
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.header.read(buf)?;
        if n > 0 {
            return Ok(n);
        }
        let n = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        for (i, byte) in buf[..n].iter_mut().enumerate() {
            *byte = ((self.at + i as u64) >> 2) as u8;
        }
        self.at += n as u64;
        self.left -= n as u64;
        Ok(n)
    }
}

fn main() -> io::Result<()> {
    let spec = WavSpec::new(2, 48_000, SampleFormat::Pcm16);
    // An open-ended header: the length is not known to the reader, as on a live pipe.
    let header = WavStreamWriter::new(Vec::new(), spec)?.finish()?;
    let source = Generated {
        header: io::Cursor::new(header),
        at: 0,
        left: DATA_BYTES,
    };
    let start = Instant::now();
    let mut reader = WavReader::new(source)?;
    let mut block = [vec![0f32; 4096], vec![0f32; 4096]];
    let (mut frames, mut sum) = (0u64, 0f64);
    loop {
        let n = reader.read_planar(&mut block)?;
        if n == 0 {
            break;
        }
        frames += n as u64;
        sum += f64::from(block[0][n - 1]) + f64::from(block[1][n - 1]);
    }
    let elapsed = start.elapsed();
    let status = std::fs::read_to_string("/proc/self/status")?;
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: unavailable (not Linux)");
    println!(
        "decoded {frames} frames ({} MiB of samples) in {:.2} s (checksum {sum:.3}); peak memory {}",
        DATA_BYTES >> 20,
        elapsed.as_secs_f64(),
        hwm.trim_start_matches("VmHWM:").trim()
    );
    Ok(())
}
