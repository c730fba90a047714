//! SLA rules applied to an engagement: which due rule holds, when its clock
//! started, and each task's and cadence's status at "now".
//!
//! Pure: no clock and no disk. The time arithmetic itself (due points,
//! lateness, elapsed time, windows) lives in [`crate::clock`].

use serde::Serialize;

use crate::calendar::Calendar;
pub use crate::clock::{
    Due, Lateness, Pause, SOON_DAYS, add, add_paused, due_words, is_past, lateness, record_words,
    when_words,
};
use crate::clock::{Timing, timing};
use crate::duration::{Interval, Unit};
use crate::engagement::{Engagement, TaskState};
use crate::playbook::{Anchor, Cadence, DueRule, Playbook, Task};
use crate::time::When;

/// What a due point is measured from, resolved against an engagement.
#[derive(Debug, Clone)]
pub struct Clock {
    pub rule: DueRule,
    /// The anchor's time, once it has happened.
    pub start: Option<When>,
    pub due: Option<Due>,
    /// The start is a planned date, not a recorded one.
    pub planned: bool,
    /// How far holds moved the due point, in the SLA's unit.
    pub extended: Option<Lateness>,
}

/// The due rule of a task that applies to this engagement (first match
/// wins), with its position among the task's rules.
pub fn rule_for<'a>(task: &'a Task, e: &Engagement) -> Option<(usize, &'a DueRule)> {
    task.due
        .iter()
        .enumerate()
        .find(|(_, r)| crate::playbook::fields_match(&r.when, e))
}

