//! Team workspaces shared through git: claims race through a bare remote.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use support::{Run, command};

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .env("LC_ALL", "C")
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

struct Team {
    tmp: tempfile::TempDir,
    a: PathBuf,
    b: PathBuf,
}

impl Team {
    fn new() -> Team {
        let tmp = tempfile::tempdir().unwrap();
        let origin = tmp.path().join("origin.git");
        git(
            tmp.path(),
            &[
                "init",
                "--quiet",
                "--bare",
                "-b",
                "main",
                origin.to_str().unwrap(),
            ],
        );
        let a = tmp.path().join("a");
        let b = tmp.path().join("b");
        git(
            tmp.path(),
            &[
                "clone",
                "--quiet",
                origin.to_str().unwrap(),
                a.to_str().unwrap(),
            ],
        );
        let team = Team { tmp, a, b };
        team.identity(&team.a, "Alice");
        let init = team.ft(&team.a, "alice", &["init", "."]);
        assert_eq!(init.code, 0, "{}", init.stderr);
        git(&team.a, &["add", "-A"]);
        git(&team.a, &["commit", "--quiet", "-m", "workspace"]);
        git(&team.a, &["push", "--quiet", "-u", "origin", "main"]);
        git(
            team.tmp.path(),
            &[
                "clone",
                "--quiet",
                origin.to_str().unwrap(),
                team.b.to_str().unwrap(),
            ],
        );
        team.identity(&team.b, "Carlos");
        team
    }

    fn identity(&self, dir: &Path, name: &str) {
        git(dir, &["config", "user.name", name]);
        git(
            dir,
            &[
                "config",
                "user.email",
                &format!("{}@example.com", name.to_lowercase()),
            ],
        );
    }

    fn cmd(&self, dir: &Path, person: &str, args: &[&str]) -> Command {
        let mut cmd = command(self.tmp.path());
        cmd.current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .args(["--as", person])
            .args(args);
        cmd
    }

