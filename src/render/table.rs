//! The terminal writer: tables (comfy-table) and lines of text, with every
//! piece of text shown through [`escape::terminal`].

use comfy_table::{Attribute, Cell, Color, ContentArrangement, LineStyle, Table, TableStyle};

use super::{Grid, Tone};
use crate::escape;

/// Columns with a rule under the header, like `task next`.
const STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction(' '));

/// One line of terminal text from `text`, safe whatever it holds.
pub fn text(text: &str) -> String {
    escape::terminal(text)
}

/// A grid as a table that fits the terminal (not wrapped when piped).
pub fn grid(g: &Grid, color: bool) -> String {
    let mut t = Table::new();
    t.load_style(STYLE)
        .set_content_arrangement(ContentArrangement::Dynamic);
    // On a terminal the table fits its width (colour or not); elsewhere it is not wrapped.
    if color {
        t.enforce_styling();
    } else if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        t.force_no_tty();
    }
    if g.headers.iter().any(|h| !h.is_empty()) {
        t.set_header(g.headers.iter().map(|h| {
            let c = Cell::new(text(h));
            if color {
                c.add_attribute(Attribute::Bold)
            } else {
                c
            }
        }));
    }
    for row in &g.rows {
        t.add_row(
            row.iter()
                .map(|(s, tone)| cell(s, *tone, color))
                .collect::<Vec<_>>(),
        );
    }
    format!("{t}\n")
}

fn cell(s: &str, tone: Tone, color: bool) -> Cell {
    let c = Cell::new(text(s));
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
