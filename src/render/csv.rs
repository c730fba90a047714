//! The CSV writer (RFC 4180, CRLF line ends), with every cell written through
//! [`escape::csv`], which also defuses spreadsheet formulas.

use super::Grid;
use crate::escape;

/// A grid as CSV: the header line, then one line per row.
pub fn grid(g: &Grid) -> String {
    let mut out = String::new();
    line(&mut out, g.headers.iter());
    for row in &g.rows {
        line(&mut out, row.iter().map(|(c, _)| c));
    }
    out
}

/// One CSV line of `cells`, with its CRLF, added to `out`.
pub fn line(out: &mut String, cells: impl IntoIterator<Item = impl AsRef<str>>) {
    for (i, c) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&escape::csv(c.as_ref()));
    }
    out.push_str("\r\n");
}
