//! FastTrack playbook markdown -> playbook YAML (`ft playbook import`).
//!
//! Pages have front matter, `# Title`, `Phase: **...**`, one `###` heading per
//! step (with `Primary Role:` and `Applies To:`), and `FTOP Tasks` tables.
//! Tables are recognised by their header, not their position; the real pages
//! vary (bold headers, `Task Name` or `Task Description`, four columns without
//! Services, italic flags, a missing trailing pipe, two rows run together).
//!
//! Pages are untrusted, so the work is linear in the input: text that many
//! rows share (a step, a phase, an `Applies To` list) is shared, not copied
//! per row; names are looked up in hash maps; and the YAML stops growing once
//! it passes [`crate::yaml::MAX_BYTES`], the most any playbook may hold.
//! Every string from a page is written through [`quote`], one function.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::ALL_SERVICES;
use crate::yaml::MAX_BYTES;

/// One imported task, with where it came from.
#[derive(Debug, Clone)]
pub struct Task {
    pub id: String,
    pub name: String,
    pub mandatory: bool,
    pub role: String,
    /// Shared by the rows of one `Applies To` (not copied per row).
    pub services: Rc<[String]>,
    pub step: Option<Rc<str>>,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct Stage {
    pub name: String,
    pub phase: Option<Rc<str>>,
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
    let mut reader = Reader::new(path, &lines);
    let mut i = front_matter_end(&lines);
    while i < lines.len() {
        i = reader.line(i);
    }
    reader.finish()
}

/// The index of the first line after the front matter (0 when there is none).
fn front_matter_end(lines: &[&str]) -> usize {
    if lines.first().is_none_or(|l| l.trim() != "---") {
        return 0;
    }
    lines[1..]
        .iter()
        .position(|l| l.trim() == "---")
        .map_or(lines.len() + 1, |end| end + 2)
}

/// A page read line by line: what the lines so far have said applies to the
/// rows that follow (phase, step, `Applies To`, the current stage).
struct Reader<'a> {
    path: &'a Path,
    lines: &'a [&'a str],
    page: Page,
    phase: Option<Rc<str>>,
    step: Option<Rc<str>>,
    applies: Option<Rc<[String]>>,
    current: Option<Stage>,
    saw_table: bool,
}

