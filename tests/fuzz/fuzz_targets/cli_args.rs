#![no_main]
//! Any command line (NUL-separated arguments, any bytes) parses or is a
//! usage error; what parses has a `--today` that parses or is refused.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt as _;

use clap::Parser as _;
use ft::cli::Cli;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let args =
        std::iter::once(OsStr::new("ft")).chain(data.split(|b| *b == 0).map(OsStr::from_bytes));
    if let Ok(cli) = Cli::try_parse_from(args) {
        if let Some(today) = &cli.global.today {
            let _ = today.parse::<ft::time::When>();
        }
        let _ = format!("{cli:?}");
    }
});
