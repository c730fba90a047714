//! What is open for whom, and how urgent it is (`ft next`).
//!
//! Urgency, highest first (documented in the README):
//! * overdue: 100 + 2 per day late (up to 30 days; hours and minutes count as fractions of a day);
//! * due: 50 - 1.5 per day until due (down to 5 at 30 days);
//! * no due date (no SLA, or its anchor has not happened): 3, or 1 while waiting for an anchor;
//! * +4 when mandatory; +2 when the task is in the engagement's current stage
//!   (the first stage with open mandatory work); -0.5 per stage beyond it;
//! * + up to 3 for waiting time: 0.1 per day since the item's clock started.

use serde::Serialize;

use crate::calendar::Calendar;
use crate::clock;
use crate::engagement::{Engagement, Status as EStatus, Summary};
use crate::playbook::{Anchor, Catalog, Playbook, applies};
use crate::sla::{self, Due, Status};
use crate::time::When;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Task,
    Cadence,
    Dibs,
    /// A hold past the date it was expected to end.
    Hold,
    /// SSAT items not yet captured, once the playbook asks for them.
    Ssat,
    /// A milestone someone must record (the engagement start date).
    Milestone,
}

/// One line of `ft next`.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub engagement: String,
    pub customer: String,
    pub kind: Kind,
    pub task: Option<String>,
    pub name: String,
    pub role: String,
    pub mandatory: bool,
    pub due: Option<Due>,
    pub overdue: bool,
    /// The SLA clock has used its at-risk share of the time (75% by default).
    pub at_risk: bool,
    pub urgency: f64,
    pub reason: String,
    /// The status alone ("2 business days overdue"), for narrow terminals.
    #[serde(skip)]
    pub brief: String,
    #[serde(skip)]
    pub status: Status,
}

/// The first stage with open mandatory work that applies to the engagement.
pub fn current_stage(p: &Playbook, e: &Engagement) -> Option<usize> {
    p.stages.iter().position(|s| {
        s.tasks.iter().any(|t| {
            t.mandatory_for(e) && applies(&t.services, &e.services) && e.task_state(&t.id).is_none()
        })
    })
}

/// Who asks `ft next`, and the workspace's rules for it.
pub struct Ask<'a> {
    pub person: &'a str,
    /// The person's usual role (`role` in the personal config): unassigned
    /// engagements whose clocks run for that role are theirs to claim.
    pub queue_role: Option<&'a str>,
    /// Share of an SLA's time after which open work is at risk.
    pub at_risk: f64,
}

/// Everything open for the person across the engagements.
pub fn items_for(
    ask: &Ask,
    engagements: &[Engagement],
    catalog: &Catalog,
    cal: &Calendar,
    now: When,
) -> Vec<Item> {
    let mut items = Vec::new();
    for e in engagements {
        let Some(p) = catalog.get(&e.playbook) else {
            continue;
        };
        let roles: Vec<&str> = e.roles_of(ask.person).collect();
        let scope = Scope {
            p,
            e,
            roles: &roles,
            cal,
            now,
            at_risk: ask.at_risk,
        };
        if e.status == EStatus::OnHold {
            // Nothing is due while on hold, but a hold past its date is asked about.
            items.extend(hold_item(&scope));
        } else if !roles.is_empty() {
            engagement_items(&scope, &mut items);
        } else if let Some(role) = ask.queue_role.and_then(|r| p.role(r)) {
            queue_items(&scope, &role.alias, &mut items);
        }
    }
    for i in &mut items {
        i.brief = sla::status_words(&i.status, i.due, now);
        if i.reason.starts_with("unassigned: ") {
            i.brief = format!("unassigned; {}", i.brief);
        }
    }
    sort(&mut items);
    items
}

/// Could [`items_for`] list anything for `ask` on this engagement? Decided
/// from its summary alone, by the same tests `items_for` makes before it
/// looks further, so that a warm `ft next` decodes only these engagements.
/// A property test checks that the answer never leaves out an item.
pub fn concerns(ask: &Ask, catalog: &Catalog, s: &Summary) -> bool {
    let Some(p) = catalog.get(&s.playbook) else {
        return false;
    };
    if s.roles_of(ask.person).next().is_some() {
        return true;
    }
    // On hold, only a role holder is asked about the hold; see `queue_items`.
    !matches!(s.status, EStatus::OnHold | EStatus::Closed)
        && ask
            .queue_role
            .and_then(|r| p.role(r))
            .is_some_and(|role| !s.holds_role(&role.alias))
}