    fn ft(&self, dir: &Path, person: &str, args: &[&str]) -> Run {
        let out = self.cmd(dir, person, args).output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    #[track_caller]
    fn ok(&self, dir: &Path, person: &str, args: &[&str]) -> Run {
        let r = self.ft(dir, person, args);
        assert_eq!(
            r.code, 0,
            "ft {args:?}\nstdout: {}\nstderr: {}",
            r.stdout, r.stderr
        );
        r
    }

    /// Run two commands at the same time, one in each clone.
    fn race(&self, a: (&str, &[&str]), b: (&str, &[&str])) -> (Run, Run) {
        let spawn = |dir: &Path, (person, args): (&str, &[&str])| {
            self.cmd(dir, person, args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (ca, cb) = (spawn(&self.a, a), spawn(&self.b, b));
        let done = |c: std::process::Child| {
            let out = c.wait_with_output().unwrap();
            Run {
                code: out.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            }
        };
        (done(ca), done(cb))
    }

    fn read(&self, dir: &Path, id: &str) -> String {
        std::fs::read_to_string(dir.join("engagements").join(format!("{id}.toml"))).unwrap()
    }

    fn new_engagement(&self, id: &str) {
        self.ok(
            &self.a,
            "alice",
            &[
                "new",
                id,
                "--customer",
                "Tailspin",
                "--playbook",
                "azure-fasttrack-engineer",
                "--opened",
                "2026-11-16",
            ],
        );
        self.ok(&self.a, "alice", &["sync"]);
        self.ok(&self.b, "carlos", &["sync"]);
    }

    fn assert_clones_agree(&self) {
        self.ok(&self.a, "alice", &["sync"]);
        self.ok(&self.b, "carlos", &["sync"]);
        self.ok(&self.a, "alice", &["sync"]);
        assert_eq!(
            git(&self.a, &["rev-parse", "HEAD"]),
            git(&self.b, &["rev-parse", "HEAD"])
        );
        assert_eq!(
            git(&self.a, &["status", "--porcelain"]),
            "",
            "clone a is clean"
        );
        assert_eq!(
            git(&self.b, &["status", "--porcelain"]),
            "",
            "clone b is clean"
        );
    }
}

#[test]
fn every_change_is_committed_with_a_message_that_says_what_happened() {
    let team = Team::new();
    team.ok(
        &team.a,
        "alice",
        &[
            "new",
            "contoso",
            "--customer",
            "Contoso",
            "--playbook",
            "azure-fasttrack-engineer",
        ],
    );
    team.ok(&team.a, "alice", &["assign", "contoso", "--role", "FE"]);
    team.ok(&team.a, "alice", &["note", "contoso", "kickoff booked"]);
    let log = git(&team.a, &["log", "--format=%s"]);
    let subjects: Vec<&str> = log.lines().collect();
    assert_eq!(subjects[0], "contoso (Contoso): note added (2026-11-23)");
    assert_eq!(subjects[1], "assign contoso FE to alice");
    assert!(
        subjects[2].starts_with("Created contoso (Contoso)"),
        "{log}"
    );
    assert_eq!(git(&team.a, &["status", "--porcelain"]), "");
    // The claim was pushed: the other clone sees it after a sync.
    team.ok(&team.b, "carlos", &["sync"]);
    assert!(
        team.read(&team.b, "contoso")
            .contains("FE = { person = \"alice\", since = 2026-11-23 }")
    );
    // ft.toml can turn commits off.
    let settings = std::fs::read_to_string(team.a.join("ft.toml"))
        .unwrap()
        .replace("commit = true", "commit = false");
    std::fs::write(team.a.join("ft.toml"), settings).unwrap();
    team.ok(&team.a, "alice", &["note", "contoso", "not committed"]);
    assert_eq!(
        git(&team.a, &["log", "--format=%s", "-1"]),
        "contoso (Contoso): note added (2026-11-23)"
    );
}

#[test]
fn two_engineers_claim_the_same_engagement_and_exactly_one_wins_each_round() {
    let team = Team::new();
    for round in 0..4 {
        let id = format!("tailspin-{round}");
        team.new_engagement(&id);
        let args = ["assign", id.as_str(), "--role", "FE"];
        let (a, b) = team.race(("alice", &args), ("carlos", &args));
        let winners = [a.code == 0, b.code == 0];
        assert_eq!(
            winners.iter().filter(|w| **w).count(),
            1,
            "round {round}:\na: {} {}\nb: {} {}",
            a.stdout,
            a.stderr,
            b.stdout,
            b.stderr
        );
        let (winner, loser) = if a.code == 0 {
            ("alice", &b)
        } else {
            ("carlos", &a)
        };
        assert!(
            loser.stderr.contains(&format!("claimed by {winner}"))
                || loser.stderr.contains(&format!("held by {winner}")),
            "round {round}: the loser is told who won: {}",
            loser.stderr
        );
        let loser_dir = if a.code == 0 { &team.b } else { &team.a };
        assert_eq!(
            git(loser_dir, &["status", "--porcelain"]),
            "",
            "no changed file is left behind"
        );
        assert_eq!(
            git(loser_dir, &["log", "--oneline", "@{u}..HEAD"]),
            "",
            "no local commit is left behind"
        );
        team.assert_clones_agree();
        let text = team.read(&team.a, &id);
        assert!(
            text.contains(&format!("FE = {{ person = \"{winner}\"")),
            "{text}"
        );
        assert_eq!(text, team.read(&team.b, &id));
        assert_eq!(
            text.matches("FE = ").count(),
            1,
            "no claim of the loser is left: {text}"
        );
    }
}

#[test]
fn unrelated_claims_at_the_same_time_both_land() {
    let team = Team::new();
    team.new_engagement("x");
    team.new_engagement("y");
    let (a, b) = team.race(
        ("alice", &["assign", "x", "--role", "FE"]),
        ("carlos", &["assign", "y", "--role", "FE"]),
    );
    assert_eq!((a.code, b.code), (0, 0), "a: {}\nb: {}", a.stderr, b.stderr);
    team.assert_clones_agree();
    assert!(team.read(&team.b, "x").contains("person = \"alice\""));
    assert!(team.read(&team.a, "y").contains("person = \"carlos\""));
}

#[test]
fn sync_names_a_real_conflict_leaves_no_rebase_and_settles_with_keep() {
    let team = Team::new();
    team.new_engagement("c");
    team.ok(&team.a, "alice", &["set", "c", "seats", "100"]);
    team.ok(&team.b, "carlos", &["set", "c", "seats", "200"]);
    team.ok(&team.a, "alice", &["sync"]);
    let r = team.ft(&team.b, "carlos", &["sync"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stdout_has("engagements/c.toml");
    r.stdout_has("engagement `c`: `seats` changed on both sides: 100 on the remote, 200 here");
    r.stdout_has("ft sync --keep theirs");
    assert!(
        !team.b.join(".git/rebase-merge").exists(),
        "never left mid-rebase"
    );
    assert_eq!(git(&team.b, &["status", "--porcelain"]), "");
    assert!(!team.read(&team.b, "c").contains("<<<<<<<"));
    team.ok(&team.b, "carlos", &["sync", "--keep", "theirs"]);
    assert!(team.read(&team.b, "c").contains("seats = 100"));
    team.assert_clones_agree();
}
