//! `ft playbook list|show|check`: inspect and validate playbooks.

use std::path::{Path, PathBuf};

use anyhow::Result;
use indexmap::IndexMap;
use serde::Serialize;

use super::catalog_or_builtin;
use crate::Context;
use crate::engagement::store;
use crate::error::{Diagnostics, user_hint};
use crate::escape;
use crate::playbook::{Playbook, Source, load};
use crate::render::{Format, Grid, Term, Tone, json, paint};

/// Inspect playbooks: list them, show one, or check a YAML file
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft playbook show azure-fasttrack-engineer")]
pub struct Args {
    #[command(subcommand)]
    pub command: Sub,
}

#[derive(Debug, clap::Subcommand)]
pub enum Sub {
    /// List built-in and workspace playbooks (a workspace playbook with a built-in id overrides it)
    #[command(after_help = "Example: ft playbook list")]
    List,
    /// Show a playbook's roles, milestones, stages, tasks with SLAs, and cadences
    #[command(after_help = "Example: ft playbook show mcs-escalation")]
    Show {
        /// Playbook id, or a path to a YAML file
        #[arg(add = crate::complete::playbook())]
        playbook: String,
    },
    /// Validate a playbook YAML file; print every problem with line and column
    #[command(after_help = "Example: ft playbook check onboarding.yaml")]
    Check {
        /// Path to the YAML file
        #[arg(value_hint = clap::ValueHint::FilePath)]
        file: PathBuf,
    },
    /// Convert FastTrack playbook markdown pages (FTOP task tables) into playbook YAML
    ///
    /// Each page becomes a stage (named from its `# Title`, keeping its
    /// `Phase:`); headings with no body are stages too. Every FTOP task row
    /// becomes a task with its id, name, M/O flag, role and services as
    /// written. The pages state no SLAs; the output says where to add them.
    #[command(after_help = "Example: ft playbook import kickoff.md -o onboarding.yaml")]
    Import {
        /// Markdown pages, in stage order
        #[arg(required = true, value_hint = clap::ValueHint::FilePath)]
        files: Vec<PathBuf>,

        /// Write the YAML here (atomically) instead of printing it
        #[arg(short, long, value_name = "OUT.yaml", value_hint = clap::ValueHint::FilePath)]
        output: Option<PathBuf>,

        /// Playbook id [default: from the first file's name]
        #[arg(long)]
        id: Option<String>,

        /// Playbook name [default: the page title]
        #[arg(long)]
        name: Option<String>,
    },
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    match args.command {
        Sub::List => list(ctx),
        Sub::Show { playbook } => show(ctx, &playbook),
        Sub::Check { file } => check(ctx, &file),
        Sub::Import {
            files,
            output,
            id,
            name,
        } => import_pages(ctx, &files, output.as_deref(), id, name.as_deref()),
    }
}

#[derive(Serialize)]
struct ListRow<'a> {
    id: &'a str,
    name: &'a str,
    version: &'a str,
    source: String,
    overrides_builtin: bool,
    stages: usize,
    tasks: usize,
    cadences: usize,
}

fn list(ctx: &Context) -> Result<i32> {
    let (ws, catalog) = catalog_or_builtin(ctx);
    let rows: Vec<ListRow> = catalog
        .playbooks
        .iter()
        .map(|p| ListRow {
            id: &p.id,
            name: &p.name,
            version: &p.version,
            source: match (&p.source, &ws) {
                (Source::Builtin, _) => "built-in".into(),
                (Source::File(f), Some(ws)) => ws.rel(f).display().to_string(),
                (Source::File(f), None) => f.display().to_string(),
            },
            overrides_builtin: catalog.overridden.contains(&p.id),
            stages: p.stages.len(),
            tasks: p.tasks().count(),
            cadences: p.cadences.len(),
        })
        .collect();
    if ctx.format == Format::Json {
        return ctx.print(&json(&rows)).map(|()| 0);
    }
    let mut g = Grid::new(&[
        "ID", "Name", "Version", "Source", "Stages", "Tasks", "Cadences",
    ]);
    for r in &rows {
        let source = if r.overrides_builtin {
            format!("{} (overrides built-in)", r.source)
        } else {
            r.source.clone()
        };
        g.row(vec![
            (r.id.to_string(), Tone::Strong),
            (r.name.to_string(), Tone::Plain),
            (r.version.to_string(), Tone::Plain),
            (
                source,
                if r.overrides_builtin {
                    Tone::Warn
                } else {
                    Tone::Plain
                },
            ),
            (r.stages.to_string(), Tone::Plain),
            (r.tasks.to_string(), Tone::Plain),
            (r.cadences.to_string(), Tone::Plain),
        ]);
    }
    ctx.print(&g.render(ctx.format, ctx.term))?;
    Ok(0)
}

