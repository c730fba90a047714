//! FastTrack playbook markdown -> playbook YAML (`ft playbook import`).
//!
//! Pages have front matter, `# Title`, `Phase: **...**`, one `###` heading per
//! step (with `Primary Role:` and `Applies To:`), and `FTOP Tasks` tables.
//! Tables are recognised by their header, not their position; the real pages
//! vary (bold headers, `Task Name` or `Task Description`, four columns without
//! Services, italic flags, a missing trailing pipe, two rows run together).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::ALL_SERVICES;

/// One imported task, with where it came from.
#[derive(Debug, Clone)]
pub struct Task {
    pub id: String,
    pub name: String,
    pub mandatory: bool,
    pub role: String,
    pub services: Vec<String>,
    pub step: Option<String>,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct Stage {
    pub name: String,
    pub phase: Option<String>,
    pub tasks: Vec<Task>,
}

/// A parsed page.
#[derive(Debug, Clone)]
pub struct Page {
    pub path: PathBuf,
    pub title: Option<String>,
    pub stages: Vec<Stage>,
    /// Task rows read from the tables (before duplicates are dropped).
    pub rows: usize,
    pub warnings: Vec<String>,
}

/// Which column holds what, found from a table's header row.
struct Columns {
    id: usize,
    name: usize,
    flag: usize,
    role: usize,
    services: Option<usize>,
    count: usize,
}

fn plain(cell: &str) -> String {
    cell.trim()
        .trim_matches(|c| c == '*' || c == '_')
        .trim()
        .to_string()
}

/// Split a table line into cells; the outer pipes are optional.
fn cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    t.split('|').map(|c| c.trim().to_string()).collect()
}

fn header(line: &str) -> Option<Columns> {
    let cs: Vec<String> = cells(line)
        .iter()
        .map(|c| plain(c).to_lowercase().replace(['(', ')'], ""))
        .collect();
    let find = |f: &dyn Fn(&str) -> bool| cs.iter().position(|c| f(c));
    let id = find(&|c| c.contains("task id"))?;
    let name = find(&|c| c.contains("task name") || c.contains("task description"))?;
    let flag = find(&|c| c.contains("mandatory") || c.contains("optional"))?;
    let role = find(&|c| c.contains("role"))?;
    let services = find(&|c| c.contains("service"));
    Some(Columns {
        id,
        name,
        flag,
        role,
        services,
        count: cs.len(),
    })
}

/// `[4099](https://...)` -> `4099`: ids are sometimes written as links.
fn link_text(cell: &str) -> String {
    match cell.strip_prefix('[').and_then(|r| r.split_once("](")) {
        Some((text, _)) => plain(text),
        None => cell.to_string(),
    }
}

fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

fn flag(cell: &str) -> Option<bool> {
    match plain(cell).to_ascii_lowercase().as_str() {
        "m" | "mandatory" => Some(true),
        "o" | "optional" => Some(false),
        _ => None,
    }
}

fn bold_value(line: &str, label: &str) -> Option<String> {
    let rest = line.trim().strip_prefix(label)?;
    let v = plain(rest.trim_start_matches(':'));
    (!v.is_empty()).then_some(v)
}

