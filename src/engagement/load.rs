//! Engagement TOML -> raw serde types (with spans) -> validated [`Engagement`].
//!
//! Unknown keys are allowed and ignored here (the editor keeps them); known
//! keys are checked against the engagement's playbook, and every problem is
//! reported with `path:line:col`.

use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};
use toml::value::Datetime;

use super::{
    Blocker, Dibs, Engagement, Event, HealthEntry, Hold, Member, Note, SmallMap, Status,
    TaskRecord, TaskState,
};
use crate::error::{Diagnostic, line_col, suggest};
use crate::playbook::{Catalog, Playbook};
use crate::time::When;
use crate::{escape, words};

mod walk;

/// Largest engagement file accepted.
pub const MAX_BYTES: usize = 1 << 20;

#[derive(Deserialize, Debug, Default)]
struct RawEngagement {
    id: Option<Spanned<String>>,
    customer: Option<Spanned<String>>,
    playbook: Option<Spanned<String>>,
    #[serde(default)]
    services: Option<Spanned<Vec<String>>>,
    seats: Option<u32>,
    active_users: Option<u32>,
    status: Option<Spanned<String>>,
    #[serde(default)]
    fields: IndexMap<Spanned<String>, Spanned<toml::Value>>,
    #[serde(default)]
    team: IndexMap<Spanned<String>, Spanned<RawMember>>,
    #[serde(default)]
    milestones: IndexMap<Spanned<String>, Spanned<Datetime>>,
    #[serde(default)]
    tasks: IndexMap<Spanned<String>, Spanned<RawTaskRecord>>,
    #[serde(default)]
    cadences: IndexMap<Spanned<String>, Vec<Spanned<Datetime>>>,
    #[serde(default)]
    dibs: RawDibs,
    #[serde(default)]
    ssat: IndexMap<Spanned<String>, bool>,
    #[serde(default)]
    health: Vec<Spanned<RawHealth>>,
    #[serde(default)]
    blockers: Vec<Spanned<RawBlocker>>,
    #[serde(default)]
    notes: Vec<Spanned<RawNote>>,
    #[serde(default)]
    planned: IndexMap<Spanned<String>, Spanned<Datetime>>,
    #[serde(default)]
    holds: Vec<Spanned<RawHold>>,
    #[serde(default)]
    events: Vec<Spanned<toml::Table>>,
    #[serde(default)]
    handovers: Vec<Spanned<toml::Table>>,
}

#[derive(Deserialize, Debug)]
#[serde(untagged)]
enum RawMember {
    Person(String),
    Full {
        person: String,
        since: Option<Datetime>,
    },
}

#[derive(Deserialize, Debug)]
struct RawTaskRecord {
    done: Option<Datetime>,
    skipped: Option<Datetime>,
    reason: Option<String>,
    #[serde(default)]
    forced: bool,
    note: Option<String>,
}

#[derive(Deserialize, Default, Debug)]
struct RawDibs {
    date: Option<Spanned<Datetime>>,
    intent: Option<String>,
    business_reason: Option<String>,
    success_owner: Option<String>,
}

#[derive(Deserialize, Debug)]
struct RawHealth {
    on: Datetime,
    status: String,
    note: Option<String>,
}

#[derive(Deserialize, Debug)]
struct RawBlocker {
    opened: Datetime,
    text: String,
    by: Option<String>,
    resolved: Option<Datetime>,
}

#[derive(Deserialize, Debug)]
struct RawHold {
    from: Datetime,
    to: Option<Datetime>,
    #[serde(default)]
    reason: String,
    by: Option<String>,
    until: Option<Datetime>,
}

#[derive(Deserialize, Debug)]
struct RawNote {
    on: Datetime,
    by: Option<String>,
    text: String,
}

/// Open tasks whose SLA clock has started (at a recorded or planned time)
/// and whose role nobody holds, as `(task, role)`.
pub fn unfilled<'a>(p: &'a Playbook, e: &Engagement) -> Vec<(&'a str, &'a str)> {
    if e.status == Status::Closed || e.status == Status::OnHold {
        return Vec::new();
    }
    p.tasks()
        .filter(|(_, t)| crate::playbook::applies(&t.services, &e.services))
        .filter(|(_, t)| e.task_state(&t.id).is_none() && !e.team.contains_key(&t.role))
        .filter(|(_, t)| {
            crate::sla::rule_for(t, e)
                .is_some_and(|(_, r)| crate::sla::anchor_or_plan(e, &r.after).is_some())
        })
        .map(|(_, t)| (t.id.as_str(), t.role.as_str()))
        .collect()
}

/// Roles the playbook expects on this engagement's team (`expect:`, an FTA
/// on an S500 account) that nobody holds, with why: ("FTA", "segment S500").
pub fn short_roles<'a>(p: &'a Playbook, e: &Engagement) -> Vec<(&'a str, String)> {
    if e.status == Status::Closed {
        return Vec::new();
    }
    p.expect
        .iter()
        .filter(|x| crate::playbook::fields_match(&x.when, e) && !e.team.contains_key(&x.role))
        .map(|x| {
            let why: Vec<String> = x
                .when
                .iter()
                .filter_map(|(f, _)| e.fields.get(f).map(|v| format!("{f} {v}")))
                .collect();
            (x.role.as_str(), why.join(", "))
        })
        .collect()
}

/// Every value of the wrong type in a file that is valid TOML, each at its
/// key: the top-level keys one by one, and each entry of the tables of
/// entries (`[tasks]`, `[team]`, `[milestones]`...).
fn type_errors(path: &Path, text: &str) -> Vec<(Bad, Diagnostic)> {
    let (Ok(table), Ok(doc)) = (
        toml::from_str::<toml::Table>(text),
        toml_edit::Document::parse(text),
    ) else {
        return Vec::new();
    };
    let root = doc.as_table();
    let mut out = Vec::new();
    for (key, v) in &table {
        let at = root.key(key).and_then(toml_edit::Key::span);
        let sub = root.get(key);
        for (bad, r) in value_checks(key, v) {
            let Err(e) = r else { continue };
            let span = match &bad {
                Bad::Key(_) => at.clone(),
                Bad::Entry(_, entry) => sub
                    .and_then(toml_edit::Item::as_table_like)
                    .and_then(|t| t.key(entry))
                    .and_then(toml_edit::Key::span)
                    .or(at.clone()),
                Bad::Element(_, i) => element_span(sub, *i).or(at.clone()),
            };
            let at = span.map_or((1, 1), |s| line_col(text, s.start));
            let what = match &bad {
                Bad::Key(k) => format!("`{k}`"),
                Bad::Entry(k, entry) => format!("`{k}.{entry}`"),
                Bad::Element(k, i) => format!("`{k}` entry {}", i + 1),
            };
            let mut message = format!("{what}: {}", e.message().trim_end());
            if matches!(&bad, Bad::Entry(k, _) if k == "team") {
                message = format!(
                    "{what}: write a person's name, or {{ person = \"NAME\", since = DATE }}"
                );
            }
            let d = Diagnostic::error(path, at, "type", message).with_hint(Some(
                "correct the value; `ft check` lists every problem in the workspace".into(),
            ));
            out.push((bad, d));
        }
    }
    out
}

