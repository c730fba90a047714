//! The workspace, engagement files and the editing commands, through the real binary.

mod support;

use support::{TODAY, Ws, command};

#[test]
fn init_creates_a_workspace_and_refuses_to_overwrite() {
    let ws = Ws::new();
    assert!(
        ws.read("ft.toml")
            .contains("[calendar]\nweekend = [\"Sat\", \"Sun\"]")
    );
    assert!(ws.path("engagements").is_dir());
    assert!(ws.path("playbooks").is_dir());
    let again = ws.ft_in(ws.home(), &["init", "ws"]).code(2);
    again.stderr_has("already a workspace");
}

#[test]
fn demo_workspace_is_valid_and_matches_the_shipped_example() {
    let ws = Ws::demo();
    let check = ws.ft(&["check"]).ok();
    check.stdout_has(
        "checked 8 engagement files (8 usable) and 0 local playbooks: 0 errors, 0 warnings",
    );
    let example =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/team/engagements");
    let mut names: Vec<_> = std::fs::read_dir(&example)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names.len(), 8);
    for name in names {
        let name = name.to_str().unwrap();
        let shipped = std::fs::read_to_string(example.join(name)).unwrap();
        assert_eq!(
            ws.read(&format!("engagements/{name}")),
            shipped,
            "examples/team/engagements/{name} is `ft init --demo --today {TODAY}`"
        );
    }
    let list = ws.ft(&["list", "--format", "json"]).ok();
    let rows: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    let playbooks: std::collections::BTreeSet<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["playbook"].as_str().unwrap())
        .collect();
    assert_eq!(
        playbooks.len(),
        3,
        "the demo covers the three built-in playbooks"
    );
}

#[test]
fn workspace_is_found_from_flag_env_ancestor_and_config() {
    let ws = Ws::new();
    ws.ft(&["new", "contoso", "--customer", "Contoso"]).ok();
    let deep = ws.path("engagements");
    let from_sub = ws.ft_in(&deep, &["list", "--format", "json"]).ok();
    assert!(from_sub.stdout.contains("\"contoso\""));
    let elsewhere = ws.home().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let none = ws.ft_in(&elsewhere, &["list"]).code(2);
    none.stderr_has("no workspace");
    none.stderr_has("hint: create one with `ft init`");
    let root = ws.root.to_str().unwrap();
    ws.ft_in(&elsewhere, &["-w", root, "list"]).ok();
    let out = command(ws.home())
        .current_dir(&elsewhere)
        .env("FT_WORKSPACE", root)
        .args(["list"])
        .output()
        .unwrap();
    assert!(out.status.success());
    ws.config(&format!("me = \"alice\"\nworkspace = \"{root}\"\n"));
    ws.ft_in(&elsewhere, &["list"]).ok();
}

#[test]
fn new_show_and_json() {
    let ws = Ws::new();
    ws.ft(&[
        "new",
        "icm-1",
        "--customer",
        "Litware",
        "--playbook",
        "mcs-escalation",
        "--services",
        "ICM",
        "--severity",
        "2",
        "--opened",
        "2026-11-23T09:00:00Z",
    ])
    .ok();
    assert_eq!(
        ws.read("engagements/icm-1.toml"),
        "# Litware\nid = \"icm-1\"\ncustomer = \"Litware\"\nplaybook = \"mcs-escalation\"\nservices = [\"ICM\"]\nstatus = \"unassigned\"\n\n[fields]\nseverity = \"2\"\n\n[milestones]\nopened = 2026-11-23T09:00:00Z\n"
    );
    let show = ws.ft(&["show", "icm-1", "--format", "json"]).ok();
    let v: serde_json::Value = serde_json::from_str(&show.stdout).unwrap();
    assert_eq!(v["playbook"], "mcs-escalation");
    assert_eq!(v["fields"]["severity"], "2");
    assert_eq!(v["stages"][0]["tasks"][0]["id"], "acknowledge");
    assert_eq!(v["stages"][0]["tasks"][0]["due"], "2026-11-23T09:15:00Z");
    let bad_sev = ws
        .ft(&[
            "new",
            "icm-2",
            "--customer",
            "X",
            "--playbook",
            "mcs-escalation",
            "--severity",
            "9",
        ])
        .code(2);
    bad_sev.stderr_has("`9` is not a value of `severity` (allowed: 0, 1, 2, 2.5, 3, 4)");
    let dup = ws.ft(&["new", "icm-1", "--customer", "Again"]).code(2);
    assert!(dup.stderr.contains("already exists"));
    let typo = ws
        .ft(&["new", "x", "--customer", "X", "--playbook", "mcs-escalaton"])
        .code(2);
    typo.stderr_has("hint: did you mean `mcs-escalation`?");
}

