//! Subcommands. Exit codes: 0 clean, 1 diagnostics (errors, or warnings with
//! `--deny-warnings`), 2 usage or IO problems.

mod attest;
mod build;
mod bundle;
mod changelog;
mod compat;
mod crosswalk;
mod diff;
mod drift;
mod eval;
mod evidence;
mod fmt;
mod git;
mod import;
mod load;
mod output;
mod pipeline;
mod push;
mod report;
mod routed;
mod shell;
mod test;
mod write;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Parser, Subcommand, ValueEnum};

use charter::diagnostics::render::{self, Sources};
use charter::diagnostics::{Diagnostic, Severity, codes};

#[derive(Parser)]
#[command(
    name = "charter",
    version = shell::VERSION,
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
    /// Verify the build attestations of an output folder (`charter build --attest`).
    Attest(attest::AttestArgs),
    /// Sign an OPA bundle folder, verify a signed one, or push one to an OCI registry.
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
    /// The readiness report: verdicts, provenance, tests, compliance, threats, contracts and
    /// drift, each against its gate in `[gates]` (exit 1 when one fails).
    Report(report::ReportCmdArgs),
    /// Decide one request with a policy (or the router, without `--policy`) and explain the verdict.
    Eval(eval::EvalArgs),
    /// Run the policy tests written in Charter, plus generated regression cases.
    Test(test::TestArgs),
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
    /// Print a completion script for bash, zsh, fish, elvish or PowerShell.
    Completions(shell::CompletionsArgs),
    /// Write the manual pages (`charter man DIR`), or print `charter.1`.
    Man(shell::ManArgs),
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