fn looks_like_path(s: &str) -> bool {
    s.contains('/') || s.contains('\\') || s.ends_with(".yaml") || s.ends_with(".yml")
}

fn parse_file(path: &Path) -> Result<Playbook> {
    let text = store::read(path)?;
    load::parse(path, &text, Source::File(path.to_path_buf())).map_err(|d| Diagnostics(d).into())
}

fn show(ctx: &Context, which: &str) -> Result<i32> {
    let p = if looks_like_path(which) && Path::new(which).exists() {
        parse_file(Path::new(which))?
    } else {
        let (_, catalog) = catalog_or_builtin(ctx);
        catalog.lookup(which)?.clone()
    };
    let view = view(&p);
    if ctx.format == Format::Json {
        return ctx.print(&json(&view)).map(|()| 0);
    }
    ctx.print(&render(&p, &view, ctx.format, ctx.term))?;
    Ok(0)
}

fn check(ctx: &Context, file: &Path) -> Result<i32> {
    let text = store::read(file)?;
    match load::parse(file, &text, Source::File(file.to_path_buf())) {
        Ok(p) => {
            for w in crate::playbook::lint::warnings(&p) {
                ctx.say(&format!(
                    "{}: warning: {w}",
                    escape::terminal(&file.display().to_string())
                ))?;
            }
            ctx.say(&format!(
                "{}: ok: playbook `{}`, {} stages, {} tasks, {} cadences",
                file.display(),
                p.id,
                p.stages.len(),
                p.tasks().count(),
                p.cadences.len()
            ))?;
            Ok(0)
        }
        Err(problems) => {
            // File names and contents are quoted: control characters shown, never sent.
            let mut out = String::new();
            for d in &problems {
                out.push_str(&format!("{}\n", escape::terminal_lines(&d.to_string())));
            }
            out.push_str(&format!(
                "{}: {} problems\n",
                escape::terminal(&file.display().to_string()),
                problems.len()
            ));
            ctx.print(&out)?;
            Ok(1)
        }
    }
}

#[derive(Serialize)]
pub struct View {
    id: String,
    name: String,
    version: String,
    roles: IndexMap<String, String>,
    milestones: Vec<String>,
    fields: IndexMap<String, Vec<String>>,
    stages: Vec<StageView>,
    cadences: Vec<CadenceView>,
    dibs: Option<DibsView>,
    ssat: Vec<String>,
    /// What an engagement needs and gets: the primary role, required
    /// fields, default services, stakeholder contacts, expected roles.
    needs: NeedsView,
}

#[derive(Serialize)]
struct NeedsView {
    primary_role: Option<String>,
    /// Field -> the services that make it required (empty: always).
    required: IndexMap<String, Vec<String>>,
    services: Vec<String>,
    default_services: Vec<String>,
    contacts: IndexMap<String, String>,
    /// "FTA when segment = S500".
    expect: Vec<String>,
}

