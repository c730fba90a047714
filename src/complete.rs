//! Shell completion of real values from the workspace: engagement ids, the
//! task, cadence and milestone ids of the engagement named on the line,
//! roles, playbook ids and people.
//!
//! The scripts `ft completions SHELL` prints call `ft` with [`VAR`] set and
//! the words typed so far; clap_complete's engine finds which argument is
//! being completed and calls the functions here. Completion runs on every
//! Tab, so it reads only what the argument needs (engagement ids are file
//! names; one engagement file is read for its tasks), writes nothing (the
//! cache is read, never refreshed) and prints no error: anything unreadable
//! completes nothing.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use clap::CommandFactory;
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};

use crate::cli::Cli;
use crate::engagement::store::Store;
use crate::engagement::{Health, Status};
use crate::playbook::Playbook;
use crate::workspace::Workspace;

/// The environment variable that asks `ft` for completions.
pub const VAR: &str = "FT_COMPLETE";

/// What the words before the cursor say: the workspace, and the engagement
/// named as the command's `ID`.
#[derive(Debug, Default)]
pub struct Scope {
    pub root: Option<PathBuf>,
    pub engagement: Option<String>,
}

static SCOPE: OnceLock<Scope> = OnceLock::new();

impl Scope {
    /// The scope of `words` (`ft -w DIR done contoso-teams`, without the word
    /// being completed); `locate` finds the workspace from the `-w` given, as
    /// commands do.
    pub fn of(words: &[OsString], locate: impl FnOnce(Option<&Path>) -> Option<PathBuf>) -> Scope {
        let matches = Cli::command()
            .ignore_errors(true)
            .try_get_matches_from(words)
            .ok();
        let mut flag = None;
        let mut engagement = None;
        let mut level = matches.as_ref();
        while let Some(m) = level {
            if let Ok(Some(w)) = m.try_get_one::<PathBuf>("workspace") {
                flag = Some(w.clone());
            }
            if let Ok(Some(id)) = m.try_get_one::<String>("id") {
                engagement = Some(id.clone());
            }
            level = m.subcommand().map(|(_, sub)| sub);
        }
        Scope {
            root: locate(flag.as_deref()),
            engagement,
        }
    }

    /// Make this the scope the completion functions see.
    pub fn install(self) {
        let _ = SCOPE.set(self);
    }
}

/// Completes engagement ids (`ft show <TAB>`).
pub fn engagement_id() -> ArgValueCandidates {
    ArgValueCandidates::new(engagements)
}

/// Completes the task ids of the engagement named before.
pub fn task_id() -> ArgValueCandidates {
    ArgValueCandidates::new(tasks)
}

/// Completes the task and cadence ids of the engagement named before.
pub fn task_or_cadence() -> ArgValueCandidates {
    ArgValueCandidates::new(tasks_and_cadences)
}

/// Completes the milestone ids of the engagement named before.
pub fn milestone() -> ArgValueCandidates {
    ArgValueCandidates::new(milestones)
}

/// Completes role aliases.
pub fn role() -> ArgValueCandidates {
    ArgValueCandidates::new(roles)
}

/// Completes playbook ids.
pub fn playbook() -> ArgValueCandidates {
    ArgValueCandidates::new(playbooks)
}

/// Completes the people of the workspace.
pub fn person() -> ArgValueCandidates {
    ArgValueCandidates::new(people)
}

/// Completes red, yellow, green.
pub fn health_status() -> ArgValueCandidates {
    ArgValueCandidates::new(health)
}

/// Completes engagement statuses.
pub fn status() -> ArgValueCandidates {
    ArgValueCandidates::new(statuses)
}

fn scope() -> &'static Scope {
    SCOPE.get_or_init(Scope::default)
}

fn workspace() -> Option<Workspace> {
    Workspace::open(scope().root.as_ref()?).ok()
}

/// The playbook of the engagement named on the line, read from its file
/// (`playbook = "..."`), whether or not the rest of the file is valid.
fn engagement_playbook(ws: &Workspace) -> Option<&Playbook> {
    let id = scope().engagement.as_deref()?;
    let path = ws.store.path(id).ok()?;
    let name = path.file_name()?.to_str()?;
    let dir = ws.store.open_dir().ok()??;
    let text = dir
        .read_text(name, crate::engagement::load::MAX_BYTES)
        .ok()?;
    let table: toml::Table = toml::from_str(&text).ok()?;
    ws.catalog.get(table.get("playbook")?.as_str()?)
}

