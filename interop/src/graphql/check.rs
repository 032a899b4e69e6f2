//! What is checked around the conversion: the package name, the document's size and nesting
//! before parsing, and the produced Charter source after it (it must check without errors).

use super::{ImportError, MAX_BYTES, MAX_DEPTH, internal};
use crate::{Lines, Location};
use charter::diagnostics::codes;

/// A Charter package name: lowercase words joined by dots (docs/language.md §2.2), not `std`.
pub fn package_name(package: &str) -> Result<(), ImportError> {
    let valid_part = |p: &str| {
        let mut chars = p.chars();
        chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    let reserved = package == "std" || package.starts_with("std.");
    if package.split('.').all(valid_part) && !reserved {
        return Ok(());
    }
    Err(ImportError {
        code: codes::E8006,
        message: format!("`{package}` is not a valid Charter package name"),
        location: None,
        help: Some(
            "pass `--package` with lowercase words joined by dots, such as `acme.catalog` \
             (`std` is reserved)"
                .to_string(),
        ),
    })
}

/// Refuses documents that are too large, nested too deeply (the parser recurses), or empty.
pub fn limits(text: &str, file_name: &str) -> Result<(), ImportError> {
    if text.len() > MAX_BYTES {
        return Err(ImportError {
            code: codes::E8005,
            message: format!(
                "the GraphQL document is {} bytes; at most {MAX_BYTES} are imported",
                text.len()
            ),
            location: Some(Box::new(Location::file(file_name))),
            help: Some("split the schema into smaller documents".to_string()),
        });
    }
    let mut depth = 0usize;
    let mut meaningful = false;
    let (mut line, mut column) = (1usize, 0usize);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        column += 1;
        match c {
            '\n' => {
                line += 1;
                column = 0;
            }
            '#' => {
                // A comment runs to the end of the line.
                while chars.peek().is_some_and(|&c| c != '\n') {
                    chars.next();
                }
            }
            '"' => {
                meaningful = true;
                // Skip a string or block string; an escaped quote does not end it.
                let mut escaped = false;
                for c in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                        column = 0;
                    } else {
                        column += 1;
                    }
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
            }
            '[' | '{' | '(' => {
                meaningful = true;
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(ImportError {
                        code: codes::E8005,
                        message: format!(
                            "brackets nested more than {MAX_DEPTH} deep in the GraphQL document"
                        ),
                        location: Some(Box::new(Location::at(
                            file_name,
                            Lines::new(text).position(line, column),
                        ))),
                        help: Some(
                            "no real schema nests this deep; check the document is not generated \
                             garbage"
                                .to_string(),
                        ),
                    });
                }
            }
            ']' | '}' | ')' => {
                meaningful = true;
                depth = depth.saturating_sub(1);
            }
            c if c.is_whitespace() || c == ',' || c == '\u{feff}' => {}
            _ => meaningful = true,
        }
    }
    if meaningful {
        Ok(())
    } else {
        Err(super::empty(file_name))
    }
}

/// Checks the produced source as `charter check` would, in memory.
pub fn compiles(package: &str, path: &str, text: &str) -> Result<(), ImportError> {
    let manifest = manifest(package);
    let (config, problems) = charter::workspace::manifest(&manifest);
    if let Some(problem) = problems.iter().find(|d| d.is_error()) {
        return Err(internal(&problem.message));
    }
    let db = charter::db::Database::default();
    let inputs = vec![charter::workspace::Input {
        path: path.to_string(),
        text: text.to_string(),
    }];
    let ws = charter::workspace::create(&db, config, inputs, Vec::new());
    let diagnostics = charter::semantics::diagnostics(&db, ws);
    match diagnostics.iter().find(|d| d.is_error()) {
        Some(d) => Err(internal(&format!("{} {}", d.code.as_str(), d.message))),
        None => Ok(()),
    }
}

/// The `charter.toml` of an imported workspace.
pub fn manifest(package: &str) -> String {
    format!(
        "[package]\nname = \"{package}\"\nversion = \"0.1.0\"\n\
         description = \"Imported by `charter import graphql`.\"\n\n[build]\nsources = [\"src\"]\n"
    )
}
