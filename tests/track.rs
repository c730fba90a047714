//! The everyday tracker commands (issue #17): `ft config`, `ft edit`, who
//! did what in the events, `ft log`, `ft undo` and `ft cal`, through the real
//! binary.

mod support;
mod team_support;

use std::collections::BTreeMap;
use std::path::Path;

use support::Ws;
use team_support::Team;

const FAB: &str = "engagements/fabrikam-core.toml";
const CONTOSO: &str = "engagements/contoso-teams.toml";

fn bytes(ws: &Ws, rel: &str) -> Vec<u8> {
    std::fs::read(ws.path(rel)).unwrap()
}

// ---- ft config ------------------------------------------------------------

#[test]
fn config_set_creates_the_file_and_keeps_comments() {
    let ws = Ws::new();
    let file = ws.home().join("config.toml");
    ws.ft(&["config", "set", "me", "dana"]).ok();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "me = \"dana\"\n");
    std::fs::write(
        &file,
        "# mine\nme = \"dana\"   # that is me\n# what I know\nskills = [\"Teams\"]\n",
    )
    .unwrap();
    ws.ft(&["config", "set", "me", "erin"]).ok();
    ws.ft(&["config", "set", "skills.AKS", "4"]).ok();
    ws.ft(&["config", "set", "capacity", "6"]).ok();
    ws.ft(&["config", "set", "role", "FE"]).ok();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with("# mine\nme = \"erin\"   # that is me\n"),
        "{text}"
    );
    assert!(text.contains("# what I know"), "{text}");
    assert!(text.contains("Teams = 3\nAKS = 4"), "{text}");
    let show = ws.ft(&["config"]).ok().stdout;
    let file_name = file.display().to_string();
    assert!(
        show.contains(&format!("me         erin  ({file_name})")),
        "{show}"
    );
    assert!(show.contains("skills     AKS 4, Teams 3"), "{show}");
    assert!(show.contains("capacity   6"), "{show}");
    assert!(show.contains("(the nearest ft.toml upward)"), "{show}");
    let show = ws.ft(&["--as", "bob", "config"]).ok().stdout;
    assert!(show.contains("me         bob  (--as)"), "{show}");
    assert_eq!(
        ws.ft(&["config", "path"]).ok().stdout,
        format!("{file_name}\n")
    );
    ws.ft(&["config", "set", "skills.AKS", "9"])
        .code(2)
        .stderr_has("1 to 4");
    ws.ft(&["config", "set", "colour", "x"])
        .code(2)
        .stderr_has("no personal setting `colour`");
    assert!(
        std::fs::read_to_string(&file).unwrap().contains("AKS = 4"),
        "a refused value leaves the file alone"
    );
}

#[test]
fn config_set_creates_the_directory() {
    let ws = Ws::new();
    let file = ws.home().join("deep/er/config.toml");
    let r = ws.ft_env(
        &["config", "set", "workspace", "/srv/team"],
        &[("FT_CONFIG", file.to_str().unwrap())],
    );
    r.ok();
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "workspace = \"/srv/team\"\n"
    );
}

#[test]
fn config_names_a_broken_file_instead_of_stopping() {
    let ws = Ws::new();
    ws.config("me = \n");
    ws.ft(&["next"]).code(2).stderr_has("config.toml:1:");
    let r = ws.ft(&["config", "path"]).ok();
    r.stderr_has("warning: ");
    assert!(r.stdout.ends_with("config.toml\n"), "{}", r.stdout);
}

// ---- ft edit --------------------------------------------------------------

/// A shell script as the editor.
fn script(ws: &Ws, name: &str, body: &str) -> String {
    let path = ws.home().join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path.display().to_string()
}

