//! SLA clocks people can trust: instants recorded as instants, durations in
//! words, holds that pause, handovers that keep the clock, planned dates,
//! meetings on business days, at-risk work, the queue, reports that cover
//! running clocks, `ft explain`, severity 0.

mod support;

use serde_json::Value;
use support::{AZURE, Ws};

fn next_json(ws: &Ws, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["next", "--all", "--format", "json"];
    all.extend_from_slice(args);
    let r = ws.ft(&all).ok();
    serde_json::from_str::<Value>(&r.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn item<'a>(items: &'a [Value], engagement: &str, task: &str) -> Option<&'a Value> {
    items
        .iter()
        .find(|i| i["engagement"] == engagement && i["task"] == task)
}

#[test]
fn a_new_incident_records_the_time_it_opened_and_is_due_in_15_minutes() {
    let ws = Ws::new();
    let now = "2026-11-23T13:42:00Z";
    ws.ft(&[
        "--today",
        now,
        "new",
        "icm-3",
        "--customer",
        "X",
        "--playbook",
        "mcs-escalation",
        "--services",
        "ICM",
        "--severity",
        "2",
    ])
    .ok();
    let text = ws.read("engagements/icm-3.toml");
    assert!(text.contains("opened = 2026-11-23T13:42:00Z"), "{text}");
    ws.ft(&[
        "--as", "priya", "--today", now, "assign", "icm-3", "--role", "PE",
    ])
    .ok();
    let items = next_json(&ws, &["--as", "priya", "--today", now]);
    let ack = item(&items, "icm-3", "acknowledge").expect("the TTA is due");
    assert_eq!(ack["due"], "2026-11-23T13:57:00Z");
    assert_eq!(ack["overdue"], false);
    assert!(
        ack["reason"].as_str().unwrap().contains("due in 15 min"),
        "{ack}"
    );
}

#[test]
fn done_without_on_records_the_time_and_says_how_late() {
    let ws = Ws::new();
    ws.engagement(
        "icm-4",
        "customer = \"X\"\nplaybook = \"mcs-escalation\"\nservices = [\"ICM\"]\n\n[fields]\nseverity = \"2\"\n\n[team]\nPE = \"priya\"\n\n[milestones]\nopened = 2026-11-22T08:00:00Z\n",
    );
    let r = ws
        .ft(&[
            "--as",
            "priya",
            "--today",
            "2026-11-23T13:00:00Z",
            "done",
            "icm-4",
            "mitigate",
        ])
        .ok();
    r.stdout_has("5 h late (due 2026-11-23T08:00:00Z)");
    assert!(
        ws.read("engagements/icm-4.toml")
            .contains("mitigate = { done = 2026-11-23T13:00:00Z }")
    );
}

#[test]
fn overdue_minutes_read_as_hours_and_minutes() {
    let ws = Ws::new();
    ws.engagement(
        "icm-5",
        "customer = \"X\"\nplaybook = \"mcs-escalation\"\nservices = [\"ICM\"]\n\n[fields]\nseverity = \"1\"\n\n[team]\nPE = \"priya\"\n\n[milestones]\nopened = 2026-11-23T00:00:00Z\n",
    );
    let items = next_json(&ws, &["--as", "priya", "--today", "2026-11-23T13:44:00Z"]);
    let ack = item(&items, "icm-5", "acknowledge").unwrap();
    let reason = ack["reason"].as_str().unwrap();
    assert!(reason.ends_with("13 h 29 min overdue"), "{reason}");
    assert!(!reason.contains("809"), "{reason}");
}

