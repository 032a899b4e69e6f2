//! `charter drift --openapi`: summit's own built documents show no drift; each kind of edit to a
//! built document is reported exactly (code and pointer), with exit 1; usage problems exit 2.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

mod support;
use support::{charter, stderr, stdout};

fn summit() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/summit")
}

/// Summit's Catalog document as the contract builds it.
fn catalog(dir: &Path) -> Value {
    let out = dir.join("built");
    let o = charter(
        &[
            "build",
            summit().to_str().unwrap(),
            "--target",
            "openapi",
            "--out",
            out.to_str().unwrap(),
        ],
        dir,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str(&std::fs::read_to_string(out.join("openapi/Catalog.json")).unwrap())
        .unwrap()
}

/// Runs drift against `doc` and returns the exit code and the (code, pointer) pairs.
fn drift(dir: &Path, doc: &Value) -> (i32, BTreeSet<(String, String)>) {
    let file = dir.join("served.json");
    std::fs::write(&file, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    let o = charter(
        &[
            "drift",
            summit().to_str().unwrap(),
            "--openapi",
            file.to_str().unwrap(),
            "--service",
            "Catalog",
            "--format",
            "json",
        ],
        dir,
    );
    let report: Value =
        serde_json::from_str(&stdout(&o)).unwrap_or_else(|_| panic!("{}", stderr(&o)));
    let found = report["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["pointer"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (o.status.code().unwrap(), found)
}

fn set(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items
        .iter()
        .map(|(c, p)| ((*c).to_string(), (*p).to_string()))
        .collect()
}

const LIST: &str = "/paths/~1v1~1datasets/get";
const ONE: &str = "/paths/~1v1~1datasets~1{dataset_id}";

#[test]
fn every_built_document_has_no_drift() {
    let dir = tempfile::tempdir().unwrap();
    catalog(dir.path());
    for service in ["Audit", "Catalog", "Lineage", "PolicyDecision"] {
        let file = dir.path().join(format!("built/openapi/{service}.yaml"));
        let o = charter(
            &[
                "drift",
                summit().to_str().unwrap(),
                "--openapi",
                file.to_str().unwrap(),
                "--service",
                service,
            ],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(0), "{service}: {}", stdout(&o));
        assert!(stdout(&o).contains("no differences"), "{}", stdout(&o));
    }
}

#[test]
fn each_kind_of_edit_is_reported_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let base = catalog(dir.path());
    type Edit = fn(&mut Value);
    type Expected = BTreeSet<(String, String)>;
    let cases: Vec<(&str, Edit, Expected)> = vec![
        (
            "missing operation",
            |d| {
                d["paths"]["/v1/datasets/{dataset_id}"]
                    .as_object_mut()
                    .unwrap()
                    .remove("delete");
            },
            set(&[("E8101", &format!("#{ONE}/delete"))]),
        ),
        (
            "extra operation",
            |d| {
                d["paths"]["/v1/datasets/{dataset_id}"]["put"] =
                    json!({"responses": {"204": {"description": "x"}}})
            },
            set(&[("E8102", &format!("#{ONE}/put"))]),
        ),
        (
            "parameter type",
            |d| {
                d["paths"]["/v1/datasets"]["get"]["parameters"][3]["schema"]["maximum"] = json!(500)
            },
            set(&[(
                "E8103",
                &format!("#{LIST}/parameters/query/limit/schema/maximum"),
            )]),
        ),
        (
            "parameter default",
            |d| {
                d["paths"]["/v1/datasets"]["get"]["parameters"][1]["schema"]["default"] = json!("x")
            },
            set(&[(
                "E8103",
                &format!("#{LIST}/parameters/query/q/schema/default"),
            )]),
        ),
        (
            "parameter required",
            |d| d["paths"]["/v1/datasets"]["get"]["parameters"][1]["required"] = json!(true),
            set(&[("E8103", &format!("#{LIST}/parameters/query/q/required"))]),
        ),
        (
            "missing parameter",
            |d| {
                d["paths"]["/v1/datasets"]["get"]["parameters"]
                    .as_array_mut()
                    .unwrap()
                    .remove(1);
            },
            set(&[("E8103", &format!("#{LIST}/parameters/query/q"))]),
        ),
        (
            "parameter location",
            |d| d["paths"]["/v1/datasets"]["get"]["parameters"][1]["in"] = json!("header"),
            set(&[
                ("E8103", &format!("#{LIST}/parameters/query/q")),
                ("E8103", &format!("#{LIST}/parameters/header/q")),
            ]),
        ),
        (
            "request body",
            |d| {
                d["paths"]["/v1/datasets/{dataset_id}/exports"]["post"]["requestBody"]["content"]
                    ["application/json"]["schema"] =
                    json!({"type": "object", "properties": {"destination": {"type": "string"}}})
            },
            set(&[
                (
                    "E8104",
                    "#/paths/~1v1~1datasets~1{dataset_id}~1exports/post/requestBody/schema/properties/destination_region",
                ),
                (
                    "E8104",
                    "#/paths/~1v1~1datasets~1{dataset_id}~1exports/post/requestBody/schema/properties/external",
                ),
                (
                    "E8104",
                    "#/paths/~1v1~1datasets~1{dataset_id}~1exports/post/requestBody/schema/properties/format",
                ),
                (
                    "E8104",
                    "#/paths/~1v1~1datasets~1{dataset_id}~1exports/post/requestBody/schema/properties/purpose",
                ),
                (
                    "E8104",
                    "#/paths/~1v1~1datasets~1{dataset_id}~1exports/post/requestBody/schema/required",
                ),
            ]),
        ),
        (
            "missing error response",
            |d| {
                d["paths"]["/v1/datasets/{dataset_id}"]["get"]["responses"]
                    .as_object_mut()
                    .unwrap()
                    .remove("404");
            },
            set(&[("E8105", &format!("#{ONE}/get/responses/404"))]),
        ),
        (
            "response schema",
            |d| {
                d["paths"]["/v1/datasets/{dataset_id}"]["get"]["responses"]["200"]["content"]["application/json"]
                    ["schema"] = json!({"type": "array", "items": {"$ref": "#/components/schemas/DatasetSummary"}})
            },
            set(&[
                (
                    "E8105",
                    &format!("#{ONE}/get/responses/success/schema/items"),
                ),
                (
                    "E8105",
                    &format!("#{ONE}/get/responses/success/schema/properties"),
                ),
                (
                    "E8105",
                    &format!("#{ONE}/get/responses/success/schema/required"),
                ),
                (
                    "E8105",
                    &format!("#{ONE}/get/responses/success/schema/type"),
                ),
            ]),
        ),
        (
            "component schema",
            |d| d["components"]["schemas"]["ExportStatus"]["enum"] = json!(["queued"]),
            set(&[("E8106", "#/components/schemas/ExportStatus/enum")]),
        ),
    ];
    for (name, edit, expected) in cases {
        let mut doc = base.clone();
        edit(&mut doc);
        let (code, found) = drift(dir.path(), &doc);
        assert_eq!(code, 1, "{name}");
        // Component edits also show where the component is used; the expected entries must all
        // be there and every other one must be the same edit seen through a `$ref`.
        assert!(found.is_superset(&expected), "{name}: {found:#?}");
        if name != "component schema" {
            assert_eq!(found, expected, "{name}");
        } else {
            assert!(
                found.iter().all(|(_, p)| p.ends_with("/enum")),
                "{name}: {found:#?}"
            );
        }
    }
    assert_eq!(drift(dir.path(), &base), (0, BTreeSet::new()));
}

#[test]
fn usage_problems_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    catalog(dir.path());
    let file = dir.path().join("built/openapi/Catalog.yaml");
    let ws = summit();
    let o = charter(
        &[
            "drift",
            ws.to_str().unwrap(),
            "--openapi",
            file.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("E8110") && stderr(&o).contains("summit.platform.Catalog"),
        "{}",
        stderr(&o)
    );
    let o = charter(
        &[
            "drift",
            ws.to_str().unwrap(),
            "--openapi",
            file.to_str().unwrap(),
            "--service",
            "Nope",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    let o = charter(
        &[
            "drift",
            ws.to_str().unwrap(),
            "--openapi",
            "missing.yaml",
            "--service",
            "Catalog",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("E9006"));
    std::fs::write(dir.path().join("broken.yaml"), "openapi: [3\n").unwrap();
    let o = charter(
        &[
            "drift",
            ws.to_str().unwrap(),
            "--openapi",
            "broken.yaml",
            "--service",
            "Catalog",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("E8001"), "{}", stderr(&o));
    let o = charter(&["drift", "--service", "Catalog"], dir.path());
    assert_eq!(o.status.code(), Some(2), "--openapi is required");
}

/// `--write-baseline` records the differences; with `--baseline` they are accepted (exit 0), a
/// new one fails (exit 1), and an entry that no longer occurs is reported as stale.
#[test]
fn a_baseline_accepts_known_differences_and_names_stale_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = catalog(dir.path());
    doc["paths"]["/v1/datasets"]["get"]["parameters"][3]["schema"]["maximum"] = json!(500);
    let served = dir.path().join("served.json");
    let baseline = dir.path().join("baseline.json");
    let run = |doc: &Value, flag: &str| {
        std::fs::write(&served, serde_json::to_string_pretty(doc).unwrap()).unwrap();
        charter(
            &[
                "drift",
                summit().to_str().unwrap(),
                "--openapi",
                served.to_str().unwrap(),
                "--service",
                "Catalog",
                flag,
                baseline.to_str().unwrap(),
            ],
            dir.path(),
        )
    };
    let maximum = format!("#{LIST}/parameters/query/limit/schema/maximum");
    let o = run(&doc, "--write-baseline");
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(written["version"], 1);
    assert_eq!(written["accepted"][0]["code"], "E8103");
    assert_eq!(written["accepted"][0]["pointer"], maximum.as_str());
    assert_eq!(written["accepted"].as_array().unwrap().len(), 1);
    // The same drift is accepted.
    let o = run(&doc, "--baseline");
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("accepted[E8103]: GET /catalog/v1/datasets: `maximum` is 200"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("0 failing, 1 accepted"),
        "{}",
        stdout(&o)
    );
    // A new difference fails; the accepted one stays accepted.
    let mut worse = doc.clone();
    worse["paths"]["/v1/datasets/{dataset_id}"]
        .as_object_mut()
        .unwrap()
        .remove("delete");
    let o = run(&worse, "--baseline");
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("error[E8101]"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("1 failing, 1 accepted"),
        "{}",
        stdout(&o)
    );
    // Fixed: the entry is stale, nothing fails.
    let fixed = catalog(dir.path());
    let o = run(&fixed, "--baseline");
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("stale[E8103]"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains(&format!("at {maximum}")),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("0 failing, 0 accepted"),
        "{}",
        stdout(&o)
    );
    // Not a baseline: exit 2.
    std::fs::write(&baseline, "{}").unwrap();
    let o = run(&doc, "--baseline");
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("E9014"), "{}", stderr(&o));
}
