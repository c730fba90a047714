//! `ft new ID --customer NAME ...`: create an unassigned engagement.

use anyhow::Result;
use toml_edit::{Array, DocumentMut, Item, Table, value};

use super::{split_list, when};
use crate::Context;
use crate::error::user_hint;
use crate::time::When;

/// Create an unassigned engagement file, engagements/ID.toml
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Engagement id: letters, digits, `-`, `_`, `.` (e.g. contoso-teams)
    pub id: String,

    /// Customer name
    #[arg(long)]
    pub customer: String,

    /// Playbook id [default: `default_playbook` in ft.toml, else m365-general-engagement]
    #[arg(long, short)]
    pub playbook: Option<String>,

    /// Services in scope, comma-separated (e.g. "Teams,Exchange")
    #[arg(long, value_delimiter = ',')]
    pub services: Vec<String>,

    /// Licensed seats
    #[arg(long)]
    pub seats: Option<u32>,

    /// Incident severity, for playbooks with a `severity` field
    #[arg(long)]
    pub severity: Option<String>,

    /// Date (or date-time) the engagement opened [default: today]
    #[arg(long, value_name = "WHEN")]
    pub opened: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let playbook_id = args
        .playbook
        .or_else(|| ws.settings.default_playbook.clone())
        .unwrap_or_else(|| "m365-general-engagement".to_string());
    let playbook = ws.catalog.lookup(&playbook_id)?;
    let services = split_list(&args.services)
        .iter()
        .map(|s| playbook.check_service(s))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(sev) = &args.severity {
        playbook
            .check_field("severity", sev)
            .map_err(|e| user_hint(e, "leave out --severity, or use a value the playbook lists"))?;
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
    if let Some(sev) = &args.severity {
        let mut fields = Table::new();
        fields["severity"] = value(sev);
        doc["fields"] = Item::Table(fields);
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
