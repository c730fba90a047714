//! `ft merge-file BASE OURS THEIRS [PATH]`: git's merge driver for engagement files.
//!
//! git runs it as `ft merge-file %O %A %B %P` (set up by `ft init`, `ft sync`
//! and the first change in a clone). It writes the merge into OURS and exits
//! 0, or exits 1 naming the engagement and each key changed differently on
//! both sides, leaving OURS as it was. It needs no workspace and takes no lock:
//! it runs inside a git command that `ft` may itself be running under the lock.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::Context;
use crate::engagement::merge::{self, Keep};
use crate::engagement::store::{read, write_atomic};
use crate::escape;

/// Merge one engagement file three ways (git's merge driver)
///
/// Notes, health, blockers, holds, handovers, events and cadence occurrences
/// from both sides are kept, in date order, without duplicates; a value
/// changed on one side takes that side; a value changed differently on both
/// sides is a conflict (exit 1). Set FT_MERGE_KEEP=ours|theirs to settle
/// conflicts for one side.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example: ft merge-file base.toml ours.toml theirs.toml engagements/contoso-teams.toml"
)]
pub struct Args {
    /// The common ancestor (git's %O)
    pub base: PathBuf,
    /// Our version, where the result is written (git's %A)
    pub ours: PathBuf,
    /// Their version (git's %B)
    pub theirs: PathBuf,
    /// The file's path in the repository, for messages (git's %P)
    pub path: Option<PathBuf>,
}

pub fn run(_ctx: &Context, args: Args) -> Result<i32> {
    let shown = args.path.as_deref().unwrap_or(&args.ours);
    let name = engagement_name(shown);
    let keep = match std::env::var("FT_MERGE_KEEP").ok().as_deref() {
        Some("ours") => Some(Keep::Ours),
        Some("theirs") => Some(Keep::Theirs),
        _ => None,
    };
    let texts = [&args.base, &args.ours, &args.theirs].map(|p| read(p));
    let [Ok(base), Ok(ours), Ok(theirs)] = texts else {
        let why = texts
            .into_iter()
            .find_map(Result::err)
            .map(|e| format!("{e:#}"))
            .unwrap_or_default();
        eprintln!("ft merge-file: engagement `{name}`: cannot merge: {why}");
        return Ok(1);
    };
    let merged = match merge::merge(&base, &ours, &theirs, keep) {
        Ok(m) => m,
        Err(why) => {
            eprintln!("ft merge-file: engagement `{name}`: cannot merge: {why}");
            return Ok(1);
        }
    };
    if keep.is_none() && !merged.conflicts.is_empty() {
        // `ft sync` names the sides as a person sees them while rebasing.
        let labels = std::env::var("FT_MERGE_LABELS").unwrap_or_default();
        let (ours_is, theirs_is) = labels.split_once('|').unwrap_or(("ours", "theirs"));
        for c in &merged.conflicts {
            eprintln!(
                "ft merge-file: engagement `{name}`: `{}` changed on both sides: {} {ours_is}, {} {theirs_is}",
                escape::terminal(&c.key),
                escape::terminal(&c.ours),
                escape::terminal(&c.theirs)
            );
        }
        return Ok(1);
    }
    write_atomic(&args.ours, merged.text.as_bytes())?;
    Ok(0)
}

/// `engagements/contoso.toml` -> `contoso`.
fn engagement_name(path: &Path) -> String {
    escape::terminal(&path.file_stem().map_or_else(
        || path.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    ))
}
