//! One test per rule of the source documents (`shared/seeds/`) that the
//! built-in playbooks model beyond the FTOP task tables: each names its seed
//! file and quotes the line.

mod support;

use support::{AZURE, Ws};

/// A Microsoft 365 engagement after its kickoff: FM dana, FE alice, 800
/// seats (so 80 active users complete the enablement).
const M365: &str = "\
customer = \"Contoso\"
playbook = \"m365-general-engagement\"
services = [\"Teams\"]
seats = 800
active_users = 42
status = \"active\"

[team]
FM = \"dana\"
FE = \"alice\"

[milestones]
opened = 2026-11-02
assigned = 2026-11-03
kickoff = 2026-11-10

[tasks]
3616 = { done = 2026-11-05 }
994 = { done = 2026-11-10 }

[dibs]
date = 2027-01-22
intent = \"Replace the chat tool\"
business_reason = \"Licence renewal\"
success_owner = \"Ana Ruiz\"
";

fn m365(ws: &Ws, extra: &str) {
    ws.engagement("c", &format!("{M365}{extra}"));
}

fn next(ws: &Ws, who: &str) -> String {
    ws.ft(&["--as", who, "next", "--all"]).ok().stdout
}

fn line_of<'a>(out: &'a str, needle: &str) -> Option<&'a str> {
    out.lines().find(|l| l.contains(needle))
}

// 004: "Disengagement occurs upon completion of enablement or migration if
// required. Definition of enablement completion - Meets milestone of 100
// Active Users or 10% for less than 1,000 seats customers."
#[test]
fn reaching_enablement_asks_the_fm_for_the_completion_discussion() {
    let ws = Ws::new();
    m365(&ws, "");
    let before = next(&ws, "dana");
    assert!(
        !before.contains("completion-discussion"),
        "not before enablement is reached:\n{before}"
    );
    ws.ft(&["set", "c", "active_users", "85"]).ok();
    let after = next(&ws, "dana");
    let line = line_of(&after, "completion-discussion").expect("asked for");
    assert!(
        line.contains("enablement reached (85 of 80): hold the engagement completion discussion"),
        "{line}"
    );
    assert!(
        !next(&ws, "alice").contains("completion-discussion"),
        "the FM's task"
    );
}

// 004: "Definition of when migration is complete - Migration is complete
// when we have migrated a predetermined number of users as per the
// FastTrack Benefit Services Description."
#[test]
fn with_a_migration_target_the_migration_must_be_done_too() {
    let ws = Ws::new();
    m365(
        &ws,
        "\n[fields]\nmigration_users = \"500\"\nmigrated_users = \"200\"\n",
    );
    ws.ft(&["set", "c", "active_users", "85"]).ok();
    assert!(!next(&ws, "dana").contains("completion-discussion"));
    ws.ft(&["set", "c", "migrated_users", "half"]).ok();
    ws.ft(&["check"])
        .ok()
        .stdout_has("`migrated_users = half` is not a whole number of users");
    ws.ft(&["set", "c", "migrated_users", "500"]).ok();
    let out = next(&ws, "dana");
    let line = line_of(&out, "completion-discussion").expect("asked for");
    assert!(
        line.contains("enablement reached (85 of 80) and migration reached (500 of 500)"),
        "{line}"
    );
}

// 004: "Disengagement process is complete when: FM conducts an engagement
// completion discussion with the customer. Task "Disengagement process is
// complete" is marked complete." ... "If the engagement originates through
// a Requests for Assistance (RFA), ... FM will disengage from the engagement
// once it is complete."
#[test]
fn the_completion_discussion_records_completion_and_lets_close_proceed() {
    let ws = Ws::new();
    m365(&ws, "\n[fields]\norigin = \"RFA\"\n");
    ws.ft(&["set", "c", "active_users", "85"]).ok();
    let show = ws.ft(&["show", "c"]).ok().stdout;
    let row = |id: &str| line_of(&show, &format!("{id} ")).unwrap().to_string();
    assert!(
        row("completion-discussion").contains(" M "),
        "mandatory for an RFA: {}",
        row("completion-discussion")
    );
    assert!(row("disengagement").contains(" M "));
    let refused = ws.ft(&["close", "c"]).code(2);
    refused.stderr_has("completion-discussion");
    assert!(
        !next(&ws, "dana").contains("disengagement"),
        "the disengagement follows the discussion"
    );
    ws.ft(&["done", "c", "completion-discussion", "--on", "2026-11-20"])
        .ok();
    assert!(
        ws.read("engagements/c.toml")
            .contains("completed = 2026-11-20")
    );
    assert!(next(&ws, "dana").contains("disengagement"));
    ws.ft(&["close", "c"]).code(2).stderr_has("disengagement");
    ws.ft(&["done", "c", "disengagement", "--on", "2026-11-20"])
        .ok();
    let closed = ws.ft(&["close", "c", "--on", "2026-11-21"]).ok();
    closed.stdout_has("completed with");
    closed.stdout_has("3 mandatory tasks left open: 3333, 4047, 1126");
}

