//! Test helpers: the model of an imported workspace.

use charter::db::Database;
use charter::ir::Model;

/// The model of a workspace given as (path, text) pairs; it must check without errors.
pub(crate) fn model_of(config: charter::config::Config, files: Vec<(String, String)>) -> Model {
    let db = Database::default();
    let inputs = files
        .into_iter()
        .map(|(path, text)| charter::workspace::Input { path, text })
        .collect();
    let ws = charter::workspace::create(&db, config, inputs, Vec::new());
    let errors: Vec<_> = charter::semantics::diagnostics(&db, ws)
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    charter::semantics::model(&db, ws).clone()
}
