//! `charter import openapi`: an OpenAPI 3.0 or 3.1 document (YAML or JSON) to Charter source.
//!
//! The document is loaded with positions (`doc`), its component schemas become records, enums
//! and aliases (`schema`), its paths one service's operations (`ops`). The text is generated,
//! then run through the formatter. Whatever Charter cannot express becomes an [`ImportWarning`]
//! naming the construct and where it is.

mod decl;
pub mod doc;
mod enums;
mod names;
mod ops;
mod params;
mod records;
mod refs;
mod schema;

use charter::diagnostics::codes;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;

use charter::naming::Names;
use serde_json::Value;

use super::{ImportError, ImportWarning, Imported};
use crate::{Location, SourceFile};
pub use decl::Decl;
use doc::{Doc, escape};
pub(crate) use names::doc_lines;
use schema::Kind;

pub use names::is_package;

/// Imports one OpenAPI document. `file_name` names the document in locations; `package` is the
/// Charter package to write (by default one derived from `info.title`).
pub fn import(text: &str, file_name: &str, package: Option<&str>) -> Result<Imported, ImportError> {
    let doc = doc::load(text, file_name)?;
    check_version(&doc, file_name)?;
    if let Some(error) = refs::check(&doc) {
        return Err(error);
    }
    let mut importer = Importer::new(&doc);
    let package = match package {
        Some(p) if is_package(p) => p.to_string(),
        Some(p) => {
            return Err(ImportError {
                code: codes::E8006,
                message: format!("`{p}` is not a valid package name"),
                location: None,
                help: Some("use lowercase words joined by dots, such as `acme.pets`".into()),
            });
        }
        None => doc
            .at("/info/title")
            .and_then(Value::as_str)
            .and_then(names::package)
            .or_else(|| names::package(file_stem(file_name)))
            .unwrap_or_else(|| "imported".to_string()),
    };
    importer.top_level();
    importer.components();
    let service = importer.service();
    if let Some(error) = importer.error.take() {
        return Err(error);
    }
    importer.break_alias_cycles();
    let mut source = format!(
        "// Imported from {} by `charter import openapi`.\npackage {package}\n\n",
        file_name.rsplit(['/', '\\']).next().unwrap_or(file_name)
    );
    for decl in importer.decls.values() {
        source.push_str(&decl.doc);
        source.push_str(&decl.body);
        source.push('\n');
    }
    source.push_str(&service.text);
    // The document's tree is the largest thing the import holds (about 25 times the text), and
    // formatting the source needs none of it: drop it first, so both are never held at once.
    let mut warnings = std::mem::take(&mut importer.warnings);
    drop(importer);
    drop(doc);
    let path = format!("src/{package}.charter");
    let formatted = charter::fmt::format_text(&path, &source).map_err(|e| ImportError {
        code: codes::E8009,
        message: format!("the generated Charter source does not parse: {e}"),
        location: Some(Box::new(Location::file(file_name))),
        help: Some("this is a bug in the importer; please report it with the document".into()),
    })?;
    let manifest = format!(
        "[package]\nname = \"{package}\"\nversion = \"{}\"\ndescription = {}\n\n[build]\nsources = [\"src\"]\n",
        service.version,
        names::string_lit(&format!("Imported from {file_name}"))
    );
    dedup(&mut warnings);
    Ok(Imported {
        files: vec![
            SourceFile::new("charter.toml", manifest),
            SourceFile::new(path, formatted),
        ],
        warnings,
    })
}

/// Drops the repetitions of a warning (same code, location and construct), keeping the first;
/// the set borrows the warnings instead of copying each key.
fn dedup(warnings: &mut Vec<ImportWarning>) {
    let keep: Vec<bool> = {
        let mut seen = HashSet::new();
        warnings
            .iter()
            .map(|w| seen.insert((w.code, &w.location, &*w.construct)))
            .collect()
    };
    let mut keep = keep.into_iter();
    warnings.retain(|_| keep.next().unwrap_or(true));
}

fn file_stem(file: &str) -> &str {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    base.split('.').next().unwrap_or(base)
}

