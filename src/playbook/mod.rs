//! Playbooks: stages, tasks, roles, milestones, SLAs and cadences (pure data).
//!
//! A [`Playbook`] can only be built by [`load`], which validates it, so the
//! rest of `ft` can rely on every role, anchor and duration being valid.
//!
//! The rules that engagements must follow against their playbook live here,
//! once, so that loading a file, creating one and editing one agree: which
//! playbook an id names ([`Catalog::lookup`]), services
//! ([`Playbook::check_services`]), field values ([`Playbook::check_field`]),
//! roles ([`Playbook::role_or_error`]) and whether a clock runs in minutes or
//! hours ([`Playbook::sub_day_after`], [`Task::sub_day`]).

pub mod builtin;
pub mod import;
pub mod lint;
pub mod load;

use std::path::PathBuf;

use indexmap::IndexMap;

use crate::duration::{Interval, Period};
use crate::error::{UserError, suggest, user_hint};

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
    /// Fields an engagement must have (`required`, or `required_when` it
    /// names one of some services).
    pub required: Vec<Required>,
    /// Services an engagement may name; empty means any.
    pub services: Vec<String>,
    /// Services an engagement gets when it is created without any. A
    /// playbook that lists `services` but no defaults needs one chosen.
    pub default_services: Vec<String>,
    pub stages: Vec<Stage>,
    pub cadences: Vec<Cadence>,
    pub dibs: Option<DibsRule>,
    pub ssat: Vec<String>,
    pub enablement: Option<Enablement>,
    /// Team goals over the SLAs, as the source documents state them.
    pub goals: Vec<Goal>,
    /// Roles a team is expected to have for some field values (an FTA on
    /// an S500 account).
    pub expect: Vec<Expectation>,
    /// When an engagement's work is complete and the disengagement begins.
    pub completion: Option<Completion>,
    /// The milestone after which SSAT items are asked for (`ssat: { after: kickoff }`).
    pub ssat_after: Option<String>,
}

/// A role the team should hold when the engagement's fields match `when`.
#[derive(Debug, Clone)]
pub struct Expectation {
    pub role: String,
    pub when: Vec<(String, Vec<String>)>,
    /// The source line the rule comes from.
    pub source: Option<String>,
}

/// Completion criteria: enablement reached (the playbook's `enablement:`
/// rule) and, when the engagement has a migration target, the migration
/// done; then `task` (the completion discussion) is due to be held.
#[derive(Debug, Clone)]
pub struct Completion {
    pub task: String,
    pub enablement: bool,
    pub migration: Option<Migration>,
}

/// Migration completion: the engagement field holding the predetermined
/// number of users, and the field holding how many are migrated.
#[derive(Debug, Clone)]
pub struct Migration {
    pub users: String,
    pub migrated: String,
}

/// Does an engagement with these fields match every `field: [values]` condition?
pub fn fields_match(when: &[(String, Vec<String>)], e: &crate::engagement::Engagement) -> bool {
    when.iter()
        .all(|(f, vals)| e.fields.get(f).is_some_and(|v| vals.iter().any(|x| x == v)))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Builtin,
    File(PathBuf),
}

/// A field an engagement must have: always, or when it names one of
/// `with_services`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Required {
    pub field: String,
    pub with_services: Vec<String>,
}

impl Required {
    /// Does an engagement with these services need the field?
    pub fn applies(&self, services: &[String]) -> bool {
        self.with_services.is_empty()
            || services
                .iter()
                .any(|s| self.with_services.iter().any(|w| w.eq_ignore_ascii_case(s)))
    }
}

#[derive(Debug, Clone)]
pub struct Role {
    pub alias: String,
    pub name: String,
    /// A stakeholder on the team who holds no tasks (`contacts:`: AE, CSM...).
    pub contact: bool,
}

#[derive(Debug, Clone)]
pub struct Milestone {
    pub id: String,
    pub name: String,
    /// Who records it, once which milestone has passed (`record: { role: FM,
    /// after: kickoff }`): until then it is on that role's `ft next`.
    pub record: Option<(String, String)>,
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
    /// Engagement fields that make an optional task mandatory
    /// (`mandatory_when: { origin: [RFA] }`).
    pub mandatory_when: Vec<(String, Vec<String>)>,
    /// Roles measured on the task though another role does it (the role
    /// guides' success metrics): it is on their `ft next` too.
    pub accountable: Vec<String>,
    /// The task is asked for only once this milestone is recorded or this
    /// task is done (`after: task:983`); until then nobody needs to act.
    pub after: Option<Anchor>,
}

