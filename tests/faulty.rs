//! `Faulty`: a raw stream that injects faults on a schedule, for the fault-contract tests.
//!
//! It is a file in memory (readable, writable, seekable) whose `read` and `write` calls follow a
//! [`Plan`]: every call takes at most [`Plan::chunk`] bytes (short counts), and chosen calls fail
//! instead, with [`Fault::Interrupted`], an `EIO` error, a count larger than the caller's buffer, or a
//! panic. A faulty call touches nothing, so once the faults clear, a layer that keeps its progress
//! reads or writes exactly the bytes a fault-free run would. Calls are counted across reads and
//! writes, from 1. The state sits behind a shared handle, so a test can watch the file and change the
//! plan while a buffered or text layer owns the stream.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::rc::Rc;

use strata_raw::{IoBase, ensure_open};

/// The `errno` of an I/O error (`EIO` on Linux).
pub const EIO: i32 = 5;

/// What a faulty call does instead of its work.
///
/// # Examples
///
/// ```
/// use std::io::Read;
/// use strata_tests::faulty::{Fault, Faulty, Plan, EIO};
///
/// let mut raw = Faulty::new(b"abc", Plan::clean().at(1, Fault::Eio));
/// assert_eq!(raw.read(&mut [0; 4]).unwrap_err().raw_os_error(), Some(EIO));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Fails with [`io::ErrorKind::Interrupted`], as a signal would (the caller retries).
    Interrupted,
    /// Fails with `EIO`.
    Eio,
    /// Returns a count one larger than the caller's buffer (Python: "raw readinto() returned invalid
    /// length"), touching nothing.
    Overcount,
    /// Panics.
    Panic,
}

/// When calls fail and how many bytes a call takes.
///
/// # Examples
///
/// ```
/// use strata_tests::faulty::{Fault, Plan};
///
/// // The setup of issue 17: 3 bytes a call, EIO on every 4th call.
/// let plan = Plan::chunk(3).every(4, Fault::Eio);
/// assert_eq!(plan.fault(8), Some(Fault::Eio));
/// assert_eq!(plan.fault(9), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The most bytes one call reads or writes (`usize::MAX`: no limit).
    pub chunk: usize,
    /// A fault on every call whose number is a multiple of the first field.
    pub every: Option<(usize, Fault)>,
    /// A fault on every call from this number on.
    pub from: Option<(usize, Fault)>,
    /// Faults on single calls, by call number.
    pub at: BTreeMap<usize, Fault>,
}

impl Plan {
    /// No faults, and no limit on the bytes a call takes.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tests::faulty::Plan;
    ///
    /// assert_eq!(Plan::clean().fault(1), None);
    /// ```
    pub fn clean() -> Plan {
        Plan::chunk(usize::MAX)
    }

    /// No faults; each call takes at most `chunk` bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tests::faulty::Plan;
    ///
    /// assert_eq!(Plan::chunk(3).chunk, 3);
    /// ```
    pub fn chunk(chunk: usize) -> Plan {
        Plan {
            chunk: chunk.max(1),
            ..Plan::default()
        }
    }

    /// With `fault` on every `n`th call.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tests::faulty::{Fault, Plan};
    ///
    /// assert_eq!(Plan::clean().every(2, Fault::Eio).fault(4), Some(Fault::Eio));
    /// ```
    pub fn every(mut self, n: usize, fault: Fault) -> Plan {
        self.every = Some((n.max(1), fault));
        self
    }

    /// With `fault` on call `n` and every later call.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tests::faulty::{Fault, Plan};
    ///
    /// let plan = Plan::clean().from(3, Fault::Panic);
    /// assert_eq!((plan.fault(2), plan.fault(9)), (None, Some(Fault::Panic)));
    /// ```
    pub fn from(mut self, n: usize, fault: Fault) -> Plan {
        self.from = Some((n, fault));
        self
    }

    /// With `fault` on call `n`.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tests::faulty::{Fault, Plan};
    ///
    /// assert_eq!(Plan::clean().at(5, Fault::Overcount).fault(5), Some(Fault::Overcount));
    /// ```
    pub fn at(mut self, n: usize, fault: Fault) -> Plan {
        self.at.insert(n, fault);
        self
    }

    /// The fault of call `n`, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tests::faulty::{Fault, Plan};
    ///
    /// assert_eq!(Plan::clean().every(3, Fault::Eio).fault(3), Some(Fault::Eio));
    /// ```
    pub fn fault(&self, n: usize) -> Option<Fault> {
        self.at
            .get(&n)
            .copied()
            .or_else(|| self.from.filter(|&(from, _)| n >= from).map(|(_, f)| f))
            .or_else(|| {
                self.every
                    .filter(|&(k, _)| n.is_multiple_of(k))
                    .map(|(_, f)| f)
            })
    }
}

/// The file and the log behind a [`Faulty`] stream.
#[derive(Debug, Default)]
pub struct State {
    /// The file's bytes.
    pub data: Vec<u8>,
    /// The position.
    pub pos: usize,
    /// The schedule of faults.
    pub plan: Plan,
    /// `read` and `write` calls so far.
    pub calls: usize,
    /// Faults injected so far.
    pub injected: usize,
    /// Closed by `close`.
    pub closed: bool,
}

