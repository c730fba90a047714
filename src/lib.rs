//! `ft`: engagement playbooks, SLAs and daily action lists.
//!
//! `run` parses the command line, builds the [`Context`] (workspace, personal
//! config, today, output settings) and dispatches to one module per command.
//! Only this module reads the clock and the environment.

pub mod agenda;
pub mod calendar;
pub mod calseq;
pub mod cli;
pub mod clock;
pub mod cmd;
pub mod complete;
pub mod completion;
pub mod demo;
pub mod duration;
pub mod engagement;
pub mod error;
pub mod escape;
pub mod fsx;
pub mod git;
pub mod ical;
pub mod journal;
pub mod lock;
pub mod playbook;
pub mod render;
pub mod report;
pub mod sla;
pub mod time;
pub mod view;
pub mod words;
pub mod workspace;
pub mod yaml;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::{NaiveDate, Timelike as _};
use clap::Parser;

use crate::cli::{Cli, ColorChoice, Command, Global};
use crate::error::{Diagnostic, Diagnostics, UserError, user_hint};
use crate::render::Format;
use crate::time::When;
use crate::workspace::{Config, Found, Workspace};

/// Everything a command needs besides its own arguments.
pub struct Context {
    pub format: Format,
    pub color: bool,
    /// Colour and width of the terminal output goes to.
    pub term: render::Term,
    pub quiet: bool,
    pub now: When,
    pub today: NaiveDate,
    pub config: Config,
    me: Option<String>,
    /// Where `me` came from: `--as`, `FT_USER` or the personal config.
    me_from: &'static str,
    workspace: Option<(PathBuf, Found)>,
}

impl Context {
    /// The current workspace; warns on stderr about broken settings or playbooks.
    pub fn workspace(&self) -> Result<Workspace> {
        let Some((root, found)) = &self.workspace else {
            return Err(user_hint(
                "no workspace found",
                "create one with `ft init DIR`, or point to one with -w DIR or FT_WORKSPACE",
            ));
        };
        let ws = Workspace::open(root).map_err(|e| {
            if *found == Found::DataDir {
                user_hint(
                    format!(
                        "no workspace here or above, and none at `{}`",
                        root.display()
                    ),
                    "create one with `ft init`, or point to one with -w DIR or FT_WORKSPACE",
                )
            } else {
                e
            }
        })?;
        self.warn_all(&ws, &ws.problems);
        Ok(ws)
    }

    /// The resolved workspace directory, without opening it.
    pub fn workspace_root(&self) -> Result<PathBuf> {
        match &self.workspace {
            Some((root, _)) => Ok(root.clone()),
            None => Err(user_hint(
                "no workspace found",
                "create one with `ft init DIR`, or point to one with -w DIR or FT_WORKSPACE",
            )),
        }
    }

    /// Who I am: `--as`, `FT_USER`, or `me` in the personal config.
    pub fn me(&self) -> Result<&str> {
        self.me.as_deref().ok_or_else(|| {
            let where_ = self
                .config
                .path
                .as_ref()
                .map_or("the personal config".to_string(), |p| {
                    format!("`{}`", p.display())
                });
            user_hint(
                "ft does not know who you are",
                format!("pass --as NAME, set FT_USER, or add `me = \"NAME\"` to {where_}"),
            )
        })
    }

    pub fn me_opt(&self) -> Option<&str> {
        self.me.as_deref()
    }

