//! `ft skip ID TASK --reason T`: skip an optional task.

use anyhow::Result;

use super::{label, not_before_opened, playbook_of, unknown_item, when};
use crate::Context;
use crate::error::{user, user_hint};

/// Skip an optional task, with the reason; mandatory tasks need --force and are reported
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Engagement id
    pub id: String,

    /// Task id
    pub task: String,

    /// Why the task does not apply
    #[arg(long, required = true)]
    pub reason: String,

    /// Skip even a mandatory task (`ft check` and reports still list it)
    #[arg(long)]
    pub force: bool,

    /// When it was decided [default: today]
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let line = ws.edit(&args.id, |e, doc| {
        let p = playbook_of(&ws.catalog, e);
        let Some(task) = p.task(&args.task) else {
            return Err(unknown_item(p, &args.task));
        };
        if task.mandatory && !args.force {
            return Err(user_hint(
                format!(
                    "task {} ({}) is mandatory and cannot be skipped",
                    task.id, task.name
                ),
                "if it truly does not apply, add --force; the skip is then reported",
            ));
        }
        if e.task_state(&task.id).is_some() {
            return Err(user_hint(
                format!("task {} of {} is already done or skipped", task.id, e.id),
                format!("ft reopen {} {} first", e.id, task.id),
            ));
        }
        let w = when(ctx, args.on.as_deref(), false)?;
        not_before_opened(e, w)?;
        let path = |k| ["tasks", task.id.as_str(), k];
        doc.set(&path("skipped"), w.to_toml()).map_err(user)?;
        doc.set(&path("reason"), args.reason.as_str())
            .map_err(user)?;
        if task.mandatory {
            doc.set(&path("forced"), true).map_err(user)?;
        }
        let forced = if task.mandatory {
            " (mandatory, forced)"
        } else {
            ""
        };
        Ok(format!(
            "{}: skipped {} {}{forced}",
            label(e),
            task.id,
            task.name
        ))
    })?;
    ctx.say(&line)?;
    Ok(0)
}
