//! The Markdown writer: tables, headings, list items and Mermaid charts,
//! with every piece of text written through [`escape::markdown`] (or
//! [`escape::mermaid`] inside a chart).

use std::fmt::Write as _;

use super::Grid;
use crate::escape;

/// Inline text from `text`: one line, no markup of its own.
pub fn text(text: &str) -> String {
    escape::markdown(text)
}

/// A heading of `level` (1 to 6), followed by a blank line.
pub fn heading(level: usize, title: &str) -> String {
    format!("{} {}\n\n", "#".repeat(level), text(title))
}

/// A list item.
pub fn item(line: &str) -> String {
    format!("- {}\n", escape::markdown_line(line))
}

/// A grid as a pipe table.
pub fn grid(g: &Grid) -> String {
    let mut out = table_head(&g.headers);
    for cells in &g.rows {
        table_row(&mut out, cells.iter().map(|(c, _)| c));
    }
    out
}

/// The first two lines of a pipe table: its headers, then the line under them.
pub fn table_head(headers: &[impl AsRef<str>]) -> String {
    let mut out = String::new();
    table_row(&mut out, headers);
    let _ = writeln!(out, "|{}|", vec![" --- "; headers.len()].join("|"));
    out
}

/// One line of a pipe table, added to `out`.
pub fn table_row(out: &mut String, cells: impl IntoIterator<Item = impl AsRef<str>>) {
    out.push('|');
    for c in cells {
        out.push(' ');
        out.push_str(&text(c.as_ref()));
        out.push_str(" |");
    }
    out.push('\n');
}

/// Text for a Mermaid label: one line, nothing Mermaid reads as syntax.
pub fn mermaid(text: &str) -> String {
    escape::mermaid(text)
}
