//! JSDoc comments: the doc text, notes, and `@deprecated` with since, sunset and replacement.

use charter::ir::Deprecation;
use charter::text::quote;

/// The `@deprecated` text: `since 2026-04-01; sunset 2026-12-31; use events. note`.
pub fn deprecation_text(d: &Deprecation) -> String {
    let mut out = format!("since {}", d.since);
    if let Some(sunset) = d.sunset {
        out.push_str(&format!("; sunset {sunset}"));
    }
    if let Some(version) = &d.version {
        out.push_str(&format!("; version {version}"));
    }
    if let Some(replacement) = &d.replacement {
        out.push_str(&format!("; use {replacement}"));
    }
    if let Some(note) = &d.note {
        out.push_str(&format!(". {note}"));
    }
    out
}

/// Appends a `/** … */` comment at `indent` holding `lines` (any may span several lines), then
/// `@deprecated` when `deprecated`; nothing when all are empty.
pub fn jsdoc(out: &mut String, indent: &str, lines: &[&str], deprecated: Option<&Deprecation>) {
    let mut body: Vec<String> = Vec::new();
    for (i, text) in lines.iter().filter(|t| !t.trim().is_empty()).enumerate() {
        if i > 0 {
            body.push(String::new());
        }
        body.extend(text.lines().map(|l| quote::block_comment(l.trim_end())));
    }
    if let Some(d) = deprecated {
        body.push(format!(
            "@deprecated {}",
            quote::block_comment(&deprecation_text(d)).replace('\n', " ")
        ));
    }
    if body.is_empty() {
        return;
    }
    out.push_str(indent);
    out.push_str("/**\n");
    for line in body {
        out.push_str(indent);
        if line.is_empty() {
            out.push_str(" *\n");
        } else {
            out.push_str(" * ");
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push_str(indent);
    out.push_str(" */\n");
}
