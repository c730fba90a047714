//! Every hint is a complete command that does what it says: the hints `ft`
//! prints across a set of scenarios are collected and each one is run, in a
//! fresh copy of the workspace it was printed for, and must succeed. (Every
//! other run of the tests checks its hints are commands ft accepts: see
//! `support/hints.rs`.)

mod support;

use support::Ws;
use support::hints::{commands, is_placeholder, shell_words};

/// A workspace with work that lacks what it needs, for the warnings' hints.
fn gaps() -> Ws {
    let ws = Ws::demo();
    ws.engagement(
        "adatum-m365",
        "customer = \"A. Datum\"\nplaybook = \"m365-general-engagement\"\nseats = 5000\n",
    );
    ws.engagement(
        "relecloud-2",
        "customer = \"Relecloud\"\nplaybook = \"mcs-escalation\"\n\n[milestones]\nopened = 2026-11-23T09:00:00Z\n",
    );
    ws.engagement(
        "dfm",
        "customer = \"R\"\nplaybook = \"mcs-escalation\"\nservices = [\"DFM\"]\n\n[fields]\nseverity = \"A\"\n",
    );
    ws
}

type Scenario = (fn() -> Ws, &'static [&'static str]);

const SCENARIOS: [Scenario; 7] = [
    (Ws::demo, &["--as", "zed", "assign"]),
    (Ws::demo, &["--as", "zed", "assign", "--role", "FTA"]),
    (Ws::demo, &["--as", "alice", "next"]),
    (Ws::demo, &["check"]),
    (gaps, &["check"]),
    (gaps, &["--as", "alice", "next"]),
    (gaps, &["--as", "alice", "report", "--all"]),
];

#[test]
fn every_hint_is_a_command_that_works() {
    let (mut ran, mut patterns) = (Vec::new(), Vec::new());
    for (make, args) in SCENARIOS {
        let ws = make();
        let r = ws.ft(args);
        for cmd in commands(&format!("{}\n{}", r.stdout, r.stderr)) {
            let words = shell_words(&cmd);
            if words.iter().any(|w| is_placeholder(w)) {
                patterns.push(cmd);
                continue;
            }
            let fresh = make();
            let argv: Vec<&str> = words[1..].iter().map(String::as_str).collect();
            let run = fresh.ft_env(&argv, &[("FT_USER", "zed")]);
            assert_eq!(
                run.code, 0,
                "hint `{cmd}` (from ft {args:?}) fails:\n{}\n{}",
                run.stdout, run.stderr
            );
            ran.push(cmd);
        }
    }
    ran.sort();
    ran.dedup();
    for want in [
        "ft assign --role FTA",
        "ft assign contoso-teams --role FTA",
        "ft assign relecloud-dfm --role PE",
        "ft set adatum-m365 services 'Core Onboarding'",
        "ft set relecloud-2 services ICM",
        "ft set dfm case_severity A",
    ] {
        assert!(ran.iter().any(|c| c == want), "`{want}` not among {ran:#?}");
    }
    // Patterns name a real command.
    for p in &patterns {
        let sub = shell_words(p)[1].clone();
        let help = Ws::new().ft(&[sub.as_str(), "--help"]);
        assert_eq!(help.code, 0, "hint `{p}` names no command");
    }
}

#[test]
fn hints_are_found_in_each_place_they_are_printed() {
    let text = "hint: ft set x services 'Core Onboarding'\nnote: y (ft assign y --role PE)\nClaim one with: ft assign z --role FE\nhint: ft set r services ICM  # or DFM\nread it now: ft man | man -l -\nrun ft check.\nft does not follow links\n# Imported by `ft playbook import`\n  ft -w ws next   (people: alice)";
    assert_eq!(
        commands(text),
        [
            "ft set x services 'Core Onboarding'",
            "ft assign y --role PE",
            "ft assign z --role FE",
            "ft set r services ICM",
            "ft man",
            "ft check",
            "ft -w ws next"
        ]
    );
    assert_eq!(
        shell_words("ft set x services 'Core Onboarding'"),
        ["ft", "set", "x", "services", "Core Onboarding"]
    );
    assert_eq!(
        shell_words("ft note x \"it's done\" --by 'a b'"),
        ["ft", "note", "x", "it's done", "--by", "a b"]
    );
    assert!(is_placeholder("ID") && is_placeholder("--on=DATE") && is_placeholder("..."));
    assert!(!is_placeholder("FE") && !is_placeholder("contoso-teams"));
}

#[test]
fn every_run_checks_the_hints_it_printed() {
    let ws = Ws::demo();
    let printed = |text: &str| support::Run {
        code: 2,
        stdout: String::new(),
        stderr: text.to_string(),
    };
    let check = |text: &str| {
        let run = printed(text);
        std::panic::catch_unwind(|| {
            support::hints::check(ws.home(), &ws.root, &[], &["check"], &run)
        })
    };
    // Commands ft accepts pass, whatever they then find.
    assert!(check("hint: ft show contoso-teams\nhint: `ft show no-such-id`").is_ok());
    assert!(check("hint: `ft done ID TASK`").is_ok());
    // Ones clap refuses, and patterns naming no command, fail the test.
    assert!(check("hint: ft show contoso-teams --bogus").is_err());
    assert!(check("hint: `ft assign --role`").is_err());
    assert!(check("hint: `ft frobnicate ID`").is_err());
    // Hints ft used to print.
    assert!(check("hint: to change the date: ft reopen x y, then ft done again").is_err());
    assert!(check("No engagements match. `ft new` creates one").is_err());
    assert!(check("hint: ft undo takes back changes ft made in this workspace").is_err());
}
