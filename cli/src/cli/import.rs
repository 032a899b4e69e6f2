//! `charter import graphql FILE [--out DIR] [--package NAME] [--force] [--format json]`: reads a
//! GraphQL SDL document and writes a new workspace (`charter.toml` and the imported source)
//! into `--out`, atomically (`build::write_folder`). The conversion is library code
//! (`charter_codegen::import::graphql`); this file only reads, writes and reports.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use charter_codegen::OutputFile;
use charter_codegen::import::{ImportError, ImportWarning, Imported};

#[derive(clap::Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub kind: ImportKind,
}

#[derive(clap::Subcommand)]
pub enum ImportKind {
    /// Import a GraphQL schema (SDL): types, enums, queries and mutations.
    Graphql(SourceArgs),
}

#[derive(clap::Args)]
pub struct SourceArgs {
    /// The document to import.
    pub file: PathBuf,
    /// The workspace folder to create (default: a folder named after the package).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The Charter package of the imported declarations (default: from the file name).
    #[arg(long)]
    pub package: Option<String>,
    /// Replace the contents of a non-empty `--out` folder.
    #[arg(long)]
    pub force: bool,
    /// `text` (warnings on stderr) or `json` (a report on stdout).
    #[arg(long, default_value = "text")]
    pub format: String,
}

pub fn run(args: &ImportArgs) -> ExitCode {
    let ImportKind::Graphql(args) = &args.kind;
    let mut stderr = std::io::stderr().lock();
    let text = match std::fs::read(&args.file).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => {
            let _ = writeln!(stderr, "error: `{}` is not UTF-8", args.file.display());
            return ExitCode::from(2);
        }
        Err(error) => {
            let _ = writeln!(
                stderr,
                "error: cannot read `{}`: {error}",
                args.file.display()
            );
            return ExitCode::from(2);
        }
    };
    let file_name = args.file.to_string_lossy().replace('\\', "/");
    let package = args
        .package
        .clone()
        .unwrap_or_else(|| package_from(&args.file));
    let imported = match charter_codegen::import::graphql::import(&text, &file_name, &package) {
        Ok(imported) => imported,
        Err(error) => {
            report_error(&error, &args.format);
            return ExitCode::from(1);
        }
    };
    let out = args.out.clone().unwrap_or_else(|| PathBuf::from(&package));
    if !args.force && is_non_empty(&out) {
        let _ = writeln!(
            stderr,
            "error: `{}` is not empty; nothing written\nhelp: choose another `--out`, or pass `--force` to replace its contents",
            out.display()
        );
        return ExitCode::from(2);
    }
    let mut files = vec![OutputFile::text(
        "charter.toml",
        charter_codegen::import::graphql::manifest(&package),
    )];
    files.extend(imported.files.iter().cloned());
    if let Err(error) = super::build::write_folder(&out, &files) {
        let _ = writeln!(stderr, "error: cannot write `{}`: {error}", out.display());
        return ExitCode::from(2);
    }
    report(&imported, &out, &args.format);
    ExitCode::SUCCESS
}

/// `schemas/Star-Wars.graphql` → `star_wars`.
fn package_from(file: &Path) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let mut name: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        name.insert_str(0, "api_");
    }
    name
}

fn is_non_empty(dir: &Path) -> bool {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_some(),
        Err(_) => dir.exists(),
    }
}

fn warning_json(w: &ImportWarning) -> serde_json::Value {
    serde_json::json!({
        "code": w.code, "construct": w.construct, "location": w.location, "message": w.message,
    })
}

fn report(imported: &Imported, out: &Path, format: &str) {
    if format == "json" {
        let files: Vec<&str> = imported.files.iter().map(|f| f.path.as_str()).collect();
        let warnings: Vec<serde_json::Value> = imported.warnings.iter().map(warning_json).collect();
        let doc = serde_json::json!({ "out": out.to_string_lossy(), "files": files, "warnings": warnings });
        let _ = writeln!(std::io::stdout().lock(), "{doc:#}");
        return;
    }
    let mut stderr = std::io::stderr().lock();
    for w in &imported.warnings {
        let _ = writeln!(
            stderr,
            "warning[{}]: {}\n  --> {}",
            w.code, w.message, w.location
        );
    }
    let _ = writeln!(
        stderr,
        "imported into `{}`: {} file{}, {} warning{}",
        out.display(),
        imported.files.len() + 1,
        if imported.files.is_empty() { "" } else { "s" },
        imported.warnings.len(),
        if imported.warnings.len() == 1 {
            ""
        } else {
            "s"
        },
    );
}

fn report_error(error: &ImportError, format: &str) {
    if format == "json" {
        let doc = serde_json::json!({
            "error": { "code": error.code, "message": error.message, "location": error.location, "help": error.help },
        });
        let _ = writeln!(std::io::stdout().lock(), "{doc:#}");
    }
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "error[{}]: {}", error.code, error.message);
    if let Some(location) = &error.location {
        let _ = writeln!(stderr, "  --> {location}");
    }
    if let Some(help) = &error.help {
        let _ = writeln!(stderr, "help: {help}");
    }
    let _ = writeln!(stderr, "nothing written");
}
