//! `ft show ID`: everything about one engagement.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::Result;
use serde::Serialize;

use super::playbook_of;
use crate::Context;
use crate::agenda::current_stage;
use crate::calendar::Calendar;
use crate::engagement::{Engagement, Status as EStatus};
use crate::playbook::{Playbook, applies};
use crate::render::{Format, Grid, Tone, json, paint};
use crate::sla::{self, Due, Status};
use crate::time::When;

/// Show everything about one engagement: team, milestones, DIBS, SSAT, each
/// stage's tasks with due dates and status, cadences, health, blockers, notes
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Engagement id
    pub id: String,
}

#[derive(Serialize)]
pub struct View {
    pub id: String,
    pub customer: String,
    pub playbook: String,
    pub playbook_name: String,
    pub status: EStatus,
    pub services: Vec<String>,
    pub seats: Option<u32>,
    pub active_users: Option<u32>,
    pub enablement: Option<Enablement>,
    pub fields: BTreeMap<String, String>,
    pub team: Vec<TeamView>,
    pub milestones: Vec<MilestoneView>,
    pub dibs: DibsView,
    pub dibs_required: bool,
    pub ssat: Vec<SsatView>,
    pub current_stage: Option<String>,
    pub stages: Vec<StageView>,
    pub cadences: Vec<CadenceView>,
    pub health: Vec<HealthView>,
    pub blockers: Vec<BlockerView>,
    pub notes: Vec<NoteView>,
}

#[derive(Serialize)]
pub struct Enablement {
    pub target: u32,
    pub active_users: u32,
    pub complete: bool,
}

#[derive(Serialize)]
pub struct TeamView {
    pub role: String,
    pub role_name: String,
    pub person: String,
    pub since: Option<String>,
}

#[derive(Serialize)]
pub struct MilestoneView {
    pub id: String,
    pub name: String,
    pub on: Option<String>,
}

#[derive(Serialize)]
pub struct DibsView {
    pub date: Option<String>,
    pub intent: Option<String>,
    pub business_reason: Option<String>,
    pub success_owner: Option<String>,
    pub missing: Vec<&'static str>,
    pub due_at: Option<String>,
}

#[derive(Serialize)]
pub struct SsatView {
    pub item: String,
    pub done: bool,
}

#[derive(Serialize)]
pub struct StageView {
    pub id: String,
    pub name: String,
    pub tasks: Vec<TaskView>,
}

#[derive(Serialize)]
pub struct TaskView {
    pub id: String,
    pub name: String,
    pub mandatory: bool,
    pub role: String,
    pub applies: bool,
    pub sla: Option<String>,
    /// When the SLA clock started (the anchor), if it has.
    pub started: Option<String>,
    pub due: Option<Due>,
    pub status: Status,
    pub status_text: String,
    pub note: Option<String>,
}

#[derive(Serialize)]
pub struct CadenceView {
    pub id: String,
    pub name: String,
    pub role: String,
    pub every: String,
    pub applies: bool,
    pub occurrences: Vec<String>,
    pub due: Option<Due>,
    pub status: Option<Status>,
    pub status_text: String,
}

#[derive(Serialize)]
pub struct HealthView {
    pub on: String,
    pub status: &'static str,
    pub note: Option<String>,
}

#[derive(Serialize)]
pub struct BlockerView {
    pub number: usize,
    pub opened: String,
    pub text: String,
    pub by: Option<String>,
    pub resolved: Option<String>,
}

#[derive(Serialize)]
pub struct NoteView {
    pub on: String,
    pub by: Option<String>,
    pub text: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let e = ws.store.load(&args.id, &ws.catalog)?;
    let p = playbook_of(&ws.catalog, &e);
    let view = build(p, &e, &ws.settings.calendar, ctx.now);
    match ctx.format {
        Format::Json => ctx.print(&json(&view))?,
        _ => ctx.print(&render(&view, ctx.format, ctx.color))?,
    }
    Ok(0)
}

