//! `ft next`: my prioritised action list.

use anyhow::Result;

use super::split_list;
use crate::Context;
use crate::agenda;
use crate::duration::Period;
use crate::engagement::{Engagement, Summary};
use crate::error::user;
use crate::escape;
use crate::playbook::Catalog;
use crate::render::{self, Format, json};
use crate::sla;
use crate::words;
use crate::workspace::Workspace;

/// What to do next: open tasks, due cadences and missing DIBS across my engagements, most urgent first
///
/// Lists tasks whose role you hold and that apply to the engagement's
/// services, cadence meetings that are due, and missing DIBS, ordered by
/// urgency: overdue first (by how far), then soonest due, mandatory before
/// optional, current stage before later ones.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft --as alice next --within 1w")]
pub struct Args {
    /// Show every item instead of the first --limit
    #[arg(long)]
    pub all: bool,

    /// How many items to show
    #[arg(long, default_value_t = 20)]
    pub limit: usize,

    /// Only items due within DUR (e.g. 2d, 1w) or already overdue
    #[arg(long, value_name = "DUR")]
    pub within: Option<String>,

    /// Only these engagements (comma-separated)
    #[arg(long, short, value_delimiter = ',', add = crate::complete::engagement_id())]
    pub engagement: Vec<String>,

    /// Only items for this role (alias or full name)
    #[arg(long, short, add = crate::complete::role())]
    pub role: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let me = ctx.me()?.to_string();
    let ws = ctx.workspace()?;
    let only = split_list(&args.engagement);
    let ask = agenda::Ask {
        person: &me,
        queue_role: ctx.config.role.as_deref(),
        at_risk: ws.settings.at_risk,
    };
    // Only the engagements that can list something are decoded in full.
    let want = |s: &Summary| {
        (only.is_empty() || only.contains(&s.id)) && agenda::concerns(&ask, &ws.catalog, s)
    };
    let (summaries, mut items) = items_of(ctx, &ws, &ask, &want)?;
    for id in &only {
        if !summaries.iter().any(|e| &e.id == id) {
            return Err(user(format!("no engagement `{id}`")));
        }
    }
    if let Some(role) = &args.role {
        let aliases: Vec<String> = ws
            .catalog
            .playbooks
            .iter()
            .filter_map(|p| p.role(role).map(|r| r.alias.clone()))
            .collect();
        if aliases.is_empty() {
            return Err(user(format!("no playbook has a role `{role}`")));
        }
        items.retain(|i| aliases.contains(&i.role));
    }
    if let Some(within) = &args.within {
        let period: Period = within.parse().map_err(|e| user(format!("--within: {e}")))?;
        let horizon = sla::add(ctx.now, period, &ws.settings.calendar);
        items.retain(|i| {
            i.due
                .is_some_and(|d| i.overdue || d.days_from(ctx.now) <= horizon.days_from(ctx.now))
        });
    }
    let total = items.len();
    if !args.all {
        items.truncate(args.limit);
    }
    if ctx.format == Format::Json {
        ctx.print(&json(&items))?;
        return Ok(0);
    }
    if items.is_empty() {
        ctx.say(&empty(
            ctx,
            &ws,
            &me,
            &summaries,
            &only,
            args.within.as_deref(),
        )?)?;
        return Ok(0);
    }
    match ctx.format {
        Format::Table => {
            ctx.print(&render::next::layout(&items).render(ctx.term.width, ctx.color))?
        }
        f => ctx.print(&render::next::grid(&items).render(f, ctx.term))?,
    }
    ctx.zone_legend(items.iter().any(|i| matches!(i.due, Some(sla::Due::At(_)))))?;
    if total > items.len() && ctx.format == Format::Table {
        ctx.say(&format!(
            "{} more; --all shows everything",
            total - items.len()
        ))?;
    }
    Ok(0)
}

/// The line for an empty list: what it looked at, and where more work is.
fn empty(
    ctx: &Context,
    ws: &crate::workspace::Workspace,
    me: &str,
    summaries: &[Summary],
    only: &[String],
    within: Option<&str>,
) -> Result<String> {
    let mine: Vec<&Summary> = summaries
        .iter()
        .filter(|s| only.is_empty() || only.contains(&s.id))
        .collect();
    // Unassigned work anywhere is worth naming; only an empty list pays
    // for reading every engagement in full.
    let all = ctx.engagements(ws)?;
    let assign = assign_hint(ctx.config.role.is_some(), &all, &ws.catalog);
    Ok(format!("{} {assign}", nothing_due(me, &mine, within)))
}

/// Every engagement's summary, and the items of those `want` accepts. Each
/// engagement's items are made as it is read, and it is dropped: a stable
/// sort of them all orders them as `items_for` would at once.
fn items_of(
    ctx: &Context,
    ws: &Workspace,
    ask: &agenda::Ask,
    want: &crate::workspace::Want<'_>,
) -> Result<(Vec<Summary>, Vec<agenda::Item>)> {
    let mut items = Vec::new();
    let summaries = ctx.engagements_each(ws, want, &mut |e| {
        let cal = &ws.settings.calendar;
        items.extend(agenda::items_for(ask, &[e], &ws.catalog, cal, ctx.now));
        Ok(())
    })?;
    agenda::sort(&mut items);
    Ok((summaries, items))
}

/// What an empty list looked at: "3 engagements where alice holds FE, PM;
/// nothing due", or that the person holds no role at all.
fn nothing_due(me: &str, engagements: &[&Summary], within: Option<&str>) -> String {
    let mut roles: Vec<&str> = Vec::new();
    let mut count = 0;
    for e in engagements {
        let mine: Vec<&str> = e.roles_of(me).collect();
        if !mine.is_empty() {
            count += 1;
        }
        for r in mine {
            if !roles.contains(&r) {
                roles.push(r);
            }
        }
    }
    if count == 0 {
        return format!("{me} holds no role in any engagement.");
    }
    let horizon = within.map(|w| format!(" within {w}")).unwrap_or_default();
    format!(
        "{} where {me} holds {}; nothing due{horizon}.",
        words::count(count, "engagement", "engagements"),
        roles.join(", ")
    )
}

/// Where to find more work: `ft assign` with my configured role, else with
/// each role that open engagements lack (`ft assign` alone would ask which).
fn assign_hint(has_role: bool, engagements: &[Engagement], catalog: &Catalog) -> String {
    if has_role {
        return "Unassigned work that fits you: ft assign".into();
    }
    let roles = agenda::unfilled_roles(engagements, catalog);
    if roles.is_empty() {
        return "Every role of every open engagement is filled.".into();
    }
    let roles = &roles[..roles.len().min(3)];
    let needs: Vec<String> = roles.iter().map(|r| words::with_article(r)).collect();
    let commands: Vec<String> = roles
        .iter()
        .map(|r| format!("`ft assign --role {}`", escape::shell(r)))
        .collect();
    format!(
        "Unassigned work needs {}: {}",
        words::or_list(&needs),
        commands.join(", ")
    )
}
