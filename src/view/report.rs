//! Health-review view models (`ft report`): the portfolio row of each
//! engagement, the summary and the detail. Pure functions of engagements,
//! playbooks, the calendar and "now"; SLA compliance figures come from
//! [`crate::report`].

use chrono::NaiveDate;
use serde::Serialize;

use crate::agenda::current_stage;
use crate::calendar::Calendar;
use crate::clock;
use crate::engagement::{Engagement, Health, HealthEntry, Status as EStatus};
use crate::playbook::{Catalog, Playbook, applies};
use crate::sla::{self, Due, Status};
use crate::time::When;
use crate::view::show::View;

/// The version of the JSON the report writes: 3 wraps the detail in
/// `{schema_version, today, engagements}` and adds the goals' and the
/// comparison's figures as numbers.
pub const SCHEMA_VERSION: u32 = 3;

/// Days without a health update or note before an engagement counts as stale.
pub const STALE_DAYS: i64 = 21;

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: String,
    pub customer: String,
    pub playbook: String,
    pub status: EStatus,
    /// Role alias -> person, in the playbook's role order.
    pub team: indexmap::IndexMap<String, String>,
    /// Days since the engagement opened (to its end once closed).
    pub days_open: Option<i64>,
    /// Days the engagement has spent on hold.
    pub days_on_hold: i64,
    pub stage: Option<String>,
    pub mandatory_done: usize,
    pub mandatory_total: usize,
    /// Mandatory tasks done, in percent.
    pub mandatory_percent: Option<f64>,
    /// Overdue tasks and cadences, by id.
    pub overdue: Vec<String>,
    pub overdue_mandatory: bool,
    /// Open tasks whose SLA clock has used its at-risk share of the time.
    pub at_risk: Vec<String>,
    /// On a closed engagement: mandatory tasks left open (closed with --force).
    pub closed_open: Vec<String>,
    /// Roles nobody holds while a clock of theirs runs.
    pub unfilled: Vec<String>,
    /// Roles the playbook expects on the team that nobody holds ("FTA for segment S500").
    pub short: Vec<String>,
    /// Mandatory tasks skipped with `--force`.
    pub forced_skips: Vec<String>,
    pub next_due: Option<NextDue>,
    /// Missing DIBS fields, by key; `None` when the playbook does not track DIBS.
    pub dibs_missing: Option<Vec<&'static str>>,
    /// DIBS completed after the milestone they were due by.
    pub dibs_late: bool,
    /// SSAT items in place, and how many the playbook tracks.
    pub ssat: Option<(usize, usize)>,
    pub health: Option<Health>,
    pub health_on: Option<NaiveDate>,
    pub trend: Option<Trend>,
    pub open_blockers: usize,
    pub days_since_note: Option<i64>,
    /// Enablement complete; `None` when the playbook defines no enablement rule.
    pub enablement: Option<bool>,
    pub stale: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct NextDue {
    pub item: String,
    pub due: Due,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    Improving,
    Steady,
    Worsening,
}

/// SLA results for one task and one due rule, across engagements.
#[derive(Debug, Clone, Serialize)]
pub struct SlaLine {
    pub playbook: String,
    pub task: String,
    pub name: String,
    /// Who held the task's role, with `--by person`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// e.g. "15m after opened (severity 1, 2, 2.5)".
    pub target: String,
    pub on_time: usize,
    pub late: usize,
    pub overdue: usize,
    pub open: usize,
    /// Met on time, of those due (on time, late, overdue), in percent.
    pub met_percent: Option<f64>,
    /// Mean time from the anchor to completion, in the SLA's unit.
    pub mean: Option<f64>,
    /// Median time from the anchor to completion, in the SLA's unit.
    pub median: Option<f64>,
    pub unit: &'static str,
}

impl SlaLine {
    /// "2 business days", "1 business day", "20 min".
    pub fn median_words(&self) -> Option<String> {
        self.words(self.median?)
    }

    pub fn mean_words(&self) -> Option<String> {
        self.words(self.mean?)
    }

    fn words(&self, m: f64) -> Option<String> {
        if self.task == "dibs" {
            return None;
        }
        match self.unit {
            "minutes" => return Some(clock::minutes_words(m.round() as i64)),
            "hours" => return Some(clock::minutes_words((m * 60.0).round() as i64)),
            _ => {}
        }
        let unit = if (m - 1.0).abs() < f64::EPSILON {
            self.unit.trim_end_matches('s')
        } else {
            self.unit
        };
        Some(format!("{m} {unit}"))
    }
}

