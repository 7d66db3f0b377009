//! The lock-free single-producer, single-consumer byte ring under the pipe: the crate's only `unsafe`.
//!
//! # Protocol
//!
//! A position is a count of bytes since the ring was made (`u64`; bit 63 is never reached: 2^63 bytes
//! take 290 years at 1 GB/s). Position `p` lives in slot `p % capacity`. Two atomics, each on its own
//! cache line:
//!
//! - `head`, the end of the published bytes. Only the [`Producer`] changes it: it writes slots, then
//!   stores the new head with `Release`.
//! - `tail`, the start of the bytes the reader has not taken. The [`Consumer`] moves it by storing
//!   the new position with `Release` once it is done with the slots below. In a ring made with
//!   [`Discard::OldestRecords`] (the `OverwriteOldest` policy) the [`Producer`] may also move an
//!   *unclaimed* tail forward by compare-and-swap, over whole records, to discard the oldest data
//!   ([`Producer::push_record`]); there the consumer first sets the `CLAIMED` bit of `tail` by
//!   compare-and-swap before it reads any slot, and its `Release` store of the new position clears
//!   it. In a ring made with [`Discard::Never`] only the consumer moves the tail, so it reads without
//!   claiming: no read-modify-write on either side.
//!
//! Each end keeps a copy of the other end's index as it last loaded it, and loads the shared one
//! again only when the copy does not show enough (as `rtrb` does): the copy of the tail is never
//! ahead of the tail (it only grows), so the room the producer counts on is there; the copy of the
//! head is never ahead of the head, so the bytes the consumer counts on are published. The hot
//! path then touches the other end's cache line once per lap of the ring rather than once per call.
//!
//! A record is a 4-byte little-endian payload length followed by the payload; only
//! [`Producer::push_record`] writes them, and the pipe reads them back (see `reader.rs`). Plain
//! [`Producer::push`] streams bytes without framing.
//!
//! # Invariants (what the `unsafe` blocks rely on)
//!
//! 1. `tail ≤ head ≤ tail + capacity` (positions, without the bit). Tail only grows, never past head:
//!    the consumer releases at most what it saw published, the producer discards at most up to head.
//! 2. The producer writes only the slots of `[head, t + capacity)`, for a tail position `t` it loaded
//!    with `Acquire` (or set by its own compare-and-swap). Tail only grows, so that range never meets
//!    `[tail, head)` as it is now; and `Acquire` orders the write after the consumer's reads of the
//!    same slots one lap earlier (those came before the consumer's `Release` of the tail, and the
//!    producer's own compare-and-swaps continue that release sequence).
//! 3. The consumer reads only the slots of `[t, h)` while it holds the claim on position `t`, with `h`
//!    a head it loaded with `Acquire` (so the bytes are published). While the claim holds, the producer
//!    cannot move the tail, so by (2) it writes only `[head, t + capacity)`, which is disjoint from
//!    `[t, h)` modulo the capacity.
//! 4. The producer also reads the header of the oldest unclaimed record, `[t, t + 4)`: bytes it wrote
//!    itself and nobody writes while they lie in `[tail, head)`; the consumer may read them at the same
//!    time, and two reads do not race.
//! 5. Neither handle is `Clone` and their methods take `&mut self`: one producer, one consumer.
//!
//! Under `cfg(loom)` every slot is a `loom::cell::UnsafeCell<u8>`, so the model checker verifies (2)
//! and (3) access by access; [`Consumer::peek`]'s borrowed slice cannot be tracked that way and is
//! left out of loom builds.

use std::io;

use crate::sync::{Arc, AtomicU64, Padded};
use std::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release};

/// Bytes of the length that precedes each record's payload.
pub(crate) const HEADER: usize = 4;

/// The bit of `tail` that says the consumer is reading from it.
const CLAIMED: u64 = 1 << 63;

/// Whether the producer may discard the oldest data (and so move the tail).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Discard {
    /// Only the consumer moves the tail; [`Producer::push_record`] is not used.
    Never,
    /// [`Producer::push_record`] discards the oldest whole records to make room.
    OldestRecords,
}

