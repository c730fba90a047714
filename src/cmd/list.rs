//! `ft list`: one line per engagement.

use anyhow::Result;

use super::split_list;
use crate::Context;
use crate::engagement::{Engagement, Status};
use crate::error::user;
use crate::render::{self, Format, json};
use crate::view::list::{Row, row};

/// List engagements, one per line (closed ones only with --all or --status closed)
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft list --unassigned")]
pub struct Args {
    /// Only engagements where I hold a role
    #[arg(long)]
    pub mine: bool,

    /// Only these statuses: unassigned, active, on-hold, closed (comma-separated)
    #[arg(long, value_delimiter = ',', add = crate::complete::status())]
    pub status: Vec<String>,

    /// Only unassigned engagements (same as --status unassigned)
    #[arg(long)]
    pub unassigned: bool,

    /// Only engagements on these playbooks (comma-separated)
    #[arg(long, value_delimiter = ',', add = crate::complete::playbook())]
    pub playbook: Vec<String>,

    /// Include closed engagements
    #[arg(long)]
    pub all: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let keep = filter(ctx, &args)?;
    let engagements = ctx.engagements(&ws)?;
    let rows: Vec<Row> = engagements.iter().filter(|e| keep(e)).map(row).collect();
    if ctx.format == Format::Json {
        return ctx.print(&json(&rows)).map(|()| 0);
    }
    if rows.is_empty() && ctx.format == Format::Table {
        ctx.say("No engagements match. `ft new ID --customer NAME` creates one; --all includes closed ones.")?;
        return Ok(0);
    }
    match ctx.format {
        Format::Table => {
            ctx.print(&render::list::layout(&rows).render(ctx.term.width, ctx.color))?
        }
        f => ctx.print(&render::list::grid(&rows).render(f, ctx.term))?,
    }
    Ok(0)
}

/// Which engagements the options keep.
fn filter<'a>(ctx: &'a Context, args: &'a Args) -> Result<impl Fn(&Engagement) -> bool + 'a> {
    let mut statuses: Vec<Status> = split_list(&args.status)
        .iter()
        .map(|s| s.parse::<Status>().map_err(user))
        .collect::<Result<_>>()?;
    if args.unassigned {
        statuses.push(Status::Unassigned);
    }
    let playbooks = split_list(&args.playbook);
    let me = if args.mine { Some(ctx.me()?) } else { None };
    Ok(move |e: &Engagement| {
        let status_ok = if statuses.is_empty() {
            args.all || e.status != Status::Closed
        } else {
            statuses.contains(&e.status)
        };
        status_ok
            && (playbooks.is_empty() || playbooks.contains(&e.playbook))
            && me.is_none_or(|me| e.roles_of(me).next().is_some())
    })
}
