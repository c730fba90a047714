//! `.ft/cal-seq`: the SEQUENCE of each event `ft cal` has written, so that
//! it never goes down and grows whenever the event's start moves, whatever
//! moved it (`ft undo`, `ft edit`, a hand edit, a `git pull`).
//!
//! Derived from the engagement alone, a SEQUENCE would follow its history
//! back down on `ft undo` and miss changes made outside ft; calendars ignore
//! an update whose SEQUENCE is not higher. So each run compares every UID's
//! start with the one it last wrote, and counts the moves. The file is local
//! (`.ft/` is never committed), one JSON object per line:
//!
//! ```json
//! {"uid":"4047.contoso-teams@team","start":"20261124","seq":2,"seen":"2026-11-23"}
//! ```
//!
//! A line that cannot be read is dropped, a file too large or damaged reads
//! as empty: the UIDs it held start again at their floor (the number of
//! changes recorded in the engagement), which keeps a lost file from
//! sending numbers far back. The newest [`MAX_ENTRIES`] UIDs are kept.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Result;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

const FILE: &str = "cal-seq";
/// At most this many UIDs are remembered (those seen last).
pub const MAX_ENTRIES: usize = 5_000;
/// A larger file is not read (it reads as empty).
const MAX_BYTES: usize = 2 * 1024 * 1024;

/// What was last written for one UID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Mark {
    uid: String,
    start: String,
    seq: u32,
    seen: NaiveDate,
}

/// The SEQUENCE state of a workspace.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Seqs {
    marks: HashMap<String, Mark>,
    changed: bool,
}

impl Seqs {
    /// Read the state from its text; what cannot be read is left out.
    pub fn parse(text: &str) -> Seqs {
        let mut marks = HashMap::new();
        for line in text.lines() {
            if let Ok(m) = serde_json::from_str::<Mark>(line) {
                // Of two lines for one UID, the higher number stands.
                let keep = marks.get(&m.uid).is_none_or(|old: &Mark| old.seq <= m.seq);
                if keep {
                    marks.insert(m.uid.clone(), m);
                }
            }
        }
        Seqs {
            marks,
            changed: false,
        }
    }

    /// The state as text, the newest [`MAX_ENTRIES`] UIDs, sorted by UID.
    pub fn text(&self) -> String {
        let mut marks: Vec<&Mark> = self.marks.values().collect();
        marks.sort_by(|a, b| b.seen.cmp(&a.seen).then_with(|| a.uid.cmp(&b.uid)));
        marks.truncate(MAX_ENTRIES);
        marks.sort_by(|a, b| a.uid.cmp(&b.uid));
        let mut out = String::new();
        for m in marks {
            if let Ok(line) = serde_json::to_string(m) {
                out.push_str(&line);
                out.push('\n');
            }
        }
        out
    }

    /// Has anything changed since it was read?
    pub fn changed(&self) -> bool {
        self.changed
    }

    /// The SEQUENCE for `uid` starting at `start`, noting it: the last one
    /// while the start stays, one more (at least `floor`) when it moved, and
    /// `floor` for a UID not seen before.
    pub fn sequence(&mut self, uid: &str, start: &str, floor: u32, today: NaiveDate) -> u32 {
        let seq = match self.marks.get(uid) {
            Some(m) if m.start == start => m.seq,
            Some(m) => m.seq.saturating_add(1).max(floor),
            None => floor,
        };
        let mark = Mark {
            uid: uid.to_string(),
            start: start.to_string(),
            seq,
            seen: today,
        };
        if self.marks.get(uid) != Some(&mark) {
            self.changed = true;
            self.marks.insert(uid.to_string(), mark);
        }
        seq
    }
}

/// Read the workspace's state; anything that cannot be read is empty.
pub fn load(root: &Path) -> Seqs {
    let Ok(ft) = crate::engagement::store::private_dir(&root.join(".ft")) else {
        return Seqs::default();
    };
    match ft.kind(FILE) {
        Ok(Some(_)) => ft
            .read_text(FILE, MAX_BYTES)
            .map_or_else(|_| Seqs::default(), |t| Seqs::parse(&t)),
        _ => Seqs::default(),
    }
}

/// Write the state atomically when it changed.
pub fn save(root: &Path, seqs: &Seqs) -> Result<()> {
    if !seqs.changed() {
        return Ok(());
    }
    let ft = crate::engagement::store::private_dir(&root.join(".ft"))?;
    ft.write_atomic(FILE, seqs.text().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_moved_start_raises_the_sequence_and_it_never_goes_down() {
        let today = d("2026-11-23");
        let mut s = Seqs::default();
        assert_eq!(s.sequence("a@w", "20261124", 3, today), 3);
        assert_eq!(s.sequence("a@w", "20261124", 5, today), 3, "unmoved");
        assert_eq!(s.sequence("a@w", "20261126", 0, today), 4, "moved");
        assert_eq!(s.sequence("a@w", "20261124", 0, today), 5, "moved back");
        assert_eq!(s.sequence("a@w", "20261125", 9, today), 9, "the floor");
        let again = Seqs::parse(&s.text());
        assert_eq!(again.marks, s.marks);
    }

    #[test]
    fn damaged_lines_are_dropped_and_the_rest_kept() {
        let text = "{\"uid\":\"a@w\",\"start\":\"20261124\",\"seq\":2,\"seen\":\"2026-11-23\"}\n\
                    garbage\n{\"uid\":\"b@w\",\"seq\":\n\u{0}\u{1}";
        let mut s = Seqs::parse(text);
        assert_eq!(s.marks.len(), 1);
        assert_eq!(s.sequence("a@w", "20261125", 0, d("2026-11-23")), 3);
    }

    #[test]
    fn only_the_uids_seen_last_are_kept() {
        let mut s = Seqs::default();
        let old = d("2026-01-01");
        for i in 0..MAX_ENTRIES + 10 {
            s.sequence(&format!("old{i}@w"), "20260101", 0, old);
        }
        s.sequence("new@w", "20261124", 0, d("2026-11-23"));
        let kept = Seqs::parse(&s.text());
        assert_eq!(kept.marks.len(), MAX_ENTRIES);
        assert!(kept.marks.contains_key("new@w"));
    }
}