/// The fault-injecting raw stream; clones share one file.
///
/// # Examples
///
/// ```
/// use std::io::{ErrorKind, Read};
/// use strata_tests::faulty::{Fault, Faulty, Plan};
///
/// let mut raw = Faulty::new(b"0123456789", Plan::chunk(3).every(2, Fault::Eio));
/// let mut buf = [0; 8];
/// assert_eq!(raw.read(&mut buf)?, 3);
/// assert_eq!(raw.read(&mut buf).unwrap_err().raw_os_error(), Some(5));
/// raw.set_plan(Plan::clean()); // the faults clear
/// assert_eq!(raw.read(&mut buf)?, 7);
/// assert_eq!(raw.state().injected, 1);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Faulty(Rc<RefCell<State>>);

impl Faulty {
    /// A stream over a copy of `data`, at position 0, following `plan`.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tests::faulty::{Faulty, Plan};
    ///
    /// assert_eq!(Faulty::new(b"abc", Plan::clean()).data(), b"abc");
    /// ```
    pub fn new(data: &[u8], plan: Plan) -> Faulty {
        Faulty(Rc::new(RefCell::new(State {
            data: data.to_vec(),
            plan,
            ..State::default()
        })))
    }

    /// The state, borrowed.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tests::faulty::{Faulty, Plan};
    ///
    /// assert_eq!(Faulty::new(b"", Plan::clean()).state().calls, 0);
    /// ```
    pub fn state(&self) -> std::cell::Ref<'_, State> {
        self.0.borrow()
    }

    /// A copy of the file's bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_tests::faulty::{Faulty, Plan};
    ///
    /// let mut raw = Faulty::new(b"", Plan::clean());
    /// raw.write_all(b"xy")?;
    /// assert_eq!(raw.data(), b"xy");
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn data(&self) -> Vec<u8> {
        self.0.borrow().data.clone()
    }

    /// Replaces the plan (call numbers keep counting).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_tests::faulty::{Fault, Faulty, Plan};
    ///
    /// let raw = Faulty::new(b"", Plan::clean().every(1, Fault::Eio));
    /// raw.set_plan(Plan::clean());
    /// assert_eq!(raw.state().plan, Plan::clean());
    /// ```
    pub fn set_plan(&self, plan: Plan) {
        self.0.borrow_mut().plan = plan;
    }

    /// Counts a call; returns how many bytes it may take, or what it does instead.
    fn call(&self, len: usize) -> io::Result<Result<usize, usize>> {
        let mut state = self.0.borrow_mut();
        ensure_open(state.closed)?;
        state.calls += 1;
        let fault = state.plan.fault(state.calls);
        if fault.is_some() {
            state.injected += 1;
        }
        let chunk = state.plan.chunk;
        drop(state);
        match fault {
            None => Ok(Ok(len.min(chunk))),
            Some(Fault::Overcount) => Ok(Err(len + 1)),
            Some(Fault::Panic) => panic!("injected panic in a raw call"),
            Some(Fault::Interrupted) => Err(io::ErrorKind::Interrupted.into()),
            Some(Fault::Eio) => Err(io::Error::from_raw_os_error(EIO)),
        }
    }
}

impl IoBase for Faulty {
    fn closed(&self) -> bool {
        self.0.borrow().closed
    }

    fn close(&mut self) -> io::Result<()> {
        self.0.borrow_mut().closed = true;
        Ok(())
    }

    fn readable(&self) -> io::Result<bool> {
        ensure_open(self.closed()).map(|()| true)
    }

    fn writable(&self) -> io::Result<bool> {
        ensure_open(self.closed()).map(|()| true)
    }

    fn seekable(&self) -> io::Result<bool> {
        ensure_open(self.closed()).map(|()| true)
    }

    fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        let mut state = self.0.borrow_mut();
        ensure_open(state.closed)?;
        let size = size.unwrap_or(state.pos as u64);
        state
            .data
            .resize(usize::try_from(size).unwrap_or(usize::MAX), 0);
        Ok(size)
    }
}

impl Read for Faulty {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let limit = match self.call(buf.len())? {
            Ok(limit) => limit,
            Err(lie) => return Ok(lie),
        };
        let mut state = self.0.borrow_mut();
        let start = state.pos.min(state.data.len());
        let n = limit.min(state.data.len() - start);
        buf[..n].copy_from_slice(&state.data[start..start + n]);
        state.pos = start + n;
        Ok(n)
    }
}

impl Write for Faulty {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = match self.call(buf.len())? {
            Ok(n) => n,
            Err(lie) => return Ok(lie),
        };
        let mut state = self.0.borrow_mut();
        let start = state.pos;
        if state.data.len() < start + n {
            state.data.resize(start + n, 0);
        }
        state.data[start..start + n].copy_from_slice(&buf[..n]);
        state.pos = start + n;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        ensure_open(self.closed())
    }
}

impl Seek for Faulty {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let mut state = self.0.borrow_mut();
        ensure_open(state.closed)?;
        let target = match pos {
            SeekFrom::Start(n) => i128::from(n),
            SeekFrom::Current(d) => state.pos as i128 + i128::from(d),
            SeekFrom::End(d) => state.data.len() as i128 + i128::from(d),
        };
        state.pos = usize::try_from(target)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "negative seek position"))?;
        Ok(state.pos as u64)
    }
}
