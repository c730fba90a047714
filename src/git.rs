//! Team workspaces shared through git, by running the `git` program.
//!
//! git is needed only when the workspace is inside a git work tree. Output
//! that is parsed is produced with `LC_ALL=C`; nothing ever prompts.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::{Context as _, Result};

use crate::error::user_hint;

/// A git work tree holding the workspace.
pub struct Repo {
    pub top: PathBuf,
}

fn git(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .env("LC_ALL", "C")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_EDITOR", "true")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE");
    cmd
}

fn text(out: &Output) -> String {
    let mut s = String::from_utf8_lossy(&out.stdout).into_owned();
    s.push_str(&String::from_utf8_lossy(&out.stderr));
    s.trim().to_string()
}

/// Result of a push.
#[derive(Debug, PartialEq, Eq)]
pub enum Push {
    Pushed,
    Rejected,
}

/// Result of pulling with rebase.
#[derive(Debug, PartialEq, Eq)]
pub enum Pull {
    Updated,
    /// The rebase stopped on conflicts in these files (relative to the top).
    Conflict(Vec<String>),
}

impl Repo {
    /// The work tree containing `dir`, if any (and if git is installed).
    pub fn find(dir: &Path) -> Option<Repo> {
        let out = git(dir)
            .args(["rev-parse", "--show-toplevel"])
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        let top = String::from_utf8_lossy(&out.stdout).trim().to_string();
        Some(Repo {
            top: PathBuf::from(top),
        })
    }

    fn run(&self, args: &[&str]) -> Result<Output> {
        git(&self.top)
            .args(args)
            .output()
            .with_context(|| format!("cannot run `git {}`", args.join(" ")))
    }

    fn ok(&self, args: &[&str]) -> Result<String> {
        let out = self.run(args)?;
        if !out.status.success() {
            return Err(user_hint(
                format!("`git {}` failed: {}", args.join(" "), text(&out)),
                "fix the repository state, then run the command again",
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    /// Does the current branch track an upstream?
    pub fn has_upstream(&self) -> bool {
        self.run(&["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"])
            .is_ok_and(|o| o.status.success())
    }

    pub fn head(&self) -> Result<String> {
        self.ok(&["rev-parse", "HEAD"])
    }

    /// Is a rebase in progress?
    pub fn rebasing(&self) -> bool {
        ["rebase-merge", "rebase-apply"].iter().any(|d| {
            self.ok(&["rev-parse", "--git-path", d])
                .is_ok_and(|p| self.top.join(p).exists())
        })
    }

    /// Commit exactly these files (others, staged or not, are left alone).
    pub fn commit(&self, paths: &[&Path], message: &str) -> Result<bool> {
        let rel: Vec<String> = paths
            .iter()
            .map(|p| {
                p.strip_prefix(&self.top)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        let mut add = vec!["add", "--"];
        add.extend(rel.iter().map(String::as_str));
        self.ok(&add)?;
        let mut diff = vec!["diff", "--cached", "--quiet", "--"];
        diff.extend(rel.iter().map(String::as_str));
        if self.run(&diff)?.status.success() {
            return Ok(false);
        }
        let mut commit = vec!["commit", "--quiet", "--no-verify", "-m", message, "--"];
        commit.extend(rel.iter().map(String::as_str));
        self.ok(&commit)?;
        Ok(true)
    }

    /// `git pull --rebase --autostash`; on conflicts the rebase is left in progress.
    pub fn pull_rebase(&self) -> Result<Pull> {
        let out = self.run(&["pull", "--rebase", "--autostash", "--quiet"])?;
        if out.status.success() {
            return Ok(Pull::Updated);
        }
        if self.rebasing() {
            let files = self.ok(&["diff", "--name-only", "--diff-filter=U"])?;
            return Ok(Pull::Conflict(
                files.lines().map(ToString::to_string).collect(),
            ));
        }
        Err(user_hint(
            format!("`git pull --rebase` failed: {}", text(&out)),
            "check the remote with `git status` and `git remote -v`",
        ))
    }

    pub fn abort_rebase(&self) -> Result<()> {
        self.ok(&["rebase", "--abort"]).map(|_| ())
    }

    /// `git push --porcelain`, telling a rejection (someone pushed first) from other failures.
    pub fn push(&self) -> Result<Push> {
        let out = self.run(&["push", "--porcelain"])?;
        if out.status.success() {
            return Ok(Push::Pushed);
        }
        // Someone else pushed first: the ref moved (`[rejected] (fetch first)`,
        // `non-fast-forward`), or it moved while we pushed (`failed to update ref`).
        let stdout = String::from_utf8_lossy(&out.stdout);
        let raced = stdout.lines().filter(|l| l.starts_with('!')).any(|l| {
            l.contains("[rejected]")
                || (l.contains("[remote rejected]") && l.contains("failed to update ref"))
        });
        if raced {
            return Ok(Push::Rejected);
        }
        Err(user_hint(
            format!("`git push` failed: {}", text(&out)),
            "check the remote with `git remote -v`",
        ))
    }

    /// Drop the last commit and its change to `path`, keeping anything else in the work tree.
    pub fn drop_last_commit(&self, path: &Path) -> Result<()> {
        let rel = path
            .strip_prefix(&self.top)
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned();
        self.ok(&["reset", "--quiet", "--soft", "HEAD~1"])?;
        self.ok(&[
            "restore",
            "--staged",
            "--worktree",
            "--source=HEAD",
            "--",
            &rel,
        ])?;
        Ok(())
    }
}
