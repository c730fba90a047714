//! The write model: every change to an engagement file is an [`Op`], applied
//! to the `toml_edit` document here and nowhere else, and recorded as a dated
//! event in the file's `[[events]]`.
//!
//! Commands decide *what* to change, checking their arguments against the
//! loaded engagement, and hand a list of operations to `Workspace::apply`.
//! This module decides *how*: which keys change, the side effects that belong
//! together (claiming the playbook's primary role records `assigned` and makes
//! the engagement active; doing a task that `sets` a milestone records it),
//! and what the event says, including the value it replaced (`was`), so that
//! a history (`ft log`), `ft undo`, a merge driver and `ft report --compare`
//! all read one record instead of reconstructing it each their own way.
//!
//! An event is a plain table a person can read and edit:
//!
//! ```toml
//! [[events]]
//! at = 2026-11-23T09:15:00Z   # when it was recorded
//! by = "alice"                # who recorded it, when known
//! op = "done"                 # the operation, as below
//! task = "pm-intro"           # what it changed...
//! on = 2026-11-23             # ...and its values
//! ```

use chrono::NaiveDate;
use toml_edit::{Array, InlineTable, Item, Value};

use super::edit::EditDoc;
use super::{Engagement, Health, Status};
use crate::playbook::Playbook;
use crate::time::When;

/// A change to one engagement.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// A task done on a date or at a time; a task that `sets` a milestone records it.
    Done {
        task: String,
        on: When,
        note: Option<String>,
    },
    /// An optional task skipped (a mandatory one with `forced`).
    Skip {
        task: String,
        on: When,
        reason: String,
        forced: bool,
    },
    /// Undo done or skipped; the note stays.
    Reopen {
        task: String,
    },
    /// An occurrence of a cadence.
    Log {
        cadence: String,
        on: When,
    },
    /// Remove the last occurrence of a cadence at `on`.
    Unlog {
        cadence: String,
        on: When,
    },
    Milestone {
        name: String,
        on: When,
    },
    /// A person takes a role (a handover when someone held it) at `on`.
    Assign {
        role: String,
        person: String,
        on: When,
    },
    Unassign {
        role: String,
    },
    Note {
        on: NaiveDate,
        by: Option<String>,
        text: String,
    },
    Health {
        on: NaiveDate,
        status: Health,
        note: Option<String>,
    },
    Blocker {
        on: NaiveDate,
        by: Option<String>,
        text: String,
    },
    /// Resolve blocker `number` (1-based, as `ft blocker` lists them).
    Resolve {
        number: usize,
        on: NaiveDate,
    },
    /// DIBS fields, by key (`date`, `intent`, `business_reason`, `success_owner`).
    Dibs {
        field: &'static str,
        value: DibsValue,
    },
    Set(Setting),
    /// The `end` milestone, and the status closed.
    Close {
        on: When,
    },
    /// A planned date for a milestone not reached yet (may be in the future).
    Plan {
        name: String,
        on: When,
    },
    /// Put the engagement on hold; on an engagement already on hold, change
    /// the date it is expected to resume (`until`).
    Hold {
        on: When,
        reason: String,
        by: Option<String>,
        until: Option<NaiveDate>,
    },
    /// End the hold in progress; the status goes back to active, or
    /// unassigned when nobody holds the primary role.
    Resume {
        on: When,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum DibsValue {
    Date(NaiveDate),
    Text(String),
}

/// `ft set`: one engagement-level value.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    Customer(String),
    Services(Vec<String>),
    Seats(u32),
    ActiveUsers(u32),
    Status(Status),
    Playbook(String),
    Ssat(String, bool),
    Field(String, String),
}

/// Who makes a change and when, for the event record.
#[derive(Debug, Clone)]
pub struct Actor {
    pub at: When,
    pub by: Option<String>,
}