/// Work whose clock runs on an engagement where nobody holds the role: for
/// whoever fills that role to claim.
fn queue_items(s: &Scope, role: &str, out: &mut Vec<Item>) {
    if s.e.team.contains_key(role) || s.e.status == EStatus::Closed {
        return;
    }
    let roles = [role];
    let scope = Scope {
        roles: &roles,
        ..*s
    };
    let mut mine = Vec::new();
    task_items(&scope, &mut mine);
    for mut item in mine {
        if item.due.is_none() {
            continue;
        }
        item.reason = format!(
            "unassigned: claim with `ft assign {}`; {}",
            s.e.id, item.reason
        );
        out.push(item);
    }
}

/// "Resume or extend the hold", for the primary role once the hold's `until` has come.
fn hold_item(s: &Scope) -> Option<Item> {
    let primary =
        s.p.primary_role
            .as_deref()
            .filter(|r| s.roles.contains(r))?;
    let hold = s.e.open_hold()?;
    let until = hold.until?;
    let due = Due::Day(until);
    if s.now.date() < until {
        return None;
    }
    let status = sla::open_status(due, None, s.now, crate::duration::Unit::Days, s.cal);
    let reason = format!(
        "on hold since {} ({}); expected back {}; {}",
        sla::when_words(hold.from),
        hold.reason,
        sla::due_words(due),
        sla::status_words(&status, Some(due), s.now)
    );
    Some(Item {
        due: Some(due),
        urgency: score(&status, Some(due), s.now, true, 0.0, Some(hold.from)),
        reason,
        ..s.item(
            Kind::Hold,
            format!(
                "Resume or extend the hold: `ft resume {0}`, or `ft hold {0} --until DATE`",
                crate::escape::shell(&s.e.id)
            ),
            primary,
            status,
        )
    })
}

/// Overdue first, then at risk, then by urgency.
pub fn sort(items: &mut [Item]) {
    items.sort_by(|a, b| {
        (b.overdue, b.at_risk)
            .cmp(&(a.overdue, a.at_risk))
            .then_with(|| b.urgency.total_cmp(&a.urgency))
            .then_with(|| a.due.map(|d| d.date()).cmp(&b.due.map(|d| d.date())))
            .then_with(|| a.engagement.cmp(&b.engagement))
    });
}

/// One engagement seen by one person: what the item builders below share.
#[derive(Clone, Copy)]
struct Scope<'a> {
    p: &'a Playbook,
    e: &'a Engagement,
    roles: &'a [&'a str],
    cal: &'a Calendar,
    now: When,
    at_risk: f64,
}

impl Scope<'_> {
    fn item(&self, kind: Kind, name: String, role: &str, status: Status) -> Item {
        Item {
            engagement: self.e.id.clone(),
            customer: self.e.customer.clone(),
            kind,
            task: None,
            name,
            role: role.to_string(),
            mandatory: true,
            due: None,
            overdue: status.is_overdue(),
            at_risk: false,
            urgency: 0.0,
            reason: String::new(),
            brief: String::new(),
            status,
        }
    }

    fn mine(&self, role: &str, services: &[String]) -> bool {
        self.roles.contains(&role) && applies(services, &self.e.services)
    }

    /// Am I measured on work another role does (`accountable:`)?
    fn measured(&self, accountable: &[String], services: &[String]) -> bool {
        accountable.iter().any(|r| self.roles.contains(&r.as_str()))
            && applies(services, &self.e.services)
    }
}

fn engagement_items(scope: &Scope, out: &mut Vec<Item>) {
    task_items(scope, out);
    if scope.e.status != EStatus::Closed {
        if sla::cadence_active(scope.e) {
            cadence_items(scope, out);
        }
        out.extend(dibs_item(scope));
        out.extend(ssat_item(scope));
        record_items(scope, out);
    }
}

