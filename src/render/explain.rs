//! `ft explain` in words a manager could read out.

use crate::escape;
use crate::sla;
use crate::view::explain::{CadenceExplain, Explain};

pub fn text(x: &Explain) -> String {
    let mut lines = vec![format!(
        "{} {} [{}] on {}",
        x.task, x.name, x.role, x.engagement
    )];
    lines.extend(rules(x));
    match &x.anchor {
        Some(a) => match (a.at, a.planned) {
            (Some(at), true) => lines.push(format!(
                "Clock: starts at the planned {} on {} ({at})",
                a.what,
                sla::when_words(at)
            )),
            (Some(at), false) if a.task => lines.push(format!(
                "Clock: started when {} was done on {} ({at})",
                a.what,
                sla::when_words(at)
            )),
            (Some(at), false) => lines.push(format!(
                "Clock: started at the {} on {} ({at})",
                a.what,
                sla::when_words(at)
            )),
            (None, _) => lines.push(format!("Clock: not started; it starts at the {}", a.what)),
        },
        None => lines.push("Clock: none; no due rule applies, so no SLA".into()),
    }
    if !x.weekend.is_empty() {
        lines.push(format!("Calendar: weekend days {}", x.weekend.join(", ")));
        if !x.holidays.is_empty() {
            lines.push(format!("Holidays skipped: {}", x.holidays.join(", ")));
        }
    }
    for h in &x.holds {
        let to = h.to.map_or(", still on hold".to_string(), |t| {
            format!(" to {}", sla::when_words(t))
        });
        lines.push(format!(
            "On hold from {}{to}: {}",
            sla::when_words(h.from),
            h.reason
        ));
    }
    if let Some(by) = &x.extended {
        lines.push(format!("Extended by {by} on hold"));
    }
    if let Some(due) = x.due {
        lines.push(format!("Due: {} ({due})", sla::due_words(due)));
    }
    lines.push(format!("Status: {}", x.status));
    joined(&lines)
}

/// A cadence: how often, what it counts from, the meetings held, the next due.
pub fn cadence(x: &CadenceExplain) -> String {
    let mut lines = vec![
        format!("{} {} [{}] on {}", x.cadence, x.name, x.role, x.engagement),
        format!("Cadence: {}, from the {}", x.every, x.after),
    ];
    if !x.applies {
        lines.push("Applies: not to this engagement's services".into());
    }
    lines.push(match x.held.last() {
        Some(last) => format!(
            "Held: {}, last {}",
            crate::words::count(x.held.len(), "time", "times"),
            sla::when_words(*last)
        ),
        None => "Held: never".into(),
    });
    match (&x.counts_from, x.running) {
        (_, false) => lines.push("Interval: none; the engagement has ended".into()),
        (Some(f), true) => lines.push(format!(
            "Interval: counted from {} on {}",
            f.what,
            sla::when_words(f.at)
        )),
        (None, true) => lines.push(format!(
            "Interval: not started; it starts at the {}",
            x.after
        )),
    }
    if let Some(due) = x.due {
        lines.push(format!("Due: {} ({due})", sla::due_words(due)));
    }
    lines.push(format!("Status: {}", x.status));
    joined(&lines)
}

/// The lines, each escaped for the terminal.
fn joined(lines: &[String]) -> String {
    let mut out: String = lines
        .iter()
        .map(|l| escape::terminal(l))
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    out
}

fn rules(x: &Explain) -> Vec<String> {
    if x.rules.is_empty() {
        return vec!["Rule: the playbook sets no SLA for this task".into()];
    }
    x.rules
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mark = if x.chosen == Some(i + 1) {
                "chosen"
            } else if r.applies {
                "applies, but an earlier rule came first"
            } else {
                "does not apply"
            };
            format!("Rule {}: {} ({}): {mark}", i + 1, r.rule, r.why)
        })
        .collect()
}
