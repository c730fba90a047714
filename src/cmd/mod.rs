//! One module per subcommand: its `Args` (doc comments are the `--help`) and `run`.

pub mod assign;
pub mod blocker;
pub mod cal;
pub mod check;
pub mod close;
pub mod completions;
pub mod config;
pub mod dibs;
pub mod done;
pub mod edit;
pub mod explain;
pub mod health;
pub mod hold;
pub mod init;
pub mod list;
pub mod log;
pub mod man;
pub mod merge_file;
pub mod milestone;
pub mod new;
pub mod next;
pub mod note;
pub mod playbook;
pub mod reopen;
pub mod report;
pub mod resume;
pub mod set;
pub mod show;
pub mod skip;
pub mod sync;
pub mod unassign;
pub mod undo;

use anyhow::Result;

use crate::Context;
use crate::engagement::Engagement;
use crate::error::{suggest, user, user_hint};
use crate::playbook::{Catalog, Playbook};
use crate::time::When;
use crate::workspace::Workspace;

/// Split comma-separated, possibly repeated list options.
pub fn split_list(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(ToString::to_string)
        .collect()
}

/// The playbook of a loaded engagement (loading guarantees it exists).
pub fn playbook_of<'a>(catalog: &'a Catalog, e: &Engagement) -> &'a Playbook {
    catalog
        .get(&e.playbook)
        .expect("loaded engagements have a known playbook")
}

/// When something happened: `--on`, else now: with the time of day when
/// `precise` (`Playbook::counts_time_of_day`, [`precise_for`]) and the clock
/// has one, else today.
pub fn when(ctx: &Context, on: Option<&str>, precise: bool) -> Result<When> {
    let w = match on {
        Some(s) => s
            .parse::<When>()
            .map_err(|e| user_hint(format!("--on: {e}"), "e.g. --on 2026-11-20"))?,
        None if precise => ctx.now,
        None => When::Date(ctx.today),
    };
    if w.date() > ctx.today {
        return Err(user_hint(
            format!("{w} is in the future (today is {})", ctx.today),
            "record things once they have happened",
        ));
    }
    Ok(w)
}

/// A date from `--on`, else today; refuses the future.
pub fn date(ctx: &Context, on: Option<&str>) -> Result<chrono::NaiveDate> {
    match on {
        Some(s) => {
            let d = crate::time::parse_date(s).map_err(|e| user(format!("--on: {e}")))?;
            if d > ctx.today {
                return Err(user(format!(
                    "{d} is in the future (today is {})",
                    ctx.today
                )));
            }
            Ok(d)
        }
        None => Ok(ctx.today),
    }
}

/// Record the time of day when completing this task: the playbook counts
/// minutes or hours, or the task's clock started at a recorded time.
pub fn precise_for(p: &Playbook, e: &Engagement, task: &crate::playbook::Task) -> bool {
    p.counts_time_of_day()
        || crate::sla::rule_for(task, e)
            .and_then(|(_, rule)| crate::sla::anchor_time(e, &rule.after))
            .is_some_and(|w| w.has_time())
}

/// Refuse a date before the engagement opened.
pub fn not_before_opened(e: &Engagement, w: When) -> Result<()> {
    if let Some(opened) = e.opened()
        && w.date() < opened.date()
    {
        return Err(user_hint(
            format!("{w} is before `{}` opened on {opened}", e.id),
            "check the date, or correct `opened` under [milestones]",
        ));
    }
    Ok(())
}

/// Unknown task/cadence id error with a suggestion.
pub fn unknown_item(p: &Playbook, id: &str) -> anyhow::Error {
    let candidates = p.task_ids().chain(p.cadences.iter().map(|c| c.id.as_str()));
    let hint = suggest(id, candidates)
        .unwrap_or_else(|| format!("`ft playbook show {}` lists its tasks", p.id));
    user_hint(
        format!("playbook `{}` has no task or cadence `{id}`", p.id),
        hint,
    )
}

/// A one-line human description of an engagement, for confirmations.
pub fn label(e: &Engagement) -> String {
    format!("{} ({})", e.id, e.customer)
}

/// Open the workspace, or fall back to the built-in playbooks alone.
pub fn catalog_or_builtin(ctx: &Context) -> (Option<Workspace>, Catalog) {
    match ctx.workspace() {
        Ok(ws) => {
            let c = ws.catalog.clone();
            (Some(ws), c)
        }
        Err(_) => {
            let mut c = Catalog::default();
            for p in crate::playbook::builtin::all() {
                c.insert(p);
            }
            (None, c)
        }
    }
}
