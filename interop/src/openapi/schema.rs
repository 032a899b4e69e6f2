//! JSON Schemas (OpenAPI's Schema Object, 3.0 and 3.1) to Charter types and declarations.

use charter::diagnostics::codes;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::Importer;
use super::doc::escape;
use super::enums::const_alternatives;
use super::names::{number_lit, string_lit};

/// What a Charter type is made of, for writing default values.
#[derive(Debug, Clone)]
pub enum Kind {
    Str,
    Date,
    Int,
    Float,
    Bool,
    /// Original value → Charter value name.
    Enum(BTreeMap<String, String>),
    List(Box<Kind>),
    Map,
    Record,
}

/// A converted type.
#[derive(Debug, Clone)]
pub struct Ty {
    pub text: String,
    /// A refined primitive (`int in 1..`, `string matching ...`): cannot take `?` directly.
    pub refined: bool,
    /// The schema allowed `null`.
    pub nullable: bool,
    pub kind: Kind,
    /// Bounds and pattern, to check defaults before writing them.
    pub range: (Option<f64>, Option<f64>),
    pub pattern: Option<String>,
}

impl Ty {
    pub(super) fn plain(text: &str, kind: Kind) -> Ty {
        Ty {
            text: text.to_string(),
            refined: false,
            nullable: false,
            kind,
            range: (None, None),
            pattern: None,
        }
    }
}

