//! `ft close ID [--on D]`: end the engagement; closing SLAs start.

use anyhow::Result;

use super::{label, not_before_opened, playbook_of, when};
use crate::Context;
use crate::error::{user, user_hint};

/// Close an engagement: set the `end` milestone and status closed; closing SLAs start counting
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Engagement id
    pub id: String,

    /// When the engagement ended [default: today]
    #[arg(long, value_name = "WHEN")]
    pub on: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let line = ws.edit(&args.id, |e, doc| {
        let p = playbook_of(&ws.catalog, e);
        if !p.has_milestone("end") {
            return Err(user_hint(
                format!("playbook `{}` has no `end` milestone", p.id),
                "set the status instead: ft set ID status closed",
            ));
        }
        let w = when(ctx, args.on.as_deref(), false)?;
        not_before_opened(e, w)?;
        doc.set(&["milestones", "end"], w.to_toml()).map_err(user)?;
        doc.set(&["status"], "closed").map_err(user)?;
        let closing: Vec<String> = p
            .tasks()
            .filter(|(_, t)| {
                t.due
                    .iter()
                    .any(|d| d.after == crate::playbook::Anchor::Milestone("end".into()))
            })
            .filter(|(_, t)| e.task_state(&t.id).is_none())
            .map(|(_, t)| format!("{} {}", t.id, t.name))
            .collect();
        let mut line = format!("{}: closed on {w}", label(e));
        if !closing.is_empty() {
            line.push_str(&format!("; still due: {}", closing.join("; ")));
        }
        Ok(line)
    })?;
    ctx.say(&line)?;
    Ok(0)
}
