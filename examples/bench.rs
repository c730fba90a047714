//! Benchmark: time `ft` commands as whole processes over generated workspaces
//! of realistic engagements, beside references measured in the same run: two
//! floors (a process that only lists the directory and `stat`s every file,
//! and one that opens and reads every file) and Taskwarrior's `task next`
//! over the same number of tasks, when installed.
//!
//!     cargo build --release && cargo run --release --example bench -- 1000 10000 50000
//!
//! `.ci/bench` installs Taskwarrior and runs this. Workspaces are made from the
//! demo templates with 60 people sharing the work; commands run as alice, with
//! a warm page cache and a warm `.ft/cache` (files older than its racy
//! window), except the cold `ft next`, which deletes `.ft/cache` before each
//! run, and `ft next` after a pull, which first rewrites 1% of the files (as
//! a `git pull` bringing others' changes would). Times are medians of 9 runs;
//! peak memory (max RSS) comes from `/usr/bin/time` when present. A second
//! table sets the figures beside the goals of issue 19.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::NaiveDate;

const PEOPLE: [&str; 6] = ["alice", "bob", "carlos", "dana", "erin", "priya"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--floor") => return floor(Path::new(&args[1])),
        Some("--stat-floor") => return stat_floor(Path::new(&args[1])),
        Some("--generate") => return generate(Path::new(&args[1]), args[2].parse().unwrap()),
        _ => {}
    }
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000, 50_000]
    } else {
        sizes
    };
    let me = std::env::current_exe().unwrap();
    // target/release/examples/bench -> target/release/ft (honours CARGO_TARGET_DIR).
    let bin = me.parent().unwrap().parent().unwrap().join("ft");
    assert!(bin.exists(), "build first: cargo build --release");
    let has_task = Command::new("task")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    println!(
        "| engagements | stat floor | read floor | ft next | ft next --all | cold ft next | after a 1% pull | ft assign | ft report --all | ft check | task next | ft next peak RSS | ft report --all --format json peak RSS |"
    );
    println!(
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    let mut goals = Vec::new();
    for n in sizes {
        let row = measure(&bin, &me, n, has_task);
        println!(
            "| {n} | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {} | {} | {} |",
            row.stat_floor,
            row.read_floor,
            row.warm_next,
            row.next_all,
            row.cold_next,
            row.pulled,
            row.assign,
            row.report,
            row.check,
            row.task,
            mib(row.next_rss),
            mib(row.report_rss),
        );
        goals.push((n, row));
    }
    print_goals(&goals);
}

/// One size's figures, in milliseconds and KiB.
struct Row {
    stat_floor: f64,
    read_floor: f64,
    warm_next: f64,
    next_all: f64,
    cold_next: f64,
    pulled: f64,
    assign: f64,
    report: f64,
    check: f64,
    task: String,
    next_rss: Option<u64>,
    report_rss: Option<u64>,
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("-".into(), |k| format!("{} MiB", k / 1024))
}

fn measure(bin: &Path, me: &Path, n: usize, has_task: bool) -> Row {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    generate(&root, n);
    age(&root.join("engagements"));
    // A file's change time cannot be set back: let it leave the cache's racy window.
    std::thread::sleep(Duration::from_millis(2_500));
    // No personal config (a missing file is an empty one).
    let config = dir.path().join("no-config.toml");
    let ft = |args: &[&str]| {
        let mut c = Command::new(bin);
        c.env("FT_CONFIG", &config)
            .args(["-w", root.to_str().unwrap(), "--today", "2026-11-23"])
            .args(["--as", "alice"])
            .args(args);
        c
    };
    run(ft(&["check"])); // warm the page cache and .ft/cache
    let engagements = root.join("engagements");
    let floor_with = |flag: &'static str| {
        let engagements = engagements.clone();
        median(
            move || {
                let mut c = Command::new(me);
                c.args([flag, engagements.to_str().unwrap()]);
                c
            },
            || {},
        )
    };
    let (stat_floor, read_floor) = (floor_with("--stat-floor"), floor_with("--floor"));
    let warm_next = median(|| ft(&["next"]), || {});
    let next_all = median(|| ft(&["next", "--all"]), || {});
    let cache = root.join(".ft").join("cache");
    let cold_next = median(
        || ft(&["next"]),
        || {
            let _ = std::fs::remove_file(&cache);
        },
    );
    run(ft(&["check"])); // warm .ft/cache again
    let round = std::cell::Cell::new(0);
    let pulled = median(
        || ft(&["next"]),
        || {
            // The last round's files settle and are saved: a warm cache, then the pull.
            std::thread::sleep(Duration::from_millis(2_500));
            run(ft(&["check"]));
            round.set(round.get() + 1);
            pull(&engagements, round.get());
        },
    );
    run(ft(&["check"])); // warm .ft/cache again
    let assign = median(|| ft(&["assign", "--role", "FE"]), || {});
    let report = median(|| ft(&["report", "--all"]), || {});
    let check = median(|| ft(&["check"]), || {});
    let task = if has_task {
        format!("{:.0} ms", taskwarrior(dir.path(), n))
    } else {
        "not installed".into()
    };
    Row {
        stat_floor,
        read_floor,
        warm_next,
        next_all,
        cold_next,
        pulled,
        assign,
        report,
        check,
        task,
        next_rss: peak_rss(ft(&["next"])),
        report_rss: peak_rss(ft(&["report", "--all", "--format", "json"])),
    }
}