/// Apply one operation; returns the event's kind and values when the
/// document changed, `None` when the operation changed nothing.
pub fn apply(
    doc: &mut EditDoc,
    e: &Engagement,
    p: &Playbook,
    op: &Op,
) -> Result<Option<Entry>, String> {
    let before = doc.to_string();
    let event = match op {
        Op::Done { task, on, note } => done(doc, e, p, task, *on, note.as_deref())?,
        Op::Skip {
            task,
            on,
            reason,
            forced,
        } => skip(doc, task, *on, reason, *forced)?,
        Op::Reopen { task } => reopen(doc, task),
        Op::Log { cadence, on } => {
            // One meeting is logged once: the same occurrence again changes nothing.
            if !e.cadences.get(cadence).is_some_and(|v| v.contains(on)) {
                doc.push(&["cadences", cadence], on.to_toml())?;
            }
            Entry::new("log")
                .with("cadence", cadence.as_str())
                .with("on", *on)
        }
        Op::Unlog { cadence, on } => {
            // The same point in time, however it was written (`09:00:00Z` or `09:00Z`...).
            doc.remove_last(&["cadences", cadence], |v| {
                v.as_datetime()
                    .and_then(|d| When::from_toml(d).ok())
                    .is_some_and(|w| w == *on && w.has_time() == on.has_time())
            });
            Entry::new("unlog")
                .with("cadence", cadence.as_str())
                .with("on", *on)
        }
        Op::Milestone { name, on } => {
            let was = doc.value(&["milestones", name]);
            doc.set(&["milestones", name], on.to_toml())?;
            Entry::new("milestone")
                .with("milestone", name.as_str())
                .with("on", *on)
                .was(was)
        }
        Op::Assign { role, person, on } => assign(doc, e, p, role, person, *on)?,
        Op::Unassign { role } => unassign(doc, e, p, role)?,
        // The same record twice (a command run again) changes nothing.
        _ if repeats(e, op) => Entry::new("repeat"),
        Op::Note { .. } | Op::Health { .. } | Op::Blocker { .. } | Op::Resolve { .. } => {
            entries(doc, e, op)?
        }
        Op::Dibs { field, value } => dibs(doc, field, value)?,
        Op::Set(s) => set(doc, s)?,
        Op::Plan { name, on } => {
            let was = doc.value(&["planned", name]);
            doc.set(&["planned", name], on.to_toml())?;
            Entry::new("plan")
                .with("milestone", name.as_str())
                .with("on", *on)
                .was(was)
        }
        Op::Hold {
            on,
            reason,
            by,
            until,
        } => hold(doc, e, *on, reason, by, *until)?,
        Op::Resume { on } => resume(doc, e, p, *on)?,
        Op::Close { on } => {
            let was = doc.value(&["status"]);
            // A recorded end stays where it is.
            if !e.milestones.contains_key("end") {
                doc.set(&["milestones", "end"], on.to_toml())?;
            }
            doc.set(&["status"], Status::Closed.as_str())?;
            Entry::new("close").with("on", *on).was(was)
        }
    };
    Ok((doc.to_string() != before).then_some(event))
}

/// Is this note, health entry or open blocker already recorded as it is?
fn repeats(e: &Engagement, op: &Op) -> bool {
    match op {
        Op::Note { on, by, text } => e
            .notes
            .iter()
            .any(|n| n.on == *on && &n.by == by && &n.text == text),
        Op::Health { on, status, note } => e
            .health
            .iter()
            .any(|h| h.on == *on && h.status == *status && &h.note == note),
        Op::Blocker { text, .. } => e
            .blockers
            .iter()
            .any(|b| b.resolved.is_none() && &b.text == text),
        _ => false,
    }
}

