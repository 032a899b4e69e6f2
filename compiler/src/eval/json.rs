//! The input of a decision as exact JSON: numbers keep their decimal value (OPA compares them
//! exactly, so the native evaluator must too), objects keep the last of duplicate keys (as Go's
//! decoder and OPA do). Parsing never recurses: depth is bounded by [`MAX_DEPTH`].

use std::collections::BTreeMap;

use super::number::Decimal;
use crate::ir;

/// A JSON value with exact numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(Decimal),
    String(String),
    Array(Vec<Json>),
    Object(BTreeMap<String, Json>),
}

/// Input nested deeper than this is not valid JSON for Charter (it is no decision input).
pub const MAX_DEPTH: usize = 128;

/// Why a text is not JSON, with the 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

impl Json {
    /// Parses RFC 8259 JSON.
    pub fn parse(text: &str) -> Result<Json, JsonError> {
        Parser { text, at: 0 }.document()
    }

    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(map) => map.get(key),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// The JSON type's name, as OPA's `type_name` says it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "boolean",
            Json::Number(_) => "number",
            Json::String(_) => "string",
            Json::Array(_) => "array",
            Json::Object(_) => "object",
        }
    }

    /// A model value (a default, a test input) as the JSON an input carries.
    pub fn from_value(v: &ir::Value) -> Json {
        match v {
            ir::Value::Null => Json::Null,
            ir::Value::Bool(b) => Json::Bool(*b),
            ir::Value::Int(i) => Json::Number(Decimal::from_i64(*i)),
            ir::Value::Float(n) => {
                Decimal::parse_literal(n.as_str()).map_or(Json::Null, Json::Number)
            }
            ir::Value::String(s) => Json::String(s.clone()),
            ir::Value::Enum { variant, .. } => Json::String(variant.to_string()),
            ir::Value::List(items) => Json::Array(items.iter().map(Json::from_value).collect()),
            ir::Value::Object(fields) => Json::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), Json::from_value(v)))
                    .collect(),
            ),
        }
    }

    /// The same value as `serde_json` holds it (numbers through their shortest exact text when
    /// `serde_json` can hold them, else the nearest float).
    pub fn to_serde(&self) -> serde_json::Value {
        match self {
            Json::Null => serde_json::Value::Null,
            Json::Bool(b) => serde_json::Value::Bool(*b),
            Json::Number(n) => serde_json::from_str(&n.to_string())
                .ok()
                .filter(serde_json::Value::is_number)
                .unwrap_or(serde_json::Value::Null),
            Json::String(s) => serde_json::Value::String(s.clone()),
            Json::Array(items) => {
                serde_json::Value::Array(items.iter().map(Json::to_serde).collect())
            }
            Json::Object(map) => serde_json::Value::Object(
                map.iter().map(|(k, v)| (k.clone(), v.to_serde())).collect(),
            ),
        }
    }
}

/// Serialised through [`Json::to_serde`] (numbers beyond `f64` become their nearest float).
impl serde::Serialize for Json {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_serde().serialize(serializer)
    }
}

impl From<&serde_json::Value> for Json {
    fn from(v: &serde_json::Value) -> Json {
        match v {
            serde_json::Value::Null => Json::Null,
            serde_json::Value::Bool(b) => Json::Bool(*b),
            serde_json::Value::Number(n) => {
                Decimal::parse_json(&n.to_string()).map_or(Json::Null, Json::Number)
            }
            serde_json::Value::String(s) => Json::String(s.clone()),
            serde_json::Value::Array(items) => Json::Array(items.iter().map(Json::from).collect()),
            serde_json::Value::Object(map) => Json::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Json::from(v)))
                    .collect(),
            ),
        }
    }
}

