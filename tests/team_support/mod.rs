//! Two clones of a bare remote, and `ft` run in them: shared by the team_* tests.
//! git gets its identity from the environment; nothing reads the home
//! directory or the network.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub use crate::support::Run;
use crate::support::command;

/// The environment every git and ft process in these tests gets.
pub fn git_env(cmd: &mut Command, home: &Path, name: &str) {
    cmd.env("HOME", home)
        .env("LC_ALL", "C")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join("gitconfig"))
        .env("GIT_AUTHOR_NAME", name)
        .env(
            "GIT_AUTHOR_EMAIL",
            format!("{}@example.com", name.to_lowercase()),
        )
        .env("GIT_COMMITTER_NAME", name)
        .env(
            "GIT_COMMITTER_EMAIL",
            format!("{}@example.com", name.to_lowercase()),
        );
}

#[track_caller]
pub fn git_in(home: &Path, dir: &Path, args: &[&str]) -> String {
    let out = try_git(home, dir, args);
    assert!(out.0, "git {args:?}: {}", out.2);
    out.1
}

/// (success, stdout, stderr)
pub fn try_git(home: &Path, dir: &Path, args: &[&str]) -> (bool, String, String) {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir).args(args);
    git_env(&mut cmd, home, "Tester");
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).trim().to_string(),
        String::from_utf8_lossy(&out.stderr).trim().to_string(),
    )
}

pub struct Team {
    pub tmp: tempfile::TempDir,
    pub origin: PathBuf,
    pub a: PathBuf,
    pub b: PathBuf,
}

impl Team {
    /// A bare remote, clone `a` with a workspace made by `ft init` and
    /// pushed, and clone `b` of it.
    pub fn new() -> Team {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().to_path_buf();
        std::fs::write(home.join("gitconfig"), "").unwrap();
        let origin = home.join("origin.git");
        git_in(
            &home,
            &home,
            &["init", "--quiet", "--bare", "-b", "main", "origin.git"],
        );
        let (a, b) = (home.join("a"), home.join("b"));
        git_in(&home, &home, &["clone", "--quiet", "origin.git", "a"]);
        let team = Team { tmp, origin, a, b };
        team.ok(&team.a, "alice", &["init", "."]);
        team.git(&team.a, &["add", "-A"]);
        team.git(&team.a, &["commit", "--quiet", "-m", "workspace"]);
        team.git(&team.a, &["push", "--quiet", "-u", "origin", "main"]);
        git_in(&home, &home, &["clone", "--quiet", "origin.git", "b"]);
        team
    }

    pub fn home(&self) -> &Path {
        self.tmp.path()
    }

    #[track_caller]
    pub fn git(&self, dir: &Path, args: &[&str]) -> String {
        git_in(self.home(), dir, args)
    }

    pub fn cmd(&self, dir: &Path, person: &str, args: &[&str]) -> Command {
        let mut cmd = command(self.home());
        git_env(&mut cmd, self.home(), person);
        cmd.current_dir(dir).args(["--as", person]).args(args);
        cmd
    }

    pub fn run(&self, mut cmd: Command) -> Run {
        let out = cmd.output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn ft(&self, dir: &Path, person: &str, args: &[&str]) -> Run {
        self.run(self.cmd(dir, person, args))
    }

    #[track_caller]
    pub fn ok(&self, dir: &Path, person: &str, args: &[&str]) -> Run {
        let r = self.ft(dir, person, args);
        assert_eq!(
            r.code, 0,
            "ft {args:?}\nstdout: {}\nstderr: {}",
            r.stdout, r.stderr
        );
        r
    }

    pub fn spawn(&self, dir: &Path, person: &str, args: &[&str]) -> std::process::Child {
        self.cmd(dir, person, args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    pub fn read(&self, dir: &Path, id: &str) -> String {
        std::fs::read_to_string(dir.join("engagements").join(format!("{id}.toml"))).unwrap()
    }

    /// The engagement as the remote has it.
    pub fn remote(&self, id: &str) -> String {
        self.git(
            &self.origin,
            &["show", &format!("main:engagements/{id}.toml")],
        )
    }

    /// A new Azure engagement made in `a`, pushed, and pulled into `b`.
    pub fn new_engagement(&self, id: &str) {
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
}

pub fn wait(child: std::process::Child) -> Run {
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
