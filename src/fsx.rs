//! Confined, bounded file access: the one place `ft` opens files.
//!
//! A team workspace is a git repository anyone on the team can push to, so
//! every name in it is untrusted, links included. The workspace root is the
//! person's choice and is opened like any path; everything below it is
//! reached through a [`Dir`] handle one component at a time with `openat`
//! and `O_NOFOLLOW`, so a committed link (`.ft -> ~/elsewhere`,
//! `engagements/x.toml -> /dev/zero`) is refused with its name instead of
//! followed. Every read refuses what is not a regular file before opening it
//! (by a `stat`, or by the directory's listing when nothing cached needs the
//! `stat`; only a mount over a listed file, which takes root, gets past the
//! listing), checks again on the open file with the same message, opens
//! without blocking (a FIFO cannot hang), and stops after `max + 1` bytes
//! actually read, whatever size the file reports. Every write goes to a
//! temporary file in the same directory that is renamed over a regular file
//! or a new name, never through a link or over a device.

use std::ffi::OsStr;
use std::fs::{File, Metadata};
use std::io::{self, Read as _, Write as _};
use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno;

use crate::error::{user, user_hint};

/// Prefix and suffix of the temporary files of atomic writes.
pub const TEMP_PREFIX: &str = ".ft-";
pub const TEMP_SUFFIX: &str = ".tmp";

/// An open directory, with the path it was reached by (for messages).
pub struct Dir {
    fd: std::os::fd::OwnedFd,
    path: PathBuf,
}

/// A regular file opened for reading, with its metadata.
pub struct Regular {
    file: File,
    pub meta: Metadata,
    pub path: PathBuf,
}

/// What a name in a directory is, without following links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    File,
    Dir,
    Link,
    /// A device, FIFO or socket.
    Other,
}

fn kind_of(t: FileType) -> Kind {
    match t {
        FileType::RegularFile => Kind::File,
        FileType::Directory => Kind::Dir,
        FileType::Symlink => Kind::Link,
        _ => Kind::Other,
    }
}

fn describe(t: FileType) -> &'static str {
    match t {
        FileType::Fifo => "a FIFO",
        FileType::CharacterDevice => "a character device",
        FileType::BlockDevice => "a block device",
        FileType::Socket => "a socket",
        FileType::Directory => "a directory",
        FileType::Symlink => "a symbolic link",
        _ => "not a regular file",
    }
}

fn link_refused(verb: &str, path: &Path) -> anyhow::Error {
    user_hint(
        format!(
            "cannot {verb} `{}`: it is a symbolic link; ft does not follow links inside a workspace",
            path.display()
        ),
        "replace the link with the file or folder itself",
    )
}

/// What is said of a name that is not a regular file, found by a `stat` or
/// once open.
fn refused(path: &Path, t: FileType) -> anyhow::Error {
    match t {
        FileType::Symlink => link_refused("read", path),
        FileType::Directory => user(format!("`{}` is a directory, not a file", path.display())),
        t => not_regular(path, t),
    }
}

fn not_regular(path: &Path, t: FileType) -> anyhow::Error {
    user(format!(
        "`{}` is {}, not a regular file; ft reads and writes only regular files",
        path.display(),
        describe(t)
    ))
}

fn too_large(path: &Path, size: u64, max: usize) -> anyhow::Error {
    user(format!(
        "`{}` is {size} bytes; files over {max} bytes are refused",
        path.display()
    ))
}

fn io_err(e: Errno) -> io::Error {
    io::Error::from(e)
}

