//! Text from a shared workspace cannot harm its readers: control characters
//! never reach a terminal raw, Markdown cannot gain headings, code blocks or
//! table cells, and CSV cells cannot run as spreadsheet formulas.

mod support;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use support::{Run, Ws};

/// A playbook whose own names are hostile, and which accepts any service.
const PLAYBOOK: &str = r#"id: hostile
name: "Hostile \e]0;PWNED\a playbook"
roles:
  FE: FastTrack Engineer
primary_role: FE
milestones:
  - { id: opened, name: "opening\e[31m: #1" }
  - { id: assigned, name: self-assignment }
stages:
  - id: initiate
    name: "Initiate\e]0;PWNED\a\n## Owned"
    tasks:
      - id: intro
        name: "=HYPERLINK(\"http://x\")"
        mandatory: true
        role: FE
        due: { within: 2bd, after: assigned }
      - id: contact
        name: "+cmd|' /C calc'!A0\n```mermaid"
        mandatory: true
        role: FE
        due: { within: 2bd, after: task:intro }
"#;

/// ESC ] 0 ; ... BEL retitles the terminal, ESC [ 2 J clears it, U+009B is the
/// one-byte CSI, U+202E reverses the text after it.
const EVIL: &str = r"Evil\u001b]0;PWNED\u0007\u001b[2J\u009b31m\u202eabc";

fn hostile_workspace() -> Ws {
    let ws = Ws::new();
    ws.write("playbooks/hostile.yaml", PLAYBOOK);
    ws.engagement(
        "evil",
        &format!(
            r#"customer = "{EVIL}"
playbook = "hostile"
services = ["=1+1\u001b[31m", "@SUM(A1)|x"]
status = "active"

[team]
FE = "alice"

[milestones]
opened = 2026-11-16
assigned = 2026-11-18

[tasks]
intro = {{ done = 2026-11-19, note = "note\u001b]0;PWNED\u0007 |a|b\n# heading" }}

[[health]]
on = 2026-11-20
status = "red"
note = "@evil\u001b[2J\r\n## Owned"

[[blockers]]
opened = 2026-11-20
text = "-blocker\u0007 a|b\nc"
by = "alice"

[[notes]]
on = 2026-11-21
by = "alice"
text = "+note\u001b]0;PWNED\u0007\n```mermaid\npie\n```"
"#
        ),
    );
    for (id, customer) in [
        ("hyperlink", r#"=HYPERLINK(\"http://x\")"#),
        ("dde", "+cmd|' /C calc'!A0"),
        ("at", "@SUM(A1:A2)"),
        ("minus", "-2+3+cmd|' /C calc'!A0"),
    ] {
        ws.engagement(
            id,
            &format!(
                "customer = \"{customer}\"\nplaybook = \"hostile\"\nstatus = \"active\"\n\n[team]\nFE = \"alice\"\n\n[milestones]\nopened = 2026-11-16\nassigned = 2026-11-18\n"
            ),
        );
    }
    ws
}

/// No byte that a terminal acts on: ESC, BEL, CR (but for CSV's CRLF line
/// ends), backspace, DEL, the C1 controls (U+0080..U+009F) or a bidi override.
#[track_caller]
fn assert_inert(what: &str, r: &Run) {
    for (stream, text) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
        let bad = text.replace("\r\n", "\n").chars().find(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        });
        assert!(
            bad.is_none(),
            "{what}: {stream} holds {bad:?}:\n{}",
            text.escape_debug()
        );
    }
}

#[track_caller]
fn ft(ws: &Ws, args: &[&str]) -> Run {
    let r = ws.ft(args);
    assert_eq!(
        r.code,
        0,
        "ft {}\nstdout:\n{}\nstderr:\n{}",
        args.join(" "),
        r.stdout.escape_debug(),
        r.stderr.escape_debug()
    );
    assert_inert(&args.join(" "), &r);
    r
}

