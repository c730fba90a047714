//! Inline SVG charts for the HTML report: health, SLA compliance, the
//! team goals and an engagement's timeline. Every fill is a colour and a pattern, and every
//! bar carries words, so the charts read in grey print too.

use std::fmt::Write as _;

use chrono::{Days, NaiveDate};

use super::text;
use crate::render::ellipsize;
use crate::render::report::{BarKind, opened_on, task_bar};
use crate::view::report::{GoalLine, HealthCounts, SlaLine};
use crate::view::show::{HoldView, View};

/// The patterns the charts fill with, defined once per page.
pub const DEFS: &str = r##"<svg class="defs" width="0" height="0" aria-hidden="true" focusable="false" style="position:absolute">
<defs>
<pattern id="ft-good" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#3f8f46"/></pattern>
<pattern id="ft-warn" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#fff4c2"/><rect width="4" height="8" fill="#d9a400"/></pattern>
<pattern id="ft-bad" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#c0261c"/><path d="M0 0L8 8M8 0L0 8" stroke="#fff" stroke-width="1.3"/></pattern>
<pattern id="ft-late" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="6" height="6" fill="#f8d2cd"/><rect width="2.5" height="6" fill="#b3261e"/></pattern>
<pattern id="ft-open" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#fff"/><circle cx="3" cy="3" r="1.1" fill="#666"/></pattern>
<pattern id="ft-hold" width="10" height="10" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="10" height="10" fill="#efefef"/><rect width="2" height="10" fill="#c4c4c4"/></pattern>
</defs>
</svg>
"##;

/// How a bar is filled: a colour and a pattern of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Solid green: green health, done on time.
    Good,
    /// Yellow stripes: yellow health, due soon.
    Warn,
    /// Red with white crosses: red health, overdue.
    Bad,
    /// Red stripes the other way: done late.
    Late,
    /// White with grey dots: not rated, open, upcoming.
    Open,
    /// Light grey stripes: on hold.
    Hold,
}

impl Fill {
    fn paint(self) -> &'static str {
        match self {
            Fill::Good => "url(#ft-good)",
            Fill::Warn => "url(#ft-warn)",
            Fill::Bad => "url(#ft-bad)",
            Fill::Late => "url(#ft-late)",
            Fill::Open => "url(#ft-open)",
            Fill::Hold => "url(#ft-hold)",
        }
    }
}

/// A rectangle filled with `fill`, outlined, with a tooltip.
fn rect(x: f64, y: f64, w: f64, h: f64, fill: Fill, tip: &str) -> String {
    format!(
        "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{}\" stroke=\"#222\" stroke-width=\"0.8\"><title>{}</title></rect>",
        fill.paint(),
        text(tip)
    )
}

/// Text at (x, y); `class` styles it (`lbl` keeps it readable over a fill).
fn label(x: f64, y: f64, class: &str, anchor: &str, s: &str) -> String {
    format!(
        "<text x=\"{x:.1}\" y=\"{y:.1}\" class=\"{class}\" text-anchor=\"{anchor}\">{}</text>",
        text(s)
    )
}

/// The opening tag of a chart `width` by `height`, titled for screen readers.
fn open_svg(width: f64, height: f64, title: &str) -> String {
    format!(
        "<svg class=\"chart\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\" role=\"img\">\n<title>{}</title>\n",
        text(title)
    )
}

/// A legend: a swatch of each fill, then its meaning.
fn legend(items: &[(Fill, &str)]) -> String {
    let mut out = String::from("<ul class=\"legend\">\n");
    for (fill, meaning) in items {
        let _ = writeln!(
            out,
            "<li><svg width=\"14\" height=\"14\" aria-hidden=\"true\"><rect x=\"0.5\" y=\"0.5\" width=\"13\" height=\"13\" fill=\"{}\" stroke=\"#222\"/></svg>{}</li>",
            fill.paint(),
            text(meaning)
        );
    }
    out.push_str("</ul>\n");
    out
}

fn engagements(n: usize) -> String {
    crate::words::count(n, "engagement", "engagements")
}

