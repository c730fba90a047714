//! `ft set ID KEY VALUE`: set any other field, with validation.

use anyhow::Result;
use toml_edit::{Array, InlineTable, Value};

use super::{label, playbook_of, split_list};
use crate::Context;
use crate::engagement::Status;
use crate::error::{suggest, user, user_hint};
use crate::time::When;

/// Set a field: customer, services, seats, active_users, status, playbook,
/// ssat.ITEM, team.ROLE, or an engagement field such as severity
///
/// Examples:
///   ft set contoso seats 1200
///   ft set contoso services Teams,Exchange
///   ft set contoso ssat.training yes
///   ft set contoso team.FTA erin
///   ft set icm-4711 severity 3
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Engagement id
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
    let line = ws.edit(&args.id, |e, doc| {
        let p = playbook_of(&ws.catalog, e);
        let v = args.value.trim();
        let key = args.key.trim();
        let number = |what: &str| {
            v.parse::<u32>()
                .map(i64::from)
                .map_err(|_| user(format!("{what} must be a whole number, not `{v}`")))
        };
        match key {
            "customer" if !v.is_empty() => doc.set(&["customer"], v),
            "seats" => doc.set(&["seats"], number("seats")?),
            "active_users" | "active-users" => doc.set(&["active_users"], number("active_users")?),
            "status" => {
                let s: Status = v.parse().map_err(user)?;
                doc.set(&["status"], s.as_str())
            }
            "playbook" => {
                if ws.catalog.get(v).is_none() {
                    let hint = suggest(v, ws.catalog.ids())
                        .unwrap_or_else(|| "`ft playbook list` shows them".into());
                    return Err(user_hint(format!("no playbook `{v}`"), hint));
                }
                doc.set(&["playbook"], v)
            }
            "services" => {
                let mut list = Vec::new();
                for s in split_list(&[v.to_string()]) {
                    match (p.services.is_empty(), p.service(&s)) {
                        (true, _) => list.push(s),
                        (false, Some(c)) => list.push(c.to_string()),
                        (false, None) => {
                            return Err(user_hint(
                                format!("`{s}` is not a service of playbook `{}`", p.id),
                                format!("its services: {}", p.services.join(", ")),
                            ));
                        }
                    }
                }
                doc.set(&["services"], list.iter().collect::<Array>())
            }
            _ => {
                if let Some(item) = key.strip_prefix("ssat.") {
                    if !p.ssat.is_empty() && !p.ssat.iter().any(|s| s == item) {
                        let hint = suggest(item, p.ssat.iter().map(String::as_str))
                            .unwrap_or_else(|| format!("items: {}", p.ssat.join(", ")));
                        return Err(user_hint(
                            format!("`{item}` is not an SSAT item of `{}`", p.id),
                            hint,
                        ));
                    }
                    let b = match v.to_ascii_lowercase().as_str() {
                        "yes" | "true" | "done" | "y" | "1" => true,
                        "no" | "false" | "n" | "0" => false,
                        _ => return Err(user(format!("ssat.{item} takes yes or no, not `{v}`"))),
                    };
                    doc.set(&["ssat", item], b)
                } else if let Some(role) = key.strip_prefix("team.") {
                    let r = super::role(p, role)?;
                    if v.is_empty() {
                        doc.remove(&["team", &r.alias]);
                        return Ok(format!("{}: {} cleared", label(e), r.alias));
                    }
                    let mut member = InlineTable::new();
                    member.insert("person", Value::from(v));
                    member.insert("since", When::Date(ctx.today).to_toml());
                    doc.set(&["team", &r.alias], member)
                } else {
                    let field = key.strip_prefix("fields.").unwrap_or(key);
                    let Some(allowed) = p.fields.get(field) else {
                        let all = KEYS
                            .iter()
                            .copied()
                            .chain(p.fields.keys().map(String::as_str));
                        let hint = suggest(key, all).unwrap_or_else(|| {
                            format!(
                                "keys: {}",
                                KEYS.iter()
                                    .copied()
                                    .chain(p.fields.keys().map(String::as_str))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )
                        });
                        return Err(user_hint(format!("cannot set `{key}`"), hint));
                    };
                    if !allowed.is_empty() && !allowed.iter().any(|a| a == v) {
                        return Err(user(format!(
                            "`{v}` is not a value of {field} (allowed: {})",
                            allowed.join(", ")
                        )));
                    }
                    doc.set(&["fields", field], v)
                }
            }
        }
        .map_err(user)?;
        Ok(format!("{}: {key} = {v}", label(e)))
    })?;
    ctx.say(&line)?;
    Ok(0)
}
