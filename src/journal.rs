//! The undo journal: before- and after-images of each change `ft` makes to
//! an engagement file, so that `ft undo` can take back the last one in a
//! workspace without git.
//!
//! Each change is one file in `.ft/journal/` (local to this machine, never
//! committed), named by a growing sequence number, `000042.json`:
//!
//! ```json
//! {"version":1,"at":"2026-11-23T09:15:00Z","by":"alice","line":"contoso-teams ...: 994 done",
//!  "id":"contoso-teams","before":"...whole file...","after":"...whole file..."}
//! ```
//!
//! `before` is null when the change created the file. The entry is written
//! atomically, under the workspace lock, *before* the engagement file is: a
//! crash in between leaves an entry whose file still holds `before`, which
//! `ft undo` recognises (the change never happened) and passes over. `ft
//! undo` restores `before` only while the file still holds `after` byte for
//! byte: a file changed since by hand is never overwritten. The newest
//! [`KEEP`] entries are kept.

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::fsx::Dir;

/// How many changes `ft undo` can go back.
pub const KEEP: usize = 50;

const DIR: &str = "journal";
/// An entry holds two files of at most `load::MAX_BYTES`, JSON-escaped.
const MAX_ENTRY: usize = 16 * 1024 * 1024;

/// One recorded change.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    pub version: u32,
    pub at: String,
    pub by: Option<String>,
    /// The confirmation the command printed (and its commit message).
    pub line: String,
    /// The engagement id: the file is `engagements/ID.toml`.
    pub id: String,
    pub before: Option<String>,
    pub after: String,
}

/// The journal of a workspace (`.ft/journal/`).
pub struct Journal {
    dir: Dir,
}

impl Journal {
    /// Open (creating it) the journal below the workspace root.
    pub fn open(root: &std::path::Path) -> Result<Journal> {
        let ft = crate::engagement::store::private_dir(&root.join(".ft"))?;
        Ok(Journal {
            dir: ft.sub_create(DIR)?,
        })
    }

    /// Sequence numbers of the entries, oldest first.
    fn numbers(&self) -> Result<Vec<u64>> {
        let mut out: Vec<u64> = self
            .dir
            .entries()?
            .into_iter()
            .filter_map(|(name, _)| name.into_string().ok())
            .filter_map(|n| n.strip_suffix(".json")?.parse::<u64>().ok())
            .collect();
        out.sort_unstable();
        Ok(out)
    }

    fn name(n: u64) -> String {
        format!("{n:06}.json")
    }

    /// Record a change before it is written; keeps the newest [`KEEP`].
    pub fn record(&self, entry: &Entry) -> Result<()> {
        let numbers = self.numbers()?;
        let next = numbers.last().map_or(1, |n| n + 1);
        self.dir.remove_temporaries(std::time::Duration::ZERO);
        let bytes = serde_json::to_vec(entry)?;
        self.dir.write_atomic(&Self::name(next), &bytes)?;
        let excess = (numbers.len() + 1).saturating_sub(KEEP);
        for n in numbers.into_iter().take(excess) {
            self.remove(n);
        }
        Ok(())
    }

    /// The newest entry and its number; an entry that cannot be read is
    /// an error naming it (it is never passed over silently).
    pub fn last(&self) -> Result<Option<(u64, Entry)>> {
        self.last_below(u64::MAX)
    }

    /// The newest entry numbered below `below`, and its number: how a dry
    /// run walks back past entries it does not remove.
    pub fn last_below(&self, below: u64) -> Result<Option<(u64, Entry)>> {
        let Some(n) = self.numbers()?.into_iter().rev().find(|n| *n < below) else {
            return Ok(None);
        };
        let name = Self::name(n);
        let text = self.dir.read_text(&name, MAX_ENTRY)?;
        let entry: Entry = serde_json::from_str(&text).map_err(|e| {
            crate::error::user_hint(
                format!(
                    "cannot read the undo journal entry `{}`: {e}",
                    self.dir.join(&name).display()
                ),
                "remove that file to undo the changes before it",
            )
        })?;
        Ok(Some((n, entry)))
    }

    /// Forget an entry (undone, or never written to its file).
    pub fn remove(&self, n: u64) {
        let path = self.dir.join(&Self::name(n));
        if matches!(
            self.dir.kind(&Self::name(n)),
            Ok(Some(crate::fsx::Kind::File))
        ) {
            let _ = std::fs::remove_file(path);
        }
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.numbers().map_or(0, |n| n.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
