//! The `toml` crate's paths, measured on a workspace's engagement files (in
//! memory, one thread): what a cold run could save by parsing less.
//!
//!     cargo run --release --example toml_paths -- DIR/engagements
//!
//! - `DeTable::parse`: the borrowed, spanned parse every path starts with
//!   (`toml::from_str` is this, then deserialization);
//! - index keys only, borrowed: `id`, `playbook`, `status` and `[team]`
//!   deserialized into `&str`s, everything else skipped;
//! - owned `toml::Table`: every value into owned strings and maps;
//! - `toml_edit` document: the format-preserving parse (what the unknown-key
//!   check used to parse a second time);
//! - `ft`'s full load: parse, deserialize into spanned types, validate
//!   against the playbook.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use serde::Deserialize;

#[derive(Deserialize)]
#[allow(dead_code)] // read only to be deserialized
struct IndexKeys<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    playbook: Option<Cow<'a, str>>,
    #[serde(borrow)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    team: BTreeMap<&'a str, Member<'a>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
#[allow(dead_code)]
enum Member<'a> {
    Name(#[serde(borrow)] Cow<'a, str>),
    Long {
        #[serde(borrow)]
        person: Cow<'a, str>,
    },
}

fn main() {
    let dir = std::env::args().nth(1).expect("usage: toml_paths DIR");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            (id, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let mut catalog = ft::playbook::Catalog::default();
    for p in ft::playbook::builtin::all() {
        catalog.insert(p);
    }
    println!("{} files, {} KiB", files.len(), bytes / 1024);
    println!("| path | ms | MB/s |");
    println!("| --- | ---: | ---: |");
    let time = |name: &str, f: &dyn Fn(&str, &str) -> bool| {
        let mut best = f64::MAX;
        for _ in 0..5 {
            let start = Instant::now();
            let ok = files.iter().filter(|(id, t)| f(id, t)).count();
            best = best.min(start.elapsed().as_secs_f64());
            assert!(ok * 2 > files.len(), "{name}: most files parse");
        }
        let mbs = bytes as f64 / best / 1e6;
        println!("| {name} | {:.1} | {mbs:.0} |", best * 1e3);
    };
    time("`DeTable::parse`", &|_, t| {
        toml::de::DeTable::parse(t).is_ok()
    });
    time("index keys only, borrowed", &|_, t| {
        toml::from_str::<IndexKeys>(t).is_ok()
    });
    time("owned `toml::Table`", &|_, t| {
        toml::from_str::<toml::Table>(t).is_ok()
    });
    time("`toml_edit` document", &|_, t| {
        toml_edit::Document::parse(t).is_ok()
    });
    time("`ft`'s full load, every file through serde", &|id, t| {
        let path = Path::new(&dir).join(format!("{id}.toml"));
        ft::engagement::load::parse_through_serde(&path, id, t, &catalog)
            .engagement
            .is_some()
    });
    time("`ft`'s full load (parse, walk, validate)", &|id, t| {
        let path = Path::new(&dir).join(format!("{id}.toml"));
        ft::engagement::load::parse(&path, id, t, &catalog)
            .engagement
            .is_some()
    });
}
