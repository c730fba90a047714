//! Points in time as people write them: a date, or an RFC 3339 date-time with offset.
//!
//! Day-level SLAs work on dates; minute and hour SLAs (escalations) need the
//! time of day. Keeping both forms explicit avoids inventing a time zone.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone};

/// A date, or an instant with its UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum When {
    Date(NaiveDate),
    At(DateTime<FixedOffset>),
}

impl When {
    /// The calendar date (for an instant: the date in its own offset).
    pub fn date(&self) -> NaiveDate {
        match self {
            When::Date(d) => *d,
            When::At(t) => t.date_naive(),
        }
    }

    /// The instant; a bare date counts from the start of that day, UTC.
    pub fn instant(&self) -> DateTime<FixedOffset> {
        match self {
            When::Date(d) => start_of_day(*d),
            When::At(t) => *t,
        }
    }

    pub fn has_time(&self) -> bool {
        matches!(self, When::At(_))
    }

    /// Convert a TOML date or offset date-time.
    pub fn from_toml(dt: &toml::value::Datetime) -> Result<When, String> {
        let Some(d) = dt.date else {
            return Err(format!(
                "`{dt}` is a time without a date; write a date such as 2026-11-20"
            ));
        };
        let date = NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
            .ok_or_else(|| format!("`{d}` is not a date that exists"))?;
        let Some(t) = dt.time else {
            return Ok(When::Date(date));
        };
        let time = NaiveTime::from_hms_nano_opt(
            u32::from(t.hour),
            u32::from(t.minute),
            u32::from(t.second.unwrap_or(0)),
            t.nanosecond.unwrap_or(0),
        )
        .ok_or_else(|| format!("`{t}` is not a time of day"))?;
        let minutes = match dt.offset {
            Some(toml::value::Offset::Z) => 0,
            Some(toml::value::Offset::Custom { minutes }) => i32::from(minutes),
            None => {
                return Err(format!(
                    "`{dt}` has no UTC offset; add one, e.g. `{dt}Z` or `{dt}+01:00`"
                ));
            }
        };
        let offset = FixedOffset::east_opt(minutes * 60).ok_or("offset out of range")?;
        offset
            .from_local_datetime(&date.and_time(time))
            .single()
            .map(When::At)
            .ok_or_else(|| format!("`{dt}` is not a valid date-time"))
    }

    /// The TOML value of just the date.
    pub fn date_toml(&self) -> toml_edit::Value {
        When::Date(self.date()).to_toml()
    }

    /// The TOML value for this point in time (a bare date or an offset date-time).
    pub fn to_toml(&self) -> toml_edit::Value {
        let text = self.to_string();
        let dt: toml_edit::Datetime = text.parse().expect("When prints valid TOML date-times");
        toml_edit::Value::from(dt)
    }
}

pub fn start_of_day(d: NaiveDate) -> DateTime<FixedOffset> {
    let utc = FixedOffset::east_opt(0).expect("zero offset");
    utc.from_utc_datetime(&d.and_time(NaiveTime::MIN))
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            When::At(t) => {
                if t.offset().local_minus_utc() == 0 {
                    write!(f, "{}", t.format("%Y-%m-%dT%H:%M:%SZ"))
                } else {
                    write!(f, "{}", t.format("%Y-%m-%dT%H:%M:%S%:z"))
                }
            }
        }
    }
}

impl FromStr for When {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let w = if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            When::Date(d)
        } else if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            When::At(t)
        } else {
            return Err(format!(
                "`{s}` is not a date (YYYY-MM-DD) or date-time with offset (2026-11-20T09:00:00Z)"
            ));
        };
        in_range(w.date())?;
        Ok(w)
    }
}

impl PartialOrd for When {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for When {
    /// Instants compare by instant; a bare date sorts at the start of its day.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.instant().cmp(&other.instant())
    }
}

/// Compact serde forms for the cache: dates as day numbers, instants as
/// seconds and nanoseconds with the offset in seconds.
impl serde::Serialize for When {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            When::Date(d) => (0u8, i64::from(d.num_days_from_ce()), 0u32, 0i32).serialize(s),
            When::At(t) => (
                1u8,
                t.timestamp(),
                t.timestamp_subsec_nanos(),
                t.offset().local_minus_utc(),
            )
                .serialize(s),
        }
    }
}

impl<'de> serde::Deserialize<'de> for When {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let (tag, n, nanos, offset): (u8, i64, u32, i32) = serde::Deserialize::deserialize(d)?;
        let bad = || D::Error::custom("invalid date in cache");
        match tag {
            0 => NaiveDate::from_num_days_from_ce_opt(i32::try_from(n).map_err(|_| bad())?)
                .map(When::Date)
                .ok_or_else(bad),
            _ => {
                let offset = FixedOffset::east_opt(offset).ok_or_else(bad)?;
                DateTime::from_timestamp(n, nanos)
                    .map(|t| When::At(t.with_timezone(&offset)))
                    .ok_or_else(bad)
            }
        }
    }
}