/// Makes a ring of `capacity` bytes (at least 1) and returns its two ends, which share `shared`.
///
/// # Errors
///
/// [`io::ErrorKind::OutOfMemory`] when the buffer cannot be allocated.
pub(crate) fn channel<S>(
    capacity: usize,
    discard: Discard,
    shared: S,
) -> io::Result<(Producer<S>, Consumer<S>)> {
    debug_assert!(capacity > 0, "the pipe builder refuses capacity 0");
    let inner = Arc::new(Inner {
        slots: Slots::new(capacity)?,
        discard,
        head: Padded(AtomicU64::new(0)),
        tail: Padded(AtomicU64::new(0)),
        shared,
    });
    Ok((
        Producer {
            inner: Arc::clone(&inner),
            head: 0,
            tail: 0,
        },
        Consumer {
            inner,
            tail: 0,
            head: 0,
            claim: None,
        },
    ))
}

/// A zeroed buffer of `len` bytes, or an error instead of an abort when memory runs out.
///
/// # Errors
///
/// [`io::ErrorKind::OutOfMemory`] when the buffer cannot be allocated.
pub(crate) fn zeroed(len: usize) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(len).map_err(|_| {
        io::Error::new(
            io::ErrorKind::OutOfMemory,
            format!("cannot allocate a pipe buffer of {len} bytes"),
        )
    })?;
    bytes.resize(len, 0u8);
    Ok(bytes)
}

struct Inner<S> {
    slots: Slots,
    discard: Discard,
    head: Padded<AtomicU64>,
    tail: Padded<AtomicU64>,
    shared: S,
}

/// What [`Producer::push_record`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pushed {
    /// The record is in the ring.
    pub(crate) stored: bool,
    /// Payload bytes discarded: older records, or this one when it could not be stored.
    pub(crate) dropped_bytes: u64,
    /// Records discarded, counted the same way.
    pub(crate) dropped_writes: u64,
}

/// The writing end of the ring.
pub(crate) struct Producer<S> {
    inner: Arc<Inner<S>>,
    /// The producer's own copy of `head` (it is the only one to change it).
    head: u64,
    /// The tail as this producer last loaded it (without the bit): never ahead of the tail.
    tail: u64,
}

impl<S> Producer<S> {
    /// The state shared by both ends.
    pub(crate) fn shared(&self) -> &S {
        &self.inner.shared
    }

    /// The ring's size in bytes.
    pub(crate) fn capacity(&self) -> usize {
        self.inner.slots.len
    }

    /// Bytes in the ring right now (records count with their headers).
    pub(crate) fn len(&self) -> usize {
        (self.head - (self.inner.tail.load(Acquire) & !CLAIMED)) as usize
    }

    /// Bytes in the ring as this producer last saw the tail: at least [`Producer::len`], no load.
    pub(crate) fn len_at_most(&self) -> usize {
        (self.head - self.tail) as usize
    }

    /// Bytes that [`Producer::push`] could take right now.
    pub(crate) fn free(&self) -> usize {
        self.capacity() - self.len()
    }

    /// Copies as much of `data` as fits and publishes it; returns the number of bytes taken. The
    /// tail is loaded only when the copy of it does not leave room for all of `data`.
    pub(crate) fn push(&mut self, data: &[u8]) -> usize {
        debug_assert_eq!(self.inner.discard, Discard::Never, "use push_record");
        if self.capacity() - self.len_at_most() < data.len().min(self.capacity()) {
            self.tail = self.inner.tail.load(Acquire) & !CLAIMED;
        }
        let n = (self.capacity() - self.len_at_most()).min(data.len());
        if n > 0 {
            // SAFETY: `self.tail` was loaded with `Acquire` (here or earlier; the tail only grows),
            // and `[head, head + n)` lies within `[head, tail + capacity)` for it (invariant 2).
            unsafe { self.inner.slots.write(self.head, &data[..n]) };
            self.publish(n);
        }
        n
    }

