//! A small builder for running the real `ft` binary in a temporary workspace,
//! with a cleared environment, a temporary HOME, NO_COLOR, TZ=UTC and a pinned today.
//! Every hint a run prints is checked to be a command ft accepts ([`hints`]).

#![allow(dead_code)]

pub mod hints;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const TODAY: &str = "2026-11-23";

pub struct Ws {
    pub tmp: tempfile::TempDir,
    pub root: PathBuf,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn ok(self) -> Self {
        assert_eq!(
            self.code, 0,
            "exit {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    /// Assert that stderr contains `text`.
    #[track_caller]
    pub fn stderr_has(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "stderr lacks `{text}`:\n{}",
            self.stderr
        );
        self
    }

    /// Assert that stdout contains `text`.
    #[track_caller]
    pub fn stdout_has(&self, text: &str) -> &Self {
        assert!(
            self.stdout.contains(text),
            "stdout lacks `{text}`:\n{}",
            self.stdout
        );
        self
    }

    #[track_caller]
    pub fn code(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

pub fn ft_bin() -> &'static str {
    env!("CARGO_BIN_EXE_ft")
}

/// A `Command` for ft with a clean, pinned environment rooted at `home`.
pub fn command(home: &Path) -> Command {
    let mut cmd = Command::new(ft_bin());
    cmd.env_clear()
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("FT_CONFIG", home.join("config.toml"))
        .env("FT_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .env("TZ", "UTC")
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    cmd
}

fn into_run(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

impl Ws {
    /// An empty workspace made by `ft init`.
    pub fn new() -> Ws {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("ws");
        let ws = Ws { tmp, root };
        ws.ft_in(ws.tmp.path(), &["init", "ws"]).ok();
        ws
    }

    /// The demo workspace, dated for TODAY.
    pub fn demo() -> Ws {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("ws");
        let ws = Ws { tmp, root };
        ws.ft_in(ws.tmp.path(), &["init", "ws", "--demo"]).ok();
        ws
    }

    pub fn home(&self) -> &Path {
        self.tmp.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    pub fn engagement(&self, id: &str, text: &str) -> &Self {
        self.write(&format!("engagements/{id}.toml"), text)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    pub fn config(&self, text: &str) -> &Self {
        std::fs::write(self.home().join("config.toml"), text).unwrap();
        self
    }

    /// Run ft with the workspace as the current directory.
    #[track_caller]
    pub fn ft(&self, args: &[&str]) -> Run {
        self.ft_in(&self.root, args)
    }

    #[track_caller]
    pub fn ft_in(&self, dir: &Path, args: &[&str]) -> Run {
        self.ft_in_env(dir, args, &[])
    }

    #[track_caller]
    pub fn ft_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        self.ft_in_env(&self.root, args, env)
    }

    /// Run ft in `dir` with extra environment, then check the hints it printed.
    #[track_caller]
    pub fn ft_in_env(&self, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = command(self.home());
        cmd.current_dir(dir).args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let run = into_run(cmd.output().unwrap());
        hints::check(self.home(), dir, env, args, &run);
        run
    }
}

/// An active Azure engagement: FE alice, PM bob, claimed Fri 20 Nov 2026.
pub const AZURE: &str = "\
customer = \"Northwind\"
playbook = \"azure-fasttrack-engineer\"
services = [\"AKS\"]
status = \"active\"

[team]
FE = \"alice\"
PM = \"bob\"

[milestones]
opened = 2026-11-13
assigned = 2026-11-20
";
