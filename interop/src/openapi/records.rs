//! Object schemas to records (with `allOf` flattened), fields with defaults, and literals.

use charter::diagnostics::codes;
use std::collections::BTreeSet;

use charter::naming::Names;
use serde_json::{Map, Value};

use super::doc::escape;
use super::names::{self, doc_lines, number_lit, string_lit};
use super::schema::{self, Kind, Ty};

/// Where each property of a merged object schema is in the document, by name.
pub type Places = std::collections::BTreeMap<String, String>;
use super::{Decl, Importer};

impl Importer<'_> {
    /// `allOf` of objects (after references) merged into one object schema, or `None`; with
    /// the place of each property in the document (warnings about a property point there, not
    /// at the merged schema).
    pub fn flatten_all_of(
        &mut self,
        obj: &Map<String, Value>,
        pointer: &str,
    ) -> Option<(Map<String, Value>, Places)> {
        let mut properties = Map::new();
        let mut places = Places::new();
        let mut required: Vec<Value> = Vec::new();
        let mut open = false;
        let mut parts: Vec<(Value, String)> = vec![(Value::Object(obj.clone()), pointer.into())];
        let mut guard = 0;
        while let Some((part, mut at)) = parts.pop() {
            guard += 1;
            if guard > 256 {
                return None;
            }
            // A reference is followed to its end (`B: {$ref: A}` is A); a reference's siblings
            // (3.1) are one more part.
            let mut part = part;
            let mut hops = 0;
            while let Some(target) = part.get("$ref").and_then(Value::as_str).map(str::to_string) {
                hops += 1;
                if hops > 32 {
                    return None;
                }
                let local = target.strip_prefix('#')?;
                let Some(resolved) = self.doc.at(local) else {
                    self.fail_ref(&target, pointer);
                    return None;
                };
                if let Some(siblings) = part.as_object().map(|o| {
                    let mut rest = o.clone();
                    rest.remove("$ref");
                    rest
                }) && siblings
                    .keys()
                    .any(|k| matches!(k.as_str(), "properties" | "required" | "allOf"))
                {
                    parts.push((Value::Object(siblings), at.clone()));
                }
                part = resolved.clone();
                at = local.to_string();
            }
            let part = part.as_object()?;
            if let Some(all) = part.get("allOf").and_then(Value::as_array) {
                parts.extend(
                    all.iter()
                        .enumerate()
                        .rev()
                        .map(|(i, p)| (p.clone(), format!("{at}/allOf/{i}"))),
                );
            }
            let ty = part.get("type").and_then(Value::as_str);
            if ty.is_some_and(|t| t != "object")
                || part.contains_key("oneOf")
                || part.contains_key("anyOf")
            {
                return None;
            }
            if let Some(props) = part.get("properties").and_then(Value::as_object) {
                for (k, v) in props {
                    properties.insert(k.clone(), v.clone());
                    places.insert(k.clone(), format!("{at}/properties/{}", escape(k)));
                }
            }
            if let Some(req) = part.get("required").and_then(Value::as_array) {
                required.extend(req.iter().cloned());
            }
            open |= part
                .get("additionalProperties")
                .is_some_and(|a| a != &Value::Bool(false));
        }
        let mut merged = Map::new();
        merged.insert("type".into(), Value::String("object".into()));
        if let Some(d) = obj.get("description") {
            merged.insert("description".into(), d.clone());
        }
        merged.insert("properties".into(), Value::Object(properties));
        merged.insert("required".into(), Value::Array(required));
        if open {
            merged.insert("additionalProperties".into(), Value::Bool(true));
        }
        Some((merged, places))
    }

    /// A record type (declared under a fresh name) or a map from an object schema; `places`
    /// gives properties merged from elsewhere (`allOf` parts) their own place.
    pub(super) fn record_ty(
        &mut self,
        obj: &Map<String, Value>,
        pointer: &str,
        hint: &str,
        places: &Places,
    ) -> Ty {
        let props = obj.get("properties").and_then(Value::as_object);
        let additional = obj.get("additionalProperties");
        if props.is_none_or(Map::is_empty) {
            if let Some(schema) = additional.filter(|a| a.is_object()) {
                let value = self.ty(
                    schema,
                    &format!("{pointer}/additionalProperties"),
                    &format!("{hint}Value"),
                );
                let value = self.not_null(value, pointer, hint, "map values");
                return Ty::plain(&format!("map<string, {}>", value.text), Kind::Map);
            }
            if props.is_none() {
                self.warn(
                    codes::W8003,
                    "a free-form object".into(),
                    pointer,
                    "Charter has no type for any object; imported as `map<string, string>`",
                );
                return Ty::plain("map<string, string>", Kind::Map);
            }
        }
        let name = self.fresh_type(hint);
        let decl = self.record_decl(&name, obj, pointer, places);
        self.decls.insert(name.clone(), decl);
        Ty::plain(&name, Kind::Record)
    }

    /// A `record` declaration from an object schema.
    pub fn record_decl(
        &mut self,
        name: &str,
        obj: &Map<String, Value>,
        pointer: &str,
        places: &Places,
    ) -> Decl {
        let required: BTreeSet<&str> = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut body = String::new();
        let mut used = Names::default();
        let mut operators = 0;
        let empty = Map::new();
        let props = obj
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        for (prop, schema) in props {
            let at = places
                .get(prop)
                .cloned()
                .unwrap_or_else(|| format!("{pointer}/properties/{}", escape(prop)));
            let field = used.claim(&names::ident(prop));
            let mut doc = schema
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_default();
            // A property that is not an identifier keeps its name on the wire.
            let mut annotations = String::new();
            if field != *prop
                && let Some(wire) = super::enums::wire_annotation(prop)
            {
                annotations.push_str(&wire);
                annotations.push(' ');
            } else if field != *prop {
                self.warn(
                    codes::W8002,
                    format!("the property `{prop}`"),
                    &at,
                    &format!(
                        "not a Charter name; renamed `{field}`: {}",
                        super::enums::wire_change(&field, prop, "a doc comment")
                    ),
                );
                if !doc.is_empty() {
                    doc.push_str("\n\n");
                }
                doc.push_str(&format!("Original name: `{prop}`."));
            }
            let hint = format!("{name}{}", names::pascal(prop));
            let ty = self.ty(schema, &at, &hint);
            let ty = self.hoist_beyond(ty, &hint, &mut operators);
            // A nullable wrapper's default is the default of its one alternative.
            let default = schema::default_pointer(schema, &at)
                .and_then(|p| p.strip_prefix(at.as_str()).map(str::to_string))
                .and_then(|p| schema.pointer(&p));
            let (nullable, line) =
                self.field_typed(ty, required.contains(prop.as_str()), default, &at, &hint);
            if nullable {
                annotations.push_str("@nullable ");
            }
            body.push_str(&doc_lines(&doc, "  "));
            body.push_str(&format!("  {annotations}{field}: {line}\n"));
        }
        // Component records come here directly, inline ones through `record_ty`.
        if obj
            .get("additionalProperties")
            .is_some_and(|a| a != &Value::Bool(false))
        {
            self.warn(
                codes::W8004,
                "`additionalProperties` beside `properties`".into(),
                &format!("{pointer}/additionalProperties"),
                "Charter records are closed: the contract rejects the extra properties this schema allows; not imported",
            );
        }
        for missing in required.iter().filter(|r| !props.contains_key(**r)) {
            self.warn(
                codes::W8004,
                format!("the required property `{missing}` without a schema"),
                &format!("{pointer}/required"),
                "it is not declared under `properties`; not imported",
            );
        }
        let doc = obj
            .get("description")
            .and_then(Value::as_str)
            .map(|d| doc_lines(d, ""))
            .unwrap_or_default();
        Decl::new(format!("record {name} {{\n{body}}}\n")).with_doc(doc)
    }

    /// A record field's type as [`Self::typed`] writes it, and whether the field is `@nullable`
    /// (the schema allows `null`; docs/language.md §8.5): required stays required, optional
    /// stays optional, and a `null` default is `none`.
    pub fn field_typed(
        &mut self,
        ty: Ty,
        required: bool,
        default: Option<&Value>,
        pointer: &str,
        hint: &str,
    ) -> (bool, String) {
        if !ty.nullable {
            return (false, self.typed(&ty, required, default, pointer, hint));
        }
        let ty = Ty {
            nullable: false,
            ..ty
        };
        if default == Some(&Value::Null) {
            let line = self.typed(&ty, true, None, pointer, hint);
            return (true, format!("{line} = none"));
        }
        (true, self.typed(&ty, required, default, pointer, hint))
    }

    /// `Type`, `Type?` or `Type = default` for a field or parameter. A refined type that must be
    /// optional gets an alias named `hint`.
    pub fn typed(
        &mut self,
        ty: &Ty,
        required: bool,
        default: Option<&Value>,
        pointer: &str,
        hint: &str,
    ) -> String {
        // Record fields say `null` with `@nullable` (`field_typed`); parameters cannot.
        if required && ty.nullable {
            self.warn(
                codes::W8007,
                "a required parameter that may be `null`".into(),
                pointer,
                "a parameter cannot be `@nullable`; imported as optional",
            );
        } else if ty.nullable {
            self.warn(
                codes::W8007,
                "an optional parameter that may be `null`".into(),
                pointer,
                "Charter's `T?` means absent, not `null`, and a parameter cannot be `@nullable`: \
                 imported as `T?`, so an explicit `null` is rejected",
            );
        }
        // A required property is always present, so its default never applies; `T = value`
        // would make it optional.
        if let Some(value) = default.filter(|_| required && !ty.nullable) {
            self.warn(
                codes::W8004,
                format!("the default {value} of a required property"),
                &format!("{pointer}/default"),
                "a required property is always present, so its default never applies; \
                 it stays required and the default is dropped",
            );
            return ty.text.clone();
        }
        if let Some(value) = default
            && let Some(lit) = self.literal(value, ty, pointer)
        {
            return format!("{} = {lit}", ty.text);
        }
        if required && !ty.nullable {
            return ty.text.clone();
        }
        if ty.refined {
            let alias = self.fresh_type(hint);
            self.decls
                .insert(alias.clone(), Decl::alias(&alias, &ty.text));
            return format!("{alias}?");
        }
        format!("{}?", ty.text)
    }

    /// A default value as a Charter literal, or `None` (with a warning) when it cannot be one.
    pub(super) fn literal(&mut self, value: &Value, ty: &Ty, pointer: &str) -> Option<String> {
        let lit = literal_of(value, &ty.kind).filter(|_| fits(value, ty));
        if lit.is_none() {
            self.warn(
                codes::W8004,
                format!("the default {value}"),
                &format!("{pointer}/default"),
                "it does not fit the imported type or has no Charter literal; dropped",
            );
        }
        lit
    }
}