impl Importer<'_> {
    /// The Charter type for the schema at `pointer`; `hint` names declarations made for inline
    /// objects and enums.
    pub fn ty(&mut self, schema: &Value, pointer: &str, hint: &str) -> Ty {
        let Some(obj) = schema.as_object() else {
            if schema == &Value::Bool(true) {
                return self.degraded(pointer, "the schema `true` (any value)");
            }
            return self.degraded(pointer, "a schema that is not an object");
        };
        if let Some(target) = obj.get("$ref").and_then(Value::as_str) {
            // A reference's siblings (3.1: `deprecated`, examples, extensions) are dropped
            // with the same warnings as on any schema.
            self.note_ignored(obj, pointer);
            return self.reference(target, pointer, hint);
        }
        self.depth += 1;
        let ty = if self.depth > super::doc::MAX_DEPTH {
            self.degraded(pointer, "a schema nested too deeply")
        } else {
            self.inline(obj, pointer, hint)
        };
        self.depth -= 1;
        ty
    }

    fn reference(&mut self, target: &str, pointer: &str, hint: &str) -> Ty {
        if let Some(name) = target.strip_prefix("#/components/schemas/") {
            let name = unescape(name);
            if let Some(charter) = self.schema_names.get(&name).cloned() {
                let kind = self
                    .schema_kinds
                    .get(&name)
                    .cloned()
                    .unwrap_or(Kind::Record);
                let nullable = self.schema_nullable.contains(&name);
                let mut ty = Ty::plain(&charter, kind);
                ty.nullable = nullable;
                return ty;
            }
        }
        // Any other local reference is converted where it is used.
        let Some(local) = target.strip_prefix('#') else {
            self.fail_ref(target, pointer);
            return Ty::plain("string", Kind::Str);
        };
        let Some(resolved) = self.doc.at(local).cloned() else {
            self.fail_ref(target, pointer);
            return Ty::plain("string", Kind::Str);
        };
        if !self.resolving.insert(local.to_string()) {
            self.warn(
                codes::W8005,
                format!("recursive `$ref` `{target}`"),
                pointer,
                "a schema that contains itself outside `components/schemas` cannot be named; it is imported as `map<string, string>`",
            );
            return Ty::plain("map<string, string>", Kind::Map);
        }
        let ty = self.ty(&resolved, local, hint);
        self.resolving.remove(local);
        ty
    }

    fn degraded(&mut self, pointer: &str, what: &str) -> Ty {
        self.warn(
            codes::W8003,
            what.to_string(),
            pointer,
            "Charter has no type for any value; imported as `string`",
        );
        Ty::plain("string", Kind::Str)
    }

    fn inline(&mut self, obj: &Map<String, Value>, pointer: &str, hint: &str) -> Ty {
        self.note_ignored(obj, pointer);
        let (types, mut nullable) = types_of(obj);
        if let Some(ty) = self.single_ref_all_of(obj, pointer, hint) {
            return ty;
        }
        if let Some((key, values)) = const_alternatives(obj) {
            let ty = types.first().map(String::as_str);
            let mut out = self.enum_ty(&values, ty, pointer, hint, key);
            out.nullable |= nullable;
            return out;
        }
        // anyOf/oneOf of one schema and `null` is a nullable schema; anything else is a union.
        for key in ["oneOf", "anyOf"] {
            if let Some(alts) = obj.get(key).and_then(Value::as_array) {
                let non_null: Vec<(usize, &Value)> = alts
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| !is_null_schema(a))
                    .collect();
                if non_null.len() < alts.len() {
                    nullable = true;
                }
                if let [(i, only)] = non_null.as_slice() {
                    let mut ty = self.ty(only, &format!("{pointer}/{key}/{i}"), hint);
                    ty.nullable |= nullable;
                    return ty;
                }
                self.warn(
                    codes::W8003,
                    format!("`{key}` with {} alternatives", non_null.len()),
                    &format!("{pointer}/{key}"),
                    "Charter has no union types; the first alternative is imported",
                );
                let Some((i, first)) = non_null.first() else {
                    return Ty::plain("string", Kind::Str);
                };
                let mut ty = self.ty(first, &format!("{pointer}/{key}/{i}"), hint);
                ty.nullable |= nullable;
                return ty;
            }
        }
        // `allOf` of parts that only annotate (`[{}, {description: ...}]`) says nothing about the
        // value: it is a schema without a type, not an empty record.
        let annotations_only = obj
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|parts| parts.iter().all(only_annotates));
        if obj.contains_key("allOf") && !annotations_only {
            if let Some((merged, places)) = self.flatten_all_of(obj, pointer) {
                let mut ty = self.record_ty(&merged, pointer, hint, &places);
                ty.nullable |= nullable;
                return ty;
            }
            self.warn(
                codes::W8003,
                "`allOf` that is not a list of objects".into(),
                &format!("{pointer}/allOf"),
                "only `allOf` of object schemas is flattened into one record; the first part is imported",
            );
            let first = obj
                .get("allOf")
                .and_then(|a| a.get(0))
                .cloned()
                .unwrap_or(Value::Bool(true));
            return self.ty(&first, &format!("{pointer}/allOf/0"), hint);
        }
        if obj.contains_key("not") {
            self.warn(
                codes::W8003,
                "`not`".into(),
                &format!("{pointer}/not"),
                "Charter cannot exclude values; the `not` schema is ignored",
            );
        }
        if types.len() > 1 {
            self.warn(
                codes::W8003,
                format!("a schema of several types ({})", types.join(", ")),
                &format!("{pointer}/type"),
                "Charter has no union types; the first type is imported",
            );
        }
        let ty = types.first().map(String::as_str);
        let is_object = ty == Some("object")
            || (ty.is_none()
                && (obj.contains_key("properties") || obj.contains_key("additionalProperties")));
        let mut out = if let Some(values) = obj.get("enum").and_then(Value::as_array) {
            self.enum_ty(values, ty, pointer, hint, "enum")
        } else if is_object {
            self.record_ty(obj, pointer, hint, &super::records::Places::new())
        } else if ty == Some("array") || (ty.is_none() && obj.contains_key("items")) {
            self.array_ty(obj, pointer, hint)
        } else {
            match ty {
                Some("string") => self.string_ty(obj, pointer),
                Some("integer") => self.number_ty(obj, pointer, false),
                Some("number") => self.number_ty(obj, pointer, true),
                Some("boolean") => Ty::plain("bool", Kind::Bool),
                Some("null") => self.degraded(pointer, "a schema whose only value is `null`"),
                Some(other) => self.degraded(pointer, &format!("the unknown type `{other}`")),
                None => self.degraded(pointer, "a schema without a type (any value)"),
            }
        };
        if obj.contains_key("const") {
            self.warn(
                codes::W8004,
                "`const`".into(),
                &format!("{pointer}/const"),
                "Charter cannot pin a value; the type is kept without it",
            );
        }
        out.nullable |= nullable;
        out
    }

    /// `allOf: [{$ref: X}]` with only annotations beside it is X itself (the use site keeps
    /// its description on the field), not a copy of X's record under another name.
    fn single_ref_all_of(
        &mut self,
        obj: &Map<String, Value>,
        pointer: &str,
        hint: &str,
    ) -> Option<Ty> {
        let [only] = obj.get("allOf")?.as_array()?.as_slice() else {
            return None;
        };
        let reference = only.as_object()?;
        if reference.len() != 1 || !reference.contains_key("$ref") {
            return None;
        }
        let annotations_only = obj
            .keys()
            .all(|k| ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-"));
        if !annotations_only {
            return None;
        }
        let (_, nullable) = types_of(obj);
        let mut ty = self.ty(only, &format!("{pointer}/allOf/0"), hint);
        ty.nullable |= nullable;
        Some(ty)
    }

    /// Keywords that are not part of the type and are dropped with a warning.
    pub fn note_ignored(&mut self, obj: &Map<String, Value>, pointer: &str) {
        for (key, what) in [
            ("readOnly", "read-only properties"),
            ("writeOnly", "write-only properties"),
            ("discriminator", "discriminators"),
            ("xml", "XML mappings"),
            ("externalDocs", "external documentation links"),
            ("example", "examples"),
            ("examples", "examples"),
            ("deprecated", "deprecation without a date"),
        ] {
            if obj.contains_key(key) {
                self.warn(
                    codes::W8001,
                    format!("`{key}`"),
                    &format!("{pointer}/{key}"),
                    &format!("Charter has no {what} on types; dropped"),
                );
            }
        }
        for (key, what) in [
            ("contentEncoding", "content encoding"),
            ("contentMediaType", "content media type"),
            ("minProperties", "property count"),
            ("maxProperties", "property count"),
        ] {
            if obj.contains_key(key) {
                self.warn(
                    codes::W8004,
                    format!("`{key}`"),
                    &format!("{pointer}/{key}"),
                    &format!("Charter has no {what} refinement; it is not checked"),
                );
            }
        }
        // An enumeration is imported from its values: its `format` is not read.
        if let (Some(format), true) = (
            obj.get("format").and_then(Value::as_str),
            obj.contains_key("enum"),
        ) {
            self.warn(
                codes::W8004,
                format!("the format `{format}` of an enumeration"),
                &format!("{pointer}/format"),
                "an enumeration is imported from its values; the format is dropped",
            );
        }
        for key in obj
            .keys()
            .filter(|k| !k.starts_with("x-") && !SCHEMA_KEYWORDS.contains(&k.as_str()))
        {
            self.warn(
                codes::W8001,
                format!("`{key}`"),
                &format!("{pointer}/{}", escape(key)),
                "not a JSON Schema or OpenAPI keyword: it has no meaning a validator reads; dropped",
            );
        }
        for key in obj.keys().filter(|k| k.starts_with("x-")) {
            self.warn(
                codes::W8001,
                format!("the extension `{key}`"),
                &format!("{pointer}/{}", escape(key)),
                "specification extensions are not imported",
            );
        }
    }

    fn string_ty(&mut self, obj: &Map<String, Value>, pointer: &str) -> Ty {
        let format = obj.get("format").and_then(Value::as_str);
        let (base, kind) = match format {
            Some("date-time") => ("timestamp", Kind::Str),
            Some("date") => ("date", Kind::Date),
            Some("uuid") => ("uuid", Kind::Str),
            Some("byte") => ("bytes", Kind::Str),
            Some("binary") => {
                self.warn(
                    codes::W8004,
                    "the string format `binary`".into(),
                    &format!("{pointer}/format"),
                    "imported as `bytes`, which JSON carries base64-encoded \
                     (`contentEncoding: base64`), not as raw octets",
                );
                ("bytes", Kind::Str)
            }
            Some("duration") => ("duration", Kind::Str),
            Some(other) => {
                self.warn(
                    codes::W8004,
                    format!("the string format `{other}`"),
                    &format!("{pointer}/format"),
                    "Charter has no such format; imported as `string`",
                );
                ("string", Kind::Str)
            }
            None => ("string", Kind::Str),
        };
        for key in ["minLength", "maxLength"] {
            if obj.contains_key(key) {
                self.warn(
                    codes::W8004,
                    format!("`{key}`"),
                    &format!("{pointer}/{key}"),
                    "Charter has no length refinement; the length is not checked",
                );
            }
        }
        let mut ty = Ty::plain(base, kind);
        if let Some(pattern) = obj.get("pattern").and_then(Value::as_str) {
            if base != "string" {
                self.warn(
                    codes::W8004,
                    "`pattern` on a formatted string".into(),
                    &format!("{pointer}/pattern"),
                    "only plain strings take `matching`; the pattern is dropped",
                );
            } else if pattern.is_empty() || regex::Regex::new(pattern).is_err() {
                self.warn(
                    codes::W8004,
                    format!("the pattern `{pattern}`"),
                    &format!("{pointer}/pattern"),
                    "not an RE2 expression (no look-around, no backreferences); dropped",
                );
            } else {
                ty.text = format!("string matching {}", string_lit(pattern));
                ty.refined = true;
                ty.pattern = Some(pattern.to_string());
            }
        }
        ty
    }

    fn number_ty(&mut self, obj: &Map<String, Value>, pointer: &str, float: bool) -> Ty {
        let base = if float { "float" } else { "int" };
        let kind = if float { Kind::Float } else { Kind::Int };
        let mut ty = Ty::plain(base, kind);
        match obj.get("format").and_then(Value::as_str) {
            None => {}
            Some("int64") if !float => {}
            Some(format @ ("double" | "float")) if float => self.warn(
                codes::W8004,
                format!("the number format `{format}`"),
                &format!("{pointer}/format"),
                if format == "float" {
                    "Charter's `float` is a 64-bit double; the 32-bit width is not kept and the built contract has no `format`"
                } else {
                    "Charter's `float` is a double, but the built contract writes no `format`; dropped"
                },
            ),
            Some(other) => self.warn(
                codes::W8004,
                format!("the number format `{other}`"),
                &format!("{pointer}/format"),
                &format!("Charter's `{base}` has no such width; imported as `{base}`"),
            ),
        }
        let mut bound = |key: &str, excl: &str| -> Option<String> {
            let value = obj.get(key)?;
            if obj.get(excl) == Some(&Value::Bool(true)) {
                self.warn(
                    codes::W8004,
                    format!("`{excl}`"),
                    &format!("{pointer}/{excl}"),
                    "Charter ranges include their bounds; the bound is imported as inclusive",
                );
            }
            match number_lit(value, float) {
                Some(lit) => Some(lit),
                None => {
                    self.warn(
                        codes::W8004,
                        format!("`{key}` {value}"),
                        &format!("{pointer}/{key}"),
                        &format!("not a bound an `{base}` range can hold; dropped"),
                    );
                    None
                }
            }
        };
        let min = bound("minimum", "exclusiveMinimum");
        let max = bound("maximum", "exclusiveMaximum");
        for key in ["exclusiveMinimum", "exclusiveMaximum", "multipleOf"] {
            if obj.get(key).is_some_and(Value::is_number) {
                self.warn(
                    codes::W8004,
                    format!("`{key}`"),
                    &format!("{pointer}/{key}"),
                    "Charter ranges have inclusive bounds only; dropped",
                );
            }
        }
        if min.is_some() || max.is_some() {
            let lo = min.clone().unwrap_or_default();
            let hi = max.clone().unwrap_or_default();
            ty.range = (
                min.as_deref().and_then(|m| m.parse().ok()),
                max.as_deref().and_then(|m| m.parse().ok()),
            );
            if let (Some(a), Some(b)) = ty.range
                && a > b
            {
                self.warn(
                    codes::W8004,
                    "`minimum` above `maximum`".into(),
                    pointer,
                    "no value fits; the range is dropped",
                );
                ty.range = (None, None);
                return ty;
            }
            ty.text = format!("{base} in {lo}..{hi}");
            ty.refined = true;
        }
        ty
    }

    fn array_ty(&mut self, obj: &Map<String, Value>, pointer: &str, hint: &str) -> Ty {
        for key in ["minItems", "maxItems", "contains", "prefixItems"] {
            if obj.contains_key(key) {
                self.warn(
                    codes::W8004,
                    format!("`{key}`"),
                    &format!("{pointer}/{key}"),
                    "Charter lists have no such constraint; dropped",
                );
            }
        }
        let item = match obj.get("items") {
            Some(items) => self.ty(items, &format!("{pointer}/items"), &format!("{hint}Item")),
            None => self.degraded(pointer, "an array without `items`"),
        };
        let item = self.not_null(item, &format!("{pointer}/items"), hint, "list items");
        let unique = obj.get("uniqueItems") == Some(&Value::Bool(true));
        let ctor = if unique { "set" } else { "list" };
        Ty::plain(
            &format!("{ctor}<{}>", item.text),
            Kind::List(Box::new(item.kind)),
        )
    }

    /// A type that cannot be optional in its place (list items, map values): `null` is dropped.
    pub(super) fn not_null(&mut self, ty: Ty, pointer: &str, _hint: &str, place: &str) -> Ty {
        if ty.nullable {
            self.warn(
                codes::W8007,
                format!("`null` in {place}"),
                pointer,
                &format!("Charter {place} cannot be absent; `null` is dropped"),
            );
        }
        Ty {
            nullable: false,
            ..ty
        }
    }
}

