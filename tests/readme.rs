//! The README's example outputs are generated, not typed: each block after
//! an `<!-- example: ARGS -->` line is what `ft ARGS` prints on the example
//! workspace pinned to 2026-11-23. `A && B` runs A first and shows B;
//! `FT_WIDTH=N` before the arguments sets the width. With `UPDATE_README=1`
//! the blocks are rewritten instead of compared.

mod support;

use support::Ws;

const MARK: &str = "<!-- example: ";

/// Run one example on a fresh copy of the example workspace.
fn output(example: &str) -> String {
    let ws = Ws::demo();
    let mut last = String::new();
    for step in example.split(" && ") {
        let mut words: Vec<&str> = step.split_whitespace().collect();
        let mut env = Vec::new();
        while let Some((k, v)) = words.first().and_then(|w| w.split_once('=')) {
            if !k.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
                break;
            }
            env.push((k, v));
            words.remove(0);
        }
        last = ws.ft_env(&words, &env).ok().stdout;
    }
    last
}

#[test]
fn readme_example_outputs_are_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = String::new();
    let mut rest = text.as_str();
    let mut stale = Vec::new();
    let mut count = 0;
    while let Some(at) = rest.find(MARK) {
        let example_end = rest[at..].find(" -->").expect("closed marker") + at;
        let example = &rest[at + MARK.len()..example_end];
        let open = rest[example_end..].find("```text\n").expect("a text block") + example_end + 8;
        let close = rest[open..].find("```\n").expect("closed block") + open;
        let want = output(example);
        if rest[open..close] != want {
            stale.push(format!("{example}:\n{want}"));
        }
        out.push_str(&rest[..open]);
        out.push_str(&want);
        rest = &rest[close..];
        count += 1;
    }
    out.push_str(rest);
    assert!(count >= 3, "the README has {count} generated examples");
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(path, out).unwrap();
        return;
    }
    assert!(
        stale.is_empty(),
        "README examples differ (UPDATE_README=1 cargo test --test readme):\n{}",
        stale.join("\n")
    );
}
