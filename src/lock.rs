//! The workspace lock, `.ft/lock`: one writer at a time per clone.
//!
//! Every command that changes files, or runs a git command that changes the
//! work tree (pull, rebase, commit, push), holds it. The holder writes its pid
//! and command line into the file, so that a waiter can say who it waits for
//! after a second, and gives up after a bounded time with a clear error. The
//! lock is an OS file lock (`flock`), released when the process ends however
//! it ends, so a crashed `ft` never leaves a stale lock behind.

use std::fs::{File, TryLockError};
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};

use crate::engagement::store::private_dir;
use crate::error::user_hint;

/// How long to wait for another `ft` before giving up, unless
/// `FT_LOCK_TIMEOUT` (seconds) says otherwise.
const DEFAULT_WAIT: Duration = Duration::from_secs(60);
/// When to tell the person who holds the lock.
const SAY_AFTER: Duration = Duration::from_secs(1);

/// Held while a command changes the workspace; released on drop.
pub struct Lock {
    _file: File,
}

impl Lock {
    /// The open, locked file: the lock lasts as long as it stays open.
    pub fn into_file(self) -> File {
        self._file
    }
}

/// Take the lock of the workspace at `root`, waiting for another `ft`.
pub fn acquire(root: &Path) -> Result<Lock> {
    let dir = root.join(".ft");
    private_dir(&dir)?;
    let path = dir.join("lock");
    let mut file = File::options()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open lock file `{}`", path.display()))?;
    let wait = wait_limit();
    let start = Instant::now();
    let mut said = false;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock `{}`", path.display()));
            }
        }
        let waited = start.elapsed();
        if waited >= wait {
            return Err(user_hint(
                format!(
                    "the workspace is busy: {} has held `{}` for over {}s",
                    holder(&mut file),
                    path.display(),
                    wait.as_secs()
                ),
                "wait for it to finish and run the command again; if it hangs, stop that process",
            ));
        }
        if waited >= SAY_AFTER && !said {
            said = true;
            eprintln!("waiting for {} to finish", holder(&mut file));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    // Say who holds it; a failure here only makes messages vaguer.
    let me = format!("pid {} ({})\n", std::process::id(), command_line());
    let _ = file
        .set_len(0)
        .and_then(|()| file.seek(SeekFrom::Start(0)))
        .and_then(|_| file.write_all(me.as_bytes()));
    Ok(Lock { _file: file })
}

/// While git rewrites the work tree (a rebase, a reset), writers hold
/// `.ft/tree` exclusively; commands that only read hold it shared, so they
/// never see a half-rebased workspace. Readers wait at most `READ_WAIT`, then
/// read anyway: a rebase is local and quick, and reading must not hang.
const READ_WAIT: Duration = Duration::from_secs(10);

/// Hold the work tree still for a reader; `None` when that is not possible
/// (a read-only workspace) or took too long.
pub fn reading(root: &Path) -> Option<File> {
    let file = tree_file(root)?;
    let start = Instant::now();
    while start.elapsed() < READ_WAIT {
        match file.try_lock_shared() {
            Ok(()) => return Some(file),
            Err(TryLockError::WouldBlock) => std::thread::sleep(Duration::from_millis(10)),
            Err(TryLockError::Error(_)) => return None,
        }
    }
    None
}

/// Keep readers out while git rewrites the work tree; the caller holds the workspace lock.
pub fn rewriting(root: &Path) -> Option<File> {
    let file = tree_file(root)?;
    file.lock().ok()?;
    Some(file)
}

fn tree_file(root: &Path) -> Option<File> {
    if !root.join(crate::workspace::FILE).is_file() {
        return None;
    }
    let dir = root.join(".ft");
    private_dir(&dir).ok()?;
    File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("tree"))
        .ok()
}

/// "pid 123 (ft note c hello)", as the holder wrote it.
fn holder(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file
        .seek(SeekFrom::Start(0))
        .and_then(|_| file.take(512).read_to_string(&mut text));
    let text = text.trim();
    if text.is_empty() {
        "another ft process".to_string()
    } else {
        format!("another ft process, {text},")
    }
}

fn wait_limit() -> Duration {
    std::env::var("FT_LOCK_TIMEOUT")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map_or(DEFAULT_WAIT, Duration::from_secs_f64)
}

/// This process's command line, shortened, for the lock file.
fn command_line() -> String {
    let mut args: Vec<String> = std::env::args().collect();
    if let Some(first) = args.first_mut() {
        *first = Path::new(first.as_str())
            .file_name()
            .map_or_else(|| first.clone(), |n| n.to_string_lossy().into_owned());
    }
    let line: String = args.join(" ").chars().filter(|c| !c.is_control()).collect();
    line.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_holder_is_written_into_the_lock_file() {
        let dir = tempfile::tempdir().unwrap();
        let lock = acquire(dir.path()).unwrap();
        let text = std::fs::read_to_string(dir.path().join(".ft/lock")).unwrap();
        assert!(
            text.starts_with(&format!("pid {} (", std::process::id())),
            "{text}"
        );
        drop(lock);
        // Released on drop: it can be taken again.
        drop(acquire(dir.path()).unwrap());
    }
}
