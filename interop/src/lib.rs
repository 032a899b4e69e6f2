//! Other contract languages and Charter, IO-free. The importers (`openapi`, `graphql`) take a
//! document's text and return formatted Charter files plus warnings for what Charter cannot
//! express; `compare` is the semantic comparison of two OpenAPI documents (round trips,
//! `charter drift`). Warnings and errors carry codes from the compiler's table
//! ([`charter::diagnostics::codes`]) and [`Location`]s into the imported document, and become
//! ordinary [`Diagnostic`]s with [`ImportWarning::to_diagnostic`] and
//! [`ImportError::to_diagnostic`].

pub mod compare;
pub mod graphql;
mod location;
pub mod openapi;
#[cfg(test)]
mod testing;

use std::sync::Arc;

use charter::diagnostics::{Code, Diagnostic, Severity};

pub use location::{Cursor, Lines, Location, Position};

/// One file an importer writes, relative to the new workspace's root (`/` separators).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile {
            path: path.into(),
            text: text.into(),
        }
    }
}

/// What an importer produces: formatted Charter source files and what it could not express.
#[derive(Debug, Clone)]
pub struct Imported {
    pub files: Vec<SourceFile>,
    pub warnings: Vec<ImportWarning>,
}

/// A construct of the source document Charter cannot express (yet); never a silent loss.
///
/// The construct and the message are shared strings: an import may warn 100,000 times, mostly
/// with a few distinct texts, and the importer interns them (only the location is per warning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportWarning {
    /// A warning code of the table (`W8xxx`).
    pub code: Code,
    pub construct: Arc<str>,
    pub location: Location,
    pub message: Arc<str>,
}

impl ImportWarning {
    /// The warning as a diagnostic against the imported document (its text is the source of
    /// `location.file`): the construct in the message, the importer's explanation as help, the
    /// JSON pointer as a note.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let mut d = self.location.diagnostic(
            self.code,
            Severity::Warning,
            format!("{} is not imported as written", self.construct),
        );
        d.help(self.message.to_string());
        d
    }
}

/// The document cannot be imported at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// An error code of the table (`E8xxx`).
    pub code: Code,
    pub message: String,
    /// Where in the document; `None` when the problem is not in it (an invalid `--package`).
    pub location: Option<Box<Location>>,
    pub help: Option<String>,
}

impl ImportError {
    /// The error as a diagnostic against the imported document. An error without a location
    /// (an invalid `--package`) names no file, so no line of the document is drawn for it.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let mut d = match &self.location {
            Some(location) => location.diagnostic(self.code, Severity::Error, self.message.clone()),
            None => Diagnostic::command_error(self.code, self.message.clone()),
        };
        if let Some(help) = &self.help {
            d.help(help.clone());
        }
        d
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}
