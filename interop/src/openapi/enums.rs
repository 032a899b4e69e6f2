//! Enumerations: `enum` of strings to Charter enums (values renamed to identifiers, with the
//! wire change warned), other enums and `oneOf`/`anyOf` of consts to their primitive type.

use charter::diagnostics::codes;
use std::collections::BTreeMap;

use charter::naming::Names;
use serde_json::{Map, Value};

use super::names;
use super::schema::{Kind, Ty};
use super::{Decl, Importer};

impl Importer<'_> {
    /// An enum type from `values`, found under `key` (`enum`, or `oneOf`/`anyOf` of consts).
    pub(super) fn enum_ty(
        &mut self,
        values: &[Value],
        ty: Option<&str>,
        pointer: &str,
        hint: &str,
        key: &str,
    ) -> Ty {
        let strings: Option<Vec<&str>> = values
            .iter()
            .filter(|v| !v.is_null())
            .map(Value::as_str)
            .collect();
        let nullable = values.iter().any(Value::is_null);
        match strings {
            Some(strings) if !strings.is_empty() => {
                let name = self.fresh_type(hint);
                let (decl, map) = self.enum_decl(&name, &strings, pointer, key);
                self.decls.insert(name.clone(), decl);
                let mut out = Ty::plain(&name, Kind::Enum(map));
                out.nullable = nullable;
                out
            }
            _ => {
                self.warn(
                    codes::W8004,
                    "an `enum` of values that are not strings".into(),
                    &format!("{pointer}/{key}"),
                    "Charter enums hold names; the values are not checked",
                );
                let mut out = match ty {
                    Some("integer") => Ty::plain("int", Kind::Int),
                    Some("number") => Ty::plain("float", Kind::Float),
                    Some("boolean") => Ty::plain("bool", Kind::Bool),
                    _ => Ty::plain("string", Kind::Str),
                };
                out.nullable = nullable;
                out
            }
        }
    }

    /// An `enum` declaration; returns its text and the value names.
    pub fn enum_decl(
        &mut self,
        name: &str,
        values: &[&str],
        pointer: &str,
        key: &str,
    ) -> (Decl, BTreeMap<String, String>) {
        let mut map = BTreeMap::new();
        let mut used = Names::default();
        let mut body = String::new();
        for (i, value) in values.iter().enumerate() {
            if map.contains_key(*value) {
                continue;
            }
            let ident = used.claim(&names::ident(value));
            if ident != *value
                && let Some(wire) = wire_annotation(value)
            {
                // The value keeps its spelling on the wire.
                body.push_str(&format!("  {wire} {ident}\n"));
                map.insert((*value).to_string(), ident);
                continue;
            }
            if ident != *value {
                self.warn(
                    codes::W8002,
                    format!("the enum value `{value}`"),
                    &format!("{pointer}/{key}/{i}"),
                    &format!(
                        "not a Charter name; renamed `{ident}`: {}",
                        wire_change(&ident, value, "a doc comment")
                    ),
                );
                // Line by line and made safe: a value may hold any text (line breaks too).
                body.push_str(&names::doc_lines(
                    &format!("Original value: `{value}`."),
                    "  ",
                ));
            }
            body.push_str(&format!("  {ident}\n"));
            map.insert((*value).to_string(), ident);
        }
        (Decl::new(format!("enum {name} {{\n{body}}}\n")), map)
    }
}

/// What a rename of a name that is on the wire (an enum value, a property, a parameter) costs
/// when the name cannot be kept with `@wire` (it is empty or holds a control character).
pub(super) fn wire_change(new: &str, old: &str, kept: &str) -> String {
    format!(
        "the generated OpenAPI, JSON Schema and SDKs send and accept `{new}`, not `{old}` \
         (a wire name cannot be empty or hold control or bidirectional characters; the \
         original is kept in {kept})"
    )
}

/// `@wire("NAME")` keeping a name that is not an identifier on the wire, when `@wire` can say
/// it (docs/language.md §8.4: not empty, no control characters; and no bidirectional controls,
/// which no Charter source may hold, E0008).
pub(super) fn wire_annotation(name: &str) -> Option<String> {
    let unsayable = |c: char| c.is_control() || charter::syntax::lex::is_bidi_control(c);
    (!name.is_empty() && !name.chars().any(unsayable))
        .then(|| format!("@wire({})", names::string_lit(name)))
}

/// The keyword and values of `oneOf`/`anyOf` alternatives that are each one `const` (or a
/// one-value `enum`): an enumeration written the JSON Schema way.
pub(super) fn const_alternatives(obj: &Map<String, Value>) -> Option<(&'static str, Vec<Value>)> {
    let key = ["oneOf", "anyOf"]
        .into_iter()
        .find(|k| obj.contains_key(*k))?;
    let alts = obj.get(key).and_then(Value::as_array)?;
    let values: Option<Vec<Value>> = alts
        .iter()
        .map(|alt| {
            alt.get("const").cloned().or_else(|| match alt.get("enum") {
                Some(Value::Array(one)) if one.len() == 1 => one.first().cloned(),
                _ => None,
            })
        })
        .collect();
    values.filter(|v| !v.is_empty()).map(|v| (key, v))
}
