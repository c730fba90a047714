//! Laying out the view of one engagement (`ft show`, and the detail of
//! `ft report ID`): a title, a table of facts, then a table per stage,
//! cadences, blockers, health history and notes.
//!
//! The facts table is a terminal table unless the format is Markdown; the
//! other tables follow the format (CSV included), as they always have.

use super::{Fit, Format, Grid, Term, Tone, layout, markdown, paint};
use crate::sla::{self, Status};
use crate::view::show::{CadenceView, StageView, View};

/// The whole view in `format` (JSON is the view serialized, not this).
pub fn render(v: &View, format: Format, term: Term) -> String {
    let mut out = title(v, format, term);
    out.push_str(&body(v, format, term));
    out
}

/// The first line: id and customer (a level-2 heading in Markdown). On a
/// narrow terminal the customer shortens with `…`; the id stays whole.
pub fn title(v: &View, format: Format, term: Term) -> String {
    if format == Format::Markdown {
        return markdown::heading(2, &format!("{}: {}", v.id, v.customer));
    }
    let id = paint(&v.id, Tone::Strong, term.color);
    let customer = crate::escape::terminal(&v.customer);
    let room = term
        .width
        .map(|w| w.saturating_sub(layout::width_of(&crate::escape::terminal(&v.id)) + 1));
    match room {
        Some(0) => format!("{id}\n"),
        Some(room) => format!("{id} {}\n", layout::shorten(&customer, room)),
        None => format!("{id} {customer}\n"),
    }
}

/// Everything after the title: facts, then each section that has rows.
pub fn body(v: &View, format: Format, term: Term) -> String {
    let md = format == Format::Markdown;
    let facts = facts(v, md);
    let mut out = if md {
        facts.markdown()
    } else {
        facts.table(term)
    };
    for (title, grid) in sections(v) {
        if md {
            out.push('\n');
            out.push_str(&markdown::heading(3, &title));
        } else {
            out.push_str(&format!("\n{}", paint(&title, Tone::Strong, term.color)));
            out.push_str(if grid.is_some() {
                "\n"
            } else {
                " (no tasks)\n"
            });
        }
        match grid {
            Some(g) => out.push_str(&g.render(format, term)),
            None if md => out.push_str("No tasks.\n"),
            None => {}
        }
    }
    out
}

/// The sections after the facts, titled: each stage (`None` when it has no
/// tasks), then cadences, blockers, health history and notes where there are any.
pub(crate) fn sections(v: &View) -> Vec<(String, Option<Grid>)> {
    // Stages keep the playbook's numbers; one without tasks says so, so the
    // numbering has no unexplained gap.
    let mut sections: Vec<(String, Option<Grid>)> = v
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let grid = (!s.tasks.is_empty()).then(|| stage(s));
            (format!("Stage {}: {}", i + 1, s.name), grid)
        })
        .collect();
    let others = [
        (
            "Cadences",
            !v.cadences.is_empty(),
            cadences as fn(&View) -> Grid,
        ),
        ("Blockers", !v.blockers.is_empty(), blockers),
        ("Health history", !v.health.is_empty(), health),
        ("Notes", !v.notes.is_empty(), notes),
    ];
    for (title, shown, grid) in others {
        if shown {
            sections.push((title.to_string(), Some(grid(v))));
        }
    }
    sections
}

fn status_tone(s: &Status) -> Tone {
    match s {
        Status::Overdue { .. } | Status::DoneLate { .. } => Tone::Bad,
        Status::DueSoon => Tone::Warn,
        Status::Done { .. } | Status::DoneOnTime { .. } => Tone::Good,
        Status::Skipped { forced: true, .. } => Tone::Warn,
        Status::Skipped { .. } | Status::Waiting => Tone::Dim,
        _ => Tone::Plain,
    }
}

