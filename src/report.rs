//! SLA compliance across engagements (`ft report`): per task and due rule,
//! how many were done on time, late, are overdue or open, and the median time
//! to complete. Pure functions of engagements, playbooks, the calendar and
//! "now". The other health-review view models live in [`crate::view::report`],
//! re-exported here under their old paths.

use std::collections::BTreeMap;

use crate::calendar::Calendar;
use crate::clock;
use crate::duration::Unit;
use crate::engagement::{Engagement, TaskState};
use crate::playbook::{Catalog, DueRule, Goal, Playbook, Target, Task, applies};
use crate::sla::{self, Status};
use crate::time::When;

pub use crate::view::report::{
    Detail, GoalLine, HealthCounts, NextDue, Portfolio, Row, STALE_DAYS, SlaLine, Summary, Trend,
    portfolio, row,
};

/// Time from the anchor to completion, in the rule's unit.
fn unit_label(u: Unit) -> &'static str {
    match u {
        Unit::Minutes => "minutes",
        Unit::Hours => "hours",
        Unit::BusinessDays => "business days",
        _ => "days",
    }
}

pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let m = if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    };
    Some((m * 100.0).round() / 100.0)
}

/// What the SLA figures count: grouped per task or per person, and only
/// what fell due in a window of days (inclusive), when one is given.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counting {
    pub by: By,
    pub window: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
}

impl Counting {
    /// Does an item due at `due` (or not due yet) count?
    fn counts(&self, due: Option<sla::Due>) -> bool {
        match (self.window, due) {
            (None, _) => true,
            (Some((from, to)), Some(d)) => (from..=to).contains(&d.date()),
            (Some(_), None) => false,
        }
    }
}

/// How the SLA lines are grouped: per task and rule, or also per person
/// who held the task's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum By {
    #[default]
    Task,
    Person,
}

/// Playbook, task and rule positions, and the person with `--by person`.
type LineKey = (usize, usize, usize, String);

/// One task's result on one engagement.
struct Outcome {
    status: Status,
    due: Option<sla::Due>,
    /// Time from the anchor to completion, in the rule's unit (never negative).
    elapsed: Option<f64>,
}

/// The result of `t` on `e`, times in `unit`.
fn outcome(t: &Task, e: &Engagement, unit: Unit, cal: &Calendar, now: When) -> Outcome {
    let (status, clock) = sla::task_status(t, e, cal, now);
    let done = match e.task_state(&t.id) {
        Some(TaskState::Done(done)) => Some(*done),
        _ => None,
    };
    let start = clock.as_ref().and_then(|c| c.start);
    match (done, start) {
        // Done before its anchor happened at all: met, in no time, and
        // counted in the period it was done in.
        (Some(done), None) if clock.is_some() => Outcome {
            status: Status::DoneOnTime { on: done },
            due: Some(sla::Due::from_when(done)),
            elapsed: Some(0.0),
        },
        // Done before its anchor took no time, not negative time.
        (Some(done), Some(start)) => Outcome {
            status,
            due: clock.and_then(|c| c.due),
            elapsed: Some(clock::elapsed(start, done, unit, cal).max(0.0)),
        },
        _ => Outcome {
            status,
            due: clock.and_then(|c| c.due),
            elapsed: None,
        },
    }
}

/// A new, empty line for `rule` of `t`.
fn new_line(p: &Playbook, t: &Task, rule: &DueRule, person: Option<String>) -> SlaLine {
    let when: Vec<String> = rule
        .when
        .iter()
        .map(|(f, v)| format!("{f} {}", v.join(", ")))
        .collect();
    let cond = if when.is_empty() {
        String::new()
    } else {
        format!(" ({})", when.join("; "))
    };
    SlaLine {
        playbook: p.id.clone(),
        task: t.id.clone(),
        name: t.name.clone(),
        person,
        target: format!("{} after {}{cond}", rule.within, rule.after),
        on_time: 0,
        late: 0,
        overdue: 0,
        open: 0,
        met_percent: None,
        mean: None,
        median: None,
        unit: unit_label(rule.within.unit),
    }
}

impl SlaLine {
    fn count(&mut self, status: &Status) {
        match status {
            Status::DoneOnTime { .. } => self.on_time += 1,
            Status::DoneLate { .. } => self.late += 1,
            Status::Overdue { .. } => self.overdue += 1,
            Status::Upcoming | Status::DueSoon | Status::Waiting => self.open += 1,
            _ => {}
        }
    }

