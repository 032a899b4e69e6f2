//! The `charter` binary as build systems and people call it: exit codes, output formats, and
//! the errors for broken workspaces (missing or invalid manifest, unreadable, non-UTF-8 and
//! huge files).

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::path::{Path, PathBuf};

mod support;
use support::{charter, stderr};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn workspace(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, bytes) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, bytes).expect("write");
    }
    dir
}

const MANIFEST: &[u8] = b"[package]\nname = \"t\"\nversion = \"0.1.0\"\n";
const GOOD: &[u8] = b"package t\n\nentity User { id: string }\naction read on User by User\n\npolicy p on User by User default deny \"no\" {\n  allow self when subject.id == resource.id because \"self\"\n}\n";

#[test]
fn examples_check_clean() {
    for example in ["summit", "hello"] {
        let out = charter(&["check", example, "--deny-warnings"], &examples());
        assert_eq!(out.status.code(), Some(0), "{example}: {}", stderr(&out));
        assert!(stderr(&out).contains("ok: no errors, no warnings"));
    }
}

#[test]
fn clean_workspace_exits_zero_and_errors_exit_one() {
    let ws = workspace(&[("charter.toml", MANIFEST), ("a.charter", GOOD)]);
    assert_eq!(charter(&["check", "."], ws.path()).status.code(), Some(0));
    std::fs::write(
        ws.path().join("b.charter"),
        b"package t\nrecord R { x: Strng }\n",
    )
    .expect("write");
    let out = charter(&["check", "."], ws.path());
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(
        text.contains("error[E1001]: unknown name `Strng`"),
        "{text}"
    );
    assert!(text.contains("b.charter:2:15"), "{text}");
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let ws = workspace(&[
        ("charter.toml", MANIFEST),
        ("a.charter", GOOD),
        (
            "b.charter",
            b"package t\ncontrol C-1 \"c\" { owner \"x\" }\n",
        ),
    ]);
    let out = charter(&["check", "."], ws.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning[W5002]"));
    assert_eq!(
        charter(&["check", ".", "--deny-warnings"], ws.path())
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn json_output_is_the_documented_shape() {
    let ws = workspace(&[
        ("charter.toml", MANIFEST),
        ("a.charter", b"package t\nrecord R { x: Strng }\n"),
    ]);
    let out = charter(&["check", ".", "--format", "json"], ws.path());
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["summary"]["errors"], 1);
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "E1001");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "a.charter");
    assert_eq!(d["range"]["start"]["line"], 2);
    assert_eq!(d["range"]["start"]["column"], 15);
    assert_eq!(d["span"]["start"], 24);
    assert!(
        d["help"].as_str().is_some_and(|h| h.contains("string")),
        "{d}"
    );
}

#[test]
fn sarif_output_is_sarif_2_1_0() {
    let ws = workspace(&[
        ("charter.toml", MANIFEST),
        ("a.charter", b"package t\nrecord R { x: Strng }\n"),
    ]);
    let out = charter(&["check", ".", "--format", "sarif"], ws.path());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "charter");
    assert_eq!(run["tool"]["driver"]["rules"][0]["id"], "E1001");
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "E1001");
    assert_eq!(result["level"], "error");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 2);
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "a.charter"
    );
}

#[test]
fn missing_manifest_is_e9001_and_exit_two() {
    let ws = workspace(&[("a.charter", GOOD)]);
    let out = charter(&["check", "."], ws.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("E9001"), "{}", stderr(&out));
}