/// SSAT not yet captured, for the primary role once the playbook's
/// milestone has passed. The playbook states no interval, so no due date.
fn ssat_item(s: &Scope) -> Option<Item> {
    let after = s.p.ssat_after.as_deref()?;
    let owner =
        s.p.primary_role
            .as_deref()
            .filter(|o| s.roles.contains(o))?;
    let since = *s.e.milestones.get(after)?;
    let missing: Vec<String> =
        s.p.ssat
            .iter()
            .filter(|i| s.e.ssat.get(i.as_str()) != Some(&true))
            .map(|i| crate::words::capitalized(i))
            .collect();
    if missing.is_empty() {
        return None;
    }
    let captured = s.p.ssat.len() - missing.len();
    let reason = format!(
        "{captured} of {} captured; asked for since the {} on {}",
        s.p.ssat.len(),
        sla::milestone_words(after, s.p),
        sla::when_words(since)
    );
    let status = Status::Open;
    Some(Item {
        urgency: score(&status, None, s.now, true, 1.0, Some(since)),
        reason,
        ..s.item(
            Kind::Ssat,
            format!("Capture SSAT: {}", missing.join(", ")),
            owner,
            status,
        )
    })
}

/// Milestones the playbook asks a role to record once another has passed
/// ("record the engagement start date" after the kickoff).
fn record_items(s: &Scope, out: &mut Vec<Item>) {
    for m in &s.p.milestones {
        let Some((role, after)) = &m.record else {
            continue;
        };
        let Some(since) = s.e.milestones.get(after).copied() else {
            continue;
        };
        if !s.roles.contains(&role.as_str()) || s.e.milestones.get(&m.id).is_some() {
            continue;
        }
        let status = Status::Open;
        let reason = format!(
            "asked for since the {} on {}; `ft milestone {} {} --on DATE`",
            sla::milestone_words(after, s.p),
            sla::when_words(since),
            s.e.id,
            m.id
        );
        out.push(Item {
            urgency: score(&status, None, s.now, true, 1.0, Some(since)),
            reason,
            ..s.item(
                Kind::Milestone,
                format!("Record the {}", m.name),
                role,
                status,
            )
        });
    }
}

fn task_items(s: &Scope, out: &mut Vec<Item>) {
    let current = current_stage(s.p, s.e);
    for (index, stage) in s.p.stages.iter().enumerate() {
        let stage_bonus = match current {
            Some(c) if index == c => 2.0,
            Some(c) if index > c => -0.5 * (index - c) as f64,
            _ => 0.0,
        };
        for t in &stage.tasks {
            let measured = !s.mine(&t.role, &t.services) && s.measured(&t.accountable, &t.services);
            if !(measured || s.mine(&t.role, &t.services)) || !listed(s, t) {
                continue;
            }
            out.extend(task_item(s, stage, t, stage_bonus, measured));
        }
    }
}

/// Is the task asked for yet: its `after:` anchor has passed, and a
/// completion discussion only once the completion criteria are met.
fn listed(s: &Scope, t: &crate::playbook::Task) -> bool {
    if t.after
        .as_ref()
        .is_some_and(|a| sla::anchor_time(s.e, a).is_none())
    {
        return false;
    }
    match s.p.completion.as_ref().filter(|c| c.task == t.id) {
        Some(_) => crate::completion::progress(s.p, s.e).is_some_and(|p| p.reached()),
        None => true,
    }
}

fn task_item(
    s: &Scope,
    stage: &crate::playbook::Stage,
    t: &crate::playbook::Task,
    stage_bonus: f64,
    measured: bool,
) -> Option<Item> {
    let closed = s.e.status == EStatus::Closed;
    let (status, clock) = sla::task_status(t, s.e, s.cal, s.now);
    let due = clock.as_ref().and_then(|c| c.due);
    // After the end, only work with a running clock (closing report...) is still asked for.
    if !status.is_open() || (closed && due.is_none()) {
        return None;
    }
    let mut reason = match &clock {
        Some(c) => task_reason(s, c, &status),
        None => format!("{} stage; no SLA", stage.name),
    };
    let mut bonus = stage_bonus;
    // `listed` has already found the completion criteria met for this task.
    if let Some(p) =
        s.p.completion
            .as_ref()
            .filter(|c| c.task == t.id)
            .and_then(|_| crate::completion::progress(s.p, s.e))
    {
        reason = format!("{}: hold the engagement completion discussion", p.words());
        bonus += 10.0;
    }
    if measured {
        reason = format!("{}'s task; you are measured on it; {reason}", t.role);
    }
    let waiting = waiting_on(s.p, s.e, &t.id, s.roles);
    if !waiting.is_empty() {
        reason.push_str(&format!("; {} waits on it", waiting.join(", ")));
    }
    let used = clock.as_ref().and_then(|c| sla::time_used(c, s.now, s.cal));
    let at_risk = !status.is_overdue() && used.is_some_and(|u| u >= s.at_risk);
    if at_risk {
        let pct = used.map_or(0.0, |u| (u * 100.0).floor().min(100.0));
        reason.push_str(&format!("; at risk: {pct}% of the time used"));
    }
    let started = clock.as_ref().and_then(|c| c.start).or(s.e.opened());
    let mandatory = t.mandatory_for(s.e);
    let urgency = score(&status, due, s.now, mandatory, bonus, started);
    Some(Item {
        task: Some(t.id.clone()),
        mandatory,
        due,
        at_risk,
        urgency,
        reason,
        ..s.item(Kind::Task, t.name.clone(), &t.role, status)
    })
}

