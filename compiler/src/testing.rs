//! Support for the tests of the crates built on this one (codegen, interop): the model of a
//! workspace given as file texts. No IO: the caller reads the files.

use crate::config::Config;
use crate::db::Database;
use crate::diagnostics::Diagnostic;
use crate::ir::Model;

/// The model of a workspace given as (path, text) pairs, or its errors if it does not check.
pub fn checked_model(
    config: Config,
    files: Vec<(String, String)>,
) -> Result<Model, Vec<Diagnostic>> {
    let db = Database::default();
    let inputs = files
        .into_iter()
        .map(|(path, text)| crate::workspace::Input { path, text })
        .collect();
    let ws = crate::workspace::create(&db, config, inputs, Vec::new());
    let errors: Vec<Diagnostic> = crate::semantics::diagnostics(&db, ws)
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    if errors.is_empty() {
        Ok(crate::semantics::model(&db, ws).clone())
    } else {
        Err(errors)
    }
}
