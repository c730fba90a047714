//! `ft dibs ID [--date D] [--intent T] ...`: show or set DIBS.

use anyhow::Result;

use super::label;
use crate::Context;
use crate::engagement::ops::{DibsValue, Op};
use crate::engagement::store::Change;
use crate::error::user;
use crate::render::{self, Format, json};
use crate::time::parse_date;
use crate::view;

/// Show or set DIBS: target Date, Intent, Business reason, Success owner (sponsor)
#[derive(Debug, clap::Args)]
#[command(after_help = r#"Example: ft dibs contoso-teams --success-owner "Ana Ruiz, COO""#)]
pub struct Args {
    /// Engagement id
    #[arg(add = crate::complete::engagement_id())]
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

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let ops = operations(&args)?;
    let setting = !ops.is_empty();
    let e = if setting {
        let applied = ws.apply(&args.id, &ctx.actor(), |e, _| {
            Ok(Change {
                ops,
                line: format!("{}: DIBS updated", label(e)),
            })
        })?;
        ctx.say(&applied.message())?;
        applied.engagement
    } else {
        ws.store.load(&args.id, &ws.catalog)?
    };
    let view = view::dibs::View::of(&e);
    if ctx.format == Format::Json {
        ctx.print(&json(&view))?;
    } else if !(setting && ctx.quiet) {
        ctx.print(&render::dibs::grid(&view).render(ctx.format, ctx.term))?;
    }
    Ok(0)
}

/// One operation per DIBS field given.
fn operations(args: &Args) -> Result<Vec<Op>> {
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
    Ok(ops)
}
