//! Laying out `ft next`: one line per item, most urgent first.

use super::{Grid, Tone, ellipsize};
use crate::agenda::{Item, Kind};
use crate::sla::{self, Status};

pub fn grid(items: &[Item]) -> Grid {
    let mut g = Grid::new(&["Due", "Engagement", "Item", "Why"]);
    for i in items {
        let tone = match i.status {
            Status::Overdue { .. } => Tone::Bad,
            Status::DueSoon => Tone::Warn,
            _ => Tone::Plain,
        };
        let what = match (i.kind, &i.task) {
            (Kind::Task, Some(id)) => format!(
                "{id} {}{}",
                ellipsize(&i.name, 48),
                if i.mandatory { "" } else { " (optional)" }
            ),
            (Kind::Cadence, Some(id)) => format!("{id}: {}", i.name),
            _ => i.name.clone(),
        };
        g.row(vec![
            (i.due.map_or("-".to_string(), sla::due_words), tone),
            (i.engagement.clone(), Tone::Strong),
            (format!("{what} [{}]", i.role), Tone::Plain),
            (i.reason.clone(), tone),
        ]);
    }
    g
}
