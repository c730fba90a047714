//! Laying out `ft blocker`: every blocker, open ones stressed.

use super::{Grid, Tone};
use crate::engagement::Blocker;

pub fn grid(blockers: &[Blocker]) -> Grid {
    let mut grid = Grid::new(&["#", "Opened", "Blocker", "By", "Resolved"]);
    for (i, b) in blockers.iter().enumerate() {
        let tone = if b.resolved.is_some() {
            Tone::Dim
        } else {
            Tone::Warn
        };
        grid.row(vec![
            ((i + 1).to_string(), Tone::Plain),
            (b.opened.to_string(), Tone::Plain),
            (b.text.clone(), tone),
            (b.by.clone().unwrap_or_default(), Tone::Plain),
            (
                b.resolved.map_or("open".to_string(), |d| d.to_string()),
                tone,
            ),
        ]);
    }
    grid
}
