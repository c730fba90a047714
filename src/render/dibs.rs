//! Laying out `ft dibs`.

use super::{Grid, Tone};
use crate::view::dibs::View;

pub fn grid(view: &View) -> Grid {
    let mut grid = Grid::new(&["DIBS", "Value"]);
    for (name, v) in view.fields() {
        match v {
            Some(v) => grid.row(vec![
                (name.to_string(), Tone::Plain),
                (v.to_string(), Tone::Plain),
            ]),
            None => grid.row(vec![
                (name.to_string(), Tone::Warn),
                ("missing".into(), Tone::Bad),
            ]),
        }
    }
    grid
}