fn check_version(doc: &Doc, file: &str) -> Result<(), ImportError> {
    let not_openapi = |message: String| ImportError {
        code: codes::E8002,
        message,
        location: Some(Box::new(doc.location(""))),
        help: Some(
            "an OpenAPI document is a mapping with `openapi: 3.x.y`, `info` and `paths`".into(),
        ),
    };
    let Some(root) = doc.root.as_object() else {
        return Err(not_openapi(format!(
            "`{file}` is not a mapping, so not an OpenAPI document"
        )));
    };
    if let Some(swagger) = root.get("swagger") {
        return Err(ImportError {
            code: codes::E8003,
            message: format!("Swagger {} documents are not supported", plain(swagger)),
            location: Some(Box::new(doc.location("/swagger"))),
            help: Some(
                "convert it to OpenAPI 3 first (for example with swagger2openapi), then import it"
                    .into(),
            ),
        });
    }
    let Some(version) = root.get("openapi") else {
        return Err(not_openapi(format!("`{file}` has no `openapi` field")));
    };
    let version = plain(version);
    if !(version.starts_with("3.0") || version.starts_with("3.1")) {
        return Err(ImportError {
            code: codes::E8003,
            message: format!("OpenAPI {version} is not supported"),
            location: Some(Box::new(doc.location("/openapi"))),
            help: Some("Charter imports OpenAPI 3.0 and 3.1".into()),
        });
    }
    if !root.get("paths").is_none_or(Value::is_object)
        || !root.get("info").is_some_and(Value::is_object)
    {
        return Err(not_openapi(format!(
            "`{file}` needs an `info` mapping and `paths` must be a mapping"
        )));
    }
    Ok(())
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The service declaration and its version.
pub struct Service {
    pub text: String,
    pub version: String,
}

/// The conversion state.
pub struct Importer<'d> {
    doc: &'d Doc,
    warnings: Vec<ImportWarning>,
    /// Declarations by name; written in this (sorted) order.
    decls: BTreeMap<String, Decl>,
    /// Component schema name → Charter type name.
    schema_names: BTreeMap<String, String>,
    schema_kinds: BTreeMap<String, Kind>,
    schema_nullable: BTreeSet<String>,
    used_types: Names,
    /// Local references being converted (recursion through non-component schemas).
    resolving: BTreeSet<String>,
    depth: usize,
    /// Operators (`<`, `>`, `in`) written into the service declaration so far (limit: §3.5).
    service_operators: usize,
    /// Sentences about the parameters of the operation being imported (renamed ones, their
    /// descriptions), for its doc comment: parameters take no doc comments.
    param_notes: Vec<String>,
    /// The first fatal problem (a dangling reference).
    error: Option<ImportError>,
    /// The warnings' constructs and messages, each text once (`ImportWarning`).
    texts: HashSet<Arc<str>>,
}

impl<'d> Importer<'d> {
    fn new(doc: &'d Doc) -> Self {
        Importer {
            doc,
            warnings: Vec::new(),
            decls: BTreeMap::new(),
            schema_names: BTreeMap::new(),
            schema_kinds: BTreeMap::new(),
            schema_nullable: BTreeSet::new(),
            used_types: Names::default(),
            resolving: BTreeSet::new(),
            depth: 0,
            service_operators: 0,
            param_notes: Vec::new(),
            error: None,
            texts: HashSet::new(),
        }
    }

    fn warn(
        &mut self,
        code: charter::diagnostics::Code,
        construct: String,
        pointer: &str,
        message: &str,
    ) {
        let construct = self.text(&construct);
        let message = self.text(message);
        self.warnings.push(ImportWarning {
            code,
            construct,
            location: self.doc.location(pointer),
            message,
        });
    }

    /// `text`, shared with every earlier warning that has the same text.
    fn text(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.texts.get(text) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = text.into();
        self.texts.insert(Arc::clone(&shared));
        shared
    }

    fn fail_ref(&mut self, target: &str, pointer: &str) {
        if self.error.is_some() {
            return;
        }
        let external = !target.starts_with('#');
        self.error = Some(ImportError {
            code: codes::E8004,
            message: if external {
                format!("the `$ref` `{target}` points outside the document")
            } else {
                format!("the `$ref` `{target}` points nowhere")
            },
            location: Some(Box::new(self.doc.location(pointer))),
            help: Some(if external {
                "bundle the document into one file first (for example with `redocly bundle`)".into()
            } else {
                "declare the target, or fix the reference".into()
            }),
        });
    }

