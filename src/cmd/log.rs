//! `ft log [ID]`: who did what and when, newest first.

use std::collections::HashMap;

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use crate::Context;
use crate::engagement::{Engagement, TaskState};
use crate::error::user;
use crate::git::{Found as GitFound, Repo};
use crate::render::{Format, json};
use crate::time::When;
use crate::workspace::Workspace;
use crate::{escape, time};

/// The history of an engagement (or of all of them), newest first: tasks
/// done and skipped, milestones, holds, health, blockers, notes, handovers
/// and the recorded events, and in a git workspace each commit of its file
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft log contoso-teams --since 2026-11-10")]
pub struct Args {
    /// Engagement id (all engagements when left out)
    #[arg(add = crate::complete::engagement_id())]
    pub id: Option<String>,

    /// Only what happened on or after DATE
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// Only what PERSON did
    #[arg(long, value_name = "PERSON", add = crate::complete::person())]
    pub by: Option<String>,

    /// At most N entries
    #[arg(long, short = 'n', value_name = "N")]
    pub limit: Option<usize>,
}

/// One line of the history.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub engagement: String,
    #[serde(with = "crate::time::text")]
    pub at: When,
    pub by: Option<String>,
    /// What happened: done, skipped, milestone, note, ..., or commit.
    pub what: String,
    pub detail: String,
    /// Where it was read: "record" (the file's own dated entries),
    /// "event" (`[[events]]`) or "git".
    pub source: &'static str,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let since = match &args.since {
        Some(s) => Some(time::parse_date(s).map_err(|e| user(format!("--since: {e}")))?),
        None => None,
    };
    let engagements = match &args.id {
        Some(id) => vec![ws.store.load(id, &ws.catalog)?],
        None => ctx.engagements(&ws)?,
    };
    let repo = match Repo::find(&ws.root) {
        GitFound::Repo(r) => Some(r),
        _ => None,
    };
    // Of several engagements' commits, git's own order across them.
    let ranks = match &repo {
        Some(repo) if engagements.len() > 1 => commit_ranks(repo, &ws),
        _ => HashMap::new(),
    };
    let mut lines: Vec<(Line, Tie)> = Vec::new();
    for e in &engagements {
        let n = lines.len();
        let own = history(e).into_iter().enumerate();
        lines.extend(own.map(|(i, l)| (l, Tie::Local(n + i))));
        if let Some(repo) = &repo {
            lines.extend(commits(repo, &ws, e, &ranks)?);
        }
    }
    lines.retain(|(l, _)| keep(l, since, args.by.as_deref()));
    let mut lines = newest_first(lines);
    if let Some(n) = args.limit {
        lines.truncate(n);
    }
    if ctx.format == Format::Json {
        ctx.print(&json(&lines))?;
    } else {
        ctx.print(&table(&lines, args.id.is_none()))?;
        ctx.zone_legend(lines.iter().any(|l| matches!(l.at, When::At(_))))?;
    }
    Ok(0)
}

/// How two lines at the same instant are ordered: commits as `git log`
/// lists them (its position, newest first), before the file's own lines,
/// which go the later recorded first.
#[derive(Debug, Clone, Copy)]
enum Tie {
    Git(usize),
    Local(usize),
}

/// Newest first; ties as [`Tie`] says, so the order is stable.
fn newest_first(mut lines: Vec<(Line, Tie)>) -> Vec<Line> {
    use std::cmp::Ordering;
    lines.sort_by(|(a, ta), (b, tb)| {
        b.at.instant()
            .cmp(&a.at.instant())
            .then_with(|| match (ta, tb) {
                (Tie::Git(x), Tie::Git(y)) => x.cmp(y),
                (Tie::Local(x), Tie::Local(y)) => y.cmp(x),
                (Tie::Git(_), Tie::Local(_)) => Ordering::Less,
                (Tie::Local(_), Tie::Git(_)) => Ordering::Greater,
            })
    });
    lines.into_iter().map(|(l, _)| l).collect()
}

fn keep(l: &Line, since: Option<NaiveDate>, by: Option<&str>) -> bool {
    since.is_none_or(|d| l.at.date() >= d)
        && by.is_none_or(|p| l.by.as_deref().is_some_and(|b| b.eq_ignore_ascii_case(p)))
}

