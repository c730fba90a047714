//! Due dates and statuses from a playbook, an engagement, the calendar and "now".
//!
//! Pure: no clock and no disk. Day SLAs (`d`, `bd`, `w`, `mo`) give a due
//! date, the whole day; minute and hour SLAs give a due instant.

use chrono::{DateTime, Days, FixedOffset, Months, NaiveDate, TimeDelta};
use serde::Serialize;

use crate::calendar::Calendar;
use crate::duration::{Interval, Period, Unit};
use crate::engagement::{Engagement, TaskState};
use crate::playbook::{Anchor, Cadence, DueRule, Playbook, Task};
use crate::time::When;

/// When something is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Day(NaiveDate),
    At(DateTime<FixedOffset>),
}

impl Due {
    pub fn date(&self) -> NaiveDate {
        match self {
            Due::Day(d) => *d,
            Due::At(t) => t.date_naive(),
        }
    }

    /// Days from `now` to the due point (negative when past); fractional for instants.
    pub fn days_from(&self, now: When) -> f64 {
        match (self, now) {
            (Due::Day(d), _) => (*d - now.date()).num_days() as f64,
            (Due::At(t), When::At(n)) => (*t - n).num_seconds() as f64 / 86_400.0,
            (Due::At(t), When::Date(d)) => (t.date_naive() - d).num_days() as f64,
        }
    }
}

impl std::fmt::Display for Due {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Due::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Due::At(t) => write!(f, "{}", When::At(*t)),
        }
    }
}

impl Serialize for Due {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Add a period to an anchor.
pub fn add(anchor: When, p: Period, cal: &Calendar) -> Due {
    let n = p.amount;
    let days = |k: u64| Days::new(k * u64::from(n));
    // Calendar units keep the anchor's form: a date stays a date, an instant an instant.
    let calendar = |date: Option<NaiveDate>, at: Option<DateTime<FixedOffset>>| match anchor {
        When::Date(_) => Due::Day(date.unwrap_or(NaiveDate::MAX)),
        When::At(t) => Due::At(at.unwrap_or(t)),
    };
    let at = anchor.instant();
    match p.unit {
        Unit::Minutes => Due::At(at + TimeDelta::minutes(i64::from(n))),
        Unit::Hours => Due::At(at + TimeDelta::hours(i64::from(n))),
        Unit::Days => calendar(
            anchor.date().checked_add_days(days(1)),
            at.checked_add_days(days(1)),
        ),
        Unit::Weeks => calendar(
            anchor.date().checked_add_days(days(7)),
            at.checked_add_days(days(7)),
        ),
        Unit::Months => calendar(
            anchor.date().checked_add_months(Months::new(n)),
            at.checked_add_months(Months::new(n)),
        ),
        Unit::BusinessDays => Due::Day(cal.add_business_days(anchor.date(), n)),
    }
}

/// How late (or early) something is, in the SLA's own unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Lateness {
    pub amount: i64,
    #[serde(serialize_with = "unit_name")]
    pub unit: Unit,
}

fn unit_name<S: serde::Serializer>(u: &Unit, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(u.words().1)
}

impl Lateness {
    pub fn words(&self) -> String {
        let (one, many) = self.unit.words();
        format!(
            "{} {}",
            self.amount,
            if self.amount == 1 { one } else { many }
        )
    }
}

/// Lateness of `at` against `due`, in the unit the SLA counts in.
pub fn lateness(due: Due, at: When, unit: Unit, cal: &Calendar) -> Lateness {
    match due {
        Due::At(t) => {
            let secs = (at.instant() - t).num_seconds();
            if unit == Unit::Minutes || secs.abs() < 3600 {
                Lateness {
                    amount: secs.div_euclid(60).max(0),
                    unit: Unit::Minutes,
                }
            } else {
                Lateness {
                    amount: secs / 3600,
                    unit: Unit::Hours,
                }
            }
        }
        Due::Day(d) => {
            if unit == Unit::BusinessDays {
                Lateness {
                    amount: cal.business_days_between(d, at.date()),
                    unit: Unit::BusinessDays,
                }
            } else {
                Lateness {
                    amount: (at.date() - d).num_days(),
                    unit: Unit::Days,
                }
            }
        }
    }
}

