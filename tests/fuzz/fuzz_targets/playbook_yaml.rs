#![no_main]
//! Any text given as a playbook is loaded or refused with diagnostics; never a panic.

use std::path::Path;

use ft::playbook::{Source, load};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(problems) = load::parse(
        Path::new("fuzz.yaml"),
        text,
        Source::File("fuzz.yaml".into()),
    ) {
        assert!(!problems.is_empty());
        for p in problems {
            assert!(p.line >= 1 && p.column >= 1);
        }
    }
});
