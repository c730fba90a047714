//! SLA durations (`15m`, `4h`, `1d`, `2bd`, `2w`, `1mo`) and cadence intervals (`1w..2w`).

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Unit {
    Minutes,
    Hours,
    Days,
    BusinessDays,
    Weeks,
    Months,
}

impl Unit {
    pub fn suffix(self) -> &'static str {
        match self {
            Unit::Minutes => "m",
            Unit::Hours => "h",
            Unit::Days => "d",
            Unit::BusinessDays => "bd",
            Unit::Weeks => "w",
            Unit::Months => "mo",
        }
    }

    /// Singular and plural words for messages.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            Unit::Minutes => ("minute", "minutes"),
            Unit::Hours => ("hour", "hours"),
            Unit::Days => ("day", "days"),
            Unit::BusinessDays => ("business day", "business days"),
            Unit::Weeks => ("week", "weeks"),
            Unit::Months => ("month", "months"),
        }
    }

    /// Minute and hour SLAs are measured on instants, the rest on dates.
    pub fn is_sub_day(self) -> bool {
        matches!(self, Unit::Minutes | Unit::Hours)
    }
}

/// An amount of one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub amount: u32,
    pub unit: Unit,
}

impl Period {
    pub fn new(amount: u32, unit: Unit) -> Self {
        Self { amount, unit }
    }

    /// "2 business days", "15 minutes", "1 month".
    pub fn words(&self) -> String {
        let (one, many) = self.unit.words();
        format!(
            "{} {}",
            self.amount,
            if self.amount == 1 { one } else { many }
        )
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.amount, self.unit.suffix())
    }
}

impl FromStr for Period {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (digits, suffix) = s.split_at(split);
        let unit = match suffix.trim() {
            "m" | "min" => Unit::Minutes,
            "h" => Unit::Hours,
            "d" => Unit::Days,
            "bd" => Unit::BusinessDays,
            "w" => Unit::Weeks,
            "mo" => Unit::Months,
            _ => {
                return Err(format!(
                    "`{s}` is not a duration; write a number and a unit: 15m, 4h, 1d, 2bd (business days), 2w, 1mo"
                ));
            }
        };
        let amount = digits
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= 100_000)
            .ok_or_else(|| {
                format!(
                    "`{s}` needs a whole number up to 100000 before `{}`",
                    unit.suffix()
                )
            })?;
        Ok(Period { amount, unit })
    }
}

/// A cadence interval: due soon from `soon`, due at `due`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Interval {
    pub soon: Period,
    pub due: Period,
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.soon == self.due {
            write!(f, "{}", self.due)
        } else {
            write!(f, "{}..{}", self.soon, self.due)
        }
    }
}

impl Interval {
    /// "every 1-2 weeks", "every week", "every month".
    pub fn words(&self) -> String {
        if self.soon == self.due {
            if self.due.amount == 1 {
                format!("every {}", self.due.unit.words().0)
            } else {
                format!("every {}", self.due.words())
            }
        } else if self.soon.unit == self.due.unit {
            format!(
                "every {}-{} {}",
                self.soon.amount,
                self.due.amount,
                self.due.unit.words().1
            )
        } else {
            format!("every {} to {}", self.soon.words(), self.due.words())
        }
    }
}

impl FromStr for Interval {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once("..") {
            None => {
                let p: Period = s.parse()?;
                Ok(Interval { soon: p, due: p })
            }
            Some((a, b)) => {
                let (soon, due): (Period, Period) = (a.parse()?, b.parse()?);
                if soon.unit.is_sub_day() != due.unit.is_sub_day() {
                    return Err(format!("`{s}` mixes time-of-day and calendar units"));
                }
                Ok(Interval { soon, due })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in ["15m", "4h", "1d", "2bd", "2w", "1mo", "0d"] {
            assert_eq!(s.parse::<Period>().unwrap().to_string(), s);
        }
        assert_eq!("1w..2w".parse::<Interval>().unwrap().to_string(), "1w..2w");
        assert_eq!(
            "1w..2w".parse::<Interval>().unwrap().words(),
            "every 1-2 weeks"
        );
        assert_eq!("1mo".parse::<Interval>().unwrap().words(), "every month");
    }

    proptest::proptest! {
        #[test]
        fn periods_round_trip(n in 0u32..100_000, u in 0usize..6) {
            let unit = [Unit::Minutes, Unit::Hours, Unit::Days, Unit::BusinessDays, Unit::Weeks, Unit::Months][u];
            let p = Period::new(n, unit);
            proptest::prop_assert_eq!(p.to_string().parse::<Period>().unwrap(), p);
        }

        #[test]
        fn parsing_anything_never_panics(s in "\\PC{0,20}") {
            let _ = s.parse::<Period>();
            let _ = s.parse::<Interval>();
        }
    }

    #[test]
    fn rejects_nonsense() {
        for s in ["", "d", "2", "2x", "-1d", "1.5h", "99999999d"] {
            assert!(s.parse::<Period>().is_err(), "{s}");
        }
    }
}
