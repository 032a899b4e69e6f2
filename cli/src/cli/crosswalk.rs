//! `charter crosswalk --diff OLD [PATH] [--fail-on-loss] [--format json]`: what changed in
//! compliance coverage between OLD and the workspace at PATH, as Markdown for a pull-request
//! comment (on stdout), or as JSON with `--format json`.
//!
//! OLD is a workspace folder, or a git revision of the repository holding PATH's workspace
//! (`HEAD~1`, `main`): the workspace's folder at that revision is extracted with
//! `git archive REV:PREFIX` (run from the repository's top folder) into a temporary folder and loaded from there. A folder named like
//! a revision wins. Exit codes: 0 the diff was printed; 1 with `--fail-on-loss` when a
//! requirement lost coverage; 2 when either side cannot be loaded or compiled (its diagnostics
//! are printed), OLD is neither a folder nor a revision, or git fails.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use charter::ir::Model;
use charter_codegen::crosswalk::diff;

use super::{ReportArgs, emit, load, sources};

#[derive(clap::Args)]
pub struct CrosswalkArgs {
    /// The workspace folder (or any folder or file inside it).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The earlier side: a workspace folder, or a git revision (`HEAD~1`, `main`).
    #[arg(long, value_name = "OLD", required = true)]
    pub diff: String,
    /// Exit 1 when any requirement lost coverage.
    #[arg(long)]
    pub fail_on_loss: bool,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Why the diff could not be made: already reported on stderr; exit 2.
pub(super) struct Failed;

pub fn run(args: &CrosswalkArgs) -> ExitCode {
    let new = match compile(&args.path, "the workspace", &args.report) {
        Ok(loaded) => loaded,
        Err(Failed) => return ExitCode::from(2),
    };
    // Keeps the extracted revision alive until the old side is compiled.
    let mut _extracted = None;
    let old_path = Path::new(&args.diff);
    let old = if old_path.exists() {
        compile(old_path, &format!("OLD (`{}`)", args.diff), &args.report)
    } else {
        match extract(&new.root, &args.diff) {
            Ok(dir) => {
                let result = compile(
                    dir.path(),
                    &format!("OLD (revision `{}`)", args.diff),
                    &args.report,
                );
                _extracted = Some(dir);
                result
            }
            Err(message) => {
                let _ = writeln!(std::io::stderr(), "error: {message}");
                return ExitCode::from(2);
            }
        }
    };
    let Ok(old) = old else {
        return ExitCode::from(2);
    };
    let d = diff::diff(model(&old), model(&new));
    let new_name = args.path.display().to_string();
    // `--format json` is the diff as JSON (and diagnostics as JSON); otherwise Markdown.
    let text = if args.report.format == super::Format::Json {
        format!("{:#}\n", diff::json(&d, &args.diff, &new_name))
    } else {
        diff::markdown(&d, &args.diff, &new_name)
    };
    let _ = super::stdout().write_all(text.as_bytes());
    let lost = d.lost();
    // The process ends here: freeing the databases' memo tables one by one only costs time.
    std::mem::forget(old);
    std::mem::forget(new);
    if args.fail_on_loss && lost > 0 {
        let _ = writeln!(
            std::io::stderr(),
            "{lost} requirement(s) lost coverage (--fail-on-loss)"
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn model(loaded: &load::Loaded) -> &Model {
    charter::semantics::model(&loaded.db, loaded.ws)
}

/// Loads and type-checks the workspace at `path`; on failure prints why (`what` names the side).
pub(super) fn compile(
    path: &Path,
    what: &str,
    report: &ReportArgs,
) -> Result<load::Loaded, Failed> {
    let mut stderr = std::io::stderr().lock();
    let loaded = match load::load(path) {
        Ok(loaded) => loaded,
        Err(error) => {
            emit(&[*error.diagnostic], &super::Sources::new(), report);
            let _ = writeln!(stderr, "error: {what} is not a Charter workspace");
            return Err(Failed);
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    loaded.db.prewarm(loaded.ws, threads);
    let diagnostics = charter::semantics::diagnostics(&loaded.db, loaded.ws);
    if diagnostics
        .iter()
        .any(charter::diagnostics::Diagnostic::is_error)
    {
        emit(diagnostics, &sources(&loaded), report);
        let _ = writeln!(stderr, "error: {what} does not compile");
        return Err(Failed);
    }
    Ok(loaded)
}

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
pub(super) fn extract(root: &Path, rev: &str) -> Result<tempfile::TempDir, String> {
    let not_found = |detail: String| {
        format!(
            "`{rev}` is neither a folder nor a git revision of the repository holding `{}`{}\n\
             help: give a workspace folder, or a revision such as `HEAD~1` or `main`",
            root.display(),
            if detail.is_empty() {
                String::new()
            } else {
                format!(" ({detail})")
            }
        )
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
        format!(
            "the workspace folder `{}` does not exist at revision `{rev}` ({e})",
            if prefix.is_empty() { "." } else { &prefix }
        )
    })?;
    clean_extractions();
    let dir = tempfile::Builder::new()
        .prefix(&format!("{EXTRACTED}{}-", std::process::id()))
        .tempdir()
        .map_err(|e| format!("cannot create a temporary folder: {e}"))?;
    tar::Archive::new(tar.as_slice())
        .unpack(dir.path())
        .map_err(|e| format!("cannot extract revision `{rev}`: {e}"))?;
    Ok(dir)
}