fn table(lines: &[Line], with_id: bool) -> String {
    if lines.is_empty() {
        return "nothing recorded\n".into();
    }
    let cell = |s: &str| escape::terminal(s);
    let rows: Vec<[String; 5]> = lines
        .iter()
        .map(|l| {
            [
                crate::clock::stamp_words(l.at),
                if with_id {
                    cell(&l.engagement)
                } else {
                    String::new()
                },
                cell(l.by.as_deref().unwrap_or("-")),
                cell(&l.what),
                cell(&l.detail),
            ]
        })
        .collect();
    let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let widths = [width(0), width(1), width(2), width(3)];
    let mut out = String::new();
    for r in &rows {
        let mut line = String::new();
        for (i, w) in widths.iter().enumerate() {
            if *w > 0 {
                line.push_str(&format!("{:w$}  ", r[i]));
            }
        }
        line.push_str(&r[4]);
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Everything the file itself records, with the events that say more about
/// the same thing (time, who) in place of the bare record. An event stands
/// for one record only: the same kind, subject and date, so that older
/// records of the same kind (last week's health, earlier meetings) stay.
pub fn history(e: &Engagement) -> Vec<Line> {
    let mut unclaimed: Vec<Option<(&'static str, String, NaiveDate)>> =
        e.events.iter().map(event_key_dated).collect();
    let mut out = Vec::new();
    let mut used = vec![false; e.events.len()];
    for (line, subject) in records(e) {
        let date = line.at.date();
        let hit = unclaimed.iter().position(|k| {
            k.as_ref()
                .is_some_and(|(w, s, d)| *w == line.what && *s == subject && *d == date)
        });
        match hit {
            // The event's time and author with the record's words (a health
            // entry's note, a blocker's text), which the event may not repeat.
            Some(i) => {
                unclaimed[i] = None;
                used[i] = true;
                let ev = event_line(e, &e.events[i]);
                let was = e.events[i].value("was").map(|w| format!(" (was {w})"));
                out.push(Line {
                    detail: format!("{}{}", line.detail, was.unwrap_or_default()),
                    by: ev.by.or(line.by),
                    ..ev
                });
            }
            None => out.push(line),
        }
    }
    out.extend(
        e.events
            .iter()
            .zip(used)
            .filter(|(_, used)| !used)
            .map(|(ev, _)| event_line(e, ev)),
    );
    out
}

/// An event's key with the date of the record it stands for: its `on` (or
/// `opened`) value, else the day it was recorded.
fn event_key_dated(ev: &crate::engagement::Event) -> Option<(&'static str, String, NaiveDate)> {
    let (what, subject) = event_key(ev)?;
    let date = ["on", "opened"]
        .iter()
        .find_map(|k| ev.value(k)?.parse::<When>().ok())
        .map_or_else(|| ev.at.date(), |w| w.date());
    Some((what, subject, date))
}

/// What record an event stands for: (what, subject), as [`records`] names them.
fn event_key(ev: &crate::engagement::Event) -> Option<(&'static str, String)> {
    let v = |k: &str| ev.value(k).unwrap_or_default().to_string();
    Some(match ev.op.as_str() {
        "done" => ("done", v("task")),
        "skip" => ("skipped", v("task")),
        "milestone" => ("milestone", v("milestone")),
        "note" => ("note", v("text")),
        "health" => ("health", v("status")),
        "blocker" => ("blocker", v("text")),
        "resolve" => ("resolved", v("blocker")),
        "assign" => ("assign", v("role")),
        "log" => ("log", v("cadence")),
        "hold" => ("hold", v("reason")),
        "resume" => ("resume", v("hold")),
        _ => return None,
    })
}

fn event_line(e: &Engagement, ev: &crate::engagement::Event) -> Line {
    // The subject first (`4047`, `kickoff`, the note's text), then the rest.
    let subject = event_key(ev).map(|(_, s)| s).unwrap_or_default();
    let mut detail: Vec<String> = Vec::new();
    if !subject.is_empty() {
        detail.push(subject.clone());
    }
    detail.extend(
        ev.values
            .iter()
            .filter(|(k, v)| k != "was" && *v != subject)
            .filter(|(k, v)| !(k == "on" && *v == ev.at.date().to_string()))
            .map(|(k, v)| format!("{k} = {v}")),
    );
    if let Some(was) = ev.value("was") {
        detail.push(format!("(was {was})"));
    }
    Line {
        engagement: e.id.clone(),
        at: ev.at,
        by: ev.by.clone(),
        what: ev.op.clone(),
        detail: detail.join(", "),
        source: "event",
    }
}

/// The file's own dated records, each with the subject an event would name.
fn records(e: &Engagement) -> Vec<(Line, String)> {
    let mut r = Records {
        id: &e.id,
        out: Vec::new(),
    };
    for (task, rec) in e.tasks.iter() {
        let note = rec.note.as_deref().map(|n| format!(": {n}"));
        match &rec.state {
            Some(TaskState::Done(w)) => {
                let detail = format!("{task}{}", note.unwrap_or_default());
                r.add(*w, None, "done", detail, task);
            }
            Some(TaskState::Skipped {
                on: Some(w),
                reason,
                ..
            }) => r.add(*w, None, "skipped", format!("{task}: {reason}"), task),
            _ => {}
        }
    }
    for (name, w) in e.milestones.iter() {
        r.add(*w, None, "milestone", name.clone(), name);
    }
    for (cadence, list) in e.cadences.iter() {
        for w in list {
            r.add(*w, None, "log", cadence.clone(), cadence);
        }
    }
    for (role, m) in e.team.iter() {
        if let Some(since) = m.since {
            let detail = format!("{role}: {}", m.person);
            r.add(When::Date(since), None, "assign", detail, role);
        }
    }
    list_records(e, &mut r);
    r.out
}

/// Holds, health, blockers and notes.
fn list_records(e: &Engagement, r: &mut Records) {
    for (i, h) in e.holds.iter().enumerate() {
        let until = h.until.map(|u| format!(" (until {u})")).unwrap_or_default();
        let detail = format!("{}{until}", h.reason);
        r.add(h.from, h.by.as_ref(), "hold", detail, &h.reason);
        if let Some(to) = h.to {
            r.add(to, None, "resume", String::new(), &(i + 1).to_string());
        }
    }
    for h in &e.health {
        let note = h.note.as_deref().map(|n| format!(": {n}"));
        let status = h.status.as_str();
        let detail = format!("{status}{}", note.unwrap_or_default());
        r.add(When::Date(h.on), None, "health", detail, status);
    }
    for b in &e.blockers {
        let (text, subject) = (b.text.clone(), excerpt(&b.text));
        r.add(
            When::Date(b.opened),
            b.by.as_ref(),
            "blocker",
            text.clone(),
            &subject,
        );
        if let Some(on) = b.resolved {
            r.add(When::Date(on), None, "resolved", text, &subject);
        }
    }
    for n in &e.notes {
        let subject = excerpt(&n.text);
        r.add(
            When::Date(n.on),
            n.by.as_ref(),
            "note",
            n.text.clone(),
            &subject,
        );
    }
}

/// Records as lines, with the subject an event about them would name.
struct Records<'a> {
    id: &'a str,
    out: Vec<(Line, String)>,
}

impl Records<'_> {
    fn add(&mut self, at: When, by: Option<&String>, what: &str, detail: String, subject: &str) {
        let line = Line {
            engagement: self.id.to_string(),
            at,
            by: by.cloned(),
            what: what.into(),
            detail,
            source: "record",
        };
        self.out.push((line, subject.to_string()));
    }
}

/// The excerpt an event keeps of a text (see `ops`): the first 80 characters.
fn excerpt(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text.to_string(),
    }
}

