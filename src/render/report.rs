//! Laying out health-review reports: the portfolio (rows, summary, SLA
//! compliance) and the detail of an engagement, as terminal tables, Markdown
//! (with Mermaid charts) or CSV. JSON is the view model serialized.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::{Fit, Format, Grid, Layout, Term, Tone, layout, markdown, paint, show};
use crate::engagement::Health;
use crate::sla::{self, Status};
use crate::view::report::{Comparison, Portfolio, Row, STALE_DAYS, Summary, Trend};
use crate::view::show::{StageView, TaskView, View};
use crate::words;

const HEADERS: [&str; 17] = [
    "Engagement",
    "Customer",
    "Playbook",
    "Status",
    "Team",
    "Stage",
    "Mandatory",
    "Overdue",
    "Next due",
    "DIBS",
    "SSAT",
    "Health",
    "Blockers",
    "Last note",
    "Enablement",
    "Age",
    "On hold",
];

fn health_tone(h: Option<Health>) -> Tone {
    match h {
        Some(Health::Red) => Tone::Bad,
        Some(Health::Yellow) => Tone::Warn,
        Some(Health::Green) => Tone::Good,
        None => Tone::Dim,
    }
}

fn cells(r: &Row) -> Vec<(String, Tone)> {
    let overdue = if r.overdue.is_empty() {
        "-".to_string()
    } else {
        r.overdue.join(", ")
    };
    let next = r.next_due.as_ref().map_or("-".to_string(), |n| {
        format!("{} {}", n.item, sla::due_words(n.due))
    });
    let dibs = dibs_cell(r);
    let ssat = r
        .ssat
        .map_or("n/a".to_string(), |(d, t)| format!("{d}/{t}"));
    let health = match (r.health, r.trend) {
        (None, _) => "none".to_string(),
        (Some(h), Some(Trend::Improving)) => format!("{h} (improving)"),
        (Some(h), Some(Trend::Worsening)) => format!("{h} (worsening)"),
        (Some(h), _) => h.to_string(),
    };
    let note = r.days_since_note.map_or("never".to_string(), |d| match d {
        0 => "today".to_string(),
        d => format!("{} ago", days(d)),
    });
    let enablement = match r.enablement {
        None => "n/a",
        Some(true) => "complete",
        Some(false) => "not yet",
    };
    let team: Vec<String> = r.team.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let mandatory = match r.mandatory_percent {
        Some(p) => format!("{}/{} ({p}%)", r.mandatory_done, r.mandatory_total),
        None => "-".into(),
    };
    vec![
        (r.id.clone(), Tone::Strong),
        (r.customer.clone(), Tone::Plain),
        (r.playbook.clone(), Tone::Plain),
        (r.status.to_string(), Tone::Plain),
        (
            if team.is_empty() {
                "nobody".into()
            } else {
                team.join(", ")
            },
            Tone::Plain,
        ),
        (r.stage.clone().unwrap_or_else(|| "-".into()), Tone::Plain),
        (mandatory, Tone::Plain),
        (
            overdue,
            if r.overdue.is_empty() {
                Tone::Plain
            } else {
                Tone::Bad
            },
        ),
        (next, Tone::Plain),
        dibs,
        (ssat, Tone::Plain),
        (health, health_tone(r.health)),
        (
            r.open_blockers.to_string(),
            if r.open_blockers > 0 {
                Tone::Warn
            } else {
                Tone::Plain
            },
        ),
        (note, if r.stale { Tone::Warn } else { Tone::Plain }),
        (enablement.to_string(), Tone::Plain),
        (r.days_open.map_or("-".into(), days), Tone::Plain),
        (days(r.days_on_hold), Tone::Plain),
    ]
}

/// "1 day", "50 days".
fn days(n: i64) -> String {
    words::count(usize::try_from(n).unwrap_or(0), "day", "days")
}

