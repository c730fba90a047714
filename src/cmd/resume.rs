//! `ft resume ID`: end a hold; the SLA clocks run again, extended by the hold.

use anyhow::Result;

use super::{label, when};
use crate::Context;
use crate::engagement::ops::Op;
use crate::engagement::store::Change;
use crate::error::user_hint;

/// Resume an engagement on hold: its SLA clocks run again, extended by the time on hold
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft resume northwind-aks")]
pub struct Args {
    /// Engagement id
    #[arg(add = crate::complete::engagement_id())]
    pub id: String,

    /// When work resumed: a date or date-time [default: now]
    #[arg(long, value_name = "WHEN")]
    pub on: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let applied = ws.apply(&args.id, &ctx.actor(), |e, p| {
        let Some(hold) = e.open_hold() else {
            return Err(user_hint(
                format!("{} is not on hold", e.id),
                format!("`ft hold {} --reason ...` puts it on hold", e.id),
            ));
        };
        let on = when(ctx, args.on.as_deref(), p.counts_time_of_day())?;
        if on < hold.from {
            return Err(user_hint(
                format!("{on} is before the hold started ({})", hold.from),
                "check the date",
            ));
        }
        Ok(Change {
            ops: vec![Op::Resume { on }],
            line: format!(
                "{}: resumed on {on} after a hold from {}; SLA clocks extended by the time on hold",
                label(e),
                hold.from
            ),
        })
    })?;
    ctx.say(&applied.message())?;
    Ok(0)
}