/// The types a schema names (without `null`) and whether it allows `null` (3.1 type arrays,
/// 3.0 `nullable`).
fn types_of(obj: &Map<String, Value>) -> (Vec<String>, bool) {
    let mut nullable = obj.get("nullable") == Some(&Value::Bool(true));
    let mut types = Vec::new();
    match obj.get("type") {
        Some(Value::String(t)) if t == "null" && obj.len() > 1 => nullable = true,
        Some(Value::String(t)) => types.push(t.clone()),
        Some(Value::Array(ts)) => {
            for t in ts.iter().filter_map(Value::as_str) {
                if t == "null" {
                    nullable = true;
                } else {
                    types.push(t.to_string());
                }
            }
        }
        _ => {}
    }
    (types, nullable)
}

/// Does the schema accept `null`: 3.0 `nullable: true`, a 3.1 type list with `"null"`, or
/// `anyOf`/`oneOf` with a `null` alternative?
pub(super) fn is_nullable(schema: &Value) -> bool {
    let Some(obj) = schema.as_object() else {
        return false;
    };
    let (_, nullable) = types_of(obj);
    nullable
        || ["anyOf", "oneOf"].iter().any(|key| {
            obj.get(*key)
                .and_then(Value::as_array)
                .is_some_and(|alts| alts.len() > 1 && alts.iter().any(is_null_schema))
        })
}

