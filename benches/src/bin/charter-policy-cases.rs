//! `charter-policy-cases OUT_DIR [--policies N] [--inputs M] [--seed S] [--rules R]
//! [--per-workspace K]`: writes N random policies, each in its own package over its own random
//! schema, as one workspace (or, with `--per-workspace K`, workspaces `OUT/w0`, `OUT/w1`, ... of
//! K policies each, since OPA's cost per query grows with the bundle), and
//!
//! - `cases.json`: M random inputs per policy, each as raw JSON text (`input_text`), with the
//!   verdict the native evaluator gives it (`verdict`; `native_error` when the evaluator could
//!   not read the text), the constructs it exercised (`tags`) and, for a sample, a variant for
//!   the router (`input.policy`, `input.resource_type`, both or neither: `router_input_text`)
//!   with the native router's verdict (`router_verdict`, `charter::eval::router`);
//! - `constructs.json`: how often each construct was generated, in the programs that checked
//!   and in the inputs.
//!
//! The OPA agreement test (`tests/opa/test_property.py`) replays them against OPA.

use std::process::ExitCode;

use charter::db::Database;
use charter_bench::Rng;
use charter_bench::policies::{self, Counts, GeneratedPolicy};
use serde_json::json;

fn arg(args: &[String], name: &str, default: u64) -> u64 {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

const MANIFEST: &str =
    "[package]\nname = \"fuzz\"\nversion = \"1.0.0\"\n\n[build]\nsources = [\"src\"]\n";

/// The errors of one policy's package checked on its own (empty: it checks).
fn errors(source: &str) -> Vec<String> {
    let files = vec![("src/p/p.charter".to_string(), source.to_string())];
    let db = Database::default();
    let ws = charter_bench::load(&db, &files);
    charter::semantics::diagnostics(&db, ws)
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}", d.code.as_str(), d.message))
        .collect()
}

/// Policy `i`: the first of the seed's streams whose program checks.
fn generate(
    i: usize,
    seed: u64,
    rules: usize,
    rejected: &mut Vec<String>,
) -> Option<GeneratedPolicy> {
    for attempt in 0..32u64 {
        let mut rng = Rng::new(seed, (i as u64) * 64 + attempt);
        let p = if rules > 0 {
            policies::policy_with_rules(i, rules, &mut rng)
        } else {
            policies::policy(i, &mut rng)
        };
        let found = errors(&p.source);
        if found.is_empty() {
            return Some(p);
        }
        rejected.extend(found);
    }
    None
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let Some(out) = args.get(1).filter(|a| !a.starts_with("--")) else {
        eprintln!(
            "usage: charter-policy-cases OUT_DIR [--policies N] [--inputs M] [--seed S] [--rules R]"
        );
        return ExitCode::from(2);
    };
    let (count, inputs, seed) = (
        arg(&args, "--policies", 100),
        arg(&args, "--inputs", 200),
        arg(&args, "--seed", 1),
    );
    // `--rules N`: every policy gets exactly N rules (default: 2 to 10 at random).
    let rules = usize::try_from(arg(&args, "--rules", 0)).unwrap_or(0);
    let mut files = Vec::new();
    let mut generated = Vec::new();
    let mut counts = Counts::default();
    let mut rejected = Vec::new();
    for i in 0..usize::try_from(count).unwrap_or(0) {
        let Some(p) = generate(i, seed, rules, &mut rejected) else {
            eprintln!("no valid policy {i} in 32 attempts: a generator bug; the last errors:");
            for e in rejected.iter().rev().take(5) {
                eprintln!("  {e}");
            }
            return ExitCode::from(1);
        };
        counts.merge(&p.counts);
        files.push((format!("src/p{i}/p{i}.charter"), p.source.clone()));
        generated.push(p);
    }
    // `--per-workspace K`: the policies go into workspaces of K each (`OUT/w0`, `OUT/w1`, ...),
    // so that each OPA engine holds a small bundle; 0: one workspace, `OUT` itself.
    let per = usize::try_from(arg(&args, "--per-workspace", 0)).unwrap_or(0);
    let chunks: Vec<&[GeneratedPolicy]> = if per == 0 {
        vec![&generated[..]]
    } else {
        generated.chunks(per).collect()
    };
    let dir = std::path::Path::new(out);
    let mut cases = Vec::new();
    let mut first = 0;
    for (j, chunk) in chunks.iter().enumerate() {
        let name = if per == 0 {
            ".".to_string()
        } else {
            format!("w{j}")
        };
        let files: Vec<(String, String)> = files
            .get(first..first + chunk.len())
            .unwrap_or_default()
            .to_vec();
        if let Err(code) = decide_chunk(
            chunk,
            &files,
            first,
            seed,
            inputs,
            &name,
            &mut counts,
            &mut cases,
        ) {
            return code;
        }
        if let Err(error) = charter_bench::write(&dir.join(&name), &files)
            .and_then(|()| std::fs::write(dir.join(&name).join("charter.toml"), MANIFEST))
        {
            eprintln!("cannot write {}: {error}", dir.display());
            return ExitCode::from(2);
        }
        first += chunk.len();
    }
    let rejected_share = format!("{} checker errors on the way", rejected.len());
    let result = (|| -> std::io::Result<()> {
        std::fs::write(
            dir.join("cases.json"),
            serde_json::to_string(&cases).unwrap_or_default(),
        )?;
        let constructs = json!({ "constructs": counts.0, "rejected_programs": rejected });
        std::fs::write(
            dir.join("constructs.json"),
            serde_json::to_string_pretty(&constructs).unwrap_or_default(),
        )
    })();
    if let Err(error) = result {
        eprintln!("cannot write {}: {error}", dir.display());
        return ExitCode::from(2);
    }
    eprintln!(
        "wrote {} policies and {} cases to {} ({rejected_share})",
        generated.len(),
        cases.len(),
        dir.display()
    );
    ExitCode::SUCCESS
}