impl ReportArgs {
    /// Diagnostics in JSON when `json`, else as text (for commands with a format of their own).
    fn json_if(json: bool) -> ReportArgs {
        ReportArgs {
            format: if json { Format::Json } else { Format::Text },
            ..ReportArgs::default()
        }
    }
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

/// Set when a write to stdout failed (a full disk, `/dev/full`, a closed pipe): the command then
/// exits 2, whatever it would have returned.
static STDOUT_FAILED: AtomicBool = AtomicBool::new(false);

/// Standard output, remembering any failed write (every subcommand writes through this).
pub struct Out(std::io::StdoutLock<'static>);

pub fn stdout() -> Out {
    Out(std::io::stdout().lock())
}

impl Out {
    fn note<T>(result: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(error) = &result
            && error.kind() != std::io::ErrorKind::Interrupted
        {
            STDOUT_FAILED.store(true, Ordering::SeqCst);
        }
        result
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Out::note(self.0.write(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Out::note(self.0.flush())
    }
}

pub fn run() -> ExitCode {
    let code = dispatch();
    let flushed = stdout().flush();
    if STDOUT_FAILED.load(Ordering::SeqCst) {
        let why = flushed.err().map_or_else(String::new, |e| format!(": {e}"));
        // Standard output is what failed: the diagnostic goes to stderr, as text.
        let diagnostic = Diagnostic::command_error(
            codes::E9010,
            format!("cannot write to standard output{why}"),
        )
        .with_help("check where standard output goes: a full disk, a closed pipe");
        let _ = std::io::stderr()
            .write_all(render::text(&[diagnostic], &Sources::new(), false).as_bytes());
        return ExitCode::from(2);
    }
    code
}

fn dispatch() -> ExitCode {
    let args = match shell::parse() {
        Ok(args) => args,
        // `--help` and `--version` are printed as clap writes them; a wrong command line is E9009.
        Err(error) if !error.use_stderr() => {
            let _ = error.print();
            return ExitCode::SUCCESS;
        }
        // No subcommand: the help, as clap prints it (exit 2).
        Err(error)
            if error.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand =>
        {
            let _ = error.print();
            return ExitCode::from(2);
        }
        Err(error) => return fail_text(usage_error(&error.render().to_string())),
    };
    match args.command {
        Command::Check { path, report } => check(&path, &report),
        Command::Fmt { path, check } => fmt::run(&path, check),
        Command::Explain { code, list } => explain(code.as_deref(), list),
        Command::Build(args) => build::run(&args),
        Command::Attest(args) => attest::run(&args),
        Command::Bundle(args) => bundle::run(&args),
        Command::Crosswalk(args) => crosswalk::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Changelog(args) => changelog::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Drift(args) => drift::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Eval(args) => eval::eval(&args),
        Command::Test(args) => test::run(&args),
        Command::Lsp { log_file, .. } => charter_lsp::run(&charter_lsp::Options { log_file }),
        Command::Completions(args) => shell::completions(&args),
        Command::Man(args) => shell::man(&args),
    }
}

fn check(path: &std::path::Path, report: &ReportArgs) -> ExitCode {
    let loaded = match load::load(path) {
        Ok(loaded) => loaded,
        Err(error) => return fail(*error.diagnostic, report),
    };
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    // Only diagnostics are needed: no model is kept once its file's are computed.
    let diagnostics = loaded.db.check_files(loaded.ws, threads);
    let diagnostics = diagnostics.as_slice();
    let sources = sources_named(&loaded, diagnostics);
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

/// The texts `diagnostics` point into (the files their labels name), the same as far as the
/// renderers are concerned as [`sources`] (they read only the files labels name), without a
/// copy of every source of a workspace that checks clean.
pub fn sources_named(loaded: &load::Loaded, diagnostics: &[Diagnostic]) -> Sources {
    let named: std::collections::BTreeSet<&str> = diagnostics
        .iter()
        .flat_map(|d| std::iter::once(&d.primary).chain(&d.secondary))
        .map(|label| label.file.as_str())
        .collect();
    if named.is_empty() {
        return Sources::new();
    }
    let mut sources = Sources::new();
    for file in loaded.ws.files(&loaded.db) {
        let path = file.path(&loaded.db);
        if named.contains(path.as_str()) {
            sources.insert(path.clone(), file.text(&loaded.db).clone());
        }
    }
    if named.contains(charter::config::MANIFEST)
        && let Ok(text) =
            charter_lsp::disk::read(&loaded.root, &loaded.root.join(charter::config::MANIFEST))
    {
        sources.insert(charter::config::MANIFEST.to_string(), text);
    }
    sources
}

/// The texts diagnostics point into: the workspace's files and its manifest.
pub fn sources(loaded: &load::Loaded) -> Sources {
    let mut sources = Sources::new();
    for file in loaded.ws.files(&loaded.db) {
        sources.insert(file.path(&loaded.db).clone(), file.text(&loaded.db).clone());
    }
    if let Ok(text) =
        charter_lsp::disk::read(&loaded.root, &loaded.root.join(charter::config::MANIFEST))
    {
        sources.insert(charter::config::MANIFEST.to_string(), text);
    }
    sources
}

/// E9009 for a command line clap refused, from clap's text (`error: MESSAGE`, then the tip,
/// the possible values and the usage line, kept as notes).
fn usage_error(rendered: &str) -> Diagnostic {
    let mut lines = rendered.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("invalid command line");
    let mut diagnostic =
        Diagnostic::command_error(codes::E9009, first.strip_prefix("error: ").unwrap_or(first))
            .with_help("run `charter --help`, or `charter COMMAND --help`");
    for line in lines.filter(|l| !l.starts_with("For more information")) {
        diagnostic.note(line);
    }
    diagnostic
}

/// Reports a failure of the command itself (the workspace cannot be loaded, a bad flag value, a
/// file that cannot be written) as one diagnostic in the format asked for; exit code 2.
pub fn fail(diagnostic: Diagnostic, report: &ReportArgs) -> ExitCode {
    emit(&[diagnostic], &Sources::new(), report);
    ExitCode::from(2)
}

/// [`fail`] for commands whose output has no diagnostics format: as text, on stderr.
pub fn fail_text(diagnostic: Diagnostic) -> ExitCode {
    fail(diagnostic, &ReportArgs::default())
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
    let mut stdout = stdout();
    match report.format {
        Format::Text => {
            let color = match report.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => auto_colour(
                    std::io::stderr().is_terminal(),
                    std::env::var_os("NO_COLOR").as_deref(),
                    std::env::var_os("TERM").as_deref(),
                ),
            };
            let text = render::text(diagnostics, sources, color);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let warnings = diagnostics.len() - errors;
            let mut stderr = std::io::stderr().lock();
            let _ = stderr.write_all(text.as_bytes());
            let _ = writeln!(stderr, "{}", summary(errors, warnings));
        }
        Format::Json => {
            let doc = format!("{:#}", render::json(diagnostics, sources));
            let _ = writeln!(stdout, "{}", render::escape_bidi_json(&doc));
        }
        Format::Sarif => {
            let doc = format!("{:#}", render::sarif(diagnostics, sources));
            let _ = writeln!(stdout, "{}", render::escape_bidi_json(&doc));
        }
    }
}

/// `--color auto`: colour only on a terminal that has colours (`TERM` is not `dumb`) and when
/// `NO_COLOR` is absent or empty (<https://no-color.org>: "present and not an empty string").
fn auto_colour(
    terminal: bool,
    no_color: Option<&std::ffi::OsStr>,
    term: Option<&std::ffi::OsStr>,
) -> bool {
    terminal && no_color.is_none_or(|v| v.is_empty()) && term.is_none_or(|t| t != "dumb")
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
    let mut stdout = stdout();
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
        (None, _) => fail_text(
            Diagnostic::command_error(codes::E9017, format!("unknown diagnostic code `{code}`"))
                .with_help("`charter explain --list` lists every code"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::OsStr;

    use super::auto_colour;

    #[test]
    fn colour_follows_no_color_and_the_terminal() {
        let some = |s: &'static str| Some(OsStr::new(s));
        assert!(auto_colour(true, None, some("xterm-256color")));
        assert!(auto_colour(true, None, None));
        // NO_COLOR set to anything but the empty string turns colour off.
        assert!(!auto_colour(true, some("1"), some("xterm")));
        assert!(auto_colour(true, some(""), some("xterm")));
        // A dumb terminal has no colours; neither has a pipe.
        assert!(!auto_colour(true, None, some("dumb")));
        assert!(!auto_colour(false, None, some("xterm")));
    }
}
