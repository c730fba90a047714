//! Health-review view models (`ft report`): pure functions of engagements,
//! playbooks, the calendar and "now".

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::agenda::current_stage;
use crate::calendar::Calendar;
use crate::duration::Unit;
use crate::engagement::{Engagement, Health, Status as EStatus, TaskState};
use crate::playbook::{Catalog, DueRule, Playbook, applies};
use crate::sla::{self, Due, Status};
use crate::time::When;

/// Days without a health update or note before an engagement counts as stale.
pub const STALE_DAYS: i64 = 21;

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: String,
    pub customer: String,
    pub playbook: String,
    pub status: EStatus,
    pub stage: Option<String>,
    pub mandatory_done: usize,
    pub mandatory_total: usize,
    /// Overdue tasks and cadences, by id.
    pub overdue: Vec<String>,
    pub overdue_mandatory: bool,
    /// Mandatory tasks skipped with `--force`.
    pub forced_skips: Vec<String>,
    pub next_due: Option<NextDue>,
    /// Missing DIBS fields; `None` when the playbook does not track DIBS.
    pub dibs_missing: Option<Vec<&'static str>>,
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

fn rank(h: Health) -> u8 {
    match h {
        Health::Red => 0,
        Health::Yellow => 1,
        Health::Green => 2,
    }
}

/// SLA results for one task and one due rule, across engagements.
#[derive(Debug, Clone, Serialize)]
pub struct SlaLine {
    pub playbook: String,
    pub task: String,
    pub name: String,
    /// e.g. "15m after opened (severity 1, 2, 2.5)".
    pub target: String,
    pub on_time: usize,
    pub late: usize,
    pub overdue: usize,
    pub open: usize,
    /// Median time from the anchor to completion, in the SLA's unit.
    pub median: Option<f64>,
    pub unit: &'static str,
}