    /// Where [`Context::me`] came from: "--as", "FT_USER" or "config".
    pub fn me_from(&self) -> &'static str {
        self.me_from
    }

    /// The workspace directory and how it was found, without opening it.
    pub fn workspace_found(&self) -> Option<(&Path, Found)> {
        self.workspace.as_ref().map(|(p, f)| (p.as_path(), *f))
    }

    /// Who is changing things, and now: what each recorded event carries.
    pub fn actor(&self) -> engagement::ops::Actor {
        engagement::ops::Actor {
            at: self.now,
            by: self.me.clone(),
        }
    }

    /// Name the time zone once under table or Markdown output that showed
    /// times of day in it (nothing in UTC, where each time carries its `Z`).
    pub fn zone_legend(&self, showed_times: bool) -> Result<()> {
        match self.zone_line(showed_times) {
            Some(line) if self.format == Format::Markdown => {
                self.say(&format!("\n{}", render::markdown::text(&line)))
            }
            Some(line) => self.say(&line),
            None => Ok(()),
        }
    }

    /// The line naming the time zone, for output that showed times of day
    /// in it as a table or in Markdown (JSON and CSV keep their offsets).
    pub fn zone_line(&self, showed_times: bool) -> Option<String> {
        if !showed_times || !matches!(self.format, Format::Table | Format::Markdown) {
            return None;
        }
        let tz = std::env::var("TZ").ok();
        clock::zone_legend(self.now, tz.as_deref())
    }

    /// Print data to stdout.
    pub fn print(&self, text: &str) -> Result<()> {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()?;
        Ok(())
    }

    /// Print a confirmation, unless `--quiet`. Confirmations quote names
    /// from the files, so control characters are shown, never sent.
    pub fn say(&self, text: &str) -> Result<()> {
        if self.quiet {
            return Ok(());
        }
        self.print(&format!("{}\n", escape::terminal_lines(text)))
    }

    /// Name problem files on stderr without stopping.
    pub fn warn_all(&self, ws: &Workspace, problems: &[Diagnostic]) {
        for d in problems.iter().filter(|d| d.is_error()) {
            eprintln!(
                "warning: skipping {}:{}:{}: {} (run `ft check`)",
                escape::terminal(&ws.rel(&d.path).display().to_string()),
                d.line,
                d.column,
                escape::terminal_lines(&d.message)
            );
        }
    }

    /// Load every engagement, naming unusable files on stderr, and the
    /// values that were left out of usable ones.
    pub fn engagements(&self, ws: &Workspace) -> Result<Vec<engagement::Engagement>> {
        Ok(self.engagements_where(ws, &|_| true)?.1)
    }

    /// [`Context::engagements`] in full only where `want` accepts the
    /// summary, with every engagement's summary (see
    /// [`Workspace::load_where`]).
    pub fn engagements_where(
        &self,
        ws: &Workspace,
        want: &crate::workspace::Want<'_>,
    ) -> Result<(Vec<engagement::Summary>, Vec<engagement::Engagement>)> {
        let mut engagements = Vec::new();
        let summaries = self.engagements_each(ws, want, &mut |e| {
            engagements.push(e);
            Ok(())
        })?;
        Ok((summaries, engagements))
    }

    /// [`Context::engagements_where`], giving `each` the wanted engagements
    /// one at a time in the workspace's order (see
    /// [`Workspace::load_each`]); the problems are named once all are given.
    pub fn engagements_each(
        &self,
        ws: &Workspace,
        want: &crate::workspace::Want<'_>,
        each: &mut dyn FnMut(engagement::Engagement) -> Result<()>,
    ) -> Result<Vec<engagement::Summary>> {
        let selection = ws.load_each(true, want, each)?;
        if selection.problems.is_empty() {
            return Ok(selection.summaries);
        }
        let usable: std::collections::HashSet<&Path> = selection
            .summaries
            .iter()
            .map(|e| e.path.as_path())
            .collect();
        let (in_usable, broken): (Vec<Diagnostic>, Vec<Diagnostic>) = selection
            .problems
            .into_iter()
            .partition(|d| usable.contains(d.path.as_path()));
        let broken: Vec<Diagnostic> = broken.into_iter().filter(|d| d.is_error()).collect();
        self.warn_all(ws, &broken);
        warn_problems(&ws.root, &in_usable);
        Ok(selection.summaries)
    }
}