impl Dir {
    /// Open a directory the person named (the workspace root, a folder given
    /// on the command line); links in this path are theirs and followed.
    pub fn open(path: &Path) -> Result<Dir> {
        let fd = rustix::fs::open(
            path,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(io_err)
        .with_context(|| format!("cannot open `{}`", path.display()))?;
        Ok(Dir {
            fd,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// What `name` is, without following a link; `None` when it does not exist.
    pub fn kind(&self, name: &str) -> Result<Option<Kind>> {
        match rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) => Ok(Some(kind_of(FileType::from_raw_mode(st.st_mode as _)))),
            Err(Errno::NOENT) => Ok(None),
            Err(e) => Err(io_err(e))
                .with_context(|| format!("cannot read `{}`", self.join(name).display())),
        }
    }

    /// The real subdirectory `name`, never reached through a link; `None`
    /// when it does not exist.
    pub fn sub(&self, name: &str) -> Result<Option<Dir>> {
        let path = self.join(name);
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        match rustix::fs::openat(&self.fd, name, flags, Mode::empty()) {
            Ok(fd) => Ok(Some(Dir { fd, path })),
            Err(Errno::NOENT) => Ok(None),
            Err(Errno::LOOP | Errno::NOTDIR) => match self.kind(name)? {
                Some(Kind::Link) => Err(link_refused("open", &path)),
                _ => Err(user(format!(
                    "`{}` is not a directory; ft expects a folder there",
                    path.display()
                ))),
            },
            Err(e) => Err(io_err(e)).with_context(|| format!("cannot open `{}`", path.display())),
        }
    }

    /// [`Dir::sub`], creating the directory when it does not exist.
    pub fn sub_create(&self, name: &str) -> Result<Dir> {
        if let Some(d) = self.sub(name)? {
            return Ok(d);
        }
        match rustix::fs::mkdirat(&self.fd, name, Mode::from_raw_mode(0o755)) {
            Ok(()) | Err(Errno::EXIST) => {}
            Err(e) => {
                return Err(io_err(e))
                    .with_context(|| format!("cannot create `{}`", self.join(name).display()));
            }
        }
        self.sub(name)?
            .ok_or_else(|| user(format!("cannot create `{}`", self.join(name).display())))
    }

    /// Names in this directory with what each is (links not followed), sorted.
    pub fn entries(&self) -> Result<Vec<(std::ffi::OsString, Kind)>> {
        let mut out = self.unsorted()?;
        out.sort();
        Ok(out)
    }

    /// [`Dir::entries`] in the directory's own order.
    pub fn unsorted(&self) -> Result<Vec<(std::ffi::OsString, Kind)>> {
        let cannot = || format!("cannot read `{}`", self.path.display());
        let mut dir = rustix::fs::Dir::read_from(&self.fd)
            .map_err(io_err)
            .with_context(cannot)?;
        let mut out = Vec::new();
        while let Some(entry) = dir.read() {
            let entry = entry.map_err(io_err).with_context(cannot)?;
            let name = OsStr::from_bytes(entry.file_name().to_bytes());
            if name == "." || name == ".." {
                continue;
            }
            out.push((name.to_os_string(), kind_of(entry.file_type())));
        }
        Ok(out)
    }

    /// The status of the directory itself.
    pub fn stat(&self) -> Result<rustix::fs::Stat> {
        rustix::fs::fstat(&self.fd)
            .map_err(io_err)
            .with_context(|| format!("cannot read `{}`", self.path.display()))
    }

    /// The status of the regular file `name`, without opening it (a warm
    /// run only compares it with the cache): a link, device, FIFO or socket
    /// is refused as [`Dir::open_file`] refuses it.
    pub fn stat_file(&self, name: &str) -> Result<rustix::fs::Stat> {
        // The path is made only for a message: this runs once per file.
        let path = || self.join(name);
        let st = rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW)
            .map_err(io_err)
            .with_context(|| format!("cannot read `{}`", path().display()))?;
        match FileType::from_raw_mode(st.st_mode as _) {
            FileType::RegularFile => Ok(st),
            t => Err(refused(&path(), t)),
        }
    }

    /// Open the regular file `name` for reading: a link, device, FIFO or
    /// socket is refused before it is opened, and the open never blocks.
    pub fn open_file(&self, name: &str) -> Result<Regular> {
        self.stat_file(name)?;
        self.open_stated(name)
    }

    /// [`Dir::open_file`] for a file [`Dir::stat_file`] has just found
    /// regular, or that the directory's listing gave as regular: opened
    /// without following a link and without blocking, and refused unless
    /// still a regular file once open.
    pub fn open_stated(&self, name: &str) -> Result<Regular> {
        let path = self.join(name);
        let flags =
            OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
        let fd = match rustix::fs::openat(&self.fd, name, flags, Mode::empty()) {
            Ok(fd) => fd,
            // Made a link since it was stat'ed or listed.
            Err(Errno::LOOP) => return Err(link_refused("read", &path)),
            Err(e) => {
                return Err(io_err(e)).with_context(|| format!("cannot read `{}`", path.display()));
            }
        };
        Regular::new(File::from(fd), path)
    }

    /// Read the regular file `name` as UTF-8 text of at most `max` bytes.
    pub fn read_text(&self, name: &str, max: usize) -> Result<String> {
        self.open_file(name)?.read_text(max)
    }

    /// Create `name` with `bytes` unless something of that name exists
    /// (never through a link); true when it was created.
    pub fn create_new(&self, name: &str, bytes: &[u8]) -> Result<bool> {
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let path = self.join(name);
        match rustix::fs::openat(&self.fd, name, flags, Mode::from_raw_mode(0o644)) {
            Ok(fd) => {
                File::from(fd)
                    .write_all(bytes)
                    .with_context(|| format!("cannot write `{}`", path.display()))?;
                Ok(true)
            }
            Err(Errno::EXIST) => Ok(false),
            Err(e) => Err(io_err(e)).with_context(|| format!("cannot create `{}`", path.display())),
        }
    }

    /// Open `name` for writing without truncating it, creating it when
    /// missing, never through a link (for a lock file).
    pub fn open_or_create(&self, name: &str) -> Result<File> {
        let path = self.join(name);
        self.expect_file_or_nothing(name)?;
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&self.fd, name, flags, Mode::from_raw_mode(0o644))
            .map_err(io_err)
            .with_context(|| format!("cannot open `{}`", path.display()))?;
        let file = File::from(fd);
        if !file.metadata()?.file_type().is_file() {
            return Err(user(format!("`{}` is not a regular file", path.display())));
        }
        Ok(file)
    }

