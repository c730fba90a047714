//! Laying out `ft next`: one line per item, most urgent first.

use super::{Grid, Tone, ellipsize};
use crate::agenda::{Item, Kind};
use crate::sla::{self, Status};

/// Below this many columns `ft next` shows each item's id and status only:
/// the full names and reasons would wrap every row over several lines.
pub const NARROW: u16 = 120;

pub fn grid(items: &[Item], narrow: bool) -> Grid {
    let mut g = if narrow {
        Grid::new(&["Engagement", "Item", "Status"])
    } else {
        Grid::new(&["Due", "Engagement", "Item", "Why"])
    };
    for i in items {
        let tone = match i.status {
            Status::Overdue { .. } => Tone::Bad,
            Status::DueSoon => Tone::Warn,
            _ => Tone::Plain,
        };
        if narrow {
            let what = match (i.kind, &i.task) {
                (Kind::Task | Kind::Cadence, Some(id)) => id.clone(),
                _ => ellipsize(&i.name, 24),
            };
            let status = match (i.overdue, i.due) {
                (true, Some(d)) => format!("{} (due {})", i.brief, sla::due_words(d)),
                _ => i.brief.clone(),
            };
            g.row(vec![
                (i.engagement.clone(), Tone::Strong),
                (format!("{what} [{}]", i.role), Tone::Plain),
                (status, tone),
            ]);
            continue;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_narrow_form_keeps_one_short_line_per_item() {
        let due = crate::clock::Due::Day(chrono::NaiveDate::from_ymd_opt(2026, 11, 19).unwrap());
        let item = Item {
            engagement: "northwind-aks".into(),
            customer: "Northwind".into(),
            kind: Kind::Task,
            task: Some("customer-contact".into()),
            name: "Contact the customer to acknowledge the introduction".into(),
            role: "FE".into(),
            mandatory: true,
            due: Some(due),
            overdue: true,
            at_risk: false,
            urgency: 100.0,
            reason: "within 2 business days of pm-intro on Tue 17 Nov; 2 business days overdue"
                .into(),
            brief: "2 business days overdue".into(),
            status: Status::Open,
        };
        let narrow = grid(std::slice::from_ref(&item), true);
        assert_eq!(narrow.headers, ["Engagement", "Item", "Status"]);
        let cells: Vec<&str> = narrow.rows[0].iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            cells,
            [
                "northwind-aks",
                "customer-contact [FE]",
                "2 business days overdue (due Thu 19 Nov)"
            ]
        );
        let wide = grid(&[item], false);
        assert_eq!(wide.headers.len(), 4, "the full form keeps the reasons");
    }
}