/// An `FT_*` environment variable; empty is unset, and a value that is not
/// UTF-8 is an error naming the variable rather than silently ignored (a
/// workspace or date that was meant would otherwise be replaced by another).
fn ft_env(name: &str) -> Result<Option<String>> {
    match std::env::var(name) {
        Ok(v) => Ok(Some(v).filter(|v| !v.is_empty())),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(v)) => Err(user_hint(
            format!(
                "environment variable `{name}` is not valid UTF-8: {}",
                v.to_string_lossy().escape_debug()
            ),
            format!("set `{name}` to a UTF-8 value, or unset it"),
        )),
    }
}

/// At most this many problems of usable files are printed by one command.
const MAX_WARNINGS: usize = 20;

/// Warn on stderr about problems in files that are still used (a value that
/// did not parse and was left out, an unknown key): every command that reads
/// an engagement says so, not only `ft check`.
pub fn warn_problems(root: &Path, problems: &[Diagnostic]) {
    for d in problems.iter().take(MAX_WARNINGS) {
        let path = d.path.strip_prefix(root).unwrap_or(&d.path);
        eprintln!(
            "warning: {}:{}:{}: {}",
            escape::terminal(&path.display().to_string()),
            d.line,
            d.column,
            escape::terminal_lines(&d.message)
        );
        if let Some(hint) = &d.hint {
            eprintln!("  hint: {}", escape::terminal_lines(hint));
        }
    }
    if problems.len() > MAX_WARNINGS {
        eprintln!(
            "warning: {} more problems (run `ft check`)",
            problems.len() - MAX_WARNINGS
        );
    }
}

fn build_context(global: &Global, lenient: bool) -> Result<Context> {
    // Other variables (NO_COLOR, TERM) only turn things off: present is enough.
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    let (ft_config, ft_today) = (ft_env("FT_CONFIG")?, ft_env("FT_TODAY")?);
    let (ft_workspace, ft_user) = (ft_env("FT_WORKSPACE")?, ft_env("FT_USER")?);
    let dirs = directories::ProjectDirs::from("", "", "ft");
    let config_path = ft_config
        .map(PathBuf::from)
        .or_else(|| dirs.as_ref().map(|d| d.config_dir().join("config.toml")));
    let config = match &config_path {
        // `ft config` still runs on a broken file, to say where it is.
        Some(p) if lenient => Config::load(p).unwrap_or_else(|e| {
            eprintln!("warning: {}", escape::terminal_lines(&format!("{e:#}")));
            Config {
                path: Some(p.clone()),
                ..Config::default()
            }
        }),
        Some(p) => Config::load(p)?,
        None => Config::default(),
    };
    let now = match global.today.clone().or(ft_today) {
        Some(s) => s
            .parse::<When>()
            .map_err(|e| user_hint(format!("--today: {e}"), "e.g. --today 2026-11-20"))?,
        // Whole seconds: what the files record.
        None => When::At(
            chrono::Local::now()
                .fixed_offset()
                .with_nanosecond(0)
                .unwrap_or_else(|| chrono::Local::now().fixed_offset()),
        ),
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let env_ws = ft_workspace.map(PathBuf::from);
    let data_dir = dirs.as_ref().map(|d| d.data_dir().to_path_buf());
    let workspace = workspace::resolve(
        global.workspace.as_deref(),
        env_ws.as_deref(),
        &cwd,
        config.workspace.as_deref(),
        data_dir.as_deref(),
    );
    let no_color = env("NO_COLOR").is_some();
    let color = !no_color
        && match global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal() && env("TERM").is_none_or(|t| t != "dumb")
            }
        };
    let me_from = match (&global.as_person, &ft_user) {
        (Some(_), _) => "--as",
        (None, Some(_)) => "FT_USER",
        (None, None) => "config",
    };
    let me = global
        .as_person
        .clone()
        .or(ft_user)
        .or_else(|| config.me.clone());
    let width = output_width(env("FT_WIDTH").as_deref());
    clock::show_local(!global.utc);
    Ok(Context {
        format: global.format,
        color,
        term: render::Term { color, width },
        quiet: global.quiet,
        today: now.date(),
        now,
        config,
        me,
        me_from,
        workspace,
    })
}

