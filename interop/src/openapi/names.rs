//! Charter identifiers from OpenAPI names, and Charter literals from JSON values.

use serde_json::Value;

use charter::naming::{self, CHARTER as RESERVED, CHARTER_TYPES as BUILTIN_TYPES};

/// Whether `name` is a valid Charter identifier that is not reserved.
pub fn is_ident(name: &str) -> bool {
    naming::is_identifier(name) && !RESERVED.contains(&name)
}

/// A valid identifier close to `name`: other characters become `_`, a leading digit gets a `_`
/// before it, a reserved word gets a `_` after it.
pub fn ident(name: &str) -> String {
    if is_ident(name) {
        return name.to_string();
    }
    let mut out: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    while out.contains("__") {
        out = out.replace("__", "_");
    }
    let trimmed = out.trim_matches('_');
    let mut out = if trimmed.is_empty() {
        "_".to_string()
    } else {
        trimmed.to_string()
    };
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    if RESERVED.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// A type name: a valid identifier, never a built-in type's name.
pub fn type_ident(name: &str) -> String {
    let out = ident(name);
    if BUILTIN_TYPES.contains(&out.as_str()) {
        naming::capitalise(&out)
    } else {
        out
    }
}

/// `listPets`, `find pet by id`, `get-user` → `listPets`, `find_pet_by_id`, `get_user`.
pub fn op_ident(name: &str) -> String {
    ident(name)
}

/// PascalCase from free text: `Swagger Petstore` → `SwaggerPetstore`.
pub fn pascal(text: &str) -> String {
    let mut out = naming::pascal(text);
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "Api");
    }
    out
}

/// A package name (`a.b_c`) from free text, or `None` when nothing usable is left.
pub fn package(text: &str) -> Option<String> {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_string();
    let out = out.trim_start_matches(|c: char| c.is_ascii_digit() || c == '_');
    (!out.is_empty()).then(|| out.to_string())
}

/// Whether `name` is a valid package name (§2.2).
pub fn is_package(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|seg| {
            seg.starts_with(|c: char| c.is_ascii_lowercase())
                && seg
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
        && name != "std"
        && !name.starts_with("std.")
}

/// A Charter string literal.
pub use charter::text::quote::charter as string_lit;

/// A number as a Charter literal: integers as written, floats always with a `.`.
pub fn number_lit(value: &Value, float: bool) -> Option<String> {
    let n = value.as_number()?;
    if let Some(i) = n.as_i64() {
        return Some(if float {
            format!("{i}.0")
        } else {
            i.to_string()
        });
    }
    let f = n.as_f64()?;
    if !f.is_finite() {
        return None;
    }
    if !float {
        return (f.fract() == 0.0 && f.abs() < 9.0e15).then(|| format!("{}", f as i64));
    }
    let text = format!("{f:?}");
    Some(if text.contains(['.', 'e', 'E']) {
        text
    } else {
        format!("{text}.0")
    })
}

/// Doc comment lines (`/// ...`) for a text, each line prefixed with `indent`. Every line break
/// the lexer or an editor may see (`\r\n`, `\r`, `\n`, U+0085, U+2028, U+2029, vertical tab,
/// form feed) starts a new `///` line, and the other characters [`charter::text::is_unsafe`]
/// reports become U+FFFD, so no text can end the comment early or hide code in it.
pub fn doc_lines(text: &str, indent: &str) -> String {
    let normalised = text.replace("\r\n", "\n");
    let mut out = String::new();
    let mut lines: Vec<String> = normalised
        .split([
            '\n', '\r', '\u{85}', '\u{2028}', '\u{2029}', '\u{b}', '\u{c}',
        ])
        .map(|line| {
            line.chars()
                .map(|c| {
                    if c == '\t' {
                        ' '
                    } else if charter::text::is_unsafe(c) {
                        '\u{fffd}'
                    } else {
                        c
                    }
                })
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect();
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    for line in lines {
        if line.is_empty() {
            out.push_str(&format!("{indent}///\n"));
        } else {
            out.push_str(&format!("{indent}/// {line}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert!(is_ident("petId") && is_ident("_x") && is_ident("type"));
        assert!(!is_ident("pet-id") && !is_ident("1a") && !is_ident("none") && !is_ident(""));
        assert_eq!(ident("find pet by id"), "find_pet_by_id");
        assert_eq!(ident("x-rate--limit"), "x_rate_limit");
        assert_eq!(ident("200"), "_200");
        assert_eq!(ident("in"), "in_");
        assert_eq!(ident("@type"), "type");
        assert_eq!(type_ident("string"), "String");
        assert_eq!(pascal("Swagger Petstore"), "SwaggerPetstore");
        assert_eq!(pascal("2fa"), "Api2fa");
        assert_eq!(
            package("Swagger Petstore!").as_deref(),
            Some("swagger_petstore")
        );
        assert!(is_package("a.b_c") && !is_package("A") && !is_package("std.x"));
    }

    #[test]
    fn literals() {
        assert_eq!(string_lit("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(number_lit(&serde_json::json!(3), true).unwrap(), "3.0");
        assert_eq!(number_lit(&serde_json::json!(2.5), true).unwrap(), "2.5");
        assert_eq!(number_lit(&serde_json::json!(3.0), false).unwrap(), "3");
        assert_eq!(number_lit(&serde_json::json!(3.5), false), None);
        assert_eq!(doc_lines("a\n\nb\n", "  "), "  /// a\n  ///\n  /// b\n");
        assert_eq!(
            doc_lines("x\rrecord X {}\u{2028}y\u{202e}", ""),
            "/// x\n/// record X {}\n/// y\u{fffd}\n"
        );
    }
}
