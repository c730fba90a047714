//! Every hint is a complete command that does what it says: the hints `ft`
//! prints across a set of scenarios are collected and each one is run, in a
//! fresh copy of the workspace it was printed for, and must succeed.

mod support;

use support::Ws;

/// Words that stand for a value the reader chooses; a hint holding one is
/// a pattern, not a command, and is only checked to name a real command.
const PLACEHOLDERS: [&str; 7] = ["VALUE", "ID", "TASK", "NAME", "DIR", "FILE", "PERSON"];

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

/// The `ft ...` commands in a piece of output: after `hint:`, inside
/// parentheses or backticks, or after "with:".
fn commands(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut rest = line;
        while let Some(at) = rest.find("ft ") {
            let before = rest[..at].chars().last();
            let tail = &rest[at..];
            rest = &rest[at + 3..];
            if !matches!(before, None | Some(' ' | '(' | '`' | ':')) {
                continue;
            }
            let end = tail.find([')', '`', ';']).unwrap_or(tail.len());
            let cmd = tail[..end].split("  #").next().unwrap_or("").trim();
            let words = shell_words(cmd);
            // "ft set x services" needs its value; "ft ..." in prose is not a command.
            if words.len() >= 2 && words[1].chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                out.push(cmd.to_string());
            }
        }
    }
    out
}

/// Split a command line like a POSIX shell does for plain and single-quoted words.
fn shell_words(cmd: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let (mut quoted, mut any) = (false, false);
    for c in cmd.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            c => word.push(c),
        }
    }
    if any || !word.is_empty() {
        words.push(word);
    }
    words
}

#[test]
fn every_hint_is_a_command_that_works() {
    let (mut ran, mut patterns) = (Vec::new(), Vec::new());
    for (make, args) in SCENARIOS {
        let ws = make();
        let r = ws.ft(args);
        for cmd in commands(&format!("{}\n{}", r.stdout, r.stderr)) {
            let words = shell_words(&cmd);
            if words.iter().any(|w| PLACEHOLDERS.contains(&w.as_str())) {
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
    let text = "hint: ft set x services 'Core Onboarding'\nnote: y (ft assign y --role PE)\nClaim one with: ft assign z --role FE\nhint: ft set r services ICM  # or DFM";
    assert_eq!(
        commands(text),
        [
            "ft set x services 'Core Onboarding'",
            "ft assign y --role PE",
            "ft assign z --role FE",
            "ft set r services ICM"
        ]
    );
    assert_eq!(
        shell_words("ft set x services 'Core Onboarding'"),
        ["ft", "set", "x", "services", "Core Onboarding"]
    );
}