impl Task {
    /// Is the task mandatory for this engagement?
    pub fn mandatory_for(&self, e: &crate::engagement::Engagement) -> bool {
        self.mandatory || (!self.mandatory_when.is_empty() && fields_match(&self.mandatory_when, e))
    }

    /// Is any of its due rules counted in minutes or hours? Its dates are
    /// then recorded with the time of day.
    pub fn sub_day(&self) -> bool {
        self.due.iter().any(|d| d.within.unit.is_sub_day())
    }
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
    /// Roles measured on the cadence though another role holds it.
    pub accountable: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct DibsRule {
    pub required: bool,
    /// The milestone by which DIBS must be complete.
    pub due: Option<String>,
}

/// A team goal over some tasks' SLAs: a mean time to complete at most a
/// period, a share of due items met on time, or a share of engagements
/// where a task is done.
#[derive(Debug, Clone)]
pub struct Goal {
    pub name: String,
    /// Task ids the goal counts.
    pub over: Vec<String>,
    /// Engagement field -> values the goal is limited to; empty: all.
    pub when: Vec<(String, Vec<String>)>,
    pub target: Target,
    /// The source line the goal comes from.
    pub source: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// Mean time from the anchor to completion at most this.
    Mean(crate::duration::Period),
    /// At least this percentage of due items met on time.
    Met(u32),
    /// At least this percentage of engagements with the task done.
    Done(u32),
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Mean(p) => write!(f, "mean <= {p}"),
            Target::Met(n) => write!(f, "{n}% met on time"),
            Target::Done(n) => write!(f, "done in {n}% of engagements"),
        }
    }
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

/// The name people read for a DIBS field key ("Business reason"); an
/// unknown key as it is.
pub fn dibs_label(key: &str) -> &str {
    DIBS_FIELDS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, label)| label)
}

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

    /// A role by alias or full name, or the error people see: it names the
    /// playbook, with a hint of the closest alias or else all of them.
    pub fn role_or_error(&self, role: &str) -> Result<&Role, anyhow::Error> {
        self.role(role).ok_or_else(|| {
            let roles: Vec<&str> = self.roles.iter().map(|r| r.alias.as_str()).collect();
            let hint = suggest(role, roles.iter().copied())
                .unwrap_or_else(|| format!("its roles: {}", roles.join(", ")));
            user_hint(format!("playbook `{}` has no role `{role}`", self.id), hint)
        })
    }

    /// An engagement's services as this playbook spells them.
    ///
    /// Items are trimmed and empty ones dropped. A playbook that declares no
    /// services takes any, as written; otherwise each must match a declared
    /// one (ignoring ASCII case) and is replaced by its declared spelling.
    /// The error names the first unknown service; [`Playbook::check_service`]
    /// gives the same error with its hint.
    pub fn check_services(&self, list: &[String]) -> Result<Vec<String>, String> {
        list.iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(|s| self.check_service(s).map_err(|e| e.message))
            .collect()
    }

    /// One service as this playbook spells it (see [`Playbook::check_services`]);
    /// the error's hint is the closest declared service, else all of them.
    pub fn check_service(&self, name: &str) -> Result<String, UserError> {
        let name = name.trim();
        if self.services.is_empty() {
            return Ok(name.to_string());
        }
        if let Some(canonical) = self.service(name) {
            return Ok(canonical.to_string());
        }
        let hint = suggest(name, self.services.iter().map(String::as_str))
            .unwrap_or_else(|| format!("its services: {}", self.services.join(", ")));
        Err(UserError::new(format!(
            "`{name}` is not a service of playbook `{}`",
            self.id
        ))
        .hint(hint))
    }

    /// May an engagement of this playbook set field `name` to `value`? The
    /// field must be declared under `fields:`; its value must be one of the
    /// declared values, compared exactly, unless none are declared.
    ///
    /// An undeclared field is an error here; a caller that keeps unknown
    /// fields someone wrote by hand (loading a file does, with a warning)
    /// checks `fields.contains_key` first.
    pub fn check_field(&self, name: &str, value: &str) -> Result<(), String> {
        match self.fields.get(name) {
            None => Err(format!("playbook `{}` declares no field `{name}`", self.id)),
            Some(allowed) => field_value(name, allowed, value),
        }
    }

    /// Another declared field that lists `value`: where a value given for
    /// the wrong field belongs (`A` is a `case_severity`, not a `severity`).
    pub fn field_with_value(&self, name: &str, value: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(other, allowed)| *other != name && allowed.iter().any(|a| a == value))
            .map(|(other, _)| other.as_str())
    }

    /// Does any SLA of the playbook count minutes or hours? Then events are
    /// recorded with the time of day.
    pub fn counts_time_of_day(&self) -> bool {
        self.tasks().any(|(_, t)| t.sub_day())
    }

    /// What a new engagement with these fields and services lacks: the
    /// services to choose when the playbook needs one, and each required
    /// field that is missing. Messages name the flag or key that fixes them.
    pub fn missing(&self, services: &[String], fields: &[(&str, &str)]) -> Vec<String> {
        let mut out = Vec::new();
        if services.is_empty() && !self.services.is_empty() && self.default_services.is_empty() {
            out.push(format!(
                "playbook `{}` needs a service: one of {}",
                self.id,
                self.services.join(", ")
            ));
        }
        for r in self.required.iter().filter(|r| r.applies(services)) {
            if !fields.iter().any(|(name, _)| *name == r.field) {
                let values = self
                    .fields
                    .get(&r.field)
                    .map(|v| v.join(", "))
                    .unwrap_or_default();
                let why = if r.with_services.is_empty() {
                    String::new()
                } else {
                    format!(" for {}", r.with_services.join(", "))
                };
                out.push(format!("`{}` is required{why} (one of {values})", r.field));
            }
        }
        out
    }

    /// Is any due rule counted from `anchor` in minutes or hours? The anchor
    /// is then recorded with the time of day.
    pub fn sub_day_after(&self, anchor: &Anchor) -> bool {
        self.tasks()
            .flat_map(|(_, t)| &t.due)
            .any(|d| &d.after == anchor && d.within.unit.is_sub_day())
    }
}