/// The pointer of a schema's `default`: its own, or that of the one alternative that is not
/// `null` in a nullable `anyOf`/`oneOf` wrapper (`anyOf: [{type: string, default: x}, {type:
/// null}]`).
pub(super) fn default_pointer(schema: &Value, pointer: &str) -> Option<String> {
    if schema.get("default").is_some() {
        return Some(format!("{pointer}/default"));
    }
    ["anyOf", "oneOf"].iter().find_map(|key| {
        let alts = schema.get(*key)?.as_array()?;
        let non_null: Vec<(usize, &Value)> = alts
            .iter()
            .enumerate()
            .filter(|(_, a)| !is_null_schema(a))
            .collect();
        match non_null.as_slice() {
            [(i, only)] if only.get("default").is_some() => {
                Some(format!("{pointer}/{key}/{i}/default"))
            }
            _ => None,
        }
    })
}

fn is_null_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
        || schema.get("enum") == Some(&Value::Array(vec![Value::Null]))
}

/// A JSON pointer segment, unescaped.
pub use charter::text::pointer::unescape;

/// Keywords beside `allOf: [{$ref}]` that only annotate (the use site keeps its identity).
const ANNOTATIONS: &[&str] = &[
    "allOf",
    "description",
    "title",
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "example",
    "examples",
    "externalDocs",
    "default",
];