/// A value of the wrong type: a top-level key, an entry of a table of
/// entries (`team.FM`), or the n-th table of an array (`[[notes]]`).
#[derive(Debug, Clone)]
enum Bad {
    Key(String),
    Entry(String, String),
    Element(String, usize),
}

type Check = Result<(), toml::de::Error>;

/// Each part of a top-level value checked against the type the loader reads.
fn value_checks(key: &str, v: &toml::Value) -> Vec<(Bad, Check)> {
    use serde::de::DeserializeOwned;
    fn is<T: DeserializeOwned>(v: &toml::Value) -> Check {
        v.clone().try_into::<T>().map(|_| ())
    }
    /// `[dibs]` as plain values (the loader's own type keeps spans, which
    /// only the file parser can give).
    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct PlainDibs {
        date: Option<Datetime>,
        intent: Option<String>,
        business_reason: Option<String>,
        success_owner: Option<String>,
    }
    /// A team entry's long form; the loader's untagged enum cannot be
    /// checked through a `toml::Value` when it holds a date.
    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct PlainMember {
        person: String,
        since: Option<Datetime>,
    }
    fn member(v: &toml::Value) -> Check {
        match v {
            toml::Value::String(_) => Ok(()),
            _ => is::<PlainMember>(v),
        }
    }
    let whole = |r: Check| vec![(Bad::Key(key.to_string()), r)];
    let each = |f: &dyn Fn(&toml::Value) -> Check| -> Vec<(Bad, Check)> {
        match v.as_table() {
            Some(t) => t
                .iter()
                .map(|(k, v)| (Bad::Entry(key.to_string(), k.clone()), f(v)))
                .collect(),
            None => whole(is::<toml::Table>(v)),
        }
    };
    let elements = |f: &dyn Fn(&toml::Value) -> Check| -> Vec<(Bad, Check)> {
        match v.as_array() {
            Some(a) => a
                .iter()
                .enumerate()
                .map(|(i, v)| (Bad::Element(key.to_string(), i), f(v)))
                .collect(),
            None => whole(is::<Vec<toml::Value>>(v)),
        }
    };
    match key {
        "id" | "customer" | "playbook" | "status" => whole(is::<String>(v)),
        "services" => whole(is::<Vec<String>>(v)),
        "seats" | "active_users" => whole(is::<u32>(v)),
        "team" => each(&member),
        "milestones" | "planned" => each(&is::<Datetime>),
        "tasks" => each(&is::<RawTaskRecord>),
        "cadences" => each(&is::<Vec<Datetime>>),
        "dibs" => whole(is::<PlainDibs>(v)),
        "ssat" => each(&is::<bool>),
        "health" => elements(&is::<RawHealth>),
        "blockers" => elements(&is::<RawBlocker>),
        "notes" => elements(&is::<RawNote>),
        "holds" => elements(&is::<RawHold>),
        _ => Vec::new(),
    }
}

/// Where the `i`-th table of an array of tables starts.
fn element_span(item: Option<&toml_edit::Item>, i: usize) -> Option<std::ops::Range<usize>> {
    match item? {
        toml_edit::Item::ArrayOfTables(a) => a.get(i)?.span(),
        toml_edit::Item::Value(toml_edit::Value::Array(a)) => a.get(i)?.span(),
        _ => None,
    }
}

/// The file with the values of the wrong type left out, and for each of its
/// lines the line it was in `text`, so the rest of the file can be checked.
fn without(text: &str, bad: &[Bad]) -> Option<(String, Vec<usize>)> {
    let mut doc: toml_edit::DocumentMut = text.parse().ok()?;
    let root = doc.as_table_mut();
    let mut elements: Vec<(&str, usize)> = Vec::new();
    for b in bad {
        match b {
            Bad::Key(k) => {
                root.remove(k);
            }
            Bad::Entry(k, e) => {
                if let Some(t) = root.get_mut(k).and_then(toml_edit::Item::as_table_like_mut) {
                    t.remove(e);
                }
            }
            Bad::Element(k, i) => elements.push((k, *i)),
        }
    }
    // Highest index first, so the others keep theirs.
    elements.sort_by_key(|e| std::cmp::Reverse(e.1));
    for (k, i) in elements {
        match root.get_mut(k) {
            Some(toml_edit::Item::ArrayOfTables(a)) => {
                a.remove(i);
            }
            Some(toml_edit::Item::Value(toml_edit::Value::Array(a))) => {
                a.remove(i);
            }
            _ => {}
        }
    }
    let patched = doc.to_string();
    // Lines are only taken out: match each remaining line to the next equal
    // original line.
    let original: Vec<&str> = text.lines().collect();
    let mut next = 0;
    let mut map = Vec::new();
    for line in patched.lines() {
        let found = original[next..].iter().position(|l| *l == line)?;
        next += found + 1;
        map.push(next);
    }
    Some((patched, map))
}

/// A TOML value as text: strings without quotes, anything else as written.
fn value_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// [`value_text`], the string moved out of the value.
fn into_text(v: toml::Value) -> String {
    match v {
        toml::Value::String(s) => s,
        other => other.to_string(),
    }
}

/// The string a value holds, moved out; `None` for any other value.
fn into_string(v: toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s),
        _ => None,
    }
}

/// The result of loading one file: the engagement when it is usable, and every problem found.
#[derive(Debug)]
pub struct Loaded {
    pub engagement: Option<Engagement>,
    pub problems: Vec<Diagnostic>,
}

