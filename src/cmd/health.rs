//! `ft health ID red|yellow|green`: record the engagement's health.

use anyhow::Result;

use super::{date, label};
use crate::Context;
use crate::engagement::Health;
use crate::engagement::ops::Op;
use crate::engagement::store::Change;
use crate::error::user;

/// Record health (red, yellow or green) with an optional note; the history is kept
#[derive(Debug, clap::Args)]
#[command(
    after_help = r#"Example: ft health contoso-teams yellow --note "pilot delayed by the proxy""#
)]
pub struct Args {
    /// Engagement id
    #[arg(add = crate::complete::engagement_id())]
    pub id: String,

    /// red, yellow or green
    #[arg(add = crate::complete::health_status())]
    pub status: String,

    /// Why
    #[arg(long)]
    pub note: Option<String>,

    /// Date of the assessment [default: today]
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let status: Health = args.status.parse().map_err(user)?;
    let on = date(ctx, args.on.as_deref())?;
    let ws = ctx.workspace()?;
    let applied = ws.apply(&args.id, &ctx.actor(), |e, _| {
        let was = e
            .latest_health()
            .map(|h| format!(" (was {} on {})", h.status, h.on))
            .unwrap_or_default();
        Ok(Change {
            ops: vec![Op::Health {
                on,
                status,
                note: args.note.clone(),
            }],
            line: format!("{}: health {status} on {on}{was}", label(e)),
        })
    })?;
    ctx.say(&applied.message())?;
    Ok(0)
}
