//! Semantic comparison of two OpenAPI documents (3.0 or 3.1): the import round trip and
//! `charter drift` use it.
//!
//! Both documents are normalised the same way before comparing: operations are keyed by method
//! and full path (the first server's path prefixed, parameter names erased); `$ref`s are
//! resolved (a pair of references already being compared counts as equal, so recursive schemas
//! end); `allOf` of objects is merged; 3.0 `nullable` and `anyOf: [X, null]` become a 3.1 type
//! list; `required` and `enum` are compared as sets; descriptions, titles, examples, `x-*`
//! extensions, `additionalProperties: false` and `format: int64` are ignored; a one-member
//! `anyOf`/`oneOf` is its member, `allOf` of non-objects applies its parts' keywords to the node,
//! whole numbers compare equal however written (`2`, `2.0`), `traceparent`/`tracestate` header
//! parameters are not compared, and component schemas are compared by name only when both
//! documents have them and an operation reaches them (the operations' own schemas are always
//! compared, through their `$ref`s). The success response is the lowest 2xx one of each side: its
//! status and its schema are compared; other responses are compared by status.

use charter::text::pointer::escape;
use std::collections::{BTreeMap, BTreeSet};

use charter::diagnostics::{Code, codes};
use serde_json::{Map, Value};

/// What kind of difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// In the expected document only.
    MissingOperation,
    /// In the actual document only.
    ExtraOperation,
    Parameter,
    RequestBody,
    Response,
    Schema,
    /// The success (lowest 2xx) status differs.
    SuccessStatus,
}

impl Kind {
    /// The code `charter drift` reports this kind of difference with.
    pub fn code(self) -> Code {
        match self {
            Kind::MissingOperation => codes::E8101,
            Kind::ExtraOperation => codes::E8102,
            Kind::Parameter => codes::E8103,
            Kind::RequestBody => codes::E8104,
            Kind::Response => codes::E8105,
            Kind::Schema => codes::E8106,
            Kind::SuccessStatus => codes::E8107,
        }
    }
}

/// One difference between the expected and the actual document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    pub kind: Kind,
    /// `GET /pets/{}` style key of the operation, when the difference is in one.
    pub operation: Option<String>,
    /// Where: a JSON pointer into the normalised document, such as
    /// `/paths/~1pets/get/parameters/query/limit/schema/maximum`.
    pub pointer: String,
    pub message: String,
}

const IGNORED: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "externalDocs",
    "$comment",
    "$schema",
    "$id",
    "xml",
];

/// Every difference, sorted.
pub fn compare(expected: &Value, actual: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    let a = operations(expected);
    let b = operations(actual);
    for (key, op) in &a {
        match b.get(key) {
            None => out.push(Difference {
                kind: Kind::MissingOperation,
                operation: Some(key.clone()),
                pointer: op.pointer.clone(),
                message: format!("`{key}` is not in the actual document"),
            }),
            Some(other) => {
                let mut cx = Cx {
                    a: expected,
                    b: actual,
                    seen: BTreeSet::new(),
                    out: &mut out,
                };
                cx.operation(key, op, other);
            }
        }
    }
    for (key, op) in &b {
        if !a.contains_key(key) {
            out.push(Difference {
                kind: Kind::ExtraOperation,
                operation: Some(key.clone()),
                pointer: op.pointer.clone(),
                message: format!("`{key}` is not in the expected document"),
            });
        }
    }
    let empty = Map::new();
    let sa = schemas(expected).unwrap_or(&empty);
    let sb = schemas(actual).unwrap_or(&empty);
    let reached: BTreeSet<String> = reached_schemas(expected)
        .into_iter()
        .chain(reached_schemas(actual))
        .collect();
    // A schema only one document has is a different factoring of the same payloads (a named
    // alias, a renamed or inlined component): what is served is compared where operations use
    // it, so only the schemas both documents name are compared by name.
    let names: BTreeSet<&String> = sa
        .keys()
        .filter(|name| sb.contains_key(*name) && reached.contains(*name))
        .collect();
    for name in names {
        let pointer = format!("/components/schemas/{}", escape(name));
        let mut cx = Cx {
            a: expected,
            b: actual,
            seen: BTreeSet::new(),
            out: &mut out,
        };
        let target = format!("#{pointer}");
        cx.seen.insert((target.clone(), target));
        cx.presence(
            Kind::Schema,
            None,
            &pointer,
            sa.get(name),
            sb.get(name),
            &format!("the schema `{name}`"),
        );
    }
    out.sort();
    out.dedup();
    out
}

fn schemas(doc: &Value) -> Option<&Map<String, Value>> {
    doc.pointer("/components/schemas")?.as_object()
}

struct Op<'a> {
    pointer: String,
    object: &'a Map<String, Value>,
    item: &'a Map<String, Value>,
}

