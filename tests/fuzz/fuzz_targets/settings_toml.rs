#![no_main]
//! Any `ft.toml` gives settings or diagnostics with a position; never a panic.

use std::path::Path;

use ft::workspace::parse_settings;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(problems) = parse_settings(Path::new("ft.toml"), text) {
        assert!(!problems.is_empty());
        for p in problems {
            assert!(p.line >= 1 && p.column >= 1);
        }
    }
});
