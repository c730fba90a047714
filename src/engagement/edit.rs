//! Comment-preserving edits of an engagement file.
//!
//! Commands change only the values they touch; a person's comments, key
//! order, blank lines and unknown keys are kept as written. Replacing a value
//! keeps its decoration (the trailing comment on its line).

use toml_edit::{ArrayOfTables, DocumentMut, InlineTable, Item, Key, Table, TableLike, Value};

pub struct EditDoc {
    doc: DocumentMut,
}

/// What `toml_edit` does not keep: a byte-order mark and CRLF line endings.
/// Stripped before parsing and put back after writing, so an edit of such a
/// file changes only the values it touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Framing {
    pub bom: bool,
    /// Every line ends in CRLF (a file with mixed endings is written with LF).
    pub crlf: bool,
}

impl Framing {
    /// The framing of `text` and the text without it.
    pub fn strip(text: &str) -> (Framing, std::borrow::Cow<'_, str>) {
        let (bom, body) = match text.strip_prefix('\u{feff}') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let newlines = body.matches('\n').count();
        let crlf = newlines > 0 && body.matches("\r\n").count() == newlines;
        let body = if crlf {
            std::borrow::Cow::Owned(body.replace("\r\n", "\n"))
        } else {
            std::borrow::Cow::Borrowed(body)
        };
        (Framing { bom, crlf }, body)
    }

    /// `text` (LF, no BOM) with this framing put back.
    pub fn restore(self, text: &str) -> String {
        let mut out =
            String::with_capacity(text.len() + if self.crlf { text.len() / 16 } else { 0 } + 3);
        if self.bom {
            out.push('\u{feff}');
        }
        if self.crlf {
            out.push_str(&text.replace('\n', "\r\n"));
        } else {
            out.push_str(text);
        }
        out
    }
}

impl EditDoc {
    pub fn parse(text: &str) -> Result<Self, String> {
        text.parse::<DocumentMut>()
            .map(|doc| Self { doc })
            .map_err(|e| e.message().to_string())
    }

    pub fn get(&self, path: &[&str]) -> Option<&Item> {
        let (last, parents) = path.split_last()?;
        let mut table: &dyn TableLike = self.doc.as_table();
        for key in parents {
            table = table.get(key)?.as_table_like()?;
        }
        table.get(last)
    }

    /// A copy of the value at `path`, without its formatting and comments.
    pub fn value(&self, path: &[&str]) -> Option<Value> {
        let mut v = self.get(path)?.as_value()?.clone();
        v.decor_mut().clear();
        Some(v)
    }

    /// Rename a key of a table in place, keeping the order of the keys, the
    /// value and its comments. When `to` is already there, `from` is dropped.
    pub fn rename_key(&mut self, table: &[&str], from: &str, to: &str) -> bool {
        let Ok(t) = self.table_mut_existing(table) else {
            return false;
        };
        if !t.contains_key(from) {
            return false;
        }
        if t.contains_key(to) {
            t.remove(from);
            return true;
        }
        let keys: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
        let mut entries = Vec::with_capacity(keys.len());
        for k in &keys {
            if let Some((key, item)) = t.get_key_value(k) {
                let key = if k == from {
                    Key::new(to).with_leaf_decor(key.leaf_decor().clone())
                } else {
                    key.clone()
                };
                entries.push((key, item.clone()));
            }
            t.remove(k);
        }
        for (key, item) in entries {
            t.entry_format(&key).or_insert(item);
        }
        true
    }

    /// Set a value, creating the tables on the way (`[tasks]`, then inline tables).
    pub fn set(&mut self, path: &[&str], value: impl Into<Value>) -> Result<(), String> {
        let mut value = value.into();
        let (last, parents) = path.split_last().ok_or("empty path")?;
        let table = self.table_mut(parents)?;
        match table.get_mut(last) {
            Some(Item::Value(old)) => {
                let decor = old.decor().clone();
                *value.decor_mut() = decor;
                *old = value;
            }
            Some(Item::Table(_) | Item::ArrayOfTables(_)) => {
                return Err(format!("`{}` is a table, not a value", path.join(".")));
            }
            _ => {
                table.insert(last, Item::Value(value));
            }
        }
        Ok(())
    }

    /// Remove a key; `true` if it was there. Empty inline tables left behind are removed too.
    pub fn remove(&mut self, path: &[&str]) -> bool {
        let Some((last, parents)) = path.split_last() else {
            return false;
        };
        let Ok(table) = self.table_mut_existing(parents) else {
            return false;
        };
        let removed = table.remove(last).is_some();
        if removed && parents.len() >= 2 {
            let empty = self
                .get(parents)
                .and_then(Item::as_inline_table)
                .is_some_and(InlineTable::is_empty);
            if empty {
                self.remove(parents);
            }
        }
        removed
    }