/// "within 2 business days of ... on Fri 20 Nov; due tomorrow", or what the clock waits for.
fn task_reason(s: &Scope, c: &sla::Clock, status: &Status) -> String {
    let rule = sla::clock_words(c, s.p);
    if c.start.is_some() {
        return format!("{rule}; {}", sla::status_words(status, c.due, s.now));
    }
    let what = sla::anchor_words(&c.rule.after, s.p);
    match &c.rule.after {
        Anchor::Milestone(_) => format!("{rule}; the clock starts at the {what}"),
        Anchor::Task(t) => {
            format!(
                "{rule}; the clock starts when {what} is done{}",
                upstream(s, t)
            )
        }
    }
}

/// Who holds the task this one waits on, and when it is due: "; pm-intro is
/// due Wed 4 Nov; no PM assigned".
fn upstream(s: &Scope, task: &str) -> String {
    let Some(t) = s.p.task(task) else {
        return String::new();
    };
    let (status, clock) = sla::task_status(t, s.e, s.cal, s.now);
    let due = clock
        .and_then(|c| c.due)
        .map(|d| {
            let words = sla::status_words(&status, Some(d), s.now);
            if status.is_overdue() {
                format!("; {task} was due {} ({words})", sla::due_words(d))
            } else {
                format!("; {task} is {words}")
            }
        })
        .unwrap_or_default();
    let who = match s.e.holder(&t.role) {
        Some(person) => format!("; {} holds it", person),
        None => format!("; no {} assigned", t.role),
    };
    format!("{due}{who}")
}

fn cadence_items(s: &Scope, out: &mut Vec<Item>) {
    let ours = |c: &&crate::playbook::Cadence| {
        s.mine(&c.role, &c.services) || s.measured(&c.accountable, &c.services)
    };
    for c in s.p.cadences.iter().filter(ours) {
        let st = sla::cadence_state(c, s.e, s.cal, s.now);
        if !matches!(st.status, Status::DueSoon | Status::Overdue { .. }) {
            continue;
        }
        let since = match (st.last, st.from) {
            (Some(l), _) => format!("last held {}", sla::when_words(l)),
            (None, Some(f)) => format!(
                "none held since the {} on {}",
                sla::anchor_words(&c.after, s.p),
                sla::when_words(f)
            ),
            (None, None) => String::new(),
        };
        let mut reason = format!(
            "{}; {since}; {}",
            c.every.words(),
            sla::status_words(&st.status, st.due, s.now)
        );
        if !s.mine(&c.role, &c.services) {
            reason = format!("{}'s cadence; you are measured on it; {reason}", c.role);
        }
        out.push(Item {
            task: Some(c.id.clone()),
            due: st.due,
            urgency: score(&st.status, st.due, s.now, true, 0.0, st.from),
            reason,
            ..s.item(Kind::Cadence, c.name.clone(), &c.role, st.status.clone())
        });
    }
}

/// Missing DIBS, for the holder of the primary role, due at the playbook's milestone.
fn dibs_item(s: &Scope) -> Option<Item> {
    let rule = s.p.dibs.as_ref().filter(|r| r.required)?;
    let owner =
        s.p.primary_role
            .as_deref()
            .filter(|o| s.roles.contains(o))?;
    let missing = s.e.dibs.missing();
    if missing.is_empty() {
        return None;
    }
    let start = rule
        .due
        .as_ref()
        .and_then(|m| s.e.milestones.get(m))
        .copied();
    let due = start.map(|d| Due::Day(d.date()));
    let status = due.map_or(Status::Waiting, |d| {
        sla::open_status(d, None, s.now, crate::duration::Unit::Days, s.cal)
    });
    let names: Vec<&str> = missing.iter().map(|(_, label)| *label).collect();
    let by = rule
        .due
        .as_deref()
        .map(|m| format!("; due by the {}", sla::milestone_words(m, s.p)))
        .unwrap_or_default();
    let when = match due {
        Some(_) => format!("; {}", sla::status_words(&status, due, s.now)),
        None => String::new(),
    };
    Some(Item {
        due,
        urgency: score(&status, due, s.now, true, 1.0, start.or(s.e.opened())),
        reason: format!("missing {}{by}{when}", names.join(", ")),
        ..s.item(
            Kind::Dibs,
            format!("Complete DIBS: {}", names.join(", ")),
            owner,
            status,
        )
    })
}