fn needs(p: &Playbook) -> NeedsView {
    NeedsView {
        primary_role: p.primary_role.clone(),
        required: p
            .required
            .iter()
            .map(|r| (r.field.clone(), r.with_services.clone()))
            .collect(),
        services: p.services.clone(),
        default_services: p.default_services.clone(),
        contacts: p
            .roles
            .iter()
            .filter(|r| r.contact)
            .map(|r| (r.alias.clone(), r.name.clone()))
            .collect(),
        expect: p
            .expect
            .iter()
            .map(|x| {
                let when: Vec<String> = x
                    .when
                    .iter()
                    .map(|(f, v)| format!("{f} = {}", v.join(" or ")))
                    .collect();
                format!("{} when {}", x.role, when.join(" and "))
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct StageView {
    id: String,
    name: String,
    tasks: Vec<TaskView>,
}

#[derive(Serialize)]
struct TaskView {
    id: String,
    name: String,
    mandatory: bool,
    role: String,
    services: Vec<String>,
    due: Option<Vec<DueView>>,
}

#[derive(Serialize)]
struct DueView {
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    when: IndexMap<String, Vec<String>>,
    within: String,
    after: String,
}

#[derive(Serialize)]
struct CadenceView {
    id: String,
    name: String,
    role: String,
    every: String,
    after: String,
    services: Vec<String>,
}

#[derive(Serialize)]
struct DibsView {
    required: bool,
    due_at: Option<String>,
}

pub fn view(p: &Playbook) -> View {
    View {
        id: p.id.clone(),
        name: p.name.clone(),
        version: p.version.clone(),
        roles: p
            .roles
            .iter()
            .filter(|r| !r.contact)
            .map(|r| (r.alias.clone(), r.name.clone()))
            .collect(),
        milestones: p.milestones.iter().map(|m| m.id.clone()).collect(),
        fields: p.fields.clone(),
        stages: p
            .stages
            .iter()
            .map(|s| StageView {
                id: s.id.clone(),
                name: s.name.clone(),
                tasks: s
                    .tasks
                    .iter()
                    .map(|t| TaskView {
                        id: t.id.clone(),
                        name: t.name.clone(),
                        mandatory: t.mandatory,
                        role: p.role_name(&t.role).to_string(),
                        services: t.services.clone(),
                        due: (!t.due.is_empty()).then(|| {
                            t.due
                                .iter()
                                .map(|d| DueView {
                                    when: d.when.iter().cloned().collect(),
                                    within: d.within.to_string(),
                                    after: d.after.to_string(),
                                })
                                .collect()
                        }),
                    })
                    .collect(),
            })
            .collect(),
        cadences: p
            .cadences
            .iter()
            .map(|c| CadenceView {
                id: c.id.clone(),
                name: c.name.clone(),
                role: p.role_name(&c.role).to_string(),
                every: c.every.to_string(),
                after: c.after.to_string(),
                services: c.services.clone(),
            })
            .collect(),
        dibs: p.dibs.as_ref().map(|d| DibsView {
            required: d.required,
            due_at: d.due.clone(),
        }),
        ssat: p.ssat.clone(),
        needs: needs(p),
    }
}

fn render(p: &Playbook, v: &View, format: Format, term: Term) -> String {
    let mut out = format!(
        "{} {} (version {})\n",
        paint(&p.id, Tone::Strong, term.color),
        p.name,
        p.version
    );
    if let Some(d) = &p.description {
        out.push_str(&format!("{d}\n"));
    }
    let roles = p
        .roles
        .iter()
        .filter(|r| !r.contact)
        .map(|r| format!("{} = {}", r.alias, r.name))
        .collect::<Vec<_>>()
        .join(", ");
    out.push_str(&format!("Roles: {roles}\n"));
    out.push_str(&format!("Milestones: {}\n", v.milestones.join(", ")));
    out.push_str(&needs_lines(p, &v.needs));
    if let Some(d) = &p.dibs {
        out.push_str(&format!(
            "DIBS: {}{}\n",
            if d.required { "required" } else { "optional" },
            d.due
                .as_deref()
                .map(|m| format!(", by {m}"))
                .unwrap_or_default()
        ));
    }
    if !p.ssat.is_empty() {
        out.push_str(&format!("SSAT: {}\n", p.ssat.join(", ")));
    }
    let mut g = Grid::new(&["Stage", "Task", "Name", "M/O", "Role", "Services", "SLA"]);
    for s in &p.stages {
        for t in &s.tasks {
            let sla = t
                .due
                .iter()
                .map(|d| {
                    let when = d
                        .when
                        .iter()
                        .map(|(f, vals)| format!("{f} {}: ", vals.join("/")))
                        .collect::<String>();
                    format!("{when}{} after {}", d.within, d.after)
                })
                .collect::<Vec<_>>()
                .join("; ");
            g.row(vec![
                (s.name.clone(), Tone::Plain),
                (t.id.clone(), Tone::Strong),
                (t.name.clone(), Tone::Plain),
                ((if t.mandatory { "M" } else { "O" }).into(), Tone::Plain),
                (t.role.clone(), Tone::Plain),
                (t.services.join(" / "), Tone::Plain),
                (if sla.is_empty() { "-".into() } else { sla }, Tone::Plain),
            ]);
        }
    }
    out.push_str(&g.render(format, term));
    if !p.cadences.is_empty() {
        let mut g = Grid::new(&["Cadence", "Name", "Role", "Every", "After", "Services"]);
        for c in &p.cadences {
            g.plain_row(vec![
                c.id.clone(),
                c.name.clone(),
                c.role.clone(),
                c.every.to_string(),
                c.after.to_string(),
                c.services.join(" / "),
            ]);
        }
        out.push_str(&g.render(format, term));
    }
    out
}

fn import_pages(
    ctx: &Context,
    files: &[PathBuf],
    output: Option<&Path>,
    id: Option<String>,
    name: Option<&str>,
) -> Result<i32> {
    let mut pages = Vec::new();
    for f in files {
        let text = store::read(f)?;
        pages.push(crate::playbook::import::parse_page(f, &text).map_err(crate::error::user)?);
    }
    let id = id.unwrap_or_else(|| {
        crate::playbook::import::slug(&files[0].file_stem().unwrap_or_default().to_string_lossy())
    });
    crate::engagement::check_id(&id)
        .map_err(|e| user_hint(format!("--id: {e}"), "e.g. --id our-playbook"))?;
    let imported = crate::playbook::import::to_yaml(&pages, &id, name);
    for w in &imported.warnings {
        eprintln!("warning: {}", escape::terminal_lines(w));
    }
    if imported.too_large() {
        return Err(user_hint(
            format!(
                "the playbook would be over {} bytes, the most a playbook file may hold ({} tasks from {} pages)",
                crate::yaml::MAX_BYTES,
                imported.tasks,
                pages.len()
            ),
            "import the pages into several playbooks, or split a long page",
        ));
    }
    let check_path = output.unwrap_or(Path::new("<import>"));
    if let Err(problems) = load::parse(
        check_path,
        &imported.yaml,
        Source::File(check_path.to_path_buf()),
    ) {
        return Err(Diagnostics(problems).into());
    }
    match output {
        Some(path) => {
            store::write_atomic(path, imported.yaml.as_bytes())?;
            ctx.say(&format!(
                "Wrote {}: playbook `{id}`, {} tasks from {} pages",
                path.display(),
                imported.tasks,
                pages.len()
            ))?;
        }
        None => ctx.print(&imported.yaml)?,
    }
    Ok(0)
}

/// The primary role, contacts, fields (with when they are required),
/// services and the roles a team is expected to hold, a line each.
fn needs_lines(p: &Playbook, n: &NeedsView) -> String {
    let mut out = String::new();
    if let Some(r) = &n.primary_role {
        out.push_str(&format!(
            "Primary role: {r} (claiming it records `assigned`)\n"
        ));
    }
    if !n.contacts.is_empty() {
        let c: Vec<String> = n
            .contacts
            .iter()
            .map(|(a, name)| format!("{a} = {name}"))
            .collect();
        out.push_str(&format!("Contacts (no tasks): {}\n", c.join(", ")));
    }
    for (f, values) in &p.fields {
        let required = match n.required.get(f) {
            Some(s) if s.is_empty() => " (required)".to_string(),
            Some(s) => format!(" (required with {})", s.join(", ")),
            None => String::new(),
        };
        let values = if values.is_empty() {
            "any value".to_string()
        } else {
            values.join(", ")
        };
        out.push_str(&format!("Field {f}: {values}{required}\n"));
    }
    if !n.services.is_empty() {
        out.push_str(&format!("Services: {}\n", n.services.join(", ")));
    }
    if !n.default_services.is_empty() {
        out.push_str(&format!(
            "Default services: {}\n",
            n.default_services.join(", ")
        ));
    }
    if !n.expect.is_empty() {
        out.push_str(&format!("Expected on the team: {}\n", n.expect.join("; ")));
    }
    out
}
