//! `ft note ID TEXT`: add a dated status note.

use anyhow::Result;

use super::label;
use crate::Context;
use crate::engagement::ops::Op;
use crate::engagement::store::Change;

/// Add a dated status note (documentation hygiene: keep notes current)
#[derive(Debug, clap::Args)]
#[command(
    after_help = r#"Example: ft note contoso-teams "Proxy exception requested from the network team""#
)]
pub struct Args {
    /// Engagement id
    #[arg(add = crate::complete::engagement_id())]
    pub id: String,

    /// The note; several words are joined with spaces
    #[arg(required = true)]
    pub text: Vec<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let text = args.text.join(" ");
    if text.trim().is_empty() {
        return Err(crate::error::user("a note needs some text"));
    }
    let applied = ws.apply(&args.id, &ctx.actor(), |e, _| {
        Ok(Change {
            ops: vec![Op::Note {
                on: ctx.today,
                by: ctx.me_opt().map(ToString::to_string),
                text,
            }],
            line: format!("{}: note added ({})", label(e), ctx.today),
        })
    })?;
    ctx.say(&applied.message())?;
    Ok(0)
}
