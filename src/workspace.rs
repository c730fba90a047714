//! Finding the workspace and the personal config, and loading what is in them.
//!
//! Workspace resolution, first match wins: `--workspace`, `FT_WORKSPACE`, the
//! nearest ancestor holding `ft.toml`, `workspace` in the personal config,
//! then the platform data directory.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Deserialize;
use toml::Spanned;

use crate::calendar::{Calendar, parse_weekday};
use crate::engagement::cache::{self, Cache, Kept, Record, Stamp};
use crate::engagement::load as eload;
use crate::engagement::ops::Actor;
use crate::engagement::store::{self, Store};
use crate::engagement::store::{Applied, Change};
use crate::engagement::{Engagement, Summary};
use crate::error::{Diagnostic, line_col, user_hint};
use crate::fsx::Dir;
use crate::git::{Found as GitFound, Pull, Push, Repo};
use crate::playbook::{Catalog, Playbook, Source, builtin, load as pload};
use crate::time::When;

pub const FILE: &str = "ft.toml";
pub const PLAYBOOK_DIR: &str = "playbooks";

/// Where the workspace was found, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Flag,
    Env,
    Ancestor,
    Config,
    DataDir,
}

/// Resolve the workspace directory. Pure apart from checking for `ft.toml` upward from `cwd`.
pub fn resolve(
    flag: Option<&Path>,
    env: Option<&Path>,
    cwd: &Path,
    config: Option<&Path>,
    data_dir: Option<&Path>,
) -> Option<(PathBuf, Found)> {
    if let Some(p) = flag {
        return Some((p.to_path_buf(), Found::Flag));
    }
    if let Some(p) = env.filter(|p| !p.as_os_str().is_empty()) {
        return Some((p.to_path_buf(), Found::Env));
    }
    if let Some(dir) = cwd.ancestors().find(|d| d.join(FILE).is_file()) {
        return Some((dir.to_path_buf(), Found::Ancestor));
    }
    if let Some(p) = config {
        return Some((p.to_path_buf(), Found::Config));
    }
    data_dir.map(|p| (p.to_path_buf(), Found::DataDir))
}

/// Workspace settings from `ft.toml`.
#[derive(Debug, Clone)]
pub struct Settings {
    pub calendar: Calendar,
    pub default_playbook: Option<String>,
    /// Commit each change when the workspace is a git work tree.
    pub git_commit: bool,
    /// Share of an SLA's time after which open work is "at risk" (`[sla] at_risk`).
    pub at_risk: f64,
    /// Push after each change (when the branch has an upstream).
    pub git_push: PushMode,
}

/// `[git] push`: after each change, or only on `ft sync`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushMode {
    Auto,
    Manual,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            calendar: Calendar::default(),
            default_playbook: None,
            git_commit: true,
            at_risk: DEFAULT_AT_RISK,
            git_push: PushMode::Auto,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    #[serde(default)]
    calendar: RawCalendar,
    default_playbook: Option<String>,
    #[serde(default)]
    git: RawGit,
    #[serde(default)]
    sla: RawSla,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSla {
    at_risk: Option<Spanned<f64>>,
}

/// Open work is at risk once 75% of its SLA's time is used.
pub const DEFAULT_AT_RISK: f64 = 0.75;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    weekend: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    holidays: Vec<Spanned<toml::value::Datetime>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawGit {
    commit: Option<bool>,
    push: Option<Spanned<String>>,
}

/// `[sla] at_risk`: a share of the time, 0 to 1.
fn at_risk(path: &Path, text: &str, raw: &RawSla, problems: &mut Vec<Diagnostic>) -> f64 {
    let at_risk = raw
        .at_risk
        .as_ref()
        .map_or(DEFAULT_AT_RISK, |a| *a.get_ref());
    if !(0.0..=1.0).contains(&at_risk) {
        let at = raw
            .at_risk
            .as_ref()
            .map_or((1, 1), |a| line_col(text, a.span().start));
        problems.push(Diagnostic::error(
            path,
            at,
            "at-risk",
            format!("`at_risk = {at_risk}` is not a share of the time; use a number from 0 to 1, e.g. 0.75"),
        ));
    }
    at_risk
}

/// `[git] push`: "auto" or "manual".
fn git_push(path: &Path, text: &str, raw: &RawGit, problems: &mut Vec<Diagnostic>) -> PushMode {
    match raw.push.as_ref().map(|p| (p.get_ref().as_str(), p.span())) {
        None | Some(("auto", _)) => PushMode::Auto,
        Some(("manual", _)) => PushMode::Manual,
        Some((other, span)) => {
            problems.push(Diagnostic::error(
                path,
                line_col(text, span.start),
                "git",
                format!("`push` is \"auto\" or \"manual\", not {other:?}"),
            ));
            PushMode::Auto
        }
    }
}

/// Parse `ft.toml`; problems name `path:line:col`.
pub fn parse_settings(path: &Path, text: &str) -> Result<Settings, Vec<Diagnostic>> {
    let raw: RawSettings = toml::from_str(text).map_err(|e| {
        let at = e.span().map_or((1, 1), |s| line_col(text, s.start));
        vec![Diagnostic::error(path, at, "toml", e.message().trim_end())]
    })?;
    let mut problems = Vec::new();
    let mut weekend = Vec::new();
    match &raw.calendar.weekend {
        None => weekend = vec![chrono::Weekday::Sat, chrono::Weekday::Sun],
        Some(days) => {
            for d in days.get_ref() {
                match parse_weekday(d) {
                    Ok(w) => weekend.push(w),
                    Err(e) => problems.push(Diagnostic::error(
                        path,
                        line_col(text, days.span().start),
                        "weekday",
                        e,
                    )),
                }
            }
        }
    }
    let mut holidays = Vec::new();
    for h in &raw.calendar.holidays {
        match When::from_toml(h.get_ref()) {
            Ok(When::Date(d)) => holidays.push(d),
            Ok(When::At(_)) => problems.push(Diagnostic::error(
                path,
                line_col(text, h.span().start),
                "date",
                "holidays are dates, without a time",
            )),
            Err(e) => problems.push(Diagnostic::error(
                path,
                line_col(text, h.span().start),
                "date",
                e,
            )),
        }
    }
    let calendar = Calendar::new(&weekend, holidays).map_err(|e| {
        let at = raw
            .calendar
            .weekend
            .as_ref()
            .map_or((1, 1), |w| line_col(text, w.span().start));
        problems.push(Diagnostic::error(path, at, "weekday", e));
    });
    let at_risk = at_risk(path, text, &raw.sla, &mut problems);
    let git_push = git_push(path, text, &raw.git, &mut problems);
    match calendar {
        Ok(calendar) if problems.is_empty() => Ok(Settings {
            calendar,
            default_playbook: raw.default_playbook,
            git_commit: raw.git.commit.unwrap_or(true),
            at_risk,
            git_push,
        }),
        _ => Err(problems),
    }
}

