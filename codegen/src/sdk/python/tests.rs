//! The Python SDK: the package's files for summit and the hostile workspace, names and byte
//! stability. mypy, pyright and ruff run on the output in tests/sdk-python.

use super::emit;
use crate::OutputFile;
use crate::sdk::{SdkOptions, build};
use crate::testing::{summit, text, workspace};

fn files_of(model: &charter::ir::Model) -> Vec<OutputFile> {
    emit(&build(model, &SdkOptions::default()))
}

#[test]
fn summit_is_a_package_with_a_module_per_charter_package() {
    let files = files_of(&summit());
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    insta::assert_snapshot!("summit_paths", paths.join("\n"));
    assert!(text(&files, "pyproject.toml").contains("name = \"summit\"\n"));
}

#[test]
fn output_is_byte_stable() {
    let model = summit();
    assert_eq!(files_of(&model), files_of(&model));
}

#[test]
fn summit_lineage_module() {
    let files = files_of(&summit());
    insta::assert_snapshot!(
        "summit_lineage",
        text(&files, "summit_sdk/summit/lineage/__init__.py")
    );
    insta::assert_snapshot!("summit_readme", text(&files, "README.md"));
}

#[test]
fn names_are_derived_for_pypi_and_import() {
    let model = workspace("tests/sdk/hostile");
    let files = emit(&build(&model, &crate::sdk::SdkOptions::default()));
    // `[sdk] name` is not read here (the options are empty): the workspace's name.
    assert!(text(&files, "pyproject.toml").contains("name = \"hostile\"\n"));
    let options = SdkOptions {
        name: Some("@Acme/Summit_SDK".into()),
        version: Some("3.0.0".into()),
        ..SdkOptions::default()
    };
    let files = emit(&build(&model, &options));
    let pyproject = text(&files, "pyproject.toml");
    assert!(
        pyproject.contains("name = \"acme-summit-sdk\"\n"),
        "{pyproject}"
    );
    assert!(pyproject.contains("version = \"3.0.0\"\n"), "{pyproject}");
    assert!(files.iter().any(|f| f.path == "acme_summit_sdk/py.typed"));
}

#[test]
fn python_names_never_shadow_or_collide() {
    let files = files_of(&workspace("tests/sdk/hostile-python"));
    let module = text(&files, "hostile_python_sdk/typing_/def_/__init__.py");
    for expected in [
        "class Id:",
        "    str_: str\n",
        "    type_: int | None = None\n",
        "    to_json_: str\n",
        "    self_: str\n",
        "    my_name: str\n",
        "    my_name_2: int\n",
        "    my_name_3: bool | None = None\n",
        "    l_: str\n",
        "class Object(_charter.OpenEnum):",
        "    KNOWN_2: typing.ClassVar[Object]\n",
        "    A docstring that tries to end early: \"\"\\\" and \\\\ and \\\\\"\"\\\" and a closing quote\\\"\n",
        "class AsyncClient:",
        "    def def_(\n",
        "        self_: Str,\n",
        "        headers_: str | None = None,\n",
        "    def match_(\n",
        "    def match_2(\n",
        "        c_: bool,\n",
        "            query={\"decode\": decode_},\n",
    ] {
        assert!(module.contains(expected), "{expected}\n{module}");
    }
}

#[test]
fn renamed_operations_keep_deprecated_methods() {
    let model = summit();
    let service = model
        .services
        .iter()
        .find(|s| s.name.name == "Lineage")
        .map(|s| s.name.clone());
    let Some(service) = service else {
        panic!("no Lineage service");
    };
    let options = SdkOptions {
        renames: vec![crate::sdk::Rename::Operation {
            service,
            old: "ingestEvent".into(),
            new: "ingest".into(),
        }],
        ..SdkOptions::default()
    };
    let files = emit(&build(&model, &options));
    let lineage = text(&files, "summit_sdk/summit/lineage/__init__.py");
    assert!(lineage.contains("    def ingest_event(\n"), "{lineage}");
    assert!(
        lineage
            .contains("        return self.ingest(body=body, headers=headers, timeout=timeout)\n"),
        "{lineage}"
    );
}

#[test]
fn renamed_records_keep_deprecated_aliases() {
    let options = SdkOptions {
        renames: vec![crate::sdk::Rename::Record {
            package: "summit.lineage".into(),
            old: "Receipt".into(),
            new: "IngestReceipt".into(),
        }],
        ..SdkOptions::default()
    };
    let model = summit();
    let files = emit(&build(&model, &options));
    let lineage = text(&files, "summit_sdk/summit/lineage/__init__.py");
    assert!(
        lineage.contains(
            "\n\nReceipt = IngestReceipt\n\"\"\"Deprecated: renamed to ``IngestReceipt``"
        ),
        "{lineage}"
    );
}

#[test]
fn wire_names_nullables_and_statuses() {
    let files = files_of(&workspace("tests/sdk/wire"));
    insta::assert_snapshot!(
        "wire_tracker",
        text(&files, "wire_sdk/wire/tracker/__init__.py")
    );
}
