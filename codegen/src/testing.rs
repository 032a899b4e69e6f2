//! Test helpers shared by every target's tests: models from source text and the summit example.

#![expect(
    clippy::disallowed_methods,
    reason = "tests read their fixtures from the repository"
)]

use charter::ir::Model;

pub(crate) fn model_of(config: charter::config::Config, files: Vec<(String, String)>) -> Model {
    charter::testing::checked_model(config, files).unwrap_or_else(|errors| panic!("{errors:?}"))
}

pub(crate) fn summit() -> Model {
    let (config, files) = summit_files(|_, text| text);
    model_of(config, files)
}

/// The summit example's manifest and sources, each source text passed through `edit` (with
/// its path relative to the example), in the order the folders are walked.
pub(crate) fn summit_files(
    edit: impl Fn(&str, String) -> String,
) -> (charter::config::Config, Vec<(String, String)>) {
    workspace_files("examples/summit", edit)
}

/// The model of a workspace folder of the repository (`examples/hello`), sources in path order.
pub(crate) fn workspace(folder: &str) -> Model {
    let (config, mut files) = workspace_files(folder, |_, text| text);
    files.sort();
    model_of(config, files)
}

/// A workspace folder's manifest and sources (see [`summit_files`]).
pub(crate) fn workspace_files(
    folder: &str,
    edit: impl Fn(&str, String) -> String,
) -> (charter::config::Config, Vec<(String, String)>) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(folder);
    let manifest = std::fs::read_to_string(root.join("charter.toml")).unwrap();
    let (config, _) = charter::workspace::manifest(&manifest);
    let mut files = Vec::new();
    let mut stack = vec![root.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "charter") {
                let rel = path
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = edit(&rel, std::fs::read_to_string(&path).unwrap());
                files.push((rel, text));
            }
        }
    }
    (config, files)
}

/// A one-file workspace `demo` version `1.0.0`.
pub(crate) fn model(source: &str) -> Model {
    let (mut config, _) = charter::workspace::manifest(
        "[package]\nname = \"demo\"\nversion = \"1.0.0\"\n[build]\nsources = [\"src\"]\n",
    );
    config.name = "demo".into();
    model_of(config, vec![("src/demo.charter".into(), source.into())])
}

/// The text of the output file at `path`; panics naming the files there are when it is missing.
pub(crate) fn text<'a>(files: &'a [crate::OutputFile], path: &str) -> &'a str {
    let file = files.iter().find(|f| f.path == path).unwrap_or_else(|| {
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        panic!("no {path} in {paths:?}")
    });
    std::str::from_utf8(&file.bytes).unwrap()
}
