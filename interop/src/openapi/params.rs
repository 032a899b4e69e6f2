//! Parameters, request bodies and responses of one operation, and the per-declaration operator
//! budget (§3.5 of the language reference) that moves long types into aliases.

use charter::diagnostics::codes;
use std::collections::BTreeMap;

use charter::naming::Names;
use serde_json::{Map, Value};

use super::doc::escape;
use super::names;
use super::ops::Param;
use super::schema::{Kind, Ty};
use super::{Decl, Importer};

impl Importer<'_> {
    /// Path-level parameters overridden by operation-level ones with the same name and place.
    pub(super) fn parameters(
        &mut self,
        item: &Map<String, Value>,
        op: &Map<String, Value>,
        pointer: &str,
    ) -> Vec<Param> {
        let mut out: Vec<Param> = Vec::new();
        let item_pointer = pointer.rsplit_once('/').map_or("", |(p, _)| p).to_string();
        let lists = [
            (item.get("parameters"), format!("{item_pointer}/parameters")),
            (op.get("parameters"), format!("{pointer}/parameters")),
        ];
        for (list, at) in lists {
            let Some(list) = list.and_then(Value::as_array) else {
                continue;
            };
            for (i, p) in list.iter().enumerate() {
                let Some((p, p_at)) = self.deref(p, &format!("{at}/{i}")) else {
                    continue;
                };
                let Some(object) = p.as_object() else {
                    continue;
                };
                let name = object
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let location = object
                    .get("in")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                out.retain(|q| !(q.name == name && q.location == location));
                out.push(Param {
                    name,
                    location,
                    pointer: p_at,
                    object: object.clone(),
                });
            }
        }
        out
    }

    pub(super) fn parameter(
        &mut self,
        param: &Param,
        method: &str,
        path: &str,
        hint: &str,
        charter_path: &mut String,
        used: &mut Names,
    ) -> Option<String> {
        let at = &param.pointer;
        let original = &param.name;
        if param.location != "path" && param.location != "query" {
            self.warn(
                codes::W8001,
                format!(
                    "the {} parameter `{original}` of `{method} {path}`",
                    param.location
                ),
                at,
                "Charter parameters are in the path or the query; not imported",
            );
            return None;
        }
        for (key, default) in [
            (
                "style",
                if param.location == "path" {
                    "simple"
                } else {
                    "form"
                },
            ),
            (
                "explode",
                if param.location == "path" {
                    "false"
                } else {
                    "true"
                },
            ),
            ("allowReserved", "false"),
            ("allowEmptyValue", "false"),
        ] {
            let differs = param
                .object
                .get(key)
                .is_some_and(|v| super::plain(v) != default);
            if differs {
                self.warn(
                    codes::W8001,
                    format!("`{key}` of the parameter `{original}`"),
                    &format!("{at}/{key}"),
                    "Charter serialises parameters one way; not imported",
                );
            }
        }
        for key in ["deprecated", "example", "examples", "content"] {
            if param.object.contains_key(key) {
                self.warn(
                    codes::W8001,
                    format!("`{key}` of the parameter `{original}`"),
                    &format!("{at}/{key}"),
                    "not imported",
                );
            }
        }
        let mut ident = names::ident(original);
        if ident == "body" && param.location == "query" {
            ident = "body_".into();
        }
        let ident = used.claim(&ident);
        // A query parameter keeps its name on the wire; a path parameter's never travels.
        let wire = if param.location == "query" && ident != *original {
            super::enums::wire_annotation(original)
        } else {
            None
        };
        if ident != *original && wire.is_none() {
            self.warn(
                codes::W8002,
                format!("the parameter `{original}` of `{method} {path}`"),
                &format!("{at}/name"),
                &if param.location == "path" {
                    format!(
                        "not a Charter name; renamed `{ident}` (a path parameter's name does not \
                         travel: the path reads `{{{ident}}}`; the original is kept in the \
                         operation's doc comment)"
                    )
                } else {
                    format!(
                        "not a Charter name; renamed `{ident}`: {}",
                        super::enums::wire_change(&ident, original, "the operation's doc comment")
                    )
                },
            );
            self.param_notes
                .push(format!("Parameter `{ident}`: originally `{original}`."));
            if param.location == "path" {
                *charter_path =
                    charter_path.replace(&format!("{{{original}}}"), &format!("{{{ident}}}"));
            }
        }
        if let Some(text) = param.object.get("description").and_then(Value::as_str) {
            self.param_notes
                .push(format!("Parameter `{ident}`: {text}"));
        }
        let phint = format!("{hint}{}", names::pascal(original));
        let schema_at = format!("{at}/schema");
        let ty = match param.object.get("schema") {
            Some(schema) => self.ty(schema, &schema_at, &phint),
            None => Ty {
                text: "string".into(),
                refined: false,
                nullable: false,
                kind: Kind::Str,
                range: (None, None),
                pattern: None,
            },
        };
        let scalar = |k: &Kind| {
            matches!(
                k,
                Kind::Str | Kind::Date | Kind::Int | Kind::Float | Kind::Bool | Kind::Enum(_)
            )
        };
        let fits = match (&param.location[..], &ty.kind) {
            ("path", k) => scalar(k),
            (_, Kind::List(item)) => scalar(item),
            (_, k) => scalar(k),
        };
        let ty = if fits {
            ty
        } else {
            self.warn(
                codes::W8006,
                format!("the {} parameter `{original}` of type `{}`", param.location, ty.text),
                &schema_at,
                "Charter path and query parameters hold scalars (or lists of them in the query); imported as `string`",
            );
            Ty {
                text: "string".into(),
                refined: false,
                nullable: ty.nullable,
                kind: Kind::Str,
                range: (None, None),
                pattern: None,
            }
        };
        let required =
            param.location == "path" || param.object.get("required") == Some(&Value::Bool(true));
        let default = param.object.get("schema").and_then(|s| s.get("default"));
        let (ty, default) = if param.location == "path" {
            if default.is_some() || ty.nullable {
                self.warn(
                    codes::W8004,
                    format!("a default or `null` for the path parameter `{original}`"),
                    &schema_at,
                    "path parameters are always given; dropped",
                );
            }
            (
                Ty {
                    nullable: false,
                    ..ty
                },
                None,
            )
        } else {
            (ty, default)
        };
        let ty = self.within_limits(ty, &phint);
        let line = self.typed(&ty, required, default, &schema_at, &phint);
        let wire = wire.map(|w| format!("{w} ")).unwrap_or_default();
        Some(format!("{wire}{ident}: {line}"))
    }

    pub(super) fn request_body(
        &mut self,
        body: &Value,
        method: &str,
        path: &str,
        pointer: &str,
        hint: &str,
        _clash: bool,
    ) -> Option<String> {
        let (body, at) = self.deref(body, &format!("{pointer}/requestBody"))?;
        if matches!(method, "GET" | "HEAD" | "DELETE") {
            self.warn(
                codes::W8006,
                format!("the request body of `{method} {path}`"),
                &at,
                "Charter operations with this method take no body; not imported",
            );
            return None;
        }
        let (schema, schema_at) = self.json_content(
            &body,
            &at,
            &format!("the request body of `{method} {path}`"),
        )?;
        let ty = self.ty(&schema, &schema_at, &format!("{hint}Body"));
        let record = match &ty.kind {
            Kind::Record => true,
            Kind::List(item) => matches!(**item, Kind::Record),
            _ => false,
        };
        if !record {
            self.warn(
                codes::W8006,
                format!(
                    "the request body of `{method} {path}` of type `{}`",
                    ty.text
                ),
                &schema_at,
                "a Charter request body is a record or a list of records; not imported",
            );
            return None;
        }
        if ty.nullable {
            self.warn(
                codes::W8007,
                format!("`null` as the request body of `{method} {path}`"),
                &schema_at,
                "Charter request bodies are never `null`; a `null` body is refused",
            );
        }
        if body.get("required") != Some(&Value::Bool(true)) {
            self.warn(
                codes::W8006,
                format!("the optional request body of `{method} {path}`"),
                &at,
                "Charter request bodies are always required; imported as required",
            );
        }
        let ty = self.within_limits(ty, &format!("{hint}Body"));
        Some(format!("body: {}", ty.text))
    }

    /// The schema of the JSON media type of a request body or response; warnings for others.
    fn json_content(&mut self, object: &Value, at: &str, what: &str) -> Option<(Value, String)> {
        let content = object.get("content")?.as_object()?;
        let chosen = content
            .keys()
            .find(|k| *k == "application/json")
            .or_else(|| {
                content
                    .keys()
                    .find(|k| k.ends_with("+json") || k.ends_with("/json"))
            })
            .cloned();
        for key in content.keys().filter(|k| Some(*k) != chosen.as_ref()) {
            self.warn(
                codes::W8006,
                format!("the media type `{key}` of {what}"),
                &format!("{at}/content/{}", escape(key)),
                "Charter payloads are JSON; not imported",
            );
        }
        let chosen = chosen?;
        let media_at = format!("{at}/content/{}", escape(&chosen));
        let media = content.get(&chosen)?;
        for key in ["example", "examples", "encoding"] {
            if media.get(key).is_some() {
                self.warn(
                    codes::W8001,
                    format!("`{key}` of {what}"),
                    &format!("{media_at}/{key}"),
                    "not imported",
                );
            }
        }
        match media.get("schema") {
            Some(schema) => Some((schema.clone(), format!("{media_at}/schema"))),
            None => {
                self.warn(
                    codes::W8006,
                    format!("{what} without a schema"),
                    &media_at,
                    "there is no type to import; not imported",
                );
                None
            }
        }
    }

    /// The success result and the error responses.
    pub(super) fn responses(
        &mut self,
        responses: Option<&Value>,
        method: &str,
        path: &str,
        pointer: &str,
        hint: &str,
    ) -> (Option<String>, BTreeMap<u16, String>, Option<u16>) {
        let mut errors = BTreeMap::new();
        let mut result = None;
        let mut success_seen = false;
        // The success status to declare with `@status`, when it is not the default.
        let mut declared = None;
        let Some(responses) = responses.and_then(Value::as_object) else {
            return (None, errors, None);
        };
        for (status, response) in responses {
            let at = format!("{pointer}/responses/{}", escape(status));
            let what = format!("the `{status}` response of `{method} {path}`");
            let Some((response, r_at)) = self.deref(response, &at) else {
                continue;
            };
            for key in ["headers", "links"] {
                if let Some(map) = response.get(key).and_then(Value::as_object) {
                    for name in map.keys() {
                        self.warn(
                            codes::W8001,
                            format!(
                                "the response {} `{name}` of {what}",
                                key.trim_end_matches('s')
                            ),
                            &format!("{r_at}/{key}/{}", escape(name)),
                            "Charter responses carry no such declarations; not imported",
                        );
                    }
                }
            }
            let code: Option<u16> = status.parse().ok();
            match code {
                Some(success @ 200..=299) if !success_seen => {
                    success_seen = true;
                    if response.get("content").is_some()
                        && let Some((schema, s_at)) = self.json_content(&response, &r_at, &what) {
                            let ty = self.ty(&schema, &s_at, &format!("{hint}Result"));
                            if ty.nullable {
                                self.warn(codes::W8007, format!("`null` as {what}"), &s_at, "Charter results are never `null`; dropped");
                            }
                            let ty = self.within_limits(ty, &format!("{hint}Result"));
                            result = Some(ty.text);
                        }
                    let written = if result.is_some() { 200 } else { 204 };
                    if success != written && result.is_some() && matches!(success, 204 | 205) {
                        self.warn(
                            codes::W8006,
                            format!("the success status `{status}` of `{method} {path}`"),
                            &r_at,
                            &format!(
                                "a `{status}` response carries no body, but this one has \
                                 content: imported as `{written}` with the result"
                            ),
                        );
                    } else if success != written {
                        declared = Some(success);
                    }
                }
                Some(200..=299) => self.warn(
                    codes::W8006,
                    format!("the additional success response `{status}` of `{method} {path}`"),
                    &r_at,
                    "a Charter operation has one success result, taken from the first; not imported",
                ),
                Some(400..=599) => {
                    if response.get("content").is_none() {
                        self.warn(
                            codes::W8006,
                            format!("{what} without content"),
                            &r_at,
                            "a Charter error response has a type; not imported",
                        );
                        continue;
                    }
                    if let Some((schema, s_at)) = self.json_content(&response, &r_at, &what) {
                        let ty = self.ty(&schema, &s_at, &format!("{hint}Error{status}"));
                        if let Some(c) = code {
                            let ty = self.within_limits(ty, &format!("{hint}Error{status}"));
                            errors.insert(c, ty.text);
                        }
                    }
                }
                _ => self.warn(
                    codes::W8006,
                    what.clone(),
                    &r_at,
                    if status == "default" {
                        "Charter error responses have explicit statuses from 400 to 599; not imported"
                    } else {
                        "Charter imports success (2xx) and error (400-599) responses only; not imported"
                    },
                ),
            }
        }
        (result, errors, declared)
    }
}

