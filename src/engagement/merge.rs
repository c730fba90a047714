//! Three-way merge of one engagement file, for git's merge driver
//! (`ft merge-file`).
//!
//! The file is mostly a record of what happened: `[[events]]`, `[[notes]]`,
//! `[[health]]`, `[[blockers]]`, `[[holds]]`, `[[handovers]]` and the
//! occurrences of each cadence only grow. Those lists are merged as unions:
//! what either side added is kept, in date order, without duplicates, and what
//! one side removed or changed in place (a blocker resolved) is removed or
//! replaced. Every other value is merged key by key: changed on one side, that
//! side wins; changed the same way on both, fine; changed differently on both,
//! a conflict naming the key. The result is our document edited in place, so
//! comments and layout of what did not change are kept.

use std::collections::HashMap;

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value};

use crate::time::When;

/// Top-level lists that only grow.
const LISTS: [&str; 6] = [
    "events",
    "notes",
    "health",
    "blockers",
    "holds",
    "handovers",
];
/// Keys that date a record, first found wins.
const DATE_KEYS: [&str; 6] = ["at", "on", "opened", "from", "date", "since"];

/// Which side wins a key changed differently on both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    Ours,
    Theirs,
}

/// A key changed differently on both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub key: String,
    pub ours: String,
    pub theirs: String,
}

/// The merged text and the conflicts (settled by `keep` when given).
#[derive(Debug)]
pub struct Merged {
    pub text: String,
    pub conflicts: Vec<Conflict>,
}

/// Merge `ours` and `theirs`, both changed from `base`.
pub fn merge(base: &str, ours: &str, theirs: &str, keep: Option<Keep>) -> Result<Merged, String> {
    let parse = |side: &str, text: &str| {
        text.parse::<DocumentMut>()
            .map_err(|e| format!("{side} is not valid TOML: {}", e.message().trim_end()))
    };
    let base = parse("the common ancestor", base)?;
    let mut doc = parse("our side", ours)?;
    let theirs = parse("their side", theirs)?;
    let mut cx = Cx {
        keep,
        conflicts: Vec::new(),
    };
    merge_table(
        &mut Vec::new(),
        Some(base.as_table()),
        doc.as_table_mut(),
        theirs.as_table(),
        &mut cx,
    );
    keep_events_last(&mut doc);
    Ok(Merged {
        text: doc.to_string(),
        conflicts: cx.conflicts,
    })
}

struct Cx {
    keep: Option<Keep>,
    conflicts: Vec<Conflict>,
}

fn merge_table(path: &mut Vec<String>, b: Option<&Table>, o: &mut Table, t: &Table, cx: &mut Cx) {
    let mut keys: Vec<String> = o.iter().map(|(k, _)| k.to_string()).collect();
    for (k, _) in t.iter() {
        if !o.contains_key(k) {
            keys.push(k.to_string());
        }
    }
    for k in keys {
        let bi = b.and_then(|b| b.get(&k));
        let ti = t.get(&k);
        path.push(k.clone());
        if is_list(path) {
            if let Some(merged) = merge_list(bi, o.get(&k), ti) {
                o.insert(&k, merged);
            }
        } else if let (Some(Item::Table(_)), Some(Item::Table(tt))) = (o.get(&k), ti) {
            let bt = bi.and_then(Item::as_table);
            if let Some(Item::Table(ot)) = o.get_mut(&k) {
                merge_table(path, bt, ot, tt, cx);
            }
        } else {
            merge_value(path, &k, bi, o, ti, cx);
        }
        path.pop();
    }
}

/// A list that only grows: the top-level records and each cadence's occurrences.
fn is_list(path: &[String]) -> bool {
    match path {
        [one] => LISTS.contains(&one.as_str()),
        [parent, _] => parent == "cadences",
        _ => false,
    }
}

fn merge_value(
    path: &[String],
    k: &str,
    bi: Option<&Item>,
    o: &mut Table,
    ti: Option<&Item>,
    cx: &mut Cx,
) {
    let (bc, oc, tc) = (canon_opt(bi), canon_opt(o.get(k)), canon_opt(ti));
    if oc == tc || tc == bc {
        return;
    }
    if oc != bc {
        cx.conflicts.push(Conflict {
            key: path.join("."),
            ours: shown(o.get(k)),
            theirs: shown(ti),
        });
        if cx.keep != Some(Keep::Theirs) {
            return;
        }
    }
    take_theirs(o, k, ti);
}

