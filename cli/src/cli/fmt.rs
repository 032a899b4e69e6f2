//! `charter fmt [--check] [PATH]`: the canonical layout, written atomically.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::load;

pub fn run(path: &Path, check: bool) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    let mut failed = 0;
    // Files are read inside the workspace holding PATH (or, outside any workspace, inside the
    // folder given or the file's folder), by the rules of docs/output.md.
    let (root, files) = if path.is_file() {
        let parent = path.parent().unwrap_or(Path::new("."));
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        let root = load::find_root(path).unwrap_or_else(|| parent.to_path_buf());
        (root, vec![path.to_path_buf()])
    } else if path.is_dir() {
        let root = load::find_root(path).unwrap_or_else(|| path.to_path_buf());
        let found = charter_lsp::disk::discover(&root, &[path.to_path_buf()], &path.join("out"));
        for (entry, why) in &found.refused {
            let d = charter_lsp::disk::refused(&entry.display().to_string(), why);
            let _ = writeln!(stderr, "error[{}]: {}", d.code.as_str(), d.message);
            failed += 1;
        }
        (root, found.files)
    } else {
        let _ = writeln!(
            std::io::stderr(),
            "error: `{}` does not exist",
            path.display()
        );
        return ExitCode::from(2);
    };
    let mut unformatted = 0;
    for file in &files {
        let shown = file.display().to_string();
        let text = match load::read_source(&root, file, &shown) {
            Ok(text) => text,
            Err(d) => {
                let _ = writeln!(stderr, "error[{}]: {}", d.code.as_str(), d.message);
                failed += 1;
                continue;
            }
        };
        let formatted = match charter::fmt::format_text(&shown, &text) {
            Ok(formatted) => formatted,
            Err(error) => {
                let _ = writeln!(
                    stderr,
                    "error: cannot format `{shown}`: {error}\nhelp: run `charter check` and fix the syntax errors first"
                );
                failed += 1;
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        unformatted += 1;
        if check {
            let _ = writeln!(stderr, "not formatted: {shown}");
        } else if let Err(error) = write_atomic(file, &formatted) {
            let _ = writeln!(stderr, "error: cannot write `{shown}`: {error}");
            failed += 1;
        }
    }
    if failed > 0 {
        return ExitCode::from(2);
    }
    if check && unformatted > 0 {
        let _ = writeln!(
            stderr,
            "{unformatted} file(s) not formatted; run `charter fmt`"
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// Writes `text` to a temporary sibling, then renames it over `file`.
/// A link (read because its target is inside the workspace) is kept: the file it points to is
/// rewritten.
fn write_atomic(file: &Path, text: &str) -> std::io::Result<()> {
    let file = &if std::fs::symlink_metadata(file).is_ok_and(|m| m.is_symlink()) {
        std::fs::canonicalize(file)?
    } else {
        file.to_path_buf()
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = file.with_file_name(format!(".{name}.charter-fmt.tmp"));
    super::output::write_new(&tmp, text.as_bytes())?;
    std::fs::rename(&tmp, file).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