    /// Refuse `name` unless it is missing or a regular file.
    pub fn expect_file_or_nothing(&self, name: &str) -> Result<()> {
        match self.kind(name)? {
            None | Some(Kind::File) => Ok(()),
            Some(Kind::Link) => Err(user_hint(
                format!(
                    "cannot write `{}`: it is a symbolic link; ft writes only a new or regular file, never through a link",
                    self.join(name).display()
                ),
                "remove the link, or name the file itself",
            )),
            Some(Kind::Dir) => Err(user(format!(
                "`{}` is a directory, not a file",
                self.join(name).display()
            ))),
            Some(Kind::Other) => {
                let st = rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW)
                    .map_err(io_err)?;
                Err(not_regular(
                    &self.join(name),
                    FileType::from_raw_mode(st.st_mode as _),
                ))
            }
        }
    }

    /// Remove temporary files that a killed write left behind. Only call it
    /// where no other write can be under way (under the workspace lock), or
    /// with a minimum age.
    pub fn remove_temporaries(&self, older_than: std::time::Duration) {
        let Ok(entries) = self.entries() else {
            return;
        };
        for (name, kind) in entries {
            let Some(name) = name.to_str() else {
                continue;
            };
            if kind != Kind::File || !name.starts_with(TEMP_PREFIX) || !name.ends_with(TEMP_SUFFIX)
            {
                continue;
            }
            let old = self.open_file(name).is_ok_and(|f| {
                f.meta
                    .modified()
                    .ok()
                    .and_then(|m| m.elapsed().ok())
                    .is_some_and(|age| age >= older_than)
            });
            if old {
                let _ = rustix::fs::unlinkat(&self.fd, name, AtFlags::empty());
            }
        }
    }

    /// Replace or create `name` atomically: temporary file in this
    /// directory, fsync, rename, fsync of the directory. Refuses to replace
    /// anything but a regular file (a link, device, FIFO or directory).
    pub fn write_atomic(&self, name: &str, bytes: &[u8]) -> Result<()> {
        self.write_atomic_with(name, bytes, |_| Ok(()))
    }

    /// [`Dir::write_atomic`], calling `before_rename` with the temporary
    /// file's path once it is written and synced: tests inject a failure there.
    pub fn write_atomic_with(
        &self,
        name: &str,
        bytes: &[u8],
        before_rename: impl FnOnce(&Path) -> io::Result<()>,
    ) -> Result<()> {
        self.replace(name, |w| w.write_all(bytes), true, before_rename)
    }

    /// [`Dir::write_atomic`] without waiting for the disk, the bytes written
    /// by `write` (given the file, buffered): for a file that checks itself
    /// (the cache), which a crash may lose but never leaves half-written.
    pub fn write_atomic_unsynced(
        &self,
        name: &str,
        write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
    ) -> Result<()> {
        self.replace(name, write, false, |_| Ok(()))
    }

    fn replace(
        &self,
        name: &str,
        write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
        sync: bool,
        before_rename: impl FnOnce(&Path) -> io::Result<()>,
    ) -> Result<()> {
        self.expect_file_or_nothing(name)?;
        let path = self.join(name);
        let mode = match rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) => st.st_mode & 0o7777,
            Err(_) => 0o644,
        };
        let (tmp_name, file) = self.temporary(mode as _)?;
        let tmp = Temp {
            dir: self,
            name: tmp_name,
            armed: true,
        };
        let mut out = io::BufWriter::with_capacity(1 << 16, file);
        let written = write(&mut out).and_then(|()| out.flush());
        let file = out.into_parts().0;
        written
            .and_then(|()| if sync { file.sync_all() } else { Ok(()) })
            .and_then(|()| before_rename(&self.join(&tmp.name)))
            .with_context(|| format!("cannot write `{}`", path.display()))?;
        drop(file);
        rustix::fs::renameat(&self.fd, tmp.name.as_str(), &self.fd, name)
            .map_err(io_err)
            .with_context(|| format!("cannot replace `{}`", path.display()))?;
        tmp.disarm();
        if sync {
            let _ = rustix::fs::fsync(&self.fd);
        }
        Ok(())
    }

    /// A new temporary file in this directory, never through a link.
    fn temporary(&self, mode: u32) -> Result<(String, File)> {
        static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        for _ in 0..100 {
            let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let name = format!(
                "{TEMP_PREFIX}{}-{nanos:x}-{n}{TEMP_SUFFIX}",
                std::process::id()
            );
            match rustix::fs::openat(&self.fd, name.as_str(), flags, Mode::from_raw_mode(0o600)) {
                Ok(fd) => {
                    let file = File::from(fd);
                    // The mode the file will have, whatever the umask.
                    let _ = file.set_permissions(std::fs::Permissions::from_mode(mode));
                    return Ok((name, file));
                }
                Err(Errno::EXIST) => {}
                Err(e) => {
                    return Err(io_err(e)).with_context(|| {
                        format!(
                            "cannot create a temporary file in `{}`",
                            self.path.display()
                        )
                    });
                }
            }
        }
        Err(user(format!(
            "cannot create a temporary file in `{}`",
            self.path.display()
        )))
    }
}