/// Is `due` past at `now`? A due day is past once it is over; a due instant
/// with a date-only "now" is past from the next day.
pub fn is_past(due: Due, now: When) -> bool {
    match (due, now) {
        (Due::Day(d), _) => now.date() > d,
        (Due::At(t), When::At(n)) => n > t,
        (Due::At(t), When::Date(d)) => d > t.date_naive(),
    }
}

/// Was work done at `done` late against `due`?
pub fn done_late(due: Due, done: When) -> bool {
    match (due, done) {
        (Due::Day(d), _) => done.date() > d,
        (Due::At(t), When::At(x)) => x > t,
        (Due::At(t), When::Date(x)) => x > t.date_naive(),
    }
}

/// What a due point is measured from, resolved against an engagement.
#[derive(Debug, Clone)]
pub struct Clock {
    pub rule: DueRule,
    /// The anchor's time, once it has happened.
    pub start: Option<When>,
    pub due: Option<Due>,
}

/// The due rule of a task that applies to this engagement (first match
/// wins), with its position among the task's rules.
pub fn rule_for<'a>(task: &'a Task, e: &Engagement) -> Option<(usize, &'a DueRule)> {
    task.due.iter().enumerate().find(|(_, r)| {
        r.when
            .iter()
            .all(|(field, values)| e.fields.get(field).is_some_and(|v| values.contains(v)))
    })
}

/// When an anchor happened, if it has.
pub fn anchor_time(e: &Engagement, anchor: &Anchor) -> Option<When> {
    match anchor {
        Anchor::Milestone(m) => e.milestones.get(m).copied(),
        Anchor::Task(t) => match e.task_state(t) {
            Some(TaskState::Done(w)) => Some(*w),
            _ => None,
        },
    }
}

pub fn clock(task: &Task, e: &Engagement, cal: &Calendar) -> Option<Clock> {
    let (_, rule) = rule_for(task, e)?;
    let start = anchor_time(e, &rule.after);
    Some(Clock {
        rule: rule.clone(),
        start,
        due: start.map(|s| add(s, rule.within, cal)),
    })
}

/// The state of one task or cadence at `now`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Status {
    /// Open, no SLA.
    Open,
    /// Open; the SLA's anchor has not happened yet.
    Waiting,
    /// Open and due later.
    Upcoming,
    /// Open and due within the "soon" window.
    DueSoon,
    Overdue {
        by: Lateness,
    },
    Done {
        on: String,
    },
    DoneOnTime {
        on: String,
    },
    DoneLate {
        on: String,
        by: Lateness,
    },
    Skipped {
        reason: String,
        forced: bool,
    },
}

impl Status {
    pub fn is_open(&self) -> bool {
        matches!(
            self,
            Status::Open
                | Status::Waiting
                | Status::Upcoming
                | Status::DueSoon
                | Status::Overdue { .. }
        )
    }

    pub fn is_overdue(&self) -> bool {
        matches!(self, Status::Overdue { .. })
    }
}

/// Days ahead that count as "due soon" for day SLAs.
pub const SOON_DAYS: f64 = 2.0;

/// A task's status at `now`.
pub fn task_status(
    task: &Task,
    e: &Engagement,
    cal: &Calendar,
    now: When,
) -> (Status, Option<Clock>) {
    let clock = clock(task, e, cal);
    let due = clock.as_ref().and_then(|c| c.due);
    let unit = clock.as_ref().map_or(Unit::Days, |c| c.rule.within.unit);
    let status = match (e.task_state(&task.id), due) {
        (Some(TaskState::Skipped { reason, forced, .. }), _) => Status::Skipped {
            reason: reason.clone(),
            forced: *forced,
        },
        (Some(TaskState::Done(on)), Some(due)) if done_late(due, *on) => Status::DoneLate {
            on: on.to_string(),
            by: lateness(due, *on, unit, cal),
        },
        (Some(TaskState::Done(on)), Some(_)) => Status::DoneOnTime { on: on.to_string() },
        (Some(TaskState::Done(on)), None) => Status::Done { on: on.to_string() },
        (None, None) if clock.is_some() => Status::Waiting,
        (None, None) => Status::Open,
        (None, Some(due)) => open_status(due, now, unit, cal, soon_window(due)),
    };
    (status, clock)
}