#[test]
fn ids_that_are_not_plain_names_are_refused_before_any_path_is_built() {
    let ws = Ws::new();
    for bad in ["../escape", "a/b", "", ".hidden", "a b"] {
        let r = ws.ft(&["new", bad, "--customer", "X"]).code(2);
        assert!(r.stderr.contains("error: "), "{bad}: {}", r.stderr);
        let r = ws.ft(&["note", bad, "hello"]).code(2);
        assert!(r.stderr.contains("id"), "{bad}: {}", r.stderr);
    }
    assert!(!ws.home().join("escape.toml").exists());
    assert_eq!(
        std::fs::read_dir(ws.path("engagements")).unwrap().count(),
        0
    );
}

/// A hand-written file with comments, odd spacing, inline tables and unknown keys.
const HAND: &str = r#"# Contoso — written by hand
id = "contoso"
customer   =   "Contoso"     # legal name pending
playbook = "azure-fasttrack-engineer"
services = ["AKS"]
status = "active"
crm_id = "CRM-0042"          # not an ft key; must survive

[team]
FE = { person = "alice", since = 2026-11-20 }  # self-assigned Friday
PM = "bob"

[milestones]
opened = 2026-11-16
assigned = 2026-11-20   # Friday

[tasks]
# the PM sent it on Tuesday
pm-intro = { done = 2026-11-24, note = "sent by bob" }

[custom]
anything = { goes = true }
"#;

