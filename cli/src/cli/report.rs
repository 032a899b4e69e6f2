//! `charter report [PATH] [--against REV] [--evidence-root DIR] [--openapi SERVICE=FILE ...]
//! [--format markdown|json] [--out FILE]`: the readiness report (docs/report.md). This file is
//! the IO around `charter_codegen::report::build`: it loads the workspace (and the revision to
//! compare with), reads the evidence folder and the served documents, and writes the report.
//!
//! Exit codes: 0 every gate passes; 1 a gate fails (each failing gate named on stderr); 2
//! usage, IO, a workspace (or revision) that does not compile, a document that cannot be read.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use charter::diagnostics::render::Sources;
use charter::diagnostics::{Diagnostic, codes};
use charter_codegen::report::{self, DriftDifference, DriftInput, EvidenceFound, Inputs};

use super::crosswalk::compile;
use super::{ReportArgs, emit};

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq, Default)]
pub enum ReportFormat {
    #[default]
    Markdown,
    Json,
}

#[derive(clap::Args)]
pub struct ReportCmdArgs {
    /// The workspace folder (or any folder or file inside it).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Compare the contracts with the workspace at this git revision (N-1), as `charter diff`.
    #[arg(long, value_name = "REV")]
    pub against: Option<String>,
    /// Check the declared evidence against this folder: present, and not older than retained.
    #[arg(long, value_name = "DIR")]
    pub evidence_root: Option<PathBuf>,
    /// The OpenAPI document an implementation of SERVICE serves, for drift (repeatable).
    #[arg(long, value_name = "SERVICE=FILE")]
    pub openapi: Vec<String>,
    /// How to write the report.
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The day sunsets and evidence ages are measured from, `YYYY-MM-DD` (default: today, UTC).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

fn stop(d: Diagnostic, failures: &ReportArgs) -> ExitCode {
    emit(&[d], &Sources::new(), failures);
    ExitCode::from(2)
}

pub fn run(args: &ReportCmdArgs) -> ExitCode {
    let failures = ReportArgs::json_if(args.format == ReportFormat::Json);
    let today = match super::diff::today(args.today.as_deref()) {
        Ok(d) => d,
        Err(d) => return stop(*d, &failures),
    };
    let mut openapi: Vec<(String, PathBuf)> = Vec::new();
    for spec in &args.openapi {
        match spec.split_once('=') {
            Some((service, file)) if !service.is_empty() && !file.is_empty() => {
                openapi.push((service.to_string(), PathBuf::from(file)));
            }
            _ => {
                return stop(
                    Diagnostic::command_error(
                        codes::E9009,
                        format!("invalid `--openapi {spec}`"),
                    )
                    .with_help("write `--openapi SERVICE=FILE`, such as `--openapi Lineage=served.yaml`"),
                    &failures,
                );
            }
        }
    }
    // The workspace, and with --against the revision, both compiled.
    let (sides, own) = match &args.against {
        Some(rev) => match super::diff::sides(&args.path, None, Some(rev), &failures) {
            Ok(sides) => (Some(sides), None),
            Err(_) => return ExitCode::from(2),
        },
        None => match compile(&args.path, "the workspace", &failures) {
            Ok(loaded) => (None, Some(loaded)),
            Err(_) => return ExitCode::from(2),
        },
    };
    let Some(loaded) = sides.as_ref().map(|s| &s.new).or(own.as_ref()) else {
        return ExitCode::from(2);
    };
    let model = charter::semantics::model(&loaded.db, loaded.ws);
    let contract_report = sides.as_ref().map(|s| s.report(today));
    let evidence = match &args.evidence_root {
        Some(root) => match evidence(root, model, today) {
            Ok(found) => Some(found),
            Err(d) => return stop(*d, &failures),
        },
        None => None,
    };
    let mut drift = Vec::new();
    for (service, file) in &openapi {
        match drift_of(model, service, file) {
            Ok(d) => drift.push(d),
            Err(d) => return stop(*d, &failures),
        }
    }
    let warnings = charter_codegen::evidence::uncategorised(model);
    if !warnings.is_empty() {
        emit(&warnings, &super::sources(loaded), &ReportArgs::default());
    }
    let inputs = Inputs {
        today,
        gates: &loaded.config.gates,
        evidence: evidence.as_ref(),
        contracts: args.against.as_deref().zip(contract_report.as_ref()),
        drift: (!args.openapi.is_empty()).then_some(drift.as_slice()),
    };
    let built = report::build(model, &inputs);
    let text = match args.format {
        ReportFormat::Markdown => report::markdown(&built),
        ReportFormat::Json => report::json(&built),
    };
    match &args.out {
        Some(path) => {
            if let Err(error) = super::write::atomic(path, text.as_bytes()) {
                return stop(super::write::failed(path, &error), &failures);
            }
        }
        None => {
            let _ = super::stdout().write_all(text.as_bytes());
        }
    }
    let failed: Vec<&str> = built.failed().map(|g| g.gate).collect();
    if let Some(sides) = sides {
        sides.finish();
    }
    // The process ends here: freeing the database and the report piece by piece only costs
    // time (as `charter check` does).
    std::mem::forget(own);
    std::mem::forget(built);
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        let _ = writeln!(
            std::io::stderr(),
            "readiness gate(s) failed: {}",
            failed.join(", ")
        );
        ExitCode::from(1)
    }
}

