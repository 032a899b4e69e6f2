//! The GraphQL importer: snapshots of the stored fixtures, mappings, warnings and bad input.
//! `tests/graphql/graphql.test.mjs` compares the round trips with graphql-js.

#![expect(
    clippy::disallowed_methods,
    reason = "tests read their fixtures from the repository"
)]

use super::import;
use crate::{ImportError, Imported};
use charter::diagnostics::codes;
use charter_codegen::{Options, Target};

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/import/graphql")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

fn ok(text: &str) -> Imported {
    match import(text, "t.graphql", "demo") {
        Ok(imported) => imported,
        Err(e) => panic!("{} {} {:?}", e.code.as_str(), e.message, e.location),
    }
}

fn err(text: &str) -> ImportError {
    match import(text, "t.graphql", "demo") {
        Ok(imported) => panic!("imported: {}", source(&imported)),
        Err(e) => e,
    }
}

fn source(imported: &Imported) -> String {
    imported.files[0].text.clone()
}

fn warnings(imported: &Imported) -> String {
    imported
        .warnings
        .iter()
        .map(|w| {
            format!(
                "{} {} @ {}: {}\n",
                w.code.as_str(),
                w.construct,
                w.location,
                w.message
            )
        })
        .collect()
}

fn constructs(imported: &Imported) -> Vec<(&str, &str)> {
    imported
        .warnings
        .iter()
        .map(|w| (w.code.as_str(), &*w.construct))
        .collect()
}

/// The model of an imported workspace (it checks: `import` verified that already).
fn model_of(imported: &Imported) -> charter::ir::Model {
    let (mut config, _) = charter::workspace::manifest(&super::manifest("demo"));
    config.name = "demo".into();
    let files = imported
        .files
        .iter()
        .map(|f| (f.path.clone(), f.text.clone()))
        .collect();
    crate::testing::model_of(config, files)
}

#[test]
fn library_snapshot() {
    let imported = import(&fixture("library.graphql"), "library.graphql", "library")
        .unwrap_or_else(|e| panic!("{}", e.message));
    assert_eq!(imported.files.len(), 1);
    assert_eq!(imported.files[0].path, "src/library/library.charter");
    insta::assert_snapshot!("library_charter", source(&imported));
    insta::assert_snapshot!("library_warnings", warnings(&imported));
}

#[test]
fn swapi_imports_deterministically() {
    let text = fixture("swapi.graphql");
    let a = import(&text, "swapi.graphql", "swapi").unwrap_or_else(|e| panic!("{}", e.message));
    let b = import(&text, "swapi.graphql", "swapi").unwrap_or_else(|e| panic!("{}", e.message));
    assert_eq!(a.files, b.files);
    insta::assert_snapshot!("swapi_warnings", warnings(&a));
    let model = model_of(&a);
    // 6 resources, PageInfo, 22 connections and their edges; Node is an interface.
    let own = model
        .records
        .iter()
        .filter(|r| r.name.package == "swapi")
        .count();
    assert_eq!(own, 51);
    let ops: Vec<&str> = model.services[0]
        .ops
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(ops.len(), 12, "{ops:?}");
    assert!(!ops.contains(&"node"));
}

