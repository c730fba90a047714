//! `ft reopen ID TASK`: undo done or skip; for a cadence, remove the last occurrence.

use anyhow::Result;

use super::{label, playbook_of, unknown_item};
use crate::Context;
use crate::error::user;

/// Undo `done` or `skip` of a task; for a cadence, remove its last logged occurrence
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Engagement id
    pub id: String,

    /// Task or cadence id
    pub task: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let line = ws.edit(&args.id, |e, doc| {
        let p = playbook_of(&ws.catalog, e);
        let id = args.task.as_str();
        if let Some(task) = p.task(id) {
            if e.task_state(id).is_none() {
                return Err(user(format!(
                    "task {id} of {} is neither done nor skipped",
                    e.id
                )));
            }
            for key in ["done", "skipped", "reason", "forced"] {
                doc.remove(&["tasks", id, key]);
            }
            Ok(format!("{}: reopened {id} {}", label(e), task.name))
        } else if let Some(c) = p.cadence(id) {
            let Some(last) = e.cadences.get(id).and_then(|v| v.last()) else {
                return Err(user(format!(
                    "cadence {id} of {} has no occurrence to remove",
                    e.id
                )));
            };
            doc.remove_value(&["cadences", id], &last.to_string());
            Ok(format!(
                "{}: removed the {last} occurrence of {id} {}",
                label(e),
                c.name
            ))
        } else {
            Err(unknown_item(p, id))
        }
    })?;
    ctx.say(&line)?;
    Ok(0)
}
