//! Reading a workspace from disk: the manifest, the source folders, every `.charter` file.

use std::path::{Path, PathBuf};

use charter::config::{self, Config};
use charter::db::{Database, Workspace};
use charter::diagnostics::{Diagnostic, codes};
use charter::syntax::Span;
use charter::workspace::{self, Input};
use charter_lsp::disk;

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
/// `charter.toml`.
pub fn find_root(path: &Path) -> Option<PathBuf> {
    let start = if path.is_file() { path.parent()? } else { path };
    let start = std::fs::canonicalize(start).ok()?;
    start
        .ancestors()
        .find(|dir| dir.join(config::MANIFEST).is_file())
        .map(Path::to_path_buf)
}

pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    if !path.exists() {
        return Err(LoadError {
            diagnostic: Box::new(
                Diagnostic::error(
                    codes::E9006,
                    format!("`{}` does not exist", path.display()),
                    &path.display().to_string(),
                    Span::default(),
                )
                .with_help("give the path of a workspace folder (the folder holding charter.toml)"),
            ),
        });
    }
    let Some(root) = find_root(path) else {
        return Err(LoadError {
            diagnostic: Box::new(Diagnostic::error(codes::E9001, format!("no charter.toml in `{}` or its parents", path.display()), config::MANIFEST, Span::default())
                .with_help("create charter.toml at the workspace root with [package] name and version; see `charter explain E9001`")),
        });
    };
    let manifest_path = root.join(config::MANIFEST);
    let mut load_diags = Vec::new();
    // The manifest is read by the same rules as sources: a regular file inside the workspace.
    let manifest_text = match disk::read(&root, &manifest_path) {
        Ok(text) => text,
        Err(disk::ReadError::NotUtf8(_)) => {
            return Err(LoadError {
                diagnostic: Box::new(
                    Diagnostic::error(
                        codes::E9003,
                        "charter.toml is not UTF-8",
                        config::MANIFEST,
                        Span::default(),
                    )
                    .with_help("save the file as UTF-8"),
                ),
            });
        }
        Err(disk::ReadError::Io(error)) => {
            return Err(LoadError {
                diagnostic: Box::new(
                    Diagnostic::error(
                        codes::E9006,
                        format!("cannot read charter.toml: {error}"),
                        config::MANIFEST,
                        Span::default(),
                    )
                    .with_help("check the file's permissions"),
                ),
            });
        }
        Err(other) => {
            return Err(LoadError {
                diagnostic: Box::new(other.diagnostic(config::MANIFEST)),
            });
        }
    };
    let (config, manifest_diags) = workspace::manifest(&manifest_text);
    load_diags.extend(manifest_diags);
    let mut inputs = Vec::new();
    let out_dir = root.join(&config.out);
    let mut folders = Vec::new();
    for source in &config.sources {
        let dir = root.join(source);
        if !dir.is_dir() {
            load_diags.push(
                Diagnostic::error(
                    codes::E9006,
                    format!("source folder `{source}` does not exist"),
                    config::MANIFEST,
                    span_of(&manifest_text, source),
                )
                .with_help("create the folder, or fix `[build] sources` in charter.toml"),
            );
            continue;
        }
        folders.push(dir);
    }
    // Only regular files inside the workspace are read (docs/output.md); the rest is E9007.
    let found = disk::discover(&root, &folders, &out_dir);
    for (path, why) in &found.refused {
        load_diags.push(disk::refused(&relative(&root, path), why));
    }
    for file in found.files {
        let rel = relative(&root, &file);
        if inputs.iter().any(|i: &Input| i.path == rel) {
            continue;
        }
        match read_source(&root, &file, &rel) {
            Ok(text) => inputs.push(Input { path: rel, text }),
            Err(d) => load_diags.push(*d),
        }
    }
    let db = Database::default();
    let ws = workspace::create(&db, config.clone(), inputs, load_diags);
    Ok(Loaded {
        root,
        config,
        db,
        ws,
    })
}

fn span_of(text: &str, needle: &str) -> Span {
    text.find(needle)
        .map_or(Span::default(), |i| Span::new(i, i + needle.len()))
}

/// Reads one source file inside the workspace `root`, with the checks every file gets (a
/// regular file inside the workspace, the size limit while reading, UTF-8).
pub fn read_source(root: &Path, file: &Path, rel: &str) -> Result<String, Box<Diagnostic>> {
    disk::read(root, file).map_err(|e| Box::new(e.diagnostic(rel)))
}

/// `path` relative to `root`, with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
