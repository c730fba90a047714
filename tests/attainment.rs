//! SLA attainment against the team goals, counted by hand: what the health
//! review shows people they are measured on.

mod support;

use serde_json::Value;
use support::Ws;

/// An IcM on the escalation playbook: severity, PE, opened, acknowledged.
fn icm(ws: &Ws, id: &str, sev: &str, pe: &str, opened: &str, ack: Option<&str>) {
    let team = if pe.is_empty() {
        String::new()
    } else {
        format!("\n[team]\nPE = \"{pe}\"\n")
    };
    let tasks = ack.map_or(String::new(), |a| {
        format!("\n[tasks]\nacknowledge = {{ done = {a} }}\n")
    });
    ws.engagement(
        id,
        &format!(
            "customer = \"{id}\"\nplaybook = \"mcs-escalation\"\nservices = [\"ICM\"]\nstatus = \"active\"\n\n[fields]\nseverity = \"{sev}\"\n{team}\n[milestones]\nopened = {opened}\n{tasks}"
        ),
    );
}

fn workspace() -> Ws {
    let ws = Ws::new();
    // Sev 1: 10 min, on time. Sev 2: 30 min, late. Sev 1 at 08:00 not
    // acknowledged by 10:00: overdue. Sev 3: 12 h, on time (24 h rule).
    icm(
        &ws,
        "i1",
        "1",
        "alice",
        "2026-11-23T09:00:00Z",
        Some("2026-11-23T09:10:00Z"),
    );
    icm(
        &ws,
        "i2",
        "2",
        "alice",
        "2026-11-23T09:00:00Z",
        Some("2026-11-23T09:30:00Z"),
    );
    icm(
        &ws,
        "i3",
        "3",
        "bob",
        "2026-11-20T09:00:00Z",
        Some("2026-11-20T21:00:00Z"),
    );
    icm(&ws, "i4", "1", "", "2026-11-23T08:00:00Z", None);
    ws
}

const NOW: [&str; 2] = ["--today", "2026-11-23T10:00:00Z"];

fn report(ws: &Ws, extra: &[&str]) -> Value {
    let mut args = NOW.to_vec();
    args.extend(["report", "--all", "--format", "json"]);
    args.extend(extra);
    serde_json::from_str(&ws.ft(&args).ok().stdout).unwrap()
}