/// A schema that constrains nothing: an object of annotations only (`{}`, `{description: ...}`).
fn only_annotates(schema: &Value) -> bool {
    schema.as_object().is_some_and(|o| {
        o.keys().all(|k| {
            k.starts_with("x-")
                || matches!(
                    k.as_str(),
                    "description" | "title" | "example" | "examples" | "$comment" | "deprecated"
                )
        })
    })
}

/// Every keyword of a JSON Schema (2020-12 and draft 4, as OpenAPI 3.0 uses it) or of an OpenAPI
/// Schema Object: any other key (`optional: true`) is warned, since nothing reads it.
const SCHEMA_KEYWORDS: &[&str] = &[
    "$schema",
    "$id",
    "$ref",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$defs",
    "$comment",
    "$vocabulary",
    "definitions",
    "id",
    "type",
    "enum",
    "const",
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "dependentRequired",
    "dependentSchemas",
    "dependencies",
    "unevaluatedProperties",
    "items",
    "prefixItems",
    "additionalItems",
    "contains",
    "minContains",
    "maxContains",
    "minItems",
    "maxItems",
    "uniqueItems",
    "unevaluatedItems",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "title",
    "description",
    "default",
    "examples",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    "nullable",
    "discriminator",
    "xml",
    "externalDocs",
];
