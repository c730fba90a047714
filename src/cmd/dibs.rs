//! `ft dibs ID [--date D] [--intent T] ...`: show or set DIBS.

use anyhow::Result;
use serde::Serialize;

use super::label;
use crate::Context;
use crate::engagement::ops::{DibsValue, Op};
use crate::engagement::store::Change;
use crate::error::user;
use crate::render::{Format, Grid, Tone, json};
use crate::time::parse_date;

/// Show or set DIBS: target Date, Intent, Business reason, Success owner (sponsor)
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Engagement id
    pub id: String,

    /// Target (due) date
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,

    /// What the customer intends to do
    #[arg(long)]
    pub intent: Option<String>,

    /// Why: the business reason
    #[arg(long)]
    pub business_reason: Option<String>,

    /// Who owns success on the customer side (sponsor)
    #[arg(long)]
    pub success_owner: Option<String>,
}

#[derive(Serialize)]
struct View<'a> {
    engagement: &'a str,
    date: Option<String>,
    intent: Option<&'a str>,
    business_reason: Option<&'a str>,
    success_owner: Option<&'a str>,
    missing: Vec<&'static str>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let setting = args.date.is_some()
        || args.intent.is_some()
        || args.business_reason.is_some()
        || args.success_owner.is_some();
    if setting {
        let date = args
            .date
            .as_deref()
            .map(parse_date)
            .transpose()
            .map_err(|e| user(format!("--date: {e}")))?;
        let mut ops: Vec<Op> = date
            .map(|d| Op::Dibs {
                field: "date",
                value: DibsValue::Date(d),
            })
            .into_iter()
            .collect();
        for (field, v) in [
            ("intent", &args.intent),
            ("business_reason", &args.business_reason),
            ("success_owner", &args.success_owner),
        ] {
            if let Some(v) = v {
                ops.push(Op::Dibs {
                    field,
                    value: DibsValue::Text(v.clone()),
                });
            }
        }
        let applied = ws.apply(&args.id, &ctx.actor(), |e, _| {
            Ok(Change {
                ops,
                line: format!("{}: DIBS updated", label(e)),
            })
        })?;
        ctx.say(&applied.message())?;
    }
    let e = ws.store.load(&args.id, &ws.catalog)?;
    let view = View {
        engagement: &e.id,
        date: e.dibs.date.map(|d| d.to_string()),
        intent: e.dibs.intent.as_deref(),
        business_reason: e.dibs.business_reason.as_deref(),
        success_owner: e.dibs.success_owner.as_deref(),
        missing: e.dibs.missing().into_iter().map(|(k, _)| k).collect(),
    };
    if ctx.format == Format::Json {
        ctx.print(&json(&view))?;
        return Ok(0);
    }
    if setting && ctx.quiet {
        return Ok(0);
    }
    let mut grid = Grid::new(&["DIBS", "Value"]);
    let values = [
        view.date.as_deref(),
        view.intent,
        view.business_reason,
        view.success_owner,
    ];
    for ((_, name), v) in crate::playbook::DIBS_FIELDS.iter().zip(values) {
        match v.filter(|s| !s.trim().is_empty()) {
            Some(v) => grid.row(vec![
                (name.to_string(), Tone::Plain),
                (v.to_string(), Tone::Plain),
            ]),
            None => grid.row(vec![
                (name.to_string(), Tone::Warn),
                ("missing".into(), Tone::Bad),
            ]),
        }
    }
    ctx.print(&grid.render(ctx.format, ctx.color))?;
    Ok(0)
}
