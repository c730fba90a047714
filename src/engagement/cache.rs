//! A cache of loaded engagement files, in the spirit of git's index.
//!
//! Parsing every TOML file on every run is what makes `ft` slow on a large
//! workspace, so `.ft/cache` keeps each file's loaded result keyed by its
//! name, size, modification and change times, inode and device. A file whose
//! stamp differs is parsed again. Like git's "racily clean" entries, an entry
//! whose file changed within [`RACY_NS`] of the cache being written is never
//! trusted, so an edit inside the file system's timestamp granularity is
//! always seen. The cache is written atomically, may be deleted at any time,
//! and any problem reading it just means parsing the files. A checksum of
//! the whole body is checked before anything in it is used, so a damaged
//! cache (a flipped bit that still decodes) is discarded and rebuilt rather
//! than misread.
//!
//! The file holds an index, then the entries' engagements one after another.
//! The index gives each entry its stamp, its problems, a [`Summary`] (id,
//! playbook, status, who holds which role) and where its engagement lies, so
//! a command that needs a few engagements (`ft next` needs those where the
//! person holds a role) decodes the index and those few only, and a save
//! copies the others' bytes unchanged.

use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::load::Loaded;
use super::{Engagement, Summary};
use crate::error::Diagnostic;

const MAGIC: &[u8; 8] = b"ftcache4";
/// A larger cache is ignored (and rewritten): reads are bounded.
const MAX_BYTES: usize = 1 << 30;

/// The checksum of a cache body. Any change of the hash function between
/// builds only means one rebuild.
fn checksum(body: &[u8]) -> [u8; 8] {
    use std::hash::Hasher as _;
    let mut h = std::hash::DefaultHasher::new();
    h.write(body);
    h.finish().to_le_bytes()
}

/// The cache body of `bytes` if the magic and the checksum are right.
fn verified(bytes: &[u8]) -> Option<&[u8]> {
    let rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let (sum, body) = rest.split_at_checked(8)?;
    (sum == checksum(body)).then_some(body)
}

/// `body` framed as a cache file (magic and checksum), for fuzzing what
/// lies behind the checksum.
#[doc(hidden)]
pub fn framed(body: &[u8]) -> Vec<u8> {
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&checksum(body));
    bytes.extend_from_slice(body);
    bytes
}