/// Tasks of the engagement's services that have due rules but none that
/// holds, grouped by the field their rules look at and the engagement's
/// value of it (`None`: the field is not set). Such a task has no SLA.
pub fn without_rule(p: &Playbook, e: &Engagement) -> Vec<(String, Option<String>, Vec<String>)> {
    let mut out: Vec<(String, Option<String>, Vec<String>)> = Vec::new();
    for (_, t) in p.tasks() {
        if t.due.is_empty()
            || !crate::playbook::applies(&t.services, &e.services)
            || rule_for(t, e).is_some()
        {
            continue;
        }
        for rule in &t.due {
            for (field, _) in &rule.when {
                let value = e.fields.get(field).cloned();
                match out.iter_mut().find(|(f, v, _)| f == field && *v == value) {
                    Some((_, _, tasks)) if tasks.contains(&t.id) => {}
                    Some((_, _, tasks)) => tasks.push(t.id.clone()),
                    None => out.push((field.clone(), value, vec![t.id.clone()])),
                }
            }
        }
    }
    out
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

/// When an anchor happened, or else when it is planned (`true`).
pub fn anchor_or_plan(e: &Engagement, anchor: &Anchor) -> Option<(When, bool)> {
    if let Some(w) = anchor_time(e, anchor) {
        return Some((w, false));
    }
    match anchor {
        Anchor::Milestone(m) => e.planned.get(m).map(|w| (*w, true)),
        Anchor::Task(_) => None,
    }
}

/// The engagement's holds as spans the clocks stood still; the hold in
/// progress lasts until `now`.
pub fn pauses(e: &Engagement, now: When) -> Vec<Pause> {
    e.holds
        .iter()
        .map(|h| Pause {
            from: h.from,
            to: h.to.unwrap_or(now.max(h.from)),
        })
        .collect()
}

/// A task's SLA clock on this engagement at `now`: the rule that applies,
/// when it started (or is planned to), and when it is due, holds excluded.
pub fn clock(task: &Task, e: &Engagement, cal: &Calendar, now: When) -> Option<Clock> {
    let (_, rule) = rule_for(task, e)?;
    let anchor = anchor_or_plan(e, &rule.after);
    let (due, extended) = match anchor {
        Some((start, _)) => {
            let (due, by) = add_paused(start, rule.within, cal, &pauses(e, now));
            (Some(due), by)
        }
        None => (None, None),
    };
    Some(Clock {
        rule: rule.clone(),
        start: anchor.map(|(w, _)| w),
        due,
        planned: anchor.is_some_and(|(_, planned)| planned),
        extended,
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
    /// Open, and the engagement is on hold: nothing is due.
    Held {
        #[serde(with = "crate::time::text")]
        since: When,
    },
    Done {
        #[serde(with = "crate::time::text")]
        on: When,
    },
    DoneOnTime {
        #[serde(with = "crate::time::text")]
        on: When,
    },
    DoneLate {
        #[serde(with = "crate::time::text")]
        on: When,
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
                | Status::Held { .. }
        )
    }

    pub fn is_overdue(&self) -> bool {
        matches!(self, Status::Overdue { .. })
    }
}

/// A task's status at `now`.
pub fn task_status(
    task: &Task,
    e: &Engagement,
    cal: &Calendar,
    now: When,
) -> (Status, Option<Clock>) {
    let clock = clock(task, e, cal, now);
    let due = clock.as_ref().and_then(|c| c.due);
    let unit = clock.as_ref().map_or(Unit::Days, |c| c.rule.within.unit);
    let status = match (e.task_state(&task.id), due) {
        (Some(TaskState::Skipped { reason, forced, .. }), _) => Status::Skipped {
            reason: reason.clone(),
            forced: *forced,
        },
        (Some(TaskState::Done(on)), Some(due)) if is_past(due, *on) => Status::DoneLate {
            on: *on,
            by: lateness(due, *on, unit, cal),
        },
        (Some(TaskState::Done(on)), Some(_)) => Status::DoneOnTime { on: *on },
        (Some(TaskState::Done(on)), None) => Status::Done { on: *on },
        (None, _) if e.open_hold().is_some() => Status::Held {
            since: e.open_hold().map_or(now, |h| h.from),
        },
        (None, None) if clock.is_some() => Status::Waiting,
        (None, None) => Status::Open,
        (None, Some(due)) => open_status(due, None, now, unit, cal),
    };
    (status, clock)
}

/// The share of an SLA's time used at `now` (0 at the start, 1 when due),
/// in the SLA's own unit: business days for business-day SLAs, elapsed time
/// for the others; time on hold before `now` does not count as used.
pub fn time_used(c: &Clock, now: When, cal: &Calendar) -> Option<f64> {
    let start = c.start?;
    let due = match c.due? {
        Due::Day(d) => When::Date(d),
        Due::At(t) => When::At(t),
    };
    let unit = c.rule.within.unit;
    let total = crate::clock::elapsed(start, due, unit, cal);
    if total <= 0.0 || now < start {
        return None;
    }
    let left = crate::clock::elapsed(now, due, unit, cal).max(0.0);
    Some(1.0 - left / total)
}

/// The status of open work due at `due` (with an optional earlier "soon" point).
pub fn open_status(due: Due, soon: Option<Due>, now: When, unit: Unit, cal: &Calendar) -> Status {
    match timing(due, soon, now) {
        Timing::Past => Status::Overdue {
            by: lateness(due, now, unit, cal),
        },
        Timing::Soon => Status::DueSoon,
        Timing::Later => Status::Upcoming,
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
    // After a hold the meetings start again from the day it ended.
    let resumed = e.holds.iter().filter_map(|h| h.to).max();
    let from = last
        .or_else(|| anchor_time(e, &c.after))
        .map(|f| match resumed {
            Some(r) if r > f => r,
            _ => f,
        });
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
    let soon_at = add(from, soon, cal);
    let due_at = crate::clock::meeting_due(add(from, due, cal), cal);
    let status = match e.open_hold() {
        Some(h) => Status::Held { since: h.from },
        None => open_status(due_at, Some(soon_at), now, due.unit, cal),
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

/// The clock in words: "within 2 business days of self-assignment on Fri 20
/// Nov", "by the planned incident closing on Fri 18 Dec", with "extended by 3
/// business days on hold" when holds moved it.
pub fn clock_words(c: &Clock, p: &Playbook) -> String {
    let mut words = if c.planned {
        let anchor = anchor_words(&c.rule.after, p);
        let on = c.start.map(when_words).unwrap_or_default();
        if c.rule.within.amount == 0 {
            format!("by the planned {anchor} on {on}")
        } else {
            format!(
                "within {} of the planned {anchor} on {on}",
                c.rule.within.words()
            )
        }
    } else {
        rule_words(&c.rule, c.start, p)
    };
    if let Some(by) = &c.extended {
        words.push_str(&format!("; extended by {} on hold", by.words()));
    }
    words
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

/// "1 business day overdue", "due today", "due tomorrow", "due in 3 days", "done 2 days late".
pub fn status_words(status: &Status, due: Option<Due>, now: When) -> String {
    match status {
        Status::Overdue { by } => format!("{} overdue", by.words()),
        Status::DueSoon | Status::Upcoming => {
            due.map_or_else(|| "open".into(), |d| crate::clock::until_words(d, now))
        }
        Status::Open => "open, no SLA".into(),
        Status::Held { since } => format!("on hold since {}", record_words(*since)),
        Status::Waiting => "not started".into(),
        Status::Done { on } => format!("done {}", record_words(*on)),
        Status::DoneOnTime { on } => format!("done {}, on time", record_words(*on)),
        Status::DoneLate { on, by } => {
            format!("done {}, {} late", record_words(*on), by.words())
        }
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
    use crate::duration::Period;
    use chrono::{DateTime, FixedOffset, NaiveDate};

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
        // A month after Fri 20 Nov is Sun 20 Dec: the meeting is due Mon 21 Dec.
        let st = cadence_state(m, &e, &cal, w("2026-12-19"));
        assert_eq!(st.due, Some(Due::Day(d("2026-12-21"))));
        assert_eq!(st.status, Status::DueSoon);
        assert_eq!(
            cadence_state(m, &e, &cal, w("2026-12-21")).status,
            Status::DueSoon,
            "not overdue on the Monday"
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
                on: w("2026-11-24")
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
                on: w("2026-11-27"),
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
            "5 min"
        );
        assert_eq!(
            lateness(at, w("2026-11-23T12:20:00Z"), Unit::Hours, &cal).words(),
            "3 h 5 min"
        );
    }

    fn hold(from: &str, to: Option<&str>) -> crate::engagement::Hold {
        crate::engagement::Hold {
            from: w(from),
            to: to.map(w),
            reason: "freeze".into(),
            by: None,
            until: None,
        }
    }

    #[test]
    fn nothing_is_due_while_on_hold() {
        let cal = Calendar::default();
        let p = crate::playbook::builtin::all().remove(1);
        let intro = p.task("pm-intro").unwrap();
        let mut e = crate::engagement::tests::engagement(&p.id);
        e.milestones.insert("assigned".into(), w("2026-11-20"));
        e.holds.push(hold("2026-11-23", None));
        let (status, _) = task_status(intro, &e, &cal, w("2026-12-10"));
        assert_eq!(
            status,
            Status::Held {
                since: w("2026-11-23")
            }
        );
        assert!(status.is_open() && !status.is_overdue());
    }

    #[test]
    fn time_used_runs_from_the_start_to_the_due_point() {
        let cal = Calendar::default();
        let p = crate::playbook::builtin::all().remove(1);
        let intro = p.task("pm-intro").unwrap();
        let mut e = crate::engagement::tests::engagement(&p.id);
        e.milestones.insert("assigned".into(), w("2026-11-20"));
        let c = clock(intro, &e, &cal, w("2026-11-23")).unwrap();
        // Fri 20 + 2 business days is Tue 24: on Mon 23 half the time is used.
        assert_eq!(time_used(&c, w("2026-11-23"), &cal), Some(0.5));
        assert_eq!(time_used(&c, w("2026-11-24"), &cal), Some(1.0));
        assert_eq!(time_used(&c, w("2026-11-20"), &cal), Some(0.0));
        assert_eq!(
            time_used(&c, w("2026-11-19"), &cal),
            None,
            "before the start"
        );
        // A rule due on its anchor (0 days) has no share of time to use.
        let feedback = p.task("product-feedback").unwrap();
        e.milestones.insert("end".into(), w("2026-11-20"));
        let c = clock(feedback, &e, &cal, w("2026-11-20")).unwrap();
        assert_eq!(time_used(&c, w("2026-11-20"), &cal), None);
    }

    #[test]
    fn meetings_start_again_from_the_resume() {
        let cal = Calendar::default();
        let p = crate::playbook::builtin::all().remove(1);
        let m = p.cadence("monthly-checkin").unwrap();
        let mut e = crate::engagement::tests::engagement(&p.id);
        e.milestones.insert("assigned".into(), w("2026-10-01"));
        e.holds.push(hold("2026-10-20", Some("2026-11-16")));
        // A month after the resume, not after the claim.
        let st = cadence_state(m, &e, &cal, w("2026-11-20"));
        assert_eq!(st.due, Some(Due::Day(d("2026-12-16"))));
        // A hold that ended before the last meeting changes nothing.
        e.cadences.insert(m.id.clone(), vec![w("2026-11-18")]);
        let st = cadence_state(m, &e, &cal, w("2026-11-20"));
        assert_eq!(st.due, Some(Due::Day(d("2026-12-18"))));
        // Nor does a hold that ended on the day of the last meeting.
        e.holds[0].to = Some(w("2026-11-18"));
        let st = cadence_state(m, &e, &cal, w("2026-11-20"));
        assert_eq!(st.due, Some(Due::Day(d("2026-12-18"))));
    }

    #[test]
    fn meetings_stop_when_the_engagement_ends() {
        let p = crate::playbook::builtin::all().remove(1);
        let mut e = crate::engagement::tests::engagement(&p.id);
        assert!(cadence_active(&e));
        e.milestones.insert("end".into(), w("2026-11-20"));
        assert!(!cadence_active(&e), "ended");
        e.milestones = crate::engagement::SmallMap::new();
        e.status = crate::engagement::Status::Closed;
        assert!(!cadence_active(&e), "closed");
    }
}
