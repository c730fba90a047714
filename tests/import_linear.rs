//! `ft playbook import` on hostile pages finishes in time linear in the page.
//!
//! Each page here once took from seconds to hours, or all the memory, because
//! some step compared every row with every other. The time limit is a guard
//! against a hang, not a speed test: every case takes well under a second in
//! a release build and a few in a debug build on a busy machine.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(20);

const HEADER: &str =
    "| Task ID | Task Name | (M)andatory / (O)ptional | FastTrack Role |\n| - | - | - | - |\n";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Run ft in `dir` with a clean environment; fail if it takes over [`LIMIT`].
fn ft(dir: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ft"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("HOME", dir)
        .env("FT_CONFIG", dir.join("config.toml"))
        .env("FT_TODAY", "2026-11-23")
        .env("NO_COLOR", "1")
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            r.read_to_string(&mut s).unwrap();
            s
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > LIMIT {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("ft {args:?} ran for over {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn import(page: &str) -> (tempfile::TempDir, Run) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("page.md"), page).unwrap();
    let run = ft(
        dir.path(),
        &["playbook", "import", "page.md", "-o", "out.yaml"],
    );
    (dir, run)
}

fn refused_as_too_large(run: &Run) {
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "the playbook would be over 1048576 bytes, the most a playbook file may hold"
        ),
        "{}",
        run.stderr
    );
}

/// `ft playbook check out.yaml` agrees the written playbook is whole.
fn checks(dir: &Path, tasks: usize) {
    let run = ft(dir, &["playbook", "check", "out.yaml"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(&format!(" {tasks} tasks,")),
        "{}",
        run.stdout
    );
}

#[test]
fn a_row_of_100_000_pipes_is_refused() {
    let page = format!("# T\n\n{HEADER}{}\n", "|".repeat(100_000));
    let (_dir, run) = import(&page);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("page.md: no FTOP task row could be read (first problem: page.md:5: two table rows on one line"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_line_of_5_000_run_together_rows_is_read() {
    let row: String = (0..5_000).map(|i| format!("{i}|t|M|FE||")).collect();
    let page = format!("# T\n\n{HEADER}|{row}\n");
    let (dir, run) = import(&page);
    assert_eq!(run.code, 0, "{}", run.stderr);
    checks(dir.path(), 5_000);
}

/// Distinct roles whose initials collide: aliases `RP`, `RP2`, ... `RP5000`.
fn roles_page(n: usize) -> String {
    let rows: String = (0..n).map(|i| format!("|{i}|t|M|R{i} P|\n")).collect();
    format!("# T\n\n{HEADER}{rows}")
}

#[test]
fn five_thousand_distinct_roles_are_imported() {
    let (dir, run) = import(&roles_page(5_000));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let yaml = std::fs::read_to_string(dir.path().join("out.yaml")).unwrap();
    assert!(yaml.contains("  \"RP\": \"R0 P\"\n"));
    assert!(yaml.contains("  \"RP5000\": \"R4999 P\"\n"));
    checks(dir.path(), 5_000);
}

#[test]
fn thirty_thousand_distinct_roles_are_refused_as_too_large() {
    let (_dir, run) = import(&roles_page(30_000));
    refused_as_too_large(&run);
    assert!(run.stderr.contains("(30000 tasks from 1 pages)"));
}

#[test]
fn thousands_of_stages_with_one_name_get_numbered_ids() {
    let stage = format!("### Stage\n#### FTOP Tasks\n{HEADER}");
    let page: String = (0..4_000)
        .map(|i| format!("{stage}| {i} | t | M | FE |\n"))
        .collect();
    let (dir, run) = import(&format!("# T\n\n{page}"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let yaml = std::fs::read_to_string(dir.path().join("out.yaml")).unwrap();
    assert!(yaml.contains("  - id: \"stage\"\n"));
    assert!(yaml.contains("  - id: \"stage-4000\"\n"));
    checks(dir.path(), 4_000);
}

/// One `Applies To` of 60,000 services over 20,000 rows: once copied per row.
#[test]
fn a_long_applies_to_is_not_copied_per_row() {
    let services: Vec<String> = (0..60_000).map(|i| format!("S{i}")).collect();
    let rows: String = (0..20_000).map(|_| "|1|t|M|FE|\n").collect();
    let page = format!(
        "# T\n\n### Step\n\nApplies To: **{}**\n\n{HEADER}{rows}",
        services.join(" / ")
    );
    let (dir, run) = import(&page);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("task 1 also at").count(),
        19_999,
        "duplicates are dropped with a warning"
    );
    checks(dir.path(), 1);
}

/// The same list on every row is the same output as many times: refused.
#[test]
fn a_long_applies_to_on_many_tasks_is_refused_as_too_large() {
    let services: Vec<String> = (0..60_000).map(|i| format!("S{i}")).collect();
    let rows: String = (0..20_000).map(|i| format!("|{i}|t|M|FE|\n")).collect();
    let page = format!(
        "# T\n\n### Step\n\nApplies To: **{}**\n\n{HEADER}{rows}",
        services.join(" / ")
    );
    let (_dir, run) = import(&page);
    refused_as_too_large(&run);
}