/// `.ft/cache` read through the workspace root without following links.
fn read(path: &Path) -> Option<Vec<u8>> {
    let dir = path.parent()?;
    let (root, name) = crate::fsx::split(dir).ok()?;
    let ft = crate::fsx::Dir::open(root).ok()?.sub(name).ok()??;
    let file = ft.open_file(path.file_name()?.to_str()?).ok()?;
    file.read_bytes(MAX_BYTES).ok()
}
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

    /// The stamp from a `stat` of the file, as [`Stamp::of`] has it.
    #[allow(clippy::useless_conversion)] // the field types differ between platforms
    pub fn of_stat(st: &rustix::fs::Stat) -> Stamp {
        const NS: i128 = 1_000_000_000;
        Stamp {
            size: u64::try_from(st.st_size).unwrap_or(0),
            mtime_ns: i128::from(st.st_mtime) * NS + i128::from(st.st_mtime_nsec),
            ctime_ns: i128::from(st.st_ctime) * NS + i128::from(st.st_ctime_nsec),
            ino: st.st_ino.into(),
            dev: st.st_dev.into(),
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
    summary: Option<&'a Summary>,
    #[serde(serialize_with = "problems::serialize")]
    problems: &'a [Diagnostic],
    /// Where the engagement lies among the bodies: start and length.
    body: (usize, usize),
}

#[derive(Deserialize)]
struct Entry {
    name: String,
    stamp: Stamp,
    summary: Option<Summary>,
    #[serde(deserialize_with = "problems::deserialize")]
    problems: Vec<Diagnostic>,
    body: (usize, usize),
}

/// A cached entry whose file is unchanged: its summary and problems, and
/// where its engagement lies, decoded by [`Cache::engagement`] only when
/// it is wanted.
pub struct Hit {
    pub summary: Option<Summary>,
    pub problems: Vec<Diagnostic>,
    body: (usize, usize),
}

/// What [`Cache::save_records`] writes for one file: a fresh result, or a
/// hit whose engagement's bytes are copied as they are.
pub enum Record<'a> {
    Fresh(&'a Loaded),
    Cached(&'a Hit),
}

/// Diagnostics with every field written. `Diagnostic` leaves out an absent
/// hint (for JSON), which postcard, a format without field names, cannot
/// read back: one such diagnostic made the whole cache unreadable.
mod problems {
    use std::path::PathBuf;

    use serde::{Deserialize as _, Deserializer, Serializer};

    use crate::error::{Diagnostic, Severity};

    type Fields = (
        PathBuf,
        usize,
        usize,
        Severity,
        String,
        String,
        Option<String>,
    );

    pub fn serialize<S: Serializer>(list: &[Diagnostic], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(list.iter().map(|d| {
            (
                &d.path, d.line, d.column, d.severity, &d.code, &d.message, &d.hint,
            )
        }))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Diagnostic>, D::Error> {
        let list = Vec::<Fields>::deserialize(d)?;
        Ok(list
            .into_iter()
            .map(
                |(path, line, column, severity, code, message, hint)| Diagnostic {
                    path,
                    line,
                    column,
                    severity,
                    code: code.into(),
                    message,
                    hint,
                },
            )
            .collect())
    }
}

#[derive(Serialize)]
struct IndexRef<'a> {
    fingerprint: u64,
    built_ns: i128,
    entries: Vec<EntryRef<'a>>,
}

#[derive(Deserialize)]
struct Index {
    fingerprint: u64,
    built_ns: i128,
    entries: Vec<Entry>,
}

pub struct Cache {
    path: PathBuf,
    fingerprint: u64,
    built_ns: i128,
    /// The whole cache file, verified; engagements lie from `bodies_at` on.
    bytes: Vec<u8>,
    bodies_at: usize,
    /// Entries sorted by name, consumed in order by [`Cache::hit`].
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
        Cache::empty(path, fingerprint).load(read(path).unwrap_or_default())
    }

    /// The cache held in `bytes` (what `.ft/cache` holds); anything
    /// damaged, foreign or outdated is an empty cache.
    pub fn from_bytes(path: &Path, fingerprint: u64, bytes: &[u8]) -> Cache {
        Cache::empty(path, fingerprint).load(bytes.to_vec())
    }

    fn empty(path: &Path, fingerprint: u64) -> Cache {
        Cache {
            path: path.to_path_buf(),
            fingerprint,
            built_ns: 0,
            bytes: Vec::new(),
            bodies_at: 0,
            entries: Vec::new().into_iter().peekable(),
            leftovers: 0,
        }
    }

    fn load(mut self, bytes: Vec<u8>) -> Cache {
        let Some(body) = verified(&bytes) else {
            return self;
        };
        let Ok((index, bodies)) = postcard::take_from_bytes::<Index>(body) else {
            return self;
        };
        let inside = |e: &Entry| {
            e.body
                .0
                .checked_add(e.body.1)
                .is_some_and(|end| end <= bodies.len())
        };
        if index.fingerprint != self.fingerprint || !index.entries.iter().all(inside) {
            return self;
        }
        self.built_ns = index.built_ns;
        self.bodies_at = bytes.len() - bodies.len();
        let mut entries = index.entries;
        if !entries.is_sorted_by(|a, b| a.name <= b.name) {
            entries.sort_by(|a, b| a.name.cmp(&b.name));
        }
        self.entries = entries.into_iter().peekable();
        self.bytes = bytes;
        self
    }

    /// The cached entry for a file, if its stamp matches and it was settled
    /// when cached, with paths set to `path`. `Err(true)`: same stamp, but
    /// too recent to trust.
    pub fn hit(&mut self, name: &str, stamp: &Stamp, path: &Path) -> Result<Hit, bool> {
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
        let mut summary = entry.summary;
        if let Some(s) = &mut summary {
            s.path = path.to_path_buf();
        }
        let mut problems = entry.problems;
        for d in &mut problems {
            d.path = path.to_path_buf();
        }
        Ok(Hit {
            summary,
            problems,
            body: entry.body,
        })
    }

    fn body(&self, hit: &Hit) -> &[u8] {
        let start = self.bodies_at + hit.body.0;
        &self.bytes[start..start + hit.body.1]
    }

    /// Decode a hit's engagement, at `path`; `None` when it has none or it
    /// does not decode (then the file must be read).
    pub fn engagement(&self, hit: &Hit, path: &Path) -> Option<Engagement> {
        hit.summary.as_ref()?;
        let mut e: Engagement = postcard::from_bytes(self.body(hit)).ok()?;
        e.path = path.to_path_buf();
        Some(e)
    }

    /// The cached result for a file, decoded in full (see [`Cache::hit`]).
    pub fn take(&mut self, name: &str, stamp: &Stamp, path: &Path) -> Result<Loaded, bool> {
        let hit = self.hit(name, stamp, path)?;
        let engagement = self.engagement(&hit, path);
        if hit.summary.is_some() && engagement.is_none() {
            return Err(false);
        }
        Ok(Loaded {
            engagement,
            problems: hit.problems,
        })
    }

    /// Entries for files that were not asked for (deleted since).
    pub fn leftovers(&mut self) -> usize {
        self.leftovers + self.entries.by_ref().count()
    }

    /// Write the cache for these results, atomically; failures are ignored
    /// (a read-only workspace simply has no cache).
    pub fn save(&self, results: &[(String, Stamp, &Loaded)]) {
        let records: Vec<(&str, Stamp, Record)> = results
            .iter()
            .map(|(n, s, l)| (n.as_str(), *s, Record::Fresh(l)))
            .collect();
        self.save_records(&records);
    }

    /// [`Cache::save`] for fresh results and hits alike.
    pub fn save_records(&self, results: &[(&str, Stamp, Record)]) {
        let Some(bytes) = self.encode(results) else {
            return;
        };
        let (Some(dir), Some(name)) = (
            self.path.parent(),
            self.path.file_name().and_then(|n| n.to_str()),
        ) else {
            return;
        };
        if let Ok(ft) = crate::engagement::store::private_dir(dir) {
            let _ = ft.write_atomic(name, &bytes);
        }
    }

    /// The cache file for these results: magic, checksum, index, bodies.
    fn encode(&self, results: &[(&str, Stamp, Record)]) -> Option<Vec<u8>> {
        let mut bodies = Vec::new();
        let mut summaries = Vec::with_capacity(results.len());
        let mut spans = Vec::with_capacity(results.len());
        for (_, _, record) in results {
            let start = bodies.len();
            let summary = match record {
                Record::Fresh(l) => l.engagement.as_ref().map(|e| {
                    bodies.extend(postcard::to_stdvec(e).ok().unwrap_or_default());
                    std::borrow::Cow::Owned(Summary::of(e))
                }),
                Record::Cached(hit) => {
                    bodies.extend_from_slice(self.body(hit));
                    hit.summary.as_ref().map(std::borrow::Cow::Borrowed)
                }
            };
            summaries.push(summary);
            spans.push((start, bodies.len() - start));
        }
        let index = IndexRef {
            fingerprint: self.fingerprint,
            built_ns: now_ns(),
            entries: results
                .iter()
                .zip(&summaries)
                .zip(spans)
                .map(|(((name, stamp, record), summary), body)| EntryRef {
                    name,
                    stamp: *stamp,
                    summary: summary.as_deref(),
                    problems: match record {
                        Record::Fresh(l) => &l.problems,
                        Record::Cached(hit) => &hit.problems,
                    },
                    body,
                })
                .collect(),
        };
        let mut body = postcard::to_stdvec(&index).ok()?;
        body.extend_from_slice(&bodies);
        let bytes = framed(&body);
        // A larger cache would not be read back.
        (bytes.len() <= MAX_BYTES).then_some(bytes)
    }

    /// Would writing the cache now make an entry trusted that is not yet?
    pub fn worth_saving(&self, stamps: &[Stamp]) -> bool {
        let now = now_ns();
        stamps
            .iter()
            .any(|s| !s.settled_before(self.built_ns) && s.settled_before(now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engagement::load;
    use crate::playbook::{Catalog, builtin};

    const SECOND: i128 = 1_000_000_000;

    fn loaded(customer: &str) -> Loaded {
        let mut catalog = Catalog::default();
        for p in builtin::all() {
            catalog.insert(p);
        }
        let text = format!(
            "customer = \"{customer}\"\nplaybook = \"azure-fasttrack-engineer\"\nservices = [\"AKS\"]\n"
        );
        let l = load::parse(Path::new("/written/c.toml"), "c", &text, &catalog);
        assert!(l.engagement.is_some(), "{:?}", l.problems);
        l
    }

    fn problem(message: &str) -> Loaded {
        Loaded {
            engagement: None,
            // One with a hint and one without: both must survive the cache.
            problems: vec![
                Diagnostic::error(Path::new("/written/b.toml"), (3, 1), "test", message),
                Diagnostic::warning(Path::new("/written/b.toml"), (4, 2), "other", "second")
                    .with_hint(Some("a hint".into())),
            ],
        }
    }

    /// The test's own clock, apart from the module's.
    fn clock_ns() -> i128 {
        let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        i128::try_from(since.as_nanos()).unwrap()
    }

    /// A stamp for a file last changed `age` nanoseconds before now.
    fn stamp(age: i128, ino: u64) -> Stamp {
        let t = clock_ns() - age;
        Stamp {
            size: 120,
            mtime_ns: t,
            ctime_ns: t,
            ino,
            dev: 7,
        }
    }

    struct Fixture {
        _dir: tempfile::TempDir,
        path: PathBuf,
        old: Stamp,
        racy: Stamp,
    }

    /// A cache holding `b` (a problem), `c` (an engagement, both settled) and
    /// `d` (changed just before the cache was written).
    fn fixture() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".ft").join("cache");
        let old = stamp(60 * SECOND, 11);
        let racy = stamp(SECOND / 2, 12);
        let (b, c, d) = (problem("cached problem"), loaded("Cached"), loaded("Racy"));
        Cache::open(&path, 42).save(&[
            ("b".into(), old, &b),
            ("c".into(), old, &c),
            ("d".into(), racy, &d),
        ]);
        assert!(path.is_file(), "the cache is written");
        Fixture {
            _dir: dir,
            path,
            old,
            racy,
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_stamp_holds_nanoseconds_since_the_epoch() {
        use std::os::unix::fs::MetadataExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "customer = \"C\"\n").unwrap();
        // 2020-01-01T00:00:00.123456789Z
        let mtime = UNIX_EPOCH + std::time::Duration::new(1_577_836_800, 123_456_789);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let s = Stamp::of(&meta);
        assert_eq!(
            s.mtime_ns, 1_577_836_800_123_456_789,
            "mtime in nanoseconds"
        );
        assert!(
            (s.ctime_ns - clock_ns()).abs() < 60 * SECOND,
            "ctime in nanoseconds, changed just now: {} vs {}",
            s.ctime_ns,
            clock_ns()
        );
        assert_eq!(
            (s.size, s.ino, s.dev),
            (15, meta.ino(), meta.dev()),
            "size, inode and device"
        );
        // Writing a file sets its change and modification times to the same instant.
        let fresh = dir.path().join("fresh.toml");
        std::fs::write(&fresh, "x").unwrap();
        let meta = std::fs::metadata(&fresh).unwrap();
        let modified = meta.modified().unwrap().duration_since(UNIX_EPOCH).unwrap();
        let s = Stamp::of(&meta);
        assert_eq!(s.mtime_ns, i128::try_from(modified.as_nanos()).unwrap());
        assert_eq!(
            s.ctime_ns, s.mtime_ns,
            "ctime in nanoseconds, equal to the mtime of a file just written"
        );
    }

    /// A warm run stats files without opening them, a cold one stamps what
    /// it opened: both must give the same stamp, or no entry would ever hit.
    #[test]
    fn a_stat_and_an_open_file_give_the_same_stamp() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("c.toml"), "customer = \"C\"\n").unwrap();
        let ws = crate::fsx::Dir::open(dir.path()).unwrap();
        let st = ws.stat_file("c.toml").unwrap();
        let file = ws.open_file("c.toml").unwrap();
        assert_eq!(Stamp::of_stat(&st), Stamp::of(&file.meta));
    }

    #[test]
    fn a_settled_entry_with_the_same_stamp_is_a_hit() {
        let f = fixture();
        let mut cache = Cache::open(&f.path, 42);
        let b = cache
            .take("b", &f.old, Path::new("/now/b.toml"))
            .expect("an unchanged, settled file must be taken from the cache");
        assert_eq!(b.problems.len(), 2);
        assert_eq!(b.problems[0].message, "cached problem");
        assert_eq!(b.problems[0].hint, None);
        assert_eq!((b.problems[1].line, b.problems[1].column), (4, 2));
        assert_eq!(b.problems[1].hint.as_deref(), Some("a hint"));
        assert_eq!(b.problems[1].code, "other");
        assert_eq!(
            b.problems[0].path,
            Path::new("/now/b.toml"),
            "diagnostics name the file where it is now"
        );
        let c = cache
            .take("c", &f.old, Path::new("/now/c.toml"))
            .expect("an unchanged, settled file must be taken from the cache");
        let e = c.engagement.expect("the engagement is cached");
        assert_eq!(e.customer, "Cached");
        assert_eq!(e.path, Path::new("/now/c.toml"));
        assert_eq!(cache.leftovers(), 1, "only `d` was not asked for");
    }

    #[test]
    fn an_entry_changed_within_the_racy_window_is_not_trusted() {
        let f = fixture();
        let mut cache = Cache::open(&f.path, 42);
        assert!(
            matches!(cache.take("d", &f.racy, Path::new("d.toml")), Err(true)),
            "a file changed within 2 s of the cache being written must be read again"
        );
        assert!(
            !cache.worth_saving(&[f.old]),
            "a settled entry gains nothing from saving again"
        );
        assert!(
            !cache.worth_saving(&[f.racy]),
            "an entry changed half a second ago is still racy now"
        );
        // As if the cache had been written 3 s ago: a file changed 4 s ago was
        // racy then and is settled now.
        cache.built_ns -= 3 * SECOND;
        assert!(
            cache.worth_saving(&[stamp(4 * SECOND, 12)]),
            "an entry settled now but racy when cached is worth saving"
        );
    }

    #[test]
    fn a_recent_change_time_alone_makes_an_entry_racy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache");
        // The modification time was set into the past; the change time is now.
        let mut s = stamp(60 * SECOND, 3);
        s.ctime_ns = clock_ns();
        let l = problem("x");
        Cache::open(&path, 1).save(&[("a".into(), s, &l)]);
        assert!(
            matches!(Cache::open(&path, 1).take("a", &s, &path), Err(true)),
            "an old mtime must not make an entry trusted while its ctime is recent"
        );
    }

    #[test]
    fn any_difference_in_the_stamp_is_a_miss() {
        let f = fixture();
        type Change = fn(&mut Stamp);
        let changes: [(&str, Change); 5] = [
            ("size", |s| s.size += 1),
            ("mtime", |s| s.mtime_ns += 1),
            ("ctime", |s| s.ctime_ns += 1),
            ("inode", |s| s.ino += 1),
            ("device", |s| s.dev += 1),
        ];
        for (what, change) in changes {
            let mut s = f.old;
            change(&mut s);
            let mut cache = Cache::open(&f.path, 42);
            assert!(
                matches!(cache.take("c", &s, Path::new("c.toml")), Err(false)),
                "a file whose {what} changed must be read again"
            );
            assert!(cache.take("c", &f.old, Path::new("c.toml")).is_err());
        }
    }

    #[test]
    fn another_fingerprint_or_a_broken_file_is_an_empty_cache() {
        let f = fixture();
        assert!(
            matches!(
                Cache::open(&f.path, 43).take("c", &f.old, Path::new("c.toml")),
                Err(false)
            ),
            "entries validated against other playbooks must not be used"
        );
        let mut bytes = std::fs::read(&f.path).unwrap();
        bytes.truncate(bytes.len() / 2);
        std::fs::write(&f.path, &bytes).unwrap();
        let mut cache = Cache::open(&f.path, 42);
        assert!(cache.take("c", &f.old, Path::new("c.toml")).is_err());
        assert_eq!(cache.leftovers(), 0);
        std::fs::write(&f.path, b"not a cache").unwrap();
        assert!(
            Cache::open(&f.path, 42)
                .take("c", &f.old, Path::new("c.toml"))
                .is_err()
        );
        std::fs::write(&f.path, b"ftcache3").unwrap();
        assert!(
            Cache::open(&f.path, 42)
                .take("c", &f.old, Path::new("c.toml"))
                .is_err()
        );
    }

    /// Every single-bit flip anywhere in the cache is detected: the damaged
    /// cache is empty (everything is read again), never a wrong answer.
    #[test]
    fn a_flipped_bit_anywhere_discards_the_cache() {
        let f = fixture();
        let good = std::fs::read(&f.path).unwrap();
        for i in 0..good.len() {
            for bit in [0, 3, 7] {
                let mut bytes = good.clone();
                bytes[i] ^= 1 << bit;
                std::fs::write(&f.path, &bytes).unwrap();
                let mut cache = Cache::open(&f.path, 42);
                assert!(
                    cache.take("b", &f.old, Path::new("b.toml")).is_err()
                        && cache.take("c", &f.old, Path::new("c.toml")).is_err(),
                    "byte {i} bit {bit} flipped: the cache must be discarded"
                );
            }
        }
    }

    #[test]
    fn the_cache_is_written_at_the_current_time() {
        let f = fixture();
        let cache = Cache::open(&f.path, 42);
        assert!(
            (cache.built_ns - clock_ns()).abs() < 60 * SECOND,
            "the cache records when it was written, in nanoseconds since the epoch"
        );
    }

    #[test]
    fn settled_means_more_than_the_racy_window_before() {
        let built = 100 * SECOND;
        let at = |t: i128| Stamp {
            size: 1,
            mtime_ns: t,
            ctime_ns: t - SECOND,
            ino: 1,
            dev: 1,
        };
        assert!(at(built - RACY_NS - 1).settled_before(built));
        assert!(
            !at(built - RACY_NS).settled_before(built),
            "a change exactly 2 s before the cache is still racy"
        );
        let mut late_ctime = at(built - 10 * SECOND);
        late_ctime.ctime_ns = built - SECOND;
        assert!(
            !late_ctime.settled_before(built),
            "the later of mtime and ctime counts"
        );
    }

    #[test]
    fn entries_written_out_of_order_are_still_found() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache");
        let old = stamp(60 * SECOND, 1);
        let (b, c) = (problem("b"), problem("c"));
        Cache::open(&path, 1).save(&[("c".into(), old, &c), ("b".into(), old, &b)]);
        let mut cache = Cache::open(&path, 1);
        let hit = cache.take("b", &old, Path::new("b.toml"));
        assert_eq!(
            hit.map(|l| l.problems[0].message.clone()).ok().as_deref(),
            Some("b"),
            "the cache sorts its entries by name when they were not saved sorted"
        );
        assert!(cache.take("c", &old, Path::new("c.toml")).is_ok());
        assert_eq!(cache.leftovers(), 0);
    }

    #[test]
    fn files_not_asked_for_are_leftovers() {
        let f = fixture();
        let mut cache = Cache::open(&f.path, 42);
        assert!(matches!(
            cache.take("a", &f.old, Path::new("a.toml")),
            Err(false)
        ));
        assert!(cache.take("c", &f.old, Path::new("c.toml")).is_ok());
        assert_eq!(
            cache.leftovers(),
            2,
            "`b` was skipped and `d` never asked for"
        );
        let mut all = Cache::open(&f.path, 42);
        assert!(all.take("b", &f.old, Path::new("b.toml")).is_ok());
        assert!(all.take("c", &f.old, Path::new("c.toml")).is_ok());
        assert!(all.take("d", &f.racy, Path::new("d.toml")).is_err());
        assert_eq!(all.leftovers(), 0);
    }
}
