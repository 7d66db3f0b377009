//! Building a pipe ([`pipe`], [`PipeBuilder`]), its overflow policies, its statistics, and the
//! state both ends share: the ring, the close flags, and the lock and condition variables the blocking
//! slow paths wait on.

use std::io;
use std::sync::TryLockError;
use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};
use std::time::{Duration, Instant};

use strata_raw::Error;

use crate::reader::PipeReader;
use crate::ring::{self, Discard, HEADER};
use crate::sync::{
    AtomicBool, AtomicU64, Condvar, Mutex, MutexGuard, Padded, notifier_fence, prepare_fences,
    sleeper_fence,
};
use crate::writer::PipeWriter;

/// How often a sleeping reader looks again when the writer never blocks (see `Shared::try_wake`).
const MISSED_WAKE_POLL: Duration = Duration::from_millis(10);

/// The capacity [`PipeBuilder`] uses unless told otherwise: 64 KiB.
///
/// # Examples
///
/// ```
/// use strata_pipe::{DEFAULT_CAPACITY, PipeBuilder};
///
/// let (writer, _reader) = PipeBuilder::new().build()?;
/// assert_eq!(writer.free(), DEFAULT_CAPACITY);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const DEFAULT_CAPACITY: usize = 64 * 1024;

/// Makes a pipe that holds up to `capacity` bytes, with the [`Overflow::Block`] policy.
///
/// Shorthand for `PipeBuilder::new().capacity(capacity).build()`.
///
/// # Errors
///
/// [`Error::InvalidArgument`] ([`io::ErrorKind::InvalidInput`]) when `capacity` is 0: such a pipe
/// could never carry a byte, so every write would wait forever. [`io::ErrorKind::OutOfMemory`] when
/// the buffer cannot be allocated.
///
/// # Examples
///
/// ```
/// use std::io::{Read, Write};
///
/// let (mut writer, mut reader) = strata_pipe::pipe(1024)?;
/// let producer = std::thread::spawn(move || writer.write_all(b"hello from another thread"));
/// let mut text = String::new();
/// reader.read_to_string(&mut text)?; // the writer closes when it is dropped: end of file
/// producer.join().expect("writer thread")?;
/// assert_eq!(text, "hello from another thread");
///
/// assert!(strata_pipe::pipe(0).is_err());
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn pipe(capacity: usize) -> io::Result<(PipeWriter, PipeReader)> {
    PipeBuilder::new().capacity(capacity).build()
}

/// What a write does when the pipe is full.
///
/// # Examples
///
/// ```
/// use std::io::Write;
/// use strata_pipe::{Overflow, PipeBuilder};
///
/// let (mut writer, reader) = PipeBuilder::new().capacity(4).overflow(Overflow::Fail).build()?;
/// assert_eq!(writer.write(b"abcdef")?, 4); // a short write: what fits
/// let err = writer.write(b"g").unwrap_err();
/// assert_eq!(err.kind(), std::io::ErrorKind::WouldBlock);
/// # drop(reader);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Overflow {
    /// The writer waits until the reader makes room (or goes away). Nothing is lost.
    #[default]
    Block,
    /// The writer takes what fits and fails with [`io::ErrorKind::WouldBlock`] when nothing fits
    /// (`write_all`: [`Error::WouldBlock`] with the bytes it stored). Nothing is lost; the writer
    /// decides. Never blocks; never allocates, but for `write_all`'s error.
    Fail,
    /// Every write is kept whole or dropped whole: to make room, the oldest buffered writes are
    /// discarded (and counted in [`PipeStats`]). Never blocks, never allocates. The reader receives a
    /// subsequence of the writes, each complete, in order. See [`PipeWriter`] for the exact guarantee.
    OverwriteOldest,
}

/// Settings for a new pipe, and the way to make one: a pipe exists only as its two ends,
/// [`PipeWriter`] and [`PipeReader`], which [`build`](PipeBuilder::build) returns.
///
/// # Examples
///
/// ```
/// use strata_pipe::{Overflow, PipeBuilder};
///
/// let (writer, _reader) = PipeBuilder::new().capacity(256).overflow(Overflow::Fail).build()?;
/// assert_eq!(writer.overflow(), Overflow::Fail);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PipeBuilder {
    capacity: usize,
    overflow: Overflow,
}