/// Operators a type's text counts towards the per-declaration limit (§3.5): `<`, `>` and `in`.
fn operators(text: &str) -> usize {
    text.matches(['<', '>']).count() + text.matches(" in ").count()
}

/// Operators one service may use before its types are moved into aliases (the limit is 1,000).
const SERVICE_OPERATORS: usize = 900;

impl Importer<'_> {
    /// A type for a place in the service declaration: kept as written while the service stays
    /// well inside the language's operator limit, otherwise named by an alias (`hint`) so that
    /// a service of thousands of operations is still one valid declaration.
    pub(super) fn within_limits(&mut self, ty: Ty, hint: &str) -> Ty {
        let mut used = self.service_operators;
        let ty = self.hoist_beyond(ty, hint, &mut used);
        self.service_operators = used;
        ty
    }

    /// `ty` as is while `used` plus its operators stays within the budget, else an alias.
    pub(super) fn hoist_beyond(&mut self, ty: Ty, hint: &str, used: &mut usize) -> Ty {
        let n = operators(&ty.text);
        if n == 0 {
            return ty;
        }
        if *used + n <= SERVICE_OPERATORS {
            *used += n;
            return ty;
        }
        let alias = self.fresh_type(hint);
        self.decls
            .insert(alias.clone(), Decl::alias(&alias, &ty.text));
        Ty {
            text: alias,
            refined: false,
            ..ty
        }
    }
}

/// The `{name}` placeholders of a path.
pub(super) fn placeholders(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = rest.get(start + 1..).unwrap_or("");
        let Some(end) = after.find('}') else { break };
        out.push(after.get(..end).unwrap_or("").to_string());
        rest = after.get(end + 1..).unwrap_or("");
    }
    out
}
