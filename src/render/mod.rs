//! Writing view models as a terminal table, Markdown, CSV or JSON.
//!
//! Renderers compute nothing: commands build the rows and view models.

pub mod report;

use std::fmt::Write as _;

use comfy_table::{Attribute, Cell, Color, ContentArrangement, LineStyle, Table, TableStyle};

/// Columns with a rule under the header, like `task next`.
const STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction(' '));
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Markdown,
    Csv,
}

/// How a cell should stand out on a colour terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Bad,
    Warn,
    Good,
    Dim,
    Strong,
}

impl Tone {
    fn ansi(self) -> Option<&'static str> {
        match self {
            Tone::Plain => None,
            Tone::Bad => Some("31"),
            Tone::Warn => Some("33"),
            Tone::Good => Some("32"),
            Tone::Dim => Some("2"),
            Tone::Strong => Some("1"),
        }
    }
}

/// Wrap `text` in ANSI colour when `color` is on.
pub fn paint(text: &str, tone: Tone, color: bool) -> String {
    match tone.ansi() {
        Some(code) if color => format!("\x1b[{code}m{text}\x1b[0m"),
        _ => text.to_string(),
    }
}

/// Rows of text with a header, and an optional tone per cell.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<(String, Tone)>>,
}

impl Grid {
    pub fn new(headers: &[&str]) -> Self {
        Self {
            headers: headers.iter().map(ToString::to_string).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<(String, Tone)>) {
        self.rows.push(cells);
    }

    pub fn plain_row(&mut self, cells: Vec<String>) {
        self.rows
            .push(cells.into_iter().map(|c| (c, Tone::Plain)).collect());
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn render(&self, format: Format, color: bool) -> String {
        match format {
            Format::Table | Format::Json => self.table(color),
            Format::Markdown => self.markdown(),
            Format::Csv => self.csv(),
        }
    }

    pub fn table(&self, color: bool) -> String {
        let mut t = Table::new();
        t.load_style(STYLE)
            .set_content_arrangement(ContentArrangement::Dynamic);
        // On a terminal the table fits its width (colour or not); elsewhere it is not wrapped.
        if color {
            t.enforce_styling();
        } else if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
            t.force_no_tty();
        }
        let header: Vec<Cell> = self
            .headers
            .iter()
            .map(|h| {
                let c = Cell::new(h);
                if color {
                    c.add_attribute(Attribute::Bold)
                } else {
                    c
                }
            })
            .collect();
        if self.headers.iter().any(|h| !h.is_empty()) {
            t.set_header(header);
        }
        for row in &self.rows {
            t.add_row(
                row.iter()
                    .map(|(text, tone)| cell(text, *tone, color))
                    .collect::<Vec<_>>(),
            );
        }
        format!("{t}\n")
    }

    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let esc = |s: &str| s.replace('|', "\\|").replace('\n', "<br>");
        let _ = writeln!(
            out,
            "| {} |",
            self.headers
                .iter()
                .map(|h| esc(h))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        let _ = writeln!(out, "|{}|", vec![" --- "; self.headers.len()].join("|"));
        for row in &self.rows {
            let _ = writeln!(
                out,
                "| {} |",
                row.iter()
                    .map(|(c, _)| esc(c))
                    .collect::<Vec<_>>()
                    .join(" | ")
            );
        }
        out
    }

    pub fn csv(&self) -> String {
        let mut out = String::new();
        let line = |cells: Vec<&str>| {
            cells
                .into_iter()
                .map(csv_field)
                .collect::<Vec<_>>()
                .join(",")
        };
        out.push_str(&line(self.headers.iter().map(String::as_str).collect()));
        out.push_str("\r\n");
        for row in &self.rows {
            out.push_str(&line(row.iter().map(|(c, _)| c.as_str()).collect()));
            out.push_str("\r\n");
        }
        out
    }
}

fn cell(text: &str, tone: Tone, color: bool) -> Cell {
    let c = Cell::new(text);
    if !color {
        return c;
    }
    match tone {
        Tone::Plain => c,
        Tone::Bad => c.fg(Color::Red),
        Tone::Warn => c.fg(Color::Yellow),
        Tone::Good => c.fg(Color::Green),
        Tone::Dim => c.fg(Color::DarkGrey),
        Tone::Strong => c.add_attribute(Attribute::Bold),
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Shorten text to `max` characters, ending with `...` when cut.
pub fn ellipsize(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(3)).collect();
    format!("{}...", cut.trim_end())
}

/// Pretty JSON with a trailing newline.
pub fn json<T: Serialize + ?Sized>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("view models serialize");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_when_needed() {
        let mut g = Grid::new(&["id", "customer"]);
        g.plain_row(vec!["a".into(), "Contoso, \"Ltd\"".into()]);
        assert_eq!(g.csv(), "id,customer\r\na,\"Contoso, \"\"Ltd\"\"\"\r\n");
    }

    #[test]
    fn markdown_escapes_pipes() {
        let mut g = Grid::new(&["a"]);
        g.plain_row(vec!["x|y".into()]);
        assert_eq!(g.markdown(), "| a |\n| --- |\n| x\\|y |\n");
    }

    #[test]
    fn paint_only_with_color() {
        assert_eq!(paint("x", Tone::Bad, false), "x");
        assert_eq!(paint("x", Tone::Bad, true), "\x1b[31mx\x1b[0m");
    }
}
