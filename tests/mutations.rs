//! Tests aimed at bugs a mutation run once slipped past: each one fails, with a
//! message naming the broken rule, when that bug is put back.

mod support;

use serde_json::Value;
use support::Ws;

const AZURE: &str = "customer = \"C\"\nplaybook = \"azure-fasttrack-engineer\"\nservices = [\"AKS\"]\n\n[team]\nFE = \"alice\"\nPM = \"bob\"\n\n[milestones]\nopened = 2026-11-16\nassigned = 2026-11-16\n";

#[test]
fn reopen_removes_the_last_cadence_occurrence() {
    let ws = Ws::new();
    let text = format!(
        "{AZURE}\n[cadences]\nmonthly-checkin = [2026-11-17, 2026-11-20]  # from the calendar\n"
    );
    ws.engagement("c", &text);
    ws.ft(&["reopen", "c", "monthly-checkin"])
        .ok()
        .stdout_has("removed the 2026-11-20 occurrence");
    let after = ws.read("engagements/c.toml");
    let (state, event) = after.split_once("\n[[events]]\n").unwrap();
    assert_eq!(
        state,
        text.replace("[2026-11-17, 2026-11-20]", "[2026-11-17]"),
        "`ft reopen ID CADENCE` must remove the last occurrence from the file and nothing else"
    );
    assert_eq!(
        event, "at = 2026-11-23\nop = \"unlog\"\ncadence = \"monthly-checkin\"\non = 2026-11-20\n",
        "and record what it removed"
    );
    ws.ft(&["reopen", "c", "monthly-checkin"]).ok();
    ws.ft(&["reopen", "c", "monthly-checkin"])
        .code(2)
        .stderr_has("has no occurrence to remove");
}

#[test]
fn note_appends_to_notes_written_as_an_inline_array() {
    let ws = Ws::new();
    // Top-level keys go before the first table; the note list is written inline.
    let text = AZURE.replacen(
        "customer = \"C\"\n",
        "customer = \"C\"\nnotes = [{ on = 2026-11-17, text = \"kickoff booked\" }]  # by hand\n",
        1,
    );
    ws.engagement("c", &text);
    let note = ws.ft(&["note", "c", "workshop", "held"]);
    assert_eq!(
        note.code, 0,
        "`ft note` must accept notes written as an inline array: {}",
        note.stderr
    );
    let after = ws.read("engagements/c.toml");
    let parsed: toml::Table = toml::from_str(&after).unwrap();
    let notes = parsed["notes"].as_array().expect("notes stay a list");
    assert_eq!(
        notes.len(),
        2,
        "`ft note` must append to notes written as an inline array:\n{after}"
    );
    assert_eq!(notes[1]["text"].as_str(), Some("workshop held"), "{after}");
    assert_eq!(
        notes[1]["on"]
            .as_datetime()
            .map(ToString::to_string)
            .as_deref(),
        Some(support::TODAY),
        "{after}"
    );
    let show = ws.ft(&["show", "c", "--format", "json"]).ok();
    assert!(show.stdout.contains("workshop held"), "{}", show.stdout);
}

