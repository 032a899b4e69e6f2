//! The evolved generated workspace (`charter-gen --evolve`) checks without errors, and
//! `charter diff` finds the edits `charter_bench::evolve` makes, in every package.

use std::collections::BTreeMap;

use charter::db::Database;
use charter::ir::Model;

fn model(files: &[(String, String)], manifest: &str) -> Model {
    let db = Database::default();
    let (config, diags) = charter::workspace::manifest(manifest);
    assert!(diags.is_empty(), "{diags:?}");
    let ws = charter::workspace::create(&db, config, charter_bench::inputs(files), Vec::new());
    let errors: Vec<_> = charter::semantics::diagnostics(&db, ws)
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    charter::semantics::model(&db, ws).clone()
}

#[test]
fn evolved_workspace_checks_and_diffs() {
    let files = charter_bench::generate(4, 1);
    let old = model(&files, &charter_bench::manifest());
    let new = model(
        &charter_bench::evolve::evolve(&files),
        &charter_bench::evolve::manifest(),
    );
    assert_eq!(new.version, "4.0.0");
    let changes = charter::evolution::diff(&old, &new);
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &changes {
        *by_kind.entry(c.kind.id).or_default() += 1;
    }
    // One canary promoted, one operation out of GraphQL, one field and one enum value per
    // domain package.
    assert_eq!(by_kind.get("C4109"), Some(&4), "{by_kind:?}");
    assert_eq!(by_kind.get("C3109"), Some(&4), "{by_kind:?}");
    let fields: usize = ["C1002", "C1003"]
        .iter()
        .filter_map(|k| by_kind.get(k))
        .sum();
    assert_eq!(fields, 4, "{by_kind:?}");
    let values: usize = ["C2003", "C2004", "C2005"]
        .iter()
        .filter_map(|k| by_kind.get(k))
        .sum();
    assert_eq!(values, 4, "{by_kind:?}");
}
