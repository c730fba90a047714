//! `ft undo`: take back the last change `ft` made in this workspace.

use anyhow::Result;

use crate::Context;
use crate::error::{user, user_hint};
use crate::git::Repo;
use crate::journal::{Entry, Journal};
use crate::workspace::Workspace;

/// Undo the last change ft made in this workspace (done, skip, note, set,
/// assign, milestone, hold, edit...), printing what it undid; run it again
/// to go further back
///
/// In a git workspace the last commit ft made is removed, with its change,
/// as long as it has not been pushed: a pushed change is the team's, and is
/// changed back with a new change (`ft reopen`, `ft set`, `ft edit`).
/// Without git, ft keeps the file as it was before each of its last 50
/// changes in `.ft/journal/`. A change made by hand, or an engagement file
/// changed by hand since ft's last change to it, is never undone.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft undo --dry-run")]
pub struct Args {
    /// Say what would be undone, or why it cannot be, and change nothing
    #[arg(long, short = 'n')]
    pub dry_run: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let session = ws.session()?;
    let result = match &session.repo {
        Some(repo) => undo_commit(&ws, repo, args.dry_run),
        None => undo_journal(&ws, args.dry_run),
    };
    match result {
        Ok(line) => {
            ctx.say(&line)?;
            drop(session);
            Ok(0)
        }
        // A dry run says why it would refuse, and changes nothing either way.
        Err(e) if args.dry_run => {
            ctx.say(&format!("`ft undo` would refuse: {e:#}"))?;
            Ok(0)
        }
        Err(e) => Err(e),
    }
}

/// Without git: restore the before-image of the newest journal entry.
fn undo_journal(ws: &Workspace, dry_run: bool) -> Result<String> {
    let journal = Journal::open(&ws.root)?;
    let mut notes = String::new();
    // A dry run removes nothing, so it walks back by number instead.
    let mut below = u64::MAX;
    loop {
        let Some((n, entry)) = journal.last_below(below)? else {
            return Err(nothing(&notes));
        };
        let current = current_text(ws, &entry.id)?;
        if current.as_deref() == Some(entry.after.as_str()) {
            if dry_run {
                return Ok(format!("{notes}would undo: {}", entry.line));
            }
            restore(ws, &entry)?;
            journal.remove(n);
            return Ok(format!("{notes}undid: {}", entry.line));
        }
        if current.as_deref() == entry.before.as_deref() {
            // Recorded, then interrupted before the file was written.
            notes.push_str(&format!(
                "note: passed over \"{}\": it was recorded but never reached the file\n",
                entry.line
            ));
            if !dry_run {
                journal.remove(n);
            }
            below = n;
            continue;
        }
        return Err(user_hint(
            format!(
                "engagements/{}.toml was changed after ft's last change to it (\"{}\"), by hand or by another program; `ft undo` takes back only what ft did",
                entry.id, entry.line
            ),
            format!(
                "see the file's history with `ft log {id}`, and change it back with `ft edit {id}`",
                id = entry.id
            ),
        ));
    }
}

fn nothing(notes: &str) -> anyhow::Error {
    user_hint(
        format!("{notes}nothing to undo: ft has no record of a change here"),
        "`ft undo` takes back changes ft made in this workspace (the last 50, without git)",
    )
}

/// The engagement file's text, `None` when there is no such file.
fn current_text(ws: &Workspace, id: &str) -> Result<Option<String>> {
    let Some(dir) = ws.store.open_dir()? else {
        return Ok(None);
    };
    let name = format!("{id}.toml");
    if dir.kind(&name)?.is_none() {
        return Ok(None);
    }
    Ok(Some(
        dir.read_text(&name, crate::engagement::load::MAX_BYTES)?,
    ))
}

/// Put the before-image back (remove a file the change created).
fn restore(ws: &Workspace, entry: &Entry) -> Result<()> {
    let dir = ws
        .store
        .open_dir()?
        .ok_or_else(|| user("the engagements folder is gone"))?;
    let name = format!("{}.toml", entry.id);
    match &entry.before {
        Some(text) => dir.write_atomic(&name, text.as_bytes()),
        None => Ok(std::fs::remove_file(dir.join(&name))?),
    }
}

/// With git: remove the last commit, when ft made it and it is not pushed.
fn undo_commit(ws: &Workspace, repo: &Repo, dry_run: bool) -> Result<String> {
    let head = repo
        .output(&[
            "log",
            "-1",
            "--format=%h%x1f%s%x1f%(trailers:key=Committed-by,valueonly,separator=%x2C)",
        ])
        .map_err(|_| nothing(""))?;
    let mut parts = head.split('\x1f');
    let (hash, subject, by) = (
        parts.next().unwrap_or_default().to_string(),
        parts.next().unwrap_or_default().to_string(),
        parts.next().unwrap_or_default().trim().to_string(),
    );
    if by != "ft" {
        return Err(user_hint(
            format!(
                "the last commit, {hash} \"{subject}\", was not made by ft; `ft undo` takes back only ft's own changes"
            ),
            format!("undo it with git if you mean to (`git revert {hash}`)"),
        ));
    }
    // Pushed: a remote branch (the upstream or any other) holds the commit.
    let pushed = repo.output(&[
        "for-each-ref",
        "--contains",
        "HEAD",
        "--format=%(refname:short)",
        "refs/remotes",
    ])?;
    if let Some(remote) = pushed.lines().next() {
        return Err(user_hint(
            format!(
                "the last change, \"{subject}\" ({hash}), is pushed ({remote} has it): the team has it, and ft undoes only what is not shared yet"
            ),
            "change it back with a new change: `ft reopen ID TASK`, `ft set ID KEY VALUE`, or `ft edit ID`",
        ));
    }
    if !repo.succeeds(&["rev-parse", "--verify", "--quiet", "HEAD~1"])? {
        return Err(user(format!(
            "\"{subject}\" ({hash}) is the repository's first commit; ft does not remove it"
        )));
    }
    let files = repo.output(&["diff-tree", "--no-commit-id", "--name-only", "-r", "HEAD"])?;
    let files: Vec<&str> = files.lines().filter(|l| !l.is_empty()).collect();
    let dirty = repo.dirty()?;
    if let Some(f) = files.iter().find(|f| dirty.iter().any(|d| d == *f)) {
        return Err(user_hint(
            format!(
                "`{f}` was changed by hand since ft's last change (\"{subject}\"); `ft undo` does not overwrite it"
            ),
            "commit or discard that edit first (`git diff` shows it)",
        ));
    }
    if dry_run {
        return Ok(format!("would undo: {subject} (commit {hash}, not pushed)"));
    }
    drop_commit(ws, repo, &files)?;
    Ok(format!(
        "undid: {subject} (removed commit {hash}, which was not pushed)"
    ))
}

/// `git reset --soft HEAD~1`, then put each file of the commit back as it
/// was before it (removing files the commit created).
fn drop_commit(ws: &Workspace, repo: &Repo, files: &[&str]) -> Result<()> {
    let _tree = crate::lock::rewriting(&ws.root);
    repo.output(&["reset", "--quiet", "--soft", "HEAD~1"])?;
    for f in files {
        let spec = format!("HEAD:{f}");
        if repo.succeeds(&["cat-file", "-e", &spec])? {
            repo.output(&[
                "restore",
                "--staged",
                "--worktree",
                "--source=HEAD",
                "--",
                f,
            ])?;
        } else {
            repo.output(&["rm", "--quiet", "-f", "--", f])?;
        }
    }
    Ok(())
}