/// Operations by `METHOD /full/{}/path`.
fn operations(doc: &Value) -> BTreeMap<String, Op<'_>> {
    let base = doc
        .pointer("/servers/0/url")
        .and_then(Value::as_str)
        .map(|url| {
            let path = match url.split_once("://") {
                Some((_, rest)) => rest.find('/').and_then(|i| rest.get(i..)).unwrap_or(""),
                None => url,
            };
            path.trim_end_matches('/').to_string()
        })
        .unwrap_or_default();
    let mut out = BTreeMap::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let item = match item.get("$ref").and_then(Value::as_str) {
            Some(r) => r
                .strip_prefix('#')
                .and_then(|p| doc.pointer(p))
                .unwrap_or(item),
            None => item,
        };
        let Some(item) = item.as_object() else {
            continue;
        };
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            let Some(object) = item.get(method).and_then(Value::as_object) else {
                continue;
            };
            let full = format!("{base}{path}");
            let key = format!("{} {}", method.to_ascii_uppercase(), erase(&full));
            out.insert(
                key,
                Op {
                    pointer: format!("/paths/{}/{method}", escape(path)),
                    object,
                    item,
                },
            );
        }
    }
    out
}

/// `/a/{id}/b/` → `/a/{}/b`.
fn erase(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    let trimmed = out.trim_end_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        trimmed.into()
    }
}

struct Cx<'a, 'o> {
    a: &'a Value,
    b: &'a Value,
    /// Pairs of references being compared (recursion ends there).
    seen: BTreeSet<(String, String)>,
    out: &'o mut Vec<Difference>,
}

impl Cx<'_, '_> {
    fn push(&mut self, kind: Kind, op: Option<&str>, pointer: &str, message: String) {
        self.out.push(Difference {
            kind,
            operation: op.map(str::to_string),
            pointer: pointer.to_string(),
            message,
        });
    }

    fn operation(&mut self, key: &str, a: &Op<'_>, b: &Op<'_>) {
        let pa = parameters(self.a, a);
        let pb = parameters(self.b, b);
        let names: BTreeSet<&(String, String)> = pa.keys().chain(pb.keys()).collect();
        for id in names {
            let pointer = format!("{}/parameters/{}/{}", a.pointer, id.0, escape(&id.1));
            let (x, y) = (pa.get(id), pb.get(id));
            let what = format!("the {} parameter `{}`", id.0, id.1);
            match (x, y) {
                (Some(x), Some(y)) => {
                    let rx = x.get("required") == Some(&Value::Bool(true));
                    let ry = y.get("required") == Some(&Value::Bool(true));
                    if rx != ry {
                        self.push(
                            Kind::Parameter,
                            Some(key),
                            &format!("{pointer}/required"),
                            format!(
                                "{what} is {} in the expected document, {} in the actual one",
                                req(rx),
                                req(ry)
                            ),
                        );
                    }
                    let null = Value::Null;
                    self.schema(
                        Kind::Parameter,
                        key,
                        &format!("{pointer}/schema"),
                        x.get("schema").unwrap_or(&null),
                        y.get("schema").unwrap_or(&null),
                    );
                }
                _ => {
                    let x = x.map(|m| Value::Object((*m).clone()));
                    let y = y.map(|m| Value::Object((*m).clone()));
                    self.presence(
                        Kind::Parameter,
                        Some(key),
                        &pointer,
                        x.as_ref(),
                        y.as_ref(),
                        &what,
                    )
                }
            }
        }
        // Request bodies.
        let ba = body(self.a, a.object);
        let bb = body(self.b, b.object);
        let pointer = format!("{}/requestBody", a.pointer);
        match (ba, bb) {
            (Some((ra, sa)), Some((rb, sb))) => {
                if ra != rb {
                    self.push(
                        Kind::RequestBody,
                        Some(key),
                        &format!("{pointer}/required"),
                        format!(
                            "the request body is {} in the expected document, {} in the actual one",
                            req(ra),
                            req(rb)
                        ),
                    );
                }
                self.schema(
                    Kind::RequestBody,
                    key,
                    &format!("{pointer}/schema"),
                    &sa,
                    &sb,
                );
            }
            (x, y) => self.presence(
                Kind::RequestBody,
                Some(key),
                &pointer,
                x.map(|v| v.1).as_ref(),
                y.map(|v| v.1).as_ref(),
                "the request body",
            ),
        }
        // Responses: the success one by schema, the others by status.
        let ra = responses(self.a, a.object);
        let rb = responses(self.b, b.object);
        let success = |r: &BTreeMap<String, Option<Value>>| -> Option<(String, Option<Value>)> {
            r.iter()
                .find(|(s, _)| s.starts_with('2'))
                .map(|(s, v)| (s.clone(), v.clone()))
        };
        let (sa, sb) = (success(&ra), success(&rb));
        let pointer = format!("{}/responses/success", a.pointer);
        if let (Some((x, _)), Some((y, _))) = (&sa, &sb)
            && x != y
        {
            self.push(
                Kind::SuccessStatus,
                Some(key),
                &format!("{pointer}/status"),
                format!(
                    "the success status is {x} in the expected document, {y} in the actual one"
                ),
            );
        }
        match (&sa, &sb) {
            (Some((_, Some(x))), Some((_, Some(y)))) => {
                self.schema(Kind::Response, key, &format!("{pointer}/schema"), x, y);
            }
            (Some((_, None)), Some((_, None))) | (None, None) => {}
            (x, y) => {
                let x = x.as_ref().and_then(|v| v.1.clone());
                let y = y.as_ref().and_then(|v| v.1.clone());
                self.presence(
                    Kind::Response,
                    Some(key),
                    &pointer,
                    x.as_ref(),
                    y.as_ref(),
                    "the success response body",
                );
            }
        }
        let skip: BTreeSet<String> = [sa.map(|s| s.0), sb.map(|s| s.0)]
            .into_iter()
            .flatten()
            .collect();
        let statuses: BTreeSet<&String> = ra
            .keys()
            .chain(rb.keys())
            .filter(|s| !skip.contains(*s))
            .collect();
        for status in statuses {
            let pointer = format!("{}/responses/{status}", a.pointer);
            let what = format!("the `{status}` response");
            match (ra.get(status), rb.get(status)) {
                (Some(Some(x)), Some(Some(y))) => {
                    self.schema(Kind::Response, key, &format!("{pointer}/schema"), x, y);
                }
                (Some(None), Some(None)) => {}
                (x, y) => {
                    let marker = Value::Object(Map::new());
                    let x = x.map(|v| v.clone().unwrap_or_else(|| marker.clone()));
                    let y = y.map(|v| v.clone().unwrap_or_else(|| marker.clone()));
                    self.presence(
                        Kind::Response,
                        Some(key),
                        &pointer,
                        x.as_ref(),
                        y.as_ref(),
                        &what,
                    );
                }
            }
        }
    }