    /// Percentage met on time, mean and median, from the counts and times.
    fn finish(mut self, times: &mut [f64]) -> Self {
        let due = self.on_time + self.late + self.overdue;
        self.met_percent = percent(self.on_time, due);
        self.mean = mean(times);
        self.median = median(times);
        self
    }
}

/// `part` of `whole` as a percentage with one decimal, `None` of nothing.
pub fn percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

pub fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let m = values.iter().sum::<f64>() / values.len() as f64;
    Some((m * 100.0).round() / 100.0)
}

/// SLA compliance per task and due rule over the engagements (and per
/// person who held the role, with [`By::Person`]), then DIBS by their
/// milestone: counted one engagement at a time, so the engagements need not
/// all be in memory at once.
pub struct SlaTally<'a> {
    catalog: &'a Catalog,
    cal: &'a Calendar,
    now: When,
    counting: Counting,
    lines: BTreeMap<LineKey, (SlaLine, Vec<f64>)>,
    /// DIBS per playbook position (and person).
    dibs: BTreeMap<(usize, String), SlaLine>,
}

impl<'a> SlaTally<'a> {
    pub fn new(catalog: &'a Catalog, cal: &'a Calendar, now: When, counting: Counting) -> Self {
        SlaTally {
            catalog,
            cal,
            now,
            counting,
            lines: BTreeMap::new(),
            dibs: BTreeMap::new(),
        }
    }

    /// Count the tasks and the DIBS of one more engagement.
    pub fn add(&mut self, e: &Engagement) {
        let Some(p) = self.catalog.get(&e.playbook) else {
            return;
        };
        let pi = self
            .catalog
            .playbooks
            .iter()
            .position(|x| x.id == p.id)
            .unwrap_or(0);
        self.add_tasks(p, pi, e);
        self.add_dibs(p, pi, e);
    }

    fn add_tasks(&mut self, p: &Playbook, pi: usize, e: &Engagement) {
        let by = self.counting.by;
        for (ti, (_, t)) in p.tasks().enumerate() {
            if t.due.is_empty() || !applies(&t.services, &e.services) {
                continue;
            }
            let Some((ri, rule)) = sla::rule_for(t, e) else {
                continue;
            };
            let o = outcome(t, e, rule.within.unit, self.cal, self.now);
            if !self.counting.counts(o.due) {
                continue;
            }
            let person =
                (by == By::Person).then(|| e.holder(&t.role).unwrap_or("nobody").to_string());
            let key = (pi, ti, ri, person.clone().unwrap_or_default());
            let entry = self
                .lines
                .entry(key)
                .or_insert_with(|| (new_line(p, t, rule, person), Vec::new()));
            entry.0.count(&o.status);
            entry.1.extend(o.elapsed);
        }
    }

    /// DIBS due at a milestone, as an SLA per playbook (and per person who
    /// held the playbook's primary role, with [`By::Person`]): complete by
    /// the milestone (on time), after it (late), missing after it
    /// (overdue), or missing before it (open). A file completed by hand
    /// counts as on time. In a period they count when the milestone fell in
    /// it (DIBS complete before the milestone happened: when they were
    /// completed).
    fn add_dibs(&mut self, p: &Playbook, pi: usize, e: &Engagement) {
        let Some(at) = p
            .dibs
            .as_ref()
            .filter(|d| d.required)
            .and_then(|d| d.due.as_ref())
        else {
            return;
        };
        let due = e.milestones.get(at).copied();
        let complete = e.dibs.missing().is_empty();
        let counted_at = due.or_else(|| e.dibs_completed_at().filter(|_| complete));
        if !self.counting.counts(counted_at.map(sla::Due::from_when)) {
            return;
        }
        let person = (self.counting.by == By::Person).then(|| {
            let primary = p.primary_role.as_deref().and_then(|r| e.holder(r));
            primary.unwrap_or("nobody").to_string()
        });
        let line = self
            .dibs
            .entry((pi, person.clone().unwrap_or_default()))
            .or_insert_with(|| dibs_line(p, at, person));
        match (complete, due) {
            (true, _) if dibs_late(p, e) => line.late += 1,
            (true, _) => line.on_time += 1,
            (false, Some(d)) if sla::is_past(sla::Due::from_when(d), self.now) => line.overdue += 1,
            (false, _) => line.open += 1,
        }
    }

