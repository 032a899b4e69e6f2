//! `charter build --attest` and `charter attest verify` end to end: every emitted file is a
//! subject with the SHA-256 of its bytes (recomputed here from the files on disk), the sources
//! are the resolved dependencies, statements are byte-identical across builds and machines
//! (paths) with the same `SOURCE_DATE_EPOCH`, signatures (RS256, ES256) verify with the right
//! key only, and every changed, removed or added file is named with its code, exit 1.
//! (`tests/attest/` checks the same statements and envelopes with the in-toto attestation
//! models and an independent DSSE verifier.)

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::Engine as _;
use serde_json::Value;
use sha2::Digest as _;

const MANIFEST: &str = "[package]\nname = \"t\"\nversion = \"0.1.0\"\n";
const SOURCE: &str = "package t\n\nentity User { id: string }\naction read on User by User\n\npolicy p on User by User default deny \"no\" {\n  allow self when subject.id == resource.id because \"self\"\n}\n";

/// Runs `charter` in `dir` with `SOURCE_DATE_EPOCH` set to `date` (or unset).
fn charter_at(args: &[&str], dir: &Path, date: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_charter"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1");
    match date {
        Some(date) => command.env("SOURCE_DATE_EPOCH", date),
        None => command.env_remove("SOURCE_DATE_EPOCH"),
    };
    command.output().expect("run charter")
}

fn charter(args: &[&str], dir: &Path) -> Output {
    charter_at(args, dir, None)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(o: &Output) {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
}

/// `charter build . --target TARGETS --attest` in `dir`, which must succeed.
fn build_attested(dir: &Path, targets: &str) {
    ok(&charter(
        &["build", ".", "--target", targets, "--attest"],
        dir,
    ));
}

fn workspace(manifest: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("charter.toml"), manifest).unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/a.charter"), SOURCE).unwrap();
    dir
}

/// The throwaway test keys of the codegen crate (test fixtures, never used to sign anything).
fn key(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../codegen/src/bundle/testdata")
        .join(name)
        .display()
        .to_string()
}

fn sha256(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every regular file under `dir/target`, by path relative to `dir`.
fn files(dir: &Path, target: &str) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy();
                out.insert(rel.replace('\\', "/"), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, &dir.join(target), &mut out);
    out
}

fn statement(out: &Path, target: &str) -> Value {
    serde_json::from_slice(
        &std::fs::read(out.join(format!("attestations/{target}.intoto.json"))).unwrap(),
    )
    .unwrap()
}

