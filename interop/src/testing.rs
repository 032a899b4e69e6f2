//! Test helpers: the model of an imported workspace.

use charter::ir::Model;

/// The model of a workspace given as (path, text) pairs; it must check without errors.
pub(crate) fn model_of(config: charter::config::Config, files: Vec<(String, String)>) -> Model {
    charter::testing::checked_model(config, files).unwrap_or_else(|errors| panic!("{errors:?}"))
}