/// A bar per health (green, yellow, red, not rated), as long as its count,
/// with the count written after it.
pub fn health(h: &HealthCounts) -> String {
    const NAME: f64 = 90.0;
    const BAR: f64 = 380.0;
    const ROW: f64 = 30.0;
    let parts = [
        (Fill::Good, "green", h.green),
        (Fill::Warn, "yellow", h.yellow),
        (Fill::Bad, "red", h.red),
        (Fill::Open, "not rated", h.unknown),
    ];
    let most = parts.iter().map(|p| p.2).max().unwrap_or(0).max(1);
    let title = format!(
        "Health: {} green, {} yellow, {} red, {} not rated",
        h.green, h.yellow, h.red, h.unknown
    );
    let mut out = open_svg(NAME + BAR + 130.0, ROW * 4.0 + 8.0, &title);
    for (i, (fill, name, n)) in parts.into_iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        out.push_str(&label(NAME - 8.0, y + ROW / 2.0 + 4.0, "name", "end", name));
        let w = BAR * n as f64 / most as f64;
        if n > 0 {
            out.push_str(&rect(
                NAME,
                y + 4.0,
                w,
                ROW - 10.0,
                fill,
                &format!("{name}: {n}"),
            ));
        }
        out.push_str(&label(
            NAME + w + 6.0,
            y + ROW / 2.0 + 4.0,
            "lbl",
            "start",
            &engagements(n),
        ));
        out.push('\n');
    }
    out.push_str("</svg>\n");
    out
}

pub fn health_legend() -> String {
    legend(&[
        (Fill::Good, "green"),
        (Fill::Warn, "yellow"),
        (Fill::Bad, "red"),
        (Fill::Open, "not rated"),
    ])
}

/// A stacked bar per SLA line, the whole width being every engagement the
/// task counts: on time, late, overdue, open. Each part wide enough says
/// how many, and what.
pub fn sla(lines: &[SlaLine]) -> String {
    const NAME: f64 = 340.0;
    const BAR: f64 = 600.0;
    const ROW: f64 = 42.0;
    let mut out = open_svg(
        NAME + BAR + 10.0,
        ROW * lines.len() as f64 + 6.0,
        "SLA compliance",
    );
    for (i, l) in lines.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        let name = ellipsize(&format!("{} {}", l.task, l.name), 48);
        out.push_str(&label(0.0, y + 15.0, "name", "start", &name));
        let target = format!("{}{}", of(l.person.as_deref()), l.target);
        out.push_str(&label(
            0.0,
            y + 31.0,
            "sub",
            "start",
            &ellipsize(&target, 56),
        ));
        out.push_str(&sla_bar(l, NAME, y + 6.0, BAR, ROW - 14.0));
        out.push('\n');
    }
    out.push_str("</svg>\n");
    out
}

/// "alice, " before a line's target with `--by person`.
fn of(person: Option<&str>) -> String {
    person.map(|p| format!("{p}, ")).unwrap_or_default()
}

/// One SLA line's stacked bar at (x, y), `w` by `h`.
fn sla_bar(l: &SlaLine, x: f64, y: f64, w: f64, h: f64) -> String {
    let parts = [
        (Fill::Good, "on time", l.on_time),
        (Fill::Late, "late", l.late),
        (Fill::Bad, "overdue", l.overdue),
        (Fill::Open, "open", l.open),
    ];
    let total: usize = parts.iter().map(|p| p.2).sum();
    if total == 0 {
        return label(x, y + h / 2.0 + 4.0, "sub", "start", "nothing counted yet");
    }
    let mut out = String::new();
    let mut at = x;
    for (fill, what, n) in parts.into_iter().filter(|p| p.2 > 0) {
        let part = w * n as f64 / total as f64;
        let words = format!("{n} {what}");
        out.push_str(&rect(at, y, part, h, fill, &words));
        let shown = if part >= 7.0 * words.len() as f64 + 8.0 {
            words
        } else if part >= 16.0 {
            n.to_string()
        } else {
            String::new()
        };
        if !shown.is_empty() {
            out.push_str(&label(
                at + part / 2.0,
                y + h / 2.0 + 4.0,
                "lbl",
                "middle",
                &shown,
            ));
        }
        at += part;
    }
    out
}

pub fn sla_legend() -> String {
    legend(&[
        (Fill::Good, "done on time"),
        (Fill::Late, "done late"),
        (Fill::Bad, "open and overdue"),
        (Fill::Open, "still open"),
    ])
}

