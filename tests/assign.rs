//! `ft assign` and `ft unassign` in a plain (non-git) workspace.

mod support;

use serde_json::Value;
use support::Ws;

fn workspace() -> Ws {
    let ws = Ws::new();
    let eng = |id: &str, services: &str, opened: &str| {
        ws.engagement(
            id,
            &format!("customer = \"{id}\"\nplaybook = \"azure-fasttrack-engineer\"\nservices = [{services}]\nstatus = \"unassigned\"\n\n[team]\nPM = \"bob\"\n\n[milestones]\nopened = {opened}\n"),
        );
    };
    eng("data-old", "\"Data\"", "2026-11-13");
    eng("data-new", "\"Data\"", "2026-11-22");
    eng("aks", "\"AKS\", \"Networking\"", "2026-11-20");
    ws.config("me = \"carlos\"\nrole = \"FE\"\ncapacity = 2\nskills = { Data = 4, AKS = 2 }\n");
    ws
}

#[test]
fn listing_ranks_by_skill_and_waiting_time_with_reasons() {
    let ws = workspace();
    let r = ws.ft(&["assign", "--format", "json"]).ok();
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["person"], "carlos");
    assert_eq!(v["load"], 0);
    assert_eq!(v["capacity"], 2);
    let order: Vec<&str> = v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["engagement"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        ["data-old", "data-new", "aks"],
        "skill first; among equals the one waiting 10 days before the one waiting 1 day"
    );
    assert_eq!(v["candidates"][0]["fit"]["waiting_days"], 10);
    assert!(
        v["candidates"][2]["reason"]
            .as_str()
            .unwrap()
            .contains("skills AKS 2/4, Networking 0/4; room for 2")
    );
    let table = ws.ft(&["assign"]).ok();
    assert!(
        table
            .stdout
            .starts_with("carlos (FE): 0 of 2 engagements: room for 2\n"),
        "{}",
        table.stdout
    );
}

#[test]
fn claiming_starts_the_clocks_and_is_refused_when_taken_or_full() {
    let ws = workspace();
    let r = ws.ft(&["assign", "data-old"]).ok();
    r.stdout_has("assign data-old FE to carlos");
    r.stdout_has("SLA clocks started: pm-intro (PM bob)");
    let text = ws.read("engagements/data-old.toml");
    assert!(text.contains("status = \"active\""), "{text}");
    assert!(
        text.contains("[team]\nPM = \"bob\"\nFE = { person = \"carlos\", since = 2026-11-23 }\n"),
        "{text}"
    );
    assert!(text.contains("assigned = 2026-11-23"), "{text}");
    // The PM introduction appears on the PM's list.
    let bob = ws.ft(&["--as", "bob", "next", "--format", "json"]).ok();
    let items: Value = serde_json::from_str(&bob.stdout).unwrap();
    let intro = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["engagement"] == "data-old" && i["task"] == "pm-intro")
        .unwrap();
    assert_eq!(intro["due"], "2026-11-25");
    // Someone else holds it.
    let r = ws.ft(&["--as", "alice", "assign", "data-old"]).code(2);
    assert!(
        r.stderr
            .contains("data-old: FE is held by carlos since 2026-11-23"),
        "{}",
        r.stderr
    );
    r.stderr_has("--force");
    // At capacity.
    ws.ft(&["assign", "aks", "--role", "FastTrack Engineer"])
        .ok();
    let r = ws.ft(&["assign", "data-new"]).code(2);
    assert!(
        r.stderr
            .contains("you carry 2 engagements, your capacity is 2"),
        "{}",
        r.stderr
    );
    let listing = ws.ft(&["assign"]).ok();
    listing.stdout_has("at capacity");
    ws.ft(&["assign", "data-new", "--force"]).ok();
    // Handover with --force is recorded.
    ws.ft(&["--as", "alice", "assign", "data-old", "--force"])
        .ok();
    let text = ws.read("engagements/data-old.toml");
    assert!(
        text.contains("FE = { person = \"alice\", since = 2026-11-23 }"),
        "{text}"
    );
    assert!(
        text.ends_with(
            "[[events]]\nat = 2026-11-23\nby = \"alice\"\nop = \"assign\"\nrole = \"FE\"\nperson = \"alice\"\nfrom = \"carlos\"\n"
        ),
        "the handover is recorded with who held the role: {text}"
    );
}

