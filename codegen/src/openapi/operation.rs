//! One Charter operation as an OpenAPI operation object.

use charter::api::Index;
use charter::ir::{GraphqlKind, Operation, Param, ParamLocation, Service, Type};
use serde_json::{Map, Value as Json, json};

use charter::api::http::{
    CONTENT_TYPE as JSON, TRACEPARENT, VERDICT_HEADER, VERDICT_SIGNATURE_HEADER, deprecation,
    reason, sends_verdict,
};

use super::components::Used;
use super::http;
use crate::jsonschema::schema::title;
use crate::jsonschema::types;

pub fn operation(index: &Index<'_>, service: &Service, op: &Operation, used: &Used<'_>) -> Json {
    let mut out = Map::new();
    out.insert("operationId".into(), json!(op.name));
    if let Some(doc) = &op.doc {
        if let Some(summary) = title(Some(doc)) {
            out.insert("summary".into(), json!(summary));
        }
        out.insert("description".into(), json!(doc));
    }
    let mut parameters = vec![json!({ "$ref": format!("#/components/parameters/{TRACEPARENT}") })];
    for p in &op.params {
        if let Some(parameter) = parameter(index, p, used) {
            parameters.push(parameter);
        }
    }
    out.insert("parameters".into(), Json::Array(parameters));
    if let Some(body) = op.params.iter().find(|p| p.location == ParamLocation::Body) {
        out.insert("requestBody".into(), request_body(index, op, body, used));
    }
    let deprecation = deprecation(service, op);
    let mut headers = Map::new();
    if sends_verdict(op) {
        headers.insert(
            VERDICT_HEADER.into(),
            json!({ "$ref": format!("#/components/headers/{VERDICT_HEADER}") }),
        );
        headers.insert(
            VERDICT_SIGNATURE_HEADER.into(),
            json!({ "$ref": format!("#/components/headers/{VERDICT_SIGNATURE_HEADER}") }),
        );
    }
    if let Some(d) = deprecation {
        http::deprecation_headers(d, &mut headers);
    }
    let mut responses = Map::new();
    let status = op.success_status();
    responses.insert(
        status.to_string(),
        response(index, status, op.result.as_ref(), &headers, used),
    );
    for (status, ty) in &op.errors {
        responses.insert(
            status.to_string(),
            response(index, *status, Some(ty), &headers, used),
        );
    }
    out.insert("responses".into(), Json::Object(responses));
    if let Some(d) = deprecation {
        out.insert("deprecated".into(), json!(true));
        if let Some(sunset) = d.sunset {
            out.insert("x-sunset".into(), json!(sunset.to_string()));
        }
        out.insert(
            "x-charter-deprecation".into(),
            http::deprecation_extension(d),
        );
    }
    if let Some(guard) = &op.guard {
        out.insert(
            "x-charter-guard".into(),
            json!({ "policy": guard.policy.to_string(), "action": guard.action }),
        );
    }
    if op.requires_provenance {
        out.insert("x-charter-requires-provenance".into(), json!(true));
    }
    if let Some(kind) = op.graphql {
        let kind = match kind {
            GraphqlKind::Query => "query",
            GraphqlKind::Mutation => "mutation",
        };
        out.insert("x-charter-graphql".into(), json!(kind));
    }
    Json::Object(out)
}

/// A path or query parameter; `None` for the body.
fn parameter(index: &Index<'_>, p: &Param, used: &Used<'_>) -> Option<Json> {
    let location = match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Body => return None,
    };
    let mut schema = used.schema(index, &p.ty);
    if let Some(default) = p
        .default
        .as_ref()
        .and_then(|d| types::wire_value(index, d, &p.ty))
    {
        schema.insert("default".into(), default);
    }
    let required = p.location == ParamLocation::Path || required(p);
    Some(json!({
        "name": p.wire_name(),
        "in": location,
        "required": required,
        "schema": schema,
    }))
}

/// Required: neither optional (`T?`, absent) nor defaulted.
fn required(p: &Param) -> bool {
    !p.ty.is_optional() && p.default.is_none()
}

fn request_body(index: &Index<'_>, op: &Operation, body: &Param, used: &Used<'_>) -> Json {
    let mut schema = used.schema(index, &body.ty);
    if let Some(default) = body
        .default
        .as_ref()
        .and_then(|d| types::wire_value(index, d, &body.ty))
    {
        schema.insert("default".into(), default);
    }
    let mut out = Map::new();
    out.insert("required".into(), json!(required(body)));
    out.insert("content".into(), json!({ JSON: { "schema": schema } }));
    if op.requires_provenance {
        out.insert(
            "description".into(),
            json!(
                "Every record carries the provenance envelope (`provenance`, \
                 `std.provenance.Provenance`): a request without a valid envelope is denied."
            ),
        );
    }
    Json::Object(out)
}

fn response(
    index: &Index<'_>,
    status: u16,
    ty: Option<&Type>,
    headers: &Map<String, Json>,
    used: &Used<'_>,
) -> Json {
    let mut out = Map::new();
    out.insert("description".into(), json!(reason(status)));
    if let Some(ty) = ty {
        out.insert(
            "content".into(),
            json!({ JSON: { "schema": used.schema(index, ty) } }),
        );
    }
    if !headers.is_empty() {
        out.insert("headers".into(), Json::Object(headers.clone()));
    }
    Json::Object(out)
}
