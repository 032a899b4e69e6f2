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

/// A Python string literal in the quotes `ruff format` keeps: double quotes, unless the text
/// holds more `"` than `'` (then single quotes, so fewer escapes); escapes as in [`string`].
pub fn python(text: &str) -> String {
    let doubles = text.matches('"').count();
    let singles = text.matches('\'').count();
    let delimiter = if doubles > singles { '\'' } else { '"' };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(delimiter);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if c == delimiter => {
                out.push('\\');
                out.push(c);
            }
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
    out.push(delimiter);
    out
}

/// The body of a Python docstring (`"""…"""`): backslashes doubled, the third `"` of a run
/// and a `"` ending the text escaped (so the docstring cannot end early), controls as
/// `\uXXXX` (line feeds kept), trailing blanks of each line dropped (as `ruff format` does).
pub fn python_docstring(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut raw_quote_last = false;
    for (n, line) in text.lines().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let mut run = 0;
        for c in line.trim_end().chars() {
            run = if c == '"' { run + 1 } else { 0 };
            raw_quote_last = false;
            match c {
                '\\' => out.push_str("\\\\"),
                '"' if run == 3 => {
                    out.push_str("\\\"");
                    run = 0;
                }
                '"' => {
                    out.push('"');
                    raw_quote_last = true;
                }
                '\t' => out.push_str("    "),
                c if super::is_unsafe(c) => {
                    let _ = write!(out, "\\u{:04x}", u32::from(c));
                }
                c => out.push(c),
            }
        }
        if line.trim_end().is_empty() {
            raw_quote_last = false;
        }
    }
    if raw_quote_last {
        out.pop();
        out.push_str("\\\"");
    }
    out
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
    fn python_literals_pick_the_quotes_ruff_keeps() {
        assert_eq!(python("plain"), r#""plain""#);
        assert_eq!(python(r#"say "hi""#), r#"'say "hi"'"#);
        assert_eq!(python(r#"it's "x""#), r#"'it\'s "x"'"#);
        assert_eq!(python("a\\b\n\u{7}"), r#""a\\b\n\u0007""#);
    }

    #[test]
    fn python_docstrings_cannot_end_early() {
        assert_eq!(python_docstring(r#"a """ b"#), r#"a ""\" b"#);
        assert_eq!(python_docstring(r#"ends ""#), r#"ends \""#);
        assert_eq!(
            python_docstring("back\\slash  \nnext"),
            "back\\\\slash\nnext"
        );
        assert_eq!(python_docstring(r#"""""""#), r#"""\""\""#);
        assert_eq!(python_docstring(r#"a\""#), r#"a\\\""#);
    }

    #[test]
    fn block_bodies() {
        assert_eq!(graphql_block("a \"\"\" b \"\" c"), "a \\\"\"\" b \"\" c");
        assert_eq!(block_comment("a */ b /* c"), "a *\\/ b /* c");
    }
}
