//! Reading a workspace as it was at a git revision (`charter diff --against`, `charter
//! changelog --against`, `charter crosswalk --diff REV`): the workspace's folder at that
//! revision is extracted with `git archive REV:PREFIX` (run from the repository's top folder)
//! into a temporary folder `charter-rev-<pid>-…`, removed when the command ends (and by a
//! later command when the process was killed).

use std::path::{Path, PathBuf};
use std::process::Command;

use charter::diagnostics::{Diagnostic, codes};

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
    }
}

/// The prefix of the temporary folders revisions are extracted into, followed by the process id.
const EXTRACTED: &str = "charter-rev-";

/// Removes the extraction folders of processes that no longer run (killed before they could
/// remove their own): `charter-rev-<pid>-…` in the temporary folder, never through a link.
fn clean_extractions() {
    let tmp = std::env::temp_dir();
    let Ok(entries) = std::fs::read_dir(&tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Some(pid) = name
            .strip_prefix(EXTRACTED)
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(meta) = std::fs::symlink_metadata(entry.path()) else {
            continue;
        };
        if meta.is_dir() && !super::output::alive(pid, meta.modified().ok()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The workspace rooted at `root`, as it was at revision `rev`, in a temporary folder.
pub fn extract(root: &Path, rev: &str) -> Result<tempfile::TempDir, Box<Diagnostic>> {
    let not_found = |detail: String| {
        Box::new(Diagnostic::command_error(
            codes::E9013,
            format!(
                "`{rev}` is neither a folder nor a git revision of the repository holding `{}`{}",
                root.display(),
                if detail.is_empty() {
                    String::new()
                } else {
                    format!(" ({detail})")
                }
            ),
        )
        .with_help("give a workspace folder, or a revision such as `HEAD~1` or `main`"))
    };
    let prefix = git(root, &["rev-parse", "--show-prefix"]).map_err(&not_found)?;
    let prefix = String::from_utf8_lossy(&prefix)
        .trim()
        .trim_end_matches('/')
        .to_string();
    let commit = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|_| not_found(String::new()))?;
    let commit = String::from_utf8_lossy(&commit).trim().to_string();
    // `git archive` limits itself to the current folder: run it from the repository's top.
    let top = git(root, &["rev-parse", "--show-toplevel"]).map_err(&not_found)?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim());
    let tree = format!("{commit}:{prefix}");
    let tar = git(&top, &["archive", "--format=tar", &tree]).map_err(|e| {
        Box::new(
            Diagnostic::command_error(
                codes::E9013,
                format!(
                    "the workspace folder `{}` does not exist at revision `{rev}` ({e})",
                    if prefix.is_empty() { "." } else { &prefix }
                ),
            )
            .with_help("give a revision at which the workspace existed, or a workspace folder"),
        )
    })?;
    clean_extractions();
    let dir = tempfile::Builder::new()
        .prefix(&format!("{EXTRACTED}{}-", std::process::id()))
        .tempdir()
        .map_err(|e| {
            Box::new(
                Diagnostic::command_error(
                    codes::E9010,
                    format!("cannot create a temporary folder: {e}"),
                )
                .with_help("check the temporary folder (`TMPDIR`): it must exist and be writable"),
            )
        })?;
    tar::Archive::new(tar.as_slice())
        .unpack(dir.path())
        .map_err(|e| {
            Box::new(
                Diagnostic::command_error(
                    codes::E9010,
                    format!("cannot extract revision `{rev}`: {e}"),
                )
                .with_help(
                    "check the temporary folder (`TMPDIR`): it must be writable and have room",
                ),
            )
        })?;
    Ok(dir)
}
