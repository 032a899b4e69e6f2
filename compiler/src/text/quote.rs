//! String literals. [`string`] writes one double-quoted literal that JSON, Rego, GraphQL, YAML,
//! TypeScript, Go and Python all read as the same text: `"` and `\` are backslash-escaped, the
//! common line and tab controls get their short escapes (`\n`, `\r`, `\t`, `\b`, `\f`), and every
//! other character [`super::is_unsafe`] reports becomes `\uXXXX` (lower-case hex), so no control,
//! line separator or bidirectional control reaches the output raw. Charter's own literals
//! ([`charter`]) have no numeric escape: there the rest is kept as it is (the checker reports
//! bidirectional controls in source).

use std::fmt::Write as _;

/// A double-quoted string literal for JSON, Rego, GraphQL, YAML, TypeScript, Go or Python.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    string_into(text, &mut out);
    out
}

/// [`string`], appended to `out`.
pub fn string_into(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if super::is_unsafe(c) => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A Charter string literal, the inverse of `charter::syntax::lex::unescape`: `"` and `\`
/// escaped, and line feed, tab, carriage return and NUL as `\n`, `\t`, `\r`, `\0`.
pub fn charter(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

/// The body of a GraphQL block string (`"""…"""`): only `"""` needs escaping there.
pub fn graphql_block(text: &str) -> String {
    text.replace("\"\"\"", "\\\"\"\"")
}

/// The body of a `/* … */` comment (TypeScript, Go, JSDoc): `*/` cannot end it early.
pub fn block_comment(text: &str) -> String {
    text.replace("*/", "*\\/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hostile inputs, each with its literal for the shared quoting and for Charter.
    const CASES: &[(&str, &str, &str)] = &[
        ("plain", r#""plain""#, r#""plain""#),
        ("say \"hi\"\n", r#""say \"hi\"\n""#, r#""say \"hi\"\n""#),
        ("back\\slash", r#""back\\slash""#, r#""back\\slash""#),
        ("tab\tcr\r", r#""tab\tcr\r""#, r#""tab\tcr\r""#),
        ("nul\0", r#""nul\u0000""#, r#""nul\0""#),
        (
            "bell\u{7}bs\u{8}ff\u{c}",
            r#""bell\u0007bs\bff\f""#,
            "\"bell\u{7}bs\u{8}ff\u{c}\"",
        ),
        (
            "del\u{7f}nel\u{85}",
            r#""del\u007fnel\u0085""#,
            "\"del\u{7f}nel\u{85}\"",
        ),
        (
            "ls\u{2028}ps\u{2029}",
            r#""ls\u2028ps\u2029""#,
            "\"ls\u{2028}ps\u{2029}\"",
        ),
        ("bom\u{feff}", r#""bom\ufeff""#, "\"bom\u{feff}\""),
        (
            "rlo\u{202e}lri\u{2066}",
            r#""rlo\u202elri\u2066""#,
            "\"rlo\u{202e}lri\u{2066}\"",
        ),
        (
            "`${x}` */ \"\"\" |",
            r#""`${x}` */ \"\"\" |""#,
            r#""`${x}` */ \"\"\" |""#,
        ),
        ("é 😀", "\"é 😀\"", "\"é 😀\""),
        ("", "\"\"", "\"\""),
    ];

    #[test]
    fn shared_literals_escape_every_unsafe_character() {
        for (text, shared, _) in CASES {
            assert_eq!(string(text), *shared, "{text:?}");
            // JSON reads it back as the same text.
            let back: String = serde_json::from_str(shared).unwrap_or_default();
            assert_eq!(back, *text, "{shared}");
            assert!(
                !string(text).chars().any(crate::text::is_unsafe),
                "{text:?}"
            );
        }
    }

    #[test]
    fn charter_literals_read_back() {
        for (text, _, charter_lit) in CASES {
            assert_eq!(charter(text), *charter_lit, "{text:?}");
            assert_eq!(
                crate::syntax::lex::unescape(charter_lit),
                *text,
                "{charter_lit}"
            );
        }
    }

    #[test]
    fn block_bodies() {
        assert_eq!(graphql_block("a \"\"\" b \"\" c"), "a \\\"\"\" b \"\" c");
        assert_eq!(block_comment("a */ b /* c"), "a *\\/ b /* c");
    }
}
