//! Where a difference comes from in one of the compared documents: the pointer of a
//! [`Difference`] is into the normalised document (`/paths/~1pets/get/parameters/query/limit/
//! schema/maximum`); [`origins`] traces it back to the raw JSON pointers of the nodes it was
//! computed from (`/paths/~1pets/get/parameters/0/schema/maximum`, through `$ref`s to
//! `/components/parameters/Limit/schema/maximum`, into `allOf` parts and one-member or nullable
//! `anyOf`/`oneOf` wrappers), so that a difference can be shown at the served document's own
//! place, and the import round trip can pair each difference with the importer's warnings.

use std::collections::BTreeSet;

use charter::text::pointer::{escape, unescape};
use serde_json::Value;

use super::{Difference, normal::json_media, operations};

/// Hops through `$ref`s, `allOf` parts and `anyOf`/`oneOf` members followed at one level.
const MAX_EXPANSION: usize = 64;

/// The raw JSON pointers (without `#`) in `doc` of the nodes `difference` was computed from:
/// the operation, parameter, body or response, each schema node on the way down (the places
/// that refer, the targets of their `$ref`s, the `allOf` parts and wrapper members merged into
/// a node), and the keyword or property that differs when `doc` has it. Empty when the
/// difference is not in `doc` (an operation or schema only the other document has).
pub fn origins(doc: &Value, difference: &Difference) -> BTreeSet<String> {
    let segments: Vec<String> = difference
        .pointer
        .split('/')
        .skip(1)
        .map(unescape)
        .collect();
    let mut out = BTreeSet::new();
    match segments.first().map(String::as_str) {
        Some("paths") => {
            let Some(key) = difference.operation.as_deref() else {
                return out;
            };
            let ops = operations(doc);
            let Some(op) = ops.get(key) else {
                return out;
            };
            out.insert(op.pointer.clone());
            let rest = segments.get(3..).unwrap_or_default();
            operation_part(doc, &op.pointer, rest, &mut out);
        }
        Some("components") if segments.get(1).is_some_and(|s| s == "schemas") => {
            let Some(name) = segments.get(2) else {
                return out;
            };
            let start = format!("/components/schemas/{}", escape(name));
            if doc.pointer(&start).is_some() {
                walk(
                    doc,
                    vec![start],
                    segments.get(3..).unwrap_or_default(),
                    &mut out,
                );
            }
        }
        _ => {}
    }
    out
}

/// Below an operation: `parameters/{in}/{name}/…`, `requestBody/…`, `responses/{status}/…`
/// (`success`: the lowest 2xx).
fn operation_part(doc: &Value, op: &str, rest: &[String], out: &mut BTreeSet<String>) {
    let seg = |i: usize| rest.get(i).map(String::as_str);
    match seg(0) {
        Some("parameters") => {
            let (Some(place), Some(name)) = (seg(1), seg(2)) else {
                return;
            };
            let item = op.rsplit_once('/').map_or("", |(item, _)| item);
            let mut found = Vec::new();
            for list in [format!("{item}/parameters"), format!("{op}/parameters")] {
                let Some(params) = doc.pointer(&list).and_then(Value::as_array) else {
                    continue;
                };
                for i in 0..params.len() {
                    let site = format!("{list}/{i}");
                    let chain = refs(doc, &site);
                    let target = chain.last().and_then(|p| doc.pointer(p));
                    let is = |k: &str, v: &str| {
                        target.and_then(|t| t.get(k)).and_then(Value::as_str) == Some(v)
                    };
                    if is("in", place) && is("name", name) {
                        found.extend(chain);
                    }
                }
            }
            out.extend(found.iter().cloned());
            let Some(target) = found.last() else { return };
            match seg(3) {
                Some("schema") => walk(
                    doc,
                    vec![format!("{target}/schema")],
                    rest.get(4..).unwrap_or_default(),
                    out,
                ),
                Some(key) => {
                    out.insert(format!("{target}/{}", escape(key)));
                }
                None => {}
            }
        }
        Some("requestBody") => {
            let chain = refs(doc, &format!("{op}/requestBody"));
            out.extend(chain.iter().cloned());
            let Some(body) = chain.last() else { return };
            content(doc, body, seg(1), rest.get(2..).unwrap_or_default(), out);
        }
        Some("responses") => {
            let Some(status) = seg(1) else { return };
            let responses = doc
                .pointer(&format!("{op}/responses"))
                .and_then(Value::as_object);
            let status = match status {
                "success" => responses
                    .and_then(|r| r.keys().find(|s| s.starts_with('2')))
                    .cloned(),
                other => Some(other.to_string()),
            };
            let Some(status) = status else { return };
            let site = format!("{op}/responses/{}", escape(&status));
            if doc.pointer(&site).is_none() {
                return;
            }
            let chain = refs(doc, &site);
            out.extend(chain.iter().cloned());
            let Some(response) = chain.last() else { return };
            content(
                doc,
                response,
                seg(2),
                rest.get(3..).unwrap_or_default(),
                out,
            );
        }
        _ => {}
    }
}