impl<'a> Reader<'a> {
    fn new(path: &'a Path, lines: &'a [&'a str]) -> Self {
        Reader {
            path,
            lines,
            page: Page {
                path: path.to_path_buf(),
                title: None,
                stages: Vec::new(),
                rows: 0,
                warnings: Vec::new(),
            },
            phase: None,
            step: None,
            applies: None,
            current: None,
            saw_table: false,
        }
    }

    /// `path:line` of the 0-based line `n`.
    fn at(&self, n: usize) -> String {
        format!("{}:{}", self.path.display(), n + 1)
    }

    /// Read the line at `i`; returns the index of the next line to read.
    fn line(&mut self, i: usize) -> usize {
        let t = self.lines[i].trim();
        if let Some(title) = t.strip_prefix("# ") {
            if self.page.title.is_none() {
                self.page.title = Some(plain(title));
            }
        } else if let Some(p) = bold_value(t, "Phase") {
            self.phase = Some(p.into());
        } else if let Some(h) = t.strip_prefix("### ") {
            self.heading(i, h);
        } else if let Some(a) = bold_value(t, "Applies To") {
            self.applies = Some(split_services(&a).into());
        } else if let Some(cols) = header(t) {
            return self.table(i + 1, &cols);
        }
        i + 1
    }

    /// A `###` heading with no body is a stage (as in the general engagement
    /// playbook); one with a body is a step of the current stage.
    fn heading(&mut self, i: usize, h: &str) {
        let name = plain(h);
        let body = self.lines[i + 1..]
            .iter()
            .map(|l| l.trim())
            .find(|l| !l.is_empty());
        if body.is_none_or(|b| b.starts_with('#')) {
            if let Some(s) = self.current.take() {
                self.page.stages.push(s);
            }
            self.current = Some(Stage {
                name,
                phase: self.phase.clone(),
                tasks: Vec::new(),
            });
            self.step = None;
        } else {
            self.step = Some(name.into());
        }
        self.applies = None;
    }

    /// The rows of a table whose header was the line before `i`; returns the
    /// index of the first line after the table.
    fn table(&mut self, mut i: usize, cols: &Columns) -> usize {
        self.saw_table = true;
        if i < self.lines.len() && is_separator(self.lines[i]) {
            i += 1;
        }
        while i < self.lines.len() && self.lines[i].trim_start().starts_with('|') {
            let rows = split_rows(cells(self.lines[i]), cols.count);
            for _ in 1..rows.len() {
                let w = format!("{}: two table rows on one line; read both", self.at(i));
                self.page.warnings.push(w);
            }
            for row in rows {
                self.row(i, cols, row);
            }
            i += 1;
        }
        i
    }

    /// One table row at line `i`: a task, a warning, or nothing (an empty row).
    fn row(&mut self, i: usize, cols: &Columns, mut row: Vec<String>) {
        if let Some((cell, f, role)) = split_flag_and_role(&mut row, cols) {
            let w = format!(
                "{}: read `{cell}` as flag `{f}` and role `{role}`",
                self.at(i)
            );
            self.page.warnings.push(w);
        }
        let get = |k: usize| row.get(k).map(|c| plain(c)).unwrap_or_default();
        let id = link_text(&get(cols.id));
        if id.is_empty() && row.iter().all(|c| plain(c).is_empty()) {
            return;
        }
        let Some(mandatory) = row.get(cols.flag).and_then(|c| flag(c)) else {
            let w = format!(
                "{}: cannot read this row (task `{id}`): no M or O flag; skipped",
                self.at(i)
            );
            self.page.warnings.push(w);
            return;
        };
        let (name, role) = (get(cols.name), get(cols.role));
        if id.is_empty() || name.is_empty() || role.is_empty() {
            let w = format!(
                "{}: cannot read this row: a cell is empty; skipped",
                self.at(i)
            );
            self.page.warnings.push(w);
            return;
        }
        self.page.rows += 1;
        let services: Rc<[String]> = match cols.services.map(&get).filter(|s| !s.is_empty()) {
            Some(s) => split_services(&s).into(),
            None => self
                .applies
                .clone()
                .unwrap_or_else(|| Rc::from([ALL_SERVICES.to_string()])),
        };
        let task = Task {
            id,
            name,
            mandatory,
            role,
            services,
            step: self.step.clone(),
            line: i + 1,
        };
        self.stage().tasks.push(task);
    }

    /// The stage rows go to: the current one, else one named after the page.
    fn stage(&mut self) -> &mut Stage {
        self.current.get_or_insert_with(|| Stage {
            name: self.page.title.clone().unwrap_or_else(|| stem(self.path)),
            phase: self.phase.clone(),
            tasks: Vec::new(),
        })
    }

    fn finish(mut self) -> Result<Page, String> {
        if let Some(s) = self.current.take() {
            self.page.stages.push(s);
        }
        let path = self.path.display();
        if self.page.title.is_none() && !self.saw_table {
            return Err(format!(
                "{path}: no `# Title` and no FTOP task table; is this a playbook page?"
            ));
        }
        if !self.saw_table {
            return Err(format!(
                "{path}: no FTOP task table (a table with `Task ID`, `Task Name`, `(M)andatory / (O)ptional` and `FastTrack Role` columns)"
            ));
        }
        // Stages without tasks add nothing to a playbook.
        self.page.stages.retain(|s| !s.tasks.is_empty());
        if self.page.rows == 0 {
            let why = self
                .page
                .warnings
                .first()
                .map(|w| format!(" (first problem: {w})"))
                .unwrap_or_default();
            return Err(format!("{path}: no FTOP task row could be read{why}"));
        }
        Ok(self.page)
    }
}

/// A line's cells as rows: two rows run together are written
/// `...| last cell|| next id |...`, an empty cell where a row would end.
/// Linear in the cells: each is moved once.
fn split_rows(mut cells: Vec<String>, count: usize) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut start = 0;
    while cells.len() - start > count && cells[start + count].is_empty() {
        rows.push(cells[start..start + count].to_vec());
        start += count + 1;
    }
    cells.drain(..start);
    rows.push(cells);
    rows
}

