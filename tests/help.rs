//! Help, completion and the manual page (issue: help text, completion of
//! real values, a man page), through the real binary with a cleared
//! environment and a fixed width of 100 columns.

mod support;
mod team_support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use clap::CommandFactory;
use support::{Run, TODAY, Ws, command, ft_bin};
use team_support::{Team, git_env};

fn run(mut cmd: Command) -> Run {
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `ft ARGS` at 100 columns, outside any workspace.
fn help(args: &[&str]) -> String {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = command(home.path());
    cmd.current_dir(home.path())
        .env("COLUMNS", "100")
        .args(args);
    let r = run(cmd).ok();
    assert_eq!(r.stderr, "", "ft {args:?} printed on stderr");
    r.stdout
}

/// Every command path: `["new"]`, ..., `["playbook", "list"]`, ...
fn command_paths() -> Vec<Vec<String>> {
    let cli = ft::cli::Cli::command();
    let mut out = Vec::new();
    for sub in cli.get_subcommands() {
        out.push(vec![sub.get_name().to_string()]);
        for subsub in sub.get_subcommands() {
            out.push(vec![
                sub.get_name().to_string(),
                subsub.get_name().to_string(),
            ]);
        }
    }
    out
}

#[test]
fn new_help() {
    insta::assert_snapshot!(help(&["new", "--help"]));
}

#[test]
fn top_help() {
    insta::assert_snapshot!(help(&["--help"]));
}

#[test]
fn own_options_come_before_the_global_ones() {
    for path in command_paths() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("-h");
        let text = help(&args);
        let own = text.find("\nOptions:\n").expect("an Options heading");
        let global = text
            .find("\nGlobal options:\n")
            .unwrap_or_else(|| panic!("`ft {args:?}` has no Global options heading:\n{text}"));
        assert!(
            own < global,
            "`ft {args:?}`: own options after the global ones"
        );
        let globals = &text[global..];
        assert!(globals.contains("--workspace") && globals.contains("--today"));
        assert!(!text[..global].contains("--workspace <DIR>"));
    }
}

/// The command names listed under each heading of `ft --help`.
fn groups(text: &str) -> Vec<(String, Vec<String>)> {
    let list = &text[text.find("Usage:").unwrap()..text.find("Global options:").unwrap()];
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in list.lines().skip(1) {
        if let Some(heading) = line.strip_suffix(':') {
            out.push((heading.to_string(), Vec::new()));
        } else if let (Some(name), Some(group)) = (line.strip_prefix("  "), out.last_mut()) {
            group
                .1
                .push(name.split_whitespace().next().unwrap().to_string());
        }
    }
    out
}

#[test]
fn top_help_lists_every_command_in_exactly_one_group() {
    let groups = groups(&help(&["--help"]));
    let headings: Vec<&str> = groups.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(
        headings,
        [
            "Daily work",
            "Engagement records",
            "Team and reviews",
            "Playbooks",
            "Setup"
        ]
    );
    let mut listed: Vec<String> = groups.into_iter().flat_map(|(_, c)| c).collect();
    listed.sort();
    let mut commands: Vec<String> = ft::cli::Cli::command()
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    commands.sort();
    assert_eq!(
        listed, commands,
        "each subcommand once, in one group of `ft --help` (src/cli/groups.rs)"
    );
}

/// The example commands of a help text: `Example: ft ...` lines, and the
/// lines of an `Examples:` block.
fn examples(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_block = false;
    for line in text.lines() {
        if let Some(ex) = line.strip_prefix("Example: ") {
            out.push(ex.to_string());
        }
        if line == "Examples:" {
            in_block = true;
        } else if in_block && line.starts_with("  ft ") {
            out.push(line.trim().to_string());
        } else {
            in_block = false;
        }
    }
    out
}

