//! View models: what each command shows, as plain data.
//!
//! Commands build a view from the domain (playbooks, engagements, the
//! calendar and "now") with the pure functions here, then hand it to a
//! renderer (`crate::render`) or serialize it as JSON. Views hold raw text;
//! escaping for each output format happens only in the renderers.

pub mod assign;
pub mod dibs;
pub mod explain;
pub mod list;
pub mod report;
pub mod show;
