//! Normalising what is compared: `$ref`s resolved, parameters by place and name, the JSON
//! schema of bodies and responses, and one schema node in a canonical form.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::{IGNORED, Op};

/// Follows `$ref`s to their target (at most 32 hops).
pub(super) fn resolve<'a>(doc: &'a Value, mut v: &'a Value) -> &'a Value {
    for _ in 0..32 {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| doc.pointer(p)) {
                Some(t) => v = t,
                None => return v,
            },
            None => return v,
        }
    }
    v
}

/// Header parameters that are never compared (W3C Trace Context).
const TRACE_HEADERS: &[&str] = &["traceparent", "tracestate"];

/// Path-level and operation-level parameters, by (location, name).
pub(super) fn parameters<'a>(
    doc: &'a Value,
    op: &Op<'a>,
) -> BTreeMap<(String, String), &'a Map<String, Value>> {
    let mut out = BTreeMap::new();
    for list in [op.item.get("parameters"), op.object.get("parameters")] {
        for p in list.and_then(Value::as_array).into_iter().flatten() {
            let Some(p) = resolve(doc, p).as_object() else {
                continue;
            };
            let name = p
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let place = p
                .get("in")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            // W3C trace context headers are transport, not the contract: a served document
            // that lists them on every operation does not differ.
            if place == "header" && TRACE_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                continue;
            }
            out.insert((place, name), p);
        }
    }
    out
}

/// The JSON media type of a request body or response (after its `$ref`s): `application/json`,
/// else the first other `*json` type.
pub(super) fn json_media(object: &Value) -> Option<&str> {
    let content = object.get("content")?.as_object()?;
    if content.contains_key("application/json") {
        return Some("application/json");
    }
    content
        .keys()
        .find(|k| k.ends_with("json"))
        .map(String::as_str)
}

/// The JSON schema of a request body or response: `application/json` or another `*json` type.
pub(super) fn json_schema(doc: &Value, object: &Value) -> Option<Value> {
    let object = resolve(doc, object);
    let media = object.get("content")?.get(json_media(object)?)?;
    Some(
        media
            .get("schema")
            .cloned()
            .unwrap_or(Value::Object(Map::new())),
    )
}

pub(super) fn body(doc: &Value, op: &Map<String, Value>) -> Option<(bool, Value)> {
    let body = resolve(doc, op.get("requestBody")?);
    let required = body.get("required") == Some(&Value::Bool(true));
    Some((required, json_schema(doc, body)?))
}

/// Responses by status, with their JSON schema (or none).
pub(super) fn responses(doc: &Value, op: &Map<String, Value>) -> BTreeMap<String, Option<Value>> {
    let mut out = BTreeMap::new();
    for (status, r) in op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        out.insert(status.clone(), json_schema(doc, r));
    }
    out
}

/// One schema node, normalised (its children are normalised when they are compared).
pub(super) fn normalise(doc: &Value, v: &Value) -> Map<String, Value> {
    // A `$ref` with siblings (3.1: a default, a deprecation) is its target plus the siblings.
    let siblings: Vec<(String, Value)> = match v.as_object() {
        Some(o) if o.contains_key("$ref") => o
            .iter()
            .filter(|(k, _)| *k != "$ref")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        _ => Vec::new(),
    };
    let v = resolve(doc, v);
    let Some(obj) = v.as_object() else {
        let mut m = Map::new();
        m.insert("const-schema".into(), v.clone());
        return m;
    };
    let mut obj = obj.clone();
    obj.extend(siblings);
    // allOf of objects: merge.
    if let Some(all) = obj.remove("allOf").and_then(|a| a.as_array().cloned()) {
        let mut props = obj
            .remove("properties")
            .and_then(|p| p.as_object().cloned())
            .unwrap_or_default();
        let mut required: Vec<Value> = obj
            .remove("required")
            .and_then(|r| r.as_array().cloned())
            .unwrap_or_default();
        let parts: Vec<Map<String, Value>> = all.iter().map(|p| normalise(doc, p)).collect();
        let objects = parts.iter().any(is_object) || !props.is_empty();
        if objects {
            for part in &parts {
                if let Some(p) = part.get("properties").and_then(Value::as_object) {
                    props.extend(p.clone());
                }
                if let Some(r) = part.get("required").and_then(Value::as_array) {
                    required.extend(r.iter().cloned());
                }
            }
            obj.insert("type".into(), Value::String("object".into()));
            obj.insert("properties".into(), Value::Object(props));
            obj.insert("required".into(), Value::Array(required));
        } else {
            // `{type: integer, allOf: [{$ref: Count}]}`: not objects, so the parts' keywords
            // apply to the node itself (the node's own win).
            if !required.is_empty() {
                obj.insert("required".into(), Value::Array(required));
            }
            for part in parts {
                for (k, v) in part {
                    obj.entry(k).or_insert(v);
                }
            }
        }
    }
    // `oneOf`/`anyOf` whose alternatives are each one value: an `enum` of those values.
    for key in ["oneOf", "anyOf"] {
        if let Some(values) = obj.get(key).and_then(|alts| constants(doc, alts)) {
            let (values, ty) = values;
            obj.remove(key);
            obj.entry("enum").or_insert(Value::Array(values));
            if let Some(ty) = ty {
                obj.entry("type").or_insert(ty);
            }
        }
    }
    // Nullable forms → a type list with "null".
    let mut nullable = obj.remove("nullable") == Some(Value::Bool(true));
    for key in ["anyOf", "oneOf"] {
        let Some(alts) = obj.get(key).and_then(Value::as_array).cloned() else {
            continue;
        };
        let non_null: Vec<&Value> = alts
            .iter()
            .filter(|a| resolve(doc, a).get("type").and_then(Value::as_str) != Some("null"))
            .collect();
        // `anyOf: [X, null]` is a nullable X; a one-member `anyOf: [X]` is X.
        if non_null.len() == 1 {
            nullable |= non_null.len() < alts.len();
            obj.remove(key);
            if let Some(only) = non_null.first() {
                for (k, v) in normalise(doc, only) {
                    obj.entry(k).or_insert(v);
                }
            }
        }
    }
    let mut types: BTreeSet<String> = match obj.remove("type") {
        Some(Value::String(t)) => [t].into(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => BTreeSet::new(),
    };
    // Like the importer, `properties` without a type is an object, `items` an array.
    if types.is_empty() && obj.contains_key("properties") {
        types.insert("object".into());
    }
    if types.is_empty() && obj.contains_key("items") {
        types.insert("array".into());
    }
    if nullable && !types.is_empty() {
        types.insert("null".into());
    }
    if !types.is_empty() {
        obj.insert(
            "type".into(),
            Value::Array(types.into_iter().map(Value::String).collect()),
        );
    }
    // A keyword that constrains values of one JSON type says nothing beside a type list without
    // that type (`required` beside `type: array`, `minItems` beside `type: string`).
    if let Some(Value::Array(ts)) = obj.get("type") {
        let has = |t: &str| ts.iter().any(|x| x == t);
        let (object, array, string) = (has("object"), has("array"), has("string"));
        let number = has("number") || has("integer");
        obj.retain(|k, _| match k.as_str() {
            "required" | "minProperties" | "maxProperties" => object,
            "minItems" | "maxItems" | "uniqueItems" => array,
            "minLength" | "maxLength" | "pattern" => string,
            "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => {
                number
            }
            _ => true,
        });
    }
    if let Some(Value::Array(r)) = obj.get_mut("required") {
        let mut set: Vec<Value> = r.clone();
        set.sort_by_key(Value::to_string);
        set.dedup();
        *r = set;
        if r.is_empty() {
            obj.remove("required");
        }
    }
    if let Some(Value::Array(e)) = obj.get_mut("enum") {
        e.sort_by_key(Value::to_string);
        e.dedup();
    }
    // Charter's `int` is 64 bits: `format: int64` says nothing more.
    if obj.get("format").and_then(Value::as_str) == Some("int64") {
        obj.remove("format");
    }
    if obj.get("additionalProperties") == Some(&Value::Bool(false)) {
        obj.remove("additionalProperties");
    }
    obj.retain(|k, _| !IGNORED.contains(&k.as_str()) && !k.starts_with("x-"));
    for v in obj.values_mut() {
        integral(v);
    }
    obj
}

