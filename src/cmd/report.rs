//! `ft report`: the health-review report.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use super::{playbook_of, split_list};
use crate::Context;
use crate::engagement::store::write_atomic;
use crate::engagement::{Engagement, Status, Summary};
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
    if args.ids.is_empty() {
        return portfolio_report(ctx, &ws, &args, term);
    }
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
    let times = details.iter().any(|d| d.engagement.shows_times());
    let text = match ctx.format {
        Format::Html => {
            // The page says when it was made ("As of ...").
            let at = times || matches!(ctx.now, When::At(_));
            render::html::details(&details, ctx.now, zone(ctx, at).as_deref())
        }
        Format::Json => json(&view::Details::new(&details, ctx.now)),
        f => details_text(&details, f, term),
    };
    emit(ctx, args.output.as_deref(), text, times)?;
    Ok(0)
}

/// The portfolio of the engagements the options choose, in the format asked.
fn portfolio_report(ctx: &Context, ws: &Workspace, args: &Args, term: Term) -> Result<i32> {
    let choice = Choice::new(ctx, args)?;
    let mut report = Report::new(ctx, ws, args, &choice)?;
    let wants = |s: &Summary| choice.wants(ws, s);
    if ctx.format == Format::Json {
        // Written a row at a time, each engagement as the workspace gives
        // it: they are never all in memory at once.
        // JSON never has the line naming the time zone (see `Context::zone_line`).
        match &args.output {
            Some(path) => {
                let bytes = report.json(ctx, ws, &wants, Vec::new())?;
                let text = String::from_utf8(bytes).expect("JSON is UTF-8");
                emit(ctx, Some(path), text, false)?;
            }
            None => {
                let out = std::io::BufWriter::new(std::io::stdout().lock());
                report.json(ctx, ws, &wants, out)?.flush()?;
            }
        }
        return Ok(0);
    }
    if ctx.format == Format::Html {
        return html_report(ctx, ws, args, report, &wants);
    }
    // The text formats lay out each row as it is made (a table keeps only
    // its cells).
    let mut text = render::report::PortfolioText::begin(ctx.format, term, report.now.head());
    report.each_row(ctx, ws, &wants, &mut |row| {
        text.row(&row);
        Ok(())
    })?;
    let times = report.times;
    let portfolio = report.finish();
    if portfolio.summary.engagements == 0
        && ctx.format == Format::Table
        && !args.all
        && holds_no_role(ctx, ws)?
    {
        return Ok(0);
    }
    emit(ctx, args.output.as_deref(), text.finish(&portfolio), times)?;
    Ok(0)
}

/// The portfolio as an HTML page, which keeps every row: each has a
/// timeline drawn from its engagement's view.
fn html_report(
    ctx: &Context,
    ws: &Workspace,
    args: &Args,
    mut report: Report<'_>,
    wants: &Wants,
) -> Result<i32> {
    let mut rows = Vec::new();
    report.each_row(ctx, ws, wants, &mut |row| {
        rows.push(row);
        Ok(())
    })?;
    let times = report.times;
    let portfolio = Portfolio {
        rows,
        ..report.finish()
    };
    let views = views(ctx, ws, &portfolio.rows)?;
    let page = render::html::portfolio(&portfolio, &views, ctx.now, zone(ctx, times).as_deref());
    emit(ctx, args.output.as_deref(), page, times)?;
    Ok(0)
}

/// Say so when I hold no role in any engagement of the workspace (and
/// there is one), rather than print an empty report.
fn holds_no_role(ctx: &Context, ws: &Workspace) -> Result<bool> {
    let (all, _) = ctx.engagements_where(ws, &|_| false)?;
    let me = ctx.me_opt().unwrap_or_default();
    if all.is_empty() || all.iter().any(|s| s.roles_of(me).next().is_some()) {
        return Ok(false);
    }
    let total = match all.len() {
        1 => "the 1 engagement; `--all` reports on it".to_string(),
        n => format!("any of the {n} engagements; `--all` reports on all of them"),
    };
    ctx.say(&format!("{} holds no role in {total}", ctx.me()?))?;
    Ok(true)
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

/// Which engagements the options choose.
struct Choice {
    statuses: Vec<Status>,
    playbooks: Vec<String>,
    /// Whose engagements: nobody's in particular with `--all` and no `--role`.
    me: Option<String>,
    role: Option<String>,
}

impl Choice {
    fn new(ctx: &Context, args: &Args) -> Result<Choice> {
        let statuses = split_list(&args.status)
            .iter()
            .map(|s| s.parse::<Status>().map_err(user))
            .collect::<Result<_>>()?;
        let me = if args.all && args.role.is_none() {
            None
        } else {
            Some(ctx.me()?.to_string())
        };
        Ok(Choice {
            statuses,
            playbooks: split_list(&args.playbook),
            me,
            role: args.role.clone(),
        })
    }

    fn scope(&self) -> String {
        match (&self.me, &self.role) {
            (None, _) => "all engagements".to_string(),
            (Some(me), None) => format!("engagements of {me}"),
            (Some(me), Some(r)) => format!("engagements where {me} is {r}"),
        }
    }

    /// Whether `held`, the roles I hold on an engagement following
    /// `playbook`, make it one of mine as the options mean it.
    fn mine<'r>(
        &self,
        ws: &Workspace,
        playbook: &str,
        mut held: impl Iterator<Item = &'r str>,
    ) -> bool {
        match (&self.me, &self.role) {
            (None, _) => true,
            (Some(_), None) => held.next().is_some(),
            (Some(_), Some(r)) => {
                let alias = ws
                    .catalog
                    .get(playbook)
                    .and_then(|p| p.role(r))
                    .map(|r| r.alias.as_str());
                held.any(|h| Some(h) == alias)
            }
        }
    }

    /// Whether the engagement may be chosen, as far as its summary tells:
    /// by default a closed engagement may stay (see [`Choice::keeps`]).
    fn wants(&self, ws: &Workspace, s: &Summary) -> bool {
        let me = self.me.as_deref().unwrap_or_default();
        (self.statuses.is_empty() || self.statuses.contains(&s.status))
            && (self.playbooks.is_empty() || self.playbooks.contains(&s.playbook))
            && self.mine(ws, &s.playbook, s.roles_of(me))
    }

    fn keeps(&self, ws: &Workspace, e: &Engagement, now: When) -> bool {
        // A closed engagement stays while any of its SLA clocks runs
        // (the closing report, product feedback).
        let status_ok = if self.statuses.is_empty() {
            e.status != Status::Closed
                || running_clock(ws, e, now)
                || ws
                    .catalog
                    .get(&e.playbook)
                    .is_some_and(|p| !crate::view::report::open_mandatory(p, e).is_empty())
        } else {
            self.statuses.contains(&e.status)
        };
        let me = self.me.as_deref().unwrap_or_default();
        status_ok
            && self.mine(ws, &e.playbook, e.roles_of(me))
            && (self.playbooks.is_empty() || self.playbooks.contains(&e.playbook))
    }
}

