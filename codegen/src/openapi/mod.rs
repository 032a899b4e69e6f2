//! The `openapi` target: one OpenAPI 3.1.0 document per service, as `<Service>.yaml` and
//! `<Service>.json` (the same document; keys sorted, so the output is stable).
//!
//! The mapping (`docs/openapi.md` is the reference for users):
//! - `info`: the service's name as `title`, its version, its doc comment as `description` (the
//!   first sentence as `summary`); `servers` holds the base path (`at "/lineage"`).
//! - One operation per Charter operation, `operationId` its name. Path and query parameters with
//!   their schemas and defaults (a query parameter under its wire name); the `body` parameter as
//!   the `requestBody`; the result as the response of `Operation::success_status` (`@status`,
//!   else `200`, `204` without a result); every declared error as its own response whose schema
//!   refers to the error type's component, shared by every response that returns it.
//! - `components.schemas`: every record, enum, alias, entity and context the operations use,
//!   directly or through fields, as the `jsonschema` target maps them (refinements as keywords;
//!   an optional field is left out of `required` and is never nullable, since `none` is absence;
//!   open enums accept any string and carry `x-charter-open-enum: true`; deprecated items and
//!   fields `deprecated: true`). A component is named after its declaration, qualified by its
//!   package (`summit.platform.Problem`) only when two used declarations share a name.
//! - Every operation takes the W3C `traceparent` header (`components.parameters.traceparent`).
//! - A `guarded by` operation returns the `Charter-Verdict` header on every response
//!   (`components.headers.Charter-Verdict`: the verdict as a structured-field dictionary), the
//!   optional `Charter-Verdict-Signature` header (a compact JWS binding the verdict to the
//!   request, docs/sdk.md) and names its policy and action in `x-charter-guard`.
//! - `requires provenance`: `x-charter-requires-provenance: true` and a request body whose records
//!   require the `provenance` envelope (they are `with provenance`, which the checker ensures).
//! - A deprecated operation (or every operation of a deprecated service) is `deprecated: true`,
//!   returns `Deprecation` (RFC 9745, `@<unix seconds>` of the `since` day) and, with a sunset,
//!   `Sunset` (RFC 8594, the HTTP-date of the sunset day at 00:00:00 GMT) on every response, and
//!   carries `x-sunset` (the date) and `x-charter-deprecation` (every argument of `@deprecated`).
//!
//! [`document`] and [`documents`] give the documents as JSON values, for callers that compare
//! them (drift, import round trips) rather than write them.

mod components;
mod http;
mod operation;
pub mod yaml;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use charter::api::{Index, Segment};
use charter::ir::{Model, PathTemplate, QualName, Service};
use serde_json::{Map, Value as Json, json};

use crate::jsonschema::schema::title;
use crate::{Error, Options, OutputFile, Target};

/// The OpenAPI version every document declares.
pub const VERSION: &str = "3.1.0";

/// One service's OpenAPI document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The service's qualified name.
    pub service: QualName,
    /// The file name without extension: the service's name, or `package.Name` when two services
    /// of the workspace share a name (compared case-insensitively).
    pub stem: String,
    /// The OpenAPI 3.1.0 document.
    pub value: Json,
}

pub struct OpenApi;

impl Target for OpenApi {
    fn name(&self) -> &'static str {
        "openapi"
    }

    /// With `Options.threads` above 1 (the CLI passes the machine's parallelism),
    /// services are emitted by that many threads; the files are the same.
    fn emit(&self, model: &Model, options: &Options) -> Result<Vec<OutputFile>, Error> {
        let index = Index::new(model);
        let stems = stems(&model.services);
        let jobs: Vec<(&Service, &String)> = model.services.iter().zip(&stems).collect();
        let documents = charter::parallel::map(&jobs, options.threads, |(service, stem)| {
            files(&index, service, stem)
        });
        let mut files: Vec<OutputFile> = documents
            .into_iter()
            .collect::<Result<Vec<_>, Error>>()?
            .into_iter()
            .flatten()
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }
}

