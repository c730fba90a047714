//! Output a person reads on a narrow terminal, and in their own time zone.
//!
//! `FT_WIDTH` stands in for the terminal's width. At every width no line is
//! longer than the terminal and every id, task id and date that the piped
//! (full) output shows appears whole.

mod support;

use support::Ws;
use unicode_width::UnicodeWidthStr;

const WIDTHS: [usize; 4] = [60, 80, 120, 200];

/// Each command with the person it runs as.
const COMMANDS: [&[&str]; 11] = [
    &["--as", "alice", "next"],
    &["--as", "dana", "next"],
    &["--as", "alice", "list"],
    &["--as", "carlos", "assign", "--role", "FE"],
    &["--as", "alice", "report", "--all"],
    &["--as", "alice", "show", "contoso-teams"],
    &["--as", "alice", "show", "litware-icm-4711"],
    &["--as", "alice", "show", "contoso-kyoto"],
    &["--as", "alice", "report", "contoso-teams"],
    &["--as", "alice", "report", "litware-icm-4711"],
    &["--as", "alice", "report", "contoso-kyoto"],
];

/// The demo workspace with one more engagement whose customer's name is
/// longer than a narrow terminal, in characters that take two columns.
fn workspace() -> Ws {
    let ws = Ws::demo();
    let text = ws
        .read("engagements/contoso-teams.toml")
        .replace("\"contoso-teams\"", "\"contoso-kyoto\"")
        .replace(
            "customer = \"Contoso Pharmaceuticals\"",
            "customer = \"Contoso Pharmaceuticals 京都研究開発センター Research and Development\"",
        );
    ws.engagement("contoso-kyoto", &text);
    ws
}

/// Words of the piped output that must never be cut: engagement and task
/// ids (a hyphen, or all digits) and dates ("Mon 23 Nov").
fn whole_values(piped: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in piped.split(|c: char| c.is_whitespace() || c == ',' || c == '[' || c == ']') {
        let id = word.len() > 3
            && word
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && (word.contains('-') && !word.starts_with('-')
                || word.chars().all(|c| c.is_ascii_digit()));
        if id && !word.starts_with("2026") && !out.iter().any(|o| o == word) {
            out.push(word.to_string());
        }
    }
    for line in piped.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        for w in words.windows(3) {
            let day = w[1].len() <= 2 && w[1].chars().all(|c| c.is_ascii_digit());
            let month = ["Oct", "Nov", "Dec"].contains(&w[2].trim_end_matches([';', ')', ',']));
            if ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
                .contains(&w[0].trim_start_matches('('))
                && day
                && month
            {
                let date = format!(
                    "{} {} {}",
                    w[0].trim_start_matches('('),
                    w[1],
                    w[2].trim_end_matches([';', ')', ','])
                );
                if !out.contains(&date) {
                    out.push(date);
                }
            }
        }
    }
    out
}

#[test]
fn every_width_fits_the_terminal_and_keeps_values_whole() {
    let ws = workspace();
    for args in COMMANDS {
        let piped = ws.ft(args).ok().stdout;
        let values = whole_values(&piped);
        assert!(!values.is_empty(), "{args:?}: {values:?}");
        for width in WIDTHS {
            let w = width.to_string();
            let out = ws.ft_env(args, &[("FT_WIDTH", &w)]).ok().stdout;
            for line in out.lines() {
                assert!(
                    line.width() <= width,
                    "ft {args:?} at {width}: {} columns:\n{line}\n\n{out}",
                    line.width()
                );
            }
            if args.contains(&"contoso-kyoto") {
                // The title keeps the id whole and shortens the customer.
                assert!(
                    out.lines().any(|l| l.starts_with("contoso-kyoto Contoso")),
                    "ft {args:?} at {width}: no title:\n{out}"
                );
            }
            // Values may give way (a list says "+2"), but one that is shown is whole.
            let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
            for v in &values {
                let cut = (4..v.len()).any(|k| {
                    // A prefix that is more than a word of a name ("produ…").
                    v.is_char_boundary(k)
                        && v[..k].contains(['-', ' '])
                        && flat.contains(&format!("{}…", &v[..k]))
                });
                assert!(!cut, "ft {args:?} at {width}: `{v}` cut:\n{out}");
                // Shown means shown on one line.
                assert!(
                    !flat.contains(v.as_str()) || out.contains(v.as_str()),
                    "ft {args:?} at {width}: `{v}` broken across lines:\n{out}"
                );
            }
            if args.contains(&"next") {
                // Engagement and task are whole, side by side, for every item.
                // (Not the "N more; --all shows everything" line.)
                for line in piped.lines().skip(2).filter(|l| l.contains("  ")) {
                    let cells: Vec<&str> = line
                        .split("  ")
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .collect();
                    let pair = format!("{} {}", cells[1], cells[2]);
                    assert!(
                        flat.contains(&pair),
                        "ft {args:?} at {width}: `{pair}` missing:\n{out}"
                    );
                }
            }
        }
    }
}

#[test]
fn next_at_80_columns_takes_at_most_three_lines_per_item() {
    let ws = Ws::demo();
    let piped = ws.ft(&["--as", "alice", "next"]).ok().stdout;
    let items = piped.lines().count() - 2;
    assert!(items >= 10, "{piped}");
    let out = ws
        .ft_env(&["--as", "alice", "next"], &[("FT_WIDTH", "80")])
        .ok()
        .stdout;
    let lines = out.lines().count();
    assert!(
        lines <= 3 * items,
        "{lines} lines for {items} items:\n{out}"
    );
    // Blocks: the first line names due, engagement, task and status.
    assert!(
        out.contains("Thu 19 Nov  northwind-aks  customer-contact [FE]  2 business days overdue\n"),
        "{out}"
    );
}

