//! The writer's non-blocking paths never allocate: a counting global allocator (per thread, so the
//! other tests running in parallel do not disturb the count) watches them.
//!
//! It lives in this binary rather than a separate one because it counts only the calling thread's
//! allocations; every other test merely pays one thread-local increment per allocation.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::{Read, Write};
use std::thread;

use strata_pipe::{Overflow, PipeBuilder};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: a thread being torn down may still allocate.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every call is forwarded unchanged to `System`, which upholds `GlobalAlloc`'s contract; the
// counter is a const-initialised thread-local `Cell` without a destructor, so touching it neither
// allocates nor recurses.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Allocations made by this thread while `f` runs.
fn allocations(f: impl FnOnce()) -> u64 {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn the_counter_sees_allocations() {
    assert!(allocations(|| drop(std::hint::black_box(vec![1u8; 10]))) >= 1);
}

#[test]
fn overwrite_oldest_writes_never_allocate() {
    let (mut writer, reader) = PipeBuilder::new()
        .capacity(4096)
        .overflow(Overflow::OverwriteOldest)
        .build()
        .unwrap();
    let block = [7u8; 1000];
    let n = allocations(|| {
        for _ in 0..10_000 {
            writer.write_all(&block).unwrap(); // overruns all the time
            writer.try_write(&block[..10]).unwrap();
        }
    });
    assert_eq!(n, 0);
    assert!(
        writer.stats().writes_dropped > 10_000,
        "{:?}",
        writer.stats()
    );
    drop(reader);
}

#[test]
fn fail_writes_that_store_never_allocate() {
    let (mut writer, mut reader) = PipeBuilder::new()
        .capacity(4096)
        .overflow(Overflow::Fail)
        .build()
        .unwrap();
    let block = [7u8; 1000];
    let mut sink = [0u8; 1000];
    let n = allocations(|| {
        for _ in 0..10_000 {
            assert_eq!(writer.write(&block).unwrap(), 1000);
            reader.read_exact(&mut sink).unwrap();
        }
        for _ in 0..4 {
            writer.write_all(&block).unwrap();
        }
        assert_eq!(
            writer.try_write(&block).unwrap(),
            96,
            "a short write, not an error"
        );
        // Completely full: the error is a bare kind, built without allocating.
        for _ in 0..1000 {
            let err = writer.try_write(&block).unwrap_err();
            assert_eq!(err.kind(), std::io::ErrorKind::WouldBlock);
            let err = writer.write(&block).unwrap_err();
            assert_eq!(strata_raw::Error::characters_written(&err), Some(0));
        }
    });
    assert_eq!(n, 0);
}

/// Waking a reader that sleeps takes the lock and signals the condition variable: no allocation.
#[test]
fn waking_a_sleeping_reader_does_not_allocate() {
    for overflow in [Overflow::Fail, Overflow::OverwriteOldest] {
        let (mut writer, mut reader) = PipeBuilder::new()
            .capacity(4096)
            .overflow(overflow)
            .build()
            .unwrap();
        let consumer = thread::spawn(move || {
            let mut all = Vec::new();
            reader.read_to_end(&mut all).map(|_| all.len())
        });
        let n = allocations(|| {
            for _ in 0..100 {
                writer.write_all(&[1; 10]).unwrap();
                thread::yield_now(); // gives the reader a chance to empty the pipe and sleep
            }
        });
        assert_eq!(n, 0, "{overflow:?}");
        drop(writer);
        assert_eq!(consumer.join().unwrap().unwrap(), 1000, "{overflow:?}");
    }
}

/// The same with an async reader on the other end: the writer wakes its task through tokio's waker
/// (the task is put on the runtime's queue and the runtime's thread unparked), still without
/// allocating and without waiting.
#[cfg(feature = "tokio")]
#[test]
fn waking_an_async_reader_does_not_allocate() {
    use tokio::io::AsyncReadExt;

    for overflow in [Overflow::Fail, Overflow::OverwriteOldest] {
        let (mut writer, reader) = PipeBuilder::new()
            .capacity(4096)
            .overflow(overflow)
            .build()
            .unwrap();
        let consumer = thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let mut reader = reader.into_async();
                let mut all = Vec::new();
                reader.read_to_end(&mut all).await.map(|_| all.len())
            })
        });
        let n = allocations(|| {
            for _ in 0..100 {
                writer.write_all(&[1; 10]).unwrap();
                // Long enough for the reader to empty the pipe, stop spinning and register its waker.
                thread::sleep(std::time::Duration::from_micros(200));
            }
        });
        assert_eq!(n, 0, "{overflow:?}");
        drop(writer);
        assert_eq!(consumer.join().unwrap().unwrap(), 1000, "{overflow:?}");
    }
}
