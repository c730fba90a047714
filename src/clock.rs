//! The clock: every piece of time arithmetic `ft` does, in one place.
//!
//! Due points from an anchor and a period, whether a due point is past,
//! lateness and elapsed time in each unit, the "due soon" windows, and time in
//! words. Pure: callers pass "now" and the workspace calendar. The SLA rules
//! (`sla`), the agenda, the report, `ft assign`, `ft show` and the charts ask
//! this module and compute nothing of their own, so a change to how time is
//! counted (holds that pause a clock, a reader's time zone) has one home.

use chrono::{DateTime, Days, FixedOffset, Months, NaiveDate, TimeDelta};
use serde::Serialize;

use crate::calendar::Calendar;
use crate::duration::{Period, Unit};
use crate::time::When;

/// When something is due: a whole day (day SLAs) or an instant (minute and hour SLAs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Day(NaiveDate),
    At(DateTime<FixedOffset>),
}

impl Due {
    /// A recorded point as a due point: a date is due all day.
    pub fn from_when(w: When) -> Due {
        match w {
            When::Date(d) => Due::Day(d),
            When::At(t) => Due::At(t),
        }
    }

    pub fn date(&self) -> NaiveDate {
        match self {
            Due::Day(d) => *d,
            Due::At(t) => t.date_naive(),
        }
    }

    /// Days from `now` to the due point (negative when past); fractional for instants.
    pub fn days_from(&self, now: When) -> f64 {
        match (self, now) {
            (Due::Day(d), _) => (*d - now.date()).num_days() as f64,
            (Due::At(t), When::At(n)) => (*t - n).num_seconds() as f64 / 86_400.0,
            (Due::At(t), When::Date(d)) => (t.date_naive() - d).num_days() as f64,
        }
    }

    /// Days of a "due soon" window before this due point: two days for a due
    /// day, one hour for a due instant.
    pub fn soon_window(&self) -> f64 {
        match self {
            Due::Day(_) => SOON_DAYS,
            Due::At(_) => 1.0 / 24.0,
        }
    }
}

impl std::fmt::Display for Due {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Due::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Due::At(t) => write!(f, "{}", When::At(*t)),
        }
    }
}

impl Serialize for Due {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Days ahead that count as "due soon" for day SLAs.
pub const SOON_DAYS: f64 = 2.0;

/// Add a period to an anchor.
pub fn add(anchor: When, p: Period, cal: &Calendar) -> Due {
    let n = p.amount;
    let days = |k: u64| Days::new(k * u64::from(n));
    // Calendar units keep the anchor's form: a date stays a date, an instant an instant.
    let calendar = |date: Option<NaiveDate>, at: Option<DateTime<FixedOffset>>| match anchor {
        When::Date(_) => Due::Day(date.unwrap_or(NaiveDate::MAX)),
        When::At(t) => Due::At(at.unwrap_or(t)),
    };
    let at = anchor.instant();
    match p.unit {
        Unit::Minutes => Due::At(at + TimeDelta::minutes(i64::from(n))),
        Unit::Hours => Due::At(at + TimeDelta::hours(i64::from(n))),
        Unit::Days => calendar(
            anchor.date().checked_add_days(days(1)),
            at.checked_add_days(days(1)),
        ),
        Unit::Weeks => calendar(
            anchor.date().checked_add_days(days(7)),
            at.checked_add_days(days(7)),
        ),
        Unit::Months => calendar(
            anchor.date().checked_add_months(Months::new(n)),
            at.checked_add_months(Months::new(n)),
        ),
        Unit::BusinessDays => Due::Day(cal.add_business_days(anchor.date(), n)),
    }
}

/// A span the clocks stood still: a hold, from its start to its end (or to
/// "now" for a hold still in progress).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub from: When,
    pub to: When,
}

impl Pause {
    /// The days the hold took out of the calendar: from its first day up to,
    /// not including, the day it ended (a hold and resume on one day takes
    /// no day).
    fn days(&self) -> impl Iterator<Item = NaiveDate> {
        let (first, end) = (self.from.date(), self.to.date());
        first
            .iter_days()
            .take_while(move |d| *d < end)
            .take(MAX_HOLD_DAYS)
    }
}

