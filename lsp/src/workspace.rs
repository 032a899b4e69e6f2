//! Finding and reading a workspace on disk, for the language server and `charter` alike: the
//! folder holding `charter.toml`, and the `.charter` files of its source folders, read by the
//! rules of [`crate::disk`]. The one implementation of workspace discovery.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use charter::config::{self, Config};
use charter::diagnostics::{Diagnostic, codes};
use charter::syntax::Span;
use charter::workspace::Input;

use crate::disk;

/// The workspace root for `path`: the folder itself (when `path` is a folder), or the nearest
/// parent, holding `charter.toml`. The path is taken as given (links are not resolved).
pub fn find_root(path: &Path) -> Option<PathBuf> {
    let start = if path.is_dir() { path } else { path.parent()? };
    start
        .ancestors()
        .find(|dir| dir.join(config::MANIFEST).is_file())
        .map(Path::to_path_buf)
}

/// The source files of the workspace at `root` (its manifest `manifest_text` parsed into
/// `config`), read from disk, and the diagnostics of loading them: a source folder that does
/// not exist (E9006, pointing into the manifest), entries that are not read (E9007), files that
/// cannot be read (E9003, E9004, E9006). Each file is read once, in path order.
pub fn read_sources(
    root: &Path,
    config: &Config,
    manifest_text: &str,
) -> (Vec<Input>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut folders = Vec::new();
    for source in &config.sources {
        let dir = root.join(source);
        if !dir.is_dir() {
            diagnostics.push(
                Diagnostic::error(
                    codes::E9006,
                    format!("source folder `{source}` does not exist"),
                    config::MANIFEST,
                    span_of(manifest_text, source),
                )
                .with_help("create the folder, or fix `[build] sources` in charter.toml"),
            );
            continue;
        }
        folders.push(dir);
    }
    // Only regular files inside the workspace are read (docs/output.md); the rest is E9007.
    let found = disk::discover(root, &folders, &root.join(&config.out));
    for (path, why) in &found.refused {
        diagnostics.push(disk::refused(&relative(root, path), why));
    }
    let read = read_all(root, &found.files);
    let mut inputs: Vec<Input> = Vec::with_capacity(read.len());
    let mut seen: HashSet<String> = HashSet::with_capacity(read.len());
    for (rel, text) in read {
        if seen.contains(&rel) {
            continue;
        }
        match text {
            Ok(text) => {
                seen.insert(rel.clone());
                inputs.push(Input { path: rel, text });
            }
            Err(why) => diagnostics.push(why.diagnostic(&rel)),
        }
    }
    (inputs, diagnostics)
}

/// Fewer files than this are read without starting threads.
const READ_ALONE: usize = 64;

/// Each file's relative path and text, in the order of `files`, read on every core
/// ([`charter::parallel::map`]; a workspace of thousands of files spends its load in system
/// calls), or on this thread for fewer than [`READ_ALONE`] files.
fn read_all(root: &Path, files: &[PathBuf]) -> Vec<(String, Result<String, disk::ReadError>)> {
    let reader = disk::Reader::new(root);
    let threads = std::thread::available_parallelism()
        .ok()
        .filter(|_| files.len() >= READ_ALONE);
    charter::parallel::map(files, threads, |file| {
        (relative(root, file), reader.read(file))
    })
}

fn span_of(text: &str, needle: &str) -> Span {
    text.find(needle)
        .map_or(Span::default(), |i| Span::new(i, i + needle.len()))
}

/// `path` relative to `root`, with `/` separators (`path` itself when it is not inside).
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