/// A bar per team goal: its actual figure, green when met and red when
/// missed, against the target marked by a dashed line; the words after the
/// bar say the figure and the result, so it reads without colour.
pub fn goals(lines: &[GoalLine]) -> String {
    const NAME: f64 = 340.0;
    const BAR: f64 = 460.0;
    const WORDS: f64 = 150.0;
    const ROW: f64 = 42.0;
    let mut out = open_svg(
        NAME + BAR + WORDS,
        ROW * lines.len() as f64 + 6.0,
        "Team goals",
    );
    for (i, g) in lines.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        out.push_str(&label(
            0.0,
            y + 15.0,
            "name",
            "start",
            &ellipsize(&g.name, 48),
        ));
        let target = format!("{}target: {}", of(g.person.as_deref()), g.target);
        out.push_str(&label(
            0.0,
            y + 31.0,
            "sub",
            "start",
            &ellipsize(&target, 56),
        ));
        out.push_str(&goal_bar(g, NAME, y + 6.0, BAR, ROW - 14.0));
        out.push('\n');
    }
    out.push_str("</svg>\n");
    out
}

/// One goal's bar at (x, y), `w` by `h`: a share on a scale to 100%, a
/// mean on one to half again the larger of it and the target.
fn goal_bar(g: &GoalLine, x: f64, y: f64, w: f64, h: f64) -> String {
    let (Some(actual), Some(words)) = (g.actual_value, g.actual.as_deref()) else {
        return label(x, y + h / 2.0 + 4.0, "sub", "start", "no data yet");
    };
    let full = if g.unit == "%" {
        100.0
    } else {
        actual.max(g.target_value) * 1.5
    };
    let at = |v: f64| x + w * (v / full.max(f64::EPSILON)).clamp(0.0, 1.0);
    let fill = if g.result == "met" {
        Fill::Good
    } else {
        Fill::Bad
    };
    let said = format!("{words}, {}", g.result);
    let mut out = String::new();
    if at(actual) > x {
        out.push_str(&rect(x, y, at(actual) - x, h, fill, &said));
    }
    let _ = write!(
        out,
        "<line x1=\"{t:.1}\" y1=\"{:.1}\" x2=\"{t:.1}\" y2=\"{:.1}\" stroke=\"#111\" stroke-width=\"2\" stroke-dasharray=\"4 2\"><title>{}</title></line>",
        y - 3.0,
        y + h + 3.0,
        text(&format!("target: {}", g.target)),
        t = at(g.target_value),
    );
    out.push_str(&label(
        x + w + 8.0,
        y + h / 2.0 + 4.0,
        "lbl",
        "start",
        &said,
    ));
    out
}

pub fn goals_legend() -> String {
    let mut out = legend(&[(Fill::Good, "goal met"), (Fill::Bad, "goal missed")]);
    out.insert_str(
        out.len() - "</ul>\n".len(),
        "<li><svg width=\"14\" height=\"14\" aria-hidden=\"true\"><line x1=\"7\" y1=\"0\" x2=\"7\" y2=\"14\" stroke=\"#111\" stroke-width=\"2\" stroke-dasharray=\"4 2\"/></svg>target</li>\n",
    );
    out
}

/// A line of a timeline: a stage's heading, a task's bar, or a milestone.
enum Line<'a> {
    Heading(&'a str),
    Task {
        label: String,
        kind: BarKind,
        from: NaiveDate,
        to: NaiveDate,
    },
    Milestone {
        name: &'a str,
        on: NaiveDate,
    },
}

impl Line<'_> {
    fn dates(&self) -> Vec<NaiveDate> {
        match self {
            Line::Heading(_) => Vec::new(),
            Line::Task { from, to, .. } => vec![*from, *to],
            Line::Milestone { on, .. } => vec![*on],
        }
    }
}

/// The timeline's lines: each stage with a bar per task that has one (the
/// same bars as the Markdown gantt), then the recorded milestones.
fn lines(v: &View) -> Vec<Line<'_>> {
    let opened = opened_on(v);
    let mut out = Vec::new();
    for s in &v.stages {
        let bars: Vec<Line> = s
            .tasks
            .iter()
            .filter(|t| t.applies)
            .filter_map(|t| {
                let (kind, from, to) = task_bar(t, opened)?;
                let label = format!("{} {}", t.id, t.name);
                Some(Line::Task {
                    label,
                    kind,
                    from,
                    to,
                })
            })
            .collect();
        if !bars.is_empty() {
            out.push(Line::Heading(&s.name));
            out.extend(bars);
        }
    }
    let milestones: Vec<Line> = v
        .milestones
        .iter()
        .filter_map(|m| m.date.map(|on| Line::Milestone { name: &m.name, on }))
        .collect();
    if !milestones.is_empty() {
        out.push(Line::Heading("Milestones"));
        out.extend(milestones);
    }
    out
}

/// Days on a timeline: the first, and how many are shown.
struct Scale {
    start: NaiveDate,
    days: i64,
}

