//! `ft explain ID TASK`: how a task's due date, or a cadence's next
//! meeting, was reached.

use anyhow::Result;

use super::{playbook_of, unknown_item};
use crate::Context;
use crate::render::{self, Format, json};
use crate::sla::Due;
use crate::time::When;
use crate::view;

/// Explain a task's due date: the rule chosen and why, the anchor, the
/// calendar days skipped, holds excluded, the due point and the status
///
/// For a cadence: how often it meets, what the interval counts from (the
/// last meeting, its anchor, or the end of a hold), the meetings held, the
/// next due date and the status.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft explain woodgrove-ai pm-intro")]
pub struct Args {
    /// Engagement id
    #[arg(add = crate::complete::engagement_id())]
    pub id: String,

    /// Task or cadence id
    #[arg(add = crate::complete::task_id())]
    pub task: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let e = ws.store.load(&args.id, &ws.catalog)?;
    let p = playbook_of(&ws.catalog, &e);
    let cal = &ws.settings.calendar;
    if let Some(c) = p
        .cadence(&args.task)
        .filter(|_| p.task(&args.task).is_none())
    {
        let x = view::explain::cadence(p, c, &e, cal, ctx.now);
        match ctx.format {
            Format::Json => ctx.print(&json(&x))?,
            _ => ctx.print(&render::explain::cadence(&x))?,
        }
        ctx.zone_legend(matches!(x.due, Some(Due::At(_))))?;
        return Ok(0);
    }
    let Some(t) = p.task(&args.task) else {
        return Err(unknown_item(p, &args.task));
    };
    let x = view::explain::explain(p, t, &e, cal, ctx.now);
    match ctx.format {
        Format::Json => ctx.print(&json(&x))?,
        _ => ctx.print(&render::explain::text(&x))?,
    }
    let at = x
        .anchor
        .as_ref()
        .is_some_and(|a| matches!(a.at, Some(When::At(_))));
    ctx.zone_legend(at || matches!(x.due, Some(Due::At(_))))?;
    Ok(0)
}
