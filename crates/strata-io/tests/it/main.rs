//! Integration tests for strata-io: the facade re-exports each crate under its feature, and the
//! combined prelude is enough to call every layer's methods.

use strata_io::prelude::*;

#[cfg(feature = "full")]
mod serve;

#[test]
fn the_prelude_calls_raw_and_buffered_methods() -> std::io::Result<()> {
    let mut f = strata_io::buffered::BytesIO::from(&b"one\ntwo\n"[..]);
    assert_eq!(f.readline(None)?, "one\n"); // inherent
    let mut rest = String::new();
    f.read_to_string(&mut rest)?; // std::io::Read, from the prelude
    assert_eq!(rest, "two\n");
    assert!(f.seekable()?); // strata_raw::IoBase, from the prelude
    f.close()?;
    let err = f.tell().unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(matches!(
        strata_io::raw::Error::of(&err),
        Some(strata_io::raw::Error::Closed { .. })
    ));
    Ok(())
}

#[cfg(feature = "text")]
#[test]
fn the_prelude_calls_text_methods() -> std::io::Result<()> {
    let mut s = strata_io::text::StringIO::new();
    s.write("héllo\n")?; // TextWrite, from the prelude
    s.seek(SeekFrom::Start(0))?;
    assert_eq!(s.readline(None)?, "héllo\n"); // TextRead, from the prelude
    assert_eq!(s.getvalue()?, "héllo\n");
    Ok(())
}

#[cfg(all(feature = "wav", feature = "png", feature = "zip", feature = "spool"))]
#[test]
fn the_adapters_chain_through_the_facade() -> std::io::Result<()> {
    use strata_io::png::{PixelFormat, Pixels, PngEncoder};
    use strata_io::wav::{SampleFormat, WavSpec};
    use strata_io::zip::{Compression, ZipBuilder, ZipReader};

    let wav =
        WavSpec::new(1, 8_000, SampleFormat::Pcm16).encode_interleaved(&[0i16, 1000, -1000])?;
    let png = PngEncoder::new().encode(&Pixels::new(&[0, 255], 2, 1, PixelFormat::Gray8)?)?;
    let mut zip = ZipBuilder::new();
    zip.add_bytes("a.wav", &wav, Compression::DEFAULT)?;
    zip.add_bytes("a.png", &png, Compression::Stored)?;
    let mut reader = ZipReader::new(zip.finish()?)?;
    let back = reader.read("a.wav")?;
    let frames = strata_io::spool::read_via_path(&back, ".wav", |path| {
        Ok(strata_io::wav::decode(&std::fs::read(path)?)?.frames())
    })?;
    assert_eq!(frames, 3);
    assert_eq!(reader.read("a.png")?, png);
    Ok(())
}