/// Longest hold counted, in days (about 30 years): bounds the work on a
/// hand-written hold of absurd length.
const MAX_HOLD_DAYS: usize = 11_000;

/// Add a period to an anchor with the clock stopped during `pauses` (sorted,
/// not overlapping): business-day SLAs skip the days on hold as if they were
/// holidays (numpy's `busday_offset` over the calendar without the hold
/// days); calendar-day SLAs on a date move by the days on hold after the
/// anchor; SLAs on an instant move by the time on hold. Returns the due point
/// and how far the pauses moved it, in the SLA's unit.
pub fn add_paused(
    anchor: When,
    p: Period,
    cal: &Calendar,
    pauses: &[Pause],
) -> (Due, Option<Lateness>) {
    let plain = add(anchor, p, cal);
    let relevant: Vec<&Pause> = pauses.iter().filter(|h| h.to > anchor).collect();
    if relevant.is_empty() {
        return (plain, None);
    }
    let held = match (p.unit, plain) {
        (Unit::BusinessDays, _) => {
            let days = relevant.iter().flat_map(|h| h.days());
            Due::Day(
                cal.with_holidays(days)
                    .add_business_days(anchor.date(), p.amount),
            )
        }
        (_, Due::At(t)) => Due::At(shift_instant(anchor, t, &relevant)),
        (_, Due::Day(d)) => Due::Day(shift_day(anchor.date(), d, &relevant)),
    };
    let by = match (plain, held) {
        (Due::Day(a), Due::Day(b)) if p.unit == Unit::BusinessDays => Lateness {
            amount: cal.business_days_between(a, b),
            unit: Unit::BusinessDays,
        },
        (Due::Day(a), Due::Day(b)) => Lateness {
            amount: days_between(a, b),
            unit: Unit::Days,
        },
        (a, b) => Lateness {
            amount: (b_instant(b) - b_instant(a)).num_minutes(),
            unit: Unit::Minutes,
        },
    };
    (held, (by.amount > 0).then_some(by))
}

fn b_instant(d: Due) -> DateTime<FixedOffset> {
    match d {
        Due::Day(d) => crate::time::start_of_day(d),
        Due::At(t) => t,
    }
}

/// An instant deadline moved by the time on hold between the start and it.
fn shift_instant(
    start: When,
    due: DateTime<FixedOffset>,
    pauses: &[&Pause],
) -> DateTime<FixedOffset> {
    let mut due = due;
    for h in pauses {
        if h.from.instant() >= due {
            break;
        }
        let from = h.from.instant().max(start.instant());
        if h.to.instant() > from {
            due += h.to.instant() - from;
        }
    }
    due
}

/// A due day moved by the days on hold after the anchor day, up to it.
fn shift_day(anchor: NaiveDate, due: NaiveDate, pauses: &[&Pause]) -> NaiveDate {
    let mut due = due;
    for h in pauses {
        if h.from.date() > due {
            break;
        }
        let n = h.days().filter(|d| *d > anchor).count();
        due = due.checked_add_days(Days::new(n as u64)).unwrap_or(due);
    }
    due
}

/// A meeting due on a weekend day or holiday is due the next business day.
pub fn meeting_due(due: Due, cal: &Calendar) -> Due {
    match due {
        Due::Day(d) => Due::Day(cal.on_or_after(d)),
        at @ Due::At(_) => at,
    }
}

/// Is `due` past at `at`? A due day is past once it is over; a due instant is
/// past after it, and with a date-only `at` from the next day. The same test
/// answers "is it overdue now" and "was it done late".
pub fn is_past(due: Due, at: When) -> bool {
    match (due, at) {
        (Due::Day(d), _) => at.date() > d,
        (Due::At(t), When::At(n)) => n > t,
        (Due::At(t), When::Date(d)) => d > t.date_naive(),
    }
}

/// Where `now` stands against a due point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    Later,
    Soon,
    Past,
}

