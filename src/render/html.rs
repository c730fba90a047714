//! The HTML writer and the HTML health review (`ft report --format html`):
//! one self-contained page (inline CSS and SVG, no script, nothing fetched)
//! that also prints to PDF, each engagement on a page of its own.
//!
//! Every piece of text from a file reaches the page through [`text`]
//! ([`escape::html`]), in elements and quoted attributes alike. The page
//! also carries a Content-Security-Policy that allows no script and no
//! network, should anything ever slip through.
//!
//! The page is a list of sections, one function per part of the view model
//! (the portfolio table, health, summary, SLA compliance, timelines; in
//! detail the row, timeline, facts and each of `ft show`'s sections), so a
//! new part is a new function in a list. Tables are the same [`Grid`]s the
//! other formats lay out, so a new column shows here too.

mod chart;

use std::fmt::Write as _;

use super::report::{figures_grid, goals_grid, rows_grid, since_title, sla_grid, summary_lines};
use super::{Grid, Tone, show};
use crate::escape;
use crate::time::When;
use crate::view::report::{Detail, Portfolio};
use crate::view::show::View;

/// Escaped text, for an element or a quoted attribute value.
pub fn text(s: &str) -> String {
    escape::html(s)
}

fn tone_class(tone: Tone) -> Option<&'static str> {
    match tone {
        Tone::Plain => None,
        Tone::Bad => Some("bad"),
        Tone::Warn => Some("warn"),
        Tone::Good => Some("good"),
        Tone::Dim => Some("dim"),
        Tone::Strong => Some("strong"),
    }
}

