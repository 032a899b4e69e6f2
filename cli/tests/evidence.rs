//! `charter build --evidence-root DIR [--require-evidence]`: the evidence index reports which
//! declared evidence exists, with the SHA-256 of files and of folder manifests; missing evidence
//! fails `--require-evidence`; a bad root is a usage error; nothing is written outside `--out`.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use sha2::{Digest, Sha256};

mod support;
use support::{charter, stderr};

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, by relative path.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    out
}

const CALENDAR: &str = "audit/ga-evidence/api/deprecation-calendar";
const DECISION_LOGS: &str = "audit/ga-evidence/governance/decision-logs";

/// A copy of the summit workspace (`ws`) and an evidence folder (`evidence`) holding one file
/// item and one folder item (two files, one nested), plus an undeclared file.
fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let summit = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/summit");
    std::fs::create_dir_all(dir.path().join("ws")).unwrap();
    std::fs::copy(
        summit.join("charter.toml"),
        dir.path().join("ws/charter.toml"),
    )
    .unwrap();
    copy(&summit.join("src"), &dir.path().join("ws/src"));
    let evidence = dir.path().join("evidence");
    let files: [(String, &[u8]); 4] = [
        (CALENDAR.to_string(), b"2026-01-01 v1 sunset\n"),
        (
            format!("{DECISION_LOGS}/2026-01.jsonl"),
            b"{\"allow\":true}\n",
        ),
        (
            format!("{DECISION_LOGS}/q1/2026-02.jsonl"),
            b"{\"allow\":false}\n",
        ),
        (
            "audit/ga-evidence/unlisted.txt".to_string(),
            b"not declared",
        ),
    ];
    for (path, bytes) in files {
        let full = evidence.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
    }
    dir
}

fn build(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        "ws",
        "--target",
        "evidence",
        "--out",
        "out",
        "--evidence-root",
        "evidence",
    ];
    args.extend_from_slice(extra);
    charter(&args, dir)
}

fn item<'a>(index: &'a serde_json::Value, path: &str) -> &'a serde_json::Value {
    index["categories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["items"].as_array().unwrap())
        .find(|i| i["path"] == path)
        .unwrap_or_else(|| panic!("no {path} in the index"))
}

#[test]
fn index_reports_existence_and_hashes() {
    let dir = setup();
    let before = tree(dir.path());
    let out = build(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // Nothing but the output folder was written.
    let mut after = tree(dir.path());
    let written: Vec<PathBuf> = after
        .keys()
        .filter(|p| p.starts_with("out"))
        .cloned()
        .collect();
    for path in &written {
        after.remove(path);
    }
    assert_eq!(before, after);
    assert_eq!(
        written,
        [
            // The mark of the output folder: the folders charter wrote there.
            PathBuf::from("out/.charter-output.json"),
            PathBuf::from("out/evidence/COMPLIANCE_EVIDENCE_INDEX.md"),
            PathBuf::from("out/evidence/index.json"),
        ]
    );

    let index: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/evidence/index.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(index["status_checked"], true);
    let calendar = item(&index, CALENDAR);
    assert_eq!(calendar["exists"], true);
    assert_eq!(calendar["files"], 1);
    assert_eq!(calendar["sha256"], hex(b"2026-01-01 v1 sunset\n"));

    let manifest = format!(
        "2026-01.jsonl\t{}\nq1/2026-02.jsonl\t{}\n",
        hex(b"{\"allow\":true}\n"),
        hex(b"{\"allow\":false}\n")
    );
    let logs = item(&index, DECISION_LOGS);
    assert_eq!(logs["exists"], true);
    assert_eq!(logs["files"], 2);
    assert_eq!(logs["sha256"], hex(manifest.as_bytes()));

    let signatures = item(&index, "audit/ga-evidence/cicd/signatures");
    assert_eq!(signatures["exists"], false);
    assert_eq!(signatures["sha256"], serde_json::Value::Null);
    let missing: Vec<&str> = index["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["path"].as_str().unwrap())
        .collect();
    assert!(missing.contains(&"audit/ga-evidence/cicd/signatures"));
    assert!(!missing.contains(&CALENDAR) && !missing.contains(&DECISION_LOGS));

    let md = std::fs::read_to_string(dir.path().join("out/evidence/COMPLIANCE_EVIDENCE_INDEX.md"))
        .unwrap();
    assert!(md.contains("## Missing evidence"), "{md}");
    assert!(md.contains(&hex(manifest.as_bytes())), "{md}");

    // The same inputs give the same bytes.
    let first = tree(&dir.path().join("out"));
    let again = build(dir.path(), &[]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(first, tree(&dir.path().join("out")));
}

#[test]
fn require_evidence_fails_naming_the_missing_items() {
    let dir = setup();
    let out = build(dir.path(), &["--require-evidence"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("missing evidence: audit/ga-evidence/cicd/signatures"),
        "{err}"
    );
    assert!(
        err.contains("missing evidence: audit/ga-evidence/threat-model/reviews"),
        "{err}"
    );
    assert!(
        !err.contains(&format!("missing evidence: {CALENDAR}")),
        "{err}"
    );
    assert!(
        !err.contains(&format!("missing evidence: {DECISION_LOGS}")),
        "{err}"
    );
    // The index is still written, for the auditor to read.
    assert!(dir.path().join("out/evidence/index.json").is_file());
}

#[test]
fn require_evidence_passes_when_everything_exists() {
    let dir = setup();
    let index_of = |dir: &Path| -> Vec<String> {
        let out = build(dir, &[]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let index: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("out/evidence/index.json")).unwrap(),
        )
        .unwrap();
        index["missing"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["path"].as_str().unwrap().to_string())
            .collect()
    };
    for path in index_of(dir.path()) {
        let full = dir.path().join("evidence").join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, b"present").unwrap();
    }
    let out = build(dir.path(), &["--require-evidence"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn an_evidence_root_that_does_not_exist_exits_two() {
    let dir = setup();
    let out = charter(
        &[
            "build",
            "ws",
            "--target",
            "evidence",
            "--out",
            "out",
            "--evidence-root",
            "no-such-folder",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot read evidence root `no-such-folder`"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn require_evidence_needs_an_evidence_root() {
    let dir = setup();
    let out = charter(
        &["build", "ws", "--out", "out", "--require-evidence"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!dir.path().join("out").exists());
}

#[cfg(unix)]
#[test]
fn evidence_linking_outside_the_root_is_refused() {
    let dir = setup();
    std::fs::write(dir.path().join("secret.txt"), b"outside").unwrap();
    let link = dir
        .path()
        .join("evidence/audit/ga-evidence/cicd/signatures");
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(dir.path().join("secret.txt"), link).unwrap();
    let out = build(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("resolves outside the evidence root"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("out").exists());
}
