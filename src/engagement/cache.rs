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
//!
//! The file holds a header (magic, the index's length and checksum), the
//! index, then the entries' engagements one after another. The index gives
//! each entry its stamp, its problems, a [`Summary`] (id, playbook, status,
//! who holds which role) and where its engagement lies with that
//! engagement's own checksum. A run reads the header and the index only,
//! checks the index's checksum before using anything in it, and reads an
//! engagement from the file when it is wanted (`ft next` needs those where
//! the person holds a role), checking it against its checksum: a damaged
//! index means no cache at all, a damaged engagement means that file is
//! parsed again, and either way the cache is rewritten. Nothing damaged is
//! ever misread as an answer. A save copies the kept engagements' bytes
//! unchanged.

use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::load::Loaded;
use super::{Engagement, Summary};
use crate::error::Diagnostic;
use crate::fsx::Regular;

const MAGIC: &[u8; 8] = b"ftcache7";
/// Magic, index length (u64) and index checksum (u32), little-endian.
const HEADER: usize = 20;
/// A larger cache is ignored (and rewritten): reads are bounded.
const MAX_BYTES: u64 = 1 << 30;
/// A larger index is ignored: about 450,000 engagements' worth, so a
/// crafted header cannot make every run read a gigabyte.
const MAX_INDEX: u64 = 64 << 20;
/// A larger engagement is damage: engagement files are at most 1 MiB.
const MAX_BODY: u64 = 16 << 20;
/// Engagements are read from the file this many bytes at a time: those
/// wanted are asked for in the order they lie in.
const WINDOW: u64 = 256 << 10;

/// The checksum of an index or an engagement's bytes.
fn checksum(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

/// Where an engagement lies among the bodies, and its checksum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Body {
    start: u64,
    len: u64,
    sum: u32,
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
        use std::os::unix::fs::MetadataExt as _;
        Stamp {
            size: meta.len(),
            mtime_ns: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
            ctime_ns: i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
            ino: meta.ino(),
            dev: meta.dev(),
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

/// What the index keeps of an entry after where its engagement lies and
/// its stamp, as written. Where the engagement lies comes first, so a save
/// can move it and copy the rest as it is.
#[derive(Serialize)]
struct FieldsRef<'a> {
    summary: Option<&'a Summary>,
    #[serde(serialize_with = "problems::serialize")]
    problems: &'a [Diagnostic],
}

/// [`FieldsRef`] as read back.
#[derive(Deserialize)]
struct Fields {
    summary: Option<Summary>,
    #[serde(deserialize_with = "problems::deserialize")]
    problems: Vec<Diagnostic>,
}

/// A cached entry whose file is unchanged: its summary and problems, and
/// where its engagement lies, read by [`Cache::engagement`] only when it
/// is wanted.
pub struct Hit {
    pub summary: Option<Summary>,
    pub problems: Vec<Diagnostic>,
    body: Option<Body>,
    pub kept: Kept,
}

/// Where a hit's entry lies in the index: what a save copies, so a pass
/// need not hold every hit.
#[derive(Debug, Clone, Copy)]
pub struct Kept {
    name: (usize, usize),
    fields: (usize, usize),
}

/// Where an engagement written by [`Cache::save_records`] comes from.
enum Piece<'a> {
    Fresh(&'a [u8]),
    /// From this cache, as it is.
    Kept(Body),
}

/// What [`Cache::save_records`] writes for one file: a fresh result, or a
/// hit, copied as it is.
pub enum Record<'a> {
    Fresh { name: &'a str, entry: &'a Entry },
    Kept(Kept),
}

/// A file's result encoded for the cache where it was parsed (on a parse
/// thread, so a save only places it): its engagement and that
/// engagement's checksum, and the entry's fields after where the
/// engagement lies (stamp, summary, problems).
pub struct Entry {
    body: Option<(Vec<u8>, u32)>,
    rest: Vec<u8>,
}

