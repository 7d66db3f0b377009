//! `FileIo`: Python's `io.FileIO`, a raw unbuffered file opened with Python's mode strings.

use std::fs::{File, OpenOptions};
use std::io::{self, IsTerminal, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, ensure_open, unsupported};
use crate::iobase::{IoBase, RawIoBase};

/// A parsed Python file mode: `r`, `w`, `x` or `a`, optionally with `+`, with or without `b`.
///
/// # Examples
///
/// ```
/// use strata_raw::Mode;
///
/// let mode: Mode = "w+b".parse()?;
/// assert!(mode.readable() && mode.writable());
/// assert_eq!(mode.to_string(), "rb+"); // as Python's FileIO.mode reports it
/// assert!("rw".parse::<Mode>().is_err());
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mode {
    kind: ModeKind,
    plus: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ModeKind {
    Read,
    Write,
    Create,
    Append,
}

impl Mode {
    /// Whether the mode allows reading (`r`, or any mode with `+`).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_raw::Mode;
    ///
    /// assert!("rb".parse::<Mode>()?.readable());
    /// assert!("a+".parse::<Mode>()?.readable());
    /// assert!(!"w".parse::<Mode>()?.readable());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn readable(self) -> bool {
        self.kind == ModeKind::Read || self.plus
    }

    /// Whether the mode allows writing (`w`, `x`, `a`, or any mode with `+`).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_raw::Mode;
    ///
    /// assert!("xb".parse::<Mode>()?.writable());
    /// assert!("r+".parse::<Mode>()?.writable());
    /// assert!(!"r".parse::<Mode>()?.writable());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn writable(self) -> bool {
        self.kind != ModeKind::Read || self.plus
    }

    fn options(self) -> OpenOptions {
        let mut opts = OpenOptions::new();
        opts.read(self.readable());
        match self.kind {
            ModeKind::Read => opts.write(self.plus),
            ModeKind::Write => opts.write(true).create(true).truncate(true),
            ModeKind::Create => opts.write(true).create_new(true),
            ModeKind::Append => opts.append(true).create(true),
        };
        opts
    }
}

impl std::str::FromStr for Mode {
    type Err = io::Error;

    /// Parses a mode as Python's `FileIO` does.
    ///
    /// # Errors
    ///
    /// `"invalid mode: rt"` for a character outside `rwxab+`; `"Must have exactly one of
    /// create/read/write/append mode and at most one plus"` for a wrong combination.
    fn from_str(s: &str) -> io::Result<Mode> {
        let invalid = || Error::InvalidArgument(format!("invalid mode: {s}").into());
        let combination = || {
            Error::InvalidArgument(
                "Must have exactly one of create/read/write/append mode and at most one plus"
                    .into(),
            )
        };
        let (mut kind, mut plus) = (None, false);
        for c in s.chars() {
            let (next, seen) = match c {
                'r' => (Some(ModeKind::Read), kind.is_some()),
                'w' => (Some(ModeKind::Write), kind.is_some()),
                'x' => (Some(ModeKind::Create), kind.is_some()),
                'a' => (Some(ModeKind::Append), kind.is_some()),
                '+' => (None, std::mem::replace(&mut plus, true)),
                // Binary is the only mode a raw file has: `b` may appear any number of times, as
                // `io.FileIO` allows.
                'b' => (None, false),
                _ => return Err(invalid().into()),
            };
            if seen {
                return Err(combination().into());
            }
            kind = next.or(kind);
        }
        let kind = kind.ok_or_else(combination)?;
        Ok(Mode { kind, plus })
    }
}

impl std::fmt::Display for Mode {
    /// The mode as Python's `FileIO.mode` reports it: `rb`, `wb`, `xb`, `ab`, `rb+`, `xb+`, `ab+`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = match (self.kind, self.plus) {
            (ModeKind::Read, false) => "rb",
            (ModeKind::Write, false) => "wb",
            (ModeKind::Create, false) => "xb",
            (ModeKind::Append, false) => "ab",
            (ModeKind::Read | ModeKind::Write, true) => "rb+",
            (ModeKind::Create, true) => "xb+",
            (ModeKind::Append, true) => "ab+",
        };
        f.write_str(s)
    }
}

