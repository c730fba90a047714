//! `ft done ID TASK...`: mark tasks done, or log cadence occurrences.

use anyhow::Result;
use toml_edit::Value;

use super::{label, not_before_opened, playbook_of, unknown_item, when};
use crate::Context;
use crate::engagement::TaskState;
use crate::error::user_hint;

/// Mark tasks done; a cadence id (e.g. checkpoint) logs an occurrence
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Engagement id
    pub id: String,

    /// Task or cadence ids (e.g. 3616 pm-intro checkpoint)
    #[arg(required = true)]
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
    let lines = ws.edit(&args.id, |e, doc| {
        let p = playbook_of(&ws.catalog, e);
        let mut lines = Vec::new();
        for id in &args.tasks {
            if let Some(task) = p.task(id) {
                if let Some(TaskState::Done(on)) = e.task_state(id) {
                    return Err(user_hint(
                        format!("task {id} of {} is already done ({on})", e.id),
                        format!(
                            "to change the date: ft reopen {} {id}, then ft done again",
                            e.id
                        ),
                    ));
                }
                let sub_day = task.due.iter().any(|d| d.within.unit.is_sub_day());
                let w = when(ctx, args.on.as_deref(), sub_day)?;
                not_before_opened(e, w)?;
                for key in ["skipped", "reason", "forced"] {
                    doc.remove(&["tasks", id, key]);
                }
                doc.set(&["tasks", id, "done"], w.to_toml())
                    .map_err(crate::error::user)?;
                if let Some(note) = &args.note {
                    doc.set(&["tasks", id, "note"], note.as_str())
                        .map_err(crate::error::user)?;
                }
                let mut line = format!("{}: done {id} {} ({w})", label(e), task.name);
                // Say how it went against its SLA, while the clock is known.
                if let Some(c) = crate::sla::clock(task, e, &ws.settings.calendar)
                    && let Some(due) = c.due
                {
                    if crate::sla::done_late(due, w) {
                        let by =
                            crate::sla::lateness(due, w, c.rule.within.unit, &ws.settings.calendar);
                        line.push_str(&format!("; {} late (due {due})", by.words()));
                    } else {
                        line.push_str("; on time");
                    }
                }
                if let Some(m) = task
                    .sets
                    .as_deref()
                    .filter(|m| !e.milestones.contains_key(m))
                {
                    doc.set(&["milestones", m], w.to_toml())
                        .map_err(crate::error::user)?;
                    line.push_str(&format!("; {m} milestone recorded"));
                }
                lines.push(line);
            } else if let Some(c) = p.cadence(id) {
                let w = when(ctx, args.on.as_deref(), false)?;
                not_before_opened(e, w)?;
                doc.push(&["cadences", id], w.to_toml())
                    .map_err(crate::error::user)?;
                if let Some(note) = &args.note {
                    let by = ctx.me_opt().map(Value::from);
                    let mut entry = vec![
                        ("on", w.date_toml()),
                        ("text", Value::from(format!("{}: {note}", c.name))),
                    ];
                    if let Some(by) = by {
                        entry.insert(1, ("by", by));
                    }
                    doc.push_entry("notes", &entry)
                        .map_err(crate::error::user)?;
                }
                lines.push(format!("{}: logged {id} {} ({w})", label(e), c.name));
            } else {
                return Err(unknown_item(p, id));
            }
        }
        Ok(lines.join("\n"))
    })?;
    ctx.say(&lines)?;
    Ok(0)
}