/// Whether each declared evidence path exists under `root` (the `evidence` target's reading)
/// and the age in days of its newest file.
fn evidence(
    root: &Path,
    model: &charter::ir::Model,
    today: charter::literal::Date,
) -> Result<BTreeMap<String, EvidenceFound>, Box<Diagnostic>> {
    let status = super::evidence::status(root, model)?;
    Ok(found(root, &status.by_path, today))
}

/// What the report reads of the evidence folder `root`, from its status as
/// `super::evidence::status` read it: each path's existence and the age of its newest file.
fn found(
    root: &Path,
    by_path: &BTreeMap<String, charter_codegen::evidence::Status>,
    today: charter::literal::Date,
) -> BTreeMap<String, EvidenceFound> {
    let now = today.days_since_epoch();
    by_path
        .iter()
        .map(|(path, s)| {
            let age_days = if s.exists {
                newest(&root.join(path)).map(|day| u64::try_from(now - day).unwrap_or(0))
            } else {
                None
            };
            (
                path.clone(),
                EvidenceFound {
                    exists: s.exists,
                    age_days,
                },
            )
        })
        .collect()
}

/// The readiness report of a `charter build` for the auditor portal: the same computation as
/// `charter report` without `--against` and `--openapi` (a build has neither), on `today`, with
/// the evidence folder the build read (`--evidence-root`, its status already computed).
pub(super) fn for_build(
    model: &charter::ir::Model,
    gates: &charter::config::Gates,
    evidence: Option<(&Path, &BTreeMap<String, charter_codegen::evidence::Status>)>,
    today: charter::literal::Date,
) -> report::Report {
    let found = evidence.map(|(root, by_path)| found(root, by_path, today));
    let inputs = Inputs {
        today,
        gates,
        evidence: found.as_ref(),
        contracts: None,
        drift: None,
    };
    report::build(model, &inputs)
}

/// The day (since the epoch) the newest file at or under `path` was modified.
fn newest(path: &Path) -> Option<i64> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.is_dir() {
        std::fs::read_dir(path)
            .ok()?
            .filter_map(Result::ok)
            .filter_map(|e| newest(&e.path()))
            .max()
    } else {
        let secs = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_secs();
        i64::try_from(secs / 86_400).ok()
    }
}

/// `charter drift`'s comparison of one service with the document at `file`.
fn drift_of(
    model: &charter::ir::Model,
    service: &str,
    file: &Path,
) -> Result<DriftInput, Box<Diagnostic>> {
    let name = file.display().to_string();
    let text = super::import::read(file)?;
    let served = charter_interop::openapi::doc::load(&text, &name)
        .map_err(|error| {
            let mut d = error.to_diagnostic();
            d.message = format!("cannot read the served document: {}", error.message);
            Box::new(d)
        })?
        .root;
    let qualified = model
        .services
        .iter()
        .find(|s| s.name.to_string() == service || s.name.name == service)
        .map(|s| s.name.to_string());
    let contract = qualified
        .as_deref()
        .and_then(|q| charter_codegen::openapi::document(model, q));
    let (Some(qualified), Some(contract)) = (qualified, contract) else {
        let names: Vec<String> = model.services.iter().map(|s| s.name.to_string()).collect();
        return Err(Box::new(
            Diagnostic::command_error(
                codes::E8110,
                format!("the workspace has no service `{service}`"),
            )
            .with_help(format!(
                "the services are: {}",
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            )),
        ));
    };
    let differences = charter_interop::compare::compare(&contract, &served)
        .into_iter()
        .map(|d| DriftDifference {
            code: d.kind.code().as_str().to_string(),
            operation: d.operation,
            pointer: d.pointer,
            message: d.message,
        })
        .collect();
    Ok(DriftInput {
        service: qualified,
        document: name,
        differences,
    })
}
