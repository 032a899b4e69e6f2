//! Writing files so that a reader never sees half of one: the one atomic write of the CLI
//! (`charter fmt`, `changelog --out`, `bundle sign`, the mark of the output folder). Whole
//! target folders are swapped in by `output.rs`, with [`new`] and [`remove_any`].

use std::path::Path;

use charter::diagnostics::{Diagnostic, codes};

/// E9010 for a file or folder at `path` that could not be written.
pub fn failed(path: &Path, error: &std::io::Error) -> Diagnostic {
    let shown = path.display().to_string();
    Diagnostic::path_error(
        codes::E9010,
        format!("cannot write `{shown}`: {error}"),
        &shown,
    )
    .with_help("check that the folder exists, is writable and has room")
}

/// Writes `bytes` to `path` through a temporary sibling (`.NAME.tmp-PID`, or `NAME.tmp-PID` for
/// a hidden NAME) and a rename, so a reader sees the old file or the new one, never half of it.
/// Whatever is at `path` is replaced, a symbolic link included (never written through).
pub fn atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().to_string());
    let hidden = if name.starts_with('.') {
        name
    } else {
        format!(".{name}")
    };
    let tmp = path.with_file_name(format!("{hidden}.tmp-{}", std::process::id()));
    new(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Writes `bytes` to a new file at `path` (a temporary name): whatever was there is removed
/// first, and the file is created exclusively, so a link planted at that name is never written
/// through.
pub fn new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    remove_any(path);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)
}

/// Removes `path` whatever it is, never following a link.
pub fn remove_any(path: &Path) {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => {
            let _ = std::fs::remove_dir_all(path);
        }
        Ok(_) => {
            let _ = std::fs::remove_file(path);
        }
        Err(_) => {}
    }
}
