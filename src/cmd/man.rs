//! `ft man [--dir DIR]`: the manual page, from the same definitions as `--help`.

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use clap::CommandFactory;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

use crate::Context;
use crate::cli::Cli;
use crate::engagement::store::write_atomic;

/// Print the ft(1) manual page, or write one page per command into a directory
///
/// The pages are roff, for `man`: `ft man | man -l -` reads it now, and
/// `ft man --dir ~/.local/share/man/man1` installs ft.1, ft-next.1, ... for
/// `man ft` and `man ft-next`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft man --dir man/man1")]
pub struct Args {
    /// Write ft.1 and a page per command (ft-next.1, ...) into DIR, created when missing
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let cmd = command();
    let Some(dir) = args.dir else {
        ctx.print(&String::from_utf8_lossy(&page(&cmd, None)?))?;
        return Ok(0);
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let mut pages = vec![(cmd.clone(), None)];
    for sub in cmd.get_subcommands() {
        pages.push((sub.clone(), Some(&cmd)));
        for subsub in sub.get_subcommands() {
            pages.push((subsub.clone(), Some(sub)));
        }
    }
    for (page_cmd, parent) in &pages {
        let name = format!("{}.1", display_name(page_cmd));
        write_atomic(&dir.join(&name), &page(page_cmd, *parent)?)?;
    }
    ctx.say(&format!(
        "wrote {} manual pages to {}",
        pages.len(),
        dir.display()
    ))?;
    Ok(0)
}

/// The whole command tree, built, without clap's `help` subcommand.
fn command() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// `ft-playbook-show` for `ft playbook show`.
fn display_name(cmd: &clap::Command) -> &str {
    cmd.get_display_name().unwrap_or_else(|| cmd.get_name())
}

/// One page: clap_mangen's sections, then ft's own. `ft.1` (no parent)
/// carries ENVIRONMENT, FILES, EXIT STATUS and every command's example.
fn page(cmd: &clap::Command, parent: Option<&clap::Command>) -> Result<Vec<u8>> {
    let man = Man::new(cmd.clone().subcommand_help_heading("COMMANDS"))
        .title(display_name(cmd).to_uppercase())
        .manual("ft manual");
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut out)?;
    }
    if cmd.has_subcommands() {
        man.render_subcommands_section(&mut out)?;
    }
    let mut roff = Roff::new();
    if parent.is_none() {
        environment(&mut roff);
        files(&mut roff);
        exit_status(&mut roff);
    }
    examples(&mut roff, cmd);
    see_also(&mut roff, cmd, parent);
    roff.to_writer(&mut out)?;
    Ok(out)
}

/// A `.TP` paragraph: a bold term, then its text.
fn term(roff: &mut Roff, name: &str, text: &str) {
    roff.control("TP", [] as [&str; 0])
        .text([bold(name)])
        .text([roman(text)]);
}

/// Every variable ft reads (`grep env::var src`).
const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "FT_WORKSPACE",
        "The workspace directory when -w is not given; before the nearest ft.toml upward.",
    ),
    (
        "FT_USER",
        "Who I am, as --as; before `me` in the personal config.",
    ),
    (
        "FT_TODAY",
        "Pretend today is this date (YYYY-MM-DD) or RFC 3339 date-time, as --today.",
    ),
    (
        "FT_CONFIG",
        "The personal config file, instead of the platform's.",
    ),
    (
        "NO_COLOR",
        "When set and not empty, no colour, whatever --color says.",
    ),
    ("TERM", "`dumb` turns colour off under --color auto."),
    (
        "TZ",
        "The local time zone: the current date and time ft records without --on, and the zone times of day are shown in (--utc shows UTC).",
    ),
    (
        "FT_WIDTH",
        "Columns the output may take, instead of the terminal's; piped output is not fitted to any width.",
    ),
    (
        "FT_LOCK_TIMEOUT",
        "Seconds to wait for the workspace lock before giving up (default 60).",
    ),
    (
        "FT_GIT_TIMEOUT",
        "Seconds git fetch and push may take (default 30).",
    ),
    (
        "GIT_SSH_COMMAND",
        "When set, git's ssh runs as it says; otherwise with BatchMode=yes and ConnectTimeout=10.",
    ),
    (
        "FT_MERGE_KEEP",
        "ours or theirs: how ft merge-file settles a value changed differently on both sides.",
    ),
    (
        "VISUAL, EDITOR",
        "The editor of ft edit, in this order (then vi); run through sh, so it may carry arguments.",
    ),
    (
        "FT_COMPLETE",
        "Set by the scripts `ft completions SHELL` prints: ft then prints completions and exits.",
    ),
];

