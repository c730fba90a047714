//! Engagement files on disk: listing, reading, locking and atomic saving.
//!
//! Every mutating command goes through `Workspace::apply` or `Workspace::create`,
//! which hold the workspace lock around [`Store::apply_locked`] and
//! [`Store::create_locked`]: the file is read and validated once, the
//! command's operations ([`super::ops`]) are applied to the `toml_edit`
//! document and recorded as events, the result is validated again and saved
//! once, atomically (temporary file in the same directory, fsync, rename,
//! fsync the directory). All of it goes through [`crate::fsx`]: `engagements/`
//! and `.ft/` must be real directories and the files in them regular files,
//! never links.

use std::fs::File;
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::edit::{EditDoc, Framing};
use super::load::{self, Loaded};
use super::ops::{self, Actor, Op};
use super::{Engagement, check_id};
use crate::error::{Diagnostics, user, user_hint};
use crate::fsx::{self, Dir, Kind};
use crate::playbook::{Catalog, Playbook};

pub const DIR: &str = "engagements";

pub struct Store {
    root: PathBuf,
    dir: PathBuf,
}

/// Held while a command changes the workspace; released on drop.
pub struct Lock {
    _file: File,
}

impl Store {
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            dir: root.join(DIR),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of an engagement id; refuses ids that are not plain names.
    pub fn path(&self, id: &str) -> Result<PathBuf> {
        check_id(id).map_err(|e| {
            user_hint(
                e,
                "engagement ids look like `contoso-teams` or `fabrikam.2026`",
            )
        })?;
        Ok(self.dir.join(format!("{id}.toml")))
    }

    /// `engagements/`, a real directory; `None` when there is none yet.
    pub fn open_dir(&self) -> Result<Option<Dir>> {
        Dir::open(&self.root)?.sub(DIR)
    }

    /// `engagements/`, created when missing.
    fn open_dir_create(&self) -> Result<Dir> {
        Dir::open(&self.root)?.sub_create(DIR)
    }

    /// `(id, path)` of every `*.toml` file in `engagements/`, sorted by id.
    /// Files whose names are not valid ids are returned with `Err`.
    pub fn files(&self) -> Result<Vec<(Result<String, String>, PathBuf)>> {
        match self.open_dir()? {
            Some(dir) => Ok(files_in(&dir)?
                .into_iter()
                .map(|l| (l.id, l.path))
                .collect()),
            None => Ok(Vec::new()),
        }
    }
}

/// One `*.toml` name in `engagements/`: its id (`Err` when the name is not
/// a valid id), its path, and whether the directory listed it as a regular
/// file (a link, device or unknown type is only known once stat'ed).
pub struct Listed {
    pub id: Result<String, String>,
    pub path: PathBuf,
    pub regular: bool,
}

/// [`Store::files`] of `engagements/` already open, with what the listing
/// says of each file's type.
pub fn files_in(dir: &Dir) -> Result<Vec<Listed>> {
    let mut out = Vec::new();
    for (name, kind) in dir.unsorted()? {
        let bytes = name.as_encoded_bytes();
        let Some(stem) = bytes.strip_suffix(b".toml") else {
            continue;
        };
        if bytes.starts_with(b".") {
            continue;
        }
        // A name that is not UTF-8 is a file-name problem, not skipped.
        let id = match std::str::from_utf8(stem) {
            Ok(stem) => check_id(stem).map(|()| stem.to_string()),
            Err(_) => Err(format!(
                "id `{}` is not valid UTF-8; use letters, digits, `-`, `_` and `.` only",
                String::from_utf8_lossy(stem).escape_debug()
            )),
        };
        let path = dir.path().join(&name);
        // Where the stem lies in the path: it ends with `{stem}.toml`.
        let end = path.as_os_str().len() - ".toml".len();
        let listed = Listed {
            id,
            path,
            regular: kind == Kind::File,
        };
        out.push((listed, end - stem.len()..end));
    }
    // By id (the file stem): the order the cache keeps its entries in.
    fn stem((listed, at): &(Listed, Range<usize>)) -> &[u8] {
        &listed.path.as_os_str().as_encoded_bytes()[at.clone()]
    }
    out.sort_unstable_by(|a, b| stem(a).cmp(stem(b)));
    Ok(out.into_iter().map(|(listed, _)| listed).collect())
}