fn soon_window(due: Due) -> f64 {
    match due {
        Due::Day(_) => SOON_DAYS,
        Due::At(_) => 1.0 / 24.0,
    }
}

fn open_status(due: Due, now: When, unit: Unit, cal: &Calendar, soon: f64) -> Status {
    if is_past(due, now) {
        Status::Overdue {
            by: lateness(due, now, unit, cal),
        }
    } else if due.days_from(now) <= soon {
        Status::DueSoon
    } else {
        Status::Upcoming
    }
}

/// A cadence's next occurrence at `now`.
#[derive(Debug, Clone)]
pub struct CadenceState {
    pub last: Option<When>,
    /// When the interval starts: the last occurrence, else the anchor.
    pub from: Option<When>,
    pub soon: Option<Due>,
    pub due: Option<Due>,
    pub status: Status,
}

pub fn cadence_state(c: &Cadence, e: &Engagement, cal: &Calendar, now: When) -> CadenceState {
    let last = e.cadences.get(&c.id).and_then(|v| v.iter().max()).copied();
    let from = last.or_else(|| anchor_time(e, &c.after));
    let Some(from) = from else {
        return CadenceState {
            last,
            from: None,
            soon: None,
            due: None,
            status: Status::Waiting,
        };
    };
    let Interval { soon, due } = c.every;
    let (soon_at, due_at) = (add(from, soon, cal), add(from, due, cal));
    let status = if is_past(due_at, now) {
        Status::Overdue {
            by: lateness(due_at, now, due.unit, cal),
        }
    } else if (soon_at != due_at && soon_at.days_from(now) <= 0.0)
        || due_at.days_from(now) <= soon_window(due_at)
    {
        Status::DueSoon
    } else {
        Status::Upcoming
    };
    CadenceState {
        last,
        from: Some(from),
        soon: Some(soon_at),
        due: Some(due_at),
        status,
    }
}

/// Is the cadence still running? Not after the engagement ended.
pub fn cadence_active(e: &Engagement) -> bool {
    !e.milestones.contains_key("end") && e.status != crate::engagement::Status::Closed
}

/// "within 2 business days of self-assignment on Fri 20 Nov".
pub fn rule_words(rule: &DueRule, start: Option<When>, p: &Playbook) -> String {
    let anchor = anchor_words(&rule.after, p);
    let within = if rule.within.amount == 0 {
        format!("by the {anchor}")
    } else {
        format!("within {} of {anchor}", rule.within.words())
    };
    match start {
        Some(s) => format!("{within} on {}", when_words(s)),
        None => within,
    }
}

/// A milestone as the playbook names it ("self-assignment"), else its id.
pub fn milestone_words(id: &str, p: &Playbook) -> String {
    p.milestones
        .iter()
        .find(|m| m.id == id)
        .map_or_else(|| id.replace('_', " "), |m| m.name.clone())
}

pub fn anchor_words(a: &Anchor, p: &Playbook) -> String {
    match a {
        Anchor::Milestone(m) => milestone_words(m, p),
        Anchor::Task(t) => match p.task(t) {
            Some(task) => format!("{t} ({})", short(&task.name)),
            None => t.clone(),
        },
    }
}

fn short(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() <= 5 {
        name.to_string()
    } else {
        format!("{}...", words[..5].join(" "))
    }
}

/// "Fri 20 Nov" or "Fri 20 Nov 09:15Z".
pub fn when_words(w: When) -> String {
    match w {
        When::Date(d) => d.format("%a %-d %b").to_string(),
        When::At(t) if t.offset().local_minus_utc() == 0 => {
            t.format("%a %-d %b %H:%MZ").to_string()
        }
        When::At(t) => t.format("%a %-d %b %H:%M%:z").to_string(),
    }
}

pub fn due_words(due: Due) -> String {
    match due {
        Due::Day(d) => d.format("%a %-d %b").to_string(),
        Due::At(t) => when_words(When::At(t)),
    }
}

