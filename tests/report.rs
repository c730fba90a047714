//! `ft report`: SLA compliance figures, every format, and Markdown that parses.

mod support;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use serde_json::Value;
use support::Ws;

fn azure(ws: &Ws, id: &str, intro_done: Option<&str>) {
    let done = intro_done
        .map(|d| format!("\n[tasks]\npm-intro = {{ done = {d} }}\n"))
        .unwrap_or_default();
    ws.engagement(
        id,
        &format!("customer = \"{id}\"\nplaybook = \"azure-fasttrack-engineer\"\nservices = [\"AKS\"]\n\n[team]\nFE = \"alice\"\nPM = \"bob\"\n\n[milestones]\nopened = 2026-11-16\nassigned = 2026-11-20\n{done}"),
    );
}

fn incident(ws: &Ws, id: &str, severity: &str, opened: &str, acked: &str) {
    ws.engagement(
        id,
        &format!("customer = \"{id}\"\nplaybook = \"mcs-escalation\"\nservices = [\"ICM\"]\n\n[fields]\nseverity = \"{severity}\"\n\n[team]\nPE = \"alice\"\n\n[milestones]\nopened = {opened}\n\n[tasks]\nacknowledge = {{ done = {acked} }}\n"),
    );
}

#[test]
fn sla_compliance_counts_late_as_missed_and_medians_match_a_hand_count() {
    let ws = Ws::new();
    azure(&ws, "e1", Some("2026-11-23")); // 1 business day after Friday: on time
    azure(&ws, "e2", Some("2026-11-24")); // 2 business days: on time
    azure(&ws, "e3", Some("2026-11-26")); // 4 business days: late
    azure(&ws, "e4", None); // due Tue 24, open on Wed 25: overdue
    incident(
        &ws,
        "i1",
        "2",
        "2026-11-23T09:00:00Z",
        "2026-11-23T09:10:00Z",
    ); // 10 min: met
    incident(
        &ws,
        "i2",
        "1",
        "2026-11-23T10:00:00Z",
        "2026-11-23T10:30:00Z",
    ); // 30 min: missed
    let r = ws
        .ft(&[
            "--today",
            "2026-11-26",
            "--as",
            "alice",
            "report",
            "--format",
            "json",
        ])
        .ok();
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let line = |task: &str| {
        v["summary"]["sla"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["task"] == task)
            .unwrap()
            .clone()
    };
    let intro = line("pm-intro");
    assert_eq!(
        (
            intro["on_time"].as_u64(),
            intro["late"].as_u64(),
            intro["overdue"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(intro["median"], 2.0, "median of 1, 2 and 4 business days");
    assert_eq!(intro["unit"], "business days");
    let tta = line("acknowledge");
    assert_eq!(
        (tta["on_time"].as_u64(), tta["late"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(tta["median"], 20.0, "median of 10 and 30 minutes");
    assert_eq!(tta["target"], "15m after opened (severity 0, 1, 2, 2.5)");
    let table = ws
        .ft(&["--today", "2026-11-26", "--as", "alice", "report"])
        .ok();
    table.stdout_has("2 business days");
    table.stdout_has("20 min");
    let rows = v["rows"].as_array().unwrap();
    let e4 = rows.iter().find(|r| r["id"] == "e4").unwrap();
    assert_eq!(e4["overdue"], serde_json::json!(["pm-intro"]));
    // e1's customer contact (due Wed 25) and the incidents' mitigation (due the next day) are overdue too.
    assert_eq!(
        v["summary"]["overdue_mandatory"],
        serde_json::json!(["e1", "e4", "i1", "i2"])
    );
}

/// Every table in `md` has the header's number of cells in each row; returns
/// (tables, Mermaid code blocks, headings).
fn check_markdown(md: &str) -> (usize, Vec<String>, usize) {
    let mut tables = 0;
    let mut mermaid = Vec::new();
    let mut headings = 0;
    let mut in_mermaid = false;
    let mut cells = 0;
    let mut header_cells = 0;
    let mut in_head = false;
    for event in Parser::new_ext(md, pulldown_cmark::Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Table(_)) => tables += 1,
            Event::Start(Tag::TableHead) => {
                in_head = true;
                cells = 0;
            }
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                header_cells = cells;
            }
            Event::Start(Tag::TableRow) => cells = 0,
            Event::End(TagEnd::TableRow) => assert_eq!(cells, header_cells, "row width in:\n{md}"),
            Event::Start(Tag::TableCell) => cells += 1,
            Event::Start(Tag::Heading { .. }) => headings += 1,
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) => {
                in_mermaid = lang.as_ref() == "mermaid";
                if in_mermaid {
                    mermaid.push(String::new());
                }
            }
            Event::End(TagEnd::CodeBlock) => in_mermaid = false,
            Event::Text(t) if in_mermaid => mermaid.last_mut().unwrap().push_str(&t),
            _ => {}
        }
        let _ = in_head;
    }
    assert!(!md.contains('\x1b'), "no terminal colour in markdown");
    (tables, mermaid, headings)
}

#[test]
fn markdown_parses_with_tables_and_mermaid_charts() {
    let ws = Ws::demo();
    let portfolio = ws
        .ft(&["report", "--all", "--format", "markdown"])
        .ok()
        .stdout;
    let (tables, mermaid, headings) = check_markdown(&portfolio);
    assert_eq!(tables, 3, "portfolio, SLA and goal tables");
    assert!(headings >= 3);
    assert_eq!(mermaid.len(), 1);
    assert!(
        mermaid[0].starts_with("pie title Health\n"),
        "{}",
        mermaid[0]
    );
    assert!(mermaid[0].contains("\"yellow\" : 1"), "{}", mermaid[0]);
    let detail = ws
        .ft(&["report", "fabrikam-core", "--format", "markdown"])
        .ok()
        .stdout;
    let (tables, mermaid, _) = check_markdown(&detail);
    assert!(tables >= 5, "{detail}");
    let gantt = &mermaid[0];
    assert!(gantt.starts_with("gantt\n"), "{gantt}");
    assert!(gantt.contains("dateFormat YYYY-MM-DD"));
    assert!(
        gantt.contains("section Conduct Customer Kickoff"),
        "{gantt}"
    );
    assert!(
        gantt.contains("3616 Complete Initial customer outreach :done, "),
        "{gantt}"
    );
    assert!(gantt.contains("section Milestones"), "{gantt}");
    for line in gantt.lines().filter(|l| l.contains(" :")) {
        let (name, spec) = line.split_once(" :").unwrap();
        assert!(
            !name.contains(':') && !name.contains(';') && !name.contains('#'),
            "{line}"
        );
        let parts: Vec<&str> = spec.split(", ").collect();
        let [tags @ .., id, start, end] = parts.as_slice() else {
            panic!("{line}")
        };
        assert!(
            tags.iter()
                .all(|t| ["done", "crit", "active", "milestone"].contains(t)),
            "{line}"
        );
        assert!(id.starts_with('t') || id.starts_with('m'), "{line}");
        assert!(
            chrono::NaiveDate::parse_from_str(start, "%Y-%m-%d").is_ok(),
            "{line}"
        );
        let end_ok = chrono::NaiveDate::parse_from_str(end, "%Y-%m-%d")
            .is_ok_and(|e| e.to_string().as_str() > *start)
            || end.ends_with('d');
        assert!(end_ok, "{line}");
    }
}

#[test]
fn output_file_is_written_and_csv_has_one_row_per_engagement() {
    let ws = Ws::demo();
    ws.ft(&[
        "report",
        "--all",
        "--format",
        "csv",
        "--output",
        "review.csv",
    ])
    .ok();
    let csv = ws.read("review.csv");
    assert_eq!(
        csv.lines().count(),
        1 + 8,
        "header, one row per open engagement, and the closed one whose closing report is still due:\n{csv}"
    );
    assert!(csv.starts_with("id,customer,playbook,status,team,stage,mandatory_done,"));
    // Dates are ISO and counts are numbers, so a spreadsheet can sort and sum them.
    let contoso = csv
        .lines()
        .find(|l| l.starts_with("contoso-teams,"))
        .unwrap();
    assert!(contoso.contains(",checkpoint,2026-11-24,success_owner,false,2,4,yellow,2026-11-17,worsening,1,6,21,0,false"), "{contoso}");
    let mine = ws
        .ft(&["--as", "dana", "report", "--format", "csv"])
        .ok()
        .stdout;
    assert_eq!(
        mine.lines().count(),
        3,
        "dana holds two engagements:\n{mine}"
    );
    let two = ws
        .ft(&[
            "report",
            "contoso-teams",
            "fabrikam-core",
            "--format",
            "csv",
        ])
        .ok()
        .stdout;
    assert_eq!(two.lines().count(), 3, "{two}");
}

#[test]
fn every_format_snapshot() {
    let ws = Ws::demo();
    for (name, args) in [
        ("report_table", vec!["report", "--all"]),
        (
            "report_markdown",
            vec!["report", "--all", "--format", "markdown"],
        ),
        ("report_csv", vec!["report", "--all", "--format", "csv"]),
        ("report_json", vec!["report", "--all", "--format", "json"]),
        ("report_detail_table", vec!["report", "contoso-teams"]),
        (
            "report_detail_markdown",
            vec!["report", "contoso-teams", "--format", "markdown"],
        ),
        (
            "report_detail_json",
            vec!["report", "litware-icm-4711", "--format", "json"],
        ),
    ] {
        insta::assert_snapshot!(name, ws.ft(&args).ok().stdout);
    }
}

#[test]
fn the_period_is_stated_beside_the_date_in_every_heading() {
    let ws = Ws::demo();
    let run = |args: &[&str]| {
        let mut all = vec!["report", "--all", "--since", "2026-11-16"];
        all.extend(args);
        ws.ft(&all).ok().stdout
    };
    let table = run(&[]);
    assert_eq!(
        table.lines().next(),
        Some("Health review: all engagements on 2026-11-23, from 2026-11-16 to 2026-11-23"),
        "--until defaults to today"
    );
    let md = run(&["--until", "2026-11-20", "--format", "markdown"]);
    assert!(
        md.contains("\n_As of 2026-11-23, from 2026-11-16 to 2026-11-20._\n"),
        "{md}"
    );
    let html = run(&["--until", "2026-11-20", "--format", "html"]);
    assert!(
        html.contains("<p class=\"asof\">As of 2026-11-23, from 2026-11-16 to 2026-11-20.</p>"),
        "{html}"
    );
    let plain = ws.ft(&["report", "--all"]).ok().stdout;
    assert_eq!(
        plain.lines().next(),
        Some("Health review: all engagements on 2026-11-23")
    );
}

#[test]
fn detail_json_is_one_versioned_object_for_one_id_or_many() {
    let ws = Ws::demo();
    let json = |args: &[&str]| -> Value {
        let mut all = vec!["report"];
        all.extend(args);
        all.extend(["--format", "json"]);
        serde_json::from_str(&ws.ft(&all).ok().stdout).unwrap()
    };
    let portfolio = json(&["--all"]);
    let version = &portfolio["schema_version"];
    assert_eq!(version, 3);
    let two = json(&["fabrikam-core", "adatum-webapps"]);
    assert_eq!(&two["schema_version"], version);
    assert_eq!(two["today"], "2026-11-23");
    let ids: Vec<&Value> = two["engagements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["row"]["id"])
        .collect();
    assert_eq!(ids, ["fabrikam-core", "adatum-webapps"]);
    let one = json(&["contoso-teams"]);
    assert_eq!(&one["schema_version"], version);
    assert_eq!(one["engagements"].as_array().unwrap().len(), 1);
    assert_eq!(one["engagements"][0]["engagement"]["id"], "contoso-teams");
}

#[test]
fn markdown_gantt_labels_keep_full_names() {
    let ws = Ws::demo();
    let md = ws
        .ft(&[
            "report",
            "fabrikam-core",
            "adatum-webapps",
            "--format",
            "markdown",
        ])
        .ok()
        .stdout;
    assert!(!md.contains("..."), "nothing cut:\n{md}");
    // 66 characters, once cut at 60.
    assert!(
        md.contains("    closing-report Deliver the Closing Report for the field to pursue next follow-ups :t6, 2026-11-21, 2026-11-27\n"),
        "{md}"
    );
    // A name Mermaid would read as syntax is escaped, still in full.
    let evil = ws.read("engagements/adatum-webapps.toml").replace(
        "customer = \"Adatum Corporation\"",
        "customer = \"Adatum: #1; the <very> long-named corporation of the western seaboard\"",
    );
    ws.engagement("adatum-webapps", &evil);
    let md = ws
        .ft(&["report", "adatum-webapps", "--format", "markdown"])
        .ok()
        .stdout;
    assert!(
        md.contains("    title adatum-webapps Adatum 1 the very long-named corporation of the western seaboard\n"),
        "{md}"
    );
}

#[test]
fn dibs_fields_are_named_as_people_read_them() {
    let ws = Ws::demo();
    for args in [
        vec!["show", "contoso-teams"],
        vec!["report", "contoso-teams"],
        vec!["report", "contoso-teams", "--format", "markdown"],
        vec!["report", "contoso-teams", "--format", "html"],
        vec!["report", "--all"],
        vec!["next", "--as", "dana"],
    ] {
        let out = ws.ft(&args).ok().stdout;
        assert!(out.contains("Success owner"), "{args:?}:\n{out}");
        assert!(!out.contains("success_owner"), "{args:?}:\n{out}");
    }
}