#[test]
fn every_editing_command_keeps_what_a_person_wrote() {
    let ws = Ws::new();
    ws.engagement("contoso", HAND);
    let run = |args: &[&str]| {
        ws.ft_env(args, &[("FT_TODAY", "2026-11-27"), ("FT_USER", "alice")])
            .ok()
    };
    run(&["done", "contoso", "customer-contact", "--on", "2026-11-25"]);
    run(&["done", "contoso", "monthly-checkin", "--on", "2026-11-26"]);
    run(&[
        "skip",
        "contoso",
        "engagement-plan",
        "--reason",
        "plan agreed in kickoff",
        "--force",
    ]);
    run(&["reopen", "contoso", "engagement-plan"]);
    run(&["milestone", "contoso", "assigned", "--on", "2026-11-19"]);
    run(&[
        "dibs",
        "contoso",
        "--intent",
        "Run AKS in production",
        "--date",
        "2027-03-01",
    ]);
    run(&["set", "contoso", "customer", "Contoso Ltd"]);
    run(&["set", "contoso", "services", "AKS,Networking"]);
    run(&["note", "contoso", "Discovery", "booked"]);
    run(&["blocker", "contoso", "Waiting for subscription access"]);
    run(&["blocker", "contoso", "--resolve", "1"]);
    run(&["health", "contoso", "yellow", "--note", "slow start"]);
    run(&["close", "contoso", "--on", "2026-11-27", "--force"]);
    let expected = r#"# Contoso — written by hand
id = "contoso"
customer   =   "Contoso Ltd"     # legal name pending
playbook = "azure-fasttrack-engineer"
services = ["AKS", "Networking"]
status = "closed"
crm_id = "CRM-0042"          # not an ft key; must survive

[team]
FE = { person = "alice", since = 2026-11-20 }  # self-assigned Friday
PM = "bob"

[milestones]
opened = 2026-11-16
assigned = 2026-11-19   # Friday
end = 2026-11-27

[tasks]
# the PM sent it on Tuesday
pm-intro = { done = 2026-11-24, note = "sent by bob" }
customer-contact = { done = 2026-11-25 }

[custom]
anything = { goes = true }

[cadences]
monthly-checkin = [2026-11-26]

[dibs]
date = 2027-03-01
intent = "Run AKS in production"

[[notes]]
on = 2026-11-27
by = "alice"
text = "Discovery booked"

[[blockers]]
opened = 2026-11-27
text = "Waiting for subscription access"
by = "alice"
resolved = 2026-11-27

[[health]]
on = 2026-11-27
status = "yellow"
note = "slow start"
"#;
    // Each change is recorded last in the file, with who made it, when, and what it replaced.
    let events = [
        r#"op = "done"
task = "customer-contact"
on = 2026-11-25"#,
        r#"op = "log"
cadence = "monthly-checkin"
on = 2026-11-26"#,
        r#"op = "skip"
task = "engagement-plan"
on = 2026-11-27
reason = "plan agreed in kickoff"
forced = true"#,
        r#"op = "reopen"
task = "engagement-plan"
was = { skipped = 2026-11-27, reason = "plan agreed in kickoff", forced = true }"#,
        r#"op = "milestone"
milestone = "assigned"
on = 2026-11-19
was = 2026-11-20"#,
        r#"op = "dibs"
field = "date"
value = 2027-03-01"#,
        r#"op = "dibs"
field = "intent"
value = "Run AKS in production""#,
        r#"op = "set"
key = "customer"
value = "Contoso Ltd"
was = "Contoso""#,
        r#"op = "set"
key = "services"
value = ["AKS", "Networking"]
was = ["AKS"]"#,
        r#"op = "note"
on = 2026-11-27
text = "Discovery booked""#,
        r#"op = "blocker"
opened = 2026-11-27
text = "Waiting for subscription access""#,
        r#"op = "resolve"
blocker = "Waiting for subscription access"
on = 2026-11-27"#,
        r#"op = "health"
on = 2026-11-27
status = "yellow""#,
        r#"op = "close"
on = 2026-11-27
was = "active""#,
    ];
    let mut expected = expected.to_string();
    for e in events {
        expected.push_str(&format!(
            "\n[[events]]\nat = 2026-11-27\nby = \"alice\"\n{e}\n"
        ));
    }
    assert_eq!(ws.read("engagements/contoso.toml"), expected);
    ws.ft(&["check"]).ok();
}

#[test]
fn done_refuses_unknown_tasks_with_a_suggestion_and_writes_nothing() {
    let ws = Ws::new();
    ws.engagement("contoso", HAND);
    let r = ws
        .ft(&["done", "contoso", "customer-contact", "pm-intr"])
        .code(2);
    r.stderr_has("no task or cadence `pm-intr`");
    r.stderr_has("hint: did you mean `pm-intro`?");
    assert_eq!(
        ws.read("engagements/contoso.toml"),
        HAND,
        "nothing written when one id is bad"
    );
    let r = ws.ft(&["done", "contoso", "pm-intro"]).code(2);
    r.stderr_has("already done");
    let r = ws
        .ft(&["done", "contoso", "customer-contact", "--on", "2026-11-01"])
        .code(2);
    r.stderr_has("before `contoso` opened");
    let r = ws
        .ft(&["done", "contoso", "customer-contact", "--on", "2026-12-01"])
        .code(2);
    r.stderr_has("in the future");
    assert_eq!(ws.read("engagements/contoso.toml"), HAND);
}

