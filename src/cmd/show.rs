//! `ft show ID`: everything about one engagement.

use anyhow::Result;

use super::playbook_of;
use crate::Context;
use crate::render::{self, Format, json};
use crate::view::show::build;

/// Show everything about one engagement: team, milestones, DIBS, SSAT, each
/// stage's tasks with due dates and status, cadences, health, blockers, notes
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft show contoso-teams")]
pub struct Args {
    /// Engagement id
    #[arg(add = crate::complete::engagement_id())]
    pub id: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let e = ws.store.load(&args.id, &ws.catalog)?;
    let p = playbook_of(&ws.catalog, &e);
    let view = build(p, &e, &ws.settings.calendar, ctx.now);
    match ctx.format {
        Format::Json => ctx.print(&json(&view))?,
        _ => ctx.print(&render::show::render(&view, ctx.format, ctx.term))?,
    }
    ctx.zone_legend(view.shows_times())?;
    Ok(0)
}
