//! `ft hold ID --reason T [--until DATE]`: pause the engagement's SLA clocks.

use anyhow::Result;

use super::{label, not_before_opened, when};
use crate::Context;
use crate::engagement::ops::Op;
use crate::engagement::store::Change;
use crate::error::user_hint;
use crate::time::parse_date;

/// Put an engagement on hold: its SLA clocks stop until `ft resume`
///
/// While on hold nothing of the engagement is due. On resume every running
/// SLA is extended by the time on hold, in its own unit, and recurring
/// meetings start again from the resume. On an engagement already on hold,
/// `--until` changes the date it is expected to resume.
#[derive(Debug, clap::Args)]
#[command(
    after_help = r#"Example: ft hold northwind-aks --reason "customer freeze until January" --until 2027-01-11"#
)]
pub struct Args {
    /// Engagement id
    #[arg(add = crate::complete::engagement_id())]
    pub id: String,

    /// Why the work is paused (e.g. "customer freeze until January")
    #[arg(long)]
    pub reason: Option<String>,

    /// When the engagement is expected to resume; past it, the primary role is asked to resume or extend
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,

    /// When the hold started: a date or date-time [default: now]
    #[arg(long, value_name = "WHEN")]
    pub on: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let until = args
        .until
        .as_deref()
        .map(parse_date)
        .transpose()
        .map_err(|e| user_hint(format!("--until: {e}"), "e.g. --until 2027-01-11"))?;
    let ws = ctx.workspace()?;
    let applied = ws.apply(&args.id, &ctx.actor(), |e, p| {
        let on = when(ctx, args.on.as_deref(), p.counts_time_of_day())?;
        not_before_opened(e, on)?;
        let start = e.open_hold().map_or(on, |h| h.from);
        if let Some(u) = until
            && u < start.date()
        {
            return Err(user_hint(
                format!("--until {u} is before the hold starts ({start})"),
                "give the date the engagement is expected to resume",
            ));
        }
        if let Some(h) = e.open_hold() {
            if until.is_none() {
                return Err(user_hint(
                    format!("{} is already on hold since {}", e.id, h.from),
                    format!(
                        "change the expected resume with --until DATE, or resume with `ft resume {}`",
                        e.id
                    ),
                ));
            }
        } else if args.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            return Err(user_hint(
                "a hold needs a reason",
                "add --reason \"...\", e.g. --reason \"customer change freeze\"",
            ));
        }
        let line = match (e.open_hold(), until) {
            (Some(_), Some(u)) => format!("{}: on hold until {u}", label(e)),
            (_, Some(u)) => format!("{}: on hold from {on} until {u}; SLA clocks paused", label(e)),
            _ => format!("{}: on hold from {on}; SLA clocks paused", label(e)),
        };
        Ok(Change {
            ops: vec![Op::Hold {
                on,
                reason: args.reason.clone().unwrap_or_default(),
                by: ctx.me_opt().map(ToString::to_string),
                until,
            }],
            line,
        })
    })?;
    ctx.say(&applied.message())?;
    Ok(0)
}
