//! Round trips with proptest: any pixels in any format, filter and compression decode to themselves,
//! as `Pixels` and as a `DynamicImage`.

use proptest::prelude::*;
use strata_png::{CompressionType, FilterType, Pixels, PngDecoder, PngEncoder};

use crate::{FORMATS, test_pixels};

fn filter() -> impl Strategy<Value = FilterType> {
    prop_oneof![
        Just(FilterType::NoFilter),
        Just(FilterType::Sub),
        Just(FilterType::Up),
        Just(FilterType::Avg),
        Just(FilterType::Paeth),
        Just(FilterType::Adaptive),
    ]
}

fn compression() -> impl Strategy<Value = CompressionType> {
    prop_oneof![
        Just(CompressionType::Fast),
        Just(CompressionType::Default),
        Just(CompressionType::Best),
        Just(CompressionType::Uncompressed),
        (0u8..=9).prop_map(CompressionType::Level),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn pixels_round_trip(
        format in proptest::sample::select(FORMATS.to_vec()),
        width in 1u32..40,
        height in 1u32..40,
        seed in any::<u64>(),
        filter in filter(),
        compression in compression(),
    ) {
        let data = test_pixels(width, height, format, seed);
        let pixels = Pixels::new(&data, width, height, format)?;
        let png = PngEncoder::new().filter(filter).compression(compression).encode(&pixels)?;
        prop_assert_eq!(&PngDecoder::new().decode(&png)?, &pixels);

        let image = PngDecoder::new().decode_image(&png)?;
        prop_assert_eq!(Pixels::from_image(&image)?, pixels);
        prop_assert_eq!(PngEncoder::new().filter(filter).compression(compression).encode_image(&image)?, png);
    }

    #[test]
    fn u16_samples_round_trip(samples in proptest::collection::vec(any::<u16>(), 1..200), alpha in any::<bool>()) {
        let format = if alpha { strata_png::PixelFormat::GrayA16 } else { strata_png::PixelFormat::Gray16 };
        let width = (samples.len() / usize::from(format.channels())) as u32;
        prop_assume!(width > 0);
        let samples = &samples[..width as usize * usize::from(format.channels())];
        let pixels = Pixels::from_u16(samples, width, 1, format)?;
        let back = PngDecoder::new().decode(&PngEncoder::new().encode(&pixels)?)?;
        let words: Vec<u16> = back.data().chunks_exact(2).map(|b| u16::from_ne_bytes([b[0], b[1]])).collect();
        prop_assert_eq!(words, samples);
    }
}
