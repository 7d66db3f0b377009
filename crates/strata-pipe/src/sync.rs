//! The synchronisation primitives the pipe is built from: `std`'s normally, `loom`'s under `cfg(loom)`
//! so that the model checker sees every atomic access, lock and wait (see `loom_tests.rs`).

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicBool, AtomicU64, fence};
#[cfg(loom)]
pub(crate) use loom::sync::{Arc, Condvar, Mutex, MutexGuard};

#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{AtomicBool, AtomicU64, fence};
#[cfg(not(loom))]
pub(crate) use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// Keeps a value on its own cache line(s), so that the writer's and the reader's hot atomics do not
/// invalidate each other's lines (false sharing). 128 bytes covers adjacent-line prefetching.
#[derive(Debug, Default)]
#[repr(align(128))]
pub(crate) struct Padded<T>(pub(crate) T);

impl<T> std::ops::Deref for Padded<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}