/// A temporary file removed on drop unless renamed into place.
struct Temp<'a> {
    dir: &'a Dir,
    name: String,
    armed: bool,
}

impl Temp<'_> {
    fn disarm(mut self) {
        self.armed = false;
    }
}

impl Drop for Temp<'_> {
    fn drop(&mut self) {
        if self.armed {
            let _ = rustix::fs::unlinkat(&self.dir.fd, self.name.as_str(), AtFlags::empty());
        }
    }
}

impl Regular {
    fn new(file: File, path: PathBuf) -> Result<Regular> {
        let meta = file
            .metadata()
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        if !meta.file_type().is_file() {
            // Swapped between the check and the open: said as the check says it.
            use std::os::unix::fs::MetadataExt as _;
            return Err(refused(&path, FileType::from_raw_mode(meta.mode() as _)));
        }
        Ok(Regular { file, meta, path })
    }

    /// Exactly `len` bytes from `offset` (an error when the file is shorter).
    pub fn read_at(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        use std::os::unix::fs::FileExt as _;
        let mut bytes = vec![0; len];
        self.file.read_exact_at(&mut bytes, offset)?;
        Ok(bytes)
    }

    /// The bytes, refusing more than `max` by what is actually read.
    pub fn read_bytes(self, max: usize) -> Result<Vec<u8>> {
        self.bytes(max)
    }

