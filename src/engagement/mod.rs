//! Engagements: one customer project or incident worked through a playbook (pure data).

pub mod cache;
pub mod edit;
pub mod load;
pub mod merge;
pub mod ops;
pub mod smallmap;
pub mod store;

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use chrono::NaiveDate;

use crate::time::When;
pub use smallmap::SmallMap;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Engagement {
    pub id: String,
    /// Set when loaded; not kept in the cache.
    #[serde(skip)]
    pub path: PathBuf,
    pub customer: String,
    pub playbook: String,
    pub services: Vec<String>,
    pub seats: Option<u32>,
    pub active_users: Option<u32>,
    pub status: Status,
    /// Engagement fields such as `severity`.
    pub fields: SmallMap<String>,
    /// Role alias -> member.
    pub team: SmallMap<Member>,
    pub milestones: SmallMap<When>,
    /// Planned dates of milestones not yet reached (`[planned]`).
    pub planned: SmallMap<When>,
    pub tasks: SmallMap<TaskRecord>,
    pub cadences: SmallMap<Vec<When>>,
    pub dibs: Dibs,
    pub ssat: SmallMap<bool>,
    pub health: Vec<HealthEntry>,
    pub blockers: Vec<Blocker>,
    pub notes: Vec<Note>,
    /// Times the engagement was on hold (`[[holds]]`), oldest first.
    pub holds: Vec<Hold>,
    /// The record of changes (`[[events]]`), oldest first as written.
    pub events: Vec<Event>,
}

/// A time the engagement was paused: its SLA clocks stop from `from` until
/// `to` (still on hold when `to` is missing).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Hold {
    pub from: When,
    pub to: Option<When>,
    pub reason: String,
    pub by: Option<String>,
    #[serde(with = "crate::time::day::opt")]
    pub until: Option<NaiveDate>,
}

/// One recorded change: when, by whom, the operation ([`ops::Op`]) and its
/// values as written in the file (see [`ops`] for the shape).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    pub at: When,
    pub by: Option<String>,
    pub op: String,
    pub values: Vec<(String, String)>,
}

impl Event {
    pub fn value(&self, key: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Unassigned,
    Active,
    OnHold,
    Closed,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Unassigned,
        Status::Active,
        Status::OnHold,
        Status::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unassigned => "unassigned",
            Status::Active => "active",
            Status::OnHold => "on-hold",
            Status::Closed => "closed",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|st| st.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!("`{s}` is not a status; use unassigned, active, on-hold or closed")
            })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Member {
    pub person: String,
    #[serde(with = "crate::time::day::opt")]
    pub since: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TaskState {
    Done(When),
    Skipped {
        on: Option<When>,
        reason: String,
        forced: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TaskRecord {
    pub state: Option<TaskState>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Dibs {
    #[serde(with = "crate::time::day::opt")]
    pub date: Option<NaiveDate>,
    pub intent: Option<String>,
    pub business_reason: Option<String>,
    pub success_owner: Option<String>,
}

impl Dibs {
    /// `(key, label)` of each DIBS field that is not filled in.
    pub fn missing(&self) -> Vec<(&'static str, &'static str)> {
        let filled = [
            self.date.is_some(),
            has_text(self.intent.as_ref()),
            has_text(self.business_reason.as_ref()),
            has_text(self.success_owner.as_ref()),
        ];
        crate::playbook::DIBS_FIELDS
            .into_iter()
            .zip(filled)
            .filter(|(_, ok)| !ok)
            .map(|(f, _)| f)
            .collect()
    }
}

impl Dibs {
    /// Set the field `key` from its text as an event records it; `None`
    /// (or a date that does not parse) empties it.
    fn set_text(&mut self, key: &str, text: Option<&str>) {
        let text = text.map(ToString::to_string);
        match key {
            "date" => self.date = text.and_then(|t| t.parse().ok()),
            "intent" => self.intent = text,
            "business_reason" => self.business_reason = text,
            "success_owner" => self.success_owner = text,
            _ => {}
        }
    }

    /// Undo the `dibs` events `newest_first`: each field goes back to the
    /// value the change replaced (`was`), or empty when it had none.
    fn rewind<'a>(&mut self, newest_first: impl Iterator<Item = &'a Event>) {
        for ev in newest_first {
            if let Some(field) = ev.value("field") {
                self.set_text(field, ev.value("was"));
            }
        }
    }
}

fn has_text(s: Option<&String>) -> bool {
    s.is_some_and(|s| !s.trim().is_empty())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Health {
    Red,
    Yellow,
    Green,
}

impl Health {
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Red => "red",
            Health::Yellow => "yellow",
            Health::Green => "green",
        }
    }
}

impl FromStr for Health {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "red" => Ok(Health::Red),
            "yellow" | "amber" => Ok(Health::Yellow),
            "green" => Ok(Health::Green),
            _ => Err(format!("`{s}` is not a health; use red, yellow or green")),
        }
    }
}

