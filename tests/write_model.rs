//! The write model through the real binary: every change recorded, invalid
//! results refused, no-op changes said so, roles stored under their alias,
//! and one team writer for `ft assign` and `ft set team.ROLE`.

mod support;

use support::Ws;

const AZURE: &str = "\
customer = \"Northwind\"
playbook = \"azure-fasttrack-engineer\"
services = [\"AKS\"]
status = \"unassigned\"

[team]
PM = \"bob\"

[milestones]
opened = 2026-11-13
";

#[test]
fn a_change_that_would_make_the_file_invalid_is_refused_and_nothing_is_written() {
    let ws = Ws::new();
    ws.ft(&["new", "c", "--customer", "C", "--opened", "2026-11-02"])
        .ok();
    ws.ft(&["--as", "dana", "done", "c", "994", "--on", "2026-11-20"])
        .ok();
    let before = ws.read("engagements/c.toml");
    // Task 994 does not exist in the Azure playbook: the new file would not load.
    let r = ws
        .ft(&["set", "c", "playbook", "azure-fasttrack-engineer"])
        .code(2);
    r.stderr_has("refused: the change would leave");
    r.stderr_has("no task `994`");
    r.stderr_has("nothing was written");
    assert_eq!(ws.read("engagements/c.toml"), before, "file untouched");
    ws.ft(&["check"]).ok();
}

#[test]
fn a_change_that_changes_nothing_says_so_and_writes_nothing() {
    let ws = Ws::new();
    ws.engagement("n", AZURE);
    ws.ft(&["set", "n", "seats", "250"]).ok();
    let before = ws.read("engagements/n.toml");
    let r = ws.ft(&["set", "n", "seats", "250"]).ok();
    r.stdout_has("n (Northwind): seats = 250 (already so: nothing changed)");
    assert_eq!(ws.read("engagements/n.toml"), before);
    assert_eq!(
        before.matches("[[events]]").count(),
        1,
        "one event, for the change that changed something: {before}"
    );
}

#[test]
fn every_change_names_who_made_it_and_when() {
    let ws = Ws::new();
    ws.engagement("n", AZURE);
    ws.ft(&[
        "--as",
        "alice",
        "--today",
        "2026-11-23T09:30:00Z",
        "note",
        "n",
        "hello",
    ])
    .ok();
    let text = ws.read("engagements/n.toml");
    assert!(
        text.ends_with(
            "[[events]]\nat = 2026-11-23T09:30:00Z\nby = \"alice\"\nop = \"note\"\non = 2026-11-23\ntext = \"hello\"\n"
        ),
        "{text}"
    );
    // The record is read back: ft check accepts it and a changed file still loads.
    ws.ft(&["check"]).ok();
    ws.ft(&["show", "n"]).ok();
}

#[test]
fn a_full_role_name_written_by_hand_is_found_and_normalised() {
    let ws = Ws::new();
    ws.engagement(
        "m",
        "customer = \"M\"\nplaybook = \"m365-general-engagement\"\n\n[team]\n\"FastTrack Manager\" = \"dana\"   # by hand\n\n[milestones]\nopened = 2026-11-02\n",
    );
    let r = ws
        .ft(&["--as", "dana", "unassign", "m", "--role", "FM"])
        .ok();
    r.stdout_has("unassign m FM from dana");
    let text = ws.read("engagements/m.toml");
    let (state, events) = text.split_once("[[events]]").unwrap();
    assert!(!state.contains("dana"), "the role is gone: {text}");
    assert!(events.contains("person = \"dana\""), "and recorded: {text}");
    // A claim with --force over a full name replaces it instead of adding a second key.
    ws.engagement(
        "m2",
        "customer = \"M\"\nplaybook = \"m365-general-engagement\"\n\n[team]\n\"FastTrack Manager\" = \"dana\"   # by hand\n\n[milestones]\nopened = 2026-11-02\n",
    );
    ws.ft(&["--as", "erin", "assign", "m2", "--role", "FM", "--force"])
        .ok();
    let text = ws.read("engagements/m2.toml");
    assert!(
        text.contains("[team]\nFM = { person = \"erin\", since = 2026-11-23 }   # by hand\n"),
        "one FM key, under its alias, comment kept: {text}"
    );
    assert!(!text.contains("FastTrack Manager"), "{text}");
    assert!(
        text.contains("from = \"dana\""),
        "the handover is recorded: {text}"
    );
}

#[test]
fn set_team_role_is_the_same_claim_as_assign() {
    let ws = Ws::new();
    ws.engagement("n", AZURE);
    ws.ft(&["set", "n", "team.FE", "alice"]).ok();
    let text = ws.read("engagements/n.toml");
    assert!(
        text.contains("assigned = 2026-11-23"),
        "the clock starts: {text}"
    );
    assert!(text.contains("status = \"active\""), "{text}");
    let bob = ws.ft(&["--as", "bob", "next"]).ok();
    bob.stdout_has("pm-intro");
}

#[test]
fn a_handover_keeps_the_clock_running() {
    let ws = Ws::new();
    ws.engagement("n", AZURE);
    ws.ft(&[
        "--as",
        "alice",
        "--today",
        "2026-11-16",
        "assign",
        "n",
        "--role",
        "FE",
    ])
    .ok();
    ws.ft(&["--as", "carlos", "assign", "n", "--role", "FE", "--force"])
        .ok();
    let text = ws.read("engagements/n.toml");
    assert!(
        text.contains("assigned = 2026-11-16"),
        "the claim's date stays: {text}"
    );
    let bob = ws.ft(&["--as", "bob", "next"]).ok();
    // Due Wed 18 Nov, two business days after the claim; Thu, Fri and Mon have passed.
    bob.stdout_has("3 business days overdue");
}

#[test]
fn years_beyond_what_a_file_can_hold_are_refused_with_exit_2() {
    let ws = Ws::new();
    ws.engagement("n", AZURE);
    let before = ws.read("engagements/n.toml");
    let r = ws.ft(&["dibs", "n", "--date", "+10000-01-01"]).code(2);
    r.stderr_has("outside the years 0000-9999");
    let r = ws.ft(&["health", "n", "green", "--on=-0001-01-01"]).code(2);
    r.stderr_has("outside the years 0000-9999");
    let r = ws.ft_env(&["next", "--as", "bob"], &[("FT_TODAY", "+10000-01-01")]);
    let r = r.code(2);
    r.stderr_has("outside the years 0000-9999");
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert_eq!(ws.read("engagements/n.toml"), before);
}

#[test]
fn work_due_friday_and_done_saturday_is_one_day_late_not_zero() {
    let ws = Ws::new();
    ws.engagement("n", AZURE);
    // Claimed Wednesday 25 Nov: the PM introduction is due Friday 27 Nov.
    ws.ft(&[
        "--as",
        "alice",
        "--today",
        "2026-11-25",
        "assign",
        "n",
        "--role",
        "FE",
    ])
    .ok();
    let r = ws
        .ft(&[
            "--as",
            "bob",
            "--today",
            "2026-11-28",
            "done",
            "n",
            "pm-intro",
        ])
        .ok();
    r.stdout_has("1 day late (due 2026-11-27)");
    assert!(!r.stdout.contains("0 business days"), "{}", r.stdout);
}

#[test]
fn a_hostile_customer_name_stays_inside_the_header_comment() {
    let ws = Ws::new();
    let r = ws
        .ft(&[
            "new",
            "h",
            "--customer",
            "Evil\r\nplaybook = \"x\"\u{1b}[2J",
        ])
        .ok();
    assert!(
        !r.stdout.contains('\u{1b}') && !r.stdout.contains('\r'),
        "the confirmation shows the name harmlessly: {:?}",
        r.stdout
    );
    let text = ws.read("engagements/h.toml");
    let header = text.lines().next().unwrap();
    assert!(header.starts_with("# Evil"), "{text}");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\r'),
        "no raw control characters: {text:?}"
    );
    let list = ws.ft(&["list", "--format", "json"]).ok();
    assert!(
        list.stdout
            .contains("\"Evil\\r\\nplaybook = \\\"x\\\"\\u001b[2J\""),
        "the name is kept exactly, as a value: {}",
        list.stdout
    );
    ws.ft(&["check"]).ok();
}

#[test]
fn check_warns_about_an_event_without_at_or_op_and_the_engagement_still_works() {
    let ws = Ws::new();
    ws.engagement(
        "n",
        &format!("{AZURE}\n[[events]]\nby = \"alice\"\nop = \"done\"\n"),
    );
    let r = ws.ft(&["check"]).ok();
    r.stdout_has("warning[event]: an event needs `at`");
    ws.ft(&["note", "n", "still", "usable"]).ok();
}

#[test]
fn the_same_note_health_or_blocker_again_changes_nothing() {
    let ws = Ws::new();
    ws.engagement("n", AZURE);
    ws.ft(&["--as", "alice", "note", "n", "hello"]).ok();
    ws.ft(&["--as", "alice", "health", "n", "green"]).ok();
    ws.ft(&["--as", "alice", "blocker", "n", "waiting"]).ok();
    let before = ws.read("engagements/n.toml");
    ws.ft(&["--as", "alice", "note", "n", "hello"])
        .ok()
        .stdout_has("already so: nothing changed");
    ws.ft(&["--as", "alice", "health", "n", "green"]).ok();
    ws.ft(&["--as", "alice", "blocker", "n", "waiting"]).ok();
    assert_eq!(ws.read("engagements/n.toml"), before);
}
