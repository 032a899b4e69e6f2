//! `charter-policy-cases OUT_DIR [--policies N] [--inputs M] [--seed S] [--rules R]`: writes a workspace of
//! N random policies over one schema, and `cases.json` with M random inputs per policy and the
//! verdict the native evaluator gives each. The OPA agreement test replays them against OPA.

use std::process::ExitCode;

use charter::db::Database;
use charter_bench::Rng;
use charter_bench::policies::{self, SCHEMA};

fn arg(args: &[String], name: &str, default: u64) -> u64 {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Whether the schema plus this one policy checks without errors.
fn checks(schema: &[(String, String)], source: &str) -> bool {
    let mut files = schema.to_vec();
    files.push(("src/p/p.charter".to_string(), source.to_string()));
    let db = Database::default();
    let ws = charter_bench::load(&db, &files);
    !charter::semantics::diagnostics(&db, ws)
        .iter()
        .any(charter::diagnostics::Diagnostic::is_error)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let Some(out) = args.get(1).filter(|a| !a.starts_with("--")) else {
        eprintln!("usage: charter-policy-cases OUT_DIR [--policies N] [--inputs M] [--seed S]");
        return ExitCode::from(2);
    };
    let (count, inputs, seed) = (
        arg(&args, "--policies", 50),
        arg(&args, "--inputs", 200),
        arg(&args, "--seed", 1),
    );
    // `--rules N`: every policy gets exactly N rules (default: 3 to 12 at random).
    let rules = usize::try_from(arg(&args, "--rules", 0)).unwrap_or(0);
    let mut files = vec![("src/schema/schema.charter".to_string(), SCHEMA.to_string())];
    let mut names = Vec::new();
    for i in 0..usize::try_from(count).unwrap_or(0) {
        // A random policy can be ill-typed (`has x and x == none` is always false, E2002): try
        // further streams until one checks, so every seed gives a valid workspace.
        let mut generated = None;
        for attempt in 0..32u64 {
            let mut rng = Rng::new(seed, (i as u64) * 64 + attempt);
            let p = if rules > 0 {
                policies::policy_with_rules(i, rules, &mut rng)
            } else {
                policies::policy(i, &mut rng)
            };
            if checks(files.get(..1).unwrap_or_default(), &p.source) {
                generated = Some(p);
                break;
            }
        }
        let Some(p) = generated else {
            eprintln!("no valid policy {i} in 32 attempts: a generator bug");
            return ExitCode::from(1);
        };
        files.push((format!("src/p{i}/p{i}.charter"), p.source));
        names.push(p.name);
    }
    let manifest =
        "[package]\nname = \"fuzz\"\nversion = \"1.0.0\"\n\n[build]\nsources = [\"src\"]\n";
    let (config, _) = charter::workspace::manifest(manifest);
    let db = Database::default();
    let ws = charter::workspace::create(&db, config, charter_bench::inputs(&files), Vec::new());
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
        return ExitCode::from(1);
    }
    let model = charter::semantics::model(&db, ws);
    let mut cases = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let Some(policy) = model.policies.iter().find(|p| &p.name.to_string() == name) else {
            continue;
        };
        let mut rng = Rng::new(seed ^ 0x5eed, i as u64);
        for _ in 0..inputs {
            let input = policies::input(&mut rng);
            let evaluation = charter::eval::evaluate(model, policy, &input);
            cases.push(serde_json::json!({ "policy": name, "input": input, "verdict": evaluation.verdict }));
        }
    }
    let dir = std::path::Path::new(out);
    let manifest =
        "[package]\nname = \"fuzz\"\nversion = \"1.0.0\"\n\n[build]\nsources = [\"src\"]\n";
    let result = (|| -> std::io::Result<()> {
        charter_bench::write(dir, &files)?;
        std::fs::write(dir.join("charter.toml"), manifest)?;
        std::fs::write(
            dir.join("cases.json"),
            serde_json::to_string(&cases).unwrap_or_default(),
        )
    })();
    if let Err(error) = result {
        eprintln!("cannot write {}: {error}", dir.display());
        return ExitCode::from(2);
    }
    eprintln!(
        "wrote {} policies and {} cases to {}",
        names.len(),
        cases.len(),
        dir.display()
    );
    ExitCode::SUCCESS
}
