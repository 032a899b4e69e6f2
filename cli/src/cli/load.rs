//! Reading a workspace from disk (the manifest, then the sources through
//! `charter_lsp::workspace`, the one implementation the language server shares), and the one
//! "load, check, stop on errors" of every command that needs a model.

use std::path::{Path, PathBuf};

use charter::config::{self, Config};
use charter::db::{Database, Workspace};
use charter::diagnostics::render::Sources;
use charter::diagnostics::{Diagnostic, codes};
use charter::workspace;
use charter_lsp::disk;

pub use charter_lsp::workspace::relative;

/// A loaded workspace.
pub struct Loaded {
    pub root: PathBuf,
    pub config: Config,
    pub db: Database,
    pub ws: Workspace,
}

/// Why a workspace could not be loaded at all (exit code 2).
pub struct LoadError {
    pub diagnostic: Box<Diagnostic>,
}

/// Finds the workspace root for `path`: the folder itself, or the nearest parent, holding
/// `charter.toml`, with its links resolved.
pub fn find_root(path: &Path) -> Option<PathBuf> {
    let start = if path.is_file() { path.parent()? } else { path };
    charter_lsp::workspace::find_root(&std::fs::canonicalize(start).ok()?)
}

pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    let fail = |diagnostic: Diagnostic| LoadError {
        diagnostic: Box::new(diagnostic),
    };
    let shown = path.display().to_string();
    if !path.exists() {
        return Err(fail(
            Diagnostic::path_error(codes::E9006, format!("`{shown}` does not exist"), &shown)
                .with_help("give the path of a workspace folder (the folder holding charter.toml)"),
        ));
    }
    let Some(root) = find_root(path) else {
        return Err(fail(Diagnostic::path_error(codes::E9001, format!("no charter.toml in `{shown}` or its parents"), &shown)
                .with_help("create charter.toml at the workspace root with [package] name and version; see `charter explain E9001`")));
    };
    // The manifest is read by the same rules as sources: a regular file inside the workspace.
    let manifest_text = match disk::read(&root, &root.join(config::MANIFEST)) {
        Ok(text) => text,
        Err(disk::ReadError::NotUtf8(_)) => {
            return Err(fail(
                Diagnostic::path_error(codes::E9003, "charter.toml is not UTF-8", config::MANIFEST)
                    .with_help("save the file as UTF-8"),
            ));
        }
        Err(disk::ReadError::Io(error)) => {
            return Err(fail(
                Diagnostic::path_error(
                    codes::E9006,
                    format!("cannot read charter.toml: {error}"),
                    config::MANIFEST,
                )
                .with_help("check the file's permissions"),
            ));
        }
        Err(other) => return Err(fail(other.diagnostic(config::MANIFEST))),
    };
    let (config, mut load_diags) = workspace::manifest(&manifest_text);
    let (inputs, read_diags) = charter_lsp::workspace::read_sources(&root, &config, &manifest_text);
    load_diags.extend(read_diags);
    let db = Database::default();
    let ws = workspace::create(&db, config.clone(), inputs, load_diags);
    Ok(Loaded {
        root,
        config,
        db,
        ws,
    })
}

/// Why a command stopped before using the model: what to report, and the exit code (2 when the
/// workspace could not be loaded at all, 1 when it has errors).
pub struct Stopped {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
    pub exit: u8,
}

/// Loads the workspace at `path` and checks it (every file, on all cores); stops when it cannot
/// be loaded or has errors. Warnings do not stop it (`charter::semantics::diagnostics` still
/// has them, memoised).
pub fn checked(path: &Path) -> Result<Loaded, Stopped> {
    let loaded = load(path).map_err(|error| Stopped {
        diagnostics: vec![*error.diagnostic],
        sources: Sources::new(),
        exit: 2,
    })?;
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    loaded.db.prewarm(loaded.ws, threads);
    let diagnostics = charter::semantics::diagnostics(&loaded.db, loaded.ws);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Stopped {
            diagnostics: diagnostics.clone(),
            sources: super::sources_named(&loaded, diagnostics),
            exit: 1,
        });
    }
    Ok(loaded)
}

/// Reads one source file inside the workspace `root`, with the checks every file gets (a
/// regular file inside the workspace, the size limit while reading, UTF-8).
pub fn read_source(root: &Path, file: &Path, rel: &str) -> Result<String, Box<Diagnostic>> {
    disk::read(root, file).map_err(|e| Box::new(e.diagnostic(rel)))
}
