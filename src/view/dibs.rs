//! `ft dibs`: the engagement's DIBS and what is missing.

use serde::Serialize;

use crate::engagement::Engagement;

#[derive(Serialize)]
pub struct View<'a> {
    pub engagement: &'a str,
    pub date: Option<String>,
    pub intent: Option<&'a str>,
    pub business_reason: Option<&'a str>,
    pub success_owner: Option<&'a str>,
    pub missing: Vec<&'static str>,
}

impl<'a> View<'a> {
    pub fn of(e: &'a Engagement) -> Self {
        View {
            engagement: &e.id,
            date: e.dibs.date.map(|d| d.to_string()),
            intent: e.dibs.intent.as_deref(),
            business_reason: e.dibs.business_reason.as_deref(),
            success_owner: e.dibs.success_owner.as_deref(),
            missing: e.dibs.missing().into_iter().map(|(k, _)| k).collect(),
        }
    }

    /// `(label, value)` per DIBS field, in the playbook's order; `None` when missing.
    pub fn fields(&self) -> Vec<(&'static str, Option<&str>)> {
        let values = [
            self.date.as_deref(),
            self.intent,
            self.business_reason,
            self.success_owner,
        ];
        crate::playbook::DIBS_FIELDS
            .iter()
            .zip(values)
            .map(|((_, name), v)| (*name, v.filter(|s| !s.trim().is_empty())))
            .collect()
    }
}