#[test]
fn a_hold_pauses_the_clock_and_resume_extends_it_by_the_business_days_on_hold() {
    let ws = Ws::new();
    ws.engagement("n", AZURE);
    // Claimed Fri 20 Nov: the PM introduction is due Tue 24 Nov.
    let before = next_json(&ws, &["--as", "bob", "--today", "2026-11-23"]);
    assert_eq!(item(&before, "n", "pm-intro").unwrap()["due"], "2026-11-24");
    ws.ft(&[
        "--as",
        "alice",
        "--today",
        "2026-11-23",
        "hold",
        "n",
        "--reason",
        "customer freeze",
    ])
    .ok()
    .stdout_has("SLA clocks paused");
    let text = ws.read("engagements/n.toml");
    assert!(text.contains("status = \"on-hold\""), "{text}");
    assert!(
        text.contains(
            "[[holds]]\nfrom = 2026-11-23\nreason = \"customer freeze\"\nby = \"alice\"\n"
        ),
        "{text}"
    );
    let during = next_json(&ws, &["--as", "bob", "--today", "2026-11-24"]);
    assert!(
        item(&during, "n", "pm-intro").is_none(),
        "nothing is due on hold"
    );
    ws.ft(&["--as", "alice", "--today", "2026-11-25", "resume", "n"])
        .ok();
    // Mon 23 and Tue 24 were on hold: two business days after Fri 20 is now Thu 26.
    let after = next_json(&ws, &["--as", "bob", "--today", "2026-11-25"]);
    let intro = item(&after, "n", "pm-intro").unwrap();
    assert_eq!(intro["due"], "2026-11-26");
    assert!(
        intro["reason"].as_str().unwrap().starts_with(
            "within 2 business days of self-assignment on Fri 20 Nov; extended by 2 business days on hold; due tomorrow"
        ),
        "the README's worked example: {intro}"
    );
    let text = ws.read("engagements/n.toml");
    assert!(text.contains("status = \"active\""), "{text}");
    assert!(text.contains("to = 2026-11-25"), "{text}");
}

#[test]
fn minute_slas_are_extended_by_the_time_on_hold() {
    let ws = Ws::new();
    ws.engagement(
        "icm",
        "customer = \"X\"\nplaybook = \"mcs-escalation\"\nservices = [\"ICM\"]\nstatus = \"active\"\n\n[fields]\nseverity = \"2\"\n\n[team]\nPE = \"priya\"\n\n[milestones]\nopened = 2026-11-23T09:00:00Z\n",
    );
    ws.ft(&[
        "--today",
        "2026-11-23T09:05:00Z",
        "hold",
        "icm",
        "--reason",
        "waiting for logs",
    ])
    .ok();
    ws.ft(&["--today", "2026-11-23T10:05:00Z", "resume", "icm"])
        .ok();
    let items = next_json(&ws, &["--as", "priya", "--today", "2026-11-23T10:06:00Z"]);
    let ack = item(&items, "icm", "acknowledge").unwrap();
    assert_eq!(
        ack["due"], "2026-11-23T10:15:00Z",
        "15 min plus the hour on hold"
    );
    assert!(
        ack["reason"]
            .as_str()
            .unwrap()
            .contains("extended by 1 h on hold"),
        "{ack}"
    );
}

#[test]
fn status_on_hold_by_ft_set_is_a_hold_and_a_hold_past_its_date_asks_to_resume() {
    let ws = Ws::new();
    ws.engagement("n", AZURE);
    ws.ft(&["--today", "2026-11-23", "set", "n", "status", "on-hold"])
        .ok();
    assert!(
        ws.read("engagements/n.toml")
            .contains("[[holds]]\nfrom = 2026-11-23\n")
    );
    ws.ft(&[
        "--today",
        "2026-11-23",
        "hold",
        "n",
        "--until",
        "2026-11-30",
    ])
    .ok()
    .stdout_has("on hold until 2026-11-30");
    let before = next_json(&ws, &["--as", "alice", "--today", "2026-11-27"]);
    assert!(before.is_empty(), "{before:?}");
    let after = next_json(&ws, &["--as", "alice", "--today", "2026-12-01"]);
    let hold = after.iter().find(|i| i["kind"] == "hold").expect("asked");
    assert!(
        hold["name"]
            .as_str()
            .unwrap()
            .starts_with("Resume or extend the hold"),
        "{hold}"
    );
    assert_eq!(hold["overdue"], true);
    assert_eq!(
        hold["due"], "2026-11-30",
        "due the day it was expected back"
    );
    assert!(
        hold["urgency"].as_f64().unwrap() > 100.0,
        "ranked as overdue work: {hold}"
    );
    assert!(
        hold["reason"]
            .as_str()
            .unwrap()
            .contains("expected back Mon 30 Nov; 1 day overdue"),
        "{hold}"
    );
    // On the day itself it is already asked for.
    let on_the_day = next_json(&ws, &["--as", "alice", "--today", "2026-11-30"]);
    assert!(
        on_the_day.iter().any(|i| i["kind"] == "hold"),
        "{on_the_day:?}"
    );
    let bob = next_json(&ws, &["--as", "bob", "--today", "2026-12-01"]);
    assert!(bob.is_empty(), "only the primary role is asked: {bob:?}");
    ws.ft(&["--today", "2026-12-01", "set", "n", "status", "active"])
        .ok();
    assert!(ws.read("engagements/n.toml").contains("to = 2026-12-01"));
}

