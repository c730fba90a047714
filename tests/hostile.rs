//! Hostile and broken input, crash safety, and the engagement cache.

mod support;

use std::fs::File;
use std::path::Path;
use std::time::{Duration, SystemTime};

use support::{Ws, command};

const PLAYBOOK_HEAD: &str = "id: hostile\nname: Hostile\nroles: { FE: FastTrack Engineer }\nmilestones: [opened]\nstages: []\n";

#[test]
fn yaml_alias_floods_deep_nesting_and_oversize_files_are_refused_with_the_file_named() {
    let ws = Ws::new();
    let aliases = format!("{PLAYBOOK_HEAD}ssat: [&a x{}]\n", ", *a".repeat(5_000));
    ws.write("playbooks/aliases.yaml", &aliases);
    let r = ws
        .ft(&["playbook", "check", "playbooks/aliases.yaml"])
        .code(1);
    assert!(
        r.stdout.starts_with("playbooks/aliases.yaml:"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.to_lowercase().contains("alias"), "{}", r.stdout);

    ws.write(
        "playbooks/deep.yaml",
        &format!("{}{}\n", "[".repeat(200_000), "]".repeat(200_000)),
    );
    let r = ws.ft(&["playbook", "check", "playbooks/deep.yaml"]).code(1);
    assert!(
        r.stdout.starts_with("playbooks/deep.yaml:1:"),
        "{}",
        r.stdout
    );
    r.stdout_has("recursion limit");
    ws.write(
        "playbooks/nested.yaml",
        &format!(
            "{PLAYBOOK_HEAD}fields: {}{}\n",
            "[".repeat(200_000),
            "]".repeat(200_000)
        ),
    );
    let r = ws
        .ft(&["playbook", "check", "playbooks/nested.yaml"])
        .code(1);
    assert!(
        r.stdout.starts_with("playbooks/nested.yaml:6:"),
        "{}",
        r.stdout
    );

    let deep_maps = format!("{PLAYBOOK_HEAD}fields: {}\n", "{a: ".repeat(100_000));
    ws.write("playbooks/maps.yaml", &deep_maps);
    ws.ft(&["playbook", "check", "playbooks/maps.yaml"]).code(1);

    ws.write(
        "playbooks/big.yaml",
        &format!(
            "{PLAYBOOK_HEAD}description: \"{}\"\n",
            "x".repeat(1_100_000)
        ),
    );
    let r = ws.ft(&["playbook", "check", "playbooks/big.yaml"]).code(2);
    assert!(
        r.stderr.contains("playbooks/big.yaml") && r.stderr.contains("bytes"),
        "{}",
        r.stderr
    );

    // The workspace still works, naming each broken playbook.
    let list = ws.ft(&["list"]).ok();
    for f in ["aliases", "deep", "nested", "maps", "big"] {
        assert!(
            list.stderr.contains(&format!("playbooks/{f}.yaml")),
            "{f}: {}",
            list.stderr
        );
    }
}

#[test]
fn broken_engagement_files_each_get_a_clear_error_naming_the_path() {
    let ws = Ws::new();
    ws.ft(&["new", "good", "--customer", "Good"]).ok();
    ws.engagement(
        "deep",
        &format!(
            "customer = \"D\"\nplaybook = \"m365-general-engagement\"\nx = {}{}\n",
            "[".repeat(50_000),
            "]".repeat(50_000)
        ),
    );
    ws.engagement(
        "tables",
        &format!(
            "customer = \"T\"\nplaybook = \"m365-general-engagement\"\nx = {}1{}\n",
            "{a = ".repeat(5_000),
            "}".repeat(5_000)
        ),
    );
    ws.engagement(
        "huge",
        &format!(
            "customer = \"{}\"\nplaybook = \"m365-general-engagement\"\n",
            "x".repeat(1_100_000)
        ),
    );
    std::fs::write(
        ws.path("engagements/latin1.toml"),
        b"customer = \"Caf\xe9\"\nplaybook = \"m365-general-engagement\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(ws.path("engagements/folder.toml")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        ws.path("engagements/nowhere"),
        ws.path("engagements/dangling.toml"),
    )
    .unwrap();
    let check = ws.ft(&["check"]).code(1);
    let out = &check.stdout;
    for want in [
        "engagements/deep.toml:3:",
        "engagements/tables.toml:3:",
        "engagements/huge.toml:1:1: error[read]:",
        "engagements/latin1.toml:1:1: error[read]:",
        "engagements/folder.toml:1:1: error[read]:",
    ] {
        assert!(out.contains(want), "missing `{want}`:\n{out}");
    }
    assert!(out.contains("is not valid UTF-8"), "{out}");
    assert!(out.contains("is a directory"), "{out}");
    assert!(
        out.contains("bytes; files over 1048576 bytes are refused"),
        "{out}"
    );
    #[cfg(unix)]
    assert!(
        out.contains("engagements/dangling.toml:1:1: error[read]: cannot read"),
        "{out}"
    );
    let list = ws.ft(&["list", "--format", "json"]).ok();
    assert!(list.stdout.contains("\"good\""));
    let show = ws.ft(&["show", "latin1"]).code(2);
    show.stderr_has("latin1.toml:1:");
}

#[cfg(unix)]
#[test]
fn a_symlinked_engagement_is_never_written_through() {
    let ws = Ws::new();
    let outside = ws.home().join("outside.toml");
    let text = "customer = \"Outside\"\nplaybook = \"m365-general-engagement\"\n";
    std::fs::write(&outside, text).unwrap();
    std::os::unix::fs::symlink(&outside, ws.path("engagements/linked.toml")).unwrap();
    // Links inside a workspace are neither read nor written through.
    for args in [["show", "linked", ""], ["note", "linked", "hello"]] {
        let args: Vec<&str> = args.into_iter().filter(|a| !a.is_empty()).collect();
        let r = ws.ft(&args).code(2);
        assert!(
            r.stderr
                .contains("linked.toml`: it is a symbolic link; ft does not follow links"),
            "{}",
            r.stderr
        );
    }
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), text);
}

