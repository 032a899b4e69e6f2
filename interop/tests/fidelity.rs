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
    let model = charter::testing::checked_model(config, files)
        .unwrap_or_else(|errors| panic!("the imported workspace does not check: {errors:?}"));
    let out = charter_codegen::openapi::OpenApi
        .emit(&model, &Options::default())
        .unwrap();
    out.iter()
        .map(|f| String::from_utf8(f.bytes.clone()).unwrap())
        .collect()
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
fixture!(wire_losses_are_warned, "wire-losses.yaml");
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
