//! Laying out `ft next`: most urgent first, as a table on a wide terminal
//! or a pipe, as two-line blocks on a narrow one.

use super::{Block, Fit, Grid, Layout, Tone};
use crate::agenda::{Item, Kind};
use crate::sla::{self, Status};

/// The table (due, engagement, task and role, name, reason) and the same
/// items as blocks: due, engagement, task and role and status on the first
/// line, the reason under it.
pub fn layout(items: &[Item]) -> Layout {
    let mut table = Grid::new(&["Due", "Engagement", "Task", "Name", "Why"])
        .fit(3, Fit::Shorten(12))
        .fit(4, Fit::Wrap(28));
    let mut blocks = Vec::with_capacity(items.len());
    for i in items {
        let tone = tone(i);
        let due = i.due.map_or("-".to_string(), sla::due_words);
        let what = format!("{} [{}]", task_label(i), i.role);
        let name = match i.kind {
            Kind::Task if !i.mandatory => format!("{} (optional)", i.name),
            Kind::Task | Kind::Cadence => i.name.clone(),
            _ => String::new(),
        };
        table.row(vec![
            (due.clone(), tone),
            (i.engagement.clone(), Tone::Strong),
            (what.clone(), Tone::Plain),
            (name, Tone::Plain),
            (i.reason.clone(), tone),
        ]);
        let mut head = vec![
            (due, tone),
            (i.engagement.clone(), Tone::Strong),
            (what, Tone::Plain),
            (i.brief.clone(), tone),
        ];
        if i.due.is_none() {
            head.remove(0);
        }
        blocks.push(Block {
            head,
            detail: vec![without_brief(&i.reason, &i.brief)],
        });
    }
    Layout::of(table).with_blocks(blocks)
}

/// The grid for Markdown and CSV: every value in full.
pub fn grid(items: &[Item]) -> Grid {
    layout(items).grid
}

fn tone(i: &Item) -> Tone {
    match i.status {
        Status::Overdue { .. } => Tone::Bad,
        Status::DueSoon => Tone::Warn,
        _ if i.overdue => Tone::Bad,
        _ => Tone::Plain,
    }
}

/// The reason without the status at its end, which the block's first line
/// already shows.
fn without_brief(reason: &str, brief: &str) -> String {
    reason
        .strip_suffix(brief)
        .and_then(|r| r.strip_suffix("; "))
        .unwrap_or(reason)
        .to_string()
}

/// The task or cadence id, or what the item is (DIBS, a role to fill).
fn task_label(i: &Item) -> String {
    match (i.kind, &i.task) {
        (Kind::Task | Kind::Cadence, Some(id)) => id.clone(),
        _ => i.name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::layout::width_of;

    #[test]
    fn a_narrow_terminal_gets_two_line_blocks_with_whole_ids() {
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
        let l = layout(std::slice::from_ref(&item));
        let narrow = l.render(Some(80), false);
        assert_eq!(
            narrow,
            "Thu 19 Nov  northwind-aks  customer-contact [FE]  2 business days overdue\n    within 2 business days of pm-intro on Tue 17 Nov\n"
        );
        let wide = l.render(Some(200), false);
        assert_eq!(wide.lines().count(), 3, "{wide}");
        assert!(wide.lines().all(|l| width_of(l) <= 200));
        assert!(wide.contains("Contact the customer to acknowledge the introduction"));
    }
}
