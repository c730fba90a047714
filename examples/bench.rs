//! Benchmark: time `ft next`, `ft list` and `ft check` as whole processes over
//! generated workspaces of realistic engagements.
//!
//!     cargo build --release && cargo run --release --example bench -- 1000 10000
//!
//! Each workspace is made from the demo templates, with 60 people sharing the
//! work; alice holds about one engagement in 60. Times are the median of 5 runs
//! with a warm page cache.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use chrono::NaiveDate;

const PEOPLE: [&str; 6] = ["alice", "bob", "carlos", "dana", "erin", "priya"];

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000]
    } else {
        sizes
    };
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/ft");
    assert!(bin.exists(), "build first: cargo build --release");
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    println!(
        "| engagements | ft next (ms) | ft list (ms) | ft check (ms) | read-only floor (ms) |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: |");
    for n in sizes {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
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
                // Spread each demo person over ten team members; alice0 stays "alice".
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
        let time = |args: &[&str]| {
            let mut runs: Vec<f64> = (0..5)
                .map(|_| {
                    let start = Instant::now();
                    let out = Command::new(&bin)
                        .args([
                            "-w",
                            root.to_str().unwrap(),
                            "--today",
                            "2026-11-23",
                            "--as",
                            "alice",
                        ])
                        .args(args)
                        .output()
                        .unwrap();
                    assert!(
                        out.status.code().unwrap_or(2) < 2,
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                    start.elapsed().as_secs_f64() * 1000.0
                })
                .collect();
            runs.sort_by(f64::total_cmp);
            runs[2]
        };
        let floor = {
            let mut runs: Vec<f64> = (0..5)
                .map(|_| {
                    let start = Instant::now();
                    let mut bytes = 0;
                    for e in std::fs::read_dir(root.join("engagements")).unwrap() {
                        bytes += std::fs::read(e.unwrap().path()).unwrap().len();
                    }
                    assert!(bytes > 0);
                    start.elapsed().as_secs_f64() * 1000.0
                })
                .collect();
            runs.sort_by(f64::total_cmp);
            runs[2]
        };
        println!(
            "| {n} | {:.0} | {:.0} | {:.0} | {:.0} |",
            time(&["next", "--all"]),
            time(&["list", "--all"]),
            time(&["check"]),
            floor
        );
    }
}