#[test]
fn broken_manifest_is_e9002() {
    let ws = workspace(&[
        ("charter.toml", b"[package]\nname = \"t\"\nversion = \n"),
        ("a.charter", GOOD),
    ]);
    let out = charter(&["check", "."], ws.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[E9002]"), "{}", stderr(&out));
    let ws = workspace(&[
        (
            "charter.toml",
            b"[package]\nname = \"t\"\nversion = \"1.0.0\"\nedition = 3\n",
        ),
        ("a.charter", GOOD),
    ]);
    let out = charter(&["check", "."], ws.path());
    assert!(
        stderr(&out).contains("error[E9002]") && stderr(&out).contains("edition"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn non_utf8_file_is_e9003() {
    let ws = workspace(&[
        ("charter.toml", MANIFEST),
        ("a.charter", GOOD),
        ("bad.charter", b"package t\n\xff\xfe record"),
    ]);
    let out = charter(&["check", "."], ws.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[E9003]: `bad.charter` is not UTF-8"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn huge_file_is_e9004() {
    let big = vec![b' '; 33 * 1024 * 1024];
    let ws = workspace(&[
        ("charter.toml", MANIFEST),
        ("a.charter", GOOD),
        ("big.charter", &big),
    ]);
    let out = charter(&["check", "."], ws.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[E9004]"), "{}", stderr(&out));
}

#[test]
fn missing_source_folder_is_e9006() {
    let ws = workspace(&[(
        "charter.toml",
        b"[package]\nname = \"t\"\nversion = \"0.1.0\"\n[build]\nsources = [\"nope\"]\n",
    )]);
    let out = charter(&["check", "."], ws.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[E9006]: source folder `nope` does not exist"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn empty_workspace_is_e9005() {
    let ws = workspace(&[("charter.toml", MANIFEST)]);
    let out = charter(&["check", "."], ws.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[E9005]"), "{}", stderr(&out));
}

#[test]
fn empty_file_needs_a_package() {
    let ws = workspace(&[
        ("charter.toml", MANIFEST),
        ("a.charter", GOOD),
        ("empty.charter", b""),
    ]);
    let out = charter(&["check", "."], ws.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[E0006]: missing package declaration"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn usage_errors_exit_two() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(
        charter(&["check", "--format", "xml"], dir.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(charter(&["frobnicate"], dir.path()).status.code(), Some(2));
    assert_eq!(
        charter(&["check", "does/not/exist"], dir.path())
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn explain_prints_a_page_for_every_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    for info in charter::diagnostics::codes::ALL {
        let out = charter(&["explain", info.code.as_str()], dir.path());
        assert_eq!(out.status.code(), Some(0));
        let page = String::from_utf8_lossy(&out.stdout);
        assert!(
            page.starts_with(&format!("# {}", info.code.as_str())),
            "{}: {page}",
            info.code.as_str()
        );
        assert!(
            page.contains("```charter"),
            "{} has no example",
            info.code.as_str()
        );
    }
    let out = charter(&["explain", "E0000"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn output_is_deterministic() {
    let a = charter(&["check", "summit", "--format", "json"], &examples());
    let b = charter(&["check", "summit", "--format", "json"], &examples());
    assert_eq!(a.stdout, b.stdout);
}

fn summit_input(policy_case: &str) -> serde_json::Value {
    let out = charter(&["test", "summit", "--format", "json"], &examples());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == policy_case)
        .unwrap()["input"]
        .clone()
}

#[test]
fn test_runs_every_case_and_summarises() {
    let out = charter(&["test", "summit"], &examples());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let last = text.lines().last().unwrap();
    let passed: usize = last.split(' ').next().unwrap().parse().unwrap();
    assert!(last.ends_with("passed, 0 failed"), "{last}");
    let cases = text.lines().filter(|l| l.starts_with("test ")).count();
    assert_eq!(passed, cases);
    assert!(
        text.contains("generated: a request without provenance is denied\" ... ok"),
        "{text}"
    );
    let junit = charter(&["test", "summit", "--format", "junit"], &examples());
    let junit = String::from_utf8_lossy(&junit.stdout);
    assert!(
        junit.contains(&format!("tests=\"{cases}\" failures=\"0\"")),
        "{junit}"
    );
}

#[test]
fn a_failing_test_shows_expected_and_actual() {
    let ws = workspace(&[
        ("charter.toml", MANIFEST),
        ("a.charter", GOOD),
        ("t.charter", b"package t\ntest p {\n  \"others are allowed\" {\n    subject { id: \"a\" }\n    resource { id: \"b\" }\n    action read\n    expect allow by self\n  }\n}\n"),
    ]);
    let out = charter(&["test", "."], ws.path());
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\"others are allowed\" ... FAILED"), "{text}");
    assert!(text.contains("expected: allow by self"), "{text}");
    assert!(text.contains("actual:   deny by default (no)"), "{text}");
    assert!(text.contains("1 failed"), "{text}");
}

#[test]
fn eval_explains_a_verdict_in_text_and_json() {
    let input = summit_input("analyst reads within clearance");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.json");
    std::fs::write(&file, input.to_string()).unwrap();
    let file = file.to_string_lossy().into_owned();
    let out = charter(
        &[
            "eval",
            "summit",
            "--policy",
            "dataset_access",
            "--input",
            &file,
            "--format",
            "json",
        ],
        &examples(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["verdict"]["allow"], true);
    assert_eq!(doc["verdict"]["decider"], "summit.policy.dataset_access");
    assert_eq!(doc["verdict"]["rule_id"], "read_within_clearance");
    assert!(doc["verdict"]["canary"].is_array());
    assert!(
        doc["matched"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["rule"] == "read_within_clearance")
    );
    let text = charter(
        &[
            "eval",
            "summit",
            "--policy",
            "summit.policy.dataset_access",
            "--input",
            &file,
        ],
        &examples(),
    );
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.starts_with("allow by read_within_clearance (summit.policy.dataset_access)"),
        "{text}"
    );
    assert!(
        text.contains("matched  allow read_within_clearance"),
        "{text}"
    );
}

#[test]
fn eval_rejects_bad_input_with_json_paths() {
    let mut input = summit_input("analyst reads within clearance");
    input["subject"]["roles"] = serde_json::json!(["analyst", "wizard"]);
    input["resource"]["contains_phi"] = serde_json::json!("no");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.json");
    std::fs::write(&file, input.to_string()).unwrap();
    let file = file.to_string_lossy().into_owned();
    let out = charter(
        &[
            "eval",
            "summit",
            "--policy",
            "dataset_access",
            "--input",
            &file,
        ],
        &examples(),
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(
        text.contains("$.subject.roles[1]: not a value of `Role`"),
        "{text}"
    );
    assert!(
        text.contains("$.resource.contains_phi: expected bool, found string"),
        "{text}"
    );
    // Denied, naming the first problem in path order, as the bundle does.
    let verdict = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        verdict.starts_with(
            "deny by input_invalid (summit.policy.dataset_access): input invalid: \
             $.resource.contains_phi: expected bool, found string"
        ),
        "{verdict}"
    );
    std::fs::write(dir.path().join("broken.json"), "{\"action\": ").unwrap();
    let broken = dir
        .path()
        .join("broken.json")
        .to_string_lossy()
        .into_owned();
    let out = charter(
        &[
            "eval",
            "summit",
            "--policy",
            "dataset_access",
            "--input",
            &broken,
        ],
        &examples(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not valid JSON"),
        "{}",
        stderr(&out)
    );
    let out = charter(
        &[
            "eval",
            "summit",
            "--policy",
            "dataset_acess",
            "--input",
            &file,
        ],
        &examples(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean"), "{}", stderr(&out));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let ws = workspace(&[("charter.toml", MANIFEST), ("a.charter", GOOD)]);
    let out = charter(&["build", ".", "--target", "rego"], ws.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let module = ws.path().join("out/rego/charter/t/p/policy.rego");
    let before = std::fs::read(&module).expect("the module was written");
    // A type error: nothing is written.
    std::fs::write(
        ws.path().join("b.charter"),
        b"package t\nrecord R { x: Strng }\n",
    )
    .unwrap();
    let out = charter(&["build", ".", "--target", "rego"], ws.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nothing written"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&module).unwrap(), before);
    // A signing key that does not parse: nothing is written either.
    std::fs::remove_file(ws.path().join("b.charter")).unwrap();
    std::fs::write(
        ws.path().join("a.charter"),
        [
            GOOD,
            b"\npolicy q on User by User default allow \"yes\" {\n}\n".as_slice(),
        ]
        .concat(),
    )
    .unwrap();
    std::fs::write(
        ws.path().join("key.pem"),
        b"-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    let out = charter(
        &["build", ".", "--target", "rego", "--signing-key", "key.pem"],
        ws.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read(&module).unwrap(), before);
    assert!(!ws.path().join("out/rego/charter/t/q").exists());
    // `--check` reports the stale output without writing.
    let out = charter(&["build", ".", "--target", "rego", "--check"], ws.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("out of date"), "{}", stderr(&out));
    assert!(!ws.path().join("out/rego/charter/t/q").exists());
}
