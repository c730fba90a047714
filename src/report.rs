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
use crate::playbook::{Catalog, applies};
use crate::sla::{self, Status};
use crate::time::When;

pub use crate::view::report::{
    Detail, HealthCounts, NextDue, Portfolio, Row, STALE_DAYS, SlaLine, Summary, Trend, portfolio,
    row,
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
                entry
                    .1
                    .push(clock::elapsed(start, *done, rule.within.unit, cal));
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
        let lines = sla_lines(&[&e], &catalog, &Calendar::default(), now);
        assert!(
            lines.iter().all(|l| l.task != "exit-critsit"),
            "a DFM task is not counted for an IcM: {:?}",
            lines.iter().map(|l| &l.task).collect::<Vec<_>>()
        );
        assert!(lines.iter().any(|l| l.task == "acknowledge"));
    }
}
