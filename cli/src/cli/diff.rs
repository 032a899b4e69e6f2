//! `charter diff OLD NEW` and `charter diff [PATH] --against REV`: the contract changes between
//! two versions of a workspace, classified (`charter explain C1001`), checked against the
//! semver and deprecation rules (E7101–E7104, W7101–W7102), as text, Markdown or JSON.
//!
//! Exit codes: 0 the changes are allowed; 1 a rule is broken; 2 usage errors, a side that is
//! not a workspace or does not compile (its diagnostics are printed and nothing is diffed), an
//! unknown revision, an invalid `--today`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use charter::diagnostics::render::{self, Sources};
use charter::diagnostics::{Diagnostic, codes};
use charter::evolution::{self, semver};
use charter::literal::Date;

use super::crosswalk::{Failed, compile};
use super::git::extract;
use super::{ReportArgs, load};

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq, Default)]
pub enum DiffFormat {
    #[default]
    Text,
    Markdown,
    Json,
}

#[derive(clap::Args)]
pub struct DiffArgs {
    /// `OLD NEW` (two workspace folders), or with `--against`, the workspace `PATH` (default `.`).
    #[arg(value_name = "PATHS", num_args = 0..=2)]
    pub paths: Vec<PathBuf>,
    /// Compare the workspace at PATH with the same folder at this git revision (`HEAD~1`, `v1.2.0`).
    #[arg(long, value_name = "REV")]
    pub against: Option<String>,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// The day sunsets are compared with, `YYYY-MM-DD` (default: today's date, UTC).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

/// Both sides loaded and compiled, plus what keeps an extracted revision alive.
pub(super) struct Sides {
    pub old: load::Loaded,
    pub new: load::Loaded,
    _extracted: Option<tempfile::TempDir>,
}

/// E9009 for arguments that do not fit together; exit code 2.
fn usage(message: &str, help: &str, report: &ReportArgs) -> ExitCode {
    super::fail(
        Diagnostic::command_error(codes::E9009, message).with_help(help),
        report,
    )
}

/// `--today`, or the system date (UTC).
pub(super) fn today(arg: Option<&str>) -> Result<Date, Box<Diagnostic>> {
    match arg {
        Some(text) => Date::parse(text).ok_or_else(|| {
            Box::new(
                Diagnostic::command_error(
                    codes::E9009,
                    format!("invalid date `{text}` for --today"),
                )
                .with_help("write a real day as YYYY-MM-DD, such as 2027-01-31"),
            )
        }),
        None => {
            let secs = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            Ok(Date::from_days_since_epoch(
                i64::try_from(secs / 86_400).unwrap_or(0),
            ))
        }
    }
}

/// Loads and checks both sides, in parallel (each has its own database): `old` a folder, or
/// `against` a revision of the repository holding `path`.
pub(super) fn sides(
    path: &Path,
    old: Option<&Path>,
    against: Option<&str>,
    report: &ReportArgs,
) -> Result<Sides, Failed> {
    let (old_path, old_label, extracted) = match (old, against) {
        (Some(old), _) => (
            old.to_path_buf(),
            format!("OLD (`{}`)", old.display()),
            None,
        ),
        (None, Some(rev)) => {
            // Only the repository is needed to extract OLD; NEW is checked below.
            let root = load::find_root(path).unwrap_or_else(|| path.to_path_buf());
            let dir = extract(&root, rev).map_err(|diagnostic| {
                super::fail(*diagnostic, report);
                Failed
            })?;
            (
                dir.path().to_path_buf(),
                format!("OLD (revision `{rev}`)"),
                Some(dir),
            )
        }
        (None, None) => return Err(Failed),
    };
    let new_label = format!("NEW (`{}`)", path.display());
    // Each side's model is built (and memoised) on its own thread too.
    let warm = |loaded: Result<load::Loaded, Failed>| {
        loaded.inspect(|l| {
            charter::semantics::model(&l.db, l.ws);
        })
    };
    let (old, new) = std::thread::scope(|scope| {
        let old = scope.spawn(|| warm(compile(&old_path, &old_label, report)));
        let new = warm(compile(path, &new_label, report));
        (old.join().unwrap_or(Err(Failed)), new)
    });
    Ok(Sides {
        old: old?,
        new: new?,
        _extracted: extracted,
    })
}

impl Sides {
    /// Ends the command without freeing the databases one by one (that only costs time), but
    /// removes the extracted revision's temporary folder.
    pub fn finish(mut self) {
        drop(self._extracted.take());
        std::mem::forget(self);
    }