/// A team goal measured over the report's engagements.
#[derive(Debug, Clone, Serialize)]
pub struct GoalLine {
    pub playbook: String,
    pub name: String,
    /// Who held the role of the goal's tasks, with `--by person`; the
    /// team's line has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// "mean <= 15m", "90% met on time".
    pub target: String,
    /// The target as a number in `unit`: 15 (minutes), 90 (%).
    pub target_value: f64,
    /// "12 min", "83.3%"; `None` when nothing counted yet.
    pub actual: Option<String>,
    /// The actual figure as a number in `unit`.
    pub actual_value: Option<f64>,
    /// "%" for a share; "minutes", "hours", "days" for a mean.
    pub unit: &'static str,
    /// How many items the figure is over.
    pub count: usize,
    /// "met", "missed" or "no data".
    pub result: &'static str,
    pub source: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct HealthCounts {
    pub red: usize,
    pub yellow: usize,
    pub green: usize,
    pub unknown: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub engagements: usize,
    pub missing_dibs: Vec<String>,
    pub overdue_mandatory: Vec<String>,
    /// Engagements with work at risk.
    pub at_risk: Vec<String>,
    /// Closed engagements with mandatory tasks open, with how many.
    pub closed_open: Vec<String>,
    /// Engagements where a running clock needs a role nobody holds.
    pub unfilled: Vec<String>,
    /// Engagements whose team lacks a role the playbook expects.
    pub short: Vec<String>,
    /// What the role guides measure a role on (`accountable:`): "FTA: 3334
    /// done in 1 of 2 (50%)".
    pub measures: Vec<String>,
    /// Engagements with mandatory tasks skipped by force.
    pub forced_skips: Vec<String>,
    pub stale: Vec<String>,
    pub open_blockers: usize,
    pub health: HealthCounts,
    pub sla: Vec<SlaLine>,
    pub goals: Vec<GoalLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Portfolio {
    /// Bumped when a field changes meaning or goes away.
    pub schema_version: u32,
    pub today: String,
    /// `today` as people read it: a date, or the time of day in their zone.
    #[serde(skip)]
    pub as_of: String,
    pub scope: String,
    /// The days the SLA figures count what fell due in (`--since`, `--until`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub rows: Vec<Row>,
    pub summary: Summary,
    /// The same figures at an earlier date, and what changed since.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compare: Option<Comparison>,
}

/// `ft report --compare DATE`: each figure then and now, and each
/// engagement's changes since, from the files' own dated records.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub since: String,
    /// The period the earlier SLA figures count: as long as the report's,
    /// ending at `since`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub figures: Vec<Figure>,
    pub changes: Vec<Changes>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub name: String,
    /// The figure for people: "3", "60%", "11 min"; "-" when there is none.
    pub then: String,
    pub now: String,
    /// The same as numbers in `unit`; `None` when there is none.
    pub then_value: Option<f64>,
    pub now_value: Option<f64>,
    /// "count", "%", or a goal's unit ("minutes", "days").
    pub unit: &'static str,
    /// "up", "down", "same", or "n/a" when one side has no figure.
    pub trend: &'static str,
    /// Whether the move is for the better, worse, or neither.
    pub better: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Changes {
    pub engagement: String,
    pub items: Vec<String>,
}

/// One engagement in detail (`ft report ID`): its row and its full view.
#[derive(Serialize)]
pub struct Detail {
    pub row: Row,
    pub engagement: View,
}

/// `ft report ID... --format json`: the detail of each engagement, one or
/// many, under the schema version.
#[derive(Serialize)]
pub struct Details<'a> {
    pub schema_version: u32,
    pub today: String,
    pub engagements: &'a [Detail],
}

impl<'a> Details<'a> {
    pub fn new(engagements: &'a [Detail], now: When) -> Self {
        Details {
            schema_version: SCHEMA_VERSION,
            today: now.to_string(),
            engagements,
        }
    }
}

/// What the tasks and cadences of one engagement add up to.
#[derive(Default)]
struct Tally {
    mandatory_done: usize,
    mandatory_total: usize,
    overdue: Vec<String>,
    overdue_mandatory: bool,
    at_risk: Vec<String>,
    forced_skips: Vec<String>,
    next_due: Option<NextDue>,
}

impl Tally {
    /// Keep `due` as the next due item when it comes before the current one.
    fn offer(&mut self, item: &str, due: Due, now: When) {
        if self
            .next_due
            .as_ref()
            .is_none_or(|n| due.days_from(now) < n.due.days_from(now))
        {
            self.next_due = Some(NextDue {
                item: item.to_string(),
                due,
            });
        }
    }
}

fn tally(p: &Playbook, e: &Engagement, cal: &Calendar, now: When, at_risk: f64) -> Tally {
    let mut t = Tally::default();
    for (_, task) in p.tasks() {
        if !applies(&task.services, &e.services) {
            continue;
        }
        let (status, clock) = sla::task_status(task, e, cal, now);
        let mandatory = task.mandatory_for(e);
        if mandatory {
            t.mandatory_total += 1;
            if matches!(
                status,
                Status::Done { .. } | Status::DoneOnTime { .. } | Status::DoneLate { .. }
            ) {
                t.mandatory_done += 1;
            }
            if matches!(status, Status::Skipped { .. }) {
                t.forced_skips.push(task.id.clone());
            }
        }
        if status.is_overdue() {
            t.overdue.push(task.id.clone());
            t.overdue_mandatory |= mandatory;
        } else if status.is_open()
            && let Some(c) = clock
            && let Some(due) = c.due
        {
            if sla::time_used(&c, now, cal).is_some_and(|u| u >= at_risk) {
                t.at_risk.push(task.id.clone());
            }
            t.offer(&task.id, due, now);
        }
    }
    if sla::cadence_active(e) {
        for c in p
            .cadences
            .iter()
            .filter(|c| applies(&c.services, &e.services))
        {
            let st = sla::cadence_state(c, e, cal, now);
            if st.status.is_overdue() {
                t.overdue.push(c.id.clone());
            } else if let Some(due) = st.due {
                t.offer(&c.id, due, now);
            }
        }
    }
    t
}

fn rank(h: Health) -> u8 {
    match h {
        Health::Red => 0,
        Health::Yellow => 1,
        Health::Green => 2,
    }
}

/// The latest health entry, and how it compares with the one before.
fn latest_health(e: &Engagement) -> (Option<&HealthEntry>, Option<Trend>) {
    let mut health: Vec<_> = e.health.iter().collect();
    health.sort_by_key(|h| h.on);
    let trend = match health.as_slice() {
        [.., before, last] => Some(match rank(last.status).cmp(&rank(before.status)) {
            std::cmp::Ordering::Greater => Trend::Improving,
            std::cmp::Ordering::Equal => Trend::Steady,
            std::cmp::Ordering::Less => Trend::Worsening,
        }),
        _ => None,
    };
    (health.last().copied(), trend)
}

/// Days since the last note, and whether nothing (note, health update or
/// opening) happened in the last [`STALE_DAYS`].
fn staleness(
    e: &Engagement,
    latest: Option<&HealthEntry>,
    today: NaiveDate,
) -> (Option<i64>, bool) {
    let last_note = e.notes.iter().map(|n| n.on).max();
    let days_since_note = last_note.map(|d| clock::days_between(d, today));
    let opened = e.opened().map(|o| o.date());
    let last_touch = [last_note, latest.map(|h| h.on), opened]
        .into_iter()
        .flatten()
        .max();
    let stale = e.status != EStatus::Closed
        && last_touch.is_none_or(|d| clock::days_between(d, today) > STALE_DAYS);
    (days_since_note, stale)
}

/// Mandatory tasks that apply and are neither done nor skipped, other than
/// those counted from the end (the closing work), as "id name".
pub fn open_mandatory(p: &Playbook, e: &Engagement) -> Vec<String> {
    let end = crate::playbook::Anchor::Milestone("end".into());
    p.tasks()
        .filter(|(_, t)| t.mandatory_for(e) && applies(&t.services, &e.services))
        .filter(|(_, t)| !t.due.iter().any(|d| d.after == end))
        .filter(|(_, t)| e.task_state(&t.id).is_none())
        .map(|(_, t)| t.id.clone())
        .collect()
}

/// The portfolio row of one engagement.
pub fn row(p: &Playbook, e: &Engagement, cal: &Calendar, now: When, at_risk: f64) -> Row {
    let t = tally(p, e, cal, now, at_risk);
    let (latest, trend) = latest_health(e);
    let (days_since_note, stale) = staleness(e, latest, now.date());
    Row {
        id: e.id.clone(),
        customer: e.customer.clone(),
        playbook: p.id.clone(),
        status: e.status,
        team: p
            .roles
            .iter()
            .filter_map(|r| e.holder(&r.alias).map(|h| (r.alias.clone(), h.to_string())))
            .collect(),
        days_open: days_open(e, now),
        days_on_hold: days_on_hold(e, now),
        stage: current_stage(p, e).map(|i| p.stages[i].name.clone()),
        mandatory_done: t.mandatory_done,
        mandatory_total: t.mandatory_total,
        mandatory_percent: crate::report::percent(t.mandatory_done, t.mandatory_total),
        overdue: t.overdue,
        overdue_mandatory: t.overdue_mandatory,
        at_risk: t.at_risk,
        unfilled: {
            let mut roles: Vec<String> = crate::engagement::load::unfilled(p, e)
                .into_iter()
                .map(|(_, r)| r.to_string())
                .collect();
            roles.dedup();
            roles
        },
        short: crate::engagement::load::short_roles(p, e)
            .into_iter()
            .map(|(role, why)| format!("{role} for {why}"))
            .collect(),
        closed_open: if e.status == EStatus::Closed {
            open_mandatory(p, e)
        } else {
            Vec::new()
        },
        forced_skips: t.forced_skips,
        next_due: t.next_due,
        dibs_missing: p
            .dibs
            .as_ref()
            .filter(|d| d.required)
            .map(|_| e.dibs.missing().into_iter().map(|(k, _)| k).collect()),
        dibs_late: crate::report::dibs_late(p, e),
        ssat: (!p.ssat.is_empty()).then(|| {
            let done = p
                .ssat
                .iter()
                .filter(|i| e.ssat.get(i).copied().unwrap_or(false))
                .count();
            (done, p.ssat.len())
        }),
        health: latest.map(|h| h.status),
        health_on: latest.map(|h| h.on),
        trend,
        open_blockers: e.open_blockers().count(),
        days_since_note,
        enablement: p
            .enablement
            .map(|en| e.active_users.unwrap_or(0) >= en.target(e.seats)),
        stale,
    }
}

/// Days from the opening to now, or to the end once closed.
fn days_open(e: &Engagement, now: When) -> Option<i64> {
    let opened = e.opened()?.date();
    let until = match e.milestones.get("end") {
        Some(end) if e.status == EStatus::Closed => end.date(),
        _ => now.date(),
    };
    Some(clock::days_between(opened, until).max(0))
}

/// Whole days spent on hold, the hold in progress counted to now.
fn days_on_hold(e: &Engagement, now: When) -> i64 {
    sla::pauses(e, now)
        .iter()
        .map(|p| (p.to.instant() - p.from.instant()).num_hours().max(0))
        .sum::<i64>()
        / 24
}

/// One engagement in detail: its row and its full view.
pub fn detail(p: &Playbook, e: &Engagement, cal: &Calendar, now: When, at_risk: f64) -> Detail {
    Detail {
        row: row(p, e, cal, now, at_risk),
        engagement: crate::view::show::build(p, e, cal, now),
    }
}

/// For each role a task or cadence is `accountable:` to, the share of the
/// engagements (where it applies) with the task done: "FTA: 3334 done in 1
/// of 2 (50%), 3330 done in 0 of 2 (0%)". Counted one engagement at a time.
#[derive(Default)]
struct Measures {
    /// Per role, in the order first met, its tasks' counts.
    by_role: Vec<(String, Vec<TaskCount>)>,
}

/// A task, how many engagements have it done, and of how many where it applies.
type TaskCount = (String, usize, usize);

impl Measures {
    fn add(&mut self, p: &Playbook, e: &Engagement) {
        for (_, t) in p.tasks().filter(|(_, t)| applies(&t.services, &e.services)) {
            let done = matches!(
                e.task_state(&t.id),
                Some(crate::engagement::TaskState::Done(_))
            );
            for role in &t.accountable {
                let slot = match self.by_role.iter().position(|(r, _)| r == role) {
                    Some(i) => &mut self.by_role[i].1,
                    None => {
                        self.by_role.push((role.clone(), Vec::new()));
                        &mut self.by_role.last_mut().expect("just pushed").1
                    }
                };
                match slot.iter_mut().find(|(id, _, _)| *id == t.id) {
                    Some(c) => {
                        c.1 += usize::from(done);
                        c.2 += 1;
                    }
                    None => slot.push((t.id.clone(), usize::from(done), 1)),
                }
            }
        }
    }