/// What a pull bringing others' work does: rewrite 1% of the files (a
/// different 1% each round), each with a new line.
fn pull(dir: &Path, round: usize) {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let step = 100;
    for path in names.iter().skip(round % step).step_by(step) {
        let mut text = std::fs::read_to_string(path).unwrap();
        text.push_str(&format!("# pulled in round {round}\n"));
        std::fs::write(path, text).unwrap();
    }
}

/// Set every file's modification time an hour back, as for files that
/// came from a clone long ago.
fn age(dir: &Path) {
    let past = std::time::SystemTime::now() - Duration::from_secs(3_600);
    for e in std::fs::read_dir(dir).unwrap() {
        let file = std::fs::File::options()
            .write(true)
            .open(e.unwrap().path())
            .unwrap();
        file.set_modified(past).unwrap();
    }
}

/// The goals, for the largest size (10,000 for times when measured).
fn print_goals(rows: &[(usize, Row)]) {
    let pick = |n: usize| rows.iter().find(|(m, _)| *m == n).or(rows.last());
    let (Some((tn, t)), Some((mn, m))) = (pick(10_000), pick(50_000)) else {
        return;
    };
    println!();
    println!("| figure | now | the limit it is measured against | goal |");
    println!("| --- | --- | --- | --- |");
    println!(
        "| warm `ft next` (valid `.ft/cache`), {tn} | {:.0} ms ({:.2}x) | stat-only floor: {:.0} ms | <= 1.5x that |",
        t.warm_next,
        t.warm_next / t.stat_floor,
        t.stat_floor
    );
    println!(
        "| cold `ft next` (no `.ft/cache`), {tn} | {:.0} ms ({:.2}x) | read-only floor: {:.0} ms | <= 3x that |",
        t.cold_next,
        t.cold_next / t.read_floor,
        t.read_floor
    );
    println!(
        "| `ft next` after a pull that changed 1% of the files, {tn} | {:.0} ms ({:.2}x) | warm `ft next`: {:.0} ms | <= 1.2x that |",
        t.pulled,
        t.pulled / t.warm_next,
        t.warm_next
    );
    println!(
        "| peak memory, `ft next`, {mn} | {} | | <= 64 MiB |",
        mib(m.next_rss)
    );
    println!(
        "| peak memory, `ft report --all --format json`, {mn} | {} | | <= 128 MiB |",
        mib(m.report_rss)
    );
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

/// Median of 9 runs, `before` each one untimed.
fn median(make: impl Fn() -> Command, before: impl Fn()) -> f64 {
    let mut runs: Vec<f64> = (0..9)
        .map(|_| {
            before();
            let c = make();
            let start = Instant::now();
            run(c);
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    runs[4]
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

/// The stat-only floor: list the directory and `stat` every file.
fn stat_floor(dir: &Path) {
    let mut bytes = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        bytes += std::fs::symlink_metadata(e.unwrap().path()).unwrap().len();
    }
    assert!(bytes > 0);
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
    median(|| task(&["rc.gc=off", "next"]), || {})
}