/// How many columns output may take: `FT_WIDTH` when set (tests, or to
/// pretend a width), else the terminal's; `None` when stdout is not a
/// terminal, so piped output keeps every value in full.
fn output_width(forced: Option<&std::ffi::OsStr>) -> Option<usize> {
    if let Some(w) = forced
        .and_then(|w| w.to_str())
        .and_then(|w| w.parse::<usize>().ok())
    {
        return Some(w.max(render::MIN_WIDTH));
    }
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let w = comfy_table::Table::new().width().map_or(80, usize::from);
    Some(if w == 0 { 80 } else { w.max(render::MIN_WIDTH) })
}

/// Parse arguments, run the command, and return its exit code.
pub fn run(args: impl IntoIterator<Item = impl Into<std::ffi::OsString> + Clone>) -> Result<i32> {
    let cli = Cli::parse_from(args);
    let ctx = build_context(&cli.global, matches!(cli.command, Command::Config(_)))?;
    if ctx.format == Format::Html && !matches!(cli.command, Command::Report(_)) {
        return Err(user_hint(
            "--format html is for ft report",
            "ft report --format html --output review.html; here use table, json, markdown or csv",
        ));
    }
    // Commands that only read never see a work tree that git is rewriting.
    let _reading = matches!(
        cli.command,
        Command::Next(_) | Command::Report(_) | Command::List(_) | Command::Show(_)
    )
    .then(|| ctx.workspace_root().ok().and_then(|r| lock::reading(&r)));
    match cli.command {
        Command::Init(a) => cmd::init::run(&ctx, a),
        Command::New(a) => cmd::new::run(&ctx, a),
        Command::List(a) => cmd::list::run(&ctx, a),
        Command::Show(a) => cmd::show::run(&ctx, a),
        Command::Next(a) => cmd::next::run(&ctx, a).inspect(|_| remind(&ctx)),
        Command::Assign(a) => cmd::assign::run(&ctx, a),
        Command::Unassign(a) => cmd::unassign::run(&ctx, a),
        Command::Done(a) => cmd::done::run(&ctx, a),
        Command::Skip(a) => cmd::skip::run(&ctx, a),
        Command::Reopen(a) => cmd::reopen::run(&ctx, a),
        Command::Milestone(a) => cmd::milestone::run(&ctx, a),
        Command::Dibs(a) => cmd::dibs::run(&ctx, a),
        Command::Set(a) => cmd::set::run(&ctx, a),
        Command::Note(a) => cmd::note::run(&ctx, a),
        Command::Blocker(a) => cmd::blocker::run(&ctx, a),
        Command::Health(a) => cmd::health::run(&ctx, a),
        Command::Close(a) => cmd::close::run(&ctx, a),
        Command::Hold(a) => cmd::hold::run(&ctx, a),
        Command::Resume(a) => cmd::resume::run(&ctx, a),
        Command::Report(a) => cmd::report::run(&ctx, a).inspect(|_| remind(&ctx)),
        Command::Explain(a) => cmd::explain::run(&ctx, a),
        Command::Check(a) => cmd::check::run(&ctx, a),
        Command::Sync(a) => cmd::sync::run(&ctx, a),
        Command::MergeFile(a) => cmd::merge_file::run(&ctx, a),
        Command::Playbook(a) => cmd::playbook::run(&ctx, a),
        Command::Completions(a) => cmd::completions::run(a, &completer()),
        Command::Man(a) => cmd::man::run(&ctx, a),
        Command::Edit(a) => cmd::edit::run(&ctx, a),
        Command::Log(a) => cmd::log::run(&ctx, a),
        Command::Undo(a) => cmd::undo::run(&ctx, a),
        Command::Cal(a) => cmd::cal::run(&ctx, a),
        Command::Config(a) => cmd::config::run(&ctx, a),
    }
}

/// How completion scripts run `ft`: as it was run now (`ft` from the PATH,
/// or a path, made absolute).
fn completer() -> String {
    let argv0 = PathBuf::from(std::env::args_os().next().unwrap_or_else(|| "ft".into()));
    let path = if argv0.components().count() > 1 {
        std::env::current_dir().map_or(argv0.clone(), |cwd| cwd.join(&argv0))
    } else {
        argv0
    };
    path.to_string_lossy().into_owned()
}

