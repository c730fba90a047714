//! `ft milestone ID NAME [--on WHEN]`: record a milestone.

use anyhow::Result;

use super::{label, not_before_opened, playbook_of, when};
use crate::Context;
use crate::error::{suggest, user, user_hint};
use crate::playbook::Anchor;

/// Record a milestone (e.g. kickoff, end); SLAs counted from it start
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Engagement id
    pub id: String,

    /// Milestone id as the playbook declares it (`ft playbook show` lists them)
    pub name: String,

    /// When it happened: a date, or a date-time for minute/hour SLAs [default: today, or now for those]
    #[arg(long, value_name = "WHEN")]
    pub on: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let line = ws.edit(&args.id, |e, doc| {
        let p = playbook_of(&ws.catalog, e);
        let Some(m) = p.milestones.iter().find(|m| m.id == args.name) else {
            let names: Vec<&str> = p.milestones.iter().map(|m| m.id.as_str()).collect();
            let hint = suggest(&args.name, names.iter().copied())
                .unwrap_or_else(|| format!("milestones of `{}`: {}", p.id, names.join(", ")));
            return Err(user_hint(
                format!("playbook `{}` has no milestone `{}`", p.id, args.name),
                hint,
            ));
        };
        let anchor = Anchor::Milestone(m.id.clone());
        let sub_day = p
            .tasks()
            .flat_map(|(_, t)| &t.due)
            .any(|d| d.after == anchor && d.within.unit.is_sub_day());
        let w = when(ctx, args.on.as_deref(), sub_day)?;
        if m.id != "opened" {
            not_before_opened(e, w)?;
        }
        doc.set(&["milestones", &m.id], w.to_toml()).map_err(user)?;
        let was = e
            .milestones
            .get(&m.id)
            .map(|old| format!(" (was {old})"))
            .unwrap_or_default();
        Ok(format!("{}: {} ({}) on {w}{was}", label(e), m.id, m.name))
    })?;
    ctx.say(&line)?;
    Ok(0)
}
