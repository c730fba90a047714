#![no_main]
//! Any markdown page imports or is refused; what imports always loads as a playbook.

use std::path::Path;

use ft::playbook::{Source, import, load};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let path = Path::new("fuzz.md");
    if let Ok(page) = import::parse_page(path, text) {
        let out = import::to_yaml(&[page], "fuzz", None);
        if let Err(problems) = load::parse(
            Path::new("out.yaml"),
            &out.yaml,
            Source::File("out.yaml".into()),
        ) {
            panic!("imported YAML does not load: {problems:?}\n{}", out.yaml);
        }
    }
});
