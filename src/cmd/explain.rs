//! `ft explain ID TASK`: how a task's due date was reached.

use anyhow::Result;

use super::{playbook_of, unknown_item};
use crate::Context;
use crate::render::{self, Format, json};
use crate::view;

/// Explain a task's due date: the rule chosen and why, the anchor, the
/// calendar days skipped, holds excluded, the due point and the status
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft explain woodgrove-ai pm-intro")]
pub struct Args {
    /// Engagement id
    #[arg(add = crate::complete::engagement_id())]
    pub id: String,

    /// Task id
    #[arg(add = crate::complete::task_id())]
    pub task: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let e = ws.store.load(&args.id, &ws.catalog)?;
    let p = playbook_of(&ws.catalog, &e);
    let Some(t) = p.task(&args.task) else {
        return Err(unknown_item(p, &args.task));
    };
    let x = view::explain::explain(p, t, &e, &ws.settings.calendar, ctx.now);
    match ctx.format {
        Format::Json => ctx.print(&json(&x))?,
        _ => ctx.print(&render::explain::text(&x))?,
    }
    Ok(0)
}