#[test]
fn piped_output_keeps_one_item_per_line_in_full() {
    let ws = Ws::demo();
    let out = ws.ft(&["--as", "alice", "list"]).ok().stdout;
    let line = out
        .lines()
        .find(|l| l.starts_with("fabrikam-core"))
        .expect("one line per engagement");
    assert!(
        line.contains("Core Onboarding, Exchange, SharePoint"),
        "{line}"
    );
    assert!(line.contains("FE carlos, FM dana, FTA erin"), "{line}");
}

#[test]
fn times_are_shown_in_the_readers_zone_and_utc_on_request() {
    let ws = Ws::demo();
    let args = ["--as", "alice", "--today", "2026-11-23T07:00:00Z", "next"];
    let utc = ws.ft(&args).ok().stdout;
    assert!(utc.contains("Mon 23 Nov 08:30Z"), "{utc}");
    let la = ws.ft_env(&args, &[("TZ", "America/Los_Angeles")]).ok();
    assert!(la.stdout.contains("Mon 23 Nov 00:30"), "{}", la.stdout);
    assert!(!la.stdout.contains("08:30Z"), "{}", la.stdout);
    assert!(
        la.stdout
            .contains("Times are local, UTC-08:00 (America/Los_Angeles); --utc shows UTC"),
        "{}",
        la.stdout
    );
    let mut with_utc = args.to_vec();
    with_utc.insert(0, "--utc");
    let back = ws.ft_env(&with_utc, &[("TZ", "America/Los_Angeles")]).ok();
    assert!(back.stdout.contains("Mon 23 Nov 08:30Z"), "{}", back.stdout);
    assert!(!back.stdout.contains("Times are local"), "{}", back.stdout);
    // JSON keeps RFC 3339 with the offset, whatever the zone.
    let mut json = args.to_vec();
    json.extend(["--format", "json"]);
    let j = ws.ft_env(&json, &[("TZ", "America/Los_Angeles")]).ok();
    assert!(j.stdout.contains("2026-11-23T08:30:00Z"), "{}", j.stdout);
    // Dates of business-day SLAs are dates, in any zone.
    assert!(
        la.stdout.contains("Thu 19 Nov\t") || la.stdout.contains("Thu 19 Nov "),
        "{}",
        la.stdout
    );
}

#[test]
fn recorded_date_times_are_shown_in_the_readers_zone_with_the_zone_named_once() {
    let ws = Ws::demo();
    let la = [("TZ", "America/Los_Angeles")];
    let legend = "Times are local, UTC-08:00 (America/Los_Angeles); --utc shows UTC";
    let runs: [&[&str]; 4] = [
        &["show", "litware-icm-4711"],
        &["report", "litware-icm-4711"],
        &["report", "litware-icm-4711", "--format", "markdown"],
        &["show", "litware-icm-4711", "--format", "markdown"],
    ];
    for args in runs {
        let local = ws.ft_env(args, &la).ok().stdout;
        for want in [
            "opened Sun 22 Nov 00:30, assigned Sun 22 Nov 00:38, end -",
            "done Sun 22 Nov 00:41, on time",
        ] {
            assert!(local.contains(want), "ft {args:?}: no `{want}`:\n{local}");
        }
        assert!(!local.contains("2026-11-22T"), "ft {args:?}:\n{local}");
        assert_eq!(local.matches(legend).count(), 1, "ft {args:?}:\n{local}");
        let mut utc = vec!["--utc"];
        utc.extend(args);
        let utc = ws.ft_env(&utc, &la).ok().stdout;
        assert!(
            utc.contains("opened Sun 22 Nov 08:30Z") && utc.contains("done Sun 22 Nov 08:41Z"),
            "ft --utc {args:?}:\n{utc}"
        );
        assert!(
            !utc.contains("Times are local"),
            "ft --utc {args:?}:\n{utc}"
        );
    }
    // The page names the zone in its footer; JSON and CSV keep RFC 3339.
    let html = ws
        .ft_env(&["report", "litware-icm-4711", "--format", "html"], &la)
        .ok()
        .stdout;
    assert!(html.contains("done Sun 22 Nov 00:41, on time"), "{html}");
    assert!(
        html.contains(&format!("<footer><p>{legend}</p></footer>")),
        "{html}"
    );
    for format in ["json", "csv"] {
        let out = ws
            .ft_env(&["report", "litware-icm-4711", "--format", format], &la)
            .ok()
            .stdout;
        assert!(!out.contains("Times are local"), "{format}:\n{out}");
        if format == "json" {
            assert!(out.contains("\"on\": \"2026-11-22T08:41:00Z\""), "{out}");
        }
    }
    // The log, and the queue of unassigned work, in the same zone.
    let log = ws.ft_env(&["log", "litware-icm-4711"], &la).ok().stdout;
    assert!(log.contains("2026-11-22 00:41:00  "), "{log}");
    assert!(
        log.lines()
            .any(|l| l.starts_with("2026-11-22  ") && l.contains("health")),
        "a date stays a date:\n{log}"
    );
    assert_eq!(log.matches(legend).count(), 1, "{log}");
    let log = ws
        .ft_env(&["--utc", "log", "litware-icm-4711"], &la)
        .ok()
        .stdout;
    assert!(log.contains("2026-11-22 08:41:00Z  "), "{log}");
    let assign = ws
        .ft_env(&["--as", "zed", "assign", "--role", "PE"], &la)
        .ok()
        .stdout;
    assert!(assign.contains("exit-critsit Mon 23 Nov 10:00"), "{assign}");
    assert_eq!(assign.matches(legend).count(), 1, "{assign}");
}