#[test]
fn skipping_a_mandatory_task_needs_force_and_is_reported() {
    let ws = Ws::new();
    ws.ft(&["new", "c", "--customer", "C"]).ok();
    let r = ws.ft(&["skip", "c", "3616", "--reason", "n/a"]).code(2);
    r.stderr_has("mandatory");
    ws.ft(&["skip", "c", "983", "--reason", "no partner"]).ok();
    ws.ft(&[
        "skip",
        "c",
        "3616",
        "--reason",
        "done by the account team",
        "--force",
    ])
    .ok();
    let text = ws.read("engagements/c.toml");
    assert!(
        text.contains(
            "3616 = { skipped = 2026-11-23, reason = \"done by the account team\", forced = true }"
        ),
        "{text}"
    );
    let show = ws.ft(&["show", "c"]).ok();
    assert!(
        show.stdout
            .contains("skipped (mandatory, forced): done by the account team"),
        "{}",
        show.stdout
    );
    let report = ws.ft(&["report", "--all"]).ok();
    report.stdout_has("Mandatory tasks skipped with --force: c");
    // Hand-edited: a mandatory skip without `forced` is a check error.
    ws.engagement("c", &text.replace(", forced = true", ""));
    let check = ws.ft(&["check"]).code(1);
    assert!(
        check
            .stdout
            .contains("engagements/c.toml:13:8: error[skipped-mandatory]"),
        "{}",
        check.stdout
    );
}

#[test]
fn conflict_markers_are_refused_and_nothing_is_written() {
    let ws = Ws::new();
    let text = "id = \"c\"\ncustomer = \"C\"\nplaybook = \"m365-general-engagement\"\n<<<<<<< HEAD\nstatus = \"active\"\n=======\nstatus = \"on-hold\"\n>>>>>>> theirs\n";
    ws.engagement("c", text);
    let r = ws.ft(&["note", "c", "hello"]).code(2);
    assert!(
        r.stderr
            .contains("engagements/c.toml:4:1: the file contains git conflict markers"),
        "{}",
        r.stderr
    );
    assert_eq!(ws.read("engagements/c.toml"), text);
    let check = ws.ft(&["check"]).code(1);
    check.stdout_has("error[conflict]");
}

#[test]
fn check_reports_every_problem_with_position_and_other_commands_skip_broken_files() {
    let ws = Ws::new();
    ws.ft(&["new", "good", "--customer", "Good"]).ok();
    ws.engagement("typo", "customer = \"T\"\nplaybook = \"m365-general-engagement\"\n\n[tasks]\n3661 = { done = 2026-11-02 }\n\n[milestones]\nopened = 2026-11-05\nkickof = 2026-11-06\n");
    ws.engagement("dates", "customer = \"D\"\nplaybook = \"m365-general-engagement\"\n\n[milestones]\nopened = 2026-11-10\n\n[tasks]\n3616 = { done = 2026-11-01 }\n");
    ws.engagement("feb30", "customer = \"F\"\nplaybook = \"m365-general-engagement\"\n\n[milestones]\nopened = 2026-02-30\n");
    ws.engagement("broken", "customer = \"B\nplaybook = 1\n");
    ws.engagement("nobook", "customer = \"N\"\nplaybook = \"m356-general\"\n");
    let check = ws.ft(&["check"]).code(1);
    let out = &check.stdout;
    for want in [
        "engagements/typo.toml:5:1: error[unknown-task]: playbook `m365-general-engagement` has no task `3661`\n  hint: did you mean `3616`?",
        "engagements/typo.toml:9:1: error[unknown-milestone]",
        "engagements/dates.toml:8:8: error[done-before-opened]",
        "engagements/feb30.toml:5:10: error[date]: `2026-02-30` is not a date: invalid date",
        "engagements/broken.toml:1:14: error[toml]",
        "engagements/nobook.toml:2:12: error[unknown-playbook]: no playbook `m356-general`",
    ] {
        assert!(out.contains(want), "missing `{want}` in:\n{out}");
    }
    assert!(
        out.contains("checked 6 engagement files (3 usable)"),
        "{out}"
    );
    let list = ws.ft(&["list"]).ok();
    assert!(list.stdout.contains("good"));
    assert!(
        list.stderr
            .contains("warning: skipping engagements/broken.toml:1:14"),
        "{}",
        list.stderr
    );
    assert!(list.stderr.contains("run `ft check`"));
}