/// Field and value rows: playbook, status, services, fields, seats,
/// enablement, team, milestones, DIBS, SSAT, latest health, current stage;
/// headed "Field" and "Value" when `headed` (Markdown, HTML).
pub(crate) fn facts(v: &View, headed: bool) -> Grid {
    let mut facts = if headed {
        Grid::new(&["Field", "Value"])
    } else {
        Grid::new(&["", ""]).fit(1, Fit::Para(20))
    };
    let mut fact = |k: &str, (val, tone): (String, Tone)| {
        facts.row(vec![(k.to_string(), Tone::Strong), (val, tone)]);
    };
    let plain = |s: String| (s, Tone::Plain);
    fact(
        "Playbook",
        plain(format!("{} ({})", v.playbook, v.playbook_name)),
    );
    fact("Status", plain(v.status.to_string()));
    if !v.services.is_empty() {
        fact("Services", plain(v.services.join(", ")));
    }
    for (k, val) in &v.fields {
        fact(k, plain(val.clone()));
    }
    if let Some(seats) = v.seats {
        fact("Seats", plain(seats.to_string()));
    }
    if let Some(en) = enablement(v) {
        fact("Enablement", en);
    }
    fact("Team", plain(team(v)));
    if !v.handovers.is_empty() {
        let list: Vec<String> = v
            .handovers
            .iter()
            .map(|h| format!("{} {} to {} on {}", h.role, h.from, h.to, h.on))
            .collect();
        fact("Handovers", plain(list.join("; ")));
    }
    if !v.holds.is_empty() {
        let list: Vec<String> = v
            .holds
            .iter()
            .map(|h| {
                let to = match (&h.to, h.until) {
                    (Some(t), _) => format!("to {t}"),
                    (None, Some(d)) => format!(
                        "ongoing, expected back {}",
                        sla::due_words(sla::Due::Day(d))
                    ),
                    (None, None) => "ongoing".to_string(),
                };
                let by =
                    h.by.as_deref()
                        .map(|b| format!(" ({b})"))
                        .unwrap_or_default();
                format!("{} {to}: {}{by}", h.from, h.reason)
            })
            .collect();
        fact("Holds", plain(list.join("; ")));
    }
    fact("Milestones", plain(milestones(v)));
    if let Some(d) = dibs(v) {
        fact("DIBS", d);
    }
    if let Some(s) = ssat(v) {
        fact("SSAT", plain(s));
    }
    if let Some(h) = health_now(v) {
        fact("Health", h);
    }
    if let Some(s) = &v.current_stage {
        fact("Current stage", plain(s.clone()));
    }
    facts
}

fn enablement(v: &View) -> Option<(String, Tone)> {
    let en = v.enablement.as_ref()?;
    let done = if en.complete { "complete" } else { "not yet" };
    let tone = if en.complete { Tone::Good } else { Tone::Plain };
    Some((
        format!(
            "{} of {} active users needed: {done}",
            en.active_users, en.target
        ),
        tone,
    ))
}

fn team(v: &View) -> String {
    if v.team.is_empty() {
        return "nobody yet".into();
    }
    v.team
        .iter()
        .map(|t| format!("{} {}", t.role, t.person))
        .collect::<Vec<_>>()
        .join(", ")
}

