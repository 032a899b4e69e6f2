//! `charter drift [PATH] --openapi FILE [--service NAME]`: compares the OpenAPI document the
//! contract of one service gives (the `openapi` target's document) with the document an
//! implementation serves, and lists every difference. Exit codes: 0 no difference, 1
//! differences, 2 when the comparison cannot be made (usage, IO, a document that cannot be read,
//! a workspace with errors, no such service).

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
    #[command(flatten)]
    pub report: ReportArgs,
}

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
    print(&differences, &service, &file_name, args.report.format);
    if differences.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
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
    let list: Vec<serde_json::Value> = differences
        .iter()
        .map(|d| {
            serde_json::json!({
                "code": code(d.kind),
                "kind": format!("{:?}", d.kind),
                "operation": d.operation,
                "pointer": format!("#{}", d.pointer),
                "message": d.message,
            })
        })
        .collect();
    let report = serde_json::json!({
        "service": service,
        "document": file,
        "differences": list,
    });
    let _ = writeln!(stdout, "{report:#}");
}