/// Serde for `When` as its RFC 3339 text ("2026-11-22T08:30:00Z", or a
/// bare date), for JSON people and scripts read (the derive is the cache's).
pub mod text {
    use super::When;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(w: &When, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(w)
    }

    pub mod opt {
        use super::{Serializer, When};

        pub fn serialize<S: Serializer>(w: &Option<When>, s: S) -> Result<S::Ok, S::Error> {
            match w {
                Some(w) => s.serialize_some(&w.to_string()),
                None => s.serialize_none(),
            }
        }
    }

    pub mod list {
        use super::{Serializer, When};
        use serde::ser::SerializeSeq;

        pub fn serialize<S: Serializer>(ws: &[When], s: S) -> Result<S::Ok, S::Error> {
            let mut seq = s.serialize_seq(Some(ws.len()))?;
            for w in ws {
                seq.serialize_element(&w.to_string())?;
            }
            seq.end()
        }
    }
}

/// Serde for `NaiveDate` as a day number (compact, for the cache).
pub mod day {
    use chrono::{Datelike, NaiveDate};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(d.num_days_from_ce())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let n = i32::deserialize(d)?;
        NaiveDate::from_num_days_from_ce_opt(n)
            .ok_or_else(|| serde::de::Error::custom("invalid date in cache"))
    }

    pub mod opt {
        use super::*;

        pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => s.serialize_some(&d.num_days_from_ce()),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
            match Option::<i32>::deserialize(d)? {
                Some(n) => NaiveDate::from_num_days_from_ce_opt(n)
                    .map(Some)
                    .ok_or_else(|| serde::de::Error::custom("invalid date in cache")),
                None => Ok(None),
            }
        }
    }
}

/// Parse a date for a command-line flag.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date; write YYYY-MM-DD, e.g. 2026-11-20"))?;
    in_range(d)?;
    Ok(d)
}

/// Years 0000-9999 only: what TOML (RFC 3339) can write, so every date `ft`
/// accepts can be saved.
fn in_range(d: NaiveDate) -> Result<(), String> {
    if (0..=9999).contains(&d.year()) {
        Ok(())
    } else {
        Err(format!(
            "{} is outside the years 0000-9999 that engagement files can hold",
            d.format("%Y-%m-%d")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_both_forms() {
        for s in [
            "2026-11-20",
            "2026-11-20T09:15:00Z",
            "2026-11-20T09:15:00+01:00",
        ] {
            let w: When = s.parse().unwrap();
            assert_eq!(w.to_string(), s);
            assert_eq!(w.to_toml().to_string(), s);
        }
        assert!("2026-02-30".parse::<When>().is_err());
        for far in ["+10000-01-01", "-0001-01-01", "10000-01-01T00:00:00Z"] {
            assert!(far.parse::<When>().is_err(), "{far}");
            assert!(parse_date(far).is_err(), "{far}");
        }
        assert_eq!(
            "0000-01-01".parse::<When>().unwrap().to_string(),
            "0000-01-01"
        );
        assert!("9999-12-31T23:59:59+14:00".parse::<When>().is_ok());
        assert!("tomorrow".parse::<When>().is_err());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn when() -> impl Strategy<Value = When> {
            let date = (0i32..=9999, 1u32..13, 1u32..29)
                .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap());
            prop_oneof![
                date.clone().prop_map(When::Date),
                (date, 0u32..86_400, -840i32..840).prop_map(|(d, secs, off)| {
                    let offset = FixedOffset::east_opt(off * 60).unwrap();
                    let t =
                        d.and_time(NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).unwrap());
                    When::At(offset.from_local_datetime(&t).single().unwrap())
                }),
            ]
        }

        proptest! {
            #[test]
            fn print_then_parse_gives_the_same_point(w in when()) {
                prop_assert_eq!(w.to_string().parse::<When>().unwrap(), w);
                let dt: toml::value::Datetime = w.to_string().parse().unwrap();
                prop_assert_eq!(When::from_toml(&dt).unwrap(), w);
                let bytes = postcard::to_stdvec(&w).unwrap();
                prop_assert_eq!(postcard::from_bytes::<When>(&bytes).unwrap(), w);
            }

            #[test]
            fn parsing_anything_never_panics(s in "\\PC{0,40}") {
                let _ = s.parse::<When>();
                let _ = parse_date(&s);
            }
        }
    }

    #[test]
    fn toml_local_datetime_needs_offset() {
        let dt: toml::value::Datetime = "2026-11-20T09:00:00".parse().unwrap();
        assert!(When::from_toml(&dt).unwrap_err().contains("offset"));
        let dt: toml::value::Datetime = "2026-11-20T09:00:00Z".parse().unwrap();
        assert_eq!(
            When::from_toml(&dt).unwrap().to_string(),
            "2026-11-20T09:00:00Z"
        );
    }
}
