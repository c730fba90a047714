//! `ft assign`: the engagements that need my role, ranked by fit.

use chrono::NaiveDate;
use serde::Serialize;

use crate::agenda::{self, Fit};
use crate::calendar::Calendar;
use crate::clock;
use crate::engagement::{Engagement, Status};
use crate::playbook::{Catalog, applies};
use crate::sla::{self, Due};
use crate::time::When;
use crate::words;
use crate::workspace::Config;

#[derive(Serialize)]
pub struct Candidate {
    pub engagement: String,
    pub customer: String,
    pub playbook: String,
    pub role: String,
    pub services: Vec<String>,
    pub opened: Option<String>,
    /// The engagement's `severity` field, when it has one.
    pub severity: Option<String>,
    /// The earliest running SLA of the role: the task and when it is due.
    pub next_task: Option<String>,
    pub next_due: Option<Due>,
    pub fit: Fit,
    pub reason: String,
}

#[derive(Serialize)]
pub struct Listing {
    pub person: String,
    pub role: String,
    pub load: u32,
    pub capacity: Option<u32>,
    pub candidates: Vec<Candidate>,
}

impl Listing {
    /// "2 of 5 engagements: room for 3".
    pub fn room(&self) -> String {
        let load = self.load;
        match self.capacity {
            Some(c) if load >= c => format!(
                "{load} of {}: at capacity",
                words::count(c as usize, "engagement", "engagements")
            ),
            Some(c) => format!(
                "{load} of {}: room for {}",
                words::count(c as usize, "engagement", "engagements"),
                c - load
            ),
            None => format!(
                "{} (set `capacity` in your config)",
                words::count(load as usize, "engagement", "engagements")
            ),
        }
    }
}

/// What `person`, filling `role`, could claim, best fit first.
pub fn listing(
    person: &str,
    role: &str,
    engagements: &[Engagement],
    catalog: &Catalog,
    config: &Config,
    cal: &Calendar,
    now: When,
) -> Listing {
    let today = now.date();
    let load = agenda::load_of(person, engagements);
    let mut candidates: Vec<Candidate> = engagements
        .iter()
        .filter(|e| !matches!(e.status, Status::Closed | Status::OnHold))
        .filter_map(|e| Some((e, candidate(e, catalog, role, config, load, today)?)))
        .map(|(e, mut c)| {
            // The candidate's own engagement: no search (quadratic at 50,000).
            (c.next_task, c.next_due) = next_sla(e, catalog, &c.role, cal, now);
            c
        })
        .collect();
    // Time left on a running SLA first (a severity 1 acknowledgement due in
    // minutes beats anything with days left), then fit.
    // Then SLAs already missed (most overdue first), then engagements with no running clock.
    candidates.sort_by(|a, b| {
        let left = |c: &Candidate| match c.next_due.map(|d| d.days_from(now)) {
            Some(l) if l >= 0.0 => (0, l),
            Some(l) => (1, l),
            None => (2, 0.0),
        };
        let (ka, kb) = (left(a), left(b));
        ka.0.cmp(&kb.0)
            .then_with(|| ka.1.total_cmp(&kb.1))
            .then_with(|| b.fit.score.total_cmp(&a.fit.score))
            .then_with(|| b.fit.waiting_days.cmp(&a.fit.waiting_days))
            .then_with(|| a.engagement.cmp(&b.engagement))
    });
    Listing {
        person: person.to_string(),
        role: role.to_string(),
        load,
        capacity: config.capacity,
        candidates,
    }
}

fn candidate(
    e: &Engagement,
    catalog: &Catalog,
    role: &str,
    config: &Config,
    load: u32,
    today: NaiveDate,
) -> Option<Candidate> {
    let p = catalog.get(&e.playbook)?;
    let r = p.role(role)?;
    if e.team.contains_key(&r.alias) {
        return None;
    }
    let waiting = e
        .opened()
        .map_or(0, |o| clock::days_between(o.date(), today));
    let fit = agenda::fit(&e.services, &config.skills, load, config.capacity, waiting);
    let reason = reason(&fit, load, config.capacity, !config.skills.is_empty());
    Some(Candidate {
        engagement: e.id.clone(),
        customer: e.customer.clone(),
        playbook: e.playbook.clone(),
        role: r.alias.clone(),
        services: e.services.clone(),
        opened: e.opened().map(|o| o.date().to_string()),
        severity: e.fields.get("severity").cloned(),
        next_task: None,
        next_due: None,
        fit,
        reason,
    })
}

/// The open task of `role` whose running SLA is due first.
fn next_sla(
    e: &Engagement,
    catalog: &Catalog,
    role: &str,
    cal: &Calendar,
    now: When,
) -> (Option<String>, Option<Due>) {
    let Some(p) = catalog.get(&e.playbook) else {
        return (None, None);
    };
    p.tasks()
        .filter(|(_, t)| t.role == role && applies(&t.services, &e.services))
        .filter_map(|(_, t)| {
            let (status, clock) = sla::task_status(t, e, cal, now);
            let c = clock.filter(|c| status.is_open() && !c.planned)?;
            Some((t.id.clone(), c.due?))
        })
        .min_by(|a, b| a.1.days_from(now).total_cmp(&b.1.days_from(now)))
        .map_or((None, None), |(t, d)| (Some(t), Some(d)))
}

fn reason(fit: &Fit, load: u32, capacity: Option<u32>, has_skills: bool) -> String {
    let skills = if fit.levels.is_empty() {
        "no specific services".to_string()
    } else if !has_skills {
        "no `skills` in your config".to_string()
    } else {
        let parts: Vec<String> = fit
            .levels
            .iter()
            .map(|(s, l)| format!("{s} {l}/{}", agenda::MAX_LEVEL))
            .collect();
        format!("skills {}", parts.join(", "))
    };
    let room = match capacity {
        Some(c) if load >= c => "you are at capacity".to_string(),
        Some(c) => format!("room for {}", c - load),
        None => "capacity not set".to_string(),
    };
    format!(
        "{skills}; {room}; waiting {}",
        words::count(
            usize::try_from(fit.waiting_days).unwrap_or(0),
            "day",
            "days"
        )
    )
}
