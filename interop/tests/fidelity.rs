//! Import fidelity (issue 17): one minimal document per defect under
//! `tests/import/openapi/fidelity/`. Each is imported; the imported source and the exact
//! warnings are an insta snapshot (`snapshots/fidelity__NAME.snap`), and the workspace must
//! check and build (`--target openapi`). A document whose first line is `# expect: error` must
//! be refused instead, and its snapshot is the error.

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    clippy::disallowed_methods,
    reason = "tests fail loudly and read their fixtures"
)]

use std::path::{Path, PathBuf};

use charter_codegen::{Options, Target};
use charter_interop::Imported;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/import/openapi/fidelity")
}

/// The source files, then one line per warning: code, location, construct, message.
fn shown(imported: &Imported) -> String {
    let mut out = String::new();
    for file in &imported.files {
        out.push_str(&format!("// ---- {}\n{}", file.path, file.text));
    }
    out.push_str("// ---- warnings\n");
    for w in &imported.warnings {
        out.push_str(&format!(
            "{} {} — {} — {}\n",
            w.code.as_str(),
            w.location,
            w.construct,
            w.message
        ));
    }
    out
}

/// Checks and builds an imported workspace; returns the built OpenAPI document.
fn build(imported: &Imported) -> String {
    charter_codegen::openapi::OpenApi
        .emit(&model(imported), &Options::default())
        .unwrap()
        .iter()
        .map(|f| String::from_utf8(f.bytes.clone()).unwrap())
        .collect()
}

/// The checked model of an imported workspace.
fn model(imported: &Imported) -> charter::ir::Model {
    let manifest = imported
        .files
        .iter()
        .find(|f| f.path == "charter.toml")
        .unwrap();
    let (config, problems) = charter::workspace::manifest(&manifest.text);
    assert!(problems.is_empty(), "{problems:?}");
    let files = imported
        .files
        .iter()
        .filter(|f| f.path.ends_with(".charter"))
        .map(|f| (f.path.clone(), f.text.clone()))
        .collect();
    charter::testing::checked_model(config, files)
        .unwrap_or_else(|errors| panic!("the imported workspace does not check: {errors:?}"))
}

fn run(name: &str) -> String {
    let text = std::fs::read_to_string(fixtures().join(name)).unwrap();
    let refused = text.starts_with("# expect: error");
    match charter_interop::openapi::import(&text, name, None) {
        Ok(imported) => {
            assert!(!refused, "{name} should have been refused");
            build(&imported);
            shown(&imported)
        }
        Err(error) => {
            assert!(refused, "{name} was refused: {error}");
            format!(
                "{error}\nat {:?}\n",
                error.location.as_ref().map(|l| l.to_string())
            )
        }
    }
}

macro_rules! fixture {
    ($test:ident, $file:literal) => {
        #[test]
        fn $test() {
            insta::assert_snapshot!(stringify!($test), run($file));
        }
    };
}

fixture!(hostile_descriptions, "hostile-descriptions.yaml");
fixture!(path_query_fragment, "path-query-fragment.yaml");
fixture!(all_of_through_alias, "all-of-alias.yaml");
fixture!(server_variable_base_path, "server-variable.yaml");
fixture!(dangling_refs_everywhere, "dangling-refs.yaml");
fixture!(required_with_default, "required-default.yaml");
fixture!(
    wire_names_nullables_and_statuses_are_kept,
    "wire-losses.yaml"
);
fixture!(named_schema_losses_are_warned, "named-schema-losses.yaml");
fixture!(unread_keywords_are_warned, "unread-keywords.yaml");
fixture!(small_losses_are_warned, "small-losses.yaml");
fixture!(duplicate_keys_are_refused, "duplicate-keys.yaml");

#[test]
fn every_fixture_has_a_test() {
    let source =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fidelity.rs"))
            .unwrap();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            source.contains(&format!("\"{name}\"")),
            "{name} has no fixture! line"
        );
    }
}

/// Pieces of hostile text: declarations, comment and string terminators, every line break,
/// controls and bidirectional overrides.
const HOSTILE: &[&str] = &[
    "record ",
    "record X {}",
    "\r",
    "\n",
    "\r\n",
    "\u{2028}",
    "\u{2029}",
    "\u{85}",
    "\u{b}",
    "\u{c}",
    "}",
    "{",
    "\"",
    "\\",
    "//",
    "///",
    "*/",
    "/*",
    "\u{202e}",
    "\u{0}",
    "\t",
    "op x GET \"/x\" ()",
    "type T = int",
    "enum E { a }",
    "service S version \"1.0.0\" {}",
    "package evil",
    "plain words",
];

