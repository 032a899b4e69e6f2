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