/// Checks one workspace of policies and decides their inputs natively into `cases`.
#[expect(
    clippy::too_many_arguments,
    reason = "one call site, the generator's state"
)]
fn decide_chunk(
    chunk: &[GeneratedPolicy],
    files: &[(String, String)],
    first: usize,
    seed: u64,
    inputs: u64,
    workspace: &str,
    counts: &mut Counts,
    cases: &mut Vec<serde_json::Value>,
) -> Result<(), ExitCode> {
    let (config, _) = charter::workspace::manifest(MANIFEST);
    let db = Database::default();
    let ws = charter::workspace::create(&db, config, charter_bench::inputs(files), Vec::new());
    let diagnostics = charter::semantics::diagnostics(&db, ws);
    if diagnostics
        .iter()
        .any(charter::diagnostics::Diagnostic::is_error)
    {
        for d in diagnostics.iter().filter(|d| d.is_error()) {
            eprintln!(
                "{}: {} {} at {:?}",
                d.primary.file,
                d.code.as_str(),
                d.message,
                d.primary.span
            );
        }
        eprintln!("the generated workspace does not check: a generator bug");
        return Err(ExitCode::from(1));
    }
    let model = charter::semantics::model(&db, ws);
    for (k, g) in chunk.iter().enumerate() {
        let Some(policy) = model.policies.iter().find(|p| p.name.to_string() == g.name) else {
            eprintln!("policy {} is not in the model", g.name);
            return Err(ExitCode::from(1));
        };
        let mut rng = Rng::new(seed ^ 0x5eed, (first + k) as u64);
        for _ in 0..inputs {
            let input = policies::input::input(&g.schema, &g.name, &mut rng, counts);
            let mut case = serde_json::Map::new();
            case.insert("workspace".into(), json!(workspace));
            case.insert("policy".into(), json!(g.name));
            case.insert("input_text".into(), json!(input.text));
            case.insert("tags".into(), json!(input.tags));
            decide(
                model,
                policy,
                &input.text,
                &mut case,
                "verdict",
                "native_error",
            );
            if let Some(router) = &input.router_text {
                case.insert("router_input_text".into(), json!(router));
                route(model, router, &mut case);
            }
            // Every 32nd case also carries the rules that matched and every problem of the
            // input, for comparison with the bundle's `matches` and `input_problems`.
            if cases.len().is_multiple_of(32) {
                details(model, policy, &input.text, &mut case);
            }
            cases.push(serde_json::Value::Object(case));
        }
    }
    Ok(())
}

/// The router's native verdict of one raw input (`charter::eval::router`, docs/decisions.md)
/// into `case["router_verdict"]`, and the policy it names into `case["router_policy"]` (or why
/// there is none into `case["router_native_error"]`).
fn route(
    model: &charter::ir::Model,
    text: &str,
    case: &mut serde_json::Map<String, serde_json::Value>,
) {
    match charter::eval::Json::parse(text) {
        Ok(input) => {
            let routed = charter::eval::router::route(model, &input);
            case.insert("router_policy".into(), json!(routed.verdict.decider));
            case.insert(
                "router_verdict".into(),
                serde_json::to_value(&routed.verdict).unwrap_or_default(),
            );
        }
        Err(error) => {
            case.insert("router_native_error".into(), json!(error.to_string()));
        }
    }
}

/// The names of the rules that matched (`matched`) and the input's problems as the bundle's
/// `input_problems` spells them, `[[step, ...], message]` (`problems`).
fn details(
    model: &charter::ir::Model,
    policy: &charter::ir::Policy,
    text: &str,
    case: &mut serde_json::Map<String, serde_json::Value>,
) {
    let Ok(input) = charter::eval::Json::parse(text) else {
        return;
    };
    let matched: Vec<String> = charter::eval::evaluate(model, policy, &input)
        .matched
        .into_iter()
        .map(|m| m.rule)
        .collect();
    let problems: Vec<serde_json::Value> = charter::eval::validate(model, policy, &input)
        .into_iter()
        .map(|p| {
            let path: Vec<serde_json::Value> = p
                .path
                .into_iter()
                .map(|seg| match seg {
                    charter::eval::Seg::Index(i) => json!(i),
                    charter::eval::Seg::Key(k) => json!(k),
                })
                .collect();
            json!([path, p.message])
        })
        .collect();
    case.insert("matched".into(), json!(matched));
    case.insert("problems".into(), json!(problems));
}

/// The native verdict of one raw input, into `case[field]` (or the reason it has none into
/// `case[error_field]`).
fn decide(
    model: &charter::ir::Model,
    policy: &charter::ir::Policy,
    text: &str,
    case: &mut serde_json::Map<String, serde_json::Value>,
    field: &str,
    error_field: &str,
) {
    match charter::eval::Json::parse(text) {
        Ok(input) => {
            let evaluation = charter::eval::evaluate(model, policy, &input);
            case.insert(
                field.into(),
                serde_json::to_value(&evaluation.verdict).unwrap_or_default(),
            );
        }
        Err(error) => {
            case.insert(field.into(), serde_json::Value::Null);
            case.insert(error_field.into(), json!(format!("{error:?}")));
        }
    }
}