    fn bytes(&self, max: usize) -> Result<Vec<u8>> {
        let cannot = || format!("cannot read `{}`", self.path.display());
        let size = usize::try_from(self.meta.len()).unwrap_or(usize::MAX);
        let mut bytes = Vec::new();
        if size < max {
            // Asked for a byte more than the file held when opened, a read
            // that gives exactly its size has reached its end: no second
            // read to find it. A file changed since has another stamp and
            // is read again; anything else reads on to the end.
            bytes.resize(size + 1, 0);
            let n = loop {
                match (&self.file).read(&mut bytes) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    got => break got.with_context(cannot)?,
                }
            };
            bytes.truncate(n);
            if n == size {
                return Ok(bytes);
            }
        }
        let left = (max as u64 + 1).saturating_sub(bytes.len() as u64);
        (&self.file)
            .take(left)
            .read_to_end(&mut bytes)
            .with_context(cannot)?;
        if bytes.len() > max {
            let size = self.meta.len().max(bytes.len() as u64);
            return Err(too_large(&self.path, size, max));
        }
        Ok(bytes)
    }

    /// The text, refusing more than `max` bytes and invalid UTF-8 (with `path:line:col`).
    pub fn read_text(self, max: usize) -> Result<String> {
        let path = &self.path;
        let bytes = self.bytes(max)?;
        String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let (line, col) =
                crate::error::line_col(&String::from_utf8_lossy(&e.as_bytes()[..valid]), valid);
            user(format!(
                "{}:{line}:{col}: the file is not valid UTF-8",
                path.display()
            ))
        })
    }
}

/// Open a file the person named (links followed: the path is theirs) for
/// reading, refusing a directory, device, FIFO or socket before opening it.
pub fn open_path(path: &Path) -> Result<Regular> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    if meta.is_dir() {
        return Err(user(format!(
            "`{}` is a directory, not a file",
            path.display()
        )));
    }
    if !meta.is_file() {
        use std::os::unix::fs::MetadataExt as _;
        return Err(not_regular(path, FileType::from_raw_mode(meta.mode() as _)));
    }
    let file = File::options()
        .read(true)
        .custom_flags((OFlags::NONBLOCK | OFlags::NOCTTY).bits() as i32)
        .open(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    Regular::new(file, path.to_path_buf())
}

/// Read a text file the person named, at most `max` bytes.
pub fn read_path(path: &Path, max: usize) -> Result<String> {
    open_path(path)?.read_text(max)
}

/// Write a file the person named (`--output`), atomically; only a new or
/// regular file is replaced, never a link, device or FIFO.
pub fn write_path(path: &Path, bytes: &[u8]) -> Result<()> {
    let (dir, name) = split(path)?;
    Dir::open(dir)?.write_atomic(name, bytes)
}