fn milestones(v: &View) -> String {
    v.milestones
        .iter()
        .map(|m| {
            let on = m.at.map_or("-".to_string(), sla::record_words);
            format!("{} {on}", m.id)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `None` when the playbook does not track DIBS.
fn dibs(v: &View) -> Option<(String, Tone)> {
    if v.dibs.due_at.is_none() && !v.dibs_required {
        return None;
    }
    if v.dibs.missing.is_empty() {
        return Some(("complete".into(), Tone::Good));
    }
    let by = v
        .dibs
        .due_at
        .as_deref()
        .map(|m| format!(" (due by {m})"))
        .unwrap_or_default();
    let names: Vec<&str> = v
        .dibs
        .missing
        .iter()
        .map(|k| crate::playbook::dibs_label(k))
        .collect();
    Some((format!("missing {}{by}", names.join(", ")), Tone::Bad))
}

fn ssat(v: &View) -> Option<String> {
    if v.ssat.is_empty() {
        return None;
    }
    let done = v.ssat.iter().filter(|s| s.done).count();
    let items = v
        .ssat
        .iter()
        .map(|s| format!("{} {}", s.item, if s.done { "yes" } else { "no" }))
        .collect::<Vec<_>>()
        .join(", ");
    Some(format!("{done}/{}: {items}", v.ssat.len()))
}

fn health_now(v: &View) -> Option<(String, Tone)> {
    let h = v.health.iter().max_by(|a, b| a.on.cmp(&b.on))?;
    let tone = match h.status {
        "red" => Tone::Bad,
        "yellow" => Tone::Warn,
        _ => Tone::Good,
    };
    let note = h
        .note
        .as_deref()
        .map(|n| format!(": {n}"))
        .unwrap_or_default();
    Some((format!("{} on {}{note}", h.status, h.on), tone))
}

/// A stage's tasks; a Note column when any task has a note.
fn stage(s: &StageView) -> Grid {
    let noted = s.tasks.iter().any(|t| t.note.is_some());
    let headers: &[&str] = if noted {
        &["Task", "Name", "M/O", "Role", "Due", "Status", "Note"]
    } else {
        &["Task", "Name", "M/O", "Role", "Due", "Status"]
    };
    let mut g = Grid::new(headers)
        .fit(1, Fit::Shorten(12))
        .fit(5, Fit::Para(14))
        .fit(6, Fit::Para(14));
    for t in &s.tasks {
        let (status, tone) = if t.applies {
            (t.status_text.clone(), status_tone(&t.status))
        } else {
            ("n/a for these services".to_string(), Tone::Dim)
        };
        let due = match (&t.due, &t.sla) {
            (Some(d), _) => sla::due_words(*d),
            (None, Some(rule)) => rule.clone(),
            (None, None) => "-".into(),
        };
        g.row(vec![
            (t.id.clone(), Tone::Strong),
            (
                t.name.clone(),
                if t.applies { Tone::Plain } else { Tone::Dim },
            ),
            ((if t.mandatory { "M" } else { "O" }).into(), Tone::Plain),
            (t.role.clone(), Tone::Plain),
            (due, tone),
            (status, tone),
        ]);
        if noted {
            let last = g.rows.len() - 1;
            g.rows[last].push((t.note.clone().unwrap_or_default(), Tone::Plain));
        }
    }
    g
}

fn cadences(v: &View) -> Grid {
    let cadences: &[CadenceView] = &v.cadences;
    let mut g = Grid::new(&[
        "Cadence", "Name", "Role", "Every", "Held", "Next due", "Status",
    ])
    .fit(1, Fit::Shorten(10))
    .fit(6, Fit::Para(14));
    for c in cadences {
        let tone = if c.applies {
            c.status.as_ref().map_or(Tone::Dim, status_tone)
        } else {
            Tone::Dim
        };
        g.row(vec![
            (c.id.clone(), Tone::Plain),
            (c.name.clone(), Tone::Plain),
            (c.role.clone(), Tone::Plain),
            (c.every.clone(), Tone::Plain),
            (
                c.last_held.map_or("never".to_string(), |l| {
                    format!("{} (last {})", c.occurrences.len(), sla::record_words(l))
                }),
                Tone::Plain,
            ),
            (c.due.map_or("-".into(), sla::due_words), tone),
            (
                if c.applies {
                    c.status_text.clone()
                } else {
                    "n/a for these services".into()
                },
                tone,
            ),
        ]);
    }
    g
}

fn blockers(v: &View) -> Grid {
    let mut g = Grid::new(&["#", "Opened", "Blocker", "Resolved"]).fit(2, Fit::Para(20));
    for b in &v.blockers {
        let tone = if b.resolved.is_some() {
            Tone::Dim
        } else {
            Tone::Warn
        };
        g.row(vec![
            (b.number.to_string(), Tone::Plain),
            (b.opened.clone(), Tone::Plain),
            (b.text.clone(), tone),
            (b.resolved.clone().unwrap_or_else(|| "open".into()), tone),
        ]);
    }
    g
}

fn health(v: &View) -> Grid {
    let mut g = Grid::new(&["Date", "Health", "Note"]).fit(2, Fit::Para(20));
    for h in &v.health {
        g.plain_row(vec![
            h.on.clone(),
            h.status.to_string(),
            h.note.clone().unwrap_or_default(),
        ]);
    }
    g
}

fn notes(v: &View) -> Grid {
    let mut g = Grid::new(&["Date", "By", "Note"]).fit(2, Fit::Para(20));
    for n in &v.notes {
        g.plain_row(vec![
            n.on.clone(),
            n.by.clone().unwrap_or_default(),
            n.text.clone(),
        ]);
    }
    g
}
