//! A target folder made ready to be swapped in (`output::replace_target`): written into its
//! temporary sibling, with the files a rebuild did not change hard-linked from the previous
//! folder, or left as it is when nothing changed (see [`prepare`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use charter_codegen::OutputFile;

/// Writes `files` as the whole content of `dir`: into a temporary sibling first, then swapped
/// in with renames. On any error the previous `dir` is left as it was.
pub fn write_folder(dir: &Path, files: &[OutputFile]) -> std::io::Result<()> {
    prepare(dir, files, None)?.swap()
}

/// A target's files ready to be swapped in: written into the temporary sibling folder, or
/// already in place. Dropped without [`Prepared::swap`], the temporary folder is removed.
pub struct Prepared {
    dir: PathBuf,
    /// `None`: the folder already holds exactly these files; nothing is to be swapped.
    tmp: Option<PathBuf>,
    swapped: bool,
}

/// Makes `files` ready to replace `dir`, without touching `dir`: they are written into its
/// temporary sibling (`.<name>.tmp-<pid>`). `ours` lists the files of `dir` Charter wrote (the
/// mark's entry for it): such a file that already holds the same bytes is hard-linked into the
/// new folder instead of written again, and when `dir` holds exactly `files` and nothing else,
/// nothing is written at all. A rebuild then creates and deletes far fewer inodes (on ext4
/// without a journal each deletion slows the next minute's creations: docs/benchmarks.md).
/// `charter build` prepares a target on the thread that emitted it, while the targets before
/// it are still being emitted or swapped in.
pub fn prepare(
    dir: &Path,
    files: &[OutputFile],
    ours: Option<&BTreeSet<String>>,
) -> std::io::Result<Prepared> {
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let same = match ours {
        Some(ours) if std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) => {
            unchanged_files(dir, files, ours)
        }
        _ => Vec::new(),
    };
    let all_same = same.len() == files.len() && same.iter().all(|same| *same);
    if all_same && ours.is_some_and(|ours| holds_exactly(dir, files, ours)) {
        return Ok(Prepared {
            dir: dir.to_path_buf(),
            tmp: None,
            swapped: false,
        });
    }
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    super::super::write::remove_any(&tmp);
    // From here on, dropping `prepared` removes the temporary folder.
    let prepared = Prepared {
        dir: dir.to_path_buf(),
        tmp: Some(tmp.clone()),
        swapped: false,
    };
    fill(&tmp, files, dir, &same)?;
    Ok(prepared)
}

/// For each of `files`, whether `dir` already holds it, byte for byte, as a regular file that
/// Charter wrote (`ours`).
fn unchanged_files(dir: &Path, files: &[OutputFile], ours: &BTreeSet<String>) -> Vec<bool> {
    files
        .iter()
        .map(|file| {
            if !ours.contains(&file.path) || !charter::config::is_relative_inside(&file.path) {
                return false;
            }
            let path = dir.join(&file.path);
            let regular = std::fs::symlink_metadata(&path)
                .is_ok_and(|m| m.is_file() && m.len() == file.bytes.len() as u64);
            regular && std::fs::read(&path).is_ok_and(|bytes| bytes == file.bytes)
        })
        .collect()
}

/// Whether `dir` holds `files` and nothing else: no other file, link or folder (every folder
/// holds one of `files`), and the mark lists exactly `files` for it.
fn holds_exactly(dir: &Path, files: &[OutputFile], ours: &BTreeSet<String>) -> bool {
    let wanted: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    if ours.len() != wanted.len() || ours.iter().any(|p| !wanted.contains(p.as_str())) {
        return false;
    }
    let mut folders: BTreeSet<&str> = BTreeSet::new();
    for path in &wanted {
        let mut rest = *path;
        while let Some((folder, _)) = rest.rsplit_once('/') {
            if !folders.insert(folder) {
                break;
            }
            rest = folder;
        }
    }
    let mut found = Vec::new();
    if !entries(dir, dir, &mut found) {
        return false;
    }
    found.len() == wanted.len() + folders.len()
        && found.iter().all(|(path, is_dir)| {
            if *is_dir {
                folders.contains(path.as_str())
            } else {
                wanted.contains(path.as_str())
            }
        })
}

