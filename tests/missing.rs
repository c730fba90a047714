//! Nothing disappears silently: closing with open mandatory work, values that
//! hide work, empty answers that explain themselves.

mod support;

use support::{AZURE, Ws};

#[test]
fn close_lists_open_mandatory_tasks_and_needs_force() {
    let ws = Ws::new();
    ws.engagement("n", AZURE);
    let before = ws.read("engagements/n.toml");
    let r = ws.ft(&["close", "n"]).code(2);
    r.stderr_has(
        "n: 4 mandatory tasks are still open: pm-intro, customer-contact, technical-discovery, engagement-plan",
    );
    r.stderr_has("--force");
    assert_eq!(ws.read("engagements/n.toml"), before, "nothing written");
    ws.ft(&["close", "n", "--force"])
        .ok()
        .stdout_has("closed with 4 mandatory tasks open");
    let report = ws.ft(&["report", "--all"]).ok();
    report.stdout_has("Closed with mandatory tasks open: n (4)");
}

#[test]
fn new_refuses_zero_seats() {
    let ws = Ws::new();
    let r = ws
        .ft(&["new", "a", "--customer", "A", "--seats", "0"])
        .code(2);
    r.stderr_has("--seats");
    assert!(!ws.path("engagements/a.toml").exists());
}

#[test]
fn new_sets_any_declared_field() {
    let ws = Ws::new();
    ws.ft(&[
        "new",
        "dfm",
        "--customer",
        "R",
        "--playbook",
        "mcs-escalation",
        "--services",
        "DFM",
        "--field",
        "case_severity=A",
    ])
    .ok();
    let text = ws.read("engagements/dfm.toml");
    assert!(text.contains("[fields]\ncase_severity = \"A\"\n"), "{text}");
    let r = ws
        .ft(&[
            "new",
            "x",
            "--customer",
            "X",
            "--playbook",
            "mcs-escalation",
            "--field",
            "case_severity=Z",
        ])
        .code(2);
    r.stderr_has("`Z` is not a value of `case_severity`");
    let r = ws
        .ft(&["new", "y", "--customer", "Y", "--field", "nonsense"])
        .code(2);
    r.stderr_has("NAME=VALUE");
}

#[test]
fn next_with_nothing_due_says_what_it_looked_at() {
    let ws = Ws::new();
    ws.engagement("n", AZURE);
    let r = ws.ft(&["--as", "carol", "next"]).ok();
    r.stdout_has("carol holds no role in any engagement");
    let r = ws.ft(&["--as", "carol", "report"]).ok();
    r.stdout_has("carol holds no role in the 1 engagement; `--all` reports on it");
}

#[test]
fn an_unfilled_role_that_a_running_clock_needs_is_visible() {
    let ws = Ws::new();
    ws.engagement("n", &AZURE.replace("PM = \"bob\"\n", ""));
    let r = ws.ft(&["--as", "alice", "next"]).ok();
    r.stdout_has("pm-intro is due tomorrow; no PM assigned");
    // A PM sees it as work to claim.
    ws.config("me = \"bob\"\nrole = \"PM\"\n");
    let r = ws.ft(&["next"]).ok();
    r.stdout_has("unassigned: claim with `ft assign n`");
}

#[test]
fn unknown_keys_in_tables_ft_owns_are_warned_about_and_kept() {
    let ws = Ws::new();
    let text =
        format!("{AZURE}\n[dibs]\nsucess_owner = \"Ana\"   # typo\n\n[custom]\nanything = 1\n")
            .replacen(
                "status = \"active\"\n",
                "status = \"active\"\ncrm_id = \"CRM-1\"\n",
                1,
            );
    ws.engagement("n", &text);
    let r = ws.ft(&["check"]).ok();
    r.stdout_has("warning[unknown-key]: `ft` does not use the key `sucess_owner` under [dibs]");
    r.stdout_has("did you mean `success_owner`?");
    r.stdout_has("`crm_id` at the top level");
    assert!(
        !r.stdout.contains("anything"),
        "a table of one's own is not warned about: {}",
        r.stdout
    );
    ws.ft(&["note", "n", "kept"]).ok();
    let after = ws.read("engagements/n.toml");
    assert!(
        after.contains("sucess_owner = \"Ana\"   # typo\n"),
        "{after}"
    );
    assert!(after.contains("crm_id = \"CRM-1\"\n"), "{after}");
}

