//! `ft unassign ID`: undo a claim.

use anyhow::Result;

use crate::Context;
use crate::engagement::ops::Op;
use crate::engagement::store::Change;
use crate::error::{user, user_hint};

/// Give a role back: remove me from the engagement's role; the clocks counted from the first claim keep running
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft --as alice unassign contoso-teams --role FE")]
pub struct Args {
    /// Engagement id
    #[arg(add = crate::complete::engagement_id())]
    pub id: String,

    /// Role to give up (alias or full name) [default: `role` in my config]
    #[arg(long, short, add = crate::complete::role())]
    pub role: Option<String>,

    /// Remove whoever holds the role, not only me
    #[arg(long)]
    pub force: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let me = ctx.me()?.to_string();
    let ws = ctx.workspace()?;
    let role = args.role.clone().or_else(|| ctx.config.role.clone());
    let applied = ws.apply(&args.id, &ctx.actor(), |e, p| {
        let alias = match &role {
            Some(r) => p.role_or_error(r)?.alias.clone(),
            None => {
                let mine: Vec<&str> = e.roles_of(&me).collect();
                match mine.as_slice() {
                    [one] => (*one).to_string(),
                    [] => return Err(user(format!("{me} holds no role in {}", e.id))),
                    _ => {
                        return Err(user_hint(
                            format!("{me} holds several roles in {}", e.id),
                            "pass --role",
                        ));
                    }
                }
            }
        };
        match e.team.get(&alias) {
            None => return Err(user(format!("nobody holds {alias} in {}", e.id))),
            Some(m) if !m.person.eq_ignore_ascii_case(&me) && !args.force => {
                return Err(user_hint(
                    format!("{alias} in {} is held by {}, not you", e.id, m.person),
                    "add --force to remove them",
                ));
            }
            Some(_) => {}
        }
        let line = format!("unassign {} {alias} from {}", e.id, e.team[&alias].person);
        Ok(Change {
            ops: vec![Op::Unassign { role: alias }],
            line,
        })
    })?;
    ctx.say(&applied.message())?;
    Ok(0)
}