/// Personal settings: who I am, my role, skills, capacity, default workspace.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub me: Option<String>,
    pub role: Option<String>,
    /// Service -> level (1-4; 3 when not given).
    pub skills: BTreeMap<String, u8>,
    pub capacity: Option<u32>,
    pub workspace: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    me: Option<String>,
    role: Option<String>,
    #[serde(default)]
    skills: Option<RawSkills>,
    capacity: Option<u32>,
    workspace: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawSkills {
    List(Vec<String>),
    Levels(BTreeMap<String, u8>),
}

impl Config {
    /// Load the personal config; a missing file is an empty config.
    pub fn load(path: &Path) -> Result<Config> {
        // Bounded, and never a device or FIFO (`FT_CONFIG=/dev/zero`).
        let text = match store::read(path) {
            Ok(t) => t,
            Err(e)
                if e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) =>
            {
                return Ok(Config {
                    path: Some(path.to_path_buf()),
                    ..Config::default()
                });
            }
            Err(e) => return Err(e),
        };
        Config::parse(path, &text)
    }

    /// The personal config from its text; problems name `path:line:col`.
    pub fn parse(path: &Path, text: &str) -> Result<Config> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            user_hint(
                format!(
                    "{}:{line}:{col}: {}",
                    path.display(),
                    e.message().trim_end()
                ),
                "the personal config takes `me`, `role`, `skills`, `capacity` and `workspace`",
            )
        })?;
        let skills = match raw.skills {
            None => BTreeMap::new(),
            Some(RawSkills::List(list)) => list.into_iter().map(|s| (s, 3)).collect(),
            Some(RawSkills::Levels(map)) => map,
        };
        let base = path.parent().unwrap_or(Path::new("."));
        Ok(Config {
            path: Some(path.to_path_buf()),
            me: raw.me,
            role: raw.role,
            skills,
            capacity: raw.capacity,
            workspace: raw.workspace.map(|w| base.join(w)),
        })
    }
}

/// A resolved workspace with its settings and playbooks.
pub struct Workspace {
    pub root: PathBuf,
    pub settings: Settings,
    pub catalog: Catalog,
    /// Problems in `ft.toml` and local playbooks (those playbooks are skipped).
    pub problems: Vec<Diagnostic>,
    pub store: Store,
    /// Identifies the playbooks that engagement files were validated against.
    pub fingerprint: u64,
}

impl Workspace {
    /// The workspace's name, the same however it was reached (`-w .`, an
    /// absolute path, a link): the last component of its real path.
    pub fn name(&self) -> String {
        let real = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        real.file_name()
            .or_else(|| self.root.file_name())
            .map_or_else(|| "ft".into(), |n| n.to_string_lossy().into_owned())
    }

    /// Open a workspace directory that holds `ft.toml`.
    pub fn open(root: &Path) -> Result<Workspace> {
        let file = root.join(FILE);
        if !file.is_file() {
            return Err(user_hint(
                format!("no workspace at `{}` (no {FILE})", root.display()),
                format!(
                    "create one with `ft init {}`, or point to one with -w DIR",
                    root.display()
                ),
            ));
        }
        let mut problems = Vec::new();
        // Below the root nothing is followed through a link (see `fsx`).
        let dir = Dir::open(root)?;
        let text = dir.read_text(FILE, eload::MAX_BYTES)?;
        let settings = parse_settings(&file, &text).unwrap_or_else(|p| {
            problems.extend(p);
            Settings::default()
        });
        let mut catalog = Catalog::default();
        for p in builtin::all() {
            catalog.insert(p);
        }
        let mut hasher = build_hasher(env!("FT_SOURCE_HASH"));
        load_playbooks(&dir, &mut catalog, &mut problems, &mut hasher)?;
        Ok(Workspace {
            root: root.to_path_buf(),
            settings,
            catalog,
            problems,
            store: Store::new(root),
            fingerprint: hasher.finish(),
        })
    }

    /// Load every engagement file, through the cache. Unusable files are
    /// returned as diagnostics.
    pub fn load_all(&self) -> Result<(Vec<Engagement>, Vec<Diagnostic>)> {
        let s = self.load_where(true, &|_| true)?;
        Ok((s.engagements, s.problems))
    }

    /// [`Workspace::load_all`] without writing the cache: for shell
    /// completion, which writes nothing.
    pub fn peek_all(&self) -> Result<(Vec<Engagement>, Vec<Diagnostic>)> {
        let s = self.load_where(false, &|_| true)?;
        Ok((s.engagements, s.problems))
    }

    /// The summary of every engagement, and in full only those `want`
    /// accepts: a cached engagement that is not wanted is never read. The
    /// files the cache cannot answer for are read and parsed on every core.
    pub fn load_where(&self, save: bool, want: &Want<'_>) -> Result<Selection> {
        let mut engagements = Vec::new();
        let mut selection = self.load_each(save, want, &mut |e| {
            engagements.push(e);
            Ok(())
        })?;
        selection.engagements = engagements;
        Ok(selection)
    }