/// A YAML double-quoted scalar holding `text` exactly (JSON escapes are YAML escapes).
fn yaml_string(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

/// A deterministic hostile text, the `seed`th.
fn hostile(seed: u64) -> String {
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut out = String::new();
    for _ in 0..(2 + seed % 6) {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let i = usize::try_from(state >> 33).unwrap() % HOSTILE.len();
        out.push_str(HOSTILE.get(i).unwrap());
    }
    out
}

/// A document with the hostile text in every description, summary, title and example.
fn document(text: &str) -> String {
    let t = yaml_string(text);
    format!(
        "openapi: 3.1.0
info: {{title: Docs, version: 1.0.0, summary: {t}, description: {t}}}
paths:
  /items/{{id}}:
    get:
      operationId: getItem
      summary: {t}
      description: {t}
      parameters:
        - {{name: id, in: path, required: true, description: {t}, schema: {{type: string}}}}
      responses:
        \"200\":
          description: {t}
          content:
            application/json:
              schema: {{$ref: \"#/components/schemas/Item\"}}
components:
  schemas:
    Item:
      title: {t}
      description: {t}
      type: object
      required: [id]
      properties:
        id: {{type: string, description: {t}, example: {t}}}
        kind: {{$ref: \"#/components/schemas/Kind\"}}
        size: {{type: integer, description: {t}}}
    Kind:
      description: {t}
      type: string
      enum: [a, b]
    Alias:
      description: {t}
      title: {t}
      type: integer
"
    )
}

/// The declarations and operations of a model, by name.
fn shape(model: &charter::ir::Model) -> Vec<String> {
    let mut names: Vec<String> = model
        .records
        .iter()
        .map(|r| {
            let fields: Vec<&str> = r.fields.iter().map(|f| f.name.as_str()).collect();
            format!("record {} {fields:?}", r.name)
        })
        .chain(model.enums.iter().map(|e| format!("enum {}", e.name)))
        .chain(model.aliases.iter().map(|a| format!("type {}", a.name)))
        .chain(model.services.iter().flat_map(|s| {
            s.ops
                .iter()
                .map(move |o| format!("op {}.{}", s.name, o.name))
        }))
        .collect();
    names.sort();
    names
}

/// No description, summary, title or example can change the program: with hostile text in all
/// of them the import succeeds, checks, builds and declares exactly what plain text declares.
#[test]
fn hostile_text_never_changes_the_program() {
    let plain = charter_interop::openapi::import(&document("plain"), "docs.yaml", None).unwrap();
    let expected = shape(&model(&plain));
    for seed in 0..150 {
        let text = hostile(seed);
        let imported = charter_interop::openapi::import(&document(&text), "docs.yaml", None)
            .unwrap_or_else(|e| panic!("{text:?}: {e}"));
        build(&imported);
        assert_eq!(shape(&model(&imported)), expected, "{text:?}");
    }
}

/// A document whose property, enum value and query parameter are each named `name`.
fn named_document(name: &str) -> String {
    let t = yaml_string(name);
    format!(
        "openapi: 3.1.0
info: {{title: Names, version: 1.0.0}}
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {{name: {t}, in: query, schema: {{type: string}}}}
      responses:
        \"200\":
          description: ok
          content:
            application/json:
              schema: {{$ref: \"#/components/schemas/Item\"}}
components:
  schemas:
    Item:
      type: object
      required: [{t}]
      properties:
        {t}: {{$ref: \"#/components/schemas/Kind\"}}
    Kind:
      type: string
      enum: [{t}, plain]
"
    )
}

/// A property, enum value or query parameter with any name imports into a workspace that
/// checks, and keeps its name on the wire (`@wire`) or says that it could not (W8002).
#[test]
fn hostile_names_are_kept_on_the_wire_or_warned() {
    for seed in 0..150 {
        let name = hostile(seed);
        let imported = charter_interop::openapi::import(&named_document(&name), "n.yaml", None)
            .unwrap_or_else(|e| panic!("{name:?}: {e}"));
        let model = model(&imported);
        let warned = |what: &str| {
            imported
                .warnings
                .iter()
                .any(|w| w.code.as_str() == "W8002" && w.construct.starts_with(what))
        };
        let record = model
            .records
            .iter()
            .find(|r| r.name.name == "Item")
            .unwrap();
        let kept = record.fields.iter().any(|f| f.wire_name() == name);
        assert!(kept || warned("the property"), "{name:?}");
        let kind = model.enums.iter().find(|e| e.name.name == "Kind").unwrap();
        let kept = kind.variants.iter().any(|v| v.wire_name() == name);
        assert!(kept || warned("the enum value"), "{name:?}");
        let op = model
            .services
            .iter()
            .flat_map(|s| &s.ops)
            .find(|o| o.name == "listItems")
            .unwrap();
        let kept = op.params.iter().any(|p| p.wire_name() == name);
        assert!(kept || warned("the parameter"), "{name:?}");
        // The built document carries the kept names.
        let built = build(&imported);
        if record.fields.iter().any(|f| f.wire_name() == name) {
            assert!(built.contains(&yaml_string(&name)), "{name:?}");
        }
    }
}