fn dibs_cell(r: &Row) -> (String, Tone) {
    match &r.dibs_missing {
        None => ("n/a".to_string(), Tone::Dim),
        Some(m) if m.is_empty() && r.dibs_late => ("complete, late".to_string(), Tone::Warn),
        Some(m) if m.is_empty() => ("complete".to_string(), Tone::Good),
        Some(m) => (format!("missing {}", dibs_labels(m)), Tone::Bad),
    }
}

/// DIBS fields by the names people read ("Business reason").
fn dibs_labels(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| crate::playbook::dibs_label(k))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The portfolio rows as a grid: one row per engagement, a cell per column
/// (every format lays out these same cells).
pub(crate) fn rows_grid(rows: &[Row]) -> Grid {
    let mut g = rows_head();
    for r in rows {
        g.row(cells(r));
    }
    g
}

/// The grid of the portfolio rows before any row: its headers, and how
/// each column gives way.
fn rows_head() -> Grid {
    Grid::new(&HEADERS)
        .fit(1, Fit::Shorten(10))
        .fit(4, Fit::List(10))
        .fit(5, Fit::Shorten(10))
        .fit(7, Fit::List(10))
        .fit(9, Fit::Shorten(10))
}

/// On a narrow terminal the customer, SSAT, blockers, last note and
/// enablement give way first, then the stage and DIBS, then the next due.
fn rows_layout(rows: Grid) -> Layout {
    Layout::of(rows)
        .or_without(&[1, 2, 10, 12, 13, 14, 16])
        .or_without(&[1, 2, 4, 5, 9, 10, 12, 13, 14, 15, 16])
        .or_without(&[1, 2, 3, 4, 5, 8, 9, 10, 12, 13, 14, 15, 16])
}

/// One CSV line per engagement, under one header, for spreadsheets:
/// ISO dates and plain numbers in their own columns.
pub fn rows_csv(rows: &[Row]) -> String {
    let mut out = csv_head();
    for r in rows {
        csv_row(&mut out, r);
    }
    out
}

/// The header line of the CSV rows.
fn csv_head() -> String {
    let mut out = String::new();
    super::csv::line(&mut out, CSV_HEADERS);
    out
}

/// The CSV columns: ids, ISO dates and plain numbers.
const CSV_HEADERS: [&str; 25] = [
    "id",
    "customer",
    "playbook",
    "status",
    "team",
    "stage",
    "mandatory_done",
    "mandatory_total",
    "mandatory_percent",
    "overdue",
    "overdue_count",
    "next_due_item",
    "next_due",
    "dibs_missing",
    "dibs_late",
    "ssat_done",
    "ssat_total",
    "health",
    "health_on",
    "trend",
    "open_blockers",
    "days_since_note",
    "days_open",
    "days_on_hold",
    "enablement",
];

/// The CSV line of one row, added to `out`.
fn csv_row(out: &mut String, r: &Row) {
    let opt = |v: Option<String>| v.unwrap_or_default();
    let team: Vec<String> = r.team.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let cells = [
        r.id.clone(),
        r.customer.clone(),
        r.playbook.clone(),
        r.status.to_string(),
        team.join("; "),
        opt(r.stage.clone()),
        r.mandatory_done.to_string(),
        r.mandatory_total.to_string(),
        opt(r.mandatory_percent.map(|p| p.to_string())),
        r.overdue.join("; "),
        r.overdue.len().to_string(),
        opt(r.next_due.as_ref().map(|n| n.item.clone())),
        opt(r.next_due.as_ref().map(|n| n.due.to_string())),
        opt(r.dibs_missing.as_ref().map(|m| m.join("; "))),
        r.dibs_late.to_string(),
        opt(r.ssat.map(|s| s.0.to_string())),
        opt(r.ssat.map(|s| s.1.to_string())),
        opt(r.health.map(|h| h.to_string())),
        opt(r.health_on.map(|d| d.to_string())),
        opt(r.trend.map(|t| format!("{t:?}").to_lowercase())),
        r.open_blockers.to_string(),
        opt(r.days_since_note.map(|d| d.to_string())),
        opt(r.days_open.map(|d| d.to_string())),
        r.days_on_hold.to_string(),
        opt(r.enablement.map(|e| e.to_string())),
    ];
    super::csv::line(out, cells);
}

