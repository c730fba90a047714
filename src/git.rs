//! Team workspaces shared through git, by running the `git` program.
//!
//! git is needed only when the workspace is a git repository, or tracked
//! content of one. Output that is parsed is produced with `LC_ALL=C`; nothing
//! ever prompts (`GIT_TERMINAL_PROMPT=0`, ssh in batch mode with a connect
//! timeout) and every git command runs within a time limit, so `ft` never
//! hangs on an unreachable remote. Callers hold the workspace lock
//! ([`crate::lock`]) around every git command that changes the work tree.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};

use crate::error::{user, user_hint};

/// Local git commands (add, commit, rebase) should never take this long.
const LOCAL: Duration = Duration::from_secs(60);
/// Fetch and push: a short limit, so offline work is noticed, not waited on
/// (`FT_GIT_TIMEOUT`, in seconds, changes it).
const NETWORK: Duration = Duration::from_secs(30);

fn network() -> Duration {
    std::env::var("FT_GIT_TIMEOUT")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .map_or(NETWORK, Duration::from_secs_f64)
}

/// The trailer that marks a commit as made by `ft`.
pub const TRAILER: &str = "Committed-by: ft";

/// The line `.gitattributes` needs for the merge driver.
pub const ATTRIBUTES_LINE: &str = "engagements/*.toml merge=ft";

/// A git repository holding the workspace.
pub struct Repo {
    pub top: PathBuf,
    git_dir: PathBuf,
    /// The workspace as the commands were given it (any spelling).
    root: PathBuf,
    /// The workspace relative to `top` (empty when it is the top).
    pub prefix: PathBuf,
}

/// What [`Repo::find`] found.
pub enum Found {
    Repo(Repo),
    /// Not in a git work tree (or git is not installed).
    None,
    /// In a repository that does not hold the workspace; the reason.
    Refused(String),
}

/// Result of a push.
#[derive(Debug, PartialEq, Eq)]
pub enum Push {
    Pushed,
    /// Someone else pushed first.
    Rejected,
    /// The remote could not be reached, or refused for another reason.
    Failed(String),
}

/// Result of bringing in the remote's changes.
#[derive(Debug, PartialEq, Eq)]
pub enum Pull {
    Updated,
    /// The rebase stopped on these files and was aborted; `detail` holds
    /// what the merge driver said (the engagement and the key).
    Conflict {
        files: Vec<String>,
        detail: String,
    },
    /// The remote could not be reached.
    Offline(String),
}

fn git(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .env("LC_ALL", "C")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_EDITOR", "true")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .stdin(Stdio::null());
    if std::env::var_os("GIT_SSH_COMMAND").is_none() {
        cmd.env(
            "GIT_SSH_COMMAND",
            "ssh -o BatchMode=yes -o ConnectTimeout=10",
        );
    }
    cmd
}

/// Run a command, killing it when it takes longer than `limit`.
fn output_within(cmd: &mut Command, limit: Duration) -> std::io::Result<Output> {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
    let (tx, rx) = mpsc::channel();
    for (i, pipe) in [
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
    ]
    .into_iter()
    .enumerate()
    {
        let tx = tx.clone();
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            let _ = tx.send((i, buf));
        });
    }
    let deadline = Instant::now() + limit;
    let mut bufs = [Vec::new(), Vec::new()];
    for _ in 0..2 {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((i, buf)) => bufs[i] = buf,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!("no answer within {}s", limit.as_secs()),
                ));
            }
        }
    }
    let status = child.wait()?;
    let [stdout, stderr] = bufs;
    Ok(Output {
        status,
        stdout,
        stderr,
    })
}

fn text(out: &Output) -> String {
    let mut s = String::from_utf8_lossy(&out.stdout).into_owned();
    s.push_str(&String::from_utf8_lossy(&out.stderr));
    s.trim().to_string()
}

/// Is there a `.git` in `dir` or above? Saves running git for plain folders.
fn maybe_in_repo(dir: &Path) -> bool {
    dir.ancestors().any(|d| d.join(".git").exists())
}

