//! Fitting rows to the terminal: a table when one fits, else short blocks.
//!
//! A view offers tables from the richest to the leanest, and the same rows
//! as blocks. At a given width the first table whose columns fit is used,
//! after shortening the columns that may be shortened (names end in `…`,
//! lists of ids keep whole ids and say how many more, reasons wrap at
//! spaces); below that, each row is a short block: its key values on one
//! line, its reason indented under it. Ids, task ids, dates and numbers
//! ([`Fit::Whole`]) are never cut or broken across lines. Piped output (no
//! width) is the richest table with every value in full, one row per line,
//! so `grep` and `cut` work.

use std::borrow::Cow;

use unicode_width::UnicodeWidthStr;

use super::{Grid, Tone};
use crate::escape;

/// How a column may give up width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Shown in full: ids, dates, numbers, statuses.
    Whole,
    /// Cut with `…`, down to this many columns: names.
    Shorten(usize),
    /// A comma-separated list of ids: keeps whole ids and adds "+N".
    List(usize),
    /// Wrapped at spaces, down to this many columns and at most
    /// [`MAX_WRAP`] lines: reasons.
    Wrap(usize),
    /// Wrapped at spaces, down to this many columns, as many lines as it
    /// takes: notes, and the values of a fact sheet.
    Para(usize),
}

/// A wrapped cell may take at most this many lines; a table that would need
/// more gives way to a leaner one.
pub const MAX_WRAP: usize = 3;

/// Space between columns.
const GAP: usize = 2;

/// One row as a block: its key values on the first line, then detail
/// lines indented under it.
#[derive(Debug, Clone, Default)]
pub struct Block {
    pub head: Vec<(String, Tone)>,
    pub detail: Vec<String>,
}

/// The ways a view can be laid out, richest first: its grid as a table,
/// then as leaner tables without some columns, then as blocks. Only the
/// ways tried are made, so a view of many rows is not copied for each.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The richest table.
    pub grid: Grid,
    /// The columns each leaner table goes without, richest first.
    leaner: Vec<Vec<usize>>,
    /// Blocks of its own, when the view has them; otherwise the grid's
    /// [`Grid::blocks`], made when no table fits.
    blocks: Option<Vec<Block>>,
}

impl Layout {
    /// A grid as a table, or as blocks of the same cells.
    pub fn of(grid: Grid) -> Self {
        Self {
            grid,
            leaner: Vec::new(),
            blocks: None,
        }
    }

    /// Offer, after the tables so far, the first one without these columns.
    pub fn or_without(mut self, cols: &[usize]) -> Self {
        self.leaner.push(cols.to_vec());
        self
    }

    /// Below every table, these blocks rather than the grid's own.
    pub fn with_blocks(mut self, blocks: Vec<Block>) -> Self {
        self.blocks = Some(blocks);
        self
    }

    /// Lay the view out for a terminal `width` columns wide, or in full for
    /// a pipe (`None`).
    pub fn render(&self, width: Option<usize>, color: bool) -> String {
        let Some(width) = width else {
            return table(&self.grid, None, color).unwrap_or_default();
        };
        table(&self.grid, Some(width), color)
            .or_else(|| {
                self.leaner
                    .iter()
                    .find_map(|cols| table(&self.grid.without(cols), Some(width), color))
            })
            .unwrap_or_else(|| match &self.blocks {
                Some(own) => blocks(own, width, color),
                None => blocks(&self.grid.blocks(), width, color),
            })
    }
}

