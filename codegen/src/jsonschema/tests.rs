//! The jsonschema target: snapshots of summit schemas, and unit tests of types, fields and
//! references. `tests/opa/test_jsonschema.py` checks the schemas against the 2020-12
//! meta-schema and validates the summit test inputs with them.

use charter::ir::QualName;
use serde_json::{Value as Json, json};

use super::{JsonSchema, ids};
use crate::evidence::tests::{model, summit};
use crate::{Options, OutputFile, Target};

fn emit(model: &charter::ir::Model) -> Vec<OutputFile> {
    JsonSchema.emit(model, &Options::default()).unwrap()
}

fn text<'a>(files: &'a [OutputFile], path: &str) -> &'a str {
    let file = files.iter().find(|f| f.path == path).unwrap_or_else(|| {
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        panic!("no {path} in {paths:?}")
    });
    std::str::from_utf8(&file.bytes).unwrap()
}

fn parsed(files: &[OutputFile], path: &str) -> Json {
    serde_json::from_str(text(files, path)).unwrap()
}

#[test]
fn summit_schemas() {
    let files = emit(&summit());
    for (name, path) in [
        (
            "summit_lineage_event",
            "summit/lineage/LineageEvent.schema.json",
        ),
        ("summit_provenance", "std/provenance/Provenance.schema.json"),
        ("summit_dataset", "summit/identity/Dataset.schema.json"),
        ("summit_request", "summit/policy/Request.schema.json"),
        (
            "summit_sensitivity",
            "summit/identity/Sensitivity.schema.json",
        ),
        (
            "summit_audit_export",
            "summit/platform/AuditExport.schema.json",
        ),
    ] {
        insta::assert_snapshot!(name, text(&files, path));
    }
}

#[test]
fn output_is_sorted_pretty_and_deterministic() {
    let model = summit();
    let files = emit(&model);
    assert_eq!(files, emit(&model));
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted);
    for file in &files {
        let text = std::str::from_utf8(&file.bytes).unwrap();
        assert!(text.ends_with("}\n"), "{}", file.path);
        let value: Json = serde_json::from_str(text).unwrap();
        assert_eq!(
            value["$id"],
            json!(format!("https://charter.invalid/schemas/{}", file.path))
        );
        assert_eq!(value["$schema"], json!(ids::DIALECT));
    }
}

#[test]
fn relative_refs() {
    let from = QualName::new("summit.lineage", "Trace");
    let same = QualName::new("summit.lineage", "TraceHop");
    let sibling = QualName::new("summit.identity", "Role");
    let std = QualName::new("std.provenance", "Provenance");
    assert_eq!(ids::relative_ref(&from, &same), "TraceHop.schema.json");
    assert_eq!(
        ids::relative_ref(&from, &sibling),
        "../identity/Role.schema.json"
    );
    assert_eq!(
        ids::relative_ref(&from, &std),
        "../../std/provenance/Provenance.schema.json"
    );
    let top = QualName::new("demo", "A");
    let deep = QualName::new("demo.inner", "B");
    assert_eq!(ids::relative_ref(&top, &deep), "inner/B.schema.json");
    assert_eq!(ids::relative_ref(&deep, &top), "../A.schema.json");
}

const DEMO: &str = "package demo\n\n\
    /// Colours. Open to more.\n\
    open enum Colour { red, green }\n\
    enum Size { small, large }\n\
    type Code = string matching \"^[A-Z]{3}$\"\n\
    /// A thing.\n\
    record Thing {\n\
      /// Its id.\n\
      id: uuid\n\
      code: Code\n\
      size: Size = large\n\
      note: string?\n\
      count: int in 1..9 = 3\n\
      ratio: decimal\n\
      born: date\n\
      at: timestamp\n\
      ttl: duration\n\
      blob: bytes\n\
      tags: set<string>\n\
      items: list<float in 0.0..1.0>\n\
      labels: map<string, Colour> = {}\n\
    }\n";