fn take_theirs(o: &mut Table, k: &str, ti: Option<&Item>) {
    match (o.get_mut(k), ti) {
        (_, None) => {
            o.remove(k);
        }
        (Some(Item::Value(ov)), Some(Item::Value(tv))) => {
            let decor = ov.decor().clone();
            let mut nv = tv.clone();
            *nv.decor_mut() = decor;
            *ov = nv;
        }
        (_, Some(item)) => {
            let mut item = item.clone();
            if let Item::Table(t) = &mut item {
                t.set_position(None);
            }
            o.insert(k, item);
        }
    }
}

/// One element of a list, from either form (`[[notes]]` or `notes = [...]`).
#[derive(Clone)]
enum El {
    Table(Table),
    Value(Value),
}

impl El {
    fn canon(&self) -> String {
        match self {
            El::Table(t) => canon_table(t),
            El::Value(v) => canon_value(v),
        }
    }

    fn date(&self) -> Option<When> {
        let when = |v: &Value| v.as_datetime().and_then(|d| When::from_toml(d).ok());
        match self {
            El::Table(t) => DATE_KEYS
                .iter()
                .find_map(|k| t.get(k).and_then(Item::as_value).and_then(when)),
            El::Value(Value::InlineTable(t)) => {
                DATE_KEYS.iter().find_map(|k| t.get(k).and_then(when))
            }
            El::Value(v) => when(v),
        }
    }
}

fn elements(item: Option<&Item>) -> Vec<El> {
    match item {
        Some(Item::ArrayOfTables(a)) => a.iter().cloned().map(El::Table).collect(),
        Some(Item::Value(Value::Array(a))) => a.iter().cloned().map(El::Value).collect(),
        _ => Vec::new(),
    }
}

/// Union of what both sides added; removed where either side removed.
fn merge_list(bi: Option<&Item>, oi: Option<&Item>, ti: Option<&Item>) -> Option<Item> {
    let (b, o, t) = (elements(bi), elements(oi), elements(ti));
    let mut counts: HashMap<String, [usize; 3]> = HashMap::new();
    for (side, list) in [&b, &o, &t].into_iter().enumerate() {
        for el in list {
            counts.entry(el.canon()).or_default()[side] += 1;
        }
    }
    let target = |c: &[usize; 3]| match *c {
        [_, o, t] if o == t => o,
        [b, o, t] if o == b => t,
        [b, o, t] if t == b => o,
        [_, o, t] => o.max(t),
    };
    let mut placed: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<(El, bool)> = Vec::new();
    for el in o {
        let key = el.canon();
        let n = placed.entry(key.clone()).or_default();
        if *n < target(&counts[&key]) {
            *n += 1;
            out.push((el, false));
        }
    }
    for el in t {
        let key = el.canon();
        let n = placed.entry(key.clone()).or_default();
        if *n < target(&counts[&key]) {
            *n += 1;
            let at = el.date().map_or(out.len(), |d| {
                out.iter()
                    .rposition(|(e, _)| e.date().is_some_and(|x| x <= d))
                    .map_or(0, |i| i + 1)
            });
            out.insert(at, (el, true));
        }
    }
    if out.is_empty() && oi.is_none() {
        return None;
    }
    Some(build_list(oi.or(ti), out))
}

/// The list in the form our side wrote it (or theirs, when ours has none).
fn build_list(form: Option<&Item>, els: Vec<(El, bool)>) -> Item {
    if let Some(Item::Value(Value::Array(orig))) = form {
        let mut a = Array::new();
        for (el, theirs) in els {
            let v = match el {
                El::Value(v) => v,
                El::Table(t) => Value::InlineTable(t.into_inline_table()),
            };
            if theirs {
                a.push(v.decorated("", ""));
            } else {
                a.push_formatted(v);
            }
        }
        a.set_trailing(orig.trailing().as_str().unwrap_or(""));
        a.set_trailing_comma(orig.trailing_comma());
        // Arrays written on one line stay on one line, evenly spaced.
        if !orig.to_string().contains('\n') {
            a.fmt();
        }
        return Item::Value(Value::Array(a));
    }
    let mut aot = ArrayOfTables::new();
    for (el, theirs) in els {
        let mut t = match el {
            El::Table(t) => t,
            El::Value(Value::InlineTable(t)) => t.into_table(),
            El::Value(_) => continue,
        };
        if theirs {
            t.set_position(None);
        }
        aot.push(t);
    }
    Item::ArrayOfTables(aot)
}

/// `[[events]]` stays last in the file, whatever tables the merge added.
fn keep_events_last(doc: &mut DocumentMut) {
    let root = doc.as_table_mut();
    if let Some((k, mut item)) = root.remove_entry("events") {
        if let Item::ArrayOfTables(aot) = &mut item {
            for t in aot.iter_mut() {
                t.set_position(Some(isize::MAX));
            }
        }
        root.insert_formatted(&k, item);
    }
}

