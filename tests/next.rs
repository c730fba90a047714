//! SLA due dates and `ft next`, on the seeds' own examples.

mod support;

use serde_json::Value;
use support::Ws;

fn next_json(ws: &Ws, person: &str, today: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["--as", person, "--today", today, "next", "--format", "json"];
    args.extend_from_slice(extra);
    let r = ws.ft(&args).ok();
    serde_json::from_str::<Value>(&r.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn find<'a>(items: &'a [Value], task: &str) -> Option<&'a Value> {
    items.iter().find(|i| i["task"] == task)
}

/// An Azure engagement whose engineer self-assigned on Friday 2026-11-20.
fn azure() -> Ws {
    let ws = Ws::new();
    ws.engagement(
        "northwind",
        "customer = \"Northwind\"\nplaybook = \"azure-fasttrack-engineer\"\nservices = [\"AKS\"]\nstatus = \"active\"\n\n[team]\nFE = \"alice\"\nPM = \"bob\"\n\n[milestones]\nopened = 2026-11-16\nassigned = 2026-11-20\n",
    );
    ws
}

#[test]
fn pm_introduction_is_due_two_business_days_after_a_friday_self_assignment() {
    let ws = azure();
    let tue = next_json(&ws, "bob", "2026-11-24", &[]);
    let intro = find(&tue, "pm-intro").expect("the PM has the introduction");
    assert_eq!(intro["due"], "2026-11-24");
    assert_eq!(intro["overdue"], false);
    assert_eq!(intro["kind"], "task");
    assert_eq!(intro["role"], "PM");
    assert_eq!(intro["mandatory"], true);
    assert_eq!(intro["customer"], "Northwind");
    assert!(
        intro["reason"]
            .as_str()
            .unwrap()
            .contains("within 2 business days of self-assignment on Fri 20 Nov; due today"),
        "{intro}"
    );
    let wed = next_json(&ws, "bob", "2026-11-25", &[]);
    let intro = find(&wed, "pm-intro").unwrap();
    assert_eq!(intro["overdue"], true);
    assert!(
        intro["reason"]
            .as_str()
            .unwrap()
            .ends_with("1 business day overdue; alice waits on it"),
        "{intro}"
    );
    assert_eq!(wed[0]["task"], "pm-intro", "overdue comes first");
    let alice = next_json(&ws, "alice", "2026-11-25", &[]);
    assert!(
        find(&alice, "pm-intro").is_none(),
        "not on the engineer's list"
    );
    let contact = find(&alice, "customer-contact").unwrap();
    assert_eq!(contact["due"], Value::Null);
    assert!(
        contact["reason"]
            .as_str()
            .unwrap()
            .contains("the clock starts when pm-intro"),
        "{contact}"
    );
}

#[test]
fn customer_contact_is_due_two_business_days_after_the_introduction() {
    let ws = azure();
    ws.ft_env(
        &["done", "northwind", "pm-intro", "--on", "2026-11-24"],
        &[("FT_TODAY", "2026-11-24")],
    )
    .ok()
    .stdout_has("(2026-11-24); on time");
    // Done a day after its due date: the confirmation says so, in the SLA's unit.
    ws.ft_env(
        &[
            "done",
            "northwind",
            "customer-contact",
            "--on",
            "2026-11-27",
        ],
        &[("FT_TODAY", "2026-11-27")],
    )
    .ok()
    .stdout_has("; 1 business day late (due 2026-11-26)");
    ws.ft_env(
        &["reopen", "northwind", "customer-contact"],
        &[("FT_TODAY", "2026-11-27")],
    )
    .ok();
    let items = next_json(&ws, "alice", "2026-11-24", &[]);
    let contact = find(&items, "customer-contact").unwrap();
    assert_eq!(contact["due"], "2026-11-26");
    assert_eq!(contact["overdue"], false);
    let late = next_json(&ws, "alice", "2026-11-27", &[]);
    assert_eq!(find(&late, "customer-contact").unwrap()["overdue"], true);
    let bob = next_json(&ws, "bob", "2026-11-27", &[]);
    assert!(
        find(&bob, "pm-intro").is_none(),
        "done work leaves the list"
    );
}