impl Repo {
    /// The repository holding the workspace at `root`: one whose top level is
    /// the workspace, or which tracks the workspace's `ft.toml`. Any spelling
    /// of `root` (relative, `..`, a symbolic link) finds the same repository.
    pub fn find(root: &Path) -> Found {
        let Ok(real) = std::fs::canonicalize(root) else {
            return Found::None;
        };
        if !maybe_in_repo(&real) {
            return Found::None;
        }
        let out = output_within(
            git(&real).args(["rev-parse", "--show-toplevel", "--absolute-git-dir"]),
            LOCAL,
        );
        let Ok(out) = out
            .map_err(|_| ())
            .and_then(|o| if o.status.success() { Ok(o) } else { Err(()) })
        else {
            return Found::None;
        };
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut lines = stdout.lines();
        let (Some(top), Some(git_dir)) = (lines.next(), lines.next()) else {
            return Found::None;
        };
        let top = std::fs::canonicalize(top).unwrap_or_else(|_| PathBuf::from(top));
        let Ok(prefix) = real.strip_prefix(&top).map(Path::to_path_buf) else {
            return Found::None;
        };
        let repo = Repo {
            top: top.clone(),
            git_dir: PathBuf::from(git_dir),
            root: root.to_path_buf(),
            prefix,
        };
        if repo.prefix.as_os_str().is_empty() || repo.tracks(crate::workspace::FILE) {
            Found::Repo(repo)
        } else {
            Found::Refused(format!(
                "the workspace is inside the git repository at `{}` but is not part of it \
                 (its ft.toml is not tracked there)",
                top.display()
            ))
        }
    }

    fn tracks(&self, file: &str) -> bool {
        let rel = self.prefix.join(file);
        self.run(&["ls-files", "--error-unmatch", "--", &rel.to_string_lossy()])
            .is_ok_and(|o| o.status.success())
    }

    fn run_within(&self, args: &[&str], limit: Duration) -> Result<Output> {
        output_within(git(&self.top).args(args), limit)
            .with_context(|| format!("cannot run `git {}`", args.join(" ")))
    }

    fn run(&self, args: &[&str]) -> Result<Output> {
        self.run_within(args, LOCAL)
    }

