//! `charter eval`: one decision with the native evaluator over the typed model, explained.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use charter::eval::{self, Evaluation};
use charter::ir::{Model, Policy};
use serde_json::json;

use charter::diagnostics::{Diagnostic, codes};

use super::{ReportArgs, emit, load, routed};

#[derive(clap::Args)]
pub struct EvalArgs {
    /// The workspace folder (or any folder or file inside it).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The policy: its full name (`summit.policy.dataset_access`) or, if unique, its name.
    /// Without it the router decides, as the bundle's `data.charter.router.verdict` does: every
    /// policy deciding the action (on `resource_type`, or the one `policy` names in the input)
    /// decides and a denial wins; no applicable policy is a denial by `charter.router`.
    #[arg(long)]
    pub policy: Option<String>,
    /// A JSON file with `{action, subject, resource, context}`; `-` reads standard input.
    #[arg(long)]
    pub input: Option<PathBuf>,
    /// The action (instead of, or overriding, the input file's).
    #[arg(long)]
    pub action: Option<String>,
    /// The subject as JSON.
    #[arg(long)]
    pub subject: Option<String>,
    /// The resource as JSON.
    #[arg(long)]
    pub resource: Option<String>,
    /// The context as JSON.
    #[arg(long)]
    pub context: Option<String>,
    /// The resource entity's full name (`input.resource_type`, read by the router).
    #[arg(long)]
    pub resource_type: Option<String>,
    /// Check a response at egress instead of deciding a request: the input is `{service,
    /// operation, response}` (docs/decisions.md, "Egress"); the response of an operation whose
    /// result carries provenance must fit the result, every envelope valid.
    #[arg(long, conflicts_with_all = ["policy", "action", "subject", "resource", "context", "resource_type"])]
    pub egress: bool,
    /// With `--egress`: the service's full name (`summit.lineage.Lineage`).
    #[arg(long, requires = "egress")]
    pub service: Option<String>,
    /// With `--egress`: the operation's name.
    #[arg(long, requires = "egress")]
    pub operation: Option<String>,
    /// With `--egress`: a JSON file with the response body; `-` reads standard input.
    #[arg(long, requires = "egress")]
    pub response: Option<PathBuf>,
    /// `text` for people, `json` for tools.
    #[arg(long = "format", default_value = "text")]
    pub output: OutputFormat,
}

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum OutputFormat {
    Text,
    Json,
    Junit,
}

/// Loads and checks a workspace; on errors prints them and returns the exit code. With `json`
/// (the shell of the command's JSON document), the diagnostics go into it under `diagnostics`
/// (the document of `docs/diagnostics-json.md`) on stdout, so a tool reading the command's JSON
/// gets JSON here too.
pub(super) fn checked_model(
    path: &std::path::Path,
    json: Option<&serde_json::Value>,
) -> Result<(load::Loaded, Model), ExitCode> {
    let loaded = load::checked(path)
        .map_err(|stopped| report(&stopped.diagnostics, &stopped.sources, json, stopped.exit))?;
    let model = charter::semantics::model(&loaded.db, loaded.ws).clone();
    Ok((loaded, model))
}

/// Reports diagnostics that stop the command and returns the exit code `code`: inside the
/// command's JSON document `json` (under `diagnostics`) on stdout, or as text on stderr.
fn report(
    diagnostics: &[Diagnostic],
    sources: &super::Sources,
    json: Option<&serde_json::Value>,
    code: u8,
) -> ExitCode {
    match json {
        Some(shell) => {
            let mut doc = shell.clone();
            if let Some(object) = doc.as_object_mut() {
                object.insert(
                    "diagnostics".into(),
                    charter::diagnostics::render::json(diagnostics, sources),
                );
            }
            let _ = writeln!(super::stdout(), "{doc:#}");
        }
        None => emit(diagnostics, sources, &ReportArgs::default()),
    }
    ExitCode::from(code)
}