/// SLA compliance as a grid: one row per task and target.
pub(crate) fn sla_grid(s: &Summary) -> Grid {
    let by_person = s.sla.iter().any(|l| l.person.is_some());
    let mut headers = vec!["Task", "Name", "Target"];
    if by_person {
        headers.push("Person");
    }
    headers.extend([
        "On time", "Late", "Overdue", "Open", "Met", "Mean", "Median",
    ]);
    let mut g = Grid::new(&headers)
        .fit(1, Fit::Shorten(12))
        .fit(2, Fit::Wrap(14));
    for l in &s.sla {
        let bad = |n: usize| if n > 0 { Tone::Bad } else { Tone::Plain };
        let mut row = vec![
            (l.task.clone(), Tone::Plain),
            (l.name.clone(), Tone::Plain),
            (l.target.clone(), Tone::Plain),
        ];
        if by_person {
            row.push((l.person.clone().unwrap_or_default(), Tone::Plain));
        }
        row.extend([
            (l.on_time.to_string(), Tone::Good),
            (l.late.to_string(), bad(l.late)),
            (l.overdue.to_string(), bad(l.overdue)),
            (l.open.to_string(), Tone::Plain),
            (
                l.met_percent.map_or("-".into(), |p| format!("{p}%")),
                Tone::Plain,
            ),
            (l.mean_words().unwrap_or_else(|| "-".into()), Tone::Plain),
            (l.median_words().unwrap_or_else(|| "-".into()), Tone::Plain),
        ]);
        g.row(row);
    }
    g
}

/// The team goals: target, actual, met or missed; with `--by person`, each
/// goal's team line ("team") then a line per person.
pub(crate) fn goals_grid(s: &Summary) -> Grid {
    let by_person = s.goals.iter().any(|l| l.person.is_some());
    let mut headers = vec!["Goal"];
    if by_person {
        headers.push("Person");
    }
    headers.extend(["Target", "Actual", "Over", "Result"]);
    let mut g = Grid::new(&headers).fit(0, Fit::Wrap(16));
    for l in &s.goals {
        let tone = match l.result {
            "met" => Tone::Good,
            "missed" => Tone::Bad,
            _ => Tone::Dim,
        };
        let mut row = vec![(l.name.clone(), Tone::Plain)];
        if by_person {
            let who = l.person.clone().unwrap_or_else(|| "team".into());
            row.push((who, Tone::Plain));
        }
        row.extend([
            (l.target.clone(), Tone::Plain),
            (l.actual.clone().unwrap_or_else(|| "-".into()), Tone::Plain),
            (l.count.to_string(), Tone::Plain),
            (l.result.to_string(), tone),
        ]);
        g.row(row);
    }
    g
}

fn list_or_none(ids: &[String]) -> String {
    if ids.is_empty() {
        "none".to_string()
    } else {
        ids.join(", ")
    }
}

/// The summary, one line per finding.
pub(crate) fn summary_lines(s: &Summary) -> Vec<String> {
    let h = &s.health;
    vec![
        format!(
            "Engagements: {} (health: {} green, {} yellow, {} red, {} not rated)",
            s.engagements, h.green, h.yellow, h.red, h.unknown
        ),
        format!("Missing DIBS: {}", list_or_none(&s.missing_dibs)),
        format!(
            "Overdue mandatory tasks: {}",
            list_or_none(&s.overdue_mandatory)
        ),
        format!("Work at risk: {}", list_or_none(&s.at_risk)),
        format!("Running clocks nobody holds: {}", list_or_none(&s.unfilled)),
        format!(
            "Teams without a role the playbook expects: {}",
            list_or_none(&s.short)
        ),
        format!(
            "Measured by the role guides: {}",
            if s.measures.is_empty() {
                "none".to_string()
            } else {
                s.measures.join("; ")
            }
        ),
        format!(
            "Closed with mandatory tasks open: {}",
            list_or_none(&s.closed_open)
        ),
        format!(
            "Mandatory tasks skipped with --force: {}",
            list_or_none(&s.forced_skips)
        ),
        format!(
            "No health update or note in {} days: {}",
            STALE_DAYS,
            list_or_none(&s.stale)
        ),
        format!("Open blockers: {}", s.open_blockers),
    ]
}