const NAMES: f64 = 270.0;
const PLOT: f64 = 560.0;
const RIGHT: f64 = 150.0;
const ROW: f64 = 20.0;
const TOP: f64 = 30.0;

impl Scale {
    /// Every day of the lines, the holds and today, with a day either side.
    fn of(lines: &[Line], holds: &[HoldView], today: NaiveDate) -> Scale {
        let mut dates: Vec<NaiveDate> = lines.iter().flat_map(Line::dates).collect();
        dates.extend(
            holds
                .iter()
                .flat_map(|h| [Some(h.from_on), h.to_on])
                .flatten(),
        );
        dates.push(today);
        let first = dates.iter().min().copied().unwrap_or(today);
        let last = dates.iter().max().copied().unwrap_or(today);
        let start = first.checked_sub_days(Days::new(1)).unwrap_or(first);
        let end = last.checked_add_days(Days::new(1)).unwrap_or(last);
        Scale {
            start,
            days: (end - start).num_days() + 1,
        }
    }

    fn day(&self) -> f64 {
        PLOT / self.days as f64
    }

    /// Where day `d` begins.
    fn x(&self, d: NaiveDate) -> f64 {
        NAMES + (d - self.start).num_days() as f64 * self.day()
    }

    /// Where day `d` ends.
    fn end(&self, d: NaiveDate) -> f64 {
        self.x(d) + self.day()
    }
}

fn short(d: NaiveDate) -> String {
    d.format("%-d %b").to_string()
}

/// The date axis along the top, a tick every few days, with grid lines
/// down to `bottom`.
fn axis(s: &Scale, bottom: f64) -> String {
    let days = s.days.unsigned_abs();
    let step: u64 = [1, 2, 7, 14, 28, 56, 91, 182, 365]
        .into_iter()
        .find(|step| days / step <= 9)
        .unwrap_or(days.div_ceil(9 * 365) * 365);
    let mut out = String::new();
    let mut d = s.start;
    let mut first = true;
    while (d - s.start).num_days() < s.days {
        let x = s.x(d);
        let _ = write!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\" stroke=\"#d0d0d0\"/>",
            TOP - 6.0
        );
        let words = if first {
            d.format("%-d %b %Y").to_string()
        } else {
            short(d)
        };
        out.push_str(&label(x + 2.0, TOP - 10.0, "tick", "start", &words));
        first = false;
        let Some(next) = d.checked_add_days(Days::new(step)) else {
            break;
        };
        d = next;
    }
    out.push('\n');
    out
}

/// Bands across the plot for the times on hold (to today while one lasts).
fn holds(s: &Scale, holds: &[HoldView], today: NaiveDate, bottom: f64) -> String {
    let mut out = String::new();
    for h in holds {
        let to = h.to_on.unwrap_or(today);
        let (x, w) = (s.x(h.from_on), s.end(to) - s.x(h.from_on));
        let tip = format!("on hold: {}", h.reason);
        let _ = write!(
            out,
            "<g opacity=\"0.85\">{}</g>",
            rect(x, TOP, w, bottom - TOP, Fill::Hold, &tip)
        );
        out.push_str(&label(x + 3.0, bottom - 4.0, "sub lbl", "start", "on hold"));
        out.push('\n');
    }
    out
}

/// What a task's bar says after it.
fn bar_words(kind: BarKind, to: NaiveDate) -> (Fill, String) {
    let on = short(to);
    match kind {
        BarKind::Done => (Fill::Good, format!("done {on}")),
        BarKind::DoneLate => (Fill::Late, format!("done late {on}")),
        BarKind::Overdue => (Fill::Bad, format!("overdue, due {on}")),
        BarKind::DueSoon => (Fill::Warn, format!("due soon, {on}")),
        BarKind::Upcoming => (Fill::Open, format!("due {on}")),
    }
}