fn find_policy<'a>(model: &'a Model, name: &str) -> Result<&'a Policy, Box<Diagnostic>> {
    let exact: Vec<&Policy> = model
        .policies
        .iter()
        .filter(|p| p.name.to_string() == name)
        .collect();
    let short: Vec<&Policy> = model
        .policies
        .iter()
        .filter(|p| p.name.name == name)
        .collect();
    match (exact.as_slice(), short.as_slice()) {
        ([one], _) | ([], [one]) => Ok(one),
        ([], []) => {
            let names: Vec<String> = model.policies.iter().map(|p| p.name.to_string()).collect();
            let short: Vec<&str> = model
                .policies
                .iter()
                .map(|p| p.name.name.as_str())
                .collect();
            let hint = charter::diagnostics::suggestion(
                name,
                names.iter().map(String::as_str).chain(short),
                "",
            );
            let message = if hint.is_empty() {
                format!("no policy `{name}`")
            } else {
                format!("no policy `{name}` ({})", hint.text)
            };
            Err(Box::new(
                Diagnostic::command_error(codes::E9015, message)
                    .with_help(format!("the policies are: {}", names.join(", "))),
            ))
        }
        _ => Err(Box::new(
            Diagnostic::command_error(
                codes::E9015,
                format!(
                    "`{name}` names several policies: {}",
                    short
                        .iter()
                        .map(|p| p.name.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .with_help("use the full name"),
        )),
    }
}

pub fn eval(args: &EvalArgs) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    let shell = (args.output == OutputFormat::Json).then(|| json!({}));
    let fail =
        |diagnostic: Diagnostic| report(&[diagnostic], &super::Sources::new(), shell.as_ref(), 2);
    let (_loaded, model) = match checked_model(&args.path, shell.as_ref()) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let input = match routed::input(args) {
        Ok(input) => input,
        Err(diagnostic) => return fail(*diagnostic),
    };
    if args.egress {
        return match routed::egress_input(args, input) {
            Ok(input) => routed::egress(&model, &input, args.output),
            Err(diagnostic) => fail(*diagnostic),
        };
    }
    let Some(name) = &args.policy else {
        return routed::eval(&model, &input, args.output);
    };
    let policy = match find_policy(&model, name) {
        Ok(p) => p,
        Err(diagnostic) => return fail(*diagnostic),
    };
    let evaluation = eval::evaluate(&model, policy, &input);
    let problems = eval::validate(&model, policy, &input);
    if !problems.is_empty() {
        // Denied as `input_invalid` (docs/decisions.md), exactly as the bundle denies it.
        let errors: Vec<serde_json::Value> = problems
            .iter()
            .map(|p| json!({ "path": p.path_text(), "message": p.message }))
            .collect();
        if args.output == OutputFormat::Json {
            let _ = writeln!(
                super::stdout(),
                "{:#}",
                json!({ "verdict": evaluation.verdict, "matched": [], "input_errors": errors })
            );
        } else {
            let _ = super::stdout().write_all(explain(policy, &evaluation).as_bytes());
        }
        for p in &problems {
            let _ = writeln!(stderr, "error: {}: {}", p.path_text(), p.message);
        }
        let _ = writeln!(
            stderr,
            "the input does not fit `{}`'s declared types: denied as `{}`, no rule was evaluated",
            policy.name,
            eval::INPUT_INVALID
        );
        return ExitCode::from(1);
    }
    let mut stdout = super::stdout();
    if args.output == OutputFormat::Json {
        let _ = writeln!(stdout, "{:#}", json!(evaluation));
    } else {
        let _ = stdout.write_all(explain(policy, &evaluation).as_bytes());
    }
    ExitCode::SUCCESS
}

/// A verdict's first line for people: `allow by RULE (DECIDER): REASON`.
pub(super) fn headline(v: &eval::Verdict) -> String {
    format!(
        "{} by {} ({}): {}\n",
        if v.allow { "allow" } else { "deny" },
        v.rule_id,
        v.decider,
        v.reason
    )
}

/// The verdict and why, for people.
pub(super) fn explain(policy: &Policy, e: &Evaluation) -> String {
    let v = &e.verdict;
    let mut out = headline(v);
    for rule in &policy.rules {
        let matched = e.matched.iter().any(|m| m.rule == rule.name);
        let mark = if matched { "matched" } else { "-" };
        let canary = if rule.canary { " @canary" } else { "" };
        let _ = writeln!(
            out,
            "  {mark:8} {} {}{canary}: {}",
            rule.effect.as_str(),
            rule.name,
            rule.reason
        );
    }
    if !v.canary.is_empty() {
        let _ = writeln!(
            out,
            "canary rules that would have changed the verdict: {}",
            v.canary.join(", ")
        );
    }
    out
}