    /// A type name not taken yet, from a hint.
    fn fresh_type(&mut self, hint: &str) -> String {
        self.used_types.claim(&names::type_ident(hint))
    }

    /// Warnings for top-level constructs Charter has no place for.
    fn top_level(&mut self) {
        let doc = self.doc;
        let root = &doc.root;
        if let Some(hooks) = root.get("webhooks").and_then(Value::as_object) {
            for name in hooks.keys() {
                self.warn(
                    codes::W8001,
                    format!("the webhook `{name}`"),
                    &format!("/webhooks/{}", escape(name)),
                    "Charter services describe requests they receive, not requests they send; not imported",
                );
            }
        }
        for (key, what) in [
            ("security", "security requirements"),
            ("tags", "tags"),
            ("externalDocs", "external documentation links"),
            ("jsonSchemaDialect", "a JSON Schema dialect"),
        ] {
            if root.get(key).is_some() {
                self.warn(
                    codes::W8001,
                    format!("`{key}`"),
                    &format!("/{key}"),
                    &format!("Charter has no {what}; not imported"),
                );
            }
        }
        for key in ["termsOfService", "contact", "license"] {
            if root.pointer(&format!("/info/{key}")).is_some() {
                self.warn(
                    codes::W8001,
                    format!("`info.{key}`"),
                    &format!("/info/{key}"),
                    "Charter services carry no such metadata; not imported",
                );
            }
        }
        if let Some(components) = root.get("components").and_then(Value::as_object) {
            for (key, what) in components {
                let Some(entries) = what.as_object() else {
                    continue;
                };
                // Parameters, request bodies, responses and path items are imported where used.
                if matches!(
                    key.as_str(),
                    "schemas" | "parameters" | "requestBodies" | "responses" | "pathItems"
                ) {
                    continue;
                }
                for name in entries.keys() {
                    self.warn(
                        codes::W8001,
                        format!("the component `{key}.{name}`"),
                        &format!("/components/{}/{}", escape(key), escape(name)),
                        "Charter has no such declaration; not imported",
                    );
                }
            }
        }
        for key in root.as_object().into_iter().flat_map(|o| o.keys()) {
            if key.starts_with("x-") {
                self.warn(
                    codes::W8001,
                    format!("the extension `{key}`"),
                    &format!("/{}", escape(key)),
                    "specification extensions are not imported",
                );
            }
        }
    }

    /// Component schemas: names first (so references resolve in any order), then declarations.
    fn components(&mut self) {
        let Some(schemas) = self
            .doc
            .root
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        else {
            return;
        };
        for (name, schema) in schemas {
            let charter = self.fresh_type(name);
            if charter != *name {
                self.warn(
                    codes::W8002,
                    format!("the schema name `{name}`"),
                    &format!("/components/schemas/{}", escape(name)),
                    &format!("not a Charter type name; renamed `{charter}` (the original is kept in a doc comment)"),
                );
            }
            if let Some(values) = string_enum(schema) {
                let mut used = Names::default();
                let map = values
                    .iter()
                    .map(|v| ((*v).to_string(), used.claim(&names::ident(v))))
                    .collect();
                self.schema_kinds.insert(name.clone(), Kind::Enum(map));
            } else if let Some(kind) = scalar_kind(schema) {
                self.schema_kinds.insert(name.clone(), kind);
            }
            if schema::is_nullable(schema) {
                self.schema_nullable.insert(name.clone());
            }
            self.schema_names.insert(name.clone(), charter);
        }
        for (name, schema) in schemas {
            let pointer = format!("/components/schemas/{}", escape(name));
            let Some(charter) = self.schema_names.get(name).cloned() else {
                continue;
            };
            let mut doc = schema
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            if charter != *name {
                if !doc.is_empty() {
                    doc.push_str("\n\n");
                }
                doc.push_str(&format!("Original name: `{name}`."));
            }
            let body = self.component(&charter, schema, &pointer);
            self.decls
                .insert(charter, body.with_doc(doc_lines(&doc, "")));
        }
    }