/// One line of the timeline at height `y`.
fn line(s: &Scale, l: &Line, y: f64) -> String {
    let base = y + ROW / 2.0 + 4.0;
    match l {
        Line::Heading(name) => format!(
            "<line x1=\"0\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#999\"/>{}",
            NAMES + PLOT + RIGHT,
            label(0.0, base, "stage", "start", &ellipsize(name, 40))
        ),
        Line::Task {
            label: name,
            kind,
            from,
            to,
        } => {
            let (fill, words) = bar_words(*kind, *to);
            // A bar is at least a few points wide, however long the timeline,
            // and never ends before it starts.
            let x = s.x(*from);
            let end = s.end(*to.max(from)).max(x + 3.0);
            format!(
                "{}{}{}",
                label(10.0, base, "name", "start", &ellipsize(name, 40)),
                rect(
                    x,
                    y + 4.0,
                    end - x,
                    ROW - 8.0,
                    fill,
                    &format!("{name}: {words}")
                ),
                label(end + 4.0, base, "lbl", "start", &words)
            )
        }
        Line::Milestone { name, on } => {
            let (cx, cy) = (s.x(*on) + s.day() / 2.0, y + ROW / 2.0);
            format!(
                "{}<path d=\"M{cx:.1} {:.1}L{:.1} {cy:.1}L{cx:.1} {:.1}L{:.1} {cy:.1}Z\" fill=\"#1b1b1b\"><title>{}</title></path>{}",
                label(10.0, base, "name", "start", &ellipsize(name, 40)),
                cy - 7.0,
                cx + 7.0,
                cy + 7.0,
                cx - 7.0,
                text(&format!("{name}: {}", short(*on))),
                label(cx + 10.0, base, "lbl", "start", &short(*on))
            )
        }
    }
}

/// An engagement's timeline: a row per task with a bar from its clock's
/// start to done (or due), grouped by stage, then the milestones, with the
/// times on hold shaded and today marked.
pub fn timeline(v: &View, today: NaiveDate) -> String {
    let lines = lines(v);
    if lines.is_empty() {
        return "<p class=\"none\">No dated tasks or milestones yet.</p>\n".to_string();
    }
    let s = Scale::of(&lines, &v.holds, today);
    let bottom = TOP + ROW * lines.len() as f64;
    let mut out = open_svg(
        NAMES + PLOT + RIGHT,
        bottom + 6.0,
        &format!("Timeline of {} {}", v.id, v.customer),
    );
    out.push_str(&axis(&s, bottom));
    out.push_str(&holds(&s, &v.holds, today, bottom));
    for (i, l) in lines.iter().enumerate() {
        out.push_str(&line(&s, l, TOP + ROW * i as f64));
        out.push('\n');
    }
    let x = s.x(today) + s.day() / 2.0;
    let _ = writeln!(
        out,
        "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\" stroke=\"#1b1b1b\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>{}",
        TOP - 4.0,
        label(x + 3.0, TOP + 10.0, "lbl", "start", "today")
    );
    out.push_str("</svg>\n");
    out.push_str(&timeline_legend(!v.holds.is_empty()));
    out
}