impl fmt::Display for Health {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HealthEntry {
    #[serde(with = "crate::time::day")]
    pub on: NaiveDate,
    pub status: Health,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Blocker {
    #[serde(with = "crate::time::day")]
    pub opened: NaiveDate,
    pub text: String,
    pub by: Option<String>,
    #[serde(with = "crate::time::day::opt")]
    pub resolved: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Note {
    #[serde(with = "crate::time::day")]
    pub on: NaiveDate,
    pub by: Option<String>,
    pub text: String,
}

/// Did `w` happen by `at`? A date `at` takes the whole day.
pub fn happened_by(w: When, at: When) -> bool {
    match at {
        When::Date(d) => w.date() <= d,
        When::At(t) => w.instant() <= t,
    }
}

impl Engagement {
    /// The engagement as its own dated records show it at `at`: tasks,
    /// milestones, cadence occurrences, health, notes, blockers, holds and
    /// events recorded later are left out (a blocker resolved later is
    /// open, a hold ended later goes on). For `ft report --compare`.
    pub fn as_of(&self, at: When) -> Engagement {
        let mut e = self.clone();
        e.tasks.retain(|_, r| match &r.state {
            Some(TaskState::Done(w)) => happened_by(*w, at),
            Some(TaskState::Skipped { on: Some(w), .. }) => happened_by(*w, at),
            _ => true,
        });
        e.milestones.retain(|_, w| happened_by(*w, at));
        e.cadences.retain(|_, list| {
            list.retain(|w| happened_by(*w, at));
            true
        });
        e.health.retain(|h| happened_by(When::Date(h.on), at));
        e.notes.retain(|n| happened_by(When::Date(n.on), at));
        e.blockers.retain(|b| happened_by(When::Date(b.opened), at));
        for b in &mut e.blockers {
            b.resolved = b.resolved.filter(|r| happened_by(When::Date(*r), at));
        }
        e.holds.retain(|h| happened_by(h.from, at));
        for h in &mut e.holds {
            h.to = h.to.filter(|t| happened_by(*t, at));
        }
        let later: Vec<&Event> = self
            .dibs_events()
            .into_iter()
            .filter(|ev| !happened_by(ev.at, at))
            .collect();
        e.dibs.rewind(later.into_iter().rev());
        e.events.retain(|ev| happened_by(ev.at, at));
        if e.status == Status::Closed && !e.milestones.contains_key("end") {
            e.status = Status::Active;
        }
        e
    }

    /// The `dibs` events, oldest first.
    fn dibs_events(&self) -> Vec<&Event> {
        let mut events: Vec<&Event> = self.events.iter().filter(|ev| ev.op == "dibs").collect();
        events.sort_by_key(|ev| ev.at.instant());
        events
    }

    /// When the DIBS first had all four fields filled in, from the file's
    /// own `dibs` events; a later edit does not move it. `None` while a
    /// field is missing, and when they were complete before any recorded
    /// change (written by hand, or before ft kept records).
    pub fn dibs_completed_at(&self) -> Option<When> {
        if !self.dibs.missing().is_empty() {
            return None;
        }
        let events = self.dibs_events();
        let mut dibs = self.dibs.clone();
        dibs.rewind(events.iter().rev().copied());
        if dibs.missing().is_empty() {
            return None;
        }
        events.into_iter().find_map(|ev| {
            dibs.set_text(ev.value("field")?, ev.value("value"));
            dibs.missing().is_empty().then_some(ev.at)
        })
    }

    /// The person holding a role (by alias).
    pub fn holder(&self, role: &str) -> Option<&str> {
        self.team.get(role).map(|m| m.person.as_str())
    }

    /// Role aliases `person` holds.
    pub fn roles_of<'a>(&'a self, person: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.team
            .iter()
            .filter(move |(_, m)| m.person.eq_ignore_ascii_case(person))
            .map(|(r, _)| r.as_str())
    }

    pub fn opened(&self) -> Option<When> {
        self.milestones.get("opened").copied()
    }

    pub fn latest_health(&self) -> Option<&HealthEntry> {
        self.health.iter().max_by_key(|h| h.on)
    }

    pub fn open_blockers(&self) -> impl Iterator<Item = (usize, &Blocker)> {
        self.blockers
            .iter()
            .enumerate()
            .filter(|(_, b)| b.resolved.is_none())
            .map(|(i, b)| (i + 1, b))
    }

    /// The hold in progress, if the engagement is on hold now.
    pub fn open_hold(&self) -> Option<&Hold> {
        self.holds.last().filter(|h| h.to.is_none())
    }

    pub fn task_state(&self, id: &str) -> Option<&TaskState> {
        self.tasks.get(id).and_then(|r| r.state.as_ref())
    }
}

/// What commands ask of an engagement before they need the rest of it: its
/// id, playbook, status and who holds which role. The cache keeps one per
/// entry beside the full engagement, so a command can choose the few
/// engagements it needs without decoding the others (see [`cache`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub id: String,
    /// Set when loaded; not kept in the cache.
    #[serde(skip)]
    pub path: PathBuf,
    pub playbook: String,
    pub status: Status,
    /// Role alias -> person, in the file's order.
    pub team: Vec<(String, String)>,
}

impl Summary {
    pub fn of(e: &Engagement) -> Summary {
        Summary {
            id: e.id.clone(),
            path: e.path.clone(),
            playbook: e.playbook.clone(),
            status: e.status,
            team: e
                .team
                .iter()
                .map(|(r, m)| (r.clone(), m.person.clone()))
                .collect(),
        }
    }

