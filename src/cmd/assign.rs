//! `ft assign [ID]`: find unassigned work that fits me, or claim it.

use anyhow::Result;

use super::{label, playbook_of, when};
use crate::Context;
use crate::agenda;
use crate::engagement::Engagement;
use crate::engagement::ops::Op;
use crate::engagement::store::Change;
use crate::error::{user, user_hint};
use crate::escape;
use crate::git::{Pull, Push, Repo};
use crate::playbook::Anchor;
use crate::render::{self, Format, json};
use crate::view;
use crate::workspace::Workspace;

/// Self-assign: list engagements where my role is unfilled, most urgent SLA first, or claim one
///
/// Without an id, lists the engagements that need my role: those with an SLA
/// of the role already running first, by the time left; then by skill match
/// (their services against `skills` in my config), my availability
/// (engagements I carry against `capacity`) and how long they have waited.
/// With an id, writes me into the team with today's date; for the playbook's
/// primary role it also sets the `assigned` milestone, which starts the SLA
/// clocks counted from it. In a git workspace the claim is committed and
/// pushed; if someone else pushed a claim first, mine is withdrawn.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft --as carlos assign tailspin-data --role FE")]
pub struct Args {
    /// Engagement to claim
    #[arg(add = crate::complete::engagement_id())]
    pub id: Option<String>,

    /// Role to fill (alias or full name) [default: `role` in my config]
    #[arg(long, short, add = crate::complete::role())]
    pub role: Option<String>,

    /// Take over a role someone else holds (recorded as a handover), or go over capacity
    #[arg(long)]
    pub force: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let me = ctx.me()?.to_string();
    let ws = ctx.workspace()?;
    let role = match args.role.clone().or_else(|| ctx.config.role.clone()) {
        Some(role) => role,
        None => return Err(which_role(ctx, &ws)),
    };
    if ws.catalog.playbooks.iter().all(|p| p.role(&role).is_none()) {
        return Err(user(format!("no playbook has a role `{role}`")));
    }
    if let Some(contact) = ws
        .catalog
        .playbooks
        .iter()
        .filter_map(|p| p.role(&role))
        .find(|r| r.contact)
    {
        // A stakeholder holds no tasks, so there is no work to claim.
        return Err(crate::error::user_hint(
            format!(
                "{} ({}) is a stakeholder on the team, with no tasks to claim",
                contact.alias, contact.name
            ),
            format!(
                "name them with: ft set {} team.{} NAME",
                args.id.as_deref().unwrap_or("ID"),
                contact.alias
            ),
        ));
    }
    match &args.id {
        None => list(ctx, &ws, &me, &role),
        Some(id) => claim(ctx, &ws, &me, &role, id, args.force),
    }
}

/// "Which role do you fill?", with the roles that open engagements lack
/// most often, so the hint is a command that lists real work.
fn which_role(ctx: &Context, ws: &Workspace) -> anyhow::Error {
    let open = agenda::unfilled_roles(&ctx.engagements(ws).unwrap_or_default(), &ws.catalog);
    let hint = match open.first() {
        Some(role) => format!(
            "`ft assign --role {}` lists the engagements that need one (roles unfilled: {}); or add `role = \"{}\"` to your personal config",
            escape::shell(role),
            open.join(", "),
            role
        ),
        None => "every role of every open engagement is filled; add `role = \"FE\"` (your role) to your personal config".to_string(),
    };
    user_hint("which role do you fill?", hint)
}