/// Python's `io.FileIO`: an unbuffered file, opened with a Python mode string.
///
/// It implements [`Read`], [`Write`] and [`Seek`] with one system call per operation (reads and writes
/// may be short), and [`IoBase`] with the mode's capabilities. Operations the mode does not allow fail
/// with [`io::ErrorKind::Unsupported`] and Python's message (`"File not open for writing"`); after
/// [`close`](IoBase::close) everything fails with the closed-file error.
///
/// # Examples
///
/// ```
/// use std::io::{Read, Write};
/// use strata_raw::FileIo;
/// use strata_raw::prelude::*;
///
/// let dir = std::env::temp_dir().join(format!("strata-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("data.bin");
/// let mut f = FileIo::open(&path, "w")?;
/// f.write_all(b"hello")?;
/// assert_eq!(f.tell()?, 5);
/// f.close()?;
///
/// let mut f = FileIo::open(&path, "rb")?;
/// assert_eq!(f.mode().to_string(), "rb");
/// assert_eq!(f.readall()?, b"hello");
/// assert!(f.write(b"x").is_err());
/// std::fs::remove_dir_all(&dir)?;
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct FileIo {
    file: Option<File>,
    name: PathBuf,
    mode: Mode,
}

impl FileIo {
    /// Opens `path` with a Python mode string (`"r"`, `"wb"`, `"a+"`, `"xb"`, …).
    ///
    /// `a` modes start positioned at the end of the file, and every write appends.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a bad mode string; the operating system's error otherwise, e.g.
    /// [`io::ErrorKind::AlreadyExists`] for `x` on an existing file or [`io::ErrorKind::NotFound`] for
    /// `r` on a missing one.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{ErrorKind, Write};
    /// use strata_raw::FileIo;
    /// use strata_raw::prelude::*;
    ///
    /// let dir = std::env::temp_dir().join(format!("strata-doc-open-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let path = dir.join("log.txt");
    ///
    /// FileIo::open(&path, "xb")?.write_all(b"one\n")?; // `x`: create, fail if it exists
    /// assert_eq!(FileIo::open(&path, "x").unwrap_err().kind(), ErrorKind::AlreadyExists);
    ///
    /// let mut f = FileIo::open(&path, "a")?; // `a`: positioned at the end, writes append
    /// assert_eq!(f.tell()?, 4);
    /// f.write_all(b"two\n")?;
    /// assert_eq!(FileIo::open(&path, "r")?.readall()?, b"one\ntwo\n");
    ///
    /// assert_eq!(FileIo::open(&path, "rt").unwrap_err().to_string(), "invalid mode: rt");
    /// let missing = FileIo::open(dir.join("missing"), "r").unwrap_err();
    /// assert_eq!(missing.kind(), ErrorKind::NotFound);
    /// std::fs::remove_dir_all(&dir)?;
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(path: impl AsRef<Path>, mode: &str) -> io::Result<FileIo> {
        let mode: Mode = mode.parse()?;
        let name = path.as_ref().to_path_buf();
        let mut file = mode.options().open(&name)?;
        if mode.kind == ModeKind::Append {
            file.seek(SeekFrom::End(0))?;
        }
        Ok(FileIo {
            file: Some(file),
            name,
            mode,
        })
    }

    /// Adopts an open file; `mode` states what it was opened for.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use strata_raw::FileIo;
    /// use strata_raw::prelude::*;
    ///
    /// let dir = std::env::temp_dir().join(format!("strata-doc-from-file-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let path = dir.join("data.bin");
    /// std::fs::write(&path, b"adopted")?;
    ///
    /// let file = std::fs::File::open(&path)?;
    /// let mut f = FileIo::from_file(file, &path, "rb".parse()?);
    /// assert_eq!(f.name(), path);
    /// assert_eq!(f.readall()?, b"adopted");
    /// assert!(!f.writable()?);
    /// assert_eq!(f.write(b"x").unwrap_err().to_string(), "File not open for writing");
    /// std::fs::remove_dir_all(&dir)?;
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_file(file: File, name: impl Into<PathBuf>, mode: Mode) -> FileIo {
        FileIo {
            file: Some(file),
            name: name.into(),
            mode,
        }
    }

    /// The path the file was opened with (Python's `name`); still available after close.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_raw::FileIo;
    /// use strata_raw::prelude::*;
    ///
    /// let dir = std::env::temp_dir().join(format!("strata-doc-name-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let path = dir.join("named.bin");
    /// let mut f = FileIo::open(&path, "wb")?;
    /// f.close()?;
    /// assert_eq!(f.name(), path);
    /// std::fs::remove_dir_all(&dir)?;
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name(&self) -> &Path {
        &self.name
    }

