//! JSDoc comments: the doc text, notes, and `@deprecated` with since, sunset and replacement.

use charter::ir::Deprecation;
use charter::text::quote;

pub use crate::sdk::deprecation_text;

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