#[test]
fn without_an_rfa_origin_the_disengagement_tasks_are_optional() {
    let ws = Ws::new();
    m365(&ws, "\n[fields]\norigin = \"Targeting\"\n");
    let show = ws.ft(&["show", "c"]).ok().stdout;
    let row = line_of(&show, "disengagement ").unwrap();
    assert!(row.contains(" O "), "{row}");
}

// 004: "With new customers, capture the Engagement Start Date to FTOP."
#[test]
fn the_engagement_start_date_is_asked_for_after_the_kickoff() {
    let ws = Ws::new();
    m365(&ws, "");
    let out = next(&ws, "dana");
    let line = line_of(&out, "Record the engagement start date").expect("asked for");
    assert!(
        line.contains("ft milestone c engagement-start --on DATE"),
        "{line}"
    );
    ws.ft(&["milestone", "c", "engagement-start", "--on", "2026-11-16"])
        .ok();
    assert!(!next(&ws, "dana").contains("engagement start"));
    ws.ft(&["show", "c"])
        .ok()
        .stdout_has("engagement-start 2026-11-16");
    ws.ft(&["report", "c"])
        .ok()
        .stdout_has("engagement-start 2026-11-16");
}

// 004: "Partners will contact the customer directly within 3 business days
// after referrals are made."
#[test]
fn partners_contact_the_customer_within_3_business_days_of_the_referral() {
    let ws = Ws::new();
    m365(&ws, "");
    assert!(
        !next(&ws, "dana").contains("partner-contact"),
        "nothing to confirm before a referral"
    );
    // Referral made Friday 20 Nov: due Wednesday 25 Nov, overdue on the 26th.
    ws.ft(&["done", "c", "983", "--on", "2026-11-20"]).ok();
    let out = next(&ws, "dana");
    let line = line_of(&out, "partner-contact").expect("asked for");
    assert!(line.contains("Wed 25 Nov"), "{line}");
    assert!(line.contains("within 3 business days of 983"), "{line}");
    let late = ws
        .ft(&["--today", "2026-11-26", "--as", "dana", "next"])
        .ok()
        .stdout;
    assert!(
        line_of(&late, "partner-contact")
            .unwrap()
            .contains("1 business day overdue"),
        "{late}"
    );
}

// 004: "The FastTrack Manger (Health) will schedule calls with identified
// FastTrack Architect on S500 or initiate this for >500 – 1500."
// 002: "FTA for S500 accounts".
#[test]
fn an_s500_account_without_an_fta_is_named_by_check_and_report() {
    let ws = Ws::new();
    m365(&ws, "\n[fields]\nsegment = \"S500\"\n");
    ws.ft(&["check"]).ok().stdout_has(
        "note: c: the playbook expects FTA for segment S500 on the team and nobody holds it (ft set c team.FTA NAME)",
    );
    ws.ft(&["report", "--all"])
        .ok()
        .stdout_has("Teams without a role the playbook expects: c (FTA for segment S500)");
    ws.ft(&["set", "c", "team.FTA", "erin"]).ok();
    assert!(!ws.ft(&["check"]).ok().stdout.contains("expects FTA"));
    ws.ft(&["report", "--all"])
        .ok()
        .stdout_has("Teams without a role the playbook expects: none");
    ws.ft(&["set", "c", "segment", "S5000"])
        .code(2)
        .stderr_has("S500, S1500");
}

// 002: "Key Stakeholders: CSM to drive Teams adoption; AE and ATS for
// account level support; ... TAM to remove technical blockers; Partners".
#[test]
fn stakeholders_join_the_team_without_tasks() {
    let ws = Ws::new();
    m365(&ws, "");
    ws.ft(&["set", "c", "team.AE", "Ann Lee"]).ok();
    ws.ft(&["set", "c", "team.CSM", "Raj"]).ok();
    ws.ft(&["show", "c"])
        .ok()
        .stdout_has("AE Ann Lee, CSM Raj, FE alice, FM dana");
    let report = ws.ft(&["report", "--all", "--format", "json"]).ok().stdout;
    assert!(report.contains("Ann Lee"), "{report}");
    let text = ws.read("engagements/c.toml");
    assert!(
        !text.contains("assigned = 2026-11-23"),
        "a contact starts no clock"
    );
    let r = ws
        .ft(&["--as", "zed", "assign", "c", "--role", "AE"])
        .code(2);
    r.stderr_has("AE (Account Executive) is a stakeholder on the team, with no tasks to claim");
    r.stderr_has("ft set c team.AE NAME");
    assert!(
        next(&ws, "Ann Lee").contains("nothing due"),
        "a contact has no work: {}",
        next(&ws, "Ann Lee")
    );
}

