//! Subcommands. Exit codes: 0 clean, 1 diagnostics (errors, or warnings with
//! `--deny-warnings`), 2 usage or IO problems.

mod build;
mod bundle;
mod changelog;
mod crosswalk;
mod diff;
mod drift;
mod eval;
mod evidence;
mod fmt;
mod import;
mod load;
mod output;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use charter::diagnostics::render::{self, Sources};
use charter::diagnostics::{Diagnostic, Severity, codes};

#[derive(Parser)]
#[command(
    name = "charter",
    version,
    about = "Compiler for the Charter governance language"
)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Type-check a workspace and report diagnostics.
    Check {
        /// The workspace folder (or any folder or file inside it).
        #[arg(default_value = ".")]
        path: PathBuf,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Format `.charter` files in place (or check that they are formatted).
    Fmt {
        /// A file, or a folder whose `.charter` files are formatted.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Change nothing; exit 1 and list the files that are not formatted.
        #[arg(long)]
        check: bool,
    },
    /// Generate outputs (OPA bundle, API contracts, compliance reports, calendar) into the output folder.
    Build(build::BuildArgs),
    /// Sign an OPA bundle folder, or verify a signed one.
    Bundle(bundle::BundleArgs),
    /// Show what changed in compliance coverage since OLD, as Markdown for a pull request.
    Crosswalk(crosswalk::CrosswalkArgs),
    /// Classify the contract changes between two versions and check the semver rules.
    Diff(diff::DiffArgs),
    /// Write release notes from the changes between two versions.
    Changelog(changelog::ChangelogArgs),
    /// Write a new workspace from an OpenAPI or GraphQL document (`charter import openapi FILE`).
    Import(import::ImportArgs),
    /// Compare a service's contract with the OpenAPI document an implementation serves.
    Drift(drift::DriftArgs),
    /// Decide one request with a policy and explain the verdict.
    Eval(eval::EvalArgs),
    /// Run the policy tests written in Charter, plus generated regression cases.
    Test(eval::TestArgs),
    /// Explain a diagnostic code, such as `charter explain E2001`.
    Explain {
        /// The code; `charter explain --list` lists them all.
        code: Option<String>,
        /// List every code with its summary.
        #[arg(long)]
        list: bool,
    },
    /// Run the language server on stdin/stdout (the same server as `charter-lsp`).
    Lsp {
        /// Append logs to this file instead of stderr.
        #[arg(long)]
        log_file: Option<PathBuf>,
        /// Accepted for editors that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
}

#[derive(clap::Args, Default)]
pub struct ReportArgs {
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit 1 when there are warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// Colour the text output: auto, always or never.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
enum Format {
    #[default]
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
enum Color {
    #[default]
    Auto,
    Always,
    Never,
}

pub fn run() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(error) => {
            let code = if error.use_stderr() { 2 } else { 0 };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    match args.command {
        Command::Check { path, report } => check(&path, &report),
        Command::Fmt { path, check } => fmt::run(&path, check),
        Command::Explain { code, list } => explain(code.as_deref(), list),
        Command::Build(args) => build::run(&args),
        Command::Bundle(args) => bundle::run(&args),
        Command::Crosswalk(args) => crosswalk::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Changelog(args) => changelog::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Drift(args) => drift::run(&args),
        Command::Eval(args) => eval::eval(&args),
        Command::Test(args) => eval::test(&args),
        Command::Lsp { log_file, .. } => charter_lsp::run(&charter_lsp::Options { log_file }),
    }
}

fn check(path: &std::path::Path, report: &ReportArgs) -> ExitCode {
    let loaded = match load::load(path) {
        Ok(loaded) => loaded,
        Err(error) => {
            emit(&[*error.diagnostic], &Sources::new(), report);
            return ExitCode::from(2);
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    loaded.db.prewarm(loaded.ws, threads);
    let diagnostics = charter::semantics::diagnostics(&loaded.db, loaded.ws);
    let sources = sources(&loaded);
    emit(diagnostics, &sources, report);
    let code = exit_for(
        diagnostics,
        report.deny_warnings || loaded.config.deny_warnings,
    );
    // The process ends here: freeing the database's memo tables one by one only costs time.
    std::mem::forget(sources);
    std::mem::forget(loaded);
    code
}

/// The texts diagnostics point into: the workspace's files and its manifest.
pub fn sources(loaded: &load::Loaded) -> Sources {
    let mut sources = Sources::new();
    for file in loaded.ws.files(&loaded.db) {
        sources.insert(file.path(&loaded.db).clone(), file.text(&loaded.db).clone());
    }
    if let Ok(text) = std::fs::read_to_string(loaded.root.join(charter::config::MANIFEST)) {
        sources.insert(charter::config::MANIFEST.to_string(), text);
    }
    sources
}

fn exit_for(diagnostics: &[Diagnostic], deny_warnings: bool) -> ExitCode {
    let errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let warnings = diagnostics.iter().any(|d| d.severity == Severity::Warning);
    if errors || (deny_warnings && warnings) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

pub fn emit(diagnostics: &[Diagnostic], sources: &Sources, report: &ReportArgs) {
    let mut stdout = std::io::stdout().lock();
    match report.format {
        Format::Text => {
            let color = match report.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            let text = render::text(diagnostics, sources, color);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let warnings = diagnostics.len() - errors;
            let mut stderr = std::io::stderr().lock();
            let _ = stderr.write_all(text.as_bytes());
            let _ = writeln!(stderr, "{}", summary(errors, warnings));
        }
        Format::Json => {
            let _ = writeln!(stdout, "{:#}", render::json(diagnostics, sources));
        }
        Format::Sarif => {
            let _ = writeln!(stdout, "{:#}", render::sarif(diagnostics, sources));
        }
    }
}

fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if errors == 0 && warnings == 0 {
        "ok: no errors, no warnings".to_string()
    } else {
        format!(
            "{}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    }
}

fn explain(code: Option<&str>, list: bool) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    if list || code.is_none() {
        for info in codes::ALL {
            let kind = match info.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let _ = writeln!(stdout, "{}  {kind:7}  {}", info.code.as_str(), info.summary);
        }
        for kind in charter::evolution::kinds::ALL {
            let _ = writeln!(
                stdout,
                "{}  change   {} ({})",
                kind.id, kind.summary, kind.slug
            );
        }
        return ExitCode::SUCCESS;
    }
    let code = code.unwrap_or_default();
    if let Some(page) = charter::explain::change_page(code) {
        let _ = stdout.write_all(page.as_bytes());
        return ExitCode::SUCCESS;
    }
    match (codes::lookup(code), charter::explain::page(code)) {
        (Some(_), Some(page)) => {
            let _ = stdout.write_all(page.as_bytes());
            ExitCode::SUCCESS
        }
        (Some(info), None) => {
            let _ = writeln!(stdout, "{}: {}", info.code.as_str(), info.summary);
            ExitCode::SUCCESS
        }
        (None, _) => {
            let _ = writeln!(
                std::io::stderr(),
                "error: unknown diagnostic code `{code}`\nhelp: `charter explain --list` lists every code"
            );
            ExitCode::from(2)
        }
    }
}
