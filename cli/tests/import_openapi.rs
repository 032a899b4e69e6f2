//! `charter import openapi`: the OAI example documents import into workspaces that check, build
//! back to OpenAPI documents the comparator finds equal to the originals except for the listed,
//! warned-about differences; bad documents are clear errors that write nothing.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::path::{Path, PathBuf};

use charter_interop::compare::{Kind, compare};

mod support;
use support::{charter, stderr, stdout};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/import/openapi")
}

/// Imports `file`, checks the workspace, builds it as OpenAPI, and returns the differences
/// between the original and the rebuilt document as (kind, pointer).
fn round_trip(file: &str) -> Vec<(Kind, String)> {
    let dir = tempfile::tempdir().unwrap();
    let src = fixtures().join(file);
    let out = dir.path().join("ws");
    let o = charter(
        &[
            "import",
            "openapi",
            src.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = charter(&["check", "ws"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = charter(&["fmt", "--check", "ws"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = charter(&["build", "ws", "--target", "openapi"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let built: Vec<PathBuf> = std::fs::read_dir(out.join("out/openapi"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    assert_eq!(built.len(), 1, "{built:?}");
    let rebuilt: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&built[0]).unwrap()).unwrap();
    let original =
        charter_interop::openapi::doc::load(&std::fs::read_to_string(&src).unwrap(), file)
            .unwrap()
            .root;
    compare(&original, &rebuilt)
        .into_iter()
        .map(|d| (d.kind, d.pointer))
        .collect()
}

/// The contract documents the W3C `traceparent` header on every operation (not in the
/// originals); the comparison does not compare it, so it is no difference.
fn assert_same(mut got: Vec<(Kind, String)>, mut allowed: Vec<(Kind, String)>) {
    got.sort();
    allowed.sort();
    assert_eq!(got, allowed);
}

fn at(kind: Kind, pointers: &[&str]) -> Vec<(Kind, String)> {
    pointers.iter().map(|p| (kind, (*p).to_string())).collect()
}

#[test]
fn petstore_round_trip() {
    let mut allowed = Vec::new();
    // `default` responses have no status Charter can declare (W8006); `Error` was only used by
    // them, so the rebuilt document does not carry it (a schema only one document has is not
    // compared by name: where operations use it, it is).
    allowed.extend(at(
        Kind::Response,
        &[
            "/paths/~1pets/get/responses/default",
            "/paths/~1pets/post/responses/default",
            "/paths/~1pets~1{petId}/get/responses/default",
        ],
    ));
    // `maxItems` and `format: int32` have no Charter form (W8004).
    allowed.extend(at(Kind::Schema, &["/components/schemas/Pets/maxItems"]));
    allowed.extend(at(
        Kind::Response,
        &["/paths/~1pets/get/responses/success/schema/maxItems"],
    ));
    allowed.extend(at(
        Kind::Parameter,
        &["/paths/~1pets/get/parameters/query/limit/schema/format"],
    ));
    // The optional refined `limit` needs a named alias in Charter (§4.3), which the target
    // emits as a component `ListPetsLimit`: compared at the parameter, where it is equal.
    assert_same(round_trip("petstore.yaml"), allowed);
}

#[test]
fn petstore_expanded_round_trip() {
    let mut allowed = Vec::new();
    // The `allOf` Pet is flattened into one record and compares equal; `default` responses
    // and the `Error` only they used are gone (W8006); `int32` is dropped (W8004).
    allowed.extend(at(
        Kind::Response,
        &[
            "/paths/~1pets/get/responses/default",
            "/paths/~1pets/post/responses/default",
            "/paths/~1pets~1{id}/get/responses/default",
            "/paths/~1pets~1{id}/delete/responses/default",
        ],
    ));
    allowed.extend(at(
        Kind::Parameter,
        &["/paths/~1pets/get/parameters/query/limit/schema/format"],
    ));
    assert_same(round_trip("petstore-expanded.yaml"), allowed);
}

#[test]
fn api_with_examples_round_trip() {
    let mut allowed = Vec::new();
    // The responses carry examples but no schema, so there is no type to import (W8006); the
    // 300 response and the second success response (203) have no Charter form (W8006).
    allowed.extend(at(
        Kind::Response,
        &[
            "/paths/~1/get/responses/success",
            "/paths/~1v2/get/responses/success",
            "/paths/~1/get/responses/300",
            "/paths/~1v2/get/responses/203",
        ],
    ));
    assert_same(round_trip("api-with-examples.yaml"), allowed);
}

#[test]
fn webhook_example_round_trip() {
    // The webhook is only warned about (W8001): the comparison covers paths and components.
    let mut allowed = Vec::new();
    allowed.extend(at(
        Kind::Parameter,
        &["/paths/~1pets/get/parameters/query/limit/schema/format"],
    ));
    assert_same(round_trip("webhook-example.yaml"), allowed);
}

#[test]
fn renamed_names_are_the_only_differences() {
    // Properties, enum values and query parameters keep their names with `@wire`; what stays
    // different is what still cannot be said: the path parameter's name in the path template
    // (it never travels), the header parameter and the renamed component schemas.
    let op = "/paths/~1items~1{item-id}/get";
    let mut allowed = Vec::new();
    let p = |s: &str| format!("{op}/parameters/{s}");
    allowed.extend(
        [p("header/X-Trace"), p("path/item-id"), p("path/item_id")].map(|s| (Kind::Parameter, s)),
    );
    // Renamed schemas (`item.v2` → `item_v2`, `string` → `String`) and the alias of the
    // refined `in` parameter are components of one document only: compared where used.
    assert_same(round_trip("bad/identifiers.yaml"), allowed);
}

#[test]
fn recursive_records_round_trip() {
    // `Nested` (an array of itself) cannot be a Charter alias (W8005), but no operation reaches
    // it, so it is not compared; the recursive record `Node` compares equal.
    assert_same(round_trip("bad/recursive.yaml"), Vec::new());
}

#[test]
fn warnings_print_as_diagnostics_and_exit_zero() {
    let dir = tempfile::tempdir().unwrap();
    let src = fixtures().join("petstore.yaml");
    let o = charter(
        &[
            "import",
            "openapi",
            src.to_str().unwrap(),
            "--out",
            "ws",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let text = report.to_string();
    assert!(text.contains("W8006") && text.contains("W8001"), "{text}");
    let o = charter(
        &["import", "openapi", src.to_str().unwrap(), "--out", "ws"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2), "a non-empty folder is refused");
    assert!(stderr(&o).contains("E8007"), "{}", stderr(&o));
    let o = charter(
        &[
            "import",
            "openapi",
            src.to_str().unwrap(),
            "--out",
            "ws",
            "--force",
            "--package",
            "acme.pets",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning[W8001]"), "{}", stderr(&o));
    assert!(stderr(&o).contains("petstore.yaml:"), "{}", stderr(&o));
    assert!(dir.path().join("ws/src/acme.pets.charter").is_file());
    let o = charter(
        &[
            "import",
            "openapi",
            src.to_str().unwrap(),
            "--out",
            "ws2",
            "--deny-warnings",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn bad_documents_are_errors_and_write_nothing() {
    let cases = [
        ("malformed.yaml", "E8001"),
        ("truncated.json", "E8001"),
        ("empty.yaml", "E8002"),
        ("not-openapi.yaml", "E8002"),
        ("swagger2.yaml", "E8003"),
        ("dangling-ref.yaml", "E8004"),
    ];
    for (file, code) in cases {
        let dir = tempfile::tempdir().unwrap();
        let src = fixtures().join("bad").join(file);
        let o = charter(
            &["import", "openapi", src.to_str().unwrap(), "--out", "ws"],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(1), "{file}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(&format!("error[{code}]")), "{file}: {err}");
        assert!(err.contains("help:"), "{file}: {err}");
        assert!(!dir.path().join("ws").exists(), "{file}: nothing written");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "{file}: no temporary folder left"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let o = charter(&["import", "openapi", "missing.yaml"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("E9006"));
    std::fs::write(dir.path().join("bin.yaml"), [0xff, 0xfe, 0x00]).unwrap();
    let o = charter(&["import", "openapi", "bin.yaml"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("E9003"));
}

#[test]
fn huge_services_and_records_stay_valid_declarations() {
    // 1,500 operations with list parameters and a 600-field record: more operators than one
    // declaration may hold (§3.5), so the importer names types with aliases past the limit.
    let mut doc = String::from("openapi: 3.1.0\ninfo: {title: Many, version: 1.0.0}\npaths:\n");
    for i in 0..1500 {
        doc.push_str(&format!(
            "  /r{i}:\n    get:\n      operationId: op{i}\n      parameters:\n        - {{name: tags, in: query, schema: {{type: array, items: {{type: string}}}}}}\n        - {{name: n, in: query, schema: {{type: integer, minimum: 1, maximum: 9, default: 2}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: array, items: {{type: string}}}}\n"
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("many.yaml"), doc).unwrap();
    let o = charter(
        &["import", "openapi", "many.yaml", "--out", "ws"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = charter(&["check", "ws"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let wide = fixtures().join("bad/wide.yaml");
    let o = charter(
        &["import", "openapi", wide.to_str().unwrap(), "--out", "wide"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = charter(&["check", "wide"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn wire_names_nullables_and_success_statuses_round_trip() {
    // `@wire`, `@nullable` and `@status` keep what the importer once warned about (W8002,
    // W8007, W8006): the rebuilt document has no difference at all.
    assert_same(round_trip("fidelity/wire-losses.yaml"), Vec::new());
}
