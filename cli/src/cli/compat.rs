//! `--compat REV` / `[sdk] compat` of `charter build`: the declarations renamed since the
//! previous release, for the SDK targets' compatibility shims. REV is a folder holding that
//! release's workspace (relative to the current folder, or to the workspace root), or a git
//! revision of the repository holding the workspace.

use std::path::Path;

use charter_codegen::sdk::{Rename, renames};

use super::crosswalk::Failed;
use super::diff::sides;

/// The renames from `rev` to the workspace at `path` (whose root is `root`); a side that does
/// not load is reported in `report`'s format.
pub fn renamed(
    path: &Path,
    root: &Path,
    rev: &str,
    report: &super::ReportArgs,
) -> Result<Vec<Rename>, Failed> {
    let folder = [Path::new(rev).to_path_buf(), root.join(rev)]
        .into_iter()
        .find(|p| p.join(charter::config::MANIFEST).is_file());
    let both = match &folder {
        Some(folder) => sides(path, Some(folder), None, report)?,
        None => sides(path, None, Some(rev), report)?,
    };
    let old = charter::semantics::model(&both.old.db, both.old.ws);
    let new = charter::semantics::model(&both.new.db, both.new.ws);
    let found = renames(&charter::evolution::diff(old, new));
    both.finish();
    Ok(found)
}