/// A grid as a table: the header row, then a row per grid row, each cell
/// classed by its tone (bad cells bold, warnings italic, so the tone shows
/// in grey too).
pub fn grid(g: &Grid) -> String {
    let mut out = String::from("<div class=\"wide\"><table>\n<thead><tr>");
    for h in &g.headers {
        let _ = write!(out, "<th scope=\"col\">{}</th>", text(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &g.rows {
        out.push_str("<tr>");
        for (cell, tone) in row {
            let _ = match tone_class(*tone) {
                Some(class) => write!(out, "<td class=\"{class}\">{}</td>", text(cell)),
                None => write!(out, "<td>{}</td>", text(cell)),
            };
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
    out
}

/// The style sheet: screen, then print (A4 landscape, a page per engagement,
/// fills kept so the patterns print).
const STYLE: &str = r#"
* { box-sizing: border-box; }
html { color-scheme: light; }
body { font: 14px/1.45 "Segoe UI", system-ui, -apple-system, Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
  color: #1b1b1b; background: #fff; margin: 0 auto; padding: 24px 32px; max-width: 1240px; }
h1 { font-size: 24px; margin: 0 0 2px; }
h2 { font-size: 19px; margin: 28px 0 8px; padding-bottom: 2px; border-bottom: 2px solid #1b1b1b; }
h3 { font-size: 15px; margin: 18px 0 6px; }
p { margin: 4px 0 10px; }
.asof { color: #444; margin: 0 0 12px; }
.meta { color: #333; }
.none { color: #555; font-style: italic; }
.wide { overflow-x: auto; }
table { border-collapse: collapse; margin: 4px 0 12px; font-size: 13px; }
th, td { border: 1px solid #b5b5b5; padding: 3px 6px; text-align: left; vertical-align: top; white-space: pre-line; }
thead th { background: #e9e9e9; }
tbody tr:nth-child(even) td { background: #f6f6f6; }
td.bad { color: #a3150d; font-weight: 700; }
td.warn { color: #6e4a00; font-weight: 600; font-style: italic; }
td.good { color: #1c6524; }
td.dim { color: #5f5f5f; }
td.strong { font-weight: 700; white-space: nowrap; }
ul.summary { margin: 4px 0 12px; padding-left: 20px; }
svg.chart { display: block; max-width: 100%; height: auto; margin: 6px 0 4px; }
svg.chart text { font-size: 12px; fill: #1b1b1b; }
svg.chart .stage { font-weight: 700; }
svg.chart .sub { font-size: 11px; fill: #444; }
svg.chart .tick { font-size: 11px; fill: #444; }
svg.chart .lbl { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; font-weight: 600; }
ul.legend { display: flex; flex-wrap: wrap; gap: 4px 18px; list-style: none; margin: 2px 0 14px; padding: 0; font-size: 12px; }
ul.legend svg { vertical-align: -3px; margin-right: 5px; }
footer { margin-top: 28px; color: #555; font-size: 12px; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { max-width: none; padding: 0; font-size: 11px; }
  .wide { overflow: visible; }
  table { font-size: 10px; }
  thead { display: table-header-group; }
  .engagement { break-before: page; }
  h2, h3 { break-after: avoid; }
  tr, svg.chart, ul.legend { break-inside: avoid; }
}
"#;

/// A whole page: title, when it was made, the sections, and the time zone
/// of its times of day when it shows any.
fn page(title: &str, as_of: &str, zone: Option<&str>, body: &str) -> String {
    let title = text(title);
    let zone = zone
        .map(|z| format!("<footer><p>{}</p></footer>\n", text(z)))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{defs}\
         <header>\n<h1>{title}</h1>\n<p class=\"asof\">As of {as_of}.</p>\n</header>\n\
         <main>\n{body}</main>\n{zone}</body>\n</html>\n",
        defs = chart::DEFS,
        as_of = text(as_of),
    )
}

/// The portfolio page: the table, health, the summary, SLA compliance,
/// then a timeline per engagement (`views`, in the order of the rows).
pub fn portfolio(p: &Portfolio, views: &[View], now: When, zone: Option<&str>) -> String {
    let sections: [fn(&Portfolio) -> String; 5] = [
        portfolio_table,
        health_section,
        summary_section,
        sla_section,
        compare_section,
    ];
    let mut body: String = sections.iter().map(|s| s(p)).collect();
    for v in views {
        body.push_str(&timeline_section(v, now));
    }
    page(
        &format!("Health review: {}", p.scope),
        &format!("{}{}", p.as_of, super::report::period(p)),
        zone,
        &body,
    )
}

fn portfolio_table(p: &Portfolio) -> String {
    let mut out = String::from("<section class=\"portfolio\">\n<h2>Portfolio</h2>\n");
    if p.rows.is_empty() {
        out.push_str("<p class=\"none\">No engagements.</p>\n");
    } else {
        out.push_str(&grid(&rows_grid(&p.rows)));
    }
    out.push_str("</section>\n");
    out
}

fn health_section(p: &Portfolio) -> String {
    if p.rows.is_empty() {
        return String::new();
    }
    format!(
        "<section class=\"health\">\n<h2>Health</h2>\n{}{}</section>\n",
        chart::health(&p.summary.health),
        chart::health_legend(),
    )
}

fn summary_section(p: &Portfolio) -> String {
    let mut out =
        String::from("<section class=\"summary\">\n<h2>Summary</h2>\n<ul class=\"summary\">\n");
    for line in summary_lines(&p.summary) {
        let _ = writeln!(out, "<li>{}</li>", text(&line));
    }
    out.push_str("</ul>\n</section>\n");
    out
}

/// SLA attainment: a bar per rule and its table, then the team goals
/// measured over the same items, each against its target.
fn sla_section(p: &Portfolio) -> String {
    let s = &p.summary;
    if s.sla.is_empty() && s.goals.is_empty() {
        return String::new();
    }
    let mut out = String::from("<section class=\"sla\">\n<h2>SLA compliance</h2>\n");
    if !s.sla.is_empty() {
        out.push_str(&chart::sla(&s.sla));
        out.push_str(&chart::sla_legend());
        out.push_str(&grid(&sla_grid(s)));
    }
    if !s.goals.is_empty() {
        out.push_str("<h3>Team goals</h3>\n");
        out.push_str(&chart::goals(&s.goals));
        out.push_str(&chart::goals_legend());
        out.push_str(&grid(&goals_grid(s)));
    }
    out.push_str("</section>\n");
    out
}

/// `--compare DATE`: each figure then and now with its arrow, then what
/// changed on each engagement.
fn compare_section(p: &Portfolio) -> String {
    let Some(c) = &p.compare else {
        return String::new();
    };
    let mut out = format!(
        "<section class=\"compare\">\n<h2>{}</h2>\n",
        text(&since_title(c))
    );
    out.push_str(&grid(&figures_grid(c)));
    if !c.changes.is_empty() {
        out.push_str("<h3>Changes</h3>\n<ul class=\"summary\">\n");
        for ch in &c.changes {
            let line = format!("{}: {}", ch.engagement, ch.items.join("; "));
            let _ = writeln!(out, "<li>{}</li>", text(&line));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
    out
}

/// The heading of an engagement's page: id, customer, then playbook,
/// status and stage.
fn engagement_heading(v: &View) -> String {
    let stage = v
        .current_stage
        .as_deref()
        .map(|s| format!(", stage {}", text(s)))
        .unwrap_or_default();
    format!(
        "<h2>{}: {}</h2>\n<p class=\"meta\">{} ({}), {}{stage}</p>\n",
        text(&v.id),
        text(&v.customer),
        text(&v.playbook_name),
        text(&v.playbook),
        text(&v.status.to_string()),
    )
}

/// One engagement of the portfolio: its heading and timeline.
fn timeline_section(v: &View, now: When) -> String {
    format!(
        "<section class=\"engagement\" id=\"e-{}\">\n{}<h3>Timeline</h3>\n{}</section>\n",
        text(&v.id),
        engagement_heading(v),
        chart::timeline(v, now.date()),
    )
}

/// The detail page of `ft report ID...`: a page per engagement.
pub fn details(ds: &[Detail], now: When, zone: Option<&str>) -> String {
    let ids: Vec<&str> = ds.iter().map(|d| d.row.id.as_str()).collect();
    let body: String = ds.iter().map(|d| detail(d, now)).collect();
    page(
        &format!("Health review: {}", ids.join(", ")),
        &crate::clock::stamp_words(now),
        zone,
        &body,
    )
}

/// One engagement in detail: its row, timeline, facts, then each section
/// of `ft show` (stages, cadences, blockers, health history, notes).
fn detail(d: &Detail, now: When) -> String {
    let v = &d.engagement;
    let mut out = format!(
        "<section class=\"engagement\" id=\"e-{}\">\n{}",
        text(&v.id),
        engagement_heading(v)
    );
    out.push_str(&grid(&rows_grid(std::slice::from_ref(&d.row))));
    out.push_str("<h3>Timeline</h3>\n");
    out.push_str(&chart::timeline(v, now.date()));
    out.push_str("<h3>Facts</h3>\n");
    out.push_str(&grid(&show::facts(v, true)));
    for (title, g) in show::sections(v) {
        let _ = writeln!(out, "<h3>{}</h3>", text(&title));
        match g {
            Some(g) => out.push_str(&grid(&g)),
            None => out.push_str("<p class=\"none\">No tasks.</p>\n"),
        }
    }
    out.push_str("</section>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_cells_are_escaped_and_classed_by_tone() {
        let mut g = Grid::new(&["<b>id</b>", "Customer"]);
        g.row(vec![
            ("a&b".into(), Tone::Strong),
            ("<script>alert(1)</script>".into(), Tone::Bad),
        ]);
        let out = grid(&g);
        assert!(
            out.contains("<th scope=\"col\">&lt;b&gt;id&lt;/b&gt;</th>"),
            "{out}"
        );
        assert!(out.contains("<td class=\"strong\">a&amp;b</td>"), "{out}");
        assert!(
            out.contains("<td class=\"bad\">&lt;script&gt;alert(1)&lt;/script&gt;</td>"),
            "{out}"
        );
        assert!(!out.contains("<script"));
    }

    #[test]
    fn the_page_allows_no_script_and_no_network() {
        let out = page("T <x>", "2026-11-23", Some("Times \"local\""), "");
        assert!(out.starts_with("<!DOCTYPE html>\n"));
        assert!(out.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""));
        assert!(out.contains("<title>T &lt;x&gt;</title>"));
        assert!(out.contains("<p>Times &quot;local&quot;</p>"));
        for banned in [
            "<script", "http://", "https://", "<link", "@import", "url(http",
        ] {
            assert!(!out.contains(banned), "{banned}");
        }
    }
}