/// `| O FastTrack Engineer |`: flag and role in one cell, when the row is one
/// cell short. Splits the cell in place; returns (cell, flag, role).
fn split_flag_and_role(row: &mut Vec<String>, cols: &Columns) -> Option<(String, String, String)> {
    if row.len() + 1 != cols.count || cols.role != cols.flag + 1 {
        return None;
    }
    let cell = row.get(cols.flag).cloned()?;
    let text = plain(&cell);
    let (f, role) = text.split_once(' ')?;
    flag(f)?;
    let role = role.trim().to_string();
    row[cols.flag] = f.to_string();
    row.insert(cols.role, role.clone());
    Some((cell, f.to_string(), role))
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

/// Hands out `base`, else the first of `base{sep}2`, `base{sep}3`, ... not yet
/// taken. Each base's search resumes where it last stopped: names are only
/// ever added, so the ones skipped are still taken, and n names cost O(n)
/// lookups rather than O(n²).
#[derive(Default)]
struct Suffixes(HashMap<String, usize>);

impl Suffixes {
    fn first_free(&mut self, base: String, sep: &str, taken: impl Fn(&str) -> bool) -> String {
        if !taken(&base) {
            return base;
        }
        let n = self.0.entry(base.clone()).or_insert(2);
        loop {
            let candidate = format!("{base}{sep}{n}");
            if !taken(&candidate) {
                return candidate;
            }
            *n += 1;
        }
    }
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

/// The alias a role text would like (a known alias, else its initials) and
/// the name to declare it under.
fn wanted_alias(text: &str) -> (String, String) {
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
    if alias.is_empty() {
        ("ROLE".to_string(), name)
    } else {
        (alias, name)
    }
}

/// Declare every role text used by the tasks, with an alias: alias -> name.
/// A name keeps the alias it got first; a new name takes its wanted alias,
/// else that alias numbered (`RP`, `RP2`, ...).
fn roles(tasks: &[&Task]) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let mut alias_of: HashMap<String, String> = HashMap::new();
    let mut suffixes = Suffixes::default();
    for t in tasks {
        let text = t.role.as_str();
        if out.contains_key(text) || alias_of.contains_key(text) {
            continue;
        }
        let (base, name) = wanted_alias(text);
        let alias = match alias_of.get(&name) {
            Some(alias) => alias.clone(),
            None => suffixes.first_free(base, "", |a| out.contains_key(a)),
        };
        alias_of.insert(name.clone(), alias.clone());
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

impl Imported {
    /// Is the YAML past the size limit of a playbook? It is then cut short
    /// (no playbook that large would load) and must be refused.
    pub fn too_large(&self) -> bool {
        self.yaml.len() > MAX_BYTES
    }
}

use crate::escape::yaml as quote;

/// Text for a `#` comment line: as it is, or quoted when it holds a
/// character that could end the comment or is not allowed in one.
fn comment(s: &str) -> String {
    if s.chars().any(crate::escape::yaml_needs_escape) {
        quote(s)
    } else {
        s.to_string()
    }
}

/// A stage to write: its id, and its tasks without the duplicates.
struct Selected<'a> {
    id: String,
    stage: &'a Stage,
    tasks: Vec<&'a Task>,
}

/// Build a playbook from pages. Duplicate task ids keep the first.
///
/// The text stops growing once it passes [`MAX_BYTES`]; see [`Imported::too_large`].
pub fn to_yaml(pages: &[Page], id: &str, name: Option<&str>) -> Imported {
    let mut warnings: Vec<String> = pages.iter().flat_map(|p| p.warnings.clone()).collect();
    let stages = select(pages, &mut warnings);
    let all: Vec<&Task> = stages
        .iter()
        .flat_map(|s| s.tasks.iter().copied())
        .collect();
    let mut y = header_yaml(pages, id, &title(pages, name), &roles(&all));
    for s in &stages {
        if y.len() > MAX_BYTES {
            break;
        }
        write_stage(&mut y, s);
    }
    Imported {
        yaml: y,
        warnings,
        tasks: all.len(),
    }
}

/// The stages with tasks, each with a unique id, and their tasks without
/// ids seen before (each duplicate is a warning naming both places).
fn select<'a>(pages: &'a [Page], warnings: &mut Vec<String>) -> Vec<Selected<'a>> {
    let mut seen: HashMap<&str, String> = HashMap::new();
    let mut ids: HashSet<String> = HashSet::new();
    let mut suffixes = Suffixes::default();
    let mut out = Vec::new();
    for page in pages {
        for stage in &page.stages {
            let mut tasks = Vec::new();
            for t in &stage.tasks {
                let here = format!("{}:{}", page.path.display(), t.line);
                if let Some(first) = seen.get(t.id.as_str()) {
                    warnings.push(format!(
                        "{here}: task {} also at {first}; kept the first",
                        t.id
                    ));
                    continue;
                }
                seen.insert(&t.id, here);
                tasks.push(t);
            }
            if tasks.is_empty() {
                continue;
            }
            let id = suffixes.first_free(slug(&stage.name), "-", |s| ids.contains(s));
            ids.insert(id.clone());
            out.push(Selected { id, stage, tasks });
        }
    }
    out
}

