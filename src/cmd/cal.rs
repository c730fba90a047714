//! `ft cal`: my due dates and cadence meetings as an iCalendar file.

use anyhow::Result;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::Context;
use crate::agenda::{self, Item, Kind};
use crate::calseq;
use crate::clock::Due;
use crate::duration::Period;
use crate::engagement::Engagement;
use crate::error::user;
use crate::ical::{self, Event, Start};
use crate::playbook::{Cadence, applies};
use crate::sla;
use crate::time::When;
use crate::workspace::Workspace;

/// Write my due items and cadence meetings as an iCalendar (.ics) file for
/// Outlook, Google or Apple Calendar
///
/// Day deadlines are all-day events; minute and hour SLAs are timed events
/// in UTC. Each item keeps its UID from run to run
/// (`TASK.ENGAGEMENT@WORKSPACE`, WORKSPACE the name of the workspace's real
/// directory), so importing the file again updates the events instead of
/// adding copies; SEQUENCE never goes down and grows each time a run finds
/// an item's date moved, whatever moved it (kept in `.ft/cal-seq`). A
/// reminder (VALARM) fires at the at-risk point of each SLA, and when a
/// meeting becomes due soon.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft --as alice cal --within 4w --output alice.ics")]
pub struct Args {
    /// Items due within DUR (e.g. 2w, 30d), and those overdue
    #[arg(long, value_name = "DUR", default_value = "8w")]
    pub within: String,

    /// Write to FILE instead of standard output
    #[arg(long, short, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub output: Option<std::path::PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let me = ctx.me()?.to_string();
    let ws = ctx.workspace()?;
    let engagements = ctx.engagements(&ws)?;
    let period: Period = args
        .within
        .parse()
        .map_err(|e| user(format!("--within: {e}")))?;
    let horizon = sla::add(ctx.now, period, &ws.settings.calendar);
    let ask = agenda::Ask {
        person: &me,
        queue_role: ctx.config.role.as_deref(),
        at_risk: ws.settings.at_risk,
    };
    let items = agenda::items_for(
        &ask,
        &engagements,
        &ws.catalog,
        &ws.settings.calendar,
        ctx.now,
    );
    let place = ws.name();
    let mut events = Vec::new();
    for item in items.iter().filter(|i| i.kind != Kind::Cadence) {
        let Some(due) = item.due.filter(|d| before(*d, horizon)) else {
            continue;
        };
        let e = engagements.iter().find(|e| e.id == item.engagement);
        if let Some(e) = e {
            events.push(task_event(&ws, e, item, (due, ctx.now), &place));
        }
    }
    for e in &engagements {
        events.extend(cadence_events(&ws, ctx, e, &me, horizon, &place));
    }
    number(&ws, ctx.today, &mut events);
    let now = ctx.now.instant().with_timezone(&Utc);
    let text = ical::calendar(&format!("ft: {me}"), &events, now);
    match &args.output {
        Some(path) => {
            crate::fsx::write_path(path, text.as_bytes())?;
            ctx.say(&format!(
                "{} written to {}",
                crate::words::count(events.len(), "event", "events"),
                path.display()
            ))?;
        }
        None => ctx.print(&text)?,
    }
    Ok(0)
}

fn before(due: Due, horizon: Due) -> bool {
    due.date() <= horizon.date()
}

fn start(due: Due) -> Start {
    match due {
        Due::Day(d) => Start::Day(d),
        Due::At(t) => Start::At(t.with_timezone(&Utc)),
    }
}

/// The end of a due point: the end of the day for a due day.
fn deadline(due: Due) -> DateTime<Utc> {
    match due {
        Due::Day(d) => crate::time::start_of_day(d).with_timezone(&Utc) + TimeDelta::days(1),
        Due::At(t) => t.with_timezone(&Utc),
    }
}

/// The floor of an item's SEQUENCE: the changes recorded in its engagement
/// (see [`calseq`] for the number itself).
fn floor(e: &Engagement) -> u32 {
    u32::try_from(e.events.len()).unwrap_or(u32::MAX)
}

