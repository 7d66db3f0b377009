//! The synchronisation primitives the pipe is built from: `std`'s normally, `loom`'s under `cfg(loom)`
//! so that the model checker sees every atomic access, lock and wait (see `loom_tests.rs`); and the
//! fence pair of the wake-up handshake ([`notifier_fence`], [`sleeper_fence`]).

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicBool, AtomicU64};
#[cfg(loom)]
pub(crate) use loom::sync::{Arc, Condvar, Mutex, MutexGuard};

#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{AtomicBool, AtomicU64};
#[cfg(not(loom))]
pub(crate) use std::sync::{Arc, Condvar, Mutex, MutexGuard};

pub(crate) use fences::{notifier_fence, prepare_fences, sleeper_fence};

/// The wake-up handshake (`pipe.rs`, `Shared::wait` and `Shared::wake`) needs a `SeqCst` fence on each
/// side: the sleeper raises its flag, fences, and looks at the state one last time; the notifier
/// changes the state, fences, and looks at the flag. Then one of them sees the other's store. The
/// notifier runs its fence on every read and write, right after copying the bytes, where a full
/// fence waits for all those stores to leave the store buffer (36% of the samples of
/// `perf record cargo bench -p strata-pipe --bench pipe --all-features -- 'x 1GiB/strata'` on a
/// 2-core Xeon, the largest item); the sleeper runs its fence only on its way to sleep.
///
/// On Linux the pair is made asymmetric, as `membarrier(2)` describes: the sleeper calls
/// `membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)`, which runs a full barrier on every CPU that runs a
/// thread of this process (a thread that is not running has passed through the kernel's barriers
/// already), and the notifier needs only a compiler fence that keeps its store before its look. If
/// the notifier looked at the flag before that barrier, its state change came before the barrier
/// too and the sleeper's last look sees it; if after, the flag raised before the system call is
/// what it sees. Elsewhere, or when the kernel refuses to register the process, both sides fence.
///
/// The price is paid on the way to sleep, which only comes after an end has polled and yielded
/// ([`Spin`](crate::pipe::Spin)): the system call and a brief interrupt of every other running
/// thread of the process. The wake-up latency did not change (`cargo bench -p strata-pipe --bench
/// pipe --all-features -- 'wake-up latency 8B/strata'`: 8.1–8.6 µs against 8.5–8.8 µs with two
/// fences, on a 2-core Xeon).
#[cfg(all(any(target_os = "linux", target_os = "android"), not(loom)))]
mod fences {
    use std::sync::OnceLock;
    use std::sync::atomic::Ordering::SeqCst;
    use std::sync::atomic::{compiler_fence, fence};

    use rustix::thread::{MembarrierCommand, membarrier, membarrier_query};

    /// Whether this process registered for `MEMBARRIER_CMD_PRIVATE_EXPEDITED`: decided once, by
    /// [`prepare_fences`], before any pipe's ends exist, and never changed after.
    static ASYMMETRIC: OnceLock<bool> = OnceLock::new();

    /// Decides how the fences of this process's pipes work; called before a pipe's ends are made,
    /// so that both ends see the same decision.
    pub(crate) fn prepare_fences() {
        ASYMMETRIC.get_or_init(|| {
            membarrier_query().contains_command(MembarrierCommand::PrivateExpedited)
                && membarrier(MembarrierCommand::RegisterPrivateExpedited).is_ok()
        });
    }

    fn asymmetric() -> bool {
        ASYMMETRIC.get() == Some(&true)
    }

    /// The notifier's half, between its state change and its look at the flag.
    pub(crate) fn notifier_fence() {
        if asymmetric() {
            compiler_fence(SeqCst);
        } else {
            fence(SeqCst);
        }
    }

    /// The sleeper's half, between raising its flag and its last look at the state.
    pub(crate) fn sleeper_fence() {
        // After the registration the kernel documents no way for this call to fail; if it ever
        // did, the local fence is the best that is left.
        if !(asymmetric() && membarrier(MembarrierCommand::PrivateExpedited).is_ok()) {
            fence(SeqCst);
        }
    }
}

/// Both halves are `SeqCst` fences (no `membarrier(2)` here, or loom, which models only those).
#[cfg(any(not(any(target_os = "linux", target_os = "android")), loom))]
mod fences {
    #[cfg(loom)]
    use loom::sync::atomic::fence;
    use std::sync::atomic::Ordering::SeqCst;
    #[cfg(not(loom))]
    use std::sync::atomic::fence;

    /// Nothing to decide: both halves are fences.
    pub(crate) fn prepare_fences() {}

    /// The notifier's half, between its state change and its look at the flag.
    pub(crate) fn notifier_fence() {
        fence(SeqCst);
    }

    /// The sleeper's half, between raising its flag and its last look at the state.
    pub(crate) fn sleeper_fence() {
        fence(SeqCst);
    }
}

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
