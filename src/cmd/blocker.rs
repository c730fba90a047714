//! `ft blocker ID TEXT` / `ft blocker ID --resolve N`: track blockers.

use anyhow::Result;

use super::label;
use crate::Context;
use crate::engagement::ops::Op;
use crate::engagement::store::Change;
use crate::error::{user, user_hint};

/// Record a blocker, resolve one by number (--resolve N), or list them (no text)
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft blocker contoso-teams --resolve 1")]
pub struct Args {
    /// Engagement id
    #[arg(add = crate::complete::engagement_id())]
    pub id: String,

    /// What blocks progress; several words are joined with spaces
    pub text: Vec<String>,

    /// Mark blocker number N resolved (numbers as `ft blocker ID` lists them)
    #[arg(long, value_name = "N", conflicts_with = "text")]
    pub resolve: Option<usize>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    if args.text.is_empty() && args.resolve.is_none() {
        let e = ws.store.load(&args.id, &ws.catalog)?;
        if e.blockers.is_empty() {
            ctx.say(&format!("{}: no blockers", label(&e)))?;
            return Ok(0);
        }
        let grid = crate::render::blocker::grid(&e.blockers);
        ctx.print(&grid.render(ctx.format, ctx.term))?;
        return Ok(0);
    }
    let applied = ws.apply(&args.id, &ctx.actor(), |e, _| {
        if let Some(n) = args.resolve {
            let Some(b) = n.checked_sub(1).and_then(|i| e.blockers.get(i)) else {
                return Err(user_hint(
                    format!("{} has no blocker {n}", e.id),
                    format!("`ft blocker {}` lists them", e.id),
                ));
            };
            if let Some(on) = b.resolved {
                return Err(user(format!(
                    "blocker {n} of {} was already resolved on {on}",
                    e.id
                )));
            }
            return Ok(Change {
                ops: vec![Op::Resolve {
                    number: n,
                    on: ctx.today,
                }],
                line: format!("{}: resolved blocker {n}: {}", label(e), b.text),
            });
        }
        if args.text.join(" ").trim().is_empty() {
            return Err(user("a blocker needs some text"));
        }
        Ok(Change {
            ops: vec![Op::Blocker {
                on: ctx.today,
                by: ctx.me_opt().map(ToString::to_string),
                text: args.text.join(" "),
            }],
            line: format!("{}: blocker {} recorded", label(e), e.blockers.len() + 1),
        })
    })?;
    ctx.say(&applied.message())?;
    Ok(0)
}