fn list(ctx: &Context, ws: &Workspace, me: &str, role: &str) -> Result<i32> {
    let engagements = ctx.engagements(ws)?;
    let listing = view::assign::listing(
        me,
        role,
        &engagements,
        &ws.catalog,
        &ctx.config,
        &ws.settings.calendar,
        ctx.now,
    );
    match ctx.format {
        Format::Json => ctx.print(&json(&listing))?,
        Format::Table => {
            ctx.print(&render::assign::table(&listing, ctx.term))?;
            ctx.zone_legend(
                listing
                    .candidates
                    .iter()
                    .any(|c| matches!(c.next_due, Some(crate::sla::Due::At(_)))),
            )?;
            if listing.candidates.is_empty() {
                ctx.say(&format!(
                    "No engagement needs {}.",
                    crate::words::with_article(role)
                ))?;
            } else {
                // A complete command: the best fit, with the role listed.
                let first = &listing.candidates[0].engagement;
                ctx.say(&format!(
                    "Claim one with: ft assign {} --role {}",
                    escape::shell(first),
                    escape::shell(role)
                ))?;
            }
        }
        f => ctx.print(&render::assign::grid(&listing).render(f, ctx.term))?,
    }
    Ok(0)
}

fn claim(
    ctx: &Context,
    ws: &Workspace,
    me: &str,
    role: &str,
    id: &str,
    force: bool,
) -> Result<i32> {
    // The lock is held from the pull to the push: no other ft in this
    // clone writes in between.
    let session = ws.session()?;
    if let Some(repo) = session.shared() {
        bring_in(repo)?;
    }
    // The count needs only statuses and teams: no engagement is decoded.
    let load = agenda::load_in(me, &ctx.engagements_where(ws, &|_| false)?.0);
    let mut alias = String::new();
    let mut starts_clock = false;
    let applied = session.apply(id, &ctx.actor(), |e, p| {
        alias = p.role_or_error(role)?.alias.clone();
        starts_clock = !e.milestones.contains_key("assigned");
        let handover = check_claim(ctx, e, &alias, me, load, force)?;
        let line = match handover {
            Some(from) => format!("assign {} {alias} to {me} (handover from {from})", e.id),
            None => format!("assign {} {alias} to {me}", e.id),
        };
        Ok(Change {
            ops: vec![Op::Assign {
                role: alias.clone(),
                person: me.to_string(),
                on: when(ctx, None, p.counts_time_of_day())?,
            }],
            line,
        })
    })?;
    if applied.changed
        && let Some(repo) = session.shared()
    {
        push_claim(ws, repo, id, &alias)?;
    }
    drop(session);
    ctx.say(&applied.message())?;
    let e = &applied.engagement;
    let started = started_clocks(e, playbook_of(&ws.catalog, e), &alias);
    if starts_clock && !started.is_empty() {
        ctx.say(&format!("SLA clocks started: {}", started.join(", ")))?;
    }
    Ok(0)
}

/// Refuse a claim on a role I hold, or someone else holds without --force,
/// or beyond my capacity; returns who hands the role over, if anyone.
fn check_claim(
    ctx: &Context,
    e: &Engagement,
    alias: &str,
    me: &str,
    load: u32,
    force: bool,
) -> Result<Option<String>> {
    let handover = match e.team.get(alias) {
        Some(m) if m.person.eq_ignore_ascii_case(me) => {
            return Err(user(format!("{} is already yours ({alias})", e.id)));
        }
        Some(m) if !force => {
            let since = m.since.map(|d| format!(" since {d}")).unwrap_or_default();
            return Err(user_hint(
                format!("{}: {alias} is held by {}{since}", e.id, m.person),
                "to take it over, add --force (recorded as a handover)",
            ));
        }
        Some(m) => Some(m.person.clone()),
        None => None,
    };
    if let Some(cap) = ctx.config.capacity
        && load >= cap
        && !force
    {
        return Err(user_hint(
            format!("you carry {load} engagements, your capacity is {cap}"),
            "finish or hand over one first, or add --force",
        ));
    }
    Ok(handover)
}

