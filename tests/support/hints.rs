//! Every hint is a command ft accepts: each `ft ...` command a run prints
//! (after `hint:`, in backticks or parentheses, after "with:") is run at
//! once in a copy of the run's workspace and environment, and the test
//! fails if clap rejects it. A hint holding a placeholder (ID, DATE...) is
//! a pattern, and is only checked to name a real subcommand.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::{Run, command};

/// Words that stand for a value the reader chooses.
pub const PLACEHOLDERS: [&str; 27] = [
    "VALUE",
    "ID",
    "TASK",
    "NAME",
    "DIR",
    "FILE",
    "PERSON",
    "N",
    "DATE",
    "WHEN",
    "DUR",
    "URL",
    "TEXT",
    "ROLE",
    "KEY",
    "CADENCE",
    "MILESTONE",
    "SERVICE",
    "SERVICES",
    "REASON",
    "NOTE",
    "PLAYBOOK",
    "FIELD",
    "SHELL",
    "STATUS",
    "HEALTH",
    "PATH",
];

/// What clap prints when it refuses a command line.
const USAGE_ERRORS: [&str; 7] = [
    "error: unexpected argument",
    "error: unrecognized subcommand",
    "error: invalid value",
    "error: the following required arguments were not provided",
    "error: a value is required",
    "error: the argument",
    "Usage:",
];

/// Subcommands whose hints are not run: they reach a remote.
const NOT_RUN: [&str; 1] = ["sync"];

/// Global options that take a value, so the subcommand is the word after it.
const GLOBAL_VALUES: [&str; 7] = [
    "-w",
    "--workspace",
    "--as",
    "--today",
    "--format",
    "--color",
    "-f",
];

/// The `ft ...` commands in a piece of output: inside backticks or
/// parentheses, or elsewhere (after `hint:`, "with:", a space) when the next
/// word is an option or a subcommand ("run ft check", not "ft does not").
/// Comment lines (`#`, as in generated files) hold no hints.
pub fn commands(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in logical_lines(text) {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let mut rest = line.as_str();
        while let Some(at) = rest.find("ft ") {
            let head = &rest[..at];
            let tail = &rest[at..];
            rest = &rest[at + 3..];
            let quoted = match head.chars().last() {
                Some('(' | '`') => true,
                None | Some(' ' | ':') => false,
                _ => continue,
            };
            let end = tail.find([')', '`', ';']).unwrap_or(tail.len());
            let mut cmd = &tail[..end];
            // A pipe, a chain or a comment ends the command, as does a
            // run of spaces before a remark.
            for stop in ["  ", " | ", " && ", " > ", " 2>"] {
                cmd = cmd.split(stop).next().unwrap_or("");
            }
            let cmd = cmd.trim().trim_end_matches(['.', ',']);
            // A value a narrow layout shortened is shown in full elsewhere.
            if cmd.contains('…') {
                continue;
            }
            let words = shell_words(cmd);
            // "ft set x services" needs its value; "ft ..." in prose is not a command.
            if words.len() < 2 || !words[1].chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                continue;
            }
            if quoted || words[1].starts_with('-') || is_subcommand(&words[1]) {
                out.push(cmd.to_string());
            }
        }
    }
    out
}

/// The lines of `text` as a person reads them: a line that a narrow
/// layout broke inside a backtick quote goes on with the next one, and
/// iCalendar's folded, escaped lines are unfolded and unescaped.
fn logical_lines(text: &str) -> Vec<String> {
    let text = if text.contains("BEGIN:VCALENDAR") {
        text.replace("\r\n ", "")
            .replace("\\n", "\n")
            .replace("\\,", ",")
            .replace("\\;", ";")
    } else {
        text.to_string()
    };
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        match out.last_mut() {
            Some(last) if open => {
                last.push(' ');
                last.push_str(line.trim());
            }
            _ => out.push(line.to_string()),
        }
        open = out.last().is_some_and(|l| l.matches('`').count() % 2 == 1);
    }
    out
}

/// Split a command line like a POSIX shell does for plain, single- and
/// double-quoted words.
pub fn shell_words(cmd: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let (mut quote, mut any) = (None, false);
    for c in cmd.chars() {
        match (c, quote) {
            ('\'' | '"', None) => {
                quote = Some(c);
                any = true;
            }
            (c, Some(q)) if c == q => quote = None,
            (' ', None) => {
                if any || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            (c, _) => word.push(c),
        }
    }
    if any || !word.is_empty() {
        words.push(word);
    }
    words
}

/// Does the word stand for a value to fill in ("ID", "--on DATE", "...")?
pub fn is_placeholder(word: &str) -> bool {
    let bare = word.rsplit('=').next().unwrap_or(word);
    PLACEHOLDERS.contains(&bare) || bare.contains("...") || bare.contains(['|', '<', '[', '{'])
}

/// The subcommand a command line names: the first word that is neither
/// an option nor a global option's value.
pub fn subcommand(words: &[String]) -> Option<&str> {
    let mut skip = false;
    for w in &words[1..] {
        if skip {
            skip = false;
        } else if GLOBAL_VALUES.contains(&w.as_str()) {
            skip = true;
        } else if !w.starts_with('-') {
            return Some(w);
        }
    }
    None
}

/// Hints already checked in this process, with the environment they ran in.
fn seen() -> &'static Mutex<HashSet<String>> {
    static SEEN: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    SEEN.get_or_init(|| Mutex::new(HashSet::new()))
}

