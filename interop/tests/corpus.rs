//! The importers' corpus: one document per case under `tests/corpus/` and, beside it, what
//! `charter import` shows for it (`NAME.EXT.out`: every diagnostic rendered as text, with the
//! document's line in the frame, then the written files' paths). `drift/NAME/` holds an
//! `expected.yaml` and an `actual.yaml` and the differences `charter drift` lists (`out`).
//!
//! A document's first line may be `# corpus: --package NAME` (YAML and GraphQL comments).
//! `UPDATE_CORPUS=1 cargo test -p charter-interop --test corpus` rewrites the `.out` files;
//! review them before committing.
//!
//! The last test checks that every import and drift code of the table (`E8xxx`, `W8xxx`) that
//! can be reported has a case, and that no case reports a retired code.

#![expect(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    reason = "tests fail loudly, and read and (with UPDATE_CORPUS) write their fixtures"
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use charter::diagnostics::codes::{self, CodeInfo};
use charter::diagnostics::render::{self, Sources};
use charter::diagnostics::{Code, Diagnostic};

/// Codes no document can produce, and why: each is tested where it can happen.
const NOT_FROM_A_DOCUMENT: &[(&str, &str)] = &[
    (
        "E8007",
        "the output folder, which only the CLI writes (cli/tests/import_*.rs)",
    ),
    (
        "E8009",
        "an importer bug: no document triggers it on purpose; the GraphQL importer's \
         truncation test asserts it never happens",
    ),
    (
        "E8110",
        "the workspace has no such service: about the workspace, not a document \
         (cli/tests/drift.rs)",
    ),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// The documents of one importer's folder (not the `.out` files).
fn documents(importer: &str) -> Vec<PathBuf> {
    files(&root().join(importer))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e != "out"))
        .collect()
}

fn package_of(text: &str) -> Option<String> {
    let first = text.lines().next()?;
    let rest = first.strip_prefix("# corpus: --package ")?;
    Some(rest.trim().to_string())
}

/// Imports one document and returns its diagnostics and what was written.
fn import(importer: &str, name: &str, text: &str) -> (Vec<Diagnostic>, Vec<String>) {
    let package = package_of(text);
    let result = match importer {
        "openapi" => charter_interop::openapi::import(text, name, package.as_deref()),
        _ => charter_interop::graphql::import(text, name, package.as_deref().unwrap_or("demo")),
    };
    match result {
        Ok(imported) => (
            imported
                .warnings
                .iter()
                .map(charter_interop::ImportWarning::to_diagnostic)
                .collect(),
            imported.files.iter().map(|f| f.path.clone()).collect(),
        ),
        Err(error) => (vec![error.to_diagnostic()], Vec::new()),
    }
}

/// What a case shows: the diagnostics as `charter import` prints them, then the files.
fn rendered(diagnostics: &[Diagnostic], written: &[String], name: &str, text: &str) -> String {
    let mut sources = Sources::new();
    sources.insert(name.to_string(), text.to_string());
    let mut out = render::text(diagnostics, &sources, false);
    if written.is_empty() {
        out.push_str("nothing written\n");
    }
    for file in written {
        out.push_str(&format!("wrote {file}\n"));
    }
    out
}

/// Compares `actual` with the `.out` file (or rewrites it), returning a failure message.
fn check(out: &Path, actual: &str) -> Option<String> {
    if std::env::var_os("UPDATE_CORPUS").is_some() {
        std::fs::write(out, actual).unwrap();
        return None;
    }
    let expected = std::fs::read_to_string(out).unwrap_or_default();
    (expected != actual).then(|| {
        format!(
            "{}:\n--- expected\n{expected}\n--- actual\n{actual}",
            out.display()
        )
    })
}

/// Every import case, with the codes its diagnostics carry.
fn import_cases() -> Vec<(PathBuf, String, Vec<Code>)> {
    let mut cases = Vec::new();
    for importer in ["openapi", "graphql"] {
        for path in documents(importer) {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let (diagnostics, written) = import(importer, &name, &text);
            let codes = diagnostics.iter().map(|d| d.code).collect();
            let shown = rendered(&diagnostics, &written, &name, &text);
            cases.push((path, shown, codes));
        }
    }
    cases
}

/// Every drift case: the differences as `charter drift` prints them, and their codes.
fn drift_cases() -> Vec<(PathBuf, String, Vec<Code>)> {
    let mut cases = Vec::new();
    for dir in files(&root().join("drift")) {
        let load = |name: &str| {
            let text = std::fs::read_to_string(dir.join(name)).unwrap();
            charter_interop::openapi::doc::load(&text, name)
                .unwrap()
                .root
        };
        let differences =
            charter_interop::compare::compare(&load("expected.yaml"), &load("actual.yaml"));
        let mut shown = String::new();
        for d in &differences {
            let op = d
                .operation
                .as_deref()
                .map(|o| format!("{o}: "))
                .unwrap_or_default();
            shown.push_str(&format!(
                "error[{}]: {op}{}\n  at #{}\n",
                d.kind.code().as_str(),
                d.message,
                d.pointer
            ));
        }
        let codes = differences.iter().map(|d| d.kind.code()).collect();
        cases.push((dir.join("out"), shown, codes));
    }
    cases
}

#[test]
fn every_case_shows_what_its_out_file_says() {
    let mut failures = Vec::new();
    for (path, shown, _) in import_cases() {
        let out = PathBuf::from(format!("{}.out", path.display()));
        failures.extend(check(&out, &shown));
    }
    for (out, shown, _) in drift_cases() {
        failures.extend(check(&out, &shown));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn is_import_code(info: &CodeInfo) -> bool {
    info.code.as_str().get(1..2) == Some("8")
}

#[test]
fn every_import_and_drift_code_has_a_case() {
    let mut covered = BTreeSet::new();
    for (_, _, found) in import_cases().into_iter().chain(drift_cases()) {
        covered.extend(found);
    }
    let missing: Vec<&str> = codes::ALL
        .iter()
        .filter(|info| is_import_code(info) && info.alias_of.is_none())
        .map(|info| info.code.as_str())
        .filter(|code| !covered.iter().any(|c| c.as_str() == *code))
        .filter(|code| !NOT_FROM_A_DOCUMENT.iter().any(|(c, _)| c == code))
        .collect();
    assert!(missing.is_empty(), "no corpus case reports {missing:?}");
    let retired: Vec<&str> = covered
        .iter()
        .filter(|c| codes::info(**c).is_some_and(|i| i.alias_of.is_some()))
        .map(|c| c.as_str())
        .collect();
    assert!(retired.is_empty(), "retired codes reported: {retired:?}");
    for (code, _) in NOT_FROM_A_DOCUMENT {
        assert!(codes::lookup(code).is_some(), "{code} is not in the table");
        assert!(
            !covered.iter().any(|c| c.as_str() == *code),
            "{code} has a case now: take it off NOT_FROM_A_DOCUMENT"
        );
    }
}