#[test]
fn empty_notes_customers_and_ssat_on_a_playbook_without_ssat_are_refused() {
    let ws = Ws::new();
    ws.engagement("n", AZURE);
    ws.ft(&["note", "n", "  "])
        .code(2)
        .stderr_has("a note needs some text");
    ws.ft(&["blocker", "n", " "])
        .code(2)
        .stderr_has("a blocker needs some text");
    ws.ft(&["new", "e", "--customer", " "])
        .code(2)
        .stderr_has("the customer name is empty");
    ws.ft(&["set", "n", "ssat.bogus", "true"])
        .code(2)
        .stderr_has("tracks no SSAT items");
    assert!(
        !ws.read("engagements/n.toml").contains("[["),
        "nothing written"
    );
}

#[test]
fn closing_by_set_status_is_refused_and_points_to_close() {
    let ws = Ws::new();
    ws.engagement("n", AZURE);
    let r = ws.ft(&["set", "n", "status", "closed"]).code(2);
    r.stderr_has("closing is a command of its own");
    r.stderr_has("hint: `ft close n` records the end");
    ws.ft(&["set", "n", "seats", "0"])
        .code(2)
        .stderr_has("seats must be at least 1");
}

#[test]
fn a_hold_cannot_end_before_it_starts_and_a_plan_not_before_the_opening() {
    let ws = Ws::new();
    ws.engagement("n", AZURE);
    ws.ft(&["hold", "n", "--reason", "x", "--until", "2026-11-20"])
        .code(2)
        .stderr_has("before the hold starts");
    ws.ft(&["milestone", "n", "end", "--planned", "2026-11-01"])
        .code(2)
        .stderr_has("before `n` opened");
    ws.ft(&["hold", "n", "--reason", "freeze"]).ok();
    ws.ft(&[
        "hold",
        "n",
        "--reason",
        "still waiting",
        "--until",
        "2026-11-30",
    ])
    .ok();
    let text = ws.read("engagements/n.toml");
    assert!(text.contains("reason = \"still waiting\""), "{text}");
}

#[test]
fn playbook_check_finds_work_that_could_never_come_due() {
    let ws = Ws::new();
    let cycle = "id: loop\nname: Loop\nroles: { FE: FastTrack Engineer, PM: Program Manager }\nmilestones: [opened]\nstages:\n  - id: s\n    name: S\n    tasks:\n      - { id: a, name: A, mandatory: true, role: FE, due: { within: 2bd, after: \"task:b\" } }\n      - { id: b, name: B, mandatory: true, role: FE, due: { within: 2bd, after: \"task:a\" } }\n";
    ws.write("loop.yaml", cycle);
    let r = ws.ft(&["playbook", "check", "loop.yaml"]).code(1);
    r.stdout_has(
        "error[anchor-cycle]: tasks wait on each other, so none can ever come due: a -> b -> a",
    );
    let warn = "id: warn\nname: Warn\nroles: { FE: FastTrack Engineer, PM: Program Manager }\nmilestones: [opened, assigned, kickoff]\nfields: { severity: [\"1\", \"2\"] }\nstages:\n  - id: s\n    name: S\n    tasks:\n      - { id: a, name: A, mandatory: true, role: PM, due: { within: 2bd, after: assigned } }\n      - { id: b, name: B, mandatory: true, role: FE, due: { within: 2bd, after: kickoff } }\n      - { id: c, name: C, mandatory: true, role: FE, due: [{ when: { severity: [\"1\"] }, within: 15m, after: opened }] }\n";
    ws.write("warn.yaml", warn);
    let r = ws.ft(&["playbook", "check", "warn.yaml"]).ok();
    r.stdout_has("milestone `assigned` starts the clocks of a but no command records it");
    r.stdout_has("declare `primary_role`");
    r.stdout_has("give the task that marks it `sets: kickoff`");
    r.stdout_has("severity 2 matches no rule of c");
    // One role: it is the primary role, so claiming it records `assigned`.
    let one = "id: one\nname: One\nroles: { FE: FastTrack Engineer }\nmilestones: [opened, assigned]\nstages:\n  - id: s\n    name: S\n    tasks:\n      - { id: a, name: A, mandatory: true, role: FE, due: { within: 2bd, after: assigned } }\n";
    ws.write("playbooks/one.yaml", one);
    let r = ws.ft(&["playbook", "check", "playbooks/one.yaml"]).ok();
    assert!(!r.stdout.contains("warning"), "{}", r.stdout);
    ws.ft(&["new", "o", "--customer", "O", "--playbook", "one"])
        .ok();
    ws.ft(&["--as", "alice", "assign", "o", "--role", "FE"])
        .ok();
    assert!(
        ws.read("engagements/o.toml")
            .contains("assigned = 2026-11-23")
    );
}