#[test]
fn every_command_help_has_an_example() {
    assert_eq!(examples(&help(&["--help"])), ["ft --as alice next"]);
    for path in command_paths() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("-h");
        let found = examples(&help(&args));
        assert!(
            !found.is_empty(),
            "`ft {}` has no Example line",
            path.join(" ")
        );
        let prefix = format!("ft {}", path.join(" "));
        assert!(
            found
                .iter()
                .all(|e| e.starts_with("ft ") && e.contains(&path[path.len() - 1])),
            "`{prefix}`: examples {found:?} do not run the command"
        );
    }
}

/// Split an example as a shell would (double quotes only), up to a
/// redirection or a pipe, which belong to the shell.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word: Option<String> = None;
    let mut quoted = false;
    for c in line.chars() {
        if c == '"' {
            quoted = !quoted;
            word.get_or_insert_with(String::new);
        } else if c == ' ' && !quoted {
            out.extend(word.take());
        } else {
            word.get_or_insert_with(String::new).push(c);
        }
    }
    out.extend(word);
    let end = out
        .iter()
        .position(|w| w == ">" || w == "|" || w == ">>")
        .unwrap_or(out.len());
    out.truncate(end);
    out
}

#[test]
fn examples_split_like_a_shell() {
    assert_eq!(
        words(r#"ft note c "two words" x > out"#),
        ["ft", "note", "c", "two words", "x"]
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A git clone with an upstream holding `examples/team`, and the files the
/// examples name: three versions of an engagement for `ft merge-file`, a
/// playbook page for `ft playbook import` and a playbook for `ft playbook
/// check`.
fn example_team() -> Team {
    let team = Team::new();
    let ws = &team.a;
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/team"),
        ws,
    );
    let base = std::fs::read_to_string(ws.join("engagements/contoso-teams.toml")).unwrap();
    std::fs::write(ws.join("base.toml"), &base).unwrap();
    let note = "\n[[notes]]\non = 2026-11-20\nby = \"alice\"\ntext = \"Pilot group chosen\"\n";
    std::fs::write(ws.join("ours.toml"), format!("{base}{note}")).unwrap();
    std::fs::write(ws.join("theirs.toml"), &base).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/playbooks-md/initiate-conduct-customer-kick-off-partner.md"),
        ws.join("kickoff.md"),
    )
    .unwrap();
    let mut import = command(team.home());
    import
        .current_dir(ws)
        .args(["playbook", "import", "kickoff.md", "-o", "onboarding.yaml"]);
    run(import).ok();
    team.git(ws, &["add", "-A"]);
    team.git(ws, &["commit", "--quiet", "-m", "examples/team"]);
    team.git(ws, &["push", "--quiet"]);
    team
}

#[test]
fn every_example_runs_on_the_example_team() {
    let team = example_team();
    let mut lines = examples(&help(&["--help"]));
    for path in command_paths() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("-h");
        lines.extend(examples(&help(&args)));
    }
    // In the order of the commands: `ft hold` comes before `ft resume`.
    for line in &lines {
        let words = words(line);
        let mut cmd = command(team.home());
        git_env(&mut cmd, team.home(), "Alice");
        cmd.current_dir(&team.a)
            .args(["--today", TODAY])
            .args(&words[1..]);
        let r = run(cmd);
        assert_eq!(
            r.code, 0,
            "example `{line}` failed\nstdout:\n{}\nstderr:\n{}",
            r.stdout, r.stderr
        );
    }
}