    /// Stores `payload` (not empty) as one record, first discarding the oldest whole records if it does not fit.
    ///
    /// The payload is dropped instead (and counted) when it can never fit (`HEADER + len > capacity`
    /// or longer than `u32::MAX`), or when the consumer is reading the oldest record at this moment:
    /// nothing older can go then without cutting a record the reader has started. Never blocks, never
    /// allocates; the loop ends because each turn either stores, returns, or sees the tail move.
    pub(crate) fn push_record(&mut self, payload: &[u8]) -> Pushed {
        debug_assert_eq!(self.inner.discard, Discard::OldestRecords, "use push");
        debug_assert!(
            !payload.is_empty(),
            "an empty record would stall the reader's parser"
        );
        let mut out = Pushed::default();
        let need = HEADER + payload.len();
        let Ok(len) = u32::try_from(payload.len()) else {
            return out.drop_this(payload);
        };
        if need > self.capacity() {
            return out.drop_this(payload);
        }
        loop {
            let tail = self.inner.tail.load(Acquire);
            let pos = tail & !CLAIMED;
            self.tail = pos;
            let used = self.head - pos;
            if self.capacity() - used as usize >= need {
                // SAFETY: `[head, head + need)` lies within `[head, pos + capacity)` for the tail
                // just loaded with `Acquire` (invariant 2).
                unsafe {
                    self.inner.slots.write(self.head, &len.to_le_bytes());
                    self.inner.slots.write(self.head + HEADER as u64, payload);
                }
                self.publish(need);
                out.stored = true;
                return out;
            }
            if tail & CLAIMED != 0 || used < HEADER as u64 {
                return out.drop_this(payload);
            }
            let mut header = [0; HEADER];
            // SAFETY: `[pos, pos + HEADER)` lies within `[tail, head)`: bytes this producer wrote and
            // no one writes while they are there (invariant 4).
            unsafe { self.inner.slots.read(pos, &mut header) };
            let dropped = u64::from(u32::from_le_bytes(header));
            let next = (pos + HEADER as u64 + dropped).min(self.head);
            // `AcqRel`: a consumer that loads the new tail also sees the head published before it,
            // so it never finds the tail past the head (see `Consumer::len`).
            if self
                .inner
                .tail
                .compare_exchange(tail, next, AcqRel, Relaxed)
                .is_ok()
            {
                out.dropped_bytes += dropped;
                out.dropped_writes += 1;
            }
        }
    }

    fn publish(&mut self, n: usize) {
        self.head += n as u64;
        self.inner.head.store(self.head, Release);
    }
}

impl Pushed {
    fn drop_this(mut self, payload: &[u8]) -> Pushed {
        self.dropped_bytes += payload.len() as u64;
        self.dropped_writes += 1;
        self
    }
}

/// The reading end of the ring.
pub(crate) struct Consumer<S> {
    inner: Arc<Inner<S>>,
    /// Under [`Discard::Never`], the consumer's own copy of `tail` (it is the only one to change
    /// it); unused otherwise.
    tail: u64,
    /// Under [`Discard::Never`], the head as this consumer last loaded it: never ahead of the head,
    /// never behind `tail`. Unused otherwise.
    head: u64,
    /// `(tail, head)` while this consumer holds the claim on `tail` (under [`Discard::Never`], while
    /// [`Consumer::peek`]'s slice is lent: no claim is needed there).
    claim: Option<(u64, u64)>,
}

impl<S> Consumer<S> {
    /// The state shared by both ends.
    pub(crate) fn shared(&self) -> &S {
        &self.inner.shared
    }

    /// The ring's size in bytes.
    pub(crate) fn capacity(&self) -> usize {
        self.inner.slots.len
    }

    /// Bytes published and not yet taken (records count with their headers): at most `capacity`.
    ///
    /// Unclaimed, the tail moves under the producer's discards, so the two positions must come from
    /// one moment: a tail loaded before the head may be older than the space the producer reclaimed
    /// for that head (more than `capacity` apart), one loaded after it may be past it. The tail is
    /// loaded on both sides of the head, and the pair is taken when it did not move in between: then
    /// `tail ≤ head` (the `Acquire` load of the tail sees the head its writer published first) and
    /// `head ≤ tail + capacity` (the producer filled up to `head` after loading a tail no later than
    /// the second load). Each retry means the producer discarded a record meanwhile.
    pub(crate) fn len(&self) -> usize {
        if let Some((tail, _)) = self.claim {
            // A claimed tail does not move, and the producer cannot publish past it plus capacity.
            return (self.inner.head.load(Acquire) - tail) as usize;
        }
        if self.inner.discard == Discard::Never {
            // Only this consumer moves the tail.
            return (self.inner.head.load(Acquire) - self.tail) as usize;
        }
        let mut tail = self.inner.tail.load(Acquire) & !CLAIMED;
        loop {
            let head = self.inner.head.load(Acquire);
            let again = self.inner.tail.load(Acquire) & !CLAIMED;
            if again == tail {
                return (head - tail) as usize;
            }
            tail = again;
        }
    }