/// A portfolio as a terminal table, Markdown or CSV.
pub fn portfolio(p: &Portfolio, format: Format, term: Term) -> String {
    let mut text = PortfolioText::begin(format, term, p);
    for r in &p.rows {
        text.row(r);
    }
    text.finish(p)
}

/// A portfolio as a terminal table, Markdown or CSV, made a row at a time:
/// [`PortfolioText::begin`] with the heading, a [`PortfolioText::row`]
/// each, then [`PortfolioText::finish`] with the summary, in the text of
/// [`portfolio`]. CSV and Markdown keep each row as its line of text; a
/// terminal table keeps its cells, as its columns are as wide as their
/// widest value.
pub struct PortfolioText {
    format: Format,
    term: Term,
    /// The text so far.
    out: String,
    /// For a terminal table, the cells of the rows so far.
    cells: Grid,
}

impl PortfolioText {
    /// The text before the rows, from `head` (whose rows are not written).
    pub fn begin(format: Format, term: Term, head: &Portfolio) -> Self {
        let out = match format {
            Format::Csv => csv_head(),
            Format::Markdown => {
                let mut out = markdown::heading(1, &format!("Health review: {}", head.scope));
                let as_of = format!("{}{}", head.as_of, period(head));
                let _ = write!(out, "_As of {}._\n\n", markdown::text(&as_of));
                out.push_str(&markdown::heading(2, "Portfolio"));
                out.push_str(&markdown::table_head(&HEADERS));
                out
            }
            _ => format!(
                "{} {} on {}{}\n",
                paint("Health review:", Tone::Strong, term.color),
                crate::escape::terminal(&head.scope),
                crate::escape::terminal(&head.as_of),
                period(head)
            ),
        };
        PortfolioText {
            format,
            term,
            out,
            cells: rows_head(),
        }
    }

    pub fn row(&mut self, r: &Row) {
        match self.format {
            Format::Csv => csv_row(&mut self.out, r),
            Format::Markdown => markdown::table_row(&mut self.out, cells(r).iter().map(|c| &c.0)),
            _ => self.cells.row(cells(r)),
        }
    }

    /// The text after the rows, from `p`: the whole text.
    pub fn finish(self, p: &Portfolio) -> String {
        let mut out = self.out;
        match self.format {
            Format::Csv => {}
            Format::Markdown => markdown_summary(&mut out, p),
            _ => {
                let rows = rows_layout(self.cells).render(self.term.width, self.term.color);
                out.push_str(&rows);
                out.push('\n');
                table_summary(&mut out, p, self.term);
            }
        }
        out
    }
}

/// `--format json` of a portfolio whose rows are written as they are made:
/// [`PortfolioJson::begin`] with the heading, a [`PortfolioJson::row`]
/// each, then [`PortfolioJson::finish`] with the summary, in the bytes of
/// [`super::json`] of the whole portfolio.
pub struct PortfolioJson<W: std::io::Write>(super::JsonObject<W>);

impl<W: std::io::Write> PortfolioJson<W> {
    /// The fields before the rows, from `head` (whose rows are not written).
    pub fn begin(out: W, head: &Portfolio) -> std::io::Result<Self> {
        let mut o = super::JsonObject::new(out);
        o.field("schema_version", &head.schema_version)?;
        o.field("today", &head.today)?;
        o.field("scope", &head.scope)?;
        if let Some(period) = &head.period {
            o.field("period", period)?;
        }
        o.begin_array("rows")?;
        Ok(PortfolioJson(o))
    }

    pub fn row(&mut self, row: &Row) -> std::io::Result<()> {
        self.0.element(row)
    }

