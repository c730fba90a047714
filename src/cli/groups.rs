//! `ft --help` lists the commands grouped by who uses them and when. clap
//! has no command groups, so the top-level help template is written here;
//! a test checks that every subcommand is in exactly one group.

use clap::builder::styling::Styles;

/// The groups of `ft --help`, in order: heading, then each command with a
/// summary short enough for an 80-column terminal.
pub const GROUPS: &[(&str, &[(&str, &str)])] = &[
    (
        "Daily work",
        &[
            (
                "next",
                "What to do today across my engagements, most urgent first",
            ),
            ("assign", "Unassigned work that fits me, or claim it"),
            ("unassign", "Give a role back"),
            ("done", "Mark tasks done, or log a cadence meeting"),
            ("skip", "Skip an optional task, with the reason"),
            ("reopen", "Undo done or skip"),
            ("undo", "Undo the last change ft made here"),
            ("list", "One line per engagement"),
            ("show", "Everything about one engagement"),
            ("explain", "How a task's due date was reached"),
            ("cal", "My due dates as an iCalendar file"),
        ],
    ),
    (
        "Engagement records",
        &[
            ("new", "Create an unassigned engagement"),
            ("milestone", "Record a milestone, or when it is planned"),
            (
                "dibs",
                "Show or set DIBS: date, intent, business reason, owner",
            ),
            ("note", "Add a dated status note"),
            ("health", "Record health: red, yellow or green"),
            ("blocker", "Record, resolve or list blockers"),
            (
                "set",
                "Set any other field: seats, services, team.ROLE, ...",
            ),
            ("hold", "Pause the engagement's SLA clocks"),
            ("resume", "Run the SLA clocks again after a hold"),
            ("close", "End the engagement; closing SLAs start"),
            (
                "edit",
                "Open the engagement file in an editor, checked on save",
            ),
            ("log", "Who did what, newest first"),
        ],
    ),
    (
        "Team and reviews",
        &[
            (
                "report",
                "Health-review report: portfolio, SLA compliance, detail",
            ),
            ("sync", "Share the workspace through git"),
            ("merge-file", "git's merge driver for engagement files"),
        ],
    ),
    (
        "Playbooks",
        &[("playbook", "List, show, check or import playbooks")],
    ),
    (
        "Setup",
        &[
            ("init", "Create a workspace (--demo: a sample team)"),
            ("check", "Validate every file in the workspace"),
            ("config", "Show or set my personal settings"),
            ("completions", "Print the shell completion script"),
            ("man", "Print the manual page, or write one per command"),
        ],
    ),
];

/// Below the options of `ft --help`.
pub const AFTER_HELP: &str = "\
Example: ft --as alice next

`ft COMMAND --help` shows a command's options and an example; `ft man` prints the manual.";

/// The top-level help template: clap's usual one with the grouped command
/// list in place of `Commands:`, styled as clap styles its headings.
pub fn template() -> String {
    let styles = Styles::default();
    let (header, literal) = (styles.get_header(), styles.get_literal());
    let width = GROUPS
        .iter()
        .flat_map(|(_, cmds)| cmds.iter().map(|(name, _)| name.len()))
        .max()
        .unwrap_or(0);
    let mut out = String::from("{before-help}{about-with-newline}\n{usage-heading} {usage}\n\n");
    for (heading, cmds) in GROUPS {
        out.push_str(&format!("{header}{heading}:{header:#}\n"));
        for (name, summary) in *cmds {
            let pad = " ".repeat(width - name.len());
            out.push_str(&format!("  {literal}{name}{literal:#}{pad}  {summary}\n"));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "{header}Global options:{header:#}\n{{options}}{{after-help}}"
    ));
    out
}