    /// [`Workspace::load_where`], giving `each` the wanted engagements one
    /// at a time, in the workspace's order, instead of keeping them: those
    /// the cache answers for as they are read (a warm run holds one at a
    /// time), the others once they are parsed. An error from `each` ends
    /// the pass.
    pub fn load_each(
        &self,
        save: bool,
        want: &Want<'_>,
        each: &mut dyn FnMut(Engagement) -> Result<()>,
    ) -> Result<Selection> {
        let mut cache = Cache::open(&self.root.join(".ft").join("cache"), self.fingerprint);
        let Some(dir) = self.store.open_dir()? else {
            return Ok(Pass::new(0).finish());
        };
        // The directory's stamp before it is listed: a name added while it
        // is listed changes it after.
        let dir_stamp = dir.stat().ok().map(|st| Stamp::of_stat(&st));
        let files = match dir_stamp.as_ref().and_then(|s| cache.listing(s)) {
            Some(names) => store::named(&dir, &names),
            None => store::files_in(&dir)?,
        };
        // Never through a link, and refused unless a regular file. A file
        // the cache answers for is only stat'ed, never opened; with nothing
        // cached, a file listed as regular is not stat'ed before it is
        // opened (the open checks it again).
        let stats = stat_all(&dir, &files, cache.is_empty());
        let mut pass = Pass::new(files.len());
        let mut misses = Vec::new();
        for (listed, stat) in files.into_iter().zip(stats) {
            let path = listed.path;
            match (listed.id, stat) {
                (Ok(id), Some(Ok(Some(stamp)))) => {
                    if let Some(miss) = pass.lookup(&mut cache, id, path, stamp, want) {
                        misses.push(miss);
                    }
                }
                (Ok(id), Some(Ok(None))) => misses.push(pass.miss(id, path)),
                (_, Some(Err(e))) => pass.problems.push(read_problem(&path, &e)),
                (id, _) => pass.problems.push(
                    Diagnostic::error(&path, (1, 1), "file-name", id.err().unwrap_or_default())
                        .with_hint(Some(
                            "rename the file to a plain name such as `contoso-teams.toml`".into(),
                        )),
                ),
            }
            // Nothing before it is still to be parsed: in order already.
            if misses.is_empty() {
                pass.wanted.drain(..).try_for_each(|(_, e)| each(e))?;
            }
        }
        let parsed = parse_all(&dir, &misses, &self.catalog, want);
        pass.fill(misses, parsed);
        pass.wanted.drain(..).try_for_each(|(_, e)| each(e))?;
        // Every file has a record: the entries' names are the listing.
        let listing = dir_stamp.filter(|_| pass.problems.is_empty());
        // A save is worth its cost when it makes an entry trusted (a file
        // parsed now that a cache written now may answer for, or one that
        // has settled since), records a listing, or mends or drops entries.
        let gains = pass.damaged
            || cache.leftovers() > 0
            || cache.worth_saving(&pass.racy)
            || cache.trusted_if_saved(&pass.fresh)
            || cache.listing_gains(listing);
        if save && gains {
            cache.save_records(&pass.records(), listing);
        }
        Ok(pass.finish())
    }

    /// Change one engagement under the workspace lock (see
    /// [`Store::apply_locked`]), then commit the change when the workspace is
    /// in a git repository, with the confirmation line as the message, and
    /// push it when `[git] push` is auto.
    pub fn apply(
        &self,
        id: &str,
        actor: &Actor,
        plan: impl FnOnce(&Engagement, &Playbook) -> Result<Change>,
    ) -> Result<Applied> {
        let session = self.session()?;
        let applied = session.apply(id, actor, plan)?;
        if applied.changed {
            session.share();
        }
        Ok(applied)
    }

    /// Create an engagement file under the lock, commit and push it in a git workspace.
    pub fn create(&self, id: &str, text: &str, message: &str) -> Result<PathBuf> {
        let session = self.session()?;
        let path = self.store.create_locked(id, text)?;
        session.commit(&[&path], message)?;
        session.share();
        Ok(path)
    }

    /// Start changing the workspace: refuse a broken `ft.toml`, take the
    /// lock, and find the git repository, refusing to write on top of an
    /// unfinished git operation. Everything done through the session (git
    /// included) happens under the lock, released when it is dropped.
    pub fn session(&self) -> Result<Session<'_>> {
        let file = self.root.join(FILE);
        if let Some(d) = self
            .problems
            .iter()
            .find(|d| d.path == file && d.is_error())
        {
            return Err(user_hint(
                format!("{}:{}:{}: {}", file.display(), d.line, d.column, d.message),
                "fix ft.toml first: with broken settings ft changes nothing (`ft check` lists every problem)",
            ));
        }
        let lock = crate::lock::acquire(&self.root)?;
        let repo = self.repo()?;
        if let Some(repo) = &repo {
            repo.refuse_if_busy()?;
            for did in repo.ensure_driver()? {
                eprintln!("note: {did} (ft's merge driver keeps both sides' notes and events)");
            }
        }
        Ok(Session {
            ws: self,
            _lock: lock,
            repo,
        })
    }

    /// The git repository holding this workspace, when commits are wanted;
    /// says so when there is a repository ft will not use.
    pub fn repo(&self) -> Result<Option<Repo>> {
        if !self.settings.git_commit {
            return Ok(None);
        }
        match Repo::find(&self.root) {
            GitFound::Repo(r) => Ok(Some(r)),
            GitFound::None => Ok(None),
            GitFound::Refused(why) => {
                eprintln!("note: not committing: {why}");
                Ok(None)
            }
        }
    }

    /// Path relative to the workspace root, for display.
    pub fn rel<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }
}

/// Every engagement's summary, the wanted ones in full, and the problems of
/// every file (see [`Workspace::load_where`]).
pub struct Selection {
    pub summaries: Vec<Summary>,
    pub engagements: Vec<Engagement>,
    pub problems: Vec<Diagnostic>,
}

fn read_problem(path: &Path, e: &anyhow::Error) -> Diagnostic {
    Diagnostic::error(path, (1, 1), "read", format!("{e:#}"))
}

