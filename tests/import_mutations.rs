//! `ft playbook import` on small pages written for one rule each: a step's
//! `Applies To:` covers that step only, and role names that start with a known
//! FastTrack role get that role's alias.

mod support;

use serde_json::Value;
use support::Ws;

const TABLE_HEAD: &str = "| Task ID | Task Description | (M) Mandatory (O) Optional | FastTrack Role |\n| - | - | - | - |\n";

/// Import `page` and read the playbook back as JSON.
fn import(page: &str) -> (String, Value) {
    let ws = Ws::new();
    ws.write("page.md", page);
    ws.ft(&["playbook", "import", "page.md", "-o", "out.yaml"])
        .ok();
    let yaml = ws.read("out.yaml");
    ws.ft(&["playbook", "check", "out.yaml"]).ok();
    let show = ws
        .ft(&["playbook", "show", "out.yaml", "--format", "json"])
        .ok();
    (yaml, serde_json::from_str(&show.stdout).unwrap())
}

fn task<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["stages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["tasks"].as_array().unwrap())
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("task {id} in {v}"))
}

#[test]
fn applies_to_covers_its_own_step_only() {
    let page = format!(
        "# Test Page\n\nPhase: **Enable**\n\n\
         ### 1. Deploy Teams\n\nPrimary Role: **FastTrack Engineer**\nApplies To: **Teams / SharePoint**\n\n\
         {TABLE_HEAD}| 101 | Deploy Teams | M | FE |\n\n\
         ### 2. Write the report\n\nWrite it up for the customer.\n\n\
         {TABLE_HEAD}| 102 | Write the report | O | FE |\n\n\
         ### 3. Configure Exchange\n\nApplies To: **Exchange Online**\n\n\
         {TABLE_HEAD}| 103 | Configure mail flow | M | FE |\n"
    );
    let (yaml, v) = import(&page);
    assert_eq!(
        task(&v, "101")["services"],
        serde_json::json!(["Teams", "SharePoint"]),
        "a step's `Applies To:` gives its tasks their services:\n{yaml}"
    );
    assert_eq!(
        task(&v, "102")["services"],
        serde_json::json!(["All Services"]),
        "`Applies To:` of step 1 must not leak into step 2, which states none:\n{yaml}"
    );
    assert_eq!(
        task(&v, "103")["services"],
        serde_json::json!(["Exchange Online"]),
        "{yaml}"
    );
}

#[test]
fn role_names_starting_with_a_known_role_get_its_alias() {
    let page = format!(
        "# Roles\n\n### 1. Step\n\nDo it.\n\n\
         {TABLE_HEAD}| 201 | Run the governance review | M | FastTrack Manager or delegate |\n\
         | 202 | Deploy | M | FastTrack Engineer |\n\
         | 203 | Advise | O | Subject Matter Expert - Windows |\n"
    );
    let (yaml, v) = import(&page);
    assert_eq!(
        v["roles"]["FM"], "FastTrack Manager or delegate",
        "a role written as `FastTrack Manager ...` must be declared under FM:\n{yaml}"
    );
    assert_eq!(
        v["roles"]["SME"], "Subject Matter Expert - Windows",
        "a role written as `Subject Matter Expert ...` must be declared under SME:\n{yaml}"
    );
    assert_eq!(v["roles"]["FE"], "FastTrack Engineer", "{yaml}");
    assert_eq!(
        v["roles"].as_object().unwrap().len(),
        3,
        "no other alias is invented:\n{yaml}"
    );
    assert_eq!(task(&v, "201")["role"], "FastTrack Manager or delegate");
    assert!(
        yaml.contains("  \"FM\": \"FastTrack Manager or delegate\"\n"),
        "{yaml}"
    );
}