    fn lines(self) -> Vec<String> {
        self.by_role
            .into_iter()
            .map(|(role, tasks)| {
                let parts: Vec<String> = tasks
                    .iter()
                    .map(|(id, done, of)| {
                        let pct = crate::report::percent(*done, *of).unwrap_or(0.0);
                        format!("{id} done in {done} of {of} ({pct:.0}%)")
                    })
                    .collect();
                format!("{role}: {}", parts.join(", "))
            })
            .collect()
    }
}

/// The portfolio of `engagements`: a row each, and the summary.
pub fn portfolio(
    scope: &str,
    engagements: &[&Engagement],
    catalog: &Catalog,
    cal: &Calendar,
    now: When,
    at_risk: f64,
    counting: crate::report::Counting,
) -> Portfolio {
    let mut b = Builder::new(scope, catalog, cal, now, at_risk, counting);
    let rows = engagements.iter().filter_map(|e| b.add(e)).collect();
    Portfolio { rows, ..b.finish() }
}

/// A portfolio made one engagement at a time: [`Builder::add`] gives the
/// engagement's row and counts it in the summary, so the engagements (and,
/// when they are written as they come, the rows) need not all be in memory
/// at once.
pub struct Builder<'a> {
    catalog: &'a Catalog,
    cal: &'a Calendar,
    now: When,
    at_risk: f64,
    /// Without rows: the heading, and the summary's counts so far.
    head: Portfolio,
    measures: Measures,
    sla: crate::report::SlaTally<'a>,
    goals: crate::report::GoalTallies<'a>,
}