/// Operations on the appended lists: notes, health, blockers. The event
/// names the record by its content, not its position, so it still points at
/// the right one after two people's lists are merged.
fn entries(doc: &mut EditDoc, e: &Engagement, op: &Op) -> Result<Entry, String> {
    Ok(match op {
        Op::Note { on, by, text } => {
            let mut entry = vec![("on", day(*on))];
            entry.extend(who(by));
            entry.push(("text", text.into()));
            doc.push_entry("notes", &entry)?;
            Entry::new("note")
                .with("on", day(*on))
                .with("text", excerpt(text))
        }
        Op::Health { on, status, note } => {
            let mut entry = vec![("on", day(*on)), ("status", status.as_str().into())];
            entry.extend(note.as_deref().map(|n| ("note", Value::from(n))));
            doc.push_entry("health", &entry)?;
            Entry::new("health")
                .with("on", day(*on))
                .with("status", status.as_str())
        }
        Op::Blocker { on, by, text } => {
            let mut entry = vec![("opened", day(*on)), ("text", text.into())];
            entry.extend(who(by));
            doc.push_entry("blockers", &entry)?;
            Entry::new("blocker")
                .with("opened", day(*on))
                .with("text", excerpt(text))
        }
        Op::Resolve { number, on } => {
            let index = number.saturating_sub(1);
            doc.set_in_entry("blockers", index, "resolved", day(*on))?;
            let text = e.blockers.get(index).map_or("", |b| b.text.as_str());
            Entry::new("resolve")
                .with("blocker", excerpt(text))
                .with("on", day(*on))
        }
        _ => unreachable!("only list operations come here"),
    })
}

fn day(d: NaiveDate) -> Value {
    When::Date(d).to_toml()
}

/// Enough of a record's text to find it again: the first 80 characters.
fn excerpt(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text.to_string(),
    }
}

/// `by = PERSON` for an entry, when the person is known.
fn who(by: &Option<String>) -> Option<(&'static str, Value)> {
    by.as_deref().map(|b| ("by", Value::from(b)))
}

fn dibs(doc: &mut EditDoc, field: &'static str, value: &DibsValue) -> Result<Entry, String> {
    let was = doc.value(&["dibs", field]);
    let v = match value {
        DibsValue::Date(d) => day(*d),
        DibsValue::Text(t) => Value::from(t.as_str()),
    };
    doc.set(&["dibs", field], v.clone())?;
    Ok(Entry::new("dibs")
        .with("field", field)
        .with("value", v)
        .was(was))
}

fn done(
    doc: &mut EditDoc,
    e: &Engagement,
    p: &Playbook,
    task: &str,
    on: When,
    note: Option<&str>,
) -> Result<Entry, String> {
    for key in ["skipped", "reason", "forced"] {
        doc.remove(&["tasks", task, key]);
    }
    doc.set(&["tasks", task, "done"], on.to_toml())?;
    let mut event = Entry::new("done").with("task", task).with("on", on);
    if let Some(note) = note {
        doc.set(&["tasks", task, "note"], note)?;
        event = event.with("note", note);
    }
    if let Some(m) = p
        .task(task)
        .and_then(|t| t.sets.as_deref())
        .filter(|m| !e.milestones.contains_key(m))
    {
        doc.set(&["milestones", m], on.to_toml())?;
        event = event.with("sets", m);
    }
    Ok(event)
}

fn skip(
    doc: &mut EditDoc,
    task: &str,
    on: When,
    reason: &str,
    forced: bool,
) -> Result<Entry, String> {
    doc.remove(&["tasks", task, "done"]);
    doc.set(&["tasks", task, "skipped"], on.to_toml())?;
    doc.set(&["tasks", task, "reason"], reason)?;
    let mut event = Entry::new("skip")
        .with("task", task)
        .with("on", on)
        .with("reason", reason);
    if forced {
        doc.set(&["tasks", task, "forced"], true)?;
        event = event.with("forced", true);
    } else {
        doc.remove(&["tasks", task, "forced"]);
    }
    Ok(event)
}

fn reopen(doc: &mut EditDoc, task: &str) -> Entry {
    let mut was = InlineTable::new();
    for key in ["done", "skipped", "reason", "forced"] {
        if let Some(v) = doc.value(&["tasks", task, key]) {
            was.insert(key, v);
        }
        doc.remove(&["tasks", task, key]);
    }
    Entry::new("reopen")
        .with("task", task)
        .was((!was.is_empty()).then(|| Value::InlineTable(was)))
}

