//! `charter test`: every test case, plus generated regression cases (`charter::eval::cases`),
//! with the native evaluator; `--coverage` adds the rules each policy's cases exercise.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use charter::eval::{self, Case, Coverage, Evaluation};
use serde_json::json;

use super::eval::{OutputFormat, checked_model};

#[derive(clap::Args)]
pub struct TestArgs {
    /// The workspace folder (or any folder or file inside it).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// `text` for people, `json` for tools, `junit` for CI.
    #[arg(long = "format", default_value = "text")]
    pub output: OutputFormat,
    /// Also report, per policy, the rules its cases exercise (whose condition holds for at least
    /// one case's input) and the rules no case exercises (in the text and JSON formats).
    #[arg(long)]
    pub coverage: bool,
}

pub fn run(args: &TestArgs) -> ExitCode {
    // A workspace that does not compile runs no case: the JSON says so, with the diagnostics.
    let shell = (args.output == OutputFormat::Json)
        .then(|| json!({ "cases": [], "summary": { "passed": 0, "failed": 0 } }));
    let (_loaded, model) = match checked_model(&args.path, shell.as_ref()) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let mut results = Vec::new();
    for case in eval::cases(&model) {
        let Some(policy) = model
            .policies
            .iter()
            .find(|p| p.name.to_string() == case.policy)
        else {
            continue;
        };
        let evaluation = eval::evaluate(&model, policy, &case.input);
        results.push((case, evaluation));
    }
    let passed = results.iter().filter(|(c, e)| c.passes(&e.verdict)).count();
    let failed = results.len() - passed;
    let coverage = args.coverage.then(|| eval::coverage(&model, &results));
    let mut stdout = super::stdout();
    match args.output {
        OutputFormat::Json => {
            let cases: Vec<serde_json::Value> = results
                .iter()
                .map(|(c, e)| {
                    json!({
                        "policy": c.policy,
                        "name": c.name,
                        "generated": c.generated,
                        "input": c.input,
                        "expected": { "effect": c.effect.as_str(), "rule": c.expected_rule() },
                        "verdict": e.verdict,
                        "matched": e.matched,
                        "passed": c.passes(&e.verdict),
                    })
                })
                .collect();
            let mut doc =
                json!({ "cases": cases, "summary": { "passed": passed, "failed": failed } });
            if let (Some(coverage), Some(object)) = (&coverage, doc.as_object_mut()) {
                object.insert("coverage".into(), coverage_json(coverage));
            }
            let _ = writeln!(stdout, "{doc:#}");
        }
        OutputFormat::Junit => {
            let _ = stdout.write_all(junit(&results, passed, failed).as_bytes());
        }
        OutputFormat::Text => {
            for (c, e) in &results {
                let ok = c.passes(&e.verdict);
                let status = if ok { "ok" } else { "FAILED" };
                let _ = writeln!(stdout, "test {} \"{}\" ... {status}", c.policy, c.name);
                if !ok {
                    let _ = stdout.write_all(failure(c, e).as_bytes());
                }
            }
            let _ = writeln!(stdout, "\n{passed} passed, {failed} failed");
            if let Some(coverage) = &coverage {
                let _ = stdout.write_all(coverage_text(coverage).as_bytes());
            }
        }
    }
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The coverage for people: per policy, each rule with the number of cases that exercise it,
/// then every rule no case exercises.
fn coverage_text(coverage: &[Coverage<'_>]) -> String {
    let mut out =
        String::from("\ncoverage (a rule is exercised when its condition holds for a case):\n");
    let mut never = Vec::new();
    for c in coverage {
        let exercised = c.rules.iter().filter(|(_, by)| !by.is_empty()).count();
        let _ = writeln!(
            out,
            "  {}: {exercised} of {} exercised by {}",
            c.policy.name,
            counted(c.rules.len(), "rule"),
            counted(c.cases, "case")
        );
        for (rule, (name, by)) in c.policy.rules.iter().zip(&c.rules) {
            let mark = if by.is_empty() {
                "never".to_string()
            } else {
                counted(by.len(), "case")
            };
            let canary = if rule.canary { " @canary" } else { "" };
            let _ = writeln!(out, "    {mark:9} {} {name}{canary}", rule.effect.as_str());
        }
        never.extend(
            c.never_exercised()
                .map(|rule| format!("{}.{rule}", c.policy.name)),
        );
    }
    if never.is_empty() {
        out.push_str("every rule is exercised\n");
    } else {
        let _ = writeln!(out, "never exercised: {}", never.join(", "));
    }
    out
}

/// `1 case`, `2 cases`.
fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The coverage for tools: `[{policy, cases, rules: [{rule, effect, canary, exercised, cases}],
/// never_exercised}]`.
fn coverage_json(coverage: &[Coverage<'_>]) -> serde_json::Value {
    let policies: Vec<serde_json::Value> = coverage
        .iter()
        .map(|c| {
            let rules: Vec<serde_json::Value> = c
                .policy
                .rules
                .iter()
                .zip(&c.rules)
                .map(|(rule, (name, by))| {
                    json!({
                        "rule": name,
                        "effect": rule.effect.as_str(),
                        "canary": rule.canary,
                        "exercised": !by.is_empty(),
                        "cases": by,
                    })
                })
                .collect();
            let never: Vec<&str> = c.never_exercised().collect();
            json!({
                "policy": c.policy.name.to_string(),
                "cases": c.cases,
                "rules": rules,
                "never_exercised": never,
            })
        })
        .collect();
    serde_json::Value::Array(policies)
}

fn failure(c: &Case, e: &Evaluation) -> String {
    let v = &e.verdict;
    let expected = match &c.rule {
        None => c.effect.as_str().to_string(),
        Some(None) => format!("{} by default", c.effect.as_str()),
        Some(Some(r)) => format!("{} by {r}", c.effect.as_str()),
    };
    let matched: Vec<String> = e
        .matched
        .iter()
        .map(|m| format!("{} {}", m.effect, m.rule))
        .collect();
    format!(
        "    expected: {expected}\n    actual:   {} by {} ({})\n    matched:  {}\n",
        if v.allow { "allow" } else { "deny" },
        v.rule_id,
        v.reason,
        if matched.is_empty() {
            "no rule".to_string()
        } else {
            matched.join(", ")
        }
    )
}

fn junit(results: &[(Case, Evaluation)], passed: usize, failed: usize) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"charter\" tests=\"{}\" failures=\"{failed}\">",
        passed + failed
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"charter test\" tests=\"{}\" failures=\"{failed}\">",
        passed + failed
    );
    for (c, e) in results {
        let _ = write!(
            out,
            "    <testcase classname=\"{}\" name=\"{}\"",
            esc(&c.policy),
            esc(&c.name)
        );
        if c.passes(&e.verdict) {
            out.push_str("/>\n");
        } else {
            let text = failure(c, e);
            let _ = write!(
                out,
                ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                esc(text.lines().next().unwrap_or("").trim()),
                esc(&text)
            );
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
