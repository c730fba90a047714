//! `ft set ID KEY VALUE`: set any other field, with validation.

use anyhow::Result;

use super::{label, split_list};
use crate::Context;
use crate::engagement::ops::{Op, Setting};
use crate::engagement::store::Change;
use crate::engagement::{Engagement, Status};
use crate::error::{suggest, user, user_hint};
use crate::playbook::Playbook;
use crate::workspace::Workspace;

/// Set a field: customer, services, seats, active_users, status, playbook,
/// ssat.ITEM, team.ROLE, or an engagement field such as severity
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ft set contoso-teams seats 1200
  ft set contoso-teams services Teams,Exchange
  ft set contoso-teams ssat.training yes
  ft set contoso-teams team.FTA erin
  ft set litware-icm-4711 severity 3")]
pub struct Args {
    /// Engagement id
    #[arg(add = crate::complete::engagement_id())]
    pub id: String,

    /// What to set
    pub key: String,

    /// The new value (an empty string clears team.ROLE)
    pub value: String,
}

const KEYS: [&str; 9] = [
    "customer",
    "services",
    "seats",
    "active_users",
    "status",
    "playbook",
    "ssat.ITEM",
    "team.ROLE",
    "fields.NAME",
];

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let v = args.value.trim();
    let key = args.key.trim();
    let applied = ws.apply(&args.id, &ctx.actor(), |e, p| {
        let op = if let Some(role) = key.strip_prefix("team.") {
            let alias = p.role_or_error(role)?.alias.clone();
            if v.is_empty() {
                if !e.team.contains_key(&alias) {
                    return Ok(Change {
                        ops: Vec::new(),
                        line: format!("{}: nobody holds {alias}", label(e)),
                    });
                }
                Op::Unassign { role: alias }
            } else {
                Op::Assign {
                    role: alias,
                    person: v.to_string(),
                    on: super::when(ctx, None, p.counts_time_of_day())?,
                }
            }
        } else if key == "status" {
            return Ok(Change {
                ops: status(ctx, e, p.has_milestone("end"), v)?,
                line: format!("{}: {key} = {v}", label(e)),
            });
        } else {
            Op::Set(setting(&ws, p, &e.id, key, v)?)
        };
        Ok(Change {
            ops: vec![op],
            line: format!("{}: {key} = {v}", label(e)),
        })
    })?;
    ctx.say(&applied.message())?;
    Ok(0)
}

/// A status: `on-hold` is a hold (the clocks pause), and leaving it a
/// resume. Closing is `ft close` where the playbook has an `end` milestone
/// for it to record; without one, the status is all there is to set.
fn status(ctx: &Context, e: &Engagement, has_end: bool, v: &str) -> Result<Vec<Op>> {
    let st: Status = v.parse().map_err(user)?;
    if st == Status::Closed && e.status != Status::Closed && has_end {
        return Err(user_hint(
            "closing is a command of its own",
            format!(
                "`ft close {}` records the end, starts the closing SLAs and checks for open mandatory tasks",
                crate::escape::shell(&e.id)
            ),
        ));
    }
    let now = super::when(ctx, None, true)?;
    Ok(match (st, e.open_hold()) {
        (Status::OnHold, Some(_)) => Vec::new(),
        (Status::OnHold, None) => vec![Op::Hold {
            on: now,
            reason: "status set to on-hold".into(),
            by: ctx.me_opt().map(ToString::to_string),
            until: None,
        }],
        (st, Some(_)) => vec![Op::Resume { on: now }, Op::Set(Setting::Status(st))],
        (st, None) => vec![Op::Set(Setting::Status(st))],
    })
}

/// The setting `key = v` means, checked against the playbook.
fn setting(ws: &Workspace, p: &Playbook, id: &str, key: &str, v: &str) -> Result<Setting> {
    let number = |what: &str| {
        v.parse::<u32>()
            .map_err(|_| user(format!("{what} must be a whole number, not `{v}`")))
    };
    Ok(match key {
        "customer" if !v.is_empty() => Setting::Customer(v.to_string()),
        "seats" => match number("seats")? {
            0 => return Err(user("seats must be at least 1")),
            n => Setting::Seats(n),
        },
        "active_users" | "active-users" => Setting::ActiveUsers(number("active_users")?),
        "status" => Setting::Status(v.parse::<Status>().map_err(user)?),
        "playbook" => Setting::Playbook(ws.catalog.lookup(v)?.id.clone()),
        "services" => {
            let list: Vec<String> = split_list(&[v.to_string()])
                .iter()
                .map(|s| p.check_service(s))
                .collect::<Result<_, _>>()?;
            if list.is_empty() && !(p.services.is_empty() && p.default_services.is_empty()) {
                // No services would hide the playbook's work without a word.
                let (to, or) = match (p.default_services.is_empty(), p.services.split_first()) {
                    (true, Some((first, rest))) if !rest.is_empty() => {
                        (first.clone(), format!("  # or {}", rest.join(", ")))
                    }
                    (true, _) => (p.services.join(","), String::new()),
                    (false, _) => (p.default_services.join(","), String::new()),
                };
                return Err(user_hint(
                    format!(
                        "playbook `{}` needs a service, or its work does not apply",
                        p.id
                    ),
                    format!("ft set {id} services {}{or}", crate::escape::shell(&to)),
                ));
            }
            Setting::Services(list)
        }
        _ => match key.strip_prefix("ssat.") {
            Some(item) => Setting::Ssat(item.to_string(), ssat(p, item, v)?),
            None => {
                let field = key.strip_prefix("fields.").unwrap_or(key);
                field_value(p, key, field, v)?;
                Setting::Field(field.to_string(), v.to_string())
            }
        },
    })
}

fn ssat(p: &Playbook, item: &str, v: &str) -> Result<bool> {
    if p.ssat.is_empty() {
        return Err(user(format!("playbook `{}` tracks no SSAT items", p.id)));
    }
    if !p.ssat.iter().any(|s| s == item) {
        let hint = suggest(item, p.ssat.iter().map(String::as_str))
            .unwrap_or_else(|| format!("items: {}", p.ssat.join(", ")));
        return Err(user_hint(
            format!("`{item}` is not an SSAT item of `{}`", p.id),
            hint,
        ));
    }
    match v.to_ascii_lowercase().as_str() {
        "yes" | "true" | "done" | "y" | "1" => Ok(true),
        "no" | "false" | "n" | "0" => Ok(false),
        _ => Err(user(format!("ssat.{item} takes yes or no, not `{v}`"))),
    }
}

fn field_value(p: &Playbook, key: &str, field: &str, v: &str) -> Result<()> {
    if !p.fields.contains_key(field) {
        let all: Vec<&str> = KEYS
            .iter()
            .copied()
            .chain(p.fields.keys().map(String::as_str))
            .collect();
        let hint = suggest(key, all.iter().copied())
            .unwrap_or_else(|| format!("keys: {}", all.join(", ")));
        return Err(user_hint(format!("cannot set `{key}`"), hint));
    }
    p.check_field(field, v).map_err(user)
}