impl<'a> Builder<'a> {
    pub fn new(
        scope: &str,
        catalog: &'a Catalog,
        cal: &'a Calendar,
        now: When,
        at_risk: f64,
        counting: crate::report::Counting,
    ) -> Self {
        Builder {
            catalog,
            cal,
            now,
            at_risk,
            head: Portfolio {
                schema_version: SCHEMA_VERSION,
                today: now.to_string(),
                as_of: crate::clock::stamp_words(now),
                scope: scope.to_string(),
                period: counting.window,
                compare: None,
                rows: Vec::new(),
                summary: Summary::default(),
            },
            measures: Measures::default(),
            sla: crate::report::SlaTally::new(catalog, cal, now, counting),
            goals: crate::report::GoalTallies::new(catalog, cal, now, counting),
        }
    }

    /// The portfolio so far, without rows: what comes before them.
    pub fn head(&self) -> &Portfolio {
        &self.head
    }

    /// The row of one more engagement, counted in the summary; none when
    /// its playbook is unknown.
    pub fn add(&mut self, e: &Engagement) -> Option<Row> {
        let p = self.catalog.get(&e.playbook)?;
        let row = row(p, e, self.cal, self.now, self.at_risk);
        self.count(&row);
        self.measures.add(p, e);
        self.sla.add(e);
        self.goals.add(e);
        Some(row)
    }

