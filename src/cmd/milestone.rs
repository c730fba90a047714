//! `ft milestone ID NAME [--on WHEN]`: record a milestone.

use anyhow::Result;

use super::{label, not_before_opened, when};
use crate::Context;
use crate::engagement::ops::Op;
use crate::engagement::store::Change;
use crate::error::{suggest, user_hint};
use crate::time::When;

/// Record a milestone (e.g. kickoff, end); SLAs counted from it start
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft milestone fabrikam-core end --planned 2027-01-29")]
pub struct Args {
    /// Engagement id
    #[arg(add = crate::complete::engagement_id())]
    pub id: String,

    /// Milestone id as the playbook declares it (`ft playbook show` lists them)
    #[arg(add = crate::complete::milestone())]
    pub name: String,

    /// When it happened: a date, or a date-time for minute/hour SLAs [default: today, or now for those]
    #[arg(long, value_name = "WHEN")]
    pub on: Option<String>,

    /// Record when it is planned instead (may be in the future); SLAs counted
    /// from it are due from the plan until it happens
    #[arg(long, value_name = "WHEN", conflicts_with = "on")]
    pub planned: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let applied = ws.apply(&args.id, &ctx.actor(), |e, p| {
        let Some(m) = p.milestones.iter().find(|m| m.id == args.name) else {
            let names: Vec<&str> = p.milestones.iter().map(|m| m.id.as_str()).collect();
            let hint = suggest(&args.name, names.iter().copied())
                .unwrap_or_else(|| format!("milestones of `{}`: {}", p.id, names.join(", ")));
            return Err(user_hint(
                format!("playbook `{}` has no milestone `{}`", p.id, args.name),
                hint,
            ));
        };
        if let Some(planned) = &args.planned {
            return plan(e, &m.id, &m.name, planned);
        }
        let w = when(ctx, args.on.as_deref(), p.counts_time_of_day())?;
        if m.id != "opened" {
            not_before_opened(e, w)?;
        }
        let was = e
            .milestones
            .get(&m.id)
            .map(|old| format!(" (was {old})"))
            .unwrap_or_default();
        Ok(Change {
            ops: vec![Op::Milestone {
                name: m.id.clone(),
                on: w,
            }],
            line: format!("{}: {} ({}) on {w}{was}", label(e), m.id, m.name),
        })
    })?;
    ctx.say(&applied.message())?;
    Ok(0)
}

/// A planned date: any date (future ones too), for a milestone not reached yet.
fn plan(e: &crate::engagement::Engagement, id: &str, name: &str, planned: &str) -> Result<Change> {
    let on: When = planned
        .parse()
        .map_err(|err| user_hint(format!("--planned: {err}"), "e.g. --planned 2026-12-18"))?;
    if id != "opened" {
        super::not_before_opened(e, on)?;
    }
    if let Some(actual) = e.milestones.get(id) {
        return Err(user_hint(
            format!("{}: {id} already happened on {actual}", e.id),
            format!("to correct it: ft milestone {} {id} --on WHEN", e.id),
        ));
    }
    let was = e
        .planned
        .get(id)
        .map(|old| format!(" (was {old})"))
        .unwrap_or_default();
    Ok(Change {
        ops: vec![Op::Plan {
            name: id.to_string(),
            on,
        }],
        line: format!("{}: {id} ({name}) planned for {on}{was}", label(e)),
    })
}