#[test]
fn edit_saves_a_valid_change_and_it_can_be_undone() {
    let ws = Ws::demo();
    let before = bytes(&ws, FAB);
    let r = ws
        .ft_env(
            &["edit", "fabrikam-core"],
            &[("EDITOR", "sed -i s/12000/12500/")],
        )
        .ok();
    r.stdout_has("fabrikam-core: edited (1 line changed)");
    let after = ws.read(FAB);
    assert!(after.contains("seats = 12500"), "{after}");
    assert!(
        after.contains("12,000 seats"),
        "comments are the person's own"
    );
    ws.ft(&["check"]).ok();
    // VISUAL comes before EDITOR.
    ws.ft_env(
        &["edit", "fabrikam-core"],
        &[("VISUAL", "sed -i s/12500/12600/"), ("EDITOR", "false")],
    )
    .ok();
    assert!(ws.read(FAB).contains("seats = 12600"));
    ws.ft(&["undo"]).ok();
    ws.ft(&["undo"])
        .ok()
        .stdout_has("undid: fabrikam-core: edited");
    assert_eq!(bytes(&ws, FAB), before);
    assert!(
        std::fs::read_dir(ws.path(".ft/edit"))
            .unwrap()
            .next()
            .is_none(),
        "the copy is removed once saved"
    );
}

