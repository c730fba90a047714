//! `ft config`: the personal settings, where each comes from, and writing them.

use std::path::{Path, PathBuf};

use anyhow::Result;
use toml_edit::{DocumentMut, Item, Table, Value};

use crate::Context;
use crate::error::{suggest, user, user_hint};
use crate::render::{Format, json};
use crate::workspace::{Config, Found};
use crate::{escape, fsx};

/// Show my personal settings (me, role, capacity, skills, workspace) and
/// where each comes from, or change one
///
/// The personal config is a TOML file: `$FT_CONFIG`, or `config.toml` in the
/// platform's config directory (`ft config path` prints it). `ft config set`
/// creates it and its directory, and keeps the comments already in it.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: ft config")]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Show the effective settings and where each comes from (the default)
    #[command(after_help = "Example: ft config show")]
    Show,
    /// Print the path of the personal config file
    #[command(after_help = "Example: ft config path")]
    Path,
    /// Set one personal setting: me, role, capacity, workspace or skills.SERVICE
    #[command(after_help = "\
Examples:
  ft config set capacity 6
  ft config set skills.AKS 4")]
    Set {
        /// me, role, capacity, workspace, or skills.SERVICE (a level from 1 to 4)
        key: String,
        /// The new value
        value: String,
    },
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    match args.action.unwrap_or(Action::Show) {
        Action::Show => show(ctx),
        Action::Path => {
            ctx.print(&format!(
                "{}\n",
                escape::terminal(&path(ctx)?.display().to_string())
            ))?;
            Ok(0)
        }
        Action::Set { key, value } => set(ctx, &key, &value),
    }
}

/// The personal config file, whether or not it exists yet.
fn path(ctx: &Context) -> Result<PathBuf> {
    ctx.config.path.clone().ok_or_else(|| {
        user_hint(
            "this system has no config directory for ft",
            "set FT_CONFIG to the file to use, e.g. FT_CONFIG=~/.ft.toml",
        )
    })
}

/// One row of `ft config`: the setting, its value, where it comes from.
#[derive(serde::Serialize)]
struct Row {
    key: String,
    value: Option<String>,
    from: String,
}

fn rows(ctx: &Context, file: &str) -> Vec<Row> {
    let c = &ctx.config;
    let row = |key: &str, value: Option<String>, from: &str| Row {
        key: key.to_string(),
        from: if value.is_some() { from } else { "not set" }.to_string(),
        value,
    };
    let me_from = match ctx.me_from() {
        "config" => file.to_string(),
        other => other.to_string(),
    };
    let skills = (!c.skills.is_empty()).then(|| {
        let list: Vec<String> = c.skills.iter().map(|(s, l)| format!("{s} {l}")).collect();
        list.join(", ")
    });
    let (ws, ws_from) = match ctx.workspace_found() {
        Some((p, found)) => (Some(p.display().to_string()), found_words(found, file)),
        None => (None, String::new()),
    };
    vec![
        row("me", ctx.me_opt().map(ToString::to_string), &me_from),
        row("role", c.role.clone(), file),
        row("capacity", c.capacity.map(|n| n.to_string()), file),
        row("skills", skills, file),
        row("workspace", ws, &ws_from),
    ]
}

fn found_words(found: Found, file: &str) -> String {
    match found {
        Found::Flag => "-w/--workspace".into(),
        Found::Env => "FT_WORKSPACE".into(),
        Found::Ancestor => "the nearest ft.toml upward".into(),
        Found::Config => file.to_string(),
        Found::DataDir => "the platform data directory".into(),
    }
}

