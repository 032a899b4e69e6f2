//! The schema of each declaration: records, entities and contexts (closed objects) and enums.

use charter::api::Index;
use charter::ir::{Deprecation, Enum, Field, Kind, QualName, Record, Shape, Value};
use serde_json::{Map, Value as Json, json};

use super::{ids, types};

/// A record's schema; `with provenance` records require their envelope (their first field).
pub fn record(index: &Index<'_>, record: &Record) -> Json {
    let mut out = object(
        index,
        &record.name,
        "record",
        record.doc.as_deref(),
        &record.fields,
        record.with_provenance,
    );
    deprecate(&mut out, record.deprecated.as_deref());
    Json::Object(out)
}

/// An entity's or a context's schema.
pub fn shape(index: &Index<'_>, shape: &Shape, kind: &str) -> Json {
    Json::Object(object(
        index,
        &shape.name,
        kind,
        shape.doc.as_deref(),
        &shape.fields,
        false,
    ))
}

/// An enum's schema: its values, or for an open enum its values or any other string.
pub fn enumeration(e: &Enum) -> Json {
    let mut out = header(&e.name, if e.ordered { "ordered enum" } else { "enum" });
    out.extend(enum_body(e));
    Json::Object(out)
}

/// An enum's schema without `$schema`, `$id` and `$comment`.
pub fn enum_body(e: &Enum) -> Map<String, Json> {
    let mut out = Map::new();
    describe(&mut out, &e.name, e.doc.as_deref());
    let values: Vec<&str> = e.variants.iter().map(|v| v.wire_name()).collect();
    if e.open {
        out.insert(
            "anyOf".into(),
            json!([{ "enum": values }, { "type": "string" }]),
        );
        let note = "Open enum: values may be added without notice, and a client must accept \
                    a value it does not know.";
        let description = match out.get("description").and_then(Json::as_str) {
            Some(doc) => format!("{doc}\n\n{note}"),
            None => note.to_string(),
        };
        out.insert("description".into(), json!(description));
    } else {
        out.insert("type".into(), json!("string"));
        out.insert("enum".into(), json!(values));
    }
    deprecate(&mut out, e.deprecated.as_deref());
    out
}

fn header(name: &QualName, kind: &str) -> Map<String, Json> {
    let mut out = Map::new();
    out.insert("$schema".into(), json!(ids::DIALECT));
    out.insert("$id".into(), json!(ids::id(name)));
    out.insert("$comment".into(), json!(format!("Charter {kind} {name}")));
    out
}

pub fn describe(out: &mut Map<String, Json>, name: &QualName, doc: Option<&str>) {
    out.insert("title".into(), json!(title(doc).unwrap_or(&name.name)));
    if let Some(doc) = doc {
        out.insert("description".into(), json!(doc));
    }
}

/// The first sentence of a doc comment (up to a full stop followed by a space or a line end).
pub fn title(doc: Option<&str>) -> Option<&str> {
    let doc = doc?.trim();
    if doc.is_empty() {
        return None;
    }
    let end = doc
        .match_indices('.')
        .map(|(i, _)| i)
        .find(|&i| doc[i + 1..].is_empty() || doc[i + 1..].starts_with(char::is_whitespace))
        .map_or(doc.len(), |i| i + 1);
    let first = &doc[..end];
    Some(first.lines().next().unwrap_or(first))
}

fn object(
    index: &Index<'_>,
    name: &QualName,
    kind: &str,
    doc: Option<&str>,
    fields: &[Field],
    with_provenance: bool,
) -> Map<String, Json> {
    let mut out = header(name, kind);
    let refer =
        |to: &QualName, kind: Kind| (kind != Kind::Alias).then(|| ids::relative_ref(name, to));
    out.extend(object_body(
        index,
        name,
        doc,
        fields,
        with_provenance,
        &refer,
    ));
    out
}

/// The schema of an object (record, entity, context) without `$schema`, `$id` and `$comment`,
/// with references written by `refer`.
pub fn object_body(
    index: &Index<'_>,
    name: &QualName,
    doc: Option<&str>,
    fields: &[Field],
    with_provenance: bool,
    refer: types::Refer<'_>,
) -> Map<String, Json> {
    let mut out = Map::new();
    describe(&mut out, name, doc);
    out.insert("type".into(), json!("object"));
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        let mut property = types::schema_with(index, &field.ty, refer);
        if field.nullable {
            property = types::nullable(property);
        }
        if let Some(doc) = &field.doc {
            property.insert("description".into(), json!(doc));
        }
        let default = match &field.default {
            // A `@nullable` field's `none` default reads as `null`.
            Some(Value::Null) if field.nullable => Some(Json::Null),
            Some(default) => types::wire_value(index, default, &field.ty),
            None => None,
        };
        if let Some(default) = default {
            property.insert("default".into(), default);
        }
        deprecate(&mut property, field.deprecated.as_deref());
        let envelope = with_provenance && i == 0;
        if envelope || (!field.ty.is_optional() && field.default.is_none()) {
            required.push(json!(field.wire_name()));
        }
        properties.insert(field.wire_name().to_string(), Json::Object(property));
    }
    out.insert("properties".into(), Json::Object(properties));
    out.insert("required".into(), Json::Array(required));
    out.insert("additionalProperties".into(), json!(false));
    out
}

pub fn deprecate(out: &mut Map<String, Json>, deprecation: Option<&Deprecation>) {
    if deprecation.is_some() {
        out.insert("deprecated".into(), json!(true));
    }
}
