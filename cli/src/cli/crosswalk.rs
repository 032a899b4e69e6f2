//! `charter crosswalk --diff OLD [PATH] [--fail-on-loss] [--format json]`: what changed in
//! compliance coverage between OLD and the workspace at PATH, as Markdown for a pull-request
//! comment (on stdout), or as JSON with `--format json`.
//!
//! OLD is a workspace folder, or a git revision of the repository holding PATH's workspace
//! (`HEAD~1`, `main`), extracted by `git.rs` into a temporary folder and loaded from there. A
//! folder named like a revision wins. Exit codes: 0 the diff was printed; 1 with `--fail-on-loss` when a
//! requirement lost coverage; 2 when either side cannot be loaded or compiled (its diagnostics
//! are printed), OLD is neither a folder nor a revision, or git fails.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use charter::ir::Model;
use charter_codegen::crosswalk::diff;

use super::{ReportArgs, emit, load};

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
        match super::git::extract(&new.root, &args.diff) {
            Ok(dir) => {
                let result = compile(
                    dir.path(),
                    &format!("OLD (revision `{}`)", args.diff),
                    &args.report,
                );
                _extracted = Some(dir);
                result
            }
            Err(diagnostic) => return super::fail(*diagnostic, &args.report),
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
    load::checked(path).map_err(|mut stopped| {
        if stopped.exit == 2 {
            // The workspace could not be loaded: say which side.
            for d in &mut stopped.diagnostics {
                d.note(format!("{what} is not a Charter workspace"));
            }
            emit(&stopped.diagnostics, &stopped.sources, report);
        } else {
            emit(&stopped.diagnostics, &stopped.sources, report);
            let _ = writeln!(std::io::stderr(), "{what} does not compile");
        }
        Failed
    })
}
