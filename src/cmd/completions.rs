//! `ft completions SHELL`: print the shell's completion script.
//!
//! The script calls `ft` back on each Tab (with `FT_COMPLETE` set, see
//! `crate::complete`), so engagement ids, task ids, roles, playbooks and
//! people are completed from the current workspace.

use std::io::Write as _;

use anyhow::Result;
use clap_complete::Shell;
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};

use crate::complete::VAR;

/// Print the completion script for your shell: commands, options, and values from the workspace
///
/// Tab completes engagement ids, the task ids of the engagement named before
/// them, roles, playbook ids and people from the current workspace.
///
/// bash:
///   mkdir -p ~/.local/share/bash-completion/completions
///   ft completions bash > ~/.local/share/bash-completion/completions/ft
/// zsh (after `autoload -U compinit && compinit` in ~/.zshrc):
///   echo 'source <(ft completions zsh)' >> ~/.zshrc
/// fish:
///   mkdir -p ~/.config/fish/completions
///   ft completions fish > ~/.config/fish/completions/ft.fish
/// PowerShell:
///   ft completions powershell >> $PROFILE
///
/// The script runs `ft` as it was run here; run it again after moving ft.
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = "Example: ft completions bash > ~/.local/share/bash-completion/completions/ft"
)]
pub struct Args {
    /// The shell to generate for
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Print the script; `completer` is how the script runs `ft` (its argv[0]).
pub fn run(args: Args, completer: &str) -> Result<i32> {
    let shell: &dyn EnvCompleter = match args.shell {
        Shell::Bash => &Bash,
        Shell::Elvish => &Elvish,
        Shell::Fish => &Fish,
        Shell::PowerShell => &Powershell,
        Shell::Zsh => &Zsh,
        other => return Err(crate::error::user(format!("no completion for {other}"))),
    };
    let mut script = Vec::new();
    shell.write_registration(VAR, "ft", "ft", completer, &mut script)?;
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(0)
}
