//! Charter types and values as JSON Schema keywords and JSON values.

use charter::api::Index;
use charter::api::wire::Wire;
use charter::ir::{Constraint, Kind, Number, Prim, QualName, Type, Value};
use serde_json::{Map, Value as Json, json};

/// How a schema refers to a named type: the `$ref` to write, or `None` to inline the type (an
/// alias's definition).
pub type Refer<'a> = &'a dyn Fn(&QualName, Kind) -> Option<String>;

/// The schema of a value of type `ty`, with references written by `refer` (relative file URLs
/// here, `#/components/schemas/...` in the OpenAPI target). An outer `?` is dropped:
/// optionality is the field's business (absent, not null).
pub fn schema_with(index: &Index<'_>, ty: &Type, refer: Refer<'_>) -> Map<String, Json> {
    let schema = |ty: &Type| schema_with(index, ty, refer);
    let mut out = Map::new();
    match ty {
        Type::Prim(p) => prim(*p, &mut out),
        Type::Optional(inner) => return schema(inner),
        Type::List(inner) => {
            out.insert("type".into(), json!("array"));
            out.insert("items".into(), schema(inner).into());
        }
        Type::Set(inner) => {
            out.insert("type".into(), json!("array"));
            out.insert("items".into(), schema(inner).into());
            out.insert("uniqueItems".into(), json!(true));
        }
        Type::Map(inner) => {
            out.insert("type".into(), json!("object"));
            out.insert("additionalProperties".into(), schema(inner).into());
        }
        Type::Named(name, kind) => match refer(name, *kind) {
            Some(reference) => {
                out.insert("$ref".into(), json!(reference));
            }
            None => {
                if let Some(alias) = index.alias(name) {
                    return schema(&alias.ty);
                }
            }
        },
        Type::Refined(inner, constraint) => {
            out = schema(inner);
            match &**constraint {
                Constraint::Range { min, max } => {
                    if let Some(min) = min {
                        out.insert("minimum".into(), number(min));
                    }
                    if let Some(max) = max {
                        out.insert("maximum".into(), number(max));
                    }
                }
                Constraint::Pattern(p) => {
                    out.insert("pattern".into(), json!(p));
                }
            }
        }
        // Already reported by the checker; anything goes.
        Type::Error => {}
    }
    out
}

/// A primitive's wire format (`charter::api::wire`) as keywords.
fn prim(p: Prim, out: &mut Map<String, Json>) {
    let wire = Wire::of(p);
    out.insert("type".into(), json!(wire.json.name()));
    if let Some(format) = wire.format {
        out.insert("format".into(), json!(format));
    }
    if let Some(encoding) = wire.content_encoding {
        out.insert("contentEncoding".into(), json!(encoding));
    }
    if let Some(pattern) = wire.pattern {
        out.insert("pattern".into(), json!(pattern));
    }
}

/// A number as written (`0.5` stays `0.5`).
pub fn number(n: &Number) -> Json {
    serde_json::from_str::<serde_json::Number>(&n.as_str().replace('_', ""))
        .map(Json::Number)
        .unwrap_or_else(|_| json!(n.as_f64()))
}

/// A value of type `ty` as JSON, as a payload carries it: record members and enum values by
/// their wire names (`wire_name()`). `None` for `none`, which is absence and never appears in a
/// payload (a `@nullable` field's `none` default is written by its caller, as `null`).
pub fn wire_value(index: &Index<'_>, v: &Value, ty: &Type) -> Option<Json> {
    let ty = index.base(ty);
    Some(match v {
        Value::Null => return None,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Float(n) => number(n),
        Value::String(s) => json!(s),
        Value::Enum { ty, variant, .. } => {
            let wire = index
                .enumeration(ty)
                .and_then(|e| e.variants.iter().find(|v| &v.name == variant))
                .map_or(variant.as_str(), |v| v.wire_name());
            json!(wire)
        }
        Value::List(items) => {
            let inner = match ty {
                Type::List(inner) | Type::Set(inner) => inner.as_ref(),
                _ => &Type::Error,
            };
            Json::Array(
                items
                    .iter()
                    .filter_map(|v| wire_value(index, v, inner))
                    .collect(),
            )
        }
        Value::Object(attrs) => {
            let fields = match ty {
                Type::Named(name, _) => index.fields(name),
                _ => None,
            };
            Json::Object(
                attrs
                    .iter()
                    .filter_map(|(k, v)| {
                        let (key, ty) = match (ty, fields) {
                            (Type::Map(inner), _) => (k.as_str(), inner.as_ref()),
                            (_, Some(fields)) => match fields.iter().find(|f| &f.name == k) {
                                Some(f) => (f.wire_name(), &f.ty),
                                None => (k.as_str(), &Type::Error),
                            },
                            _ => (k.as_str(), &Type::Error),
                        };
                        wire_value(index, v, ty).map(|v| (key.to_string(), v))
                    })
                    .collect(),
            )
        }
    })
}

/// Makes a schema also accept `null` (`@nullable`): `type: [T, "null"]` for an inline type,
/// `anyOf: [{...}, {type: "null"}]` around a `$ref` or an enum.
pub fn nullable(schema: Map<String, Json>) -> Map<String, Json> {
    let inline = !schema.contains_key("$ref")
        && !schema.contains_key("enum")
        && !schema.contains_key("anyOf");
    match schema.get("type") {
        Some(Json::String(t)) if inline => {
            let t = t.clone();
            let mut out = schema;
            out.insert("type".into(), json!([t, "null"]));
            out
        }
        _ => {
            let mut out = Map::new();
            out.insert(
                "anyOf".into(),
                json!([Json::Object(schema), { "type": "null" }]),
            );
            out
        }
    }
}
