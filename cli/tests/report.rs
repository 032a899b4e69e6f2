//! `charter report` end to end: a workspace that passes every gate (each one on and measured:
//! `--against HEAD`, `--evidence-root`, `--openapi`), and one variant per gate built to fail
//! exactly that gate (exit 1, the gate named). The contract and drift verdicts are checked
//! against `charter diff --format json` and `charter drift`; the summit example's exit code and
//! W9001 (an evidence item without a category).

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod support;

use std::path::{Path, PathBuf};

use support::{charter, git, stderr, stdout};

const MANIFEST: &str = r#"[package]
name = "ready"
version = "1.0.0"

[build]
sources = ["src"]
out = "out"

[gates]
requirements = 1
threats = 70
sunsets_upcoming = 0
"#;

const SOURCE: &str = r#"package ready

use std.frameworks.soc2

entity User { id: string }
entity Doc { id: string }
action read on Doc by User
action write on Doc by User

record Page { id: string, title: string }

policy docs on Doc by User default deny "no rule allowed this request" {
  allow own when subject.id == resource.id because "owners read their documents"
}

test docs {
  "an owner reads" {
    subject User { id: "u" }
    resource Doc { id: "u" }
    action read
    expect allow by own
  }
}

service Docs version "1.0.0" at "/docs" {
  op get GET "/v1/docs/{id}" (id: string) -> Page
    guarded by docs action read
//OPS
}

control ACC-01 "Access is decided by policy" {
  owner "Platform"
  satisfies soc2."CC6.1"
  enforced by docs
  evidence "audit/ga-evidence/access/reviews" retained 10y
}

threat T-01 "Documents leak across owners" {
  likelihood high
  impact high
  mitigated by ACC-01
}
"#;

/// The day every run measures from: after the evidence files are written, before 10 years.
const TODAY: &str = "2030-01-01";

/// A workspace: the base, then `edit` applied (to the source or the manifest), committed base
/// first so that `--against HEAD` compares with the base. Returns its folder.
fn workspace(tmp: &Path, source: &str, manifest: &str) -> PathBuf {
    let ws = tmp.join("ws");
    std::fs::create_dir_all(ws.join("src")).unwrap();
    std::fs::write(ws.join("charter.toml"), MANIFEST).unwrap();
    std::fs::write(ws.join("src/ready.charter"), SOURCE).unwrap();
    git(tmp, &["init", "-q"]);
    git(tmp, &["add", "-A"]);
    git(tmp, &["commit", "-q", "-m", "base"]);
    std::fs::write(ws.join("charter.toml"), manifest).unwrap();
    std::fs::write(ws.join("src/ready.charter"), source).unwrap();
    let evidence = tmp.join("evidence/audit/ga-evidence/access/reviews");
    std::fs::create_dir_all(&evidence).unwrap();
    std::fs::write(evidence.join("2029-q4.md"), "reviewed").unwrap();
    ws
}

/// The OpenAPI document the workspace's own build gives for `Docs` (what a faithful
/// implementation serves).
fn served(ws: &Path) -> PathBuf {
    let out = charter(&["build", ".", "--target", "openapi"], ws);
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = ws.join("out/openapi");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("Docs"))
        .unwrap_or_else(|| panic!("no Docs document in {}", dir.display()));
    let copy = ws.parent().unwrap().join("served.yaml");
    std::fs::copy(file, &copy).unwrap();
    copy
}