impl SlaLine {
    /// "2 business days", "1 business day", "20 minutes".
    pub fn median_words(&self) -> Option<String> {
        let m = self.median?;
        let unit = if (m - 1.0).abs() < f64::EPSILON {
            self.unit.trim_end_matches('s')
        } else {
            self.unit
        };
        Some(format!("{m} {unit}"))
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct HealthCounts {
    pub red: usize,
    pub yellow: usize,
    pub green: usize,
    pub unknown: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub engagements: usize,
    pub missing_dibs: Vec<String>,
    pub overdue_mandatory: Vec<String>,
    /// Engagements with mandatory tasks skipped by force.
    pub forced_skips: Vec<String>,
    pub stale: Vec<String>,
    pub open_blockers: usize,
    pub health: HealthCounts,
    pub sla: Vec<SlaLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Portfolio {
    pub today: String,
    pub scope: String,
    pub rows: Vec<Row>,
    pub summary: Summary,
}

/// The portfolio row of one engagement.
pub fn row(p: &Playbook, e: &Engagement, cal: &Calendar, now: When) -> Row {
    let mut mandatory_done = 0;
    let mut mandatory_total = 0;
    let mut overdue = Vec::new();
    let mut overdue_mandatory = false;
    let mut forced_skips = Vec::new();
    let mut next_due: Option<NextDue> = None;
    for (_, t) in p.tasks() {
        if !applies(&t.services, &e.services) {
            continue;
        }
        let (status, clock) = sla::task_status(t, e, cal, now);
        if t.mandatory {
            mandatory_total += 1;
            if matches!(
                status,
                Status::Done { .. } | Status::DoneOnTime { .. } | Status::DoneLate { .. }
            ) {
                mandatory_done += 1;
            }
        }
        if t.mandatory && matches!(status, Status::Skipped { .. }) {
            forced_skips.push(t.id.clone());
        }
        if status.is_overdue() {
            overdue.push(t.id.clone());
            overdue_mandatory |= t.mandatory;
        } else if status.is_open()
            && let Some(due) = clock.and_then(|c| c.due)
            && next_due
                .as_ref()
                .is_none_or(|n| due.days_from(now) < n.due.days_from(now))
        {
            next_due = Some(NextDue {
                item: t.id.clone(),
                due,
            });
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
                overdue.push(c.id.clone());
            } else if let Some(due) = st.due
                && next_due
                    .as_ref()
                    .is_none_or(|n| due.days_from(now) < n.due.days_from(now))
            {
                next_due = Some(NextDue {
                    item: c.id.clone(),
                    due,
                });
            }
        }
    }
    let mut health: Vec<_> = e.health.iter().collect();
    health.sort_by_key(|h| h.on);
    let latest = health.last().copied();
    let trend = match health.as_slice() {
        [.., before, last] => Some(match rank(last.status).cmp(&rank(before.status)) {
            std::cmp::Ordering::Greater => Trend::Improving,
            std::cmp::Ordering::Equal => Trend::Steady,
            std::cmp::Ordering::Less => Trend::Worsening,
        }),
        _ => None,
    };
    let today = now.date();
    let last_note = e.notes.iter().map(|n| n.on).max();
    let days_since_note = last_note.map(|d| (today - d).num_days());
    let opened = e.opened().map(|o| o.date());
    let last_touch = [last_note, latest.map(|h| h.on), opened]
        .into_iter()
        .flatten()
        .max();
    let stale = e.status != EStatus::Closed
        && last_touch.is_none_or(|d| (today - d).num_days() > STALE_DAYS);
    Row {
        id: e.id.clone(),
        customer: e.customer.clone(),
        playbook: p.id.clone(),
        status: e.status,
        stage: current_stage(p, e).map(|i| p.stages[i].name.clone()),
        mandatory_done,
        mandatory_total,
        overdue,
        overdue_mandatory,
        forced_skips,
        next_due,
        dibs_missing: p
            .dibs
            .as_ref()
            .filter(|d| d.required)
            .map(|_| e.dibs.missing().into_iter().map(|(k, _)| k).collect()),
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

/// Time from the anchor to completion, in the rule's unit.
fn elapsed(rule: &DueRule, start: When, done: When, cal: &Calendar) -> f64 {
    let secs = (done.instant() - start.instant()).num_seconds() as f64;
    match rule.within.unit {
        Unit::Minutes => secs / 60.0,
        Unit::Hours => secs / 3600.0,
        Unit::BusinessDays => cal.business_days_between(start.date(), done.date()) as f64,
        Unit::Days | Unit::Weeks | Unit::Months => match (start, done) {
            (When::At(_), When::At(_)) => secs / 86_400.0,
            _ => (done.date() - start.date()).num_days() as f64,
        },
    }
}

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

/// SLA compliance per task and due rule over the engagements.
pub fn sla_lines(
    engagements: &[&Engagement],
    catalog: &Catalog,
    cal: &Calendar,
    now: When,
) -> Vec<SlaLine> {
    let mut lines: BTreeMap<(usize, usize, usize), (SlaLine, Vec<f64>)> = BTreeMap::new();
    for e in engagements {
        let Some(p) = catalog.get(&e.playbook) else {
            continue;
        };
        let pi = catalog
            .playbooks
            .iter()
            .position(|x| x.id == p.id)
            .unwrap_or(0);
        for (ti, (_, t)) in p.tasks().enumerate() {
            if t.due.is_empty() || !applies(&t.services, &e.services) {
                continue;
            }
            let Some((ri, rule)) = sla::rule_for(t, e) else {
                continue;
            };
            let (status, clock) = sla::task_status(t, e, cal, now);
            let entry = lines.entry((pi, ti, ri)).or_insert_with(|| {
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
                (
                    SlaLine {
                        playbook: p.id.clone(),
                        task: t.id.clone(),
                        name: t.name.clone(),
                        target: format!("{} after {}{cond}", rule.within, rule.after),
                        on_time: 0,
                        late: 0,
                        overdue: 0,
                        open: 0,
                        median: None,
                        unit: unit_label(rule.within.unit),
                    },
                    Vec::new(),
                )
            });
            match status {
                Status::DoneOnTime { .. } => entry.0.on_time += 1,
                Status::DoneLate { .. } => entry.0.late += 1,
                Status::Overdue { .. } => entry.0.overdue += 1,
                Status::Upcoming | Status::DueSoon | Status::Waiting => entry.0.open += 1,
                _ => {}
            }
            if let (Some(TaskState::Done(done)), Some(start)) =
                (e.task_state(&t.id), clock.and_then(|c| c.start))
            {
                entry.1.push(elapsed(rule, start, *done, cal));
            }
        }
    }
    lines
        .into_values()
        .map(|(mut line, mut times)| {
            line.median = median(&mut times);
            line
        })
        .collect()
}

pub fn portfolio(
    scope: &str,
    engagements: &[&Engagement],
    catalog: &Catalog,
    cal: &Calendar,
    now: When,
) -> Portfolio {
    let rows: Vec<Row> = engagements
        .iter()
        .filter_map(|e| catalog.get(&e.playbook).map(|p| row(p, e, cal, now)))
        .collect();
    let mut health = HealthCounts::default();
    for r in &rows {
        match r.health {
            Some(Health::Red) => health.red += 1,
            Some(Health::Yellow) => health.yellow += 1,
            Some(Health::Green) => health.green += 1,
            None => health.unknown += 1,
        }
    }
    let ids = |f: &dyn Fn(&Row) -> bool| {
        rows.iter()
            .filter(|r| f(r))
            .map(|r| r.id.clone())
            .collect::<Vec<_>>()
    };
    let summary = Summary {
        engagements: rows.len(),
        missing_dibs: ids(&|r| r.dibs_missing.as_ref().is_some_and(|m| !m.is_empty())),
        overdue_mandatory: ids(&|r| r.overdue_mandatory),
        forced_skips: ids(&|r| !r.forced_skips.is_empty()),
        stale: ids(&|r| r.stale),
        open_blockers: rows.iter().map(|r| r.open_blockers).sum(),
        health,
        sla: sla_lines(engagements, catalog, cal, now),
    };
    Portfolio {
        today: now.to_string(),
        scope: scope.to_string(),
        rows,
        summary,
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
}
