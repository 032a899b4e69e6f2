//! The graphql target: summit snapshots, unit models, and every output parsed by
//! `async-graphql-parser`. `tests/graphql/check.mjs` builds the same files with graphql-js.

use async_graphql_parser::parse_schema;
use async_graphql_parser::types::{TypeKind, TypeSystemDefinition};

use super::Graphql;
use crate::testing::{model, summit};
use crate::{Options, OutputFile, Target};

fn emit(model: &charter::ir::Model) -> Vec<OutputFile> {
    Graphql.emit(model, &Options::default()).unwrap()
}

fn only(files: &[OutputFile]) -> String {
    assert_eq!(
        files.len(),
        1,
        "{:?}",
        files.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
    String::from_utf8(files[0].bytes.clone()).unwrap()
}

/// Parses with async-graphql-parser and lists `kind name` of every definition.
fn definitions(text: &str) -> Vec<String> {
    let doc = parse_schema(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    doc.definitions
        .iter()
        .map(|d| match d {
            TypeSystemDefinition::Type(t) => {
                let kind = match &t.node.kind {
                    TypeKind::Scalar => "scalar",
                    TypeKind::Object(_) => "type",
                    TypeKind::Interface(_) => "interface",
                    TypeKind::Union(_) => "union",
                    TypeKind::Enum(_) => "enum",
                    TypeKind::InputObject(_) => "input",
                };
                format!("{kind} {}", t.node.name.node)
            }
            TypeSystemDefinition::Schema(_) => "schema".to_string(),
            TypeSystemDefinition::Directive(d) => format!("directive {}", d.node.name.node),
        })
        .collect()
}

#[test]
fn summit_schemas() {
    let files = emit(&summit());
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["summit.lineage.graphql", "summit.platform.graphql"]);
    for file in &files {
        let text = std::str::from_utf8(&file.bytes).unwrap();
        let defs = definitions(text);
        assert!(defs.contains(&"type Query".to_string()), "{defs:?}");
        insta::assert_snapshot!(file.path.replace('.', "_"), text);
    }
}

#[test]
fn summit_is_deterministic_and_parses() {
    let model = summit();
    assert_eq!(emit(&model), emit(&model));
    let platform = emit(&model)
        .into_iter()
        .find(|f| f.path == "summit.platform.graphql")
        .unwrap();
    let defs = definitions(std::str::from_utf8(&platform.bytes).unwrap());
    for wanted in [
        "type Query",
        "type Mutation",
        "input ExportRequestInput",
        "enum ExportFormat",
        "enum Sensitivity",
        "scalar DateTime",
        "type DatasetSummary",
    ] {
        assert!(
            defs.contains(&wanted.to_string()),
            "{wanted} not in {defs:?}"
        );
    }
    // Errors are REST-only: Problem is reachable from no GraphQL result.
    assert!(!defs.contains(&"type Problem".to_string()), "{defs:?}");
}

const SHAPES: &str = r#"
package demo

/// A colour.
open enum Colour {
  red
  /// Not any more.
  @deprecated(since: 2026-01-01, note: "looks like red")
  orange
  green
}

/// Rank, lowest first.
ordered enum Rank { low, high }

type Score = float in 0.0..1.0
type ID = string

record Tag {
  name: string
  weight: Score?
}

/// A widget.
record Widget {
  id: ID
  /// Its colour.
  colour: Colour = red
  tags: list<Tag>
  maybe: list<string?>?
  labels: map<string, string>
  made: timestamp
  day: date?
  ttl: duration = 30d
  key: uuid
  price: decimal
  blob: bytes?
  @deprecated(since: 2026-01-01, sunset: 2027-01-01, note: "use tags")
  legacy: string?
}

record WidgetInput {
  colour: Colour = green
  tags: list<Tag>
  @deprecated(since: 2026-01-01)
  old: string
  @deprecated(since: 2026-01-01, note: "gone \"soon\"")
  older: string?
}

service Widgets version "1.0.0" at "/w" {
  /// Find widgets.
  /// Two lines of doc.
  op find GET "/widgets" (q: string = "", rank: Rank?, limit: int in 1..10 = 5) -> list<Widget>
    graphql query

  op get GET "/widgets/{id}" (id: string) -> Widget?
    graphql query

  @deprecated(since: 2026-01-01, sunset: 2026-12-01, use: get, note: "old")
  op get_old GET "/old/{id}" (id: string) -> Widget
    graphql query

  op create POST "/widgets" (body: WidgetInput) -> Widget
    graphql mutation

  op tag PUT "/widgets/{id}/tag" (id: string, body: Tag)
    graphql mutation

  op hidden GET "/hidden" () -> Widget
}

service Other version "1.0.0" at "/o" {
  op find GET "/find" () -> Tag
    graphql query
}
"#;

#[test]
fn shapes() {
    let text = only(&emit(&model(SHAPES)));
    let defs = definitions(&text);
    for wanted in [
        "scalar DateTime",
        "scalar Date",
        "scalar Duration",
        "scalar UUID",
        "scalar Decimal",
        "scalar Bytes",
        "scalar JSON",
        "type Widget",
        "type Tag",
        "input TagInput",
        "input WidgetInput",
        "enum Colour",
        "enum Rank",
    ] {
        assert!(
            defs.contains(&wanted.to_string()),
            "{wanted} not in {defs:?}"
        );
    }
    insta::assert_snapshot!("shapes", text);
}

#[test]
fn types_and_nullability() {
    let text = only(&emit(&model(SHAPES)));
    for line in [
        "  id: ID!",
        "  colour: Colour!",
        "  tags: [Tag!]!",
        "  maybe: [String]",
        "  labels: JSON!",
        "  day: Date",
        "  ttl: Duration!",
        "  weight: Float",
        "  colour: Colour! = green",
        "  legacy: String @deprecated(reason: \"use tags. Sunset on 2027-01-01.\")",
        "  orange @deprecated(reason: \"looks like red\")",
        "  Widgets_find(q: String! = \"\", rank: Rank, limit: Int! = 5): [Widget!]!",
        "  get(id: String!): Widget\n",
        "  get_old(id: String!): Widget! @deprecated(reason: \"old. Use `get` instead. Sunset on 2026-12-01.\")",
        "  create(input: WidgetInput!): Widget!",
        "  tag(id: String!, input: TagInput!): Boolean!",
        "  older: String @deprecated(reason: \"gone \\\"soon\\\"\")",
        "  old: String!\n",
        "  Other_find: Tag!",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    assert!(!text.contains("hidden"), "{text}");
    assert!(text.contains("Open enum"), "{text}");
}

#[test]
fn collisions_get_package_prefixes() {
    let files = vec![
        (
            "src/a/a.charter".to_string(),
            "package demo.a\n\nrecord Item { x: demo.b.Item }\n\nservice S version \"1.0.0\" at \"/s\" {\n  op get GET \"/i\" () -> Item\n    graphql query\n\n  op put POST \"/i\" (body: demo.b.Item) -> Item\n    graphql mutation\n}\n".to_string(),
        ),
        (
            "src/b/b.charter".to_string(),
            "package demo.b\n\nrecord Item { y: int }\n\nrecord ItemInput { z: int }\n".to_string(),
        ),
    ];
    let (mut config, _) = charter::workspace::manifest(
        "[package]\nname = \"demo\"\nversion = \"1.0.0\"\n[build]\nsources = [\"src\"]\n",
    );
    config.name = "demo".into();
    let model = crate::testing::model_of(config, files);
    let files = emit(&model);
    let text = only(&files);
    let defs = definitions(&text);
    assert!(defs.contains(&"type Item".to_string()), "{defs:?}");
    assert!(defs.contains(&"type DemoBItem".to_string()), "{defs:?}");
    assert!(defs.contains(&"input ItemInput".to_string()), "{defs:?}");
    assert!(text.contains("  x: DemoBItem!"), "{text}");
    assert!(text.contains("put(input: ItemInput!): Item!"), "{text}");
}

#[test]
fn mutations_only_still_have_a_query_root() {
    let text = only(&emit(&model(
        "package demo\n\nrecord R { a: int }\n\nservice S version \"1.0.0\" at \"/s\" {\n  op make POST \"/m\" (body: R) -> R\n    graphql mutation\n}\n",
    )));
    let defs = definitions(&text);
    assert!(defs.contains(&"type Query".to_string()), "{defs:?}");
    assert!(text.contains("_version: String!"), "{text}");
    assert!(defs.contains(&"input RInput".to_string()), "{defs:?}");
}

#[test]
fn no_exposed_operations_no_files() {
    let files = emit(&model(
        "package demo\n\nrecord R { a: int }\n\nservice S version \"1.0.0\" at \"/s\" {\n  op get GET \"/m\" () -> R\n}\n",
    ));
    assert!(files.is_empty());
}

#[test]
fn an_empty_record_is_refused_not_written_as_an_empty_type() {
    for (op, kind) in [
        ("op get GET \"/m\" () -> Empty\n    graphql query", "object"),
        (
            "op make POST \"/m\" (body: Empty) -> R\n    graphql mutation",
            "input",
        ),
    ] {
        let model = model(&format!(
            "package demo\n\nrecord Empty {{}}\n\nrecord R {{ a: int }}\n\nservice S version \"1.0.0\" at \"/s\" {{\n  {op}\n}}\n"
        ));
        let error = Graphql.emit(&model, &Options::default()).unwrap_err();
        assert!(
            error.message.contains("`demo.Empty` has no fields")
                && error.message.contains(&format!("GraphQL {kind} type")),
            "{}",
            error.message
        );
    }
}

#[test]
fn wire_names_graphql_can_spell_and_nullable_fields() {
    let src = "package w\n\
        enum Sign { @wire(\"PLUS\") plus, @wire(\"+1\") one, @wire(\"true\") yes }\n\
        record Item {\n  \
          @wire(\"itemId\") item_id: string\n  \
          @wire(\"assigned_by.any\") assigned: string\n  \
          @nullable note: string\n  \
          @nullable sign: Sign = none\n  \
          @nullable tags: list<string>?\n\
        }\n\
        record Clash { @wire(\"b\") a: string, @wire(\"a-b\") b: string }\n\
        service S {\n  \
          op find GET \"/items\" (@wire(\"StartTime\") start: string?, @wire(\"End>\") end: string?, sign: Sign = plus) -> Item\n    graphql query\n  \
          op clash GET \"/clash\" () -> Clash\n    graphql query\n\
        }\n";
    let text = only(&emit(&model(src)));
    for line in [
        "  itemId: String!\n",
        "  assigned: String!\n",
        "  note: String\n",
        "  sign: Sign\n",
        "  tags: [String!]\n",
        "  PLUS\n",
        "  one\n",
        "  yes\n",
        // `b` would be taken twice (the wire name of `a`, the identifier of `b`): identifiers.
        "  a: String!\n  b: String!\n",
        "  find(StartTime: String, end: String, sign: Sign! = PLUS): Item!",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
}
