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
use crate::engagement::Engagement;
use crate::engagement::cache::{Cache, Stamp};
use crate::engagement::load::{self as eload, Loaded};
use crate::engagement::ops::Actor;
use crate::engagement::store::{self, Store};
use crate::engagement::store::{Applied, Change};
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
        let mut hasher = std::hash::DefaultHasher::new();
        env!("CARGO_PKG_VERSION").hash(&mut hasher);
        for (name, text) in builtin::FILES {
            (name, text).hash(&mut hasher);
        }
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
        self.load(true)
    }

    /// [`Workspace::load_all`] without writing the cache: for shell
    /// completion, which writes nothing.
    pub fn peek_all(&self) -> Result<(Vec<Engagement>, Vec<Diagnostic>)> {
        self.load(false)
    }

    fn load(&self, save: bool) -> Result<(Vec<Engagement>, Vec<Diagnostic>)> {
        let mut cache = Cache::open(&self.root.join(".ft").join("cache"), self.fingerprint);
        let files = self.store.files()?;
        let dir = self.store.open_dir()?;
        let mut results: Vec<(String, Stamp, Loaded)> = Vec::with_capacity(files.len());
        let mut problems = Vec::new();
        let mut must_save = false;
        let mut racy = Vec::new();
        for (id, path) in files {
            let (Some(dir), Ok(id)) = (&dir, id.as_ref()) else {
                let e = id.err().unwrap_or_default();
                problems.push(
                    Diagnostic::error(&path, (1, 1), "file-name", e).with_hint(Some(
                        "rename the file to a plain name such as `contoso-teams.toml`".into(),
                    )),
                );
                continue;
            };
            let read =
                |e: anyhow::Error| Diagnostic::error(&path, (1, 1), "read", format!("{e:#}"));
            // Opened without following links and refused unless a regular file.
            let file = match dir.open_file(&format!("{id}.toml")) {
                Ok(f) => f,
                Err(e) => {
                    problems.push(read(e));
                    continue;
                }
            };
            let stamp = Stamp::of(&file.meta);
            let loaded = match cache.take(id, &stamp, &path) {
                Ok(hit) => hit,
                Err(same_stamp) => {
                    if same_stamp {
                        racy.push(stamp);
                    } else {
                        must_save = true;
                    }
                    match file.read_text(eload::MAX_BYTES) {
                        Ok(text) => eload::parse(&path, id, &text, &self.catalog),
                        Err(e) => {
                            problems.push(read(e));
                            continue;
                        }
                    }
                }
            };
            results.push((id.clone(), stamp, loaded));
        }
        if save && (must_save || cache.leftovers() > 0 || cache.worth_saving(&racy)) {
            let refs: Vec<(String, Stamp, &Loaded)> =
                results.iter().map(|(i, s, l)| (i.clone(), *s, l)).collect();
            cache.save(&refs);
        }
        let mut engagements = Vec::with_capacity(results.len());
        for (_, _, loaded) in results {
            problems.extend(loaded.problems);
            engagements.extend(loaded.engagement);
        }
        Ok((engagements, problems))
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

#[cfg(test)]
mod tests {
    use super::*;

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
