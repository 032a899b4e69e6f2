//! `components`: the schemas an operation uses (found by walking types through fields and
//! aliases), their names, the `traceparent` parameter and the verdict header.

use std::collections::BTreeMap;

use charter::api::http::{
    TRACEPARENT, TRACEPARENT_EXAMPLE, TRACEPARENT_PATTERN, VERDICT_HEADER, VERDICT_SIGNATURE_HEADER,
};
use charter::api::{Decl, Index, Reach};
use charter::ir::{Kind, QualName, Service, Type};
use serde_json::{Map, Value as Json, json};

use super::http;
use crate::jsonschema::{schema, types};

/// What one document uses: its named types with their component names, and whether any
/// operation is guarded (and by which policy first, for the header's example).
pub struct Used<'a> {
    names: BTreeMap<&'a QualName, String>,
    pub guard: Option<&'a QualName>,
}

impl<'a> Used<'a> {
    /// Every type the service's operations reach.
    pub fn of(index: &Index<'a>, service: &'a Service) -> Used<'a> {
        let guard = service
            .ops
            .iter()
            .find_map(|op| op.guard.as_ref().map(|g| &g.policy));
        let seen: Vec<&'a QualName> = Reach::of_service(index, service).dirs.into_keys().collect();
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for name in &seen {
            *count.entry(name.name.as_str()).or_default() += 1;
        }
        let names = seen
            .iter()
            .map(|n| {
                let key = if count.get(n.name.as_str()).copied().unwrap_or(0) > 1 {
                    n.to_string()
                } else {
                    n.name.to_string()
                };
                (*n, key)
            })
            .collect();
        Used { names, guard }
    }

    /// The `$ref` to a named type's component.
    pub fn reference(&self, name: &QualName) -> String {
        let key = self
            .names
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string());
        format!("#/components/schemas/{key}")
    }

    /// The schema of a type in this document.
    pub fn schema(&self, index: &Index<'_>, ty: &Type) -> Map<String, Json> {
        types::schema_with(index, ty, &|to: &QualName, _: Kind| {
            Some(self.reference(to))
        })
    }
}

/// The `components` object.
pub fn components(index: &Index<'_>, used: &Used<'_>) -> Map<String, Json> {
    let refer = |to: &QualName, _: Kind| Some(used.reference(to));
    let mut schemas = Map::new();
    for (name, key) in &used.names {
        let Some(decl) = index.get(name) else {
            continue;
        };
        let body = match decl {
            Decl::Service(_) => continue,
            Decl::Record(r) => {
                let mut out = schema::object_body(
                    index,
                    &r.name,
                    r.doc.as_deref(),
                    &r.fields,
                    r.with_provenance,
                    &refer,
                );
                schema::deprecate(&mut out, r.deprecated.as_deref());
                out
            }
            Decl::Entity(s) | Decl::Context(s) => {
                schema::object_body(index, &s.name, s.doc.as_deref(), &s.fields, false, &refer)
            }
            Decl::Enum(e) => {
                let mut out = schema::enum_body(e);
                if e.open {
                    out.insert("x-charter-open-enum".into(), json!(true));
                }
                // Value docs, aligned with `enum` (as code generators read them).
                if e.variants.iter().any(|v| v.doc.is_some()) {
                    let docs: Vec<&str> = e
                        .variants
                        .iter()
                        .map(|v| v.doc.as_deref().unwrap_or(""))
                        .collect();
                    out.insert("x-enum-descriptions".into(), json!(docs));
                }
                let deprecated: Vec<&str> = e
                    .variants
                    .iter()
                    .filter(|v| v.deprecated.is_some())
                    .map(|v| v.wire_name())
                    .collect();
                if !deprecated.is_empty() {
                    out.insert("x-charter-deprecated-values".into(), json!(deprecated));
                }
                out
            }
            Decl::Alias(a) => {
                let mut out = types::schema_with(index, &a.ty, &refer);
                schema::describe(&mut out, &a.name, a.doc.as_deref());
                schema::deprecate(&mut out, a.deprecated.as_deref());
                out
            }
        };
        schemas.insert(key.clone(), Json::Object(body));
    }
    let mut out = Map::new();
    out.insert("schemas".into(), Json::Object(schemas));
    let mut parameters = Map::new();
    parameters.insert(TRACEPARENT.into(), traceparent());
    out.insert("parameters".into(), Json::Object(parameters));
    if let Some(policy) = used.guard {
        let mut headers = Map::new();
        headers.insert(
            VERDICT_HEADER.into(),
            http::verdict_header(index.model().policy(policy)),
        );
        headers.insert(
            VERDICT_SIGNATURE_HEADER.into(),
            http::verdict_signature_header(),
        );
        out.insert("headers".into(), Json::Object(headers));
    }
    out
}

/// The W3C Trace Context `traceparent` request header (version `00`).
fn traceparent() -> Json {
    json!({
        "name": TRACEPARENT,
        "in": "header",
        "required": false,
        "description": "W3C Trace Context (https://www.w3.org/TR/trace-context/): \
            `version-trace_id-parent_id-trace_flags`, propagated to every call the operation \
            makes and recorded with its policy decision.",
        "schema": {
            "type": "string",
            "pattern": TRACEPARENT_PATTERN,
        },
        "example": TRACEPARENT_EXAMPLE,
    })
}