#[test]
fn closing_report_is_due_five_business_days_after_a_friday_close() {
    let ws = azure();
    ws.ft_env(
        &["close", "northwind", "--on", "2026-11-27", "--force"],
        &[("FT_TODAY", "2026-11-27")],
    )
    .ok();
    let items = next_json(&ws, "alice", "2026-11-30", &[]);
    let report = find(&items, "closing-report").unwrap();
    assert_eq!(report["due"], "2026-12-04");
    let feedback = find(&items, "product-feedback").unwrap();
    assert_eq!(feedback["due"], "2026-11-27");
    assert_eq!(feedback["overdue"], true);
    assert!(
        find(&items, "technical-discovery").is_none(),
        "after the end only running clocks are asked for"
    );
    let show = ws
        .ft(&[
            "--today",
            "2026-11-30",
            "show",
            "northwind",
            "--format",
            "json",
        ])
        .ok();
    let v: Value = serde_json::from_str(&show.stdout).unwrap();
    let close = &v["stages"][3]["tasks"][0];
    assert_eq!(close["id"], "closing-report");
    assert_eq!(close["due"], "2026-12-04");
    assert_eq!(close["status"]["state"], "upcoming");
}

#[test]
fn holidays_and_weekends_from_ft_toml_move_due_dates() {
    let ws = azure();
    ws.write(
        "ft.toml",
        "[calendar]\nweekend = [\"Sat\", \"Sun\"]\nholidays = [2026-11-23, 2026-11-24]\n",
    );
    let items = next_json(&ws, "bob", "2026-11-23", &[]);
    assert_eq!(find(&items, "pm-intro").unwrap()["due"], "2026-11-26");
    ws.write("ft.toml", "[calendar]\nweekend = [\"Fri\", \"Sat\"]\n");
    let items = next_json(&ws, "bob", "2026-11-23", &[]);
    // Friday 20 is a weekend day: roll back to Thursday 19, then Sun 22, Mon 23.
    assert_eq!(find(&items, "pm-intro").unwrap()["due"], "2026-11-23");
}

fn incident(ws: &Ws, id: &str, severity: &str) {
    ws.engagement(
        id,
        &format!("customer = \"Litware\"\nplaybook = \"mcs-escalation\"\nservices = [\"ICM\"]\nstatus = \"active\"\n\n[fields]\nseverity = \"{severity}\"\n\n[team]\nPE = \"priya\"\n\n[milestones]\nopened = 2026-11-23T09:00:00Z\n"),
    );
}

#[test]
fn escalation_acknowledgement_follows_severity() {
    let ws = Ws::new();
    incident(&ws, "icm-sev2", "2");
    incident(&ws, "icm-sev3", "3");
    let at_910 = next_json(&ws, "priya", "2026-11-23T09:10:00Z", &[]);
    let ack2 = at_910
        .iter()
        .find(|i| i["engagement"] == "icm-sev2" && i["task"] == "acknowledge")
        .unwrap();
    assert_eq!(ack2["due"], "2026-11-23T09:15:00Z");
    assert_eq!(ack2["overdue"], false);
    assert!(
        ack2["reason"].as_str().unwrap().contains("due in 5 min"),
        "{ack2}"
    );
    let at_920 = next_json(&ws, "priya", "2026-11-23T09:20:00Z", &[]);
    let ack2 = at_920
        .iter()
        .find(|i| i["engagement"] == "icm-sev2" && i["task"] == "acknowledge")
        .unwrap();
    assert_eq!(ack2["overdue"], true);
    assert!(
        ack2["reason"].as_str().unwrap().ends_with("5 min overdue"),
        "{ack2}"
    );
    assert_eq!(
        at_920[0]["engagement"], "icm-sev2",
        "the breached acknowledgement is first"
    );
    let ack3 = at_920
        .iter()
        .find(|i| i["engagement"] == "icm-sev3" && i["task"] == "acknowledge")
        .unwrap();
    assert_eq!(ack3["due"], "2026-11-24T09:00:00Z");
    assert_eq!(ack3["overdue"], false);
    let mitigate3 = at_920
        .iter()
        .find(|i| i["engagement"] == "icm-sev3" && i["task"] == "mitigate")
        .unwrap();
    assert_eq!(mitigate3["due"], "2026-12-03T09:00:00Z");
    assert!(
        at_920.iter().all(|i| i["task"] != "exit-critsit"),
        "DFM work does not apply to an IcM"
    );
    // Acknowledging at 09:12 meets the SLA; `show` says so.
    ws.ft(&[
        "--today",
        "2026-11-23T09:12:00Z",
        "done",
        "icm-sev2",
        "acknowledge",
    ])
    .ok();
    assert!(
        ws.read("engagements/icm-sev2.toml")
            .contains("acknowledge = { done = 2026-11-23T09:12:00Z }")
    );
    let show = ws
        .ft(&["--today", "2026-11-23T09:20:00Z", "show", "icm-sev2"])
        .ok();
    show.stdout_has("done Mon 23 Nov 09:12Z, on time");
}

