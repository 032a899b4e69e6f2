//! The bad-input corpus: every `.charter` file (or folder of files) under `tests/corpus/` is a
//! workspace whose expected diagnostics are written inside it.
//!
//! An expectation is a comment line `//~ CODE "text"`: a diagnostic with that code whose primary
//! span covers exactly `text`, on the nearest line above that is not itself an expectation.
//! `//~ CODE @eof` expects a diagnostic at the end of the file. Every diagnostic must be
//! expected and every expectation met, so a corpus file pins both the code and the span.
//!
//! Each case also has a snapshot (`snapshots/corpus/CASE.snap`): its source, then its
//! diagnostics rendered as `charter check` prints them (without colour), so the messages, labels
//! and help are reviewed, not only the codes and spans.

#![expect(
    clippy::disallowed_methods,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use charter::db::Database;

mod support;
use charter::diagnostics::{codes, render};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expectation {
    file: String,
    line: usize,
    code: String,
    text: String,
}

fn expectations(file: &str, text: &str) -> Vec<Expectation> {
    let mut out = Vec::new();
    let mut target = 0;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let Some(rest) = trimmed.strip_prefix("//~ ") else {
            target = i + 1;
            continue;
        };
        let (code, spec) = rest.split_once(' ').unwrap_or((rest, ""));
        let spec = spec.trim();
        let (line, text) = if spec == "@eof" {
            (usize::MAX, String::new())
        } else {
            let quoted = spec.strip_prefix('"').and_then(|s| s.strip_suffix('"'));
            (
                target,
                quoted
                    .unwrap_or_else(|| panic!("{file}:{}: expectation text must be quoted", i + 1))
                    .replace("\\\"", "\"")
                    // Characters a case must not hold on its expectation line (E0008).
                    .replace("\\u{202E}", "\u{202E}")
                    .replace("\\u{2066}", "\u{2066}"),
            )
        };
        out.push(Expectation {
            file: file.to_string(),
            line,
            code: code.to_string(),
            text,
        });
    }
    out
}

fn load_case(path: &Path) -> Vec<(String, String)> {
    if path.is_dir() {
        support::charter_files(path)
    } else {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        vec![(name, std::fs::read_to_string(path).unwrap())]
    }
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.retain(|p| p.is_dir() || p.extension().is_some_and(|e| e == "charter"));
    cases.sort();
    cases
}

