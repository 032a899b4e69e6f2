//! Loading a YAML or JSON document into a `serde_json::Value`, remembering where each mapping and
//! sequence started (line and column) by JSON pointer, so that warnings can point into the file.
//!
//! YAML 1.2 (JSON is a subset) is read event by event with `saphyr-parser` and built with an
//! explicit stack: no recursion, a nesting limit, and a budget on nodes copied by aliases (no
//! "billion laughs").

use charter::diagnostics::codes;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_json::{Map, Number, Value};

use crate::{Cursor, ImportError, Lines, Location, Position};

/// Deeper nesting than this is refused (and would be unreadable anyway).
pub const MAX_DEPTH: usize = 128;
/// Nodes created by expanding aliases, at most.
const MAX_ALIAS_NODES: usize = 1_000_000;
/// The largest document accepted, in bytes.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// FNV-1a: positions are keyed by many short pointers; SipHash's DoS resistance buys nothing
/// here (the keys come from the document being read, and a collision only costs time).
#[derive(Default, Clone, Copy)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type Positions = HashMap<String, Position, std::hash::BuildHasherDefault<Fnv>>;

/// A loaded document.
#[derive(Debug)]
pub struct Doc {
    pub root: Value,
    /// Where each mapping and sequence starts, by JSON pointer.
    positions: Positions,
    file: std::sync::Arc<str>,
}

impl Doc {
    /// The location of `pointer`: the position of the node or of its nearest ancestor that has
    /// one (none after the lenient reading), and the pointer itself.
    pub fn location(&self, pointer: &str) -> Location {
        let mut probe = pointer;
        let at = loop {
            if let Some(at) = self.positions.get(probe) {
                break Some(*at);
            }
            match probe.rfind('/') {
                Some(i) => probe = probe.get(..i).unwrap_or_default(),
                None => break None,
            }
        };
        Location {
            file: self.file.clone(),
            at,
            pointer: Some(pointer.to_string()),
        }
    }

    /// The value at a JSON pointer.
    pub fn at(&self, pointer: &str) -> Option<&Value> {
        self.root.pointer(pointer)
    }
}

/// Escapes one JSON pointer segment (`~` → `~0`, `/` → `~1`).
pub use charter::text::pointer::escape;

enum Frame {
    Seq {
        items: Vec<Value>,
        pointer: String,
        anchor: usize,
    },
    Map {
        map: Map<String, Value>,
        pointer: String,
        anchor: usize,
        key: Option<String>,
        /// Keys set by a merge key (`<<`), which the mapping's own keys may override once.
        merged: Vec<String>,
    },
}

/// Where the reader stopped: `line:col` (from 1) of `text`.
struct Here<'a> {
    file: &'a str,
    lines: Lines<'a>,
}

impl Here<'_> {
    fn at(&self, line: usize, col: usize) -> Option<Box<Location>> {
        Some(Box::new(Location::at(
            self.file,
            self.lines.position(line, col),
        )))
    }
}

fn syntax(here: &Here, line: usize, col: usize, message: impl Into<String>) -> ImportError {
    ImportError {
        code: codes::E8001,
        message: message.into(),
        location: here.at(line, col),
        help: Some(
            "fix the YAML or JSON syntax; the document must parse before it is imported".into(),
        ),
    }
}

/// Loads `text` (YAML or JSON) named `file` in locations. A document the strict YAML 1.2 parser
/// refuses is read again the way libyaml reads it (it accepts flow collections indented less
/// than their key, which real documents have); that reading keeps no line numbers, so locations
/// are JSON pointers. When both refuse it, the strict parser's error is reported.
pub fn load(text: &str, file: &str) -> Result<Doc, ImportError> {
    // A repeated key is refused by both readers' standard but kept silently by the lenient one.
    let mut duplicate = false;
    match load_strict(text, file, &mut duplicate) {
        Err(error) if error.code == codes::E8001 && !duplicate => match lenient(text) {
            Some(root) => Ok(Doc {
                root,
                positions: Positions::default(),
                file: file.into(),
            }),
            None => Err(error),
        },
        other => other,
    }
}

