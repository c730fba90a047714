//! When an engagement's work is complete: enablement reached and, when the
//! engagement has a migration target, the migration done (004: "Disengagement
//! occurs upon completion of enablement or migration if required").

use crate::engagement::Engagement;
use crate::playbook::Playbook;

/// How far an engagement is towards its playbook's completion criteria.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// Active users and the enablement target, when enablement counts.
    pub enablement: Option<(u32, u32)>,
    /// Migrated users and the migration target, when the engagement has one.
    pub migration: Option<(u32, u32)>,
}

impl Progress {
    /// Every criterion that applies is met (and at least one applies).
    pub fn reached(&self) -> bool {
        let met = |c: Option<(u32, u32)>| c.is_none_or(|(n, target)| n >= target);
        (self.enablement.is_some() || self.migration.is_some())
            && met(self.enablement)
            && met(self.migration)
    }

    /// "enablement reached (85 of 80)", "migration at 200 of 500 users".
    pub fn words(&self) -> String {
        let part = |what: &str, unit: &str, c: Option<(u32, u32)>| {
            c.map(|(n, target)| {
                if n >= target {
                    format!("{what} reached ({n} of {target})")
                } else {
                    format!("{what} at {n} of {target} {unit}")
                }
            })
        };
        [
            part("enablement", "active users", self.enablement),
            part("migration", "users migrated", self.migration),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" and ")
    }
}

/// The engagement's progress, when its playbook declares completion criteria.
pub fn progress(p: &Playbook, e: &Engagement) -> Option<Progress> {
    let c = p.completion.as_ref()?;
    let enablement = p
        .enablement
        .filter(|_| c.enablement)
        .map(|en| (e.active_users.unwrap_or(0), en.target(e.seats)));
    let number = |field: &str| {
        e.fields
            .get(field)
            .and_then(|v| v.trim().parse::<u32>().ok())
    };
    let migration = c.migration.as_ref().and_then(|m| {
        let target = number(&m.users)?;
        Some((number(&m.migrated).unwrap_or(0), target))
    });
    Some(Progress {
        enablement,
        migration,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_criterion_that_applies_must_be_met() {
        let p = |enablement, migration| Progress {
            enablement,
            migration,
        };
        assert!(p(Some((85, 80)), None).reached());
        assert!(
            p(Some((80, 80)), None).reached(),
            "at the target is reached"
        );
        assert!(!p(Some((79, 80)), None).reached());
        assert!(
            !p(Some((85, 80)), Some((200, 500))).reached(),
            "migration required"
        );
        assert!(p(Some((85, 80)), Some((500, 500))).reached());
        assert!(p(None, Some((500, 500))).reached());
        assert!(!p(None, None).reached(), "nothing to reach");
        assert_eq!(
            p(Some((85, 80)), None).words(),
            "enablement reached (85 of 80)"
        );
        assert_eq!(
            p(Some((45, 80)), Some((200, 500))).words(),
            "enablement at 45 of 80 active users and migration at 200 of 500 users migrated"
        );
    }
}