/// [`files_in`] for names already known (the cache's, while the directory
/// is as it was when they were saved), in their order: each is stat'ed.
pub fn named(dir: &Dir, names: &[&str]) -> Vec<Listed> {
    names
        .iter()
        .map(|name| Listed {
            id: check_id(name).map(|()| (*name).to_string()),
            path: dir.join(&format!("{name}.toml")),
            regular: false,
        })
        .collect()
}

impl Store {
    /// Load one engagement by id, failing with its diagnostics when it is unusable.
    pub fn load(&self, id: &str, catalog: &Catalog) -> Result<Engagement> {
        self.load_with_text(id, catalog).map(|(e, _)| e)
    }

    /// The engagement and the text it was loaded from (read once).
    fn load_with_text(&self, id: &str, catalog: &Catalog) -> Result<(Engagement, String)> {
        let path = self.path(id)?;
        let no_engagement = || {
            user_hint(
                format!("no engagement `{id}`"),
                format!(
                    "`ft list` shows the engagements; `ft new {} --customer NAME` creates one",
                    crate::escape::shell(id)
                ),
            )
        };
        let dir = self.open_dir()?.ok_or_else(no_engagement)?;
        let text = dir
            .read_text(&format!("{id}.toml"), load::MAX_BYTES)
            .map_err(|e| match e.downcast_ref::<std::io::Error>() {
                Some(io) if io.kind() == std::io::ErrorKind::NotFound => no_engagement(),
                _ => e,
            })?;
        let Loaded {
            engagement,
            problems,
        } = load::parse(&path, id, &text, catalog);
        match engagement {
            Some(e) => {
                crate::warn_problems(&self.root, &problems);
                Ok((e, text))
            }
            None => Err(Diagnostics(problems).into()),
        }
    }

    /// Take the workspace lock, waiting for another `ft` to finish.
    pub fn lock(&self) -> Result<Lock> {
        crate::lock::acquire(&self.root).map(|l| Lock {
            _file: l.into_file(),
        })
    }

    /// Change one engagement; the caller holds the lock. The file is read
    /// and validated once; `plan` sees the engagement and its playbook and
    /// returns the operations; each is applied to the document and recorded
    /// as an event; the result is validated like `ft check` and written
    /// atomically, or refused with the reason. Nothing is written when no
    /// operation changed anything.
    pub fn apply_locked(
        &self,
        id: &str,
        catalog: &Catalog,
        actor: &Actor,
        plan: impl FnOnce(&Engagement, &Playbook) -> Result<Change>,
    ) -> Result<Applied> {
        let path = self.path(id)?;
        // Loading refuses links, conflict markers, oversize files and broken TOML.
        let (engagement, text) = self.load_with_text(id, catalog)?;
        let playbook = catalog
            .get(&engagement.playbook)
            .ok_or_else(|| user(format!("no playbook `{}`", engagement.playbook)))?;
        let change = plan(&engagement, playbook)?;
        // toml_edit writes LF without a BOM: keep the file's own framing.
        let (framing, body) = Framing::strip(&text);
        let mut doc = EditDoc::parse(&body)
            .map_err(|e| user(format!("cannot parse `{}`: {e}", path.display())))?;
        ops::normalise_roles(&mut doc, playbook);
        let mut events = Vec::new();
        for op in &change.ops {
            events.extend(ops::apply(&mut doc, &engagement, playbook, op).map_err(user)?);
        }
        if events.is_empty() {
            return Ok(Applied {
                line: change.line,
                changed: false,
                engagement,
            });
        }
        for event in events {
            event.record(&mut doc, actor).map_err(user)?;
        }
        let new_text = framing.restore(&doc.to_string());
        let after = validated(&path, id, &new_text, catalog, &text)?;
        self.journal(id, Some(&text), &new_text, &change.line, Some(actor))?;
        let dir = self.open_dir_create()?;
        // Under the lock no other write is under way: any temporary file is a killed one's.
        dir.remove_temporaries(std::time::Duration::ZERO);
        dir.write_atomic(&format!("{id}.toml"), new_text.as_bytes())?;
        Ok(Applied {
            line: change.line,
            changed: true,
            engagement: after,
        })
    }

