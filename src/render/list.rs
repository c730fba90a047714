//! Laying out `ft list`: one line per engagement.

use super::{Fit, Grid, Layout, Tone};
use crate::engagement::Status;
use crate::view::list::Row;

pub fn grid(rows: &[Row]) -> Grid {
    let mut grid = Grid::new(&[
        "ID", "Customer", "Playbook", "Status", "Services", "Team", "Health",
    ])
    .fit(1, Fit::Shorten(10))
    .fit(4, Fit::List(10))
    .fit(5, Fit::List(12));
    for r in rows {
        let health_tone = match r.health {
            Some("red") => Tone::Bad,
            Some("yellow") => Tone::Warn,
            Some("green") => Tone::Good,
            _ => Tone::Plain,
        };
        let status_tone = if r.status == Status::Unassigned {
            Tone::Warn
        } else {
            Tone::Plain
        };
        grid.row(vec![
            (r.id.to_string(), Tone::Strong),
            (r.customer.to_string(), Tone::Plain),
            (r.playbook.to_string(), Tone::Plain),
            (r.status.to_string(), status_tone),
            (r.services.join(", "), Tone::Plain),
            (
                r.team
                    .iter()
                    .map(|(role, p)| format!("{role} {p}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                Tone::Plain,
            ),
            (r.health.unwrap_or("-").to_string(), health_tone),
        ]);
    }
    grid
}

/// On a narrow terminal the playbook, then the services, then the customer
/// give way; ids, statuses and health stay whole.
pub fn layout(rows: &[Row]) -> Layout {
    Layout::of(grid(rows))
        .or_without(&[2])
        .or_without(&[2, 4])
        .or_without(&[1, 2, 4])
}
