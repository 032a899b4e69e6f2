//! The canonical form OPA hashes a structured bundle file (`data.json`, `.manifest`) in.
//!
//! OPA (`v1/bundle/verify.go` `VerifyBundleFile`, `v1/bundle/hash.go` `walk`) decodes the file
//! with Go's `encoding/json` and `UseNumber`, then writes the decoded value back out:
//!
//! - an object as `{`, its members sorted by key (byte order), `key:value` joined by `,`, `}`;
//! - an array as `[`, its elements joined by `,`, `]`;
//! - a string or key with `json.Encoder` and `SetEscapeHTML(false)`: `<`, `>`, `&` stay as they
//!   are; `"`, `\`, `\n`, `\r`, `\t`, `\b`, `\f` get their short escapes, other control characters
//!   `\u00xx`, and U+2028/U+2029 `\u2028`/`\u2029` (Go escapes those two always);
//! - a number as the literal text of the file (`json.Number`): `1.0` stays `1.0`, `1e2` stays `1e2`;
//! - `true`, `false`, `null` as themselves.
//!
//! Decoding follows Go too: a leading UTF-8 byte order mark is dropped (`util.Unmarshal`), a
//! duplicate key keeps its last value, a byte that is not UTF-8 becomes U+FFFD (each byte on its
//! own), and an escaped lone surrogate becomes U+FFFD.

use std::collections::BTreeMap;

/// How deep objects and arrays may nest before the file is rejected.
const MAX_DEPTH: usize = 1000;

/// The canonical encoding of the JSON document `bytes`, or why it is not JSON.
pub fn canonical_json(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut parser = Parser { bytes, pos: 0 };
    parser.skip_whitespace();
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos < bytes.len() {
        return Err(parser.error("unexpected data after the top-level value"));
    }
    let mut out = Vec::with_capacity(bytes.len());
    value.write(&mut out);
    Ok(out)
}

/// A decoded value; numbers keep their literal text.
enum Value {
    Literal(&'static str),
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(BTreeMap<String, Value>),
}

impl Value {
    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Value::Literal(text) => out.extend_from_slice(text.as_bytes()),
            Value::Number(text) => out.extend_from_slice(text.as_bytes()),
            Value::String(text) => write_string(text, out),
            Value::Array(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    item.write(out);
                }
                out.push(b']');
            }
            Value::Object(members) => {
                out.push(b'{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_string(key, out);
                    out.push(b':');
                    value.write(out);
                }
                out.push(b'}');
            }
        }
    }
}

/// A string as Go's `json.Encoder` writes it with `SetEscapeHTML(false)`.
pub fn write_string(text: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let mut buf = [0u8; 4];
    for c in text.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            '\u{2028}' => out.extend_from_slice(b"\\u2028"),
            '\u{2029}' => out.extend_from_slice(b"\\u2029"),
            c if (c as u32) < 0x20 => {
                let b = c as u32 as usize;
                out.extend_from_slice(b"\\u00");
                out.push(HEX.get(b >> 4).copied().unwrap_or(b'0'));
                out.push(HEX.get(b & 0xf).copied().unwrap_or(b'0'));
            }
            c => out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes()),
        }
    }
    out.push(b'"');
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> String {
        format!("{what} at byte {}", self.pos)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => Ok(Value::String(self.string()?)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'n') => self.literal("null"),
            Some(_) => Err(self.error("unexpected character")),
            None => Err(self.error("unexpected end of input")),
        }
    }

    fn literal(&mut self, text: &'static str) -> Result<Value, String> {
        let end = self.pos + text.len();
        if self.bytes.get(self.pos..end) == Some(text.as_bytes()) {
            self.pos = end;
            Ok(Value::Literal(text))
        } else {
            Err(self.error("invalid literal"))
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, String> {
        self.pos += 1;
        let mut members = BTreeMap::new();
        self.skip_whitespace();
        if self.eat(b'}') {
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a string key"));
            }
            let key = self.string()?;
            self.skip_whitespace();
            if !self.eat(b':') {
                return Err(self.error("expected `:`"));
            }
            self.skip_whitespace();
            let value = self.value(depth + 1)?;
            members.insert(key, value);
            self.skip_whitespace();
            if self.eat(b',') {
                continue;
            }
            if self.eat(b'}') {
                return Ok(Value::Object(members));
            }
            return Err(self.error("expected `,` or `}`"));
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, String> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.eat(b']') {
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth + 1)?);
            self.skip_whitespace();
            if self.eat(b',') {
                continue;
            }
            if self.eat(b']') {
                return Ok(Value::Array(items));
            }
            return Err(self.error("expected `,` or `]`"));
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, kept as written.
    fn number(&mut self) -> Result<Value, String> {
        let start = self.pos;
        self.eat(b'-');
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error("invalid number")),
        }
        if self.eat(b'.') && self.digits() == 0 {
            return Err(self.error("invalid number"));
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        let text = self.bytes.get(start..self.pos).unwrap_or_default();
        Ok(Value::Number(String::from_utf8_lossy(text).into_owned()))
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut value = 0u32;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b) => (b as char).to_digit(16),
                None => None,
            };
            let Some(digit) = digit else {
                return Err(self.error("invalid \\u escape"));
            };
            value = value * 16 + digit;
            self.pos += 1;
        }
        Ok(value)
    }

    /// A string starting at the opening quote; its decoded text.
    fn string(&mut self) -> Result<String, String> {
        self.pos += 1;
        let mut out = String::new();
        let mut raw_start = self.pos;
        loop {
            let Some(byte) = self.peek() else {
                return Err(self.error("unterminated string"));
            };
            match byte {
                b'"' | b'\\' => {
                    push_lossy(
                        self.bytes.get(raw_start..self.pos).unwrap_or_default(),
                        &mut out,
                    );
                    self.pos += 1;
                    if byte == b'"' {
                        return Ok(out);
                    }
                    self.escape(&mut out)?;
                    raw_start = self.pos;
                }
                0..=0x1f => return Err(self.error("control character in string")),
                _ => self.pos += 1,
            }
        }
    }

    /// The escape after a backslash.
    fn escape(&mut self, out: &mut String) -> Result<(), String> {
        let Some(byte) = self.peek() else {
            return Err(self.error("unterminated string"));
        };
        self.pos += 1;
        let c = match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                if (0xD800..0xE000).contains(&first) {
                    // Go: a high surrogate followed by an escaped low one is one character;
                    // any other surrogate is U+FFFD, and what follows is read on its own.
                    let save = self.pos;
                    if (0xD800..0xDC00).contains(&first)
                        && self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u")
                    {
                        self.pos += 2;
                        if let Ok(second) = self.hex4()
                            && (0xDC00..0xE000).contains(&second)
                        {
                            let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                            out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                            return Ok(());
                        }
                    }
                    self.pos = save;
                    '\u{FFFD}'
                } else {
                    char::from_u32(first).unwrap_or('\u{FFFD}')
                }
            }
            _ => return Err(self.error("invalid escape")),
        };
        out.push(c);
        Ok(())
    }
}

