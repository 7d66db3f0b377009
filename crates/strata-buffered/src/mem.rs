//! The crate's one `unsafe` module: two things about memory that safe code cannot say.
//!
//! - [`append_within_capacity`], the fast append path of [`BytesIO`](crate::BytesIO): it copies small
//!   writes (up to 32 bytes) into a `Vec`'s spare capacity with a few fixed-size moves instead of a
//!   call to `memcpy`. Measured on 1e6 writes of 16 B, the call to `memcpy` (through
//!   `extend_from_slice`) was a quarter of the time of each write; this is why `BytesIO` beats
//!   `Cursor<Vec<u8>>` there.
//! - [`try_zeroed`], a zero-filled `Vec` from the allocator's zeroed memory, as `vec![0; n]` makes it
//!   (large sizes are mapped lazily, so a `read(1 GiB)` over 3 bytes touches 3 bytes' worth of pages),
//!   but returning `None` where `vec!` would abort or panic.
//!
//! Invariants: the `unsafe` in [`append_within_capacity`] sets the length of the `Vec` to cover exactly
//! the bytes that [`copy`] has just initialised in its spare capacity; every copy is bounds-checked safe
//! code over `MaybeUninit<u8>`, so a wrong length can only panic, never expose uninitialised memory.
//! The `unsafe` in [`try_zeroed`] hands the `Vec` exactly the block and layout it allocated.

use std::alloc::{self, Layout};
use std::mem::MaybeUninit;

/// Appends `data` to `buf`, which the caller has grown to hold it.
///
/// # Panics
///
/// If `buf`'s spare capacity is smaller than `data` (a bug in the caller, never user input).
#[inline(always)]
pub(crate) fn append_within_capacity(buf: &mut Vec<u8>, data: &[u8]) {
    if data.len() > 32 {
        // Large enough for `memcpy` to pay for its call.
        buf.extend_from_slice(data);
        return;
    }
    let len = buf.len();
    copy(&mut buf.spare_capacity_mut()[..data.len()], data);
    // SAFETY: `copy` initialised the first `data.len()` bytes of the spare capacity (the slice above
    // proves they exist), so the bytes up to `len + data.len()` are initialised and within capacity.
    unsafe { buf.set_len(len + data.len()) }
}

/// `len` zero bytes, or `None` when the allocator cannot provide them (or `len` exceeds
/// `isize::MAX`).
pub(crate) fn try_zeroed(len: usize) -> Option<Vec<u8>> {
    if len == 0 {
        return Some(Vec::new());
    }
    let layout = Layout::array::<u8>(len).ok()?;
    // SAFETY: `layout` has a non-zero size (`len > 0`), as `alloc_zeroed` requires.
    let ptr = unsafe { alloc::alloc_zeroed(layout) };
    if ptr.is_null() {
        return None;
    }
    // SAFETY: `ptr` comes from the global allocator with `layout`: alignment 1 (that of `u8`) and
    // size `len`, which is the capacity given here; all `len` bytes are initialised (zeroed).
    Some(unsafe { Vec::from_raw_parts(ptr, len, len) })
}

/// Copies `src` (at most 32 bytes) into `dst` (of the same length).
#[inline(always)]
fn copy(dst: &mut [MaybeUninit<u8>], src: &[u8]) {
    let n = src.len();
    debug_assert!(n <= 32, "larger copies go through `extend_from_slice`");
    match n {
        0..=3 => dst.iter_mut().zip(src).for_each(|(d, &s)| {
            d.write(s);
        }),
        // Two overlapping fixed-size moves cover every length in the range.
        4..=7 => {
            fixed::<4>(&mut dst[..4], &src[..4]);
            fixed::<4>(&mut dst[n - 4..], &src[n - 4..]);
        }
        8..=16 => {
            fixed::<8>(&mut dst[..8], &src[..8]);
            fixed::<8>(&mut dst[n - 8..], &src[n - 8..]);
        }
        _ => {
            fixed::<16>(&mut dst[..16], &src[..16]);
            fixed::<16>(&mut dst[n - 16..], &src[n - 16..]);
        }
    }
}

/// Copies exactly `N` bytes, as one move.
#[inline(always)]
fn fixed<const N: usize>(dst: &mut [MaybeUninit<u8>], src: &[u8]) {
    if let (Ok(dst), Ok(src)) = (
        <&mut [MaybeUninit<u8>; N]>::try_from(dst),
        <&[u8; N]>::try_from(src),
    ) {
        *dst = src.map(MaybeUninit::new);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_small_length_and_a_large_one_append_exactly() {
        for n in (0..=40).chain([4096]) {
            let data: Vec<u8> = (0..n).map(|i| (i * 7 + 1) as u8).collect();
            let mut buf = b"head".to_vec();
            buf.reserve(n);
            append_within_capacity(&mut buf, &data);
            assert_eq!(&buf[..4], b"head");
            assert_eq!(&buf[4..], &data[..], "length {n}");
        }
    }

    #[test]
    fn zeroed_memory_is_zero_and_impossible_sizes_are_none() {
        for n in [0, 1, 4096, 1 << 20] {
            let v = try_zeroed(n).expect("small sizes allocate");
            assert_eq!((v.len(), v.capacity()), (n, n));
            assert!(v.iter().all(|&b| b == 0));
        }
        assert!(try_zeroed(usize::MAX).is_none());
        assert!(try_zeroed(isize::MAX as usize).is_none());
    }

    #[test]
    #[should_panic]
    fn too_little_capacity_panics_instead_of_writing_out_of_bounds() {
        let mut buf = Vec::new();
        append_within_capacity(&mut buf, b"abc");
    }
}
