//! The playbooks compiled into the binary, so a fresh install works with no files.

use std::path::Path;

use super::{Playbook, Source, load};

/// `(file name, YAML text)` of every built-in playbook.
pub const FILES: [(&str, &str); 3] = [
    (
        "m365-general-engagement.yaml",
        include_str!("../../playbooks/m365-general-engagement.yaml"),
    ),
    (
        "azure-fasttrack-engineer.yaml",
        include_str!("../../playbooks/azure-fasttrack-engineer.yaml"),
    ),
    (
        "mcs-escalation.yaml",
        include_str!("../../playbooks/mcs-escalation.yaml"),
    ),
];

/// Parse the built-in playbooks. They are checked by the test suite, so a
/// failure here is a bug in `ft`, not in the user's files.
pub fn all() -> Vec<Playbook> {
    FILES
        .iter()
        .map(|(name, text)| {
            let path = Path::new("<built-in>").join(name);
            load::parse(&path, text, Source::Builtin).unwrap_or_else(|problems| {
                let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
                panic!("built-in playbook {name} is invalid:\n{}", list.join("\n"))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duration::Unit;
    use crate::playbook::Anchor;

    fn get(id: &str) -> Playbook {
        all().into_iter().find(|p| p.id == id).unwrap()
    }

    /// `(task id, mandatory, role, services)` rows from the FTOP task tables of a playbook page.
    fn ftop_rows(markdown: &str) -> Vec<(String, bool, String, String)> {
        let mut rows = Vec::new();
        let mut in_table = false;
        for line in markdown.lines() {
            let line = line.trim();
            if line.starts_with("| Task ID") {
                in_table = true;
                continue;
            }
            if !line.starts_with('|') {
                in_table = false;
                continue;
            }
            if !in_table || line.starts_with("| ---") || line.starts_with("|---") {
                continue;
            }
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            rows.push((
                cells[0].to_string(),
                cells[2] == "M",
                cells[3].to_string(),
                cells[4].to_string(),
            ));
        }
        rows
    }

    #[test]
    fn m365_matches_the_seed_task_for_task() {
        let seed = include_str!("../../tests/fixtures/general-engagement-playbook.md");
        let rows = ftop_rows(seed);
        assert_eq!(rows.len(), 12, "the seed has twelve FTOP tasks");
        let p = get("m365-general-engagement");
        let (ftop, prose): (Vec<&str>, Vec<&str>) = p
            .task_ids()
            .partition(|id| id.chars().all(|c| c.is_ascii_digit()));
        let seed_ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(ftop, seed_ids, "same FTOP tasks in the same order");
        assert_eq!(
            prose,
            ["partner-contact", "completion-discussion", "disengagement"],
            "the only other tasks are the ones the seed's prose describes"
        );
        for (id, mandatory, role, services) in &rows {
            let t = p.task(id).unwrap();
            assert_eq!(t.mandatory, *mandatory, "task {id} M/O");
            assert_eq!(p.role_name(&t.role), role, "task {id} role");
            assert_eq!(t.services.join(" / "), *services, "task {id} services");
            assert!(t.due.is_empty(), "the seed states no SLA for task {id}");
        }
    }

    #[test]
    fn m365_has_stages_cadences_dibs_ssat_and_enablement() {
        let p = get("m365-general-engagement");
        let stages: Vec<&str> = p.stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            stages,
            [
                "Conduct Customer Kickoff",
                "Land the Benefit",
                "Setup Governance Review Meeting Cadence",
                "Conduct Adoption and Change Management Conversation",
                "Address Technical Gaps",
                "Enable Services",
                "Disengage",
            ]
        );
        let governance: Vec<String> = p
            .cadences
            .iter()
            .filter(|c| c.stage.as_deref() == Some("governance"))
            .map(|c| c.every.to_string())
            .collect();
        assert_eq!(governance, ["1w..2w", "1w..2w", "1w..2w"]);
        let checkpoint = p.cadence("checkpoint").unwrap();
        assert_eq!(checkpoint.every.to_string(), "1w");
        assert_eq!(checkpoint.stage.as_deref(), Some("technical-gaps"));
        let dibs = p.dibs.as_ref().unwrap();
        assert!(dibs.required);
        assert_eq!(dibs.due.as_deref(), Some("kickoff"));
        assert_eq!(
            p.ssat,
            ["stakeholders", "scenarios", "awareness", "training"]
        );
        let e = p.enablement.unwrap();
        assert_eq!(
            (e.active_users, e.seat_percent, e.small_below),
            (100, 10, 1000)
        );
    }

    #[test]
    fn azure_engineer_slas_are_the_seed_ones() {
        let p = get("azure-fasttrack-engineer");
        let sla = |id: &str| {
            let t = p.task(id).unwrap();
            t.due
                .iter()
                .map(|d| format!("{} after {}", d.within, d.after))
                .collect::<Vec<_>>()
        };
        assert_eq!(sla("pm-intro"), ["2bd after assigned"]);
        assert_eq!(sla("customer-contact"), ["2bd after task:pm-intro"]);
        assert_eq!(sla("product-feedback"), ["0d after end"]);
        assert_eq!(sla("closing-report"), ["5bd after end"]);
        assert!(sla("technical-discovery").is_empty());
        assert!(sla("engagement-plan").is_empty());
        assert_eq!(
            p.cadence("monthly-checkin").unwrap().every.to_string(),
            "1mo"
        );
        assert_eq!(p.primary_role.as_deref(), Some("FE"));
    }

    #[test]
    fn escalation_slas_are_the_seed_ones() {
        let p = get("mcs-escalation");
        let rules = |id: &str| {
            p.task(id)
                .unwrap()
                .due
                .iter()
                .map(|d| {
                    let when: Vec<String> = d
                        .when
                        .iter()
                        .map(|(f, v)| format!("{f}={}", v.join("|")))
                        .collect();
                    format!("{} {} after {}", when.join(","), d.within, d.after)
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            rules("acknowledge"),
            [
                "severity=0|1|2|2.5 15m after opened",
                "severity=3|4 24h after opened"
            ]
        );
        assert_eq!(
            rules("mitigate"),
            [
                "severity=0|1|2|2.5 1d after opened",
                "severity=3|4 10d after opened"
            ]
        );
        assert_eq!(
            rules("exit-critsit"),
            [
                "case_severity=1 4h after opened",
                "case_severity=A 12h after opened"
            ]
        );
        assert_eq!(rules("rca"), [" 10d after opened"]);
        let ack = p.task("acknowledge").unwrap();
        assert_eq!(ack.due[0].within.unit, Unit::Minutes);
        assert_eq!(ack.due[0].after, Anchor::Milestone("opened".into()));
    }

    #[test]
    fn roles_have_aliases() {
        for p in all() {
            for r in p.roles.iter().filter(|r| !r.contact) {
                assert!(
                    r.alias.len() <= 4 && r.alias.chars().all(|c| c.is_ascii_uppercase()),
                    "{}",
                    r.alias
                );
                assert_eq!(p.role(&r.alias).unwrap().name, r.name);
                assert_eq!(p.role(&r.name.to_lowercase()).unwrap().alias, r.alias);
            }
        }
    }
}
