//! `charter eval`'s input (a file, standard input and the flags that override it), its router
//! mode (without `--policy`, the router decides as the bundle's `data.charter.router.verdict`
//! does: `charter::eval::router`) and its egress mode (`--egress`, as
//! `data.charter.router.egress.verdict`: `charter::eval::egress`); docs/decisions.md.

use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

use charter::diagnostics::{Diagnostic, codes};
use charter::eval::router::{self, ROUTER_INPUT_INVALID};
use charter::eval::{INPUT_INVALID, Json};
use charter::ir::Model;
use serde_json::json;

use super::eval::{EvalArgs, OutputFormat, explain, headline};

/// A JSON file's text, or standard input's for `-`.
fn read_json(path: &std::path::Path, flag: &str) -> Result<Json, Box<Diagnostic>> {
    let shown = path.display().to_string();
    let text = if path.as_os_str() == "-" {
        let mut buf = String::new();
        let _ = std::io::Read::read_to_string(&mut std::io::stdin(), &mut buf);
        buf
    } else {
        std::fs::read_to_string(path).map_err(|error| {
            Box::new(
                Diagnostic::path_error(
                    codes::E9006,
                    format!("cannot read `{shown}`: {error}"),
                    &shown,
                )
                .with_help(format!(
                    "give `{flag}` a readable JSON file, or `-` for stdin"
                )),
            )
        })?
    };
    Json::parse(&text).map_err(|error| {
        Box::new(
            Diagnostic::path_error(
                codes::E9014,
                format!("`{shown}` is not valid JSON: {error}"),
                &shown,
            )
            .with_help(if flag == "--input" {
                "write one JSON object: `{\"action\": …, \"subject\": …, \"resource\": …, \"context\": …}`"
            } else {
                "write the response body as one JSON value"
            }),
        )
    })
}

/// The input of `charter eval`: `--input` (a file, or `-` for standard input), then `--subject`,
/// `--resource`, `--context`, `--action` and `--resource-type` over it.
pub fn input(args: &EvalArgs) -> Result<Json, Box<Diagnostic>> {
    let mut input = match &args.input {
        None => Json::Object(Default::default()),
        Some(path) => read_json(path, "--input")?,
    };
    for (key, value) in [
        ("subject", &args.subject),
        ("resource", &args.resource),
        ("context", &args.context),
    ] {
        if let Some(text) = value {
            let v = Json::parse(text).map_err(|error| {
                Box::new(
                    Diagnostic::command_error(
                        codes::E9014,
                        format!("--{key} is not valid JSON: {error}"),
                    )
                    .with_help(format!(
                        "give `--{key}` a JSON object, such as '{{\"id\": \"u1\"}}'"
                    )),
                )
            })?;
            if let Json::Object(obj) = &mut input {
                obj.insert(key.to_string(), v);
            }
        }
    }
    for (key, value) in [
        ("action", &args.action),
        ("resource_type", &args.resource_type),
    ] {
        if let (Some(value), Json::Object(obj)) = (value, &mut input) {
            obj.insert(key.into(), Json::String(value.clone()));
        }
    }
    Ok(input)
}

/// Decides `input` with the router and prints the verdict, the applicable policies and each
/// one's verdict. Exits 1 when the input could not be read (the router's or a deciding policy's
/// `input_invalid`), else 0.
pub fn eval(model: &Model, input: &Json, format: OutputFormat) -> ExitCode {
    let routed = router::route(model, input);
    let verdict = &routed.verdict;
    let mut stdout = super::stdout();
    if format == OutputFormat::Json {
        let decisions: Vec<serde_json::Value> = routed
            .decisions
            .iter()
            .map(|(p, e)| json!({ "policy": p.name.to_string(), "verdict": e.verdict, "matched": e.matched }))
            .collect();
        let policies: Vec<String> = routed.policies.iter().map(|p| p.name.to_string()).collect();
        let _ = writeln!(
            stdout,
            "{:#}",
            json!({
                "verdict": verdict,
                "policy": verdict.decider,
                "policies": policies,
                "decisions": decisions,
            })
        );
    } else {
        let mut out = headline(verdict);
        if routed.decisions.len() > 1 {
            let _ = writeln!(
                out,
                "{} policies apply; a denial from any of them wins:",
                routed.decisions.len()
            );
        }
        for (policy, evaluation) in &routed.decisions {
            let _ = writeln!(out, "\npolicy {}:", policy.name);
            for line in explain(policy, evaluation).lines() {
                let _ = writeln!(out, "  {line}");
            }
        }
        let _ = stdout.write_all(out.as_bytes());
    }
    if verdict.rule_id == ROUTER_INPUT_INVALID || verdict.rule_id == INPUT_INVALID {
        let _ = writeln!(
            std::io::stderr(),
            "the input could not be decided: {}",
            verdict.reason
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// The egress input: `input` (from `--input`, or `{}`) with `--service`, `--operation` and
/// `--response` over it.
pub fn egress_input(args: &EvalArgs, mut input: Json) -> Result<Json, Box<Diagnostic>> {
    let response = match &args.response {
        Some(path) => Some(read_json(path, "--response")?),
        None => None,
    };
    if let Json::Object(obj) = &mut input {
        for (key, value) in [("service", &args.service), ("operation", &args.operation)] {
            if let Some(value) = value {
                obj.insert(key.into(), Json::String(value.clone()));
            }
        }
        if let Some(response) = response {
            obj.insert("response".into(), response);
        }
    }
    Ok(input)
}

/// Checks a response at egress and prints the verdict and every problem of the response. Exits
/// 1 when the input or the response does not fit (`charter.egress.input_invalid`,
/// `charter.egress.response_invalid`), else 0.
pub fn egress(model: &Model, input: &Json, format: OutputFormat) -> ExitCode {
    let (verdict, problems) = charter::eval::egress::check(model, input);
    let mut stdout = super::stdout();
    if format == OutputFormat::Json {
        let problems: Vec<serde_json::Value> = problems
            .iter()
            .map(|p| json!({ "path": p.path_text(), "message": p.message }))
            .collect();
        let _ = writeln!(
            stdout,
            "{:#}",
            json!({ "verdict": verdict, "problems": problems })
        );
    } else {
        let _ = stdout.write_all(headline(&verdict).as_bytes());
    }
    let mut stderr = std::io::stderr();
    for p in &problems {
        let _ = writeln!(stderr, "error: {}: {}", p.path_text(), p.message);
    }
    if verdict.rule_id == charter::eval::egress::EGRESS_INPUT_INVALID
        || verdict.rule_id == charter::eval::egress::RESPONSE_INVALID
    {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