fn show(ctx: &Context) -> Result<i32> {
    let path = path(ctx)?;
    let file = path.display().to_string();
    let rows = rows(ctx, &file);
    if ctx.format == Format::Json {
        let out = serde_json::json!({
            "config": file,
            "exists": path.is_file(),
            "settings": rows,
        });
        ctx.print(&json(&out))?;
        return Ok(0);
    }
    let width = rows.iter().map(|r| r.key.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in &rows {
        let value = r.value.as_deref().unwrap_or("-");
        out.push_str(&format!(
            "{:width$}  {}  ({})\n",
            r.key,
            escape::terminal(value),
            escape::terminal(&r.from)
        ));
    }
    let exists = if path.is_file() {
        ""
    } else {
        " (not created yet: `ft config set` creates it)"
    };
    out.push_str(&format!(
        "\npersonal config: {}{exists}\n",
        escape::terminal(&file)
    ));
    ctx.print(&out)?;
    Ok(0)
}

const KEYS: [&str; 5] = ["me", "role", "capacity", "workspace", "skills.SERVICE"];

fn set(ctx: &Context, key: &str, value: &str) -> Result<i32> {
    let path = path(ctx)?;
    let old = match std::fs::symlink_metadata(&path) {
        Ok(_) => crate::engagement::store::read(&path)?,
        Err(_) => String::new(),
    };
    let mut doc: DocumentMut = old
        .parse()
        .map_err(|e| user(format!("cannot parse `{}`: {e}", path.display())))?;
    let shown = edit(&mut doc, key.trim(), value.trim())?;
    let text = doc.to_string();
    // The new file must load as a config: the same check every command makes.
    Config::parse(&path, &text)?;
    if text == old {
        ctx.say(&format!(
            "{} is already {shown}: nothing changed",
            key.trim()
        ))?;
        return Ok(0);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| user(format!("cannot create `{}`: {e}", dir.display())))?;
    }
    fsx::write_path(&path, text.as_bytes())?;
    ctx.say(&format!("{} = {shown} in {}", key.trim(), path.display()))?;
    Ok(0)
}

/// Change one key of the document; returns the value as it was written.
fn edit(doc: &mut DocumentMut, key: &str, value: &str) -> Result<String> {
    let new: Value = match key {
        "me" | "role" => {
            if value.is_empty() {
                return Err(user(format!("`{key}` needs a value")));
            }
            value.into()
        }
        "capacity" => i64::from(number(key, value)?).into(),
        "workspace" => absolute(value)?.display().to_string().into(),
        _ => {
            if let Some(service) = key.strip_prefix("skills.").filter(|s| !s.is_empty()) {
                let level = number(key, value)?;
                if !(1..=4).contains(&level) {
                    return Err(user_hint(
                        format!("skill levels go from 1 to 4, not {level}"),
                        "1 aware, 2 practised, 3 proficient, 4 expert",
                    ));
                }
                set_skill(doc, service, i64::from(level));
                return Ok(level.to_string());
            }
            let hint = suggest(key, KEYS).unwrap_or_else(|| format!("keys: {}", KEYS.join(", ")));
            return Err(user_hint(format!("no personal setting `{key}`"), hint));
        }
    };
    let shown = new.to_string();
    put(doc.as_table_mut(), key, new);
    Ok(shown)
}

/// Set a value, keeping the old value's comment and spacing.
fn put(table: &mut Table, key: &str, mut value: Value) {
    match table.get_mut(key) {
        // In place: the key keeps the comment lines above it.
        Some(item) => {
            if let Some(old) = item.as_value() {
                *value.decor_mut() = old.decor().clone();
            }
            *item = Item::Value(value);
        }
        None => {
            table.insert(key, Item::Value(value));
        }
    }
}

fn number(key: &str, value: &str) -> Result<u32> {
    value
        .parse::<u32>()
        .map_err(|_| user(format!("`{key}` is a whole number, not `{value}`")))
}

/// A workspace given relative to the current directory, as typed.
fn absolute(value: &str) -> Result<PathBuf> {
    if value.is_empty() {
        return Err(user("`workspace` needs a directory"));
    }
    let p = Path::new(value);
    Ok(if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()?.join(p)
    })
}

/// `[skills] SERVICE = LEVEL`; a list of skills (`skills = ["AKS"]`, each
/// level 3) becomes a table first, keeping the levels it meant.
fn set_skill(doc: &mut DocumentMut, service: &str, level: i64) {
    let root = doc.as_table_mut();
    if let Some(item) = root.get_mut("skills")
        && let Some(list) = item.as_array()
    {
        let mut table = Table::new();
        for s in list.iter().filter_map(Value::as_str) {
            table.insert(s, toml_edit::value(3));
        }
        *item = Item::Table(table);
    }
    let skills = root
        .entry("skills")
        .or_insert_with(|| Item::Table(Table::new()));
    match skills {
        Item::Table(t) => put(t, service, level.into()),
        Item::Value(Value::InlineTable(t)) => {
            let mut v = Value::from(level);
            match t.get_mut(service) {
                Some(old) => {
                    *v.decor_mut() = old.decor().clone();
                    *old = v;
                }
                None => {
                    t.insert(service, v);
                }
            }
        }
        other => *other = Item::Table(Table::from_iter([(service, level)])),
    }
}