/// Columns a piece of terminal text takes.
pub fn width_of(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// A table fitted to `width`, or `None` when even its shortened columns do
/// not fit. Without a width every value is shown in full.
pub fn table(g: &Grid, width: Option<usize>, color: bool) -> Option<String> {
    let n = g.headers.len();
    let headers: Vec<String> = g.headers.iter().map(|h| escape::terminal(h)).collect();
    // Cells with nothing to escape are borrowed, not copied: a table of
    // many rows is not held twice over.
    let rows: Vec<Vec<Cow<'_, str>>> = g
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|(s, _)| escape::terminal_borrowed(s))
                .collect()
        })
        .collect();
    let (natural, floor) = column_widths(g, &headers, &rows);
    let widths = match width {
        None => natural.clone(),
        Some(w) => fit_widths(&g.fits_or_whole(), &natural, &floor, w)?,
    };
    let mut cells: Vec<Vec<Vec<Cow<'_, str>>>> = Vec::with_capacity(rows.len());
    for r in &rows {
        let mut row = Vec::with_capacity(n);
        for (i, s) in r.iter().enumerate().take(n) {
            let owned = |lines: Vec<String>| lines.into_iter().map(Cow::Owned).collect();
            let lines = match (width, g.fit_of(i)) {
                (None, _) | (_, Fit::Whole) => vec![Cow::Borrowed(s.as_ref())],
                (_, Fit::Shorten(_)) => vec![Cow::Owned(shorten(s, widths[i]))],
                (_, Fit::List(_)) => vec![Cow::Owned(shorten_list(s, widths[i])?)],
                (_, Fit::Wrap(_)) | (_, Fit::Para(_)) => owned(wrap(s, widths[i])),
            };
            if lines.len() > MAX_WRAP && !matches!(g.fit_of(i), Fit::Para(_)) {
                return None;
            }
            row.push(lines);
        }
        cells.push(row);
    }
    let mut out = String::new();
    if headers.iter().any(|h| !h.is_empty()) {
        let head: Vec<(&str, Tone)> = headers.iter().map(|h| (h.as_str(), Tone::Strong)).collect();
        line(&mut out, &head, &widths, color);
        let rules: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
        let rule: Vec<(&str, Tone)> = rules.iter().map(|r| (r.as_str(), Tone::Plain)).collect();
        line(&mut out, &rule, &widths, false);
    }
    for (r, row) in cells.iter().enumerate() {
        let height = row.iter().map(Vec::len).max().unwrap_or(1);
        for k in 0..height {
            let parts: Vec<(&str, Tone)> = row
                .iter()
                .enumerate()
                .map(|(i, lines)| {
                    let tone = g.rows[r].get(i).map_or(Tone::Plain, |c| c.1);
                    (lines.get(k).map_or("", |l| l.as_ref()), tone)
                })
                .collect();
            line(&mut out, &parts, &widths, color);
        }
    }
    Some(out)
}