    /// The summary's counts of one row.
    fn count(&mut self, r: &Row) {
        let s = &mut self.head.summary;
        s.engagements += 1;
        match r.health {
            Some(Health::Red) => s.health.red += 1,
            Some(Health::Yellow) => s.health.yellow += 1,
            Some(Health::Green) => s.health.green += 1,
            None => s.health.unknown += 1,
        }
        let id = || r.id.clone();
        if r.dibs_missing.as_ref().is_some_and(|m| !m.is_empty()) {
            s.missing_dibs.push(id());
        }
        if r.overdue_mandatory {
            s.overdue_mandatory.push(id());
        }
        if !r.at_risk.is_empty() {
            s.at_risk.push(id());
        }
        if !r.unfilled.is_empty() {
            s.unfilled
                .push(format!("{} ({})", r.id, r.unfilled.join(", ")));
        }
        if !r.short.is_empty() {
            s.short.push(format!("{} ({})", r.id, r.short.join("; ")));
        }
        if !r.closed_open.is_empty() {
            s.closed_open
                .push(format!("{} ({})", r.id, r.closed_open.len()));
        }
        if !r.forced_skips.is_empty() {
            s.forced_skips.push(id());
        }
        if r.stale {
            s.stale.push(id());
        }
        s.open_blockers += r.open_blockers;
    }