/// The JSON and YAML files of one service.
fn files(index: &Index<'_>, service: &Service, stem: &str) -> Result<[OutputFile; 2], Error> {
    let value = build(index, service);
    let mut json = Vec::with_capacity(1 << 18);
    serde_json::to_writer_pretty(&mut json, &value).map_err(|e| Error {
        message: format!(
            "the OpenAPI document of `{}` did not serialise: {e}",
            service.name
        ),
        help: None,
    })?;
    json.push(b'\n');
    // The YAML is shorter than the pretty JSON: one allocation.
    let mut text = String::with_capacity(json.len());
    yaml::write(&value, &mut text);
    Ok([
        OutputFile {
            path: format!("{stem}.json"),
            bytes: json,
        },
        OutputFile::text(format!("{stem}.yaml"), text),
    ])
}

/// The OpenAPI document of every service of the model, in the model's order (files in path
/// order, declarations in source order).
pub fn documents(model: &Model) -> Vec<Document> {
    let index = Index::new(model);
    let stems = stems(&model.services);
    model
        .services
        .iter()
        .zip(stems)
        .map(|(service, stem)| Document {
            service: service.name.clone(),
            stem,
            value: build(&index, service),
        })
        .collect()
}

/// The OpenAPI document of one service, named by its qualified name (`summit.lineage.Lineage`)
/// or, when no other service shares it, its own name (`Lineage`). `None` if there is no such
/// service (or the name is ambiguous).
pub fn document(model: &Model, service: &str) -> Option<Json> {
    let found = find(&model.services, service)?;
    let index = Index::new(model);
    Some(build(&index, found))
}

fn find<'a>(services: &'a [Service], name: &str) -> Option<&'a Service> {
    if let Some(s) = services.iter().find(|s| s.name.to_string() == name) {
        return Some(s);
    }
    let mut local = services.iter().filter(|s| s.name.name == name);
    match (local.next(), local.next()) {
        (Some(s), None) => Some(s),
        _ => None,
    }
}

/// File stems: the service's name, qualified when two services' names differ only in case.
pub(crate) fn stems(services: &[Service]) -> Vec<String> {
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for s in services {
        *count.entry(s.name.name.to_lowercase()).or_default() += 1;
    }
    services
        .iter()
        .map(|s| {
            if count.get(&s.name.name.to_lowercase()).copied().unwrap_or(0) > 1 {
                s.name.to_string()
            } else {
                s.name.name.to_string()
            }
        })
        .collect()
}

fn build(index: &Index<'_>, service: &Service) -> Json {
    let used = components::Used::of(index, service);
    let mut paths: BTreeMap<String, Map<String, Json>> = BTreeMap::new();
    for op in &service.ops {
        let item = operation::operation(index, service, op, &used);
        paths
            .entry(op.path.to_string())
            .or_default()
            .insert(op.method.as_str().to_lowercase(), item);
    }
    let mut info = Map::new();
    info.insert("title".into(), json!(service.name.name));
    info.insert("version".into(), json!(service.version));
    if let Some(doc) = &service.doc {
        info.insert("description".into(), json!(doc));
        if let Some(summary) = title(Some(doc)) {
            info.insert("summary".into(), json!(summary));
        }
    }
    info.insert("x-charter-service".into(), json!(service.name.to_string()));
    if let Some(d) = &service.deprecated {
        info.insert(
            "x-charter-deprecation".into(),
            http::deprecation_extension(d),
        );
    }
    let mut out = Map::new();
    out.insert("openapi".into(), json!(VERSION));
    out.insert("info".into(), Json::Object(info));
    if !service.base_path.is_empty() {
        out.insert("servers".into(), json!([server(&service.base_path)]));
    }
    out.insert(
        "paths".into(),
        Json::Object(
            paths
                .into_iter()
                .map(|(k, v)| (k, Json::Object(v)))
                .collect(),
        ),
    );
    out.insert(
        "components".into(),
        Json::Object(components::components(index, &used)),
    );
    Json::Object(out)
}

/// The server for a base path; `{name}` segments become server variables.
fn server(base_path: &PathTemplate) -> Json {
    let mut out = Map::new();
    out.insert("url".into(), json!(base_path.as_str()));
    let mut variables = Map::new();
    for segment in base_path.segments() {
        if let Segment::Param(name) = segment {
            variables.insert(
                name.clone(),
                json!({ "default": name, "description": "set by the deployment" }),
            );
        }
    }
    if !variables.is_empty() {
        out.insert("variables".into(), Json::Object(variables));
    }
    Json::Object(out)
}