// 003 (FTA): "Set up governance meeting cadence." "Quantitative: Completion
// of task 3334." "Quantitative: Completion of task 3330."
#[test]
fn the_fta_sees_and_is_measured_on_3334_and_3330() {
    let ws = Ws::new();
    ws.engagement(
        "c",
        &M365
            .replace("services = [\"Teams\"]", "services = [\"Core Onboarding\"]")
            .replace("FE = \"alice\"", "FE = \"alice\"\nFTA = \"erin\""),
    );
    let out = next(&ws, "erin");
    let line = line_of(&out, "3334").expect("on the FTA's list");
    assert!(line.contains("FM's task; you are measured on it"), "{line}");
    assert!(line_of(&out, "3330").is_some(), "{out}");
    ws.ft(&["done", "c", "3334", "--on", "2026-11-12"]).ok();
    let report = ws
        .ft(&["--as", "erin", "report", "--role", "FTA"])
        .ok()
        .stdout;
    assert!(
        report.contains(
            "Measured by the role guides: FTA: 3330 done in 0 of 1 (0%), 3334 done in 1 of 1 (100%)"
        ),
        "{report}"
    );
}

// 004: "Capture Available SSAT (Kickoff Meeting)" ... "Getting SSAT in place
// should be included in the plan and progress tracked in the Health Review
// meetings." No interval is stated, so no due date.
#[test]
fn ssat_is_asked_for_from_the_kickoff_without_a_due_date() {
    let ws = Ws::new();
    ws.engagement(
        "c",
        &M365
            .replace("kickoff = 2026-11-10\n", "")
            .replace("994 = { done = 2026-11-10 }\n", ""),
    );
    assert!(
        !next(&ws, "dana").contains("SSAT"),
        "not before the kickoff"
    );
    m365(&ws, "\n[ssat]\nstakeholders = true\n");
    let out = next(&ws, "dana");
    let line = line_of(&out, "Capture SSAT").expect("asked for");
    assert!(line.starts_with('-'), "no due date: {line}");
    assert!(line.contains("Scenarios, Awareness, Training"), "{line}");
    assert!(line.contains("1 of 4 captured"), "{line}");
    let report = ws.ft(&["report", "--all", "--format", "json"]).ok().stdout;
    let v: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(v["rows"][0]["ssat"], serde_json::json!([1, 4]), "{report}");
}

// 000: "Capture relevant product inputs in a tooling system by the
// engagement end and own its follow up with the engineering counter part"
// and "Highlight areas that program team would like to receive feedback
// during exit interviews."
#[test]
fn the_engineer_follows_up_feedback_and_prepares_the_exit_interview() {
    let ws = Ws::new();
    ws.engagement("n", AZURE);
    let before = next(&ws, "alice");
    assert!(!before.contains("feedback-follow-up") && !before.contains("exit-interview"));
    ws.ft(&["done", "n", "product-feedback", "--on", "2026-11-23"])
        .ok();
    assert!(next(&ws, "alice").contains("feedback-follow-up"));
    ws.ft(&["close", "n", "--force", "--on", "2026-11-23"]).ok();
    let _ = ws.ft(&["--as", "alice", "next", "--all"]).ok();
    let show = ws.ft(&["show", "n"]).ok().stdout;
    assert!(line_of(&show, "exit-interview").is_some(), "{show}");
}

// 001: "Facilitate RCA, PIR, and identify areas of improvement in product
// and process."
#[test]
fn the_pir_follows_the_rca() {
    let ws = Ws::new();
    ws.engagement(
        "i",
        "customer = \"L\"\nplaybook = \"mcs-escalation\"\nservices = [\"ICM\"]\nstatus = \"active\"\n\n[fields]\nseverity = \"3\"\n\n[team]\nPE = \"pat\"\n\n[milestones]\nopened = 2026-11-20T09:00:00Z\n",
    );
    assert!(!next(&ws, "pat").contains("pir"));
    ws.ft(&["done", "i", "rca", "--on", "2026-11-23T10:00:00Z"])
        .ok();
    let out = next(&ws, "pat");
    assert!(line_of(&out, "pir").is_some(), "{out}");
}