/// Each commit that touched an engagement file, by full hash: its position
/// in `git log`, newest first.
fn commit_ranks(repo: &Repo, ws: &Workspace) -> HashMap<String, usize> {
    let dir = repo.rel(ws.store.dir());
    let Ok(log) = repo.output(&["log", "--format=%H", "--", &dir]) else {
        return HashMap::new();
    };
    log.lines()
        .enumerate()
        .map(|(i, h)| (h.to_string(), i))
        .collect()
}

/// The commits of the engagement's file: author, date, subject, each with
/// its place in git's order (from `ranks` when it has it).
fn commits(
    repo: &Repo,
    ws: &Workspace,
    e: &Engagement,
    ranks: &HashMap<String, usize>,
) -> Result<Vec<(Line, Tie)>> {
    let path = ws.store.dir().join(format!("{}.toml", e.id));
    let rel = repo.rel(&path);
    let format = "--format=%H%x1f%h%x1f%an%x1f%aI%x1f%s";
    let Ok(log) = repo.output(&["log", format, "--", &rel]) else {
        // No commits yet: nothing to add.
        return Ok(Vec::new());
    };
    Ok(log
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let mut p = l.split('\x1f');
            let (full, hash, author) = (p.next()?, p.next()?, p.next()?);
            let (date, subject) = (p.next()?, p.next()?);
            let at = chrono::DateTime::parse_from_rfc3339(date).ok()?;
            let line = Line {
                engagement: e.id.clone(),
                at: When::At(at),
                by: Some(author.to_string()),
                what: "commit".into(),
                detail: format!("{hash} {subject}"),
                source: "git",
            };
            Some((line, Tie::Git(ranks.get(full).copied().unwrap_or(i))))
        })
        .collect())
}