fn notes(text: &str) -> usize {
    let v: toml::Table = toml::from_str(text).expect("the file is always whole TOML");
    v.get("notes")
        .and_then(|n| n.as_array())
        .map_or(0, Vec::len)
}

#[test]
fn killing_ft_mid_write_leaves_the_old_or_the_new_file_never_a_broken_one() {
    let ws = Ws::new();
    ws.ft(&["new", "c", "--customer", "C"]).ok();
    let path = ws.path("engagements/c.toml");
    let mut expected = 0;
    // A fixed spread of delays, so the kills land before, during and after the write.
    for i in 0..40u64 {
        let mut child = command(ws.home())
            .current_dir(&ws.root)
            .args(["note", "c", &format!("note {i}")])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros((i * 7_919) % 6_000));
        let _ = child.kill();
        let status = child.wait().unwrap();
        let n = notes(&std::fs::read_to_string(&path).unwrap());
        assert!(
            n == expected || n == expected + 1,
            "kill {i}: {n} notes, expected {expected} or one more"
        );
        if status.success() {
            assert_eq!(n, expected + 1, "a finished note is in the file");
        }
        expected = n;
    }
    // Leftover temporary files are never read as engagements.
    let check = ws.ft(&["check"]).ok();
    assert!(
        check
            .stdout
            .contains("checked 1 engagement file (1 usable)"),
        "{}",
        check.stdout
    );
    ws.ft(&["note", "c", "after the storm"]).ok();
    assert_eq!(
        notes(&std::fs::read_to_string(&path).unwrap()),
        expected + 1
    );
}

#[test]
fn concurrent_notes_and_done_on_one_engagement_all_land() {
    let ws = Ws::new();
    ws.ft(&["new", "c", "--customer", "C"]).ok();
    let tasks = [
        "3979", "3616", "994", "983", "3330", "3333", "4047", "1126", "1910", "3690",
    ];
    let mut children = Vec::new();
    for (i, t) in tasks.iter().enumerate() {
        for args in [
            vec!["done", "c", t],
            vec!["note", "c", &format!("note {i}")],
        ] {
            let args: Vec<String> = args.into_iter().map(String::from).collect();
            children.push(
                command(ws.home())
                    .current_dir(&ws.root)
                    .args(&args)
                    .stdout(std::process::Stdio::null())
                    .spawn()
                    .unwrap(),
            );
        }
    }
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let text = ws.read("engagements/c.toml");
    assert_eq!(notes(&text), tasks.len());
    for t in tasks {
        assert!(
            text.contains(&format!("{t} = {{ done = 2026-11-23 }}")),
            "{t} lost:\n{text}"
        );
    }
}

fn set_mtime(path: &Path, when: SystemTime) {
    File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(when)
        .unwrap();
}

