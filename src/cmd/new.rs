//! `ft new ID --customer NAME ...`: create an unassigned engagement.

use anyhow::Result;
use toml_edit::{Array, DocumentMut, Item, Table, value};

use super::{split_list, when};
use crate::Context;
use crate::error::{suggest, user_hint};
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
    let Some(playbook) = ws.catalog.get(&playbook_id) else {
        let hint = suggest(&playbook_id, ws.catalog.ids()).unwrap_or_else(|| {
            format!(
                "known playbooks: {}",
                ws.catalog.ids().collect::<Vec<_>>().join(", ")
            )
        });
        return Err(user_hint(format!("no playbook `{playbook_id}`"), hint));
    };
    let mut services = Vec::new();
    for s in split_list(&args.services) {
        if playbook.services.is_empty() {
            services.push(s);
        } else if let Some(c) = playbook.service(&s) {
            services.push(c.to_string());
        } else {
            return Err(user_hint(
                format!("`{s}` is not a service of playbook `{}`", playbook.id),
                format!("its services: {}", playbook.services.join(", ")),
            ));
        }
    }
    if let Some(sev) = &args.severity {
        match playbook.fields.get("severity") {
            None => {
                return Err(user_hint(
                    format!("playbook `{}` has no severity", playbook.id),
                    "leave out --severity",
                ));
            }
            Some(allowed) if !allowed.is_empty() && !allowed.contains(sev) => {
                return Err(user_hint(
                    format!("`{sev}` is not a severity"),
                    format!("use one of: {}", allowed.join(", ")),
                ));
            }
            Some(_) => {}
        }
    }
    let opened: When = when(ctx, args.opened.as_deref(), super::precise(playbook))?;

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