impl Entry {
    /// The entry for a file read with `stamp`: its engagement and that
    /// one's summary (none when the file has no usable engagement), and
    /// its problems.
    pub fn new(
        stamp: &Stamp,
        engagement: Option<(&Engagement, &Summary)>,
        problems: &[Diagnostic],
    ) -> Entry {
        let body = engagement.map(|(e, _)| {
            let mut bytes = Vec::new();
            if postcard::to_io(e, &mut bytes).is_err() {
                bytes.clear();
            }
            let sum = checksum(&bytes);
            (bytes, sum)
        });
        let mut rest = Vec::new();
        let fields = FieldsRef {
            summary: engagement.map(|(_, s)| s),
            problems,
        };
        if postcard::to_io(stamp, &mut rest).is_err()
            || postcard::to_io(&fields, &mut rest).is_err()
        {
            rest.clear();
        }
        Entry { body, rest }
    }
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

/// An index entry as [`Cache::peek`] finds it.
struct Peeked<'a> {
    name: &'a str,
    name_at: std::ops::Range<usize>,
    fields_at: std::ops::Range<usize>,
    /// Where the next entry starts.
    next: usize,
}

/// The start of the index: what it was built for, when, the stamp of
/// `engagements/` when its every `*.toml` file has an entry (so its names
/// are the entries' names while that stamp holds), and how many entries
/// follow (each a name and its fields, sorted by name).
#[derive(Serialize, Deserialize)]
struct Head {
    fingerprint: u64,
    built_ns: i128,
    listing: Option<Stamp>,
    entries: u64,
}

pub struct Cache {
    path: PathBuf,
    fingerprint: u64,
    built_ns: i128,
    /// When this cache was opened, before any file was looked at: what a
    /// save records as its time, so a file read later (and perhaps changed
    /// since within its timestamp's granularity) is never trusted.
    opened_ns: i128,
    /// The stamp of `engagements/` whose names the entries' are.
    listing: Option<Stamp>,
    /// The verified index; entries are read from `at` on, in order, by
    /// [`Cache::hit`].
    index: Vec<u8>,
    at: usize,
    /// Entries not yet read, and where the last name read lies in `index`.
    remaining: u64,
    last: std::ops::Range<usize>,
    /// The open cache file, and where its engagements lie in it.
    file: Option<Regular>,
    bodies_at: u64,
    bodies_len: u64,
    /// The engagements' bytes last read, from `window_at` among them.
    window: Vec<u8>,
    window_at: u64,
    leftovers: usize,
}

fn now_ns() -> i128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// `.ft/cache` opened through the workspace root without following links.
fn open_file(path: &Path) -> Option<Regular> {
    let dir = path.parent()?;
    let (root, name) = crate::fsx::split(dir).ok()?;
    let ft = crate::fsx::Dir::open(root).ok()?.sub(name).ok()??;
    ft.open_file(path.file_name()?.to_str()?).ok()
}

/// A cache file holding `index` (its checksum made right) and `bodies`,
/// for fuzzing what lies behind the checksum.
#[doc(hidden)]
pub fn framed(index: &[u8], bodies: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(HEADER + index.len() + bodies.len());
    let _ = write_file(&mut bytes, index, bodies);
    bytes
}

/// The start of a cache file: the header, the index, and `bodies`.
fn write_file(out: &mut dyn std::io::Write, index: &[u8], bodies: &[u8]) -> std::io::Result<()> {
    out.write_all(MAGIC)?;
    out.write_all(&(index.len() as u64).to_le_bytes())?;
    out.write_all(&checksum(index).to_le_bytes())?;
    out.write_all(index)?;
    out.write_all(bodies)
}