/// `Past` once due, `Soon` within the due point's window (or from `soon`,
/// the lower bound of a range such as `1w..2w`), else `Later`.
pub fn timing(due: Due, soon: Option<Due>, now: When) -> Timing {
    if is_past(due, now) {
        Timing::Past
    } else if soon.is_some_and(|s| s != due && s.days_from(now) <= 0.0)
        || due.days_from(now) <= due.soon_window()
    {
        Timing::Soon
    } else {
        Timing::Later
    }
}

/// The instant from which [`timing`] calls a due point `Soon`: the `soon`
/// point when it comes before the due point, else the due-soon window
/// before it (for a day, the start of the day [`SOON_DAYS`] before).
pub fn soon_from(due: Due, soon: Option<Due>) -> DateTime<FixedOffset> {
    let start = |d: Due| match d {
        Due::Day(d) => crate::time::start_of_day(d),
        Due::At(t) => t,
    };
    let window = match due {
        Due::Day(d) => crate::time::start_of_day(d) - TimeDelta::days(SOON_DAYS as i64),
        Due::At(t) => t - TimeDelta::hours(1),
    };
    match soon.filter(|s| *s != due).map(start) {
        Some(s) if s < window => s,
        _ => window,
    }
}

/// How late (or early) something is, in the SLA's own unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Lateness {
    pub amount: i64,
    #[serde(serialize_with = "unit_name")]
    pub unit: Unit,
}

fn unit_name<S: serde::Serializer>(u: &Unit, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(u.words().1)
}

impl Lateness {
    /// As people say it: "2 business days", "45 min", "13 h 29 min", "2 days 3 h".
    pub fn words(&self) -> String {
        if self.unit == Unit::Minutes {
            return minutes_words(self.amount);
        }
        let (one, many) = self.unit.words();
        format!(
            "{} {}",
            self.amount,
            if self.amount == 1 { one } else { many }
        )
    }
}

/// A span of minutes in words: "45 min", "13 h", "13 h 29 min", "1 day 3 h".
pub fn minutes_words(minutes: i64) -> String {
    let m = minutes.max(0);
    let (days, hours, mins) = (m / 1440, m % 1440 / 60, m % 60);
    match (days, hours, mins) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (1, 0, _) => "1 day".into(),
        (1, h, _) => format!("1 day {h} h"),
        (d, 0, _) => format!("{d} days"),
        (d, h, _) => format!("{d} days {h} h"),
    }
}

/// Lateness of `at` against `due`, in the unit the SLA counts in. Late work is
/// never "0 late": a business-day SLA missed on a weekend or holiday counts the
/// calendar days instead ("1 day").
pub fn lateness(due: Due, at: When, unit: Unit, cal: &Calendar) -> Lateness {
    match due {
        // Instants: whole minutes, read out in hours and days when long.
        Due::At(t) => Lateness {
            amount: (at.instant() - t).num_seconds().div_euclid(60).max(0),
            unit: Unit::Minutes,
        },
        Due::Day(d) => {
            let days = (at.date() - d).num_days();
            let business = cal.business_days_between(d, at.date());
            if unit == Unit::BusinessDays && (business != 0 || days <= 0) {
                Lateness {
                    amount: business,
                    unit: Unit::BusinessDays,
                }
            } else {
                Lateness {
                    amount: days,
                    unit: Unit::Days,
                }
            }
        }
    }
}

/// Time from `start` to `end` in `unit`: exact for minutes and hours; for
/// calendar-day units exact when both ends have a time of day (a TTM of 1.5
/// days), else whole days; business days between the two dates.
pub fn elapsed(start: When, end: When, unit: Unit, cal: &Calendar) -> f64 {
    let secs = (end.instant() - start.instant()).num_seconds() as f64;
    match unit {
        Unit::Minutes => secs / 60.0,
        Unit::Hours => secs / 3600.0,
        Unit::BusinessDays => cal.business_days_between(start.date(), end.date()) as f64,
        Unit::Days | Unit::Weeks | Unit::Months => match (start, end) {
            (When::At(_), When::At(_)) => secs / 86_400.0,
            _ => (end.date() - start.date()).num_days() as f64,
        },
    }
}

