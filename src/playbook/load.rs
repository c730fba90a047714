//! Playbook YAML -> raw serde types -> validated [`Playbook`].
//!
//! Raw types are strict (unknown keys are errors) and keep source positions,
//! so every validation problem names `path:line:col`.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::Required;
use super::{
    ALL_SERVICES, Anchor, Cadence, DibsRule, DueRule, Enablement, Goal, Milestone, Playbook, Role,
    Source, Stage, Target, Task,
};
use crate::duration::{Interval, Period};
use crate::error::{Diagnostic, suggest};

mod extras;

/// A field: its values (`severity: ["1", "2"]`), or the long form saying
/// when an engagement must have it.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawField {
    Values(Vec<String>),
    Full(RawFieldFull),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFieldFull {
    #[serde(default)]
    values: Vec<String>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    required_when: Option<RawRequiredWhen>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequiredWhen {
    services: Vec<String>,
}

/// The allowed values of each field, and when a field is required.
fn split_fields(
    raw: &IndexMap<String, RawField>,
) -> (IndexMap<String, Vec<String>>, Vec<Required>) {
    let mut values = IndexMap::new();
    let mut required = Vec::new();
    for (name, f) in raw {
        match f {
            RawField::Values(v) => {
                values.insert(name.clone(), v.clone());
            }
            RawField::Full(full) => {
                values.insert(name.clone(), full.values.clone());
                if full.required || full.required_when.is_some() {
                    required.push(Required {
                        field: name.clone(),
                        with_services: full
                            .required_when
                            .as_ref()
                            .map(|w| w.services.clone())
                            .unwrap_or_default(),
                    });
                }
            }
        }
    }
    (values, required)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlaybook {
    id: Spanned<String>,
    name: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    description: Option<String>,
    roles: Spanned<IndexMap<String, String>>,
    #[serde(default)]
    primary_role: Option<Spanned<String>>,
    #[serde(default)]
    milestones: Vec<Spanned<RawMilestone>>,
    #[serde(default)]
    fields: IndexMap<String, RawField>,
    #[serde(default)]
    services: Vec<String>,
    #[serde(default)]
    default_services: Vec<String>,
    stages: Vec<RawStage>,
    #[serde(default)]
    cadences: Vec<RawCadence>,
    #[serde(default)]
    dibs: Option<Spanned<RawDibs>>,
    #[serde(default)]
    ssat: RawSsat,
    #[serde(default)]
    enablement: Option<RawEnablement>,
    #[serde(default)]
    goals: Vec<Spanned<RawGoal>>,
    /// Stakeholder roles that hold no tasks: alias -> name.
    #[serde(default)]
    contacts: IndexMap<String, String>,
    #[serde(default)]
    expect: Vec<Spanned<RawExpect>>,
    #[serde(default)]
    completion: Option<Spanned<RawCompletion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpect {
    role: Spanned<String>,
    #[serde(default)]
    when: IndexMap<String, Vec<String>>,
    #[serde(default)]
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompletion {
    task: Spanned<String>,
    #[serde(default)]
    enablement: bool,
    #[serde(default)]
    migration: Option<RawMigration>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMigration {
    users: String,
    migrated: String,
}

/// SSAT items: a list, or `{ items: [...], after: MILESTONE }`.
#[derive(Deserialize, Default)]
#[serde(untagged)]
enum RawSsat {
    #[default]
    None,
    Items(Vec<String>),
    Full {
        items: Vec<String>,
        after: Spanned<String>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGoal {
    name: String,
    over: Vec<String>,
    #[serde(default)]
    when: IndexMap<String, Vec<String>>,
    #[serde(default)]
    mean: Option<String>,
    #[serde(default)]
    met: Option<String>,
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawMilestone {
    Id(String),
    Named {
        id: String,
        name: String,
        #[serde(default)]
        record: Option<RawRecord>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecord {
    role: String,
    after: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStage {
    id: Spanned<String>,
    name: String,
    #[serde(default)]
    phase: Option<String>,
    #[serde(default)]
    tasks: Vec<RawTask>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTask {
    id: Spanned<String>,
    name: String,
    #[serde(default)]
    step: Option<String>,
    mandatory: bool,
    role: Spanned<String>,
    #[serde(default)]
    services: Option<Vec<String>>,
    #[serde(default)]
    sets: Option<Spanned<String>>,
    #[serde(default)]
    due: Option<OneOrMany<RawDue>>,
    #[serde(default)]
    mandatory_when: IndexMap<String, Vec<String>>,
    #[serde(default)]
    accountable: Vec<Spanned<String>>,
    #[serde(default)]
    after: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDue {
    #[serde(default)]
    when: Option<Spanned<IndexMap<String, Vec<String>>>>,
    #[serde(default)]
    within: Option<Spanned<String>>,
    #[serde(default)]
    after: Option<Spanned<String>>,
    /// `at: MILESTONE` is shorthand for `within: 0d, after: MILESTONE`.
    #[serde(default)]
    at: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCadence {
    id: Spanned<String>,
    name: String,
    role: Spanned<String>,
    every: Spanned<String>,
    after: Spanned<String>,
    #[serde(default)]
    services: Option<Vec<String>>,
    #[serde(default)]
    stage: Option<Spanned<String>>,
    #[serde(default)]
    accountable: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDibs {
    #[serde(default = "yes")]
    required: bool,
    #[serde(default)]
    due: Option<RawDibsDue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDibsDue {
    at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnablement {
    active_users: u32,
    seat_percent: u32,
    small_below: u32,
}

fn yes() -> bool {
    true
}

/// A single value or a list of them.
struct OneOrMany<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a due rule or a list of due rules")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|t| OneOrMany(vec![t]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Vec::<T>::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(OneOrMany)
            }
        }
        deserializer.deserialize_any(V(PhantomData))
    }
}

fn pos<T>(s: &Spanned<T>) -> (usize, usize) {
    (s.referenced.line() as usize, s.referenced.column() as usize)
}

/// Parse and validate a playbook. On failure, every problem found is returned.
pub fn parse(path: &Path, text: &str, source: Source) -> Result<Playbook, Vec<Diagnostic>> {
    let raw: RawPlaybook = crate::yaml::from_str(text).map_err(|e| {
        let hint = unknown_field_hint(&e.message);
        vec![Diagnostic::error(path, (e.line, e.column), "yaml", e.message).with_hint(hint)]
    })?;
    Validator {
        path,
        problems: Vec::new(),
    }
    .playbook(raw, source)
}

/// serde says "unknown field `x`, expected one of a, b"; suggest the closest.
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected = rest.split_once("expected ")?.1;
    let expected = expected.strip_prefix("one of ").unwrap_or(expected);
    let candidates: Vec<&str> = expected.split(", ").map(|s| s.trim_matches('`')).collect();
    suggest(field, candidates)
}

struct Validator<'a> {
    path: &'a Path,
    problems: Vec<Diagnostic>,
}

impl Validator<'_> {
    fn error(
        &mut self,
        at: (usize, usize),
        code: &'static str,
        message: String,
        hint: Option<String>,
    ) {
        self.problems
            .push(Diagnostic::error(self.path, at, code, message).with_hint(hint));
    }

    fn playbook(mut self, raw: RawPlaybook, source: Source) -> Result<Playbook, Vec<Diagnostic>> {
        if let Err(e) = crate::engagement::check_id(&raw.id.value) {
            self.error(pos(&raw.id), "playbook-id", e, None);
        }
        let mut roles = self.roles(&raw.roles);
        let milestones = self.milestones(&raw.milestones);
        let task_ids = raw
            .stages
            .iter()
            .flat_map(|s| s.tasks.iter().map(|t| t.id.value.clone()))
            .collect();
        let (fields, required) = split_fields(&raw.fields);
        let mut ctx = Names::new(&roles, &milestones, &fields, task_ids);
        // A playbook with one role: that role is the primary one.
        let primary_role = match &raw.primary_role {
            Some(r) => self.role(&ctx, r),
            None if roles.len() == 1 => Some(roles[0].alias.clone()),
            None => None,
        };
        self.record_rules(&ctx, &raw.milestones);
        let (stages, stage_ids, task_ids) = self.stages(&ctx, raw.stages);
        ctx.task_ids = task_ids;
        let cadences = self.cadences(&ctx, raw.cadences, &stage_ids);
        let dibs = raw.dibs.map(|d| self.dibs(&ctx, d));
        let goals = raw
            .goals
            .iter()
            .filter_map(|g| self.goal(&ctx, g))
            .collect();
        if let Some(cycle) = super::lint::anchor_cycle(&stages) {
            self.error(
                (1, 1),
                "anchor-cycle",
                format!(
                    "tasks wait on each other, so none can ever come due: {}",
                    cycle.join(" -> ")
                ),
                Some("count one of them from a milestone instead".into()),
            );
        }
        let extras = self.extras(&ctx, &raw.expect, &raw.ssat, raw.completion.as_ref());
        if !self.problems.is_empty() {
            return Err(self.problems);
        }
        roles.extend(self.contacts(&roles, &raw.contacts));
        if !self.problems.is_empty() {
            return Err(self.problems);
        }
        let ssat = match raw.ssat {
            RawSsat::None => Vec::new(),
            RawSsat::Items(items) | RawSsat::Full { items, .. } => items,
        };
        Ok(Playbook {
            id: raw.id.value,
            name: raw.name,
            version: raw.version.unwrap_or_default(),
            description: raw.description,
            source,
            roles,
            primary_role,
            milestones,
            fields,
            required,
            services: raw.services,
            default_services: raw.default_services,
            stages,
            cadences,
            dibs,
            ssat,
            ssat_after: extras.ssat_after,
            expect: extras.expect,
            completion: extras.completion,
            enablement: raw.enablement.map(|e| Enablement {
                active_users: e.active_users,
                seat_percent: e.seat_percent,
                small_below: e.small_below,
            }),
            goals,
        })
    }

    /// A team goal: its tasks exist, its fields are declared, and it states
    /// exactly one target.
    fn goal(&mut self, ctx: &Names, raw: &Spanned<RawGoal>) -> Option<Goal> {
        let g = &raw.value;
        for t in g.over.iter().filter(|t| !ctx.task_ids.contains(*t)) {
            let hint = crate::error::suggest(t, ctx.task_ids.iter().map(String::as_str));
            self.error(
                pos(raw),
                "goal",
                format!("goal `{}` counts no task `{t}`", g.name),
                hint,
            );
        }
        for f in g.when.keys().filter(|f| !ctx.fields.contains_key(*f)) {
            self.error(
                pos(raw),
                "goal",
                format!("goal `{}` looks at undeclared field `{f}`", g.name),
                None,
            );
        }
        let percent = |s: &str| {
            s.strip_suffix('%')
                .and_then(|n| n.trim().parse::<u32>().ok())
                .filter(|n| *n <= 100)
        };
        let target = match (&g.mean, &g.met, &g.done) {
            (Some(m), None, None) => m.parse().ok().map(Target::Mean),
            (None, Some(p), None) => percent(p).map(Target::Met),
            (None, None, Some(p)) => percent(p).map(Target::Done),
            _ => None,
        };
        if target.is_none() {
            self.error(
                pos(raw),
                "goal",
                format!(
                    "goal `{}` needs exactly one of `mean: 15m`, `met: 90%` or `done: 75%`",
                    g.name
                ),
                None,
            );
        }
        Some(Goal {
            name: g.name.clone(),
            over: g.over.clone(),
            when: g.when.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            target: target?,
            source: g.source.clone(),
        })
    }

    fn roles(&mut self, raw: &Spanned<IndexMap<String, String>>) -> Vec<Role> {
        let roles: Vec<Role> = raw
            .value
            .iter()
            .map(|(alias, name)| Role {
                alias: alias.clone(),
                name: name.clone(),
                contact: false,
            })
            .collect();
        if roles.is_empty() {
            self.error(
                pos(raw),
                "no-roles",
                "a playbook needs at least one role".into(),
                None,
            );
        }
        roles
    }

    fn milestones(&mut self, raw: &[Spanned<RawMilestone>]) -> Vec<Milestone> {
        let milestones: Vec<Milestone> = raw
            .iter()
            .map(|m| match &m.value {
                RawMilestone::Id(id) => Milestone {
                    id: id.clone(),
                    name: id.replace('_', " "),
                    record: None,
                },
                RawMilestone::Named { id, name, record } => Milestone {
                    id: id.clone(),
                    name: name.clone(),
                    record: record.as_ref().map(|r| (r.role.clone(), r.after.clone())),
                },
            })
            .collect();
        if !milestones.iter().any(|m| m.id == "opened") {
            let at = raw.first().map_or((1, 1), pos);
            self.error(
                at,
                "milestone-opened",
                "the milestones must include `opened`, the date an engagement starts".into(),
                None,
            );
        }
        milestones
    }

    /// The valid stages and tasks, with every stage id and task id declared.
    fn stages(
        &mut self,
        ctx: &Names,
        raw: Vec<RawStage>,
    ) -> (Vec<Stage>, HashSet<String>, HashSet<String>) {
        let mut stage_ids = HashSet::new();
        let mut task_ids = HashSet::new();
        let mut stages = Vec::new();
        for rs in raw {
            if !stage_ids.insert(rs.id.value.clone()) {
                self.error(
                    pos(&rs.id),
                    "duplicate-stage",
                    format!("stage `{}` is declared twice", rs.id.value),
                    None,
                );
            }
            let mut tasks = Vec::new();
            for rt in rs.tasks {
                if !task_ids.insert(rt.id.value.clone()) {
                    self.error(
                        pos(&rt.id),
                        "duplicate-task",
                        format!(
                            "task id `{}` is used twice; ids must be unique in a playbook",
                            rt.id.value
                        ),
                        None,
                    );
                }
                if let Some(t) = self.task(ctx, rt) {
                    tasks.push(t);
                }
            }
            stages.push(Stage {
                id: rs.id.value,
                name: rs.name,
                phase: rs.phase,
                tasks,
            });
        }
        (stages, stage_ids, task_ids)
    }

    fn cadences(
        &mut self,
        ctx: &Names,
        raw: Vec<RawCadence>,
        stage_ids: &HashSet<String>,
    ) -> Vec<Cadence> {
        let mut cadences = Vec::new();
        let mut ids = HashSet::new();
        for rc in raw {
            if ctx.task_ids.contains(&rc.id.value) || ids.contains(&rc.id.value) {
                self.error(
                    pos(&rc.id),
                    "duplicate-cadence",
                    format!(
                        "cadence id `{}` is already used by a task or cadence",
                        rc.id.value
                    ),
                    None,
                );
            }
            if let Some(c) = self.cadence(ctx, rc, stage_ids) {
                ids.insert(c.id.clone());
                cadences.push(c);
            }
        }
        cadences
    }

    /// The cadence, or `None` when a problem was recorded (every rule is still checked).
    fn cadence(
        &mut self,
        ctx: &Names,
        rc: RawCadence,
        stage_ids: &HashSet<String>,
    ) -> Option<Cadence> {
        let role = self.role(ctx, &rc.role);
        let every = rc
            .every
            .value
            .parse::<Interval>()
            .map_err(|e| self.error(pos(&rc.every), "duration", e, None));
        let after = self.anchor(ctx, &rc.after);
        let accountable = self.roles_of(ctx, &rc.accountable);
        if let Some(stage) = &rc.stage
            && !stage_ids.contains(&stage.value)
        {
            let hint = suggest(&stage.value, stage_ids.iter().map(String::as_str));
            self.error(
                pos(stage),
                "unknown-stage",
                format!("no stage `{}` in this playbook", stage.value),
                hint,
            );
        }
        Some(Cadence {
            id: rc.id.value,
            name: rc.name,
            role: role?,
            every: every.ok()?,
            after: after?,
            services: rc
                .services
                .unwrap_or_else(|| vec![ALL_SERVICES.to_string()]),
            stage: rc.stage.map(|s| s.value),
            accountable,
        })
    }

    fn dibs(&mut self, ctx: &Names, d: Spanned<RawDibs>) -> DibsRule {
        let at = pos(&d);
        let due = d.value.due.map(|due| due.at);
        if let Some(m) = &due
            && !ctx.milestones.iter().any(|x| &x.id == m)
        {
            let hint = suggest(m, ctx.milestones.iter().map(|x| x.id.as_str()));
            self.error(
                at,
                "unknown-milestone",
                format!("DIBS are due at `{m}`, which is not a declared milestone"),
                hint,
            );
        }
        DibsRule {
            required: d.value.required,
            due,
        }
    }

    fn role(&mut self, ctx: &Names, raw: &Spanned<String>) -> Option<String> {
        let found = ctx.role(&raw.value);
        if found.is_none() {
            let names = ctx
                .roles
                .iter()
                .flat_map(|r| [r.alias.as_str(), r.name.as_str()]);
            let hint = suggest(&raw.value, names).or_else(|| {
                Some(format!(
                    "declare it under `roles:`; declared: {}",
                    ctx.roles
                        .iter()
                        .map(|r| r.alias.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            });
            self.error(
                pos(raw),
                "unknown-role",
                format!("role `{}` is not declared in `roles`", raw.value),
                hint,
            );
        }
        found.map(|r| r.alias.clone())
    }

    fn anchor(&mut self, ctx: &Names, raw: &Spanned<String>) -> Option<Anchor> {
        let text = raw.value.trim();
        if let Some(task) = text.strip_prefix("task:") {
            let task = task.trim();
            if ctx.task_ids.contains(task) {
                return Some(Anchor::Task(task.to_string()));
            }
            let hint = suggest(task, ctx.task_ids.iter().map(String::as_str));
            self.error(
                pos(raw),
                "unknown-task",
                format!("`after: task:{task}` names no task of this playbook"),
                hint,
            );
            return None;
        }
        if ctx.milestones.iter().any(|m| m.id == text) {
            return Some(Anchor::Milestone(text.to_string()));
        }
        let hint = suggest(text, ctx.milestones.iter().map(|m| m.id.as_str())).or_else(|| {
            Some("an anchor is a milestone from `milestones:` or `task:ID`".to_string())
        });
        self.error(
            pos(raw),
            "unknown-milestone",
            format!("`{text}` is not a declared milestone"),
            hint,
        );
        None
    }

    /// The task, or `None` when a problem was recorded (every rule is still checked).
    fn task(&mut self, ctx: &Names, rt: RawTask) -> Option<Task> {
        let role = self.role(ctx, &rt.role);
        let accountable = self.roles_of(ctx, &rt.accountable);
        let mandatory_when = self.when_fields(ctx, pos(&rt.id), &rt.mandatory_when);
        let after = match &rt.after {
            None => Some(None),
            Some(a) => self.anchor(ctx, a).map(Some),
        };
        let sets = match &rt.sets {
            None => Some(None),
            Some(m) => match self.anchor(ctx, m) {
                Some(Anchor::Milestone(id)) => Some(Some(id)),
                Some(Anchor::Task(_)) => {
                    self.error(
                        pos(m),
                        "sets",
                        "`sets` names a milestone, not a task".into(),
                        None,
                    );
                    None
                }
                None => None,
            },
        };
        let rules: Vec<Option<DueRule>> = rt
            .due
            .map(|d| d.0)
            .unwrap_or_default()
            .into_iter()
            .map(|rd| self.due(ctx, &rt.id, rd))
            .collect();
        Some(Task {
            id: rt.id.value,
            name: rt.name,
            step: rt.step,
            mandatory: rt.mandatory,
            role: role?,
            sets: sets?,
            services: rt
                .services
                .unwrap_or_else(|| vec![ALL_SERVICES.to_string()]),
            due: rules.into_iter().collect::<Option<Vec<_>>>()?,
            mandatory_when,
            accountable,
            after: after?,
        })
    }

    fn due(&mut self, ctx: &Names, task: &Spanned<String>, rd: RawDue) -> Option<DueRule> {
        let (within, after) = match (rd.within, rd.after, rd.at) {
            (None, None, Some(at)) => (
                Ok(Period::new(0, crate::duration::Unit::Days)),
                self.anchor(ctx, &at),
            ),
            (Some(within), Some(after), None) => (
                within
                    .value
                    .parse::<Period>()
                    .map_err(|e| self.error(pos(&within), "duration", e, None)),
                self.anchor(ctx, &after),
            ),
            _ => {
                self.error(
                    pos(task),
                    "due-shape",
                    format!(
                        "task `{}`: a due rule needs `within` and `after`, or `at`",
                        task.value
                    ),
                    Some("e.g. `due: { within: 2bd, after: assigned }`".into()),
                );
                return None;
            }
        };
        let when = match &rd.when {
            Some(w) => self.when_fields(ctx, pos(w), &w.value),
            None => Vec::new(),
        };
        Some(DueRule {
            when,
            within: within.ok()?,
            after: after?,
        })
    }
}

/// What names in a playbook may refer to.
struct Names<'a> {
    roles: &'a [Role],
    /// Alias or name, ASCII-lowercased -> index of the first role it names,
    /// so that checking n tasks' roles is O(n), not O(n * roles).
    role_keys: HashMap<String, usize>,
    milestones: &'a [Milestone],
    fields: &'a IndexMap<String, Vec<String>>,
    task_ids: HashSet<String>,
}

impl<'a> Names<'a> {
    fn new(
        roles: &'a [Role],
        milestones: &'a [Milestone],
        fields: &'a IndexMap<String, Vec<String>>,
        task_ids: HashSet<String>,
    ) -> Self {
        let mut role_keys = HashMap::new();
        for (i, r) in roles.iter().enumerate() {
            for key in [&r.alias, &r.name] {
                role_keys.entry(key.to_ascii_lowercase()).or_insert(i);
            }
        }
        Names {
            roles,
            role_keys,
            milestones,
            fields,
            task_ids,
        }
    }

    /// A role by alias or name, case-insensitively (ASCII).
    fn role(&self, alias_or_name: &str) -> Option<&'a Role> {
        let i = self.role_keys.get(&alias_or_name.to_ascii_lowercase())?;
        Some(&self.roles[*i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(yaml: &str) -> Result<Playbook, Vec<Diagnostic>> {
        parse(Path::new("p.yaml"), yaml, Source::File("p.yaml".into()))
    }

    const MINIMAL: &str = "\
id: demo
name: Demo
roles: { FE: FastTrack Engineer, PM: Program Manager }
milestones: [opened, assigned, end]
fields: { severity: ['1', '2', '3'] }
stages:
  - id: s1
    name: First
    tasks:
      - id: 3616
        name: Reach out
        mandatory: true
        role: FastTrack Engineer
        due: { within: 2bd, after: assigned }
      - id: ack
        name: Acknowledge
        mandatory: true
        role: PM
        due:
          - { when: { severity: ['1', '2'] }, within: 15m, after: opened }
          - { within: 24h, after: task:3616 }
cadences:
  - { id: checkin, name: Check-in, role: PM, every: 1w..2w, after: assigned }
";

    #[test]
    fn loads_a_valid_playbook() {
        let p = check(MINIMAL).unwrap();
        let t = p.task("3616").unwrap();
        assert_eq!(t.role, "FE");
        assert_eq!(t.due[0].within.to_string(), "2bd");
        let ack = p.task("ack").unwrap();
        assert_eq!(ack.due.len(), 2);
        assert_eq!(ack.due[1].after, Anchor::Task("3616".into()));
        assert_eq!(p.cadences[0].every.to_string(), "1w..2w");
    }

    #[test]
    fn reports_every_problem_with_position() {
        let bad = MINIMAL
            .replace("role: PM\n        due:", "role: PMM\n        due:")
            .replace(
                "after: assigned }\n      - id: ack",
                "after: asigned }\n      - id: ack",
            )
            .replace("every: 1w..2w", "every: 1x");
        let problems = check(&bad).unwrap_err();
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(problems.len(), 3, "{text:#?}");
        assert!(text[0].starts_with("p.yaml:14:"), "{}", text[0]);
        assert!(text[0].contains("did you mean `assigned`"), "{}", text[0]);
        assert!(text.iter().any(|t| t.contains("role `PMM`")));
        assert!(text.iter().any(|t| t.contains("`1x` is not a duration")));
    }

    #[test]
    fn engagement_rules_name_what_they_refer_to() {
        let good = format!(
            "{MINIMAL}contacts: {{ AE: Account Executive }}\n\
             expect: [{{ role: PM, when: {{ severity: ['1'] }} }}]\n\
             completion: {{ task: ack, enablement: true }}\n"
        );
        let p = check(&good).unwrap();
        assert!(p.role("AE").unwrap().contact);
        assert!(!p.role("PM").unwrap().contact);
        assert_eq!(p.expect[0].role, "PM");
        assert_eq!(p.completion.as_ref().unwrap().task, "ack");
        let bad = format!(
            "{MINIMAL}contacts: {{ PM: Project Manager }}\n\
             expect: [{{ role: AE, when: {{ tier: ['1'] }} }}]\n\
             completion: {{ task: ackk, migration: {{ users: seats, migrated: done }} }}\n"
        );
        let text: Vec<String> = check(&bad)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        for needle in [
            "role `AE` is not declared",
            "uses field `tier`, which is not declared",
            "names no task of this playbook",
            "undeclared field `seats`",
        ] {
            assert!(
                text.iter().any(|t| t.contains(needle)),
                "{needle}: {text:#?}"
            );
        }
        let clash = format!("{MINIMAL}contacts: {{ PM: Project Manager }}\n");
        let text = check(&clash).unwrap_err()[0].to_string();
        assert!(text.contains("`PM` is both a role and a contact"), "{text}");
    }

    #[test]
    fn unknown_keys_are_errors_with_a_suggestion() {
        let bad = MINIMAL.replace(
            "mandatory: true\n        role: PM",
            "mandatry: true\n        role: PM",
        );
        let problems = check(&bad).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 17);
        assert!(problems[0].message.contains("unknown field `mandatry`"));
        assert_eq!(
            problems[0].hint.as_deref(),
            Some("did you mean `mandatory`?")
        );
    }

    #[test]
    fn duplicate_task_ids_are_refused() {
        let bad = MINIMAL.replace("id: ack", "id: 3616");
        let problems = check(&bad).unwrap_err();
        assert!(problems.iter().any(|p| p.code == "duplicate-task"));
    }
}
