//! `ft sync`: pull with rebase and push, explaining conflicts.

use anyhow::Result;

use crate::Context;
use crate::error::{user, user_hint};
use crate::git::{Pull, Push, Repo};

/// Share the workspace through git: pull with rebase, then push; explain any conflict
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> Result<i32> {
    let root = ctx.workspace_root()?;
    let repo = Repo::find(&root).ok_or_else(|| {
        user_hint(
            format!("`{}` is not in a git repository", root.display()),
            "share a workspace with `git init` and `git remote add origin URL`",
        )
    })?;
    if repo.rebasing() {
        return Err(user_hint(
            "a rebase is in progress in this repository",
            "resolve the conflicted files, `git add` them and `git rebase --continue` (or `git rebase --abort`)",
        ));
    }
    if !repo.has_upstream() {
        return Err(user_hint(
            "the current branch has no upstream",
            "git push -u origin HEAD",
        ));
    }
    let before = repo.head()?;
    for _ in 0..3 {
        if let Pull::Conflict(files) = repo.pull_rebase()? {
            let mut msg = String::from(
                "the rebase stopped: these files changed both here and on the remote:\n",
            );
            for f in &files {
                msg.push_str(&format!("  {f}\n"));
            }
            msg.push_str(
                "The repository is in the middle of a rebase. To resolve:\n  \
                 1. edit each file and keep the right lines (`ft check` points at the conflict markers)\n  \
                 2. `git add` the files, then `git rebase --continue`\n\
                 Or give up your side with `git rebase --abort`, which leaves the repository as before `ft sync`.\n",
            );
            ctx.print(&msg)?;
            return Ok(1);
        }
        match repo.push()? {
            Push::Pushed => {
                let after = repo.head()?;
                let what = if before == after {
                    "up to date"
                } else {
                    "updated"
                };
                ctx.say(&format!("Synced: {what}, and pushed"))?;
                return Ok(0);
            }
            Push::Rejected => continue,
        }
    }
    Err(user("the remote keeps moving; run `ft sync` again"))
}