fn fits(value: &Value, ty: &Ty) -> bool {
    if let Some(n) = value.as_f64()
        && (ty.range.0.is_some_and(|lo| n < lo) || ty.range.1.is_some_and(|hi| n > hi))
    {
        return false;
    }
    match (&ty.pattern, value.as_str()) {
        (Some(p), Some(s)) => regex::Regex::new(p).is_ok_and(|r| r.is_match(s)),
        _ => true,
    }
}

fn literal_of(value: &Value, kind: &Kind) -> Option<String> {
    match (kind, value) {
        (Kind::Str, Value::String(s)) => Some(string_lit(s)),
        (Kind::Date, Value::String(s)) => {
            let ok = s.len() == 10
                && s.bytes().enumerate().all(|(i, b)| {
                    if i == 4 || i == 7 {
                        b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                });
            ok.then(|| s.clone())
        }
        (Kind::Int, v) => number_lit(v, false),
        (Kind::Float, v) => number_lit(v, true),
        (Kind::Bool, Value::Bool(b)) => Some(b.to_string()),
        (Kind::Enum(map), Value::String(s)) => map.get(s).cloned(),
        (Kind::List(item), Value::Array(items)) => {
            let items: Option<Vec<String>> = items.iter().map(|v| literal_of(v, item)).collect();
            Some(format!("[{}]", items?.join(", ")))
        }
        (Kind::Map, Value::Object(m)) if m.is_empty() => Some("{}".into()),
        _ => None,
    }
}