/// Say when changes made here wait to be pushed.
fn remind(ctx: &Context) {
    if let Ok(root) = ctx.workspace_root() {
        cmd::sync::remind(&root);
    }
}

/// When the shell asks for completions (the scripts of `ft completions`
/// set [`complete::VAR`]), print them and exit; otherwise return. Nothing is
/// printed on stderr: a failure completes nothing.
fn complete_if_asked() {
    if std::env::var_os(complete::VAR).is_none_or(|v| v.is_empty() || v == "0") {
        return;
    }
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let words: Vec<std::ffi::OsString> = args
        .iter()
        .skip_while(|a| *a != "--")
        .skip(1)
        .cloned()
        .collect();
    // bash, zsh and elvish say which word is completed; fish and
    // PowerShell pass the words up to it.
    let index = std::env::var("_CLAP_COMPLETE_INDEX")
        .ok()
        .and_then(|i| i.parse::<usize>().ok())
        .unwrap_or(words.len().saturating_sub(1));
    complete::Scope::of(&words[..index.min(words.len())], completion_root).install();
    let cwd = std::env::current_dir().ok();
    let done = clap_complete::CompleteEnv::with_factory(<Cli as clap::CommandFactory>::command)
        .var(complete::VAR)
        .try_complete(args, cwd.as_deref());
    std::process::exit(if matches!(done, Ok(true)) { 0 } else { 1 });
}

/// The workspace for completion, found as for a command (see
/// [`workspace::resolve`]) but quietly: a variable or personal config that
/// cannot be used is passed over.
fn completion_root(flag: Option<&Path>) -> Option<PathBuf> {
    let var = |k: &str| ft_env(k).ok().flatten().map(PathBuf::from);
    let dirs = directories::ProjectDirs::from("", "", "ft");
    let config = var("FT_CONFIG")
        .or_else(|| dirs.as_ref().map(|d| d.config_dir().join("config.toml")))
        .and_then(|p| Config::load(&p).ok())
        .unwrap_or_default();
    let cwd = std::env::current_dir().ok()?;
    let data_dir = dirs.as_ref().map(|d| d.data_dir().to_path_buf());
    workspace::resolve(
        flag,
        var("FT_WORKSPACE").as_deref(),
        &cwd,
        config.workspace.as_deref(),
        data_dir.as_deref(),
    )
    .map(|(root, _)| root)
}

/// Run with the process arguments; print errors; map them to exit codes
/// (0 ok, 1 a check found problems, 2 bad usage or input).
pub fn main_exit_code() -> u8 {
    complete_if_asked();
    match run(std::env::args_os()) {
        Ok(code) => u8::try_from(code).unwrap_or(2),
        Err(err) => {
            if is_broken_pipe(&err) {
                return 0;
            }
            report(&err);
            2
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn report(err: &anyhow::Error) {
    if let Some(diags) = err.downcast_ref::<Diagnostics>() {
        for d in &diags.0 {
            eprintln!("error: {}", display_path_diag(d));
        }
        return;
    }
    eprintln!("error: {}", escape::terminal_lines(&format!("{err:#}")));
    if let Some(hint) = err
        .chain()
        .find_map(|e| e.downcast_ref::<UserError>())
        .and_then(|u| u.hint.as_ref())
    {
        eprintln!("hint: {}", escape::terminal_lines(hint));
    }
}

fn display_path_diag(d: &Diagnostic) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let path = d.path.strip_prefix(&cwd).unwrap_or(&d.path);
    let mut s = format!(
        "{}:{}:{}: {}",
        escape::terminal(&path.display().to_string()),
        d.line,
        d.column,
        escape::terminal_lines(&d.message)
    );
    if let Some(h) = &d.hint {
        s.push_str(&format!("\nhint: {}", escape::terminal_lines(h)));
    }
    s
}
