//! The view of `ft list`: one row per engagement.

use indexmap::IndexMap;
use serde::Serialize;

use crate::engagement::{Engagement, Status};

/// One engagement in the list; serialized as the JSON of `ft list`.
#[derive(Serialize)]
pub struct Row<'a> {
    pub id: &'a str,
    pub customer: &'a str,
    pub playbook: &'a str,
    pub status: Status,
    pub services: &'a [String],
    pub team: IndexMap<&'a str, &'a str>,
    pub health: Option<&'static str>,
}

pub fn row(e: &Engagement) -> Row<'_> {
    Row {
        id: &e.id,
        customer: &e.customer,
        playbook: &e.playbook,
        status: e.status,
        services: &e.services,
        team: e
            .team
            .iter()
            .map(|(r, m)| (r.as_str(), m.person.as_str()))
            .collect(),
        health: e.latest_health().map(|h| h.status.as_str()),
    }
}