/// Each column's natural width (its widest value or header) and the
/// narrowest it may be shortened to.
fn column_widths(
    g: &Grid,
    headers: &[String],
    rows: &[Vec<Cow<'_, str>>],
) -> (Vec<usize>, Vec<usize>) {
    let n = headers.len();
    let natural: Vec<usize> = (0..n)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|s| width_of(s))
                .chain([width_of(&headers[i])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    // A list column is never narrower than its shortest form ("id +2").
    let floor: Vec<usize> = (0..n)
        .map(|i| match g.fit_of(i) {
            Fit::List(m) => rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|s| list_floor(s))
                .chain([m, width_of(&headers[i])])
                .max()
                .unwrap_or(m),
            Fit::Shorten(m) | Fit::Wrap(m) | Fit::Para(m) => m.max(width_of(&headers[i])),
            Fit::Whole => 0,
        })
        .collect();
    (natural, floor)
}

/// Column widths that fit `width`: natural widths when they fit, else names
/// and lists give way first (the widest first), then wrapped text.
fn fit_widths(
    fits: &[Fit],
    natural: &[usize],
    floor: &[usize],
    width: usize,
) -> Option<Vec<usize>> {
    let n = natural.len();
    let avail = width.checked_sub(GAP * n.saturating_sub(1))?;
    if natural.iter().sum::<usize>() <= avail {
        return Some(natural.to_vec());
    }
    let min: Vec<usize> = (0..n)
        .map(|i| match fits[i] {
            Fit::Whole => natural[i],
            _ => floor[i].min(natural[i]),
        })
        .collect();
    if min.iter().sum::<usize>() > avail {
        return None;
    }
    // Names and lists give way first, the widest first; then wrapped text.
    let mut widths = natural.to_vec();
    for wrap_phase in [false, true] {
        let gives: Vec<bool> = fits
            .iter()
            .map(|f| *f != Fit::Whole && matches!(f, Fit::Wrap(_) | Fit::Para(_)) == wrap_phase)
            .collect();
        let at = |level: usize, base: &[usize]| -> Vec<usize> {
            (0..n)
                .map(|i| {
                    if gives[i] {
                        level.clamp(min[i], natural[i])
                    } else {
                        base[i]
                    }
                })
                .collect()
        };
        let top = natural.iter().copied().max().unwrap_or(0);
        let Some(level) = (0..=top)
            .rev()
            .find(|l| at(*l, &widths).iter().sum::<usize>() <= avail)
        else {
            widths = at(0, &widths);
            continue;
        };
        widths = at(level, &widths);
        let mut spare = avail - widths.iter().sum::<usize>();
        for i in (0..n).filter(|i| gives[*i]) {
            if spare > 0 && widths[i] < natural[i] {
                widths[i] += 1;
                spare -= 1;
            }
        }
        return Some(widths);
    }
    None
}

/// One line of cells, each padded to its column, trailing space trimmed,
/// added to `out`.
fn line(out: &mut String, cells: &[(&str, Tone)], widths: &[usize], color: bool) {
    let last = cells.iter().rposition(|(s, _)| !s.is_empty()).unwrap_or(0);
    for (i, (s, tone)) in cells.iter().enumerate().take(last + 1) {
        if i > 0 {
            out.push_str(&" ".repeat(GAP));
        }
        out.push_str(&paint_escaped(s, *tone, color));
        if i < last {
            out.push_str(&" ".repeat(widths[i].saturating_sub(width_of(s))));
        }
    }
    out.push('\n');
}

/// Colour text that is already escaped for the terminal.
fn paint_escaped(s: &str, tone: Tone, color: bool) -> String {
    match tone.ansi() {
        Some(code) if color && !s.is_empty() => format!("\x1b[{code}m{s}\x1b[0m"),
        _ => s.to_string(),
    }
}

/// Text cut to `max` columns, ending in `…` when cut.
pub fn shorten(s: &str, max: usize) -> String {
    if width_of(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        let next = format!("{out}{c}");
        if width_of(&next) + 1 > max {
            break;
        }
        out = next;
    }
    format!("{}…", out.trim_end())
}

/// A comma-separated list of ids cut to `max` columns without cutting an
/// id: "governance-review +2"; `None` when not even the first id fits.
pub fn shorten_list(s: &str, max: usize) -> Option<String> {
    if width_of(s) <= max {
        return Some(s.to_string());
    }
    let items: Vec<&str> = s.split(", ").collect();
    (1..items.len()).rev().find_map(|keep| {
        let text = format!("{} +{}", items[..keep].join(", "), items.len() - keep);
        (width_of(&text) <= max).then_some(text)
    })
}

/// The words of `s`, with each date ("Sun 22 Nov", "Mon 23 Nov 08:30Z")
/// kept as one word, so wrapping never breaks a date across lines.
fn glue_dates(s: &str) -> Vec<String> {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let bare = |w: &str| w.trim_matches(|c: char| "(),;.".contains(c)).to_string();
    let words: Vec<&str> = s.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let date = i + 2 < words.len()
            && DAYS.contains(&bare(words[i]).as_str())
            && bare(words[i + 1]).parse::<u8>().is_ok()
            && MONTHS.contains(&bare(words[i + 2]).as_str());
        if !date {
            out.push(words[i].to_string());
            i += 1;
            continue;
        }
        let mut n = 3;
        let time = words.get(i + 3).map(|w| bare(w));
        if time.is_some_and(|t| t.len() >= 5 && t.as_bytes()[2] == b':') {
            n = 4;
        }
        out.push(words[i..i + n].join(" "));
        i += n;
    }
    out
}

/// The width of a list's shortest form: its first id and how many more.
fn list_floor(s: &str) -> usize {
    let items: Vec<&str> = s.split(", ").collect();
    match items.len() {
        0 | 1 => width_of(s),
        n => width_of(items[0]) + format!(" +{}", n - 1).len(),
    }
}