/// `ft` asked for completions as the bash script asks: the words typed and
/// the index of the one being completed.
fn complete(ws: &Ws, words: &[&str]) -> Vec<String> {
    let mut cmd = command(ws.home());
    cmd.current_dir(&ws.root)
        .env("FT_COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .arg("--")
        .args(words);
    let r = run(cmd).ok();
    assert_eq!(r.stderr, "", "completion printed on stderr");
    r.stdout
        .lines()
        .filter(|l| !l.starts_with('-'))
        .map(str::to_string)
        .collect()
}

const IDS: [&str; 8] = [
    "adatum-webapps",
    "contoso-teams",
    "fabrikam-core",
    "litware-icm-4711",
    "northwind-aks",
    "relecloud-dfm",
    "tailspin-data",
    "woodgrove-ai",
];

#[test]
fn completion_offers_engagement_ids() {
    let ws = Ws::demo();
    assert_eq!(complete(&ws, &["ft", "show", ""]), IDS);
    assert_eq!(
        complete(&ws, &["ft", "done", "co"]),
        ["contoso-teams"],
        "what is typed is a prefix"
    );
    assert_eq!(
        complete(&ws, &["ft", "next", "--engagement", "n"]),
        ["northwind-aks"]
    );
    assert_eq!(
        complete(&ws, &["ft", "report", "fabrikam-core", "t"]),
        ["tailspin-data"]
    );
}

#[test]
fn completion_offers_the_tasks_of_the_named_engagement() {
    let ws = Ws::demo();
    let m365 = complete(&ws, &["ft", "done", "contoso-teams", ""]);
    for id in ["3616", "994", "4047", "checkpoint"] {
        assert!(m365.contains(&id.to_string()), "{id} missing from {m365:?}");
    }
    assert!(!m365.contains(&"pm-intro".to_string()), "{m365:?}");
    let azure = complete(
        &ws,
        &["ft", "done", "northwind-aks", "customer-contact", ""],
    );
    assert!(azure.contains(&"pm-intro".to_string()), "{azure:?}");
    assert!(!azure.contains(&"3616".to_string()), "{azure:?}");
    assert_eq!(
        complete(&ws, &["ft", "explain", "litware-icm-4711", "m"]),
        ["mitigate"]
    );
    assert!(complete(&ws, &["ft", "skip", "no-such", ""]).is_empty());
    assert_eq!(
        complete(&ws, &["ft", "milestone", "contoso-teams", "k"]),
        ["kickoff"]
    );
}

#[test]
fn completion_offers_roles_playbooks_and_people() {
    let ws = Ws::demo();
    assert_eq!(
        complete(&ws, &["ft", "assign", "northwind-aks", "--role", ""]),
        ["FE", "PM"],
        "the roles of the engagement's playbook"
    );
    let all = complete(&ws, &["ft", "next", "--role", ""]);
    for role in ["FM", "FE", "FTA", "PM", "PE"] {
        assert!(
            all.contains(&role.to_string()),
            "{role} missing from {all:?}"
        );
    }
    assert_eq!(
        complete(&ws, &["ft", "new", "x", "--playbook", ""]),
        [
            "m365-general-engagement",
            "azure-fasttrack-engineer",
            "mcs-escalation"
        ]
    );
    assert_eq!(
        complete(&ws, &["ft", "playbook", "show", "mcs"]),
        ["mcs-escalation"]
    );
    assert_eq!(
        complete(&ws, &["ft", "--as", ""]),
        ["alice", "bob", "carlos", "dana", "erin"]
    );
    assert_eq!(
        complete(&ws, &["ft", "health", "contoso-teams", "y"]),
        ["yellow"]
    );
}

#[test]
fn completion_follows_the_workspace_on_the_line_and_writes_nothing() {
    let ws = Ws::demo();
    let before = listing(&ws.root);
    let elsewhere = tempfile::tempdir().unwrap();
    let mut cmd = command(ws.home());
    cmd.current_dir(elsewhere.path())
        .env("FT_COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", "4")
        .args(["--", "ft", "-w"])
        .arg(&ws.root)
        .args(["show", "con"]);
    let r = run(cmd).ok();
    assert_eq!(
        (r.stdout.as_str(), r.stderr.as_str()),
        ("contoso-teams", "")
    );
    assert!(complete(&ws, &["ft", "--as", ""]).contains(&"alice".to_string()));
    assert_eq!(listing(&ws.root), before, "completion wrote a file");
    // Outside any workspace: nothing to offer, and nothing said about it.
    let mut cmd = command(elsewhere.path());
    cmd.current_dir(elsewhere.path())
        .env("FT_COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", "2")
        .args(["--", "ft", "show", ""]);
    let r = run(cmd).ok();
    assert_eq!(r.stderr, "");
    assert!(r.stdout.lines().all(|l| l.starts_with('-')), "{}", r.stdout);
}

fn listing(root: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path.clone());
            }
            out.insert(path);
        }
    }
    out
}

