//! `ft health ID red|yellow|green`: record the engagement's health.

use anyhow::Result;
use toml_edit::Value;

use super::{date, label};
use crate::Context;
use crate::engagement::Health;
use crate::error::user;
use crate::time::When;

/// Record health (red, yellow or green) with an optional note; the history is kept
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Engagement id
    pub id: String,

    /// red, yellow or green
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
    let line = ws.edit(&args.id, |e, doc| {
        let mut entry = vec![
            ("on", When::Date(on).to_toml()),
            ("status", Value::from(status.as_str())),
        ];
        if let Some(note) = &args.note {
            entry.push(("note", Value::from(note.as_str())));
        }
        doc.push_entry("health", &entry).map_err(user)?;
        let was = e
            .latest_health()
            .map(|h| format!(" (was {} on {})", h.status, h.on))
            .unwrap_or_default();
        Ok(format!("{}: health {status} on {on}{was}", label(e)))
    })?;
    ctx.say(&line)?;
    Ok(0)
}
