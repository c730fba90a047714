//! `ft close ID [--on D]`: end the engagement; closing SLAs start.

use anyhow::Result;

use super::{label, not_before_opened, when};
use crate::Context;
use crate::engagement::ops::Op;
use crate::engagement::store::Change;
use crate::error::user_hint;

/// Close an engagement: set the `end` milestone and status closed; closing SLAs start counting
///
/// Open mandatory tasks are listed and refuse the close; with --force they stay
/// visible in `ft report`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft close woodgrove-ai --force")]
pub struct Args {
    /// Engagement id
    #[arg(add = crate::complete::engagement_id())]
    pub id: String,

    /// When the engagement ended [default: today]
    #[arg(long, value_name = "WHEN")]
    pub on: Option<String>,

    /// Close although mandatory tasks are still open (they stay in `ft report`)
    #[arg(long)]
    pub force: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let applied = ws.apply(&args.id, &ctx.actor(), |e, p| {
        if !p.has_milestone("end") {
            return Err(user_hint(
                format!("playbook `{}` has no `end` milestone", p.id),
                format!(
                    "set the status instead: `ft set {} status closed`",
                    crate::escape::shell(&e.id)
                ),
            ));
        }
        let w = when(ctx, args.on.as_deref(), p.counts_time_of_day())?;
        not_before_opened(e, w)?;
        let open = crate::view::report::open_mandatory(p, e);
        let (excused, open) = excused_at_completion(p, e, open);
        if !open.is_empty() && !args.force {
            return Err(user_hint(
                format!(
                    "{}: {} mandatory task{} still open: {}",
                    e.id,
                    open.len(),
                    if open.len() == 1 { " is" } else { "s are" },
                    open.join(", ")
                ),
                format!(
                    "do them (ft done {} TASK) or skip them with a reason, or close anyway with --force (they stay in ft report)",
                    e.id
                ),
            ));
        }
        let closing: Vec<String> = p
            .tasks()
            .filter(|(_, t)| {
                t.due
                    .iter()
                    .any(|d| d.after == crate::playbook::Anchor::Milestone("end".into()))
            })
            .filter(|(_, t)| e.task_state(&t.id).is_none())
            .map(|(_, t)| format!("{} {}", t.id, t.name))
            .collect();
        let mut line = match e.milestones.get("end") {
            Some(end) => format!("{}: closed; the end stays {end}", label(e)),
            None => format!("{}: closed on {w}", label(e)),
        };
        if !closing.is_empty() {
            line.push_str(&format!("; still due: {}", closing.join("; ")));
        }
        if !excused.is_empty() {
            line.push_str(&format!(
                "; completed with {} left open: {}",
                crate::words::count(excused.len(), "mandatory task", "mandatory tasks"),
                excused.join(", ")
            ));
        }
        if !open.is_empty() {
            line.push_str(&format!(
                "; closed with {} mandatory task{} open",
                open.len(),
                if open.len() == 1 { "" } else { "s" }
            ));
        }
        Ok(Change {
            ops: vec![Op::Close { on: w }],
            line,
        })
    })?;
    ctx.say(&applied.message())?;
    Ok(0)
}

/// Once the completion discussion has recorded its milestone, the FM
/// disengages: open mandatory tasks outside the disengagement stage no
/// longer stop the close (they are named, and stay in `ft report`).
/// Returns (excused, still open).
fn excused_at_completion(
    p: &crate::playbook::Playbook,
    e: &crate::engagement::Engagement,
    open: Vec<String>,
) -> (Vec<String>, Vec<String>) {
    let Some(c) = &p.completion else {
        return (Vec::new(), open);
    };
    let stage = p
        .stages
        .iter()
        .find(|s| s.tasks.iter().any(|t| t.id == c.task));
    let completed = p
        .task(&c.task)
        .and_then(|t| t.sets.as_ref())
        .is_some_and(|m| e.milestones.get(m).is_some());
    if !completed {
        return (Vec::new(), open);
    }
    open.into_iter()
        .partition(|id| !stage.is_some_and(|s| s.tasks.iter().any(|t| &t.id == id)))
}
