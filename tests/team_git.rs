//! Team workspaces through git: one writer per clone, no writes on top of an
//! unfinished git operation, git found by the workspace, settings that fail
//! closed, the merge driver, auto-push and crash leftovers (issue 12).

mod support;
mod team_support;

use std::fs::File;
use std::io::Write as _;
use std::time::{Duration, Instant};

use team_support::{Team, git_in, try_git, wait};

#[test]
fn a_live_lock_holder_is_named_and_the_wait_is_bounded_for_writes_and_sync() {
    let team = Team::new();
    team.new_engagement("c");
    let path = team.a.join(".ft/lock");
    let mut lock = File::options().write(true).open(&path).unwrap();
    lock.lock().unwrap();
    lock.set_len(0).unwrap();
    lock.write_all(b"pid 4242 (ft note c hello)\n").unwrap();
    for args in [&["note", "c", "waits"][..], &["sync"][..]] {
        let start = Instant::now();
        let mut cmd = team.cmd(&team.a, "alice", args);
        cmd.env("FT_LOCK_TIMEOUT", "1.5");
        let r = team.run(cmd);
        assert_eq!(r.code, 2, "ft {args:?} must give up: {}", r.stderr);
        r.stderr_has("waiting for another ft process, pid 4242 (ft note c hello), to finish");
        r.stderr_has("the workspace is busy");
        assert!(start.elapsed() < Duration::from_secs(10));
    }
    drop(lock);
    assert!(!team.read(&team.a, "c").contains("waits"));
    team.ok(&team.a, "alice", &["note", "c", "now"]);
}

/// A rebase stopped by a conflict in a file that is not an engagement.
fn stop_a_rebase(team: &Team) {
    std::fs::write(team.a.join("NOTES.md"), "a\n").unwrap();
    team.git(&team.a, &["add", "NOTES.md"]);
    team.git(&team.a, &["commit", "-qm", "a"]);
    team.git(&team.a, &["push", "-q"]);
    std::fs::write(team.b.join("NOTES.md"), "b\n").unwrap();
    team.git(&team.b, &["add", "NOTES.md"]);
    team.git(&team.b, &["commit", "-qm", "b"]);
    let (ok, _, _) = try_git(team.home(), &team.b, &["pull", "--rebase", "-q"]);
    assert!(!ok, "the rebase stops");
}

#[test]
fn mutating_commands_refuse_to_write_on_top_of_a_rebase_or_a_detached_head() {
    let team = Team::new();
    team.new_engagement("c");
    stop_a_rebase(&team);
    let before = team.read(&team.b, "c");
    for args in [
        &["note", "c", "mid-rebase"][..],
        &["assign", "c", "--role", "FE"][..],
        &["sync"][..],
    ] {
        let r = team.ft(&team.b, "carlos", args);
        assert_eq!(r.code, 2, "ft {args:?}: {}", r.stdout);
        r.stderr_has("a rebase is in progress");
        r.stderr_has("git rebase --abort");
    }
    assert_eq!(team.read(&team.b, "c"), before, "nothing was written");
    team.git(&team.b, &["rebase", "--abort"]);
    team.git(&team.b, &["reset", "-q", "--hard", "origin/main"]);
    team.git(&team.b, &["checkout", "-q", "--detach"]);
    let r = team.ft(&team.b, "carlos", &["note", "c", "detached"]);
    assert_eq!(r.code, 2);
    r.stderr_has("HEAD is detached");
    r.stderr_has("git switch -");
    assert_eq!(team.read(&team.b, "c"), before);
}