    /// The lines per task and rule, then the DIBS lines.
    pub fn lines(self) -> Vec<SlaLine> {
        let mut out: Vec<SlaLine> = self
            .lines
            .into_values()
            .map(|(line, mut times)| line.finish(&mut times))
            .collect();
        out.extend(self.dibs.into_values().map(|l| l.finish(&mut [])));
        out
    }
}

/// DIBS that were completed after the milestone they were due by: when
/// all four fields were first filled in, by the file's own records (see
/// [`Engagement::dibs_completed_at`]).
pub fn dibs_late(p: &Playbook, e: &Engagement) -> bool {
    let Some(at) = p
        .dibs
        .as_ref()
        .filter(|d| d.required)
        .and_then(|d| d.due.as_ref())
    else {
        return false;
    };
    e.milestones
        .get(at)
        .zip(e.dibs_completed_at())
        .is_some_and(|(due, t)| sla::is_past(sla::Due::from_when(*due), t))
}

fn dibs_line(p: &Playbook, at: &str, person: Option<String>) -> SlaLine {
    SlaLine {
        playbook: p.id.clone(),
        task: "dibs".into(),
        name: "DIBS: date, intent, business reason, success owner".into(),
        person,
        target: format!("by {at}"),
        on_time: 0,
        late: 0,
        overdue: 0,
        open: 0,
        met_percent: None,
        mean: None,
        median: None,
        unit: "days",
    }
}

/// Each goal of the playbooks in use, measured over the engagements (and,
/// with [`By::Person`], a line per person who held the role of the goal's
/// tasks after the team's line), counted one engagement at a time.
pub struct GoalTallies<'a> {
    catalog: &'a Catalog,
    cal: &'a Calendar,
    now: When,
    counting: Counting,
    /// Per playbook of the catalog: whether an engagement follows it, and
    /// per goal the team's tally and each person's.
    playbooks: Vec<(bool, Vec<TeamAndPeople>)>,
}

/// One goal's tallies: the team's, and each person's.
type TeamAndPeople = (GoalTally, BTreeMap<String, GoalTally>);

impl<'a> GoalTallies<'a> {
    pub fn new(catalog: &'a Catalog, cal: &'a Calendar, now: When, counting: Counting) -> Self {
        let playbooks = catalog
            .playbooks
            .iter()
            .map(|p| (false, p.goals.iter().map(|_| Default::default()).collect()))
            .collect();
        GoalTallies {
            catalog,
            cal,
            now,
            counting,
            playbooks,
        }
    }

    /// Count one more engagement towards its playbook's goals.
    pub fn add(&mut self, e: &Engagement) {
        let catalog = self.catalog;
        for (p, (used, goals)) in catalog.playbooks.iter().zip(&mut self.playbooks) {
            if e.playbook != p.id {
                continue;
            }
            *used = true;
            for (g, (team, people)) in p.goals.iter().zip(goals) {
                let in_goal = g
                    .when
                    .iter()
                    .all(|(f, vs)| e.fields.get(f).is_some_and(|v| vs.contains(v)));
                if in_goal {
                    let at = (self.cal, self.now, self.counting);
                    goal_add(p, g, e, at, team, people);
                }
            }
        }
    }

    /// For each playbook an engagement follows, each goal's lines.
    pub fn lines(self) -> Vec<GoalLine> {
        let mut out = Vec::new();
        for (p, (used, goals)) in self.catalog.playbooks.iter().zip(self.playbooks) {
            if !used {
                continue;
            }
            for (g, (team, people)) in p.goals.iter().zip(goals) {
                out.push(team.line(p, g, None));
                out.extend(
                    people
                        .iter()
                        .map(|(who, t)| t.line(p, g, Some(who.clone()))),
                );
            }
        }
        out
    }
}

