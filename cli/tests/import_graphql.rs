//! `charter import graphql FILE`: a new workspace that checks, builds back to GraphQL and is
//! formatted; warnings on stderr or as JSON; bad documents exit 1 and write nothing; a non-empty
//! `--out` is refused without `--force`. (`tests/graphql/` compares the round trips with
//! graphql-js.)

#![expect(clippy::expect_used, reason = "tests fail loudly")]

use std::path::PathBuf;

mod support;
use support::{charter, stderr, stdout};

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/import/graphql")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn imports_a_workspace_that_checks_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = charter(
        &[
            "import",
            "graphql",
            &fixture("swapi.graphql"),
            "--out",
            "ws",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("help: the interface `Node` is not imported"),
        "{err}"
    );
    assert!(err.contains("swapi.graphql:256:1"), "{err}");
    assert!(err.contains("25 warnings"), "{err}");
    assert!(err.ends_with("wrote ws (2 files)\n"), "{err}");
    let ws = dir.path().join("ws");
    let manifest = std::fs::read_to_string(ws.join("charter.toml")).unwrap();
    assert!(manifest.contains("name = \"swapi\""), "{manifest}");
    assert!(ws.join("src/swapi/swapi.charter").is_file());
    let check = charter(&["check", "ws", "--deny-warnings"], dir.path());
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let fmt = charter(&["fmt", "--check", "ws"], dir.path());
    assert_eq!(fmt.status.code(), Some(0), "{}", stderr(&fmt));
    let build = charter(
        &["build", "ws", "--target", "graphql", "--out", "gql"],
        dir.path(),
    );
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    let schema = std::fs::read_to_string(dir.path().join("gql/graphql/swapi.graphql")).unwrap();
    assert!(schema.contains("type Query {"), "{schema}");
    assert!(
        schema.contains("  film(id: ID, filmID: ID): Film\n"),
        "{schema}"
    );
}

#[test]
fn json_report_and_package_option() {
    let dir = tempfile::tempdir().unwrap();
    let out = charter(
        &[
            "import",
            "graphql",
            &fixture("library.graphql"),
            "--out",
            "ws",
            "--package",
            "acme.lending",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        report["import"]["files"][0],
        "src/acme/lending/lending.charter"
    );
    let warnings = report["import"]["warnings"].as_array().unwrap();
    assert!(warnings.iter().any(|w| {
        w["code"] == "W8054"
            && w["construct"] == "deprecation Query.oldBooks"
            && w["location"]
                .as_str()
                .unwrap()
                .ends_with("library.graphql:95:22")
    }));
    let source =
        std::fs::read_to_string(dir.path().join("ws/src/acme/lending/lending.charter")).unwrap();
    assert!(source.contains("package acme.lending\n"), "{source}");
    assert!(source.contains("service Lending {"), "{source}");
}

#[test]
fn bad_documents_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.graphql"), "type A {\n  a: Int\n").unwrap();
    let out = charter(
        &["import", "graphql", "broken.graphql", "--out", "ws"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.starts_with("error[E8001]: the GraphQL document does not parse"),
        "{err}"
    );
    assert!(err.contains("┌─ broken.graphql:3:1"), "{err}");
    assert!(err.contains("= help: "), "{err}");
    assert!(err.ends_with("nothing written\n"), "{err}");
    assert!(!dir.path().join("ws").exists());
    std::fs::write(dir.path().join("bin.graphql"), [0xff, 0xfe, 0x00]).unwrap();
    let out = charter(&["import", "graphql", "bin.graphql"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not UTF-8"));
    let out = charter(&["import", "graphql", "missing.graphql"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read `missing.graphql`"));
}

#[test]
fn a_non_empty_out_needs_force() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("ws")).unwrap();
    std::fs::write(dir.path().join("ws/notes.txt"), "mine").unwrap();
    let args = [
        "import",
        "graphql",
        &fixture("library.graphql"),
        "--out",
        "ws",
    ];
    let refused = charter(&args, dir.path());
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("error[E8007]: `ws` exists and is not empty"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ws/notes.txt")).unwrap(),
        "mine"
    );
    let forced = charter(&[&args[..], &["--force"]].concat(), dir.path());
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    assert!(dir.path().join("ws/charter.toml").is_file());
    assert!(!dir.path().join("ws/notes.txt").exists());
}

#[test]
fn the_package_defaults_to_the_file_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Star-Wars.graphql"),
        "type Query { ping: Boolean }\n",
    )
    .unwrap();
    let out = charter(&["import", "graphql", "Star-Wars.graphql"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        dir.path()
            .join("Star-Wars/src/star_wars/star_wars.charter")
            .is_file()
    );
}
