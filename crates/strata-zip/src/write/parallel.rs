//! [`ZipBuilder::add_many`]: entries compressed on worker threads and written in input order, the
//! same bytes as adding them one by one with [`ZipBuilder::add_bytes`].
//!
//! Compressing an entry does not depend on where it lands in the archive, so each worker turns one
//! entry into a [`PreparedZipFile`] (its CRC-32, sizes and compressed bytes, made by the `zip` crate's
//! own compressor, with the options [`entry_options`] gives the serial path too) and the calling
//! thread appends them in order with [`zip::ZipWriter::add_prepared_file`], which writes the header,
//! the data and the directory record `add_bytes` would have. At most [`WINDOW_PER_THREAD`] entries per
//! worker are in flight (queued, being compressed, or done and waiting for their turn), so memory
//! stays bounded whatever the number of entries.

use std::any::Any;
use std::collections::VecDeque;
use std::io::{self, Seek, Write};
use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Mutex, PoisonError};
use std::thread;

use zip::write::PreparedZipFile;

use super::{ZipBuilder, entry_error, entry_options};
use crate::error::ZipError;
use crate::time::Timestamp;
use crate::write::Compression;

/// Entries in flight per worker: enough that a worker finds the next entry queued while the calling
/// thread appends the previous ones.
const WINDOW_PER_THREAD: usize = 2;

/// What a worker sends back for one entry.
type Prepared = io::Result<PreparedZipFile>;

/// One entry for a worker: its position in the input, the entry, its time, and where its result goes.
struct Job<N, D> {
    index: usize,
    name: N,
    data: D,
    compression: Compression,
    time: Timestamp,
    done: SyncSender<Prepared>,
}