#[test]
fn show_lists_handovers() {
    let ws = Ws::new();
    ws.engagement("n", AZURE);
    ws.ft(&["--as", "carlos", "assign", "n", "--role", "FE", "--force"])
        .ok();
    let show = ws.ft(&["show", "n"]).ok();
    show.stdout_has("FE alice to carlos on 2026-11-23");
}

#[test]
fn a_planned_end_makes_product_feedback_due_in_advance() {
    let ws = Ws::new();
    ws.engagement("n", AZURE);
    ws.ft(&["milestone", "n", "end", "--planned", "2026-12-18"])
        .ok()
        .stdout_has("end (engagement end) planned for 2026-12-18");
    let items = next_json(&ws, &["--as", "alice"]);
    let fb = item(&items, "n", "product-feedback").expect("due from the plan");
    assert_eq!(fb["due"], "2026-12-18");
    assert!(
        fb["reason"]
            .as_str()
            .unwrap()
            .contains("by the planned engagement end on Fri 18 Dec"),
        "{fb}"
    );
    // The actual end replaces the plan.
    ws.ft(&["--today", "2026-12-04", "close", "n", "--force"])
        .ok();
    let items = next_json(&ws, &["--as", "alice", "--today", "2026-12-04"]);
    assert_eq!(
        item(&items, "n", "product-feedback").unwrap()["due"],
        "2026-12-04"
    );
}

#[test]
fn a_meeting_due_on_a_holiday_is_due_the_next_business_day() {
    let ws = Ws::new();
    ws.write(
        "ft.toml",
        "[calendar]\nweekend = [\"Sat\", \"Sun\"]\nholidays = [2026-11-26]\n",
    );
    ws.engagement(
        "m",
        "customer = \"M\"\nplaybook = \"m365-general-engagement\"\nservices = [\"Teams\"]\n\n[team]\nFE = \"alice\"\n\n[milestones]\nopened = 2026-11-02\nkickoff = 2026-11-19\n",
    );
    let items = next_json(&ws, &["--as", "alice", "--today", "2026-11-27"]);
    let checkpoint = item(&items, "m", "checkpoint").unwrap();
    assert_eq!(checkpoint["due"], "2026-11-27");
    assert_eq!(checkpoint["overdue"], false, "{checkpoint}");
}

#[test]
fn work_with_three_quarters_of_its_time_used_is_at_risk_and_ranked_first() {
    let ws = Ws::new();
    ws.engagement(
        "icm",
        "customer = \"X\"\nplaybook = \"mcs-escalation\"\nservices = [\"ICM\"]\n\n[fields]\nseverity = \"2\"\n\n[team]\nPE = \"priya\"\n\n[milestones]\nopened = 2026-11-23T09:00:00Z\n",
    );
    let items = next_json(&ws, &["--as", "priya", "--today", "2026-11-23T09:12:00Z"]);
    assert_eq!(items[0]["task"], "acknowledge", "{items:?}");
    assert_eq!(items[0]["at_risk"], true);
    assert!(
        items[0]["reason"]
            .as_str()
            .unwrap()
            .contains("at risk: 80% of the time used"),
        "{}",
        items[0]
    );
    let early = next_json(&ws, &["--as", "priya", "--today", "2026-11-23T09:05:00Z"]);
    assert_eq!(
        item(&early, "icm", "acknowledge").unwrap()["at_risk"],
        false
    );
    // The share is a workspace setting.
    ws.write("ft.toml", "[sla]\nat_risk = 0.5\n");
    let half = next_json(&ws, &["--as", "priya", "--today", "2026-11-23T09:08:00Z"]);
    assert_eq!(item(&half, "icm", "acknowledge").unwrap()["at_risk"], true);
    let report = ws
        .ft(&["--today", "2026-11-23T09:08:00Z", "report", "--all"])
        .ok();
    report.stdout_has("Work at risk: icm");
}

