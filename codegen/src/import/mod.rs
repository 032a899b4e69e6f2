//! Importers: other contract languages to Charter source. Each importer is IO-free: it takes the
//! document's text and returns formatted Charter files plus warnings for what Charter cannot
//! express. `compare` is the semantic comparison of two OpenAPI documents (round trips, drift).

pub mod compare;
pub mod graphql;
pub mod openapi;

use crate::OutputFile;

/// What an importer produces: formatted Charter source files and what it could not express.
#[derive(Debug, Clone)]
pub struct Imported {
    pub files: Vec<OutputFile>,
    pub warnings: Vec<ImportWarning>,
}

/// A construct of the source document Charter cannot express (yet); never a silent loss.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportWarning {
    pub code: &'static str,
    pub construct: String,
    /// `FILE:LINE:COL`, optionally followed by ` (#/json/pointer)`; or `FILE (#/json/pointer)`.
    pub location: String,
    pub message: String,
}

/// The document cannot be imported at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub code: &'static str,
    pub message: String,
    pub location: Option<String>,
    pub help: Option<String>,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// `FILE:LINE:COL` at the start of a location, as (file, line, column).
pub fn split_location(location: &str) -> Option<(&str, usize, usize)> {
    let head = location.split(" (#").next().unwrap_or(location);
    let (rest, col) = head.rsplit_once(':')?;
    let (file, line) = rest.rsplit_once(':')?;
    Some((file, line.parse().ok()?, col.parse().ok()?))
}
