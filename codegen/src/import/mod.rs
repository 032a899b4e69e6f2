//! Importers: documents of other API description languages turned into Charter source.

pub mod graphql;

/// What an importer produces: formatted Charter source files and what it could not express.
pub struct Imported {
    pub files: Vec<crate::OutputFile>,
    pub warnings: Vec<ImportWarning>,
}
/// A construct of the source document Charter cannot express (yet); never a silent loss.
pub struct ImportWarning {
    pub code: &'static str,
    pub construct: String,
    pub location: String,
    pub message: String,
}
/// The document cannot be imported at all.
pub struct ImportError {
    pub code: &'static str,
    pub message: String,
    pub location: Option<String>,
    pub help: Option<String>,
}