    /// The portfolio without rows: the heading and the whole summary.
    pub fn finish(self) -> Portfolio {
        let mut p = self.head;
        p.summary.measures = self.measures.lines();
        p.summary.sla = self.sla.lines();
        p.summary.goals = self.goals.lines();
        p
    }
}

/// One side of a figure: its value, and how people read it.
type Side = (Option<f64>, String);

fn count(n: usize) -> Side {
    (Some(n as f64), n.to_string())
}

fn pct(p: Option<f64>) -> Side {
    (p, p.map_or_else(|| "-".to_string(), |p| format!("{p}%")))
}

/// A figure then and now; `higher_is_better` says which way is good.
fn figure(
    name: String,
    (then_value, then): Side,
    (now_value, now): Side,
    unit: &'static str,
    higher_is_better: Option<bool>,
) -> Figure {
    let trend = match (then_value, now_value) {
        (Some(a), Some(b)) if b > a => "up",
        (Some(a), Some(b)) if b < a => "down",
        (Some(_), Some(_)) => "same",
        _ => "n/a",
    };
    Figure {
        name,
        then,
        now,
        then_value,
        now_value,
        unit,
        trend,
        better: higher_is_better
            .filter(|_| matches!(trend, "up" | "down"))
            .map(|h| h == (trend == "up")),
    }
}

/// Met on time, of all due SLA items, in percent.
fn met_overall(s: &Summary) -> Option<f64> {
    let on_time: usize = s.sla.iter().map(|l| l.on_time).sum();
    let due: usize = s.sla.iter().map(|l| l.on_time + l.late + l.overdue).sum();
    crate::report::percent(on_time, due)
}

/// A count of the summary: its name, how to take it, and whether higher is
/// better.
type Counted = (&'static str, fn(&Summary) -> usize, Option<bool>);

/// The summary figures then and now, then each SLA rule's met share and
/// each goal's actual figure.
fn figures(a: &Summary, b: &Summary) -> Vec<Figure> {
    let counts: [Counted; 7] = [
        ("Engagements", |s| s.engagements, None),
        (
            "Overdue mandatory work",
            |s| s.overdue_mandatory.len(),
            Some(false),
        ),
        ("Missing DIBS", |s| s.missing_dibs.len(), Some(false)),
        ("Work at risk", |s| s.at_risk.len(), Some(false)),
        ("Open blockers", |s| s.open_blockers, Some(false)),
        ("Health red", |s| s.health.red, Some(false)),
        ("Health green", |s| s.health.green, Some(true)),
    ];
    let mut figures: Vec<Figure> = counts
        .into_iter()
        .map(|(name, f, better)| figure(name.into(), count(f(a)), count(f(b)), "count", better))
        .collect();
    figures.push(figure(
        "SLA items met on time".into(),
        pct(met_overall(a)),
        pct(met_overall(b)),
        "%",
        Some(true),
    ));
    figures.extend(sla_figures(a, b));
    figures.extend(goal_figures(a, b));
    figures
}

/// The items of `now` then those only in `then`, each paired with its
/// match on the other side (by `key`).
fn paired<'a, T, K: PartialEq>(
    then: &'a [T],
    now: &'a [T],
    key: impl Fn(&T) -> K,
) -> Vec<(Option<&'a T>, Option<&'a T>)> {
    let mut out: Vec<(Option<&T>, Option<&T>)> = now
        .iter()
        .map(|n| (then.iter().find(|t| key(t) == key(n)), Some(n)))
        .collect();
    out.extend(
        then.iter()
            .filter(|t| !now.iter().any(|n| key(n) == key(t)))
            .map(|t| (Some(t), None)),
    );
    out
}

/// ", alice" with `--by person`.
fn of_person(person: Option<&String>) -> String {
    person.map(|p| format!(", {p}")).unwrap_or_default()
}