    fn presence(
        &mut self,
        kind: Kind,
        op: Option<&str>,
        pointer: &str,
        x: Option<&Value>,
        y: Option<&Value>,
        what: &str,
    ) {
        match (x, y) {
            (Some(_), None) => self.push(
                kind,
                op,
                pointer,
                format!("{what} is not in the actual document"),
            ),
            (None, Some(_)) => self.push(
                kind,
                op,
                pointer,
                format!("{what} is not in the expected document"),
            ),
            (Some(x), Some(y)) => {
                let key = op.unwrap_or("");
                self.schema(kind, key, pointer, x, y);
            }
            (None, None) => {}
        }
    }

    /// Compares two schemas after normalising each node.
    fn schema(&mut self, kind: Kind, op: &str, pointer: &str, x: &Value, y: &Value) {
        let op_ref = (!op.is_empty()).then_some(op);
        let rx = x.get("$ref").and_then(Value::as_str).map(str::to_string);
        let ry = y.get("$ref").and_then(Value::as_str).map(str::to_string);
        if let (Some(rx), Some(ry)) = (&rx, &ry)
            && !self.seen.insert((rx.clone(), ry.clone()))
        {
            return;
        }
        if self.seen.len() > 10_000 || pointer.len() > 4096 {
            return;
        }
        let nx = normalise(self.a, x);
        let ny = normalise(self.b, y);
        let keys: BTreeSet<&String> = nx.keys().chain(ny.keys()).collect();
        for k in keys {
            let at = format!("{pointer}/{}", escape(k));
            match (nx.get(k), ny.get(k)) {
                (Some(a), Some(b)) if k == "properties" => {
                    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
                        continue;
                    };
                    let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
                    for name in names {
                        let p = format!("{at}/{}", escape(name));
                        match (a.get(name), b.get(name)) {
                            (Some(sa), Some(sb)) => self.schema(kind, op, &p, sa, sb),
                            (sa, sb) => self.presence(
                                kind,
                                op_ref,
                                &p,
                                sa,
                                sb,
                                &format!("the property `{name}`"),
                            ),
                        }
                    }
                }
                (Some(a), Some(b))
                    if matches!(k.as_str(), "items" | "additionalProperties")
                        && a.is_object()
                        && b.is_object() =>
                {
                    self.schema(kind, op, &at, a, b);
                }
                (Some(a), Some(b)) if a == b => {}
                (a, b) => {
                    let show = |v: Option<&Value>| v.map_or("absent".to_string(), compact);
                    self.push(
                        kind,
                        op_ref,
                        &at,
                        format!(
                            "`{k}` is {} in the expected document, {} in the actual one",
                            show(a),
                            show(b)
                        ),
                    );
                }
            }
        }
    }
}

fn req(r: bool) -> &'static str {
    if r { "required" } else { "optional" }
}

fn compact(v: &Value) -> String {
    let text = v.to_string();
    if text.len() > 80 {
        format!("{}…", text.chars().take(77).collect::<String>())
    } else {
        text
    }
}

mod normal;
mod origin;
use normal::{body, normalise, parameters, reached_schemas, responses};
pub use origin::origins;

#[cfg(test)]
mod tests;
