//! Style rules from STYLE.md that a test can check: no function over 80 lines.

use std::path::{Path, PathBuf};

const MAX_LINES: usize = 80;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn indent(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}

/// The function's name when `line` starts a function item.
fn fn_name(line: &str) -> Option<&str> {
    let mut rest = line.trim_start();
    for prefix in [
        "pub(crate) ",
        "pub(super) ",
        "pub ",
        "const ",
        "async ",
        "unsafe ",
    ] {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    let rest = rest.strip_prefix("fn ")?;
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    Some(&rest[..end])
}

/// `(line, name, length)` of every function in `text` whose body, from the
/// `fn` line to the closing brace at the same indentation, is over the limit.
/// Modules under `#[cfg(test)]` are skipped.
fn long_functions(text: &str) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim() == "#[cfg(test)]"
            && lines
                .get(i + 1)
                .is_some_and(|l| l.trim_start().starts_with("mod ") && l.trim_end().ends_with('{'))
        {
            let close = format!("{}}}", indent(line));
            i += 2;
            while i < lines.len() && lines[i].trim_end() != close {
                i += 1;
            }
            i += 1;
            continue;
        }
        if let Some(name) = fn_name(line) {
            // Find where the body opens; a declaration without a body ends in `;`.
            let mut j = i;
            while j < lines.len() && !lines[j].contains('{') && !lines[j].trim_end().ends_with(';')
            {
                j += 1;
            }
            let one_line = lines
                .get(j)
                .is_some_and(|l| !l.contains('{') || l.trim_end().ends_with('}'));
            if !one_line {
                let close = format!("{}}}", indent(line));
                if let Some(end) = (j..lines.len()).find(|&k| lines[k].trim_end() == close) {
                    let length = end - i + 1;
                    if length > MAX_LINES {
                        out.push((i + 1, name.to_string(), length));
                    }
                }
            }
        }
        i += 1;
    }
    out
}

#[test]
fn the_counter_measures_from_fn_to_its_closing_brace() {
    let body = "        let x = 1;\n".repeat(79);
    let long = format!(
        "impl A {{\n    pub fn long(\n        a: u8,\n    ) {{\n{body}    }}\n\n    fn short() {{}}\n}}\n"
    );
    assert_eq!(long_functions(&long), [(2, "long".to_string(), 83)]);
    let fits = format!("fn fits() {{\n{}}}\n", "    x();\n".repeat(78));
    assert_eq!(long_functions(&fits), []);
    let tests = format!("#[cfg(test)]\nmod tests {{\n    fn t() {{\n{body}    }}\n}}\n");
    assert_eq!(long_functions(&tests), [], "test modules are not counted");
    assert_eq!(long_functions("trait T {\n    fn f(&self);\n}\n"), []);
}

#[test]
fn no_function_is_over_80_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    let mut long = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        for (line, name, length) in long_functions(&text) {
            let rel = path.strip_prefix(root).unwrap_or(path);
            long.push(format!(
                "{}:{line}: fn {name}: {length} lines",
                rel.display()
            ));
        }
    }
    assert!(
        long.is_empty(),
        "{} functions are over {MAX_LINES} lines (STYLE.md 18: split them along the data they produce):\n{}",
        long.len(),
        long.join("\n")
    );
}
