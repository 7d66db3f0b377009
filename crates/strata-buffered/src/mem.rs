//! The crate's one `unsafe` module: two things about memory that safe code cannot say.
//!
//! - [`append_within_capacity`], the fast append path of [`BytesIO`](crate::BytesIO): it copies small
//!   writes (up to 32 bytes) into a `Vec`'s spare capacity with a few fixed-size moves instead of a
//!   call to `memcpy`. Measured on 1e6 writes of 16 B, the call to `memcpy` (through
//!   `extend_from_slice`) was a quarter of the time of each write; this is why `BytesIO` beats
//!   `Cursor<Vec<u8>>` there.
//!   [`copy_into`] does the same into an initialised slice, for the buffered writers.
//! - [`try_zeroed`], a zero-filled `Vec` from the allocator's zeroed memory, as `vec![0; n]` makes it
//!   (large sizes are mapped lazily, so a `read(1 GiB)` over 3 bytes touches 3 bytes' worth of pages),
//!   but returning `None` where `vec!` would abort or panic.
//!
//! - [`OwnedParts`], a buffered writer's buffer and raw stream, which a hook flushes on drop, and
//!   which `into_inner` takes out whole without running that hook (what `std::io::BufWriter` does
//!   with `ptr::read`): this is how the writers hold `R` itself, not an `Option<R>`.
//!
//! Invariants: the `unsafe` in [`append_within_capacity`] sets the length of the `Vec` to cover exactly
//! the bytes that [`copy`] has just initialised in its spare capacity; every copy is bounds-checked safe
//! code over `MaybeUninit<u8>`, so a wrong length can only panic, never expose uninitialised memory.
//! The `unsafe` in [`try_zeroed`] hands the `Vec` exactly the block and layout it allocated. In
//! [`OwnedParts`], `raw` is dropped exactly once: by `Drop` (after the hook), or moved out by
//! `into_parts`, which consumes the value and suppresses its `Drop`.

use std::alloc::{self, Layout};
use std::mem::{ManuallyDrop, MaybeUninit};
use std::ptr;

/// A core (the buffer) and a raw stream; on drop, `on_drop` runs with both before they are dropped,
/// unless [`into_parts`](OwnedParts::into_parts) took them out.
pub(crate) struct OwnedParts<C, R> {
    core: C,
    raw: ManuallyDrop<R>,
    on_drop: fn(&mut C, &mut R),
}

impl<C, R> OwnedParts<C, R> {
    /// Holds `core` and `raw`, with the hook to run when dropped.
    pub(crate) fn new(core: C, raw: R, on_drop: fn(&mut C, &mut R)) -> Self {
        OwnedParts {
            core,
            raw: ManuallyDrop::new(raw),
            on_drop,
        }
    }

    /// The core.
    pub(crate) fn core(&self) -> &C {
        &self.core
    }

    /// The raw stream.
    pub(crate) fn raw(&self) -> &R {
        &self.raw
    }

    /// The raw stream, mutably.
    pub(crate) fn raw_mut(&mut self) -> &mut R {
        &mut self.raw
    }

    /// Both, mutably.
    pub(crate) fn both(&mut self) -> (&mut C, &mut R) {
        (&mut self.core, &mut self.raw)
    }

    /// The core and the raw stream, without running the hook.
    pub(crate) fn into_parts(self) -> (C, R) {
        let mut this = ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped (it is `ManuallyDrop`) and never used after these reads, so
        // `core` is read exactly once and `raw` taken exactly once; `on_drop` is a `fn` pointer,
        // which has nothing to drop.
        unsafe { (ptr::read(&this.core), ManuallyDrop::take(&mut this.raw)) }
    }
}

/// The core and the raw stream, as a struct of the two would show them.
impl<C: std::fmt::Debug, R: std::fmt::Debug> std::fmt::Debug for OwnedParts<C, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OwnedParts")
            .field("core", &self.core)
            .field("raw", &*self.raw)
            .finish_non_exhaustive()
    }
}