/// The source of every file of a case, then the text rendering of its diagnostics.
fn rendering(path: &Path) -> String {
    let files = load_case(path);
    let db = Database::default();
    let sources: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let ws = charter::workspace::from_sources(&db, &sources);
    let diagnostics = charter::semantics::diagnostics(&db, ws);
    let texts: render::Sources = files.iter().cloned().collect();
    let mut out = String::new();
    for (name, text) in &files {
        out.push_str(&format!("----- {name}\n{text}"));
        if !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out.push_str("----- diagnostics\n");
    out.push_str(&render::text(diagnostics, &texts, false));
    out
}

/// Runs one case; returns the codes it expects, or a description of every mismatch.
fn run_case(path: &Path) -> Result<Vec<String>, String> {
    let files = load_case(path);
    let db = Database::default();
    let sources: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let ws = charter::workspace::from_sources(&db, &sources);
    let diagnostics = charter::semantics::diagnostics(&db, ws);
    let mut expected: Vec<Expectation> =
        files.iter().flat_map(|(p, t)| expectations(p, t)).collect();
    expected.sort();
    let mut actual: Vec<Expectation> = Vec::new();
    for d in diagnostics {
        let Some((_, text)) = files.iter().find(|(p, _)| *p == d.primary.file) else {
            actual.push(Expectation {
                file: d.primary.file.clone(),
                line: 0,
                code: d.code.as_str().to_string(),
                text: d.message.clone(),
            });
            continue;
        };
        let start = d.primary.span.start as usize;
        let end = d.primary.span.end as usize;
        let (line, snippet) = if start >= text.trim_end().len() && start == end {
            (usize::MAX, String::new())
        } else {
            (
                text[..start].matches('\n').count() + 1,
                text[start..end].to_string(),
            )
        };
        actual.push(Expectation {
            file: d.primary.file.clone(),
            line,
            code: d.code.as_str().to_string(),
            text: snippet,
        });
    }
    actual.sort();
    if expected == actual {
        return Ok(expected.into_iter().map(|e| e.code).collect());
    }
    let show = |e: &Expectation| {
        let line = if e.line == usize::MAX {
            "eof".to_string()
        } else {
            e.line.to_string()
        };
        format!("{}:{} {} {:?}", e.file, line, e.code, e.text)
    };
    let missing: Vec<String> = expected
        .iter()
        .filter(|e| !actual.contains(e))
        .map(show)
        .collect();
    let extra: Vec<String> = actual
        .iter()
        .filter(|a| !expected.contains(a))
        .map(show)
        .collect();
    let messages: Vec<String> = diagnostics
        .iter()
        .map(|d| {
            format!(
                "  {} {} ({})",
                d.code.as_str(),
                d.message,
                d.primary.message
            )
        })
        .collect();
    Err(format!(
        "{}:\n  expected but not reported: {missing:?}\n  reported but not expected: {extra:?}\n  all diagnostics:\n{}",
        path.display(),
        messages.join("\n")
    ))
}

#[test]
fn corpus_diagnostics_match_their_expectations() {
    let mut failures = Vec::new();
    let cases = cases();
    assert!(
        cases.len() >= 80,
        "the corpus has {} cases; it should have at least 80",
        cases.len()
    );
    for case in &cases {
        if let Err(e) = run_case(case) {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn corpus_renderings_match_their_snapshots() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/corpus");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for case in cases() {
            let name = case.file_stem().unwrap().to_string_lossy().into_owned();
            insta::assert_snapshot!(name, rendering(&case));
        }
    });
}

/// Codes about files and manifests that only the CLI can produce, and "no source files" (a
/// corpus case always has one): all tested in `tests/cli.rs`.
/// E5009 (coverage gates) needs `[compliance] require` in charter.toml while the corpus runs
/// with the default manifest: it is tested in `tests/gates.rs`.
const CLI_ONLY: &[&str] = &[
    "E5009", "E9001", "E9002", "E9003", "E9004", "E9005", "E9006", "E9007",
    // Failures of a command itself (cli/tests/cli_errors.rs; E9021 and E9023, a registry's
    // refusals, in tests/fleet/test_push.py against a real registry).
    "E9008", "E9009", "E9010", "E9011", "E9012", "E9013", "E9014", "E9015", "E9016", "E9017",
    "E9018", "E9019", "E9020", "E9021", "E9022", "E9023",
    // Build attestations (cli/tests/attest.rs).
    "E9030", "E9031", "E9032", "E9033", "E9034", "E9035", "E9036",
    // Evidence without a category: `charter build --target evidence` and `charter report`
    // (cli/tests/report.rs).
    "W9001",
];

/// The contract-evolution codes compare two versions (`charter diff`), so no single-workspace
/// case can expect them: `tests/evolution.rs` pins each in its before/after corpus.
const EVOLUTION: &[&str] = &[
    "E7101", "E7102", "E7103", "E7104", "W7101", "W7102", "W7150", "W7151",
];

#[test]
fn corpus_covers_every_diagnostic_code() {
    let mut covered = BTreeSet::new();
    for case in cases() {
        for (p, t) in load_case(&case) {
            for e in expectations(&p, &t) {
                covered.insert(e.code);
            }
        }
    }
    let missing: Vec<&str> = codes::ALL
        .iter()
        .map(|c| c.code.as_str())
        .filter(|c| !covered.contains(*c) && !CLI_ONLY.contains(c) && !EVOLUTION.contains(c))
        // Import and drift codes (E8xxx, W8xxx) are about OpenAPI and GraphQL documents, not
        // Charter source: the importers' corpus (interop/tests/corpus.rs) has a case for each
        // and checks that, from the same table.
        .filter(|c| !c.get(1..).is_some_and(|n| n.starts_with('8')))
        .collect();
    assert!(
        missing.is_empty(),
        "no corpus case expects these codes: {missing:?}"
    );
}
