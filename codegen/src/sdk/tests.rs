//! The SDK model: which types each module declares, and how operations are seen.

use charter::ir::Method;

use super::{SdkOptions, TypeDecl, build, fields};
use crate::testing::{model, summit};

const SHOP: &str = r#"package demo

/// An item.
record Item {
  id: int
  note: string?
  count: int = 1
}

record Unused {
  x: int
}

enum Colour { red, green }

type Quantity = int in 1..10

service Shop version "1.0.0" at "/shop" {
  op get GET "/items/{id}" (id: int, colour: Colour?) -> Item
    errors { 404: Item }
  op put PUT "/items/{id}" (id: int, body: Item, q: Quantity = 2)
  @deprecated(since: 2026-01-01, use: get)
  op old POST "/old" (id: int) -> Item
}
"#;

#[test]
fn modules_declare_the_reached_types_only() {
    let model = model(SHOP);
    let sdk = build(&model, &SdkOptions::default());
    assert_eq!(sdk.name, "demo");
    assert_eq!(sdk.version, "1.0.0");
    let [module] = sdk.modules.as_slice() else {
        panic!("one module: {:?}", sdk.modules.len())
    };
    let names: Vec<&str> = module
        .types
        .iter()
        .map(|t| t.name().name.as_str())
        .collect();
    assert_eq!(names, ["Item", "Colour", "Quantity"]);
}

#[test]
fn operations_split_parameters_and_know_their_status() {
    let model = model(SHOP);
    let sdk = build(&model, &SdkOptions::default());
    let ops = &sdk.modules[0].services[0].ops;
    let get = &ops[0];
    assert_eq!(get.method, Method::Get);
    assert_eq!((get.base_path, get.path), ("/shop", "/items/{id}"));
    assert_eq!(get.path_params.len(), 1);
    assert_eq!(get.query_params.len(), 1);
    assert!(get.body.is_none());
    assert_eq!(get.success, 200);
    assert_eq!(get.errors.iter().map(|e| e.0).collect::<Vec<_>>(), [404]);
    assert!(get.idempotent);
    let put = &ops[1];
    assert!(put.body.is_some());
    assert_eq!(put.success, 204);
    assert!(put.idempotent);
    let old = &ops[2];
    assert!(!old.idempotent);
    assert!(old.deprecation.is_some());
}

#[test]
fn optional_and_defaulted_fields_may_be_absent_but_the_envelope_may_not() {
    let summit = summit();
    let sdk = build(&summit, &SdkOptions::default());
    let event = sdk
        .modules
        .iter()
        .flat_map(|m| &m.types)
        .find(|t| t.name().name == "LineageEvent")
        .copied()
        .unwrap();
    assert!(matches!(event, TypeDecl::Record(_)));
    let envelope = fields(event);
    assert!(envelope[0].envelope && !envelope[0].may_be_absent);
    let shop = model(SHOP);
    let sdk = build(&shop, &SdkOptions::default());
    let item = fields(sdk.modules[0].types[0]);
    let absent: Vec<bool> = item.iter().map(|f| f.may_be_absent).collect();
    assert_eq!(absent, [false, true, true]);
}

#[test]
fn options_name_the_package() {
    let model = model(SHOP);
    let options = SdkOptions {
        name: Some("@acme/shop".into()),
        version: Some("2.0.0".into()),
        go_module: None,
        renames: Vec::new(),
    };
    let sdk = build(&model, &options);
    assert_eq!(
        (sdk.name.as_str(), sdk.version.as_str()),
        ("@acme/shop", "2.0.0")
    );
}

#[test]
fn summit_has_a_module_per_package_with_services_or_types() {
    let model = summit();
    let sdk = build(&model, &SdkOptions::default());
    let packages: Vec<&str> = sdk.modules.iter().map(|m| m.package).collect();
    assert!(packages.contains(&"std.provenance"), "{packages:?}");
    assert!(packages.contains(&"summit.lineage"), "{packages:?}");
}

const RENAMED: &str = r#"package demo

record Item {
  id: int
}

service Shop version "1.0.0" {
  op get_item GET "/items/{id}" (id: int) -> Item
}
"#;

#[test]
fn renames_come_from_the_evolution_diff() {
    let new = model(RENAMED);
    let old = model(&RENAMED.replace("Item", "Article"));
    let found = super::renames(&charter::evolution::diff(&old, &new));
    assert_eq!(
        found,
        [super::Rename::Record {
            package: "demo".into(),
            old: "Article".into(),
            new: "Item".into()
        }]
    );
    let old = model(&RENAMED.replace("op get_item", "op fetch"));
    let found = super::renames(&charter::evolution::diff(&old, &new));
    assert_eq!(
        found,
        [super::Rename::Operation {
            service: charter::ir::QualName::new("demo", "Shop"),
            old: "fetch".into(),
            new: "get_item".into()
        }]
    );
}

const WIRE: &str = r#"package demo

record Item {
  @wire("item-id") id: int
  @nullable due: date
  @nullable note: string?
  plain: string?
}

enum Colour { @wire("in-progress") in_progress, red }

service Shop version "1.0.0" {
  @status(201)
  op create POST "/items" (@wire("dry-run") dry_run: bool?, body: Item) -> Item
  @status(202)
  op touch POST "/items/{id}/touch" (id: int, colour: Colour?)
  op get GET "/items/{id}" (id: int) -> Item
  op delete DELETE "/items/{id}" (id: int)
}
"#;

#[test]
fn fields_know_their_wire_names_and_whether_they_take_null() {
    let model = model(WIRE);
    let sdk = build(&model, &SdkOptions::default());
    let module = &sdk.modules[0];
    let item = module
        .types
        .iter()
        .find(|t| t.name().name == "Item")
        .copied()
        .expect("Item is reached");
    let seen: Vec<(&str, &str, bool, bool, bool)> = fields(item)
        .iter()
        .map(|f| {
            (
                f.field.name.as_str(),
                f.wire,
                f.may_be_absent,
                f.nullable,
                f.may_be_nothing(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("id", "item-id", false, false, false),
            ("due", "due", false, true, true),
            ("note", "note", true, true, true),
            ("plain", "plain", true, false, true),
        ]
    );
    let ops = &module.services[0].ops;
    let statuses: Vec<u16> = ops.iter().map(|op| op.success).collect();
    assert_eq!(statuses, [201, 202, 200, 204]);
    let create = &ops[0];
    assert_eq!(create.query_params[0].wire_name(), "dry-run");
    assert_eq!(create.query_params[0].name, "dry_run");
}