#[test]
fn teams_only_m365_engagement_never_lists_core_onboarding_tasks() {
    let ws = Ws::new();
    ws.engagement(
        "contoso",
        "customer = \"Contoso\"\nplaybook = \"m365-general-engagement\"\nservices = [\"Teams\"]\n\n[team]\nFM = \"dana\"\n\n[milestones]\nopened = 2026-11-02\nkickoff = 2026-11-09\n",
    );
    let items = next_json(&ws, "dana", "2026-11-23", &["--all"]);
    for hidden in [
        "1903",
        "3334",
        "governance-review",
        "customer-health-review",
        "internal-health-review",
    ] {
        assert!(
            find(&items, hidden).is_none(),
            "{hidden} is Core Onboarding only"
        );
    }
    assert!(find(&items, "3616").is_some());
    assert!(find(&items, "4047").is_some());
    let show = ws.ft(&["show", "contoso"]).ok();
    assert!(show.stdout.contains("n/a for these services"));
}

#[test]
fn missing_dibs_are_due_at_kickoff_and_disappear_when_complete() {
    let ws = Ws::new();
    ws.engagement(
        "contoso",
        "customer = \"Contoso\"\nplaybook = \"m365-general-engagement\"\nservices = [\"Teams\"]\n\n[team]\nFM = \"dana\"\n\n[milestones]\nopened = 2026-11-02\nkickoff = 2026-11-09\n\n[dibs]\nintent = \"Adopt Teams\"\n",
    );
    let items = next_json(&ws, "dana", "2026-11-23", &[]);
    let dibs = items
        .iter()
        .find(|i| i["kind"] == "dibs")
        .expect("missing DIBS are listed");
    assert_eq!(dibs["due"], "2026-11-09");
    assert_eq!(dibs["overdue"], true);
    assert!(
        dibs["name"]
            .as_str()
            .unwrap()
            .contains("Date, Business reason, Success owner"),
        "{dibs}"
    );
    ws.ft(&[
        "dibs",
        "contoso",
        "--date",
        "2027-03-01",
        "--business-reason",
        "Retire the old PBX",
        "--success-owner",
        "Ana, COO",
    ])
    .ok();
    let items = next_json(&ws, "dana", "2026-11-23", &[]);
    assert!(
        items.iter().all(|i| i["kind"] != "dibs"),
        "complete DIBS leave the list"
    );
}

#[test]
fn cadences_are_due_and_logging_restarts_them() {
    let ws = Ws::new();
    ws.engagement(
        "fabrikam",
        "customer = \"Fabrikam\"\nplaybook = \"m365-general-engagement\"\nservices = [\"Core Onboarding\"]\n\n[team]\nFM = \"dana\"\nFE = \"carlos\"\n\n[milestones]\nopened = 2026-11-02\nkickoff = 2026-11-09\n",
    );
    let items = next_json(&ws, "carlos", "2026-11-16", &[]);
    let cp = find(&items, "checkpoint").unwrap();
    assert_eq!(
        (cp["kind"].as_str(), cp["due"].as_str()),
        (Some("cadence"), Some("2026-11-16"))
    );
    let items = next_json(&ws, "dana", "2026-11-17", &[]);
    let gov = find(&items, "governance-review").unwrap();
    assert_eq!(gov["due"], "2026-11-23");
    assert_eq!(
        gov["overdue"], false,
        "1w..2w: due soon from one week, due at two"
    );
    ws.ft_env(
        &["done", "fabrikam", "checkpoint"],
        &[("FT_TODAY", "2026-11-17")],
    )
    .ok();
    let items = next_json(&ws, "carlos", "2026-11-18", &[]);
    assert!(
        find(&items, "checkpoint").is_none(),
        "logged: next one is due 2026-11-24"
    );
    let items = next_json(&ws, "carlos", "2026-11-23", &[]);
    assert_eq!(find(&items, "checkpoint").unwrap()["due"], "2026-11-24");
}

