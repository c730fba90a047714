//! `ft reopen ID TASK`: undo done or skip; for a cadence, remove the last occurrence.

use anyhow::Result;

use super::{label, unknown_item};
use crate::Context;
use crate::engagement::ops::Op;
use crate::engagement::store::Change;
use crate::error::user;

/// Undo `done` or `skip` of a task; for a cadence, remove its last logged occurrence
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft reopen contoso-teams 994")]
pub struct Args {
    /// Engagement id
    #[arg(add = crate::complete::engagement_id())]
    pub id: String,

    /// Task or cadence id
    #[arg(add = crate::complete::task_or_cadence())]
    pub task: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let applied = ws.apply(&args.id, &ctx.actor(), |e, p| {
        let id = args.task.as_str();
        if let Some(task) = p.task(id) {
            if e.task_state(id).is_none() {
                return Err(user(format!(
                    "task {id} of {} is neither done nor skipped",
                    e.id
                )));
            }
            Ok(Change {
                ops: vec![Op::Reopen { task: id.into() }],
                line: format!("{}: reopened {id} {}", label(e), task.name),
            })
        } else if let Some(c) = p.cadence(id) {
            let Some(last) = e.cadences.get(id).and_then(|v| v.last()) else {
                return Err(user(format!(
                    "cadence {id} of {} has no occurrence to remove",
                    e.id
                )));
            };
            Ok(Change {
                ops: vec![Op::Unlog {
                    cadence: id.into(),
                    on: *last,
                }],
                line: format!(
                    "{}: removed the {last} occurrence of {id} {}",
                    label(e),
                    c.name
                ),
            })
        } else {
            Err(unknown_item(p, id))
        }
    })?;
    ctx.say(&applied.message())?;
    Ok(0)
}