    fn ok(&self, args: &[&str]) -> Result<String> {
        let out = self.run(args)?;
        if !out.status.success() {
            return Err(user_hint(
                format!("`git {}` failed: {}", args.join(" "), text(&out)),
                "fix the repository state (`git status` tells), then run the command again",
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    /// The path of a workspace file relative to the top, whatever spelling
    /// of the workspace it was built from.
    pub fn rel(&self, path: &Path) -> String {
        let inner = path.strip_prefix(&self.root).unwrap_or(path);
        self.prefix.join(inner).to_string_lossy().into_owned()
    }

    /// Does the current branch track an upstream?
    pub fn has_upstream(&self) -> bool {
        self.run(&["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"])
            .is_ok_and(|o| o.status.success())
    }

    /// The names of the repository's remotes (`git remote`).
    pub fn remotes(&self) -> Result<Vec<String>> {
        Ok(self
            .ok(&["remote"])?
            .lines()
            .map(str::to_string)
            .filter(|l| !l.is_empty())
            .collect())
    }

    pub fn head(&self) -> Result<String> {
        self.ok(&["rev-parse", "HEAD"])
    }

    /// Is a rebase in progress?
    pub fn rebasing(&self) -> bool {
        ["rebase-merge", "rebase-apply"]
            .iter()
            .any(|d| self.git_dir.join(d).exists())
    }

    /// Why ft must not write now, and the one command that gets out of it:
    /// an unfinished rebase, merge, cherry-pick or revert, a detached HEAD,
    /// or an index lock left behind.
    pub fn refuse_if_busy(&self) -> Result<()> {
        let states = [
            ("rebase-merge", "a rebase", "git rebase --abort"),
            ("rebase-apply", "a rebase", "git rebase --abort"),
            ("MERGE_HEAD", "a merge", "git merge --abort"),
            (
                "CHERRY_PICK_HEAD",
                "a cherry-pick",
                "git cherry-pick --abort",
            ),
            ("REVERT_HEAD", "a revert", "git revert --abort"),
        ];
        for (file, what, fix) in states {
            if self.git_dir.join(file).exists() {
                return Err(user_hint(
                    format!(
                        "{what} is in progress in `{}`; ft does not write on top of it",
                        self.top.display()
                    ),
                    format!(
                        "get out of it with `{fix}` (or finish it), then run the command again"
                    ),
                ));
            }
        }
        let head = std::fs::read_to_string(self.git_dir.join("HEAD")).unwrap_or_default();
        if !head.starts_with("ref: refs/heads/") {
            return Err(user_hint(
                format!(
                    "HEAD is detached in `{}`; ft commits only on a branch",
                    self.top.display()
                ),
                "go back to your branch with `git switch -` (or `git switch BRANCH`)",
            ));
        }
        let index_lock = self.git_dir.join("index.lock");
        if index_lock.exists() {
            return Err(user_hint(
                format!(
                    "`{}` exists: a git command is running, or one was stopped and left it behind",
                    index_lock.display()
                ),
                format!(
                    "if no git command is running, remove it: rm '{}'",
                    index_lock.display()
                ),
            ));
        }
        Ok(())
    }

    /// Tracked files with uncommitted changes (`git status --porcelain`).
    pub fn dirty(&self) -> Result<Vec<String>> {
        let args = ["status", "--porcelain", "--untracked-files=no"];
        let out = self.run(&args)?;
        if !out.status.success() {
            return Err(user(format!("`git status` failed: {}", text(&out))));
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.get(3..).unwrap_or(l).to_string())
            .collect())
    }

    /// Commit exactly these files (others, staged or not, are left alone),
    /// marked as made by ft. Returns false when there was nothing to commit.
    pub fn commit(&self, paths: &[&Path], message: &str) -> Result<bool> {
        let rel: Vec<String> = paths.iter().map(|p| self.rel(p)).collect();
        let mut add = vec!["add", "--"];
        add.extend(rel.iter().map(String::as_str));
        self.ok(&add)?;
        let mut diff = vec!["diff", "--cached", "--quiet", "--"];
        diff.extend(rel.iter().map(String::as_str));
        if self.run(&diff)?.status.success() {
            return Ok(false);
        }
        let mut commit = vec![
            "commit",
            "--quiet",
            "--no-verify",
            "-m",
            message,
            "-m",
            TRAILER,
            "--",
        ];
        commit.extend(rel.iter().map(String::as_str));
        self.ok(&commit)?;
        Ok(true)
    }

    /// Fetch, then rebase the local commits onto the upstream. Conflicts
    /// the merge driver cannot resolve abort the rebase: the repository is
    /// left as it was, never mid-rebase. `keep` ("ours"/"theirs", as the
    /// driver sees the sides) settles keys changed on both sides.
    pub fn pull(&self, keep: Option<&str>) -> Result<Pull> {
        let out = match self.run_within(&["fetch", "--quiet"], network()) {
            Ok(o) => o,
            Err(e) => return Ok(Pull::Offline(format!("{e:#}"))),
        };
        if !out.status.success() {
            return Ok(Pull::Offline(text(&out)));
        }
        let mut cmd = git(&self.top);
        cmd.args(["rebase", "--quiet", "--no-autostash", "@{u}"])
            .env("FT_MERGE_LABELS", "on the remote|here");
        if let Some(k) = keep {
            cmd.env("FT_MERGE_KEEP", k);
        }
        let tree = crate::lock::rewriting(&self.root);
        let out = output_within(&mut cmd, LOCAL).context("cannot run `git rebase`")?;
        if out.status.success() {
            return Ok(Pull::Updated);
        }
        if self.rebasing() {
            let files = self.ok(&["diff", "--name-only", "--diff-filter=U"])?;
            let detail: Vec<&str> = std::str::from_utf8(&out.stderr)
                .unwrap_or_default()
                .lines()
                .filter(|l| l.starts_with("ft merge-file:"))
                .collect();
            let detail = detail.join("\n");
            self.ok(&["rebase", "--abort"])?;
            drop(tree);
            return Ok(Pull::Conflict {
                files: files.lines().map(ToString::to_string).collect(),
                detail,
            });
        }
        Err(user_hint(
            format!("`git rebase` failed: {}", text(&out)),
            "check the repository with `git status`",
        ))
    }

    /// Local commits not yet on the upstream.
    pub fn ahead(&self) -> Result<usize> {
        let n = self.ok(&["rev-list", "--count", "@{u}..HEAD"])?;
        Ok(n.parse().unwrap_or(0))
    }

    /// Local commits not on the upstream that ft did not make, as "abc1234 subject".
    pub fn ahead_not_by_ft(&self) -> Result<Vec<String>> {
        let log = self.ok(&[
            "log",
            "--format=%h %s%x09%(trailers:key=Committed-by,valueonly,separator=%x2C)",
            "@{u}..HEAD",
        ])?;
        Ok(log
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .filter(|(_, by)| by.trim() != "ft")
            .map(|(c, _)| c.to_string())
            .collect())
    }

    /// May ft push what is ahead? Only its own commits, unless the
    /// repository is the workspace itself.
    pub fn foreign_commits(&self) -> Result<Vec<String>> {
        if self.prefix.as_os_str().is_empty() {
            return Ok(Vec::new());
        }
        self.ahead_not_by_ft()
    }

    /// `git push --porcelain`, telling a rejection (someone pushed first)
    /// from a remote that cannot be reached.
    pub fn push(&self) -> Result<Push> {
        let out = match self.run_within(&["push", "--porcelain"], network()) {
            Ok(o) => o,
            Err(e) => return Ok(Push::Failed(format!("{e:#}"))),
        };
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
        Ok(Push::Failed(text(&out)))
    }

    /// Run a git command in the repository; its output, or an error
    /// naming the command (for `ft undo` and `ft log`).
    pub fn output(&self, args: &[&str]) -> Result<String> {
        self.ok(args)
    }

    /// Run a git command; whether it succeeded (`merge-base --is-ancestor`...).
    pub fn succeeds(&self, args: &[&str]) -> Result<bool> {
        Ok(self.run(args)?.status.success())
    }

    /// Drop the last commit and its change to `path`, keeping anything else in the work tree.
    pub fn drop_last_commit(&self, path: &Path) -> Result<()> {
        let rel = self.rel(path);
        let _tree = crate::lock::rewriting(&self.root);
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

    /// Set `merge.ft.driver` in this clone's local config and make sure the
    /// workspace's `.gitattributes` routes engagement files to it (committing
    /// that file). Returns what it did, to say once; empty when all was set.
    pub fn ensure_driver(&self) -> Result<Vec<String>> {
        let mut did = Vec::new();
        let want = driver_command();
        let have = self.run(&["config", "--local", "--get", "merge.ft.driver"])?;
        if String::from_utf8_lossy(&have.stdout).trim() != want {
            self.ok(&["config", "--local", "merge.ft.name", "ft engagement files"])?;
            self.ok(&["config", "--local", "merge.ft.driver", &want])?;
            did.push("set merge.ft.driver in this clone's git config".to_string());
        }
        let attributes = self.root.join(".gitattributes");
        if add_attributes(&attributes)? {
            self.commit(
                &[&attributes],
                "Merge engagement files with ft's merge driver",
            )?;
            did.push(format!("added `{ATTRIBUTES_LINE}` to .gitattributes"));
        }
        Ok(did)
    }

    /// Is the merge driver configured in this clone?
    pub fn has_driver(&self) -> bool {
        self.run(&["config", "--get", "merge.ft.driver"])
            .is_ok_and(|o| o.status.success())
    }
}

/// Add the merge-driver line to a `.gitattributes` file; false when it was there.
pub fn add_attributes(path: &Path) -> Result<bool> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    };
    if text.lines().any(|l| l.trim() == ATTRIBUTES_LINE) {
        return Ok(false);
    }
    let mut new = text;
    if !new.is_empty() && !new.ends_with('\n') {
        new.push('\n');
    }
    new.push_str("# ft merges engagement files: both sides' notes and events are kept\n");
    new.push_str(ATTRIBUTES_LINE);
    new.push('\n');
    crate::engagement::store::write_atomic(path, new.as_bytes())?;
    Ok(true)
}

/// The merge driver as git runs it: this `ft` binary, by its full path when
/// known, so it works whether or not `ft` is on the PATH of the process
/// that runs git.
pub fn driver_command() -> String {
    let exe = std::env::current_exe()
        .ok()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| !p.contains('\''))
        .map_or_else(|| "ft".to_string(), |p| format!("'{p}'"));
    format!("{exe} merge-file %O %A %B %P")
}

/// Set up the merge driver for a repository found at `root`, if any (for `ft init`).
pub fn setup_driver(root: &Path) -> Result<Vec<String>> {
    match Repo::find(root) {
        Found::Repo(repo) => {
            let want = driver_command();
            repo.ok(&["config", "--local", "merge.ft.name", "ft engagement files"])?;
            repo.ok(&["config", "--local", "merge.ft.driver", &want])?;
            Ok(vec![
                "set merge.ft.driver in this clone's git config".into(),
            ])
        }
        _ => Ok(Vec::new()),
    }
}

/// Refuse a git state in the error message's own words, for `ft sync`.
pub fn not_a_repo(root: &Path, found: Found) -> Result<Repo> {
    match found {
        Found::Repo(r) => Ok(r),
        Found::None => Err(user_hint(
            format!("`{}` is not in a git repository", root.display()),
            "share a workspace with `git init` and `git remote add origin URL`",
        )),
        Found::Refused(why) => Err(user(why)),
    }
}
