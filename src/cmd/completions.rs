//! `ft completions SHELL`: print a shell completion script.

use anyhow::Result;
use clap::CommandFactory;
use clap_complete::Shell;

/// Print a completion script for your shell
///
/// bash:       ft completions bash > ~/.local/share/bash-completion/completions/ft
/// zsh:        ft completions zsh > "${fpath[1]}/_ft"
/// fish:       ft completions fish > ~/.config/fish/completions/ft.fish
/// PowerShell: ft completions powershell >> $PROFILE
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The shell to generate for
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: Args) -> Result<i32> {
    let mut cmd = crate::cli::Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "ft", &mut out);
    use std::io::Write;
    std::io::stdout().lock().write_all(&out)?;
    Ok(0)
}