/// The verified index of a cache file `len` bytes long whose first bytes
/// (at least the header) are `start`; `more` reads the rest of it.
fn index_of(
    start: &[u8],
    len: u64,
    more: impl FnOnce(u64, usize) -> Option<Vec<u8>>,
) -> Option<Vec<u8>> {
    let rest = start.strip_prefix(MAGIC.as_slice())?;
    let index_len = u64::from_le_bytes(rest.get(..8)?.try_into().ok()?);
    let sum = u32::from_le_bytes(rest.get(8..12)?.try_into().ok()?);
    if len > MAX_BYTES || index_len > MAX_INDEX || index_len > len - HEADER as u64 {
        return None;
    }
    let index_len = usize::try_from(index_len).ok()?;
    let index = match start.get(HEADER..HEADER + index_len) {
        Some(index) => index.to_vec(),
        None => more(HEADER as u64, index_len)?,
    };
    (checksum(&index) == sum).then_some(index)
}

impl Cache {
    /// Open the cache; a missing, unreadable, foreign or outdated one is empty.
    pub fn open(path: &Path, fingerprint: u64) -> Cache {
        let cache = Cache::empty(path, fingerprint);
        let Some(file) = open_file(path) else {
            return cache;
        };
        let len = file.meta.len();
        let Some(header) = file.read_at(0, HEADER).ok() else {
            return cache;
        };
        let more = |at, n| file.read_at(at, n).ok();
        match index_of(&header, len, more) {
            Some(index) => cache.load(index, len, Some(file)),
            None => cache,
        }
    }

    /// The cache held in `bytes` (what `.ft/cache` holds); anything damaged, foreign or outdated is an empty cache.
    pub fn from_bytes(path: &Path, fingerprint: u64, bytes: &[u8]) -> Cache {
        let cache = Cache::empty(path, fingerprint);
        let Some(index) = index_of(bytes, bytes.len() as u64, |_, _| None) else {
            return cache;
        };
        let mut cache = cache.load(index, bytes.len() as u64, None);
        let at = usize::try_from(cache.bodies_at).unwrap_or(usize::MAX);
        cache.window = bytes.get(at..).map(<[u8]>::to_vec).unwrap_or_default();
        cache
    }

    fn empty(path: &Path, fingerprint: u64) -> Cache {
        Cache {
            path: path.to_path_buf(),
            fingerprint,
            built_ns: 0,
            opened_ns: now_ns(),
            listing: None,
            index: Vec::new(),
            at: 0,
            remaining: 0,
            last: 0..0,
            file: None,
            bodies_at: 0,
            bodies_len: 0,
            window: Vec::new(),
            window_at: 0,
            leftovers: 0,
        }
    }

    fn load(mut self, index: Vec<u8>, len: u64, file: Option<Regular>) -> Cache {
        let Ok((head, rest)) = postcard::take_from_bytes::<Head>(&index) else {
            return self;
        };
        if head.fingerprint != self.fingerprint {
            return self;
        }
        self.built_ns = head.built_ns;
        self.listing = head.listing;
        self.remaining = head.entries;
        self.at = index.len() - rest.len();
        self.bodies_at = HEADER as u64 + index.len() as u64;
        self.bodies_len = len - self.bodies_at;
        self.index = index;
        self.file = file;
        self
    }