fn lenient(text: &str) -> Option<Value> {
    let root: Value = serde_yaml_ng::from_str(text).ok()?;
    // serde_yaml_ng limits nesting while reading; keep the same limit as the strict reader.
    let mut stack = vec![(&root, 0usize)];
    while let Some((v, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return None;
        }
        match v {
            Value::Array(items) => stack.extend(items.iter().map(|i| (i, depth + 1))),
            Value::Object(map) => stack.extend(map.values().map(|i| (i, depth + 1))),
            _ => {}
        }
    }
    Some(root)
}

fn load_strict(text: &str, file: &str, duplicate: &mut bool) -> Result<Doc, ImportError> {
    if text.len() > MAX_BYTES {
        return Err(ImportError {
            code: codes::E8005,
            message: format!(
                "the document is {} bytes, more than the {MAX_BYTES} an import accepts",
                text.len()
            ),
            location: Some(Box::new(Location::file(file))),
            help: Some("split the document, or import the part you need".into()),
        });
    }
    let here = Here {
        file,
        lines: Lines::new(text),
    };
    let mut cursor = Cursor::new(text);
    let mut positions = Positions::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Value> = HashMap::new();
    let mut alias_nodes = 0usize;
    let mut root: Option<Value> = None;
    let mut documents = 0usize;
    let mut last = (1, 1);
    for event in Parser::new_from_str(text) {
        let (event, span) = match event {
            Ok(ok) => ok,
            Err(error) => {
                let m = error.marker();
                return Err(syntax(&here, m.line(), m.col() + 1, error.info()));
            }
        };
        let (line, col) = (span.start.line(), span.start.col() + 1);
        let index = span.start.index();
        last = (line, col);
        let (value, anchor) = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(syntax(
                        &here,
                        line,
                        col,
                        "the file holds more than one YAML document",
                    ));
                }
                continue;
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {
                continue;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(ImportError {
                        code: codes::E8005,
                        message: format!("the document is nested more than {MAX_DEPTH} deep"),
                        location: here.at(line, col),
                        help: Some(
                            "flatten the document; no API description needs this depth".into(),
                        ),
                    });
                }
                let pointer = child_pointer(&stack);
                let pointer = match pointer {
                    Some(p) => p,
                    None => return Err(complex_key(&here, line, col)),
                };
                positions.insert(pointer.clone(), cursor.position(index, line, col));
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq {
                        items: Vec::new(),
                        pointer,
                        anchor,
                    }
                } else {
                    Frame::Map {
                        map: Map::new(),
                        pointer,
                        anchor,
                        key: None,
                        merged: Vec::new(),
                    }
                });
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq { items, anchor, .. }) => (Value::Array(items), anchor),
                _ => return Err(syntax(&here, line, col, "unbalanced sequence")),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map {
                    map, anchor, key, ..
                }) => {
                    if key.is_some() {
                        return Err(syntax(&here, line, col, "a mapping key without a value"));
                    }
                    (Value::Object(map), anchor)
                }
                _ => return Err(syntax(&here, line, col, "unbalanced mapping")),
            },
            Event::Alias(id) => {
                let Some(value) = anchors.get(&id) else {
                    return Err(syntax(&here, line, col, "an alias to an unknown anchor"));
                };
                alias_nodes += count(value);
                if alias_nodes > MAX_ALIAS_NODES {
                    return Err(ImportError {
                        code: codes::E8005,
                        message: format!("aliases expand to more than {MAX_ALIAS_NODES} nodes"),
                        location: here.at(line, col),
                        help: Some(
                            "the document multiplies itself through aliases; write it out".into(),
                        ),
                    });
                }
                (value.clone(), 0)
            }
            Event::Scalar(text, style, anchor, tag) => {
                // Keys are taken as written: `200:` is the key "200".
                if let Some(Frame::Map {
                    key: key @ None,
                    map,
                    pointer,
                    merged,
                    ..
                }) = stack.last_mut()
                {
                    // A repeated key would silently replace the first value (the merge key `<<`
                    // may repeat: each merges; a merged key may be set once).
                    if let Some(i) = merged.iter().position(|k| *k == text) {
                        merged.swap_remove(i);
                    } else if map.contains_key(text.as_ref()) && text != "<<" {
                        *duplicate = true;
                        return Err(syntax(
                            &here,
                            line,
                            col,
                            format!(
                                "the key `{text}` appears twice in the mapping at #{pointer}; \
                                 keys must be unique"
                            ),
                        ));
                    }
                    // A copy of exactly the key's length: the scanner's buffer has room to
                    // spare (about 130 bytes a scalar), and a document has a key per node.
                    *key = Some(String::from(text.as_ref()));
                    continue;
                }
                // Scalars have positions too, so warnings about them point at them.
                if let Some(pointer) = child_pointer(&stack) {
                    positions.insert(pointer, cursor.position(index, line, col));
                }
                let forced_string = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let value = if style == ScalarStyle::Plain && !forced_string {
                    plain(&text)
                } else {
                    Value::String(String::from(text.as_ref()))
                };
                (value, anchor)
            }
        };
        if anchor != 0 {
            anchors.insert(anchor, value.clone());
        }
        match stack.last_mut() {
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map {
                map, key, merged, ..
            }) => match key.take() {
                // YAML merge keys: `<<: *base` (or a list of them) copies the entries the
                // mapping does not set itself; earlier ones win.
                Some(k) if k == "<<" && (value.is_object() || value.is_array()) => {
                    let sources = match value {
                        Value::Array(items) => items,
                        other => vec![other],
                    };
                    for source in sources {
                        let Value::Object(entries) = source else {
                            return Err(syntax(
                                &here,
                                line,
                                col,
                                "a merge key `<<` takes a mapping or a list of mappings",
                            ));
                        };
                        for (k, v) in entries {
                            if !map.contains_key(&k) {
                                merged.push(k.clone());
                                map.insert(k, v);
                            }
                        }
                    }
                }
                Some(k) => {
                    map.insert(k, value);
                }
                None => return Err(complex_key(&here, line, col)),
            },
            None => root = Some(value),
        }
    }
    match root {
        Some(root) => Ok(Doc {
            root,
            positions,
            file: file.into(),
        }),
        None => Err(ImportError {
            code: codes::E8002,
            message: "the document is empty".into(),
            location: here.at(last.0, last.1),
            help: Some(
                "an OpenAPI document is a mapping with an `openapi` version, `info` and `paths`"
                    .into(),
            ),
        }),
    }
}