/// Bring in the remote's changes before claiming, so the claim is made on
/// what the team sees.
fn bring_in(repo: &Repo) -> Result<()> {
    let dirty = repo.dirty()?;
    if !dirty.is_empty() {
        return Err(user_hint(
            format!(
                "uncommitted changes in {} keep ft from updating from the remote",
                dirty.join(", ")
            ),
            "commit them (`git commit -a`) or set them aside (`git stash`), then claim again",
        ));
    }
    match repo.pull(None)? {
        Pull::Updated => Ok(()),
        Pull::Offline(why) => Err(user_hint(
            format!("cannot reach the remote to see whether someone claimed it first: {why}"),
            "claim again when the remote can be reached",
        )),
        Pull::Conflict { files, detail } => Err(user_hint(
            format!(
                "cannot update from the remote: {} conflict{}",
                files.join(", "),
                if detail.is_empty() {
                    String::new()
                } else {
                    format!("\n{detail}")
                }
            ),
            "run `ft sync` to see and settle the conflict, then claim again",
        )),
    }
}

/// Push the claim; when someone else's claim on the same engagement got there
/// first, withdraw mine and say who won.
fn push_claim(ws: &Workspace, repo: &Repo, id: &str, alias: &str) -> Result<()> {
    let path = ws.store.path(id)?;
    for _ in 0..=3 {
        match repo.push()? {
            Push::Pushed => return Ok(()),
            Push::Failed(why) => {
                repo.drop_last_commit(&path)?;
                return Err(user_hint(
                    format!("cannot push the claim, so it was withdrawn: {why}"),
                    "claim again when the remote can be reached",
                ));
            }
            Push::Rejected => match repo.pull(None)? {
                Pull::Updated => {}
                Pull::Offline(why) => {
                    repo.drop_last_commit(&path)?;
                    return Err(user(format!(
                        "cannot update from the remote, so the claim was withdrawn: {why}"
                    )));
                }
                Pull::Conflict { .. } => {
                    repo.drop_last_commit(&path)?;
                    return Err(lost_claim(ws, repo, id, alias));
                }
            },
        }
    }
    repo.drop_last_commit(&path)?;
    Err(user(
        "the remote keeps moving, so the claim was withdrawn; try `ft sync`, then claim again",
    ))
}

/// After withdrawing a claim that conflicted: update, and say who holds the role.
fn lost_claim(ws: &Workspace, repo: &Repo, id: &str, alias: &str) -> anyhow::Error {
    match repo.pull(None) {
        Ok(Pull::Updated) => {}
        Ok(Pull::Conflict { files, .. }) => {
            return user(format!(
                "cannot update from the remote: {} conflict",
                files.join(", ")
            ));
        }
        Ok(Pull::Offline(why)) => return user(format!("cannot update from the remote: {why}")),
        Err(e) => return e,
    }
    let Ok(now) = ws.store.load(id, &ws.catalog) else {
        return user(format!(
            "{id}: {alias} was claimed by someone else first; your claim was withdrawn"
        ));
    };
    let winner = now.team.get(alias).map_or_else(
        || "someone else".to_string(),
        |m| {
            let since = m.since.map(|d| format!(" on {d}")).unwrap_or_default();
            format!("{}{since}", m.person)
        },
    );
    user_hint(
        format!(
            "{}: {alias} was claimed by {winner} first; your claim was withdrawn",
            label(&now)
        ),
        "`ft assign` lists other engagements that fit you",
    )
}

/// "pm-intro (PM bob)": the tasks whose clocks the claim of the primary role started.
fn started_clocks(e: &Engagement, p: &crate::playbook::Playbook, alias: &str) -> Vec<String> {
    if p.primary_role.as_deref() != Some(alias) {
        return Vec::new();
    }
    let assigned = Anchor::Milestone("assigned".into());
    p.tasks()
        .filter(|(_, t)| t.due.iter().any(|d| d.after == assigned))
        .map(|(_, t)| {
            let holder = e.holder(&t.role).unwrap_or("nobody yet");
            format!("{} ({} {holder})", t.id, t.role)
        })
        .collect()
}
