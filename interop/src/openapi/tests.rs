#![expect(
    clippy::disallowed_methods,
    reason = "tests read their fixtures from the repository"
)]
use super::*;

fn fixture(name: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/import/openapi");
    std::fs::read_to_string(root.join(name)).unwrap()
}

fn source(imported: &Imported) -> String {
    imported
        .files
        .iter()
        .map(|f| format!("// ---- {}\n{}", f.path, f.text))
        .collect()
}

fn warnings(imported: &Imported) -> String {
    imported
        .warnings
        .iter()
        .map(|w| {
            format!(
                "{} {} — {} — {}\n",
                w.code.as_str(),
                w.location,
                w.construct,
                w.message
            )
        })
        .collect()
}

#[test]
fn petstore() {
    let imported = import(&fixture("petstore.yaml"), "petstore.yaml", None).unwrap();
    insta::assert_snapshot!(source(&imported));
    insta::assert_snapshot!(warnings(&imported));
}

#[test]
fn petstore_expanded() {
    let imported = import(
        &fixture("petstore-expanded.yaml"),
        "petstore-expanded.yaml",
        Some("pets"),
    )
    .unwrap();
    insta::assert_snapshot!(source(&imported));
    insta::assert_snapshot!(warnings(&imported));
}

#[test]
fn api_with_examples() {
    let imported = import(
        &fixture("api-with-examples.yaml"),
        "api-with-examples.yaml",
        None,
    )
    .unwrap();
    insta::assert_snapshot!(source(&imported));
    insta::assert_snapshot!(warnings(&imported));
}

#[test]
fn webhook_example() {
    let imported = import(
        &fixture("webhook-example.yaml"),
        "webhook-example.yaml",
        None,
    )
    .unwrap();
    insta::assert_snapshot!(source(&imported));
    insta::assert_snapshot!(warnings(&imported));
}

#[test]
fn renamed_identifiers_keep_their_originals() {
    let imported = import(&fixture("bad/identifiers.yaml"), "identifiers.yaml", None).unwrap();
    insta::assert_snapshot!(source(&imported));
    insta::assert_snapshot!(warnings(&imported));
}

#[test]
fn recursive_schemas() {
    let imported = import(&fixture("bad/recursive.yaml"), "recursive.yaml", None).unwrap();
    let text = source(&imported);
    assert!(text.contains("children: list<Node>"), "{text}");
    assert!(text.contains("type Nested = map<string, string>"), "{text}");
    let w: Vec<_> = imported
        .warnings
        .iter()
        .map(|w| (w.code.as_str(), w.location.to_string()))
        .collect();
    assert_eq!(
        w,
        [(
            "W8005",
            "recursive.yaml:31:7 (#/components/schemas/Nested)".to_string()
        )]
    );
}

#[test]
fn bad_documents_are_errors() {
    let cases = [
        ("bad/malformed.yaml", "E8001", Some("malformed.yaml:8:1")),
        ("bad/truncated.json", "E8001", Some("truncated.json:")),
        ("bad/empty.yaml", "E8002", Some("empty.yaml:")),
        ("bad/not-openapi.yaml", "E8002", Some("not-openapi.yaml")),
        ("bad/swagger2.yaml", "E8003", Some("swagger2.yaml:1:")),
        (
            "bad/dangling-ref.yaml",
            "E8004",
            Some(
                "dangling-ref.yaml:15:17 (#/paths/~1things/get/responses/200/content/application~1json/schema)",
            ),
        ),
    ];
    for (file, code, location) in cases {
        let name = file.trim_start_matches("bad/");
        let error = import(&fixture(file), name, None).unwrap_err();
        assert_eq!(error.code.as_str(), code, "{file}: {error:?}");
        if let Some(location) = location {
            let got = error
                .location
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            assert!(got.starts_with(location), "{file}: {got}");
        }
        assert!(error.help.is_some(), "{file}");
    }
    let error = import("openapi: 4.0.0\ninfo: {}\npaths: {}\n", "f.yaml", None).unwrap_err();
    assert_eq!(error.code, codes::E8003);
    let error = import(&fixture("petstore.yaml"), "p.yaml", Some("Not-A-Package")).unwrap_err();
    assert_eq!(error.code, codes::E8006);
}

#[test]
fn unions_and_unsupported_keywords_warn() {
    let text = r##"
openapi: 3.1.0
info: {title: U, version: 1.0.0}
paths:
  /u:
    post:
      operationId: make
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [kind]
              properties:
                kind: {oneOf: [{type: string}, {type: integer}]}
                maybe: {type: [string, "null"], minLength: 2}
                score: {type: number, minimum: 0, maximum: 1, default: 0.5}
                tags: {type: array, uniqueItems: true, items: {type: string}}
                meta: {type: object, additionalProperties: {type: integer}}
                when: {type: string, format: date-time}
                x: {type: integer, exclusiveMinimum: 3}
      callbacks:
        done: {}
      responses:
        '201':
          description: made
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string, format: uuid}}}
            application/xml:
              schema: {type: string}
        '3XX': {description: redirect}
"##;
    let imported = import(text, "u.yaml", None).unwrap();
    insta::assert_snapshot!(source(&imported));
    insta::assert_snapshot!(warnings(&imported));
}

#[test]
fn the_same_document_gives_the_same_bytes() {
    let a = import(&fixture("petstore-expanded.yaml"), "p.yaml", None).unwrap();
    let b = import(&fixture("petstore-expanded.yaml"), "p.yaml", None).unwrap();
    assert_eq!(a.files, b.files);
    assert_eq!(a.warnings, b.warnings);
}