/// Lines that git writes around a merge conflict.
pub fn conflict_marker_line(text: &str) -> Option<usize> {
    // Each marker holds seven of one character, which an engagement file
    // almost never does: a vectorized search first, lines only then.
    if !["<<<<<<<", "=======", ">>>>>>>"]
        .iter()
        .any(|m| text.contains(m))
    {
        return None;
    }
    text.lines()
        .position(|l| {
            l.starts_with("<<<<<<< ")
                || l == "<<<<<<<"
                || l.starts_with(">>>>>>> ")
                || l == "======="
        })
        .map(|i| i + 1)
}

pub fn conflict_diagnostic(path: &Path, line: usize) -> Diagnostic {
    Diagnostic::error(path, (line, 1), "conflict", "the file contains git conflict markers").with_hint(Some(
        "finish the merge: edit the file to keep the right lines (or `git checkout --ours/--theirs`), then `git add` it".into(),
    ))
}

/// Parse and validate one engagement file.
pub fn parse(path: &Path, id: &str, text: &str, catalog: &Catalog) -> Loaded {
    parse_with(path, id, text, catalog, true)
}

/// [`parse`] with every file deserialized through serde, never walked:
/// what the walk is measured against (`examples/toml_paths`).
#[doc(hidden)]
pub fn parse_through_serde(path: &Path, id: &str, text: &str, catalog: &Catalog) -> Loaded {
    parse_with(path, id, text, catalog, false)
}

fn parse_with(path: &Path, id: &str, text: &str, catalog: &Catalog, walk: bool) -> Loaded {
    let fail = |d: Diagnostic| Loaded {
        engagement: None,
        problems: vec![d],
    };
    if text.len() > MAX_BYTES {
        return fail(Diagnostic::error(
            path,
            (1, 1),
            "too-large",
            format!(
                "file is {} bytes; engagement files are limited to {MAX_BYTES} bytes",
                text.len()
            ),
        ));
    }
    if let Some(line) = conflict_marker_line(text) {
        return fail(conflict_diagnostic(path, line));
    }
    let mut checker = Checker {
        path,
        text,
        problems: Vec::new(),
    };
    // One parse: the keys are checked on the parsed table, which is then
    // read into the raw types: walked directly when the walk is sure to
    // build what serde would, deserialized otherwise.
    let parsed = toml::de::DeTable::parse(text).and_then(|table| {
        checker.unknown_keys(table.get_ref());
        match walk
            .then(|| walk::raw_engagement(table.get_ref()))
            .flatten()
        {
            Some(raw) => Ok(raw),
            None => RawEngagement::deserialize(toml::de::Deserializer::from(table)),
        }
    });
    let raw: RawEngagement = match parsed {
        Ok(raw) => raw,
        Err(e) => {
            let at = e.span().map_or((1, 1), |s| line_col(text, s.start));
            let message = e.message().trim_end().to_string();
            let first = Diagnostic::error(path, at, "toml", message).with_hint(Some(
                "correct the file; `ft check` lists every problem in the workspace".into(),
            ));
            // Dates that cannot be: name every one, then what else is wrong.
            if let Some(problems) = impossible_dates(path, id, text, catalog) {
                return Loaded {
                    engagement: None,
                    problems,
                };
            }
            // Valid TOML with values of the wrong type: name every one, not
            // the first, then what else is wrong with them left out.
            let bad = type_errors(path, text);
            if bad.is_empty() {
                return fail(first);
            }
            let keys: Vec<Bad> = bad.iter().map(|(b, _)| b.clone()).collect();
            let mut problems: Vec<Diagnostic> = bad.into_iter().map(|(_, d)| d).collect();
            problems.extend(rest_of(path, id, text, &keys, catalog));
            return Loaded {
                engagement: None,
                problems,
            };
        }
    };
    checker.engagement(id, raw, catalog)
}

/// The problems of the file with its values of the wrong type left out, at
/// their lines in the original file (none when it cannot be patched).
fn rest_of(path: &Path, id: &str, text: &str, bad: &[Bad], catalog: &Catalog) -> Vec<Diagnostic> {
    let Some((patched, map)) = without(text, bad).filter(|(p, _)| p != text) else {
        return Vec::new();
    };
    // A key left out is missing from the patched file, in serde's words
    // or the loader's.
    let removed: Vec<String> = bad
        .iter()
        .filter_map(|b| match b {
            Bad::Key(k) => Some(format!("`{k}`")),
            _ => None,
        })
        .collect();
    let left_out = |d: &Diagnostic| {
        removed.iter().any(|k| {
            d.message.contains(&format!("missing field {k}"))
                || (d.code == "missing-key" && d.message == format!("the file has no {k}"))
        })
    };
    let again = parse(path, id, &patched, catalog);
    again
        .problems
        .into_iter()
        // What follows from a value being left out is not a problem of the file.
        .filter(|d| {
            !matches!(
                d.code.as_ref(),
                "type" | "no-services" | "needs" | "no-rule"
            )
        })
        .filter(|d| !left_out(d))
        .map(|mut d| {
            d.line = map.get(d.line.wrapping_sub(1)).copied().unwrap_or(d.line);
            d
        })
        .collect()
}

/// At most this many impossible dates are named in one file.
const MAX_BAD_DATES: usize = 50;

/// The problems of a file whose TOML fails only on dates that cannot be
/// (2026-02-30): each such date, then the problems the rest of the file has
/// once those dates are replaced by the nearest real ones (except on their
/// own lines). `None` when the file fails for another reason.
fn impossible_dates(
    path: &Path,
    id: &str,
    text: &str,
    catalog: &Catalog,
) -> Option<Vec<Diagnostic>> {
    let mut patched = text.to_string();
    let mut dates = Vec::new();
    let mut lines = Vec::new();
    loop {
        let err = match toml::from_str::<toml::Table>(&patched) {
            Ok(_) => break,
            Err(e) => e,
        };
        let start = err.span()?.start;
        let token = patched.get(start..)?;
        let real = nearest_real_date(token)?;
        if dates.len() == MAX_BAD_DATES {
            return None;
        }
        let at = line_col(text, start);
        let shown = &token[..real.len()];
        dates.push(
            Diagnostic::error(
                path,
                at,
                "date",
                format!("`{shown}` is not a date: {}", err.message().trim_end()),
            )
            .with_hint(Some("write a date that exists, as YYYY-MM-DD".into())),
        );
        lines.push(at.0);
        patched.replace_range(start..start + real.len(), &real);
    }
    if dates.is_empty() {
        return None;
    }
    let rest = parse(path, id, &patched, catalog);
    dates.extend(
        rest.problems
            .into_iter()
            .filter(|d| !lines.contains(&d.line)),
    );
    Some(dates)
}

