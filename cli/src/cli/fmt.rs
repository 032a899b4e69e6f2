//! `charter fmt [--check] [PATH]`: the canonical layout, written atomically; each file it
//! rewrites is named on stderr (`formatted PATH`), then how many. Failures (a file that cannot
//! be read, does not parse, or cannot be written) are diagnostics, printed at the end; exit 2.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use charter::diagnostics::{Diagnostic, codes};

use super::{ReportArgs, Sources, emit, load};

pub fn run(path: &Path, check: bool) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    let mut failed: Vec<Diagnostic> = Vec::new();
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
            failed.push(charter_lsp::disk::refused(
                &entry.display().to_string(),
                why,
            ));
        }
        (root, found.files)
    } else {
        let shown = path.display().to_string();
        return super::fail_text(
            Diagnostic::path_error(codes::E9006, format!("`{shown}` does not exist"), &shown)
                .with_help("give a `.charter` file, or a folder whose `.charter` files to format"),
        );
    };
    let mut unformatted = 0;
    let mut written = 0;
    for file in &files {
        let shown = file.display().to_string();
        let text = match load::read_source(&root, file, &shown) {
            Ok(text) => text,
            Err(d) => {
                failed.push(*d);
                continue;
            }
        };
        let formatted = match charter::fmt::format_text(&shown, &text) {
            Ok(formatted) => formatted,
            Err(error) => {
                failed.push(
                    Diagnostic::path_error(
                        codes::E9018,
                        format!("cannot format `{shown}`: {error}"),
                        &shown,
                    )
                    .with_help("run `charter check` and fix the syntax errors first"),
                );
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        unformatted += 1;
        if check {
            let _ = writeln!(stderr, "not formatted: {shown}");
            continue;
        }
        // A link (read because its target is inside the workspace) is kept: the file it points
        // to is rewritten.
        let target = if std::fs::symlink_metadata(file).is_ok_and(|m| m.is_symlink()) {
            std::fs::canonicalize(file)
        } else {
            Ok(file.clone())
        };
        match target.and_then(|target| super::write::atomic(&target, formatted.as_bytes())) {
            Ok(()) => {
                written += 1;
                let _ = writeln!(stderr, "formatted {shown}");
            }
            Err(error) => failed.push(super::write::failed(file, &error)),
        }
    }
    if written > 0 {
        let _ = writeln!(stderr, "{written} file(s) formatted");
    }
    if !failed.is_empty() {
        emit(&failed, &Sources::new(), &ReportArgs::default());
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