/// The canonical JSON text of a value (keys sorted, numbers exact).
impl std::fmt::Display for Json {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Json::Null => f.write_str("null"),
            Json::Bool(b) => write!(f, "{b}"),
            Json::Number(n) => write!(f, "{n}"),
            Json::String(s) => f.write_str(&serde_json::to_string(s).map_err(|_| std::fmt::Error)?),
            Json::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Json::Object(map) => {
                f.write_str("{")?;
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    let key = serde_json::to_string(k).map_err(|_| std::fmt::Error)?;
                    write!(f, "{key}:{v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

/// JSON equality with numbers by value (`1 == 1.0`), exactly.
pub fn json_eq(a: &Json, b: &Json) -> bool {
    a == b
}

/// A container being parsed.
enum Open {
    Array(Vec<Json>),
    Object(BTreeMap<String, Json>, String),
}

struct Parser<'t> {
    text: &'t str,
    at: usize,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> JsonError {
        let before = self.text.get(..self.at).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        JsonError {
            line,
            column,
            message: message.to_string(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        if self.peek() == Some(byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn document(mut self) -> Result<Json, JsonError> {
        let value = self.value()?;
        self.skip_space();
        if self.at < self.text.len() {
            return Err(self.error("trailing characters after the JSON value"));
        }
        Ok(value)
    }

    /// A value, iteratively: containers on an explicit stack.
    fn value(&mut self) -> Result<Json, JsonError> {
        let mut stack: Vec<Open> = Vec::new();
        loop {
            // Read one value or open a container.
            self.skip_space();
            let mut done = match self.peek() {
                Some(b'[') => {
                    self.at += 1;
                    if self.eat(b']') {
                        Some(Json::Array(Vec::new()))
                    } else {
                        stack.push(Open::Array(Vec::new()));
                        None
                    }
                }
                Some(b'{') => {
                    self.at += 1;
                    if self.eat(b'}') {
                        Some(Json::Object(BTreeMap::new()))
                    } else {
                        let key = self.key()?;
                        stack.push(Open::Object(BTreeMap::new(), key));
                        None
                    }
                }
                _ => Some(self.scalar()?),
            };
            if stack.len() > MAX_DEPTH {
                return Err(self.error("nested too deeply"));
            }
            // Close containers while a value is complete.
            while let Some(value) = done.take() {
                match stack.last_mut() {
                    None => return Ok(value),
                    Some(Open::Array(items)) => {
                        items.push(value);
                        if self.eat(b',') {
                            break;
                        }
                        if !self.eat(b']') {
                            return Err(self.error("expected `,` or `]`"));
                        }
                        if let Some(Open::Array(items)) = stack.pop() {
                            done = Some(Json::Array(items));
                        }
                    }
                    Some(Open::Object(map, key)) => {
                        map.insert(std::mem::take(key), value);
                        if self.eat(b',') {
                            let next = self.key()?;
                            if let Some(Open::Object(_, key)) = stack.last_mut() {
                                *key = next;
                            }
                            break;
                        }
                        if !self.eat(b'}') {
                            return Err(self.error("expected `,` or `}`"));
                        }
                        if let Some(Open::Object(map, _)) = stack.pop() {
                            done = Some(Json::Object(map));
                        }
                    }
                }
            }
        }
    }

    /// `"key" :`
    fn key(&mut self) -> Result<String, JsonError> {
        self.skip_space();
        if self.peek() != Some(b'"') {
            return Err(self.error("expected a string key"));
        }
        let key = self.string()?;
        if !self.eat(b':') {
            return Err(self.error("expected `:`"));
        }
        Ok(key)
    }

    fn scalar(&mut self) -> Result<Json, JsonError> {
        let rest = self.text.get(self.at..).unwrap_or("");
        for (word, value) in [
            ("null", Json::Null),
            ("true", Json::Bool(true)),
            ("false", Json::Bool(false)),
        ] {
            if rest.starts_with(word) {
                self.at += word.len();
                return Ok(value);
            }
        }
        match self.peek() {
            Some(b'"') => Ok(Json::String(self.string()?)),
            Some(b'-' | b'0'..=b'9') => {
                let len = rest
                    .bytes()
                    .take_while(|b| matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
                    .count();
                let text = rest.get(..len).unwrap_or("");
                match Decimal::parse_json(text) {
                    Some(n) => {
                        self.at += len;
                        Ok(Json::Number(n))
                    }
                    None => Err(self.error("invalid number")),
                }
            }
            None => Err(self.error("unexpected end of input")),
            Some(_) => Err(self.error("expected a JSON value")),
        }
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.at += 1; // the opening quote
        let mut out = String::new();
        loop {
            let rest = self.text.get(self.at..).unwrap_or("");
            let plain = rest
                .bytes()
                .take_while(|b| *b != b'"' && *b != b'\\' && *b >= 0x20)
                .count();
            out.push_str(rest.get(..plain).unwrap_or(""));
            self.at += plain;
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escaped = self.peek();
                    self.at += 1;
                    match escaped {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => out.push(self.unicode_escape()?),
                        _ => return Err(self.error("invalid escape")),
                    }
                }
                Some(_) => return Err(self.error("control character in a string")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self.text.get(self.at..self.at + 4).unwrap_or("");
        if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.error("invalid \\u escape"));
        }
        self.at += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid \\u escape"))
    }

    /// A `\uXXXX` escape (the `\u` read). A surrogate pair makes one character; a surrogate
    /// without its partner becomes U+FFFD, and an escape after it is read on its own, as Go's
    /// decoder (and so OPA) reads them.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        if !(0xD800..0xE000).contains(&first) {
            return char::from_u32(first).ok_or_else(|| self.error("invalid \\u escape"));
        }
        if (0xD800..0xDC00).contains(&first) && self.text.get(self.at..self.at + 2) == Some("\\u") {
            let save = self.at;
            self.at += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape"));
            }
            self.at = save;
        }
        Ok(char::REPLACEMENT_CHARACTER)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documents_exactly() {
        let doc = Json::parse(r#" {"a": [1, 2.50, -0.99999999999999999, 1E400], "b": {"c": null, "d": true}, "e": "x\u00e9\ud83d\ude00\n"} "#)
            .expect("valid");
        assert_eq!(
            doc.to_string(),
            r#"{"a":[1,2.5,-0.99999999999999999,1e400],"b":{"c":null,"d":true},"e":"xé😀\n"}"#
        );
        assert_eq!(Json::parse("[]"), Ok(Json::Array(Vec::new())));
        assert_eq!(
            Json::parse(r#"{"a":1,"a":2}"#).map(|j| j.to_string()),
            Ok(r#"{"a":2}"#.into())
        );
    }

    #[test]
    fn rejects_what_is_not_json() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\"}",
            "{\"a\":1,}",
            "01",
            "[1 2]",
            "\"\\x\"",
            "\"a",
            "nul",
            "1 2",
            "\"\\u12\"",
            "{1:2}",
            "[\"\u{1}\"]",
        ] {
            assert!(Json::parse(bad).is_err(), "{bad:?}");
        }
        let deep = "[".repeat(MAX_DEPTH + 2) + &"]".repeat(MAX_DEPTH + 2);
        assert!(Json::parse(&deep).is_err());
        let fine = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(Json::parse(&fine).is_ok());
    }

    #[test]
    fn lone_surrogates_become_replacement_characters_as_in_go() {
        let read = |text: &str| match Json::parse(text) {
            Ok(Json::String(s)) => s,
            other => panic!("{text}: {other:?}"),
        };
        assert_eq!(read(r#""\ud83d\ude00""#), "😀");
        assert_eq!(read(r#""\ud83d""#), "\u{fffd}");
        assert_eq!(read(r#""x\udfff""#), "x\u{fffd}");
        assert_eq!(read(r#""\ud83d\u0041""#), "\u{fffd}A");
        assert_eq!(read(r#""\ud83d\ud83d\ude00""#), "\u{fffd}😀");
    }

    #[test]
    fn errors_have_positions() {
        let error = Json::parse("{\n  \"a\": tru\n}").expect_err("invalid");
        assert_eq!((error.line, error.column), (2, 8));
    }
}