/// The nearest real date to a `YYYY-MM-DD` at the start of `token`, with
/// the month and day brought into range, or `None` when it is not shaped
/// like a date or is already real.
fn nearest_real_date(token: &str) -> Option<String> {
    let b = token.as_bytes();
    let shaped = b.len() >= 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit());
    if !shaped {
        return None;
    }
    let num = |r: std::ops::Range<usize>| token[r].parse::<u32>().ok();
    let (year, month, day) = (num(0..4)? as i32, num(5..7)?, num(8..10)?);
    let month = month.clamp(1, 12);
    let last = (28..=31)
        .rev()
        .find(|d| chrono::NaiveDate::from_ymd_opt(year, month, *d).is_some())?;
    let real = format!("{year:04}-{month:02}-{:02}", day.clamp(1, last));
    (real != token[..10]).then_some(real)
}

/// Keys `ft` reads at the top level of an engagement file. A table of the
/// person's own (`[custom]`) is never warned about; a plain value is.
const TOP_KEYS: [&str; 21] = [
    "id",
    "customer",
    "playbook",
    "services",
    "seats",
    "active_users",
    "status",
    "fields",
    "team",
    "milestones",
    "planned",
    "tasks",
    "cadences",
    "dibs",
    "ssat",
    "health",
    "blockers",
    "notes",
    "holds",
    "events",
    "handovers",
];
const DIBS_KEYS: [&str; 4] = ["date", "intent", "business_reason", "success_owner"];
const TASK_KEYS: [&str; 5] = ["done", "skipped", "reason", "forced", "note"];

/// The keys of a `[team]` entry in its long form.
const MEMBER_KEYS: [&str; 2] = ["person", "since"];

type Key<'t, 'i> = &'t Spanned<DeString<'i>>;

/// A parsed table's entries in the order they are written.
fn keys<'t, 'i>(
    table: &'t DeTable<'i>,
) -> impl Iterator<Item = (Key<'t, 'i>, &'t Spanned<DeValue<'i>>)> {
    let mut all: Vec<_> = table.iter().collect();
    all.sort_by_key(|(k, _)| k.span().start);
    all.into_iter()
}

fn get<'t, 'i>(
    table: &'t DeTable<'i>,
    key: &str,
) -> Option<(Key<'t, 'i>, &'t Spanned<DeValue<'i>>)> {
    table.iter().find(|(k, _)| k.get_ref() == key)
}

/// Whether the key ending at `end` is given a value (`key = ...`), not a
/// table's header (`[key]`) or the start of a dotted key.
fn assigned(text: &str, end: usize) -> bool {
    text.get(end..).is_some_and(|rest| {
        rest.trim_start_matches([' ', '\t', '"', '\''])
            .starts_with('=')
    })
}

