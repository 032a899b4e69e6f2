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
    match value {
        Json::Object(m) if !m.is_empty() => map(m, 0, &mut out),
        Json::Array(a) if !a.is_empty() => seq(a, 0, &mut out),
        other => {
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
    out
}

fn pad(indent: usize, out: &mut String) {
    out.extend(std::iter::repeat_n(' ', indent));
}

fn map(m: &Map<String, Json>, indent: usize, out: &mut String) {
    for (key, value) in m {
        pad(indent, out);
        out.push_str(&string(key));
        out.push(':');
        after_indicator(value, indent + 2, out);
    }
}

fn seq(items: &[Json], indent: usize, out: &mut String) {
    for item in items {
        pad(indent, out);
        out.push('-');
        match item {
            Json::Object(m) if !m.is_empty() => {
                // The first entry goes on the dash's line.
                let mut child = String::new();
                map(m, indent + 2, &mut child);
                out.push(' ');
                out.push_str(child.get(indent + 2..).unwrap_or_default());
            }
            Json::Array(a) if !a.is_empty() => {
                let mut child = String::new();
                seq(a, indent + 2, &mut child);
                out.push(' ');
                out.push_str(child.get(indent + 2..).unwrap_or_default());
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
            map(m, indent, out);
        }
        Json::Array(a) if !a.is_empty() => {
            out.push('\n');
            seq(a, indent, out);
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

/// Characters YAML keeps as they are in any scalar (no tabs, no line breaks of any kind).
fn printable(c: char) -> bool {
    (c >= ' ' && c != '\u{7f}' && !('\u{80}'..='\u{9f}').contains(&c))
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

fn inline(value: &Json) -> String {
    match value {
        Json::Null => "null".into(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => number(n),
        Json::String(s) => string(s),
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

fn string(s: &str) -> String {
    if plain(s) { s.to_string() } else { quoted(s) }
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
        && !RESERVED.contains(&s.to_ascii_lowercase().as_str())
}

/// A double-quoted scalar: `\` and `"` escaped, control characters and unusual line breaks as
/// escapes.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if !printable(c) => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