#[test]
fn terminal_output_shows_control_characters_escaped() {
    let ws = hostile_workspace();
    for args in [
        &["show", "evil"][..],
        &["--as", "alice", "list"],
        &["--as", "alice", "next"],
        &["report", "--all"],
        &["report", "evil"],
        &["dibs", "evil"],
        &["blocker", "evil"],
        &["playbook", "list"],
    ] {
        let r = ws.ft(args);
        assert_inert(&args.join(" "), &r);
    }
    let show = ft(&ws, &["show", "evil"]);
    show.stdout_has(r"Evil\u{1b}]0;PWNED\u{7}\u{1b}[2J\u{9b}31m\u{202e}abc");
    show.stdout_has(r"Initiate\u{1b}]0;PWNED\u{7}\n## Owned");
    show.stdout_has(r"+note\u{1b}]0;PWNED\u{7}\n```mermaid\npie\n```");
    show.stdout_has(r"-blocker\u{7} a|b\nc");
    show.stdout_has(r"@evil\u{1b}[2J\r\n## Owned");
    ft(&ws, &["--as", "alice", "list"]).stdout_has(r"Evil\u{1b}]0;PWNED");
    ft(&ws, &["--as", "alice", "next"]).stdout_has(r#"=HYPERLINK("http://x")"#);
    ft(&ws, &["report", "--all"]).stdout_has(r"Evil\u{1b}]0;PWNED");
    ft(&ws, &["report", "evil"]).stdout_has(r"Evil\u{1b}]0;PWNED");
}

#[test]
fn colour_stays_but_injected_sequences_do_not() {
    let ws = hostile_workspace();
    for args in [
        &["--color", "always", "show", "evil"][..],
        &["--color", "always", "report", "--all"],
        &["--color", "always", "--as", "alice", "next"],
        &["--color", "always", "--as", "alice", "list"],
    ] {
        let r = ws.ft_env(args, &[("NO_COLOR", "")]).ok();
        assert!(r.stdout.contains("\x1b[1m"), "colour is on: {}", r.stdout);
        for bad in ["\x1b]", "\x07", "\x1b[2J", "\u{9b}", "\u{202e}"] {
            assert!(
                !r.stdout.contains(bad),
                "{}: {bad:?} in\n{}",
                args.join(" "),
                r.stdout.escape_debug()
            );
        }
    }
}

/// Checks that every table row has the header's width, and returns the
/// fenced code blocks (language, text) and the headings.
fn markdown_structure(md: &str) -> (Vec<(String, String)>, Vec<String>) {
    let mut blocks: Vec<(String, String)> = Vec::new();
    let mut headings = Vec::new();
    let (mut in_block, mut in_heading) = (false, false);
    let (mut cells, mut header_cells) = (0, 0);
    for event in Parser::new_ext(md, pulldown_cmark::Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::TableHead | Tag::TableRow) => cells = 0,
            Event::End(TagEnd::TableHead) => header_cells = cells,
            Event::End(TagEnd::TableRow) => {
                assert_eq!(cells, header_cells, "row width in:\n{md}");
            }
            Event::Start(Tag::TableCell) => cells += 1,
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                headings.push(String::new());
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::CodeBlock(kind)) => {
                in_block = true;
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.to_string(),
                    CodeBlockKind::Indented => "indented".into(),
                };
                blocks.push((lang, String::new()));
            }
            Event::End(TagEnd::CodeBlock) => in_block = false,
            Event::Text(t) | Event::Code(t) if in_block => {
                blocks.last_mut().unwrap().1.push_str(&t)
            }
            Event::Text(t) | Event::Code(t) if in_heading => {
                headings.last_mut().unwrap().push_str(&t)
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                assert!(h.trim() == "<br>", "only our own line breaks are HTML: {h}");
            }
            _ => {}
        }
    }
    (blocks, headings)
}

