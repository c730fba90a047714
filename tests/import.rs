//! `ft playbook import` over the real FastTrack playbook pages.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use support::Ws;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/playbooks-md");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// An independent reading of a page: task id -> mandatory, counting every
/// table cell that is a bare number as one task row, and taking the first
/// M or O two cells after it as its flag.
fn independent(text: &str) -> (usize, BTreeMap<String, bool>) {
    let mut rows = 0;
    let mut flags = BTreeMap::new();
    for line in text.lines().filter(|l| l.trim_start().starts_with('|')) {
        let cells: Vec<String> = line
            .split('|')
            .map(|c| c.trim().trim_matches('*').trim())
            .map(|c| {
                c.strip_prefix('[')
                    .and_then(|r| r.split_once("]("))
                    .map_or(c, |(text, _)| text)
            })
            .map(ToString::to_string)
            .collect();
        for (i, c) in cells.iter().enumerate() {
            if !c.is_empty()
                && c.chars().all(|ch| ch.is_ascii_digit())
                && i > 0
                && (cells[i - 1].is_empty() || i == 1)
            {
                rows += 1;
                let flag = cells
                    .get(i + 2)
                    .map(|f| f.trim_matches('*').trim().chars().next());
                if let Some(Some(f @ ('M' | 'O'))) = flag {
                    flags.entry(c.clone()).or_insert(f == 'M');
                }
            }
        }
    }
    (rows, flags)
}

fn import_json(ws: &Ws, files: &[&Path]) -> Value {
    let out = ws.path("imported.yaml");
    let mut args = vec!["playbook", "import", "-o", out.to_str().unwrap()];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    ws.ft(&args).ok();
    let show = ws
        .ft(&[
            "playbook",
            "show",
            out.to_str().unwrap(),
            "--format",
            "json",
        ])
        .ok();
    serde_json::from_str(&show.stdout).unwrap()
}

#[test]
fn every_fixture_page_imports_with_every_row_and_flag() {
    let ws = Ws::new();
    let files = fixtures();
    assert_eq!(files.len(), 17);
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let (rows, flags) = independent(&text);
        let v = import_json(&ws, &[file]);
        let tasks: Vec<&Value> = v["stages"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["tasks"].as_array().unwrap())
            .collect();
        let name = file.file_name().unwrap().to_string_lossy();
        let unique: std::collections::BTreeSet<&str> = flags.keys().map(String::as_str).collect();
        assert_eq!(
            tasks.len(),
            unique.len(),
            "{name}: {rows} rows, one task per distinct id"
        );
        assert!(rows >= tasks.len() && rows > 0, "{name}");
        for t in &tasks {
            let id = t["id"].as_str().unwrap();
            assert_eq!(
                t["mandatory"].as_bool(),
                flags.get(id).copied(),
                "{name}: flag of task {id}"
            );
        }
        ws.ft(&[
            "playbook",
            "check",
            ws.path("imported.yaml").to_str().unwrap(),
        ])
        .ok();
    }
}

#[test]
fn importing_the_general_engagement_playbook_gives_the_built_in_tasks() {
    let ws = Ws::new();
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/general-engagement-playbook.md");
    let imported = import_json(&ws, &[&seed]);
    let builtin: Value = serde_json::from_str(
        &ws.ft(&[
            "playbook",
            "show",
            "m365-general-engagement",
            "--format",
            "json",
        ])
        .ok()
        .stdout,
    )
    .unwrap();
    let tasks = |v: &Value| -> Vec<(String, String, bool, String, Value)> {
        v["stages"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["tasks"].as_array().unwrap().clone())
            .map(|t| {
                (
                    t["id"].as_str().unwrap().to_string(),
                    t["name"].as_str().unwrap().to_string(),
                    t["mandatory"].as_bool().unwrap(),
                    t["role"].as_str().unwrap().to_string(),
                    t["services"].clone(),
                )
            })
            .collect()
    };
    // The built-in playbook adds the tasks the seed's prose describes (the
    // partner contact after QuickLeads, the completion discussion and the
    // disengagement), which have no FTOP id; the FTOP tasks are the same.
    let ftop = |v: &Value| -> Vec<(String, String, bool, String, Value)> {
        tasks(v)
            .into_iter()
            .filter(|t| t.0.chars().all(|c| c.is_ascii_digit()))
            .collect()
    };
    assert_eq!(tasks(&imported), ftop(&builtin));
    assert_eq!(ftop(&imported).len(), 12);
    let stage_names: Vec<&str> = imported["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        stage_names[0], "Counduct Custom Kickoff",
        "body-less headings are stages, named as written"
    );
    assert_eq!(
        stage_names.len(),
        5,
        "stages with FTOP tasks: {stage_names:?}"
    );
}

#[test]
fn output_is_deterministic_and_says_where_slas_go() {
    let ws = Ws::new();
    let files = fixtures();
    let mut args = vec!["playbook", "import"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let first = ws.ft(&args).ok();
    let second = ws.ft(&args).ok();
    assert_eq!(first.stdout, second.stdout);
    assert!(
        first
            .stdout
            .contains("# The pages state no SLAs: add `due:")
    );
    assert!(!first.stdout.contains("due:  {"), "no SLA is invented");
    assert!(
        first
            .stderr
            .contains("migrate-migration-partner.md:66: two table rows on one line"),
        "{}",
        first.stderr
    );
    assert!(
        first.stderr.contains("task 3070 also at"),
        "duplicates name both places: {}",
        first.stderr
    );
    assert!(first.stdout.contains("  \"FM\": \"FastTrack Manager\"\n"));
    assert!(
        first
            .stdout
            .contains("  \"MVM\": \"Migration Velocity Manager\"\n")
    );
}

#[test]
fn bad_input_names_the_file() {
    let ws = Ws::new();
    ws.write("notes.md", "# Meeting notes\n\nNothing here.\n");
    ws.write("binary.md", "\0\0\0");
    let r = ws.ft(&["playbook", "import", "notes.md"]).code(2);
    r.stderr_has("notes.md: no FTOP task table");
    let r = ws.ft(&["playbook", "import", "binary.md"]).code(2);
    r.stderr_has("binary.md: not a text file");
    let r = ws.ft(&["playbook", "import", "missing.md"]).code(2);
    r.stderr_has("cannot read `missing.md`");
}
