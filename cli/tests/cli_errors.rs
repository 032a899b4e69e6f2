//! Failures of a command itself are diagnostics with `E9xxx` codes, in every format (exit code
//! 2): one case per code, with the code read from `--format json` where the command has it.
//! A diagnostic about a path (or the command line), not a span, has no source frame in text
//! and no span, range or region in JSON and SARIF.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::path::Path;
use std::process::Output;

mod support;
use support::{charter, stderr, stdout};

const MANIFEST: &[u8] = b"[package]\nname = \"t\"\nversion = \"0.1.0\"\n";
const GOOD: &[u8] = b"package t\n\nentity User { id: string }\naction read on User by User\n\npolicy p on User by User default deny \"no\" {\n  allow self when subject.id == resource.id because \"self\"\n}\n";

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("charter.toml"), MANIFEST).unwrap();
    std::fs::write(dir.path().join("a.charter"), GOOD).unwrap();
    dir
}

/// Exit code 2 and one JSON diagnostic with `code` (under `diagnostics` of the document, or of
/// the command's own document for `eval`).
fn json_code(out: &Output, code: &str) -> serde_json::Value {
    assert_eq!(out.status.code(), Some(2), "{}{}", stdout(out), stderr(out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let doc = if doc["diagnostics"].is_array() {
        doc
    } else {
        doc["diagnostics"].clone()
    };
    let d = doc["diagnostics"][0].clone();
    assert_eq!(d["code"], code, "{doc:#}");
    d
}

/// Exit code 2 and `error[CODE]` on stderr, without a source frame.
fn text_code(out: &Output, code: &str) {
    assert_eq!(out.status.code(), Some(2), "{}", stderr(out));
    let err = stderr(out);
    assert!(err.contains(&format!("error[{code}]")), "{err}");
    assert!(!err.contains('│'), "a source frame: {err}");
}

#[test]
fn a_missing_path_has_no_frame_and_a_path_only_location() {
    let ws = workspace();
    let out = charter(&["check", "nope"], ws.path());
    text_code(&out, "E9006");
    assert!(stderr(&out).contains("= path: nope"), "{}", stderr(&out));
    let d = json_code(
        &charter(&["check", "nope", "--format", "json"], ws.path()),
        "E9006",
    );
    assert_eq!(d["file"], "nope");
    assert!(d["span"].is_null() && d["range"].is_null(), "{d:#}");
    let out = charter(&["check", "nope", "--format", "sarif"], ws.path());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let location = &doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "nope");
    assert!(location.get("region").is_none(), "{location:#}");
}

#[test]
fn no_manifest_is_about_the_path_given() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("loose")).unwrap();
    let d = json_code(
        &charter(&["check", "loose", "--format", "json"], dir.path()),
        "E9001",
    );
    assert_eq!(d["file"], "loose");
    text_code(&charter(&["check", "loose"], dir.path()), "E9001");
}

#[test]
fn e9008_unknown_target() {
    let ws = workspace();
    let out = charter(
        &["build", "--target", "regoo", "--format", "json"],
        ws.path(),
    );
    let d = json_code(&out, "E9008");
    assert!(d["file"].is_null(), "{d:#}");
    assert!(
        d["help"].as_str().unwrap().contains("did you mean `rego`?"),
        "{d:#}"
    );
    text_code(
        &charter(&["build", "--target", "regoo"], ws.path()),
        "E9008",
    );
}