struct Checker<'a> {
    path: &'a Path,
    text: &'a str,
    problems: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// Warn about keys in the tables `ft` owns that it does not know (a
    /// misspelt `sucess_owner` would otherwise leave DIBS missing without a
    /// word); they are kept on edits all the same. A table of one's own
    /// (`[custom]`) is not warned about, a value at the top level is.
    fn unknown_keys(&mut self, root: &DeTable<'_>) {
        let top = keys(root).filter(|(k, _)| !TOP_KEYS.contains(&k.get_ref().as_ref()));
        for (key, _) in top.filter(|(k, _)| assigned(self.text, k.span().end)) {
            self.unknown_key(key, &TOP_KEYS, "at the top level");
        }
        if let Some(DeValue::Table(dibs)) = get(root, "dibs").map(|(_, v)| v.get_ref()) {
            for (key, _) in keys(dibs).filter(|(k, _)| !DIBS_KEYS.contains(&k.get_ref().as_ref())) {
                self.unknown_key(key, &DIBS_KEYS, "under [dibs]");
            }
        }
        if let Some((key, value)) = get(root, "seats")
            && let DeValue::Integer(n) = value.get_ref()
            && i64::from_str_radix(&n.as_str().replace('_', ""), n.radix()) == Ok(0)
        {
            let d = Diagnostic::warning(
                self.path,
                line_col(self.text, key.span().start),
                "seats",
                "`seats = 0`: an engagement has at least one seat; read as not known",
            )
            .with_hint(Some(format!(
                "ft set {} seats N",
                self.path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("ID")
            )));
            self.problems.push(d);
        }
        self.unknown_entry_keys(root, "tasks", &TASK_KEYS, "in task");
        self.unknown_entry_keys(root, "team", &MEMBER_KEYS, "in team role");
    }

    /// Keys of the entries of a table of entries (`[tasks]`, `[team]`)
    /// written in their long form that `ft` does not read.
    fn unknown_entry_keys(&mut self, root: &DeTable<'_>, table: &str, known: &[&str], what: &str) {
        let Some(DeValue::Table(entries)) = get(root, table).map(|(_, v)| v.get_ref()) else {
            return;
        };
        for (name, entry) in keys(entries) {
            let DeValue::Table(entry) = entry.get_ref() else {
                continue;
            };
            for (key, _) in keys(entry).filter(|(k, _)| !known.contains(&k.get_ref().as_ref())) {
                let place = format!("{what} `{}`", name.get_ref());
                self.unknown_key(key, known, &place);
            }
        }
    }

    fn unknown_key(&mut self, key: &Spanned<DeString<'_>>, known: &[&str], place: &str) {
        let at = line_col(self.text, key.span().start);
        let hint = suggest(key.get_ref(), known.iter().copied());
        let d = Diagnostic::warning(
            self.path,
            at,
            "unknown-key",
            format!(
                "`ft` does not use the key `{}` {place}; it is kept as written",
                key.get_ref()
            ),
        )
        .with_hint(hint);
        self.problems.push(d);
    }

    fn at<T>(&self, s: &Spanned<T>) -> (usize, usize) {
        line_col(self.text, s.span().start)
    }

    fn error<T>(
        &mut self,
        at: &Spanned<T>,
        code: &'static str,
        message: String,
        hint: Option<String>,
    ) {
        let d = Diagnostic::error(self.path, self.at(at), code, message).with_hint(hint);
        self.problems.push(d);
    }

    fn warning<T>(
        &mut self,
        at: &Spanned<T>,
        code: &'static str,
        message: String,
        hint: Option<String>,
    ) {
        let d = Diagnostic::warning(self.path, self.at(at), code, message).with_hint(hint);
        self.problems.push(d);
    }

    fn when<T>(&mut self, at: &Spanned<T>, dt: &Datetime) -> Option<When> {
        When::from_toml(dt)
            .map_err(|e| self.error(at, "date", e, None))
            .ok()
    }

    fn date<T>(&mut self, at: &Spanned<T>, dt: &Datetime) -> Option<chrono::NaiveDate> {
        let w = self.when(at, dt)?;
        if w.has_time() {
            self.error(
                at,
                "date",
                format!("`{dt}` should be a date without a time, e.g. {}", w.date()),
                None,
            );
        }
        Some(w.date())
    }

    fn engagement(mut self, id: &str, mut raw: RawEngagement, catalog: &Catalog) -> Loaded {
        let Some((customer, playbook, status)) = self.header(id, &mut raw, catalog) else {
            return Loaded {
                engagement: None,
                problems: self.problems,
            };
        };
        let milestones = self.milestones(playbook, raw.milestones);
        let opened = milestones.get("opened").copied();
        let engagement = Engagement {
            id: id.to_string(),
            path: self.path.to_path_buf(),
            customer,
            playbook: playbook.id.clone(),
            services: self.services(playbook, raw.services.as_ref()),
            // No seats is unknown seats, never an enablement target of 0.
            seats: raw.seats.filter(|s| *s > 0),
            active_users: raw.active_users,
            status,
            fields: self.fields(playbook, raw.fields, id),
            team: self.team(playbook, raw.team),
            tasks: self.tasks(playbook, raw.tasks, opened),
            cadences: self.cadences(playbook, raw.cadences, opened),
            planned: self.milestones(playbook, raw.planned),
            milestones,
            dibs: self.dibs(raw.dibs),
            ssat: self.ssat(playbook, raw.ssat),
            health: self.health(raw.health),
            blockers: self.blockers(raw.blockers),
            notes: self.notes(raw.notes),
            holds: self.holds(raw.holds),
            events: self.events(raw.events, &raw.handovers),
        };
        self.hidden_work(playbook, &engagement);
        Loaded {
            engagement: Some(engagement),
            problems: self.problems,
        }
    }

    /// The keys without which nothing else can be checked: customer, a known
    /// playbook and a status. The customer's name is moved out of `raw`.
    fn header<'c>(
        &mut self,
        id: &str,
        raw: &mut RawEngagement,
        catalog: &'c Catalog,
    ) -> Option<(String, &'c Playbook, Status)> {
        if let Some(file_id) = &raw.id
            && file_id.get_ref() != id
        {
            self.error(
                file_id,
                "id-mismatch",
                format!(
                    "id `{}` differs from the file name `{id}.toml`",
                    file_id.get_ref()
                ),
                Some(format!("set `id = \"{id}\"` or rename the file")),
            );
        }
        // A missing customer does not hide what else the heading has wrong.
        let customer = raw.customer.take().map(Spanned::into_inner);
        if customer.is_none() {
            self.missing("customer", "add `customer = \"Customer name\"`".into());
        }
        let Some(playbook_key) = &raw.playbook else {
            let known = catalog.ids().collect::<Vec<_>>().join(", ");
            self.missing(
                "playbook",
                format!("add `playbook = \"...\"`; known: {known}"),
            );
            return None;
        };
        let playbook = match catalog.lookup(playbook_key.get_ref()) {
            Ok(p) => p,
            Err(e) => {
                self.error(playbook_key, "unknown-playbook", e.message, e.hint);
                return None;
            }
        };
        let status = match &raw.status {
            None => Status::Active,
            Some(s) => match s.get_ref().parse::<Status>() {
                Ok(st) => st,
                Err(e) => {
                    self.error(s, "status", e, None);
                    return None;
                }
            },
        };
        Some((customer?, playbook, status))
    }

    /// Work that would vanish without a word: mandatory tasks that apply to
    /// no service of the engagement, required fields that are missing.
    fn hidden_work(&mut self, p: &Playbook, e: &Engagement) {
        let fields: Vec<(&str, &str)> = e
            .fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        for m in p.missing(&e.services, &fields) {
            let field = p
                .required
                .iter()
                .find(|r| m.starts_with(&format!("`{}`", r.field)));
            let hint = match (field, p.services.split_first()) {
                (Some(r), _) => format!("ft set {} {} VALUE", e.id, r.field),
                (None, Some((first, rest))) if !rest.is_empty() => format!(
                    "ft set {} services {}  # or {}",
                    e.id,
                    escape::shell(first),
                    rest.join(", ")
                ),
                (None, _) => format!(
                    "ft set {} services {}",
                    e.id,
                    escape::shell(&p.services.join(","))
                ),
            };
            let d = Diagnostic::warning(
                self.path,
                (1, 1),
                "needs",
                format!("{m}; until then its SLAs do not apply"),
            )
            .with_hint(Some(hint));
            self.problems.push(d);
        }
        self.without_rule(p, e);
        self.completion_counts(p, e);
        if e.services.is_empty() {
            self.no_services(p, e);
        }
    }

    /// Mandatory tasks and cadences that do not apply to an engagement
    /// without services, when the playbook has default services to name.
    fn no_services(&mut self, p: &Playbook, e: &Engagement) {
        let hidden: Vec<&str> = p
            .tasks()
            .filter(|(_, t)| {
                t.mandatory_for(e) && !crate::playbook::applies(&t.services, &e.services)
            })
            .map(|(_, t)| t.id.as_str())
            .collect();
        let cadences: Vec<&str> = p
            .cadences
            .iter()
            .filter(|c| !crate::playbook::applies(&c.services, &e.services))
            .map(|c| c.id.as_str())
            .collect();
        let any = !hidden.is_empty() || !cadences.is_empty();
        if any && !p.default_services.is_empty() {
            let mut what = Vec::new();
            if !hidden.is_empty() {
                what.push(format!(
                    "mandatory {} {}",
                    words::plural(hidden.len(), "task", "tasks"),
                    hidden.join(", ")
                ));
            }
            if !cadences.is_empty() {
                what.push(format!(
                    "{} {}",
                    words::plural(cadences.len(), "cadence", "cadences"),
                    cadences.join(", ")
                ));
            }
            let d = Diagnostic::warning(
                self.path,
                (1, 1),
                "no-services",
                format!("no services, so {} do not apply", what.join(" and ")),
            )
            .with_hint(Some(format!(
                "ft set {} services {}",
                e.id,
                escape::shell(&p.default_services.join(","))
            )));
            self.problems.push(d);
        }
    }

    /// The fields completion counts users in must hold whole numbers, or
    /// the completion discussion would never come due.
    fn completion_counts(&mut self, p: &Playbook, e: &Engagement) {
        let Some(m) = p.completion.as_ref().and_then(|c| c.migration.as_ref()) else {
            return;
        };
        for field in [&m.users, &m.migrated] {
            let Some(v) = e.fields.get(field) else {
                continue;
            };
            if v.trim().parse::<u32>().is_err() {
                let d = Diagnostic::warning(
                    self.path,
                    (1, 1),
                    "not-a-number",
                    format!(
                        "`{field} = {v}` is not a whole number of users; completion cannot count it"
                    ),
                )
                .with_hint(Some(format!("ft set {} {field} N", e.id)));
                self.problems.push(d);
            }
        }
    }

    /// Tasks whose due rules all look for field values the engagement does
    /// not have ("severity 5 matches no rule of acknowledge"). A required
    /// field that is missing is already named by [`Self::hidden_work`].
    fn without_rule(&mut self, p: &Playbook, e: &Engagement) {
        for (field, value, tasks) in crate::sla::without_rule(p, e) {
            let required = p
                .required
                .iter()
                .any(|r| r.field == field && r.applies(&e.services));
            let (list, covered) = (tasks.join(", "), rule_values(p, &tasks, &field));
            let message = match &value {
                None if required => continue,
                None if tasks.len() == 1 => format!("`{field}` is not set: {list} has no SLA"),
                None => format!("`{field}` is not set: {list} have no SLA"),
                Some(v) => format!("{field} {v} matches no rule of {list}: no SLA applies"),
            };
            let d = Diagnostic::warning(
                self.path,
                (1, 1),
                "no-rule",
                format!("{message} (rules cover {field} {})", covered.join(", ")),
            )
            .with_hint(Some(format!("ft set {} {field} VALUE", e.id)));
            self.problems.push(d);
        }
    }

    fn missing(&mut self, key: &str, hint: String) {
        self.problems.push(
            Diagnostic::error(
                self.path,
                (1, 1),
                "missing-key",
                format!("the file has no `{key}`"),
            )
            .with_hint(Some(hint)),
        );
    }

    fn dibs(&mut self, raw: RawDibs) -> Dibs {
        Dibs {
            date: raw.date.as_ref().and_then(|d| self.date(d, d.get_ref())),
            intent: raw.intent,
            business_reason: raw.business_reason,
            success_owner: raw.success_owner,
        }
    }

    fn ssat(
        &mut self,
        playbook: &Playbook,
        raw: IndexMap<Spanned<String>, bool>,
    ) -> SmallMap<bool> {
        let mut ssat = SmallMap::new();
        for (item, done) in raw {
            if !playbook.ssat.is_empty() && !playbook.ssat.contains(item.get_ref()) {
                let hint = suggest(item.get_ref(), playbook.ssat.iter().map(String::as_str));
                self.warning(
                    &item,
                    "unknown-ssat",
                    format!("`{}` is not an SSAT item of the playbook", item.get_ref()),
                    hint,
                );
            }
            ssat.insert(item.into_inner(), done);
        }
        ssat
    }

    fn health(&mut self, raw: Vec<Spanned<RawHealth>>) -> Vec<HealthEntry> {
        let mut health = Vec::new();
        for mut h in raw {
            let note = h.get_mut().note.take();
            let entry = h.get_ref();
            let on = self.date(&h, &entry.on);
            match entry.status.parse() {
                Ok(status) => {
                    if let Some(on) = on {
                        health.push(HealthEntry { on, status, note });
                    }
                }
                Err(e) => self.error(&h, "health", e, None),
            }
        }
        health
    }

    fn blockers(&mut self, raw: Vec<Spanned<RawBlocker>>) -> Vec<Blocker> {
        let mut blockers = Vec::new();
        for mut b in raw {
            let (text, by) = (std::mem::take(&mut b.get_mut().text), b.get_mut().by.take());
            let r = b.get_ref();
            let opened = self.date(&b, &r.opened);
            let resolved = r.resolved.as_ref().and_then(|d| self.date(&b, d));
            if let Some(opened) = opened {
                blockers.push(Blocker {
                    opened,
                    text,
                    by,
                    resolved,
                });
            }
        }
        blockers
    }

    fn holds(&mut self, raw: Vec<Spanned<RawHold>>) -> Vec<Hold> {
        let mut holds: Vec<Hold> = Vec::new();
        for mut h in raw {
            let (reason, by) = (
                std::mem::take(&mut h.get_mut().reason),
                h.get_mut().by.take(),
            );
            let h = &h;
            let r = h.get_ref();
            let (Some(from), to) = (
                self.when(h, &r.from),
                r.to.as_ref().map(|t| self.when(h, t)),
            ) else {
                continue;
            };
            let to = match to {
                Some(None) => continue,
                Some(Some(t)) if t < from => {
                    self.error(
                        h,
                        "hold",
                        format!("the hold ends ({t}) before it starts ({from})"),
                        None,
                    );
                    continue;
                }
                Some(t) => t,
                None => None,
            };
            if holds
                .last()
                .is_some_and(|last| last.to.is_none_or(|end| end > from))
            {
                self.error(
                    h,
                    "hold",
                    "holds overlap: a hold starts before the one before it ended".into(),
                    Some("give the earlier hold a `to` before this one's `from`".into()),
                );
                continue;
            }
            holds.push(Hold {
                from,
                to,
                reason,
                by,
                until: r.until.as_ref().and_then(|u| self.date(h, u)),
            });
        }
        holds
    }

    fn notes(&mut self, raw: Vec<Spanned<RawNote>>) -> Vec<Note> {
        let mut notes = Vec::new();
        for mut n in raw {
            let (text, by) = (std::mem::take(&mut n.get_mut().text), n.get_mut().by.take());
            if let Some(on) = self.date(&n, &n.get_ref().on) {
                notes.push(Note { on, by, text });
            }
        }
        notes
    }

    /// The `[[events]]` record, and the `[[handovers]]` of older files as
    /// `assign` events. A malformed event is a warning: the history is for
    /// reading, the engagement is still usable.
    fn events(
        &mut self,
        raw: Vec<Spanned<toml::Table>>,
        handovers: &[Spanned<toml::Table>],
    ) -> Vec<Event> {
        let mut events: Vec<Event> = raw.into_iter().filter_map(|e| self.event(e)).collect();
        for h in handovers {
            let t = h.get_ref();
            let Some(at) = t
                .get("on")
                .and_then(toml::Value::as_datetime)
                .and_then(|d| When::from_toml(d).ok())
            else {
                continue;
            };
            let mut values = Vec::new();
            for (key, from) in [("role", "role"), ("person", "to"), ("from", "from")] {
                if let Some(v) = t.get(from) {
                    values.push((key.to_string(), value_text(v)));
                }
            }
            events.push(Event {
                at,
                by: None,
                op: "assign".into(),
                values,
            });
        }
        events
    }

    /// One `[[events]]` entry, its values moved out of the table.
    fn event(&mut self, mut entry: Spanned<toml::Table>) -> Option<Event> {
        let t = entry.get_ref();
        let at = t.get("at").and_then(toml::Value::as_datetime);
        let (Some(at), true) = (at, t.get("op").is_some_and(toml::Value::is_str)) else {
            self.warning(
                &entry,
                "event",
                "an event needs `at` (a date or date-time) and `op` (a word such as \"done\")"
                    .into(),
                None,
            );
            return None;
        };
        let Ok(at) = When::from_toml(at) else {
            self.warning(&entry, "event", format!("`{at}` is not a date"), None);
            return None;
        };
        let (mut op, mut by, mut values) = (String::new(), None, Vec::new());
        for (k, v) in std::mem::take(entry.get_mut()) {
            match (k.as_str(), v) {
                ("at", _) => {}
                ("op", v) => op = into_string(v).unwrap_or_default(),
                ("by", v) => by = into_string(v),
                (_, v) => values.push((k, into_text(v))),
            }
        }
        Some(Event { at, by, op, values })
    }

    fn services(&mut self, playbook: &Playbook, raw: Option<&Spanned<Vec<String>>>) -> Vec<String> {
        let Some(raw) = raw else { return Vec::new() };
        let mut out = Vec::new();
        for s in raw.get_ref() {
            match playbook.check_service(s) {
                Ok(name) if name.is_empty() => {}
                Ok(name) => out.push(name),
                Err(e) => self.error(raw, "unknown-service", e.message, e.hint),
            }
        }
        out
    }

    fn fields(
        &mut self,
        playbook: &Playbook,
        raw: IndexMap<Spanned<String>, Spanned<toml::Value>>,
        id: &str,
    ) -> SmallMap<String> {
        let mut out = SmallMap::new();
        for (name, mut value) in raw {
            let text = match value.get_mut() {
                toml::Value::String(s) => std::mem::take(s),
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Float(f) => f.to_string(),
                other => {
                    let message = format!(
                        "`{}` must be a string, not {}",
                        name.get_ref(),
                        other.type_str()
                    );
                    self.error(&value, "field-value", message, None);
                    continue;
                }
            };
            if playbook.fields.contains_key(name.get_ref()) {
                if let Err(e) = playbook.check_field(name.get_ref(), &text) {
                    let hint = playbook
                        .field_with_value(name.get_ref(), &text)
                        .map(|other| {
                            format!(
                                "`{text}` is a value of `{other}`: ft set {id} {other} {}",
                                escape::shell(&text)
                            )
                        });
                    self.error(&value, "field-value", e, hint);
                    continue;
                }
            } else {
                {
                    let hint = suggest(name.get_ref(), playbook.fields.keys().map(String::as_str));
                    self.warning(
                        &name,
                        "unknown-field",
                        format!(
                            "playbook `{}` declares no field `{}`; it is kept but unused",
                            playbook.id,
                            name.get_ref()
                        ),
                        hint,
                    );
                }
            }
            out.insert(name.into_inner(), text);
        }
        out
    }

    fn team(
        &mut self,
        playbook: &Playbook,
        raw: IndexMap<Spanned<String>, Spanned<RawMember>>,
    ) -> SmallMap<Member> {
        let mut out = SmallMap::new();
        for (role, mut member) in raw {
            let Some(r) = playbook.role(role.get_ref()) else {
                let names = playbook.roles.iter().map(|r| r.alias.as_str());
                let hint = suggest(role.get_ref(), names).or_else(|| {
                    Some(format!(
                        "roles of `{}`: {}",
                        playbook.id,
                        playbook
                            .roles
                            .iter()
                            .map(|r| r.alias.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                });
                self.error(
                    &role,
                    "unknown-role",
                    format!(
                        "`{}` is not a role of playbook `{}`",
                        role.get_ref(),
                        playbook.id
                    ),
                    hint,
                );
                continue;
            };
            let (person, since) = match member.get_mut() {
                RawMember::Person(p) => (std::mem::take(p), None),
                RawMember::Full { person, since } => (std::mem::take(person), *since),
            };
            let since = since.and_then(|d| self.date(&member, &d));
            if person.trim().is_empty() {
                continue;
            }
            out.insert(r.alias.clone(), Member { person, since });
        }
        out
    }

    fn milestones(
        &mut self,
        playbook: &Playbook,
        raw: IndexMap<Spanned<String>, Spanned<Datetime>>,
    ) -> SmallMap<When> {
        let mut out = SmallMap::new();
        for (name, value) in raw {
            if !playbook.has_milestone(name.get_ref()) {
                let hint = suggest(
                    name.get_ref(),
                    playbook.milestones.iter().map(|m| m.id.as_str()),
                );
                self.error(
                    &name,
                    "unknown-milestone",
                    format!(
                        "playbook `{}` has no milestone `{}`",
                        playbook.id,
                        name.get_ref()
                    ),
                    hint,
                );
                continue;
            }
            if let Some(w) = self.when(&value, value.get_ref()) {
                out.insert(name.into_inner(), w);
            }
        }
        out
    }

    fn tasks(
        &mut self,
        playbook: &Playbook,
        raw: IndexMap<Spanned<String>, Spanned<RawTaskRecord>>,
        opened: Option<When>,
    ) -> SmallMap<TaskRecord> {
        let mut out = SmallMap::new();
        for (id, mut record) in raw {
            let Some(task) = playbook.task(id.get_ref()) else {
                let hint = suggest(
                    id.get_ref(),
                    playbook
                        .task_ids()
                        .chain(playbook.cadences.iter().map(|c| c.id.as_str())),
                );
                let message = if playbook.cadence(id.get_ref()).is_some() {
                    format!(
                        "`{}` is a cadence; list its occurrences under [cadences]",
                        id.get_ref()
                    )
                } else {
                    format!("playbook `{}` has no task `{}`", playbook.id, id.get_ref())
                };
                self.error(&id, "unknown-task", message, hint);
                continue;
            };
            let (reason, note) = (record.get_mut().reason.take(), record.get_mut().note.take());
            let record = &record;
            let r = record.get_ref();
            let state = match (&r.done, &r.skipped) {
                (Some(_), Some(_)) => {
                    self.error(
                        record,
                        "task-state",
                        format!("task `{}` is both done and skipped", id.get_ref()),
                        Some("keep one of `done` and `skipped`".into()),
                    );
                    None
                }
                (Some(done), None) => self.when(record, done).map(TaskState::Done),
                (None, Some(skipped)) => {
                    let on = self.when(record, skipped);
                    if task.mandatory && !r.forced {
                        self.error(
                            record,
                            "skipped-mandatory",
                            format!("task `{}` is mandatory and cannot be skipped", id.get_ref()),
                            Some(format!("reopen it (`ft reopen ID {}`), or skip with `--force` to record why", id.get_ref())),
                        );
                    }
                    Some(TaskState::Skipped {
                        on,
                        reason: reason.unwrap_or_default(),
                        forced: r.forced,
                    })
                }
                (None, None) => None,
            };
            if let (Some(TaskState::Done(done)), Some(opened)) = (&state, opened)
                && done.date() < opened.date()
            {
                self.error(
                    record,
                    "done-before-opened",
                    format!(
                        "task `{}` is done on {done}, before the engagement opened on {opened}",
                        id.get_ref()
                    ),
                    None,
                );
            }
            out.insert(id.into_inner(), TaskRecord { state, note });
        }
        out
    }

    fn cadences(
        &mut self,
        playbook: &Playbook,
        raw: IndexMap<Spanned<String>, Vec<Spanned<Datetime>>>,
        opened: Option<When>,
    ) -> SmallMap<Vec<When>> {
        let mut out = SmallMap::new();
        for (id, dates) in raw {
            if playbook.cadence(id.get_ref()).is_none() {
                let hint = suggest(
                    id.get_ref(),
                    playbook.cadences.iter().map(|c| c.id.as_str()),
                );
                self.error(
                    &id,
                    "unknown-cadence",
                    format!(
                        "playbook `{}` has no cadence `{}`",
                        playbook.id,
                        id.get_ref()
                    ),
                    hint,
                );
                continue;
            }
            let mut list = Vec::new();
            for d in &dates {
                if let Some(w) = self.when(d, d.get_ref()) {
                    if let Some(opened) = opened
                        && w.date() < opened.date()
                    {
                        self.error(
                            d,
                            "done-before-opened",
                            format!(
                                "occurrence on {w} is before the engagement opened on {opened}"
                            ),
                            None,
                        );
                    }
                    list.push(w);
                }
            }
            list.sort();
            out.insert(id.into_inner(), list);
        }
        out
    }
}

/// The values of `field` that the due rules of these tasks accept.
fn rule_values(p: &Playbook, tasks: &[String], field: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let rules = p
        .tasks()
        .filter(|(_, t)| tasks.contains(&t.id))
        .flat_map(|(_, t)| t.due.iter());
    for (_, values) in rules.flat_map(|r| r.when.iter().filter(|(f, _)| f == field)) {
        for v in values {
            if !out.contains(v) {
                out.push(v.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::builtin;

    fn warnings(extra: &str) -> Vec<(usize, usize, String)> {
        let mut catalog = Catalog::default();
        for p in builtin::all() {
            catalog.insert(p);
        }
        let text = format!(
            "customer = \"C\"\nplaybook = \"azure-fasttrack-engineer\"\nservices = [\"AKS\"]\n{extra}"
        );
        let l = parse(Path::new("c.toml"), "c", &text, &catalog);
        assert!(l.engagement.is_some(), "{:?}", l.problems);
        l.problems
            .into_iter()
            .filter(|d| d.code == "unknown-key")
            .map(|d| (d.line, d.column, d.message))
            .collect()
    }

    /// Values at the top level that `ft` does not know are named, in the
    /// order written, quoted or not; tables of one's own and dotted keys
    /// (which make tables) are not.
    #[test]
    fn unknown_top_level_values_are_warned_about_in_order() {
        let got = warnings(
            "zeta = 1\n\"crm id\" = \"X\"\ninline = { a = 1 }\nowned.key = 2\n\n[custom]\nanything = 1\n\n[[rows]]\nx = 1\n",
        );
        let keys: Vec<(usize, usize, &str)> = got
            .iter()
            .map(|(l, c, m)| (*l, *c, m.split('`').nth(3).unwrap_or("")))
            .collect();
        assert_eq!(keys, [(4, 1, "zeta"), (5, 1, "crm id"), (6, 1, "inline")]);
    }

    #[test]
    fn unknown_keys_in_dibs_tasks_and_team_are_warned_about() {
        let got = warnings(
            "[dibs]\nsucess_owner = \"A\"\n\n[team]\nFE = { person = \"a\", snce = 2026-11-20 }\n\n[tasks]\npm-intro = { done = 2026-11-20, whn = 1 }\n",
        );
        let messages: Vec<&str> = got.iter().map(|(_, _, m)| m.as_str()).collect();
        assert_eq!(got.len(), 3, "{messages:?}");
        assert!(messages[0].contains("`sucess_owner` under [dibs]"));
        assert!(messages[1].contains("`whn` in task `pm-intro`"));
        assert!(messages[2].contains("`snce` in team role `FE`"));
        assert_eq!((got[0].0, got[0].1), (5, 1));
    }
}