fn complex_key(here: &Here, line: usize, col: usize) -> ImportError {
    syntax(
        here,
        line,
        col,
        "a mapping key that is a mapping or a sequence; OpenAPI keys are strings",
    )
}

/// The pointer of the node about to start under the top of the stack; `None` when it would be a
/// key (a complex key).
fn child_pointer(stack: &[Frame]) -> Option<String> {
    match stack.last() {
        None => Some(String::new()),
        Some(Frame::Seq { items, pointer, .. }) => Some(format!("{pointer}/{}", items.len())),
        Some(Frame::Map { pointer, key, .. }) => key.as_ref().map(|k| {
            let mut p = String::with_capacity(pointer.len() + k.len() + 1);
            p.push_str(pointer);
            p.push('/');
            if k.contains(['~', '/']) {
                p.push_str(&escape(k));
            } else {
                p.push_str(k);
            }
            p
        }),
    }
}

/// Nodes in a value, iteratively.
fn count(value: &Value) -> usize {
    let mut n = 0;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        n += 1;
        match v {
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    n
}

/// A plain scalar under the YAML 1.2 core schema.
fn plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && let Ok(i) = text.parse::<i64>()
    {
        return Value::Number(i.into());
    }
    if let Some(hex) = text.strip_prefix("0x")
        && let Ok(i) = i64::from_str_radix(hex, 16)
    {
        return Value::Number(i.into());
    }
    if let Some(oct) = text.strip_prefix("0o")
        && let Ok(i) = i64::from_str_radix(oct, 8)
    {
        return Value::Number(i.into());
    }
    let floaty = !digits.is_empty()
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && digits
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit() || b == b'.');
    if floaty
        && let Ok(f) = text.parse::<f64>()
        && let Some(n) = Number::from_f64(f)
    {
        return Value::Number(n);
    }
    Value::String(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_load_with_positions() {
        let text = "a:\n  b: [1, 2.5, x]\n  '200': {c: null}\n";
        let doc = load(text, "f.yaml").unwrap();
        assert_eq!(
            doc.root,
            serde_json::json!({"a": {"b": [1, 2.5, "x"], "200": {"c": null}}})
        );
        assert_eq!(doc.location("/a/200").to_string(), "f.yaml:3:10 (#/a/200)");
        assert_eq!(doc.location("/a/b").to_string(), "f.yaml:2:6 (#/a/b)");
        assert_eq!(doc.location("/a/b/2").to_string(), "f.yaml:2:15 (#/a/b/2)");
        let at = doc.location("/a/200").at.unwrap();
        assert_eq!(
            text.get(at.span.start as usize..at.span.end as usize),
            Some("{")
        );
        let json = load("{\"openapi\": \"3.1.0\", \"n\": 1}", "f.json").unwrap();
        assert_eq!(json.root["n"], 1);
    }

    #[test]
    fn keys_stay_text_and_versions_stay_strings() {
        let doc = load("200: a\nversion: 1.0.0\nb: 0x1f\nc: '12'\n", "f").unwrap();
        assert_eq!(doc.location("/version").to_string(), "f:2:10 (#/version)");
        assert_eq!(doc.root["200"], "a");
        assert_eq!(doc.root["version"], "1.0.0");
        assert_eq!(doc.root["b"], 31);
        assert_eq!(doc.root["c"], "12");
    }

    #[test]
    fn broken_documents_are_errors_with_positions() {
        let e = load("a: [1, 2\n", "f.yaml").unwrap_err();
        assert_eq!(e.code, codes::E8001);
        assert!(e.location.unwrap().to_string().starts_with("f.yaml:"));
        assert_eq!(load("", "f").unwrap_err().code, codes::E8002);
        assert_eq!(
            load("{\"a\": [1,", "f.json").unwrap_err().code,
            codes::E8001
        );
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert_eq!(load(&deep, "f").unwrap_err().code, codes::E8005);
        let deeper = "[".repeat(5000);
        assert!(load(&deeper, "f").is_err());
        let block = (0..300)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect::<String>();
        assert_eq!(load(&block, "f").unwrap_err().code, codes::E8005);
    }

    #[test]
    fn merge_keys_merge_and_duplicate_keys_are_refused() {
        let text = "base: &b {type: object, description: base}\nx:\n  <<: *b\n  description: own\n";
        let doc = load(text, "f").unwrap();
        assert_eq!(
            doc.root["x"],
            serde_json::json!({"type": "object", "description": "own"})
        );
        let e = load("a: 1\nb: 2\na: 3\n", "f.yaml").unwrap_err();
        assert_eq!(e.code, codes::E8001);
        assert!(e.message.contains("`a` appears twice"), "{}", e.message);
        assert_eq!(e.location.unwrap().to_string(), "f.yaml:3:1");
        assert_eq!(
            load("{\"a\": 1, \"a\": 2}", "f.json").unwrap_err().code,
            codes::E8001
        );
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in 'b'..='k' {
            text.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = name;
        }
        assert_eq!(load(&text, "f").unwrap_err().code, codes::E8005);
    }
}