/// A body or response's JSON schema (`schema/…`), or one of its own keywords.
fn content(doc: &Value, at: &str, key: Option<&str>, rest: &[String], out: &mut BTreeSet<String>) {
    match key {
        Some("schema") => {
            let Some(media) = doc.pointer(at).and_then(|v| json_media(v)) else {
                return;
            };
            let start = format!("{at}/content/{}/schema", escape(media));
            if doc.pointer(&start).is_some() {
                walk(doc, vec![start], rest, out);
            }
        }
        Some(key) => {
            out.insert(format!("{at}/{}", escape(key)));
        }
        None => {}
    }
}

/// `pointer` and the targets of the `$ref`s it leads through, in order (at most 32 hops).
fn refs(doc: &Value, pointer: &str) -> Vec<String> {
    let mut chain = vec![pointer.to_string()];
    let mut at = doc.pointer(pointer);
    for _ in 0..32 {
        let Some(target) = at
            .and_then(|v| v.get("$ref"))
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        else {
            break;
        };
        if chain.iter().any(|p| p == target) {
            break;
        }
        chain.push(target.to_string());
        at = doc.pointer(target);
    }
    chain
}

/// The nodes a schema node is normalised from: itself, its `$ref` targets, its `allOf` parts
/// and its `anyOf`/`oneOf` members (each expanded the same way).
fn expand(doc: &Value, starts: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut stack: Vec<String> = starts.to_vec();
    while let Some(p) = stack.pop() {
        if out.contains(&p) || out.len() > MAX_EXPANSION {
            continue;
        }
        for q in refs(doc, &p) {
            if let Some(node) = doc.pointer(&q) {
                for key in ["allOf", "anyOf", "oneOf"] {
                    let n = node.get(key).and_then(Value::as_array).map_or(0, Vec::len);
                    stack.extend((0..n).map(|i| format!("{q}/{key}/{i}")));
                }
            }
            if !out.contains(&q) {
                out.push(q);
            }
        }
    }
    out
}

/// Down a schema: `properties/NAME`, `items` and `additionalProperties` step into the nodes that
/// have them; any other segment is the keyword that differs (added where `doc` has it).
fn walk(doc: &Value, starts: Vec<String>, rest: &[String], out: &mut BTreeSet<String>) {
    let mut current = starts;
    let mut i = 0;
    loop {
        let nodes = expand(doc, &current);
        out.extend(nodes.iter().cloned());
        let Some(seg) = rest.get(i) else { return };
        let step: Vec<String> = match seg.as_str() {
            "properties" if rest.len() > i + 1 => {
                let name = rest.get(i + 1).map_or("", String::as_str);
                i += 2;
                let segment = format!("properties/{}", escape(name));
                nodes
                    .iter()
                    .map(|p| format!("{p}/{segment}"))
                    .filter(|p| doc.pointer(p).is_some())
                    .collect()
            }
            "items" | "additionalProperties" => {
                i += 1;
                nodes
                    .iter()
                    .map(|p| format!("{p}/{seg}"))
                    .filter(|p| doc.pointer(p).is_some_and(Value::is_object))
                    .collect()
            }
            key => {
                out.extend(
                    nodes
                        .iter()
                        .map(|p| format!("{p}/{}", escape(key)))
                        .filter(|p| doc.pointer(p).is_some()),
                );
                return;
            }
        };
        if step.is_empty() {
            return;
        }
        current = step;
    }
}
