//! A cache of loaded engagement files, in the spirit of git's index.
//!
//! Parsing every TOML file on every run is what makes `ft` slow on a large
//! workspace, so `.ft/cache` keeps each file's loaded result keyed by its
//! name, size, modification and change times, inode and device. A file whose
//! stamp differs is parsed again. Like git's "racily clean" entries, an entry
//! whose file changed within [`RACY_NS`] of the cache being written is never
//! trusted, so an edit inside the file system's timestamp granularity is
//! always seen. The cache is written atomically, may be deleted at any time,
//! and any problem reading it just means parsing the files.

use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::Engagement;
use super::load::Loaded;
use crate::error::Diagnostic;

const MAGIC: &[u8; 8] = b"ftcache2";
/// Entries modified this close to the cache's writing are re-read.
pub const RACY_NS: i128 = 2_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    pub mtime_ns: i128,
    pub ctime_ns: i128,
    pub ino: u64,
    pub dev: u64,
}

impl Stamp {
    pub fn of(meta: &Metadata) -> Stamp {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            Stamp {
                size: meta.len(),
                mtime_ns: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
                ctime_ns: i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
                ino: meta.ino(),
                dev: meta.dev(),
            }
        }
        #[cfg(not(unix))]
        {
            let nanos = |t: std::io::Result<SystemTime>| {
                t.ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos() as i128)
            };
            Stamp {
                size: meta.len(),
                mtime_ns: nanos(meta.modified()),
                ctime_ns: nanos(meta.created()),
                ino: 0,
                dev: 0,
            }
        }
    }

    fn settled_before(&self, built_ns: i128) -> bool {
        self.mtime_ns.max(self.ctime_ns) + RACY_NS < built_ns
    }
}

#[derive(Serialize)]
struct EntryRef<'a> {
    name: &'a str,
    stamp: Stamp,
    engagement: Option<&'a Engagement>,
    problems: &'a [Diagnostic],
}

#[derive(Deserialize)]
struct Entry {
    name: String,
    stamp: Stamp,
    engagement: Option<Engagement>,
    problems: Vec<Diagnostic>,
}

#[derive(Serialize)]
struct FileRef<'a> {
    fingerprint: u64,
    built_ns: i128,
    entries: Vec<EntryRef<'a>>,
}

#[derive(Deserialize)]
struct File {
    fingerprint: u64,
    built_ns: i128,
    entries: Vec<Entry>,
}

pub struct Cache {
    path: PathBuf,
    fingerprint: u64,
    built_ns: i128,
    /// Entries sorted by name, consumed in order by [`Cache::take`].
    entries: std::iter::Peekable<std::vec::IntoIter<Entry>>,
    leftovers: usize,
}

fn now_ns() -> i128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

impl Cache {
    /// Open the cache; a missing, unreadable, foreign or outdated one is empty.
    pub fn open(path: &Path, fingerprint: u64) -> Cache {
        let mut cache = Cache {
            path: path.to_path_buf(),
            fingerprint,
            built_ns: 0,
            entries: Vec::new().into_iter().peekable(),
            leftovers: 0,
        };
        let Ok(bytes) = std::fs::read(path) else {
            return cache;
        };
        let Some(body) = bytes.strip_prefix(MAGIC.as_slice()) else {
            return cache;
        };
        let Ok(file) = postcard::from_bytes::<File>(body) else {
            return cache;
        };
        if file.fingerprint != fingerprint {
            return cache;
        }
        cache.built_ns = file.built_ns;
        let mut entries = file.entries;
        if !entries.is_sorted_by(|a, b| a.name <= b.name) {
            entries.sort_by(|a, b| a.name.cmp(&b.name));
        }
        cache.entries = entries.into_iter().peekable();
        cache
    }

    /// The cached result for a file, if its stamp matches and it was settled
    /// when cached. `Err(true)`: same stamp, but too recent to trust.
    pub fn take(&mut self, name: &str, stamp: &Stamp, path: &Path) -> Result<Loaded, bool> {
        // Files are asked for in name order, so walk the sorted entries alongside.
        while self.entries.peek().is_some_and(|e| e.name.as_str() < name) {
            self.entries.next();
            self.leftovers += 1;
        }
        let entry = self.entries.next_if(|e| e.name == name).ok_or(false)?;
        if entry.stamp != *stamp {
            return Err(false);
        }
        if !entry.stamp.settled_before(self.built_ns) {
            return Err(true);
        }
        let mut engagement = entry.engagement;
        if let Some(e) = &mut engagement {
            e.path = path.to_path_buf();
        }
        let mut problems = entry.problems;
        for d in &mut problems {
            d.path = path.to_path_buf();
        }
        Ok(Loaded {
            engagement,
            problems,
        })
    }

    /// Entries for files that were not asked for (deleted since).
    pub fn leftovers(&mut self) -> usize {
        self.leftovers + self.entries.by_ref().count()
    }

    /// Write the cache for these results, atomically; failures are ignored
    /// (a read-only workspace simply has no cache).
    pub fn save(&self, results: &[(String, Stamp, &Loaded)]) {
        let built_ns = now_ns();
        let file = FileRef {
            fingerprint: self.fingerprint,
            built_ns,
            entries: results
                .iter()
                .map(|(name, stamp, loaded)| EntryRef {
                    name,
                    stamp: *stamp,
                    engagement: loaded.engagement.as_ref(),
                    problems: &loaded.problems,
                })
                .collect(),
        };
        let Ok(body) = postcard::to_stdvec(&file) else {
            return;
        };
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&body);
        if let Some(dir) = self.path.parent() {
            let _ = crate::engagement::store::private_dir(dir);
        }
        let _ = crate::engagement::store::write_atomic(&self.path, &bytes);
    }

    /// Would writing the cache now make an entry trusted that is not yet?
    pub fn worth_saving(&self, stamps: &[Stamp]) -> bool {
        let now = now_ns();
        stamps
            .iter()
            .any(|s| !s.settled_before(self.built_ns) && s.settled_before(now))
    }
}