/// The portfolio of the engagements the options choose, made one
/// engagement at a time, and with `--compare` the same figures as the
/// engagements' own records show them at that date.
struct Report<'a> {
    ws: &'a Workspace,
    choice: &'a Choice,
    at: When,
    now: view::Builder<'a>,
    /// With `--compare`: its date, the portfolio as it was then, and each
    /// engagement's changes since.
    then: Option<(When, view::Builder<'a>, Vec<view::Changes>)>,
    /// The heading's "on ..." is a time of day: no `--today` pins a date,
    /// or a row's next due item is due at a time.
    times: bool,
}

impl<'a> Report<'a> {
    fn new(
        ctx: &Context,
        ws: &'a Workspace,
        args: &Args,
        choice: &'a Choice,
    ) -> Result<Report<'a>> {
        let counting = counting(ctx, args)?;
        let scope = choice.scope();
        let cal = &ws.settings.calendar;
        let at_risk = ws.settings.at_risk;
        let builder = |at, c| view::Builder::new(&scope, &ws.catalog, cal, at, at_risk, c);
        let then = match &args.compare {
            None => None,
            Some(c) => {
                let then_at = past_date(ctx, "--compare", c)?;
                // The previous period is as long as this one and ends at the date.
                let earlier = crate::report::Counting {
                    window: counting.window.map(|(from, to)| {
                        let end = then_at.date();
                        (end - (to - from), end)
                    }),
                    ..counting
                };
                Some((then_at, builder(then_at, earlier), Vec::new()))
            }
        };
        Ok(Report {
            ws,
            at: ctx.now,
            now: builder(ctx.now, counting),
            then,
            times: matches!(ctx.now, When::At(_)),
            choice,
        })
    }

    /// The row of one engagement, when the options choose it (and its
    /// playbook is known), counted in the summaries now and then.
    fn add(&mut self, e: &Engagement) -> Option<Row> {
        if !self.choice.keeps(self.ws, e, self.at) {
            return None;
        }
        let row = self.now.add(e);
        if let Some((then_at, then, changes)) = &mut self.then {
            // Those opened by then, with later records left out.
            let opened = e
                .opened()
                .is_none_or(|o| crate::engagement::happened_by(o, *then_at));
            let before = if opened {
                then.add(&e.as_of(*then_at))
            } else {
                None
            };
            if let Some(after) = &row {
                changes.extend(view::changes(e, before.as_ref(), after, *then_at));
            }
        }
        let row = row?;
        self.times |= row
            .next_due
            .as_ref()
            .is_some_and(|n| matches!(n.due, Due::At(_)));
        Some(row)
    }

    /// Give `each` the row of every chosen engagement, in the workspace's
    /// order, each engagement dropped once its row is made.
    fn each_row(
        &mut self,
        ctx: &Context,
        ws: &Workspace,
        wants: &Wants,
        each: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<()> {
        ctx.engagements_each(ws, wants, &mut |e| match self.add(&e) {
            Some(row) => each(row),
            None => Ok(()),
        })?;
        Ok(())
    }

    /// The portfolio without its rows: the heading, the summary and the comparison.
    fn finish(self) -> Portfolio {
        let mut p = self.now.finish();
        if let Some((then_at, then, changes)) = self.then {
            p.compare = Some(view::compare(&then.finish(), &p, then_at, changes));
        }
        p
    }

    /// The portfolio as JSON to `out`, each row written as it is made.
    fn json<W: Write>(mut self, ctx: &Context, ws: &Workspace, wants: &Wants, out: W) -> Result<W> {
        let mut w = render::report::PortfolioJson::begin(out, self.now.head())?;
        self.each_row(ctx, ws, wants, &mut |row| Ok(w.row(&row)?))?;
        Ok(w.finish(&self.finish())?)
    }
}

/// Which engagements to decode, by their summary. `Sync`: the workspace may
/// ask about several files at once.
type Wants<'a> = dyn Fn(&Summary) -> bool + Sync + 'a;

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