#[test]
fn playbooks_list_show_check_and_local_override() {
    let ws = Ws::new();
    let list = ws.ft(&["playbook", "list"]).ok();
    for id in [
        "m365-general-engagement",
        "azure-fasttrack-engineer",
        "mcs-escalation",
    ] {
        list.stdout_has(id);
    }
    let show = ws
        .ft(&[
            "playbook",
            "show",
            "azure-fasttrack-engineer",
            "--format",
            "json",
        ])
        .ok();
    let v: serde_json::Value = serde_json::from_str(&show.stdout).unwrap();
    assert_eq!(v["roles"]["FE"], "FastTrack Engineer");
    let task = &v["stages"][0]["tasks"][0];
    assert_eq!(task["id"], "pm-intro");
    assert_eq!(task["role"], "FastTrack Program Manager");
    assert_eq!(task["services"], serde_json::json!(["All Services"]));
    assert_eq!(
        task["due"],
        serde_json::json!([{"within": "2bd", "after": "assigned"}])
    );
    assert_eq!(v["cadences"][0]["every"], "1mo");
    let local = "id: mcs-escalation\nname: Our escalations\nversion: \"1\"\nroles: { PE: Product Engineer }\nmilestones: [opened]\nstages:\n  - id: s\n    name: S\n    tasks:\n      - { id: ack, name: Ack, mandatory: true, role: PE, due: { within: 30m, after: opened } }\n";
    ws.write("playbooks/ours.yaml", local);
    let list = ws.ft(&["playbook", "list"]).ok();
    assert!(
        list.stdout
            .contains("playbooks/ours.yaml (overrides built-in)"),
        "{}",
        list.stdout
    );
    let check = ws.ft(&["playbook", "check", "playbooks/ours.yaml"]).ok();
    assert!(
        check
            .stdout
            .contains("ok: playbook `mcs-escalation`, 1 stages, 1 tasks"),
        "{}",
        check.stdout
    );
    ws.write(
        "playbooks/bad.yaml",
        &local
            .replace("id: mcs-escalation", "id: bad")
            .replace("role: PE", "role: PX"),
    );
    let bad = ws.ft(&["playbook", "check", "playbooks/bad.yaml"]).code(1);
    bad.stdout_has("playbooks/bad.yaml:10:");
    bad.stdout_has("role `PX` is not declared");
    let ws_check = ws.ft(&["check"]).code(1);
    ws_check.stdout_has("playbooks/bad.yaml:10:");
    // A broken local playbook does not stop other commands.
    let l = ws.ft(&["list"]).ok();
    l.stderr_has("warning: skipping playbooks/bad.yaml");
}

#[test]
fn dibs_show_and_set() {
    let ws = Ws::new();
    ws.ft(&["new", "c", "--customer", "C"]).ok();
    ws.ft(&[
        "dibs",
        "c",
        "--intent",
        "Adopt Teams",
        "--success-owner",
        "Jo, CIO",
    ])
    .ok();
    let r = ws.ft(&["dibs", "c", "--format", "json"]).ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["missing"], serde_json::json!(["date", "business_reason"]));
    assert_eq!(v["success_owner"], "Jo, CIO");
}