    /// The fields after the rows, from `p`; gives back the writer.
    pub fn finish(mut self, p: &Portfolio) -> std::io::Result<W> {
        self.0.end_array()?;
        self.0.field("summary", &p.summary)?;
        if let Some(c) = &p.compare {
            self.0.field("compare", c)?;
        }
        self.0.finish()
    }
}

/// The period the SLA figures count, after the date: ", from 2026-11-16
/// to 2026-11-23"; empty without `--since`.
pub(crate) fn period(p: &Portfolio) -> String {
    p.period
        .map(|(from, to)| format!(", from {from} to {to}"))
        .unwrap_or_default()
}

/// The summary, SLA compliance, team goals and comparison under a
/// portfolio's terminal table, added to `out`.
fn table_summary(out: &mut String, p: &Portfolio, term: Term) {
    for line in summary_lines(&p.summary) {
        let line = crate::escape::terminal(&line);
        match term.width {
            // Lists of ids wrap between ids, continued on indented lines.
            Some(w) => {
                for (i, part) in layout::wrap(&line, w - 2).iter().enumerate() {
                    out.push_str(if i == 0 { "" } else { "  " });
                    out.push_str(part);
                    out.push('\n');
                }
            }
            None => out.push_str(&format!("{line}\n")),
        }
    }
    if !p.summary.sla.is_empty() {
        out.push_str(&format!(
            "\n{}\n",
            paint("SLA compliance", Tone::Strong, term.color)
        ));
        let sla = sla_grid(&p.summary);
        let cols = sla.headers.len();
        out.push_str(
            &Layout::of(sla)
                .or_without(&[1])
                .or_without(&[1, cols - 2, cols - 1])
                .render(term.width, term.color),
        );
    }
    if !p.summary.goals.is_empty() {
        out.push_str(&format!(
            "\n{}\n",
            paint("Team goals", Tone::Strong, term.color)
        ));
        out.push_str(&Layout::of(goals_grid(&p.summary)).render(term.width, term.color));
    }
    if let Some(c) = &p.compare {
        out.push_str(&comparison_table(c, term));
    }
}

/// "Since 2026-11-16", and with a period the one the earlier figures
/// count: "Since 2026-11-16 (then from 2026-11-09 to 2026-11-16)".
pub(crate) fn since_title(c: &Comparison) -> String {
    match c.period {
        Some((from, to)) => format!("Since {} (then from {from} to {to})", c.since),
        None => format!("Since {}", c.since),
    }
}

/// "Since DATE": each figure then and now, then each engagement's changes.
fn comparison_table(c: &Comparison, term: Term) -> String {
    let title = since_title(c);
    let mut out = format!("\n{}\n", paint(&title, Tone::Strong, term.color));
    out.push_str(&Layout::of(figures_grid(c)).render(term.width, term.color));
    let width = term.width.unwrap_or(usize::MAX).saturating_sub(2);
    for ch in &c.changes {
        let line = format!("{}: {}", ch.engagement, ch.items.join("; "));
        out.push_str(&layout::wrap(&crate::escape::terminal(&line), width).join("\n  "));
        out.push('\n');
    }
    out
}

/// Each figure then and now, with an arrow coloured by whether it is better.
pub(crate) fn figures_grid(c: &Comparison) -> Grid {
    let mut g = Grid::new(&["Figure", "Then", "Now", ""]).fit(0, Fit::Wrap(20));
    for f in &c.figures {
        let arrow = match f.trend {
            "up" => "↑",
            "down" => "↓",
            "same" => "=",
            _ => "-",
        };
        let tone = match f.better {
            Some(true) => Tone::Good,
            Some(false) => Tone::Bad,
            None => Tone::Plain,
        };
        g.row(vec![
            (f.name.clone(), Tone::Plain),
            (f.then.clone(), Tone::Plain),
            (f.now.clone(), Tone::Plain),
            (arrow.to_string(), tone),
        ]);
    }
    g
}