    /// Copies up to `out.len()` published bytes into `out`, takes them out of the ring and returns how
    /// many. Taking everything published keeps records whole.
    pub(crate) fn pop(&mut self, out: &mut [u8]) -> usize {
        let Some((tail, head)) = self.claim(out.len()) else {
            return 0;
        };
        let n = out.len().min((head - tail) as usize);
        // SAFETY: we hold the claim on `tail` and `[tail, tail + n)` ⊆ `[tail, head)` (invariant 3).
        unsafe { self.inner.slots.read(tail, &mut out[..n]) };
        self.release(tail + n as u64);
        n
    }

    /// The published bytes from the tail up to the end of the ring's storage: no copy. The claim is
    /// kept until [`Consumer::consume`], so the slice stays valid while it is borrowed.
    #[cfg(not(loom))]
    pub(crate) fn peek(&mut self) -> &[u8] {
        let Some((tail, head)) = self.claim(self.capacity()) else {
            return &[];
        };
        let n = self.inner.slots.contiguous(tail, (head - tail) as usize);
        self.claim = Some((tail, tail + n as u64));
        // SAFETY: we hold the claim on `tail`, `[tail, tail + n)` ⊆ `[tail, head)` (invariant 3) and
        // does not wrap; the claim lasts until `consume`, which needs `&mut self`, so the borrow ends
        // first.
        unsafe { self.inner.slots.slice(tail, n) }
    }

    /// Takes `n` bytes of what [`Consumer::peek`] showed out of the ring (fewer if it showed fewer),
    /// gives up the claim and returns how many bytes it took.
    #[cfg(not(loom))]
    pub(crate) fn consume(&mut self, n: usize) -> usize {
        let Some((tail, head)) = self.claim else {
            return 0;
        };
        let n = (n as u64).min(head - tail);
        self.release(tail + n);
        n as usize
    }

    /// Room in the ring, as many bytes as the copy of the head allows, loading the head again
    /// only when that copy shows less than `at_least`: so the answer is `at_least` or more only if
    /// the ring has that much room now, and may be more than `at_least` when it does not.
    pub(crate) fn free_if_at_least(&mut self, at_least: usize) -> usize {
        if self.inner.discard == Discard::OldestRecords {
            return self.capacity() - self.len();
        }
        let tail = self.claim.map_or(self.tail, |(tail, _)| tail);
        let mut free = self.capacity() - (self.head - tail) as usize;
        if free >= at_least {
            self.head = self.inner.head.load(Acquire);
            free = self.capacity() - (self.head - tail) as usize;
        }
        free
    }

    /// Claims the tail (unless this consumer already holds it) and returns `(tail, head)`, or `None`
    /// when nothing is published. Under [`Discard::Never`] the head is loaded again only when its
    /// copy shows fewer than `want` bytes.
    fn claim(&mut self, want: usize) -> Option<(u64, u64)> {
        if self.inner.discard == Discard::Never {
            let tail = self.claim.map_or(self.tail, |(tail, _)| tail);
            if ((self.head - tail) as usize) < want {
                self.head = self.inner.head.load(Acquire);
            }
            if self.head == tail {
                return None;
            }
            self.claim = Some((tail, self.head));
            return self.claim;
        }
        let tail = match self.claim {
            Some((tail, _)) => tail,
            None => loop {
                let tail = self.inner.tail.load(Acquire);
                if self.inner.head.load(Acquire) == tail {
                    return None;
                }
                // Fails only when the producer discarded records meanwhile: look again.
                if self
                    .inner
                    .tail
                    .compare_exchange(tail, tail | CLAIMED, Acquire, Relaxed)
                    .is_ok()
                {
                    break tail;
                }
            },
        };
        let head = self.inner.head.load(Acquire);
        self.claim = Some((tail, head));
        Some((tail, head))
    }

    fn release(&mut self, tail: u64) {
        self.claim = None;
        self.tail = tail;
        self.inner.tail.store(tail, Release);
    }
}

/// The ring's storage: `len` bytes shared by the two ends under the protocol above.
#[cfg(not(loom))]
struct Slots {
    ptr: std::ptr::NonNull<u8>,
    len: usize,
}

// SAFETY: `Slots` owns its allocation; the only concurrent accesses go through `Producer` and
// `Consumer`, which keep the protocol's invariants, so no byte is written while another thread reads
// or writes it.
#[cfg(not(loom))]
unsafe impl Send for Slots {}
// SAFETY: as for `Send`.
#[cfg(not(loom))]
unsafe impl Sync for Slots {}