/// The ids `ft list` shows, in order.
fn listed(ws: &Ws) -> Vec<String> {
    let out = ws.ft(&["list", "--format", "json"]).ok().stdout;
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = rows.as_array().unwrap();
    rows.iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// The cache stands for the listing of `engagements/` (when every file
/// there has an entry) only while the directory is as it was: a name
/// added, removed or renamed is seen at once, even with the directory's
/// modification time set back; a file the cache cannot hold is named on
/// every run.
#[test]
fn the_cache_sees_every_name_added_removed_or_renamed() {
    let ws = Ws::new();
    let engagement =
        |id: &str| format!("customer = \"{id}\"\nplaybook = \"azure-fasttrack-engineer\"\n");
    ws.engagement("a", &engagement("A"))
        .engagement("b", &engagement("B"));
    let dir = ws.path("engagements");
    let set_back = |when: SystemTime| File::open(&dir).unwrap().set_modified(when).unwrap();
    let old = SystemTime::now() - Duration::from_secs(3600);
    set_mtime(&ws.path("engagements/a.toml"), old);
    set_mtime(&ws.path("engagements/b.toml"), old);
    std::thread::sleep(Duration::from_millis(2_100));
    assert_eq!(listed(&ws), ["a", "b"]);
    assert!(ws.path(".ft/cache").is_file(), "the cache is written");
    assert_eq!(listed(&ws), ["a", "b"]);

    let before = std::fs::metadata(&dir).unwrap().modified().unwrap();
    ws.engagement("c", &engagement("C"));
    set_back(before);
    assert_eq!(listed(&ws), ["a", "b", "c"], "added");
    std::fs::remove_file(ws.path("engagements/b.toml")).unwrap();
    set_back(before);
    assert_eq!(listed(&ws), ["a", "c"], "removed");
    std::fs::rename(ws.path("engagements/c.toml"), ws.path("engagements/d.toml")).unwrap();
    set_back(before);
    assert_eq!(listed(&ws), ["a", "d"], "renamed");

    // Settled again, with files the cache holds no entry for: a name that
    // is not an id, and one that is not even UTF-8 (never skipped in silence).
    ws.write("engagements/Bad Name.toml", "x = 1\n");
    {
        use std::os::unix::ffi::OsStrExt as _;
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.toml");
        std::fs::write(dir.join(name), "customer = \"C\"\n").unwrap();
    }
    std::fs::remove_file(ws.path("engagements/d.toml")).unwrap();
    std::thread::sleep(Duration::from_millis(2_100));
    for run in 0..2 {
        let r = ws.ft(&["list"]).ok();
        r.stderr_has("Bad Name.toml");
        r.stderr_has("is not valid UTF-8");
        r.stdout_has("a");
        assert!(!r.stdout.contains(" d "), "run {run}: {}", r.stdout);
    }
}

#[test]
fn the_cache_always_sees_a_changed_file_and_is_safe_to_delete_or_corrupt() {
    let ws = Ws::new();
    ws.ft(&["new", "c", "--customer", "Contoso"]).ok();
    let path = ws.path("engagements/c.toml");
    let cache = ws.path(".ft/cache");
    // Settle the file an hour in the past; its change time is now, so the
    // cache is written only once that is out of the racy window (a cache
    // written before would not trust the entry).
    let old = SystemTime::now() - Duration::from_secs(3600);
    set_mtime(&path, old);
    ws.ft(&["list"]).ok();
    assert!(
        !cache.exists(),
        "a cache that would trust nothing is not written"
    );
    std::thread::sleep(Duration::from_millis(2_100));
    ws.ft(&["list"]).ok();
    assert!(cache.exists(), "the cache is written");
    let first = std::fs::metadata(&cache).unwrap().modified().unwrap();
    ws.ft(&["list"]).ok();
    assert_eq!(
        std::fs::metadata(&cache).unwrap().modified().unwrap(),
        first,
        "a warm cache is not rewritten"
    );

    // Same size, same mtime, different content: the change time gives it away.
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("Contoso", "Fabrika");
    std::fs::write(&path, &text).unwrap();
    set_mtime(&path, old);
    let r = ws.ft(&["list", "--format", "json"]).ok();
    r.stdout_has("\"Fabrika\"");

    // An edit within the timestamp granularity, right after the cache was written.
    ws.ft(&["list"]).ok();
    std::fs::write(&path, text.replace("Fabrika", "Northwi")).unwrap();
    let r = ws.ft(&["list", "--format", "json"]).ok();
    r.stdout_has("\"Northwi\"");

    // Deleted, corrupted, or from another set of playbooks: rebuilt, same answer.
    std::fs::remove_file(&cache).unwrap();
    assert!(
        ws.ft(&["list", "--format", "json"])
            .ok()
            .stdout
            .contains("\"Northwi\"")
    );
    std::fs::write(&cache, b"ftcache2 this is not a cache").unwrap();
    assert!(
        ws.ft(&["list", "--format", "json"])
            .ok()
            .stdout
            .contains("\"Northwi\"")
    );
    std::fs::write(&cache, vec![0xff; 4096]).unwrap();
    assert!(
        ws.ft(&["list", "--format", "json"])
            .ok()
            .stdout
            .contains("\"Northwi\"")
    );
    ws.write("playbooks/extra.yaml", "id: extra\nname: Extra\nroles: { FE: FastTrack Engineer }\nmilestones: [opened]\nstages: []\n");
    ws.engagement("x", "customer = \"X\"\nplaybook = \"extra\"\n");
    assert!(
        ws.ft(&["list", "--format", "json"])
            .ok()
            .stdout
            .contains("\"extra\"")
    );
    std::fs::remove_file(ws.path("playbooks/extra.yaml")).unwrap();
    let r = ws.ft(&["check"]).code(1);
    assert!(
        r.stdout
            .contains("engagements/x.toml:2:12: error[unknown-playbook]"),
        "{}",
        r.stdout
    );
    // A deleted engagement file disappears.
    std::fs::remove_file(ws.path("engagements/x.toml")).unwrap();
    ws.ft(&["check"]).ok();
}