fn assign(
    doc: &mut EditDoc,
    e: &Engagement,
    p: &Playbook,
    role: &str,
    person: &str,
    on: When,
) -> Result<Entry, String> {
    let mut member = InlineTable::new();
    member.insert("person", Value::from(person));
    member.insert("since", on.date_toml());
    doc.set(&["team", role], member)?;
    let mut event = Entry::new("assign")
        .with("role", role)
        .with("person", person);
    if let Some(from) = e.holder(role) {
        event = event.with("from", from);
    }
    // The clocks counted from the claim start once: a handover keeps them.
    if p.primary_role.as_deref() == Some(role) && !e.milestones.contains_key("assigned") {
        doc.set(&["milestones", "assigned"], on.to_toml())?;
        event = event.with("sets", "assigned");
    }
    if e.status == Status::Unassigned {
        doc.set(&["status"], Status::Active.as_str())?;
    }
    Ok(event)
}

fn unassign(doc: &mut EditDoc, e: &Engagement, p: &Playbook, role: &str) -> Result<Entry, String> {
    doc.remove(&["team", role]);
    let mut event = Entry::new("unassign").with("role", role);
    if let Some(from) = e.holder(role) {
        event = event.with("person", from);
    }
    // The clocks counted from the first claim keep running: `assigned` stays.
    if p.primary_role.as_deref() == Some(role) && e.status == Status::Active {
        doc.set(&["status"], Status::Unassigned.as_str())?;
    }
    Ok(event)
}

fn hold(
    doc: &mut EditDoc,
    e: &Engagement,
    on: When,
    reason: &str,
    by: &Option<String>,
    until: Option<NaiveDate>,
) -> Result<Entry, String> {
    if e.open_hold().is_some() {
        let index = e.holds.len() - 1;
        let mut event = Entry::new("hold");
        if !reason.trim().is_empty() {
            doc.set_in_entry("holds", index, "reason", Value::from(reason))?;
            event = event.with("reason", reason);
        }
        if let Some(until) = until {
            doc.set_in_entry("holds", index, "until", day(until))?;
            event = event.with("until", day(until));
        }
        return Ok(event);
    }
    let mut entry = vec![("from", on.to_toml()), ("reason", reason.into())];
    entry.extend(who(by));
    entry.extend(until.map(|u| ("until", day(u))));
    let n = doc.push_entry("holds", &entry)?;
    let was = doc.value(&["status"]);
    doc.set(&["status"], Status::OnHold.as_str())?;
    let mut event = Entry::new("hold")
        .with("hold", n)
        .with("reason", reason)
        .with("on", on);
    if let Some(u) = until {
        event = event.with("until", day(u));
    }
    Ok(event.was(was))
}

fn resume(doc: &mut EditDoc, e: &Engagement, p: &Playbook, on: When) -> Result<Entry, String> {
    if e.open_hold().is_some() {
        doc.set_in_entry("holds", e.holds.len() - 1, "to", on.to_toml())?;
    }
    let primary_held = p
        .primary_role
        .as_deref()
        .is_some_and(|r| e.team.contains_key(r));
    let status = if primary_held {
        Status::Active
    } else {
        Status::Unassigned
    };
    doc.set(&["status"], status.as_str())?;
    Ok(Entry::new("resume")
        .with("hold", e.holds.len())
        .with("on", on))
}

fn set(doc: &mut EditDoc, s: &Setting) -> Result<Entry, String> {
    let (path, value): (Vec<&str>, Value) = match s {
        Setting::Customer(c) => (vec!["customer"], c.as_str().into()),
        Setting::Services(list) => (vec!["services"], list.iter().collect::<Array>().into()),
        Setting::Seats(n) => (vec!["seats"], i64::from(*n).into()),
        Setting::ActiveUsers(n) => (vec!["active_users"], i64::from(*n).into()),
        Setting::Status(st) => (vec!["status"], st.as_str().into()),
        Setting::Playbook(id) => (vec!["playbook"], id.as_str().into()),
        Setting::Ssat(item, b) => (vec!["ssat", item], (*b).into()),
        Setting::Field(name, v) => (vec!["fields", name], v.as_str().into()),
    };
    let was = doc.value(&path);
    if was.as_ref().is_some_and(|w| same(w, &value)) {
        return Ok(Entry::new("set"));
    }
    doc.set(&path, value.clone())?;
    Ok(Entry::new("set")
        .with("key", path.join("."))
        .with("value", value)
        .was(was))
}

