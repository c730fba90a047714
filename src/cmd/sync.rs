//! `ft sync`: bring in the team's changes and send mine, under the
//! workspace lock; never leaves the repository mid-rebase.

use anyhow::Result;

use crate::Context;
use crate::error::{user, user_hint};
use crate::git::{Found, Pull, Push, Repo, not_a_repo};

/// Share the workspace through git: rebase my changes onto the team's, then push
///
/// Engagement files are merged by ft's merge driver: notes, health, blockers,
/// events and cadence occurrences from both sides are kept. When the same
/// value was changed differently on both sides, nothing changes, and ft names
/// the engagement and the key; `--keep mine` or `--keep theirs` settles it.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft sync")]
pub struct Args {
    /// Settle values changed differently on both sides: keep mine, or theirs
    #[arg(long, value_enum, value_name = "SIDE")]
    pub keep: Option<Keep>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Keep {
    Mine,
    Theirs,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    not_a_repo(&ws.root, Repo::find(&ws.root))?;
    let session = ws.session()?;
    let repo = ready(session.repo.as_ref())?;
    // While rebasing, git's "ours" is the remote and "theirs" is my commit.
    let keep = args.keep.map(|k| match k {
        Keep::Mine => "theirs",
        Keep::Theirs => "ours",
    });
    let before = repo.head()?;
    for _ in 0..4 {
        match repo.pull(keep)? {
            Pull::Updated => {}
            Pull::Offline(why) => {
                return Err(user_hint(
                    format!("cannot reach the remote: {why}"),
                    "your changes are committed here; run `ft sync` again when online",
                ));
            }
            Pull::Conflict { files, detail } => {
                ctx.print(&conflict_message(&files, &detail))?;
                return Ok(1);
            }
        }
        let ahead = repo.ahead()?;
        if ahead == 0 {
            let what = if before == repo.head()? {
                "up to date"
            } else {
                "updated from the remote"
            };
            ctx.say(&format!("Synced: {what}; nothing to push"))?;
            return Ok(0);
        }
        let foreign = repo.foreign_commits()?;
        if !foreign.is_empty() {
            return Err(user_hint(
                format!(
                    "not pushing commits ft did not make: {}",
                    foreign.join(", ")
                ),
                "push them yourself with `git push` when you mean to",
            ));
        }
        match repo.push()? {
            Push::Pushed => {
                let s = if ahead == 1 { "" } else { "s" };
                ctx.say(&format!("Synced: pushed {ahead} change{s}"))?;
                return Ok(0);
            }
            Push::Rejected => {}
            Push::Failed(why) => {
                return Err(user_hint(
                    format!("cannot push: {why}"),
                    "your changes are committed here; run `ft sync` again when online",
                ));
            }
        }
    }
    Err(user("the remote keeps moving; run `ft sync` again"))
}

/// The repository, when it can be synced: shared, with an upstream, clean.
fn ready(repo: Option<&Repo>) -> Result<&Repo> {
    let Some(repo) = repo else {
        return Err(user(
            "`[git] commit = false` in ft.toml: this workspace is not shared through git",
        ));
    };
    if !repo.has_upstream() {
        return Err(user_hint(
            "the current branch has no upstream",
            push_hint(&repo.remotes()?),
        ));
    }
    let dirty = repo.dirty()?;
    if !dirty.is_empty() {
        return Err(user_hint(
            format!(
                "uncommitted changes in {} keep ft from syncing",
                dirty.join(", ")
            ),
            "commit them (`git commit -a -m \"...\"`) or set them aside (`git stash`), then `ft sync`",
        ));
    }
    Ok(repo)
}

/// How to give the branch an upstream: push it to the remote there is
/// (`origin` among several), or add one first.
fn push_hint(remotes: &[String]) -> String {
    let Some(first) = remotes.iter().find(|r| *r == "origin").or(remotes.first()) else {
        return "the repository has no remote: add one with `git remote add origin URL`, then `git push -u origin HEAD`".into();
    };
    let push = format!("git push -u {} HEAD", crate::escape::shell(first));
    match remotes {
        [_] => push,
        _ => format!("{push} (remotes: {})", remotes.join(", ")),
    }
}

fn conflict_message(files: &[String], detail: &str) -> String {
    let mut msg = String::from(
        "Not synced: the same values were changed differently here and on the remote:\n",
    );
    for f in files {
        msg.push_str(&format!("  {f}\n"));
    }
    for line in detail.lines() {
        let line = line.trim_start_matches("ft merge-file:").trim();
        msg.push_str(&format!("    {line}\n"));
    }
    msg.push_str(
        "Nothing was changed: your commits are still here, on top of what you had.\n\
         Agree with the team on the value, then run one of:\n  \
         ft sync --keep theirs   (take the remote's value)\n  \
         ft sync --keep mine     (keep yours)\n",
    );
    msg
}

/// One line on stderr when changes made here are not on the remote yet:
/// for `ft next` and `ft report`, so nobody forgets to share.
pub fn remind(root: &std::path::Path) {
    if let Found::Repo(repo) = Repo::find(root)
        && repo.has_upstream()
        && let Ok(n) = repo.ahead()
        && n > 0
    {
        let s = if n == 1 { "" } else { "s" };
        eprintln!("{n} local change{s} not pushed; run ft sync");
    }
}

/// A warning for `ft check` when this clone lacks the merge driver.
pub fn driver_diagnostic(root: &std::path::Path) -> Option<crate::error::Diagnostic> {
    let Found::Repo(repo) = Repo::find(root) else {
        return None;
    };
    if repo.has_driver() {
        return None;
    }
    Some(
        crate::error::Diagnostic::warning(
            &root.join(".gitattributes"),
            (1, 1),
            "merge-driver",
            "this clone has no `merge.ft.driver`: git would merge engagement files line by line, with conflict markers",
        )
        .with_hint(Some(
            "run `ft sync` (or any change) to set it up".to_string(),
        )),
    )
}