fn canon_opt(item: Option<&Item>) -> Option<String> {
    match item? {
        Item::None => None,
        Item::Value(v) => Some(canon_value(v)),
        Item::Table(t) => Some(canon_table(t)),
        Item::ArrayOfTables(a) => Some(format!(
            "[{}]",
            a.iter().map(canon_table).collect::<Vec<_>>().join(",")
        )),
    }
}

/// A value's meaning, whatever its layout: equal strings mean equal values.
fn canon_value(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{:?}", s.value()),
        Value::Integer(i) => i.value().to_string(),
        Value::Float(f) => format!("{:?}", f.value()),
        Value::Boolean(b) => b.value().to_string(),
        Value::Datetime(d) => d.value().to_string(),
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(canon_value).collect::<Vec<_>>().join(",")
        ),
        Value::InlineTable(t) => {
            let mut kv: Vec<String> = t
                .iter()
                .map(|(k, v)| format!("{k:?}={}", canon_value(v)))
                .collect();
            kv.sort();
            format!("{{{}}}", kv.join(","))
        }
    }
}

fn canon_table(t: &Table) -> String {
    let mut kv: Vec<String> = t
        .iter()
        .filter_map(|(k, v)| canon_opt(Some(v)).map(|c| format!("{k:?}={c}")))
        .collect();
    kv.sort();
    format!("{{{}}}", kv.join(","))
}

/// A value as a person reads it in a message.
fn shown(item: Option<&Item>) -> String {
    match item {
        None | Some(Item::None) => "(removed)".into(),
        Some(Item::Value(v)) => v.clone().decorated("", "").to_string(),
        Some(other) => canon_opt(Some(other)).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "\
# Contoso
customer = \"Contoso\"  # legal name
seats = 100
status = \"active\"

[cadences]
checkpoint = [2026-11-02]

[[notes]]
on = 2026-11-01
by = \"bob\"
text = \"first\"

[[events]]
at = 2026-11-01
op = \"note\"
";

    fn add(text: &str, tail: &str) -> String {
        let (head, events) = text.split_once("[[events]]").unwrap();
        format!("{head}{tail}[[events]]{events}")
    }

    #[test]
    fn notes_from_both_sides_are_kept_in_date_order() {
        let ours = add(
            BASE,
            "[[notes]]\non = 2026-11-05\nby = \"alice\"\ntext = \"ours\"\n\n",
        );
        let theirs = add(
            BASE,
            "[[notes]]\non = 2026-11-03\nby = \"carlos\"\ntext = \"theirs\"\n\n",
        );
        let m = merge(BASE, &ours, &theirs, None).unwrap();
        assert!(m.conflicts.is_empty());
        let first = m.text.find("\"first\"").unwrap();
        let t = m.text.find("\"theirs\"").unwrap();
        let o = m.text.find("\"ours\"").unwrap();
        assert!(first < t && t < o, "{}", m.text);
        assert!(m.text.trim_end().ends_with("op = \"note\""), "{}", m.text);
        assert!(m.text.contains("customer = \"Contoso\"  # legal name"));
    }

    #[test]
    fn a_key_changed_on_one_side_takes_that_side() {
        let theirs = BASE.replace("seats = 100", "seats = 200");
        let ours = BASE.replace(
            "checkpoint = [2026-11-02]",
            "checkpoint = [2026-11-02, 2026-11-09]",
        );
        let m = merge(BASE, &ours, &theirs, None).unwrap();
        assert!(m.conflicts.is_empty());
        assert!(m.text.contains("seats = 200"), "{}", m.text);
        assert!(
            m.text.contains("checkpoint = [2026-11-02, 2026-11-09]"),
            "{}",
            m.text
        );
    }

    #[test]
    fn the_same_key_changed_differently_is_a_conflict() {
        let ours = BASE.replace("seats = 100", "seats = 150");
        let theirs = BASE.replace("seats = 100", "seats = 200");
        let m = merge(BASE, &ours, &theirs, None).unwrap();
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].key, "seats");
        let m = merge(BASE, &ours, &theirs, Some(Keep::Theirs)).unwrap();
        assert!(m.text.contains("seats = 200"));
    }

    #[test]
    fn cadence_occurrences_are_a_union() {
        let ours = BASE.replace("[2026-11-02]", "[2026-11-02, 2026-11-16]");
        let theirs = BASE.replace("[2026-11-02]", "[2026-11-02, 2026-11-09]");
        let m = merge(BASE, &ours, &theirs, None).unwrap();
        assert!(
            m.text
                .contains("checkpoint = [2026-11-02, 2026-11-09, 2026-11-16]"),
            "{}",
            m.text
        );
    }
}