/// `--name`, else the title of a single page, else a count of the pages.
fn title(pages: &[Page], name: Option<&str>) -> String {
    name.map(ToString::to_string)
        .or_else(|| match pages {
            [page] => page.title.clone(),
            _ => None,
        })
        .unwrap_or_else(|| format!("Imported playbook ({} pages)", pages.len()))
}

/// Everything before `stages:`'s entries: where it came from, the playbook's
/// id and name, its roles and milestones.
fn header_yaml(pages: &[Page], id: &str, title: &str, roles: &BTreeMap<String, String>) -> String {
    let mut y = String::new();
    y.push_str("# Imported by `ft playbook import` from:\n");
    for p in pages {
        let file = p.path.file_name().map_or_else(
            || p.path.display().to_string(),
            |f| f.to_string_lossy().into_owned(),
        );
        let _ = writeln!(y, "#   {}", comment(&file));
    }
    y.push_str("# The pages state no SLAs: add `due: { within: 2bd, after: assigned }` to a\n");
    y.push_str(
        "# task, and `cadences:`, where your team has them. Check with `ft playbook check`.\n",
    );
    let _ = writeln!(y, "id: {}", quote(id));
    let _ = writeln!(y, "name: {}", quote(title));
    y.push_str("version: \"imported\"\n");
    y.push_str("roles:\n");
    for (alias, name) in roles {
        let _ = writeln!(y, "  {}: {}", quote(alias), quote(name));
    }
    y.push_str("milestones: [opened, assigned, kickoff, end]\n");
    y.push_str("stages:\n");
    y
}