/// Text wrapped at spaces into lines of at most `max` columns; a word
/// longer than a line is cut with `…` rather than broken across lines.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in glue_dates(s) {
        let word = shorten(&word, max);
        if current.is_empty() {
            current = word;
        } else if width_of(&current) + 1 + width_of(&word) <= max {
            current.push(' ');
            current.push_str(&word);
        } else {
            lines.push(std::mem::replace(&mut current, word));
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// Rows as blocks: the head values on one line (continued on an indented
/// line where they do not fit, never inside a value), then the details
/// indented under it, as many to a line as fit, separated by ` · `; a
/// detail longer than a line wraps at spaces.
pub fn blocks(bs: &[Block], width: usize, color: bool) -> String {
    let mut out = String::new();
    for b in bs {
        let mut current = String::new();
        let mut used = 0;
        for (s, tone) in &b.head {
            // Ids are short; only a name could be wider than a line.
            let s = shorten(&escape::terminal(s), width.saturating_sub(2));
            let w = width_of(&s);
            if used > 0 && used + GAP + w > width {
                out.push_str(current.trim_end());
                out.push('\n');
                current = "  ".to_string();
                used = 2;
            } else if used > 0 {
                current.push_str("  ");
                used += GAP;
            }
            current.push_str(&paint_escaped(&s, *tone, color));
            used += w;
        }
        out.push_str(current.trim_end());
        out.push('\n');
        let details: Vec<String> = b.detail.iter().map(|d| escape::terminal(d)).collect();
        for l in pack(&details, width.saturating_sub(4).max(20)) {
            out.push_str("    ");
            out.push_str(&l);
            out.push('\n');
        }
    }
    out
}

/// Details packed into lines of at most `max` columns.
fn pack(details: &[String], max: usize) -> Vec<String> {
    const SEP: &str = " · ";
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for d in details {
        if !current.is_empty() && width_of(&current) + width_of(SEP) + width_of(d) <= max {
            current.push_str(SEP);
            current.push_str(d);
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        let mut wrapped = wrap(d, max);
        current = wrapped.pop().unwrap_or_default();
        lines.extend(wrapped);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> Grid {
        let mut g = Grid::new(&["Engagement", "Name", "Overdue", "Why"])
            .fit(1, Fit::Shorten(8))
            .fit(2, Fit::List(12))
            .fit(3, Fit::Wrap(16));
        g.plain_row(vec![
            "northwind-aks".into(),
            "Northwind Traders International".into(),
            "governance-review, internal-health-review, checkpoint".into(),
            "within 2 business days of pm-intro on Tue 17 Nov; 2 business days overdue".into(),
        ]);
        g
    }

    #[test]
    fn a_pipe_gets_every_value_in_full_on_one_line() {
        let out = table(&grid(), None, false).unwrap();
        assert_eq!(out.lines().count(), 3, "{out}");
        assert!(out.contains("Northwind Traders International"));
        assert!(out.contains("internal-health-review, checkpoint"));
    }

    #[test]
    fn columns_give_way_without_cutting_ids() {
        let out = table(&grid(), Some(80), false).unwrap();
        for l in out.lines() {
            assert!(width_of(l) <= 80, "{l:?} in\n{out}");
        }
        assert!(out.contains("northwind-aks"), "{out}");
        assert!(out.contains("governance-review +2"), "{out}");
        assert!(out.lines().count() <= 2 + MAX_WRAP, "{out}");
        assert_eq!(table(&grid(), Some(30), false), None);
    }

    #[test]
    fn blocks_keep_values_whole_and_indent_the_reason() {
        let b = Block {
            head: vec![
                ("Thu 19 Nov".into(), Tone::Plain),
                ("northwind-aks".into(), Tone::Plain),
                ("customer-contact [FE]".into(), Tone::Plain),
                ("2 business days overdue".into(), Tone::Plain),
            ],
            detail: vec!["within 2 business days of pm-intro on Tue 17 Nov".into()],
        };
        let out = blocks(&[b], 60, false);
        assert_eq!(
            out,
            "Thu 19 Nov  northwind-aks  customer-contact [FE]\n  2 business days overdue\n    within 2 business days of pm-intro on Tue 17 Nov\n"
        );
    }

    #[test]
    fn text_shortens_and_wraps_at_the_width() {
        assert_eq!(shorten("Contoso Pharmaceuticals", 10), "Contoso P…");
        assert_eq!(shorten("Contoso", 10), "Contoso");
        assert_eq!(wrap("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        assert_eq!(
            wrap("opened on Sun 22 Nov 08:30Z; due (Mon 23 Nov)", 20),
            ["opened on", "Sun 22 Nov 08:30Z;", "due (Mon 23 Nov)"]
        );
        assert_eq!(shorten_list("a, b, c", 5).as_deref(), Some("a +2"));
        assert_eq!(shorten_list("abcdef, b", 5), None);
    }
}
