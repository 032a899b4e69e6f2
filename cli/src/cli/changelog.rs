//! `charter changelog [PATH] (--against REV | --old DIR) [--format markdown|json] [--out FILE]`:
//! release notes from the same change list as `charter diff`, grouped by service (and by
//! package for declarations outside a service), then by kind, with the required version bump
//! and migration hints. Written to stdout, or to FILE atomically (a temporary sibling, then a
//! rename). Exit 0 when written; 2 on usage, load or write errors. The rules of `charter diff`
//! are not applied here (run `charter diff` as the gate).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use charter::evolution::changelog;

use super::diff::{sides, today};

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq, Default)]
pub enum ChangelogFormat {
    #[default]
    Markdown,
    Json,
}

#[derive(clap::Args)]
pub struct ChangelogArgs {
    /// The workspace folder (the new version).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The previous version: a git revision of the repository holding PATH.
    #[arg(
        long,
        value_name = "REV",
        conflicts_with = "old",
        required_unless_present = "old"
    )]
    pub against: Option<String>,
    /// The previous version: a workspace folder.
    #[arg(long, value_name = "DIR")]
    pub old: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ChangelogFormat::Markdown)]
    pub format: ChangelogFormat,
    /// Write the notes to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The day sunsets are compared with, `YYYY-MM-DD` (default: today's date, UTC).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

/// Writes the notes to `path` atomically (`write::atomic`), so a reader never sees half of
/// them. A path that exists and is not a regular file (`/dev/stdout`, a pipe, a device) is
/// written in place: renaming over it would replace the device with a file.
fn write_notes(path: &Path, text: &str) -> std::io::Result<()> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return std::fs::write(path, text);
    }
    super::write::atomic(path, text.as_bytes())
}

pub fn run(args: &ChangelogArgs) -> ExitCode {
    // Failures are reported in JSON when the changelog would have been.
    let failures = super::ReportArgs::json_if(args.format == ChangelogFormat::Json);
    let today = match today(args.today.as_deref()) {
        Ok(d) => d,
        Err(diagnostic) => return super::fail(*diagnostic, &failures),
    };
    let Ok(sides) = sides(
        &args.path,
        args.old.as_deref(),
        args.against.as_deref(),
        &failures,
    ) else {
        return ExitCode::from(2);
    };
    let report = sides.report(today);
    let name = sides.new.config.name.clone();
    let text = match args.format {
        ChangelogFormat::Markdown => changelog::markdown(&report, &name),
        ChangelogFormat::Json => format!("{:#}\n", changelog::json(&report, &name)),
    };
    sides.finish();
    match &args.out {
        None => {
            let _ = super::stdout().write_all(text.as_bytes());
            ExitCode::SUCCESS
        }
        Some(path) => match write_notes(path, &text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => super::fail(super::write::failed(path, &error), &failures),
        },
    }
}
