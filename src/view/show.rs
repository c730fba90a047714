//! The view of one engagement (`ft show`, and the detail of `ft report ID`):
//! team, milestones, DIBS, SSAT, each stage's tasks with due dates and status,
//! cadences, health, blockers and notes.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::agenda::current_stage;
use crate::calendar::Calendar;
use crate::engagement::{Engagement, Status as EStatus, TaskState};
use crate::playbook::{Cadence, Playbook, Stage, Task, applies};
use crate::sla::{self, Due, Status};
use crate::time::When;

/// Everything about one engagement; serialized as the JSON of `ft show`.
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
    /// Roles taken over from someone, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub handovers: Vec<HandoverView>,
    /// Times the engagement was on hold, its clocks stopped.
    pub holds: Vec<HoldView>,
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
pub struct HoldView {
    pub from: String,
    /// `None` while the hold lasts.
    pub to: Option<String>,
    pub reason: String,
    pub by: Option<String>,
    /// The day it is expected to end (`ft hold --until`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// The first day on hold, for charts.
    #[serde(skip)]
    pub from_on: NaiveDate,
    /// The day it ended (`None` while it lasts), for charts.
    #[serde(skip)]
    pub to_on: Option<NaiveDate>,
    /// It started or ended at a time of day, shown in the reader's zone.
    #[serde(skip)]
    pub timed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct HandoverView {
    pub role: String,
    pub from: String,
    pub to: String,
    pub on: String,
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
    /// When it was recorded, for the words people read.
    #[serde(skip)]
    pub at: Option<When>,
    /// The day it was recorded, for charts.
    #[serde(skip)]
    pub date: Option<NaiveDate>,
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
    /// The day the SLA clock started, for charts.
    #[serde(skip)]
    pub started_on: Option<NaiveDate>,
    /// The day the task was done, for charts.
    #[serde(skip)]
    pub done_on: Option<NaiveDate>,
}

#[derive(Serialize)]
pub struct CadenceView {
    pub id: String,
    pub name: String,
    pub role: String,
    pub every: String,
    pub applies: bool,
    pub occurrences: Vec<String>,
    /// The latest occurrence, for the words people read.
    #[serde(skip)]
    pub last_held: Option<When>,
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

/// Everything about one engagement at `now`.
pub fn build(p: &Playbook, e: &Engagement, cal: &Calendar, now: When) -> View {
    View {
        id: e.id.clone(),
        customer: e.customer.clone(),
        playbook: p.id.clone(),
        playbook_name: p.name.clone(),
        status: e.status,
        services: e.services.clone(),
        seats: e.seats,
        active_users: e.active_users,
        enablement: enablement(p, e),
        fields: e
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        team: team(p, e),
        handovers: handovers(e),
        holds: e
            .holds
            .iter()
            .map(|h| HoldView {
                from: sla::when_words(h.from),
                to: h.to.map(sla::when_words),
                reason: h.reason.clone(),
                by: h.by.clone(),
                until: h.until,
                from_on: h.from.date(),
                to_on: h.to.map(|t| t.date()),
                timed: [Some(h.from), h.to]
                    .iter()
                    .any(|w| matches!(w, Some(When::At(_)))),
            })
            .collect(),
        milestones: milestones(p, e),
        dibs: dibs(p, e),
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
        stages: p.stages.iter().map(|s| stage(s, p, e, cal, now)).collect(),
        cadences: p
            .cadences
            .iter()
            .map(|c| cadence(c, p, e, cal, now))
            .collect(),
        health: health(e),
        blockers: blockers(e),
        notes: notes(e),
    }
}

/// Handovers from the event record: a claim of a role someone else held.
fn handovers(e: &Engagement) -> Vec<HandoverView> {
    e.events
        .iter()
        .filter(|ev| ev.op == "assign")
        .filter_map(|ev| {
            Some(HandoverView {
                role: ev.value("role")?.to_string(),
                from: ev.value("from")?.to_string(),
                to: ev.value("person")?.to_string(),
                on: ev.at.date().to_string(),
            })
        })
        .collect()
}

fn stage(s: &Stage, p: &Playbook, e: &Engagement, cal: &Calendar, now: When) -> StageView {
    StageView {
        id: s.id.clone(),
        name: s.name.clone(),
        tasks: s.tasks.iter().map(|t| task(t, p, e, cal, now)).collect(),
    }
}

fn task(t: &Task, p: &Playbook, e: &Engagement, cal: &Calendar, now: When) -> TaskView {
    let (status, clock) = sla::task_status(t, e, cal, now);
    let due = clock.as_ref().and_then(|c| c.due);
    let start = clock.as_ref().and_then(|c| c.start);
    TaskView {
        id: t.id.clone(),
        name: t.name.clone(),
        mandatory: t.mandatory_for(e),
        role: t.role.clone(),
        applies: applies(&t.services, &e.services),
        sla: clock.as_ref().map(|c| sla::clock_words(c, p)),
        started: start.map(|s| s.to_string()),
        due,
        status_text: sla::status_words(&status, due, now),
        status,
        note: e.tasks.get(&t.id).and_then(|r| r.note.clone()),
        started_on: start.map(|s| s.date()),
        done_on: match e.task_state(&t.id) {
            Some(TaskState::Done(on)) => Some(on.date()),
            _ => None,
        },
    }
}

fn cadence(c: &Cadence, p: &Playbook, e: &Engagement, cal: &Calendar, now: When) -> CadenceView {
    let st = sla::cadence_active(e).then(|| sla::cadence_state(c, e, cal, now));
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
        last_held: e.cadences.get(&c.id).and_then(|v| v.iter().max()).copied(),
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
}

fn enablement(p: &Playbook, e: &Engagement) -> Option<Enablement> {
    p.enablement.map(|en| {
        let target = en.target(e.seats);
        let active = e.active_users.unwrap_or(0);
        Enablement {
            target,
            active_users: active,
            complete: active >= target,
        }
    })
}

fn team(p: &Playbook, e: &Engagement) -> Vec<TeamView> {
    e.team
        .iter()
        .map(|(r, m)| TeamView {
            role: r.clone(),
            role_name: p.role_name(r).to_string(),
            person: m.person.clone(),
            since: m.since.map(|d| d.to_string()),
        })
        .collect()
}

fn milestones(p: &Playbook, e: &Engagement) -> Vec<MilestoneView> {
    p.milestones
        .iter()
        .map(|m| {
            let on = e.milestones.get(&m.id);
            MilestoneView {
                id: m.id.clone(),
                name: m.name.clone(),
                on: on.map(ToString::to_string),
                at: on.copied(),
                date: on.map(When::date),
            }
        })
        .collect()
}

fn dibs(p: &Playbook, e: &Engagement) -> DibsView {
    DibsView {
        date: e.dibs.date.map(|d| d.to_string()),
        intent: e.dibs.intent.clone(),
        business_reason: e.dibs.business_reason.clone(),
        success_owner: e.dibs.success_owner.clone(),
        missing: e.dibs.missing().into_iter().map(|(k, _)| k).collect(),
        due_at: p.dibs.as_ref().and_then(|d| d.due.clone()),
    }
}

fn health(e: &Engagement) -> Vec<HealthView> {
    e.health
        .iter()
        .map(|h| HealthView {
            on: h.on.to_string(),
            status: h.status.as_str(),
            note: h.note.clone(),
        })
        .collect()
}

fn blockers(e: &Engagement) -> Vec<BlockerView> {
    e.blockers
        .iter()
        .enumerate()
        .map(|(i, b)| BlockerView {
            number: i + 1,
            opened: b.opened.to_string(),
            text: b.text.clone(),
            by: b.by.clone(),
            resolved: b.resolved.map(|d| d.to_string()),
        })
        .collect()
}

fn notes(e: &Engagement) -> Vec<NoteView> {
    e.notes
        .iter()
        .map(|n| NoteView {
            on: n.on.to_string(),
            by: n.by.clone(),
            text: n.text.clone(),
        })
        .collect()
}

impl View {
    /// Does the view show any time of day (an SLA counted in minutes or
    /// hours, a milestone, task, meeting or hold recorded with one)? Then
    /// its output names the time zone once.
    pub fn shows_times(&self) -> bool {
        let at = |d: &Option<Due>| matches!(d, Some(Due::At(_)));
        let timed = |w: &Option<When>| matches!(w, Some(When::At(_)));
        let recorded = |s: &Status| match s {
            Status::Done { on } | Status::DoneOnTime { on } | Status::DoneLate { on, .. } => {
                timed(&Some(*on))
            }
            Status::Held { since } => timed(&Some(*since)),
            _ => false,
        };
        self.stages
            .iter()
            .flat_map(|s| &s.tasks)
            .any(|t| at(&t.due) || recorded(&t.status))
            || self
                .cadences
                .iter()
                .any(|c| at(&c.due) || timed(&c.last_held))
            || self.milestones.iter().any(|m| timed(&m.at))
            || self.holds.iter().any(|h| h.timed)
    }
}