/// Equal TOML values, ignoring formatting and comments.
fn same(a: &Value, b: &Value) -> bool {
    let mut a = a.clone();
    let mut b = b.clone();
    a.decor_mut().clear();
    b.decor_mut().clear();
    a.to_string() == b.to_string()
}

/// One recorded change: its operation and values; `at` and `by` are added
/// when it is written.
#[derive(Debug, Clone)]
pub struct Entry {
    op: &'static str,
    values: Vec<(&'static str, Value)>,
}

impl Entry {
    fn new(op: &'static str) -> Self {
        Self {
            op,
            values: Vec::new(),
        }
    }

    fn with(mut self, key: &'static str, value: impl IntoValue) -> Self {
        self.values.push((key, value.into_value()));
        self
    }

    /// The value the change replaced, when there was one.
    fn was(self, was: Option<Value>) -> Self {
        match was {
            Some(v) => self.with("was", v),
            None => self,
        }
    }

    /// Append the event to the document's `[[events]]`.
    pub fn record(self, doc: &mut EditDoc, actor: &Actor) -> Result<usize, String> {
        let mut entry = vec![("at", actor.at.to_toml())];
        if let Some(by) = &actor.by {
            entry.push(("by", Value::from(by.as_str())));
        }
        entry.push(("op", Value::from(self.op)));
        entry.extend(self.values);
        let n = doc.push_entry("events", &entry)?;
        doc.keep_last("events");
        Ok(n)
    }
}

/// Values an event can hold.
trait IntoValue {
    fn into_value(self) -> Value;
}

impl IntoValue for Value {
    fn into_value(mut self) -> Value {
        self.decor_mut().clear();
        self
    }
}

impl IntoValue for &str {
    fn into_value(self) -> Value {
        Value::from(self)
    }
}

impl IntoValue for String {
    fn into_value(self) -> Value {
        Value::from(self)
    }
}

impl IntoValue for When {
    fn into_value(self) -> Value {
        self.to_toml()
    }
}

impl IntoValue for usize {
    fn into_value(self) -> Value {
        Value::from(i64::try_from(self).unwrap_or(i64::MAX))
    }
}

impl IntoValue for bool {
    fn into_value(self) -> Value {
        Value::from(self)
    }
}

/// Store every role under its alias: a full name written by hand
/// (`"FastTrack Manager" = "dana"`) becomes `FM = "dana"`, in place, keeping
/// the value and its comment.
pub fn normalise_roles(doc: &mut EditDoc, p: &Playbook) {
    let Some(keys) = doc
        .get(&["team"])
        .and_then(Item::as_table_like)
        .map(|t| t.iter().map(|(k, _)| k.to_string()).collect::<Vec<_>>())
    else {
        return;
    };
    for key in keys {
        if let Some(role) = p.role(&key)
            && role.alias != key
        {
            doc.rename_key(&["team"], &key, &role.alias);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn playbook(id: &str) -> Playbook {
        crate::playbook::builtin::all()
            .into_iter()
            .find(|p| p.id == id)
            .unwrap()
    }

    fn w(s: &str) -> When {
        s.parse().unwrap()
    }

    const FILE: &str = "\
id = \"test\"
customer = \"Test\"
playbook = \"azure-fasttrack-engineer\"
status = \"unassigned\"   # waiting for an FE

[team]
\"FastTrack Program Manager\" = \"bob\"   # the PM

[milestones]
opened = 2026-11-13
";

    fn engagement(text: &str) -> Engagement {
        let catalog = {
            let mut c = crate::playbook::Catalog::default();
            for p in crate::playbook::builtin::all() {
                c.insert(p);
            }
            c
        };
        let loaded =
            super::super::load::parse(std::path::Path::new("test.toml"), "test", text, &catalog);
        loaded.engagement.expect("valid test file")
    }

    #[test]
    fn claiming_the_primary_role_starts_the_clock_once() {
        let p = playbook("azure-fasttrack-engineer");
        let e = engagement(FILE);
        let mut doc = EditDoc::parse(FILE).unwrap();
        let op = Op::Assign {
            role: "FE".into(),
            person: "alice".into(),
            on: w("2026-11-16"),
        };
        let event = apply(&mut doc, &e, &p, &op).unwrap().expect("changed");
        let text = doc.to_string();
        assert!(text.contains("FE = { person = \"alice\", since = 2026-11-16 }"));
        assert!(text.contains("assigned = 2026-11-16"), "{text}");
        assert!(
            text.contains("status = \"active\"   # waiting for an FE"),
            "status keeps its comment: {text}"
        );
        assert_eq!(event.op, "assign");
        // A handover keeps the clock: `assigned` is not moved.
        let e = engagement(&text);
        let op = Op::Assign {
            role: "FE".into(),
            person: "carlos".into(),
            on: w("2026-11-20"),
        };
        let event = apply(&mut doc, &e, &p, &op).unwrap().expect("changed");
        let text = doc.to_string();
        assert!(text.contains("assigned = 2026-11-16"), "{text}");
        assert!(
            event
                .values
                .iter()
                .any(|(k, v)| *k == "from" && v.as_str() == Some("alice")),
            "a handover names who held the role"
        );
    }

    #[test]
    fn full_role_names_become_aliases() {
        let p = playbook("azure-fasttrack-engineer");
        let mut doc = EditDoc::parse(FILE).unwrap();
        normalise_roles(&mut doc, &p);
        assert!(
            doc.to_string().contains("PM = \"bob\"   # the PM"),
            "{}",
            doc
        );
        let e = engagement(&doc.to_string());
        let op = Op::Unassign { role: "PM".into() };
        apply(&mut doc, &e, &p, &op).unwrap().expect("changed");
        assert!(!doc.to_string().contains("bob"), "{}", doc);
    }

    #[test]
    fn an_operation_that_changes_nothing_records_nothing() {
        let p = playbook("azure-fasttrack-engineer");
        let e = engagement(FILE);
        let mut doc = EditDoc::parse(FILE).unwrap();
        let op = Op::Set(Setting::Status(Status::Unassigned));
        assert!(apply(&mut doc, &e, &p, &op).unwrap().is_none());
        assert_eq!(doc.to_string(), FILE);
        let op = Op::Set(Setting::Seats(250));
        let event = apply(&mut doc, &e, &p, &op).unwrap().expect("changed");
        event
            .record(
                &mut doc,
                &Actor {
                    at: w("2026-11-23T09:00:00Z"),
                    by: Some("dana".into()),
                },
            )
            .unwrap();
        assert!(
            doc.to_string().ends_with(
                "[[events]]\nat = 2026-11-23T09:00:00Z\nby = \"dana\"\nop = \"set\"\nkey = \"seats\"\nvalue = 250\n"
            ),
            "{}",
            doc
        );
    }

    #[test]
    fn reopen_records_what_it_removed() {
        let p = playbook("azure-fasttrack-engineer");
        let text =
            format!("{FILE}\n[tasks]\npm-intro = {{ done = 2026-11-17, note = \"sent\" }}\n");
        let e = engagement(&text);
        let mut doc = EditDoc::parse(&text).unwrap();
        let op = Op::Reopen {
            task: "pm-intro".into(),
        };
        let event = apply(&mut doc, &e, &p, &op).unwrap().expect("changed");
        assert!(doc.to_string().contains("pm-intro = { note = \"sent\" }"));
        let was = event.values.iter().find(|(k, _)| *k == "was").unwrap();
        assert_eq!(was.1.to_string(), "{ done = 2026-11-17 }");
    }
}