    /// Role aliases `person` holds, as [`Engagement::roles_of`] has them.
    pub fn roles_of<'a>(&'a self, person: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.team
            .iter()
            .filter(move |(_, p)| p.eq_ignore_ascii_case(person))
            .map(|(r, _)| r.as_str())
    }

    pub fn holds_role(&self, role: &str) -> bool {
        self.team.iter().any(|(r, _)| r == role)
    }
}

/// Engagement (and playbook) ids are plain names: ASCII letters, digits, `-`,
/// `_` and `.`, not starting with `.`, so they are always safe as file names.
pub fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("an id cannot be empty".into());
    }
    if id.len() > 100 {
        // By characters: an id may hold any bytes until it is checked below.
        let head: String = id.chars().take(20).collect();
        return Err(format!(
            "id `{}...` is too long; ids are at most 100 ASCII letters, digits, `-`, `_` and `.`",
            head.escape_debug()
        ));
    }
    if id.starts_with('.') {
        return Err(format!(
            "id `{id}` starts with `.`; ids are plain names such as `contoso-teams`"
        ));
    }
    if let Some(bad) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!(
            "id `{}` contains `{}`; use letters, digits, `-`, `_` and `.` only",
            id.escape_debug(),
            bad.escape_debug()
        ));
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An empty active engagement on a playbook, for unit tests.
    pub fn engagement(playbook: &str) -> Engagement {
        Engagement {
            id: "test".into(),
            path: PathBuf::from("engagements/test.toml"),
            customer: "Test".into(),
            playbook: playbook.into(),
            services: Vec::new(),
            seats: None,
            active_users: None,
            status: Status::Active,
            fields: SmallMap::new(),
            team: SmallMap::new(),
            milestones: SmallMap::new(),
            planned: SmallMap::new(),
            tasks: SmallMap::new(),
            cadences: SmallMap::new(),
            dibs: Dibs::default(),
            ssat: SmallMap::new(),
            health: Vec::new(),
            blockers: Vec::new(),
            notes: Vec::new(),
            holds: Vec::new(),
            events: Vec::new(),
        }
    }

    #[test]
    fn ids_are_plain_names() {
        for ok in ["contoso", "contoso-teams", "a.b", "A_1", "3616"] {
            assert!(check_id(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "../x", "a/b", ".hidden", "a b", "a\\b", "é", "a\0b", "..", ".",
        ] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
        // Long ids of multi-byte characters are refused, not a panic.
        for long in [
            "€".repeat(40),
            format!("{}€", "a".repeat(100)),
            "é".repeat(101),
        ] {
            let e = check_id(&long).expect_err("over 100 bytes");
            assert!(e.contains("too long"), "{e}");
        }
    }

    #[test]
    fn dibs_missing_fields() {
        let mut d = Dibs::default();
        assert_eq!(d.missing().len(), 4);
        d.intent = Some("  ".into());
        d.date = NaiveDate::from_ymd_opt(2027, 1, 1);
        let missing: Vec<&str> = d.missing().into_iter().map(|(k, _)| k).collect();
        assert_eq!(missing, ["intent", "business_reason", "success_owner"]);
    }

    fn dibs_event(at: &str, field: &str, value: &str, was: Option<&str>) -> Event {
        let mut values = vec![
            ("field".to_string(), field.to_string()),
            ("value".to_string(), value.to_string()),
        ];
        values.extend(was.map(|w| ("was".to_string(), w.to_string())));
        Event {
            at: at.parse().unwrap(),
            by: None,
            op: "dibs".into(),
            values,
        }
    }

    #[test]
    fn dibs_are_complete_when_the_last_missing_field_is_first_filled_in() {
        let mut e = engagement("m");
        e.dibs = Dibs {
            date: NaiveDate::from_ymd_opt(2027, 1, 1),
            intent: Some("I2".into()),
            business_reason: Some("B".into()),
            success_owner: Some("S".into()),
        };
        // Complete in the file, the only record an edit of a filled field.
        e.events = vec![dibs_event("2026-11-20", "intent", "I2", Some("I"))];
        assert_eq!(e.dibs_completed_at(), None, "complete before any record");
        // The success owner was filled in on the 12th; the intent edited later.
        e.events
            .insert(0, dibs_event("2026-11-12", "success_owner", "S", None));
        assert_eq!(e.dibs_completed_at(), Some("2026-11-12".parse().unwrap()));
        // As of the 15th: the first intent; as of the 10th: no success owner.
        assert_eq!(
            e.as_of("2026-11-15".parse().unwrap())
                .dibs
                .intent
                .as_deref(),
            Some("I")
        );
        let before = e.as_of("2026-11-10".parse().unwrap());
        assert_eq!(before.dibs.success_owner, None);
        assert_eq!(before.dibs_completed_at(), None);
    }
}