    /// Append to an array value, creating it when absent.
    pub fn push(&mut self, path: &[&str], value: impl Into<Value>) -> Result<(), String> {
        let (last, parents) = path.split_last().ok_or("empty path")?;
        let table = self.table_mut(parents)?;
        if table.get(last).is_none() {
            table.insert(last, Item::Value(Value::Array(toml_edit::Array::new())));
        }
        match table.get_mut(last).and_then(Item::as_array_mut) {
            Some(array) => {
                array.push(value);
                Ok(())
            }
            None => Err(format!("`{}` is not a list", path.join("."))),
        }
    }

    /// Remove the last element of an array value for which `matches` holds; `false` if none does.
    pub fn remove_last(&mut self, path: &[&str], matches: impl Fn(&Value) -> bool) -> bool {
        let Some((last, parents)) = path.split_last() else {
            return false;
        };
        let Ok(table) = self.table_mut_existing(parents) else {
            return false;
        };
        let Some(array) = table.get_mut(last).and_then(Item::as_array_mut) else {
            return false;
        };
        match array
            .iter()
            .enumerate()
            .filter(|(_, v)| matches(v))
            .map(|(i, _)| i)
            .last()
        {
            Some(i) => {
                array.remove(i);
                true
            }
            None => false,
        }
    }

    /// Append an entry to a top-level list of tables (`[[notes]]`), or to an
    /// inline array of tables if the person wrote it that way; returns the
    /// entry's number, counting from 1.
    pub fn push_entry(&mut self, key: &str, entries: &[(&str, Value)]) -> Result<usize, String> {
        let root = self.doc.as_table_mut();
        if root.get(key).is_none() {
            root.insert(key, Item::ArrayOfTables(ArrayOfTables::new()));
        }
        match root.get_mut(key) {
            Some(Item::ArrayOfTables(aot)) => {
                let mut t = Table::new();
                for (k, v) in entries {
                    t.insert(k, Item::Value(v.clone()));
                }
                aot.push(t);
                Ok(aot.len())
            }
            Some(Item::Value(Value::Array(array))) => {
                let mut t = InlineTable::new();
                for (k, v) in entries {
                    t.insert(*k, v.clone());
                }
                array.push(t);
                Ok(array.len())
            }
            _ => Err(format!("`{key}` is not a list of tables")),
        }
    }

    /// Move a list of tables to the end of the file, where a person looks
    /// for a log, whatever tables were added after it.
    pub fn keep_last(&mut self, key: &str) {
        let root = self.doc.as_table_mut();
        if let Some((k, mut item)) = root.remove_entry(key) {
            if let Item::ArrayOfTables(aot) = &mut item {
                for t in aot.iter_mut() {
                    t.set_position(Some(isize::MAX));
                }
            }
            root.insert_formatted(&k, item);
        }
    }

    /// Set a key in the `index`-th (0-based) entry of a top-level list of tables.
    pub fn set_in_entry(
        &mut self,
        key: &str,
        index: usize,
        field: &str,
        value: Value,
    ) -> Result<(), String> {
        let entry: &mut dyn TableLike = match self.doc.as_table_mut().get_mut(key) {
            Some(Item::ArrayOfTables(aot)) => aot.get_mut(index).map(|t| t as &mut dyn TableLike),
            Some(Item::Value(Value::Array(array))) => array
                .get_mut(index)
                .and_then(Value::as_inline_table_mut)
                .map(|t| t as &mut dyn TableLike),
            _ => None,
        }
        .ok_or_else(|| format!("no entry {} in `{key}`", index + 1))?;
        match entry.get_mut(field) {
            Some(Item::Value(old)) => {
                let mut value = value;
                *value.decor_mut() = old.decor().clone();
                *old = value;
            }
            _ => {
                entry.insert(field, Item::Value(value));
            }
        }
        Ok(())
    }

    fn table_mut(&mut self, path: &[&str]) -> Result<&mut dyn TableLike, String> {
        let mut table: &mut dyn TableLike = self.doc.as_table_mut();
        for (depth, key) in path.iter().enumerate() {
            if table.get(key).is_none() {
                let item = if depth == 0 {
                    Item::Table(Table::new())
                } else {
                    Item::Value(Value::InlineTable(InlineTable::new()))
                };
                table.insert(key, item);
            }
            table = table
                .get_mut(key)
                .and_then(Item::as_table_like_mut)
                .ok_or_else(|| format!("`{}` is not a table", path[..=depth].join(".")))?;
        }
        Ok(table)
    }

    fn table_mut_existing(&mut self, path: &[&str]) -> Result<&mut dyn TableLike, String> {
        let mut table: &mut dyn TableLike = self.doc.as_table_mut();
        for key in path {
            table = table
                .get_mut(key)
                .and_then(Item::as_table_like_mut)
                .ok_or("missing")?;
        }
        Ok(table)
    }
}