    /// Create a new engagement file, refusing to replace one; the caller holds the lock.
    pub fn create_locked(&self, id: &str, text: &str) -> Result<PathBuf> {
        let path = self.path(id)?;
        let name = format!("{id}.toml");
        let dir = self.open_dir_create()?;
        if dir.kind(&name)?.is_some() {
            return Err(user_hint(
                format!("engagement `{id}` already exists"),
                format!("see it with `ft show {id}`, or pick another id"),
            ));
        }
        if text.len() > load::MAX_BYTES {
            return Err(too_large(&path, text.len()));
        }
        self.journal(id, None, text, &format!("{id}: created"), None)?;
        dir.remove_temporaries(std::time::Duration::ZERO);
        dir.write_atomic(&name, text.as_bytes())?;
        Ok(path)
    }

    /// Replace a whole engagement file with a text checked by the caller
    /// (`ft edit`), journaled like every change; the caller holds the lock.
    pub fn replace_locked(
        &self,
        id: &str,
        before: &str,
        after: &str,
        line: &str,
        actor: &Actor,
    ) -> Result<()> {
        let path = self.path(id)?;
        if after.len() > load::MAX_BYTES {
            return Err(too_large(&path, after.len()));
        }
        self.journal(id, Some(before), after, line, Some(actor))?;
        let dir = self.open_dir_create()?;
        dir.remove_temporaries(std::time::Duration::ZERO);
        dir.write_atomic(&format!("{id}.toml"), after.as_bytes())
    }

    /// Record the before- and after-image for `ft undo` ([`crate::journal`]),
    /// before the file is written.
    fn journal(
        &self,
        id: &str,
        before: Option<&str>,
        after: &str,
        line: &str,
        actor: Option<&Actor>,
    ) -> Result<()> {
        let journal = crate::journal::Journal::open(&self.root)?;
        journal.record(&crate::journal::Entry {
            version: 1,
            at: actor.map(|a| a.at.to_string()).unwrap_or_default(),
            by: actor.and_then(|a| a.by.clone()),
            line: line.to_string(),
            id: id.to_string(),
            before: before.map(ToString::to_string),
            after: after.to_string(),
        })
    }
}

/// What a command asks to change, and the line that confirms it (also the commit message).
pub struct Change {
    pub ops: Vec<Op>,
    pub line: String,
}

/// The outcome of a change: whether the file changed, and the engagement as it now is.
pub struct Applied {
    pub line: String,
    pub changed: bool,
    pub engagement: Engagement,
}

impl Applied {
    /// The confirmation for the person: the line, or that nothing changed.
    pub fn message(&self) -> String {
        if self.changed {
            self.line.clone()
        } else {
            format!("{} (already so: nothing changed)", self.line)
        }
    }
}

