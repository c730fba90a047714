//! `ft report`: the health-review report.

use std::path::PathBuf;

use anyhow::Result;

use super::{playbook_of, split_list};
use crate::Context;
use crate::engagement::store::write_atomic;
use crate::engagement::{Engagement, Status};
use crate::error::{user, user_hint};
use crate::render::{self, Format, Term, json};
use crate::sla::Due;
use crate::time::When;
use crate::view::report::{self as view, Detail, Portfolio, Row};
use crate::view::show::View;
use crate::workspace::Workspace;

/// Health-review report: a portfolio with a summary and SLA compliance, or the detail of engagements
///
/// Without ids: engagements where I hold a role (--all for the whole
/// workspace), one row each with stage, mandatory tasks, overdue items, next
/// due, DIBS, SSAT, health and trend, blockers, last note and enablement, then
/// a summary and SLA compliance per task. With ids: the detail of each.
/// `--format markdown` is ready to paste into a meeting note (with Mermaid
/// charts); `html` one self-contained page with charts and a timeline per
/// engagement, that prints to PDF; `json` is the same view model; `csv` one
/// row per engagement.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft --as dana report --format markdown")]
pub struct Args {
    /// Engagements to report in detail
    #[arg(add = crate::complete::engagement_id())]
    pub ids: Vec<String>,

    /// Every engagement in the workspace, not only mine
    #[arg(long)]
    pub all: bool,

    /// Engagements where I hold a role (the default)
    #[arg(long, conflicts_with = "all")]
    pub mine: bool,

    /// Only engagements where I hold this role
    #[arg(long, short, add = crate::complete::role())]
    pub role: Option<String>,

    /// Only these statuses (comma-separated) [default: all but closed]
    #[arg(long, value_delimiter = ',', add = crate::complete::status())]
    pub status: Vec<String>,

    /// Only these playbooks (comma-separated)
    #[arg(long, value_delimiter = ',', add = crate::complete::playbook())]
    pub playbook: Vec<String>,

    /// Write the report to FILE (atomically) instead of printing it
    #[arg(long, short, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub output: Option<PathBuf>,

    /// SLA attainment per task and rule, or also per person who held the role
    #[arg(long, value_enum, default_value_t = ByArg::Task)]
    pub by: ByArg,

    /// SLA figures count only what fell due on or after DATE
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// SLA figures count only what fell due on or before DATE [default: today]
    #[arg(long, value_name = "DATE", requires = "since")]
    pub until: Option<String>,

    /// Show each figure beside its value on DATE, and what changed since
    #[arg(long, value_name = "DATE")]
    pub compare: Option<String>,
}

/// What the SLA figures count: `--by` and the `--since`/`--until` window.
fn counting(ctx: &Context, args: &Args) -> Result<crate::report::Counting> {
    let window = match &args.since {
        None => None,
        Some(s) => {
            let from = past_date(ctx, "--since", s)?.date();
            let to = match &args.until {
                Some(u) => u
                    .parse::<When>()
                    .map_err(|e| user(format!("--until: {e}")))?
                    .date(),
                None => ctx.today,
            };
            if to < from {
                return Err(user(format!("--until {to} is before --since {from}")));
            }
            Some((from, to))
        }
    };
    Ok(crate::report::Counting {
        by: match args.by {
            ByArg::Task => crate::report::By::Task,
            ByArg::Person => crate::report::By::Person,
        },
        window,
    })
}