/// The JSON diagnostics of `charter attest verify`, as (code, file) pairs; exit 1 expected.
fn problems(out: &Output) -> Vec<(String, String)> {
    assert_eq!(out.status.code(), Some(1), "{}", stderr(out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_emitted_file_is_a_subject_and_every_source_a_dependency() {
    let ws = workspace(MANIFEST);
    build_attested(ws.path(), "rego,jsonschema");
    let out = ws.path().join("out");
    for target in ["rego", "rego-tests", "jsonschema"] {
        let value = statement(&out, target);
        assert_eq!(value["_type"], "https://in-toto.io/Statement/v1");
        assert_eq!(value["predicateType"], "https://slsa.dev/provenance/v1");
        let subjects: BTreeMap<String, String> = value["subject"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["name"].as_str().unwrap().to_string(),
                    s["digest"]["sha256"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let on_disk: BTreeMap<String, String> = files(&out, target)
            .into_iter()
            .map(|(path, bytes)| (path, sha256(&bytes)))
            .collect();
        assert!(!on_disk.is_empty());
        assert_eq!(subjects, on_disk, "{target}");
        let definition = &value["predicate"]["buildDefinition"];
        assert_eq!(definition["externalParameters"]["target"], target);
        assert_eq!(
            definition["externalParameters"]["targets"],
            serde_json::json!(["rego", "rego-tests", "jsonschema"])
        );
        let deps = definition["resolvedDependencies"].as_array().unwrap();
        let by_name = |name: &str| deps.iter().find(|d| d["name"] == name).cloned();
        assert_eq!(
            by_name("src/a.charter").unwrap()["digest"]["sha256"],
            sha256(SOURCE.as_bytes())
        );
        assert_eq!(
            by_name("charter.toml").unwrap()["digest"]["sha256"],
            sha256(MANIFEST.as_bytes())
        );
        let version = env!("CARGO_PKG_VERSION");
        assert_eq!(
            by_name("charter").unwrap()["uri"],
            format!("pkg:generic/charter@{version}")
        );
        assert_eq!(
            by_name("charter-stdlib").unwrap()["annotations"]["version"],
            version
        );
        // No time without SOURCE_DATE_EPOCH.
        assert!(value["predicate"]["runDetails"].get("metadata").is_none());
    }
    let verified = charter(&["attest", "verify", "out"], ws.path());
    ok(&verified);
    assert!(stderr(&verified).contains("rego.intoto.json` verifies"));
}

#[test]
fn two_builds_with_one_source_date_give_the_same_bytes() {
    // Two copies in two places: nothing of the machine (a path, the clock) is in a statement.
    let (a, b) = (workspace(MANIFEST), workspace(MANIFEST));
    for ws in [&a, &b] {
        ok(&charter_at(
            &["build", ".", "--target", "rego,openapi", "--attest"],
            ws.path(),
            Some("1700000000"),
        ));
    }
    for target in ["rego", "rego-tests", "openapi"] {
        let name = format!("out/attestations/{target}.intoto.json");
        let first = std::fs::read(a.path().join(&name)).unwrap();
        assert_eq!(
            first,
            std::fs::read(b.path().join(&name)).unwrap(),
            "{name}"
        );
        let value: Value = serde_json::from_slice(&first).unwrap();
        assert_eq!(
            value["predicate"]["runDetails"]["metadata"]["startedOn"],
            "2023-11-14T22:13:20Z"
        );
    }
    // A build without --attest in --check mode agrees; an edited attestation is out of date.
    ok(&charter_at(
        &[
            "build",
            ".",
            "--target",
            "rego,openapi",
            "--attest",
            "--check",
        ],
        a.path(),
        Some("1700000000"),
    ));
    std::fs::write(a.path().join("out/attestations/rego.intoto.json"), "{}").unwrap();
    let check = charter_at(
        &[
            "build",
            ".",
            "--target",
            "rego,openapi",
            "--attest",
            "--check",
        ],
        a.path(),
        Some("1700000000"),
    );
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    assert!(
        stderr(&check).contains("rego.intoto.json"),
        "{}",
        stderr(&check)
    );
}

#[test]
fn changed_removed_and_added_files_are_each_named() {
    let ws = workspace(MANIFEST);
    build_attested(ws.path(), "rego,jsonschema");
    let out = ws.path().join("out");
    let schemas = files(&out, "jsonschema");
    let mut names = schemas.keys();
    let (changed, removed) = (names.next().unwrap().clone(), names.next().unwrap().clone());
    std::fs::write(out.join(&changed), "{\"tampered\": true}\n").unwrap();
    std::fs::remove_file(out.join(&removed)).unwrap();
    std::fs::write(out.join("rego/extra.rego"), "package extra\n").unwrap();
    let found = problems(&charter(
        &["attest", "verify", "out", "--format", "json"],
        ws.path(),
    ));
    let shown = |rel: &str| Path::new("out").join(rel).display().to_string();
    let mut expected = vec![
        ("E9032".to_string(), shown(&changed)),
        ("E9033".to_string(), shown(&removed)),
        ("E9034".to_string(), shown("rego/extra.rego")),
    ];
    expected.sort_by(|a, b| a.1.cmp(&b.1));
    let mut found = found;
    found.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(found, expected);
    // A link in place of a file is not the file: named, never followed.
    #[cfg(unix)]
    {
        std::fs::remove_file(out.join("rego/extra.rego")).unwrap();
        std::fs::write(out.join(&changed), &schemas[&changed]).unwrap();
        std::fs::write(out.join(&removed), &schemas[&removed]).unwrap();
        ok(&charter(&["attest", "verify", "out"], ws.path()));
        let target = out.join(&changed);
        std::fs::rename(&target, ws.path().join("moved.json")).unwrap();
        std::os::unix::fs::symlink(ws.path().join("moved.json"), &target).unwrap();
        let found = problems(&charter(
            &["attest", "verify", "out", "--format", "json"],
            ws.path(),
        ));
        let codes: Vec<&str> = found.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(codes, ["E9033", "E9034"], "{found:?}");
    }
}

fn signed_build(private: &str) -> tempfile::TempDir {
    let ws = workspace(MANIFEST);
    ok(&charter(
        &[
            "build",
            ".",
            "--target",
            "rego",
            "--attest",
            "--signing-key",
            &key(private),
            "--key-id",
            "ci",
        ],
        ws.path(),
    ));
    ws
}

fn verify_with(ws: &Path, public: &str) -> Output {
    charter(
        &[
            "attest",
            "verify",
            "out",
            "--verification-key",
            &key(public),
            "--format",
            "json",
        ],
        ws,
    )
}

#[test]
fn signed_attestations_verify_with_their_key_only() {
    for (private, public, other) in [
        ("rsa-pkcs1.pem", "rsa-public.pem", "ec-public.pem"),
        ("ec-sec1.pem", "ec-public.pem", "rsa-public.pem"),
        ("ec-pkcs8.pem", "ec-public.pem", "rsa-public.pem"),
    ] {
        let ws = signed_build(private);
        let out = ws.path().join("out/attestations");
        assert!(!out.join("rego.intoto.json").exists());
        let line = std::fs::read_to_string(out.join("rego.intoto.jsonl")).unwrap();
        assert_eq!(line.lines().count(), 1);
        let envelope: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(envelope["payloadType"], "application/vnd.in-toto+json");
        assert_eq!(envelope["signatures"][0]["keyid"], "ci");
        ok(&verify_with(ws.path(), public));
        // Without a key the digests are checked and the signature is said to be unchecked.
        let unchecked = charter(&["attest", "verify", "out"], ws.path());
        ok(&unchecked);
        assert!(stderr(&unchecked).contains("signature not checked"));
        let wrong = problems(&verify_with(ws.path(), other));
        assert_eq!(wrong.len(), 2, "{wrong:?}");
        assert!(wrong.iter().all(|(code, _)| code == "E9035"), "{wrong:?}");
        // A payload changed after signing (a subject's digest edited to match a changed file).
        let payload = base64::engine::general_purpose::STANDARD
            .decode(envelope["payload"].as_str().unwrap())
            .unwrap();
        let mut statement: Value = serde_json::from_slice(&payload).unwrap();
        statement["subject"][0]["digest"]["sha256"] = Value::from(sha256(b"other"));
        let mut forged = envelope.clone();
        forged["payload"] = Value::from(
            base64::engine::general_purpose::STANDARD
                .encode(serde_json::to_vec(&statement).unwrap()),
        );
        std::fs::write(
            out.join("rego.intoto.jsonl"),
            format!("{}\n", serde_json::to_string(&forged).unwrap()),
        )
        .unwrap();
        let found = problems(&verify_with(ws.path(), public));
        assert_eq!(
            found,
            [(
                "E9035".to_string(),
                Path::new("out/attestations/rego.intoto.jsonl")
                    .display()
                    .to_string()
            )]
        );
    }
}

#[test]
fn an_unsigned_statement_is_refused_when_a_key_is_given() {
    let ws = workspace(MANIFEST);
    build_attested(ws.path(), "rego");
    let found = problems(&verify_with(ws.path(), "ec-public.pem"));
    assert!(found.iter().all(|(code, _)| code == "E9036"), "{found:?}");
    assert_eq!(found.len(), 2);
}

#[test]
fn the_manifest_setting_attests_and_a_build_without_it_drops_stale_attestations() {
    let ws = workspace(&format!("{MANIFEST}\n[build]\nattest = true\n"));
    ok(&charter(
        &["build", ".", "--target", "rego,openapi"],
        ws.path(),
    ));
    let dir = ws.path().join("out/attestations");
    assert!(dir.join("rego.intoto.json").is_file());
    assert!(dir.join("openapi.intoto.json").is_file());
    // Without the setting, a rebuilt target's attestation would no longer be true: removed; the
    // attestation of a target this build did not touch is kept.
    std::fs::write(ws.path().join("charter.toml"), MANIFEST).unwrap();
    ok(&charter(&["build", ".", "--target", "rego"], ws.path()));
    assert!(!dir.join("rego.intoto.json").exists());
    assert!(!dir.join("rego-tests.intoto.json").exists());
    assert!(dir.join("openapi.intoto.json").is_file());
    ok(&charter(&["attest", "verify", "out"], ws.path()));
}

#[test]
fn a_foreign_attestations_folder_is_refused() {
    let ws = workspace(MANIFEST);
    let dir = ws.path().join("out/attestations");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine\n").unwrap();
    let out = charter(&["build", ".", "--target", "rego", "--attest"], ws.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("error[E9012]"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine\n"
    );
}

#[test]
fn e9030_a_source_date_that_is_not_seconds() {
    let ws = workspace(MANIFEST);
    for bad in ["yesterday", "-1", "1.5"] {
        let out = charter_at(&["build", ".", "--attest"], ws.path(), Some(bad));
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains("error[E9030]"), "{}", stderr(&out));
    }
    assert!(!ws.path().join("out").exists(), "nothing written");
}

#[test]
fn e9031_no_attestations_or_a_malformed_one() {
    let ws = workspace(MANIFEST);
    ok(&charter(&["build", ".", "--target", "rego"], ws.path()));
    let found = problems(&charter(
        &["attest", "verify", "out", "--format", "json"],
        ws.path(),
    ));
    assert_eq!(found[0].0, "E9031");
    build_attested(ws.path(), "rego");
    std::fs::write(ws.path().join("out/attestations/rego.intoto.json"), "[]").unwrap();
    let found = problems(&charter(
        &["attest", "verify", "out", "--format", "json"],
        ws.path(),
    ));
    assert_eq!(found[0].0, "E9031", "{found:?}");
    // A folder that does not exist and a key that is not one: the command cannot run (2).
    let missing = charter(&["attest", "verify", "nope"], ws.path());
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("error[E9006]"));
    std::fs::write(ws.path().join("bad.pem"), "not a key").unwrap();
    let bad = charter(
        &["attest", "verify", "out", "--verification-key", "bad.pem"],
        ws.path(),
    );
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("error[E9019]"), "{}", stderr(&bad));
}

#[test]
fn paths_in_statements_are_relative() {
    let ws = workspace(MANIFEST);
    build_attested(ws.path(), "rego");
    let text =
        std::fs::read_to_string(ws.path().join("out/attestations/rego.intoto.json")).unwrap();
    let root: PathBuf = ws.path().canonicalize().unwrap();
    assert!(!text.contains(&root.display().to_string()));
    assert!(!text.contains(&ws.path().display().to_string()));
}

#[test]
fn the_evidence_index_lists_the_attestations_of_the_evidence_root() {
    let ws = workspace(MANIFEST);
    ok(&charter(
        &[
            "build",
            ".",
            "--target",
            "rego",
            "--attest",
            "--signing-key",
            &key("ec-sec1.pem"),
        ],
        ws.path(),
    ));
    // CI keeps the attestations with the other evidence; one file there is not an attestation.
    let kept = ws.path().join("evidence/audit/cicd/attestations");
    std::fs::create_dir_all(&kept).unwrap();
    for name in ["rego.intoto.jsonl", "rego-tests.intoto.jsonl"] {
        std::fs::copy(
            ws.path().join("out/attestations").join(name),
            kept.join(name),
        )
        .unwrap();
    }
    std::fs::write(kept.join("junk.intoto.json"), "not json").unwrap();
    ok(&charter(
        &[
            "build",
            ".",
            "--target",
            "evidence",
            "--evidence-root",
            "evidence",
            "--out",
            "report",
        ],
        ws.path(),
    ));
    let index: Value = serde_json::from_slice(
        &std::fs::read(ws.path().join("report/evidence/index.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(index["attestations"]["category"], "cicd");
    let items = index["attestations"]["items"].as_array().unwrap();
    let listed: Vec<(&str, &str, bool)> = items
        .iter()
        .map(|i| {
            (
                i["path"].as_str().unwrap(),
                i["sha256"].as_str().unwrap(),
                i["signed"].as_bool().unwrap(),
            )
        })
        .collect();
    let digest = |name: &str| sha256(&std::fs::read(kept.join(name)).unwrap());
    let (a, b) = (
        digest("rego-tests.intoto.jsonl"),
        digest("rego.intoto.jsonl"),
    );
    assert_eq!(
        listed,
        [
            (
                "audit/cicd/attestations/rego-tests.intoto.jsonl",
                a.as_str(),
                true
            ),
            (
                "audit/cicd/attestations/rego.intoto.jsonl",
                b.as_str(),
                true
            ),
        ]
    );
    let rego = files(&ws.path().join("out"), "rego").len();
    assert_eq!(items[1]["subjects"], rego);
    let md = std::fs::read_to_string(
        ws.path()
            .join("report/evidence/COMPLIANCE_EVIDENCE_INDEX.md"),
    )
    .unwrap();
    assert!(md.contains("## Build attestations (cicd)"), "{md}");
    assert!(md.contains(&b), "{md}");
}