impl PipeBuilder {
    /// A builder with [`DEFAULT_CAPACITY`] and [`Overflow::Block`] (also its `Default`).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_pipe::{Overflow, PipeBuilder};
    ///
    /// let (writer, _reader) = PipeBuilder::new().overflow(Overflow::Fail).build()?;
    /// assert_eq!(writer.stats().capacity, strata_pipe::DEFAULT_CAPACITY);
    /// assert_eq!(PipeBuilder::default(), PipeBuilder::new());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[doc(alias = "builder")]
    pub fn new() -> PipeBuilder {
        PipeBuilder {
            capacity: DEFAULT_CAPACITY,
            overflow: Overflow::Block,
        }
    }

    /// How many bytes of data the pipe holds (at least 1).
    ///
    /// Under [`Overflow::OverwriteOldest`] the ring also keeps a 4-byte length per buffered write, so
    /// it holds one write of up to `capacity` bytes, and a little less in many small writes.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    ///
    /// let (mut writer, _reader) = strata_pipe::PipeBuilder::new().capacity(3).build()?;
    /// assert_eq!(writer.try_write(b"abcd")?, 3);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn capacity(mut self, capacity: usize) -> PipeBuilder {
        self.capacity = capacity;
        self
    }

    /// What a write does when the pipe is full.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_pipe::{Overflow, PipeBuilder};
    ///
    /// let (mut writer, mut reader) =
    ///     PipeBuilder::new().capacity(3).overflow(Overflow::OverwriteOldest).build()?;
    /// writer.write_all(b"old")?;
    /// writer.write_all(b"new")?;
    /// assert_eq!(reader.drain()?, &b"new"[..]);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn overflow(mut self, overflow: Overflow) -> PipeBuilder {
        self.overflow = overflow;
        self
    }

    /// Makes the pipe and returns its two ends.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] ([`io::ErrorKind::InvalidInput`]) when the capacity is 0;
    /// [`io::ErrorKind::OutOfMemory`] when the buffer cannot be allocated.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = strata_pipe::PipeBuilder::new().capacity(0).build().unwrap_err();
    /// assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    /// assert_eq!(err.to_string(), "pipe capacity must be at least 1 byte, got 0");
    /// ```
    pub fn build(self) -> io::Result<(PipeWriter, PipeReader)> {
        if self.capacity == 0 {
            return Err(Error::InvalidArgument(
                "pipe capacity must be at least 1 byte, got 0".into(),
            )
            .into());
        }
        let (ring_size, discard) = match self.overflow {
            Overflow::OverwriteOldest => {
                let size = self.capacity.checked_add(HEADER).ok_or_else(|| {
                    io::Error::from(Error::InvalidArgument(
                        format!("pipe capacity {} is too large", self.capacity).into(),
                    ))
                })?;
                (size, Discard::OldestRecords)
            }
            Overflow::Block | Overflow::Fail => (self.capacity, Discard::Never),
        };
        let shared = Shared::new(self.capacity, self.overflow);
        let (producer, consumer) = ring::channel(ring_size, discard, shared)?;
        Ok((PipeWriter::new(producer), PipeReader::new(consumer)?))
    }
}

/// [`PipeBuilder::new`].
impl Default for PipeBuilder {
    fn default() -> PipeBuilder {
        PipeBuilder::new()
    }
}

