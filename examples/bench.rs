//! Benchmark: time `ft` commands as whole processes over generated workspaces
//! of realistic engagements, beside two references measured in the same run:
//! the floor (a process that only opens and reads every engagement file) and
//! Taskwarrior's `task next` over the same number of tasks, when installed.
//!
//!     cargo build --release && cargo run --release --example bench -- 1000 10000 50000
//!
//! `.ci/bench` installs Taskwarrior and runs this. Workspaces are made from the
//! demo templates with 60 people sharing the work; commands run as alice, with
//! a warm page cache and a warm `.ft/cache`. Times are medians of 5 runs; peak
//! memory (max RSS) comes from `/usr/bin/time` when present.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::NaiveDate;

const PEOPLE: [&str; 6] = ["alice", "bob", "carlos", "dana", "erin", "priya"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--floor") {
        floor(Path::new(&args[1]));
        return;
    }
    if args.first().map(String::as_str) == Some("--generate") {
        generate(Path::new(&args[1]), args[2].parse().unwrap());
        return;
    }
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000, 50_000]
    } else {
        sizes
    };
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/ft");
    assert!(bin.exists(), "build first: cargo build --release");
    let me = std::env::current_exe().unwrap();
    let has_task = Command::new("task")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    println!(
        "| engagements | floor | ft next | ft assign | ft report --all | ft check | task next | ft next peak RSS |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for n in sizes {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        generate(&root, n);
        std::thread::sleep(Duration::from_millis(2_500)); // let the files settle (see the cache's racy rule)
        let ft = |args: &[&str]| {
            let mut c = Command::new(&bin);
            c.args([
                "-w",
                root.to_str().unwrap(),
                "--today",
                "2026-11-23",
                "--as",
                "alice",
            ])
            .args(args);
            c
        };
        run(ft(&["check"])); // warm the page cache and .ft/cache
        let floor_ms = median(|| {
            let mut c = Command::new(&me);
            c.args(["--floor", root.join("engagements").to_str().unwrap()]);
            c
        });
        let next = median(|| ft(&["next", "--all"]));
        let assign = median(|| {
            let mut c = ft(&["assign", "--role", "FE"]);
            c.env("FT_CONFIG", "/dev/null");
            c
        });
        let report = median(|| ft(&["report", "--all"]));
        let check = median(|| ft(&["check"]));
        let task = if has_task {
            format!("{:.0} ms", taskwarrior(dir.path(), n))
        } else {
            "not installed".into()
        };
        let rss =
            peak_rss(ft(&["next", "--all"])).map_or("-".into(), |kb| format!("{} MB", kb / 1024));
        println!(
            "| {n} | {floor_ms:.0} ms | {next:.0} ms | {assign:.0} ms | {report:.0} ms | {check:.0} ms | {task} | {rss} |"
        );
    }
}

fn run(mut c: Command) -> std::process::Output {
    let out = c.output().unwrap();
    assert!(
        out.status.code().unwrap_or(2) < 2,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn median(make: impl Fn() -> Command) -> f64 {
    let mut runs: Vec<f64> = (0..5)
        .map(|_| {
            let c = make();
            let start = Instant::now();
            run(c);
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    runs[2]
}

fn peak_rss(c: Command) -> Option<u64> {
    if !Path::new("/usr/bin/time").exists() {
        return None;
    }
    let mut t = Command::new("/usr/bin/time");
    t.arg("-f")
        .arg("%M")
        .arg(c.get_program())
        .args(c.get_args());
    let out = t.output().ok()?;
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}

/// The floor: open and read every engagement file, nothing else.
fn floor(dir: &Path) {
    let mut bytes = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        bytes += std::fs::read(e.unwrap().path()).unwrap().len();
    }
    assert!(bytes > 0);
}

fn generate(root: &Path, n: usize) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    std::fs::create_dir_all(root.join("engagements")).unwrap();
    std::fs::write(
        root.join("ft.toml"),
        "[calendar]\nweekend = [\"Sat\", \"Sun\"]\n",
    )
    .unwrap();
    for i in 0..n {
        let (id, template) = ft::demo::ENGAGEMENTS[i % ft::demo::ENGAGEMENTS.len()];
        let mut text = ft::demo::expand(template, today)
            .replace(&format!("\"{id}\""), &format!("\"{id}-{i}\""));
        for p in PEOPLE {
            // Spread each demo person over ten team members; every tenth stays the demo person.
            let who = if i % 10 == 0 {
                p.to_string()
            } else {
                format!("{p}{}", i % 10)
            };
            text = text.replace(&format!("\"{p}\""), &format!("\"{who}\""));
        }
        std::fs::write(
            root.join("engagements").join(format!("{id}-{i}.toml")),
            text,
        )
        .unwrap();
    }
}

/// Taskwarrior's `task next` over `n` pending tasks (imported as JSON).
fn taskwarrior(dir: &Path, n: usize) -> f64 {
    let data: PathBuf = dir.join("task");
    std::fs::create_dir_all(&data).unwrap();
    let rc = dir.join("taskrc");
    std::fs::write(
        &rc,
        format!(
            "data.location={}\nconfirmation=off\nverbose=nothing\n",
            data.display()
        ),
    )
    .unwrap();
    let json: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "{{\"description\":\"engagement task {i}\",\"status\":\"pending\",\"entry\":\"20261101T000000Z\",\"due\":\"202612{:02}T000000Z\",\"project\":\"p{}\",\"uuid\":\"{:08x}-0000-4000-8000-{:012x}\"}}",
                1 + i % 28,
                i % 50,
                i,
                i
            )
        })
        .collect();
    let file = dir.join("tasks.json");
    std::fs::write(&file, format!("[{}]", json.join(","))).unwrap();
    let task = |args: &[&str]| {
        let mut c = Command::new("task");
        c.env("TASKRC", &rc).env("TASKDATA", &data).args(args);
        c
    };
    run(task(&["import", file.to_str().unwrap()]));
    median(|| task(&["rc.gc=off", "next"]))
}