/// A past or present date given to an option.
fn past_date(ctx: &Context, flag: &str, s: &str) -> Result<When> {
    let w: When = s
        .parse()
        .map_err(|e| user_hint(format!("{flag}: {e}"), format!("e.g. {flag} 2026-11-16")))?;
    if w.date() > ctx.today {
        return Err(user(format!("{flag} {s} is after today ({})", ctx.today)));
    }
    Ok(w)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ByArg {
    Task,
    Person,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    // A report written to a file keeps every value in full, uncoloured.
    let term = match args.output {
        Some(_) => Term::PIPE,
        None => ctx.term,
    };
    let times;
    let text = if args.ids.is_empty() {
        let portfolio = portfolio(ctx, &ws, &args)?;
        // The heading's "on ..." is a time of day when no --today pins a date.
        times = matches!(ctx.now, When::At(_))
            || portfolio.rows.iter().any(|r| {
                r.next_due
                    .as_ref()
                    .is_some_and(|n| matches!(n.due, Due::At(_)))
            });
        let all = if portfolio.rows.is_empty() && ctx.format == Format::Table && !args.all {
            ctx.engagements(&ws)?
        } else {
            Vec::new()
        };
        let me = ctx.me_opt().unwrap_or_default();
        if !all.is_empty() && all.iter().all(|e| e.roles_of(me).next().is_none()) {
            let total = match all.len() {
                1 => "the 1 engagement; `--all` reports on it".to_string(),
                n => format!("any of the {n} engagements; `--all` reports on all of them"),
            };
            ctx.say(&format!("{} holds no role in {total}", ctx.me()?))?;
            return Ok(0);
        }
        match ctx.format {
            Format::Json => json(&portfolio),
            Format::Html => {
                let views = views(ctx, &ws, &portfolio.rows)?;
                render::html::portfolio(&portfolio, &views, ctx.now, zone(ctx, times).as_deref())
            }
            f => render::report::portfolio(&portfolio, f, term),
        }
    } else {
        let mut details = Vec::new();
        for id in &args.ids {
            let e = ws.store.load(id, &ws.catalog)?;
            let p = playbook_of(&ws.catalog, &e);
            details.push(view::detail(
                p,
                &e,
                &ws.settings.calendar,
                ctx.now,
                ws.settings.at_risk,
            ));
        }
        times = details.iter().any(|d| d.engagement.shows_times());
        match ctx.format {
            Format::Html => {
                // The page says when it was made ("As of ...").
                let at = times || matches!(ctx.now, When::At(_));
                render::html::details(&details, ctx.now, zone(ctx, at).as_deref())
            }
            Format::Json => json(&view::Details::new(&details, ctx.now)),
            f => details_text(&details, f, term),
        }
    };
    emit(ctx, args.output.as_deref(), text, times)?;
    Ok(0)
}

/// Print the report, or write it to `output`, with the line naming the
/// time zone when it showed times of day: it goes with the text, so a
/// report written to a file names it too.
fn emit(
    ctx: &Context,
    output: Option<&std::path::Path>,
    mut text: String,
    times: bool,
) -> Result<()> {
    match ctx.zone_line(times) {
        Some(line) if ctx.format == Format::Markdown => {
            text.push_str(&format!("\n{}\n", crate::render::markdown::text(&line)));
        }
        Some(line) => text.push_str(&format!("{}\n", crate::escape::terminal(&line))),
        None => {}
    }
    match output {
        Some(path) => {
            write_atomic(path, text.as_bytes())?;
            ctx.say(&format!(
                "Wrote {}",
                crate::escape::terminal(&path.display().to_string())
            ))
        }
        None => ctx.print(&text),
    }
}

/// The portfolio of the engagements the options choose.
fn portfolio(ctx: &Context, ws: &Workspace, args: &Args) -> Result<Portfolio> {
    let engagements = ctx.engagements(ws)?;
    let statuses: Vec<Status> = split_list(&args.status)
        .iter()
        .map(|s| s.parse::<Status>().map_err(user))
        .collect::<Result<_>>()?;
    let playbooks = split_list(&args.playbook);
    let me = if args.all && args.role.is_none() {
        None
    } else {
        Some(ctx.me()?.to_string())
    };
    let role = args.role.as_deref();
    let keep = |e: &&Engagement| {
        // A closed engagement stays while any of its SLA clocks runs
        // (the closing report, product feedback).
        let status_ok = if statuses.is_empty() {
            e.status != Status::Closed
                || running_clock(ws, e, ctx.now)
                || ws
                    .catalog
                    .get(&e.playbook)
                    .is_some_and(|p| !crate::view::report::open_mandatory(p, e).is_empty())
        } else {
            statuses.contains(&e.status)
        };
        let mine = match (&me, role) {
            (None, _) => true,
            (Some(me), None) => e.roles_of(me).next().is_some(),
            (Some(me), Some(r)) => {
                let alias = ws
                    .catalog
                    .get(&e.playbook)
                    .and_then(|p| p.role(r))
                    .map(|r| r.alias.as_str());
                e.roles_of(me).any(|held| Some(held) == alias)
            }
        };
        status_ok && mine && (playbooks.is_empty() || playbooks.contains(&e.playbook))
    };
    let chosen: Vec<&Engagement> = engagements.iter().filter(keep).collect();
    let counting = counting(ctx, args)?;
    let scope = match (&me, role) {
        (None, _) => "all engagements".to_string(),
        (Some(me), None) => format!("engagements of {me}"),
        (Some(me), Some(r)) => format!("engagements where {me} is {r}"),
    };
    let cal = &ws.settings.calendar;
    let mut now = view::portfolio(
        &scope,
        &chosen,
        &ws.catalog,
        cal,
        ctx.now,
        ws.settings.at_risk,
        counting,
    );
    if let Some(c) = &args.compare {
        let then_at = past_date(ctx, "--compare", c)?;
        // The previous period is as long as this one and ends at the date.
        let earlier = crate::report::Counting {
            window: counting.window.map(|(from, to)| {
                let end = then_at.date();
                (end - (to - from), end)
            }),
            ..counting
        };
        let then = as_it_was(ws, &scope, &chosen, then_at, earlier);
        now.compare = Some(view::compare(&then, &now, then_at, &chosen));
    }
    Ok(now)
}

/// The portfolio as the engagements' own records show it at `then`: those
/// opened by then, with later records left out.
fn as_it_was(
    ws: &Workspace,
    scope: &str,
    chosen: &[&Engagement],
    then: When,
    counting: crate::report::Counting,
) -> Portfolio {
    let before: Vec<Engagement> = chosen
        .iter()
        .filter(|e| {
            e.opened()
                .is_none_or(|o| crate::engagement::happened_by(o, then))
        })
        .map(|e| e.as_of(then))
        .collect();
    let refs: Vec<&Engagement> = before.iter().collect();
    let cal = &ws.settings.calendar;
    view::portfolio(
        scope,
        &refs,
        &ws.catalog,
        cal,
        then,
        ws.settings.at_risk,
        counting,
    )
}

/// The view of each engagement of `rows`, for the timelines of the HTML report.
fn views(ctx: &Context, ws: &Workspace, rows: &[Row]) -> Result<Vec<View>> {
    rows.iter()
        .map(|r| {
            let e = ws.store.load(&r.id, &ws.catalog)?;
            let p = playbook_of(&ws.catalog, &e);
            Ok(crate::view::show::build(
                p,
                &e,
                &ws.settings.calendar,
                ctx.now,
            ))
        })
        .collect()
}

/// The line naming the time zone of the times of day a page shows, if any.
fn zone(ctx: &Context, times: bool) -> Option<String> {
    let tz = std::env::var("TZ").ok();
    times
        .then(|| crate::clock::zone_legend(ctx.now, tz.as_deref()))
        .flatten()
}

/// Does any open task of the engagement have a running SLA clock?
fn running_clock(ws: &Workspace, e: &Engagement, now: crate::time::When) -> bool {
    let Some(p) = ws.catalog.get(&e.playbook) else {
        return false;
    };
    p.tasks().any(|(_, t)| {
        crate::playbook::applies(&t.services, &e.services) && {
            let (status, clock) = crate::sla::task_status(t, e, &ws.settings.calendar, now);
            status.is_open() && clock.is_some_and(|c| c.due.is_some() && !c.planned)
        }
    })
}

fn details_text(details: &[Detail], format: Format, term: Term) -> String {
    match format {
        Format::Csv => {
            let rows: Vec<Row> = details.iter().map(|d| d.row.clone()).collect();
            render::report::rows_csv(&rows)
        }
        f => details
            .iter()
            .map(|d| render::report::detail(&d.row, &d.engagement, f, term))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}
