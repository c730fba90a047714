//! `ft edit ID`: the engagement file in an editor, checked before it is saved.

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::Context;
use crate::engagement::load::{self, Loaded};
use crate::error::{Diagnostic, user, user_hint};
use crate::escape;
use crate::workspace::Workspace;

/// Open the engagement file in $VISUAL, $EDITOR or vi; on save, check it as
/// `ft check` does and write it back
///
/// The file is edited as a copy in `.ft/edit/`, without holding the
/// workspace lock, so other `ft` commands go on while the editor is open.
/// A text with errors is shown with `path:line:col` and can be edited again
/// or discarded; your text is kept either way. A file left unchanged is not
/// touched. A file someone else changed while the editor was open is not
/// overwritten: both versions are kept and named. Scripts set the editor,
/// e.g. EDITOR="sed -i s/old/new/" ft edit ID.
#[derive(Debug, clap::Args)]
#[command(after_help = r#"Example: ft edit fabrikam-core --editor "sed -i s/12000/12500/""#)]
pub struct Args {
    /// Engagement id
    #[arg(add = crate::complete::engagement_id())]
    pub id: String,

    /// The editor command, instead of $VISUAL, $EDITOR or vi
    #[arg(long, value_name = "CMD")]
    pub editor: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let ws = ctx.workspace()?;
    let id = args.id.as_str();
    let rel = format!("engagements/{id}.toml");
    let original = current(&ws, id)?.ok_or_else(|| {
        user_hint(
            format!("no engagement `{id}`"),
            format!(
                "`ft list` shows the engagements; `ft new {} --customer NAME` creates one",
                crate::escape::shell(id)
            ),
        )
    })?;
    let editor = editor(args.editor.as_deref());
    let buffer = buffer(&ws, id, &original)?;
    let text = loop {
        run_editor(&editor, &buffer)?;
        let text = crate::fsx::read_path(&buffer, load::MAX_BYTES).map_err(|e| {
            user_hint(
                format!("{e:#}"),
                format!("your text is kept in {}", buffer.display()),
            )
        })?;
        if text == original {
            let _ = std::fs::remove_file(&buffer);
            ctx.say(&format!("{rel}: unchanged; nothing written"))?;
            return Ok(0);
        }
        let errors = errors(&ws, id, &text);
        if errors.is_empty() {
            break text;
        }
        for d in &errors {
            eprintln!(
                "error: {rel}:{}:{}: {}",
                d.line,
                d.column,
                escape::terminal_lines(&d.message)
            );
        }
        if !again()? {
            eprintln!(
                "discarded: {rel} is unchanged; your text is kept in {}",
                escape::terminal(&buffer.display().to_string())
            );
            return Ok(1);
        }
    };
    save(ctx, &ws, id, &original, &text, &buffer)?;
    let _ = std::fs::remove_file(&buffer);
    Ok(0)
}

/// Write the edited text under the lock, unless the file changed meanwhile.
fn save(
    ctx: &Context,
    ws: &Workspace,
    id: &str,
    original: &str,
    text: &str,
    buffer: &Path,
) -> Result<()> {
    let rel = format!("engagements/{id}.toml");
    let session = ws.session()?;
    if current(ws, id)?.as_deref() != Some(original) {
        return Err(user_hint(
            format!(
                "{rel} was changed by someone else while you were editing it; it was not overwritten"
            ),
            format!(
                "both are kept: theirs in {rel}, yours in {}; compare them (diff), then `ft edit {id}` again",
                buffer.display()
            ),
        ));
    }
    let line = format!("{id}: edited ({})", changed_lines(original, text));
    ws.store
        .replace_locked(id, original, text, &line, &ctx.actor())?;
    let path = ws.store.path(id)?;
    session.commit(&[&path], &line)?;
    session.share();
    let Loaded { problems, .. } = load::parse(&path, id, text, &ws.catalog);
    crate::warn_problems(&ws.root, &problems);
    ctx.say(&line)
}

/// "3 lines changed": lines of the new text not in the old, and the other way.
fn changed_lines(old: &str, new: &str) -> String {
    let added = new
        .lines()
        .filter(|l| !old.lines().any(|o| o == *l))
        .count();
    let removed = old
        .lines()
        .filter(|l| !new.lines().any(|n| n == *l))
        .count();
    let n = added.max(removed);
    crate::words::count(n, "line changed", "lines changed")
}

/// The engagement file's text; `None` when there is none.
fn current(ws: &Workspace, id: &str) -> Result<Option<String>> {
    let name = format!("{}.toml", id);
    ws.store.path(id)?;
    let Some(dir) = ws.store.open_dir()? else {
        return Ok(None);
    };
    if dir.kind(&name)?.is_none() {
        return Ok(None);
    }
    Ok(Some(dir.read_text(&name, load::MAX_BYTES)?))
}

/// The errors `ft check` would report in this text.
fn errors(ws: &Workspace, id: &str, text: &str) -> Vec<Diagnostic> {
    let path = ws.store.dir().join(format!("{id}.toml"));
    let Loaded {
        engagement,
        problems,
    } = load::parse(&path, id, text, &ws.catalog);
    let mut errors: Vec<Diagnostic> = problems.into_iter().filter(|d| d.is_error()).collect();
    if engagement.is_none() && errors.is_empty() {
        errors.push(Diagnostic::error(
            &path,
            (1, 1),
            "load",
            "the file cannot be used",
        ));
    }
    errors
}

/// The copy the editor works on: `.ft/edit/ID.PID.toml`.
fn buffer(ws: &Workspace, id: &str, text: &str) -> Result<PathBuf> {
    let ft = crate::engagement::store::private_dir(&ws.root.join(".ft"))?;
    let dir = ft.sub_create("edit")?;
    let name = format!("{id}.{}.toml", std::process::id());
    dir.write_atomic(&name, text.as_bytes())?;
    Ok(dir.join(&name))
}

/// `--editor`, `$VISUAL`, `$EDITOR`, else `vi`.
fn editor(flag: Option<&str>) -> String {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    flag.map(ToString::to_string)
        .filter(|v| !v.trim().is_empty())
        .or_else(|| var("VISUAL"))
        .or_else(|| var("EDITOR"))
        .unwrap_or_else(|| "vi".into())
}

/// Run the editor as git does: through the shell, so that it may carry
/// arguments (`code --wait`, `sed -i ...`), with the file as its last one.
fn run_editor(editor: &str, file: &Path) -> Result<()> {
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg("ft-edit")
        .arg(file)
        .status()
        .map_err(|e| user(format!("cannot run the editor `{editor}`: {e}")))?;
    if !status.success() {
        return Err(user_hint(
            format!("the editor `{editor}` failed ({status}); nothing was written"),
            format!("your text is kept in {}", file.display()),
        ));
    }
    Ok(())
}

/// Ask whether to edit again; without a terminal to ask on, discard.
fn again() -> Result<bool> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() || !std::io::stderr().is_terminal() {
        return Ok(false);
    }
    eprint!("(e)dit again or (d)iscard? [e] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    if stdin.lock().read_line(&mut answer)? == 0 {
        return Ok(false);
    }
    Ok(!answer.trim().to_ascii_lowercase().starts_with('d'))
}
