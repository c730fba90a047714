//! `ft check`: validate every file in the workspace.

use anyhow::Result;

use crate::Context;
use crate::error::{Diagnostic, Severity};
use crate::render::{Format, Tone, json, paint};
use crate::{escape, words};

/// Validate ft.toml, local playbooks and every engagement file; print
/// `path:line:col: severity[code]: message` for each problem and exit 1 on errors
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft check")]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> Result<i32> {
    let ws = crate::workspace::Workspace::open(&ctx.workspace_root()?)?;
    let mut problems: Vec<Diagnostic> = ws.problems.clone();
    let (engagements, eproblems) = ws.load_all()?;
    problems.extend(eproblems);
    problems.extend(crate::cmd::sync::driver_diagnostic(&ws.root));
    let files = ws.store.files()?.len();
    for d in &mut problems {
        d.path = ws.rel(&d.path).to_path_buf();
    }
    problems.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    let errors = problems
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    if ctx.format == Format::Json {
        ctx.print(&json(&problems))?;
    } else {
        let mut out = String::new();
        for d in &problems {
            let sev = match d.severity {
                Severity::Error => paint("error", Tone::Bad, ctx.color),
                Severity::Warning => paint("warning", Tone::Warn, ctx.color),
            };
            out.push_str(&format!(
                "{}:{}:{}: {sev}[{}]: {}\n",
                escape::terminal(&d.path.display().to_string()),
                d.line,
                d.column,
                d.code,
                escape::terminal_lines(&d.message)
            ));
            if let Some(h) = &d.hint {
                out.push_str(&format!("  hint: {}\n", escape::terminal_lines(h)));
            }
        }
        let local = ws
            .catalog
            .playbooks
            .iter()
            .filter(|p| !p.is_builtin())
            .count();
        out.push_str(&unfilled_notes(&ws, &engagements));
        out.push_str(&format!(
            "checked {} ({} usable) and {}: {}, {}\n",
            words::count(files, "engagement file", "engagement files"),
            engagements.len(),
            words::count(local, "local playbook", "local playbooks"),
            words::count(errors, "error", "errors"),
            words::count(warnings, "warning", "warnings"),
        ));
        ctx.print(&out)?;
    }
    Ok(i32::from(errors > 0))
}

/// "note: relecloud-dfm: the clocks of exit-critsit, rca run and nobody holds
/// PE (ft assign relecloud-dfm --role PE)": work on the queue, not a problem
/// in the file, so a note rather than a warning.
fn unfilled_notes(
    ws: &crate::workspace::Workspace,
    engagements: &[crate::engagement::Engagement],
) -> String {
    let mut out = String::new();
    for e in engagements {
        let Some(p) = ws.catalog.get(&e.playbook) else {
            continue;
        };
        let mut roles: Vec<(&str, Vec<&str>)> = Vec::new();
        for (task, role) in crate::engagement::load::unfilled(p, e) {
            match roles.iter_mut().find(|(r, _)| *r == role) {
                Some((_, tasks)) => tasks.push(task),
                None => roles.push((role, vec![task])),
            }
        }
        for (role, tasks) in roles {
            let line = format!(
                "note: {}: the clock{} of {} run{} and nobody holds {role} (ft assign {} --role {role})",
                e.id,
                if tasks.len() == 1 { "" } else { "s" },
                tasks.join(", "),
                if tasks.len() == 1 { "s" } else { "" },
                e.id
            );
            out.push_str(&escape::terminal(&line));
            out.push('\n');
        }
        for (role, why) in crate::engagement::load::short_roles(p, e) {
            let line = format!(
                "note: {}: the playbook expects {role} for {why} on the team and nobody holds it (ft set {} team.{role} NAME)",
                e.id, e.id
            );
            out.push_str(&escape::terminal(&line));
            out.push('\n');
        }
    }
    out
}