#[test]
fn check_and_report_name_running_clocks_nobody_holds() {
    let ws = Ws::new();
    ws.engagement("n", &AZURE.replace("PM = \"bob\"\n", ""));
    let r = ws.ft(&["check"]).ok();
    r.stdout_has("note: n: the clock of pm-intro runs and nobody holds PM (ft assign n --role PM)");
    let r = ws.ft(&["report", "--all"]).ok();
    r.stdout_has("Running clocks nobody holds: n (PM)");
}

#[test]
fn check_reports_every_wrong_type_in_a_file_each_at_its_key() {
    let ws = Ws::new();
    ws.engagement(
        "n",
        "customer = \"X\"\nplaybook = \"azure-fasttrack-engineer\"\nseats = \"many\"\n\n[team]\nFE = 3\n\n[milestones]\nopened = 2026-11-13\nassigned = \"yesterday\"\n\n[tasks]\ncustomer-contact = { done = \"soon\" }\n\n[dibs]\ndate = 2027-01-01\n",
    );
    let r = ws.ft(&["check"]).code(1);
    r.stdout_has(
        "engagements/n.toml:3:1: error[type]: `seats`: invalid type: string \"many\", expected u32",
    );
    r.stdout_has("engagements/n.toml:6:1: error[type]: `team.FE`: write a person's name");
    r.stdout_has("engagements/n.toml:10:1: error[type]: `milestones.assigned`");
    r.stdout_has("engagements/n.toml:13:1: error[type]: `tasks.customer-contact`");
    r.stdout_has("4 errors, 0 warnings");
}

/// A required key of the wrong type is named once, as of the wrong type,
/// not also as missing.
#[test]
fn a_required_key_of_the_wrong_type_is_not_also_missing() {
    let ws = Ws::new();
    ws.engagement(
        "n",
        "customer = 1\nplaybook = [\"azure-fasttrack-engineer\"]\n\n[milestones]\nopened = 2026-11-13\n",
    );
    let r = ws.ft(&["check"]).code(1);
    r.stdout_has("engagements/n.toml:1:1: error[type]: `customer`: invalid type: integer `1`, expected a string");
    r.stdout_has("engagements/n.toml:2:1: error[type]: `playbook`: invalid type: sequence, expected a string");
    assert!(!r.stdout.contains("missing-key"), "{}", r.stdout);
    r.stdout_has("2 errors, 0 warnings");
    // With only one of them wrong, the other is still missing when it is.
    ws.engagement("n", "customer = 1\n");
    let r = ws.ft(&["check"]).code(1);
    r.stdout_has("engagements/n.toml:1:1: error[type]: `customer`");
    r.stdout_has("error[missing-key]: the file has no `playbook`");
    assert!(!r.stdout.contains("no `customer`"), "{}", r.stdout);
}

#[test]
fn a_field_value_no_rule_covers_is_named_with_the_fix() {
    let ws = Ws::new();
    let pb = "id: sev\nname: Sev\nroles: { FE: FastTrack Engineer }\nmilestones: [opened, assigned]\nfields: { severity: [\"1\", \"2\", \"5\"] }\nstages:\n  - id: s\n    name: S\n    tasks:\n      - { id: ack, name: Ack, mandatory: true, role: FE, due: [{ when: { severity: [\"1\"] }, within: 15m, after: opened }, { when: { severity: [\"2\"] }, within: 1h, after: opened }] }\n      - { id: fix, name: Fix, mandatory: true, role: FE, due: [{ when: { severity: [\"1\", \"2\"] }, within: 1d, after: opened }] }\n";
    ws.write("playbooks/sev.yaml", pb);
    ws.engagement(
        "x",
        "customer = \"X\"\nplaybook = \"sev\"\n\n[fields]\nseverity = \"5\"\n\n[milestones]\nopened = 2026-11-23T09:00:00Z\n",
    );
    ws.engagement(
        "y",
        "customer = \"Y\"\nplaybook = \"sev\"\n\n[milestones]\nopened = 2026-11-23T09:00:00Z\n",
    );
    let r = ws.ft(&["check"]).ok();
    r.stdout_has(
        "engagements/x.toml:1:1: warning[no-rule]: severity 5 matches no rule of ack, fix: no SLA applies (rules cover severity 1, 2)\n  hint: ft set x severity VALUE",
    );
    r.stdout_has(
        "engagements/y.toml:1:1: warning[no-rule]: `severity` is not set: ack, fix have no SLA (rules cover severity 1, 2)",
    );
    let r = ws.ft(&["--as", "alice", "next"]).ok();
    r.stderr_has("warning: engagements/x.toml:1:1: severity 5 matches no rule of ack, fix");
    r.stderr_has("  hint: ft set x severity VALUE");
    ws.ft(&["set", "x", "severity", "2"]).ok();
    let r = ws.ft(&["check"]).ok();
    assert!(!r.stdout.contains("engagements/x.toml"), "{}", r.stdout);
}

