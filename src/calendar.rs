//! The workspace's business calendar: weekend days and holidays.
//!
//! "N business days after D" follows numpy's
//! `busday_offset(D, N, roll='backward')`: a non-business D first rolls back to
//! the previous business day, then N business days are counted forward.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    weekend: [bool; 7],
    holidays: BTreeSet<NaiveDate>,
}

impl Default for Calendar {
    fn default() -> Self {
        Self::new(&[Weekday::Sat, Weekday::Sun], []).expect("Mon-Fri are working days")
    }
}

impl Calendar {
    /// A calendar; refuses one where every weekday is a weekend day.
    pub fn new(
        weekend: &[Weekday],
        holidays: impl IntoIterator<Item = NaiveDate>,
    ) -> Result<Self, String> {
        let mut days = [false; 7];
        for d in weekend {
            days[d.num_days_from_monday() as usize] = true;
        }
        if days.iter().all(|w| *w) {
            return Err(
                "every day of the week is a weekend day; leave at least one working day".into(),
            );
        }
        Ok(Self {
            weekend: days,
            holidays: holidays.into_iter().collect(),
        })
    }

    pub fn weekend_days(&self) -> Vec<Weekday> {
        (0..7u8)
            .filter(|i| self.weekend[usize::from(*i)])
            .filter_map(|i| Weekday::try_from(i).ok())
            .collect()
    }

    pub fn is_business_day(&self, d: NaiveDate) -> bool {
        !self.weekend[d.weekday().num_days_from_monday() as usize] && !self.holidays.contains(&d)
    }

    /// The business day `n` business days after `d` (numpy `roll='backward'`).
    pub fn add_business_days(&self, d: NaiveDate, n: u32) -> NaiveDate {
        let mut day = d;
        while !self.is_business_day(day) {
            day = prev(day);
        }
        let mut left = n;
        while left > 0 {
            day = next(day);
            if self.is_business_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// `d` if it is a business day, else the next one.
    pub fn on_or_after(&self, d: NaiveDate) -> NaiveDate {
        let mut day = d;
        while !self.is_business_day(day) {
            let n = next(day);
            if n == day {
                break;
            }
            day = n;
        }
        day
    }

    /// Business days in `(from, to]`; negative when `to` is before `from`.
    pub fn business_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (lo, hi, sign) = if from <= to {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let mut count = 0;
        let mut day = lo;
        while day < hi {
            day = next(day);
            if self.is_business_day(day) {
                count += 1;
            }
        }
        sign * count
    }
}

fn next(d: NaiveDate) -> NaiveDate {
    d.checked_add_days(Days::new(1)).unwrap_or(d)
}

fn prev(d: NaiveDate) -> NaiveDate {
    d.checked_sub_days(Days::new(1)).unwrap_or(d)
}

/// Parse `Sat`, `saturday`, `SUN`...
pub fn parse_weekday(s: &str) -> Result<Weekday, String> {
    s.trim()
        .parse::<Weekday>()
        .map_err(|_| format!("`{s}` is not a weekday; use Mon, Tue, Wed, Thu, Fri, Sat or Sun"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn business_days_match_numpy() {
        // Expected values computed with numpy.busday_offset(D, N, roll='backward').
        let cal = Calendar::default();
        let xmas = Calendar::new(
            &[Weekday::Sat, Weekday::Sun],
            [d("2026-12-25"), d("2027-01-01")],
        )
        .unwrap();
        let gulf = Calendar::new(&[Weekday::Fri, Weekday::Sat], []).unwrap();
        let cases = [
            (&cal, "2026-11-20", 2, "2026-11-24"), // Friday anchor
            (&cal, "2026-11-24", 2, "2026-11-26"),
            (&cal, "2026-11-27", 5, "2026-12-04"),
            (&cal, "2026-11-21", 2, "2026-11-24"), // Saturday rolls back to Friday
            (&cal, "2026-11-22", 0, "2026-11-20"),
            (&cal, "2026-11-23", 0, "2026-11-23"),
            (&xmas, "2026-12-24", 1, "2026-12-28"),
            (&xmas, "2026-12-25", 1, "2026-12-28"), // holiday anchor rolls back to the 24th
            (&xmas, "2026-12-31", 1, "2027-01-04"),
            (&cal, "2028-02-28", 1, "2028-02-29"),  // leap day
            (&gulf, "2026-11-19", 1, "2026-11-22"), // Thursday -> Sunday
        ];
        for (cal, from, n, want) in cases {
            assert_eq!(cal.add_business_days(d(from), n), d(want), "{from} + {n}");
        }
    }

    #[test]
    fn counts_between() {
        let cal = Calendar::default();
        assert_eq!(
            cal.business_days_between(d("2026-11-24"), d("2026-11-25")),
            1
        );
        assert_eq!(
            cal.business_days_between(d("2026-11-20"), d("2026-11-23")),
            1
        );
        assert_eq!(
            cal.business_days_between(d("2026-11-23"), d("2026-11-20")),
            -1
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn calendar() -> impl Strategy<Value = Calendar> {
            (
                prop::collection::vec(0u8..7, 0..4),
                prop::collection::vec(0i64..1500, 0..40),
            )
                .prop_map(|(weekend, holidays)| {
                    let weekend: Vec<Weekday> = weekend
                        .into_iter()
                        .filter_map(|d| Weekday::try_from(d).ok())
                        .collect();
                    let base = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
                    let holidays = holidays
                        .into_iter()
                        .map(|o| base + chrono::Duration::days(o));
                    Calendar::new(&weekend, holidays).unwrap()
                })
        }

        fn date() -> impl Strategy<Value = NaiveDate> {
            (0i64..1400).prop_map(|o| {
                NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Duration::days(o)
            })
        }

        proptest! {
            #[test]
            fn due_date_is_a_business_day(cal in calendar(), d in date(), n in 0u32..60) {
                prop_assert!(cal.is_business_day(cal.add_business_days(d, n)));
            }

            #[test]
            fn adding_then_counting_back_gives_n(cal in calendar(), d in date(), n in 0u32..60) {
                let due = cal.add_business_days(d, n);
                let mut start = d;
                while !cal.is_business_day(start) {
                    start = prev(start);
                }
                prop_assert_eq!(cal.business_days_between(start, due), i64::from(n));
            }

            #[test]
            fn due_dates_grow_with_n(cal in calendar(), d in date(), n in 0u32..60) {
                prop_assert!(cal.add_business_days(d, n) < cal.add_business_days(d, n + 1));
            }
        }
    }

    #[test]
    fn refuses_all_weekend() {
        let all = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ];
        assert!(Calendar::new(&all, []).is_err());
    }
}
