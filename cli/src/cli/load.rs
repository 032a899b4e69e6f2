//! Reading a workspace from disk: the manifest, the source folders, every `.charter` file.

use std::path::{Path, PathBuf};

use charter::config::{self, Config};
use charter::db::{Database, Workspace};
use charter::diagnostics::{Diagnostic, codes};
use charter::syntax::Span;
use charter::workspace::{self, Input};

/// The largest source file Charter reads.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

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
    let manifest_text = match std::fs::read(&manifest_path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
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
        },
        Err(error) => {
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
    };
    let (config, manifest_diags) = workspace::manifest(&manifest_text);
    load_diags.extend(manifest_diags);
    let mut inputs = Vec::new();
    let out_dir = root.join(&config.out);
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
        let mut files = Vec::new();
        collect(&dir, &out_dir, &mut files);
        files.sort();
        for file in files {
            let rel = relative(&root, &file);
            if inputs.iter().any(|i: &Input| i.path == rel) {
                continue;
            }
            match read_source(&file, &rel) {
                Ok(text) => inputs.push(Input { path: rel, text }),
                Err(d) => load_diags.push(*d),
            }
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

fn unreadable(rel: &str, error: &std::io::Error) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            codes::E9006,
            format!("cannot read `{rel}`: {error}"),
            rel,
            Span::default(),
        )
        .with_help("check the file's permissions"),
    )
}

/// Reads one source file, with the checks every file gets (size, UTF-8).
pub fn read_source(file: &Path, rel: &str) -> Result<String, Box<Diagnostic>> {
    let meta = std::fs::metadata(file).map_err(|e| unreadable(rel, &e))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Box::new(
            Diagnostic::error(
                codes::E9004,
                format!(
                    "`{rel}` is {} bytes; the limit is {} MiB ({MAX_FILE_BYTES} bytes)",
                    meta.len(),
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
                rel,
                Span::default(),
            )
            .with_help("split the file: a package may span many files in its folder"),
        ));
    }
    let bytes = std::fs::read(file).map_err(|e| unreadable(rel, &e))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let d = Diagnostic::error(
            codes::E9003,
            format!("`{rel}` is not UTF-8 (invalid byte at offset {at})"),
            rel,
            Span::default(),
        )
        .with_help("save the file as UTF-8");
        Box::new(d)
    })
}

fn collect(dir: &Path, out_dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let hidden = name.to_string_lossy().starts_with('.');
        if path.is_dir() {
            if !hidden && path != out_dir && name != "target" && name != "node_modules" {
                collect(&path, out_dir, files);
            }
        } else if path.extension().is_some_and(|e| e == "charter") {
            files.push(path);
        }
    }
}

/// `path` relative to `root`, with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