#[test]
fn a_relative_or_symlinked_workspace_commits_and_pushes_the_same_way() {
    let team = Team::new();
    team.new_engagement("x");
    team.new_engagement("y");
    let r = team.ft(
        team.home(),
        "carlos",
        &["-w", "b", "assign", "x", "--role", "FE"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("not committed"), "{}", r.stderr);
    assert!(
        team.remote("x").contains("person = \"carlos\""),
        "the claim was pushed"
    );
    std::os::unix::fs::symlink(&team.b, team.home().join("link")).unwrap();
    let mut cmd = team.cmd(
        &team.a.join("engagements"),
        "carlos",
        &["note", "y", "via a link"],
    );
    cmd.env("FT_WORKSPACE", "../../link/.");
    let r = team.run(cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        team.remote("y").contains("via a link"),
        "the note was pushed"
    );
    assert_eq!(team.git(&team.b, &["status", "--porcelain"]), "");
}

#[test]
fn a_workspace_untracked_inside_another_repository_is_never_committed_there() {
    let team = Team::new();
    let outer = &team.a;
    // A private commit in the outer repository that must never be pushed.
    std::fs::write(outer.join("private.txt"), "secret\n").unwrap();
    team.git(outer, &["add", "private.txt"]);
    team.git(outer, &["commit", "-qm", "private"]);
    let head = team.git(outer, &["rev-parse", "HEAD"]);
    team.ok(outer, "alice", &["init", "inner"]);
    let inner = outer.join("inner");
    team.ok(
        &inner,
        "alice",
        &[
            "new",
            "z",
            "--customer",
            "Z",
            "--playbook",
            "azure-fasttrack-engineer",
        ],
    );
    let r = team.ok(&inner, "alice", &["assign", "z", "--role", "FE"]);
    r.stderr_has("not committing: the workspace is inside the git repository");
    assert_eq!(team.git(outer, &["rev-parse", "HEAD"]), head, "no commit");
    let remote = git_in(team.home(), &team.origin, &["log", "--format=%s", "main"]);
    assert!(!remote.contains("private"), "{remote}");
}

#[test]
fn sync_with_hand_edits_refuses_instead_of_leaving_conflicts_and_a_stash() {
    let team = Team::new();
    team.new_engagement("c");
    team.ok(&team.a, "alice", &["set", "c", "seats", "100"]);
    let path = team.b.join("engagements/c.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("customer = \"Tailspin\"", "customer = \"Tailspin Toys\""),
    )
    .unwrap();
    let r = team.ft(&team.b, "carlos", &["sync"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(!r.stdout.contains("Synced"), "{}", r.stdout);
    r.stderr_has("uncommitted changes in engagements/c.toml");
    assert_eq!(team.git(&team.b, &["stash", "list"]), "");
    assert_eq!(
        team.git(&team.b, &["status", "--porcelain"]),
        "M engagements/c.toml"
    );
    team.git(&team.b, &["commit", "-qam", "customer name"]);
    team.ok(&team.b, "carlos", &["sync"])
        .stdout_has("Synced: pushed");
    let remote = team.remote("c");
    assert!(
        remote.contains("Tailspin Toys") && remote.contains("seats = 100"),
        "{remote}"
    );
}

#[test]
fn a_broken_ft_toml_stops_mutating_commands_instead_of_committing() {
    let team = Team::new();
    team.new_engagement("c");
    let settings = std::fs::read_to_string(team.b.join("ft.toml"))
        .unwrap()
        .replace("commit = true", "commit = false\ncomit = true");
    std::fs::write(team.b.join("ft.toml"), settings).unwrap();
    let head = team.git(&team.b, &["rev-parse", "HEAD"]);
    let before = team.read(&team.b, "c");
    for args in [
        &["note", "c", "x"][..],
        &["assign", "c", "--role", "FE"][..],
        &["sync"][..],
    ] {
        let r = team.ft(&team.b, "carlos", args);
        assert_eq!(r.code, 2, "ft {args:?}: {}", r.stdout);
        r.stderr_has("ft.toml:15:1: unknown field `comit`");
        r.stderr_has("fix ft.toml first");
    }
    assert_eq!(team.read(&team.b, "c"), before);
    assert_eq!(team.git(&team.b, &["rev-parse", "HEAD"]), head);
    let r = team.ft(&team.b, "carlos", &["next"]);
    assert_eq!(r.code, 0, "reading still works: {}", r.stderr);
}

#[test]
fn notes_by_two_people_on_one_engagement_merge_without_a_marker() {
    let team = Team::new();
    team.new_engagement("woodgrove");
    let attributes = team.git(&team.a, &["show", "HEAD:.gitattributes"]);
    assert!(
        attributes.contains("engagements/*.toml merge=ft"),
        "{attributes}"
    );
    let mut cmd = team.cmd(&team.a, "alice", &["note", "woodgrove", "offline note"]);
    cmd.env("FT_GIT_TIMEOUT", "5");
    team.git(&team.a, &["config", "push.default", "simple"]);
    let r = team.run(cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        team.remote("woodgrove").contains("offline note"),
        "auto-pushed"
    );
    team.ok(&team.b, "carlos", &["note", "woodgrove", "from carlos"]);
    team.ok(&team.b, "carlos", &["health", "woodgrove", "yellow"]);
    team.ok(&team.a, "alice", &["note", "woodgrove", "from alice"]);
    team.ok(&team.a, "alice", &["sync"]);
    team.ok(&team.b, "carlos", &["sync"]);
    let text = team.read(&team.a, "woodgrove");
    for note in [
        "offline note",
        "from carlos",
        "from alice",
        "status = \"yellow\"",
    ] {
        assert!(text.contains(note), "{note}: {text}");
    }
    assert_eq!(text, team.read(&team.b, "woodgrove"));
    assert_eq!(text.trim_end(), team.remote("woodgrove"));
    assert!(!text.contains("<<<<<<<"));
    let check = team.ft(&team.b, "carlos", &["check"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
}

#[test]
fn the_first_change_in_a_clone_sets_up_the_merge_driver_once() {
    let team = Team::new();
    team.new_engagement("c");
    let (ok, _, _) = try_git(
        team.home(),
        &team.b,
        &["config", "--get", "merge.ft.driver"],
    );
    assert!(ok, "sync set it up");
    team.git(&team.b, &["config", "--unset", "merge.ft.driver"]);
    let r = team.ok(&team.b, "carlos", &["note", "c", "one"]);
    r.stderr_has("note: set merge.ft.driver in this clone's git config");
    let driver = team.git(&team.b, &["config", "--get", "merge.ft.driver"]);
    assert!(driver.ends_with("merge-file %O %A %B %P"), "{driver}");
    let r = team.ok(&team.b, "carlos", &["note", "c", "two"]);
    assert!(
        !r.stderr.contains("merge.ft.driver"),
        "said once: {}",
        r.stderr
    );
}

#[test]
fn offline_changes_stay_committed_and_the_push_is_pending_without_hanging() {
    let team = Team::new();
    team.new_engagement("c");
    team.git(
        &team.b,
        &[
            "remote",
            "set-url",
            "origin",
            "ssh://git@unreachable.invalid/x.git",
        ],
    );
    let start = Instant::now();
    let mut cmd = team.cmd(&team.b, "carlos", &["note", "c", "on the train"]);
    cmd.env("GIT_SSH_COMMAND", "sleep 30")
        .env("FT_GIT_TIMEOUT", "1");
    let r = team.run(cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(start.elapsed() < Duration::from_secs(10), "no hang");
    r.stderr_has("push pending");
    assert_eq!(
        team.git(&team.b, &["log", "-1", "--format=%s"]),
        "c (Tailspin): note added (2026-11-23)"
    );
    let r = team.ok(&team.b, "carlos", &["next"]);
    r.stderr_has("1 local change not pushed; run ft sync");
    let origin = team.origin.to_string_lossy().into_owned();
    team.git(&team.b, &["remote", "set-url", "origin", &origin]);
    team.ok(&team.b, "carlos", &["sync"])
        .stdout_has("Synced: pushed 1 change");
    assert!(team.remote("c").contains("on the train"));
}

#[test]
fn with_push_manual_next_and_report_remind_to_sync() {
    let team = Team::new();
    team.new_engagement("c");
    let settings = std::fs::read_to_string(team.b.join("ft.toml"))
        .unwrap()
        .replace("push = \"auto\"", "push = \"manual\"");
    std::fs::write(team.b.join("ft.toml"), settings).unwrap();
    team.git(&team.b, &["commit", "-qam", "manual pushes"]);
    team.ok(&team.b, "carlos", &["note", "c", "kept here"]);
    assert!(!team.remote("c").contains("kept here"), "not pushed");
    team.ok(&team.b, "carlos", &["next"])
        .stderr_has("2 local changes not pushed; run ft sync");
    team.ok(&team.b, "carlos", &["report"])
        .stderr_has("2 local changes not pushed; run ft sync");
    team.ok(&team.b, "carlos", &["sync"]);
    let r = team.ok(&team.b, "carlos", &["next"]);
    assert!(!r.stderr.contains("not pushed"), "{}", r.stderr);
}

#[test]
fn a_stale_index_lock_is_an_error_with_the_fix() {
    let team = Team::new();
    team.new_engagement("c");
    std::fs::write(team.b.join(".git/index.lock"), "").unwrap();
    let before = team.read(&team.b, "c");
    let r = team.ft(&team.b, "carlos", &["note", "c", "after a crash"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    r.stderr_has("index.lock` exists");
    r.stderr_has("rm '");
    assert_eq!(team.read(&team.b, "c"), before, "nothing saved uncommitted");
}

#[test]
fn concurrent_commands_in_one_clone_take_turns() {
    let team = Team::new();
    team.new_engagement("c");
    let children: Vec<_> = (0..6)
        .map(|i| match i % 3 {
            0 => team.spawn(&team.b, "carlos", &["sync"]),
            1 => team.spawn(&team.b, "carlos", &["note", "c", &format!("note {i}")]),
            _ => team.spawn(&team.b, "carlos", &["done", "c", "monthly-checkin"]),
        })
        .collect();
    for child in children {
        let r = wait(child);
        assert!(r.code == 0, "{}\n{}", r.stdout, r.stderr);
        assert!(!r.stderr.contains("Cannot rebase"), "{}", r.stderr);
    }
    team.ok(&team.b, "carlos", &["sync"]);
    let remote = team.remote("c");
    assert!(
        remote.contains("note 1") && remote.contains("note 4"),
        "{remote}"
    );
}

#[test]
fn init_demo_never_overwrites_engagement_files() {
    let team = Team::new();
    let dir = team.home().join("mine");
    std::fs::create_dir_all(dir.join("engagements")).unwrap();
    std::fs::write(dir.join("engagements/contoso-teams.toml"), "# mine\n").unwrap();
    let r = team.ft(team.home(), "alice", &["init", "mine", "--demo"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    r.stderr_has("already exist");
    assert_eq!(
        std::fs::read_to_string(dir.join("engagements/contoso-teams.toml")).unwrap(),
        "# mine\n"
    );
    assert!(!dir.join("ft.toml").exists(), "nothing written");
}

#[test]
fn merge_file_exits_as_git_expects_of_a_merge_driver() {
    let team = Team::new();
    let dir = team.home();
    let base = "customer = \"C\"\nseats = 1\n";
    std::fs::write(dir.join("base"), base).unwrap();
    std::fs::write(dir.join("theirs"), "customer = \"C\"\nseats = 2\n").unwrap();
    std::fs::write(dir.join("ours"), "customer = \"C\" # kept\nseats = 1\n").unwrap();
    let args = ["merge-file", "base", "ours", "theirs", "engagements/c.toml"];
    team.ok(dir, "alice", &args);
    let ours = std::fs::read_to_string(dir.join("ours")).unwrap();
    assert_eq!(ours, "customer = \"C\" # kept\nseats = 2\n");
    std::fs::write(dir.join("ours"), "customer = \"C\"\nseats = 3\n").unwrap();
    let r = team.ft(dir, "alice", &args);
    assert_eq!(r.code, 1, "a real conflict stops git: {}", r.stderr);
    r.stderr_has("engagement `c`: `seats` changed on both sides: 3 ours, 2 theirs");
    let ours = std::fs::read_to_string(dir.join("ours")).unwrap();
    assert_eq!(ours, "customer = \"C\"\nseats = 3\n", "left as it was");
}

#[test]
fn sync_without_an_upstream_names_the_remote_or_says_to_add_one() {
    let team = Team::new();
    let solo = team.home().join("solo");
    git_in(
        team.home(),
        team.home(),
        &["init", "--quiet", "-b", "main", "solo"],
    );
    team.ok(&solo, "alice", &["init", "."]);
    team.git(&solo, &["add", "-A"]);
    team.git(&solo, &["commit", "--quiet", "-m", "workspace"]);
    let r = team.ft(&solo, "alice", &["sync"]).code(2);
    r.stderr_has("the current branch has no upstream");
    r.stderr_has("hint: the repository has no remote: add one with `git remote add origin URL`, then `git push -u origin HEAD`");
    // With a remote, the hint pushes there, and doing so makes sync work.
    let origin = team.origin.to_string_lossy().into_owned();
    team.git(&solo, &["remote", "add", "team", &origin]);
    let r = team.ft(&solo, "alice", &["sync"]).code(2);
    r.stderr_has("hint: git push -u team HEAD\n");
    team.git(&solo, &["push", "--quiet", "-u", "team", "HEAD:solo"]);
    team.ok(&solo, "alice", &["sync"]);
}
