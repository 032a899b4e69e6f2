//! A small deterministic YAML emitter for JSON values, in block style.
//!
//! The output reads back (YAML 1.1 or 1.2) as exactly the JSON value it came from:
//! - a string is written plain only when no YAML reader could take it for anything else: it
//!   starts with a letter, `_`, `/` or `$` (which rules out numbers, dates, `.inf` and every
//!   indicator), is printable ASCII without brackets or braces, holds no `: ` or ` #`, does not
//!   end with a space or `:`, and is not a boolean or null word of YAML 1.1 (`yes`, `off`,
//!   `y`, `null`...);
//! - a multi-line string is a literal block (`|` or `|-`) when that keeps it exact (no
//!   trailing spaces, tabs or unusual line breaks, at most one final newline); otherwise, and
//!   for every other string, double-quoted with JSON-style escapes;
//! - numbers are written as JSON writes them, except that an exponent gets a `.0` mantissa and
//!   a signed exponent (`1.0e+20`), which YAML 1.1 needs to read a float;
//! - keys, maps and lists in the value's order (a `serde_json::Map` is sorted); empty maps and
//!   lists as `{}` and `[]`; two spaces of indentation.

use serde_json::{Map, Value as Json};

/// The YAML text of `value`, ending with a newline.
pub fn to_string(value: &Json) -> String {
    let mut out = String::new();
    write(value, &mut out);
    out
}

/// Appends the YAML text of `value`, ending with a newline, to `out`.
pub fn write(value: &Json, out: &mut String) {
    match value {
        Json::Object(m) if !m.is_empty() => map(m, 0, false, out),
        Json::Array(a) if !a.is_empty() => seq(a, 0, false, out),
        other => {
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
}

fn pad(indent: usize, out: &mut String) {
    const SPACES: &str = "                                                                ";
    let mut left = indent;
    while left > 0 {
        let n = left.min(SPACES.len());
        out.push_str(SPACES.get(..n).unwrap_or_default());
        left -= n;
    }
}

/// A block map at `indent`; with `inline_first`, the first entry continues the current line
/// (after a list's `- `).
fn map(m: &Map<String, Json>, indent: usize, inline_first: bool, out: &mut String) {
    for (i, (key, value)) in m.iter().enumerate() {
        if i > 0 || !inline_first {
            pad(indent, out);
        }
        string_into(key, out);
        out.push(':');
        after_indicator(value, indent + 2, out);
    }
}

fn seq(items: &[Json], indent: usize, inline_first: bool, out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 || !inline_first {
            pad(indent, out);
        }
        out.push('-');
        match item {
            // A nested collection starts on the dash's line.
            Json::Object(m) if !m.is_empty() => {
                out.push(' ');
                map(m, indent + 2, true, out);
            }
            Json::Array(a) if !a.is_empty() => {
                out.push(' ');
                seq(a, indent + 2, true, out);
            }
            other => after_indicator(other, indent + 2, out),
        }
    }
}

/// A value after `key:` or `-`: nested collections on the next lines at `indent`, scalars on
/// the same line.
fn after_indicator(value: &Json, indent: usize, out: &mut String) {
    match value {
        Json::Object(m) if !m.is_empty() => {
            out.push('\n');
            map(m, indent, false, out);
        }
        Json::Array(a) if !a.is_empty() => {
            out.push('\n');
            seq(a, indent, false, out);
        }
        Json::String(s) if literal_block(s) => {
            let (text, header) = match s.strip_suffix('\n') {
                Some(text) => (text, " |\n"),
                None => (s.as_str(), " |-\n"),
            };
            out.push_str(header);
            for line in text.split('\n') {
                if !line.is_empty() {
                    pad(indent, out);
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
        other => {
            out.push(' ');
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
}

/// Whether a literal block keeps `s` exact.
fn literal_block(s: &str) -> bool {
    s.contains('\n')
        && !s.starts_with(['\n', ' '])
        && !s.ends_with("\n\n")
        && s.chars().all(|c| c == '\n' || printable(c))
        && s.split('\n').all(|line| !line.ends_with(' '))
}

/// Characters YAML keeps as they are in any scalar: none that `charter::text::is_unsafe`
/// reports (no tabs, no line breaks of any kind, no bidirectional controls).
fn printable(c: char) -> bool {
    !charter::text::is_unsafe(c)
}

fn inline(value: &Json) -> String {
    match value {
        Json::Null => "null".into(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => number(n),
        Json::String(s) => {
            let mut out = String::new();
            string_into(s, &mut out);
            out
        }
        Json::Array(_) => "[]".into(),
        Json::Object(_) => "{}".into(),
    }
}

fn number(n: &serde_json::Number) -> String {
    let text = n.to_string();
    let Some(e) = text.find(['e', 'E']) else {
        return text;
    };
    let (mantissa, exponent) = (
        text.get(..e).unwrap_or("0"),
        text.get(e + 1..).unwrap_or("0"),
    );
    let mantissa = if mantissa.contains('.') {
        mantissa.to_string()
    } else {
        format!("{mantissa}.0")
    };
    let exponent = if exponent.starts_with(['+', '-']) {
        exponent.to_string()
    } else {
        format!("+{exponent}")
    };
    format!("{mantissa}e{exponent}")
}

/// Words YAML 1.1 or 1.2 reads as booleans or null.
const RESERVED: &[&str] = &["y", "n", "yes", "no", "true", "false", "on", "off", "null"];

fn string_into(s: &str, out: &mut String) {
    if plain(s) {
        out.push_str(s);
    } else {
        quoted(s, out);
    }
}

fn plain(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || matches!(first, '_' | '/' | '$'))
        && !s.ends_with([' ', ':'])
        && s.chars()
            .all(|c| (' '..='~').contains(&c) && !matches!(c, '[' | ']' | '{' | '}'))
        && !s.contains(": ")
        && !s.contains(" #")
        && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(s))
}

/// A double-quoted scalar: `\` and `"` escaped, control characters and unusual line breaks as
/// escapes.
fn quoted(s: &str, out: &mut String) {
    charter::text::quote::string_into(s, out);
}