/// Which engagements a command wants in full, from their summaries (id,
/// playbook, status and team; the path may not be set yet).
pub type Want<'a> = dyn Fn(&Summary) -> bool + Sync + 'a;

/// One file's place in a pass: what the cache will keep of it.
enum Slot {
    /// Taken from the cache.
    Kept(Kept),
    /// Parsed in this pass (its summary is in [`Pass::summaries`]).
    Fresh(Box<Fresh>),
    /// To be read and parsed (see [`Pass::fill`]), or unreadable.
    Pending,
}

/// A file parsed in this pass: its name and problems, and its entry
/// encoded for the cache.
struct Fresh {
    id: String,
    problems: Vec<Diagnostic>,
    entry: cache::Entry,
}

/// A file the cache could not answer for: where its result goes in the
/// pass, its id and path.
struct Miss {
    slot: usize,
    id: String,
    path: PathBuf,
}

/// A file read and parsed: its stamp when read, its summary, problems and
/// entry as the cache keeps them, and the engagement itself when wanted.
struct Parsed {
    stamp: Stamp,
    summary: Option<Summary>,
    problems: Vec<Diagnostic>,
    entry: cache::Entry,
    wanted: Option<Box<Engagement>>,
}

/// Read and parse one file the cache could not answer for.
fn parse_one(
    dir: &Dir,
    id: &str,
    path: &Path,
    catalog: &Catalog,
    want: &Want<'_>,
) -> Result<Parsed> {
    // Stat'ed or listed as a regular file (see `stat_all`).
    let file = dir.open_stated(&format!("{id}.toml"))?;
    // The stamp of what was read: the file may have changed since the stat.
    let stamp = Stamp::of(&file.meta);
    let text = file.read_text(eload::MAX_BYTES)?;
    Ok(parsed(path, id, stamp, &text, catalog, want))
}

/// A file's text parsed, its engagement encoded for the cache.
fn parsed(
    path: &Path,
    id: &str,
    stamp: Stamp,
    text: &str,
    catalog: &Catalog,
    want: &Want<'_>,
) -> Parsed {
    let loaded = eload::parse(path, id, text, catalog);
    let summary = loaded.engagement.as_ref().map(Summary::of);
    let engagement = loaded.engagement.as_ref().zip(summary.as_ref());
    let entry = cache::Entry::new(&stamp, engagement, &loaded.problems);
    let wanted = loaded
        .engagement
        .filter(|_| summary.as_ref().is_some_and(want))
        .map(Box::new);
    Parsed {
        stamp,
        summary,
        problems: loaded.problems,
        entry,
        wanted,
    }
}

/// [`parse_one`] for every miss, in order, on every core for many.
fn parse_all(
    dir: &Dir,
    misses: &[Miss],
    catalog: &Catalog,
    want: &Want<'_>,
) -> Ordered<Result<Parsed>> {
    on_threads(misses, 32, |part| {
        part.iter()
            .map(|m| parse_one(dir, &m.id, &m.path, catalog, want))
            .collect()
    })
}

/// The status of every file with a usable name, in order, on every core
/// for many files: as git preloads its index, the `stat`s of a warm run
/// are most of its time, and the kernel answers them side by side.
/// `Ok(None)` for a file listed as regular that `unless_regular` spares
/// the `stat` (no cache to compare it with).
fn stat_all(
    dir: &Dir,
    files: &[store::Listed],
    unless_regular: bool,
) -> Ordered<Option<Result<Option<Stamp>>>> {
    if unless_regular && files.iter().all(|f| f.regular) {
        let none = files.iter().map(|f| f.id.is_ok().then_some(Ok(None)));
        return vec![none.collect()].into_iter().flatten();
    }
    on_threads(files, 1_000, |part| {
        let mut name = String::new();
        part.iter()
            .map(|f| {
                let id = f.id.as_ref().ok()?;
                if unless_regular && f.regular {
                    return Some(Ok(None));
                }
                name.clear();
                name.push_str(id);
                name.push_str(".toml");
                Some(dir.stat_file(&name).map(|st| Some(Stamp::of_stat(&st))))
            })
            .collect()
    })
}

/// Results in order, as the parts they were made in (not copied into one).
type Ordered<R> = std::iter::Flatten<std::vec::IntoIter<Vec<R>>>;

/// `work` over `items` in order: on one thread, or on as many as the
/// machine has cores when there are at least two `per_thread` each. The
/// threads take chunks (of 64, fewer for a few items) as they finish the
/// last (files differ in size), and the results are given back in order.
fn on_threads<T: Sync, R: Send>(
    items: &[T],
    per_thread: usize,
    work: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Ordered<R> {
    let threads = match items.len() / per_thread {
        0 | 1 => 1,
        most => std::thread::available_parallelism().map_or(1, |n| n.get().min(most)),
    };
    if threads == 1 {
        return vec![work(items)].into_iter().flatten();
    }
    // At most 64, and small enough for a few chunks each.
    let chunk = (items.len() / (threads * 4)).clamp(1, 64);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let take = || {
        let mut done = Vec::new();
        loop {
            let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) * chunk;
            let Some(part) = items.get(at..(at + chunk).min(items.len())) else {
                return done;
            };
            if part.is_empty() {
                return done;
            }
            done.push((at, work(part)));
        }
    };
    let mut done: Vec<(usize, Vec<R>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(take)).collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    done.sort_unstable_by_key(|(at, _)| *at);
    let parts: Vec<Vec<R>> = done.into_iter().map(|(_, r)| r).collect();
    parts.into_iter().flatten()
}

/// One pass over the engagement files: what [`Workspace::load_where`]
/// gathers file by file. A hit costs its summary and where its entry lies
/// in the cache's index, which a save copies.
struct Pass {
    slots: Vec<Slot>,
    /// Each slot's summary (none for a file with no usable engagement).
    summaries: Vec<Option<Summary>>,
    /// The problems of hits that have any, by slot.
    kept_problems: Vec<(usize, Vec<Diagnostic>)>,
    /// Wanted engagements, by slot.
    wanted: Vec<(usize, Engagement)>,
    /// Files with no slot: bad names, unreadable.
    problems: Vec<Diagnostic>,
    /// A cached engagement did not match its checksum.
    damaged: bool,
    /// The stamps of the files parsed, and of those the cache had but did
    /// not yet trust.
    fresh: Vec<Stamp>,
    racy: Vec<Stamp>,
}