/// The values of alternatives that are each one value (`const`, or an `enum` of one) besides
/// annotations and a `type` all share (returned with them; `string` when none is written and
/// every value is a string), such as `oneOf: [{const: asc, title: ASC}, {const: desc}]`;
/// `None` for any other list of alternatives.
fn constants(doc: &Value, alternatives: &Value) -> Option<(Vec<Value>, Option<Value>)> {
    let alternatives = alternatives.as_array().filter(|a| !a.is_empty())?;
    let mut values = Vec::new();
    let mut types = BTreeSet::new();
    for alternative in alternatives {
        let alternative = resolve(doc, alternative).as_object()?;
        let mut value = None;
        for (k, v) in alternative {
            match k.as_str() {
                "const" => value = Some(v.clone()),
                "enum" => match v.as_array().map(Vec::as_slice) {
                    Some([one]) => value = Some(one.clone()),
                    _ => return None,
                },
                "type" => {
                    types.insert(v.to_string());
                }
                k if IGNORED.contains(&k) || k.starts_with("x-") => {}
                _ => return None,
            }
        }
        values.push(value?);
    }
    // The values' type when the alternatives do not say it: only strings admit only strings.
    let ty = match alternatives.first().map(|a| resolve(doc, a).get("type")) {
        Some(Some(t)) if types.len() == 1 => Some(t.clone()),
        _ if types.is_empty() && values.iter().all(Value::is_string) => {
            Some(Value::String("string".into()))
        }
        _ => None,
    };
    Some((values, ty))
}

/// Does a normalised schema describe an object?
fn is_object(schema: &Map<String, Value>) -> bool {
    schema.contains_key("properties")
        || schema
            .get("type")
            .and_then(Value::as_array)
            .is_some_and(|ts| ts.iter().any(|t| t == "object"))
}

/// `2.0` → `2`, everywhere in a value: YAML and JSON writers differ in how they print a whole
/// number, and `maximum: 2` says what `maximum: 2.0` says.
fn integral(v: &mut Value) {
    match v {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64())
                && f.fract() == 0.0
                && f.abs() < 9.0e15
            {
                #[expect(
                    clippy::cast_possible_truncation,
                    reason = "a whole number below 2^53 converts exactly"
                )]
                let whole = f as i64;
                *v = Value::from(whole);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral),
        Value::Object(map) => map.values_mut().for_each(integral),
        _ => {}
    }
}

/// The names of the component schemas the operations reach (through `$ref`s, transitively): a
/// schema no operation uses is not part of what the service serves, so it is not compared.
pub(super) fn reached_schemas(doc: &Value) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&Value> = doc.get("paths").into_iter().collect();
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                if let Some(r) = map.get("$ref").and_then(Value::as_str)
                    && seen.insert(r)
                {
                    if let Some(name) = r.strip_prefix("#/components/schemas/") {
                        names.insert(charter::text::pointer::unescape(name));
                    }
                    if let Some(target) = r.strip_prefix('#').and_then(|p| doc.pointer(p)) {
                        stack.push(target);
                    }
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    names
}