/// People whose SLA clocks start when `task` is done (their tasks are anchored on it).
fn waiting_on(p: &Playbook, e: &Engagement, task: &str, my_roles: &[&str]) -> Vec<String> {
    let anchor = Anchor::Task(task.to_string());
    let mut people: Vec<String> = p
        .tasks()
        .filter(|(_, t)| {
            t.due.iter().any(|d| d.after == anchor) && !my_roles.contains(&t.role.as_str())
        })
        .filter_map(|(_, t)| e.holder(&t.role).map(ToString::to_string))
        .collect();
    people.dedup();
    people
}

fn score(
    status: &Status,
    due: Option<Due>,
    now: When,
    mandatory: bool,
    stage_bonus: f64,
    started: Option<When>,
) -> f64 {
    let base = match (status, due) {
        (Status::Overdue { .. }, Some(d)) => 100.0 + 2.0 * (-d.days_from(now)).clamp(0.0, 30.0),
        (_, Some(d)) => 50.0 - 1.5 * d.days_from(now).clamp(0.0, 30.0),
        (Status::Waiting, None) => 1.0,
        _ => 3.0,
    };
    let waited = started.map_or(0.0, |s| clock::days_since(s, now).clamp(0.0, 30.0));
    let m = if mandatory { 4.0 } else { 0.0 };
    ((base + m + stage_bonus + 0.1 * waited) * 100.0).round() / 100.0
}

/// How well an unassigned engagement fits a person (`ft assign`).
#[derive(Debug, Clone, Serialize)]
pub struct Fit {
    /// 0..1: the mean of my level (out of 4) over the engagement's services.
    pub skill: f64,
    /// My level per engagement service (0 when I lack the skill).
    pub levels: Vec<(String, u8)>,
    /// -1 at or over capacity, else the share of capacity still free (0.5 when unknown).
    pub availability: f64,
    pub waiting_days: i64,
    pub score: f64,
}

/// Highest skill level.
pub const MAX_LEVEL: u8 = 4;

/// Skill match of a person's skills (service -> level) against an engagement's services.
pub fn skill_match(
    services: &[String],
    skills: &std::collections::BTreeMap<String, u8>,
) -> (f64, Vec<(String, u8)>) {
    let levels: Vec<(String, u8)> = services
        .iter()
        .filter(|s| !s.eq_ignore_ascii_case(crate::playbook::ALL_SERVICES))
        .map(|s| {
            let level = skills
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(s))
                .map_or(0, |(_, l)| (*l).min(MAX_LEVEL));
            (s.clone(), level)
        })
        .collect();
    if levels.is_empty() {
        return (0.5, levels);
    }
    let total: u32 = levels.iter().map(|(_, l)| u32::from(*l)).sum();
    (
        f64::from(total) / (levels.len() as f64 * f64::from(MAX_LEVEL)),
        levels,
    )
}

/// Availability from the engagements I carry and my capacity.
pub fn availability(load: u32, capacity: Option<u32>) -> f64 {
    match capacity {
        None => 0.5,
        Some(c) if load >= c => -1.0,
        Some(c) => f64::from(c - load) / f64::from(c),
    }
}

/// Fit score: 60 x skill + 40 x availability + 0.5 per day waiting (up to 60 days).
pub fn fit(
    services: &[String],
    skills: &std::collections::BTreeMap<String, u8>,
    load: u32,
    capacity: Option<u32>,
    waiting_days: i64,
) -> Fit {
    let (skill, levels) = skill_match(services, skills);
    let availability = availability(load, capacity);
    let score = 60.0 * skill + 40.0 * availability + 0.5 * waiting_days.clamp(0, 60) as f64;
    Fit {
        skill,
        levels,
        availability,
        waiting_days,
        score: (score * 100.0).round() / 100.0,
    }
}

