//! The output folder of `charter build`: where it may be, which of its folders Charter may
//! replace, and the atomic swap that replaces one (see `docs/output.md`).
//!
//! - The output folder is never the workspace root, a source folder or a folder inside one, a
//!   folder holding a source folder or the workspace, nor — when it is named inside the
//!   workspace — a symbolic link leading out of it.
//! - Charter replaces `OUT/<target>/` only when it wrote that folder itself: `OUT/.charter-output.json`
//!   (the mark) lists every target folder Charter wrote there and the files in it. A folder that
//!   the mark does not list, that is a symbolic link, or that holds a file the mark does not list
//!   is refused unless the caller passes `--force`.
//! - Each folder is written into a temporary sibling `.<target>.tmp-<pid>` and swapped in with
//!   renames (the previous folder goes to `.<target>.old-<pid>` and is removed); leftovers of an
//!   interrupted build (a process that no longer runs) are removed by the next build. A rebuild
//!   links the files that kept their bytes and leaves an unchanged folder as it is (`prepare.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use charter::diagnostics::{Diagnostic, codes};
use charter_codegen::OutputFile;

mod prepare;

pub use prepare::{Prepared, prepare, write_folder};

/// The mark: the file in the output folder listing the folders Charter wrote there.
pub const MARK: &str = ".charter-output.json";

/// The largest mark Charter reads (a mark listing a million files is far below it).
const MARK_LIMIT: u64 = 64 * 1024 * 1024;