/// Count the goal's tasks on one engagement, for the team and (with
/// [`By::Person`]) for the person who held each task's role.
fn goal_add(
    p: &Playbook,
    g: &Goal,
    e: &Engagement,
    (cal, now, counting): (&Calendar, When, Counting),
    team: &mut GoalTally,
    people: &mut BTreeMap<String, GoalTally>,
) {
    let unit = match g.target {
        Target::Mean(period) => period.unit,
        _ => Unit::Days,
    };
    for (_, t) in p.tasks().filter(|(_, t)| g.over.contains(&t.id)) {
        if !applies(&t.services, &e.services) {
            continue;
        }
        let o = outcome(t, e, unit, cal, now);
        if !counting.counts(o.due) {
            continue;
        }
        team.add(e, t, &o);
        if counting.by == By::Person {
            let who = e.holder(&t.role).unwrap_or("nobody").to_string();
            people.entry(who).or_default().add(e, t, &o);
        }
    }
}

/// What one goal adds up over its items.
#[derive(Default)]
struct GoalTally {
    /// Due items (on time, late, overdue), and those met on time.
    due: usize,
    met: usize,
    /// Engagements where the task is done or overdue, and those done.
    applied: usize,
    done: usize,
    times: Vec<f64>,
}

impl GoalTally {
    fn add(&mut self, e: &Engagement, t: &Task, o: &Outcome) {
        // A share of engagements counts those where the task is done or
        // overdue, not those where it is not due yet.
        let finished = matches!(e.task_state(&t.id), Some(TaskState::Done(_)));
        if finished || o.status.is_overdue() {
            self.applied += 1;
            self.done += usize::from(finished);
        }
        match o.status {
            Status::DoneOnTime { .. } => (self.due, self.met) = (self.due + 1, self.met + 1),
            Status::DoneLate { .. } | Status::Overdue { .. } => self.due += 1,
            _ => {}
        }
        self.times.extend(o.elapsed);
    }

    /// The goal's line: its actual figure (a mean in the goal's unit, or a
    /// percentage), and whether that meets the target.
    fn line(&self, p: &Playbook, g: &Goal, person: Option<String>) -> GoalLine {
        let (value, reached, count, unit) = match g.target {
            Target::Mean(period) => {
                let m = mean(&self.times);
                let ok = m.map(|m| m <= f64::from(period.amount));
                (m, ok, self.times.len(), unit_label(period.unit))
            }
            Target::Met(pct) => {
                let share = percent(self.met, self.due);
                (share, share.map(|s| s >= f64::from(pct)), self.due, "%")
            }
            Target::Done(pct) => {
                let share = percent(self.done, self.applied);
                let ok = share.map(|s| s >= f64::from(pct));
                (share, ok, self.applied, "%")
            }
        };
        let (target_value, actual) = match g.target {
            Target::Mean(period) => (
                f64::from(period.amount),
                value.map(|m| clock::amount_words(m, period.unit)),
            ),
            Target::Met(pct) | Target::Done(pct) => {
                (f64::from(pct), value.map(|s| format!("{s}%")))
            }
        };
        GoalLine {
            playbook: p.id.clone(),
            name: g.name.clone(),
            person,
            target: g.target.to_string(),
            target_value,
            actual,
            actual_value: value,
            unit,
            count,
            result: match reached {
                Some(true) => "met",
                Some(false) => "missed",
                None => "no data",
            },
            source: g.source.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_by_hand() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0]), Some(3.0));
        assert_eq!(median(&mut [5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 10.0]), Some(3.0));
    }

    #[test]
    fn tasks_that_do_not_apply_to_an_engagement_are_not_counted() {
        let mut catalog = Catalog::default();
        for p in crate::playbook::builtin::all() {
            catalog.insert(p);
        }
        // An IcM with a case severity set: the DFM time-in-critsit rule
        // matches its fields, but the task applies to DFM cases only.
        let mut e = crate::engagement::tests::engagement("mcs-escalation");
        e.services = vec!["ICM".into()];
        e.fields.insert("severity".into(), "2".into());
        e.fields.insert("case_severity".into(), "A".into());
        e.milestones
            .insert("opened".into(), "2026-11-23T09:00:00Z".parse().unwrap());
        let now: When = "2026-11-23T10:00:00Z".parse().unwrap();
        let cal = Calendar::default();
        let mut tally = SlaTally::new(&catalog, &cal, now, Counting::default());
        tally.add(&e);
        let lines = tally.lines();
        assert!(
            lines.iter().all(|l| l.task != "exit-critsit"),
            "a DFM task is not counted for an IcM: {:?}",
            lines.iter().map(|l| &l.task).collect::<Vec<_>>()
        );
        assert!(lines.iter().any(|l| l.task == "acknowledge"));
    }
}
