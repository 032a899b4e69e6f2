//! The TypeScript SDK: snapshots of examples/hello and of summit's lineage module, the hostile
//! workspace (tests/sdk/hostile), names and byte stability. `tsc --strict` runs on the output
//! in tests/sdk (node).

use super::emit;
use crate::OutputFile;
use crate::sdk::{SdkOptions, build};
use crate::testing::{model, summit, text, workspace};

fn files_of(model: &charter::ir::Model) -> Vec<OutputFile> {
    emit(&build(model, &SdkOptions::default()))
}

#[test]
fn hello() {
    let files = files_of(&workspace("examples/hello"));
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    insta::assert_snapshot!("hello_paths", paths.join("\n"));
    insta::assert_snapshot!("hello_package_json", text(&files, "package.json"));
    insta::assert_snapshot!("hello_index", text(&files, "src/index.ts"));
    insta::assert_snapshot!("hello_readme", text(&files, "README.md"));
}

#[test]
fn summit_lineage_module() {
    let files = files_of(&summit());
    insta::assert_snapshot!("summit_lineage", text(&files, "src/summit.lineage.ts"));
    insta::assert_snapshot!("summit_readme", text(&files, "README.md"));
}

#[test]
fn output_is_byte_stable() {
    let summit = summit();
    assert_eq!(files_of(&summit), files_of(&summit));
}

#[test]
fn the_runtime_is_copied_verbatim() {
    let files = files_of(&summit());
    for (name, source) in super::RUNTIME {
        assert_eq!(text(&files, &format!("src/runtime/{name}")), *source);
    }
}

#[test]
fn hostile_names_are_escaped_and_comments_stay_closed() {
    let files = files_of(&workspace("tests/sdk/hostile"));
    let default = text(&files, "src/hostile.default.ts");
    // `class` and `Class` both want `Class`: the first declared keeps it.
    assert!(default.contains("export interface Class {"), "{default}");
    assert!(default.contains("export interface Class_2 {"), "{default}");
    assert!(default.contains("export type Type = \"default\" | \"class\" | \"None\" | \"async\";"));
    let class = text(&files, "src/hostile.class.ts");
    assert!(class.contains("export class PackageClient {"));
    assert!(class.contains("export class PackageClient_2 {"));
    // `import` and `Import` both become `import`; `constructor` is the class's own.
    assert!(class.contains("  import(params"));
    assert!(class.contains("  import_2(params"));
    assert!(class.contains("  constructor_2(params"));
    // Every `*/` closes a comment that a `/**` opened: doc text never ends one early.
    for file in [default, class] {
        for line in file.lines() {
            let comment = line.trim_start().starts_with('*') || line.trim_start().starts_with("/*");
            if comment && line.contains("*/") {
                assert_eq!(line.trim(), "*/", "{line}");
            }
        }
    }
    let package = text(&files, "package.json");
    assert!(package.contains("\"name\": \"@hostile/sdk\"") || package.contains("\"hostile\""));
}

#[test]
fn integers_are_safe_and_sets_unique() {
    let files = files_of(&model(
        r#"package demo

record Page {
  total: int
  tags: set<string>
  score: decimal in 0..100
}

service S version "1.0.0" {
  op get GET "/p" () -> Page
}
"#,
    ));
    let demo = text(&files, "src/demo.ts");
    assert!(
        demo.contains("{ name: \"total\", check: $v.int, required: true }"),
        "{demo}"
    );
    assert!(demo.contains("$v.set($v.string)"), "{demo}");
    assert!(demo.contains("$v.range($v.float, 0.0, 100.0)"), "{demo}");
    assert!(
        demo.contains("get(options?: $rt.CallOptions): Promise<$rt.Result<Page>>"),
        "{demo}"
    );
}

#[test]
fn compat_shims_keep_old_names_as_deprecated_aliases() {
    use crate::sdk::Rename;
    let model = model(
        r#"package demo

record Item {
  id: int
}

service Shop version "1.0.0" {
  op get_item GET "/items/{id}" (id: int) -> Item
}
"#,
    );
    let options = SdkOptions {
        renames: vec![
            Rename::Record {
                package: "demo".into(),
                old: "Article".into(),
                new: "Item".into(),
            },
            Rename::Operation {
                service: charter::ir::QualName::new("demo", "Shop"),
                old: "fetch".into(),
                new: "get_item".into(),
            },
        ],
        ..SdkOptions::default()
    };
    let files = emit(&build(&model, &options));
    let demo = text(&files, "src/demo.ts");
    assert!(
        demo.contains("@deprecated use Item\n */\nexport type Article = Item;"),
        "{demo}"
    );
    assert!(demo.contains("export const Article = Item;"), "{demo}");
    assert!(
        demo.contains("  fetch(...args: Parameters<ShopClient[\"getItem\"]>): ReturnType<ShopClient[\"getItem\"]> {"),
        "{demo}"
    );
    // Without renames, no alias.
    assert!(!text(&files_of(&model), "src/demo.ts").contains("Article"));
}

#[test]
fn wire_names_nullables_and_statuses() {
    let files = files_of(&workspace("tests/sdk/wire"));
    insta::assert_snapshot!("wire_tracker", text(&files, "src/wire.tracker.ts"));
}