fn with_help(value: &str, help: &str) -> CompletionCandidate {
    CompletionCandidate::new(value).help(Some(help.to_string().into()))
}

/// Engagement ids: the names of the files in `engagements/`.
fn engagements() -> Vec<CompletionCandidate> {
    let Some(root) = scope().root.as_deref() else {
        return Vec::new();
    };
    Store::new(root)
        .files()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(id, _)| id.ok())
        .map(CompletionCandidate::new)
        .collect()
}

/// Task ids of the named engagement's playbook, with their names.
fn tasks() -> Vec<CompletionCandidate> {
    items(false)
}

/// Task and cadence ids of the named engagement's playbook.
fn tasks_and_cadences() -> Vec<CompletionCandidate> {
    items(true)
}

fn items(cadences: bool) -> Vec<CompletionCandidate> {
    let Some(ws) = workspace() else {
        return Vec::new();
    };
    let Some(p) = engagement_playbook(&ws) else {
        return Vec::new();
    };
    let mut out: Vec<CompletionCandidate> =
        p.tasks().map(|(_, t)| with_help(&t.id, &t.name)).collect();
    if cadences {
        out.extend(p.cadences.iter().map(|c| with_help(&c.id, &c.name)));
    }
    out
}

/// Milestone ids of the named engagement's playbook.
fn milestones() -> Vec<CompletionCandidate> {
    let Some(ws) = workspace() else {
        return Vec::new();
    };
    engagement_playbook(&ws).map_or_else(Vec::new, |p| {
        p.milestones
            .iter()
            .map(|m| with_help(&m.id, &m.name))
            .collect()
    })
}

/// Role aliases: of the named engagement's playbook, else of every playbook.
fn roles() -> Vec<CompletionCandidate> {
    let Some(ws) = workspace() else {
        return Vec::new();
    };
    let playbooks: Vec<&Playbook> = match engagement_playbook(&ws) {
        Some(p) => vec![p],
        None => ws
            .catalog
            .ids()
            .filter_map(|id| ws.catalog.get(id))
            .collect(),
    };
    let mut out: Vec<CompletionCandidate> = Vec::new();
    for role in playbooks.iter().flat_map(|p| &p.roles) {
        if !out.iter().any(|c| c.get_value() == role.alias.as_str()) {
            out.push(with_help(&role.alias, &role.name));
        }
    }
    out
}

/// Playbook ids, built-in and of the workspace, with their names.
fn playbooks() -> Vec<CompletionCandidate> {
    let Some(ws) = workspace() else {
        return crate::playbook::builtin::all()
            .iter()
            .map(|p| with_help(&p.id, &p.name))
            .collect();
    };
    ws.catalog
        .ids()
        .filter_map(|id| ws.catalog.get(id))
        .map(|p| with_help(&p.id, &p.name))
        .collect()
}

/// Everyone who holds a role on an engagement of the workspace.
fn people() -> Vec<CompletionCandidate> {
    let Some(ws) = workspace() else {
        return Vec::new();
    };
    let Ok((list, _)) = ws.peek_all() else {
        return Vec::new();
    };
    let mut people: Vec<&str> = list
        .iter()
        .flat_map(|e| e.team.iter().map(|(_, m)| m.person.as_str()))
        .collect();
    people.sort_unstable();
    people.dedup();
    people.into_iter().map(CompletionCandidate::new).collect()
}

/// red, yellow, green.
fn health() -> Vec<CompletionCandidate> {
    [Health::Red, Health::Yellow, Health::Green]
        .into_iter()
        .map(|h| CompletionCandidate::new(h.as_str()))
        .collect()
}

/// unassigned, active, on-hold, closed.
fn statuses() -> Vec<CompletionCandidate> {
    Status::ALL
        .into_iter()
        .map(|s| CompletionCandidate::new(s.as_str()))
        .collect()
}