#[test]
fn filters_and_the_empty_list() {
    let ws = Ws::demo();
    let all = next_json(&ws, "alice", "2026-11-23", &["--all"]);
    assert!(all.len() > 5);
    let one = next_json(
        &ws,
        "alice",
        "2026-11-23",
        &["--engagement", "northwind-aks"],
    );
    assert!(!one.is_empty() && one.iter().all(|i| i["engagement"] == "northwind-aks"));
    let pe = next_json(&ws, "alice", "2026-11-23", &["--role", "Product Engineer"]);
    assert!(!pe.is_empty() && pe.iter().all(|i| i["role"] == "PE"));
    let soon = next_json(&ws, "alice", "2026-11-23", &["--within", "2d"]);
    assert!(
        soon.iter()
            .all(|i| i["overdue"] == true || i["due"].as_str().unwrap() <= "2026-11-25T23:59"),
        "{soon:?}"
    );
    assert!(soon.len() < all.len());
    let two = next_json(&ws, "alice", "2026-11-23", &["--limit", "2"]);
    assert_eq!(two.len(), 2);
    let keys: Vec<(bool, bool, f64)> = all
        .iter()
        .map(|i| {
            (
                i["overdue"].as_bool().unwrap(),
                i["at_risk"].as_bool().unwrap(),
                i["urgency"].as_f64().unwrap(),
            )
        })
        .collect();
    assert!(
        keys.windows(2).all(|w| w[0].0 >= w[1].0
            && (w[0].0 != w[1].0 || w[0].1 >= w[1].1)
            && (w[0].0 != w[1].0 || w[0].1 != w[1].1 || w[0].2 >= w[1].2)),
        "overdue first, then at risk, then by urgency: {keys:?}"
    );
    let nobody = ws.ft(&["--as", "zoe", "next"]).ok();
    assert!(
        nobody
            .stdout
            .starts_with("zoe holds no role in any engagement. Unassigned work needs "),
        "{}",
        nobody.stdout
    );
    let who = ws.ft(&["next"]).code(2);
    who.stderr_has("ft does not know who you are");
    who.stderr_has("hint: pass --as NAME");
    ws.config("me = \"alice\"\n");
    ws.ft(&["next"]).ok();
}

#[test]
fn holding_the_kickoff_records_the_milestone_and_starts_its_clocks() {
    let ws = Ws::new();
    ws.engagement(
        "contoso",
        "customer = \"Contoso\"\nplaybook = \"m365-general-engagement\"\nservices = [\"Core Onboarding\"]\n\n[team]\nFM = \"dana\"\n\n[milestones]\nopened = 2026-11-02\n",
    );
    let before = next_json(&ws, "dana", "2026-11-09", &["--all"]);
    assert!(
        before.iter().all(|i| i["kind"] != "cadence"),
        "no governance cadence before the kickoff"
    );
    let r = ws
        .ft_env(
            &["done", "contoso", "994", "--on", "2026-11-09"],
            &[("FT_TODAY", "2026-11-09")],
        )
        .ok();
    r.stdout_has("; kickoff milestone recorded");
    assert!(
        ws.read("engagements/contoso.toml")
            .contains("[milestones]\nopened = 2026-11-02\nkickoff = 2026-11-09\n")
    );
    let after = next_json(&ws, "dana", "2026-11-23", &["--all"]);
    let dibs = after.iter().find(|i| i["kind"] == "dibs").unwrap();
    assert_eq!(dibs["due"], "2026-11-09", "DIBS are due at the kickoff");
    assert_eq!(
        find(&after, "governance-review").unwrap()["due"],
        "2026-11-23"
    );
    // An already recorded kickoff is not moved.
    ws.ft_env(&["reopen", "contoso", "994"], &[("FT_TODAY", "2026-11-23")])
        .ok();
    ws.ft_env(&["done", "contoso", "994"], &[("FT_TODAY", "2026-11-23")])
        .ok();
    assert!(
        ws.read("engagements/contoso.toml")
            .contains("kickoff = 2026-11-09\n")
    );
}