impl<C, R> Drop for OwnedParts<C, R> {
    fn drop(&mut self) {
        (self.on_drop)(&mut self.core, &mut self.raw);
        // SAFETY: `raw` is dropped here only, once: `into_parts`, the one other place that takes it,
        // consumes `self` without running this `Drop`.
        unsafe { ManuallyDrop::drop(&mut self.raw) }
    }
}

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
    let spare = &mut buf.spare_capacity_mut()[..data.len()];
    debug_assert_eq!(
        spare.len(),
        data.len(),
        "the copy covers exactly the new length"
    );
    copy(spare, data);
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

/// Copies `src` into `dst`, which has its length: a small copy (up to 32 bytes) with the fixed-size
/// moves of [`append_within_capacity`], a larger one with `memcpy`. The buffered writers' append
/// path, where the call to `memcpy` was over a third of a 16-byte write.
///
/// # Panics
///
/// If the lengths differ (a bug in the caller).
#[inline(always)]
pub(crate) fn copy_into(dst: &mut [u8], src: &[u8]) {
    if src.len() > 32 {
        dst.copy_from_slice(src);
        return;
    }
    // SAFETY: the cast keeps the pointer and the length, and `MaybeUninit<u8>` has `u8`'s layout;
    // `copy` writes only initialised bytes (`MaybeUninit::new` of `src`'s), so `dst` stays
    // initialised, as `&mut [u8]` requires once this borrow ends.
    let dst = unsafe { &mut *(ptr::from_mut(dst) as *mut [MaybeUninit<u8>]) };
    copy(dst, src);
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
///
/// # Panics
///
/// If `dst` or `src` is not `N` bytes long: the `set_len` in [`append_within_capacity`] counts on
/// every byte being written, so a silently skipped copy would expose uninitialised memory.
#[inline(always)]
fn fixed<const N: usize>(dst: &mut [MaybeUninit<u8>], src: &[u8]) {
    match (
        <&mut [MaybeUninit<u8>; N]>::try_from(dst),
        <&[u8; N]>::try_from(src),
    ) {
        (Ok(dst), Ok(src)) => *dst = src.map(MaybeUninit::new),
        _ => panic!("a fixed copy of {N} bytes was given slices of another length"),
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
            let mut into = vec![0xee; n + 2];
            copy_into(&mut into[1..=n], &data);
            assert_eq!(
                (into[0], &into[1..=n], into[n + 1]),
                (0xee, &data[..], 0xee),
                "copy_into, length {n}"
            );
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
    #[should_panic(expected = "range end index 3 out of range for slice of length 0")]
    fn too_little_capacity_panics_instead_of_writing_out_of_bounds() {
        let mut buf = Vec::new();
        append_within_capacity(&mut buf, b"abc");
    }

    #[test]
    #[should_panic(expected = "a fixed copy of 4 bytes was given slices of another length")]
    fn a_fixed_copy_of_the_wrong_length_panics_instead_of_skipping() {
        let mut dst = [MaybeUninit::new(0u8); 3];
        fixed::<4>(&mut dst, b"abc");
    }

    #[test]
    fn owned_parts_come_out_whole_and_are_dropped_once_otherwise() {
        use std::rc::Rc;
        let raw = Rc::new(());
        let parts = OwnedParts::new(1u8, Rc::clone(&raw), |core, raw| {
            *core += 1;
            assert_eq!(Rc::strong_count(raw), 2, "dropped only after the hook");
        });
        let (core, taken) = parts.into_parts();
        assert_eq!(
            (core, Rc::strong_count(&taken)),
            (1, 2),
            "no hook on into_parts"
        );
        drop(taken);
        let parts = OwnedParts::new(1u8, Rc::clone(&raw), |_, _| {});
        drop(parts);
        assert_eq!(Rc::strong_count(&raw), 1);
    }
}