/// Appends `bytes` as text, each byte that is not part of valid UTF-8 as U+FFFD (as Go does).
fn push_lossy(mut bytes: &[u8], out: &mut String) {
    loop {
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                out.push_str(text);
                return;
            }
            Err(error) => {
                let (valid, rest) = bytes.split_at(error.valid_up_to());
                out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                out.push('\u{FFFD}');
                bytes = rest.get(1..).unwrap_or_default();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::canonical_json;

    fn canon(text: &str) -> String {
        String::from_utf8(canonical_json(text.as_bytes()).unwrap()).unwrap()
    }

    #[test]
    fn sorts_keys_and_drops_whitespace() {
        assert_eq!(
            canon("{ \"b\": [1, 2, {\"z\": null, \"a\": true}],\n  \"a\": \"x\" }"),
            r#"{"a":"x","b":[1,2,{"a":true,"z":null}]}"#
        );
    }

    #[test]
    fn keeps_number_literals() {
        assert_eq!(
            canon("[1.0, 1e2, -0, 1E-7, 123.45678911111111111111111]"),
            "[1.0,1e2,-0,1E-7,123.45678911111111111111111]"
        );
    }

    #[test]
    fn escapes_as_go_without_html_escaping() {
        assert_eq!(canon(r#""<a & b>""#), r#""<a & b>""#);
        assert_eq!(canon(r#""\u003c\/""#), r#""</""#);
        assert_eq!(
            canon("\"\\b\\f\\n\\r\\t\\u0001\\u001f\""),
            r#""\b\f\n\r\t\u0001\u001f""#
        );
        assert_eq!(
            canon("\"\u{2028}\u{2029}\u{7f}é\""),
            "\"\\u2028\\u2029\u{7f}é\""
        );
        assert_eq!(canon(r#""\ud83d\ude00""#), "\"😀\"");
        assert_eq!(canon(r#""\ud83dx""#), "\"\u{FFFD}x\"");
        assert_eq!(canon(r#""\ude00\ud83d\ude00""#), "\"\u{FFFD}😀\"");
    }

    #[test]
    fn keys_sort_by_bytes_and_duplicates_keep_the_last() {
        assert_eq!(
            canon(r#"{"é":1,"z":2,"Z":3,"a":4,"a":5}"#),
            r#"{"Z":3,"a":5,"z":2,"é":1}"#
        );
    }

    #[test]
    fn invalid_utf8_bytes_become_replacement_characters() {
        let out = canonical_json(b"\"a\xE2\x82b\xFF\"").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"a\u{FFFD}\u{FFFD}b\u{FFFD}\""
        );
    }

    #[test]
    fn strips_a_byte_order_mark() {
        assert_eq!(
            canonical_json(b"\xEF\xBB\xBF{\"a\": 1}").unwrap(),
            b"{\"a\":1}".to_vec()
        );
    }

    #[test]
    fn rejects_what_is_not_json() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\" 1}",
            "01",
            "1.",
            "1e",
            "tru",
            "\"a\nb\"",
            "\"\\x\"",
            "1 2",
            "{'a': 1}",
            "[1] x",
        ] {
            assert!(canonical_json(bad.as_bytes()).is_err(), "{bad:?}");
        }
        let deep = "[".repeat(2000) + &"]".repeat(2000);
        assert!(canonical_json(deep.as_bytes()).is_err());
    }
}