/// The health chart, summary, SLA compliance, team goals and comparison
/// under a portfolio's Markdown table, added to `out`.
fn markdown_summary(out: &mut String, p: &Portfolio) {
    out.push_str(&health_pie(p));
    out.push('\n');
    out.push_str(&markdown::heading(2, "Summary"));
    for line in summary_lines(&p.summary) {
        out.push_str(&markdown::item(&line));
    }
    if !p.summary.sla.is_empty() {
        out.push('\n');
        out.push_str(&markdown::heading(2, "SLA compliance"));
        out.push_str(&sla_grid(&p.summary).markdown());
    }
    if !p.summary.goals.is_empty() {
        out.push('\n');
        out.push_str(&markdown::heading(2, "Team goals"));
        out.push_str(&goals_grid(&p.summary).markdown());
    }
    if let Some(c) = &p.compare {
        out.push('\n');
        out.push_str(&markdown::heading(2, &since_title(c)));
        out.push_str(&figures_grid(c).markdown());
        out.push('\n');
        for ch in &c.changes {
            out.push_str(&markdown::item(&format!(
                "{}: {}",
                ch.engagement,
                ch.items.join("; ")
            )));
        }
    }
}

/// A Mermaid pie of the engagements by health, after a blank line; empty
/// when there are none.
fn health_pie(p: &Portfolio) -> String {
    let h = &p.summary.health;
    let slices: Vec<(&str, usize)> = [
        ("green", h.green),
        ("yellow", h.yellow),
        ("red", h.red),
        ("not rated", h.unknown),
    ]
    .into_iter()
    .filter(|(_, n)| *n > 0)
    .collect();
    if slices.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n```mermaid\npie title Health\n");
    for (name, n) in slices {
        let _ = writeln!(out, "    \"{name}\" : {n}");
    }
    out.push_str("```\n");
    out
}

/// A Mermaid label, in full: Markdown has no width to fit.
fn label(text: &str) -> String {
    markdown::mermaid(text)
}

/// A Mermaid gantt of the stages and tasks: done, late, overdue, upcoming.
pub fn gantt(v: &View) -> String {
    let opened = opened_on(v);
    let mut out = String::from("```mermaid\ngantt\n");
    let _ = writeln!(
        out,
        "    title {}",
        label(&format!("{} {}", v.id, v.customer))
    );
    out.push_str("    dateFormat YYYY-MM-DD\n    axisFormat %d %b\n");
    let mut n = 0;
    for s in &v.stages {
        let section = gantt_section(s, opened, &mut n);
        if !section.is_empty() {
            let _ = writeln!(out, "    section {}", label(&s.name));
            out.push_str(&section);
        }
    }
    let recorded: Vec<_> = v
        .milestones
        .iter()
        .filter_map(|m| m.date.map(|on| (m, on)))
        .collect();
    if !recorded.is_empty() {
        out.push_str("    section Milestones\n");
        for (i, (m, on)) in recorded.iter().enumerate() {
            let _ = writeln!(
                out,
                "    {} :milestone, m{}, {}, 0d",
                label(&m.name),
                i + 1,
                day(*on)
            );
        }
    }
    out.push_str("```\n");
    out
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The gantt bars of one stage's tasks that have a start and an end; `n`
/// numbers the bars across stages.
fn gantt_section(s: &StageView, opened: Option<NaiveDate>, n: &mut usize) -> String {
    let mut section = String::new();
    for t in s.tasks.iter().filter(|t| t.applies) {
        let Some((tags, start, end)) = bar(t, opened) else {
            continue;
        };
        let span = if end > start {
            day(end)
        } else {
            "1d".to_string()
        };
        *n += 1;
        let _ = writeln!(
            section,
            "    {} {} :{tags}t{n}, {}, {span}",
            markdown::mermaid(&t.id),
            label(&t.name),
            day(start)
        );
    }
    section
}

/// The day the engagement opened, where bars without a clock start.
pub(crate) fn opened_on(v: &View) -> Option<NaiveDate> {
    v.milestones
        .iter()
        .find(|m| m.id == "opened")
        .and_then(|m| m.date)
}

/// What a task's bar on a timeline shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BarKind {
    Done,
    DoneLate,
    Overdue,
    DueSoon,
    Upcoming,
}