pub fn build(p: &Playbook, e: &Engagement, cal: &Calendar, now: When) -> View {
    let stages = p
        .stages
        .iter()
        .map(|s| StageView {
            id: s.id.clone(),
            name: s.name.clone(),
            tasks: s
                .tasks
                .iter()
                .map(|t| {
                    let (status, clock) = sla::task_status(t, e, cal, now);
                    let due = clock.as_ref().and_then(|c| c.due);
                    TaskView {
                        id: t.id.clone(),
                        name: t.name.clone(),
                        mandatory: t.mandatory,
                        role: t.role.clone(),
                        applies: applies(&t.services, &e.services),
                        sla: clock.as_ref().map(|c| sla::rule_words(&c.rule, c.start, p)),
                        started: clock.as_ref().and_then(|c| c.start).map(|s| s.to_string()),
                        due,
                        status_text: sla::status_words(&status, due, now),
                        status,
                        note: e.tasks.get(&t.id).and_then(|r| r.note.clone()),
                    }
                })
                .collect(),
        })
        .collect();
    let cadences = p
        .cadences
        .iter()
        .map(|c| {
            let running = sla::cadence_active(e);
            let st = running.then(|| sla::cadence_state(c, e, cal, now));
            CadenceView {
                id: c.id.clone(),
                name: c.name.clone(),
                role: c.role.clone(),
                every: c.every.to_string(),
                applies: applies(&c.services, &e.services),
                occurrences: e
                    .cadences
                    .get(&c.id)
                    .map(|v| v.iter().map(ToString::to_string).collect())
                    .unwrap_or_default(),
                due: st.as_ref().and_then(|s| s.due),
                status_text: match &st {
                    None => "ended".into(),
                    Some(s) if s.from.is_none() => {
                        format!("starts at {}", sla::anchor_words(&c.after, p))
                    }
                    Some(s) => sla::status_words(&s.status, s.due, now),
                },
                status: st.map(|s| s.status),
            }
        })
        .collect();
    View {
        id: e.id.clone(),
        customer: e.customer.clone(),
        playbook: p.id.clone(),
        playbook_name: p.name.clone(),
        status: e.status,
        services: e.services.clone(),
        seats: e.seats,
        active_users: e.active_users,
        enablement: p.enablement.map(|en| {
            let target = en.target(e.seats);
            let active = e.active_users.unwrap_or(0);
            Enablement {
                target,
                active_users: active,
                complete: active >= target,
            }
        }),
        fields: e
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        team: e
            .team
            .iter()
            .map(|(r, m)| TeamView {
                role: r.clone(),
                role_name: p.role_name(r).to_string(),
                person: m.person.clone(),
                since: m.since.map(|d| d.to_string()),
            })
            .collect(),
        milestones: p
            .milestones
            .iter()
            .map(|m| MilestoneView {
                id: m.id.clone(),
                name: m.name.clone(),
                on: e.milestones.get(&m.id).map(ToString::to_string),
            })
            .collect(),
        dibs: DibsView {
            date: e.dibs.date.map(|d| d.to_string()),
            intent: e.dibs.intent.clone(),
            business_reason: e.dibs.business_reason.clone(),
            success_owner: e.dibs.success_owner.clone(),
            missing: e.dibs.missing().into_iter().map(|(k, _)| k).collect(),
            due_at: p.dibs.as_ref().and_then(|d| d.due.clone()),
        },
        dibs_required: p.dibs.as_ref().is_some_and(|d| d.required),
        ssat: p
            .ssat
            .iter()
            .map(|i| SsatView {
                item: i.clone(),
                done: e.ssat.get(i).copied().unwrap_or(false),
            })
            .collect(),
        current_stage: current_stage(p, e).map(|i| p.stages[i].name.clone()),
        stages,
        cadences,
        health: e
            .health
            .iter()
            .map(|h| HealthView {
                on: h.on.to_string(),
                status: h.status.as_str(),
                note: h.note.clone(),
            })
            .collect(),
        blockers: e
            .blockers
            .iter()
            .enumerate()
            .map(|(i, b)| BlockerView {
                number: i + 1,
                opened: b.opened.to_string(),
                text: b.text.clone(),
                by: b.by.clone(),
                resolved: b.resolved.map(|d| d.to_string()),
            })
            .collect(),
        notes: e
            .notes
            .iter()
            .map(|n| NoteView {
                on: n.on.to_string(),
                by: n.by.clone(),
                text: n.text.clone(),
            })
            .collect(),
    }
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

pub fn render(v: &View, format: Format, color: bool) -> String {
    let md = format == Format::Markdown;
    let mut out = String::new();
    let heading = |out: &mut String, text: &str| {
        if md {
            let _ = writeln!(out, "\n### {text}\n");
        } else {
            let _ = writeln!(out, "\n{}", paint(text, Tone::Strong, color));
        }
    };
    if md {
        let _ = writeln!(out, "## {}: {}\n", v.id, v.customer);
    } else {
        let _ = writeln!(out, "{} {}", paint(&v.id, Tone::Strong, color), v.customer);
    }
    let mut facts = if md {
        Grid::new(&["Field", "Value"])
    } else {
        Grid::new(&["", ""])
    };
    let mut fact = |k: &str, val: String, tone: Tone| {
        facts.row(vec![(k.to_string(), Tone::Strong), (val, tone)])
    };
    fact(
        "Playbook",
        format!("{} ({})", v.playbook, v.playbook_name),
        Tone::Plain,
    );
    fact("Status", v.status.to_string(), Tone::Plain);
    if !v.services.is_empty() {
        fact("Services", v.services.join(", "), Tone::Plain);
    }
    for (k, val) in &v.fields {
        fact(k, val.clone(), Tone::Plain);
    }
    if let Some(seats) = v.seats {
        fact("Seats", seats.to_string(), Tone::Plain);
    }
    if let Some(en) = &v.enablement {
        let done = if en.complete { "complete" } else { "not yet" };
        let tone = if en.complete { Tone::Good } else { Tone::Plain };
        fact(
            "Enablement",
            format!(
                "{} of {} active users needed: {done}",
                en.active_users, en.target
            ),
            tone,
        );
    }
    let team = v
        .team
        .iter()
        .map(|t| format!("{} {}", t.role, t.person))
        .collect::<Vec<_>>()
        .join(", ");
    fact(
        "Team",
        if team.is_empty() {
            "nobody yet".into()
        } else {
            team
        },
        Tone::Plain,
    );
    let milestones = v
        .milestones
        .iter()
        .map(|m| format!("{} {}", m.id, m.on.as_deref().unwrap_or("-")))
        .collect::<Vec<_>>()
        .join(", ");
    fact("Milestones", milestones, Tone::Plain);
    if v.dibs.due_at.is_none() && !v.dibs_required {
        // The playbook does not track DIBS.
    } else if v.dibs.missing.is_empty() {
        fact("DIBS", "complete".into(), Tone::Good);
    } else {
        let by = v
            .dibs
            .due_at
            .as_deref()
            .map(|m| format!(" (due by {m})"))
            .unwrap_or_default();
        fact(
            "DIBS",
            format!("missing {}{by}", v.dibs.missing.join(", ")),
            Tone::Bad,
        );
    }
    if !v.ssat.is_empty() {
        let done = v.ssat.iter().filter(|s| s.done).count();
        let items = v
            .ssat
            .iter()
            .map(|s| format!("{} {}", s.item, if s.done { "yes" } else { "no" }))
            .collect::<Vec<_>>()
            .join(", ");
        fact(
            "SSAT",
            format!("{done}/{}: {items}", v.ssat.len()),
            Tone::Plain,
        );
    }
    if let Some(h) = v.health.iter().max_by(|a, b| a.on.cmp(&b.on)) {
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
        fact("Health", format!("{} on {}{note}", h.status, h.on), tone);
    }
    if let Some(s) = &v.current_stage {
        fact("Current stage", s.clone(), Tone::Plain);
    }
    out.push_str(&if md {
        facts.markdown()
    } else {
        facts.table(color)
    });

    for (i, s) in v.stages.iter().enumerate() {
        if s.tasks.is_empty() {
            continue;
        }
        heading(&mut out, &format!("Stage {}: {}", i + 1, s.name));
        let mut g = Grid::new(&["Task", "Name", "M/O", "Role", "Due", "Status"]);
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
        }
        out.push_str(&g.render(format, color));
    }
    if !v.cadences.is_empty() {
        heading(&mut out, "Cadences");
        let mut g = Grid::new(&["Cadence", "Role", "Every", "Held", "Next due", "Status"]);
        for c in &v.cadences {
            let tone = if c.applies {
                c.status.as_ref().map_or(Tone::Dim, status_tone)
            } else {
                Tone::Dim
            };
            g.row(vec![
                (format!("{} ({})", c.id, c.name), Tone::Plain),
                (c.role.clone(), Tone::Plain),
                (c.every.clone(), Tone::Plain),
                (
                    c.occurrences.last().map_or("never".to_string(), |l| {
                        format!("{} (last {l})", c.occurrences.len())
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
        out.push_str(&g.render(format, color));
    }
    if !v.blockers.is_empty() {
        heading(&mut out, "Blockers");
        let mut g = Grid::new(&["#", "Opened", "Blocker", "Resolved"]);
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
        out.push_str(&g.render(format, color));
    }
    if !v.health.is_empty() {
        heading(&mut out, "Health history");
        let mut g = Grid::new(&["Date", "Health", "Note"]);
        for h in &v.health {
            g.plain_row(vec![
                h.on.clone(),
                h.status.to_string(),
                h.note.clone().unwrap_or_default(),
            ]);
        }
        out.push_str(&g.render(format, color));
    }
    if !v.notes.is_empty() {
        heading(&mut out, "Notes");
        let mut g = Grid::new(&["Date", "By", "Note"]);
        for n in &v.notes {
            g.plain_row(vec![
                n.on.clone(),
                n.by.clone().unwrap_or_default(),
                n.text.clone(),
            ]);
        }
        out.push_str(&g.render(format, color));
    }
    out
}
