//! `ft explain ID TASK`: how a task's due date was reached, step by step.

use serde::Serialize;

use crate::calendar::Calendar;
use crate::duration::Unit;
use crate::engagement::Engagement;
use crate::playbook::{Cadence, Playbook, Task, applies};
use crate::sla::{self, Due};
use crate::time::When;

#[derive(Serialize)]
pub struct Explain {
    pub engagement: String,
    pub task: String,
    pub name: String,
    pub role: String,
    /// Each due rule of the task, in order, and whether it applies here.
    pub rules: Vec<RuleView>,
    /// The rule that applies (its position in `rules`, from 1).
    pub chosen: Option<usize>,
    pub anchor: Option<AnchorView>,
    /// Days the calendar skipped between the anchor and the due day.
    pub weekend: Vec<String>,
    pub holidays: Vec<String>,
    /// Holds that stopped the clock, and how far they moved the due point.
    pub holds: Vec<HoldView>,
    pub extended: Option<String>,
    pub due: Option<Due>,
    pub status: String,
}

#[derive(Serialize)]
pub struct RuleView {
    pub rule: String,
    /// "severity = 2 matches", "severity is 3, the rule needs 1, 2 or 2.5", or "always".
    pub why: String,
    pub applies: bool,
}

#[derive(Serialize)]
pub struct AnchorView {
    /// As people say it: "incident opening", "pm-intro (Send the ...)".
    pub what: String,
    #[serde(with = "crate::time::text::opt")]
    pub at: Option<When>,
    pub planned: bool,
    /// The clock starts when another task is done (not at a milestone).
    pub task: bool,
}

#[derive(Serialize)]
pub struct HoldView {
    #[serde(with = "crate::time::text")]
    pub from: When,
    #[serde(with = "crate::time::text::opt")]
    pub to: Option<When>,
    pub reason: String,
}

pub fn explain(p: &Playbook, t: &Task, e: &Engagement, cal: &Calendar, now: When) -> Explain {
    let chosen = sla::rule_for(t, e).map(|(i, _)| i + 1);
    let (status, clock) = sla::task_status(t, e, cal, now);
    let anchor = clock.as_ref().map(|c| AnchorView {
        what: sla::anchor_words(&c.rule.after, p),
        at: c.start,
        planned: c.planned,
        task: matches!(c.rule.after, crate::playbook::Anchor::Task(_)),
    });
    let business = clock
        .as_ref()
        .is_some_and(|c| c.rule.within.unit == Unit::BusinessDays);
    let span = clock
        .as_ref()
        .and_then(|c| Some((c.start?.date(), c.due?.date())));
    let holidays = match span {
        Some((from, to)) if business => cal.holidays_in(from, to),
        _ => Vec::new(),
    };
    Explain {
        engagement: e.id.clone(),
        task: t.id.clone(),
        name: t.name.clone(),
        role: t.role.clone(),
        rules: t.due.iter().map(|r| rule_view(r, e)).collect(),
        chosen,
        anchor,
        weekend: if business {
            cal.weekend_days().iter().map(ToString::to_string).collect()
        } else {
            Vec::new()
        },
        holidays: holidays.iter().map(ToString::to_string).collect(),
        holds: e
            .holds
            .iter()
            .map(|h| HoldView {
                from: h.from,
                to: h.to,
                reason: h.reason.clone(),
            })
            .collect(),
        extended: clock.as_ref().and_then(|c| c.extended).map(|x| x.words()),
        due: clock.as_ref().and_then(|c| c.due),
        status: sla::status_words(&status, clock.as_ref().and_then(|c| c.due), now),
    }
}

/// How a cadence's next meeting was reached; the JSON of `ft explain ID CADENCE`.
#[derive(Serialize)]
pub struct CadenceExplain {
    pub engagement: String,
    pub cadence: String,
    pub name: String,
    pub role: String,
    /// "every 1-2 weeks".
    pub every: String,
    /// What the first meeting is counted from: "kickoff meeting".
    pub after: String,
    /// The meetings held, oldest first.
    #[serde(with = "crate::time::text::list")]
    pub held: Vec<When>,
    /// What the interval now counts from, and when that was.
    pub counts_from: Option<CountsFrom>,
    pub applies: bool,
    /// False once the engagement ended: no meeting is due.
    pub running: bool,
    pub due: Option<Due>,
    pub status: String,
}

#[derive(Serialize)]
pub struct CountsFrom {
    /// "the last meeting", "the kickoff meeting" or "the end of the hold".
    pub what: String,
    #[serde(with = "crate::time::text")]
    pub at: When,
}

pub fn cadence(
    p: &Playbook,
    c: &Cadence,
    e: &Engagement,
    cal: &Calendar,
    now: When,
) -> CadenceExplain {
    let running = sla::cadence_active(e);
    let st = sla::cadence_state(c, e, cal, now);
    let after = sla::anchor_words(&c.after, p);
    let counts_from = st.from.map(|at| CountsFrom {
        what: if st.last == Some(at) {
            "the last meeting".into()
        } else if e.holds.iter().any(|h| h.to == Some(at)) {
            "the end of the hold".into()
        } else {
            format!("the {after}")
        },
        at,
    });
    let mut held = e.cadences.get(&c.id).cloned().unwrap_or_default();
    held.sort();
    let applies = applies(&c.services, &e.services);
    let status = match (applies, running) {
        (false, _) => "n/a for these services".into(),
        (true, false) => "ended".into(),
        (true, true) => sla::status_words(&st.status, st.due, now),
    };
    CadenceExplain {
        engagement: e.id.clone(),
        cadence: c.id.clone(),
        name: c.name.clone(),
        role: c.role.clone(),
        every: c.every.words(),
        after,
        held,
        counts_from,
        applies,
        running,
        due: st.due.filter(|_| applies && running),
        status,
    }
}

fn rule_view(r: &crate::playbook::DueRule, e: &Engagement) -> RuleView {
    let rule = format!("within {} after {}", r.within.words(), r.after);
    if r.when.is_empty() {
        return RuleView {
            rule,
            why: "applies to every engagement".into(),
            applies: true,
        };
    }
    let mut why = Vec::new();
    let mut applies = true;
    for (field, values) in &r.when {
        match e.fields.get(field) {
            Some(v) if values.contains(v) => why.push(format!("{field} = {v} matches")),
            Some(v) => {
                applies = false;
                why.push(format!(
                    "{field} is {v}; the rule needs {}",
                    values.join(", ")
                ));
            }
            None => {
                applies = false;
                why.push(format!(
                    "no {field} is set; the rule needs {}",
                    values.join(", ")
                ));
            }
        }
    }
    RuleView {
        rule,
        why: why.join("; "),
        applies,
    }
}
