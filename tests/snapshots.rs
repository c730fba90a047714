//! Snapshots of what people read: `show`, `next`, `check` and error messages,
//! on the demo workspace pinned to 2026-11-23.

mod support;

use support::Ws;

#[test]
fn show_contoso() {
    let ws = Ws::demo();
    insta::assert_snapshot!(ws.ft(&["show", "contoso-teams"]).ok().stdout);
}

#[test]
fn show_escalation() {
    let ws = Ws::demo();
    insta::assert_snapshot!(
        ws.ft(&[
            "--today",
            "2026-11-22T09:00:00Z",
            "show",
            "litware-icm-4711"
        ])
        .ok()
        .stdout
    );
}

#[test]
fn next_for_each_person() {
    let ws = Ws::demo();
    let mut out = String::new();
    for person in ["alice", "bob", "carlos", "dana", "erin"] {
        out.push_str(&format!("$ ft --as {person} next\n"));
        out.push_str(&ws.ft(&["--as", person, "next"]).ok().stdout);
        out.push('\n');
    }
    insta::assert_snapshot!(out);
}

#[test]
fn next_markdown() {
    let ws = Ws::demo();
    insta::assert_snapshot!(
        ws.ft(&["--as", "dana", "next", "--format", "markdown"])
            .ok()
            .stdout
    );
}

#[test]
fn error_messages() {
    let ws = Ws::demo();
    let mut out = String::new();
    let cases: [&[&str]; 8] = [
        &["show", "contoso"],
        &["show", "../etc/passwd"],
        &["done", "contoso-teams", "3661"],
        &["skip", "contoso-teams", "4047", "--reason", "no time"],
        &["milestone", "contoso-teams", "kickof"],
        &["--today", "tomorrow", "list"],
        &["set", "contoso-teams", "ssat.trainig", "yes"],
        &["playbook", "show", "m365"],
    ];
    for args in cases {
        let r = ws.ft(args).code(2);
        out.push_str(&format!("$ ft {}\n{}\n", args.join(" "), r.stderr));
    }
    ws.engagement(
        "broken",
        "customer = \"B\"\nplaybook = \"m365-general-engagement\"\nseats = \"many\"\n",
    );
    let r = ws.ft(&["show", "broken"]).code(2);
    out.push_str(&format!("$ ft show broken\n{}\n", r.stderr));
    insta::assert_snapshot!(out);
}

#[test]
fn check_output() {
    let ws = Ws::demo();
    ws.engagement("typo", "customer = \"T\"\nplaybook = \"azure-fasttrack-engineer\"\n\n[team]\nFEE = \"alice\"\n\n[tasks]\npm-intro = { done = 2026-11-02 }\nclosing = { done = 2026-11-03 }\n\n[milestones]\nopened = 2026-11-05\n");
    let r = ws.ft(&["check"]).code(1);
    insta::assert_snapshot!(r.stdout);
}

/// Every warning about work that would vanish, with the fix it names.
#[test]
fn check_warnings_name_the_fix() {
    let ws = Ws::new();
    ws.engagement(
        "adatum-m365",
        "customer = \"A. Datum\"\nplaybook = \"m365-general-engagement\"\nseats = 5000\n",
    );
    ws.engagement(
        "litware-icm-5001",
        "customer = \"Litware\"\nplaybook = \"mcs-escalation\"\nservices = [\"ICM\"]\n\n[milestones]\nopened = 2026-11-23T09:00:00Z\n",
    );
    ws.engagement(
        "relecloud-dfm",
        "customer = \"Relecloud\"\nplaybook = \"mcs-escalation\"\n\n[fields]\nseverity = \"A\"\n",
    );
    ws.engagement(
        "contoso",
        "customer = \"Contoso\"\nplaybook = \"azure-fasttrack-engineer\"\n\n[team]\nFE = \"alice\"\n\n[milestones]\nopened = 2026-11-02\nassigned = 2026-11-02\n\n[dibs]\nsucess_owner = \"Dana\"\n",
    );
    ws.engagement(
        "fabrikam",
        "customer = \"Fabrikam\"\nplaybook = \"azure-fasttrack-engineer\"\n\n[milestones]\nopened = 2026-02-30\n",
    );
    let r = ws.ft(&["check"]).code(1);
    insta::assert_snapshot!(r.stdout);
}