fn write_stage(y: &mut String, s: &Selected) {
    let _ = writeln!(y, "  - id: {}", quote(&s.id));
    let _ = writeln!(y, "    name: {}", quote(&s.stage.name));
    if let Some(p) = &s.stage.phase {
        let _ = writeln!(y, "    phase: {}", quote(p));
    }
    y.push_str("    tasks:\n");
    for t in &s.tasks {
        if y.len() > MAX_BYTES {
            return;
        }
        let _ = writeln!(y, "      - id: {}", quote(&t.id));
        let _ = writeln!(y, "        name: {}", quote(&t.name));
        if let Some(s) = &t.step {
            let _ = writeln!(y, "        step: {}", quote(s));
        }
        let _ = writeln!(y, "        mandatory: {}", t.mandatory);
        let _ = writeln!(y, "        role: {}", quote(&t.role));
        let services: Vec<String> = t.services.iter().map(|s| quote(s)).collect();
        let _ = writeln!(y, "        services: [{}]", services.join(", "));
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
            *tasks[0].services,
            ["Exchange", "SharePoint"],
            "from Applies To"
        );
        assert_eq!(tasks[2].role, "FastTrack Engineer");
        assert_eq!(*tasks[3].services, ["Teams"]);
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

    const HEADER: &str = "| Task ID | Task Name | (M)andatory / (O)ptional | FastTrack Role |";

    fn ids(page: &Page) -> Vec<&str> {
        page.stages
            .iter()
            .flat_map(|s| &s.tasks)
            .map(|t| t.id.as_str())
            .collect()
    }

    #[test]
    fn front_matter_is_skipped_up_to_its_closing_line() {
        let md = format!(
            "---\ntitle: x\n# Wrong\nx: y\n---\n# Right\n\n{HEADER}\n| - | - | - | - |\n| 1 | One | M | FM |\n"
        );
        let page = parse_page(Path::new("p.md"), &md).unwrap();
        assert_eq!(page.title.as_deref(), Some("Right"));
        assert_eq!(page.stages[0].tasks[0].line, 10, "lines count from 1");
    }

    #[test]
    fn front_matter_that_never_closes_is_all_front_matter() {
        let e = parse_page(Path::new("p.md"), "---\ntitle: x\n# Title").unwrap_err();
        assert!(e.contains("is this a playbook page"), "{e}");
    }

    #[test]
    fn a_table_without_a_separator_line_keeps_its_first_row() {
        let md = format!("# T\n\n{HEADER}\n| 1 | One | M | FM |\n| 2 | Two | O | FM |\n");
        let page = parse_page(Path::new("p.md"), &md).unwrap();
        assert_eq!(ids(&page), ["1", "2"]);
    }

    #[test]
    fn a_header_naming_only_the_mandatory_flag_is_read() {
        let md = "# T\n\n| Task ID | Task Name | Mandatory | Role |\n| - | - | - | - |\n| 1 | One | M | FM |\n";
        let page = parse_page(Path::new("p.md"), md).unwrap();
        assert_eq!(ids(&page), ["1"]);
    }

    #[test]
    fn a_header_on_the_last_line_is_not_a_crash() {
        let md = format!("# T\n\n{HEADER}\n| - | - | - | - |\n| 1 | One | M | FM |\n\n{HEADER}");
        let page = parse_page(Path::new("p.md"), &md).unwrap();
        assert_eq!(ids(&page), ["1"]);
    }

    #[test]
    fn a_row_with_any_empty_cell_is_named_and_skipped() {
        let md = format!(
            "# T\n\n{HEADER}\n| - | - | - | - |\n| 1 | One | M | FM |\n|  | No id | M | FM |\n| 7 |  | M | FM |\n| 8 | No role | M |  |\n|  |  |  |  |\n"
        );
        let page = parse_page(Path::new("p.md"), &md).unwrap();
        assert_eq!(ids(&page), ["1"]);
        let empty: Vec<&String> = page
            .warnings
            .iter()
            .filter(|w| w.contains("a cell is empty"))
            .collect();
        assert_eq!(
            empty.len(),
            3,
            "the fully empty row is not a problem: {:?}",
            page.warnings
        );
        assert!(empty[0].starts_with("p.md:6:"), "{empty:?}");
    }

    #[test]
    fn flag_and_role_are_split_only_where_the_role_follows_the_flag() {
        // Role first, flag third: a short row is not read as flag and role.
        let md = "# T\n\n| FastTrack Role | Task ID | (M)andatory / (O)ptional | Task Name |\n| - | - | - | - |\n| FM | 2 | M | Two |\n| FE | 1 | O FastTrack Engineer |\n";
        let page = parse_page(Path::new("p.md"), md).unwrap();
        assert!(
            !page.warnings.iter().any(|w| w.contains("as flag")),
            "{:?}",
            page.warnings
        );
        assert!(
            page.warnings[0].contains("no M or O flag"),
            "{:?}",
            page.warnings
        );
    }

    #[test]
    fn a_page_without_a_title_names_its_stage_after_the_file() {
        let md = format!("{HEADER}\n| - | - | - | - |\n| 1 | One | M | FM |\n");
        let page = parse_page(Path::new("dir/land-the-benefit.md"), &md).unwrap();
        assert_eq!(page.stages[0].name, "land-the-benefit");
    }

    #[test]
    fn the_output_names_the_pages_it_came_from() {
        let md = format!("# T\n\n{HEADER}\n| - | - | - | - |\n| 1 | One | M | FM |\n");
        let page = parse_page(Path::new("dir/kickoff.md"), &md).unwrap();
        let out = to_yaml(&[page], "p", None);
        assert!(
            out.yaml
                .contains("# Imported by `ft playbook import` from:\n#   kickoff.md\n"),
            "{}",
            out.yaml
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

    #[test]
    fn run_together_rows_split_in_one_pass() {
        let cells = |s: &str| -> Vec<String> { s.split(',').map(String::from).collect() };
        assert_eq!(
            split_rows(cells("1,a,M,FE,,2,b,O,FM"), 4),
            [cells("1,a,M,FE"), cells("2,b,O,FM")]
        );
        assert_eq!(split_rows(cells("1,a,M,FE,x"), 4), [cells("1,a,M,FE,x")]);
        let empty = vec![String::new(); 100_000];
        let rows = split_rows(empty, 4);
        assert_eq!(
            rows.len(),
            20_001,
            "the 20,000 rows and what is left: nothing"
        );
        assert!(rows.iter().all(|r| r.len() == 4 || r.is_empty()));
    }

    #[test]
    fn numbered_aliases_and_stage_ids_are_the_first_free() {
        let task = |role: &str| Task {
            id: "1".into(),
            name: "n".into(),
            mandatory: true,
            role: role.into(),
            services: Rc::from([]),
            step: None,
            line: 1,
        };
        let tasks: Vec<Task> = [
            "Role Person",
            "Real Person",
            "RP2",
            "Rare Pick",
            "Real Person",
            "fm",
            "FastTrack Manager",
            "Fast Mover",
            "",
        ]
        .into_iter()
        .map(task)
        .collect();
        let refs: Vec<&Task> = tasks.iter().collect();
        let got: Vec<(String, String)> = roles(&refs).into_iter().collect();
        let want = [
            ("FM", "FastTrack Manager"),
            ("FM2", "Fast Mover"),
            ("ROLE", ""),
            ("RP", "Role Person"),
            ("RP2", "Real Person"),
            ("RP3", "Rare Pick"),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, n)| ((*a).to_string(), (*n).to_string()))
            .collect();
        assert_eq!(got, want);

        let mut s = Suffixes::default();
        let mut taken: HashSet<String> = ["a-2".to_string()].into();
        for want in ["a", "a-3", "a-4", "b"] {
            let base = want.split('-').next().unwrap().to_string();
            let id = s.first_free(base, "-", |x| taken.contains(x));
            assert_eq!(id, want);
            taken.insert(id);
        }
    }

    #[test]
    fn output_stops_past_the_size_limit() {
        let big: Rc<[String]> = (0..20_000).map(|i| format!("Service {i}")).collect();
        let tasks = (0..50)
            .map(|i| Task {
                id: i.to_string(),
                name: "n".into(),
                mandatory: true,
                role: "FE".into(),
                services: big.clone(),
                step: None,
                line: i + 1,
            })
            .collect();
        let page = Page {
            path: "p.md".into(),
            title: Some("T".into()),
            stages: vec![Stage {
                name: "S".into(),
                phase: None,
                tasks,
            }],
            rows: 50,
            warnings: Vec::new(),
        };
        let out = to_yaml(&[page], "big", None);
        assert!(out.too_large());
        assert!(out.yaml.len() < 2 * MAX_BYTES, "{}", out.yaml.len());
        assert_eq!(out.tasks, 50);
    }

    mod round_trip {
        use super::*;
        use crate::playbook::{Source, load};
        use proptest::prelude::*;

        /// Characters that YAML, quoting or the loader might treat specially.
        const TRICKY: &[char] = &[
            '"',
            '\\',
            '\'',
            '\n',
            '\r',
            '\t',
            '\0',
            '\u{7}',
            '\u{1b}',
            '\u{7f}',
            '\u{85}',
            '\u{a0}',
            '\u{2028}',
            '\u{2029}',
            '\u{feff}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{10ffff}',
            ':',
            '#',
            '-',
            '?',
            '&',
            '*',
            '!',
            '|',
            '>',
            '%',
            '@',
            '`',
            '{',
            '}',
            '[',
            ']',
            ',',
            ' ',
            '/',
            '~',
            'é',
            '😀',
        ];

        fn text() -> impl Strategy<Value = String> {
            let c = prop_oneof![any::<char>(), proptest::sample::select(TRICKY)];
            prop::collection::vec(c, 1..16).prop_map(|cs| cs.into_iter().collect())
        }

        fn load(yaml: &str) -> crate::playbook::Playbook {
            let path = Path::new("out.yaml");
            load::parse(path, yaml, Source::File(path.into()))
                .unwrap_or_else(|d| panic!("does not load: {d:?}\n{yaml}"))
        }

        proptest! {
            /// Whatever a page says, the YAML written for it reads back as the same strings.
            #[test]
            fn names_read_back_as_written(
                title in text(), stage in text(), phase in text(), step in text(),
                id in text(), name in text(), role in text(),
                services in prop::collection::vec(text(), 1..4), file in text(),
            ) {
                let task = Task {
                    id: id.clone(),
                    name: name.clone(),
                    mandatory: false,
                    role: role.clone(),
                    services: services.clone().into(),
                    step: Some(step.as_str().into()),
                    line: 1,
                };
                let page = Page {
                    path: file.into(),
                    title: Some(title.clone()),
                    stages: vec![Stage { name: stage.clone(), phase: Some(phase.as_str().into()), tasks: vec![task] }],
                    rows: 1,
                    warnings: Vec::new(),
                };
                let p = load(&to_yaml(&[page], "prop", None).yaml);
                prop_assert_eq!(&p.id, "prop", "a file name cannot end its comment line");
                prop_assert_eq!(&p.name, &title);
                prop_assert_eq!(&p.stages[0].name, &stage);
                prop_assert_eq!(p.stages[0].phase.as_ref(), Some(&phase));
                let t = &p.stages[0].tasks[0];
                prop_assert_eq!(&t.id, &id);
                prop_assert_eq!(&t.name, &name);
                prop_assert_eq!(t.step.as_ref(), Some(&step));
                prop_assert_eq!(&t.services, &services);
                prop_assert_eq!(p.role_name(&t.role), wanted_alias(&role).1);
            }

            /// The same through a markdown page, for cells a table can hold.
            #[test]
            fn table_cells_read_back_as_written(
                name in text(), role in text(), service in text(),
            ) {
                let cell = |s: &str| -> Option<String> {
                    let s = s.replace(['|', '\n', '\r', '/', '\0'], "x");
                    // As the cell will read: `plain` until it changes nothing.
                    let mut s = plain(&s);
                    while plain(&s) != s {
                        s = plain(&s);
                    }
                    (!s.is_empty()).then_some(s)
                };
                let (Some(name), Some(role), Some(service)) = (cell(&name), cell(&role), cell(&service)) else {
                    return Ok(());
                };
                let md = format!(
                    "# T\n\n| Task ID | Task Name | (M)andatory / (O)ptional | FastTrack Role | Services |\n| - | - | - | - | - |\n| 7 | {name} | M | {role} | {service} |\n"
                );
                let page = parse_page(Path::new("p.md"), &md).unwrap();
                let p = load(&to_yaml(&[page], "prop", None).yaml);
                let t = &p.stages[0].tasks[0];
                prop_assert_eq!(&t.name, &name);
                prop_assert_eq!(&t.services, &vec![service]);
                prop_assert_eq!(p.role_name(&t.role), wanted_alias(&role).1);
            }
        }
    }
}