fn timeline_legend(held: bool) -> String {
    let mut items = vec![
        (Fill::Good, "done"),
        (Fill::Late, "done late"),
        (Fill::Bad, "overdue"),
        (Fill::Warn, "due soon"),
        (Fill::Open, "upcoming"),
    ];
    if held {
        items.push((Fill::Hold, "on hold"));
    }
    let mut out = legend(&items);
    out.truncate(out.len() - "</ul>\n".len());
    out.push_str("<li><svg width=\"14\" height=\"14\" aria-hidden=\"true\"><path d=\"M7 0L14 7L7 14L0 7Z\" fill=\"#1b1b1b\"/></svg>milestone</li>\n");
    out.push_str("<li><svg width=\"14\" height=\"14\" aria-hidden=\"true\"><line x1=\"7\" y1=\"0\" x2=\"7\" y2=\"14\" stroke=\"#1b1b1b\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\"/></svg>today</li>\n</ul>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Calendar;
    use crate::engagement::{Hold, TaskRecord, TaskState};
    use crate::time::When;

    fn w(s: &str) -> When {
        s.parse().unwrap()
    }

    #[test]
    fn timeline_draws_bars_milestones_holds_and_today_with_words() {
        let p = crate::playbook::builtin::all().remove(1);
        let mut e = crate::engagement::tests::engagement(&p.id);
        e.customer = "<script>alert(1)</script>".into();
        e.milestones.insert("opened".into(), w("2026-11-09"));
        e.milestones.insert("assigned".into(), w("2026-11-10"));
        e.tasks.insert(
            "pm-intro".into(),
            TaskRecord {
                state: Some(TaskState::Done(w("2026-11-20"))),
                note: None,
            },
        );
        e.holds.push(Hold {
            from: w("2026-11-18"),
            to: Some(w("2026-11-19")),
            reason: "\"><b>x</b>".into(),
            by: None,
            until: None,
        });
        let v = crate::view::show::build(&p, &e, &Calendar::default(), w("2026-11-23"));
        let svg = timeline(&v, w("2026-11-23").date());
        assert!(svg.starts_with("<svg class=\"chart\""), "{svg}");
        assert!(
            svg.contains("<title>Timeline of test &lt;script&gt;alert(1)&lt;/script&gt;</title>"),
            "{svg}"
        );
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains(">done late 20 Nov</text>"), "{svg}");
        assert!(
            svg.contains("<title>on hold: &quot;&gt;&lt;b&gt;x&lt;/b&gt;</title>"),
            "{svg}"
        );
        assert!(svg.contains(">on hold</text>"), "{svg}");
        assert!(svg.contains(">today</text>"), "{svg}");
        assert!(
            svg.contains(">9 Nov</text>"),
            "the opening milestone: {svg}"
        );
        assert!(
            svg.contains("<li>") && svg.contains("on hold</li>"),
            "{svg}"
        );
    }

    #[test]
    fn bars_stay_visible_on_a_timeline_of_years() {
        let p = crate::playbook::builtin::all().remove(1);
        let mut e = crate::engagement::tests::engagement(&p.id);
        e.milestones.insert("opened".into(), w("2016-01-04"));
        e.milestones.insert("assigned".into(), w("2016-01-05"));
        e.tasks.insert(
            "pm-intro".into(),
            TaskRecord {
                state: Some(TaskState::Done(w("2016-01-05"))),
                note: None,
            },
        );
        let v = crate::view::show::build(&p, &e, &Calendar::default(), w("2026-11-23"));
        let svg = timeline(&v, w("2026-11-23").date());
        let widths: Vec<f64> = svg
            .split("<rect ")
            .skip(1)
            .filter_map(|r| r.split("width=\"").nth(1)?.split('"').next()?.parse().ok())
            .collect();
        assert!(!widths.is_empty(), "{svg}");
        assert!(widths.iter().all(|w| *w >= 3.0), "{widths:?}");
        assert!(svg.matches("class=\"tick\"").count() <= 10, "{svg}");
        assert!(
            svg.contains(">4 Jan 2016</text>") || svg.contains(">3 Jan 2016</text>"),
            "{svg}"
        );
    }

    #[test]
    fn a_timeline_without_dates_says_so() {
        let p = crate::playbook::builtin::all().remove(1);
        let e = crate::engagement::tests::engagement(&p.id);
        let v = crate::view::show::build(&p, &e, &Calendar::default(), w("2026-11-23"));
        assert_eq!(
            timeline(&v, w("2026-11-23").date()),
            "<p class=\"none\">No dated tasks or milestones yet.</p>\n"
        );
    }

    fn sla_line(on_time: usize, late: usize, overdue: usize, open: usize) -> SlaLine {
        SlaLine {
            playbook: "p".into(),
            task: "t&1".into(),
            name: "<i>Name</i>".into(),
            person: None,
            target: "2bd after opened".into(),
            on_time,
            late,
            overdue,
            open,
            met_percent: None,
            mean: None,
            median: None,
            unit: "business days",
        }
    }

    #[test]
    fn sla_bars_stack_the_counts_with_words_and_say_when_nothing_counts() {
        let out = sla(&[sla_line(3, 1, 0, 0), sla_line(0, 0, 0, 0)]);
        assert!(
            out.contains(">t&amp;1 &lt;i&gt;Name&lt;/i&gt;</text>"),
            "{out}"
        );
        assert!(out.contains(">3 on time</text>"), "{out}");
        assert!(out.contains("<title>1 late</title>"), "{out}");
        assert!(!out.contains("overdue"), "no empty parts: {out}");
        assert!(out.contains(">nothing counted yet</text>"), "{out}");
        // The parts fill the bar: 3/4 and 1/4 of 600.
        assert!(out.contains("width=\"450.0\""), "{out}");
        assert!(out.contains("width=\"150.0\""), "{out}");
    }

    #[test]
    fn health_bars_name_each_health_and_count() {
        let out = health(&HealthCounts {
            red: 1,
            yellow: 0,
            green: 2,
            unknown: 0,
        });
        assert!(out.contains(">2 engagements</text>"), "{out}");
        assert!(out.contains(">1 engagement</text>"), "{out}");
        assert!(out.contains(">0 engagements</text>"), "{out}");
        assert!(out.contains("fill=\"url(#ft-bad)\""), "{out}");
        assert!(
            !out.contains("fill=\"url(#ft-warn)\""),
            "no bar for none: {out}"
        );
    }
}
