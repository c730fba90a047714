//! Writing view models as a terminal table, Markdown, CSV, HTML or JSON.
//!
//! Renderers compute nothing: commands build view models (`crate::view`),
//! and the modules here lay them out. There are two kinds of module:
//!
//! - one writer per format, which owns that format's syntax and its escaping
//!   (`table`, `markdown`, `csv`, `html`; JSON is the view model serialized by
//!   [`json`]). Every piece of text from a file reaches the output through one
//!   of them, and they call [`crate::escape`] once, on the way out;
//! - one module per view (`show`, `report`, `list`, `next`), which decides
//!   what goes in which cell or heading, as raw text, and hands it to a writer.

pub mod assign;
pub mod blocker;
pub mod csv;
pub mod dibs;
pub mod explain;
pub mod html;
pub mod layout;
pub mod list;
pub mod markdown;
pub mod next;
pub mod report;
pub mod show;

use std::io::{self, Write};

use serde::Serialize;

pub use layout::{Block, Fit, Layout};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Markdown,
    Csv,
    // A self-contained HTML page, for `ft report` only.
    Html,
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
    pub(crate) fn ansi(self) -> Option<&'static str> {
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

/// Terminal text: `text` shown with [`escape::terminal`](crate::escape::terminal),
/// wrapped in ANSI colour when `color` is on.
pub fn paint(text: &str, tone: Tone, color: bool) -> String {
    let text = crate::escape::terminal(text);
    match tone.ansi() {
        Some(code) if color => format!("\x1b[{code}m{text}\x1b[0m"),
        _ => text,
    }
}

/// Where terminal output goes: whether it may be coloured, and how many
/// columns it may take (`None`: a pipe or a file, so values are kept whole).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub color: bool,
    pub width: Option<usize>,
}

impl Term {
    /// Output to a pipe or a file: no colour, no width.
    pub const PIPE: Term = Term {
        color: false,
        width: None,
    };
}

/// No layout is made for fewer columns than this; narrower terminals get
/// the 40-column layout and wrap.
pub const MIN_WIDTH: usize = 40;

/// Rows of text with a header, an optional tone per cell, and how each
/// column may give way on a narrow terminal.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<(String, Tone)>>,
    pub fits: Vec<Fit>,
}

impl Grid {
    pub fn new(headers: &[&str]) -> Self {
        Self {
            headers: headers.iter().map(ToString::to_string).collect(),
            rows: Vec::new(),
            fits: vec![Fit::Whole; headers.len()],
        }
    }

    /// Let column `col` give way as `fit` says on a narrow terminal.
    pub fn fit(mut self, col: usize, fit: Fit) -> Self {
        if col < self.fits.len() {
            self.fits[col] = fit;
        }
        self
    }

    /// How column `col` may give way (whole when not said).
    pub fn fit_of(&self, col: usize) -> Fit {
        self.fits.get(col).copied().unwrap_or(Fit::Whole)
    }

    /// The same grid without columns `cols`.
    pub fn without(&self, cols: &[usize]) -> Grid {
        let keep = |i: &usize| !cols.contains(i);
        let pick = |v: &[(String, Tone)]| -> Vec<(String, Tone)> {
            v.iter()
                .enumerate()
                .filter(|(i, _)| keep(i))
                .map(|(_, c)| c.clone())
                .collect()
        };
        Grid {
            headers: (0..self.headers.len())
                .filter(keep)
                .map(|i| self.headers[i].clone())
                .collect(),
            rows: self.rows.iter().map(|r| pick(r)).collect(),
            fits: (0..self.headers.len())
                .filter(keep)
                .map(|i| self.fit_of(i))
                .collect(),
        }
    }

