//! A workspace cloned from someone else cannot harm its reader (issue 13):
//! one test per finding of the red-team pass, each in a temporary directory
//! and without root (a FIFO or a link to `/dev/null` stands in for
//! `/dev/full`). Every run of `ft` here is under a hang guard.

#![cfg(unix)]

mod support;

use std::ffi::OsStr;
use std::io::Read;
use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::fs::{FileTypeExt as _, symlink};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant, SystemTime};

use support::{Run, Ws, command};

/// A guard against hangs, not a speed test.
const LIMIT: Duration = Duration::from_secs(20);

/// Run ft in the workspace with extra environment; fail if it runs over [`LIMIT`].
fn ft_env(ws: &Ws, args: &[&str], env: &[(&str, &OsStr)]) -> Run {
    let mut cmd = command(ws.home());
    cmd.current_dir(&ws.root)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = Vec::new();
            r.read_to_end(&mut s).unwrap();
            String::from_utf8_lossy(&s).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > LIMIT {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("ft {args:?} ran for over {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    };
    // Its hints are checked like every other run's, where the values are text.
    let text: Option<Vec<(&str, &str)>> =
        env.iter().map(|(k, v)| Some((*k, v.to_str()?))).collect();
    if let Some(text) = text {
        support::hints::check(ws.home(), &ws.root, &text, args, &run);
    }
    run
}

fn ft(ws: &Ws, args: &[&str]) -> Run {
    ft_env(ws, args, &[])
}

fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap()
        .success();
    assert!(ok, "mkfifo {}", path.display());
}

/// A folder next to the workspace that ft must never write into.
fn outside(ws: &Ws) -> PathBuf {
    let dir = ws.home().join("outside");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn with_engagement() -> Ws {
    let ws = Ws::new();
    ws.ft(&["new", "a", "--customer", "A"]).ok();
    ws
}

/// Finding: writes outside the workspace through symlinks in `.ft/`.
#[test]
fn links_in_dot_ft_are_never_written_through() {
    for name in [".gitignore", "lock", "cache"] {
        let ws = with_engagement();
        let out = outside(&ws);
        let ft_dir = ws.path(".ft");
        let _ = std::fs::remove_dir_all(&ft_dir);
        std::fs::create_dir(&ft_dir).unwrap();
        symlink(out.join("x"), ft_dir.join(name)).unwrap();
        // A read-only command may skip its cache, but creates nothing outside.
        ft(&ws, &["next", "--as", "alice"]).ok();
        ft(&ws, &["list"]).ok();
        let r = ft(&ws, &["note", "a", "hello"]).code(2);
        assert!(
            r.stderr
                .contains(&format!(".ft/{name}`: it is a symbolic link")),
            "{name}: {}",
            r.stderr
        );
        assert_eq!(entries(&out), Vec::<String>::new(), "{name}");
    }
}

/// Finding: `.ft -> ../elsewhere` moves lock, cache and `.gitignore` outside.
#[test]
fn a_linked_dot_ft_is_refused() {
    let ws = with_engagement();
    let out = outside(&ws);
    std::fs::remove_dir_all(ws.path(".ft")).unwrap();
    symlink(&out, ws.path(".ft")).unwrap();
    ft(&ws, &["list"]).ok();
    ft(&ws, &["next", "--as", "alice"]).ok();
    let r = ft(&ws, &["note", "a", "hello"]).code(2);
    r.stderr_has("/.ft`: it is a symbolic link; ft does not follow links");
    assert_eq!(entries(&out), Vec::<String>::new());
}

/// Finding: `engagements -> ../outside/engagements` makes `ft new` write outside.
#[test]
fn a_linked_engagements_folder_is_refused() {
    let ws = with_engagement();
    let out = outside(&ws);
    std::fs::rename(ws.path("engagements"), out.join("engagements")).unwrap();
    symlink(out.join("engagements"), ws.path("engagements")).unwrap();
    let before = entries(&out.join("engagements"));
    for args in [
        &["new", "b", "--customer", "B"][..],
        &["note", "a", "hello"],
        &["list"],
        &["show", "a"],
    ] {
        let r = ft(&ws, args).code(2);
        r.stderr_has("/engagements`: it is a symbolic link");
    }
    assert_eq!(entries(&out.join("engagements")), before);
}

/// Finding: `playbooks/evil.yaml -> /dev/zero` and a linked `playbooks/`.
#[test]
fn linked_playbooks_are_refused_and_never_read() {
    let ws = with_engagement();
    symlink("/dev/zero", ws.path("playbooks/evil.yaml")).unwrap();
    let r = ft(&ws, &["list"]).ok();
    r.stderr_has("playbooks/evil.yaml");
    r.stderr_has("it is a symbolic link");
    std::fs::remove_dir_all(ws.path("playbooks")).unwrap();
    symlink(outside(&ws), ws.path("playbooks")).unwrap();
    ft(&ws, &["list"])
        .code(2)
        .stderr_has("/playbooks`: it is a symbolic link");
}

/// Finding: `--output /dev/full` replaced the device with a regular file.
#[test]
fn output_replaces_only_a_regular_file() {
    let ws = with_engagement();
    symlink("/dev/null", ws.path("null.md")).unwrap();
    let r = ft(&ws, &["report", "--all", "--output", "null.md"]).code(2);
    r.stderr_has("null.md");
    assert!(
        std::fs::symlink_metadata(ws.path("null.md"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is left alone"
    );
    mkfifo(&ws.path("fifo.md"));
    let r = ft(&ws, &["report", "--all", "--output", "fifo.md"]).code(2);
    r.stderr_has("is a FIFO, not a regular file");
    assert!(
        std::fs::symlink_metadata(ws.path("fifo.md"))
            .unwrap()
            .file_type()
            .is_fifo()
    );
    // A new file and a regular file are written.
    ft(&ws, &["report", "--all", "--output", "new.md"]).ok();
    ft(&ws, &["report", "--all", "--output", "new.md"]).ok();
    assert!(ws.read("new.md").contains('a'));
}

/// Finding: unbounded reads: devices report length 0, FIFOs block.
#[test]
fn devices_and_fifos_are_refused_before_they_are_read() {
    let ws = with_engagement();
    mkfifo(&ws.path("engagements/fifo.toml"));
    let r = ft(&ws, &["list"]).ok();
    r.stderr_has("engagements/fifo.toml");
    ft(&ws, &["check"])
        .code(1)
        .stdout_has("is a FIFO, not a regular file");
    symlink("/dev/zero", ws.path("engagements/zero.toml")).unwrap();
    ft(&ws, &["list"]).ok().stderr_has("engagements/zero.toml");
    ft(&ws, &["show", "zero"])
        .code(2)
        .stderr_has("it is a symbolic link");

    for file in ["/dev/zero".into(), ws.path("engagements/fifo.toml")] {
        let file = file.to_str().unwrap().to_string();
        ft(&ws, &["playbook", "check", &file])
            .code(2)
            .stderr_has("not a regular file");
        ft(&ws, &["playbook", "import", &file, "-o", "x.yaml"])
            .code(2)
            .stderr_has("not a regular file");
        ft_env(&ws, &["list"], &[("FT_CONFIG", OsStr::new(&file))])
            .code(2)
            .stderr_has("not a regular file");
    }
}

/// Finding: `ft playbook import` was quadratic (a 100 KB row of pipes).
#[test]
fn a_hostile_import_page_finishes_quickly() {
    let ws = Ws::new();
    let page = format!(
        "# T\n\n| Task ID | Task Name | (M)andatory / (O)ptional | FastTrack Role |\n| - | - | - | - |\n{}\n",
        "|".repeat(100_000)
    );
    ws.write("page.md", &page);
    let start = Instant::now();
    ft(&ws, &["playbook", "import", "page.md", "-o", "out.yaml"]).code(2);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

/// Finding: a note that takes the file over 1 MiB was written, then refused on reading.
#[test]
fn a_change_past_the_size_limit_is_refused_with_the_size() {
    let ws = with_engagement();
    // Each control character is written escaped, six bytes: 720 KB a note.
    let note = "\u{1}".repeat(120_000);
    ft(&ws, &["note", "a", &note]).ok();
    let before = std::fs::read(ws.path("engagements/a.toml")).unwrap();
    // A different note (the same one again would change nothing).
    let second = format!("{note}!");
    let r = ft(&ws, &["note", "a", &second]).code(2);
    r.stderr_has("bytes; engagement files are limited to 1048576 bytes");
    assert!(r.stderr.contains("would make"), "{}", r.stderr);
    assert_eq!(
        std::fs::read(ws.path("engagements/a.toml")).unwrap(),
        before
    );
    ft(&ws, &["show", "a"]).ok();
}

/// Finding: a customer name with control characters made the file invalid TOML.
#[test]
fn control_characters_in_a_new_customer_keep_the_file_loadable() {
    let ws = Ws::new();
    ft(&ws, &["new", "esc", "--customer", "Evil\u{1b}[2JRed"]).ok();
    ft(&ws, &["show", "esc"]).ok();
    ft(&ws, &["check"]).ok();
}

/// Finding: `ft new "€€€..."` panicked in `check_id`.
#[test]
fn a_long_multibyte_id_is_refused_without_a_panic() {
    let ws = Ws::new();
    for id in ["€".repeat(40), format!("{}é", "a".repeat(99))] {
        let r = ft(&ws, &["new", &id, "--customer", "X"]).code(2);
        r.stderr_has("too long");
        let r = ft(&ws, &["show", &id]).code(2);
        r.stderr_has("too long");
    }
}

/// Finding: `--today 9999-12-31` walked every business day since the anchor.
#[test]
fn a_far_today_is_arithmetic_not_a_walk() {
    let ws = Ws::demo();
    let text = ws.read("engagements/contoso-teams.toml");
    for i in 0..200 {
        let id = format!("copy-{i}");
        ws.engagement(
            &id,
            &text.replace("id = \"contoso-teams\"", &format!("id = \"{id}\"")),
        );
    }
    let start = Instant::now();
    let r = ft(&ws, &["next", "--as", "alice", "--today", "9999-12-31"]).ok();
    r.stdout_has("business days overdue");
    let late = ft(&ws, &["next", "--as", "alice", "--within", "99999bd"]).ok();
    assert!(!late.stdout.is_empty());
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}

/// Finding: a bad value was silently left out by every command but `ft check`.
#[test]
fn a_value_that_does_not_parse_is_a_warning_from_every_command() {
    let ws = Ws::new();
    ws.engagement(
        "a",
        "customer = \"A\"\nplaybook = \"m365-general-engagement\"\nstatus = \"active\"\n\n[team]\nFE = { person = \"alice\" }\n\n[milestones]\nopened = 2026-11-02\nassigned = 2026-11-20T09:00:00\n",
    );
    let at = "warning: engagements/a.toml:10:12: ";
    for args in [
        &["next", "--as", "alice"][..],
        &["list"],
        &["show", "a"],
        &["report", "--all"],
        &["report", "a"],
        &["note", "a", "hello"],
    ] {
        // A change that adds no error goes ahead, and says where the old one is.
        let r = ft(&ws, args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.contains(at), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("no UTC offset"), "{args:?}: {}", r.stderr);
    }
    let text = ws.read("engagements/a.toml");
    assert!(
        text.contains("assigned = 2026-11-20T09:00:00\n"),
        "kept: {text}"
    );
    assert!(text.contains("hello"), "{text}");
    // A change that would add an error is still refused.
    let r = ft(&ws, &["set", "a", "seats", "many"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

fn settle(ws: &Ws) {
    let old = SystemTime::now() - Duration::from_secs(3600);
    for e in std::fs::read_dir(ws.path("engagements")).unwrap() {
        let f = std::fs::File::options()
            .write(true)
            .open(e.unwrap().path())
            .unwrap();
        f.set_modified(old).unwrap();
    }
}

/// Finding: a bit-flipped `.ft/cache` made `ft next` drop items (no checksum).
#[test]
fn a_damaged_cache_is_discarded_and_rebuilt() {
    let ws = Ws::demo();
    settle(&ws);
    // Past the racy window of the change times `settle` just set, so the
    // cache trusts its entries.
    std::thread::sleep(Duration::from_millis(2_500));
    let want = ft(&ws, &["list", "--all", "--format", "json"]).ok().stdout;
    let cache = ws.path(".ft/cache");
    let good = std::fs::read(&cache).unwrap();
    let written = std::fs::metadata(&cache).unwrap().modified().unwrap();
    ft(&ws, &["list"]).ok();
    assert_eq!(
        std::fs::metadata(&cache).unwrap().modified().unwrap(),
        written,
        "the cache is in use"
    );
    // A flip that still decodes: one letter of a customer name.
    let name = b"Contoso Pharmaceuticals";
    let at = good.windows(name.len()).position(|w| w == name).unwrap();
    let mut trials: Vec<usize> = vec![at, at + 3];
    trials.extend((0..100).map(|t| 8 + (t * 7_919) % (good.len() - 8)));
    for (trial, at) in trials.into_iter().enumerate() {
        let mut bytes = good.clone();
        bytes[at] ^= 1 << (trial % 6);
        std::fs::write(&cache, &bytes).unwrap();
        let got = ft(&ws, &["list", "--all", "--format", "json"]).ok().stdout;
        assert_eq!(got, want, "byte {at} flipped: the answer must not change");
    }
    // A damaged engagement is read from its file again, and the cache rebuilt.
    let mut bytes = good.clone();
    bytes[at] ^= 1;
    std::fs::write(&cache, &bytes).unwrap();
    ft(&ws, &["list", "--all", "--format", "json"]).ok();
    let rebuilt = std::fs::read(&cache).unwrap();
    assert_ne!(rebuilt, bytes, "the damaged cache is rewritten");
    assert!(
        rebuilt.windows(name.len()).any(|w| w == name),
        "with the engagement as its file has it"
    );
}

/// Finding: SIGKILL left `engagements/.ft-*.tmp` files that were never removed.
#[test]
fn temporary_files_of_killed_writes_are_removed_on_the_next_write() {
    let ws = with_engagement();
    let tmp = ws.path("engagements/.ft-4242-abc-0.tmp");
    std::fs::write(&tmp, "half a file").unwrap();
    ft(&ws, &["list"]).ok();
    assert!(tmp.exists(), "reading leaves it");
    ft(&ws, &["note", "a", "hello"]).ok();
    assert!(!tmp.exists(), "the next write removes it");
    let ignore = std::fs::read_to_string(ws.path(".ft/.gitignore")).unwrap();
    assert!(ignore.contains('*'));
}

/// Finding: `ft note` rewrote CRLF to LF and stripped a BOM.
#[test]
fn crlf_and_a_bom_survive_an_edit() {
    let ws = Ws::new();
    let text =
        "\u{feff}# Contoso\r\ncustomer = \"C\"\r\nplaybook = \"m365-general-engagement\"\r\n";
    ws.engagement("c", text);
    ft(&ws, &["note", "c", "hello"]).ok();
    let after = ws.read("engagements/c.toml");
    assert!(after.starts_with(text), "{after:?}");
    assert_eq!(
        after.matches('\n').count(),
        after.matches("\r\n").count(),
        "{after:?}"
    );
    ft(&ws, &["note", "c", "again"]).ok();
    let again = ws.read("engagements/c.toml");
    assert!(
        again.starts_with(text) && again.contains("\"again\"\r\n"),
        "{again:?}"
    );
    assert_eq!(again.matches('\n').count(), again.matches("\r\n").count());
    ft(&ws, &["check"]).ok();
}

/// Finding: a non-UTF-8 `FT_WORKSPACE` or `FT_TODAY` was silently ignored.
#[test]
fn non_utf8_environment_values_are_errors_naming_the_variable() {
    let ws = with_engagement();
    let bad = OsStr::from_bytes(b"caf\xe9");
    for var in ["FT_WORKSPACE", "FT_TODAY", "FT_USER", "FT_CONFIG"] {
        let r = ft_env(&ws, &["list"], &[(var, bad)]).code(2);
        r.stderr_has(&format!("environment variable `{var}` is not valid UTF-8"));
    }
}

/// No raw control character but newline and tab on either stream.
fn assert_inert(what: &str, r: &Run) {
    for text in [&r.stdout, &r.stderr] {
        let bad = text
            .chars()
            .find(|&c| c.is_control() && c != '\n' && c != '\t');
        assert!(bad.is_none(), "{what}: raw {bad:?} in:\n{text}");
    }
}

/// Finding: terminal escape injection, in the last places that printed file
/// names and file contents raw: `ft playbook check` and import warnings.
#[test]
fn playbook_check_and_import_warnings_show_control_characters_escaped() {
    let ws = Ws::new();
    let evil = "evil\u{1b}]0;PWNED\u{7}";
    ws.write(
        &format!("{evil}.yaml"),
        "id: x\nname: X\nroles: { FE: FastTrack Engineer }\nmilestones: [opened]\nstages: []\n\"\\e[2J\": 1\n",
    );
    let r = ft(&ws, &["playbook", "check", &format!("{evil}.yaml")]).code(1);
    assert_inert("playbook check", &r);
    r.stdout_has(r"evil\u{1b}]0;PWNED\u{7}.yaml");
    let header =
        "| Task ID | Task Name | (M)andatory / (O)ptional | FastTrack Role |\n| - | - | - | - |\n";
    ws.write(
        &format!("{evil}.md"),
        &format!("# T\n\n{header}|1|t|M|FE|\n|1|t|M|FE|\n"),
    );
    let r = ft(&ws, &["playbook", "import", &format!("{evil}.md")]).ok();
    assert_inert("playbook import", &r);
    r.stderr_has(r"evil\u{1b}]0;PWNED\u{7}.md");
}