#[test]
fn markdown_gains_no_headings_code_blocks_or_cells() {
    let ws = hostile_workspace();
    let detail = ft(&ws, &["report", "evil", "--format", "markdown"]);
    let (blocks, headings) = markdown_structure(&detail.stdout);
    assert_eq!(blocks.len(), 1, "only the gantt: {blocks:?}");
    assert_eq!(blocks[0].0, "mermaid");
    let gantt = &blocks[0].1;
    assert!(gantt.starts_with("gantt\n"), "{gantt}");
    for line in gantt.lines().skip(1) {
        assert!(line.starts_with("    "), "one statement per line: {line:?}");
    }
    assert!(
        gantt.contains("    section Initiate ]0 PWNED Owned\n"),
        "{gantt}"
    );
    assert!(
        gantt.contains("    intro =HYPERLINK(\"http //x\") :done, t1, 2026-11-18, 2026-11-19\n"),
        "{gantt}"
    );
    assert!(
        gantt.contains("    opening [31m 1 :milestone, m1, 2026-11-16, 0d\n"),
        "{gantt}"
    );
    assert_eq!(
        headings
            .iter()
            .map(|h| h.split(':').next().unwrap())
            .collect::<Vec<_>>(),
        ["evil", "Stage 1", "Blockers", "Health history", "Notes"],
        "no heading of the text's own: {headings:?}"
    );
    assert!(
        headings[0].starts_with("evil: Evil\\u{1b}]0;PWNED"),
        "{headings:?}"
    );
    assert_eq!(
        headings[1], r"Stage 1: Initiate\u{1b}]0;PWNED\u{7}## Owned",
        "the line break is an inline <br>"
    );

    for args in [
        &["report", "--all", "--format", "markdown"][..],
        &["show", "evil", "--format", "markdown"],
        &["--as", "alice", "next", "--format", "markdown"],
        &["--as", "alice", "list", "--format", "markdown"],
    ] {
        let r = ft(&ws, args);
        let (blocks, headings) = markdown_structure(&r.stdout);
        assert!(
            blocks.iter().all(|(lang, _)| lang == "mermaid"),
            "{}: {blocks:?}",
            args.join(" ")
        );
        assert!(
            blocks.len() <= 1 && headings.iter().all(|h| !h.starts_with("Owned")),
            "{}: {blocks:?} {headings:?}\n{}",
            args.join(" "),
            r.stdout
        );
    }
    ft(&ws, &["show", "evil", "--format", "markdown"])
        .stdout_has(r"| 2026-11-20 | -blocker\u{7} a\|b<br>c | open |");
}

/// The cells of one CSV line (quotes respected; no line breaks inside cells here).
fn csv_cells(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cells.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(String::new()),
            c => cells.last_mut().unwrap().push(c),
        }
    }
    cells
}

#[test]
fn csv_cells_cannot_run_as_formulas() {
    let ws = hostile_workspace();
    for (args, defused) in [
        (&["report", "--all", "--format", "csv"][..], true),
        (
            &[
                "report",
                "evil",
                "hyperlink",
                "dde",
                "at",
                "minus",
                "--format",
                "csv",
            ],
            true,
        ),
        (&["--as", "alice", "list", "--format", "csv"], true),
        (&["show", "evil", "--format", "csv"], true),
        (
            &["--as", "alice", "next", "--format", "csv", "--all"],
            false,
        ),
    ] {
        let r = ft(&ws, args);
        let mut seen = 0;
        for line in r.stdout.lines().filter(|l| l.contains(',')) {
            for cell in csv_cells(line) {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']) || cell == "-",
                    "{}: cell {cell:?} in {line:?}",
                    args.join(" ")
                );
                seen += usize::from(cell.starts_with('\''));
            }
        }
        assert!(
            seen > 0 || !defused,
            "{}: nothing defused in\n{}",
            args.join(" "),
            r.stdout
        );
    }
    let r = ft(&ws, &["report", "--all", "--format", "csv"]);
    for cell in [
        r#""'=HYPERLINK(""http://x"")""#,
        r#""'+cmd|' /C calc'!A0""#,
        r#""'@SUM(A1:A2)""#,
        r#""'-2+3+cmd|' /C calc'!A0""#,
    ] {
        assert!(r.stdout.contains(cell), "{cell} in\n{}", r.stdout);
    }
    let list = ft(&ws, &["--as", "alice", "list", "--format", "csv"]);
    assert!(
        list.stdout.contains(r#""'=1+1\u{1b}[31m, @SUM(A1)|x""#),
        "{}",
        list.stdout
    );
}

#[test]
fn paths_and_file_contents_in_warnings_and_errors_are_escaped() {
    let ws = hostile_workspace();
    ws.engagement("bad\x1b]0;PWNED\x07", "customer = \"x\"\n");
    ws.engagement(
        "broken",
        "customer = \"B\"\nplaybook = \"hostile\"\nseats = \"\x1b[2J\"\n",
    );
    let list = ws.ft(&["list"]).ok();
    assert_inert("list", &list);
    list.stderr_has(r"bad\u{1b}]0;PWNED\u{7}");
    let check = ws.ft(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert_inert("check", &check);
    check.stdout_has(r"bad\u{1b}]0;PWNED\u{7}");
    let show = ws.ft(&["show", "broken"]);
    assert_eq!(show.code, 2);
    assert_inert("show broken", &show);
    let unknown = ws.ft(&["show", "nope\x1b[2J"]);
    assert_eq!(unknown.code, 2);
    assert_inert("show with a hostile id", &unknown);
}
