//! Fuzz target: arbitrary bytes through the WAV decoder. Must never panic; a successful decode must
//! describe exactly the frames its data holds.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(wav) = strata_wav::decode(data) {
        let spec = wav.spec();
        let frames = wav.frames();
        assert_eq!(
            wav.data().len() as u64,
            frames as u64 * u64::from(spec.block_align())
        );
        let planar = wav.planar::<f32>();
        assert_eq!(planar.len(), usize::from(spec.channels));
        assert!(planar.iter().all(|ch| ch.len() == frames));
    }
});