impl std::fmt::Display for EditDoc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_round_trips_bom_and_crlf() {
        for text in [
            "a = 1\r\nb = 2\r\n",
            "\u{feff}a = 1\nb = 2\n",
            "\u{feff}a = 1\r\n",
            "a = 1\nb = 2\r\n",
            "a = 1",
            "",
        ] {
            let (f, body) = Framing::strip(text);
            assert!(!body.starts_with('\u{feff}'));
            assert_eq!(f.restore(&body), text, "{text:?}");
        }
        let (f, body) = Framing::strip("\u{feff}a = 1\r\n");
        assert_eq!((f.bom, f.crlf, &*body), (true, true, "a = 1\n"));
    }

    const TEXT: &str = "\
# Contoso: hand-written header
customer = \"Contoso\"   # the legal name
playbook = \"m365-general-engagement\"
custom_key = [1, 2]      # unknown to ft

[tasks]
# kickoff done early
994 = { done = 2026-11-02, note = \"went well\" }  # keep me

[[notes]]
on = 2026-11-01
text = \"first\"
";

    #[test]
    fn set_keeps_comments_and_unknown_keys() {
        let mut doc = EditDoc::parse(TEXT).unwrap();
        doc.set(&["customer"], "Contoso Ltd").unwrap();
        doc.set(
            &["tasks", "994", "done"],
            "2026-11-03".parse::<toml_edit::Datetime>().unwrap(),
        )
        .unwrap();
        doc.set(
            &["tasks", "3616", "done"],
            "2026-11-04".parse::<toml_edit::Datetime>().unwrap(),
        )
        .unwrap();
        let out = doc.to_string();
        assert_eq!(
            out,
            TEXT.replace("\"Contoso\"   #", "\"Contoso Ltd\"   #")
                .replace("994 = { done = 2026-11-02,", "994 = { done = 2026-11-03,")
                .replace("# keep me\n", "# keep me\n3616 = { done = 2026-11-04 }\n")
        );
    }

    #[test]
    fn new_tables_and_entries() {
        let mut doc = EditDoc::parse(TEXT).unwrap();
        doc.set(
            &["milestones", "kickoff"],
            "2026-11-02".parse::<toml_edit::Datetime>().unwrap(),
        )
        .unwrap();
        doc.push_entry(
            "notes",
            &[
                (
                    "on",
                    "2026-11-05".parse::<toml_edit::Datetime>().unwrap().into(),
                ),
                ("text", "second".into()),
            ],
        )
        .unwrap();
        doc.push(
            &["cadences", "checkpoint"],
            "2026-11-09".parse::<toml_edit::Datetime>().unwrap(),
        )
        .unwrap();
        let out = doc.to_string();
        assert!(out.starts_with(TEXT), "{out}");
        assert!(
            out.contains("[[notes]]\non = 2026-11-05\ntext = \"second\"\n"),
            "{out}"
        );
        assert!(
            out.contains("[milestones]\nkickoff = 2026-11-02\n"),
            "{out}"
        );
        assert!(
            out.contains("[cadences]\ncheckpoint = [2026-11-09]\n"),
            "{out}"
        );
    }

    proptest::proptest! {
        /// Whatever text is set is read back, and the rest of the file is untouched.
        #[test]
        fn set_then_read_back(text in "\\PC{0,60}", key in "[a-z][a-z0-9_-]{0,12}") {
            let mut doc = EditDoc::parse(TEXT).unwrap();
            doc.set(&["notes_extra", &key], text.as_str()).unwrap();
            let out = doc.to_string();
            proptest::prop_assert!(out.starts_with(TEXT));
            let parsed: toml::Table = toml::from_str(&out).unwrap();
            proptest::prop_assert_eq!(parsed["notes_extra"][&key].as_str(), Some(text.as_str()));
        }
    }

    #[test]
    fn remove_cleans_up_empty_records() {
        let mut doc = EditDoc::parse(TEXT).unwrap();
        assert!(doc.remove(&["tasks", "994", "done"]));
        assert!(doc.get(&["tasks", "994"]).is_some(), "the note is kept");
        assert!(doc.remove(&["tasks", "994", "note"]));
        assert!(doc.get(&["tasks", "994"]).is_none());
        assert!(!doc.remove(&["tasks", "994", "note"]));
    }

    #[test]
    fn remove_last_removes_the_last_matching_occurrence_only() {
        let text = "[cadences]\ncheckpoint = [2026-11-02, 2026-11-09, 2026-11-02]  # logged\n";
        let mut doc = EditDoc::parse(text).unwrap();
        assert!(
            doc.remove_last(&["cadences", "checkpoint"], |v| v.to_string().trim()
                == "2026-11-02"),
            "remove_last must report that it removed an occurrence"
        );
        assert_eq!(
            doc.to_string(),
            "[cadences]\ncheckpoint = [2026-11-02, 2026-11-09]  # logged\n",
            "remove_last must remove exactly the last occurrence printed as the text"
        );
        assert!(
            doc.remove_last(&["cadences", "checkpoint"], |v| v.to_string().trim()
                == "2026-11-09")
        );
        assert!(
            doc.remove_last(&["cadences", "checkpoint"], |v| v.to_string().trim()
                == "2026-11-02")
        );
        assert_eq!(
            doc.to_string(),
            "[cadences]\ncheckpoint = []  # logged\n",
            "remove_last must be able to empty the list"
        );
        assert!(
            !doc.remove_last(&["cadences", "checkpoint"], |v| v.to_string().trim()
                == "2026-11-02"),
            "nothing left to remove"
        );
        assert!(
            !doc.remove_last(&["cadences", "other"], |v| v.to_string().trim()
                == "2026-11-02")
        );
        assert!(
            !doc.remove_last(&["nowhere", "other"], |v| v.to_string().trim()
                == "2026-11-02")
        );
    }

    #[test]
    fn push_entry_appends_to_notes_written_as_an_inline_array() {
        let text = "customer = \"C\"\nnotes = [{ on = 2026-11-01, text = \"first\" }]  # by hand\n";
        let mut doc = EditDoc::parse(text).unwrap();
        doc.push_entry(
            "notes",
            &[
                (
                    "on",
                    "2026-11-05".parse::<toml_edit::Datetime>().unwrap().into(),
                ),
                ("text", "second".into()),
            ],
        )
        .expect("push_entry must accept notes written as an inline array of tables");
        let out = doc.to_string();
        let parsed: toml::Table = toml::from_str(&out).unwrap();
        let notes = parsed["notes"].as_array().unwrap();
        assert_eq!(
            notes.len(),
            2,
            "push_entry must append to the inline array:\n{out}"
        );
        assert_eq!(notes[1]["text"].as_str(), Some("second"), "{out}");
        assert!(
            out.starts_with("customer = \"C\"\nnotes = [{ on = 2026-11-01, text = \"first\" }, "),
            "the inline array stays inline and keeps its first entry:\n{out}"
        );
        assert!(out.ends_with("]  # by hand\n"), "{out}");
        let mut scalar = EditDoc::parse("notes = 3\n").unwrap();
        assert!(
            scalar.push_entry("notes", &[("text", "x".into())]).is_err(),
            "a value that is not a list is refused"
        );
    }

    #[test]
    fn set_refuses_to_replace_a_table_with_a_value() {
        let mut doc = EditDoc::parse(TEXT).unwrap();
        assert_eq!(
            doc.set(&["tasks"], "x"),
            Err("`tasks` is a table, not a value".to_string())
        );
        assert_eq!(doc.to_string(), TEXT, "a refused set changes nothing");
        assert!(doc.set(&["notes"], "x").is_err(), "nor a list of tables");
        assert_eq!(doc.to_string(), TEXT);
    }

    #[test]
    fn remove_of_a_missing_key_leaves_an_empty_record_alone() {
        let text = "[tasks]\n994 = {}  # written by hand\n";
        let mut doc = EditDoc::parse(text).unwrap();
        assert!(!doc.remove(&["tasks", "994", "done"]));
        assert_eq!(
            doc.to_string(),
            text,
            "removing a key that is not there must change nothing"
        );
    }

    #[test]
    fn set_in_entry_keeps_comments_in_both_list_forms() {
        let text = "\
notes = [{ on = 2026-11-01, text = \"first\" }]

[[blockers]]
opened = 2026-11-02
text = \"access\"
resolved = 2026-11-03  # by hand
";
        let mut doc = EditDoc::parse(text).unwrap();
        let day = |s: &str| Value::from(s.parse::<toml_edit::Datetime>().unwrap());
        doc.set_in_entry("blockers", 0, "resolved", day("2026-11-04"))
            .unwrap();
        doc.set_in_entry("notes", 0, "by", "dana".into())
            .expect("an entry of an inline array of tables can be set");
        let out = doc.to_string();
        assert!(
            out.contains("\nresolved = 2026-11-04  # by hand\n"),
            "set_in_entry replaces the value and keeps its comment:\n{out}"
        );
        let parsed: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(parsed["notes"][0]["by"].as_str(), Some("dana"), "{out}");
        assert_eq!(parsed["notes"][0]["text"].as_str(), Some("first"), "{out}");
        assert_eq!(
            doc.set_in_entry("blockers", 1, "resolved", day("2026-11-04")),
            Err("no entry 2 in `blockers`".to_string())
        );
    }
}