/// Give each event its SEQUENCE from `.ft/cal-seq`, under the workspace
/// lock so that two runs count one move once. When the state cannot be
/// kept, the file is still written, with a warning.
fn number(ws: &Workspace, today: NaiveDate, events: &mut [Event]) {
    let lock = ws.store.lock();
    let mut seqs = calseq::load(&ws.root);
    for ev in events.iter_mut() {
        ev.sequence = seqs.sequence(&ev.uid, &ev.start.value(), ev.sequence, today);
    }
    let kept = lock.and_then(|_lock| calseq::save(&ws.root, &seqs));
    if let Err(e) = kept {
        eprintln!(
            "warning: SEQUENCE numbers are not kept (.ft/cal-seq): {}",
            crate::escape::terminal_lines(&format!("{e:#}"))
        );
    }
}

fn task_event(
    ws: &Workspace,
    e: &Engagement,
    item: &Item,
    (due, now): (Due, When),
    place: &str,
) -> Event {
    let what = item.task.clone().unwrap_or_else(|| match item.kind {
        Kind::Dibs => "dibs".into(),
        Kind::Hold => "hold".into(),
        _ => "item".into(),
    });
    // The reminder: when the clock has used its at-risk share of the time.
    let alarm = item
        .task
        .as_deref()
        .and_then(|t| {
            let p = ws.catalog.get(&e.playbook)?;
            let clock = sla::clock(p.task(t)?, e, &ws.settings.calendar, now)?;
            let start = clock.start?.instant().with_timezone(&Utc);
            let span = (deadline(due) - start).num_seconds() as f64;
            let used = (span * ws.settings.at_risk).round() as i64;
            Some(start + TimeDelta::seconds(used))
        })
        // A reminder already past would only go off at import.
        .filter(|at| *at > now.instant().with_timezone(&Utc));
    Event {
        uid: format!("{what}.{}@{place}", e.id),
        sequence: floor(e),
        start: start(due),
        summary: format!("{} ({})", item.name, e.id),
        description: format!(
            "{}: {}\n{}\n`ft explain {} {what}` tells how this date was reached.",
            e.id, e.customer, item.reason, e.id
        ),
        alarm,
    }
}

/// The next meetings of each cadence I hold a role for, up to the horizon:
/// occurrence N of a cadence is `CADENCE-N.ENGAGEMENT@WORKSPACE`, N counting
/// the meetings logged so far, so it keeps its UID while its date moves.
fn cadence_events(
    ws: &Workspace,
    ctx: &Context,
    e: &Engagement,
    me: &str,
    horizon: Due,
    place: &str,
) -> Vec<Event> {
    let mut out = Vec::new();
    let Some(p) = ws.catalog.get(&e.playbook) else {
        return out;
    };
    if !sla::cadence_active(e) || e.open_hold().is_some() {
        return out;
    }
    let cal = &ws.settings.calendar;
    let roles: Vec<&str> = e.roles_of(me).collect();
    for c in p.cadences.iter() {
        if !roles.contains(&c.role.as_str()) || !applies(&c.services, &e.services) {
            continue;
        }
        let st = sla::cadence_state(c, e, cal, ctx.now);
        let held = e.cadences.get(&c.id).map_or(0, Vec::len);
        let (mut next, mut soon) = (st.due, st.soon);
        for n in (held + 1)..(held + 60) {
            let Some(due) = next.filter(|d| before(*d, horizon)) else {
                break;
            };
            out.push(meeting_event(e, c, (n, due, soon), ctx.now, place));
            let from = match due {
                Due::Day(d) => When::Date(d),
                Due::At(t) => When::At(t),
            };
            let due_at = sla::add(from, c.every.due, cal);
            next = Some(crate::clock::meeting_due(due_at, cal));
            soon = Some(sla::add(from, c.every.soon, cal));
        }
    }
    out
}

/// Meeting N of a cadence, due at `due`. Its reminder goes off when `ft
/// next` starts calling it due soon: at the start of its window for a
/// cadence with one ("every 1-2 weeks"), else two days before the day.
fn meeting_event(
    e: &Engagement,
    c: &Cadence,
    (n, due, soon): (usize, Due, Option<Due>),
    now: When,
    place: &str,
) -> Event {
    let alarm = Some(crate::clock::soon_from(due, soon).with_timezone(&Utc))
        .filter(|at| *at > now.instant().with_timezone(&Utc));
    Event {
        uid: format!("{}-{n}.{}@{place}", c.id, e.id),
        sequence: floor(e),
        start: start(due),
        summary: format!("{} ({})", c.name, e.id),
        description: format!(
            "{}: {}\n{}; meeting {n}. Log it with `ft done {} {}`.",
            e.id,
            e.customer,
            c.every.words(),
            e.id,
            c.id
        ),
        alarm,
    }
}
