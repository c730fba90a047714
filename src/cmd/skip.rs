//! `ft skip ID TASK --reason T`: skip an optional task.

use anyhow::Result;

use super::{label, not_before_opened, unknown_item, when};
use crate::Context;
use crate::engagement::ops::Op;
use crate::engagement::store::Change;
use crate::error::user_hint;

/// Skip an optional task, with the reason; mandatory tasks need --force and are reported
#[derive(Debug, clap::Args)]
#[command(
    after_help = r#"Example: ft skip contoso-teams 3979 --reason "no handover from Gateway for this customer""#
)]
pub struct Args {
    /// Engagement id
    #[arg(add = crate::complete::engagement_id())]
    pub id: String,

    /// Task id
    #[arg(add = crate::complete::task_id())]
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
    let applied = ws.apply(&args.id, &ctx.actor(), |e, p| {
        let Some(task) = p.task(&args.task) else {
            return Err(unknown_item(p, &args.task));
        };
        if task.mandatory_for(e) && !args.force {
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
        let w = when(ctx, args.on.as_deref(), super::precise_for(p, e, task))?;
        not_before_opened(e, w)?;
        let mandatory = task.mandatory_for(e);
        let forced = if mandatory {
            " (mandatory, forced)"
        } else {
            ""
        };
        Ok(Change {
            ops: vec![Op::Skip {
                task: task.id.clone(),
                on: w,
                reason: args.reason.clone(),
                forced: mandatory,
            }],
            line: format!("{}: skipped {} {}{forced}", label(e), task.id, task.name),
        })
    })?;
    ctx.say(&applied.message())?;
    Ok(0)
}
