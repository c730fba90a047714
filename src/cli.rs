//! The command line: global options and the subcommands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::cmd;
use crate::render::Format;

pub mod groups;

/// Engagement playbooks, SLAs and daily action lists for FastTrack-style onboarding teams.
///
/// `ft next` tells you what to do today across your engagements, `ft assign` finds
/// unassigned work that fits you, and `ft report` prepares health reviews. Engagements
/// are TOML files in a workspace, one per engagement; playbooks are YAML (three are
/// built in: `ft playbook list`).
#[derive(Debug, Parser)]
#[command(
    name = "ft",
    version,
    max_term_width = 100,
    help_template = groups::template(),
    after_help = groups::AFTER_HELP
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes; `ft COMMAND --help` lists them after the command's own.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// Workspace directory [default: $FT_WORKSPACE, the nearest ft.toml upward,
    /// `workspace` in the personal config, or the platform data directory]
    #[arg(short = 'w', long, global = true, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub workspace: Option<PathBuf>,

    /// Act as PERSON instead of `me` from the personal config [env: FT_USER]
    #[arg(long = "as", global = true, value_name = "PERSON", add = crate::complete::person())]
    pub as_person: Option<String>,

    /// Pretend today is DATE (YYYY-MM-DD) or DATETIME (RFC 3339) [env: FT_TODAY]
    #[arg(long, global = true, value_name = "WHEN")]
    pub today: Option<String>,

    /// Output format for commands that print data (html: ft report only)
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// When to use colour (never when NO_COLOR is set)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Show times of day in UTC instead of your time zone (TZ)
    #[arg(long, global = true)]
    pub utc: bool,

    /// Print only data and errors, not confirmations
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(cmd::init::Args),
    New(cmd::new::Args),
    List(cmd::list::Args),
    Show(cmd::show::Args),
    Next(cmd::next::Args),
    Assign(cmd::assign::Args),
    Unassign(cmd::unassign::Args),
    Done(cmd::done::Args),
    Skip(cmd::skip::Args),
    Reopen(cmd::reopen::Args),
    Milestone(cmd::milestone::Args),
    Dibs(cmd::dibs::Args),
    Set(cmd::set::Args),
    Note(cmd::note::Args),
    Blocker(cmd::blocker::Args),
    Health(cmd::health::Args),
    Close(cmd::close::Args),
    Hold(cmd::hold::Args),
    Resume(cmd::resume::Args),
    Report(cmd::report::Args),
    Explain(cmd::explain::Args),
    Check(cmd::check::Args),
    Sync(cmd::sync::Args),
    MergeFile(cmd::merge_file::Args),
    Playbook(cmd::playbook::Args),
    Completions(cmd::completions::Args),
    Man(cmd::man::Args),
    Edit(cmd::edit::Args),
    Log(cmd::log::Args),
    Undo(cmd::undo::Args),
    Cal(cmd::cal::Args),
    Config(cmd::config::Args),
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_command_has_help() {
        for sub in Cli::command().get_subcommands() {
            assert!(
                sub.get_about().is_some(),
                "`ft {}` has no help text",
                sub.get_name()
            );
        }
    }
}
