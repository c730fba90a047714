#![no_main]
//! Any personal config gives a config or an error; never a panic.

use std::path::Path;

use ft::workspace::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = Config::parse(Path::new("/home/me/.config/ft/config.toml"), text);
});