impl<W: Write + Seek> ZipBuilder<W> {
    /// Sets how many worker threads [`add_many`](ZipBuilder::add_many) compresses on; the default
    /// is [`std::thread::available_parallelism`] (1 when it is unknown). The archive's bytes do not
    /// depend on it.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::num::NonZeroUsize;
    /// use strata_zip::{Compression, Timestamp, ZipBuilder};
    ///
    /// let entries = || (0..8).map(|i| (format!("{i}.txt"), "text ".repeat(i * 100), Compression::DEFAULT));
    /// let build = |threads| -> std::io::Result<bytes::Bytes> {
    ///     let mut zip = ZipBuilder::new().fixed_time(Timestamp::DOS_EPOCH).threads(threads);
    ///     zip.add_many(entries())?;
    ///     zip.finish()
    /// };
    /// let one = NonZeroUsize::MIN;
    /// let four = NonZeroUsize::new(4).expect("not zero");
    /// assert_eq!(build(one)?, build(four)?);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn threads(mut self, threads: NonZeroUsize) -> Self {
        self.threads = Some(threads);
        self
    }

    /// Adds every entry of `entries`, each a name, its data and how to compress it, in order:
    /// compressed in parallel on [`threads`](ZipBuilder::threads) scoped worker threads, appended by
    /// the calling thread. The archive is byte for byte what calling
    /// [`add_bytes`](ZipBuilder::add_bytes) on each entry in turn writes (with a
    /// [`fixed_time`](ZipBuilder::fixed_time); otherwise each entry is stamped when it is taken from
    /// `entries`).
    ///
    /// `entries` is consumed lazily on the calling thread: at most two entries per thread are held at
    /// once (their data and their compressed bytes), so a long iterator of large entries (files read
    /// one at a time, say) needs no more memory than a few of them. The data may borrow from the
    /// caller (`&[u8]`, `&str`) or be owned (`Vec<u8>`, [`bytes::Bytes`]).
    ///
    /// # Errors
    ///
    /// The error of the first entry, in input order, that fails, as [`add_bytes`](ZipBuilder::add_bytes)
    /// reports it: [`ZipError::InvalidName`], [`ZipError::InvalidLevel`],
    /// [`io::ErrorKind::InvalidInput`] for a name already in the archive, what the sink reports; and
    /// [`ZipError::WorkerPanicked`] when compressing an entry panics (the name's or the data's
    /// `AsRef` implementation, say), caught on the worker; what the system reports when it cannot
    /// start a single worker thread (given fewer threads than asked for, it goes on with those). The
    /// entries before the failing one are in the archive, none after it; as with `add_bytes`, discard
    /// the builder after an error.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::{Compression, Timestamp, ZipBuilder, ZipError, ZipReader};
    ///
    /// let pages: Vec<String> = (0..32).map(|i| format!("page {i}\n").repeat(1000)).collect();
    /// let entries = || pages.iter().enumerate().map(|(i, page)| (format!("pages/{i}.txt"), page, Compression::DEFAULT));
    ///
    /// let mut zip = ZipBuilder::new().fixed_time(Timestamp::DOS_EPOCH);
    /// zip.add_many(entries())?;
    /// let archive = zip.finish()?;
    ///
    /// // The same bytes as adding the entries one at a time.
    /// let mut serial = ZipBuilder::new().fixed_time(Timestamp::DOS_EPOCH);
    /// for (name, page, compression) in entries() {
    ///     serial.add_bytes(&name, page, compression)?;
    /// }
    /// assert_eq!(archive, serial.finish()?);
    /// assert_eq!(ZipReader::new(archive)?.read("pages/7.txt")?, pages[7].as_bytes());
    ///
    /// // The first bad entry in input order is the error.
    /// let bad = [("ok.txt", "fine", Compression::Stored), ("../up.txt", "", Compression::Stored),
    ///            ("worse.txt", "", Compression::Deflated(42))];
    /// let err = ZipBuilder::new().add_many(bad).unwrap_err();
    /// assert!(matches!(ZipError::of(&err), Some(ZipError::InvalidName { name, .. }) if name == "../up.txt"));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_many<I, N, D>(&mut self, entries: I) -> io::Result<()>
    where
        I: IntoIterator<Item = (N, D, Compression)>,
        N: AsRef<str> + Send,
        D: AsRef<[u8]> + Send,
    {
        let mut threads = self
            .threads
            .or_else(|| thread::available_parallelism().ok())
            .map_or(1, NonZeroUsize::get);
        let window = threads * WINDOW_PER_THREAD;
        let mut entries = entries.into_iter().enumerate();
        let (jobs, queue) = mpsc::sync_channel::<Job<N, D>>(window);
        let queue = Mutex::new(queue);
        let stop = AtomicBool::new(false);
        thread::scope(|scope| {
            // The results to append, oldest first; each is a job queued or on a worker.
            let mut pending: VecDeque<Receiver<Prepared>> = VecDeque::with_capacity(window);
            let mut workers = 0;
            let result = 'append: loop {
                while pending.len() < window {
                    let Some((index, (name, data, compression))) = entries.next() else {
                        break;
                    };
                    if workers < threads {
                        let worker = thread::Builder::new()
                            .name("strata-zip-worker".to_owned())
                            .spawn_scoped(scope, || work(&queue, &stop));
                        match worker {
                            Ok(_) => workers += 1,
                            // The system refuses more threads: go on with those running.
                            Err(_) if workers > 0 => threads = workers,
                            Err(err) => break 'append Err(err),
                        }
                    }
                    let (done, result) = mpsc::sync_channel(1);
                    let time = self.entry_time();
                    let job = Job {
                        index,
                        name,
                        data,
                        compression,
                        time,
                        done,
                    };
                    // Never blocks (the queue has room for the whole window) nor fails (its
                    // receiver lives until this function returns).
                    if jobs.send(job).is_err() {
                        break 'append Err(workers_gone());
                    }
                    pending.push_back(result);
                }
                let Some(next) = pending.pop_front() else {
                    break Ok(());
                };
                // A job is only dropped unanswered once `stop` is set, after this loop.
                let appended = next
                    .recv()
                    .unwrap_or_else(|_| Err(workers_gone()))
                    .and_then(|file| self.append(file));
                if let Err(err) = appended {
                    break Err(err);
                }
            };
            // Workers drop the jobs still queued, and quit when the queue closes.
            stop.store(true, Ordering::Relaxed);
            drop(jobs);
            result
        })
    }

    /// Appends an entry a worker compressed.
    fn append(&mut self, file: PreparedZipFile) -> io::Result<()> {
        let name = String::from_utf8_lossy(file.file_name_raw()).into_owned();
        self.zip
            .add_prepared_file(file)
            .map_err(|err| entry_error(&name, err))
    }
}

/// A worker: compresses the jobs it takes from `queue` until the queue closes or `stop` is set.
fn work<N, D>(queue: &Mutex<Receiver<Job<N, D>>>, stop: &AtomicBool)
where
    N: AsRef<str>,
    D: AsRef<[u8]>,
{
    loop {
        // The lock is held only while waiting for a job; nothing panics under it.
        let next = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(job) = next else {
            return;
        };
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let Job {
            index,
            name,
            data,
            compression,
            time,
            done,
        } = job;
        let prepared = panic::catch_unwind(AssertUnwindSafe(|| {
            prepare(name.as_ref(), data.as_ref(), compression, time)
        }))
        .unwrap_or_else(|payload| {
            let message = panic_message(payload.as_ref());
            Err(ZipError::WorkerPanicked { index, message }.into())
        });
        // The calling thread no longer listens once an earlier entry failed: nothing to report then.
        let _ = done.send(prepared);
    }
}

/// Compresses entry `name` as [`ZipBuilder::add_bytes`] would, ready to append anywhere.
fn prepare(name: &str, data: &[u8], compression: Compression, time: Timestamp) -> Prepared {
    let options = entry_options(name, compression, time, Some(data.len() as u64))?;
    PreparedZipFile::from_data(name, options, data).map_err(|err| entry_error(name, err))
}

/// The error for a job that no worker took or answered, which the design rules out.
fn workers_gone() -> io::Error {
    io::Error::other("add_many: the compression workers quit before the last entry")
}

/// A panic's message: the string it carried, if any.
fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "(a panic without a message)".to_owned()
    }
}