    pub(crate) fn fits_or_whole(&self) -> Vec<Fit> {
        (0..self.headers.len()).map(|i| self.fit_of(i)).collect()
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

    pub fn render(&self, format: Format, term: Term) -> String {
        match format {
            Format::Table | Format::Json => self.table(term),
            Format::Markdown => self.markdown(),
            Format::Csv => self.csv(),
            Format::Html => html::grid(self),
        }
    }

    /// A terminal table fitted to the width, or as blocks of the same
    /// cells when no table fits; every cell shown with
    /// [`escape::terminal`](crate::escape::terminal).
    pub fn table(&self, term: Term) -> String {
        Layout::of(self.clone()).render(term.width, term.color)
    }

    /// Each row as a block: its first value (an id) and a name that
    /// follows it on the first line, then every other value with its header.
    pub fn blocks(&self) -> Vec<Block> {
        let named = matches!(self.fit_of(1), Fit::Shorten(_));
        let head = if named { 2 } else { 1 };
        self.rows
            .iter()
            .map(|r| Block {
                head: r.iter().take(head).cloned().collect(),
                detail: r
                    .iter()
                    .enumerate()
                    .skip(head)
                    .filter(|(_, c)| !c.0.is_empty() && c.0 != "-")
                    .map(|(i, c)| format!("{}: {}", self.headers[i], c.0))
                    .collect(),
            })
            .collect()
    }

    /// A Markdown table; every cell written with [`escape::markdown`](crate::escape::markdown).
    pub fn markdown(&self) -> String {
        markdown::grid(self)
    }

    /// CSV with CRLF line ends; every cell written with [`escape::csv`](crate::escape::csv).
    pub fn csv(&self) -> String {
        csv::grid(self)
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

/// Pretty JSON of one object written a piece at a time: its fields in
/// turn, one of which may be an array written an element at a time. The
/// bytes are those [`json`] gives for the whole object, without the whole
/// of it (or its text) in memory at once.
pub struct JsonObject<W: Write> {
    out: W,
    /// Fields begun so far.
    fields: usize,
    /// Elements written so far of the array being written, if one is.
    elements: Option<usize>,
}

impl<W: Write> JsonObject<W> {
    pub fn new(out: W) -> Self {
        JsonObject {
            out,
            fields: 0,
            elements: None,
        }
    }

    fn key(&mut self, key: &str) -> io::Result<()> {
        let before: &[u8] = if self.fields == 0 { b"{\n  " } else { b",\n  " };
        self.fields += 1;
        self.out.write_all(before)?;
        serde_json::to_writer(&mut self.out, key)?;
        self.out.write_all(b": ")
    }

    pub fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> io::Result<()> {
        self.key(key)?;
        nested(&mut self.out, b"  ", value)
    }

    /// Begin a field whose value is an array of [`JsonObject::element`]s.
    pub fn begin_array(&mut self, key: &str) -> io::Result<()> {
        self.key(key)?;
        self.elements = Some(0);
        self.out.write_all(b"[")
    }

    pub fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> io::Result<()> {
        let n = self.elements.as_mut().expect("an array is begun");
        let before: &[u8] = if *n == 0 { b"\n    " } else { b",\n    " };
        *n += 1;
        self.out.write_all(before)?;
        nested(&mut self.out, b"    ", value)
    }

    pub fn end_array(&mut self) -> io::Result<()> {
        match self.elements.take() {
            Some(0) | None => self.out.write_all(b"]"),
            Some(_) => self.out.write_all(b"\n  ]"),
        }
    }

    /// Close the object (and the line), and give back the writer.
    pub fn finish(mut self) -> io::Result<W> {
        let end: &[u8] = if self.fields == 0 { b"{}\n" } else { b"\n}\n" };
        self.out.write_all(end)?;
        Ok(self.out)
    }
}

/// `value` as pretty JSON nested in a value `indent` deep: each of its
/// lines after the first is indented by that much more. (JSON text has
/// no line breaks in its strings, so every one is the formatter's.)
fn nested<W: Write, T: Serialize + ?Sized>(out: W, indent: &[u8], value: &T) -> io::Result<()> {
    let out = Indented { out, indent };
    serde_json::to_writer_pretty(out, value).map_err(io::Error::from)
}

/// A writer that indents every line after the first.
struct Indented<'a, W> {
    out: W,
    indent: &'a [u8],
}

impl<W: Write> Write for Indented<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        for (i, line) in buf.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                self.out.write_all(b"\n")?;
                self.out.write_all(self.indent)?;
            }
            self.out.write_all(line)?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
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

    #[test]
    fn every_writer_escapes_every_cell() {
        let mut g = Grid::new(&["Customer", "Note"]);
        g.plain_row(vec![
            "Evil\x1b]0;PWNED\x07\x1b[2J".into(),
            "=HYPERLINK(\"http://x\")".into(),
        ]);
        g.plain_row(vec!["a|b\nc".into(), "+cmd|' /C calc'!A0".into()]);
        let (plain, colour) = (
            Term::PIPE,
            Term {
                color: true,
                width: Some(80),
            },
        );
        for out in [
            g.table(plain),
            g.table(colour),
            g.markdown(),
            g.csv(),
            html::grid(&g),
        ] {
            assert!(!out.contains(['\x07']), "{out:?}");
            assert!(!out.contains("\x1b]"), "{out:?}");
            assert!(!out.contains("\x1b[2J"), "{out:?}");
        }
        assert!(g.table(plain).contains("a|b\\nc"));
        assert!(g.markdown().contains("| a\\|b<br>c |"));
        let csv = g.csv();
        assert!(
            csv.contains(",\"'=HYPERLINK(\"\"http://x\"\")\"\r\n"),
            "{csv}"
        );
        assert!(csv.contains(",\"'+cmd|' /C calc'!A0\"\r\n"), "{csv}");
    }

    #[test]
    fn json_written_a_piece_at_a_time_is_the_whole_value() {
        #[derive(Serialize)]
        struct Whole {
            n: u32,
            list: Vec<serde_json::Value>,
            last: serde_json::Value,
        }
        let items = vec![
            serde_json::json!({"a": [1, {"b": "two\nlines \"quoted\""}], "c": {}, "d": []}),
            serde_json::json!([]),
            serde_json::json!("s"),
            serde_json::json!(null),
        ];
        for list in [Vec::new(), items] {
            let whole = Whole {
                n: 3,
                list,
                last: serde_json::json!({"k": [true, 1.5, {"x": {}}]}),
            };
            let mut o = JsonObject::new(Vec::new());
            o.field("n", &whole.n).unwrap();
            o.begin_array("list").unwrap();
            for v in &whole.list {
                o.element(v).unwrap();
            }
            o.end_array().unwrap();
            o.field("last", &whole.last).unwrap();
            let text = String::from_utf8(o.finish().unwrap()).unwrap();
            assert_eq!(text, json(&whole));
        }
        let empty = JsonObject::new(Vec::new()).finish().unwrap();
        assert_eq!(
            String::from_utf8(empty).unwrap(),
            json(&serde_json::json!({}))
        );
    }
}
