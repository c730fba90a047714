//! The workspace's business calendar: weekend days and holidays.
//!
//! "N business days after D" follows numpy's
//! `busday_offset(D, N, roll='backward')`: a non-business D first rolls back to
//! the previous business day, then N business days are counted forward.
//!
//! Both adding and counting are closed-form: whole weeks times the working
//! days per week, the few days left over by weekday, and the holidays in the
//! range counted by binary search in a sorted list. No day-by-day walk, so a
//! `--today` at the far end of the supported years (0000-9999) or `99999bd`
//! costs the same as tomorrow. Only rolling over a run of holidays walks,
//! one step per holiday in the run.

use chrono::{Datelike, Days, NaiveDate, Weekday};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    weekend: [bool; 7],
    /// Working days per week (1-7).
    per_week: u32,
    /// Sorted and deduplicated.
    holidays: Vec<NaiveDate>,
    /// The holidays that fall on working weekdays (the ones that change a count).
    work_holidays: Vec<NaiveDate>,
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
        let mut holidays: Vec<NaiveDate> = holidays.into_iter().collect();
        holidays.sort_unstable();
        holidays.dedup();
        let work_holidays = holidays
            .iter()
            .copied()
            .filter(|d| !days[d.weekday().num_days_from_monday() as usize])
            .collect();
        Ok(Self {
            weekend: days,
            per_week: days.iter().filter(|w| !**w).count() as u32,
            holidays,
            work_holidays,
        })
    }

    pub fn weekend_days(&self) -> Vec<Weekday> {
        (0..7u8)
            .filter(|i| self.weekend[usize::from(*i)])
            .filter_map(|i| Weekday::try_from(i).ok())
            .collect()
    }

    fn is_working_weekday(&self, d: NaiveDate) -> bool {
        !self.weekend[d.weekday().num_days_from_monday() as usize]
    }

    pub fn is_business_day(&self, d: NaiveDate) -> bool {
        self.is_working_weekday(d) && self.holidays.binary_search(&d).is_err()
    }

    /// The business day `n` business days after `d` (numpy `roll='backward'`).
    /// Saturates at the last date chrono can hold.
    pub fn add_business_days(&self, d: NaiveDate, n: u32) -> NaiveDate {
        let mut day = d;
        while !self.is_business_day(day) {
            let p = prev(day);
            if p == day {
                break;
            }
            day = p;
        }
        // Add working weekdays, then as many more as holidays were passed,
        // until no new holiday falls in the stretch just added.
        let mut left = u64::from(n);
        while left > 0 {
            let Some(to) = self.add_weekdays(day, left) else {
                return NaiveDate::MAX;
            };
            left = self.work_holidays_in(day, to);
            day = to;
        }
        day
    }

    /// The `k`-th working weekday after `d` (holidays not considered).
    fn add_weekdays(&self, d: NaiveDate, k: u64) -> Option<NaiveDate> {
        let per_week = u64::from(self.per_week);
        let weeks = (k - 1) / per_week;
        let mut day = d.checked_add_days(Days::new(weeks.checked_mul(7)?))?;
        let mut left = k - weeks * per_week;
        while left > 0 {
            day = day.checked_add_days(Days::new(1))?;
            if self.is_working_weekday(day) {
                left -= 1;
            }
        }
        Some(day)
    }

    /// Holidays on working weekdays in `(lo, hi]`.
    fn work_holidays_in(&self, lo: NaiveDate, hi: NaiveDate) -> u64 {
        let a = self.work_holidays.partition_point(|h| *h <= lo);
        let b = self.work_holidays.partition_point(|h| *h <= hi);
        (b - a) as u64
    }

    /// Working weekdays in `(lo, hi]`, `lo <= hi`: whole weeks, then the rest by weekday.
    fn weekdays_in(&self, lo: NaiveDate, hi: NaiveDate) -> i64 {
        let days = (hi - lo).num_days();
        let mut count = days / 7 * i64::from(self.per_week);
        let first = i64::from(lo.weekday().num_days_from_monday());
        for k in 1..=days % 7 {
            if !self.weekend[((first + k) % 7) as usize] {
                count += 1;
            }
        }
        count
    }

    /// The holidays in `(from, to]`, in order.
    pub fn holidays_in(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        let a = self.holidays.partition_point(|h| *h <= from);
        let b = self.holidays.partition_point(|h| *h <= to);
        self.holidays[a..b.max(a)].to_vec()
    }

    /// This calendar with more days off (the days an engagement was on hold).
    pub fn with_holidays(&self, extra: impl IntoIterator<Item = NaiveDate>) -> Calendar {
        let all = self.holidays.iter().copied().chain(extra);
        Calendar::new(&self.weekend_days(), all).unwrap_or_else(|_| self.clone())
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
        sign * (self.weekdays_in(lo, hi) - self.work_holidays_in(lo, hi) as i64)
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

    /// Business days in `(from, to]`, counted by hand. 2026-11-20 is a Friday,
    /// 2026-11-23 a Monday; 2026-12-25 and 2027-01-01 are Fridays.
    #[test]
    fn counts_between_by_hand() {
        let cal = Calendar::default();
        let xmas = Calendar::new(
            &[Weekday::Sat, Weekday::Sun],
            [d("2026-12-25"), d("2027-01-01")],
        )
        .unwrap();
        let gulf = Calendar::new(&[Weekday::Fri, Weekday::Sat], []).unwrap();
        let cases = [
            // The same day: the interval is empty.
            (&cal, "2026-11-23", "2026-11-23", 0),
            // Fri -> Sat: only Saturday is in (from, to]; Friday is not counted.
            (&cal, "2026-11-20", "2026-11-21", 0),
            // Sat -> Mon: Sunday no, Monday yes.
            (&cal, "2026-11-21", "2026-11-23", 1),
            // Mon -> Sun: Tue, Wed, Thu, Fri.
            (&cal, "2026-11-23", "2026-11-29", 4),
            // Mon -> Mon a week later: Tue..Fri and the second Monday.
            (&cal, "2026-11-23", "2026-11-30", 5),
            // Month end: Fri 30 Oct -> Mon 2 Nov over Sat 31, Sun 1.
            (&cal, "2026-10-30", "2026-11-02", 1),
            // February end in a non-leap year: Fri 27 -> Mon 2 March.
            (&cal, "2026-02-27", "2026-03-02", 1),
            // Leap year: Mon 28 Feb 2028 -> Wed 1 March: Tue 29 Feb and Wed 1 Mar.
            (&cal, "2028-02-28", "2028-03-01", 2),
            // Year end: Wed 31 Dec 2025 -> Fri 2 Jan 2026: Thu 1 and Fri 2.
            (&cal, "2025-12-31", "2026-01-02", 2),
            // Holidays: Thu 24 Dec -> Mon 4 Jan: 25 holiday, 26-27 weekend,
            // 28 29 30 31 counted, 1 Jan holiday, 2-3 weekend, 4 counted.
            (&xmas, "2026-12-24", "2027-01-04", 5),
            // Ending on a holiday counts nothing; starting on one skips it anyway.
            (&xmas, "2026-12-24", "2026-12-25", 0),
            (&xmas, "2026-12-25", "2026-12-28", 1),
            // Fri/Sat weekend: Thu -> Sun counts only Sunday.
            (&gulf, "2026-11-19", "2026-11-22", 1),
            // Fri/Sat weekend: Sat -> Sat a week later: Sun..Thu.
            (&gulf, "2026-11-21", "2026-11-28", 5),
            // Backwards: minus the business days in (to, from].
            (&cal, "2026-11-23", "2026-11-21", -1),
            (&cal, "2026-11-23", "2026-11-20", -1),
            (&cal, "2026-11-30", "2026-11-23", -5),
            (&xmas, "2027-01-04", "2026-12-24", -5),
        ];
        for (cal, from, to, want) in cases {
            assert_eq!(
                cal.business_days_between(d(from), d(to)),
                want,
                "business days in ({from}, {to}] must count the days after `from` up to and including `to`"
            );
        }
    }

    /// Due dates by hand: a non-business anchor rolls back, then N business days
    /// are counted forward from the day after it.
    #[test]
    fn adds_business_days_by_hand() {
        let cal = Calendar::default();
        let xmas = Calendar::new(
            &[Weekday::Sat, Weekday::Sun],
            [d("2026-12-25"), d("2027-01-01")],
        )
        .unwrap();
        let gulf = Calendar::new(&[Weekday::Fri, Weekday::Sat], []).unwrap();
        let cases = [
            // Fri + 0 is Fri; Fri + 1 skips the weekend to Mon.
            (&cal, "2026-11-20", 0, "2026-11-20"),
            (&cal, "2026-11-20", 1, "2026-11-23"),
            // Fri + 10: two whole weeks later, Fri 4 Dec.
            (&cal, "2026-11-20", 10, "2026-12-04"),
            // Sat and Sun roll back to Fri first.
            (&cal, "2026-11-21", 0, "2026-11-20"),
            (&cal, "2026-11-22", 1, "2026-11-23"),
            // Mon + 5 is the next Mon.
            (&cal, "2026-11-23", 5, "2026-11-30"),
            // Month end: Fri 30 Oct + 1 is Mon 2 Nov.
            (&cal, "2026-10-30", 1, "2026-11-02"),
            // Leap day is a Tuesday in 2028.
            (&cal, "2028-02-28", 1, "2028-02-29"),
            // Year end without holidays: Wed 31 Dec 2025 + 2 is Fri 2 Jan 2026.
            (&cal, "2025-12-31", 2, "2026-01-02"),
            // Thu 24 Dec + 1: 25 holiday, weekend, Mon 28.
            (&xmas, "2026-12-24", 1, "2026-12-28"),
            // Thu 24 Dec + 5: 28 29 30 31, 1 Jan holiday, weekend, Mon 4 Jan.
            (&xmas, "2026-12-24", 5, "2027-01-04"),
            // A holiday anchor rolls back: 1 Jan 2027 + 0 is Thu 31 Dec.
            (&xmas, "2027-01-01", 0, "2026-12-31"),
            // Fri/Sat weekend: Thu + 1 is Sun; Fri + 0 rolls back to Thu.
            (&gulf, "2026-11-19", 1, "2026-11-22"),
            (&gulf, "2026-11-20", 0, "2026-11-19"),
            // Fri/Sat weekend: Sun + 5 is Thu.
            (&gulf, "2026-11-22", 4, "2026-11-26"),
            (&gulf, "2026-11-22", 5, "2026-11-29"),
        ];
        for (cal, from, n, want) in cases {
            assert_eq!(
                cal.add_business_days(d(from), n),
                d(want),
                "{n} business days after {from}"
            );
        }
    }

    /// Oracles written without the module: a calendar is a set of weekend
    /// weekdays (0 = Monday) and a list of holidays, and dates are walked one
    /// day at a time with chrono alone.
    mod oracle {
        use super::*;
        use proptest::prelude::*;

        #[derive(Debug, Clone)]
        struct Plain {
            weekend: Vec<u32>,
            holidays: Vec<NaiveDate>,
        }

        impl Plain {
            fn works(&self, day: NaiveDate) -> bool {
                !self.weekend.contains(&day.weekday().num_days_from_monday())
                    && !self.holidays.contains(&day)
            }

            fn calendar(&self) -> Calendar {
                let weekend: Vec<Weekday> = self
                    .weekend
                    .iter()
                    .map(|i| Weekday::try_from(*i as u8).unwrap())
                    .collect();
                Calendar::new(&weekend, self.holidays.iter().copied()).unwrap()
            }

            fn between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
                let count = |lo: NaiveDate, hi: NaiveDate| {
                    lo.iter_days()
                        .skip(1)
                        .take_while(|day| *day <= hi)
                        .filter(|day| self.works(*day))
                        .count() as i64
                };
                if from <= to {
                    count(from, to)
                } else {
                    -count(to, from)
                }
            }

            fn add(&self, from: NaiveDate, n: u32) -> NaiveDate {
                let mut start = from;
                while !self.works(start) {
                    start = start.pred_opt().unwrap();
                }
                if n == 0 {
                    return start;
                }
                start
                    .iter_days()
                    .skip(1)
                    .filter(|day| self.works(*day))
                    .nth(n as usize - 1)
                    .unwrap()
            }
        }

        fn plain() -> impl Strategy<Value = Plain> {
            (
                prop::collection::btree_set(0u32..7, 0..4),
                prop::collection::vec(0i64..1500, 0..60),
            )
                .prop_map(|(weekend, holidays)| Plain {
                    weekend: weekend.into_iter().collect(),
                    holidays: holidays
                        .into_iter()
                        .map(|o| d("2025-01-01") + chrono::Duration::days(o))
                        .collect(),
                })
        }

        fn date() -> impl Strategy<Value = NaiveDate> {
            (0i64..1400).prop_map(|o| d("2025-01-01") + chrono::Duration::days(o))
        }

        /// Mon-Fri without holidays, by whole weeks: 5 per week, plus the
        /// weekdays among the leftover days.
        fn weekdays_by_weeks(from: NaiveDate, to: NaiveDate) -> i64 {
            let days = (to - from).num_days();
            let mut count = days / 7 * 5;
            let first = i64::from(from.weekday().num_days_from_monday());
            for k in 1..=days % 7 {
                if (first + k) % 7 < 5 {
                    count += 1;
                }
            }
            count
        }

        proptest! {
            #[test]
            fn between_matches_a_day_by_day_count(p in plain(), a in date(), b in date()) {
                prop_assert_eq!(
                    p.calendar().business_days_between(a, b),
                    p.between(a, b),
                    "business days in ({}, {}] with weekend {:?}", a, b, p.weekend
                );
            }

            #[test]
            fn add_matches_a_day_by_day_walk(p in plain(), a in date(), n in 0u32..80) {
                prop_assert_eq!(
                    p.calendar().add_business_days(a, n),
                    p.add(a, n),
                    "{} business days after {} with weekend {:?}", n, a, p.weekend
                );
            }

            #[test]
            fn mon_fri_between_matches_whole_weeks(a in date(), b in date()) {
                let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
                let want = weekdays_by_weeks(lo, hi);
                let got = Calendar::default().business_days_between(a, b);
                prop_assert_eq!(got, if a <= b { want } else { -want });
            }
        }
    }

    /// Far dates and large offsets are arithmetic, not walks: each of these
    /// took seconds to minutes one day at a time.
    #[test]
    fn far_dates_and_large_offsets_are_closed_form() {
        let start = std::time::Instant::now();
        let mondays = Calendar::new(
            &[
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
                Weekday::Sat,
                Weekday::Sun,
            ],
            [],
        )
        .unwrap();
        // 2026-11-23 is a Monday: 99,999 working Mondays later.
        assert_eq!(
            mondays.add_business_days(d("2026-11-23"), 99_999),
            d("2026-11-23") + chrono::Duration::days(7 * 99_999)
        );
        let cal = Calendar::new(
            &[Weekday::Sat, Weekday::Sun],
            (0..5_000).map(|i| d("2027-01-01") + chrono::Duration::days(i * 7)),
        )
        .unwrap();
        for _ in 0..10_000 {
            let n = cal.business_days_between(d("0000-01-01"), d("9999-12-31"));
            assert!(n > 2_600_000, "{n}");
        }
        assert_eq!(
            cal.add_business_days(d("9999-12-31"), u32::MAX),
            NaiveDate::MAX,
            "past what a date can hold saturates"
        );
        assert!(
            start.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
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
