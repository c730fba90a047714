//! Playbooks: stages, tasks, roles, milestones, SLAs and cadences (pure data).
//!
//! A [`Playbook`] can only be built by [`load`], which validates it, so the
//! rest of `ft` can rely on every role, anchor and duration being valid.

pub mod builtin;
pub mod import;
pub mod load;

use std::path::PathBuf;

use indexmap::IndexMap;

use crate::duration::{Interval, Period};

pub const ALL_SERVICES: &str = "All Services";

#[derive(Debug, Clone)]
pub struct Playbook {
    pub id: String,
    pub name: String,
    pub version: String,
    pub description: Option<String>,
    pub source: Source,
    pub roles: Vec<Role>,
    /// The role whose claim sets the `assigned` milestone.
    pub primary_role: Option<String>,
    pub milestones: Vec<Milestone>,
    /// Engagement fields SLAs may depend on, with their allowed values.
    pub fields: IndexMap<String, Vec<String>>,
    /// Services an engagement may name; empty means any.
    pub services: Vec<String>,
    pub stages: Vec<Stage>,
    pub cadences: Vec<Cadence>,
    pub dibs: Option<DibsRule>,
    pub ssat: Vec<String>,
    pub enablement: Option<Enablement>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Builtin,
    File(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Role {
    pub alias: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Milestone {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Stage {
    pub id: String,
    pub name: String,
    pub phase: Option<String>,
    pub tasks: Vec<Task>,
}

#[derive(Debug, Clone)]
pub struct Task {
    pub id: String,
    pub name: String,
    /// The playbook step the task belongs to, when the source has steps.
    pub step: Option<String>,
    pub mandatory: bool,
    /// Role alias.
    pub role: String,
    pub services: Vec<String>,
    /// A milestone that doing this task records, when not yet recorded
    /// (holding the kickoff meeting is the `kickoff` milestone).
    pub sets: Option<String>,
    /// Due rules; the first whose condition holds applies.
    pub due: Vec<DueRule>,
}

#[derive(Debug, Clone)]
pub struct DueRule {
    /// Engagement field -> accepted values; empty means always.
    pub when: Vec<(String, Vec<String>)>,
    pub within: Period,
    pub after: Anchor,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    Milestone(String),
    Task(String),
}

impl std::fmt::Display for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Anchor::Milestone(m) => f.write_str(m),
            Anchor::Task(t) => write!(f, "task:{t}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Cadence {
    pub id: String,
    pub name: String,
    pub role: String,
    pub every: Interval,
    pub after: Anchor,
    pub services: Vec<String>,
    pub stage: Option<String>,
}

#[derive(Debug, Clone)]
pub struct DibsRule {
    pub required: bool,
    /// The milestone by which DIBS must be complete.
    pub due: Option<String>,
}

/// Enablement is complete at `active_users`, or at `seat_percent` of seats
/// for customers with fewer than `small_below` seats.
#[derive(Debug, Clone, Copy)]
pub struct Enablement {
    pub active_users: u32,
    pub seat_percent: u32,
    pub small_below: u32,
}

impl Enablement {
    /// Active users needed for an engagement with `seats` seats.
    pub fn target(&self, seats: Option<u32>) -> u32 {
        match seats {
            Some(s) if s < self.small_below => {
                (u64::from(s) * u64::from(self.seat_percent)).div_ceil(100) as u32
            }
            _ => self.active_users,
        }
    }
}

/// The DIBS fields, in their conventional order.
pub const DIBS_FIELDS: [(&str, &str); 4] = [
    ("date", "Date"),
    ("intent", "Intent"),
    ("business_reason", "Business reason"),
    ("success_owner", "Success owner"),
];

impl Playbook {
    /// A role by alias or full name, case-insensitively.
    pub fn role(&self, alias_or_name: &str) -> Option<&Role> {
        let key = alias_or_name.trim();
        self.roles
            .iter()
            .find(|r| r.alias.eq_ignore_ascii_case(key) || r.name.eq_ignore_ascii_case(key))
    }

    /// Full name of a role alias (the alias itself if unknown).
    pub fn role_name<'a>(&'a self, alias: &'a str) -> &'a str {
        self.role(alias).map_or(alias, |r| r.name.as_str())
    }

    pub fn tasks(&self) -> impl Iterator<Item = (&Stage, &Task)> {
        self.stages
            .iter()
            .flat_map(|s| s.tasks.iter().map(move |t| (s, t)))
    }

    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks().map(|(_, t)| t).find(|t| t.id == id)
    }

    pub fn cadence(&self, id: &str) -> Option<&Cadence> {
        self.cadences.iter().find(|c| c.id == id)
    }

    pub fn has_milestone(&self, id: &str) -> bool {
        self.milestones.iter().any(|m| m.id == id)
    }

    /// The canonical spelling of a declared service, if the playbook declares services.
    pub fn service(&self, name: &str) -> Option<&str> {
        self.services
            .iter()
            .find(|s| s.eq_ignore_ascii_case(name.trim()))
            .map(String::as_str)
    }

    pub fn task_ids(&self) -> impl Iterator<Item = &str> {
        self.tasks().map(|(_, t)| t.id.as_str())
    }

    pub fn is_builtin(&self) -> bool {
        self.source == Source::Builtin
    }
}

/// Does work for `services` apply to an engagement with `engagement_services`?
pub fn applies(services: &[String], engagement_services: &[String]) -> bool {
    services.iter().any(|s| {
        s.eq_ignore_ascii_case(ALL_SERVICES)
            || engagement_services
                .iter()
                .any(|e| e.eq_ignore_ascii_case(s))
    })
}

/// The playbooks available in a workspace: built-ins, then local files that may override them.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub playbooks: Vec<Playbook>,
    /// Ids of built-in playbooks replaced by a local file.
    pub overridden: Vec<String>,
}

impl Catalog {
    pub fn get(&self, id: &str) -> Option<&Playbook> {
        self.playbooks.iter().find(|p| p.id == id)
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.playbooks.iter().map(|p| p.id.as_str())
    }

    /// Add a playbook; one with an existing id replaces it.
    pub fn insert(&mut self, playbook: Playbook) {
        if let Some(slot) = self.playbooks.iter_mut().find(|p| p.id == playbook.id) {
            if slot.is_builtin() && !playbook.is_builtin() {
                self.overridden.push(playbook.id.clone());
            }
            *slot = playbook;
        } else {
            self.playbooks.push(playbook);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enablement_target() {
        let e = Enablement {
            active_users: 100,
            seat_percent: 10,
            small_below: 1000,
        };
        assert_eq!(e.target(Some(5000)), 100);
        assert_eq!(e.target(Some(1000)), 100);
        assert_eq!(e.target(Some(999)), 100);
        assert_eq!(e.target(Some(450)), 45);
        assert_eq!(e.target(Some(15)), 2);
        assert_eq!(e.target(None), 100);
    }

    #[test]
    fn services_apply() {
        let all = vec![ALL_SERVICES.to_string()];
        let core = vec!["Core Onboarding".to_string()];
        let teams = vec!["Teams".to_string()];
        assert!(applies(&all, &teams));
        assert!(!applies(&core, &teams));
        assert!(applies(&core, &["core onboarding".to_string()]));
    }
}
