//! `charter fmt [--check] [PATH]`: the canonical layout, written atomically.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::load;

pub fn run(path: &Path, check: bool) -> ExitCode {
    let files = if path.is_file() {
        vec![path.to_path_buf()]
    } else if path.is_dir() {
        let mut files = Vec::new();
        collect(path, &mut files);
        files.sort();
        files
    } else {
        let _ = writeln!(
            std::io::stderr(),
            "error: `{}` does not exist",
            path.display()
        );
        return ExitCode::from(2);
    };
    let mut stderr = std::io::stderr().lock();
    let mut unformatted = 0;
    let mut failed = 0;
    for file in &files {
        let shown = file.display().to_string();
        let text = match load::read_source(file, &shown) {
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
fn write_atomic(file: &Path, text: &str) -> std::io::Result<()> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = file.with_file_name(format!(".{name}.charter-fmt.tmp"));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, file).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "out" && name != "node_modules"
            {
                collect(&path, files);
            }
        } else if path.extension().is_some_and(|e| e == "charter") {
            files.push(path);
        }
    }
}