/// Is `value` one of a field's `allowed` values (any, when none are listed)?
/// Shared by engagements and by playbooks' own `when:` conditions.
pub(crate) fn field_value(name: &str, allowed: &[String], value: &str) -> Result<(), String> {
    if allowed.is_empty() || allowed.iter().any(|a| a == value) {
        Ok(())
    } else {
        Err(format!(
            "`{value}` is not a value of `{name}` (allowed: {})",
            allowed.join(", ")
        ))
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

    /// A playbook by id, or the error people see for an unknown one
    /// ("no playbook \`X\`"), with a hint of the closest id, else the known
    /// ids (when there are at most [`Catalog::LISTED`]), else where to list them.
    pub fn lookup(&self, id: &str) -> Result<&Playbook, UserError> {
        self.get(id).ok_or_else(|| {
            let hint = suggest(id, self.ids()).unwrap_or_else(|| {
                if self.playbooks.len() <= Self::LISTED {
                    format!(
                        "known playbooks: {}",
                        self.ids().collect::<Vec<_>>().join(", ")
                    )
                } else {
                    "`ft playbook list` shows them".to_string()
                }
            });
            UserError::new(format!("no playbook `{id}`")).hint(hint)
        })
    }

    /// The most playbook ids a hint lists.
    pub const LISTED: usize = 8;

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

    const RULES: &str = "\
id: rules
name: Rules
roles: { FM: FastTrack Manager, FE: FastTrack Engineer }
milestones: [opened, assigned, kickoff]
fields: { severity: ['1', '2'], region: [] }
services: [Teams, Exchange Online]
stages:
  - id: s
    name: S
    tasks:
      - { id: ack, name: Ack, mandatory: true, role: FM, due: [{ when: { severity: ['1'] }, within: 15m, after: opened }, { within: 1bd, after: opened }] }
      - { id: call, name: Call, mandatory: true, role: FE, due: { within: 2bd, after: assigned } }
      - { id: plan, name: Plan, mandatory: false, role: FE, due: { within: 4h, after: task:call } }
      - { id: free, name: Free, mandatory: false, role: FE }
";

    fn rules() -> Playbook {
        let path = std::path::Path::new("rules.yaml");
        load::parse(path, RULES, Source::Builtin).unwrap()
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn lookup_finds_or_explains() {
        let mut c = Catalog::default();
        for p in builtin::all() {
            c.insert(p);
        }
        assert_eq!(c.lookup("mcs-escalation").unwrap().id, "mcs-escalation");
        let e = c.lookup("mcs-escalaton").unwrap_err();
        assert_eq!(e.message, "no playbook `mcs-escalaton`");
        assert_eq!(e.hint.as_deref(), Some("did you mean `mcs-escalation`?"));
        let e = c.lookup("m365").unwrap_err();
        assert_eq!(
            e.hint.as_deref(),
            Some(
                "known playbooks: m365-general-engagement, azure-fasttrack-engineer, mcs-escalation"
            )
        );
        for i in 0..Catalog::LISTED {
            let mut p = rules();
            p.id = format!("local-{i}");
            c.insert(p);
        }
        let e = c.lookup("m365").unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("`ft playbook list` shows them"));
    }

    #[test]
    fn services_take_the_declared_spelling() {
        let p = rules();
        assert_eq!(
            p.check_services(&strings(&[" teams", "", "EXCHANGE ONLINE "])),
            Ok(strings(&["Teams", "Exchange Online"]))
        );
        assert_eq!(
            p.check_services(&strings(&["Teams", "Yammer", "Viva"])),
            Err("`Yammer` is not a service of playbook `rules`".to_string())
        );
        let e = p.check_service("Team").unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("did you mean `Teams`?"));
        let e = p.check_service("Yammer").unwrap_err();
        assert_eq!(
            e.hint.as_deref(),
            Some("its services: Teams, Exchange Online")
        );
        let mut any = rules();
        any.services.clear();
        assert_eq!(
            any.check_services(&strings(&[" Yammer ", "teams"])),
            Ok(strings(&["Yammer", "teams"])),
            "a playbook without services takes any, as written"
        );
        assert_eq!(p.check_services(&[]), Ok(Vec::new()));
    }

    #[test]
    fn fields_take_declared_values() {
        let p = rules();
        assert_eq!(p.check_field("severity", "2"), Ok(()));
        assert_eq!(
            p.check_field("severity", "3"),
            Err("`3` is not a value of `severity` (allowed: 1, 2)".to_string())
        );
        assert!(
            p.check_field("severity", " 1").is_err(),
            "values compare exactly"
        );
        assert_eq!(p.check_field("region", "anything"), Ok(()));
        assert_eq!(
            p.check_field("colour", "red"),
            Err("playbook `rules` declares no field `colour`".to_string())
        );
    }

    #[test]
    fn sub_day_clocks() {
        let p = rules();
        let ms = |m: &str| Anchor::Milestone(m.to_string());
        assert!(
            p.sub_day_after(&ms("opened")),
            "a 15m rule, even under a condition"
        );
        assert!(!p.sub_day_after(&ms("assigned")), "2bd");
        assert!(!p.sub_day_after(&ms("kickoff")), "nothing counts from it");
        assert!(p.sub_day_after(&Anchor::Task("call".into())));
        assert!(!p.sub_day_after(&Anchor::Task("plan".into())));
        let sub_day: Vec<&str> = p
            .tasks()
            .filter(|(_, t)| t.sub_day())
            .map(|(_, t)| t.id.as_str())
            .collect();
        assert_eq!(sub_day, ["ack", "plan"]);
    }

    #[test]
    fn roles_by_alias_or_name_or_an_error() {
        let p = rules();
        assert_eq!(p.role_or_error("fe").unwrap().alias, "FE");
        assert_eq!(p.role_or_error(" fastTrack manager").unwrap().alias, "FM");
        let e = p.role_or_error("FME").unwrap_err();
        let u = e.downcast_ref::<UserError>().unwrap();
        assert_eq!(u.message, "playbook `rules` has no role `FME`");
        assert_eq!(u.hint.as_deref(), Some("did you mean `FM`?"));
        let e = p.role_or_error("Architect").unwrap_err();
        let u = e.downcast_ref::<UserError>().unwrap();
        assert_eq!(u.hint.as_deref(), Some("its roles: FM, FE"));
    }

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
