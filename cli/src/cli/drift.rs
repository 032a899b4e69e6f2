//! `charter drift [PATH] --openapi FILE [--service NAME]`: compares the OpenAPI document the
//! contract of one service gives (the `openapi` target's document) with the document an
//! implementation serves, and lists every difference. Exit codes: 0 no difference, 1
//! differences, 2 when the comparison cannot be made (usage, IO, a document that cannot be read,
//! a workspace with errors, no such service).
//!
//! `--baseline FILE` accepts the known differences a baseline file lists (by code and pointer;
//! `baseline.rs`): they are reported as accepted and do not fail, and entries that no longer
//! occur are reported as stale. `--write-baseline FILE` records the current differences.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use charter::diagnostics::Diagnostic;
use charter::diagnostics::codes;
use charter::diagnostics::render::Sources;
use charter_interop::compare::{self, Difference, Kind};

use super::{Format, ReportArgs, emit, load};

#[derive(clap::Args)]
pub struct DriftArgs {
    /// The workspace folder (or any folder or file inside it).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The OpenAPI document (YAML or JSON) the implementation serves.
    #[arg(long, value_name = "FILE")]
    pub openapi: PathBuf,
    /// The service to compare: its name, or its qualified name (`summit.lineage.Lineage`).
    /// Needed when the workspace has more than one service.
    #[arg(long)]
    pub service: Option<String>,
    /// A baseline file of accepted, known differences (JSON, keyed by code and pointer; see
    /// docs/import.md): a difference it lists is reported as accepted and does not fail the
    /// command; an entry that no longer occurs is reported as stale, to be removed.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current differences as the baseline FILE (replacing it); the exit code is then
    /// 0 (every difference is accepted).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    #[command(flatten)]
    pub report: ReportArgs,
}

mod baseline;

/// The code of a kind of difference.
fn code(kind: Kind) -> &'static str {
    kind.code().as_str()
}

pub fn run(args: &DriftArgs) -> ExitCode {
    let file_name = args.openapi.display().to_string();
    let text = match super::import::read(&args.openapi) {
        Ok(text) => text,
        Err(d) => {
            emit(&[*d], &Sources::new(), &args.report);
            return ExitCode::from(2);
        }
    };
    let accepted = match args.baseline.as_deref().map(read_baseline).transpose() {
        Ok(entries) => entries,
        Err(d) => {
            emit(&[*d], &Sources::new(), &args.report);
            return ExitCode::from(2);
        }
    };
    let served = match charter_interop::openapi::doc::load(&text, &file_name) {
        Ok(doc) => doc.root,
        Err(error) => {
            let mut d = error.to_diagnostic();
            d.message = format!("cannot read the served document: {}", error.message);
            let mut document = Sources::new();
            document.insert(file_name, text);
            emit(&[d], &document, &args.report);
            return ExitCode::from(2);
        }
    };
    let loaded = match load::checked(&args.path) {
        Ok(loaded) => loaded,
        Err(stopped) => {
            emit(&stopped.diagnostics, &stopped.sources, &args.report);
            if stopped.exit == 1 {
                let _ = writeln!(std::io::stderr(), "nothing compared: fix the errors first");
            }
            return ExitCode::from(2);
        }
    };
    let model = charter::semantics::model(&loaded.db, loaded.ws);
    let names: Vec<String> = model.services.iter().map(|s| s.name.to_string()).collect();
    let chosen = match (&args.service, names.as_slice()) {
        (Some(name), _) => Some(name.clone()),
        (None, [only]) => Some(only.clone()),
        _ => None,
    };
    let contract = chosen
        .as_deref()
        .and_then(|name| charter_codegen::openapi::document(model, name));
    let (Some(service), Some(contract)) = (chosen, contract) else {
        let message = match &args.service {
            Some(name) => format!("the workspace has no service `{name}`"),
            None if names.is_empty() => "the workspace declares no service".to_string(),
            None => "the workspace has several services; say which with `--service`".to_string(),
        };
        let d = Diagnostic::path_error(codes::E8110, message, &args.path.display().to_string())
            .with_help(format!(
                "the services are: {}",
                if names.is_empty() {
                    "none".into()
                } else {
                    names.join(", ")
                }
            ));
        emit(&[d], &Sources::new(), &args.report);
        return ExitCode::from(2);
    };
    let differences = compare::compare(&contract, &served);
    if let Some(path) = &args.write_baseline {
        if let Err(error) = std::fs::write(path, baseline::write(&differences)) {
            let d = Diagnostic::path_error(
                codes::E9010,
                format!("cannot write the baseline `{}`: {error}", path.display()),
                &path.display().to_string(),
            );
            emit(&[d], &Sources::new(), &args.report);
            return ExitCode::from(2);
        }
        let all: Vec<&Difference> = differences.iter().collect();
        let names = Names {
            service: &service,
            document: &file_name,
            baseline: path,
        };
        print_baselined(&[], &all, &[], &names, args.report.format);
        return ExitCode::SUCCESS;
    }
    if let (Some(entries), Some(path)) = (accepted, &args.baseline) {
        let (failing, accepted, stale) = baseline::apply(&differences, &entries);
        let names = Names {
            service: &service,
            document: &file_name,
            baseline: path,
        };
        print_baselined(&failing, &accepted, &stale, &names, args.report.format);
        return if failing.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        };
    }
    print(&differences, &service, &file_name, args.report.format);
    if differences.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Reads and checks the baseline file.
