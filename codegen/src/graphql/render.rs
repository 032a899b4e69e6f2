//! SDL pieces: descriptions, type references, values and `@deprecated`.

use charter::api::Index;
use charter::ir::{Deprecation, Kind, Type, Value};

use super::names::{Names, resolve, scalar_of};

/// Appends a description (`"""…"""`) at `indent`, if there is text.
pub fn description(out: &mut String, indent: &str, text: Option<&str>) {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return;
    };
    let text = charter::text::quote::graphql_block(text);
    let one_line = !text.contains('\n') && !text.ends_with('"') && !text.ends_with('\\');
    if one_line {
        out.push_str(&format!("{indent}\"\"\"{text}\"\"\"\n"));
    } else {
        out.push_str(&format!("{indent}\"\"\"\n"));
        for line in text.lines() {
            if line.trim().is_empty() {
                out.push('\n');
            } else {
                out.push_str(&format!("{indent}{line}\n"));
            }
        }
        out.push_str(&format!("{indent}\"\"\"\n"));
    }
}

/// A doc and further paragraphs, joined by a blank line.
pub fn join(doc: Option<&str>, extra: &[String]) -> Option<String> {
    let parts: Vec<&str> = doc
        .into_iter()
        .chain(extra.iter().map(String::as_str))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

/// The deprecation reason: the note, the replacement and the sunset date.
pub fn reason(d: &Deprecation) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(note) = d.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        let more = d.replacement.is_some() || d.sunset.is_some();
        if more && !note.ends_with(['.', '!', '?']) {
            parts.push(format!("{note}."));
        } else {
            parts.push(note.to_string());
        }
    }
    if let Some(use_) = &d.replacement {
        parts.push(format!("Use `{use_}` instead."));
    }
    if let Some(sunset) = &d.sunset {
        parts.push(format!("Sunset on {sunset}."));
    }
    parts.retain(|p| !p.is_empty());
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// ` @deprecated` or ` @deprecated(reason: "…")`.
pub fn deprecated(d: &Deprecation) -> String {
    match reason(d) {
        Some(reason) => format!(" @deprecated(reason: {})", string(&reason)),
        None => " @deprecated".to_string(),
    }
}

/// A GraphQL string literal (JSON escapes are GraphQL escapes).
pub use charter::text::quote::string;

/// The GraphQL type of a Charter type: `T!` unless optional.
pub fn type_ref(index: &Index<'_>, names: &Names, ty: &Type, input: bool) -> String {
    match resolve(index, ty) {
        Type::Optional(inner) => base(index, names, inner, input),
        other => format!("{}!", base(index, names, other, input)),
    }
}

fn base(index: &Index<'_>, names: &Names, ty: &Type, input: bool) -> String {
    match resolve(index, ty) {
        Type::Prim(p) => match scalar_of(*p) {
            Some(s) => s.name().to_string(),
            None => match p {
                charter::ir::Prim::Bool => "Boolean",
                charter::ir::Prim::Int => "Int",
                charter::ir::Prim::Float => "Float",
                _ => "String",
            }
            .to_string(),
        },
        Type::Optional(inner) | Type::Refined(inner, _) => base(index, names, inner, input),
        Type::List(inner) | Type::Set(inner) => {
            format!("[{}]", type_ref(index, names, inner, input))
        }
        // Every name the schema uses was collected, or the schema is not written
        // (`Names::unresolved`): the qualified name is never written.
        Type::Named(name, Kind::Enum) => names
            .enums
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string()),
        Type::Named(name, Kind::Alias) if super::names::is_id(index, name) => "ID".to_string(),
        Type::Named(name, _) => {
            let table = if input { &names.inputs } else { &names.outputs };
            table.get(name).cloned().unwrap_or_else(|| name.to_string())
        }
        Type::Map(_) | Type::Error => "JSON".to_string(),
    }
}

/// A default value as a GraphQL constant; `None` for `none` (no default is written).
pub fn value(index: &Index<'_>, v: &Value, ty: &Type) -> Option<String> {
    let ty = index.base(ty);
    Some(match v {
        Value::Null => return None,
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(n) => n.as_str().replace('_', ""),
        Value::String(s) => string(s),
        // The value's GraphQL name (its wire name when GraphQL can spell it).
        Value::Enum { ty, variant, .. } => index
            .enumeration(ty)
            .and_then(|e| {
                e.variants
                    .iter()
                    .zip(super::names::value_names(e))
                    .find(|(v, _)| &v.name == variant)
                    .map(|(_, gql)| gql.to_string())
            })
            .unwrap_or_else(|| variant.to_string()),
        Value::List(items) => {
            let inner = match ty {
                Type::List(inner) | Type::Set(inner) => inner.as_ref(),
                _ => &Type::Error,
            };
            let items: Vec<String> = items
                .iter()
                .filter_map(|v| value(index, v, inner))
                .collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(attrs) => {
            let fields = match ty {
                Type::Named(name, _) => index.fields(name),
                _ => None,
            };
            let attrs: Vec<String> = attrs
                .iter()
                .filter_map(|(k, v)| {
                    let (key, ty) = match (ty, fields) {
                        (Type::Map(inner), _) => (k.as_str(), inner.as_ref()),
                        (_, Some(fields)) => fields
                            .iter()
                            .zip(super::names::field_names(fields))
                            .find(|(f, _)| &f.name == k)
                            .map_or((k.as_str(), &Type::Error), |(f, gql)| (gql, &f.ty)),
                        _ => (k.as_str(), &Type::Error),
                    };
                    value(index, v, ty).map(|v| format!("{key}: {v}"))
                })
                .collect();
            format!("{{{}}}", attrs.join(", "))
        }
    })
}