#[test]
fn fields_types_and_requirements() {
    let files = emit(&model(DEMO));
    let thing = parsed(&files, "demo/Thing.schema.json");
    assert_eq!(thing["title"], json!("A thing."));
    assert_eq!(thing["additionalProperties"], json!(false));
    assert_eq!(
        thing["required"],
        json!([
            "id", "code", "ratio", "born", "at", "ttl", "blob", "tags", "items"
        ])
    );
    let p = &thing["properties"];
    assert_eq!(
        p["id"],
        json!({"type": "string", "format": "uuid", "description": "Its id."})
    );
    assert_eq!(
        p["code"],
        json!({"type": "string", "pattern": "^[A-Z]{3}$"})
    );
    assert_eq!(
        p["size"],
        json!({"$ref": "Size.schema.json", "default": "large"})
    );
    // Optional: may be absent, never null.
    assert_eq!(p["note"], json!({"type": "string"}));
    assert_eq!(
        p["count"],
        json!({"type": "integer", "minimum": 1, "maximum": 9, "default": 3})
    );
    assert_eq!(p["ratio"], json!({"type": "number"}));
    assert_eq!(p["born"], json!({"type": "string", "format": "date"}));
    assert_eq!(p["at"], json!({"type": "string", "format": "date-time"}));
    assert_eq!(
        p["ttl"],
        json!({"type": "string", "pattern": "^[0-9]+[smhdwy]$"})
    );
    assert_eq!(
        p["blob"],
        json!({"type": "string", "contentEncoding": "base64"})
    );
    assert_eq!(
        p["tags"],
        json!({"type": "array", "items": {"type": "string"}, "uniqueItems": true})
    );
    assert_eq!(
        p["items"],
        json!({"type": "array", "items": {"type": "number", "minimum": 0.0, "maximum": 1.0}})
    );
    assert_eq!(
        p["labels"],
        json!({"type": "object", "additionalProperties": {"$ref": "Colour.schema.json"}, "default": {}})
    );
}

#[test]
fn enums_closed_and_open() {
    let files = emit(&model(DEMO));
    let size = parsed(&files, "demo/Size.schema.json");
    assert_eq!(size["enum"], json!(["small", "large"]));
    assert_eq!(size["type"], json!("string"));
    let colour = parsed(&files, "demo/Colour.schema.json");
    assert_eq!(colour["title"], json!("Colours."));
    assert_eq!(
        colour["anyOf"],
        json!([{"enum": ["red", "green"]}, {"type": "string"}])
    );
    let description = colour["description"].as_str().unwrap();
    assert!(description.starts_with("Colours. Open to more.\n\n"));
    assert!(description.contains("must accept"));
    // Aliases are inlined, not files of their own.
    assert!(files.iter().all(|f| !f.path.ends_with("Code.schema.json")));
}

#[test]
fn provenance_envelope_is_required() {
    let files = emit(&summit());
    let event = parsed(&files, "summit/lineage/LineageEvent.schema.json");
    let required = event["required"].as_array().unwrap();
    assert_eq!(required[0], json!("provenance"));
    assert_eq!(
        event["properties"]["provenance"]["$ref"],
        json!("../../std/provenance/Provenance.schema.json")
    );
    assert_eq!(
        event["properties"]["source_system"]["deprecated"],
        json!(true)
    );
}

#[test]
fn wire_names_and_nullable_members() {
    // Defaults are written by their members' wire names too (`inner`).
    let src = "package demo\n\
        enum Sign { @wire(\"+1\") plus, minus }\n\
        type Code = string matching \"^[A-Z]+$\"\n\
        record Item {\n  \
          @wire(\"item.id\") item_id: string\n  \
          @nullable code: Code\n  \
          @nullable sign: Sign = none\n  \
          @nullable @wire(\"When\") at: timestamp?\n  \
          inner: Inner = { inner_sign: plus }\n\
        }\n\
        record Inner {\n  \
          @wire(\"inner-sign\") inner_sign: Sign\n\
        }\n";
    let files = emit(&model(src));
    let item = parsed(&files, "demo/Item.schema.json");
    assert_eq!(item["required"], json!(["item.id", "code"]));
    let p = &item["properties"];
    assert_eq!(p["item.id"], json!({"type": "string"}));
    assert_eq!(
        p["code"],
        json!({"type": ["string", "null"], "pattern": "^[A-Z]+$"})
    );
    assert_eq!(
        p["sign"],
        json!({"anyOf": [{"$ref": "Sign.schema.json"}, {"type": "null"}], "default": null})
    );
    assert_eq!(p["When"]["type"], json!(["string", "null"]));
    assert_eq!(p["inner"]["default"], json!({"inner-sign": "+1"}));
    let sign = parsed(&files, "demo/Sign.schema.json");
    assert_eq!(sign["enum"], json!(["+1", "minus"]));
}
