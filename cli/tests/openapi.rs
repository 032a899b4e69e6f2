//! `charter build --target openapi`: one YAML and one JSON document per service, several targets
//! in one comma-separated list, an empty folder for a workspace without services, `--check`,
//! and nothing written when the workspace has errors.

#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::path::{Path, PathBuf};

mod support;
use support::{charter, stderr};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn names(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

#[test]
fn summit_documents_and_a_target_list() {
    let out = tempfile::tempdir().unwrap();
    let o = charter(
        &[
            "build",
            "examples/summit",
            "--target",
            "openapi,jsonschema",
            "--out",
            out.path().to_str().unwrap(),
        ],
        &repo(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        names(&out.path().join("openapi")),
        [
            "Audit.json",
            "Audit.yaml",
            "Catalog.json",
            "Catalog.yaml",
            "Lineage.json",
            "Lineage.yaml",
            "PolicyDecision.json",
            "PolicyDecision.yaml"
        ]
    );
    assert!(out.path().join("jsonschema/summit").is_dir());
    let doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("openapi/Lineage.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["version"], "2.1.0");

    // Up to date, then stale after an edit.
    let check = |expect: bool| {
        let o = charter(
            &[
                "build",
                "examples/summit",
                "--target",
                "openapi",
                "--check",
                "--out",
                out.path().to_str().unwrap(),
            ],
            &repo(),
        );
        assert_eq!(o.status.success(), expect, "{}", stderr(&o));
        o
    };
    check(true);
    std::fs::write(out.path().join("openapi/Audit.yaml"), "openapi: 3.0.0\n").unwrap();
    assert!(stderr(&check(false)).contains("Audit.yaml"));
}

#[test]
fn no_services_give_an_empty_folder_replacing_the_old_one() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    for (example, files) in [("examples/summit", 8), ("examples/hello", 0)] {
        let o = charter(
            &["build", example, "--target", "openapi", "--out", dir],
            &repo(),
        );
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(names(&out.path().join("openapi")).len(), files);
    }
}

#[test]
fn errors_write_nothing() {
    let ws = tempfile::tempdir().unwrap();
    std::fs::write(
        ws.path().join("charter.toml"),
        "[package]\nname = \"x\"\nversion = \"1.0.0\"\n",
    )
    .unwrap();
    std::fs::write(
        ws.path().join("x.charter"),
        "package x\nservice S { op get GET \"/a\" () -> Missing }\n",
    )
    .unwrap();
    let out = ws.path().join("out");
    let o = charter(
        &["build", ".", "--target", "openapi", "--out", "out"],
        ws.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!out.exists());
}
