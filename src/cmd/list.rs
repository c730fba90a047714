//! `ft list`: one line per engagement.

use anyhow::Result;
use indexmap::IndexMap;
use serde::Serialize;

use super::split_list;
use crate::Context;
use crate::engagement::{Engagement, Status};
use crate::error::user;
use crate::render::{Format, Grid, Tone, json};

/// List engagements, one per line (closed ones only with --all or --status closed)
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only engagements where I hold a role
    #[arg(long)]
    pub mine: bool,

    /// Only these statuses: unassigned, active, on-hold, closed (comma-separated)
    #[arg(long, value_delimiter = ',')]
    pub status: Vec<String>,

    /// Only unassigned engagements (same as --status unassigned)
    #[arg(long)]
    pub unassigned: bool,

    /// Only engagements on these playbooks (comma-separated)
    #[arg(long, value_delimiter = ',')]
    pub playbook: Vec<String>,

    /// Include closed engagements
    #[arg(long)]
    pub all: bool,
}

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    customer: &'a str,
    playbook: &'a str,
    status: Status,
    services: &'a [String],
    team: IndexMap<&'a str, &'a str>,
    health: Option<&'static str>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let mut statuses: Vec<Status> = split_list(&args.status)
        .iter()
        .map(|s| s.parse::<Status>().map_err(user))
        .collect::<Result<_>>()?;
    if args.unassigned {
        statuses.push(Status::Unassigned);
    }
    let playbooks = split_list(&args.playbook);
    let me = if args.mine { Some(ctx.me()?) } else { None };
    let engagements = ctx.engagements(&ws)?;
    let keep = |e: &&Engagement| {
        let status_ok = if statuses.is_empty() {
            args.all || e.status != Status::Closed
        } else {
            statuses.contains(&e.status)
        };
        status_ok
            && (playbooks.is_empty() || playbooks.contains(&e.playbook))
            && me.is_none_or(|me| e.roles_of(me).next().is_some())
    };
    let rows: Vec<Row> = engagements
        .iter()
        .filter(keep)
        .map(|e| Row {
            id: &e.id,
            customer: &e.customer,
            playbook: &e.playbook,
            status: e.status,
            services: &e.services,
            team: e
                .team
                .iter()
                .map(|(r, m)| (r.as_str(), m.person.as_str()))
                .collect(),
            health: e.latest_health().map(|h| h.status.as_str()),
        })
        .collect();
    if ctx.format == Format::Json {
        return ctx.print(&json(&rows)).map(|()| 0);
    }
    if rows.is_empty() && ctx.format == Format::Table {
        ctx.say("No engagements match. `ft new` creates one; --all includes closed ones.")?;
        return Ok(0);
    }
    let mut grid = Grid::new(&[
        "ID", "Customer", "Playbook", "Status", "Services", "Team", "Health",
    ]);
    for r in &rows {
        let health_tone = match r.health {
            Some("red") => Tone::Bad,
            Some("yellow") => Tone::Warn,
            Some("green") => Tone::Good,
            _ => Tone::Plain,
        };
        let status_tone = if r.status == Status::Unassigned {
            Tone::Warn
        } else {
            Tone::Plain
        };
        grid.row(vec![
            (r.id.to_string(), Tone::Strong),
            (r.customer.to_string(), Tone::Plain),
            (r.playbook.to_string(), Tone::Plain),
            (r.status.to_string(), status_tone),
            (r.services.join(", "), Tone::Plain),
            (
                r.team
                    .iter()
                    .map(|(role, p)| format!("{role} {p}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                Tone::Plain,
            ),
            (r.health.unwrap_or("-").to_string(), health_tone),
        ]);
    }
    ctx.print(&grid.render(ctx.format, ctx.color))?;
    Ok(0)
}