#[test]
fn attainment_mean_and_median_per_rule() {
    let v = report(&workspace(), &[]);
    let sla = v["summary"]["sla"].as_array().unwrap();
    let ack: Vec<&Value> = sla.iter().filter(|l| l["task"] == "acknowledge").collect();
    assert_eq!(ack.len(), 2, "one line per rule: {ack:#?}");
    let sev1 = ack[0];
    assert_eq!(sev1["target"], "15m after opened (severity 0, 1, 2, 2.5)");
    assert_eq!(
        (
            sev1["on_time"].as_u64(),
            sev1["late"].as_u64(),
            sev1["overdue"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(sev1["met_percent"], 33.3, "1 of 3 due met on time");
    assert_eq!(sev1["mean"], 20.0, "(10 + 30) / 2 minutes");
    assert_eq!(sev1["median"], 20.0);
    let sev3 = ack[1];
    assert_eq!(sev3["met_percent"], 100.0);
    assert_eq!(sev3["mean"], 12.0, "12 hours, in the rule's unit");
}

#[test]
fn goals_from_the_source_documents_are_met_or_missed() {
    let ws = workspace();
    let v = report(&ws, &[]);
    let goals = v["summary"]["goals"].as_array().unwrap();
    let goal = |name: &str| goals.iter().find(|g| g["name"] == name).unwrap().clone();
    let fast = goal("Average time to acknowledge, Sev 0, 1, 2, 2.5");
    assert_eq!(fast["actual"], "20 min");
    // The same figures as numbers, for tools.
    assert_eq!(
        (&fast["actual_value"], &fast["target_value"], &fast["unit"]),
        (
            &Value::from(20.0),
            &Value::from(15.0),
            &Value::from("minutes")
        )
    );
    assert_eq!(fast["result"], "missed", "20 min is over the 15 min goal");
    assert_eq!(fast["count"], 2);
    let slow = goal("Average time to acknowledge, Sev 3, 4");
    assert_eq!(slow["actual"], "12 h");
    assert_eq!(slow["result"], "met");
    assert_eq!(goal("Average time to mitigate")["result"], "no data");
    let table = ws
        .ft(&["--today", "2026-11-23T10:00:00Z", "report", "--all"])
        .ok()
        .stdout;
    let row = table
        .lines()
        .find(|l| l.starts_with("Average time to acknowledge, Sev 0, 1, 2, 2.5 "))
        .unwrap_or_else(|| panic!("{table}"));
    let cells: Vec<&str> = row
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cells[1..],
        ["mean <= 15m", "20 min", "2", "missed"],
        "{row}"
    );
}

#[test]
fn by_person_splits_each_rule_by_who_held_the_role() {
    let v = report(&workspace(), &["--by", "person"]);
    let sla = v["summary"]["sla"].as_array().unwrap();
    let line = |person: &str, target: &str| {
        sla.iter()
            .find(|l| {
                l["task"] == "acknowledge"
                    && l["person"] == person
                    && l["target"].as_str().unwrap().contains(target)
            })
            .unwrap_or_else(|| panic!("{person} {target}: {sla:#?}"))
            .clone()
    };
    let alice = line("alice", "2.5");
    assert_eq!(
        (alice["on_time"].as_u64(), alice["late"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(alice["met_percent"], 50.0);
    assert_eq!(line("nobody", "2.5")["overdue"], 1);
    assert_eq!(line("bob", "3, 4")["on_time"], 1);
}

#[test]
fn a_task_done_before_its_anchor_took_no_time_and_late_dibs_are_late() {
    let ws = Ws::new();
    // Product feedback captured before the engagement end: zero, not negative.
    ws.engagement(
        "a",
        "customer = \"A\"\nplaybook = \"azure-fasttrack-engineer\"\nservices = [\"AKS\"]\nstatus = \"closed\"\n\n[team]\nFE = \"alice\"\nPM = \"bob\"\n\n[milestones]\nopened = 2026-11-02\nassigned = 2026-11-02\nend = 2026-11-20\n\n[tasks]\nproduct-feedback = { done = 2026-11-18 }\n",
    );
    // DIBS completed two days after the kickoff they were due by.
    ws.engagement(
        "m",
        "customer = \"M\"\nplaybook = \"m365-general-engagement\"\nservices = [\"Teams\"]\nstatus = \"active\"\n\n[team]\nFM = \"dana\"\n\n[milestones]\nopened = 2026-11-02\nkickoff = 2026-11-10\n\n[dibs]\ndate = 2027-01-01\nintent = \"I\"\nbusiness_reason = \"B\"\nsuccess_owner = \"S\"\n\n[[events]]\nat = 2026-11-12T10:00:00Z\nby = \"dana\"\nop = \"dibs\"\nfield = \"success_owner\"\nvalue = \"S\"\n",
    );
    let v: Value = serde_json::from_str(
        &ws.ft(&[
            "report",
            "--all",
            "--status",
            "active,closed",
            "--format",
            "json",
        ])
        .ok()
        .stdout,
    )
    .unwrap();
    let sla = v["summary"]["sla"].as_array().unwrap();
    let feedback = sla
        .iter()
        .find(|l| l["task"] == "product-feedback")
        .unwrap();
    assert_eq!(feedback["median"], 0.0, "{feedback:#?}");
    assert_eq!(feedback["on_time"], 1);
    let dibs = sla.iter().find(|l| l["task"] == "dibs").unwrap();
    assert_eq!(
        (dibs["on_time"].as_u64(), dibs["late"].as_u64()),
        (Some(0), Some(1)),
        "{dibs:#?}"
    );
}

#[test]
fn since_counts_only_what_fell_due_in_the_period() {
    let ws = workspace();
    // The Sev 3 acknowledgement fell due on 21 Nov, before the period.
    let v = report(&ws, &["--since", "2026-11-22"]);
    let sla = v["summary"]["sla"].as_array().unwrap();
    let ack: Vec<&Value> = sla.iter().filter(|l| l["task"] == "acknowledge").collect();
    assert_eq!(ack.len(), 1, "{ack:#?}");
    assert_eq!(ack[0]["on_time"], 1);
    assert_eq!(v["period"], serde_json::json!(["2026-11-22", "2026-11-23"]));
    let only = report(&ws, &["--since", "2026-11-20", "--until", "2026-11-21"]);
    let ack: Vec<&Value> = only["summary"]["sla"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["task"] == "acknowledge")
        .collect();
    assert_eq!(ack.len(), 1);
    assert!(
        ack[0]["target"].as_str().unwrap().contains("3, 4"),
        "{ack:#?}"
    );
    let r = ws.ft(&["report", "--all", "--since", "2026-12-01"]).code(2);
    r.stderr_has("--since 2026-12-01 is after today (2026-11-23)");
}

#[test]
fn compare_shows_each_figure_then_and_now_and_what_changed() {
    let ws = workspace();
    ws.write(
        "engagements/i3.toml",
        &format!(
            "{}\n[[health]]\non = 2026-11-21\nstatus = \"green\"\n\n[[health]]\non = 2026-11-23\nstatus = \"red\"\n\n[[blockers]]\nopened = 2026-11-23\ntext = \"Waiting on the customer's logs\"\n",
            ws.read("engagements/i3.toml")
        ),
    );
    let v = report(&ws, &["--compare", "2026-11-22"]);
    let c = &v["compare"];
    assert_eq!(c["since"], "2026-11-22");
    let figure = |name: &str| {
        c["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap()
            .clone()
    };
    // On 22 Nov only i3 had opened.
    let n = figure("Engagements");
    assert_eq!(
        (n["then"].as_str(), n["now"].as_str()),
        (Some("1"), Some("4"))
    );
    let red = figure("Health red");
    assert_eq!(
        (
            red["then"].as_str(),
            red["now"].as_str(),
            red["better"].as_bool()
        ),
        (Some("0"), Some("1"), Some(false))
    );
    // i3's acknowledgement, 12 h then and now.
    let sev3 = figure("Goal: Average time to acknowledge, Sev 3, 4");
    assert_eq!(
        (
            sev3["then"].as_str(),
            sev3["now"].as_str(),
            sev3["trend"].as_str()
        ),
        (Some("12 h"), Some("12 h"), Some("same"))
    );
    let met = figure("SLA items met on time");
    assert_eq!(
        (met["then_value"].as_f64(), met["now_value"].as_f64()),
        (Some(100.0), Some(50.0)),
        "then i3's acknowledgement; now 2 of the 4"
    );
    let changes = c["changes"].as_array().unwrap();
    let of = |id: &str| {
        changes
            .iter()
            .find(|x| x["engagement"] == id)
            .map(|x| x["items"].clone())
            .unwrap_or_default()
    };
    assert_eq!(
        of("i3"),
        serde_json::json!([
            "health green -> red",
            "new blocker: Waiting on the customer's logs"
        ])
    );
    assert_eq!(of("i1")[0], "new in the report");
    let table = ws
        .ft(&[
            "--today",
            "2026-11-23T10:00:00Z",
            "report",
            "--all",
            "--compare",
            "2026-11-22",
        ])
        .ok()
        .stdout;
    assert!(table.contains("Since 2026-11-22\n"), "{table}");
    let red = table
        .lines()
        .find(|l| l.starts_with("Health red "))
        .unwrap_or_else(|| panic!("{table}"));
    let cells: Vec<&str> = red
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(cells, ["Health red", "0", "1", "↑"], "{table}");
    assert!(
        table.contains("i3: health green -> red; new blocker: Waiting on the customer's logs"),
        "{table}"
    );
}

/// The DIBS line of the SLA table: (on time, late, overdue, open).
fn dibs_counts(v: &Value) -> (u64, u64, u64, u64) {
    let sla = v["summary"]["sla"].as_array().unwrap();
    let l = sla
        .iter()
        .find(|l| l["task"] == "dibs")
        .unwrap_or_else(|| panic!("{sla:#?}"));
    let n = |k: &str| l[k].as_u64().unwrap();
    (n("on_time"), n("late"), n("overdue"), n("open"))
}

fn dibs_late(v: &Value, id: &str) -> bool {
    let rows = v["rows"].as_array().unwrap();
    let row = rows.iter().find(|r| r["id"] == id).unwrap();
    row["dibs_late"].as_bool().unwrap()
}

#[test]
fn dibs_complete_on_time_stay_on_time_after_a_later_edit() {
    let ws = Ws::demo();
    let run = |args: &[&str]| {
        let mut all = vec!["--today", "2026-11-23", "--as", "dana"];
        all.extend(args);
        ws.ft(&all).ok()
    };
    let review = || -> Value {
        serde_json::from_str(&run(&["report", "--all", "--format", "json"]).stdout).unwrap()
    };
    // fabrikam-core: complete in the file before its kickoff (19 Oct), no
    // records: on time. contoso-teams: success owner missing since its
    // kickoff (10 Nov): overdue.
    assert_eq!(dibs_counts(&review()), (1, 0, 1, 0));
    // A later edit of a complete DIBS changes nothing.
    run(&[
        "dibs",
        "fabrikam-core",
        "--success-owner",
        "Miriam Lee, CIO (acting)",
    ]);
    let v = review();
    assert!(!dibs_late(&v, "fabrikam-core"));
    assert_eq!(dibs_counts(&v), (1, 0, 1, 0));
    let table = run(&["report", "fabrikam-core"]).stdout;
    assert!(!table.contains("complete, late"), "{table}");
    // contoso-teams completed today, 13 days after its kickoff: late; an
    // edit the next day keeps the completion at the first time.
    run(&["dibs", "contoso-teams", "--success-owner", "Ana Ruiz, COO"]);
    ws.ft(&[
        "--today",
        "2026-11-24",
        "--as",
        "dana",
        "dibs",
        "contoso-teams",
        "--intent",
        "Replace the chat tool",
    ])
    .ok();
    let v = review();
    assert!(dibs_late(&v, "contoso-teams"));
    assert_eq!(dibs_counts(&v), (1, 1, 0, 0));
}

/// The line of `task`: (on time, late, overdue, open).
fn counts(v: &Value, task: &str) -> (u64, u64, u64, u64) {
    let sla = v["summary"]["sla"].as_array().unwrap();
    let l = sla
        .iter()
        .find(|l| l["task"] == task)
        .unwrap_or_else(|| panic!("{task}: {sla:#?}"));
    let n = |k: &str| l[k].as_u64().unwrap();
    (n("on_time"), n("late"), n("overdue"), n("open"))
}

fn goal(v: &Value, name: &str) -> Value {
    let goals = v["summary"]["goals"].as_array().unwrap();
    goals
        .iter()
        .find(|g| g["name"] == name && g.get("person").is_none())
        .unwrap_or_else(|| panic!("{name}: {goals:#?}"))
        .clone()
}

#[test]
fn a_task_done_before_its_anchor_exists_counts_as_met_in_no_time() {
    let ws = Ws::demo();
    let review = |extra: &[&str]| -> Value {
        let mut args = vec!["report", "--all", "--format", "json"];
        args.extend(extra);
        serde_json::from_str(&ws.ft(&args).ok().stdout).unwrap()
    };
    // Product feedback (0d after end): adatum-webapps ended 21 Nov without
    // it (overdue); northwind, tailspin and woodgrove have no end (open).
    assert_eq!(counts(&review(&[]), "product-feedback"), (0, 0, 1, 3));
    ws.ft(&[
        "--as",
        "alice",
        "done",
        "northwind-aks",
        "product-feedback",
        "--on",
        "2026-11-18",
    ])
    .ok();
    // northwind's feedback, captured before any end: met on time, in 0 days.
    let v = review(&[]);
    assert_eq!(counts(&v, "product-feedback"), (1, 0, 1, 2));
    let sla = v["summary"]["sla"].as_array().unwrap();
    let line = sla
        .iter()
        .find(|l| l["task"] == "product-feedback")
        .unwrap();
    assert_eq!(line["met_percent"], 50.0);
    assert_eq!(line["median"], 0.0);
    // The goals count it the same way: feedback in 1 of the 2 engagements
    // where it is done or overdue; aging met in 4 of 6 due (pm-intro 2 of
    // 2, customer-contact 1 of 2, product-feedback 1 of 2).
    let feedback = goal(&v, "Customer feedback from 75% of engaged customers");
    assert_eq!(
        (feedback["actual"].as_str(), feedback["count"].as_u64()),
        (Some("50%"), Some(2))
    );
    let aging = goal(&v, "Aging meets engagement SLAs");
    assert_eq!(
        (aging["actual"].as_str(), aging["count"].as_u64()),
        (Some("66.7%"), Some(6))
    );
    // In a period, it counts on the day it was done (18 Nov).
    let period = review(&["--since", "2026-11-16"]);
    assert_eq!(counts(&period, "product-feedback"), (1, 0, 1, 0));
    let before = review(&["--since", "2026-11-01", "--until", "2026-11-17"]);
    assert!(
        before["summary"]["sla"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["task"] != "product-feedback"),
        "{before:#?}"
    );
}

fn dibs_line_of(v: &Value, person: &str) -> (u64, u64, u64, u64) {
    let sla = v["summary"]["sla"].as_array().unwrap();
    let l = sla
        .iter()
        .find(|l| l["task"] == "dibs" && l["person"] == person)
        .unwrap_or_else(|| panic!("{person}: {sla:#?}"));
    let n = |k: &str| l[k].as_u64().unwrap();
    (n("on_time"), n("late"), n("overdue"), n("open"))
}

#[test]
fn dibs_count_in_the_period_of_their_milestone_and_for_the_fm() {
    let ws = Ws::demo();
    let review = |extra: &[&str]| -> Value {
        let mut args = vec!["report", "--all", "--format", "json"];
        args.extend(extra);
        serde_json::from_str(&ws.ft(&args).ok().stdout).unwrap()
    };
    // DIBS are due at the kickoff: fabrikam-core's on 19 Oct (complete:
    // on time), contoso-teams's on 10 Nov (success owner missing: overdue).
    assert_eq!(
        dibs_counts(&review(&["--since", "2026-11-01"])),
        (0, 0, 1, 0)
    );
    assert_eq!(
        dibs_counts(&review(&["--since", "2026-10-01", "--until", "2026-10-31"])),
        (1, 0, 0, 0)
    );
    assert_eq!(
        dibs_counts(&review(&["--since", "2026-10-01"])),
        (1, 0, 1, 0)
    );
    // The DIBS belong to the FM, the playbook's primary role: dana holds
    // both; once frank is contoso-teams's FM, its DIBS are his.
    assert_eq!(
        dibs_line_of(&review(&["--by", "person"]), "dana"),
        (1, 0, 1, 0)
    );
    let contoso = ws.read("engagements/contoso-teams.toml").replace(
        "FM = { person = \"dana\", since = 2026-11-03 }",
        "FM = { person = \"frank\", since = 2026-11-03 }",
    );
    ws.engagement("contoso-teams", &contoso);
    let v = review(&["--by", "person"]);
    assert_eq!(dibs_line_of(&v, "dana"), (1, 0, 0, 0));
    assert_eq!(dibs_line_of(&v, "frank"), (0, 0, 1, 0));
}

#[test]
fn by_person_splits_each_goal_by_who_held_the_role_and_keeps_the_team_line() {
    let ws = workspace();
    let v = report(&ws, &["--by", "person"]);
    let goals = v["summary"]["goals"].as_array().unwrap();
    let lines = |name: &str| -> Vec<(String, String, u64, String)> {
        goals
            .iter()
            .filter(|g| g["name"] == name)
            .map(|g| {
                (
                    g["person"].as_str().unwrap_or("team").to_string(),
                    g["actual"].as_str().unwrap_or("-").to_string(),
                    g["count"].as_u64().unwrap(),
                    g["result"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let line = |who: &str, actual: &str, n: u64, result: &str| {
        (who.to_string(), actual.to_string(), n, result.to_string())
    };
    // Sev 0-2.5: alice acknowledged in 10 and 30 min (mean 20); i4 (no
    // PE) is not acknowledged, so it has no time yet.
    assert_eq!(
        lines("Average time to acknowledge, Sev 0, 1, 2, 2.5"),
        [
            line("team", "20 min", 2, "missed"),
            line("alice", "20 min", 2, "missed"),
            line("nobody", "-", 0, "no data"),
        ]
    );
    // Sev 3-4: bob's 12 h.
    assert_eq!(
        lines("Average time to acknowledge, Sev 3, 4"),
        [
            line("team", "12 h", 1, "met"),
            line("bob", "12 h", 1, "met")
        ]
    );
    let table = ws
        .ft(&[
            "--today",
            "2026-11-23T10:00:00Z",
            "report",
            "--all",
            "--by",
            "person",
        ])
        .ok()
        .stdout;
    let row = table
        .lines()
        .find(|l| l.starts_with("Average time to acknowledge, Sev 3, 4 ") && l.contains(" bob "))
        .unwrap_or_else(|| panic!("{table}"));
    let cells: Vec<&str> = row
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cells[1..],
        ["bob", "mean <= 24h", "12 h", "1", "met"],
        "{row}"
    );
}

#[test]
fn compare_in_a_period_sets_each_rule_and_goal_beside_the_previous_period() {
    let ws = workspace();
    let v = report(&ws, &["--since", "2026-11-22", "--compare", "2026-11-22"]);
    let c = &v["compare"];
    // This period: 22-23 Nov; the previous one as long, ending on 22 Nov.
    assert_eq!(c["period"], serde_json::json!(["2026-11-21", "2026-11-22"]));
    let figure = |name: &str| -> (Value, Value, Value, Value, Value) {
        let f = c["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("{name}: {c:#?}"))
            .clone();
        (
            f["then"].clone(),
            f["now"].clone(),
            f["then_value"].clone(),
            f["now_value"].clone(),
            f["trend"].clone(),
        )
    };
    let v = |s: &str| Value::from(s);
    let n = |x: f64| Value::from(x);
    // Then (as of 22 Nov only i3 had opened): its acknowledgement, due 21
    // Nov, on time: 1 of 1. Now: acknowledgements due 23 Nov, i1 on time,
    // i2 late, i4 overdue: 1 of 3.
    assert_eq!(
        figure("SLA items met on time"),
        (v("100%"), v("33.3%"), n(100.0), n(33.3), v("down"))
    );
    assert_eq!(
        figure("acknowledge met on time, 15m after opened (severity 0, 1, 2, 2.5)"),
        (v("-"), v("33.3%"), Value::Null, n(33.3), v("n/a"))
    );
    assert_eq!(
        figure("acknowledge met on time, 24h after opened (severity 3, 4)"),
        (v("100%"), v("-"), n(100.0), Value::Null, v("n/a"))
    );
    // Goals: i3's 12 h then; i1's 10 and i2's 30 min now.
    assert_eq!(
        figure("Goal: Average time to acknowledge, Sev 3, 4"),
        (v("12 h"), v("-"), n(12.0), Value::Null, v("n/a"))
    );
    assert_eq!(
        figure("Goal: Average time to acknowledge, Sev 0, 1, 2, 2.5"),
        (v("-"), v("20 min"), Value::Null, n(20.0), v("n/a"))
    );
    let table = ws
        .ft(&[
            "--today",
            "2026-11-23T10:00:00Z",
            "report",
            "--all",
            "--since",
            "2026-11-22",
            "--compare",
            "2026-11-22",
        ])
        .ok()
        .stdout;
    assert!(
        table.contains("\nSince 2026-11-22 (then from 2026-11-21 to 2026-11-22)\n"),
        "{table}"
    );
    let row = table
        .lines()
        .find(|l| l.starts_with("SLA items met on time "))
        .unwrap_or_else(|| panic!("{table}"));
    let cells: Vec<&str> = row
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cells,
        ["SLA items met on time", "100%", "33.3%", "↓"],
        "{row}"
    );
}