impl Pass {
    /// What the cache saves of this pass.
    fn records(&self) -> Vec<Record<'_>> {
        self.slots
            .iter()
            .filter_map(|slot| match slot {
                Slot::Kept(k) => Some(Record::Kept(*k)),
                Slot::Fresh(f) => Some(Record::Fresh {
                    name: &f.id,
                    entry: &f.entry,
                }),
                Slot::Pending => None,
            })
            .collect()
    }

    fn new(files: usize) -> Pass {
        Pass {
            slots: Vec::with_capacity(files),
            summaries: Vec::with_capacity(files),
            kept_problems: Vec::new(),
            wanted: Vec::new(),
            problems: Vec::new(),
            damaged: false,
            fresh: Vec::new(),
            racy: Vec::new(),
        }
    }

    /// Take one file from the cache when its entry for `stamp` can be
    /// trusted (reading the engagement only when wanted); otherwise the
    /// file is a miss, to be read and parsed.
    fn lookup(
        &mut self,
        cache: &mut Cache,
        id: String,
        path: PathBuf,
        stamp: Stamp,
        want: &Want<'_>,
    ) -> Option<Miss> {
        let slot = self.slots.len();
        match cache.hit(&id, &stamp, &path) {
            Ok(mut hit) => {
                let wanted = hit.summary.as_ref().is_some_and(want);
                match wanted.then(|| cache.engagement(&hit, &path)) {
                    Some(None) => self.damaged = true, // read the file
                    found => {
                        if let Some(Some(e)) = found {
                            self.wanted.push((slot, e));
                        }
                        if let Some(s) = &mut hit.summary {
                            s.path = path;
                        }
                        if !hit.problems.is_empty() {
                            self.kept_problems.push((slot, hit.problems));
                        }
                        self.slots.push(Slot::Kept(hit.kept));
                        self.summaries.push(hit.summary);
                        return None;
                    }
                }
            }
            Err(true) => self.racy.push(stamp),
            Err(false) => {}
        }
        Some(self.miss(id, path))
    }

    /// A file to be read and parsed without asking the cache.
    fn miss(&mut self, id: String, path: PathBuf) -> Miss {
        let slot = self.slots.len();
        self.slots.push(Slot::Pending);
        self.summaries.push(None);
        Miss { slot, id, path }
    }

    /// Put the misses' results in their places.
    fn fill(&mut self, misses: Vec<Miss>, parsed: impl Iterator<Item = Result<Parsed>>) {
        let mut wanted = Vec::new();
        for (miss, parsed) in misses.into_iter().zip(parsed) {
            match parsed {
                Ok(p) => {
                    self.fresh.push(p.stamp);
                    self.slots[miss.slot] = Slot::Fresh(Box::new(Fresh {
                        id: miss.id,
                        problems: p.problems,
                        entry: p.entry,
                    }));
                    self.summaries[miss.slot] = p.summary;
                    wanted.extend(p.wanted.map(|e| (miss.slot, *e)));
                }
                Err(e) => self.problems.push(read_problem(&miss.path, &e)),
            }
        }
        if !wanted.is_empty() {
            self.wanted.extend(wanted);
            self.wanted.sort_by_key(|(slot, _)| *slot);
        }
    }

    fn finish(self) -> Selection {
        let Pass {
            slots,
            summaries,
            kept_problems,
            wanted,
            mut problems,
            ..
        } = self;
        let mut kept_problems = kept_problems.into_iter().peekable();
        for (i, slot) in slots.into_iter().enumerate() {
            match slot {
                Slot::Fresh(f) => problems.extend(f.problems),
                Slot::Kept(_) => {
                    if let Some((_, p)) = kept_problems.next_if(|(at, _)| *at == i) {
                        problems.extend(p);
                    }
                }
                Slot::Pending => {}
            }
        }
        Selection {
            summaries: summaries.into_iter().flatten().collect(),
            engagements: wanted.into_iter().map(|(_, e)| e).collect(),
            problems,
        }
    }
}

/// Changing a workspace: the lock is held, and the repository (if any) was
/// found in a state ft may write on.
pub struct Session<'a> {
    ws: &'a Workspace,
    _lock: crate::lock::Lock,
    pub repo: Option<Repo>,
}

impl Session<'_> {
    /// [`Store::apply_locked`], then commit the file.
    pub fn apply(
        &self,
        id: &str,
        actor: &Actor,
        plan: impl FnOnce(&Engagement, &Playbook) -> Result<Change>,
    ) -> Result<Applied> {
        let ws = self.ws;
        let applied = ws.store.apply_locked(id, &ws.catalog, actor, plan)?;
        if applied.changed {
            self.commit(&[&ws.store.path(id)?], &applied.line)?;
        }
        Ok(applied)
    }

    /// Commit files in a git workspace. The change is saved already, so a
    /// failure says so, and is an error: a person must know it is not shared.
    pub fn commit(&self, paths: &[&Path], message: &str) -> Result<()> {
        if let Some(repo) = &self.repo {
            repo.commit(paths, message).map_err(|e| {
                user_hint(
                    format!("saved, but not committed: {e:#}"),
                    "fix the repository (`git status`), then commit with `git commit -a` or run `ft sync`",
                )
            })?;
        }
        Ok(())
    }

    /// The repository, when its branch has an upstream to share with.
    pub fn shared(&self) -> Option<&Repo> {
        self.repo.as_ref().filter(|r| r.has_upstream())
    }

    /// With `push = "auto"`: push what is committed, bringing in the
    /// remote's changes when someone pushed first. Never fails the command:
    /// the change is saved and committed, and a push that cannot happen now
    /// is reported as pending.
    pub fn share(&self) {
        if self.ws.settings.git_push != PushMode::Auto {
            return;
        }
        let Some(repo) = self.shared() else {
            return;
        };
        if let Err(why) = push_now(repo) {
            eprintln!("note: committed here; push pending ({why}); `ft sync` sends it");
        }
    }
}