#[cfg(unix)]
#[test]
fn an_edit_renames_a_new_file_into_place() {
    let ws = Ws::new();
    ws.engagement("c", AZURE);
    // A second name for the same inode: an in-place write would change it too.
    let link = ws.path("linked-copy");
    std::fs::hard_link(ws.path("engagements/c.toml"), &link).unwrap();
    ws.ft(&["note", "c", "after", "the", "rename"]).ok();
    assert!(
        ws.read("engagements/c.toml").contains("after the rename"),
        "the note is saved"
    );
    assert_eq!(
        std::fs::read_to_string(&link).unwrap(),
        AZURE,
        "the save must write a temporary file and rename it, never write into the old file"
    );
    let names: Vec<String> = std::fs::read_dir(ws.path("engagements"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["c.toml"], "no temporary file is left behind");
}

const OURS_V1: &str = "id: ours\nname: Ours\nversion: \"1\"\nroles: { PE: Product Engineer }\nmilestones: [opened]\nstages:\n  - id: s\n    name: S\n    tasks:\n      - { id: ack, name: Ack, mandatory: true, role: PE }\n      - { id: fix, name: Fix, mandatory: false, role: PE }\n";

#[cfg(unix)]
fn cache_file(ws: &Ws) -> (u64, Vec<u8>) {
    use std::os::unix::fs::MetadataExt as _;
    let path = ws.path(".ft/cache");
    let meta = std::fs::metadata(&path).expect("the cache is written");
    (meta.ino(), std::fs::read(&path).unwrap())
}

/// The cache seen from outside: a second run with nothing changed leaves it
/// alone (every file was a hit), a playbook change invalidates it, and a file
/// changed without changing its size or modification time is read again.
///
/// The racy rule looks at the later of the modification and change times, and
/// the change time cannot be set into the past, so this one test waits out the
/// 2 s window twice; the unit tests in `src/engagement/cache.rs` need no wait.
#[cfg(unix)]
#[test]
fn the_cache_hits_and_sees_every_change() {
    let stamped = Ws::new();
    stamped.engagement(
        "a",
        "customer = \"Alpha\"\nplaybook = \"azure-fasttrack-engineer\"\nservices = [\"AKS\"]\n",
    );
    stamped.engagement(
        "b",
        "customer = \"Other\"\nplaybook = \"azure-fasttrack-engineer\"\nservices = [\"AKS\"]\n",
    );
    // A file with a problem is cached with its diagnostic, which must not spoil the cache.
    stamped.engagement(
        "broken",
        "customer = \"Broken\"\nplaybook = \"azure-fasttrack-engineer\"\nservices = [\"AKS\"]\n\n[tasks]\nnope = { done = 2026-11-01 }\n",
    );
    let local = Ws::new();
    local.write("playbooks/ours.yaml", OURS_V1);
    local.engagement(
        "a",
        "customer = \"A\"\nplaybook = \"ours\"\n\n[team]\nPE = \"alice\"\n\n[milestones]\nopened = 2026-11-16\n\n[tasks]\nfix = { done = 2026-11-18 }\n",
    );
    stamped.ft(&["list"]).ok().stdout_has("Alpha");
    local.ft(&["check"]).ok();

    std::thread::sleep(std::time::Duration::from_millis(2_100));

    // Settled entries are worth saving once more; after that, runs only read.
    stamped.ft(&["list"]).ok().stdout_has("Alpha");
    let saved = cache_file(&stamped);
    stamped.ft(&["list"]).ok().stdout_has("Alpha");
    assert!(
        cache_file(&stamped) == saved,
        "a run with nothing changed must take every file from the cache and not rewrite it"
    );

    // Same size, same modification time: only the change time tells.
    let path = stamped.path("engagements/a.toml");
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    let text = stamped.read("engagements/a.toml");
    std::fs::write(&path, text.replace("Alpha", "Bravo")).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    let after = std::fs::metadata(&path).unwrap();
    assert_eq!(
        (after.len(), after.modified().unwrap()),
        (text.len() as u64, mtime)
    );
    let list = stamped.ft(&["list"]).ok();
    assert!(
        list.stdout.contains("Bravo") && !list.stdout.contains("Alpha"),
        "a file changed with the same size and mtime must be read again (its ctime changed):\n{}",
        list.stdout
    );
    assert!(
        cache_file(&stamped) == saved,
        "a change still within the racy window is not saved: the entry would not be trusted"
    );
    std::thread::sleep(std::time::Duration::from_millis(2_100));
    stamped.ft(&["list"]).ok().stdout_has("Bravo");
    assert!(
        cache_file(&stamped) != saved,
        "once settled, a changed file is saved into the cache"
    );

    // The cache was written with settled entries; now the playbook changes.
    local.ft(&["check"]).ok();
    local.write(
        "playbooks/ours.yaml",
        &OURS_V1.replace(
            "      - { id: fix, name: Fix, mandatory: false, role: PE }\n",
            "",
        ),
    );
    let check = local.ft(&["check"]);
    assert_eq!(
        check.code, 1,
        "a workspace playbook change must invalidate cached engagements:\n{}",
        check.stdout
    );
    check.stdout_has("playbook `ours` has no task `fix`");
}

#[test]
fn overdue_items_rank_by_how_late_they_are() {
    let ws = Ws::new();
    // Same stage, same start: only lateness and the mandatory flag differ.
    ws.write(
        "playbooks/ours.yaml",
        "id: ours\nname: Ours\nversion: \"1\"\nroles: { PE: Product Engineer }\nmilestones: [opened]\nstages:\n  - id: s\n    name: S\n    tasks:\n      - { id: quick, name: Quick fix, mandatory: false, role: PE, due: { within: 1d, after: opened } }\n      - { id: slow, name: Slow fix, mandatory: true, role: PE, due: { within: 15d, after: opened } }\n",
    );
    ws.engagement(
        "a",
        "customer = \"A\"\nplaybook = \"ours\"\n\n[team]\nPE = \"alice\"\n\n[milestones]\nopened = 2026-11-03\n",
    );
    let next = ws.ft(&["--as", "alice", "next", "--format", "json"]).ok();
    let v: Value = serde_json::from_str(&next.stdout).unwrap();
    let items = v.as_array().unwrap();
    let order: Vec<&str> = items.iter().map(|i| i["task"].as_str().unwrap()).collect();
    assert_eq!(
        order,
        ["quick", "slow"],
        "19 days overdue (optional) must rank above 5 days overdue (mandatory): urgency counts the days late"
    );
    // 100 + 2 x 19 days late + 2 current stage + 0.1 x 20 days waited.
    assert_eq!(
        items[0]["urgency"], 142.0,
        "quick: overdue 100 + 2 per day late"
    );
    // 100 + 2 x 5 + 4 mandatory + 2 + 2.
    assert_eq!(
        items[1]["urgency"], 118.0,
        "slow: overdue 100 + 2 per day late"
    );
}

fn incident(ws: &Ws, id: &str, opened: &str, mitigated: &str) {
    ws.engagement(
        id,
        &format!("customer = \"{id}\"\nplaybook = \"mcs-escalation\"\nservices = [\"ICM\"]\n\n[fields]\nseverity = \"1\"\n\n[team]\nPE = \"alice\"\n\n[milestones]\nopened = {opened}\n\n[tasks]\nmitigate = {{ done = {mitigated} }}\n"),
    );
}

#[test]
fn ttm_median_uses_exact_instants_for_day_slas() {
    let ws = Ws::new();
    // TTM is `1d after opened`; opened and mitigated are date-times.
    incident(&ws, "i1", "2026-11-22T18:00:00Z", "2026-11-23T00:00:00Z"); // 0.25 d (whole dates: 1)
    incident(&ws, "i2", "2026-11-20T09:00:00Z", "2026-11-21T21:00:00Z"); // 1.5 d (whole dates: 1)
    incident(&ws, "i3", "2026-11-18T09:00:00Z", "2026-11-20T21:00:00Z"); // 2.5 d (whole dates: 2)
    let r = ws.ft(&["report", "--all", "--format", "json"]).ok();
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let ttm = v["summary"]["sla"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["task"] == "mitigate")
        .expect("a TTM line")
        .clone();
    assert_eq!(ttm["unit"], "days");
    assert_eq!(
        ttm["median"], 1.5,
        "the TTM median must be taken over exact instants (0.25, 1.5, 2.5 days), not whole dates"
    );
    assert_eq!(
        (ttm["on_time"].as_u64(), ttm["late"].as_u64()),
        (Some(1), Some(2))
    );
    ws.ft(&["report", "--all"]).ok().stdout_has("1.5 days");
}