/// The engagement a new text would load as, or the problems that refuse it.
/// A change may not add an error; errors the file already had (a value
/// `ft check` names) do not stop the change that fixes another one.
fn validated(
    path: &Path,
    id: &str,
    text: &str,
    catalog: &Catalog,
    before: &str,
) -> Result<Engagement> {
    if text.len() > load::MAX_BYTES {
        return Err(too_large(path, text.len()));
    }
    let Loaded {
        engagement,
        problems,
    } = load::parse(path, id, text, catalog);
    let known: Vec<(String, String)> = load::parse(path, id, before, catalog)
        .problems
        .into_iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code.to_string(), d.message))
        .collect();
    let errors: Vec<String> = problems
        .iter()
        .filter(|d| d.is_error())
        .filter(|d| !known.contains(&(d.code.to_string(), d.message.clone())))
        .map(|d| format!("  {}:{}: {}", d.line, d.column, d.message))
        .collect();
    match engagement {
        Some(e) if errors.is_empty() => Ok(e),
        _ => Err(user_hint(
            format!(
                "refused: the change would leave `{}` invalid:\n{}",
                path.display(),
                errors.join("\n")
            ),
            "nothing was written; change the engagement so that the new value fits, then try again",
        )),
    }
}

/// The size refusal: the same limit as for reading ([`load::MAX_BYTES`]).
fn too_large(path: &Path, len: usize) -> anyhow::Error {
    user_hint(
        format!(
            "refused: the change would make `{}` {len} bytes; engagement files are limited to {} bytes",
            path.display(),
            load::MAX_BYTES
        ),
        "nothing was written; shorten the text (a long note can live in a linked document)",
    )
}

/// `.ft/`'s own `.gitignore`, so lock and cache never show up in a team's repository.
const PRIVATE_IGNORE: &[u8] = b"# ft's lock and cache: local to this machine\n*\n";

/// Open (creating it) `.ft/` (lock and cache) below the workspace root
/// `dir.parent()`, with a `.gitignore` of its own. `.ft/` must be a real
/// directory and what ft keeps in it regular files: a link there (to a
/// folder, a device or a file elsewhere) is refused with its name, so
/// nothing outside the workspace is created or written through it.
pub fn private_dir(dir: &Path) -> Result<Dir> {
    let (root, name) = fsx::split(dir)?;
    let ft = Dir::open(root)?.sub_create(name)?;
    for file in [".gitignore", "lock", "tree", "cache"] {
        ft.expect_file_or_nothing(file)?;
    }
    let _ = ft.create_new(".gitignore", PRIVATE_IGNORE);
    // Writes of the cache are not under the lock: only old leftovers go.
    ft.remove_temporaries(std::time::Duration::from_secs(600));
    Ok(ft)
}

/// Read a text file the person named, refusing directories, devices, FIFOs,
/// oversize files (by bytes read) and invalid UTF-8, naming the path.
pub fn read(path: &Path) -> Result<String> {
    fsx::read_path(path, load::MAX_BYTES)
}

/// Write a file the person named atomically (temporary file in the same
/// directory, fsync, rename, fsync the directory); only a new or regular
/// file is replaced, never a link, device or FIFO.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    fsx::write_path(path, bytes)
}