    /// A component schema's declaration, without its doc comment (the caller writes the
    /// component's description and original name).
    fn component(&mut self, name: &str, schema: &Value, pointer: &str) -> Decl {
        self.component_losses(schema, pointer);
        if let Some(values) = string_enum(schema) {
            let (decl, _) = self.enum_decl(name, &values, pointer, "enum");
            if let Some(obj) = schema.as_object() {
                self.note_ignored(obj, pointer);
            }
            return decl;
        }
        if let Some(obj) = schema.as_object().filter(|o| !o.contains_key("$ref")) {
            let is_object = obj.get("type").and_then(Value::as_str) == Some("object")
                || (obj.get("type").is_none() && obj.contains_key("properties"))
                || obj.contains_key("allOf");
            let map_only = obj.get("properties").is_none() && !obj.contains_key("allOf");
            if is_object && !map_only {
                let merged = if obj.contains_key("allOf") {
                    self.flatten_pub(obj, pointer)
                } else {
                    Some((obj.clone(), records::Places::new()))
                };
                if let Some((merged, places)) = merged {
                    self.note_ignored(obj, pointer);
                    return self.record_decl(name, &merged, pointer, &places);
                }
            }
        }
        let ty = self.ty(schema, pointer, &format!("{name}Item"));
        Decl::alias(name, &ty.text)
    }

    /// What a named schema says that no Charter declaration can: that it accepts `null` (a
    /// field using it becomes optional, W8007 there too), its own `default` (defaults belong to
    /// fields and parameters), and `anyOf`/`oneOf`/`not` beside the properties of a record.
    fn component_losses(&mut self, schema: &Value, pointer: &str) {
        if schema::is_nullable(schema) {
            self.warn(
                codes::W8007,
                "a schema that accepts `null`".into(),
                pointer,
                "Charter types have no `null`: where the schema is a property's type the property \
                 becomes optional (absent, not `null`), elsewhere `null` is refused",
            );
        }
        if let Some(at) = schema::default_pointer(schema, pointer) {
            self.warn(
                codes::W8004,
                "the default of a named schema".into(),
                &at,
                "a Charter type has no default (fields and parameters do); the default is dropped",
            );
        }
        let Some(obj) = schema.as_object() else {
            return;
        };
        if obj.contains_key("properties") {
            for key in ["anyOf", "oneOf", "not"] {
                if obj.contains_key(key) {
                    self.warn(
                        codes::W8003,
                        format!("`{key}` beside the properties of an object"),
                        &format!("{pointer}/{key}"),
                        &format!(
                            "Charter records have no alternatives or exclusions; the record is \
                             imported from its properties and the `{key}` is ignored"
                        ),
                    );
                }
            }
        }
    }

    fn flatten_pub(
        &mut self,
        obj: &serde_json::Map<String, Value>,
        pointer: &str,
    ) -> Option<(serde_json::Map<String, Value>, records::Places)> {
        let merged = self.flatten_all_of(obj, pointer);
        if merged.is_none() {
            self.warn(
                codes::W8003,
                "`allOf` that is not a list of objects".into(),
                &format!("{pointer}/allOf"),
                "only `allOf` of object schemas is flattened into one record; the first part is imported",
            );
        }
        merged
    }
}

/// The string values of a schema that is an enum of strings.
fn string_enum(schema: &Value) -> Option<Vec<&str>> {
    let values = schema.get("enum")?.as_array()?;
    let strings: Option<Vec<&str>> = values
        .iter()
        .filter(|v| !v.is_null())
        .map(Value::as_str)
        .collect();
    strings.filter(|s| !s.is_empty())
}

fn scalar_kind(schema: &Value) -> Option<Kind> {
    let ty = schema.get("type")?;
    let ty = ty.as_str().or_else(|| {
        ty.as_array()?
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
    })?;
    Some(match ty {
        "string" if schema.get("format").and_then(Value::as_str) == Some("date") => Kind::Date,
        "string" => Kind::Str,
        "integer" => Kind::Int,
        "number" => Kind::Float,
        "boolean" => Kind::Bool,
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
