//! Honest exit codes: a failed write to stdout is exit 2 (stdout on `/dev/full`), and
//! `test --format json` answers in JSON when the workspace does not compile.

#![expect(clippy::expect_used, reason = "tests fail loudly")]

use std::path::{Path, PathBuf};
use std::process::Command;

mod support;
use support::{charter, stderr, stdout};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_to_stdout_is_exit_two() {
    let ws = tempfile::tempdir().unwrap();
    std::fs::write(
        ws.path().join("charter.toml"),
        "[package]\nname = \"t\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    std::fs::write(
        ws.path().join("a.charter"),
        "package t\n\nentity User { id: string }\naction read on User by User\n\n\
         policy p on User by User default deny \"no\" {\n  \
         allow self when subject.id == resource.id because \"self\"\n}\n",
    )
    .unwrap();
    let input = ws.path().join("input.json");
    std::fs::write(
        &input,
        r#"{"action": "read", "subject": {"id": "a"}, "resource": {"id": "a"}}"#,
    )
    .unwrap();
    let workspace = ws.path().to_str().unwrap().to_string();
    let input = input.to_str().unwrap().to_string();
    let commands: Vec<Vec<String>> = [
        vec!["check", "examples/summit", "--format", "sarif"],
        vec!["check", "examples/summit", "--format", "json"],
        vec!["test", "examples/summit", "--format", "junit"],
        vec!["test", "examples/summit", "--format", "json"],
        vec!["test", "examples/summit"],
        vec![
            "diff",
            "tests/evolution/summit-v1",
            "examples/summit",
            "--today",
            "2026-11-29",
        ],
        vec![
            "changelog",
            "examples/summit",
            "--old",
            "tests/evolution/summit-v1",
            "--today",
            "2026-11-29",
        ],
        vec![
            "crosswalk",
            "examples/summit",
            "--diff",
            "tests/evolution/summit-v1",
        ],
        vec!["explain", "--list"],
        vec!["explain", "E0008"],
    ]
    .iter()
    .map(|c| c.iter().map(|s| (*s).to_string()).collect())
    .chain([
        ["eval", &workspace, "--policy", "p", "--input", &input]
            .map(str::to_string)
            .to_vec(),
        [
            "eval", &workspace, "--policy", "p", "--input", &input, "--format", "json",
        ]
        .map(str::to_string)
        .to_vec(),
    ])
    .collect();
    for args in commands {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_charter"))
            .args(&args)
            .current_dir(repo())
            .env("NO_COLOR", "1")
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("cannot write to standard output"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn test_format_json_reports_a_workspace_that_does_not_compile_in_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("charter.toml"),
        "[package]\nname = \"t\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a.charter"),
        "package t\nrecord R { x: Strng }\n",
    )
    .unwrap();
    let out = charter(&["test", ".", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["summary"]["passed"], 0);
    assert_eq!(doc["cases"], serde_json::json!([]));
    let codes: Vec<&str> = doc["diagnostics"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["E1001"], "{doc:#}");
    // Not a workspace at all: exit 2, still JSON.
    let empty = tempfile::tempdir().unwrap();
    let out = charter(&["test", ".", "--format", "json"], empty.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(doc["diagnostics"].is_object(), "{doc:#}");
}