/// [`write_atomic`], calling `before_rename` with the temporary file's path
/// once it is written and synced: tests inject a failure there.
#[cfg(test)]
fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    before_rename: impl FnOnce(&Path) -> std::io::Result<()>,
) -> Result<()> {
    let (dir, name) = fsx::split(path)?;
    Dir::open(dir)?.write_atomic_with(name, bytes, before_rename)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".ft-"))
            .collect()
    }

    fn catalog() -> Catalog {
        let mut c = Catalog::default();
        for p in crate::playbook::builtin::all() {
            c.insert(p);
        }
        c
    }

    /// A valid engagement text of exactly `len` bytes (padded with a comment).
    fn text_of(len: usize) -> String {
        let head = "customer = \"C\"\nplaybook = \"m365-general-engagement\"\n#";
        format!("{head}{}\n", "x".repeat(len - head.len() - 1))
    }

    #[test]
    fn the_size_limit_is_the_same_for_writing_as_for_reading() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let at_limit = text_of(load::MAX_BYTES);
        let over = text_of(load::MAX_BYTES + 1);
        assert!(
            validated(Path::new("a.toml"), "a", &at_limit, &catalog(), "").is_ok(),
            "a file of exactly the limit is valid"
        );
        let err = validated(Path::new("a.toml"), "a", &over, &catalog(), "").unwrap_err();
        assert!(format!("{err}").contains("1048577 bytes"), "{err}");
        assert!(store.create_locked("a", &at_limit).is_ok());
        let err = store.create_locked("b", &over).unwrap_err();
        assert!(format!("{err}").contains("1048577 bytes"), "{err}");
        assert!(!dir.path().join("engagements/b.toml").exists());
    }

    #[test]
    fn a_missing_engagement_is_named_with_a_hint() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let err = store.load("nope", &catalog()).unwrap_err();
        assert_eq!(format!("{err}"), "no engagement `nope`");
        // Any other failure to read says what it is, not "no engagement".
        fs::create_dir_all(dir.path().join("engagements/d.toml")).unwrap();
        let err = store.load("d", &catalog()).unwrap_err();
        assert_ne!(format!("{err}"), "no engagement `d`", "{err:#}");
    }

    #[test]
    fn a_failure_before_the_rename_leaves_the_old_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        let old = b"customer = \"C\"\n# the old file, byte for byte\n";
        fs::write(&path, old).unwrap();
        let err = write_atomic_with(&path, b"customer = \"New\"\n", |_| {
            Err(std::io::Error::other("injected failure"))
        })
        .expect_err("a failure before the rename is reported");
        assert!(format!("{err:#}").contains("injected failure"), "{err:#}");
        assert_eq!(
            fs::read(&path).unwrap(),
            old,
            "the old file must survive a failure between write and rename"
        );
        assert_eq!(
            leftovers(dir.path()),
            Vec::<String>::new(),
            "the temporary file must be removed after a failure"
        );
    }

    #[test]
    fn the_new_bytes_go_to_a_temporary_file_renamed_over_the_old() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        let old = b"customer = \"C\"\n".as_slice();
        let new = b"customer = \"New\"\n[tasks]\n".as_slice();
        fs::write(&path, old).unwrap();
        let mut seen = None;
        write_atomic_with(&path, new, |tmp| {
            assert_eq!(
                fs::read(&path).unwrap(),
                old,
                "the original must be untouched until the rename"
            );
            assert_eq!(
                fs::read(tmp).unwrap(),
                new,
                "the temporary file must hold the new bytes before the rename"
            );
            assert_eq!(
                tmp.parent(),
                path.parent(),
                "same directory, same file system"
            );
            seen = Some(tmp.to_path_buf());
            Ok(())
        })
        .unwrap();
        let tmp = seen.expect("the hook runs before the rename");
        assert_eq!(fs::read(&path).unwrap(), new, "the new file is in place");
        assert!(!tmp.exists(), "the temporary file was renamed, not copied");
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

    #[cfg(unix)]
    #[test]
    fn write_atomic_replaces_the_file_instead_of_writing_into_it() {
        use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        let link = dir.path().join("link");
        fs::write(&path, "old\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        fs::hard_link(&path, &link).unwrap();
        let ino = fs::metadata(&path).unwrap().ino();
        write_atomic(&path, b"new\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new\n");
        assert_eq!(
            fs::read_to_string(&link).unwrap(),
            "old\n",
            "write_atomic must rename a new file into place, not write into the old one"
        );
        assert_ne!(fs::metadata(&path).unwrap().ino(), ino);
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600,
            "the replaced file keeps its permissions"
        );
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn a_new_file_is_not_created_when_the_write_fails() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.toml");
        assert!(
            write_atomic_with(&path, b"x = 1\n", |_| Err(std::io::Error::other("no"))).is_err()
        );
        assert!(!path.exists(), "no half-made file under the real name");
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
        write_atomic(&path, b"x = 1\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"x = 1\n");
    }
}