#[test]
fn set_validates_keys_and_values() {
    let ws = Ws::new();
    ws.ft(&["new", "c", "--customer", "C"]).ok();
    ws.ft(&["set", "c", "seats", "800"]).ok();
    ws.ft(&["set", "c", "ssat.training", "yes"]).ok();
    ws.ft(&["set", "c", "team.FTA", "erin"]).ok();
    let text = ws.read("engagements/c.toml");
    assert!(text.contains("seats = 800\n"), "{text}");
    assert!(text.contains("[ssat]\ntraining = true\n"), "{text}");
    assert!(
        text.contains("[team]\nFTA = { person = \"erin\", since = 2026-11-23 }\n"),
        "{text}"
    );
    let r = ws.ft(&["set", "c", "seats", "many"]).code(2);
    r.stderr_has("seats must be a whole number");
    let r = ws.ft(&["set", "c", "stauts", "active"]).code(2);
    r.stderr_has("did you mean `status`?");
    let r = ws.ft(&["set", "c", "status", "done"]).code(2);
    r.stderr_has("not a status");
    assert_eq!(ws.read("engagements/c.toml"), text);
}

#[test]
fn concurrent_updates_are_never_lost() {
    let ws = Ws::new();
    ws.ft(&["new", "c", "--customer", "C"]).ok();
    let children: Vec<_> = (0..12)
        .map(|i| {
            command(ws.home())
                .current_dir(&ws.root)
                .args(["note", "c", &format!("note number {i}")])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let text = ws.read("engagements/c.toml");
    for i in 0..12 {
        assert!(
            text.contains(&format!("text = \"note number {i}\"")),
            "note {i} lost:\n{text}"
        );
    }
    assert_eq!(text.matches("[[notes]]").count(), 12);
    assert!(
        ws.read(".ft/.gitignore").ends_with("*\n"),
        "the lock directory ignores itself"
    );
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let ws = Ws::demo();
    let plain = ws.ft(&["list"]).ok();
    assert!(!plain.stdout.contains('\x1b'));
    let mut cmd = command(ws.home());
    cmd.current_dir(&ws.root)
        .env_remove("NO_COLOR")
        .args(["--color", "always", "list"]);
    let colored = String::from_utf8(cmd.output().unwrap().stdout).unwrap();
    assert!(colored.contains('\x1b'), "{colored}");
    let forced_but_no_color = ws.ft(&["--color", "always", "list"]).ok();
    assert!(!forced_but_no_color.stdout.contains('\x1b'));
}

/// Each script calls `ft` back with `FT_COMPLETE` set to its shell, and
/// that call completes commands (values are tested in tests/help.rs).
#[test]
fn completions_for_each_shell() {
    let ws = Ws::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let r = ws.ft(&["completions", shell]).ok();
        assert!(r.stdout.contains("FT_COMPLETE"), "{shell}: {}", r.stdout);
        let back = ws
            .ft_env(
                &["--", "ft", "pl"],
                &[("FT_COMPLETE", shell), ("_CLAP_COMPLETE_INDEX", "1")],
            )
            .ok();
        assert!(
            back.stdout.starts_with("playbook"),
            "{shell}: {}",
            back.stdout
        );
    }
}

#[test]
fn closed_pipe_is_not_an_error() {
    let ws = Ws::demo();
    // Many engagements, so the report is far bigger than a pipe's buffer and
    // ft is still writing when the reader goes away.
    let dir = ws.path("engagements");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let id = path.file_stem().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        for i in 0..60 {
            let copy = text.replace(&format!("id = \"{id}\""), &format!("id = \"{id}-{i}\""));
            std::fs::write(dir.join(format!("{id}-{i}.toml")), copy).unwrap();
        }
    }
    let args = ["report", "--all", "--format", "json"];
    let whole = ws.ft(&args).ok();
    assert!(
        whole.stdout.len() > 256 * 1024,
        "the output ({} bytes) must not fit in a pipe buffer",
        whole.stdout.len()
    );
    let mut child = command(ws.home())
        .current_dir(&ws.root)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    assert_eq!(&first, b"{");
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "a reader closing the pipe early is not an error: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "nothing on stderr when the reader closes the pipe early"
    );
}
