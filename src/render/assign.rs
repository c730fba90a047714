//! Laying out `ft assign`: the ranked candidates.

use super::{Block, Fit, Grid, Layout, Term, Tone};
use crate::view::assign::{Candidate, Listing};

pub fn grid(listing: &Listing) -> Grid {
    let mut g = Grid::new(&[
        "#",
        "Engagement",
        "Customer",
        "Services",
        "Next SLA",
        "Waiting",
        "Fit",
        "Why",
    ])
    .fit(2, Fit::Shorten(10))
    .fit(3, Fit::List(10))
    .fit(7, Fit::Wrap(20));
    for (i, c) in listing.candidates.iter().enumerate() {
        let tone = if c.fit.availability < 0.0 {
            Tone::Warn
        } else {
            Tone::Plain
        };
        g.row(vec![
            ((i + 1).to_string(), Tone::Plain),
            (c.engagement.clone(), Tone::Strong),
            (c.customer.clone(), Tone::Plain),
            (c.services.join(", "), Tone::Plain),
            (next_sla(c), Tone::Plain),
            (format!("{} d", c.fit.waiting_days), Tone::Plain),
            (format!("{:.0}", c.fit.score), Tone::Plain),
            (c.reason.clone(), tone),
        ]);
    }
    g
}

/// "carlos (FE): 1 of 2 engagements: room for 1", then the table, if any.
pub fn table(listing: &Listing, term: Term) -> String {
    let head = crate::escape::terminal(&format!(
        "{} ({}): {}",
        listing.person,
        listing.role,
        listing.room()
    ));
    if listing.candidates.is_empty() {
        return format!("{head}\n");
    }
    let g = grid(listing);
    // Blocks lead with the rank and the engagement id.
    let blocks = g
        .rows
        .iter()
        .map(|row| Block {
            head: row[..2].to_vec(),
            detail: (2..row.len())
                .filter(|i| row[*i].0 != "-")
                .map(|i| format!("{}: {}", g.headers[i], row[i].0))
                .collect(),
        })
        .collect();
    let layout = Layout::of(g)
        .or_without(&[2])
        .or_without(&[2, 3])
        .with_blocks(blocks);
    format!("{head}\n{}", layout.render(term.width, term.color))
}

/// "acknowledge Mon 23 Nov 09:15Z (severity 1)", or "-".
fn next_sla(c: &Candidate) -> String {
    let sev = c
        .severity
        .as_deref()
        .map(|s| format!(" (severity {s})"))
        .unwrap_or_default();
    match (&c.next_task, c.next_due) {
        (Some(t), Some(d)) => format!("{t} {}{sev}", crate::sla::due_words(d)),
        _ if !sev.is_empty() => sev.trim().to_string(),
        _ => "-".into(),
    }
}