#[test]
fn unassign_gives_the_role_back_and_the_clock_keeps_running() {
    let ws = workspace();
    let before = ws.read("engagements/aks.toml");
    ws.ft(&["assign", "aks"]).ok();
    ws.ft(&["unassign", "aks"]).ok();
    let after = ws.read("engagements/aks.toml");
    let (state, events) = after.split_once("\n[[events]]\n").unwrap();
    assert_eq!(
        state,
        before.replace(
            "opened = 2026-11-20\n",
            "opened = 2026-11-20\nassigned = 2026-11-23\n"
        ),
        "the role is given back; the claim's date stays, so the PM's clock keeps running"
    );
    assert_eq!(
        events,
        "at = 2026-11-23\nby = \"carlos\"\nop = \"assign\"\nrole = \"FE\"\nperson = \"carlos\"\nsets = \"assigned\"\n\n\
         [[events]]\nat = 2026-11-23\nby = \"carlos\"\nop = \"unassign\"\nrole = \"FE\"\nperson = \"carlos\"\n",
        "both changes are in the record"
    );
    let r = ws.ft(&["unassign", "aks"]).code(2);
    r.stderr_has("nobody holds FE");
    // Claimed again by someone else: still the first claim's clock.
    ws.ft(&["--as", "alice", "--today", "2026-11-25", "assign", "aks"])
        .ok();
    assert!(
        ws.read("engagements/aks.toml")
            .contains("assigned = 2026-11-23\n")
    );
}

#[test]
fn role_comes_from_the_flag_or_the_config() {
    let ws = workspace();
    ws.config("me = \"carlos\"\n");
    let r = ws.ft(&["assign"]).code(2);
    r.stderr_has("which role do you fill?");
    ws.ft(&["assign", "--role", "FE"]).ok();
    let r = ws.ft(&["assign", "--role", "XYZ"]).code(2);
    r.stderr_has("no playbook has a role `XYZ`");
}

#[test]
fn next_points_a_person_without_a_role_at_an_assign_that_works() {
    let ws = Ws::demo();
    let r = ws.ft(&["--as", "zed", "next"]).ok();
    r.stdout_has("zed holds no role in any engagement.");
    r.stdout_has("`ft assign --role FE`");
    assert!(!r.stdout.contains("ft assign\n"), "{}", r.stdout);
    // Each command it names lists work, where `ft assign` alone would ask.
    ws.ft(&["--as", "zed", "assign"]).code(2);
    for cmd in r.stdout.split('`').skip(1).step_by(2) {
        let args: Vec<&str> = cmd.split(' ').skip(1).collect();
        let mut argv = vec!["--as", "zed"];
        argv.extend(args);
        ws.ft(&argv).ok().stdout_has("Claim one with: ft assign ");
    }
    // With a role configured, plain `ft assign` is the command.
    ws.config("role = \"FE\"\n");
    let r = ws.ft(&["--as", "zed", "next"]).ok();
    r.stdout_has("Unassigned work that fits you: ft assign\n");
    ws.ft(&["--as", "zed", "assign"]).ok();
}

#[test]
fn a_role_read_letter_by_letter_takes_its_article() {
    let ws = Ws::demo();
    let r = ws.ft(&["--as", "zed", "assign", "--role", "FM"]).ok();
    r.stdout_has("No engagement needs an FM.");
    let r = ws.ft(&["--as", "zed", "assign", "--role", "PM"]).ok();
    r.stdout_has("No engagement needs a PM.");
}