#[cfg(not(loom))]
impl Slots {
    fn new(len: usize) -> io::Result<Slots> {
        let bytes = zeroed(len)?;
        let ptr = Box::into_raw(bytes.into_boxed_slice()).cast::<u8>();
        // `Box::into_raw` never returns null.
        let ptr = std::ptr::NonNull::new(ptr).ok_or_else(|| io::Error::other("null allocation"))?;
        Ok(Slots { ptr, len })
    }

    /// Copies `data` into the slots from position `pos` on, wrapping at the end.
    ///
    /// # Safety
    ///
    /// `data.len() <= self.len` (the wrapped part is copied to the start of the allocation, which
    /// holds `self.len` bytes), and no other thread reads or writes these slots during the call.
    unsafe fn write(&self, pos: u64, data: &[u8]) {
        debug_assert!(data.len() <= self.len, "a write larger than the ring");
        let (start, first) = self.split(pos, data.len());
        // SAFETY: both ranges are within the allocation (`split`), and the caller guarantees
        // exclusive access to them.
        unsafe {
            std::ptr::copy_nonoverlapping(data.as_ptr(), self.ptr.as_ptr().add(start), first);
            std::ptr::copy_nonoverlapping(
                data.as_ptr().add(first),
                self.ptr.as_ptr(),
                data.len() - first,
            );
        }
    }

    /// Copies the slots from position `pos` on into `out`, wrapping at the end.
    ///
    /// # Safety
    ///
    /// `out.len() <= self.len` (the wrapped part is copied from the start of the allocation, which
    /// holds `self.len` bytes), and no other thread writes these slots during the call.
    unsafe fn read(&self, pos: u64, out: &mut [u8]) {
        debug_assert!(out.len() <= self.len, "a read larger than the ring");
        let (start, first) = self.split(pos, out.len());
        // SAFETY: both ranges are within the allocation (`split`), and the caller guarantees that no
        // one writes them.
        unsafe {
            std::ptr::copy_nonoverlapping(self.ptr.as_ptr().add(start), out.as_mut_ptr(), first);
            std::ptr::copy_nonoverlapping(
                self.ptr.as_ptr(),
                out.as_mut_ptr().add(first),
                out.len() - first,
            );
        }
    }

    /// `len` bytes from position `pos` on, which must not wrap.
    ///
    /// # Safety
    ///
    /// `pos % self.len + len <= self.len`, and no one writes these slots while the slice lives.
    unsafe fn slice(&self, pos: u64, len: usize) -> &[u8] {
        let (start, first) = self.split(pos, len);
        debug_assert_eq!(first, len, "slice must not wrap");
        // SAFETY: in bounds (caller and `split`), initialised at creation, and not written while
        // borrowed (caller).
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr().add(start), first) }
    }
}

#[cfg(not(loom))]
impl Drop for Slots {
    fn drop(&mut self) {
        let slice = std::ptr::slice_from_raw_parts_mut(self.ptr.as_ptr(), self.len);
        // SAFETY: `ptr`/`len` came from `Box::into_raw` of a boxed slice of `len` bytes in `new`, and
        // this is the only place that frees it.
        drop(unsafe { Box::from_raw(slice) });
    }
}

/// The ring's storage under loom: one tracked cell per byte.
#[cfg(loom)]
struct Slots {
    cells: Box<[loom::cell::UnsafeCell<u8>]>,
    len: usize,
}

#[cfg(loom)]
impl Slots {
    fn new(len: usize) -> io::Result<Slots> {
        Ok(Slots {
            cells: (0..len).map(|_| loom::cell::UnsafeCell::new(0)).collect(),
            len,
        })
    }

    /// # Safety
    ///
    /// As for the `std` build; loom checks it.
    unsafe fn write(&self, pos: u64, data: &[u8]) {
        for (i, &byte) in data.iter().enumerate() {
            let (slot, _) = self.split(pos + i as u64, 1);
            // SAFETY: loom's cell reports any access that races with this one.
            self.cells[slot].with_mut(|p| unsafe { *p = byte });
        }
    }

    /// # Safety
    ///
    /// As for the `std` build; loom checks it.
    unsafe fn read(&self, pos: u64, out: &mut [u8]) {
        for (i, byte) in out.iter_mut().enumerate() {
            let (slot, _) = self.split(pos + i as u64, 1);
            // SAFETY: loom's cell reports any access that races with this one.
            *byte = self.cells[slot].with(|p| unsafe { *p });
        }
    }
}