/// Counters of a pipe, the same from either end; see [`PipeWriter::stats`] and [`PipeReader::stats`].
///
/// Counts are read one by one while the other end may be working, so they are exact once both ends
/// are idle. When they are, `bytes_written == bytes_read + bytes_dropped + bytes buffered`.
///
/// # Examples
///
/// ```
/// use std::io::{Read, Write};
///
/// let (mut writer, mut reader) = strata_pipe::pipe(16)?;
/// writer.write_all(b"12345678")?;
/// let mut buf = [0; 3];
/// reader.read_exact(&mut buf)?;
/// let stats = reader.stats();
/// assert_eq!((stats.bytes_written, stats.bytes_read, stats.high_water), (8, 3, 8));
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct PipeStats {
    /// The capacity the pipe was built with.
    pub capacity: usize,
    /// Bytes the writer accepted (under [`Overflow::OverwriteOldest`], including bytes dropped later).
    pub bytes_written: u64,
    /// Bytes the reader has taken.
    pub bytes_read: u64,
    /// Bytes discarded by [`Overflow::OverwriteOldest`].
    pub bytes_dropped: u64,
    /// Whole writes discarded by [`Overflow::OverwriteOldest`] (overruns).
    pub writes_dropped: u64,
    /// Times the writer had to wait for room under [`Overflow::Block`].
    pub writer_waits: u64,
    /// The most bytes the pipe held at once, as the writer saw it after each write (under
    /// [`Overflow::OverwriteOldest`] this counts each buffered write's 4-byte length too).
    pub high_water: usize,
}

/// Counters only the writer changes; on a line of their own.
#[derive(Debug, Default)]
struct WriterCounts {
    written: AtomicU64,
    dropped: AtomicU64,
    writes_dropped: AtomicU64,
    waits: AtomicU64,
    high_water: AtomicU64,
}

/// One side's "I am waiting" flag and the condition variable it sleeps on; with the `stream`
/// feature, the same for a task: a flag and the waker it registered.
#[derive(Debug, Default)]
struct Waiter {
    waiting: AtomicBool,
    wake: Condvar,
    #[cfg(feature = "stream")]
    task: TaskWaiter,
}

/// An async end's "I am waiting" flag and its waker. The waker is an [`atomic_waker::AtomicWaker`]:
/// registering and waking take no lock, so a writer that must never block can wake a task.
#[cfg(feature = "stream")]
#[derive(Debug, Default)]
struct TaskWaiter {
    waiting: AtomicBool,
    waker: atomic_waker::AtomicWaker,
}

#[cfg(feature = "stream")]
impl TaskWaiter {
    /// Wakes the task if it registered; the caller has fenced after changing the state.
    fn wake(&self) {
        if self.waiting.load(Relaxed) && self.waiting.swap(false, Relaxed) {
            self.waker.wake();
        }
    }
}

/// What both ends share beside the ring.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) capacity: usize,
    pub(crate) overflow: Overflow,
    /// A writer waiting for room under `Block` resumes once this much is free: half the pipe, at
    /// most 64 KiB. Waking it for every byte would make the two threads take turns at each read.
    pub(crate) resume_at: usize,
    writer_closed: Padded<AtomicBool>,
    reader_closed: Padded<AtomicBool>,
    counts: Padded<WriterCounts>,
    read: Padded<AtomicU64>,
    /// Taken only on the blocking slow paths and at close; holds the writer's closing error.
    lock: Mutex<Option<io::Error>>,
    /// The writer loads the reader's flag after every write: on a line of its own, away from the
    /// writer's flag and the lock, which the other side changes.
    reader: Padded<Waiter>,
    writer: Padded<Waiter>,
}

/// Which end a wait or a wake-up concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    Writer,
    Reader,
}

impl Shared {
    fn new(capacity: usize, overflow: Overflow) -> Shared {
        prepare_fences();
        Shared {
            capacity,
            overflow,
            resume_at: (capacity / 2).clamp(1, 64 * 1024),
            writer_closed: Padded::default(),
            reader_closed: Padded::default(),
            counts: Padded::default(),
            read: Padded::default(),
            lock: Mutex::new(None),
            reader: Padded::default(),
            writer: Padded::default(),
        }
    }