    pub fn report(&self, today: Date) -> semver::Report {
        let old = charter::semantics::model(&self.old.db, self.old.ws);
        let new = charter::semantics::model(&self.new.db, self.new.ws);
        let changes = evolution::diff(old, new);
        semver::check(old, new, changes, today)
    }

    /// The texts diagnostics point into: NEW's files, and OLD's prefixed `old:`.
    pub fn sources(&self) -> Sources {
        let mut sources = super::sources(&self.new);
        for (path, text) in super::sources(&self.old) {
            sources.insert(format!("old:{path}"), text);
        }
        sources
    }
}

/// The deprecation calendar's warnings (W7150 with the system date, W7151) on stderr, for
/// `charter build --target calendar`.
pub(super) fn calendar_warnings(
    model: &charter::ir::Model,
    sources: &Sources,
    report: &ReportArgs,
) {
    let warnings = evolution::lifecycle::warnings(model, today(None).ok());
    if !warnings.is_empty() {
        super::emit(&warnings, sources, report);
    }
}

pub fn run(args: &DiffArgs) -> ExitCode {
    // Failures are reported in JSON when the report would have been.
    let failures = ReportArgs::json_if(args.format == DiffFormat::Json);
    let today = match today(args.today.as_deref()) {
        Ok(d) => d,
        Err(diagnostic) => return super::fail(*diagnostic, &failures),
    };
    let (path, old) = match (&args.against, args.paths.as_slice()) {
        (Some(_), []) => (PathBuf::from("."), None),
        (Some(_), [path]) => (path.clone(), None),
        (None, [old, new]) => (new.clone(), Some(old.clone())),
        (Some(_), _) => {
            return usage(
                "with --against give at most one PATH (the workspace)",
                "`charter diff [PATH] --against REV`",
                &failures,
            );
        }
        (None, _) => {
            return usage(
                "give two workspace folders or a revision",
                "`charter diff OLD NEW`, or `charter diff [PATH] --against REV`",
                &failures,
            );
        }
    };
    let Ok(sides) = sides(&path, old.as_deref(), args.against.as_deref(), &failures) else {
        return ExitCode::from(2);
    };
    let report = sides.report(today);
    // The source texts are only needed to render diagnostics; copying them costs time.
    let sources = if report.diagnostics.is_empty() {
        Sources::new()
    } else {
        sides.sources()
    };
    let mut stdout = super::stdout();
    match args.format {
        DiffFormat::Text => {
            let _ = stdout.write_all(evolution::render::text(&report).as_bytes());
            let _ = stdout.write_all(render::text(&report.diagnostics, &sources, false).as_bytes());
            let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
            let _ = writeln!(
                stdout,
                "{}",
                if report.allowed() {
                    "result: allowed".to_string()
                } else {
                    format!("result: not allowed ({errors} error(s))")
                }
            );
        }
        DiffFormat::Markdown => {
            let _ = stdout.write_all(evolution::render::markdown(&report).as_bytes());
            if !report.diagnostics.is_empty() {
                let _ = writeln!(
                    stdout,
                    "\n<details><summary>Rule diagnostics</summary>\n\n{}\n\n</details>",
                    charter::text::markdown::fenced(
                        "text",
                        &render::text(&report.diagnostics, &sources, false)
                    )
                );
            }
        }
        DiffFormat::Json => {
            let diags = render::json(&report.diagnostics, &sources);
            let _ = writeln!(stdout, "{:#}", evolution::render::json(&report, diags));
        }
    }
    let allowed = report.allowed();
    sides.finish();
    if allowed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
