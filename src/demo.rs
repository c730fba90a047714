//! The demo team workspace written by `ft init --demo`, dated relative to today.
//!
//! Templates hold `{d-N}` / `{d+N}` placeholders for "N days before/after
//! today". `examples/team` is this demo generated for 2026-11-23 (a test
//! keeps the two in step).

use chrono::{Days, NaiveDate};

pub const ENGAGEMENTS: [(&str, &str); 8] = [
    ("adatum-webapps", include_str!("demo/adatum-webapps.toml")),
    ("contoso-teams", include_str!("demo/contoso-teams.toml")),
    ("fabrikam-core", include_str!("demo/fabrikam-core.toml")),
    (
        "litware-icm-4711",
        include_str!("demo/litware-icm-4711.toml"),
    ),
    ("northwind-aks", include_str!("demo/northwind-aks.toml")),
    ("relecloud-dfm", include_str!("demo/relecloud-dfm.toml")),
    ("tailspin-data", include_str!("demo/tailspin-data.toml")),
    ("woodgrove-ai", include_str!("demo/woodgrove-ai.toml")),
];

/// Replace every `{d±N}` with the date N days from `today`.
pub fn expand(template: &str, today: NaiveDate) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{d") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let offset: i64 = after[..end]
            .trim_start_matches('+')
            .parse()
            .expect("demo offsets are numbers");
        let date = if offset >= 0 {
            today.checked_add_days(Days::new(offset.unsigned_abs()))
        } else {
            today.checked_sub_days(Days::new(offset.unsigned_abs()))
        }
        .unwrap_or(today);
        out.push_str(&date.format("%Y-%m-%d").to_string());
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_offsets() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(
            expand("a = {d-1}\nb = {d+0}T09:00:00Z\nc = {d+10}", today),
            "a = 2026-11-22\nb = 2026-11-23T09:00:00Z\nc = 2026-12-03"
        );
    }
}