/// An amount of time in `unit` in words: "12 min", "1 day 3 h", "2.5 days",
/// "1 business day".
pub fn amount_words(amount: f64, unit: Unit) -> String {
    let n = (amount * 10.0).round() / 10.0;
    let plural = |one: &str, many: &str| {
        if (n - 1.0).abs() < f64::EPSILON {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    match unit {
        Unit::Minutes => minutes_words(amount.round() as i64),
        Unit::Hours => minutes_words((amount * 60.0).round() as i64),
        Unit::BusinessDays => plural("business day", "business days"),
        Unit::Weeks => plural("week", "weeks"),
        Unit::Months => plural("month", "months"),
        Unit::Days => plural("day", "days"),
    }
}

/// Days from `start` to `now`, in whole hours (a clock started this morning
/// has waited a fraction of a day).
pub fn days_since(start: When, now: When) -> f64 {
    (now.instant() - start.instant()).num_hours() as f64 / 24.0
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// "Fri 20 Nov" or "Fri 20 Nov 09:15Z".
pub fn when_words(w: When) -> String {
    match w {
        When::Date(d) => d.format("%a %-d %b").to_string(),
        When::At(t) => {
            let t = shown(t);
            if t.offset().local_minus_utc() == 0 {
                t.format("%a %-d %b %H:%MZ").to_string()
            } else {
                t.format("%a %-d %b %H:%M").to_string()
            }
        }
    }
}

/// A recorded point beside other records (a milestone, a task done): a
/// date stays a date, "2026-11-20"; a date-time is [`when_words`], in the
/// reader's zone.
pub fn record_words(w: When) -> String {
    match w {
        When::Date(_) => w.to_string(),
        When::At(_) => when_words(w),
    }
}

/// A point in a column of dated lines (`ft log`), with its year: a date
/// "2026-11-20", a date-time "2026-11-22 00:41:00" in the reader's zone or
/// "2026-11-22 08:41:00Z" in UTC.
pub fn stamp_words(w: When) -> String {
    match w {
        When::Date(_) => w.to_string(),
        When::At(t) => {
            let t = shown(t);
            if t.offset().local_minus_utc() == 0 {
                t.format("%Y-%m-%d %H:%M:%SZ").to_string()
            } else {
                t.format("%Y-%m-%d %H:%M:%S").to_string()
            }
        }
    }
}

/// Where date-times are shown: 0 UTC (also when nothing said, as in unit
/// tests), 1 the reader's time zone (`TZ` honoured). Set once at start by
/// the command line (`--utc`); only words change, never what is stored or
/// compared, and JSON keeps RFC 3339 with its offset.
static SHOW_LOCAL: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Show date-times in the reader's time zone (`true`) or in UTC.
pub fn show_local(local: bool) {
    SHOW_LOCAL.store(local, std::sync::atomic::Ordering::Relaxed);
}

/// A date-time as the reader sees it. UTC keeps the ISO 8601 `Z` on each
/// time; a local time has no suffix and the zone is named once, by
/// [`zone_legend`].
fn shown(t: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    if SHOW_LOCAL.load(std::sync::atomic::Ordering::Relaxed) {
        t.with_timezone(&chrono::Local).fixed_offset()
    } else {
        t.to_utc().fixed_offset()
    }
}

/// "Times are local, UTC-08:00 (America/Los_Angeles); --utc shows UTC",
/// once under output that shows times of day, when they are not in UTC.
pub fn zone_legend(now: When, tz: Option<&str>) -> Option<String> {
    let offset = shown(now.instant()).offset().local_minus_utc();
    if offset == 0 {
        return None;
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let (h, m) = (offset.abs() / 3600, offset.abs() % 3600 / 60);
    let name = tz
        .filter(|z| !z.is_empty())
        .map(|z| format!(" ({})", z.trim_start_matches(':')))
        .unwrap_or_default();
    Some(format!(
        "Times are local, UTC{sign}{h:02}:{m:02}{name}; --utc shows UTC"
    ))
}

pub fn due_words(due: Due) -> String {
    match due {
        Due::Day(d) => d.format("%a %-d %b").to_string(),
        Due::At(t) => when_words(When::At(t)),
    }
}

/// "due today", "due tomorrow", "due in 3 days (Thu 26 Nov)", "due in 40 min (...)",
/// "due in 1 day 3 h (...)".
pub fn until_words(due: Due, now: When) -> String {
    match due {
        Due::Day(d) => match days_between(now.date(), d) {
            0 => "due today".into(),
            1 => "due tomorrow".into(),
            n => format!("due in {n} days ({})", due_words(due)),
        },
        Due::At(t) => match now {
            When::At(_) => format!(
                "due in {} ({})",
                minutes_words((t - now.instant()).num_minutes()),
                due_words(due)
            ),
            When::Date(_) => format!("due {}", due_words(due)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn w(s: &str) -> When {
        s.parse().unwrap()
    }

    fn at(s: &str) -> Due {
        Due::At(s.parse::<DateTime<FixedOffset>>().unwrap())
    }

    #[test]
    fn past_is_one_rule_for_overdue_and_late() {
        let day = Due::Day(d("2026-11-24"));
        assert!(
            !is_past(day, w("2026-11-24")),
            "the due day itself is on time"
        );
        assert!(!is_past(day, w("2026-11-24T23:59:00Z")));
        assert!(is_past(day, w("2026-11-25")), "the next day is late");
        let t = at("2026-11-23T09:15:00Z");
        assert!(!is_past(t, w("2026-11-23T09:15:00Z")), "exactly on time");
        assert!(is_past(t, w("2026-11-23T09:15:01Z")));
        assert!(
            !is_past(t, w("2026-11-23")),
            "a date-only now is on time that day"
        );
        assert!(is_past(t, w("2026-11-24")));
    }

    #[test]
    fn late_work_is_never_zero_late() {
        let cal = Calendar::default();
        // Due Friday 27 Nov, done Saturday: no business day has passed, one day has.
        let fri = Due::Day(d("2026-11-27"));
        let sat = lateness(fri, w("2026-11-28"), Unit::BusinessDays, &cal);
        assert_eq!(sat.words(), "1 day");
        assert_eq!(
            lateness(fri, w("2026-11-30"), Unit::BusinessDays, &cal).words(),
            "1 business day"
        );
        assert_eq!(
            lateness(fri, w("2026-11-27"), Unit::BusinessDays, &cal).words(),
            "0 business days",
            "on the day itself nothing is late"
        );
    }

    #[test]
    fn elapsed_in_each_unit() {
        let cal = Calendar::default();
        let start = w("2026-11-20T09:00:00Z");
        let end = w("2026-11-21T21:00:00Z");
        assert_eq!(elapsed(start, end, Unit::Minutes, &cal), 2160.0);
        assert_eq!(elapsed(start, end, Unit::Hours, &cal), 36.0);
        assert_eq!(elapsed(start, end, Unit::Days, &cal), 1.5, "exact instants");
        assert_eq!(
            elapsed(w("2026-11-20"), w("2026-11-21T21:00:00Z"), Unit::Days, &cal),
            1.0,
            "a date-only end counts whole days"
        );
        // Fri 20 Nov to Tue 24 Nov: Mon and Tue.
        assert_eq!(
            elapsed(w("2026-11-20"), w("2026-11-24"), Unit::BusinessDays, &cal),
            2.0
        );
    }

    #[test]
    fn soon_from_is_where_timing_turns_soon() {
        let day = Due::Day(d("2026-11-26"));
        assert_eq!(
            soon_from(day, None),
            crate::time::start_of_day(d("2026-11-24"))
        );
        let soon = Due::Day(d("2026-11-20"));
        assert_eq!(
            soon_from(day, Some(soon)),
            crate::time::start_of_day(d("2026-11-20"))
        );
        assert_eq!(
            soon_from(day, Some(day)),
            crate::time::start_of_day(d("2026-11-24"))
        );
        let t = at("2026-11-23T10:00:00Z");
        let Due::At(i) = at("2026-11-23T09:00:00Z") else {
            unreachable!()
        };
        assert_eq!(soon_from(t, None), i);
    }

    #[test]
    fn timing_windows() {
        let day = Due::Day(d("2026-11-26"));
        assert_eq!(timing(day, None, w("2026-11-23")), Timing::Later);
        assert_eq!(timing(day, None, w("2026-11-24")), Timing::Soon);
        assert_eq!(timing(day, None, w("2026-11-26")), Timing::Soon);
        assert_eq!(timing(day, None, w("2026-11-27")), Timing::Past);
        let soon = Due::Day(d("2026-11-20"));
        assert_eq!(timing(day, Some(soon), w("2026-11-20")), Timing::Soon);
        assert_eq!(timing(day, Some(soon), w("2026-11-19")), Timing::Later);
        let t = at("2026-11-23T10:00:00Z");
        assert_eq!(timing(t, None, w("2026-11-23T08:59:00Z")), Timing::Later);
        assert_eq!(timing(t, None, w("2026-11-23T09:00:00Z")), Timing::Soon);
    }

    #[test]
    fn until_in_words() {
        let now = w("2026-11-23");
        assert_eq!(until_words(Due::Day(d("2026-11-23")), now), "due today");
        assert_eq!(until_words(Due::Day(d("2026-11-24")), now), "due tomorrow");
        assert_eq!(
            until_words(Due::Day(d("2026-11-26")), now),
            "due in 3 days (Thu 26 Nov)"
        );
        let now = w("2026-11-23T09:00:00Z");
        assert_eq!(
            until_words(at("2026-11-23T09:40:00Z"), now),
            "due in 40 min (Mon 23 Nov 09:40Z)"
        );
        assert_eq!(
            until_words(at("2026-11-24T12:00:00Z"), now),
            "due in 1 day 3 h (Tue 24 Nov 12:00Z)"
        );
    }

    #[test]
    fn times_in_words_are_shown_in_utc_unless_the_reader_zone_is_asked_for() {
        assert_eq!(when_words(w("2026-11-20")), "Fri 20 Nov");
        assert_eq!(when_words(w("2026-11-20T09:15:00Z")), "Fri 20 Nov 09:15Z");
        assert_eq!(
            when_words(w("2026-11-20T09:15:00+01:00")),
            "Fri 20 Nov 08:15Z"
        );
    }

    #[test]
    fn durations_read_as_people_say_them() {
        let cases = [
            (0, "0 min"),
            (45, "45 min"),
            (60, "1 h"),
            (809, "13 h 29 min"),
            (1440, "1 day"),
            (1440 + 180 + 7, "1 day 3 h"),
            (3 * 1440, "3 days"),
            (3 * 1440 + 120, "3 days 2 h"),
        ];
        for (m, words) in cases {
            assert_eq!(minutes_words(m), words, "{m} minutes");
        }
        let cal = Calendar::default();
        let due = at("2026-11-23T00:15:00Z");
        assert_eq!(
            lateness(due, w("2026-11-23T13:44:00Z"), Unit::Minutes, &cal).words(),
            "13 h 29 min"
        );
    }

    fn pause(from: &str, to: &str) -> Pause {
        Pause {
            from: w(from),
            to: w(to),
        }
    }

    #[test]
    fn a_hold_that_ended_at_the_anchor_changes_nothing() {
        let cal = Calendar::default();
        let p = "2bd".parse::<Period>().unwrap();
        // Anchor Sat 21 Nov rolls back to Fri 20; a hold that ended on the
        // anchor must not take Friday away.
        let held = pause("2026-11-20", "2026-11-21");
        let (due, by) = add_paused(w("2026-11-21"), p, &cal, &[held]);
        assert_eq!(due, Due::Day(d("2026-11-24")));
        assert_eq!(by, None);
    }

    #[test]
    fn a_hold_after_the_due_point_reports_no_extension() {
        let cal = Calendar::default();
        let p = "15m".parse::<Period>().unwrap();
        let later = pause("2026-11-23T10:00:00Z", "2026-11-23T11:00:00Z");
        let (due, by) = add_paused(w("2026-11-23T09:00:00Z"), p, &cal, &[later]);
        assert_eq!(due, at("2026-11-23T09:15:00Z"));
        assert_eq!(by, None, "no \"extended by 0\"");
    }

    #[test]
    fn calendar_day_slas_are_extended_in_calendar_days() {
        let cal = Calendar::default();
        let p = "10d".parse::<Period>().unwrap();
        // Fri 20 to Mon 23: three days on hold, one of them a business day.
        let held = pause("2026-11-20", "2026-11-23");
        let (due, by) = add_paused(w("2026-11-19"), p, &cal, &[held]);
        assert_eq!(due, Due::Day(d("2026-12-02")));
        assert_eq!(by.map(|b| b.words()), Some("3 days".into()));
    }

    #[test]
    fn calendar_day_holds_count_after_the_anchor_and_up_to_the_due_day() {
        let cal = Calendar::default();
        let p = "10d".parse::<Period>().unwrap();
        // Thu 19 + 10 days is Sun 29. A hold from Thu 19 takes Fri 20 only
        // (the anchor day itself was not on the clock).
        let (due, _) = add_paused(
            w("2026-11-19"),
            p,
            &cal,
            &[pause("2026-11-19", "2026-11-21")],
        );
        assert_eq!(due, Due::Day(d("2026-11-30")));
        // A hold that starts on the due day still moves it: Sun 29 and Mon 30.
        let (due, _) = add_paused(
            w("2026-11-19"),
            p,
            &cal,
            &[pause("2026-11-29", "2026-12-01")],
        );
        assert_eq!(due, Due::Day(d("2026-12-01")));
        // A hold that starts after the due day does not.
        let (due, by) = add_paused(
            w("2026-11-19"),
            p,
            &cal,
            &[pause("2026-11-30", "2026-12-02")],
        );
        assert_eq!((due, by), (Due::Day(d("2026-11-29")), None));
    }

    mod holds {
        use super::*;
        use chrono::{Datelike, Weekday};
        use proptest::prelude::*;
        use std::collections::BTreeSet;

        /// numpy's `busday_offset(D, N, roll='backward')` over a calendar whose
        /// days off are the weekend, the holidays and the days on hold, written
        /// day by day, apart from the module.
        fn oracle(
            anchor: NaiveDate,
            n: u32,
            weekend: &[u32],
            off: &BTreeSet<NaiveDate>,
        ) -> NaiveDate {
            let working = |d: NaiveDate| {
                !weekend.contains(&d.weekday().num_days_from_monday()) && !off.contains(&d)
            };
            let mut d = anchor;
            while !working(d) {
                d = d.pred_opt().unwrap();
            }
            let mut left = n;
            while left > 0 {
                d = d.succ_opt().unwrap();
                if working(d) {
                    left -= 1;
                }
            }
            d
        }

        fn base() -> NaiveDate {
            NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()
        }

        proptest! {
            #[test]
            fn business_days_skip_the_days_on_hold(
                anchor in 0i64..200,
                n in 0u32..30,
                weekend in prop::collection::btree_set(0u32..7, 0..3),
                holidays in prop::collection::btree_set(0i64..300, 0..20),
                holds in prop::collection::vec((0i64..300, 0i64..15), 0..4),
            ) {
                let day = |o: i64| base() + chrono::Duration::days(o);
                let weekend: Vec<u32> = weekend.into_iter().collect();
                let days: Vec<Weekday> = weekend.iter().filter_map(|d| Weekday::try_from(*d as u8).ok()).collect();
                let cal = Calendar::new(&days, holidays.iter().map(|o| day(*o))).unwrap();
                // Holds in order, not overlapping: each starts after the one before ended.
                let mut pauses = Vec::new();
                let mut start = 0;
                for (gap, len) in holds {
                    let from = start + gap;
                    let to = from + len;
                    pauses.push(Pause { from: When::Date(day(from)), to: When::Date(day(to)) });
                    start = to + 1;
                }
                let anchor = day(anchor);
                let mut off: BTreeSet<NaiveDate> = holidays.iter().map(|o| day(*o)).collect();
                for p in &pauses {
                    if p.to > When::Date(anchor) {
                        let mut d = p.from.date();
                        while d < p.to.date() {
                            off.insert(d);
                            d = d.succ_opt().unwrap();
                        }
                    }
                }
                let period = Period { amount: n, unit: Unit::BusinessDays };
                let (due, _) = add_paused(When::Date(anchor), period, &cal, &pauses);
                prop_assert_eq!(due, Due::Day(oracle(anchor, n, &weekend, &off)));
            }
        }
    }
}