#[test]
fn e9009_invalid_argument() {
    let ws = workspace();
    text_code(
        &charter(&["diff", ".", ".", "--today", "2027-13-45"], ws.path()),
        "E9009",
    );
    text_code(&charter(&["diff", "."], ws.path()), "E9009");
    // With `--format json`, diff and changelog report their failures in JSON too.
    json_code(
        &charter(&["diff", ".", "--format", "json"], ws.path()),
        "E9009",
    );
    json_code(
        &charter(
            &[
                "changelog",
                ".",
                "--old",
                ".",
                "--today",
                "someday",
                "--format",
                "json",
            ],
            ws.path(),
        ),
        "E9009",
    );
    // What clap refuses is E9009 too, with clap's tip and usage as notes.
    let out = charter(&["check", "--format", "xml"], ws.path());
    text_code(&out, "E9009");
    assert!(
        stderr(&out).contains("invalid value 'xml' for '--format <FORMAT>'"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn e9010_cannot_write() {
    let ws = workspace();
    let out = charter(
        &["changelog", ".", "--old", ".", "--out", "missing/notes.md"],
        ws.path(),
    );
    text_code(&out, "E9010");
    assert!(stderr(&out).contains("cannot write `missing/notes.md`"));
}

#[test]
fn e9011_output_folder_not_allowed() {
    let ws = workspace();
    let out = charter(&["build", "--out", ".", "--format", "json"], ws.path());
    json_code(&out, "E9011");
}

#[test]
fn e9012_output_folder_not_written_by_charter() {
    let ws = workspace();
    std::fs::create_dir_all(ws.path().join("out/rego")).unwrap();
    std::fs::write(ws.path().join("out/rego/mine.txt"), "keep").unwrap();
    let out = charter(
        &["build", "--target", "rego", "--format", "json"],
        ws.path(),
    );
    json_code(&out, "E9012");
    assert!(ws.path().join("out/rego/mine.txt").exists());
}

#[test]
fn e9013_not_a_revision() {
    let ws = workspace();
    let out = charter(
        &["crosswalk", "--diff", "no-such-rev", "--format", "json"],
        ws.path(),
    );
    json_code(&out, "E9013");
}

#[test]
fn e9014_input_not_json() {
    let ws = workspace();
    let out = charter(
        &[
            "eval",
            "--policy",
            "p",
            "--subject",
            "{",
            "--format",
            "json",
        ],
        ws.path(),
    );
    json_code(&out, "E9014");
    std::fs::write(ws.path().join("in.json"), "{\"action\": ").unwrap();
    text_code(
        &charter(&["eval", "--policy", "p", "--input", "in.json"], ws.path()),
        "E9014",
    );
}

#[test]
fn e9015_no_such_policy() {
    let ws = workspace();
    let out = charter(&["eval", "--policy", "q", "--format", "json"], ws.path());
    let d = json_code(&out, "E9015");
    assert!(d["help"].as_str().unwrap().contains("t.p"), "{d:#}");
}

#[test]
fn e9016_target_cannot_generate() {
    let ws = workspace();
    std::fs::write(ws.path().join("key.pem"), "not a key").unwrap();
    let out = charter(
        &[
            "build",
            "--target",
            "rego",
            "--signing-key",
            "key.pem",
            "--format",
            "json",
        ],
        ws.path(),
    );
    json_code(&out, "E9016");
}

#[test]
fn e9017_unknown_code() {
    let dir = tempfile::tempdir().unwrap();
    text_code(&charter(&["explain", "E0000"], dir.path()), "E9017");
}

#[test]
fn e9018_file_does_not_parse() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.charter"), "package t\nrecord {\n").unwrap();
    let out = charter(&["fmt", "a.charter"], dir.path());
    text_code(&out, "E9018");
}

#[test]
fn e9019_unusable_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("bundle")).unwrap();
    std::fs::write(dir.path().join("key.pem"), "not a key").unwrap();
    let out = charter(
        &["bundle", "sign", "bundle", "--signing-key", "key.pem"],
        dir.path(),
    );
    text_code(&out, "E9019");
}

/// A built bundle folder (`out/rego`) of the test workspace.
fn built_bundle() -> tempfile::TempDir {
    let ws = workspace();
    let out = charter(&["build", ".", "--target", "rego"], ws.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    ws
}

#[test]
fn e9020_bad_oci_reference() {
    let ws = built_bundle();
    let out = charter(
        &[
            "bundle",
            "push",
            "out/rego",
            "charter/summit:1",
            "--plain-http",
        ],
        ws.path(),
    );
    text_code(&out, "E9020");
    assert!(
        stderr(&out).contains("is not a registry host"),
        "{}",
        stderr(&out)
    );
    // Plain HTTP to a registry that is not on this machine: refused before anything is sent.
    let d = json_code(
        &charter(
            &[
                "bundle",
                "push",
                "out/rego",
                "registry.example/charter/summit:1",
                "--plain-http",
                "--format",
                "json",
            ],
            ws.path(),
        ),
        "E9020",
    );
    assert!(d["span"].is_null(), "{d:#}");
}

// E9021 (refused credentials) and E9023 (a refused push) need a registry: tests/fleet/test_push.py
// runs the real one (Debian's docker-registry) with htpasswd, token auth and read-only storage.

#[test]
fn e9022_unreachable_registry() {
    let ws = built_bundle();
    // A loopback port nobody listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let reference = format!("127.0.0.1:{port}/charter/summit:1");
    let out = charter(
        &["bundle", "push", "out/rego", &reference, "--plain-http"],
        ws.path(),
    );
    text_code(&out, "E9022");
    assert!(stderr(&out).contains("cannot reach"), "{}", stderr(&out));
}

#[test]
fn fmt_names_the_files_it_rewrites() {
    let ws = workspace();
    assert_eq!(charter(&["fmt", "."], ws.path()).status.code(), Some(0));
    std::fs::write(
        ws.path().join("b.charter"),
        "package t\nrecord   R {  id: string }\n",
    )
    .unwrap();
    let out = charter(&["fmt", "."], ws.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("formatted ./b.charter\n"), "{err}");
    assert!(!err.contains("a.charter"), "{err}");
    assert!(err.ends_with("1 file(s) formatted\n"), "{err}");
    // Nothing to do: nothing said.
    let again = charter(&["fmt", "."], ws.path());
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(stderr(&again), "");
    assert!(Path::new(&ws.path().join("b.charter")).exists());
}
