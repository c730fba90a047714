#![no_main]
//! Dates, durations and intervals as people write them parse or are
//! refused; business-day arithmetic on any date, offset and calendar
//! finishes without a panic and agrees with itself.

use chrono::{NaiveDate, Weekday};
use ft::calendar::Calendar;
use ft::duration::{Interval, Period};
use ft::time::{When, parse_date};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, u8, Vec<i32>, i32, i32, u32)| {
    let (text, weekend, holidays, a, b, n) = input;
    let _ = text.parse::<When>();
    let _ = parse_date(text);
    let _ = text.parse::<Period>();
    let _ = text.parse::<Interval>();
    let _ = ft::engagement::check_id(text);
    let days: Vec<Weekday> = (0..7u8)
        .filter(|i| weekend & (1 << i) != 0)
        .filter_map(|i| Weekday::try_from(i).ok())
        .collect();
    let day = |n: i32| NaiveDate::from_num_days_from_ce_opt(n.rem_euclid(3_652_059) + 1);
    let Ok(cal) = Calendar::new(&days, holidays.iter().filter_map(|h| day(*h))) else {
        return;
    };
    let (Some(a), Some(b)) = (day(a), day(b)) else {
        return;
    };
    let due = cal.add_business_days(a, n % 1_000_000);
    if due != NaiveDate::MAX {
        assert!(cal.is_business_day(due));
    }
    let forward = cal.business_days_between(a, b);
    assert_eq!(forward, -cal.business_days_between(b, a));
    let _ = cal.on_or_after(a);
});
