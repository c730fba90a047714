//! `ft new ID --customer NAME ...`: create an unassigned engagement.

use anyhow::Result;
use toml_edit::{Array, DocumentMut, Item, Table, value};

use super::{split_list, when};
use crate::Context;
use crate::error::user_hint;
use crate::time::When;

/// Create an unassigned engagement file, engagements/ID.toml
#[derive(Debug, clap::Args)]
#[command(
    after_help = r#"Example: ft new adventure-works --customer "Adventure Works" --services Teams --seats 500"#
)]
pub struct Args {
    /// Engagement id: letters, digits, `-`, `_`, `.` (e.g. contoso-teams)
    pub id: String,

    /// Customer name
    #[arg(long)]
    pub customer: String,

    /// Playbook id [default: `default_playbook` in ft.toml, else m365-general-engagement]
    #[arg(long, short, add = crate::complete::playbook())]
    pub playbook: Option<String>,

    /// Services in scope, comma-separated (e.g. "Teams,Exchange")
    #[arg(long, value_delimiter = ',')]
    pub services: Vec<String>,

    /// Licensed seats (at least 1)
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub seats: Option<u32>,

    /// Incident severity, for playbooks with a `severity` field (short for --field severity=S)
    #[arg(long)]
    pub severity: Option<String>,

    /// A field the playbook declares, e.g. --field case_severity=A (repeatable)
    #[arg(long, value_name = "NAME=VALUE")]
    pub field: Vec<String>,

    /// Date (or date-time) the engagement opened [default: today]
    #[arg(long, value_name = "WHEN")]
    pub opened: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    if args.customer.trim().is_empty() {
        return Err(user_hint(
            "the customer name is empty",
            "pass --customer \"Contoso Ltd\"",
        ));
    }
    let ws = ctx.workspace()?;
    let playbook_id = args
        .playbook
        .clone()
        .or_else(|| ws.settings.default_playbook.clone())
        .unwrap_or_else(|| "m365-general-engagement".to_string());
    let playbook = ws.catalog.lookup(&playbook_id)?;
    let mut services = split_list(&args.services)
        .iter()
        .map(|s| playbook.check_service(s))
        .collect::<Result<Vec<_>, _>>()?;
    if services.is_empty() {
        services.clone_from(&playbook.default_services);
    }
    let fields = fields(playbook, &args)?;
    let named: Vec<(&str, &str)> = fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let missing = playbook.missing(&services, &named);
    if !missing.is_empty() {
        return Err(user_hint(
            format!("{}: {}", args.id, missing.join("; ")),
            new_hint(playbook, &services),
        ));
    }
    let opened: When = when(ctx, args.opened.as_deref(), playbook.counts_time_of_day())?;

    let mut doc = DocumentMut::new();
    doc["id"] = value(&args.id);
    doc["customer"] = value(&args.customer);
    doc["playbook"] = value(&playbook.id);
    doc["services"] = value(services.iter().collect::<Array>());
    if let Some(seats) = args.seats {
        doc["seats"] = value(i64::from(seats));
    }
    doc["status"] = value("unassigned");
    if !fields.is_empty() {
        let mut table = Table::new();
        for (name, v) in &fields {
            table[name.as_str()] = value(v);
        }
        doc["fields"] = Item::Table(table);
    }
    let mut milestones = Table::new();
    milestones["opened"] = Item::Value(opened.to_toml());
    doc["milestones"] = Item::Table(milestones);
    let text = format!("# {}\n{doc}", crate::escape::toml_comment(&args.customer));

    let line = format!(
        "Created {} ({}), {} playbook, unassigned",
        args.id, args.customer, playbook.id
    );
    ws.create(&args.id, &text, &line)?;
    ctx.say(&line)?;
    Ok(0)
}

/// `--severity` and each `--field NAME=VALUE`, checked against the playbook.
fn fields(playbook: &crate::playbook::Playbook, args: &Args) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    if let Some(sev) = &args.severity {
        out.push(("severity".into(), sev.clone()));
    }
    for f in &args.field {
        let Some((name, v)) = f.split_once('=') else {
            return Err(user_hint(
                format!("--field `{f}` is not NAME=VALUE"),
                "e.g. --field case_severity=A",
            ));
        };
        out.retain(|(n, _)| n != name.trim());
        out.push((name.trim().to_string(), v.trim().to_string()));
    }
    for (name, v) in &out {
        playbook.check_field(name, v).map_err(|e| {
            let declared: Vec<&str> = playbook.fields.keys().map(String::as_str).collect();
            let hint = if let Some(other) = playbook.field_with_value(name, v) {
                format!("`{v}` is a value of `{other}`: pass --field {other}={v}")
            } else if declared.is_empty() {
                "this playbook declares no fields".to_string()
            } else {
                format!("fields of `{}`: {}", playbook.id, declared.join(", "))
            };
            user_hint(e, hint)
        })?;
    }
    Ok(out)
}

/// The flags that supply what a new engagement lacks.
fn new_hint(p: &crate::playbook::Playbook, services: &[String]) -> String {
    if services.is_empty() && !p.services.is_empty() {
        let each: Vec<String> = p
            .services
            .iter()
            .map(|s| format!("--services {s}"))
            .collect();
        return format!("pass {}", each.join(" or "));
    }
    let flags: Vec<String> = p
        .required
        .iter()
        .filter(|r| r.applies(services))
        .map(|r| match r.field.as_str() {
            "severity" => "--severity S".to_string(),
            f => format!("--field {f}=VALUE"),
        })
        .collect();
    format!("pass {}", flags.join(" and "))
}
