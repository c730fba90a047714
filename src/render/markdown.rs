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
    let mut out = String::new();
    let row = |cells: &mut dyn Iterator<Item = &String>| {
        cells.map(|c| text(c)).collect::<Vec<_>>().join(" | ")
    };
    let _ = writeln!(out, "| {} |", row(&mut g.headers.iter()));
    let _ = writeln!(out, "|{}|", vec![" --- "; g.headers.len()].join("|"));
    for cells in &g.rows {
        let _ = writeln!(out, "| {} |", row(&mut cells.iter().map(|(c, _)| c)));
    }
    out
}

/// Text for a Mermaid label: one line, nothing Mermaid reads as syntax.
pub fn mermaid(text: &str) -> String {
    escape::mermaid(text)
}