    /// The next entry's name and fields (undecoded), and where the entry
    /// after it starts; `None` at the end, or where the index is not in
    /// name order (then the rest is not trusted).
    fn peek(&self) -> Option<Peeked<'_>> {
        if self.remaining == 0 {
            return None;
        }
        self.peek_at(self.at, &self.last)
    }

    /// [`Cache::peek`] for the entry at `from`, after the name at `last`.
    fn peek_at(&self, from: usize, last: &std::ops::Range<usize>) -> Option<Peeked<'_>> {
        let (entry, rest) =
            postcard::take_from_bytes::<(&str, &[u8])>(self.index.get(from..)?).ok()?;
        // Where the name and fields lie, as decoded (a varint need not be
        // in its shortest form).
        let base = self.index.as_ptr().addr();
        let at = |bytes: &[u8]| {
            let start = bytes.as_ptr().addr() - base;
            start..start + bytes.len()
        };
        let last_name = self.index.get(last.clone())?;
        (last.is_empty() || last_name < entry.0.as_bytes()).then(|| Peeked {
            name: entry.0,
            name_at: at(entry.0.as_bytes()),
            fields_at: at(entry.1),
            next: self.index.len() - rest.len(),
        })
    }

    /// No entry left to answer with (before the first [`Cache::hit`]: the
    /// cache is missing, stale or empty).
    pub fn is_empty(&self) -> bool {
        self.remaining == 0
    }

    /// The names of the files in `engagements/`, from the entries, when the
    /// directory's stamp is the one they were saved with and it had settled
    /// by then (a name added, removed or renamed changes the directory's
    /// modification and change times, and the change time cannot be set
    /// back); `None` when the directory must be listed. Asked before the
    /// first [`Cache::hit`].
    pub fn listing(&self, dir: &Stamp) -> Option<Vec<&str>> {
        if self.listing != Some(*dir) || !dir.settled_before(self.built_ns) {
            return None;
        }
        let mut names = Vec::with_capacity(usize::try_from(self.remaining).ok()?);
        let (mut at, mut last) = (self.at, self.last.clone());
        for _ in 0..self.remaining {
            // In name order, as a listing is sorted.
            let p = self.peek_at(at, &last)?;
            names.push(p.name);
            (at, last) = (p.next, p.name_at);
        }
        Some(names)
    }

    /// Would a save record a listing of `engagements/` (its stamp, when
    /// every file there has a record) that this cache does not have and
    /// the next run would trust?
    pub fn listing_gains(&self, listing: Option<Stamp>) -> bool {
        listing.is_some_and(|s| self.listing != Some(s) && s.settled_before(self.opened_ns))
    }

    /// Move past the entry [`Cache::peek`] gave.
    fn advance(&mut self, name_at: std::ops::Range<usize>, next: usize) {
        self.last = name_at;
        self.at = next;
        self.remaining -= 1;
    }

    /// The cached entry for a file, if its stamp matches and it was settled
    /// when cached, its problems' paths set to `path` (the summary's is left
    /// for the caller to move in). `Err(true)`: same stamp, but too recent
    /// to trust.
    pub fn hit(&mut self, name: &str, stamp: &Stamp, path: &Path) -> Result<Hit, bool> {
        // Files are asked for in name order, so walk the sorted entries alongside.
        let kept = loop {
            let p = self.peek().ok_or(false)?;
            let (name_at, fields_at, next) = (p.name_at, p.fields_at, p.next);
            match p.name.cmp(name) {
                std::cmp::Ordering::Greater => return Err(false),
                std::cmp::Ordering::Less => {
                    self.advance(name_at, next);
                    self.leftovers += 1;
                }
                std::cmp::Ordering::Equal => {
                    self.advance(name_at.clone(), next);
                    break Kept {
                        name: (name_at.start, name_at.end),
                        fields: (fields_at.start, fields_at.end),
                    };
                }
            }
        };
        let bytes = &self.index[kept.fields.0..kept.fields.1];
        let (body, rest) = postcard::take_from_bytes::<Option<Body>>(bytes).map_err(|_| false)?;
        // An engagement outside the file: the entry is not used (and so not kept).
        let outside = |b: Body| {
            b.start
                .checked_add(b.len)
                .is_none_or(|end| end > self.bodies_len)
        };
        if body.is_some_and(|b| b.len > MAX_BODY || outside(b)) {
            return Err(false);
        }
        let (cached, rest) = postcard::take_from_bytes::<Stamp>(rest).map_err(|_| false)?;
        if cached != *stamp {
            return Err(false);
        }
        if !cached.settled_before(self.built_ns) {
            return Err(true);
        }
        let Fields {
            summary,
            mut problems,
        } = postcard::from_bytes(rest).map_err(|_| false)?;
        for d in &mut problems {
            d.path = path.to_path_buf();
        }
        Ok(Hit {
            summary,
            problems,
            body,
            kept,
        })
    }

    /// A hit's engagement's bytes, checked against its checksum.
    fn body(&mut self, body: &Body) -> Option<&[u8]> {
        let bytes = self.raw(body).ok()?;
        (checksum(bytes) == body.sum).then_some(bytes)
    }

    /// An engagement's bytes as they are, through the window.
    fn raw(&mut self, body: &Body) -> std::io::Result<&[u8]> {
        let outside = || std::io::Error::other("outside the cache file");
        let end = body.start.checked_add(body.len).ok_or_else(outside)?;
        if end > self.bodies_len {
            return Err(outside());
        }
        let window_end = self.window_at + self.window.len() as u64;
        if body.start < self.window_at || end > window_end {
            let len = (self.bodies_len - body.start).min(WINDOW.max(body.len));
            let len = usize::try_from(len).map_err(|_| outside())?;
            let file = self.file.as_ref().ok_or_else(outside)?;
            self.window = Vec::new();
            self.window = file.read_at(self.bodies_at + body.start, len)?;
            self.window_at = body.start;
        }
        let from = usize::try_from(body.start - self.window_at).map_err(|_| outside())?;
        let len = usize::try_from(body.len).map_err(|_| outside())?;
        self.window.get(from..from + len).ok_or_else(outside)
    }

    /// Read a hit's engagement, at `path`; `None` when it has none or it is
    /// damaged (then the file must be read).
    pub fn engagement(&mut self, hit: &Hit, path: &Path) -> Option<Engagement> {
        hit.summary.as_ref()?;
        let bytes = self.body(hit.body.as_ref()?)?;
        let mut e: Engagement = postcard::from_bytes(bytes).ok()?;
        // The engagement is the entry's: a body placed under another entry
        // is damage, not an answer.
        let s = hit.summary.as_ref()?;
        if (&e.id, &e.playbook, e.status) != (&s.id, &s.playbook, s.status) {
            return None;
        }
        e.path = path.to_path_buf();
        Some(e)
    }

    /// The cached result for a file, decoded in full (see [`Cache::hit`]).
    pub fn take(&mut self, name: &str, stamp: &Stamp, path: &Path) -> Result<Loaded, bool> {
        let mut hit = self.hit(name, stamp, path)?;
        if let Some(s) = &mut hit.summary {
            s.path = path.to_path_buf();
        }
        let engagement = self.engagement(&hit, path);
        if hit.summary.is_some() && engagement.is_none() {
            return Err(false);
        }
        Ok(Loaded {
            engagement,
            problems: hit.problems,
        })
    }

    /// Entries for files that were not asked for (deleted since), or an
    /// index that could not be read to its end.
    pub fn leftovers(&mut self) -> usize {
        while let Some(p) = self.peek() {
            let (name_at, next) = (p.name_at, p.next);
            self.advance(name_at, next);
            self.leftovers += 1;
        }
        let unread = usize::try_from(self.remaining).unwrap_or(usize::MAX);
        self.leftovers.saturating_add(unread)
    }

    /// Write the cache for these results, atomically; failures are ignored
    /// (a read-only workspace simply has no cache).
    pub fn save(&mut self, results: &[(String, Stamp, &Loaded)]) {
        self.save_listed(results, None);
    }

    /// [`Cache::save`], with the stamp of `engagements/` when `results`
    /// are all its files.
    fn save_listed(&mut self, results: &[(String, Stamp, &Loaded)], listing: Option<Stamp>) {
        let entries: Vec<Entry> = results
            .iter()
            .map(|(_, stamp, l)| {
                let e = l.engagement.as_ref();
                let summary = e.map(Summary::of);
                Entry::new(stamp, e.zip(summary.as_ref()), &l.problems)
            })
            .collect();
        let records: Vec<Record> = results
            .iter()
            .zip(&entries)
            .map(|((name, _, _), entry)| Record::Fresh { name, entry })
            .collect();
        self.save_records(&records, listing);
    }

    /// [`Cache::save`] for fresh results and hits alike, with the stamp of
    /// `engagements/` when every `*.toml` file there has a record.
    pub fn save_records(&mut self, results: &[Record], listing: Option<Stamp>) {
        let Some((index, bodies, len)) = self.encode(results, listing) else {
            return;
        };
        // A larger cache would not be read back.
        if HEADER as u64 + index.len() as u64 + len > MAX_BYTES || index.len() as u64 > MAX_INDEX {
            return;
        }
        let (Some(dir), Some(name)) = (
            self.path.parent().map(Path::to_path_buf),
            self.path
                .file_name()
                .and_then(|n| n.to_str())
                .map(String::from),
        ) else {
            return;
        };
        if let Ok(ft) = crate::engagement::store::private_dir(&dir) {
            // The cache checks itself: a crash may lose it, never mislead.
            let _ = ft.write_atomic_unsynced(&name, |out| self.write(out, &index, &bodies));
        }
    }

    /// The cache file: the header, the index, then each engagement, those of
    /// hits copied from this cache as they are.
    fn write(
        &mut self,
        out: &mut dyn std::io::Write,
        index: &[u8],
        bodies: &[Piece],
    ) -> std::io::Result<()> {
        write_file(out, index, &[])?;
        for piece in bodies {
            match piece {
                Piece::Fresh(bytes) => out.write_all(bytes)?,
                Piece::Kept(body) => out.write_all(self.raw(body)?)?,
            }
        }
        Ok(())
    }

    /// A record's file name.
    fn name<'r>(&'r self, record: &'r Record) -> &'r str {
        match record {
            Record::Fresh { name, .. } => name,
            Record::Kept(k) => self
                .index
                .get(k.name.0..k.name.1)
                .and_then(|n| std::str::from_utf8(n).ok())
                .unwrap_or_default(),
        }
    }

    /// The index for these results, sorted by name, where the engagements
    /// come from in the order the index places them, and their length.
    fn encode<'r>(
        &self,
        results: &[Record<'r>],
        listing: Option<Stamp>,
    ) -> Option<(Vec<u8>, Vec<Piece<'r>>, u64)> {
        let mut order: Vec<usize> = (0..results.len()).collect();
        let names: Vec<&str> = results.iter().map(|r| self.name(r)).collect();
        if !names.is_sorted_by(|a, b| a < b) {
            order.sort_by(|a, b| names[*a].cmp(names[*b]));
            order.dedup_by(|a, b| names[*a] == names[*b]);
        }
        let mut index = Vec::with_capacity(self.index.len().max(64 * results.len()));
        postcard::to_io(
            &Head {
                fingerprint: self.fingerprint,
                built_ns: self.opened_ns,
                // Two records of one name: not a listing.
                listing: listing.filter(|_| order.len() == results.len()),
                entries: order.len() as u64,
            },
            &mut index,
        )
        .ok()?;
        let mut pieces = Vec::with_capacity(order.len());
        let mut at = 0;
        let mut fields = Vec::new();
        for &i in &order {
            fields.clear();
            match &results[i] {
                Record::Fresh { entry, .. } => {
                    let body = entry.body.as_ref().map(|(bytes, sum)| {
                        pieces.push(Piece::Fresh(bytes));
                        let b = Body {
                            start: at,
                            len: bytes.len() as u64,
                            sum: *sum,
                        };
                        at += b.len;
                        b
                    });
                    postcard::to_io(&body, &mut fields).ok()?;
                    fields.extend_from_slice(&entry.rest);
                }
                Record::Kept(k) => {
                    let bytes = self.index.get(k.fields.0..k.fields.1)?;
                    let (body, rest) = postcard::take_from_bytes::<Option<Body>>(bytes).ok()?;
                    // Its bytes keep their checksum: damage stays detected.
                    let body = body.map(|b| {
                        pieces.push(Piece::Kept(b));
                        let moved = Body { start: at, ..b };
                        at += b.len;
                        moved
                    });
                    // The stamp, summary and problems as they are.
                    postcard::to_io(&body, &mut fields).ok()?;
                    fields.extend_from_slice(rest);
                }
            }
            postcard::to_io(&(names[i], fields.as_slice()), &mut index).ok()?;
        }
        Some((index, pieces, at))
    }

    /// Would a cache written now trust any of these freshly read files?
    /// One changed within the racy window would be read again all the same.
    pub fn trusted_if_saved(&self, stamps: &[Stamp]) -> bool {
        let now = self.opened_ns;
        stamps.iter().any(|s| s.settled_before(now))
    }

    /// Would writing the cache now make an entry trusted that is not yet?
    pub fn worth_saving(&self, stamps: &[Stamp]) -> bool {
        let now = self.opened_ns;
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

    /// The entries' names stand for the listing of `engagements/` only
    /// while the directory's stamp is the one saved, settled when saved.
    #[test]
    fn the_entries_are_the_listing_only_for_the_directory_they_were_saved_with() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".ft").join("cache");
        let (b, c) = (problem("p"), loaded("C"));
        let file = stamp(60 * SECOND, 11);
        let listed = |listing: Option<Stamp>| {
            Cache::open(&path, 42)
                .save_listed(&[("b".into(), file, &b), ("c".into(), file, &c)], listing);
            Cache::open(&path, 42)
        };
        let settled = stamp(30 * SECOND, 3);
        let cache = listed(Some(settled));
        assert_eq!(cache.listing(&settled), Some(vec!["b", "c"]));
        // Any difference in the directory's stamp: it must be listed.
        for other in [
            Stamp {
                mtime_ns: settled.mtime_ns - 1,
                ..settled
            },
            Stamp {
                ctime_ns: settled.ctime_ns + 1,
                ..settled
            },
            Stamp {
                size: settled.size + 1,
                ..settled
            },
            Stamp { ino: 4, ..settled },
        ] {
            assert_eq!(cache.listing(&other), None, "{other:?}");
            assert!(
                cache.listing_gains(Some(other)),
                "a settled new listing is saved"
            );
        }
        assert!(
            !cache.listing_gains(Some(settled)),
            "the same listing is not saved again"
        );
        assert!(!cache.listing_gains(None));
        let recent = stamp(SECOND / 2, 3);
        assert!(
            !cache.listing_gains(Some(recent)),
            "too recent to be trusted"
        );
        // Saved while the directory was too recent, or without a listing.
        assert_eq!(listed(Some(recent)).listing(&recent), None);
        assert_eq!(listed(None).listing(&settled), None);
        // Another set of playbooks: nothing is known.
        assert_eq!(Cache::open(&path, 43).listing(&settled), None);
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

    /// A header may claim an index as large as the file: past 64 MiB it is
    /// not read at all (a sparse file would otherwise cost every run that).
    #[test]
    fn a_huge_index_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache");
        let claimed = MAX_INDEX + 1;
        let mut header = MAGIC.to_vec();
        header.extend_from_slice(&claimed.to_le_bytes());
        header.extend_from_slice(&0u32.to_le_bytes());
        std::fs::write(&path, &header).unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_len(HEADER as u64 + claimed).unwrap();
        let cache = Cache::open(&path, 42);
        assert!(cache.index.is_empty(), "the index is refused unread");
    }

    /// An engagement placed under another entry (its bytes intact, its
    /// checksum right) is not that entry's answer.
    #[test]
    fn an_engagement_must_be_its_entrys() {
        let f = fixture();
        let mut cache = Cache::open(&f.path, 42);
        let mut hit = cache.hit("c", &f.old, Path::new("c.toml")).ok().unwrap();
        assert!(cache.engagement(&hit, Path::new("c.toml")).is_some());
        hit.summary.as_mut().unwrap().id = "someone-else".into();
        assert!(cache.engagement(&hit, Path::new("c.toml")).is_none());
    }

    #[test]
    fn a_save_gains_only_entries_it_would_trust() {
        let f = fixture();
        let cache = Cache::open(&f.path, 42);
        assert!(cache.trusted_if_saved(&[f.racy, f.old]));
        assert!(
            !cache.trusted_if_saved(&[f.racy]),
            "a file changed half a second ago would be read again from a cache written now"
        );
        assert!(!cache.trusted_if_saved(&[]));
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

    /// Every single-bit flip anywhere in the cache is detected: a damaged
    /// header or index empties the cache, a damaged engagement is a miss
    /// for its file alone; never a wrong answer.
    #[test]
    fn a_flipped_bit_anywhere_is_detected() {
        let f = fixture();
        let good = std::fs::read(&f.path).unwrap();
        let index_end =
            HEADER + usize::try_from(u64::from_le_bytes(good[8..16].try_into().unwrap())).unwrap();
        let take = |cache: &mut Cache| {
            let b = cache.take("b", &f.old, Path::new("b.toml"));
            let c = cache.take("c", &f.old, Path::new("c.toml"));
            (b, c)
        };
        let mut missed_c = 0;
        for i in 0..good.len() {
            for bit in [0, 3, 7] {
                let mut bytes = good.clone();
                bytes[i] ^= 1 << bit;
                std::fs::write(&f.path, &bytes).unwrap();
                let (b, c) = take(&mut Cache::open(&f.path, 42));
                if i < index_end {
                    assert!(
                        b.is_err() && c.is_err(),
                        "byte {i} bit {bit} flipped: the index is discarded"
                    );
                    continue;
                }
                // In the engagements: the damaged one is read again, the others answer.
                let b = b.expect("`b` has no engagement to damage");
                assert_eq!(b.problems[0].message, "cached problem");
                match c {
                    Ok(c) => assert_eq!(c.engagement.unwrap().customer, "Cached"),
                    Err(_) => missed_c += 1,
                }
            }
        }
        assert!(missed_c > 0, "some flips fall in `c`'s engagement");
        std::fs::write(&f.path, &good).unwrap();
        let (b, c) = take(&mut Cache::open(&f.path, 42));
        assert!(b.is_ok() && c.is_ok(), "the undamaged cache answers");
    }

    /// Engagements are read a window at a time, whatever their number:
    /// every one comes back, and damage to one is caught for that one.
    #[test]
    fn engagements_are_read_window_by_window() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache");
        let old = stamp(60 * SECOND, 1);
        let one = loaded("Windowed");
        let body_len = postcard::to_stdvec(one.engagement.as_ref().unwrap())
            .unwrap()
            .len();
        // Enough for three windows.
        let n = 3 * usize::try_from(WINDOW).unwrap() / body_len;
        let names: Vec<String> = (0..n).map(|i| format!("e{i:05}")).collect();
        let results: Vec<(String, Stamp, &Loaded)> =
            names.iter().map(|n| (n.clone(), old, &one)).collect();
        Cache::open(&path, 1).save(&results);
        let mut bytes = std::fs::read(&path).unwrap();
        // Damage an engagement in the second window.
        let damaged = n / 2;
        let at = bytes.len() - (n - damaged) * body_len + 1;
        bytes[at] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        let mut cache = Cache::open(&path, 1);
        for (i, name) in names.iter().enumerate() {
            let got = cache.take(name, &old, Path::new("x.toml"));
            if i == damaged {
                assert!(got.is_err(), "the damaged engagement is not used");
            } else {
                let e = got.unwrap().engagement.unwrap();
                assert_eq!(e.customer, "Windowed", "engagement {i}");
            }
        }
        assert!(
            cache.window.len() as u64 <= WINDOW,
            "no more than a window is held"
        );
        // Saving again copies every engagement, the damaged one as it is.
        let hits: Vec<Hit> = {
            let mut again = Cache::open(&path, 1);
            names
                .iter()
                .map(|n| again.hit(n, &old, Path::new("x.toml")).ok().unwrap())
                .collect()
        };
        let mut again = Cache::open(&path, 1);
        let records: Vec<Record> = hits.iter().map(|h| Record::Kept(h.kept)).collect();
        again.save_records(&records, None);
        assert_eq!(std::fs::read(&path).unwrap().len(), bytes.len());
        let mut copied = Cache::open(&path, 1);
        let ok = names
            .iter()
            .filter(|n| copied.take(n, &old, Path::new("x.toml")).is_ok())
            .count();
        assert_eq!(
            ok,
            n - 1,
            "every engagement copied, the damage still detected"
        );
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
