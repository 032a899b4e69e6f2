//! Building a [`Workspace`] from texts already read. The CLI and the LSP read files; this
//! module only decides what those texts mean together.

use crate::config::{self, Config};
use crate::db::{Database, SourceFile, Workspace, durability};
use crate::diagnostics::Diagnostic;
use crate::stdlib;

/// A source file as read from disk (or an editor buffer).
pub struct Input {
    /// The path diagnostics use, relative to the workspace root with `/` separators.
    pub path: String,
    pub text: String,
}

/// Creates the workspace input: the standard library, then `files` in path order.
pub fn create(
    db: &Database,
    config: Config,
    mut files: Vec<Input>,
    load_diagnostics: Vec<Diagnostic>,
) -> Workspace {
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut handles: Vec<SourceFile> = stdlib::FILES
        .iter()
        .map(|(path, text)| {
            SourceFile::builder((*path).to_string(), (*text).to_string())
                .durability(durability::STDLIB)
                .new(db)
        })
        .collect();
    handles.extend(files.into_iter().map(|f| {
        SourceFile::builder(f.path, f.text)
            .durability(durability::DISK)
            .new(db)
    }));
    Workspace::builder(handles, config, load_diagnostics)
        .durability(durability::WORKSPACE)
        .new(db)
}

/// Parses a manifest's text: the config and its diagnostics.
pub fn manifest(text: &str) -> (Config, Vec<Diagnostic>) {
    config::parse(config::MANIFEST, text)
}

/// Convenience for tests and tools: a workspace from in-memory files with default settings.
pub fn from_sources(db: &Database, files: &[(&str, &str)]) -> Workspace {
    let inputs = files
        .iter()
        .map(|(path, text)| Input {
            path: (*path).to_string(),
            text: (*text).to_string(),
        })
        .collect();
    create(db, Config::default(), inputs, Vec::new())
}
