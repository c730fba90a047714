//! A property of `ft merge-file`: two people edit one engagement through the
//! write model (notes, done, health, blockers, DIBS, settings, cadence
//! occurrences); the merge keeps every record both appended, in date order,
//! and reports a conflict exactly for the keys both changed to different values.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use proptest::prelude::*;

use ft::engagement::Health;
use ft::engagement::merge::merge;
use ft::engagement::ops::{Actor, DibsValue, Op, Setting};
use ft::engagement::store::Change;
use ft::time::When;
use ft::workspace::Workspace;

const BASE: &str = "\
# Tailspin: a hand-written comment that must survive
id = \"t\"
customer = \"Tailspin\"
playbook = \"azure-fasttrack-engineer\"
services = [\"AKS\"]
status = \"active\"

[team]
FE = { person = \"alice\", since = 2026-11-02 }

[milestones]
opened = 2026-11-02
assigned = 2026-11-02

[cadences]
monthly-checkin = [2026-11-03]

[[notes]]
on = 2026-11-02
by = \"bob\"
text = \"first\"
";

#[derive(Debug, Clone)]
enum Edit {
    Note(u32, u8),
    Done(u8, u32),
    Health(u32, u8),
    Blocker(u32, u8),
    Dibs(u8),
    Seats(u8),
    Customer(u8),
    Log(u32),
}

fn day(n: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 3).unwrap() + chrono::Days::new(u64::from(n))
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..15u32, any::<u8>()).prop_map(|(d, t)| Edit::Note(d, t)),
        (0..3u8, 0..15u32).prop_map(|(t, d)| Edit::Done(t, d)),
        (0..15u32, 0..3u8).prop_map(|(d, s)| Edit::Health(d, s)),
        (0..15u32, any::<u8>()).prop_map(|(d, t)| Edit::Blocker(d, t)),
        (0..3u8).prop_map(Edit::Dibs),
        (0..3u8).prop_map(Edit::Seats),
        (0..2u8).prop_map(Edit::Customer),
        (0..15u32).prop_map(Edit::Log),
    ]
}

/// The op for an edit; records are dated in the order they are made.
fn op(e: &Edit, who: &str) -> Op {
    let by = Some(who.to_string());
    match *e {
        Edit::Note(d, t) => Op::Note {
            on: day(d),
            by,
            text: format!("{who} note {t}"),
        },
        Edit::Done(t, d) => Op::Done {
            task: ["customer-contact", "technical-discovery", "engagement-plan"][usize::from(t)]
                .into(),
            on: When::Date(day(d)),
            note: None,
        },
        Edit::Health(d, s) => Op::Health {
            on: day(d),
            status: [Health::Red, Health::Yellow, Health::Green][usize::from(s)],
            note: Some(format!("{who} health")),
        },
        Edit::Blocker(d, t) => Op::Blocker {
            on: day(d),
            by,
            text: format!("{who} blocker {t}"),
        },
        Edit::Dibs(v) => Op::Dibs {
            field: "intent",
            value: DibsValue::Text(format!("intent {v}")),
        },
        Edit::Seats(v) => Op::Set(Setting::Seats(100 + u32::from(v))),
        Edit::Customer(v) => Op::Set(Setting::Customer(format!("Tailspin {v}"))),
        Edit::Log(d) => Op::Log {
            cadence: "monthly-checkin".into(),
            on: When::Date(day(d)),
        },
    }
}

/// Apply the edits as `who` in a workspace of its own; the resulting text.
fn edited(dir: &Path, who: &str, edits: &[Edit]) -> String {
    std::fs::create_dir_all(dir.join("engagements")).unwrap();
    std::fs::write(dir.join("ft.toml"), "[git]\ncommit = false\n").unwrap();
    std::fs::write(dir.join("engagements/t.toml"), BASE).unwrap();
    let ws = Workspace::open(dir).unwrap();
    let actor = Actor {
        at: When::Date(day(20)),
        by: Some(who.into()),
    };
    for e in edits {
        let ops = vec![op(e, who)];
        // An edit the write model refuses (e.g. a done date before its anchor) is skipped.
        let _ = ws.store.apply_locked("t", &ws.catalog, &actor, |_, _| {
            Ok(Change {
                ops,
                line: String::new(),
            })
        });
    }
    std::fs::read_to_string(dir.join("engagements/t.toml")).unwrap()
}

