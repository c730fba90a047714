//! Checks of a loaded playbook that find work that could never come due:
//! anchor cycles (an error at load), milestones nothing records and field
//! values no due rule covers (warnings from `ft playbook check`). Pure.

use super::{Anchor, Playbook, Stage};

/// A cycle of tasks each counted from another's completion, if any.
pub fn anchor_cycle(stages: &[Stage]) -> Option<Vec<String>> {
    let tasks: Vec<(&str, Vec<&str>)> = stages
        .iter()
        .flat_map(|s| &s.tasks)
        .map(|t| {
            let after = t
                .due
                .iter()
                .filter_map(|d| match &d.after {
                    Anchor::Task(a) => Some(a.as_str()),
                    Anchor::Milestone(_) => None,
                })
                .collect();
            (t.id.as_str(), after)
        })
        .collect();
    let ids: std::collections::HashMap<&str, usize> = tasks
        .iter()
        .enumerate()
        .map(|(i, (t, _))| (*t, i))
        .collect();
    let index = |id: &str| ids.get(id).copied();
    let edges: Vec<Vec<usize>> = tasks
        .iter()
        .map(|(_, after)| after.iter().filter_map(|a| index(a)).collect())
        .collect();
    // Peel off tasks that wait on nothing left (Kahn's algorithm); what
    // remains waits in a circle, or on one.
    let mut waiting: Vec<usize> = edges.iter().map(Vec::len).collect();
    let mut waited_on_by: Vec<Vec<usize>> = vec![Vec::new(); tasks.len()];
    for (i, e) in edges.iter().enumerate() {
        for &j in e {
            waited_on_by[j].push(i);
        }
    }
    let mut ready: Vec<usize> = (0..tasks.len()).filter(|&i| waiting[i] == 0).collect();
    let mut done = vec![false; tasks.len()];
    while let Some(i) = ready.pop() {
        done[i] = true;
        for &k in &waited_on_by[i] {
            waiting[k] -= 1;
            if waiting[k] == 0 {
                ready.push(k);
            }
        }
    }
    let start = (0..tasks.len()).find(|&i| !done[i])?;
    // Walk anchors among the rest until a task repeats: that is the cycle.
    let mut path = vec![start];
    loop {
        let last = *path.last()?;
        let next = *edges[last].iter().find(|&&j| !done[j])?;
        if let Some(at) = path.iter().position(|&p| p == next) {
            let mut cycle: Vec<String> =
                path[at..].iter().map(|&i| tasks[i].0.to_string()).collect();
            cycle.push(tasks[next].0.to_string());
            return Some(cycle);
        }
        path.push(next);
    }
}

/// Warnings about work that would never come due.
pub fn warnings(p: &Playbook) -> Vec<String> {
    let mut out = unrecorded_milestones(p);
    out.extend(uncovered_values(p));
    out
}

/// Milestones tasks count from that only a person can record.
fn unrecorded_milestones(p: &Playbook) -> Vec<String> {
    let mut out = Vec::new();
    for m in &p.milestones {
        let counted: Vec<&str> = p
            .tasks()
            .filter(|(_, t)| {
                t.due
                    .iter()
                    .any(|d| d.after == Anchor::Milestone(m.id.clone()))
            })
            .map(|(_, t)| t.id.as_str())
            .collect();
        if counted.is_empty() {
            continue;
        }
        let set_by_task = p
            .tasks()
            .any(|(_, t)| t.sets.as_deref() == Some(m.id.as_str()));
        let recorded = match m.id.as_str() {
            "opened" | "end" => true,
            "assigned" => p.primary_role.is_some(),
            _ => set_by_task,
        };
        if recorded || set_by_task {
            continue;
        }
        let how = if m.id == "assigned" {
            "declare `primary_role`: claiming that role records it".to_string()
        } else {
            format!("give the task that marks it `sets: {}`", m.id)
        };
        out.push(format!(
            "milestone `{}` starts the clocks of {} but no command records it except `ft milestone ID {}`; {how}",
            m.id,
            counted.join(", "),
            m.id
        ));
    }
    out
}

/// Declared field values that no due rule of a task covers.
fn uncovered_values(p: &Playbook) -> Vec<String> {
    let mut out = Vec::new();
    for (_, t) in p.tasks() {
        if t.due.is_empty() || t.due.iter().any(|d| d.when.is_empty()) {
            continue;
        }
        for (field, values) in &p.fields {
            if !t.due.iter().any(|d| d.when.iter().any(|(f, _)| f == field)) {
                continue;
            }
            let missing: Vec<&str> = values
                .iter()
                .filter(|v| {
                    !t.due
                        .iter()
                        .any(|d| d.when.iter().any(|(f, vs)| f == field && vs.contains(v)))
                })
                .map(String::as_str)
                .collect();
            if !missing.is_empty() {
                out.push(format!(
                    "{field} {} matches no rule of {}: no SLA for it",
                    missing.join(", "),
                    t.id
                ));
            }
        }
    }
    out
}