/// Each SLA rule's share met on time, then and now; rules with nothing
/// due at either date are left out.
fn sla_figures(a: &Summary, b: &Summary) -> Vec<Figure> {
    let key = |l: &SlaLine| {
        (
            l.playbook.clone(),
            l.task.clone(),
            l.target.clone(),
            l.person.clone(),
        )
    };
    paired(&a.sla, &b.sla, key)
        .into_iter()
        .filter_map(|(then, now)| {
            let l = now.or(then)?;
            let (x, y) = (
                then.and_then(|l| l.met_percent),
                now.and_then(|l| l.met_percent),
            );
            (x.is_some() || y.is_some()).then(|| {
                let name = format!(
                    "{} met on time, {}{}",
                    l.task,
                    l.target,
                    of_person(l.person.as_ref())
                );
                figure(name, pct(x), pct(y), "%", Some(true))
            })
        })
        .collect()
}

/// Each goal's actual figure then and now (lower is better for a mean,
/// higher for a share); goals with no figure at either date are left out.
fn goal_figures(a: &Summary, b: &Summary) -> Vec<Figure> {
    let key = |g: &GoalLine| (g.playbook.clone(), g.name.clone(), g.person.clone());
    let side = |g: Option<&GoalLine>| -> Side {
        let g = g.filter(|g| g.actual_value.is_some());
        (
            g.and_then(|g| g.actual_value),
            g.and_then(|g| g.actual.clone())
                .unwrap_or_else(|| "-".into()),
        )
    };
    paired(&a.goals, &b.goals, key)
        .into_iter()
        .filter_map(|(then, now)| {
            let g = now.or(then)?;
            let (x, y) = (side(then), side(now));
            let name = format!("Goal: {}{}", g.name, of_person(g.person.as_ref()));
            (x.0.is_some() || y.0.is_some())
                .then(|| figure(name, x, y, g.unit, Some(g.unit == "%")))
        })
        .collect()
}

/// Each figure of `then` beside `now` (their summaries, and the period
/// of `then`), with the engagements' changes (see [`changes`]).
pub fn compare(
    then: &Portfolio,
    now: &Portfolio,
    since: When,
    changes: Vec<Changes>,
) -> Comparison {
    Comparison {
        since: since.to_string(),
        period: then.period,
        figures: figures(&then.summary, &now.summary),
        changes,
    }
}

/// The changes of one engagement since `since`, given its row then (if it
/// was in the report) and now; none when nothing changed.
pub fn changes(e: &Engagement, before: Option<&Row>, after: &Row, since: When) -> Option<Changes> {
    let items = change_items(e, before, after, since);
    (!items.is_empty()).then(|| Changes {
        engagement: e.id.clone(),
        items,
    })
}

/// What changed on one engagement since `since`: health moves, tasks done
/// and skipped, milestones, new misses, blockers opened and resolved, holds.
fn change_items(e: &Engagement, before: Option<&Row>, after: &Row, since: When) -> Vec<String> {
    let later = |w: When| !crate::engagement::happened_by(w, since);
    let mut out = Vec::new();
    if before.is_none() {
        out.push("new in the report".to_string());
    }
    let health_then = before.and_then(|r| r.health);
    if health_then != after.health {
        let show = |h: Option<Health>| h.map_or("none".to_string(), |h| h.to_string());
        out.push(format!(
            "health {} -> {}",
            show(health_then),
            show(after.health)
        ));
    }
    for (id, r) in e.tasks.iter() {
        match &r.state {
            Some(crate::engagement::TaskState::Done(w)) if later(*w) => {
                out.push(format!("done {id}"))
            }
            Some(crate::engagement::TaskState::Skipped { on: Some(w), .. }) if later(*w) => {
                out.push(format!("skipped {id}"))
            }
            _ => {}
        }
    }
    for (m, w) in e.milestones.iter().filter(|(_, w)| later(**w)) {
        out.push(format!("milestone {m} on {}", w.date()));
    }
    let was: Vec<&String> = before
        .map(|r| r.overdue.iter().collect())
        .unwrap_or_default();
    for id in after.overdue.iter().filter(|id| !was.contains(id)) {
        out.push(format!("newly overdue {id}"));
    }
    for b in &e.blockers {
        if later(When::Date(b.opened)) {
            out.push(format!("new blocker: {}", b.text));
        }
        if b.resolved.is_some_and(|r| later(When::Date(r))) {
            out.push(format!("resolved blocker: {}", b.text));
        }
    }
    for h in e.holds.iter().filter(|h| later(h.from)) {
        out.push(format!("on hold from {}: {}", h.from.date(), h.reason));
    }
    out
}