fn environment(roff: &mut Roff) {
    roff.control("SH", ["ENVIRONMENT"]);
    roff.text([roman(
        "Empty variables count as unset; FT_* values that are not UTF-8 are errors.",
    )]);
    for (name, text) in ENVIRONMENT {
        term(roff, name, text);
    }
}

const FILES: &[(&str, &str)] = &[
    (
        "ft.toml",
        "Workspace settings: the business calendar, the default playbook, git and SLA settings. The directory holding it is the workspace.",
    ),
    (
        "engagements/*.toml",
        "One file per engagement; the file name is its id.",
    ),
    (
        "playbooks/*.yaml, playbooks/*.yml",
        "Workspace playbooks; one with the id of a built-in playbook replaces it.",
    ),
    (
        ".ft/cache, .ft/lock",
        "The cache of loaded engagements (always safe to delete) and the workspace lock.",
    ),
    (
        ".ft/journal/*.json",
        "What ft undo takes back without git: the last 50 changes, each with the file before and after.",
    ),
    (
        ".ft/cal-seq",
        "The SEQUENCE ft cal last gave each calendar event, and its start: SEQUENCE grows whenever a start moves.",
    ),
    (
        ".ft/edit/",
        "The copies ft edit opens in the editor; a text that was discarded or not saved stays here.",
    ),
    (
        ".gitattributes",
        "Names ft's merge driver for engagement files in a git workspace.",
    ),
    (
        "~/.config/ft/config.toml",
        "The personal config (me, role, skills, capacity, workspace) in the platform config directory; FT_CONFIG overrides it.",
    ),
    (
        "~/.local/share/ft",
        "The workspace when no other is found (the platform data directory).",
    ),
];

fn files(roff: &mut Roff) {
    roff.control("SH", ["FILES"]);
    roff.text([roman(
        "Paths in the workspace are relative to it; the last two are for Linux.",
    )]);
    for (name, text) in FILES {
        term(roff, name, text);
    }
}

fn exit_status(roff: &mut Roff) {
    roff.control("SH", ["EXIT STATUS"]);
    term(roff, "0", "Success.");
    term(
        roff,
        "1",
        "ft check or ft playbook check found problems, or ft sync or ft merge-file found a conflict.",
    );
    term(
        roff,
        "2",
        "Bad usage or input, or an error reading or writing files.",
    );
}

/// The `Example:` lines of a command's help (after_help), and for `ft`
/// itself those of every command.
pub fn example_lines(cmd: &clap::Command) -> Vec<String> {
    let text = cmd
        .get_after_help()
        .map(ToString::to_string)
        .unwrap_or_default();
    let mut lines: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("Example: "))
        .map(str::to_string)
        .collect();
    let mut in_block = false;
    for line in text.lines() {
        if line.starts_with("Examples:") {
            in_block = true;
        } else if in_block && line.starts_with("  ft ") {
            lines.push(line.trim().to_string());
        } else {
            in_block = false;
        }
    }
    lines
}

fn examples(roff: &mut Roff, cmd: &clap::Command) {
    let mut lines = example_lines(cmd);
    if cmd.get_name() == "ft" {
        for sub in cmd.get_subcommands() {
            lines.extend(example_lines(sub));
            for subsub in sub.get_subcommands() {
                lines.extend(example_lines(subsub));
            }
        }
    }
    if lines.is_empty() {
        return;
    }
    let heading = if lines.len() == 1 {
        "EXAMPLE"
    } else {
        "EXAMPLES"
    };
    roff.control("SH", [heading]);
    roff.control("nf", [] as [&str; 0]);
    for line in &lines {
        roff.text([roman(line.as_str())]);
    }
    roff.control("fi", [] as [&str; 0]);
}

fn see_also(roff: &mut Roff, cmd: &clap::Command, parent: Option<&clap::Command>) {
    let mut refs: Vec<String> = parent.iter().map(|p| display_name(p).to_string()).collect();
    refs.extend(cmd.get_subcommands().map(|s| display_name(s).to_string()));
    if refs.is_empty() {
        return;
    }
    roff.control("SH", ["SEE ALSO"]);
    let mut text = Vec::new();
    for (i, name) in refs.iter().enumerate() {
        if i > 0 {
            text.push(roman(", "));
        }
        text.push(bold(name.as_str()));
        text.push(roman("(1)"));
    }
    roff.text(text);
}