/// The directory and file name of a path, refusing paths without a file name.
pub fn split(path: &Path) -> Result<(&Path, &str)> {
    let name = path
        .file_name()
        .and_then(OsStr::to_str)
        .ok_or_else(|| user(format!("`{}` does not name a file", path.display())))?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok((dir, name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// `/proc` files report a length of 0 but hold text: the limit is what
    /// is actually read, not the length the file system reports.
    #[test]
    fn reads_are_bounded_by_bytes_read() {
        let f = open_path(Path::new("/proc/self/status")).unwrap();
        assert_eq!(f.meta.len(), 0);
        let e = f.read_bytes(10).unwrap_err();
        assert!(
            format!("{e:#}").contains("files over 10 bytes are refused"),
            "{e:#}"
        );
        assert!(read_path(Path::new("/proc/self/status"), 1 << 20).is_ok());
    }

    /// A file is read to its end whatever happened since it was opened:
    /// as long as it was, longer (appended to), or shorter.
    #[test]
    fn a_file_is_read_whole_when_it_changed_after_it_was_opened() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = Dir::open(tmp.path()).unwrap();
        let path = tmp.path().join("e.toml");
        for (written, then, expected) in [
            ("abc", None, "abc"),
            ("", None, ""),
            ("abc", Some("abcdef"), "abcdef"),
            ("abcdef", Some("ab"), "ab"),
        ] {
            std::fs::write(&path, written).unwrap();
            let f = dir.open_file("e.toml").unwrap();
            if let Some(then) = then {
                // The same file, changed in place.
                let mut w = File::options()
                    .write(true)
                    .truncate(true)
                    .open(&path)
                    .unwrap();
                w.write_all(then.as_bytes()).unwrap();
            }
            assert_eq!(
                f.read_text(100).unwrap(),
                expected,
                "{written:?} then {then:?}"
            );
        }
        std::fs::write(&path, "abcdef").unwrap();
        let f = dir.open_file("e.toml").unwrap();
        std::fs::write(&path, "a".repeat(200)).unwrap();
        let e = f.read_bytes(100).unwrap_err();
        assert!(format!("{e:#}").contains("over 100 bytes"), "{e:#}");
    }

    /// A file listed as regular but something else once opened (swapped
    /// since, or a mount over it) is refused as a `stat` would refuse it.
    #[test]
    fn an_open_refuses_what_a_stat_refuses_with_the_same_message() {
        let dev = Dir::open(Path::new("/dev")).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        symlink("/dev/zero", tmp.path().join("link.toml")).unwrap();
        std::fs::create_dir(tmp.path().join("dir.toml")).unwrap();
        let here = Dir::open(tmp.path()).unwrap();
        for (dir, name) in [(&dev, "zero"), (&here, "link.toml"), (&here, "dir.toml")] {
            let stat = format!("{:#}", dir.open_file(name).err().unwrap());
            let open = format!("{:#}", dir.open_stated(name).err().unwrap());
            assert_eq!(open, stat, "{name}");
        }
    }

    #[test]
    fn devices_are_refused_before_opening() {
        for dev in ["/dev/zero", "/dev/null"] {
            let e = read_path(Path::new(dev), 100).unwrap_err();
            assert!(format!("{e:#}").contains("a character device"), "{e:#}");
            assert!(write_path(Path::new(dev), b"x").is_err());
        }
        let d = Dir::open(Path::new("/dev")).unwrap();
        assert!(d.open_file("zero").is_err());
        assert!(d.open_or_create("null").is_err());
    }

    #[test]
    fn links_below_a_dir_are_refused_for_every_operation() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        let root = tmp.path().join("root");
        std::fs::create_dir(&root).unwrap();
        symlink(&outside, root.join("sub")).unwrap();
        symlink(outside.join("f"), root.join("f")).unwrap();
        let d = Dir::open(&root).unwrap();
        for e in [
            d.sub("sub").err(),
            d.sub_create("sub").err(),
            d.open_file("f").err(),
            d.write_atomic("f", b"x").err(),
            d.open_or_create("f").err(),
        ] {
            let e = format!("{:#}", e.expect("refused"));
            assert!(e.contains("symbolic link"), "{e}");
        }
        assert!(
            !d.create_new("f", b"x").unwrap(),
            "an existing link is not replaced"
        );
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
        assert_eq!(d.kind("f").unwrap(), Some(Kind::Link));
    }
}