fn report(ws: &Path, served: &Path, format: &str) -> std::process::Output {
    let openapi = format!("Docs={}", served.display());
    charter(
        &[
            "report",
            ".",
            "--against",
            "HEAD",
            "--evidence-root",
            "../evidence",
            "--openapi",
            &openapi,
            "--today",
            TODAY,
            "--format",
            format,
        ],
        ws,
    )
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

fn failing(doc: &serde_json::Value) -> Vec<String> {
    doc["gates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["status"] == "fail")
        .map(|g| g["gate"].as_str().unwrap().to_string())
        .collect()
}

fn ops(extra: &str) -> String {
    SOURCE.replace("//OPS\n", extra)
}

fn append(extra: &str) -> String {
    format!("{SOURCE}\n{extra}")
}

#[test]
fn the_base_workspace_passes_every_gate_all_measured() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace(tmp.path(), SOURCE, MANIFEST);
    let served = served(&ws);
    let out = report(&ws, &served, "json");
    let doc = json(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    for gate in doc["gates"].as_array().unwrap() {
        assert_eq!(gate["status"], "pass", "{gate}");
    }
    let md = report(&ws, &served, "markdown");
    assert_eq!(md.status.code(), Some(0));
    assert!(stdout(&md).contains("**Ready**"), "{}", stdout(&md));
}

/// Each gate with the change that fails it, and only it.
fn cases() -> Vec<(&'static str, String, String)> {
    let m = MANIFEST.to_string();
    vec![
        (
            "verdict_propagation",
            ops("  op list GET \"/v1/docs\" () -> list<Page>\n"),
            m.clone(),
        ),
        (
            "provenance",
            append("record Event with provenance { id: string }\n")
                .replace("//OPS\n", "  op ingest POST \"/v1/events\" (body: Event) -> Page\n    guarded by docs action write\n"),
            m.clone(),
        ),
        (
            "policy_tests",
            SOURCE.replace(
                "  allow own when",
                "  deny blocked when subject.id == \"blocked\" because \"blocked users read nothing\"\n  allow own when",
            ),
            m.clone(),
        ),
        (
            "requirements",
            SOURCE.to_string(),
            m.replace("requirements = 1", "requirements = 50"),
        ),
        (
            "control_evidence",
            append("control ACC-02 \"Reviews\" {\n  owner \"Platform\"\n  enforced by docs\n}\n"),
            m.clone(),
        ),
        (
            "evidence_present",
            SOURCE.replace(
                "retained 10y\n",
                "retained 10y\n  evidence \"audit/ga-evidence/access/approvals\" retained 10y\n",
            ),
            m.clone(),
        ),
        (
            "evidence_stale",
            SOURCE.replace("retained 10y", "retained 1y"),
            m.clone(),
        ),
        (
            "threats",
            append("threat T-02 \"Slow exports\" {\n  likelihood critical\n  impact medium\n}\n"),
            m.clone(),
        ),
        (
            "unmitigated_high",
            append("threat T-03 \"Forged owners\" {\n  likelihood low\n  impact high\n}\n"),
            m.clone(),
        ),
        (
            "contracts",
            SOURCE.replace(
                "  op get GET \"/v1/docs/{id}\" (id: string) -> Page\n    guarded by docs action read\n",
                "",
            ),
            m.clone(),
        ),
        (
            "sunsets_upcoming",
            SOURCE.replace(
                "  op get GET",
                "  @deprecated(since: 2029-06-01, sunset: 2030-02-01)\n  op get GET",
            ),
            m.clone(),
        ),
        (
            "sunsets_past",
            SOURCE.replace(
                "  op get GET",
                "  @deprecated(since: 2029-01-01, sunset: 2029-12-01)\n  op get GET",
            ),
            m.clone(),
        ),
        ("drift", SOURCE.to_string(), m),
    ]
}

#[test]
fn each_gate_fails_alone() {
    let all: Vec<&str> = charter::config::GATES.iter().map(|(k, _, _)| *k).collect();
    let cases = cases();
    let covered: Vec<&str> = cases.iter().map(|(g, _, _)| *g).collect();
    assert_eq!(covered, all, "one case per gate, in the table's order");
    for (gate, source, manifest) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let ws = workspace(tmp.path(), &source, &manifest);
        let served = served(&ws);
        if gate == "drift" {
            // The implementation serves one more operation than the contract has.
            let text = std::fs::read_to_string(&served).unwrap();
            let extra = text.replacen("paths:\n", "paths:\n  /docs/v1/extra:\n    get:\n      operationId: extra\n      responses:\n        \"204\":\n          description: No content\n", 1);
            assert_ne!(extra, text);
            std::fs::write(&served, extra).unwrap();
        }
        let out = report(&ws, &served, "json");
        let doc = json(&out);
        assert_eq!(failing(&doc), [gate], "{gate}: {}", stdout(&out));
        assert_eq!(out.status.code(), Some(1), "{gate}");
        assert!(
            stderr(&out).contains(&format!("readiness gate(s) failed: {gate}")),
            "{gate}: {}",
            stderr(&out)
        );
        let md = report(&ws, &served, "markdown");
        assert!(
            stdout(&md).contains(&format!("gate(s) fail: `{gate}`")),
            "{gate}: {}",
            stdout(&md)
        );
        // The contract and drift verdicts, recomputed by the commands that own them.
        let diff = charter(
            &[
                "diff",
                ".",
                "--against",
                "HEAD",
                "--today",
                TODAY,
                "--format",
                "json",
            ],
            &ws,
        );
        let diff: serde_json::Value = serde_json::from_str(&stdout(&diff)).unwrap();
        assert_eq!(doc["contracts"]["compatible"], diff["allowed"], "{gate}");
        assert_eq!(
            doc["contracts"]["breaking"].as_array().unwrap().len() as u64,
            diff["summary"]["breaking"].as_u64().unwrap(),
            "{gate}"
        );
        let drift = charter(
            &["drift", ".", "--openapi", &served.display().to_string()],
            &ws,
        );
        assert_eq!(
            drift.status.code() == Some(1),
            doc["drift"]["differences"].as_u64().unwrap() > 0,
            "{gate}: {}",
            stdout(&drift)
        );
    }
}

#[test]
fn usage_and_io_problems_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace(tmp.path(), SOURCE, MANIFEST);
    for args in [
        vec!["report", ".", "--openapi", "Docs"],
        vec!["report", ".", "--openapi", "Nope=served.yaml"],
        vec!["report", ".", "--evidence-root", "../missing"],
        vec!["report", ".", "--today", "2030-13-01"],
        vec!["report", ".", "--format", "html"],
    ] {
        let out = charter(&args, &ws);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    std::fs::write(
        ws.join("charter.toml"),
        MANIFEST.replace("threats = 70", "threats = 170"),
    )
    .unwrap();
    let out = charter(&["report", "."], &ws);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("invalid value for gate `threats`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn out_file_and_summit() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("report.md");
    let out = charter(
        &[
            "report",
            "examples/summit",
            "--today",
            "2026-12-07",
            "--out",
            &file.display().to_string(),
        ],
        &root,
    );
    // Summit has a silent gap (`validate`), an operation carrying provenance without requiring
    // it, and never-exercised rules: exactly those gates fail.
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out)
            .contains("readiness gate(s) failed: verdict_propagation, provenance, policy_tests"),
        "{}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("# Readiness report: `summit` 2.1.0"));
}

#[test]
fn evidence_without_a_category_warns() {
    let tmp = tempfile::tempdir().unwrap();
    let source = SOURCE.replace(
        "retained 10y\n",
        "retained 10y\n  evidence \"evidence/approvals\" retained 1y\n  evidence \"evidence/tickets\" category change_management\n",
    );
    let ws = workspace(tmp.path(), &source, MANIFEST);
    for args in [
        vec!["report", "."],
        vec!["build", ".", "--target", "evidence"],
    ] {
        let out = charter(&args, &ws);
        let err = stderr(&out);
        assert_eq!(err.matches("warning[W9001]").count(), 1, "{args:?}: {err}");
        assert!(
            err.contains("evidence `evidence/approvals` has no category"),
            "{err}"
        );
    }
    let index =
        std::fs::read_to_string(ws.join("out/evidence/COMPLIANCE_EVIDENCE_INDEX.md")).unwrap();
    assert!(
        index.contains("## change\\_management") || index.contains("## change_management"),
        "{index}"
    );
    assert!(index.contains("| 1y |"), "{index}");
}