/// "1 business day overdue", "due today", "due tomorrow", "due in 3 days", "done 2 days late".
pub fn status_words(status: &Status, due: Option<Due>, now: When) -> String {
    match status {
        Status::Overdue { by } => format!("{} overdue", by.words()),
        Status::DueSoon | Status::Upcoming => match due {
            Some(Due::Day(d)) => match (d - now.date()).num_days() {
                0 => "due today".into(),
                1 => "due tomorrow".into(),
                n => format!("due in {n} days ({})", due_words(Due::Day(d))),
            },
            Some(Due::At(t)) => {
                let mins = (t - now.instant()).num_minutes();
                match now {
                    When::At(_) if mins < 120 => {
                        format!("due in {mins} min ({})", due_words(Due::At(t)))
                    }
                    When::At(_) if mins < 48 * 60 => {
                        format!("due in {} h ({})", mins / 60, due_words(Due::At(t)))
                    }
                    _ => format!("due {}", due_words(Due::At(t))),
                }
            }
            None => "open".into(),
        },
        Status::Open => "open, no SLA".into(),
        Status::Waiting => "not started".into(),
        Status::Done { on } => format!("done {on}"),
        Status::DoneOnTime { on } => format!("done {on}, on time"),
        Status::DoneLate { on, by } => format!("done {on}, {} late", by.words()),
        Status::Skipped { reason, forced } => {
            let forced = if *forced { " (mandatory, forced)" } else { "" };
            if reason.is_empty() {
                format!("skipped{forced}")
            } else {
                format!("skipped{forced}: {reason}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn w(s: &str) -> When {
        s.parse().unwrap()
    }

    #[test]
    fn adds_each_unit() {
        let cal = Calendar::default();
        let p = |s: &str| s.parse::<Period>().unwrap();
        assert_eq!(
            add(w("2026-11-20"), p("2bd"), &cal),
            Due::Day(d("2026-11-24"))
        );
        assert_eq!(
            add(w("2026-11-20"), p("3d"), &cal),
            Due::Day(d("2026-11-23"))
        );
        assert_eq!(
            add(w("2026-11-20"), p("2w"), &cal),
            Due::Day(d("2026-12-04"))
        );
        assert_eq!(
            add(w("2026-01-31"), p("1mo"), &cal),
            Due::Day(d("2026-02-28"))
        );
        assert_eq!(
            add(w("2028-01-31"), p("1mo"), &cal),
            Due::Day(d("2028-02-29"))
        );
        assert_eq!(
            add(w("2026-11-23T09:00:00Z"), p("15m"), &cal).to_string(),
            "2026-11-23T09:15:00Z"
        );
        assert_eq!(
            add(w("2026-11-23T09:00:00+02:00"), p("24h"), &cal).to_string(),
            "2026-11-24T09:00:00+02:00"
        );
        // An hour SLA on a date-only anchor counts from the start of that day.
        assert_eq!(
            add(w("2026-11-23"), p("4h"), &cal).to_string(),
            "2026-11-23T04:00:00Z"
        );
        assert_eq!(
            add(w("2026-12-31T23:59:00Z"), p("1m"), &cal).to_string(),
            "2027-01-01T00:00:00Z"
        );
        // Calendar days on an instant stay an instant (TTM 1d from 09:00 is 09:00 the next day).
        assert_eq!(
            add(w("2026-11-23T09:00:00Z"), p("1d"), &cal).to_string(),
            "2026-11-24T09:00:00Z"
        );
        assert_eq!(
            add(w("2026-11-23T09:00:00Z"), p("2bd"), &cal),
            Due::Day(d("2026-11-25"))
        );
    }

    #[test]
    fn cadence_ranges_are_due_soon_from_the_lower_bound() {
        let cal = Calendar::default();
        let p: Playbook = crate::playbook::builtin::all().remove(0);
        let c = p.cadence("governance-review").unwrap();
        let mut e = crate::engagement::tests::engagement(&p.id);
        e.milestones.insert("kickoff".into(), w("2026-11-02"));
        let at = |e: &Engagement, today: &str| cadence_state(c, e, &cal, w(today)).status;
        assert_eq!(at(&e, "2026-11-08"), Status::Upcoming);
        assert_eq!(at(&e, "2026-11-09"), Status::DueSoon);
        assert_eq!(at(&e, "2026-11-16"), Status::DueSoon);
        let late = Lateness {
            amount: 1,
            unit: Unit::Days,
        };
        assert_eq!(at(&e, "2026-11-17"), Status::Overdue { by: late });
        e.cadences.insert(c.id.clone(), vec![w("2026-11-12")]);
        assert_eq!(at(&e, "2026-11-17"), Status::Upcoming);
        assert_eq!(
            cadence_state(c, &e, &cal, w("2026-11-17")).due,
            Some(Due::Day(d("2026-11-26")))
        );
        let monthly = crate::playbook::builtin::all().remove(1);
        let m = monthly.cadence("monthly-checkin").unwrap();
        let mut e = crate::engagement::tests::engagement(&monthly.id);
        e.milestones.insert("assigned".into(), w("2026-11-20"));
        assert_eq!(
            cadence_state(m, &e, &cal, w("2026-11-23")).status,
            Status::Upcoming
        );
        assert_eq!(
            cadence_state(m, &e, &cal, w("2026-12-18")).status,
            Status::DueSoon
        );
    }

    #[test]
    fn task_status_on_time_late_and_open() {
        let cal = Calendar::default();
        let p = crate::playbook::builtin::all().remove(1);
        let intro = p.task("pm-intro").unwrap();
        let mut e = crate::engagement::tests::engagement(&p.id);
        let status = |e: &Engagement, today: &str| task_status(intro, e, &cal, w(today)).0;
        assert_eq!(status(&e, "2026-11-23"), Status::Waiting);
        e.milestones.insert("assigned".into(), w("2026-11-20"));
        assert_eq!(status(&e, "2026-11-20"), Status::Upcoming);
        assert_eq!(status(&e, "2026-11-23"), Status::DueSoon);
        let by = Lateness {
            amount: 2,
            unit: Unit::BusinessDays,
        };
        assert_eq!(status(&e, "2026-11-26"), Status::Overdue { by });
        let done = |on: &str| crate::engagement::TaskRecord {
            state: Some(TaskState::Done(w(on))),
            note: None,
        };
        e.tasks.insert("pm-intro".into(), done("2026-11-24"));
        assert_eq!(
            status(&e, "2026-11-30"),
            Status::DoneOnTime {
                on: "2026-11-24".into()
            }
        );
        e.tasks.insert("pm-intro".into(), done("2026-11-27"));
        let by = Lateness {
            amount: 3,
            unit: Unit::BusinessDays,
        };
        assert_eq!(
            status(&e, "2026-11-30"),
            Status::DoneLate {
                on: "2026-11-27".into(),
                by
            }
        );
        assert_eq!(
            status_words(&status(&e, "2026-11-30"), None, w("2026-11-30")),
            "done 2026-11-27, 3 business days late"
        );
    }

    #[test]
    fn overdue_and_lateness() {
        let cal = Calendar::default();
        let due = Due::Day(d("2026-11-24"));
        assert!(!is_past(due, w("2026-11-24")));
        assert!(is_past(due, w("2026-11-25")));
        assert_eq!(
            lateness(due, w("2026-11-25"), Unit::BusinessDays, &cal).words(),
            "1 business day"
        );
        assert_eq!(
            lateness(due, w("2026-11-30"), Unit::BusinessDays, &cal).words(),
            "4 business days"
        );
        assert_eq!(
            lateness(due, w("2026-11-30"), Unit::Days, &cal).words(),
            "6 days"
        );
        let at = Due::At(
            "2026-11-23T09:15:00Z"
                .parse::<DateTime<FixedOffset>>()
                .unwrap(),
        );
        assert!(!is_past(at, w("2026-11-23T09:15:00Z")));
        assert!(is_past(at, w("2026-11-23T09:16:00Z")));
        assert!(!is_past(at, w("2026-11-23")));
        assert_eq!(
            lateness(at, w("2026-11-23T09:20:00Z"), Unit::Minutes, &cal).words(),
            "5 minutes"
        );
        assert_eq!(
            lateness(at, w("2026-11-23T12:20:00Z"), Unit::Hours, &cal).words(),
            "3 hours"
        );
    }
}