/// Every entry under `dir` (relative path, whether it is a folder), never through a link;
/// `false` when a folder cannot be read.
fn entries(root: &Path, dir: &Path, out: &mut Vec<(String, bool)>) -> bool {
    let Ok(list) = std::fs::read_dir(dir) else {
        return false;
    };
    for entry in list {
        let Ok(entry) = entry else {
            return false;
        };
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        out.push((super::super::load::relative(root, &path), is_dir));
        if is_dir && !entries(root, &path, out) {
            return false;
        }
    }
    true
}

impl Prepared {
    /// Swaps the temporary folder in with renames (the previous folder goes to
    /// `.<name>.old-<pid>` and is removed). On any error the previous folder is left as it was.
    pub fn swap(mut self) -> std::io::Result<()> {
        let Some(tmp) = &self.tmp else {
            // Already in place.
            self.swapped = true;
            return Ok(());
        };
        let dir = &self.dir;
        let parent = dir.parent().unwrap_or(Path::new("."));
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        let had_old = std::fs::symlink_metadata(dir).is_ok();
        if had_old {
            super::super::write::remove_any(&old);
            std::fs::rename(dir, &old)?;
        }
        if let Err(error) = std::fs::rename(tmp, dir) {
            if had_old {
                let _ = std::fs::rename(&old, dir);
            }
            return Err(error);
        }
        self.swapped = true;
        if had_old {
            super::super::write::remove_any(&old);
        }
        Ok(())
    }

    /// Whether the folder already held exactly these files (nothing was written).
    pub fn unchanged(&self) -> bool {
        self.tmp.is_none()
    }
}

impl Drop for Prepared {
    fn drop(&mut self) {
        if let (false, Some(tmp)) = (self.swapped, &self.tmp) {
            super::super::write::remove_any(tmp);
        }
    }
}

/// Writes `files` into the new folder `tmp`: every folder once (parents first), then the files
/// on two threads, each taking the next file ([`charter::parallel::map`]; a large target is
/// hundreds of small files, and the kernel's work creating them is most of a build's system
/// time). A file marked in `same` is hard-linked from `dir`, where
/// it already holds these bytes (written when the link cannot be made).
fn fill(tmp: &Path, files: &[OutputFile], dir: &Path, same: &[bool]) -> std::io::Result<()> {
    // A target may have nothing to write (no services): its folder is then empty.
    std::fs::create_dir(tmp)?;
    let mut folders = BTreeSet::new();
    for file in files {
        if !charter::config::is_relative_inside(&file.path) {
            return Err(std::io::Error::other(format!(
                "refusing to write outside the output folder: {}",
                file.path
            )));
        }
        let mut folder = Path::new(&file.path).parent();
        while let Some(f) = folder.filter(|f| !f.as_os_str().is_empty()) {
            if !folders.insert(f) {
                break;
            }
            folder = f.parent();
        }
    }
    // Sorted, a folder comes before the folders inside it.
    for folder in &folders {
        std::fs::create_dir(tmp.join(folder))?;
    }
    let jobs: Vec<(&OutputFile, bool)> = files
        .iter()
        .enumerate()
        .map(|(i, file)| (file, same.get(i).copied().unwrap_or(false)))
        .collect();
    // The first failure in the files' order is the one reported.
    charter::parallel::map(&jobs, std::num::NonZeroUsize::new(2), |(file, same)| {
        let to = tmp.join(&file.path);
        if *same && std::fs::hard_link(dir.join(&file.path), &to).is_ok() {
            return Ok(());
        }
        std::fs::write(to, &file.bytes)
    })
    .into_iter()
    .collect()
}
