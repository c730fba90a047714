//! Writing iCalendar (RFC 5545) files: `ft cal`.
//!
//! Small and strict rather than a dependency: lines end in CRLF and are
//! folded at 75 octets (never inside a UTF-8 character), TEXT values escape
//! backslash, semicolon, comma and newlines, date-times are in UTC (`Z`),
//! and all-day events end (exclusively) on the next day.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

/// When an event is: a whole day, or an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    Day(NaiveDate),
    At(DateTime<Utc>),
}

impl Start {
    /// As DTSTART gives it: `20261124`, `20261124T091500Z`.
    pub fn value(&self) -> String {
        match self {
            Start::Day(d) => day(*d),
            Start::At(t) => stamp(*t),
        }
    }
}

/// One VEVENT.
#[derive(Debug, Clone)]
pub struct Event {
    pub uid: String,
    pub sequence: u32,
    pub start: Start,
    pub summary: String,
    pub description: String,
    /// A reminder at this instant (VALARM with an absolute trigger).
    pub alarm: Option<DateTime<Utc>>,
}

/// Escape a TEXT value (RFC 5545 3.3.11).
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("\\n"),
            // Other control characters have no place in a TEXT value.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Fold a content line at 75 octets and end it with CRLF (RFC 5545 3.1).
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut len = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        // The first line holds 75 octets; each continuation, 74 after its space.
        if len + n > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += n;
    }
    out.push_str("\r\n");
    out
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn day(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// The whole calendar; `now` is every event's DTSTAMP.
pub fn calendar(name: &str, events: &[Event], now: DateTime<Utc>) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        format!("PRODID:-//ft//ft {}//EN", env!("CARGO_PKG_VERSION")),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", text(name)),
    ];
    for e in events {
        lines.extend(event(e, now));
    }
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold(l)).collect()
}

fn event(e: &Event, now: DateTime<Utc>) -> Vec<String> {
    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}", text(&e.uid)),
        format!("DTSTAMP:{}", stamp(now)),
        format!("SEQUENCE:{}", e.sequence),
    ];
    match e.start {
        Start::Day(d) => {
            lines.push(format!("DTSTART;VALUE=DATE:{}", day(d)));
            let next = d.succ_opt().unwrap_or(d);
            lines.push(format!("DTEND;VALUE=DATE:{}", day(next)));
        }
        Start::At(t) => {
            lines.push(format!("DTSTART:{}", stamp(t)));
            lines.push(format!("DTEND:{}", stamp(t + TimeDelta::minutes(15))));
        }
    }
    lines.push(format!("SUMMARY:{}", text(&e.summary)));
    lines.push(format!("DESCRIPTION:{}", text(&e.description)));
    // A due date is a point to meet, not time taken out of the day.
    lines.push("TRANSP:TRANSPARENT".into());
    if let Some(at) = e.alarm {
        lines.extend([
            "BEGIN:VALARM".to_string(),
            "ACTION:DISPLAY".into(),
            format!("DESCRIPTION:{}", text(&format!("At risk: {}", e.summary))),
            format!("TRIGGER;VALUE=DATE-TIME:{}", stamp(at)),
            "END:VALARM".into(),
        ]);
    }
    lines.push("END:VEVENT".into());
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(text("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
        assert_eq!(text("bell\u{7}"), "bell ");
    }

    #[test]
    fn lines_fold_at_75_octets_without_splitting_characters() {
        let long = format!("SUMMARY:{}", "é".repeat(60));
        let folded = fold(&long);
        assert!(folded.ends_with("\r\n"));
        for line in folded.trim_end_matches("\r\n").split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
        assert_eq!(fold("SHORT:x"), "SHORT:x\r\n");
    }
}
