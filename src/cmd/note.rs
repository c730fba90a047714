//! `ft note ID TEXT`: add a dated status note.

use anyhow::Result;
use toml_edit::Value;

use super::label;
use crate::Context;
use crate::error::user;
use crate::time::When;

/// Add a dated status note (documentation hygiene: keep notes current)
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Engagement id
    pub id: String,

    /// The note; several words are joined with spaces
    #[arg(required = true)]
    pub text: Vec<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let text = args.text.join(" ");
    let line = ws.edit(&args.id, |e, doc| {
        let mut entry = vec![("on", When::Date(ctx.today).to_toml())];
        if let Some(me) = ctx.me_opt() {
            entry.push(("by", Value::from(me)));
        }
        entry.push(("text", Value::from(text.as_str())));
        doc.push_entry("notes", &entry).map_err(user)?;
        Ok(format!("{}: note added ({})", label(e), ctx.today))
    })?;
    ctx.say(&line)?;
    Ok(0)
}