#[test]
fn an_unassigned_severity_1_is_on_the_queue_and_ranked_first_to_claim() {
    let ws = Ws::new();
    ws.engagement(
        "sev4",
        "customer = \"Old\"\nplaybook = \"mcs-escalation\"\nservices = [\"ICM\"]\nstatus = \"unassigned\"\n\n[fields]\nseverity = \"4\"\n\n[milestones]\nopened = 2026-11-18T09:00:00Z\n",
    );
    ws.engagement(
        "sev1",
        "customer = \"New\"\nplaybook = \"mcs-escalation\"\nservices = [\"ICM\"]\nstatus = \"unassigned\"\n\n[fields]\nseverity = \"1\"\n\n[milestones]\nopened = 2026-11-23T09:00:00Z\n",
    );
    ws.config("me = \"priya\"\nrole = \"PE\"\n");
    let now = "2026-11-23T09:05:00Z";
    let items = next_json(&ws, &["--today", now]);
    let ack = item(&items, "sev1", "acknowledge").expect("the queue shows it");
    assert!(
        ack["reason"]
            .as_str()
            .unwrap()
            .starts_with("unassigned: claim with `ft assign sev1`"),
        "{ack}"
    );
    let listing = ws.ft(&["--today", now, "assign", "--format", "json"]).ok();
    let v: Value = serde_json::from_str(&listing.stdout).unwrap();
    let first = &v["candidates"][0];
    assert_eq!(first["engagement"], "sev1", "{v}");
    assert_eq!(first["severity"], "1");
    assert_eq!(first["next_task"], "acknowledge");
    let table = ws.ft(&["--today", now, "assign"]).ok();
    table.stdout_has("acknowledge Mon 23 Nov 09:15Z (severity 1)");
    // Held by someone else, or closed: not on the queue.
    ws.engagement(
        "held",
        "customer = \"H\"\nplaybook = \"mcs-escalation\"\nservices = [\"ICM\"]\nstatus = \"active\"\n\n[fields]\nseverity = \"1\"\n\n[team]\nPE = \"sam\"\n\n[milestones]\nopened = 2026-11-23T09:00:00Z\n",
    );
    ws.engagement(
        "shut",
        "customer = \"S\"\nplaybook = \"mcs-escalation\"\nservices = [\"ICM\"]\nstatus = \"closed\"\n\n[fields]\nseverity = \"1\"\n\n[milestones]\nopened = 2026-11-23T09:00:00Z\nend = 2026-11-23T09:01:00Z\n",
    );
    let items = next_json(&ws, &["--today", now]);
    assert!(item(&items, "held", "acknowledge").is_none(), "{items:?}");
    assert!(item(&items, "shut", "acknowledge").is_none(), "{items:?}");
}

#[test]
fn explain_reads_out_how_the_due_date_was_reached() {
    let ws = Ws::new();
    ws.write(
        "ft.toml",
        "[calendar]\nweekend = [\"Sat\", \"Sun\"]\nholidays = [2026-11-26]\n",
    );
    ws.engagement(
        "n",
        AZURE
            .replace("assigned = 2026-11-20", "assigned = 2026-11-25")
            .as_str(),
    );
    let r = ws.ft(&["explain", "n", "pm-intro"]).ok();
    r.stdout_has(
        "Rule 1: within 2 business days after assigned (applies to every engagement): chosen",
    );
    r.stdout_has("Clock: started at the self-assignment on Wed 25 Nov (2026-11-25)");
    r.stdout_has("Calendar: weekend days Sat, Sun");
    r.stdout_has("Holidays skipped: 2026-11-26");
    r.stdout_has("Due: Mon 30 Nov (2026-11-30)");
    let json = ws
        .ft(&["explain", "n", "pm-intro", "--format", "json"])
        .ok();
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["due"], "2026-11-30");
    assert_eq!(v["holidays"][0], "2026-11-26");
    let sev = Ws::new();
    sev.engagement(
        "icm",
        "customer = \"X\"\nplaybook = \"mcs-escalation\"\nservices = [\"ICM\"]\n\n[fields]\nseverity = \"3\"\n\n[milestones]\nopened = 2026-11-23T09:00:00Z\n",
    );
    let r = sev.ft(&["explain", "icm", "acknowledge"]).ok();
    r.stdout_has("severity is 3; the rule needs 0, 1, 2, 2.5): does not apply");
    r.stdout_has("(severity = 3 matches): chosen");
}