#[test]
fn check_names_every_impossible_date_and_what_else_is_wrong() {
    let ws = Ws::new();
    ws.engagement(
        "n",
        "customer = \"X\"\nplaybook = \"azure-fasttrack-engineer\"\n\n[milestones]\nopened = 2026-02-30\nassigned = 2026-11-31T09:00:00Z\n\n[tasks]\nnope = { done = 2026-11-20 }\ncustomer-contact = { done = 2026-13-01 }\n",
    );
    let r = ws.ft(&["check"]).code(1);
    r.stdout_has("engagements/n.toml:5:10: error[date]: `2026-02-30` is not a date: invalid date, expected day between 01 and 28\n  hint: write a date that exists, as YYYY-MM-DD");
    r.stdout_has("engagements/n.toml:6:12: error[date]: `2026-11-31` is not a date");
    r.stdout_has("engagements/n.toml:10:29: error[date]: `2026-13-01` is not a date");
    r.stdout_has("engagements/n.toml:9:1: error[unknown-task]");
    r.stdout_has("4 errors, 0 warnings");
}

#[test]
fn a_value_given_for_the_wrong_field_points_to_the_right_one() {
    let ws = Ws::new();
    let r = ws
        .ft(&[
            "new",
            "dfm",
            "--customer",
            "R",
            "--playbook",
            "mcs-escalation",
            "--services",
            "DFM",
            "--severity",
            "A",
        ])
        .code(2);
    r.stderr_has("hint: `A` is a value of `case_severity`: pass --field case_severity=A");
    assert!(!ws.path("engagements/dfm.toml").exists());
    ws.engagement(
        "dfm",
        "customer = \"R\"\nplaybook = \"mcs-escalation\"\nservices = [\"DFM\"]\n\n[fields]\nseverity = \"A\"\n",
    );
    let r = ws.ft(&["check"]).code(1);
    r.stdout_has("hint: `A` is a value of `case_severity`: ft set dfm case_severity A");
}

#[test]
fn a_clock_waiting_on_an_overdue_task_nobody_holds_names_its_due_date() {
    let ws = Ws::new();
    // Claimed Mon 2 Nov with no PM: the PM introduction was due Wed 4 Nov.
    ws.engagement(
        "n",
        &AZURE.replace("PM = \"bob\"\n", "").replace(
            "opened = 2026-11-13\nassigned = 2026-11-20",
            "opened = 2026-11-02\nassigned = 2026-11-02",
        ),
    );
    ws.ft(&["--as", "alice", "next"])
        .ok()
        .stdout_has("pm-intro was due Wed 4 Nov (13 business days overdue); no PM assigned");
}

#[test]
fn unknown_keys_in_team_entries_and_zero_seats_are_warned_about() {
    let ws = Ws::new();
    let text = AZURE
        .replace(
            "FE = \"alice\"",
            "FE = { person = \"alice\", snce = 2026-11-20 }",
        )
        .replace(
            "services = [\"AKS\"]\n",
            "services = [\"AKS\"]\nseats = 0\n",
        );
    ws.engagement("n", &text);
    let r = ws.ft(&["check"]).ok();
    r.stdout_has("n.toml:4:1: warning[seats]: `seats = 0`");
    r.stdout_has("hint: ft set n seats N");
    r.stdout_has(
        "n.toml:8:26: warning[unknown-key]: `ft` does not use the key `snce` in team role `FE`",
    );
    r.stdout_has("did you mean `since`?");
    assert!(!ws.ft(&["show", "n"]).ok().stdout.contains("0 of 0"));
}