/// `path` made absolute against `base`, with `.` and `..` removed lexically.
pub fn absolute(base: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` with every symbolic link of its existing part resolved (the part that does not exist
/// yet cannot hold one).
pub fn resolved(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(&existing) {
            let mut out = real;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (
            existing.file_name().map(ToOwned::to_owned),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Checks where the output folder is and returns it with its links resolved. `root` is the
/// workspace root (canonical), `sources` its source folders, `out` the output folder (absolute,
/// lexically normal).
pub fn place(root: &Path, sources: &[String], out: &Path) -> Result<PathBuf, Box<Diagnostic>> {
    let shown = out.display().to_string();
    let misplaced = |message: String, help: &str| {
        Box::new(Diagnostic::path_error(codes::E9011, message, &shown).with_help(help))
    };
    // A link inside the workspace that leads out of it: the build would write (and replace
    // folders) wherever it points.
    if let Ok(inside) = out.strip_prefix(root) {
        let mut prefix = root.to_path_buf();
        for part in inside.components() {
            prefix.push(part);
            let is_link = std::fs::symlink_metadata(&prefix).is_ok_and(|m| m.is_symlink());
            if is_link && !resolved(&prefix).starts_with(root) {
                let link = prefix.display();
                return Err(misplaced(
                    format!(
                        "the output folder `{shown}` goes through the symbolic link `{link}`, which leads out of the workspace"
                    ),
                    &format!(
                        "make `{link}` a real folder, or give `--out` the folder it points to"
                    ),
                ));
            }
        }
    }
    let inside = "name a folder inside the workspace, such as `--out out`";
    let beside = "write outputs beside the sources, such as `--out out`";
    let real = resolved(out);
    if real == root {
        return Err(misplaced(
            format!("the output folder `{shown}` is the workspace root"),
            inside,
        ));
    }
    if root.starts_with(&real) {
        return Err(misplaced(
            format!("the output folder `{shown}` holds the workspace"),
            inside,
        ));
    }
    for source in sources {
        let folder = resolved(&absolute(root, Path::new(source)));
        if folder == root {
            continue;
        }
        if real.starts_with(&folder) {
            return Err(misplaced(
                format!("the output folder `{shown}` is inside the source folder `{source}`"),
                beside,
            ));
        }
        if folder.starts_with(&real) {
            return Err(misplaced(
                format!("the output folder `{shown}` holds the source folder `{source}`"),
                beside,
            ));
        }
    }
    Ok(real)
}

/// What the mark says: target folder → the files Charter wrote in it (relative, `/`-separated).
#[derive(Default, Clone)]
pub struct Mark {
    pub targets: BTreeMap<String, BTreeSet<String>>,
}

impl Mark {
    /// The mark of the output folder `out`; an absent, unreadable or invalid mark marks nothing.
    pub fn read(out: &Path) -> Mark {
        let path = out.join(MARK);
        let regular = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
        if !regular {
            return Mark::default();
        }
        let Ok(bytes) = read_limited(&path, MARK_LIMIT) else {
            return Mark::default();
        };
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
            return Mark::default();
        };
        let mut mark = Mark::default();
        if let Some(targets) = value.get("targets").and_then(|t| t.as_object()) {
            for (name, files) in targets {
                let files = files
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|f| f.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                mark.targets.insert(name.clone(), files);
            }
        }
        mark
    }

    /// Writes the mark into `out` atomically (a temporary sibling, then a rename).
    pub fn write(&self, out: &Path) -> std::io::Result<()> {
        let targets: serde_json::Map<String, serde_json::Value> = self
            .targets
            .iter()
            .map(|(name, files)| (name.clone(), files.iter().cloned().collect()))
            .collect();
        let value = serde_json::json!({
            "generator": "charter",
            "about": "the folders charter build wrote here, with their files; charter replaces only these (docs/output.md)",
            "targets": targets,
        });
        super::write::atomic(&out.join(MARK), format!("{value:#}\n").as_bytes())
    }
}

/// Reads at most `limit` bytes of `path`; more is an error.
fn read_limited(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::other("file too large"));
    }
    Ok(bytes)
}

/// Why Charter may not replace `out/name`: `None` when it may (the folder does not exist, or
/// the mark lists it and every file in it).
pub fn refusal(out: &Path, name: &str, mark: &Mark) -> Option<Diagnostic> {
    let dir = out.join(name);
    let meta = std::fs::symlink_metadata(&dir).ok()?;
    let why = if meta.is_symlink() {
        "is a symbolic link".to_string()
    } else if !meta.is_dir() {
        "is not a folder".to_string()
    } else if let Some(files) = mark.targets.get(name) {
        let mut foreign = Vec::new();
        foreign_entries(&dir, &dir, files, &mut foreign);
        if foreign.is_empty() {
            return None;
        }
        foreign.sort();
        let more = if foreign.len() > 3 {
            format!(" and {} more", foreign.len() - 3)
        } else {
            String::new()
        };
        foreign.truncate(3);
        format!(
            "holds files charter did not write: {}{more}",
            foreign
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        format!("was not written by charter (`{MARK}` does not list it)")
    };
    let shown = dir.display().to_string();
    Some(
        Diagnostic::path_error(
            codes::E9012,
            format!("refusing to replace `{shown}`: it {why}"),
            &shown,
        )
        .with_help("move it away, choose another `--out`, or pass `--force` to replace it"),
    )
}

/// Why `out/name` may never be replaced, even with `--force`: it holds Charter sources (a
/// `.charter` file at any depth, links not followed) — with the default `sources = ["."]` every
/// folder of the workspace is a source folder.
pub fn holds_sources(out: &Path, name: &str) -> Option<Diagnostic> {
    fn find(dir: &Path) -> Option<PathBuf> {
        for entry in std::fs::read_dir(dir).ok()?.flatten() {
            let path = entry.path();
            let t = entry.file_type().ok()?;
            if t.is_dir() {
                if let Some(found) = find(&path) {
                    return Some(found);
                }
            } else if path.extension().is_some_and(|e| e == "charter") {
                return Some(path);
            }
        }
        None
    }
    let dir = out.join(name);
    let meta = std::fs::symlink_metadata(&dir).ok()?;
    if !meta.is_dir() {
        return None;
    }
    let found = find(&dir)?;
    let shown = dir.display().to_string();
    Some(
        Diagnostic::path_error(
            codes::E9011,
            format!(
                "refusing to replace `{shown}`: it holds Charter sources (`{}`)",
                found.display()
            ),
            &shown,
        )
        .with_help("write outputs elsewhere, such as `--out out`"),
    )
}

/// Entries under `dir` that are not among `files`: files, links and anything else (folders are
/// looked into, never followed through a link).
fn foreign_entries(root: &Path, dir: &Path, files: &BTreeSet<String>, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        out.push(super::load::relative(root, dir));
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let rel = super::load::relative(root, &path);
        match entry.file_type() {
            Ok(t) if t.is_dir() => foreign_entries(root, &path, files, out),
            Ok(t) if t.is_file() && files.contains(&rel) => {}
            _ => out.push(rel),
        }
    }
}

/// After `charter bundle sign DIR`: when DIR is a folder Charter wrote (its parent's mark lists
/// it), the mark lists the signatures file too, so the next build replaces the folder.
pub fn note_signed(dir: &Path) {
    let (Some(out), Some(name)) = (dir.parent(), dir.file_name()) else {
        return;
    };
    let out = if out.as_os_str().is_empty() {
        Path::new(".")
    } else {
        out
    };
    let mut mark = Mark::read(out);
    let name = name.to_string_lossy();
    if let Some(files) = mark.targets.get_mut(name.as_ref())
        && files.insert(charter_codegen::bundle::SIGNATURES_FILE.to_string())
    {
        let _ = mark.write(out);
    }
}

/// Whether the process `pid` may still be running (a leftover of it is then left alone).
pub(super) fn alive(pid: u32, modified: Option<std::time::SystemTime>) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if Path::new("/proc/self").exists() {
        return Path::new("/proc").join(pid.to_string()).exists();
    }
    // Without /proc: a leftover younger than a day may belong to a build still running.
    modified
        .and_then(|m| m.elapsed().ok())
        .is_none_or(|age| age.as_secs() < 86_400)
}

/// The process id in a leftover's name: `.<target>.tmp-<pid>`, `.<target>.old-<pid>` (for a
/// known target) or `.charter-output.json.tmp-<pid>`.
fn leftover_pid(name: &str, targets: &[&str]) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    let (stem, pid) = rest.rsplit_once('-')?;
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let known = stem
        .strip_suffix(".tmp")
        .or_else(|| stem.strip_suffix(".old"))
        .is_some_and(|target| targets.contains(&target))
        || stem == format!("{}.tmp", &MARK[1..]);
    if known { pid.parse().ok() } else { None }
}

/// What interrupted builds left in the output folder `out`: the temporary and previous folders
/// (and marks) of processes that no longer run.
pub fn leftovers(out: &Path, targets: &[&str]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(out) else {
        return found;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = leftover_pid(&name.to_string_lossy(), targets) else {
            continue;
        };
        let Ok(meta) = std::fs::symlink_metadata(entry.path()) else {
            continue;
        };
        if !alive(pid, meta.modified().ok()) {
            found.push(entry.path());
        }
    }
    found.sort();
    found
}

/// Removes the [`leftovers`] of interrupted builds from `out`; returns what was removed.
pub fn clean_leftovers(out: &Path, targets: &[&str]) -> Vec<PathBuf> {
    leftovers(out, targets)
        .into_iter()
        .filter(|path| {
            // Never through a link: a link is removed, not what it points to.
            super::write::remove_any(path);
            std::fs::symlink_metadata(path).is_err()
        })
        .collect()
}

/// Replaces `out/name` with `files`, keeping the mark true at every step: the mark lists the
/// old and the new files while the folders are swapped, then only the new ones. The mark is
/// read again right before each write and only this target's entry changes, so builds of other
/// targets into the same folder at the same time keep theirs.
pub fn replace_target(out: &Path, name: &str, files: &[OutputFile]) -> std::io::Result<()> {
    std::fs::create_dir_all(out)?;
    let mark = Mark::read(out);
    let prepared = prepare(&out.join(name), files, mark.targets.get(name))?;
    swap_target(out, name, files, prepared)
}

/// [`replace_target`] with the folder already [`prepare`]d (`prepared` holds `files`).
pub fn swap_target(
    out: &Path,
    name: &str,
    files: &[OutputFile],
    prepared: Prepared,
) -> std::io::Result<()> {
    let new: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
    let mut mark = Mark::read(out);
    if prepared.unchanged() && mark.targets.get(name) == Some(&new) {
        // The folder and its entry in the mark are already what this build would write.
        return prepared.swap();
    }
    let mut during = mark.targets.get(name).cloned().unwrap_or_default();
    during.extend(new.iter().cloned());
    mark.targets.insert(name.to_string(), during);
    mark.write(out)?;
    prepared.swap()?;
    let mut mark = Mark::read(out);
    mark.targets.insert(name.to_string(), new);
    mark.write(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftover_names_are_charters_own_only() {
        let targets = ["rego", "openapi"];
        assert_eq!(leftover_pid(".rego.old-123", &targets), Some(123));
        assert_eq!(leftover_pid(".openapi.tmp-9", &targets), Some(9));
        assert_eq!(
            leftover_pid(".charter-output.json.tmp-42", &targets),
            Some(42)
        );
        assert_eq!(leftover_pid(".notes.tmp-1", &targets), None);
        assert_eq!(leftover_pid(".rego.old-", &targets), None);
        assert_eq!(leftover_pid(".rego.old-12a", &targets), None);
        assert_eq!(leftover_pid("rego.old-12", &targets), None);
        assert_eq!(leftover_pid(".rego.bak-12", &targets), None);
    }

    #[test]
    fn absolute_removes_dots_lexically() {
        assert_eq!(
            absolute(Path::new("/w/ws"), Path::new("./a/../b/./c")),
            PathBuf::from("/w/ws/b/c")
        );
        assert_eq!(
            absolute(Path::new("/w/ws"), Path::new("..")),
            PathBuf::from("/w")
        );
    }
}