fn read_baseline(path: &std::path::Path) -> Result<Vec<baseline::Entry>, Box<Diagnostic>> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        Box::new(
            Diagnostic::path_error(
                codes::E9006,
                format!("cannot read the baseline `{name}`: {e}"),
                &name,
            )
            .with_help("write one with `charter drift --write-baseline FILE`"),
        )
    })?;
    baseline::read(&text).map_err(|why| {
        Box::new(
            Diagnostic::path_error(
                codes::E9014,
                format!("`{name}` is not a drift baseline: {why}"),
                &name,
            )
            .with_help("write one with `charter drift --write-baseline FILE`"),
        )
    })
}

struct Names<'a> {
    service: &'a str,
    document: &'a str,
    baseline: &'a std::path::Path,
}

fn line(d: &Difference) -> (String, String) {
    let op = d
        .operation
        .as_deref()
        .map(|o| format!("{o}: "))
        .unwrap_or_default();
    (format!("{op}{}", d.message), format!("#{}", d.pointer))
}

fn difference_json(d: &Difference) -> serde_json::Value {
    serde_json::json!({
        "code": code(d.kind),
        "kind": format!("{:?}", d.kind),
        "operation": d.operation,
        "pointer": format!("#{}", d.pointer),
        "message": d.message,
    })
}

/// The report with a baseline: the failing differences, the accepted ones, the stale entries.
fn print_baselined(
    failing: &[&Difference],
    accepted: &[&Difference],
    stale: &[baseline::Entry],
    names: &Names<'_>,
    format: Format,
) {
    let mut stdout = super::stdout();
    if format == Format::Text {
        for (label, list) in [("error", failing), ("accepted", accepted)] {
            for d in list {
                let (message, at) = line(d);
                let _ = writeln!(stdout, "{label}[{}]: {message}\n  at {at}", code(d.kind));
            }
        }
        for e in stale {
            let _ = writeln!(
                stdout,
                "stale[{}]: the baseline accepts a difference that no longer occurs; remove it \
                 from `{}`\n  at {}",
                e.code,
                names.baseline.display(),
                e.pointer
            );
        }
        let _ = writeln!(
            stdout,
            "{} failing, {} accepted by `{}`, {} stale between the contract of `{}` (expected) \
             and `{}` (actual)",
            failing.len(),
            accepted.len(),
            names.baseline.display(),
            stale.len(),
            names.service,
            names.document
        );
        return;
    }
    let report = serde_json::json!({
        "service": names.service,
        "document": names.document,
        "baseline": names.baseline.to_string_lossy(),
        "differences": failing.iter().map(|d| difference_json(d)).collect::<Vec<_>>(),
        "accepted": accepted.iter().map(|d| difference_json(d)).collect::<Vec<_>>(),
        "stale": stale.iter().map(|e| serde_json::json!({
            "code": e.code, "pointer": e.pointer, "message": e.message,
        })).collect::<Vec<_>>(),
    });
    let _ = writeln!(stdout, "{report:#}");
}

fn print(differences: &[Difference], service: &str, file: &str, format: Format) {
    let mut stdout = super::stdout();
    if format == Format::Text {
        for d in differences {
            let op = d
                .operation
                .as_deref()
                .map(|o| format!("{o}: "))
                .unwrap_or_default();
            let _ = writeln!(
                stdout,
                "error[{}]: {op}{}\n  at #{}",
                code(d.kind),
                d.message,
                d.pointer
            );
        }
        let _ = writeln!(
            stdout,
            "{} between the contract of `{service}` (expected) and `{file}` (actual)",
            match differences.len() {
                0 => "no differences".to_string(),
                1 => "1 difference".to_string(),
                n => format!("{n} differences"),
            }
        );
        return;
    }
    let list: Vec<serde_json::Value> = differences.iter().map(difference_json).collect();
    let report = serde_json::json!({
        "service": service,
        "document": file,
        "differences": list,
    });
    let _ = writeln!(stdout, "{report:#}");
}
