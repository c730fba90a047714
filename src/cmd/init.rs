//! `ft init [DIR] [--demo]`: create a workspace.

use std::fs;
use std::path::PathBuf;

use anyhow::{Context as _, Result};

use crate::Context;
use crate::engagement::store::{DIR, write_atomic};
use crate::error::user_hint;
use crate::workspace::{FILE, PLAYBOOK_DIR};

/// Create a workspace: ft.toml (settings and business calendar), engagements/ and playbooks/
///
/// With --demo, also write a realistic team workspace: eight engagements
/// across the three built-in playbooks, dated relative to today, with
/// overdue work and missing DIBS to try `ft next --as alice` on.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft init team --demo")]
pub struct Args {
    /// Directory to create the workspace in
    #[arg(default_value = ".", value_hint = clap::ValueHint::DirPath)]
    pub dir: PathBuf,

    /// Fill the workspace with sample engagements dated relative to today
    #[arg(long)]
    pub demo: bool,
}

const SETTINGS: &str = r#"# ft workspace settings.

# The business calendar for SLAs counted in business days (`2bd`).
[calendar]
weekend = ["Sat", "Sun"]
holidays = []            # e.g. [2026-12-25, 2027-01-01]

# Playbook for `ft new` when --playbook is not given.
# default_playbook = "m365-general-engagement"

# Commit each change when the workspace is a git repository, and push it
# when the branch has an upstream ("manual": only `ft sync` pushes).
[git]
commit = true
push = "auto"
"#;

const PLAYBOOKS_README: &str = "\
# Local playbooks

YAML playbooks here add to the built-in ones; a playbook with the id of a
built-in one replaces it in this workspace. See `ft playbook show ID` for the
shape, and `ft playbook check FILE` to validate one.
";

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let root = args.dir;
    let settings = root.join(FILE);
    if settings.exists() {
        return Err(user_hint(
            format!("`{}` is already a workspace", root.display()),
            "use it as it is; `ft check` validates it",
        ));
    }
    // Never replace engagement files someone already has, before writing anything.
    if args.demo {
        let taken: Vec<String> = crate::demo::ENGAGEMENTS
            .iter()
            .map(|(id, _)| root.join(DIR).join(format!("{id}.toml")))
            .filter(|p| fs::symlink_metadata(p).is_ok())
            .map(|p| format!("`{}`", p.display()))
            .collect();
        if !taken.is_empty() {
            return Err(user_hint(
                format!(
                    "{} already exist; the demo would replace them",
                    taken.join(", ")
                ),
                "run `ft init --demo` in an empty directory, or `ft init` without --demo to keep your files",
            ));
        }
    }
    for dir in [root.join(DIR), root.join(PLAYBOOK_DIR)] {
        fs::create_dir_all(&dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    }
    write_atomic(&settings, SETTINGS.as_bytes())?;
    let readme = root.join(PLAYBOOK_DIR).join("README.md");
    if fs::symlink_metadata(&readme).is_err() {
        write_atomic(&readme, PLAYBOOKS_README.as_bytes())?;
    }
    crate::git::add_attributes(&root.join(".gitattributes"))?;
    let gitignore = root.join(".gitignore");
    if !gitignore.exists() {
        write_atomic(
            &gitignore,
            b"# ft's lock file and cache\n.ft/\n# temporary files of a write that was killed\n.ft-*.tmp\n",
        )?;
    }
    if args.demo {
        for (id, template) in crate::demo::ENGAGEMENTS {
            let path = root.join(DIR).join(format!("{id}.toml"));
            write_atomic(&path, crate::demo::expand(template, ctx.today).as_bytes())?;
        }
    }
    for did in crate::git::setup_driver(&root)? {
        eprintln!("note: {did} (ft's merge driver keeps both sides' notes and events)");
    }
    let what = if args.demo {
        "demo workspace"
    } else {
        "workspace"
    };
    ctx.say(&format!("Created {what} in {}", root.display()))?;
    if args.demo {
        ctx.say(&format!(
            "Try: ft -w {} --as alice next   (people: alice, bob, carlos, dana, erin)",
            root.display()
        ))?;
    }
    Ok(0)
}