/// Active or unassigned engagements where `person` holds a role.
pub fn load_of(person: &str, engagements: &[Engagement]) -> u32 {
    open_count(
        engagements
            .iter()
            .map(|e| (e.status, e.roles_of(person).next().is_some())),
    )
}

/// [`load_of`] from the engagements' summaries.
pub fn load_in(person: &str, summaries: &[Summary]) -> u32 {
    open_count(
        summaries
            .iter()
            .map(|s| (s.status, s.roles_of(person).next().is_some())),
    )
}

/// How many of (status, holds a role) are open and held.
fn open_count(list: impl Iterator<Item = (EStatus, bool)>) -> u32 {
    let n = list
        .filter(|(status, held)| *held && matches!(status, EStatus::Active | EStatus::Unassigned))
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The roles that open engagements lack where they have open work their
/// services need, the role lacked most often first: what `ft assign --role`
/// would list work for.
pub fn unfilled_roles(engagements: &[Engagement], catalog: &Catalog) -> Vec<String> {
    let mut open: Vec<(String, usize)> = Vec::new();
    for e in engagements.iter().filter(|e| e.status != EStatus::Closed) {
        let Some(p) = catalog.get(&e.playbook) else {
            continue;
        };
        let has_work = |alias: &str| {
            p.tasks().any(|(_, t)| {
                t.role == alias
                    && applies(&t.services, &e.services)
                    && e.task_state(&t.id).is_none()
            })
        };
        for r in p
            .roles
            .iter()
            .filter(|r| e.holder(&r.alias).is_none() && has_work(&r.alias))
        {
            match open.iter_mut().find(|(a, _)| *a == r.alias) {
                Some((_, n)) => *n += 1,
                None => open.push((r.alias.clone(), 1)),
            }
        }
    }
    open.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    open.into_iter().map(|(r, _)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn skills(list: &[(&str, u8)]) -> BTreeMap<String, u8> {
        list.iter().map(|(s, l)| ((*s).to_string(), *l)).collect()
    }

    #[test]
    fn a_perfect_skill_at_capacity_ranks_below_a_good_skill_with_room() {
        let services = vec!["AKS".to_string(), "Networking".to_string()];
        let perfect_but_full = fit(
            &services,
            &skills(&[("AKS", 4), ("Networking", 4)]),
            5,
            Some(5),
            3,
        );
        let good_with_room = fit(
            &services,
            &skills(&[("AKS", 3), ("networking", 3)]),
            4,
            Some(5),
            3,
        );
        assert!(
            good_with_room.score > perfect_but_full.score,
            "{good_with_room:?} vs {perfect_but_full:?}"
        );
        assert_eq!(perfect_but_full.availability, -1.0);
        assert_eq!(good_with_room.skill, 0.75);
    }

    #[test]
    fn fit_is_60_skill_plus_40_availability_plus_half_a_point_a_day_waiting() {
        assert_eq!(availability(1, Some(4)), 0.75, "3 of 4 free");
        assert_eq!(availability(4, Some(4)), -1.0);
        assert_eq!(availability(9, None), 0.5);
        let services = vec!["Teams".to_string()];
        // skill 3/4 = 0.75: 45 + 40 x 0.75 = 30, + 0.5 x 10 = 5: 80.
        let f = fit(&services, &skills(&[("Teams", 3)]), 1, Some(4), 10);
        assert_eq!((f.skill, f.availability, f.score), (0.75, 0.75, 80.0));
        // Waiting counts up to 60 days; 1/3 free gives 13.333..., rounded to 2 places.
        let f = fit(&services, &skills(&[("Teams", 4)]), 2, Some(3), 90);
        assert_eq!(f.score, 60.0 + 13.33 + 30.0);
    }

    #[test]
    fn longer_waiting_ranks_higher_among_equals() {
        let services = vec!["Teams".to_string()];
        let s = skills(&[("Teams", 3)]);
        assert!(fit(&services, &s, 1, Some(4), 10).score > fit(&services, &s, 1, Some(4), 1).score);
    }

    #[test]
    fn skill_match_ignores_all_services_and_missing_skills_count_zero() {
        let (m, levels) = skill_match(
            &["All Services".into(), "Data".into(), "AI".into()],
            &skills(&[("AI", 4)]),
        );
        assert_eq!(m, 0.5);
        assert_eq!(levels, vec![("Data".to_string(), 0), ("AI".to_string(), 4)]);
        assert_eq!(skill_match(&[], &skills(&[])).0, 0.5);
    }
}