    /// The mode, as Python's `FileIO.mode` reports it.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_raw::FileIo;
    ///
    /// let dir = std::env::temp_dir().join(format!("strata-doc-mode-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let path = dir.join("mode.bin");
    /// assert_eq!(FileIo::open(&path, "w")?.mode().to_string(), "wb");
    /// assert_eq!(FileIo::open(&path, "w+")?.mode().to_string(), "rb+"); // as CPython reports it
    /// assert_eq!(FileIo::open(&path, "a+b")?.mode().to_string(), "ab+");
    /// assert!(FileIo::open(&path, "r")?.mode().readable());
    /// std::fs::remove_dir_all(&dir)?;
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The current position in bytes.
    ///
    /// # Errors
    ///
    /// The closed-file error once closed, or the operating system's error.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::{Seek, SeekFrom, Write};
    /// use strata_raw::FileIo;
    /// use strata_raw::prelude::*;
    ///
    /// let dir = std::env::temp_dir().join(format!("strata-doc-tell-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let mut f = FileIo::open(dir.join("tell.bin"), "w+b")?;
    /// assert_eq!(f.tell()?, 0);
    /// f.write_all(b"abcdef")?;
    /// assert_eq!(f.tell()?, 6);
    /// f.seek(SeekFrom::Start(2))?;
    /// f.read_bytes(Some(3))?;
    /// assert_eq!(f.tell()?, 5);
    /// f.close()?;
    /// assert_eq!(f.tell().unwrap_err().to_string(), "I/O operation on closed file.");
    /// std::fs::remove_dir_all(&dir)?;
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tell(&mut self) -> io::Result<u64> {
        self.file()?.stream_position()
    }

    /// Gives back the file, or `None` if it was closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Read;
    /// use strata_raw::FileIo;
    /// use strata_raw::prelude::*;
    ///
    /// let dir = std::env::temp_dir().join(format!("strata-doc-into-file-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let path = dir.join("into.bin");
    /// std::fs::write(&path, b"std again")?;
    ///
    /// let mut file = FileIo::open(&path, "rb")?.into_file().expect("open");
    /// let mut text = String::new();
    /// file.read_to_string(&mut text)?;
    /// assert_eq!(text, "std again");
    ///
    /// let mut f = FileIo::open(&path, "rb")?;
    /// f.close()?;
    /// assert!(f.into_file().is_none());
    /// std::fs::remove_dir_all(&dir)?;
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_file(self) -> Option<File> {
        self.file
    }

    fn file(&mut self) -> io::Result<&mut File> {
        self.file
            .as_mut()
            .ok_or_else(|| Error::Closed { op: None }.into())
    }

    fn reading(&mut self) -> io::Result<&mut File> {
        let readable = self.mode.readable();
        let file = self.file()?;
        if readable {
            Ok(file)
        } else {
            Err(unsupported("File not open for reading"))
        }
    }

    fn writing(&mut self) -> io::Result<&mut File> {
        let writable = self.mode.writable();
        let file = self.file()?;
        if writable {
            Ok(file)
        } else {
            Err(unsupported("File not open for writing"))
        }
    }
}

impl IoBase for FileIo {
    fn closed(&self) -> bool {
        self.file.is_none()
    }

    fn close(&mut self) -> io::Result<()> {
        // Dropping the handle closes it; `File` has no fallible close in std.
        self.file = None;
        Ok(())
    }

    fn readable(&self) -> io::Result<bool> {
        ensure_open(self.closed()).map(|()| self.mode.readable())
    }

    fn writable(&self) -> io::Result<bool> {
        ensure_open(self.closed()).map(|()| self.mode.writable())
    }

    fn seekable(&self) -> io::Result<bool> {
        ensure_open(self.closed()).map(|()| true)
    }

    #[cfg(unix)]
    fn fileno(&self) -> io::Result<i32> {
        use std::os::fd::AsRawFd;
        let file = self.file.as_ref().ok_or(Error::Closed { op: None })?;
        Ok(file.as_raw_fd())
    }

    fn isatty(&self) -> io::Result<bool> {
        let file = self.file.as_ref().ok_or(Error::Closed { op: None })?;
        Ok(file.is_terminal())
    }

    /// Resizes the file to `size` bytes (the current position when `None`); the position stays.
    ///
    /// Unlike the in-memory streams, a file grows (zero-filled) when `size` is past its end.
    fn truncate(&mut self, size: Option<u64>) -> io::Result<u64> {
        let file = self.writing()?;
        let size = match size {
            Some(size) => size,
            None => file.stream_position()?,
        };
        file.set_len(size)?;
        Ok(size)
    }
}

/// Python's `FileIO.read`, `readinto` and `readall`, from the one-system-call [`Read`] below.
impl RawIoBase for FileIo {}

impl Read for FileIo {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.reading()?.read(buf)
    }
}

impl Write for FileIo {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writing()?.write(buf)
    }

    /// Does nothing but check the file is open: `FileIo` holds no buffer.
    fn flush(&mut self) -> io::Result<()> {
        self.file().map(|_| ())
    }
}

impl Seek for FileIo {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.file()?.seek(pos)
    }
}