    fn waiter(&self, end: End) -> &Waiter {
        match end {
            End::Writer => &self.writer,
            End::Reader => &self.reader,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<io::Error>> {
        // A panic while holding the lock cannot leave the `Option` inconsistent.
        self.lock
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// Whether `end` has closed (or been dropped).
    pub(crate) fn closed(&self, end: End) -> bool {
        match end {
            End::Writer => self.writer_closed.load(Acquire),
            End::Reader => self.reader_closed.load(Acquire),
        }
    }

    /// Marks `end` closed, leaving `error` for the reader when the writer closes, and wakes the other
    /// end.
    pub(crate) fn close(&self, end: End, error: Option<io::Error>) {
        let mut slot = self.lock();
        if error.is_some() {
            *slot = error;
        }
        match end {
            End::Writer => self.writer_closed.store(true, Release),
            End::Reader => self.reader_closed.store(true, Release),
        }
        drop(slot);
        let other = match end {
            End::Writer => End::Reader,
            End::Reader => End::Writer,
        };
        self.wake(other);
    }

    /// The error the writer closed with, once.
    pub(crate) fn take_error(&self) -> Option<io::Error> {
        self.lock().take()
    }

    /// Waits as `end` until `ready()` holds, or until `deadline`; returns whether it holds (or
    /// whether `go()` did while polling).
    ///
    /// It first polls for `go()` (a few microseconds at most, see [`Spin`]), a condition that may
    /// be weaker than `ready()`: the writer goes on as soon as any byte fits, but sleeps until half
    /// the pipe is free, so that it is not woken for every read. Then it yields the processor a few
    /// times ([`Spin::yield_until`]), looking each time, and then it sleeps. The flag is raised
    /// before the last look at `ready()`, with [`sleeper_fence`] between; [`Shared::wake`] runs
    /// [`notifier_fence`] after the state changed and before it looks at the flag (the pair acts as
    /// two `SeqCst` fences, see `sync.rs`). So either this side sees the change, or the other side
    /// sees the flag, lowers it and takes the lock to notify. This side looks at the flag again
    /// under the lock and sleeps only if it is still raised, so the notifier either came before
    /// (the flag is down: look again instead of sleeping) or takes the lock once this side sleeps:
    /// no wake-up is lost.
    pub(crate) fn wait(
        &self,
        end: End,
        spin: &mut Spin,
        deadline: Option<Instant>,
        go: impl Fn() -> bool,
        ready: impl Fn() -> bool,
    ) -> bool {
        if spin.until(&go) || spin.yield_until(&go) {
            return true;
        }
        let waiter = self.waiter(end);
        loop {
            // A read-modify-write, not a plain store: with a store, loom finds an execution in
            // which the notifier's swap misses the flag and the wake-up is lost. This is the slow
            // path; the read-modify-write costs nothing that matters here.
            waiter.waiting.swap(true, Relaxed);
            sleeper_fence();
            if ready() {
                waiter.waiting.store(false, Relaxed);
                return true;
            }
            // A reader of a pipe whose writer never blocks also looks again every
            // `MISSED_WAKE_POLL`: such a writer only tries the lock to notify (see `try_wake`).
            let poll = (end == End::Reader && self.overflow != Overflow::Block)
                .then_some(MISSED_WAKE_POLL);
            let now = Instant::now();
            let timeout = match (deadline, poll) {
                (None, None) => None,
                (Some(deadline), _) if now >= deadline => {
                    waiter.waiting.store(false, Relaxed);
                    return false;
                }
                (Some(deadline), poll) => Some((deadline - now).min(poll.unwrap_or(Duration::MAX))),
                (None, poll) => poll,
            };
            let guard = self.lock();
            // A notifier lowers the flag before it takes the lock to notify. Lowered now, it may
            // have notified before this side took the lock, and the notification would be lost
            // on a sleep: look again instead. Still raised, any notifier that lowers it takes the
            // lock after this side sleeps, and its notification reaches the sleeper.
            if !waiter.waiting.load(Relaxed) {
                continue;
            }
            // The sleeper's fence runs before the lock is taken: with `membarrier(2)` it takes
            // microseconds, and a notifier that saw the flag would wait for the lock all along.
            drop(match timeout {
                None => waiter
                    .wake
                    .wait(guard)
                    .unwrap_or_else(|poison| poison.into_inner()),
                Some(timeout) => match waiter.wake.wait_timeout(guard, timeout) {
                    Ok((guard, _)) => guard,
                    Err(poison) => poison.into_inner().0,
                },
            });
            // Woken, most often by a notifier after its change: a look without the fence first,
            // which keeps `membarrier(2)` off the wake-up's latency.
            if ready() {
                waiter.waiting.store(false, Relaxed);
                return true;
            }
        }
    }

    /// Wakes `end` if it sleeps in [`Shared::wait`]. Costs a [`notifier_fence`] (on Linux, a compiler
    /// fence only) and a load when it does not.
    ///
    /// This side lowers the flag before it takes the lock; the sleeper looks at the flag under the
    /// lock and holds the lock until the condition variable releases it as it sleeps. So either the
    /// sleeper finds the flag lowered and does not sleep, or this side takes the lock only once the
    /// sleeper waits on the condition variable (or has already been woken): the notification, sent
    /// after the lock is released, reaches it, and it does not wake up only to find the lock still
    /// held.
    pub(crate) fn wake(&self, end: End) {
        let waiter = self.waiter(end);
        notifier_fence();
        if waiter.waiting.load(Relaxed) && waiter.waiting.swap(false, Relaxed) {
            drop(self.lock());
            waiter.wake.notify_one();
        }
        #[cfg(feature = "stream")]
        waiter.task.wake();
    }

    /// [`Shared::wake`] for a writer that must never block: it only tries the lock. When the
    /// sleeper holds it (between its look at the flag and its sleep, a few instructions), the flag is
    /// raised again so that the next write retries, and the sleeper looks again within
    /// `MISSED_WAKE_POLL` in any case. A waiting task is woken through its `AtomicWaker`, which
    /// takes no lock; what the waker itself runs is the executor's code (tokio's pushes the task on
    /// its run queue, under a short lock of its scheduler when called from outside the runtime).
    pub(crate) fn try_wake(&self, end: End) {
        let waiter = self.waiter(end);
        notifier_fence();
        if waiter.waiting.load(Relaxed) && waiter.waiting.swap(false, Relaxed) {
            // As in `wake`, the notification follows the lock's release.
            match self.lock.try_lock() {
                Ok(guard) => {
                    drop(guard);
                    waiter.wake.notify_one();
                }
                Err(TryLockError::Poisoned(poison)) => {
                    drop(poison.into_inner());
                    waiter.wake.notify_one();
                }
                Err(TryLockError::WouldBlock) => {
                    waiter.waiting.swap(true, Relaxed);
                }
            }
        }
        #[cfg(feature = "stream")]
        waiter.task.wake();
    }

    /// [`Shared::wait`] for a task: polls for `go()` as a thread does (at most `Spin::MAX`, then
    /// `Spin::YIELDS` yields of the processor), then registers `waker` and returns `false` unless
    /// `ready()` holds. The protocol is the thread's, with the waker for the condition variable: the
    /// flag is raised after the waker is registered and before the last look at `ready()`, with
    /// [`sleeper_fence`] between, and [`Shared::wake`] runs [`notifier_fence`] before it looks at
    /// the flag; so either this side sees the change, or the other side sees the flag and wakes the
    /// registered waker. No lock is taken on either side.
    #[cfg(feature = "stream")]
    pub(crate) fn poll_wait(
        &self,
        end: End,
        spin: &mut Spin,
        waker: &std::task::Waker,
        go: impl Fn() -> bool,
        ready: impl Fn() -> bool,
    ) -> bool {
        if spin.until(&go) || spin.yield_until(&go) {
            return true;
        }
        let task = &self.waiter(end).task;
        task.waker.register(waker);
        task.waiting.swap(true, Relaxed);
        sleeper_fence();
        if ready() {
            task.waiting.store(false, Relaxed);
            return true;
        }
        false
    }

    /// Counts the bytes a write accepted and the pipe's fill level after it: `len_at_most` bounds
    /// it from above without a look at the other end, and `len()` is asked only when that bound is a
    /// new high-water mark (once the pipe has been full, never).
    pub(crate) fn count_write(
        &self,
        accepted: usize,
        len_at_most: usize,
        len: impl FnOnce() -> usize,
    ) {
        add(&self.counts.written, accepted as u64);
        let high_water = self.counts.high_water.load(Relaxed);
        if len_at_most as u64 > high_water {
            let len = len() as u64;
            if len > high_water {
                self.counts.high_water.store(len, Relaxed);
            }
        }
    }

    /// Counts what an overwrite discarded.
    pub(crate) fn count_dropped(&self, bytes: u64, writes: u64) {
        add(&self.counts.dropped, bytes);
        add(&self.counts.writes_dropped, writes);
    }

    /// Counts one wait of the writer.
    pub(crate) fn count_wait(&self) {
        add(&self.counts.waits, 1);
    }

    /// Counts bytes the reader took.
    pub(crate) fn count_read(&self, n: usize) {
        add(&self.read, n as u64);
    }

    pub(crate) fn stats(&self) -> PipeStats {
        PipeStats {
            capacity: self.capacity,
            bytes_written: self.counts.written.load(Relaxed),
            bytes_read: self.read.load(Relaxed),
            bytes_dropped: self.counts.dropped.load(Relaxed),
            writes_dropped: self.counts.writes_dropped.load(Relaxed),
            writer_waits: self.counts.waits.load(Relaxed),
            high_water: self.counts.high_water.load(Relaxed) as usize,
        }
    }
}

/// How long one end polls before it sleeps, adapted to how polling went: when the other side is
/// busy on another core, the bytes or the room it is about to make usually come sooner than a sleep
/// and a wake-up (two system calls) would, so a poll that succeeds doubles the next one (up to
/// `MAX`); when both threads share a core, polling only delays the thread it waits for, so a poll
/// that fails halves the next one (down to `MIN`). The budget is time, not iterations: a
/// `spin_loop` hint takes a few cycles on some processors and over a hundred on others. A thread
/// then yields a few times before it sleeps: see [`Spin::yield_until`]. A task does the same before
/// it registers its waker, so it holds its executor's thread for at most `MAX` plus `YIELDS` yields
/// of the processor per wait: against waking a parked executor thread (a system call on each side),
/// this made the async ends as fast as the sync ones (see the pipe benchmark's async groups).
#[derive(Debug, Clone, Copy)]
#[cfg_attr(loom, allow(dead_code))] // loom builds never poll
pub(crate) struct Spin(Duration);

#[cfg_attr(loom, allow(dead_code))]
impl Spin {
    const MIN: Duration = Duration::from_micros(1);
    const MAX: Duration = Duration::from_micros(32);
    /// How many times a thread yields before it sleeps (see `yield_until`).
    const YIELDS: u32 = 8;

    /// Polls `go` for up to the current budget; true if it held.
    #[cfg(not(loom))]
    fn until(&mut self, go: &impl Fn() -> bool) -> bool {
        let start = Instant::now();
        loop {
            for _ in 0..16 {
                if go() {
                    self.0 = (self.0 * 2).min(Spin::MAX);
                    return true;
                }
                std::hint::spin_loop();
            }
            if start.elapsed() >= self.0 {
                self.0 = (self.0 / 2).max(Spin::MIN);
                return false;
            }
        }
    }

    /// After a poll that failed, a thread yields the processor up to `YIELDS` times, looking
    /// after each; true if `go` held. When the other end runs on the same core (the machine is
    /// busy), this hands the core over at once and it makes its bytes or room without a wake-up
    /// (two system calls and a context switch on each side); when nothing else waits for the core,
    /// the yield returns at once, a slower spin; when another process does, the few yields are
    /// bounded, and then the thread sleeps.
    #[cfg(not(loom))]
    fn yield_until(&self, go: &impl Fn() -> bool) -> bool {
        (0..Spin::YIELDS).any(|_| {
            std::thread::yield_now();
            go()
        })
    }

    /// Under loom a sleep is modelled directly: polling would only multiply the interleavings.
    #[cfg(loom)]
    fn until(&mut self, _go: &impl Fn() -> bool) -> bool {
        false
    }

    /// As `until` under loom.
    #[cfg(loom)]
    fn yield_until(&self, _go: &impl Fn() -> bool) -> bool {
        false
    }
}

impl Default for Spin {
    fn default() -> Spin {
        Spin(Duration::from_micros(8))
    }
}

/// Adds to a counter that only one thread changes: a load and a store, no read-modify-write.
fn add(counter: &AtomicU64, n: u64) {
    if n > 0 {
        counter.store(counter.load(Relaxed) + n, Relaxed);
    }
}