/// Every scalar key (tables recursed, lists left out), as `a.b` -> its value.
fn scalars(text: &str) -> std::collections::BTreeMap<String, toml::Value> {
    fn walk(
        prefix: &str,
        t: &toml::Table,
        doc: &toml_edit::Table,
        out: &mut std::collections::BTreeMap<String, toml::Value>,
    ) {
        for (k, v) in t {
            let key = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            let lists = [
                "events",
                "notes",
                "health",
                "blockers",
                "holds",
                "handovers",
            ];
            if (prefix.is_empty() && lists.contains(&k.as_str())) || prefix == "cadences" {
                continue;
            }
            match (v, doc.get(k)) {
                (toml::Value::Table(inner), Some(toml_edit::Item::Table(d))) => {
                    walk(&key, inner, d, out)
                }
                _ => {
                    out.insert(key, v.clone());
                }
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    let doc: toml_edit::DocumentMut = text.parse().unwrap();
    walk("", &toml::from_str(text).unwrap(), doc.as_table(), &mut out);
    out
}

fn records(text: &str, list: &str) -> Vec<toml::Value> {
    let t: toml::Table = toml::from_str(text).unwrap();
    t.get(list)
        .and_then(|v| v.as_array())
        .cloned()
        .unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn merge_keeps_every_record_and_conflicts_exactly_on_keys_changed_differently(
        mut a in proptest::collection::vec(edit(), 0..6),
        mut b in proptest::collection::vec(edit(), 0..6),
    ) {
        let date = |e: &Edit| match *e { Edit::Note(d, _) | Edit::Health(d, _) | Edit::Blocker(d, _) => d, _ => 0 };
        a.sort_by_key(date);
        b.sort_by_key(date);
        let tmp = tempfile::tempdir().unwrap();
        let ours = edited(&tmp.path().join("a"), "alice", &a);
        let theirs = edited(&tmp.path().join("b"), "carlos", &b);
        let merged = merge(BASE, &ours, &theirs, None).unwrap();
        let (sb, so, st) = (scalars(BASE), scalars(&ours), scalars(&theirs));
        let keys: BTreeSet<&String> = sb.keys().chain(so.keys()).chain(st.keys()).collect();
        let expected: BTreeSet<String> = keys
            .into_iter()
            .filter(|k| {
                let (vb, vo, vt) = (sb.get(*k), so.get(*k), st.get(*k));
                vo != vb && vt != vb && vo != vt
            })
            .cloned()
            .collect();
        let got: BTreeSet<String> = merged.conflicts.iter().map(|c| c.key.clone()).collect();
        prop_assert_eq!(&got, &expected, "ours:\n{}\ntheirs:\n{}", ours, theirs);
        for list in ["notes", "health", "blockers", "events"] {
            let all = records(&merged.text, list);
            for side in [&ours, &theirs] {
                for r in records(side, list) {
                    prop_assert!(all.contains(&r), "{} lost {:?}:\n{}", list, r, merged.text);
                }
            }
            // A record appears no more often than on the side that has it most
            // (one person may legitimately record the same change twice).
            let ours_list = records(&ours, list);
            let theirs_list = records(&theirs, list);
            for r in &all {
                let n = |l: &[_]| l.iter().filter(|x| *x == r).count();
                prop_assert!(
                    n(&all) <= n(&ours_list).max(n(&theirs_list)),
                    "{} duplicated {:?}",
                    list,
                    r
                );
            }
        }
        let days: Vec<String> = records(&merged.text, "notes")
            .iter()
            .map(|n| n.get("on").map(ToString::to_string).unwrap_or_default())
            .collect();
        let mut sorted = days.clone();
        sorted.sort();
        prop_assert_eq!(days, sorted, "notes in date order");
        prop_assert!(merged.text.starts_with("# Tailspin: a hand-written comment that must survive"));
        let last = merged.text.rfind("[[events]]");
        let other = ["[[notes]]", "[[health]]", "[[blockers]]", "[dibs]"].iter().filter_map(|h| merged.text.rfind(h)).max();
        if let (Some(l), Some(o)) = (last, other) {
            prop_assert!(o < l, "events stay last:\n{}", merged.text);
        }
        if expected.is_empty() {
            let ws = Workspace::open(&tmp.path().join("a")).unwrap();
            let loaded = ft::engagement::load::parse(Path::new("t.toml"), "t", &merged.text, &ws.catalog);
            let errors: Vec<_> = loaded.problems.iter().filter(|d| d.is_error()).map(|d| d.message.clone()).collect();
            prop_assert!(loaded.engagement.is_some() && errors.is_empty(), "{:?}\n{}", errors, merged.text);
        }
    }
}
