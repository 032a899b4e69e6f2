//! The `charter` binary as build systems and people call it: exit codes, output formats, and
//! the errors for broken workspaces (missing or invalid manifest, unreadable, non-UTF-8 and
//! huge files).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn charter(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run charter")
}

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

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

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