fn split_services(cell: &str) -> Vec<String> {
    cell.split(" / ")
        .map(plain)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Parse one page. Errors are for pages that are not playbook markdown at all.
pub fn parse_page(path: &Path, text: &str) -> Result<Page, String> {
    if text.contains('\0') {
        return Err(format!("{}: not a text file", path.display()));
    }
    let text = text.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    // Front matter.
    if lines.first().is_some_and(|l| l.trim() == "---") {
        i = 1;
        while i < lines.len() && lines[i].trim() != "---" {
            i += 1;
        }
        i += 1;
    }
    let mut page = Page {
        path: path.to_path_buf(),
        title: None,
        stages: Vec::new(),
        rows: 0,
        warnings: Vec::new(),
    };
    let mut phase = None;
    let mut step: Option<String> = None;
    let mut applies: Option<Vec<String>> = None;
    let mut current: Option<Stage> = None;
    let mut saw_table = false;
    let where_ = |n: usize| format!("{}:{}", path.display(), n + 1);
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim();
        if let Some(title) = t.strip_prefix("# ") {
            if page.title.is_none() {
                page.title = Some(plain(title));
            }
        } else if let Some(p) = bold_value(t, "Phase") {
            phase = Some(p);
        } else if let Some(h) = t.strip_prefix("### ") {
            let name = plain(h);
            let body = lines[i + 1..]
                .iter()
                .map(|l| l.trim())
                .find(|l| !l.is_empty());
            if body.is_none_or(|b| b.starts_with('#')) {
                // A heading with no body is a stage (as in the general engagement playbook).
                if let Some(s) = current.take() {
                    page.stages.push(s);
                }
                current = Some(Stage {
                    name,
                    phase: phase.clone(),
                    tasks: Vec::new(),
                });
                step = None;
            } else {
                step = Some(name);
            }
            applies = None;
        } else if let Some(a) = bold_value(t, "Applies To") {
            applies = Some(split_services(&a));
        } else if let Some(cols) = header(t) {
            saw_table = true;
            i += 1;
            if i < lines.len() && is_separator(lines[i]) {
                i += 1;
            }
            while i < lines.len() && lines[i].trim_start().starts_with('|') {
                let mut row = cells(lines[i]);
                let mut chunks = Vec::new();
                // Two rows run together as `...| last cell|| next id |...`.
                while row.len() > cols.count && row[cols.count].is_empty() {
                    let rest = row.split_off(cols.count + 1);
                    row.truncate(cols.count);
                    chunks.push(std::mem::replace(&mut row, rest));
                    page.warnings.push(format!(
                        "{}: two table rows on one line; read both",
                        where_(i)
                    ));
                }
                chunks.push(row);
                for mut row in chunks {
                    // `| O FastTrack Engineer |`: flag and role in one cell.
                    if row.len() + 1 == cols.count
                        && cols.role == cols.flag + 1
                        && let Some(cell) = row.get(cols.flag).cloned()
                        && let Some((f, role)) = plain(&cell).split_once(' ')
                        && flag(f).is_some()
                    {
                        row[cols.flag] = f.to_string();
                        row.insert(cols.role, role.trim().to_string());
                        page.warnings.push(format!(
                            "{}: read `{cell}` as flag `{f}` and role `{}`",
                            where_(i),
                            role.trim()
                        ));
                    }
                    let get = |k: usize| row.get(k).map(|c| plain(c)).unwrap_or_default();
                    let id = link_text(&get(cols.id));
                    if id.is_empty() && row.iter().all(|c| plain(c).is_empty()) {
                        continue;
                    }
                    let Some(mandatory) = row.get(cols.flag).and_then(|c| flag(c)) else {
                        page.warnings.push(format!(
                            "{}: cannot read this row (task `{id}`): no M or O flag; skipped",
                            where_(i)
                        ));
                        continue;
                    };
                    if id.is_empty() || get(cols.name).is_empty() || get(cols.role).is_empty() {
                        page.warnings.push(format!(
                            "{}: cannot read this row: a cell is empty; skipped",
                            where_(i)
                        ));
                        continue;
                    }
                    page.rows += 1;
                    let services = match cols.services.map(&get).filter(|s| !s.is_empty()) {
                        Some(s) => split_services(&s),
                        None => applies
                            .clone()
                            .unwrap_or_else(|| vec![ALL_SERVICES.to_string()]),
                    };
                    let stage = current.get_or_insert_with(|| Stage {
                        name: page.title.clone().unwrap_or_else(|| stem(path)),
                        phase: phase.clone(),
                        tasks: Vec::new(),
                    });
                    stage.tasks.push(Task {
                        id,
                        name: get(cols.name),
                        mandatory,
                        role: get(cols.role),
                        services,
                        step: step.clone(),
                        line: i + 1,
                    });
                }
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    if let Some(s) = current.take() {
        page.stages.push(s);
    }
    if page.title.is_none() && !saw_table {
        return Err(format!(
            "{}: no `# Title` and no FTOP task table; is this a playbook page?",
            path.display()
        ));
    }
    if !saw_table {
        return Err(format!(
            "{}: no FTOP task table (a table with `Task ID`, `Task Name`, `(M)andatory / (O)ptional` and `FastTrack Role` columns)",
            path.display()
        ));
    }
    // Stages without tasks add nothing to a playbook.
    page.stages.retain(|s| !s.tasks.is_empty());
    if page.rows == 0 {
        let why = page
            .warnings
            .first()
            .map(|w| format!(" (first problem: {w})"))
            .unwrap_or_default();
        return Err(format!(
            "{}: no FTOP task row could be read{why}",
            path.display()
        ));
    }
    Ok(page)
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map_or("imported".into(), |s| s.to_string_lossy().into_owned())
}

/// A plain id from a name: lowercase letters and digits joined by `-`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "stage".into() } else { out }
}

/// Known FastTrack roles: (alias, full name).
const KNOWN_ROLES: [(&str, &str); 9] = [
    ("FM", "FastTrack Manager"),
    ("FE", "FastTrack Engineer"),
    ("FTA", "FastTrack Architect"),
    ("PM", "Project Manager"),
    ("SME", "Subject Matter Expert"),
    ("MVM", "Migration Velocity Manager"),
    ("FRP", "FastTrack Ready Partner"),
    ("CSM", "Customer Success Manager"),
    ("ATS", "Account Technology Strategist"),
];

/// Declare every role text used by the tasks, with an alias.
fn roles(tasks: &[&Task]) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for t in tasks {
        let text = t.role.as_str();
        if out.iter().any(|(a, n)| a == text || n == text) {
            continue;
        }
        let known = KNOWN_ROLES
            .iter()
            .find(|(a, n)| a.eq_ignore_ascii_case(text) || n.eq_ignore_ascii_case(text))
            .or_else(|| KNOWN_ROLES.iter().find(|(_, n)| text.starts_with(n)));
        let (alias, name) = match known {
            Some((a, n)) if a.eq_ignore_ascii_case(text) => ((*a).to_string(), (*n).to_string()),
            Some((a, _)) => ((*a).to_string(), text.to_string()),
            None => {
                let initials: String = text
                    .split_whitespace()
                    .filter_map(|w| w.chars().next())
                    .filter(char::is_ascii_alphanumeric)
                    .collect();
                (initials.to_uppercase(), text.to_string())
            }
        };
        let mut alias = if alias.is_empty() {
            "ROLE".to_string()
        } else {
            alias
        };
        let base = alias.clone();
        let mut n = 2;
        while out.get(&alias).is_some_and(|existing| existing != &name) {
            alias = format!("{base}{n}");
            n += 1;
        }
        out.insert(alias, name);
    }
    out
}

/// The result of an import: the YAML text and warnings.
pub struct Imported {
    pub yaml: String,
    pub warnings: Vec<String>,
    pub tasks: usize,
}

fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Build a playbook from pages. Duplicate task ids keep the first.
pub fn to_yaml(pages: &[Page], id: &str, name: Option<&str>) -> Imported {
    let mut warnings: Vec<String> = pages.iter().flat_map(|p| p.warnings.clone()).collect();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut stages: Vec<(String, &Stage, Vec<&Task>)> = Vec::new();
    let mut stage_ids: Vec<String> = Vec::new();
    for page in pages {
        for stage in &page.stages {
            let mut tasks = Vec::new();
            for t in &stage.tasks {
                let here = format!("{}:{}", page.path.display(), t.line);
                if let Some(first) = seen.get(&t.id) {
                    warnings.push(format!(
                        "{here}: task {} also at {first}; kept the first",
                        t.id
                    ));
                    continue;
                }
                seen.insert(t.id.clone(), here);
                tasks.push(t);
            }
            if tasks.is_empty() {
                continue;
            }
            let base = slug(&stage.name);
            let mut sid = base.clone();
            let mut n = 2;
            while stage_ids.contains(&sid) {
                sid = format!("{base}-{n}");
                n += 1;
            }
            stage_ids.push(sid.clone());
            stages.push((sid, stage, tasks));
        }
    }
    let all: Vec<&Task> = stages
        .iter()
        .flat_map(|(_, _, t)| t.iter().copied())
        .collect();
    let roles = roles(&all);
    let title = name
        .map(ToString::to_string)
        .or_else(|| {
            if pages.len() == 1 {
                pages[0].title.clone()
            } else {
                None
            }
        })
        .unwrap_or_else(|| format!("Imported playbook ({} pages)", pages.len()));

    let mut y = String::new();
    y.push_str("# Imported by `ft playbook import` from:\n");
    for p in pages {
        let _ = writeln!(
            y,
            "#   {}",
            p.path.file_name().map_or_else(
                || p.path.display().to_string(),
                |f| f.to_string_lossy().into_owned()
            )
        );
    }
    y.push_str("# The pages state no SLAs: add `due: { within: 2bd, after: assigned }` to a\n");
    y.push_str(
        "# task, and `cadences:`, where your team has them. Check with `ft playbook check`.\n",
    );
    let _ = writeln!(y, "id: {}", q(id));
    let _ = writeln!(y, "name: {}", q(&title));
    y.push_str("version: \"imported\"\n");
    y.push_str("roles:\n");
    for (alias, name) in &roles {
        let _ = writeln!(y, "  {}: {}", q(alias), q(name));
    }
    y.push_str("milestones: [opened, assigned, kickoff, end]\n");
    y.push_str("stages:\n");
    for (sid, stage, tasks) in &stages {
        let _ = writeln!(y, "  - id: {}", q(sid));
        let _ = writeln!(y, "    name: {}", q(&stage.name));
        if let Some(p) = &stage.phase {
            let _ = writeln!(y, "    phase: {}", q(p));
        }
        y.push_str("    tasks:\n");
        for t in tasks {
            let _ = writeln!(y, "      - id: {}", q(&t.id));
            let _ = writeln!(y, "        name: {}", q(&t.name));
            if let Some(s) = &t.step {
                let _ = writeln!(y, "        step: {}", q(s));
            }
            let _ = writeln!(y, "        mandatory: {}", t.mandatory);
            let _ = writeln!(y, "        role: {}", q(&t.role));
            let services: Vec<String> = t.services.iter().map(|s| q(s)).collect();
            let _ = writeln!(y, "        services: [{}]", services.join(", "));
        }
    }
    Imported {
        yaml: y,
        warnings,
        tasks: all.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_variations_of_real_pages() {
        let md = "---\ntitle: x\n---\n# Migrate\n\nPhase: **Migrate**\n\n### Step one\n\nPrimary Role: **FastTrack Manager**\nApplies To: **Exchange / SharePoint**\n\n#### FTOP Tasks\n\n| **Task ID** | **Task Description** | **(M) Mandatory (O) Optional** | **FastTrack Role** |\n| - | - | - | -|\n| 1 | First | *M* | FM |\n| 2 | Second | O | FE\n\n| Task ID | Task Name | (M)andatory / (O)ptional | FastTrack Role | Services |\n| --- | --- | --- | --- | --- |\n| 3 | Third | O FastTrack Engineer | Exchange |\n| 4 | Fourth | M | FM | Teams|| [5](https://x) | Fifth | O | FM | All Services |\n| 6 | Bad | X | FM | Teams |\n\n| Date | Who | What |\n| --- | --- | --- |\n| 1/1/2020 | me | created |\n";
        let page = parse_page(Path::new("p.md"), md).unwrap();
        assert_eq!(page.title.as_deref(), Some("Migrate"));
        let tasks = &page.stages[0].tasks;
        let ids: Vec<&str> = tasks.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["1", "2", "3", "4", "5"]);
        assert_eq!(page.rows, 5);
        assert!(tasks[0].mandatory && !tasks[1].mandatory);
        assert_eq!(
            tasks[0].services,
            ["Exchange", "SharePoint"],
            "from Applies To"
        );
        assert_eq!(tasks[2].role, "FastTrack Engineer");
        assert_eq!(tasks[3].services, ["Teams"]);
        assert_eq!(page.stages[0].phase.as_deref(), Some("Migrate"));
        assert_eq!(tasks[0].step.as_deref(), Some("Step one"));
        assert!(
            page.warnings
                .iter()
                .any(|w| w.starts_with("p.md:24: cannot read this row (task `6`)")),
            "{:?}",
            page.warnings
        );
    }

    #[test]
    fn pages_without_tables_are_refused() {
        assert!(
            parse_page(Path::new("a.md"), "just text\n")
                .unwrap_err()
                .contains("is this a playbook page")
        );
        assert!(
            parse_page(Path::new("a.md"), "# Title\n\ntext\n")
                .unwrap_err()
                .contains("no FTOP task table")
        );
        assert!(
            parse_page(Path::new("a.bin"), "\0\0")
                .unwrap_err()
                .contains("not a text file")
        );
    }

    #[test]
    fn a_table_with_no_readable_row_is_refused() {
        let md = "# T\n\n| Task ID | Task Name | (M)andatory / (O)ptional | FastTrack Role |\n| - | - | - | - |\n| 1 | x | ? | FM |\n";
        let e = parse_page(Path::new("p.md"), md).unwrap_err();
        assert!(
            e.starts_with("p.md: no FTOP task row could be read (first problem: p.md:5:"),
            "{e}"
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slug("Conduct Customer Kickoff "),
            "conduct-customer-kickoff"
        );
        assert_eq!(slug("Adoption & Change (ACM)"), "adoption-change-acm");
    }
}
