//! The CSV writer (RFC 4180, CRLF line ends), with every cell written through
//! [`escape::csv`], which also defuses spreadsheet formulas.

use super::Grid;
use crate::escape;

/// A grid as CSV: the header line, then one line per row.
pub fn grid(g: &Grid) -> String {
    let mut out = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &String>| {
        out.push_str(&cells.map(|c| escape::csv(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    };
    line(&mut g.headers.iter());
    for row in &g.rows {
        line(&mut row.iter().map(|(c, _)| c));
    }
    out
}