/// Check every hint `run` printed, run in `dir` of the workspace under
/// `home` with the extra environment `env`.
#[track_caller]
pub fn check(home: &Path, dir: &Path, env: &[(&str, &str)], args: &[&str], run: &Run) {
    let argv: Vec<String> = std::iter::once("ft")
        .chain(args.iter().copied())
        .map(str::to_string)
        .collect();
    // A completion script is code for a shell and a man page prose in
    // roff, not hints.
    if matches!(subcommand(&argv), Some("completions" | "man")) {
        return;
    }
    let text = format!("{}\n{}", run.stdout, run.stderr);
    let home_text = home.to_string_lossy();
    for hint in commands(&text) {
        let words = shell_words(&hint);
        let Some(sub) = subcommand(&words).map(str::to_string) else {
            continue;
        };
        if NOT_RUN.contains(&sub.as_str()) {
            continue;
        }
        // The same command line parses the same way: check each once.
        let key = format!("{}\n{env:?}", hint.replace(home_text.as_ref(), "$HOME"));
        if !seen().lock().unwrap().insert(key) {
            continue;
        }
        if words.iter().any(|w| is_placeholder(w)) {
            assert!(
                is_subcommand(&sub),
                "hint `{hint}` (from ft {args:?}) names no command `{sub}`"
            );
            continue;
        }
        let copy = copy_home(home);
        let moved = |s: &str| s.replace(home_text.as_ref(), &copy.path().to_string_lossy());
        let argv: Vec<String> = words[1..].iter().map(|w| moved(w)).collect();
        let cwd = match dir.strip_prefix(home) {
            Ok(rel) => copy.path().join(rel),
            Err(_) => dir.to_path_buf(),
        };
        let env: Vec<(String, String)> =
            env.iter().map(|(k, v)| (k.to_string(), moved(v))).collect();
        let r = run_hint(copy.path(), &cwd, &env, &argv);
        if let Some(e) = USAGE_ERRORS.iter().find(|e| r.stderr.contains(*e)) {
            panic!(
                "hint `{hint}` (from ft {args:?}) is not a command ft accepts ({e}):\n{}\n\nprinted in:\n{text}",
                r.stderr
            );
        }
    }
}

/// Is `sub` one of ft's subcommands (`ft SUB --help` works)?
fn is_subcommand(sub: &str) -> bool {
    static KNOWN: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    let known = KNOWN.get_or_init(|| Mutex::new(HashSet::new()));
    if known.lock().unwrap().contains(sub) {
        return true;
    }
    let tmp = tempfile::tempdir().unwrap();
    let ok = command(tmp.path())
        .current_dir(tmp.path())
        .args([sub, "--help"])
        .stdin(Stdio::null())
        .output()
        .unwrap()
        .status
        .success();
    if ok {
        known.lock().unwrap().insert(sub.to_string());
    }
    ok
}

/// Run a hint with the environment of the run it came from, rooted in the
/// copy; an editor that returns at once stands in for a person.
fn run_hint(home: &Path, cwd: &Path, env: &[(String, String)], argv: &[String]) -> Run {
    let mut cmd = command(home);
    cmd.env("EDITOR", "true").current_dir(cwd).args(argv);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("hint `ft {}` still running after 30 s", argv.join(" "));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::new(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A copy of the test's home (its workspace and config within), without
/// git's directories (a hint never reaches the test's remote) and without
/// anything but files, directories and links (a FIFO would block). Paths of
/// the old home in the files and links point into the copy.
fn copy_home(home: &Path) -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    let (from, to) = (
        home.to_string_lossy().into_owned(),
        copy.path().to_string_lossy().into_owned(),
    );
    let mut stack: Vec<PathBuf> = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(home.join(&rel)) else {
            continue;
        };
        for entry in entries.flatten() {
            let rel = rel.join(entry.file_name());
            let (src, dst) = (home.join(&rel), copy.path().join(&rel));
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() && entry.file_name() != ".git" {
                let _ = std::fs::create_dir(&dst);
                stack.push(rel);
            } else if kind.is_symlink() {
                if let Ok(target) = std::fs::read_link(&src) {
                    let target = target.to_string_lossy().replace(&from, &to);
                    let _ = std::os::unix::fs::symlink(target, &dst);
                }
            } else if kind.is_file() {
                match std::fs::read(&src) {
                    Ok(bytes) => {
                        let bytes = match String::from_utf8(bytes) {
                            Ok(text) => text.replace(&from, &to).into_bytes(),
                            Err(e) => e.into_bytes(),
                        };
                        let _ = std::fs::write(&dst, bytes);
                    }
                    Err(_) => continue,
                }
            }
        }
    }
    copy
}