/// A task's bar: what it shows, its first day (the SLA clock's start, else
/// the engagement's opening) and last day (done, else due). `None` for a
/// task without both, or skipped, waiting or not applying.
pub(crate) fn task_bar(
    t: &TaskView,
    opened: Option<NaiveDate>,
) -> Option<(BarKind, NaiveDate, NaiveDate)> {
    let due = t.due.map(|d| d.date());
    let (kind, end) = match &t.status {
        Status::DoneOnTime { .. } | Status::Done { .. } => (BarKind::Done, t.done_on),
        Status::DoneLate { .. } => (BarKind::DoneLate, t.done_on),
        Status::Overdue { .. } => (BarKind::Overdue, due),
        Status::DueSoon => (BarKind::DueSoon, due),
        Status::Upcoming => (BarKind::Upcoming, due),
        _ => return None,
    };
    Some((kind, t.started_on.or(opened)?, end?))
}

/// A task's Mermaid bar: its tags, first day and last day.
fn bar(t: &TaskView, opened: Option<NaiveDate>) -> Option<(&'static str, NaiveDate, NaiveDate)> {
    let (kind, start, end) = task_bar(t, opened)?;
    let tags = match kind {
        BarKind::Done => "done, ",
        BarKind::DoneLate => "done, crit, ",
        BarKind::Overdue => "crit, ",
        BarKind::DueSoon => "active, ",
        BarKind::Upcoming => "",
    };
    Some((tags, start, end))
}