impl Slots {
    /// The slot of `pos`, and how many of `n` bytes from there fit before the end of the storage.
    fn split(&self, pos: u64, n: usize) -> (usize, usize) {
        let start = (pos % self.len as u64) as usize;
        (start, n.min(self.len - start))
    }

    /// How many of the `n` bytes from `pos` on are contiguous in the storage.
    #[cfg(not(loom))]
    fn contiguous(&self, pos: u64, n: usize) -> usize {
        self.split(pos, n).1
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    //! The index protocol against a model, one operation at a time (the two-thread behaviour is
    //! covered by loom and by the stress tests in `tests/it`).

    use std::collections::VecDeque;

    use proptest::prelude::*;

    use super::*;

    #[derive(Debug, Clone)]
    enum Op {
        Push(Vec<u8>),
        Pop(usize),
        Peek(usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            prop::collection::vec(any::<u8>(), 0..24).prop_map(Op::Push),
            (0usize..24).prop_map(Op::Pop),
            (0usize..24).prop_map(Op::Peek),
        ]
    }

    proptest! {
        /// Plain streaming: the ring behaves as a bounded FIFO of bytes.
        #[test]
        fn stream_is_a_bounded_fifo(capacity in 1usize..20, ops in prop::collection::vec(op(), 1..80)) {
            let (mut tx, mut rx) = channel(capacity, Discard::Never, ()).unwrap();
            let mut model = VecDeque::new();
            for op in ops {
                match op {
                    Op::Push(data) => {
                        let n = tx.push(&data);
                        prop_assert_eq!(n, data.len().min(capacity - model.len()));
                        model.extend(&data[..n]);
                    }
                    Op::Pop(want) => {
                        let mut out = vec![0; want];
                        let n = rx.pop(&mut out);
                        let expected: Vec<u8> = model.drain(..want.min(model.len())).collect();
                        prop_assert_eq!(&out[..n], &expected[..]);
                    }
                    Op::Peek(take) => {
                        let seen = rx.peek().to_vec();
                        prop_assert!(!seen.is_empty() || model.is_empty());
                        prop_assert!(seen.iter().eq(model.iter().take(seen.len())));
                        rx.consume(take);
                        model.drain(..take.min(seen.len()));
                    }
                }
                prop_assert_eq!(tx.len(), model.len());
                prop_assert_eq!(rx.len(), model.len());
            }
        }

        /// Records: the oldest whole records make room, a claimed record is never cut, and every
        /// payload byte is either read back in order or counted as dropped.
        #[test]
        fn records_overwrite_oldest(
            capacity in 5usize..40,
            ops in prop::collection::vec(op(), 1..80),
        ) {
            let (mut tx, mut rx) = channel(capacity, Discard::OldestRecords, ()).unwrap();
            let mut model: VecDeque<Vec<u8>> = VecDeque::new();
            let mut claimed = false;
            for op in ops {
                match op {
                    Op::Push(data) if data.is_empty() => {}
                    Op::Push(data) => {
                        let used = |m: &VecDeque<Vec<u8>>| m.iter().map(|r| HEADER + r.len()).sum::<usize>();
                        let mut expected = Pushed::default();
                        if HEADER + data.len() <= capacity {
                            while capacity - used(&model) < HEADER + data.len() && !claimed {
                                let old = model.pop_front().unwrap();
                                expected.dropped_bytes += old.len() as u64;
                                expected.dropped_writes += 1;
                            }
                        }
                        if HEADER + data.len() <= capacity - used(&model) {
                            expected.stored = true;
                            model.push_back(data.clone());
                        } else {
                            expected.dropped_bytes += data.len() as u64;
                            expected.dropped_writes += 1;
                        }
                        prop_assert_eq!(tx.push_record(&data), expected);
                    }
                    // Take everything, as the pipe's reader does, and parse the records back.
                    Op::Pop(_) => {
                        let mut out = vec![0; capacity];
                        let n = rx.pop(&mut out);
                        let mut rest = &out[..n];
                        while let Some((header, tail)) = rest.split_first_chunk::<HEADER>() {
                            let len = u32::from_le_bytes(*header) as usize;
                            let expected = model.pop_front();
                            prop_assert_eq!(Some(&tail[..len]), expected.as_deref());
                            rest = &tail[len..];
                        }
                        prop_assert!(rest.is_empty() && model.is_empty());
                        claimed = false;
                    }
                    // Hold the claim, as a reader does in the middle of a copy.
                    Op::Peek(_) => {
                        claimed = !rx.peek().is_empty();
                    }
                }
            }
        }
    }
}