#[test]
fn imported_then_built_parses_again() {
    for (name, package) in [("library.graphql", "library"), ("swapi.graphql", "swapi")] {
        let imported =
            import(&fixture(name), name, package).unwrap_or_else(|e| panic!("{}", e.message));
        let (mut config, _) = charter::workspace::manifest(&super::manifest(package));
        config.name = package.into();
        let files = imported
            .files
            .iter()
            .map(|f| (f.path.clone(), f.text.clone()))
            .collect();
        let model = crate::testing::model_of(config, files);
        let out = charter_codegen::graphql::Graphql
            .emit(&model, &Options::default())
            .unwrap();
        assert_eq!(out.len(), 1);
        let text = std::str::from_utf8(&out[0].bytes).unwrap();
        async_graphql_parser::parse_schema(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    }
}

#[test]
fn types_nullability_and_defaults() {
    let imported = ok(r#"
        enum Colour { RED GREEN }
        input Filter { colour: Colour = RED, min: Float = 1e-7, max: Float = 2, tags: [String!] = ["a"] }
        type Thing { id: ID!, name: String, sizes: [Int]!, grid: [[Float!]] }
        type Query { things(filter: Filter!, first: Int = 10, names: [String!]): [Thing!]! }
    "#);
    let text = source(&imported);
    for wanted in [
        "type ID = string",
        "colour: Colour? = RED",
        "min: float? = 1.0e-7",
        "max: float? = 2",
        "tags: list<string>? = [\"a\"]",
        "id: ID",
        "name: string?",
        "sizes: list<int?>",
        "grid: list<list<float>?>?",
        "op things POST \"/things\" (first: int? = 10, names: list<string>?, body: Filter) -> list<Thing>",
    ] {
        assert!(text.contains(wanted), "missing {wanted:?} in\n{text}");
    }
    // `filter` becomes the body, named `input` by the graphql target, and `Filter` is written
    // back as `FilterInput`.
    assert_eq!(
        constructs(&imported),
        [
            ("W8051", "type Filter"),
            ("W8056", "argument Query.things(filter:)")
        ]
    );
}

#[test]
fn keywords_and_type_words_are_renamed() {
    // Fields and enum values keep their GraphQL name on the wire (`@wire`, unwarned); type,
    // operation and argument names are renamed with W8051.
    let imported = ok(r#"
        type string { in: Int, none: Boolean }
        enum when { and, OR }
        type Query { has(body: Int, not: String): string }
        type Mutation { has: when }
    "#);
    let text = source(&imported);
    for wanted in [
        "record string_ {",
        "@wire(\"none\")\n  none_: bool?",
        "/// GraphQL name: `when`.\nenum when_ {\n  @wire(\"and\")\n  and_,\n  OR,\n}",
        "@wire(\"in\")\n  in_: int?",
        "op has_ GET \"/has\" (body_: int?, not_: string?) -> string_?",
        "op has_2 POST \"/has\" () -> when_?",
    ] {
        assert!(text.contains(wanted), "missing {wanted:?} in\n{text}");
    }
    let renamed: Vec<&str> = imported
        .warnings
        .iter()
        .filter(|w| w.code == codes::W8051)
        .map(|w| &*w.construct)
        .collect();
    assert_eq!(
        renamed,
        [
            "type string",
            "type when",
            "field Query.has",
            "argument Query.has(body:)",
            "argument Query.has(not:)",
            "field Mutation.has",
        ]
    );
}

#[test]
fn unsupported_constructs_are_warned_with_positions() {
    let imported = ok("interface Node { id: ID! }\n\
         type A implements Node { id: ID!, node: Node, q: Query, x(a: Int): Int @key }\n\
         union U = A\n\
         directive @key on FIELD_DEFINITION\n\
         extend type A { y: Int }\n\
         type Query { a(\"doc\" id: ID @deprecated): A, u: U, deep(m: [[Int!]!]): Int, two(i: In, j: In): Int }\n\
         input In { v: Int }\n\
         type Subscription { tick: Int }\n\
         scalar Cursor\n\
         schema { query: Query subscription: Subscription }\n");
    let found: Vec<(&str, &str, String)> = imported
        .warnings
        .iter()
        .map(|w| (w.code.as_str(), &*w.construct, w.location.to_string()))
        .collect();
    for wanted in [
        ("W8050", "interface Node", "t.graphql:1:1"),
        ("W8050", "implements A", "t.graphql:2:1"),
        ("W8050", "field A.node", "t.graphql:2:41"),
        ("W8050", "field A.q", "t.graphql:2:50"),
        ("W8050", "arguments A.x", "t.graphql:2:57"),
        ("W8050", "directive @key", "t.graphql:2:72"),
        ("W8050", "union U", "t.graphql:3:1"),
        ("W8050", "directive @key", "t.graphql:4:1"),
        ("W8050", "extension A", "t.graphql:5:1"),
        ("W8055", "description Query.a(id:)", "t.graphql:6:16"),
        ("W8050", "deprecation Query.a(id:)", "t.graphql:6:29"),
        ("W8050", "field Query.u", "t.graphql:6:49"),
        ("W8050", "argument Query.deep(m:)", "t.graphql:6:57"),
        ("W8056", "argument Query.two(i:)", "t.graphql:6:81"),
        ("W8050", "argument Query.two(j:)", "t.graphql:6:88"),
        ("W8050", "subscription Subscription", "t.graphql:8:1"),
        ("W8052", "scalar Cursor", "t.graphql:9:1"),
    ] {
        let wanted = (wanted.0, wanted.1, wanted.2.to_string());
        assert!(found.contains(&wanted), "missing {wanted:?} in {found:#?}");
    }
    let text = source(&imported);
    assert!(text.contains("type Cursor = string"), "{text}");
    assert!(!text.contains("tick"), "{text}");
}

#[test]
fn defaults_that_do_not_fit_are_warned() {
    let imported = ok(r#"
        enum E { A }
        scalar When
        input I { e: E = B, n: Int = 1.5, w: When = "x", s: String = 3, o: I2 = {v: 1}, z: Int! = null }
        input I2 { v: Int }
        type Query { f(x: Int = 1): Int }
    "#);
    let defaults: Vec<&str> = imported
        .warnings
        .iter()
        .filter(|w| w.code == codes::W8053)
        .map(|w| &*w.construct)
        .collect();
    assert_eq!(
        defaults,
        [
            "default I.e",
            "default I.n",
            "default I.s",
            "default I.o",
            "default I.z"
        ]
    );
    assert!(source(&imported).contains("w: When? = \"x\""));
}

#[test]
fn deprecations_get_a_placeholder_date_and_the_reason_as_note() {
    let imported = ok(r#"
        type T { a: Int @deprecated(reason: "say \"no\"") }
        type Query { t: T @deprecated }
    "#);
    let text = source(&imported);
    assert!(
        text.contains("@deprecated(since: 1970-01-01, note: \"say \\\"no\\\"\")\n  a: int?"),
        "{text}"
    );
    assert!(
        text.contains("@deprecated(since: 1970-01-01)\n  op t GET"),
        "{text}"
    );
    assert_eq!(
        constructs(&imported),
        [
            ("W8054", "deprecation T.a"),
            ("W8054", "deprecation Query.t")
        ]
    );
}

#[test]
fn bad_documents_are_errors_with_locations() {
    for (text, code, location) in [
        ("type A {\n  a: Int\n", "E8001", Some("t.graphql:3:1")),
        ("type A { a: }", "E8001", Some("t.graphql:1:13")),
        ("", "E8051", Some("t.graphql")),
        ("# nothing\n ,,, \n", "E8051", Some("t.graphql")),
        ("type Query { a: B }", "E8052", Some("t.graphql:1:17")),
        (
            "input I { a: Query }\ntype Query { a: Int }",
            "E8052",
            Some("t.graphql:1:14"),
        ),
        (
            "type Query { a(x: Query): Int }",
            "E8052",
            Some("t.graphql:1:19"),
        ),
        (
            "schema { query: Q }\ntype Query { a: Int }",
            "E8052",
            Some("t.graphql"),
        ),
        (
            "type A { a: Int }\nenum A { X }",
            "E8054",
            Some("t.graphql:2:6"),
        ),
    ] {
        let e = err(text);
        assert_eq!(e.code.as_str(), code, "{text}: {}", e.message);
        let got = e.location.as_ref().map(ToString::to_string);
        assert_eq!(got.as_deref(), location, "{text}: {}", e.message);
        assert!(e.help.is_some(), "{text}");
    }
}

#[test]
fn limits_and_package_names() {
    let deep = format!(
        "type Query {{ a: {}Int{} }}",
        "[".repeat(65),
        "]".repeat(65)
    );
    assert_eq!(err(&deep).code, codes::E8005);
    let ok_depth = format!(
        "type Query {{ a: {}Int{} }}",
        "[".repeat(60),
        "]".repeat(60)
    );
    assert!(source(&ok(&ok_depth)).contains("list<list<"));
    let huge = format!("type Query {{ a: Int }}\n{}", "#".repeat(super::MAX_BYTES));
    assert_eq!(err(&huge).code, codes::E8005);
    for bad in ["Demo", "std", "std.x", "a..b", "9a", ""] {
        let e = import("type Query { a: Int }", "t.graphql", bad)
            .err()
            .map(|e| e.code);
        assert_eq!(e, Some(codes::E8006), "{bad}");
    }
}

#[test]
fn large_documents_import() {
    let mut text = String::from("type Query {\n");
    for i in 0..2000 {
        text.push_str(&format!("  get{i}(id: ID!): T{i}\n"));
    }
    text.push_str("}\n");
    for i in 0..2000 {
        text.push_str(&format!(
            "type T{i} {{ id: ID!, name: String, n{i}: [Int!] }}\n"
        ));
    }
    let imported = ok(&text);
    assert!(imported.warnings.is_empty());
    assert_eq!(model_of(&imported).services[0].ops.len(), 2000);
}

#[test]
fn every_truncation_is_an_error_or_a_checked_import() {
    // No prefix of a real document panics, and whatever imports also checks (`import` checks).
    let text = fixture("library.graphql");
    let mut cuts = 0;
    for end in (0..text.len())
        .step_by(7)
        .filter(|&i| text.is_char_boundary(i))
    {
        let prefix = text.get(..end).unwrap_or_default();
        if let Err(e) = import(prefix, "t.graphql", "demo") {
            assert_ne!(e.code, codes::E8009, "importer bug at {end}: {}", e.message);
            cuts += 1;
        }
    }
    assert!(cuts > 10, "{cuts}");
}