/// One engagement in detail: its row, then (in Markdown) a gantt chart, then
/// its full view. CSV is the row alone.
pub fn detail(row: &Row, view: &View, format: Format, term: Term) -> String {
    let row_grid = rows_grid(std::slice::from_ref(row));
    match format {
        Format::Csv => row_grid.csv(),
        Format::Markdown => {
            let mut out = show::title(view, format, Term::PIPE);
            out.push_str(&row_grid.markdown());
            out.push('\n');
            out.push_str(&gantt(view));
            out.push('\n');
            out.push_str(&show::body(view, format, Term::PIPE));
            out
        }
        _ => {
            let mut out = rows_layout(row_grid).render(term.width, term.color);
            out.push('\n');
            out.push_str(&show::render(view, format, term));
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Calendar;
    use crate::engagement::{TaskRecord, TaskState};
    use crate::time::When;

    fn w(s: &str) -> When {
        s.parse().unwrap()
    }

    fn done(on: &str) -> TaskRecord {
        TaskRecord {
            state: Some(TaskState::Done(w(on))),
            note: None,
        }
    }

    #[test]
    fn gantt_bars_run_from_the_clock_start_to_done_or_due_by_date() {
        let p = crate::playbook::builtin::all().remove(1);
        let mut e = crate::engagement::tests::engagement(&p.id);
        e.customer = "Evil: #1\n```".into();
        e.milestones.insert("opened".into(), w("2026-11-16"));
        // An instant late on the 20th in UTC+14 is still the 20th: bars use
        // each time's own date, compared as dates.
        e.milestones
            .insert("assigned".into(), w("2026-11-20T23:30:00+14:00"));
        e.tasks.insert("pm-intro".into(), done("2026-11-20"));
        let v = crate::view::show::build(&p, &e, &Calendar::default(), w("2026-11-23"));
        let chart = gantt(&v);
        assert!(
            chart.starts_with("```mermaid\ngantt\n    title test Evil 1\n"),
            "{chart}"
        );
        assert!(
            chart.contains("    pm-intro Send the Primary Project Engineer introduction email to the customer :done, t1, 2026-11-20, 1d\n"),
            "done the day the clock started: one day\n{chart}"
        );
        assert!(
            chart.contains(" :active, t2, 2026-11-20, 2026-11-24\n"),
            "customer contact: 2 business days after the introduction\n{chart}"
        );
        assert!(
            chart.ends_with("    section Milestones\n    opening :milestone, m1, 2026-11-16, 0d\n    self-assignment :milestone, m2, 2026-11-20, 0d\n```\n"),
            "{chart}"
        );
    }

    /// `--format json` written a row at a time, as the command does it.
    fn streamed(p: &Portfolio) -> String {
        let head = Portfolio {
            rows: Vec::new(),
            ..p.clone()
        };
        let mut out = PortfolioJson::begin(Vec::new(), &head).unwrap();
        for r in &p.rows {
            out.row(r).unwrap();
        }
        String::from_utf8(out.finish(&head).unwrap()).unwrap()
    }

    #[test]
    fn portfolio_json_written_a_row_at_a_time_is_the_whole_portfolio() {
        for p in demo_portfolios() {
            assert_eq!(streamed(&p), crate::render::json(&p));
        }
    }

    /// The text formats written a row at a time from a heading without
    /// rows, as the command does it, give the text of the whole portfolio;
    /// CSV and Markdown keep no cells, only their lines.
    #[test]
    fn portfolio_text_written_a_row_at_a_time_is_the_whole_portfolio() {
        let wide = Term {
            color: true,
            width: Some(200),
        };
        let narrow = Term {
            color: false,
            width: Some(60),
        };
        for p in demo_portfolios() {
            let head = Portfolio {
                rows: Vec::new(),
                ..p.clone()
            };
            for (format, term) in [
                (Format::Table, Term::PIPE),
                (Format::Table, wide),
                (Format::Table, narrow),
                (Format::Markdown, Term::PIPE),
                (Format::Csv, Term::PIPE),
            ] {
                let mut text = PortfolioText::begin(format, term, &head);
                for r in &p.rows {
                    text.row(r);
                    let kept = text.cells.rows.len();
                    assert_eq!(kept > 0, format == Format::Table, "{format:?}");
                }
                let whole = text.finish(&p);
                let ids = p.rows.iter().filter(|r| whole.contains(&r.id)).count();
                assert_eq!(ids, p.rows.len(), "{format:?}: {whole}");
                assert_eq!(whole, portfolio(&p, format, term), "{format:?}");
            }
        }
    }

    /// The demo engagements' portfolio, an empty one, and one compared
    /// with an earlier date over a period.
    fn demo_portfolios() -> Vec<Portfolio> {
        let mut catalog = crate::playbook::Catalog::default();
        for p in crate::playbook::builtin::all() {
            catalog.insert(p);
        }
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let engagements: Vec<_> = crate::demo::ENGAGEMENTS
            .iter()
            .filter_map(|(id, template)| {
                let text = crate::demo::expand(template, today);
                let path = std::path::PathBuf::from(format!("engagements/{id}.toml"));
                crate::engagement::load::parse(&path, id, &text, &catalog).engagement
            })
            .collect();
        assert_eq!(engagements.len(), crate::demo::ENGAGEMENTS.len());
        let refs: Vec<_> = engagements.iter().collect();
        let now = When::Date(today);
        let cal = Calendar::default();
        let portfolio = |refs: &[&crate::engagement::Engagement], counting| {
            crate::view::report::portfolio(
                "all engagements",
                refs,
                &catalog,
                &cal,
                now,
                0.8,
                counting,
            )
        };
        let counting = crate::report::Counting::default();
        let period = crate::report::Counting {
            by: crate::report::By::Person,
            window: Some((today - chrono::Days::new(30), today)),
        };
        let mut compared = portfolio(&refs, period);
        let then = compared.clone();
        let changes = vec![crate::view::report::Changes {
            engagement: "contoso-teams".into(),
            items: vec!["done x".into()],
        }];
        compared.compare = Some(crate::view::report::compare(&then, &compared, now, changes));
        vec![
            portfolio(&refs, counting),
            portfolio(&[], counting),
            compared,
        ]
    }
}