#[test]
fn severity_0_has_the_15_minute_acknowledgement() {
    let ws = Ws::new();
    ws.ft(&[
        "--today",
        "2026-11-23T09:00:00Z",
        "new",
        "icm-0",
        "--customer",
        "X",
        "--playbook",
        "mcs-escalation",
        "--services",
        "ICM",
        "--severity",
        "0",
    ])
    .ok();
    let r = ws
        .ft(&[
            "--today",
            "2026-11-23T09:00:00Z",
            "explain",
            "icm-0",
            "acknowledge",
        ])
        .ok();
    r.stdout_has("Due: Mon 23 Nov 09:15Z");
}

#[test]
fn show_names_the_day_an_ongoing_hold_is_expected_to_end() {
    let ws = Ws::new();
    ws.engagement("n", AZURE);
    ws.ft(&[
        "--as",
        "alice",
        "hold",
        "n",
        "--reason",
        "customer freeze",
        "--until",
        "2026-12-01",
    ])
    .ok();
    let show = ws.ft(&["show", "n"]).ok();
    show.stdout_has("Mon 23 Nov ongoing, expected back Tue 1 Dec: customer freeze (alice)");
    let json = ws.ft(&["show", "n", "--format", "json"]).ok();
    json.stdout_has("\"until\": \"2026-12-01\"");
    // Once it ended, there is no expected day to name.
    ws.ft(&["--today", "2026-11-25", "resume", "n"]).ok();
    let show = ws.ft(&["--today", "2026-11-25", "show", "n"]).ok();
    show.stdout_has("Mon 23 Nov to Wed 25 Nov: customer freeze (alice)");
    assert!(!show.stdout.contains("expected back"), "{}", show.stdout);
}

#[test]
fn explain_reads_out_a_cadence_and_never_suggests_the_word_typed() {
    let ws = Ws::demo();
    let r = ws.ft(&["explain", "contoso-teams", "checkpoint"]).ok();
    r.stdout_has("checkpoint Checkpoint meeting on remediation progress [FE] on contoso-teams\n");
    r.stdout_has("Cadence: every week, from the kickoff meeting\n");
    r.stdout_has("Held: 2 times, last Tue 17 Nov\n");
    r.stdout_has("Interval: counted from the last meeting on Tue 17 Nov\n");
    r.stdout_has("Due: Tue 24 Nov (2026-11-24)\nStatus: due tomorrow\n");
    let json = ws
        .ft(&["explain", "contoso-teams", "checkpoint", "--format", "json"])
        .ok();
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["held"], serde_json::json!(["2026-11-10", "2026-11-17"]));
    assert_eq!(v["counts_from"]["at"], "2026-11-17");
    assert_eq!(v["due"], "2026-11-24");
    // A cadence for other services says so rather than naming a due date.
    let r = ws
        .ft(&["explain", "contoso-teams", "governance-review"])
        .ok();
    r.stdout_has("Status: n/a for these services");
    assert!(!r.stdout.contains("Due:"), "{}", r.stdout);
    // A typo gets the id it resembles; an id that is not there never itself.
    let r = ws.ft(&["explain", "contoso-teams", "chekpoint"]).code(2);
    r.stderr_has("hint: did you mean `checkpoint`?");
    let r = ws.ft(&["explain", "northwind-aks", "checkpoint"]).code(2);
    r.stderr_has("has no task or cadence `checkpoint`");
    assert!(
        !r.stderr.contains("did you mean `checkpoint`"),
        "{}",
        r.stderr
    );
}

#[test]
fn explain_json_keeps_date_times_as_rfc_3339() {
    let ws = Ws::demo();
    let json = ws
        .ft(&[
            "explain",
            "litware-icm-4711",
            "mitigate",
            "--format",
            "json",
        ])
        .ok();
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["anchor"]["at"], "2026-11-22T08:30:00Z", "{}", json.stdout);
}
