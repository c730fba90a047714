//! The parts of a playbook that describe the engagement around its tasks:
//! stakeholders (`contacts:`), the roles a team is expected to hold
//! (`expect:`), completion criteria, milestones someone must record, and
//! when SSAT is asked for.

use indexmap::IndexMap;
use serde_saphyr::Spanned;

use super::{Names, RawCompletion, RawExpect, RawMilestone, RawSsat, Validator, pos};
use crate::error::suggest;
use crate::playbook::{Completion, Expectation, Migration, Role};

/// What [`Validator::extras`] gives the playbook.
pub(super) struct Extras {
    pub expect: Vec<Expectation>,
    pub completion: Option<Completion>,
    pub ssat_after: Option<String>,
}

impl Validator<'_> {
    pub(super) fn extras(
        &mut self,
        ctx: &Names,
        expect: &[Spanned<RawExpect>],
        ssat: &RawSsat,
        completion: Option<&Spanned<RawCompletion>>,
    ) -> Extras {
        let expect = expect
            .iter()
            .filter_map(|x| {
                let role = self.role(ctx, &x.value.role);
                let when = self.when_fields(ctx, pos(&x.value.role), &x.value.when);
                Some(Expectation {
                    role: role?,
                    when,
                    source: x.value.source.clone(),
                })
            })
            .collect();
        let ssat_after = match ssat {
            RawSsat::Full { after, .. } => self.milestone(ctx, after),
            _ => None,
        };
        Extras {
            expect,
            completion: completion.and_then(|c| self.completion(ctx, c)),
            ssat_after,
        }
    }

    fn completion(&mut self, ctx: &Names, raw: &Spanned<RawCompletion>) -> Option<Completion> {
        let c = &raw.value;
        let task = c.task.value.trim();
        if !ctx.task_ids.contains(task) {
            let hint = suggest(task, ctx.task_ids.iter().map(String::as_str));
            self.error(
                pos(&c.task),
                "unknown-task",
                format!("`completion: task: {task}` names no task of this playbook"),
                hint,
            );
        }
        let migration = c.migration.as_ref().map(|m| Migration {
            users: m.users.clone(),
            migrated: m.migrated.clone(),
        });
        for f in migration.iter().flat_map(|m| [&m.users, &m.migrated]) {
            if !ctx.fields.contains_key(f) {
                self.error(
                    pos(raw),
                    "completion",
                    format!("completion counts undeclared field `{f}`"),
                    Some(format!("declare it under `fields:` ({f}: [])")),
                );
            }
        }
        ctx.task_ids.contains(task).then(|| Completion {
            task: task.to_string(),
            enablement: c.enablement,
            migration,
        })
    }

    /// A declared milestone, or an error at `raw`.
    fn milestone(&mut self, ctx: &Names, raw: &Spanned<String>) -> Option<String> {
        let id = raw.value.trim();
        if ctx.milestones.iter().any(|m| m.id == id) {
            return Some(id.to_string());
        }
        let hint = suggest(id, ctx.milestones.iter().map(|m| m.id.as_str()));
        self.error(
            pos(raw),
            "unknown-milestone",
            format!("`{id}` is not a declared milestone"),
            hint,
        );
        None
    }

    /// `record: { role, after }` of each milestone names a role and a milestone.
    pub(super) fn record_rules(&mut self, ctx: &Names, raw: &[Spanned<RawMilestone>]) {
        for m in raw {
            let RawMilestone::Named {
                record: Some(r), ..
            } = &m.value
            else {
                continue;
            };
            let at = pos(m);
            if ctx.role(&r.role).is_none() {
                self.error(
                    at,
                    "unknown-role",
                    format!("`record: role: {}` is not declared in `roles`", r.role),
                    None,
                );
            }
            if !ctx.milestones.iter().any(|x| x.id == r.after) {
                self.error(
                    at,
                    "unknown-milestone",
                    format!("`record: after: {}` is not a declared milestone", r.after),
                    None,
                );
            }
        }
    }

    /// Role aliases of an `accountable:` list.
    pub(super) fn roles_of(&mut self, ctx: &Names, raw: &[Spanned<String>]) -> Vec<String> {
        raw.iter().filter_map(|r| self.role(ctx, r)).collect()
    }

    /// A `field: [values]` condition (`when:`, `mandatory_when:`): each
    /// field declared, each value one of its values.
    pub(super) fn when_fields(
        &mut self,
        ctx: &Names,
        at: (usize, usize),
        when: &IndexMap<String, Vec<String>>,
    ) -> Vec<(String, Vec<String>)> {
        for (field, values) in when {
            match ctx.fields.get(field) {
                None => {
                    let hint = suggest(field, ctx.fields.keys().map(String::as_str))
                        .or_else(|| Some("declare it under `fields:`".to_string()));
                    self.error(
                        at,
                        "unknown-field",
                        format!("`when` uses field `{field}`, which is not declared"),
                        hint,
                    );
                }
                Some(allowed) => {
                    for v in values {
                        if let Err(e) = crate::playbook::field_value(field, allowed, v) {
                            self.error(at, "field-value", e, None);
                        }
                    }
                }
            }
        }
        when.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// Stakeholder roles (`contacts:`), after the task roles; an alias may
    /// not be both.
    pub(super) fn contacts(&mut self, roles: &[Role], raw: &IndexMap<String, String>) -> Vec<Role> {
        let mut out = Vec::new();
        for (alias, name) in raw {
            if roles.iter().any(|r| r.alias.eq_ignore_ascii_case(alias)) {
                self.error(
                    (1, 1),
                    "duplicate-role",
                    format!("`{alias}` is both a role and a contact"),
                    Some("keep it in one of `roles:` or `contacts:`".into()),
                );
            }
            out.push(Role {
                alias: alias.clone(),
                name: name.clone(),
                contact: true,
            });
        }
        out
    }
}