#[test]
fn edit_refuses_an_invalid_file_keeping_the_text() {
    let ws = Ws::demo();
    let before = bytes(&ws, FAB);
    let r = ws
        .ft_env(
            &["edit", "fabrikam-core"],
            &[("EDITOR", "sed -i s/^seats.*/seats=many/")],
        )
        .code(1);
    r.stderr_has("error: engagements/fabrikam-core.toml:6:");
    r.stderr_has("discarded: engagements/fabrikam-core.toml is unchanged; your text is kept in");
    assert_eq!(
        bytes(&ws, FAB),
        before,
        "the file is untouched, byte for byte"
    );
    let kept: Vec<_> = std::fs::read_dir(ws.path(".ft/edit"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(kept.len(), 1);
    assert!(
        std::fs::read_to_string(&kept[0])
            .unwrap()
            .contains("seats=many")
    );
    // An editor that fails writes nothing either.
    ws.ft_env(&["edit", "fabrikam-core"], &[("EDITOR", "false")])
        .code(2)
        .stderr_has("nothing was written");
    assert_eq!(bytes(&ws, FAB), before);
}

#[test]
fn edit_leaves_an_unchanged_file_untouched() {
    let ws = Ws::demo();
    let before = std::fs::metadata(ws.path(FAB)).unwrap().modified().unwrap();
    ws.ft_env(&["edit", "fabrikam-core"], &[("EDITOR", "true")])
        .ok()
        .stdout_has("unchanged; nothing written");
    let after = std::fs::metadata(ws.path(FAB)).unwrap().modified().unwrap();
    assert_eq!(before, after, "not even rewritten");
    ws.ft(&["undo"]).code(2).stderr_has("nothing to undo");
    ws.ft_env(&["edit", "nope"], &[("EDITOR", "true")])
        .code(2)
        .stderr_has("no engagement `nope`");
}

#[test]
fn edit_does_not_overwrite_a_change_made_while_the_editor_was_open() {
    let ws = Ws::demo();
    // Another ft changes the file while the editor is open: it gets the
    // lock at once (FT_LOCK_TIMEOUT=2 would fail it otherwise).
    let editor = script(
        &ws,
        "editor.sh",
        "\"$FT_BIN\" --as bob note fabrikam-core theirs || exit 9\nsed -i s/12000/12500/ \"$1\"",
    );
    let r = ws
        .ft_env(
            &["edit", "fabrikam-core"],
            &[
                ("EDITOR", &editor),
                ("FT_BIN", support::ft_bin()),
                ("FT_LOCK_TIMEOUT", "2"),
            ],
        )
        .code(2);
    r.stdout_has("fabrikam-core (Fabrikam");
    r.stderr_has("was changed by someone else while you were editing it; it was not overwritten");
    r.stderr_has("both are kept");
    let theirs = ws.read(FAB);
    assert!(theirs.contains("text = \"theirs\"") && theirs.contains("seats = 12000"));
    let mine: Vec<_> = std::fs::read_dir(ws.path(".ft/edit"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(mine[0].contains("seats = 12500") && !mine[0].contains("theirs"));
}

// ---- who did what ---------------------------------------------------------

/// The last event of an engagement file, as `(op, by)`.
fn last_event(ws: &Ws, id: &str) -> (String, Option<String>) {
    let text = ws.read(&format!("engagements/{id}.toml"));
    let doc: toml::Table = text.parse().unwrap();
    let events = doc["events"].as_array().expect("events recorded");
    let last = events.last().unwrap().as_table().unwrap();
    (
        last["op"].as_str().unwrap().to_string(),
        last.get("by")
            .and_then(|b| b.as_str())
            .map(ToString::to_string),
    )
}

#[test]
fn every_recorded_event_names_who_made_it() {
    let ws = Ws::demo();
    let changes: &[(&[&str], &str, &str)] = &[
        (
            &["done", "northwind-aks", "customer-contact"],
            "northwind-aks",
            "done",
        ),
        (
            &["skip", "contoso-teams", "3979", "--reason", "none"],
            "contoso-teams",
            "skip",
        ),
        (
            &["milestone", "fabrikam-core", "end", "--on", "2026-11-20"],
            "fabrikam-core",
            "milestone",
        ),
        (
            &["hold", "tailspin-data", "--reason", "freeze"],
            "tailspin-data",
            "hold",
        ),
        (
            &["health", "contoso-teams", "red"],
            "contoso-teams",
            "health",
        ),
        (
            &["dibs", "contoso-teams", "--success-owner", "Ana"],
            "contoso-teams",
            "dibs",
        ),
        (
            &["blocker", "contoso-teams", "No licences"],
            "contoso-teams",
            "blocker",
        ),
        (
            &["set", "contoso-teams", "seats", "900"],
            "contoso-teams",
            "set",
        ),
        (&["note", "contoso-teams", "hello"], "contoso-teams", "note"),
        (
            &["close", "woodgrove-ai", "--force"],
            "woodgrove-ai",
            "close",
        ),
    ];
    for (args, id, op) in changes {
        let mut all = vec!["--as", "dana"];
        all.extend_from_slice(args);
        ws.ft(&all).ok();
        assert_eq!(
            last_event(&ws, id),
            (op.to_string(), Some("dana".to_string())),
            "ft {args:?}"
        );
    }
    // Nobody known: the event has no `by`, and the file reads as before.
    ws.ft(&["health", "contoso-teams", "green"]).ok();
    assert_eq!(last_event(&ws, "contoso-teams"), ("health".into(), None));
    ws.ft(&["check"]).ok();
}

// ---- ft log ---------------------------------------------------------------

#[test]
fn log_shows_the_example_teams_history_newest_first() {
    let ws = Ws::demo();
    let out = ws.ft(&["log", "contoso-teams"]).ok().stdout;
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("2026-11-17"), "{out}");
    assert!(lines.last().unwrap().contains("milestone  opened"), "{out}");
    for want in [
        "done       994: Kickoff",
        "skipped    983",
        "assign     FE: alice",
        "alice  note",
    ] {
        assert!(out.contains(want), "lacks {want}:\n{out}");
    }
    ws.ft(&["--as", "dana", "note", "contoso-teams", "Pilot chosen"])
        .ok();
    let out = ws.ft(&["log", "contoso-teams", "--by", "dana"]).ok().stdout;
    assert_eq!(out, "2026-11-23  dana  note  Pilot chosen\n");
    let out = ws
        .ft(&["log", "--since", "2026-11-17", "--format", "json"])
        .ok()
        .stdout;
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let list = json.as_array().unwrap();
    assert!(
        list.iter()
            .all(|l| l["at"].as_str().unwrap() >= "2026-11-17")
    );
    let note = list
        .iter()
        .find(|l| l["by"] == "dana" && l["what"] == "note" && l["at"] == "2026-11-23")
        .expect("the note just recorded");
    assert_eq!(note["engagement"], "contoso-teams");
    assert_eq!(note["source"], "event");
    assert_eq!(note["detail"], "Pilot chosen");
}

#[test]
fn log_in_a_git_workspace_shows_the_commits() {
    let team = Team::new();
    team.new_engagement("tailspin");
    team.ok(&team.b, "carlos", &["note", "tailspin", "Kickoff booked"]);
    let out = team.ok(&team.b, "carlos", &["log", "tailspin"]).stdout;
    assert!(out.contains("carlos  commit"), "{out}");
    assert!(out.contains("tailspin (Tailspin): note added"), "{out}");
    assert!(
        out.contains("alice   commit") && out.contains("Created tailspin"),
        "{out}"
    );
}

/// The lines of `ft log ID` whose kind is `what`.
fn log_lines(ws: &Ws, id: &str, what: &str) -> Vec<String> {
    let out = ws.ft(&["log", id]).ok().stdout;
    out.lines()
        .filter(|l| l.split_whitespace().nth(2) == Some(what))
        .map(ToString::to_string)
        .collect()
}

#[test]
fn log_keeps_every_dated_record_once_beside_the_events() {
    let ws = Ws::demo();
    ws.ft(&[
        "--as",
        "zed",
        "health",
        "contoso-teams",
        "green",
        "--note",
        "fine",
    ])
    .ok();
    ws.ft(&["--as", "zed", "done", "contoso-teams", "checkpoint"])
        .ok();
    ws.ft(&[
        "--as",
        "zed",
        "hold",
        "contoso-teams",
        "--reason",
        "freeze",
        "--on",
        "2026-11-20",
    ])
    .ok();
    let health = log_lines(&ws, "contoso-teams", "health");
    assert_eq!(
        health,
        [
            "2026-11-23  zed    health     green: fine",
            "2026-11-17  -      health     yellow: Pilot delayed by the proxy configuration",
            "2026-11-10  -      health     green",
        ],
        "the file's older health entries stay"
    );
    let meetings = log_lines(&ws, "contoso-teams", "log");
    assert_eq!(
        meetings,
        [
            "2026-11-23  zed    log        checkpoint",
            "2026-11-17  -      log        checkpoint",
            "2026-11-10  -      log        checkpoint",
        ],
        "every meeting in `checkpoint = [...]`, once"
    );
    let holds = log_lines(&ws, "contoso-teams", "hold");
    assert_eq!(holds.len(), 1, "one hold, recorded once: {holds:?}");
    assert!(
        holds[0].contains("freeze") && holds[0].contains("zed"),
        "{holds:?}"
    );
}

#[test]
fn log_in_a_git_workspace_lists_commits_of_one_second_in_git_order() {
    let team = Team::new();
    team.new_engagement("tailspin");
    team.new_engagement("wingtip");
    let a = &team.a;
    // Three commits in the same second, across two engagement files.
    for (id, seats) in [("tailspin", "1"), ("wingtip", "2"), ("tailspin", "3")] {
        let mut cmd = team.cmd(a, "alice", &["set", id, "seats", seats]);
        cmd.env("GIT_AUTHOR_DATE", "2026-11-23T10:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-11-23T10:00:00Z");
        let r = team.run(cmd);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let commits = |args: &[&str]| -> Vec<String> {
        let out = team.ok(a, "alice", args).stdout;
        out.lines()
            .filter(|l| l.contains("seats = "))
            .map(|l| l.split("seats = ").nth(1).unwrap().to_string())
            .collect()
    };
    assert_eq!(commits(&["log", "tailspin"]), ["3", "1"], "newest first");
    assert_eq!(commits(&["log"]), ["3", "2", "1"], "as `git log` has them");
    let git = team.git(a, &["log", "-3", "--format=%s"]);
    assert!(git.starts_with("tailspin (Tailspin): seats = 3"), "{git}");
}

// ---- ft undo --------------------------------------------------------------

#[test]
fn undo_takes_back_each_kind_of_change_without_git() {
    let ws = Ws::demo();
    let changes: &[&[&str]] = &[
        &["done", "contoso-teams", "4047"],
        &["skip", "contoso-teams", "3979", "--reason", "none"],
        &["note", "contoso-teams", "a note"],
        &["set", "contoso-teams", "seats", "900"],
        &["assign", "tailspin-data", "--role", "FE", "--force"],
        &[
            "milestone",
            "contoso-teams",
            "end",
            "--planned",
            "2027-01-29",
        ],
        &["hold", "contoso-teams", "--reason", "freeze"],
        &["health", "contoso-teams", "red"],
        &["blocker", "contoso-teams", "No licences"],
        &["reopen", "contoso-teams", "994"],
    ];
    for args in changes {
        let before: BTreeMap<String, Vec<u8>> = files(&ws.root);
        let mut all = vec!["--as", "erin"];
        all.extend_from_slice(args);
        ws.ft(&all).ok();
        assert_ne!(files(&ws.root), before, "ft {args:?} changed nothing");
        ws.ft(&["undo"]).ok().stdout_has("undid: ");
        assert_eq!(files(&ws.root), before, "ft undo after ft {args:?}");
    }
    // Repeatable: two changes, two undos.
    let before = files(&ws.root);
    ws.ft(&["new", "aw", "--customer", "AW"]).ok();
    ws.ft(&["note", "aw", "first"]).ok();
    ws.ft(&["undo"])
        .ok()
        .stdout_has("undid: aw (AW): note added");
    ws.ft(&["undo"]).ok().stdout_has("undid: aw: created");
    assert_eq!(files(&ws.root), before);
}

/// Every engagement file's bytes.
fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(root.join("engagements"))
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn undo_never_undoes_a_change_made_by_hand() {
    let ws = Ws::demo();
    ws.ft(&["note", "contoso-teams", "by ft"]).ok();
    let hand = format!("{}# by hand\n", ws.read(CONTOSO));
    ws.write(CONTOSO, &hand);
    ws.ft(&["undo"])
        .code(2)
        .stderr_has("was changed after ft's last change to it");
    assert_eq!(ws.read(CONTOSO), hand);
    ws.ft(&["undo", "--dry-run"])
        .ok()
        .stdout_has("`ft undo` would refuse");
}

#[test]
fn undo_after_a_crash_between_journal_and_file_passes_over_the_lost_change() {
    let ws = Ws::demo();
    let original = bytes(&ws, CONTOSO);
    ws.ft(&["note", "contoso-teams", "first"]).ok();
    let after_first = bytes(&ws, CONTOSO);
    ws.ft(&["note", "contoso-teams", "second"]).ok();
    // The journal has the second change, the file does not: as if ft was
    // killed after writing the journal entry and before the file.
    std::fs::write(ws.path(CONTOSO), &after_first).unwrap();
    let r = ws.ft(&["undo"]).ok();
    r.stdout_has("recorded but never reached the file");
    r.stdout_has("undid: contoso-teams (Contoso Pharmaceuticals): note added");
    assert_eq!(bytes(&ws, CONTOSO), original);
}

/// Run ft in the workspace, failing the test if it runs longer than `secs`.
fn ft_within(ws: &Ws, args: &[&str], secs: u64) -> support::Run {
    let mut child = support::command(ws.home())
        .current_dir(&ws.root)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > std::time::Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("ft {args:?} still running after {secs} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let run = team_support::wait(child);
    support::hints::check(ws.home(), &ws.root, &[], args, &run);
    run
}

#[test]
fn undo_dry_run_passes_over_a_lost_change_without_looping() {
    let ws = Ws::demo();
    let original = bytes(&ws, CONTOSO);
    // Only change recorded, and it never reached the file.
    ws.ft(&["--as", "zed", "set", "contoso-teams", "seats", "901"])
        .ok();
    std::fs::write(ws.path(CONTOSO), &original).unwrap();
    let r = ft_within(&ws, &["undo", "--dry-run"], 30).ok();
    r.stdout_has("passed over \"contoso-teams (Contoso Pharmaceuticals): seats = 901\"");
    r.stdout_has("nothing to undo");
    // With an earlier change to undo, the dry run names it, as ft undo does.
    ws.ft(&["note", "contoso-teams", "kept"]).ok();
    let noted = bytes(&ws, CONTOSO);
    ws.ft(&["set", "contoso-teams", "seats", "902"]).ok();
    std::fs::write(ws.path(CONTOSO), &noted).unwrap();
    let dry = ft_within(&ws, &["undo", "--dry-run"], 30).ok();
    dry.stdout_has("passed over \"contoso-teams (Contoso Pharmaceuticals): seats = 902\"");
    dry.stdout_has("would undo: contoso-teams (Contoso Pharmaceuticals): note added");
    assert_eq!(bytes(&ws, CONTOSO), noted, "a dry run changes nothing");
    let real = ft_within(&ws, &["undo"], 30).ok();
    real.stdout_has("undid: contoso-teams (Contoso Pharmaceuticals): note added");
    assert_eq!(bytes(&ws, CONTOSO), original);
}

#[test]
fn undo_in_git_removes_unpushed_ft_commits_and_refuses_pushed_ones() {
    let team = Team::new();
    team.new_engagement("tailspin");
    let a = &team.a;
    team.ft(a, "alice", &["undo"])
        .code(2)
        .stderr_has("is pushed (origin/main has it): the team has it");
    std::fs::write(a.join("ft.toml"), "[git]\npush = \"manual\"\n").unwrap();
    team.git(a, &["commit", "--quiet", "-am", "manual push"]);
    team.git(a, &["push", "--quiet"]);
    let before = team.read(a, "tailspin");
    let head = team.git(a, &["rev-parse", "HEAD"]);
    team.ok(a, "alice", &["note", "tailspin", "one"]);
    team.ok(a, "alice", &["set", "tailspin", "seats", "50"]);
    team.ok(a, "alice", &["undo"])
        .stdout_has("undid: tailspin (Tailspin): seats = 50");
    team.ok(a, "alice", &["undo"]).stdout_has("note added");
    assert_eq!(team.read(a, "tailspin"), before);
    assert_eq!(team.git(a, &["rev-parse", "HEAD"]), head);
    assert_eq!(team.git(a, &["status", "--porcelain"]), "");
    team.ft(a, "alice", &["undo"])
        .code(2)
        .stderr_has("\"manual push\", was not made by ft");
    // A hand edit of the file after ft's commit is never overwritten.
    team.ok(a, "alice", &["note", "tailspin", "two"]);
    let hand = format!("{}# by hand\n", team.read(a, "tailspin"));
    std::fs::write(a.join("engagements/tailspin.toml"), &hand).unwrap();
    team.ft(a, "alice", &["undo"])
        .code(2)
        .stderr_has("changed by hand");
    assert_eq!(team.read(a, "tailspin"), hand);
}

// ---- ft cal ---------------------------------------------------------------

fn parse(text: &str) -> Vec<icalendar::Event> {
    let cal: icalendar::Calendar = text.parse().expect("a valid iCalendar file");
    cal.components
        .into_iter()
        .filter_map(|c| match c {
            icalendar::CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

#[test]
fn cal_writes_an_icalendar_file_a_parser_reads() {
    use icalendar::{Component as _, DatePerhapsTime};
    let ws = Ws::demo();
    ws.ft(&[
        "set",
        "contoso-teams",
        "customer",
        "Contoso, Inc; R&D \\ EU",
    ])
    .ok();
    let text = ws.ft(&["--as", "alice", "cal"]).ok().stdout;
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
        assert!(!line.contains('\n'), "bare LF in {line:?}");
    }
    let events = parse(&text);
    assert!(events.len() > 5, "{text}");
    let mut uids: Vec<&str> = events.iter().map(|e| e.get_uid().unwrap()).collect();
    uids.sort_unstable();
    uids.dedup();
    assert_eq!(uids.len(), events.len(), "one UID per item");
    let mut all_day = 0;
    for e in &events {
        match (e.get_start().unwrap(), e.get_end().unwrap()) {
            (DatePerhapsTime::Date(s), DatePerhapsTime::Date(end)) => {
                assert_eq!(end, s.succ_opt().unwrap(), "all-day DTEND is the next day");
                all_day += 1;
            }
            (DatePerhapsTime::DateTime(s), _) => {
                assert!(matches!(s, icalendar::CalendarDateTime::Utc(_)), "{s:?}")
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(all_day > 0);
    let contoso = events
        .iter()
        .find(|e| e.get_uid() == Some("checkpoint-3.contoso-teams@ws"))
        .expect("the next checkpoint");
    let description = contoso.get_description().unwrap();
    assert!(
        description.contains("Contoso, Inc; R&D \\ EU\n"),
        "{description:?}"
    );
    assert!(
        text.contains("Contoso\\, Inc\\; R&D \\\\ EU\\n"),
        "escaped on the wire"
    );
    let mitigate = events
        .iter()
        .find(|e| e.get_uid() == Some("mitigate.litware-icm-4711@ws"));
    assert!(mitigate.is_some(), "timed SLA items are there");
    assert!(text.contains("BEGIN:VALARM\r\nACTION:DISPLAY"));
}

#[test]
fn cal_imported_twice_makes_no_duplicates_and_moves_raise_the_sequence() {
    use icalendar::Component as _;
    let ws = Ws::demo();
    let first = ws.ft(&["--as", "alice", "cal"]).ok().stdout;
    let second = ws.ft(&["--as", "alice", "cal"]).ok().stdout;
    assert_eq!(first, second, "the same workspace gives the same file");
    // A calendar keeps one event per UID: importing again replaces.
    let mut store: BTreeMap<String, (u32, String)> = BTreeMap::new();
    for text in [&first, &second] {
        for e in parse(text) {
            let seq = e.get_sequence().unwrap();
            store.insert(
                e.get_uid().unwrap().into(),
                (seq, format!("{:?}", e.get_start())),
            );
        }
    }
    assert_eq!(store.len(), parse(&first).len());
    // Logging the checkpoint early moves the next one: same UID, higher SEQUENCE.
    let uid = "checkpoint-3.contoso-teams@ws";
    ws.ft(&["done", "contoso-teams", "checkpoint", "--on", "2026-11-20"])
        .ok();
    let third = ws.ft(&["--as", "alice", "cal", "--output", "cal.ics"]).ok();
    third.stdout_has("events written to cal.ics");
    let moved = parse(&ws.read("cal.ics"));
    let before = store.get("checkpoint-4.contoso-teams@ws").unwrap();
    let now = moved
        .iter()
        .find(|e| e.get_uid() == Some("checkpoint-4.contoso-teams@ws"))
        .unwrap();
    assert!(now.get_sequence().unwrap() > before.0);
    assert_ne!(format!("{:?}", now.get_start()), before.1, "the date moved");
    assert!(
        moved.iter().all(|e| e.get_uid() != Some(uid)),
        "meeting 3 is held"
    );
}

/// The UIDs of `ft --as alice cal` run in `dir` with `-w WS`.
fn uids(ws: &Ws, dir: &Path, workspace: &str) -> Vec<String> {
    use icalendar::Component as _;
    let text = ws
        .ft_in(dir, &["-w", workspace, "--as", "alice", "cal"])
        .ok()
        .stdout;
    let mut uids: Vec<String> = parse(&text)
        .iter()
        .map(|e| e.get_uid().unwrap().to_string())
        .collect();
    uids.sort();
    uids
}

#[test]
fn cal_uids_do_not_depend_on_how_the_workspace_is_named() {
    let ws = Ws::demo();
    let dot = uids(&ws, &ws.root, ".");
    assert!(dot.iter().all(|u| u.ends_with("@ws")), "{dot:?}");
    let absolute = uids(&ws, ws.home(), ws.root.to_str().unwrap());
    assert_eq!(dot, absolute);
    let link = ws.home().join("linked");
    std::os::unix::fs::symlink(&ws.root, &link).unwrap();
    assert_eq!(dot, uids(&ws, ws.home(), "linked"));
    assert_eq!(dot, uids(&ws, ws.home(), link.to_str().unwrap()));
    let inside = ws.root.join("engagements");
    assert_eq!(dot, uids(&ws, &inside, ".."));
}

/// The SEQUENCE and DTSTART of the event `uid` in `ft --as bob cal`.
fn seq_and_start(ws: &Ws, uid: &str) -> (u32, String) {
    use icalendar::Component as _;
    let text = ws.ft(&["--as", "bob", "cal"]).ok().stdout;
    let events = parse(&text);
    let e = events
        .iter()
        .find(|e| e.get_uid() == Some(uid))
        .unwrap_or_else(|| panic!("no {uid} in\n{text}"));
    (e.get_sequence().unwrap(), format!("{:?}", e.get_start()))
}

#[test]
fn cal_sequence_never_goes_down_and_grows_with_every_move() {
    let ws = Ws::new();
    ws.engagement("nw", support::AZURE);
    let uid = "pm-intro.nw@ws";
    let first = seq_and_start(&ws, uid);
    assert_eq!(seq_and_start(&ws, uid), first, "nothing moved");
    ws.ft(&["milestone", "nw", "assigned", "--on", "2026-11-19"])
        .ok();
    let moved = seq_and_start(&ws, uid);
    assert_ne!(moved.1, first.1, "the due date moved");
    assert!(moved.0 > first.0, "{moved:?} after {first:?}");
    ws.ft(&["undo"]).ok();
    let undone = seq_and_start(&ws, uid);
    assert_eq!(undone.1, first.1, "back where it was");
    assert!(undone.0 > moved.0, "{undone:?} after {moved:?}");
    ws.ft_env(
        &["edit", "nw"],
        &[("EDITOR", "sed -i s/^assigned.*/assigned=2026-11-18/")],
    )
    .ok();
    let edited = seq_and_start(&ws, uid);
    assert_ne!(edited.1, undone.1);
    assert!(edited.0 > undone.0, "{edited:?} after {undone:?}");
    // A hand edit counts the same; a damaged state file never breaks cal.
    let text = ws
        .read("engagements/nw.toml")
        .replace("2026-11-18", "2026-11-17");
    ws.write("engagements/nw.toml", &text);
    let by_hand = seq_and_start(&ws, uid);
    assert!(by_hand.0 > edited.0, "{by_hand:?} after {edited:?}");
    ws.write(".ft/cal-seq", "\u{0}garbage{");
    seq_and_start(&ws, uid);
}

#[test]
fn cal_reminds_of_a_meeting_when_it_becomes_due_soon() {
    use icalendar::Component as _;
    let ws = Ws::demo();
    let text = ws.ft(&["--as", "alice", "cal"]).ok().stdout;
    let start = text.find("UID:checkpoint-4.contoso-teams@ws").unwrap();
    let event = &text[start..start + text[start..].find("END:VEVENT").unwrap()];
    assert!(event.contains("DTSTART;VALUE=DATE:20261201"), "{event}");
    // Weekly: due soon two days before the day.
    assert!(
        event.contains("BEGIN:VALARM")
            && event.contains("TRIGGER;VALUE=DATE-TIME:20261129T000000Z"),
        "{event}"
    );
    // Meeting 3 is due soon already: no reminder that would only go off at import.
    let events = parse(&text);
    let third = events
        .iter()
        .find(|e| e.get_uid() == Some("checkpoint-3.contoso-teams@ws"))
        .unwrap();
    assert!(third.components().is_empty(), "{third:?}");
}
