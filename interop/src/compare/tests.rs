#![expect(
    clippy::disallowed_methods,
    reason = "tests read their fixtures from the repository"
)]
use super::*;
use serde_json::json;

fn petstore() -> Value {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/import/openapi");
    let text = std::fs::read_to_string(root.join("petstore-expanded.yaml")).unwrap();
    crate::openapi::doc::load(&text, "p.yaml").unwrap().root
}

fn kinds(d: &[Difference]) -> Vec<(Kind, String)> {
    d.iter().map(|d| (d.kind, d.pointer.clone())).collect()
}

#[test]
fn a_document_equals_itself() {
    assert_eq!(compare(&petstore(), &petstore()), []);
}

#[test]
fn each_kind_of_edit_is_one_difference() {
    let a = petstore();
    let mut b = a.clone();
    b["paths"]["/pets/{id}"]
        .as_object_mut()
        .unwrap()
        .remove("delete");
    b["paths"]["/pets"]["put"] = json!({"responses": {"204": {"description": "x"}}});
    b["paths"]["/pets"]["get"]["parameters"][1]["required"] = json!(true);
    b["paths"]["/pets"]["get"]["parameters"][0]["schema"]["items"]["type"] = json!("integer");
    b["components"]["schemas"]["NewPet"]["properties"]["tag"]["type"] = json!("boolean");
    let got = kinds(&compare(&a, &b));
    assert!(
        got.contains(&(Kind::MissingOperation, "/paths/~1pets~1{id}/delete".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&(Kind::ExtraOperation, "/paths/~1pets/put".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            Kind::Parameter,
            "/paths/~1pets/get/parameters/query/limit/required".into()
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            Kind::Parameter,
            "/paths/~1pets/get/parameters/query/tags/schema/items/type".into()
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            Kind::Schema,
            "/components/schemas/NewPet/properties/tag/type".into()
        )),
        "{got:?}"
    );
    // The NewPet change also shows in the bodies and results that use it.
    assert!(
        got.iter()
            .any(|(k, p)| *k == Kind::RequestBody && p.ends_with("/properties/tag/type"))
    );
}

#[test]
fn equivalent_spellings_are_equal() {
    let a = json!({"openapi": "3.0.3", "servers": [{"url": "https://x.example/api/"}], "paths": {"/p/{id}": {"get": {
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "nullable": true, "description": "d"}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/R"}}}}}}}},
        "components": {"schemas": {"R": {"allOf": [{"type": "object", "properties": {"a": {"type": "integer"}}}, {"required": ["a"]}]}}}});
    let b = json!({"openapi": "3.1.0", "paths": {"/api/p/{key}": {"get": {
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": ["null", "string"]}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/R"}}}}}}}},
        "components": {"schemas": {"R": {"type": "object", "additionalProperties": false, "required": ["a"], "properties": {"a": {"type": "integer", "x-y": 1}}}}}});
    assert_eq!(compare(&a, &b), []);
    // The success status is compared (E8107), apart from its body.
    let mut created = a.clone();
    let ok = created["paths"]["/p/{id}"]["get"]["responses"]
        .as_object_mut()
        .unwrap()
        .remove("200")
        .unwrap();
    created["paths"]["/p/{id}"]["get"]["responses"]["201"] = ok;
    let got = compare(&created, &b);
    assert_eq!(
        got.iter()
            .map(|d| (d.kind, d.pointer.as_str()))
            .collect::<Vec<_>>(),
        [(
            Kind::SuccessStatus,
            "/paths/~1p~1{id}/get/responses/success/status"
        )],
        "{got:?}"
    );
}

#[test]
fn recursive_schemas_end() {
    // An operation reaches N (schemas no operation reaches are not compared).
    let doc = json!({"paths": {"/n": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/N"}}}}}}}}, "components": {"schemas": {"N": {"type": "object", "properties": {"c": {"type": "array", "items": {"$ref": "#/components/schemas/N"}}}}}}});
    let mut other = doc.clone();
    other["components"]["schemas"]["N"]["properties"]["d"] = json!({"type": "string"});
    assert_eq!(compare(&doc, &doc), []);
    let got = compare(&doc, &other);
    // The new property, once in the response and once in the schema.
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        got.iter().all(|d| d.pointer.ends_with("/properties/d")),
        "{got:?}"
    );
    let unreached = json!({"paths": {}, "components": other["components"].clone()});
    assert_eq!(compare(&json!({"paths": {}}), &unreached), []);
}

#[test]
fn origins_trace_a_difference_through_references_and_parts() {
    let expected = json!({"paths": {"/p": {"get": {
        "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 5}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/R"}}}}}}}},
        "components": {"schemas": {"R": {"type": "object", "properties": {"a": {"type": "string"}}}}}});
    let actual = json!({"paths": {"/p": {"get": {
        "parameters": [{"$ref": "#/components/parameters/Limit"}],
        "responses": {"201": {"$ref": "#/components/responses/Ok"}}}}},
        "components": {
            "parameters": {"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 9}}},
            "responses": {"Ok": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/R"}}}}},
            "schemas": {"R": {"allOf": [{"$ref": "#/components/schemas/Base"}]}, "Base": {"type": "object", "properties": {"a": {"type": "integer"}}}}}});
    let got = compare(&expected, &actual);
    let find = |suffix: &str| got.iter().find(|d| d.pointer.ends_with(suffix)).unwrap();
    let maximum = super::origins(&actual, find("/limit/schema/maximum"));
    assert!(
        maximum.contains("/paths/~1p/get/parameters/0"),
        "{maximum:?}"
    );
    assert!(
        maximum.contains("/components/parameters/Limit/schema/maximum"),
        "{maximum:?}"
    );
    let ty = super::origins(&actual, find("/responses/success/schema/properties/a/type"));
    for p in [
        "/paths/~1p/get/responses/201",
        "/components/responses/Ok",
        "/components/schemas/R/allOf/0",
        "/components/schemas/Base/properties/a/type",
    ] {
        assert!(ty.contains(p), "{p}: {ty:?}");
    }
    // Nothing of the expected document's own is in the actual one.
    let missing = super::Difference {
        kind: Kind::MissingOperation,
        operation: Some("GET /q".into()),
        pointer: "/paths/~1q/get".into(),
        message: String::new(),
    };
    assert!(super::origins(&actual, &missing).is_empty());
}
