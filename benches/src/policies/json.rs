//! JSON inputs as raw text: numbers keep the exact spelling they were generated with
//! (`0.99999999999999999`, `1E400`, `-0`), which no float type would survive.

use std::fmt::Write as _;

/// A JSON value whose numbers are kept as written.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum J {
    #[default]
    Null,
    Bool(bool),
    /// A number, spelled exactly as it is to appear in the text.
    Num(String),
    Str(String),
    /// A string written with every character outside ASCII as a `\uXXXX` escape (surrogate
    /// pairs beyond the BMP): the same string as `Str`, spelled differently.
    Escaped(String),
    /// A string literal's contents written exactly as given (`\ud800`, a lone surrogate).
    RawStr(String),
    Arr(Vec<J>),
    /// Keys in insertion order.
    Obj(Vec<(String, J)>),
}

/// One step into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

impl J {
    pub fn num(text: &str) -> J {
        J::Num(text.to_string())
    }

    pub fn str(text: &str) -> J {
        J::Str(text.to_string())
    }

    /// The value at `path`, to change it.
    pub fn at_mut(&mut self, path: &[Step]) -> Option<&mut J> {
        let Some((first, rest)) = path.split_first() else {
            return Some(self);
        };
        let next = match (self, first) {
            (J::Obj(fields), Step::Key(k)) => {
                fields.iter_mut().find(|(n, _)| n == k).map(|f| &mut f.1)
            }
            (J::Arr(items), Step::Index(i)) => items.get_mut(*i),
            _ => None,
        }?;
        next.at_mut(rest)
    }

    /// Removes the attribute at `path` (the last step a key); whether it was there.
    pub fn remove(&mut self, path: &[Step]) -> bool {
        let Some((Step::Key(last), parent)) = path.split_last() else {
            return false;
        };
        match self.at_mut(parent) {
            Some(J::Obj(fields)) => {
                let before = fields.len();
                fields.retain(|(k, _)| k != last);
                fields.len() < before
            }
            _ => false,
        }
    }

    /// Sets attribute `key` of the object at `path` (added last when new).
    pub fn set(&mut self, path: &[Step], key: &str, value: J) -> bool {
        match self.at_mut(path) {
            Some(J::Obj(fields)) => {
                match fields.iter_mut().find(|(k, _)| k == key) {
                    Some(field) => field.1 = value,
                    None => fields.push((key.to_string(), value)),
                }
                true
            }
            _ => false,
        }
    }

    /// Adds attribute `key` to the object at `path` again, after the one it has (a duplicate
    /// key: which one counts is the JSON reader's choice).
    pub fn duplicate(&mut self, path: &[Step], key: &str, value: J) -> bool {
        match self.at_mut(path) {
            Some(J::Obj(fields)) if fields.iter().any(|(k, _)| k == key) => {
                fields.push((key.to_string(), value));
                true
            }
            _ => false,
        }
    }

    /// The compact JSON text.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => out.push_str(n),
            J::Str(s) => quote(out, s),
            J::Escaped(s) => {
                let mut plain = String::new();
                quote(&mut plain, s);
                for c in plain.chars() {
                    if c.is_ascii() {
                        out.push(c);
                    } else {
                        let mut units = [0u16; 2];
                        for unit in c.encode_utf16(&mut units) {
                            let _ = write!(out, "\\u{unit:04x}");
                        }
                    }
                }
            }
            J::RawStr(s) => {
                out.push('"');
                out.push_str(s);
                out.push('"');
            }
            J::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            J::Obj(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    quote(out, k);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// A JSON string literal (control characters escaped as `\u00XX`).
fn quote(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