#[test]
fn check_names_a_wrong_type_and_everything_else_wrong_in_the_same_file() {
    let ws = Ws::new();
    let text = format!(
        "{}\n[tasks]\npm-intro = {{ done = 2026-11-01 }}\nnope = {{ done = 2026-11-20 }}\n\n[[notes]]\non = 2026-11-18\ntext = \"fine\"\n\n[[notes]]\non = 2026-11-19\ntxt = \"typo\"\n",
        AZURE
            .replace(
                "services = [\"AKS\"]\n",
                "services = [\"AKS\"]\nseats = \"lots\"\n"
            )
            .replace(
                "FE = \"alice\"",
                "FE = { person = \"alice\", since = 2026-11-20 }"
            )
    );
    ws.engagement("n", &text);
    let r = ws.ft(&["check"]).code(1);
    let lines: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.contains(": error["))
        .collect();
    assert_eq!(lines.len(), 4, "{}", r.stdout);
    r.stdout_has("n.toml:4:1: error[type]: `seats`");
    r.stdout_has("n.toml:23:1: error[type]: `notes` entry 2: missing field `text`");
    r.stdout_has("n.toml:16:12: error[done-before-opened]");
    r.stdout_has("n.toml:17:1: error[unknown-task]");
    assert!(
        !r.stdout.contains("team.FE"),
        "a valid team entry is not a type error: {}",
        r.stdout
    );
}

#[test]
fn setting_no_services_where_the_playbook_needs_one_is_refused() {
    let ws = Ws::new();
    ws.engagement(
        "n",
        "customer = \"L\"\nplaybook = \"mcs-escalation\"\nservices = [\"ICM\"]\nstatus = \"active\"\n\n[fields]\nseverity = \"2\"\n\n[team]\nPE = \"alice\"\n\n[milestones]\nopened = 2026-11-20T09:00:00Z\n",
    );
    ws.ft(&["check"]).ok().stdout_has("0 errors, 0 warnings");
    let before = ws.read("engagements/n.toml");
    let r = ws.ft(&["set", "n", "services", ""]).code(2);
    r.stderr_has("playbook `mcs-escalation` needs a service, or its work does not apply");
    r.stderr_has("hint: ft set n services ICM  # or DFM");
    assert_eq!(ws.read("engagements/n.toml"), before, "nothing written");
}

#[test]
fn playbook_show_says_what_an_engagement_needs() {
    let ws = Ws::new();
    let r = ws.ft(&["playbook", "show", "mcs-escalation"]).ok();
    r.stdout_has("Primary role: PE");
    r.stdout_has("Field severity: 0, 1, 2, 2.5, 3, 4 (required with ICM)");
    r.stdout_has("Services: ICM, DFM");
    let j: serde_json::Value = serde_json::from_str(
        &ws.ft(&[
            "playbook",
            "show",
            "m365-general-engagement",
            "--format",
            "json",
        ])
        .ok()
        .stdout,
    )
    .unwrap();
    assert_eq!(
        j["needs"]["default_services"],
        serde_json::json!(["Core Onboarding"])
    );
    assert_eq!(j["needs"]["primary_role"], "FM");
    assert_eq!(j["needs"]["contacts"]["AE"], "Account Executive");
}

#[test]
fn without_an_end_milestone_close_points_to_the_status_and_setting_it_closes() {
    let ws = Ws::new();
    let pb = "id: one\nname: One\nroles: { FE: FastTrack Engineer }\nmilestones: [opened, assigned]\nstages:\n  - id: s\n    name: S\n    tasks:\n      - { id: a, name: A, mandatory: true, role: FE, due: { within: 2bd, after: assigned } }\n";
    ws.write("playbooks/one.yaml", pb);
    ws.ft(&["new", "o", "--customer", "O", "--playbook", "one"])
        .ok();
    let r = ws.ft(&["close", "o"]).code(2);
    r.stderr_has("hint: set the status instead: `ft set o status closed`");
    ws.ft(&["set", "o", "status", "closed"]).ok();
    assert!(
        ws.read("engagements/o.toml")
            .contains("status = \"closed\"")
    );
}