/// Push, rebasing over others' pushes a few times; the reason when it could not.
fn push_now(repo: &Repo) -> Result<(), String> {
    let foreign = repo.foreign_commits().map_err(|e| format!("{e:#}"))?;
    if !foreign.is_empty() {
        return Err(format!(
            "commits ft did not make are waiting: {}",
            foreign.join(", ")
        ));
    }
    for _ in 0..4 {
        match repo.push().map_err(|e| format!("{e:#}"))? {
            Push::Pushed => return Ok(()),
            Push::Failed(why) => return Err(format!("cannot reach the remote: {why}")),
            Push::Rejected => {}
        }
        let dirty = repo.dirty().map_err(|e| format!("{e:#}"))?;
        if !dirty.is_empty() {
            return Err(format!(
                "the remote has new changes and uncommitted edits in {} keep ft from rebasing",
                dirty.join(", ")
            ));
        }
        match repo.pull(None).map_err(|e| format!("{e:#}"))? {
            Pull::Updated => {}
            Pull::Offline(why) => return Err(format!("cannot reach the remote: {why}")),
            Pull::Conflict { files, .. } => {
                return Err(format!(
                    "your change conflicts with the remote in {}",
                    files.join(", ")
                ));
            }
        }
    }
    Err("the remote keeps moving".into())
}

/// Add the playbooks of `playbooks/` (a real folder, never a link) to the
/// catalog, hashing each file for the fingerprint; a file that cannot be
/// read or parsed is a problem and is skipped.
fn load_playbooks(
    root: &Dir,
    catalog: &mut Catalog,
    problems: &mut Vec<Diagnostic>,
    hasher: &mut impl Hasher,
) -> Result<()> {
    let Some(dir) = root.sub(PLAYBOOK_DIR)? else {
        return Ok(());
    };
    for name in playbook_files(&dir)? {
        let path = dir.join(&name);
        let text = match dir.read_text(&name, crate::yaml::MAX_BYTES) {
            Ok(t) => t,
            Err(e) => {
                problems.push(Diagnostic::error(&path, (1, 1), "read", format!("{e:#}")));
                continue;
            }
        };
        (path.file_name(), &text).hash(hasher);
        match pload::parse(&path, &text, Source::File(path.clone())) {
            Ok(p) => catalog.insert(p),
            Err(p) => problems.extend(p),
        }
    }
    Ok(())
}

/// Names of the `*.yaml` / `*.yml` files in a directory, sorted.
pub fn playbook_files(dir: &Dir) -> Result<Vec<String>> {
    Ok(dir
        .entries()?
        .into_iter()
        .filter_map(|(name, _)| name.into_string().ok())
        .filter(|n| {
            Path::new(n)
                .extension()
                .is_some_and(|x| x == "yaml" || x == "yml")
        })
        .collect())
}

