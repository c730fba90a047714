//! Two clones and a bare remote, rounds of concurrent `ft note`, `ft done`,
//! `ft sync` and `ft assign` in both clones (two commands at once in each):
//! every note that exited 0 reaches the remote, no file ever has a conflict
//! marker, and no role has two holders. `FT_STRESS_ROUNDS` sets the number of
//! rounds (2 by default, a few seconds); the figures go to stderr.

mod support;
mod team_support;

use std::collections::BTreeMap;
use std::time::Instant;

use team_support::{Team, wait};

#[test]
fn concurrent_commands_in_two_clones_lose_nothing_and_never_double_claim() {
    let rounds: usize = std::env::var("FT_STRESS_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2);
    let team = Team::new();
    for r in 0..rounds {
        team.ok(
            &team.a,
            "alice",
            &[
                "new",
                &format!("e{r}"),
                "--customer",
                "E",
                "--playbook",
                "azure-fasttrack-engineer",
                "--opened",
                "2026-11-16",
            ],
        );
    }
    team.ok(
        &team.a,
        "alice",
        &[
            "new",
            "shared",
            "--customer",
            "S",
            "--playbook",
            "azure-fasttrack-engineer",
            "--opened",
            "2026-11-16",
        ],
    );
    team.ok(&team.a, "alice", &["sync"]);
    team.ok(&team.b, "carlos", &["sync"]);
    let start = Instant::now();
    let mut notes_ok = Vec::new();
    let mut logged = Vec::new();
    let mut claims: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut exits: BTreeMap<String, [usize; 2]> = BTreeMap::new();
    for r in 0..rounds {
        let e = format!("e{r}");
        let mut jobs = Vec::new();
        for (dir, who) in [(&team.a, "alice"), (&team.b, "carlos")] {
            let note = format!("round {r} note by {who}");
            let shared = format!("round {r} shared note by {who}");
            let plans: Vec<(&str, Vec<String>)> = vec![
                ("note", vec!["note".into(), e.clone(), note]),
                ("note", vec!["note".into(), "shared".into(), shared]),
                (
                    "assign",
                    vec!["assign".into(), e.clone(), "--role".into(), "FE".into()],
                ),
                ("sync", vec!["sync".into()]),
                (
                    "health",
                    vec![
                        "health".into(),
                        "shared".into(),
                        if r % 2 == 0 { "green" } else { "yellow" }.into(),
                    ],
                ),
                (
                    "done",
                    vec![
                        "done".into(),
                        "shared".into(),
                        "monthly-checkin".into(),
                        "--on".into(),
                        format!(
                            "2026-11-{:02}",
                            16 + (r * 2 + usize::from(who == "carlos")) % 8
                        ),
                    ],
                ),
            ];
            for (kind, args) in plans {
                let refs: Vec<&str> = args.iter().map(String::as_str).collect();
                jobs.push((kind, who, args.clone(), team.spawn(dir, who, &refs)));
            }
        }
        for (kind, who, args, child) in jobs {
            let out = wait(child);
            let ok = out.code == 0;
            exits.entry(kind.to_string()).or_default()[usize::from(!ok)] += 1;
            assert!(
                !out.stderr.contains("Cannot rebase") && !out.stderr.contains("Unexpected stash"),
                "{}",
                out.stderr
            );
            match kind {
                "note" if ok => notes_ok.push((args[1].clone(), args[2].clone())),
                "note" => panic!("a note failed: {}", out.stderr),
                "assign" if ok => claims.entry(args[1].clone()).or_default().push(who),
                "done" if ok => logged.push(args[4].clone()),
                _ => {}
            }
        }
    }
    let busy = start.elapsed();
    for _ in 0..2 {
        team.ok(&team.a, "alice", &["sync"]);
        team.ok(&team.b, "carlos", &["sync"]);
    }
    let mut remote = BTreeMap::new();
    for r in 0..rounds {
        remote.insert(format!("e{r}"), team.remote(&format!("e{r}")));
    }
    remote.insert("shared".to_string(), team.remote("shared"));
    for (id, text) in &remote {
        assert!(
            !text.contains("<<<<<<<") && !text.contains(">>>>>>>"),
            "{id}: {text}"
        );
        assert_eq!(
            text.as_str(),
            team.read(&team.a, id).trim_end(),
            "clone a agrees on {id}"
        );
        assert_eq!(
            text.as_str(),
            team.read(&team.b, id).trim_end(),
            "clone b agrees on {id}"
        );
    }
    for (id, note) in &notes_ok {
        assert!(
            remote[id].contains(note.as_str()),
            "lost `{note}` on {id}:\n{}",
            remote[id]
        );
    }
    let shared: toml::Table = toml::from_str(&remote["shared"]).unwrap();
    let occurrences = shared["cadences"]["monthly-checkin"].as_array().unwrap();
    for day in &logged {
        assert!(
            occurrences.iter().any(|d| d.to_string() == *day),
            "lost the occurrence on {day}: {occurrences:?}"
        );
    }
    for (id, who) in &claims {
        assert!(who.len() <= 1, "{id} claimed by {who:?}");
        let holder = format!("FE = {{ person = \"{}\"", who[0]);
        assert!(remote[id].contains(&holder), "{id}: {}", remote[id]);
        assert_eq!(remote[id].matches("FE = ").count(), 1);
    }
    eprintln!(
        "stress: {rounds} rounds, {} commands in {:.1}s; {} notes kept of {} that exited 0; claims won: {}; exits (ok, failed) by kind: {exits:?}",
        rounds * 12,
        busy.as_secs_f64(),
        notes_ok
            .iter()
            .filter(|(id, n)| remote[id].contains(n.as_str()))
            .count(),
        notes_ok.len(),
        claims.len(),
    );
}
