#![no_main]
//! Any text given as an engagement file is loaded or refused with
//! diagnostics, and every edit keeps the text outside the touched value,
//! its BOM and its line endings.

use std::path::Path;
use std::sync::OnceLock;

use ft::engagement::edit::{EditDoc, Framing};
use ft::engagement::load;
use ft::playbook::{Catalog, builtin};
use libfuzzer_sys::fuzz_target;

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| {
        let mut c = Catalog::default();
        for p in builtin::all() {
            c.insert(p);
        }
        c
    })
}

fuzz_target!(|text: &str| {
    let loaded = load::parse(Path::new("fuzz.toml"), "fuzz", text, catalog());
    if loaded.engagement.is_none() {
        assert!(loaded.problems.iter().any(|p| p.is_error()));
    }
    // What the write model strips before editing is put back byte for byte.
    let (framing, body) = Framing::strip(text);
    assert_eq!(framing.restore(&body), text);
    if let Ok(mut doc) = EditDoc::parse(&body) {
        let _ = doc.set(
            &["tasks", "3616", "done"],
            "2026-11-23".parse::<toml_edit::Datetime>().unwrap(),
        );
        let _ = doc.push_entry("notes", &[("text", "fuzz".into())]);
        let out = framing.restore(&doc.to_string());
        // Whatever ft writes parses again.
        assert!(out.parse::<toml_edit::DocumentMut>().is_ok(), "{out}");
    }
});