/// The start of a cache's fingerprint: this build of `ft` (its version and
/// `source`, the hash of its sources, as another build may judge the files
/// differently) and its built-in playbooks. The local playbooks follow.
fn build_hasher(source: &str) -> std::hash::DefaultHasher {
    let mut hasher = std::hash::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    source.hash(&mut hasher);
    for (name, text) in builtin::FILES {
        (name, text).hash(&mut hasher);
    }
    hasher
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workspace of the demo engagements, each three times over.
    fn demo_workspace(dir: &Path) -> Workspace {
        std::fs::write(dir.join("ft.toml"), "").unwrap();
        let engagements = dir.join("engagements");
        std::fs::create_dir(&engagements).unwrap();
        let today = "2026-11-23".parse().unwrap();
        for (id, template) in crate::demo::ENGAGEMENTS {
            for n in 0..3 {
                let text = crate::demo::expand(template, today);
                std::fs::write(engagements.join(format!("{id}-{n}.toml")), text).unwrap();
            }
        }
        Workspace::open(dir).unwrap()
    }

    /// Work split over threads comes back whole and in order.
    #[test]
    fn work_on_threads_comes_back_in_order() {
        let items: Vec<usize> = (0..10_007).collect();
        let doubled: Vec<usize> =
            on_threads(&items, 100, |part| part.iter().map(|i| i * 2).collect()).collect();
        let want: Vec<usize> = items.iter().map(|i| i * 2).collect();
        assert_eq!(doubled, want);
        assert_eq!(
            on_threads(&items[..5], 100, |part| part.to_vec()).collect::<Vec<_>>(),
            &items[..5]
        );
        // A few items per thread: chunks smaller than 64.
        for n in [64, 70, 129] {
            let got: Vec<usize> = on_threads(&items[..n], 32, |part| part.to_vec()).collect();
            assert_eq!(got, &items[..n]);
        }
    }

    /// `load_each` gives every wanted engagement once, in the workspace's
    /// order, whether the cache answers for all, none, or all but a few
    /// (which are parsed after the others are read).
    #[test]
    fn each_wanted_engagement_is_given_once_in_order() {
        let tmp = tempfile::tempdir().unwrap();
        let ws = demo_workspace(tmp.path());
        let given = |want: &Want<'_>| {
            let mut ids = Vec::new();
            ws.load_each(true, want, &mut |e| {
                ids.push(e.id);
                Ok(())
            })
            .unwrap();
            ids
        };
        let all = |_: &Summary| true;
        let alice = |s: &Summary| s.roles_of("alice").next().is_some();
        let expected = |want: &Want<'_>| -> Vec<String> {
            let s = ws.load_where(false, &|_| false).unwrap();
            s.summaries
                .into_iter()
                .filter(|s| want(s))
                .map(|s| s.id)
                .collect()
        };
        let (every, mine) = (expected(&all), expected(&alice));
        assert_eq!(every.len(), 24);
        assert!(!mine.is_empty() && mine.len() < 24, "{mine:?}");
        for round in 0..3 {
            if round == 1 {
                // Settled: the cache answers for every file.
                std::thread::sleep(std::time::Duration::from_millis(2100));
                ws.load_where(true, &|_| false).unwrap();
            }
            if round == 2 {
                for id in ["adatum-webapps-1", "contoso-teams-0"] {
                    let path = ws.store.path(id).unwrap();
                    let text = std::fs::read_to_string(&path).unwrap();
                    std::fs::write(&path, format!("{text}\n")).unwrap();
                }
            }
            assert_eq!(given(&all), every, "round {round}");
            assert_eq!(given(&alice), mine, "round {round}");
        }
        let mut stopped = 0;
        let err = ws.load_each(true, &all, &mut |_| {
            stopped += 1;
            anyhow::bail!("enough")
        });
        assert!(
            err.is_err() && stopped == 1,
            "an error from `each` ends the pass"
        );

        // Settled, every file cached: the entries stand for the listing,
        // until a name is added or removed.
        let listed = || {
            let dir = ws.store.open_dir().unwrap().unwrap();
            let cache = Cache::open(&ws.root.join(".ft").join("cache"), ws.fingerprint);
            let names = cache.listing(&Stamp::of_stat(&dir.stat().unwrap()));
            names.map(|n| n.len())
        };
        assert_eq!(listed(), Some(24), "the cache holds the listing");
        let added = ws.store.dir().join("added.toml");
        std::fs::copy(ws.store.path("adatum-webapps-1").unwrap(), &added).unwrap();
        std::fs::remove_file(ws.store.path("contoso-teams-0").unwrap()).unwrap();
        assert_eq!(listed(), None, "a changed directory is listed again");
        let ids = given(&all);
        assert_eq!(ids.len(), 24, "{ids:?}");
        assert!(ids.contains(&"added".to_string()), "{ids:?}");
        assert!(!ids.contains(&"contoso-teams-0".to_string()), "{ids:?}");
    }

    #[test]
    fn resolution_order() {
        let tmp = tempfile::tempdir().unwrap();
        let ws = tmp.path().join("ws");
        let deep = ws.join("engagements/sub");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(ws.join(FILE), "").unwrap();
        let flag = Path::new("/flag");
        let env = Path::new("/env");
        let cfg = Path::new("/cfg");
        let data = Path::new("/data");
        let r = |f, e, cwd: &Path, c, d| resolve(f, e, cwd, c, d);
        assert_eq!(
            r(Some(flag), Some(env), &deep, Some(cfg), Some(data))
                .unwrap()
                .1,
            Found::Flag
        );
        assert_eq!(
            r(None, Some(env), &deep, Some(cfg), Some(data)).unwrap().1,
            Found::Env
        );
        assert_eq!(
            r(None, None, &deep, Some(cfg), Some(data)).unwrap(),
            (ws.clone(), Found::Ancestor)
        );
        assert_eq!(
            r(None, None, tmp.path(), Some(cfg), Some(data)).unwrap().1,
            Found::Config
        );
        assert_eq!(
            r(None, None, tmp.path(), None, Some(data)).unwrap().1,
            Found::DataDir
        );
        assert!(r(None, None, tmp.path(), None, None).is_none());
    }

    #[test]
    fn settings_calendar() {
        let s = parse_settings(
            Path::new("ft.toml"),
            "[calendar]\nweekend = [\"Fri\", \"Sat\"]\nholidays = [2026-12-25]\n",
        )
        .unwrap();
        assert_eq!(
            s.calendar.weekend_days(),
            [chrono::Weekday::Fri, chrono::Weekday::Sat]
        );
        let bad = parse_settings(
            Path::new("ft.toml"),
            "[calendar]\nweekend = [\"Caturday\"]\n",
        )
        .unwrap_err();
        assert_eq!(bad[0].line, 2);
    }

    /// A cache written by one build is not one another build trusts, even
    /// of the same version and playbooks.
    #[test]
    fn a_cache_fingerprint_names_the_build() {
        let of = |source: &str| build_hasher(source).finish();
        assert_eq!(of("a"), of("a"));
        assert_ne!(of("a"), of("b"));
        assert_ne!(of(env!("FT_SOURCE_HASH")), of(""));
    }

    #[test]
    fn settings_push_is_auto_or_manual() {
        let p = Path::new("ft.toml");
        assert_eq!(parse_settings(p, "").unwrap().git_push, PushMode::Auto);
        let s = parse_settings(p, "[git]\npush = \"manual\"\n").unwrap();
        assert_eq!(s.git_push, PushMode::Manual);
        let bad = parse_settings(p, "[git]\ncommit = false\npush = \"later\"\n").unwrap_err();
        assert_eq!((bad[0].line, bad[0].column), (3, 8));
    }
}

/// The index answer (who holds which role, and so which engagements `ft
/// next` decodes) against a full parse, over random workspaces and edits.
#[cfg(test)]
mod index_tests {
    use proptest::prelude::*;

    use super::*;
    use crate::agenda;
    use crate::engagement::load::parse;

    const PEOPLE: [&str; 4] = ["alice", "Alice", "bob", "carol"];
    const ROLES: [&str; 7] = ["FE", "PM", "FM", "FTA", "PE", "PEM", "CLE"];
    const STATUSES: [&str; 4] = ["unassigned", "active", "on-hold", "closed"];
    const PLAYBOOKS: [&str; 4] = [
        "azure-fasttrack-engineer",
        "m365-general-engagement",
        "mcs-escalation",
        "no-such-playbook",
    ];

    /// One engagement file: a demo template with its status, playbook and
    /// team changed.
    #[derive(Debug, Clone)]
    struct Spec {
        template: usize,
        status: Option<usize>,
        playbook: Option<usize>,
        team: Vec<(usize, Option<usize>)>,
    }