/// The README's bash line, in a fresh home, then the installed script
/// asked for `ft show <TAB>` as bash would.
#[test]
fn the_readme_bash_line_installs_working_completion_in_a_fresh_home() {
    let ws = Ws::demo();
    let home = tempfile::tempdir().unwrap();
    let bin_dir = Path::new(ft_bin()).parent().unwrap();
    let path = format!("{}:/usr/bin:/bin", bin_dir.display());
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.contains("ft completions bash >"))
        .expect("a bash line in the README")
        .split("  #")
        .next()
        .unwrap()
        .trim();
    let install = Command::new("bash")
        .args(["-c", line])
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", &path)
        .output()
        .unwrap();
    assert!(
        install.status.success(),
        "`{line}`: {}",
        String::from_utf8_lossy(&install.stderr)
    );
    let script = home
        .path()
        .join(".local/share/bash-completion/completions/ft");
    let text = std::fs::read_to_string(&script).unwrap();
    assert!(text.contains("complete -o nospace"), "{text}");
    let ask = format!(
        "source '{}'; COMP_WORDS=(ft show con); COMP_CWORD=2; COMP_TYPE=9; \
         _clap_complete_ft ft con show; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let out = Command::new("bash")
        .args(["-c", &ask])
        .current_dir(&ws.root)
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", &path)
        .env("FT_CONFIG", home.path().join("none.toml"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "contoso-teams\n",
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn man_page_has_the_sections() {
    let page = help(&["man"]);
    for section in [
        ".TH FT 1",
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH \"GLOBAL OPTIONS\"",
        ".SH COMMANDS",
        ".SH ENVIRONMENT",
        ".SH FILES",
        ".SH \"EXIT STATUS\"",
        ".SH EXAMPLES",
        ".SH \"SEE ALSO\"",
    ] {
        assert!(page.contains(section), "`ft man` lacks {section}");
    }
    for var in [
        "FT_WORKSPACE",
        "FT_USER",
        "FT_TODAY",
        "FT_CONFIG",
        "NO_COLOR",
        "FT_LOCK_TIMEOUT",
        "FT_GIT_TIMEOUT",
        "TZ",
    ] {
        assert!(
            page.contains(&format!("\\fB{var}\\fR")),
            "ENVIRONMENT lacks {var}"
        );
    }
    for file in [
        "ft.toml",
        "engagements/*.toml",
        "playbooks/*.yaml",
        "config.toml",
    ] {
        assert!(page.contains(file), "FILES lacks {file}");
    }
    assert!(page.contains("ft done northwind\\-aks customer\\-contact"));
}

#[test]
fn man_dir_writes_a_page_per_command() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = command(home.path());
    cmd.current_dir(home.path())
        .args(["man", "--dir", "man/man1"]);
    run(cmd).ok();
    let dir = home.path().join("man/man1");
    let written: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut expected: BTreeSet<String> = command_paths()
        .iter()
        .map(|p| format!("ft-{}.1", p.join("-")))
        .collect();
    expected.insert("ft.1".to_string());
    assert_eq!(written, expected);
    let next = std::fs::read_to_string(dir.join("ft-next.1")).unwrap();
    assert!(next.contains(".TH FT-NEXT 1"), "{next}");
    assert!(next.contains(".SH EXAMPLE"), "{next}");
    assert!(next.contains("\\fBft\\fR(1)"), "{next}");
}
