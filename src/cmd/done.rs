//! `ft done ID TASK...`: mark tasks done, or log cadence occurrences.

use anyhow::Result;

use super::{label, not_before_opened, precise_for, unknown_item, when};
use crate::Context;
use crate::calendar::Calendar;
use crate::clock;
use crate::engagement::ops::Op;
use crate::engagement::store::Change;
use crate::engagement::{Engagement, TaskState};
use crate::error::user_hint;
use crate::playbook::Task;
use crate::time::When;

/// Mark tasks done; a cadence id (e.g. checkpoint) logs an occurrence
#[derive(Debug, clap::Args)]
#[command(
    after_help = r#"Example: ft done northwind-aks customer-contact --note "discovery booked for Thursday""#
)]
pub struct Args {
    /// Engagement id
    #[arg(add = crate::complete::engagement_id())]
    pub id: String,

    /// Task or cadence ids (e.g. 3616 pm-intro checkpoint)
    #[arg(required = true, add = crate::complete::task_or_cadence())]
    pub tasks: Vec<String>,

    /// When it was done: a date, or a date-time for minute/hour SLAs [default: today, or now for those]
    #[arg(long, value_name = "WHEN")]
    pub on: Option<String>,

    /// A note to keep with the task
    #[arg(long)]
    pub note: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let cal = &ws.settings.calendar;
    let applied = ws.apply(&args.id, &ctx.actor(), |e, p| {
        let mut change = Change {
            ops: Vec::new(),
            line: String::new(),
        };
        let mut lines = Vec::new();
        for id in &args.tasks {
            let (op, line) = if let Some(task) = p.task(id) {
                if let Some(TaskState::Done(on)) = e.task_state(id) {
                    return Err(user_hint(
                        format!("task {id} of {} is already done ({on})", e.id),
                        format!(
                            "to change the date: `ft reopen {0} {1}`, then `ft done {0} {1} --on DATE`",
                            crate::escape::shell(&e.id),
                            crate::escape::shell(id)
                        ),
                    ));
                }
                let w = when(ctx, args.on.as_deref(), precise_for(p, e, task))?;
                not_before_opened(e, w)?;
                let mut line = format!("{}: done {id} {} ({w})", label(e), task.name);
                line.push_str(&against_sla(task, e, w, cal));
                if let Some(m) = task
                    .sets
                    .as_deref()
                    .filter(|m| !e.milestones.contains_key(m))
                {
                    line.push_str(&format!("; {m} milestone recorded"));
                }
                let op = Op::Done {
                    task: id.clone(),
                    on: w,
                    note: args.note.clone(),
                };
                (op, line)
            } else if let Some(c) = p.cadence(id) {
                let w = when(ctx, args.on.as_deref(), p.counts_time_of_day())?;
                not_before_opened(e, w)?;
                if let Some(note) = &args.note {
                    change.ops.push(Op::Note {
                        on: w.date(),
                        by: ctx.me_opt().map(ToString::to_string),
                        text: format!("{}: {note}", c.name),
                    });
                }
                let line = format!("{}: logged {id} {} ({w})", label(e), c.name);
                (
                    Op::Log {
                        cadence: id.clone(),
                        on: w,
                    },
                    line,
                )
            } else {
                return Err(unknown_item(p, id));
            };
            change.ops.push(op);
            lines.push(line);
        }
        change.line = lines.join("\n");
        Ok(change)
    })?;
    ctx.say(&applied.message())?;
    Ok(0)
}

/// "; on time" or "; 2 business days late (due 2026-11-24)", while the clock is known.
fn against_sla(task: &Task, e: &Engagement, w: When, cal: &Calendar) -> String {
    let Some(c) = crate::sla::clock(task, e, cal, w) else {
        return String::new();
    };
    match c.due {
        Some(due) if clock::is_past(due, w) => {
            let by = clock::lateness(due, w, c.rule.within.unit, cal);
            format!("; {} late (due {due})", by.words())
        }
        Some(_) => "; on time".into(),
        None => String::new(),
    }
}