    fn spec() -> impl Strategy<Value = Spec> {
        (
            0..crate::demo::ENGAGEMENTS.len(),
            proptest::option::of(0..STATUSES.len()),
            proptest::option::weighted(0.2, 0..PLAYBOOKS.len()),
            proptest::collection::vec(
                (0..ROLES.len(), proptest::option::of(0..PEOPLE.len())),
                0..4,
            ),
        )
            .prop_map(|(template, status, playbook, team)| Spec {
                template,
                status,
                playbook,
                team,
            })
    }

    fn text(id: &str, s: &Spec) -> String {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let template = crate::demo::ENGAGEMENTS[s.template].1;
        let mut doc: toml_edit::DocumentMut = crate::demo::expand(template, today).parse().unwrap();
        doc["id"] = toml_edit::value(id);
        if let Some(st) = s.status {
            doc["status"] = toml_edit::value(STATUSES[st]);
        }
        if let Some(p) = s.playbook {
            doc["playbook"] = toml_edit::value(PLAYBOOKS[p]);
        }
        if !doc.contains_table("team") {
            doc["team"] = toml_edit::table();
        }
        let team = doc["team"].as_table_mut().unwrap();
        for (role, person) in &s.team {
            match person {
                Some(p) => {
                    let mut member = toml_edit::InlineTable::new();
                    member.insert("person", PEOPLE[*p].into());
                    team.insert(ROLES[*role], toml_edit::value(member));
                }
                None => {
                    team.remove(ROLES[*role]);
                }
            }
        }
        doc.to_string()
    }

    fn catalog() -> Catalog {
        let mut catalog = Catalog::default();
        for p in builtin::all() {
            catalog.insert(p);
        }
        catalog
    }

    /// A settled stamp, different for each version of a file.
    fn stamp(text: &str, i: usize, version: i128) -> Stamp {
        let now = i128::try_from(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos(),
        )
        .unwrap();
        let t = now - 600_000_000_000 + version;
        Stamp {
            size: text.len() as u64,
            mtime_ns: t,
            ctime_ns: t,
            ino: i as u64,
            dev: 1,
        }
    }

    /// One pass over `files` (id, text, version) through the cache at `path`, saved after.
    fn pass(path: &Path, files: &[(String, String, i128)], want: &Want<'_>) -> Selection {
        let catalog = catalog();
        let mut cache = Cache::open(path, 7);
        let mut pass = Pass::new(files.len());
        let (mut misses, mut parsed) = (Vec::new(), Vec::new());
        for (i, (id, text, version)) in files.iter().enumerate() {
            let file = Path::new("/ws/engagements").join(format!("{id}.toml"));
            let stamp = stamp(text, i, *version);
            if let Some(miss) = pass.lookup(&mut cache, id.clone(), file.clone(), stamp, want) {
                misses.push(miss);
                parsed.push(Ok(super::parsed(&file, id, stamp, text, &catalog, want)));
            }
        }
        pass.fill(misses, parsed.into_iter());
        cache.save_records(&pass.records(), None);
        pass.finish()
    }

    fn files(specs: &[Spec], version: i128) -> Vec<(String, String, i128)> {
        specs
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let id = format!("e{i:02}");
                let text = text(&id, s);
                (id, text, version)
            })
            .collect()
    }

    /// The items of `ft next`, comparable.
    fn items(ask: &agenda::Ask, engagements: &[Engagement]) -> Vec<String> {
        let now: When = "2026-11-23T10:00:00Z".parse().unwrap();
        let cal = crate::calendar::Calendar::default();
        agenda::items_for(ask, engagements, &catalog(), &cal, now)
            .iter()
            .map(|i| format!("{} {}", serde_json::to_string(i).unwrap(), i.brief))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn the_index_answers_as_a_full_parse_does(
            before in proptest::collection::vec(spec(), 1..8),
            edits in proptest::collection::vec((0..8usize, proptest::option::of(spec())), 0..5),
            person in 0..PEOPLE.len(),
            queue in proptest::option::of(0..ROLES.len() + 1),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let cache = dir.path().join("cache");
            pass(&cache, &files(&before, 0), &|_| true);
            // Edit: change a file (a new stamp) or delete it; indexes past the end add one.
            let mut after: Vec<Option<Spec>> = before.iter().cloned().map(Some).collect();
            let mut changed = [false; 8];
            for (i, edit) in edits {
                if i >= after.len() {
                    after.resize(i + 1, None);
                }
                after[i] = edit;
                changed[i] = true;
            }
            let now: Vec<(String, String, i128)> = after
                .iter()
                .enumerate()
                .filter_map(|(i, s)| {
                    let id = format!("e{i:02}");
                    let s = s.as_ref()?;
                    Some((id.clone(), text(&id, s), i128::from(changed[i])))
                })
                .collect();
            let ask = agenda::Ask {
                person: PEOPLE[person],
                queue_role: queue.map(|q| ROLES.get(q).copied().unwrap_or("bogus")),
                at_risk: 0.75,
            };
            let want = |s: &Summary| agenda::concerns(&ask, &catalog(), s);
            let index = pass(&cache, &now, &want);
            // The full parse, without the cache.
            let full: Vec<Engagement> = now
                .iter()
                .filter_map(|(id, text, _)| {
                    let file = Path::new("/ws/engagements").join(format!("{id}.toml"));
                    parse(&file, id, text, &catalog()).engagement
                })
                .collect();
            let summaries: Vec<Summary> = full.iter().map(Summary::of).collect();
            prop_assert_eq!(&index.summaries, &summaries, "who holds which role");
            prop_assert_eq!(items(&ask, &index.engagements), items(&ask, &full));
            // Wanted engagements come back decoded exactly as parsed.
            for e in &index.engagements {
                let f = full.iter().find(|f| f.id == e.id).unwrap();
                prop_assert_eq!(format!("{e:?}"), format!("{f:?}"));
            }
            // A second warm pass answers the same.
            let again = pass(&cache, &now, &want);
            prop_assert_eq!(&again.summaries, &summaries);
            prop_assert_eq!(items(&ask, &again.engagements), items(&ask, &full));
        }
    }
}
