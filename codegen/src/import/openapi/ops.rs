//! `info`, `servers` and `paths` to one service and its operations.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::doc::Doc;
use super::doc::escape;
use super::names::{self, doc_lines, string_lit};
use super::schema::{Kind, Ty};
use super::{Importer, Service};

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// One parameter after merging path-level and operation-level lists.
struct Param {
    name: String,
    location: String,
    pointer: String,
    object: Map<String, Value>,
}

impl<'d> Importer<'d> {
    /// The service declaration for the whole document.
    pub(super) fn service(&mut self) -> Service {
        let doc = self.doc;
        let root = &doc.root;
        let title = root
            .pointer("/info/title")
            .and_then(Value::as_str)
            .unwrap_or("Api");
        let name = self.fresh_type(&names::pascal(title));
        let version = self.version(root);
        let base = self.base_path(root);
        let mut doc = String::new();
        for key in ["summary", "description"] {
            if let Some(text) = root
                .pointer(&format!("/info/{key}"))
                .and_then(Value::as_str)
            {
                if !doc.is_empty() {
                    doc.push_str("\n\n");
                }
                doc.push_str(text);
            }
        }
        if doc.is_empty() {
            doc = title.to_string();
        }
        let mut ops = String::new();
        let mut used_ops = BTreeSet::new();
        let empty = Map::new();
        let paths = root
            .get("paths")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        for (path, item) in paths {
            let pointer = format!("/paths/{}", escape(path));
            let Some(item) = self.path_item(item, &pointer).and_then(Value::as_object) else {
                continue;
            };
            for (key, value) in item {
                let at = format!("{pointer}/{}", escape(key));
                match key.as_str() {
                    "summary" | "description" | "parameters" => {}
                    m if METHODS.contains(&m) => {
                        let text = self.operation(path, m, value, item, &at, &mut used_ops);
                        ops.push_str(&text);
                    }
                    "trace" => self.warn(
                        "W8001",
                        format!("the operation `TRACE {path}`"),
                        &at,
                        "Charter has no TRACE method; not imported",
                    ),
                    "servers" => self.warn(
                        "W8001",
                        format!("servers of the path `{path}`"),
                        &at,
                        "a Charter service has one base path; not imported",
                    ),
                    other => self.warn(
                        "W8001",
                        format!("`{other}` in the path `{path}`"),
                        &at,
                        "not imported",
                    ),
                }
            }
        }
        let at = base
            .map(|b| format!(" at {}", string_lit(&b)))
            .unwrap_or_default();
        let text = format!(
            "{}service {name} version {}{at} {{\n{ops}}}\n",
            doc_lines(&doc, ""),
            string_lit(&version)
        );
        Service { text, version }
    }

    /// A path item, with a local `$ref` resolved.
    fn path_item<'v>(&mut self, item: &'v Value, pointer: &str) -> Option<&'v Value>
    where
        'd: 'v,
    {
        match item.get("$ref").and_then(Value::as_str) {
            Some(target) => {
                let doc: &'d Doc = self.doc;
                match target.strip_prefix('#').and_then(|p| doc.at(p)) {
                    Some(v) => Some(v),
                    None => {
                        self.fail_ref(target, pointer);
                        None
                    }
                }
            }
            None => Some(item),
        }
    }

    /// Follows `$ref`s of non-schema objects (parameters, request bodies, responses).
    fn deref(&mut self, value: &Value, pointer: &str) -> Option<(Value, String)> {
        let mut value = value.clone();
        let mut at = pointer.to_string();
        for _ in 0..32 {
            let Some(target) = value
                .get("$ref")
                .and_then(Value::as_str)
                .map(str::to_string)
            else {
                return Some((value, at));
            };
            let Some(next) = target.strip_prefix('#').and_then(|p| self.doc.at(p)) else {
                self.fail_ref(&target, &at);
                return None;
            };
            at = target.trim_start_matches('#').to_string();
            value = next.clone();
        }
        self.warn(
            "W8005",
            "a chain of `$ref`s that does not end".into(),
            pointer,
            "not imported",
        );
        None
    }

    fn version(&mut self, root: &Value) -> String {
        let raw = match root.pointer("/info/version") {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        if charter::literal::Version::parse(&raw).is_some() {
            return raw;
        }
        let digits: Vec<&str> = raw
            .trim_start_matches(['v', 'V'])
            .split('.')
            .filter(|p| !p.is_empty())
            .collect();
        let mut parts: Vec<String> = digits
            .iter()
            .map_while(|p| p.parse::<u64>().ok().map(|n| n.to_string()))
            .take(3)
            .collect();
        if parts.is_empty() {
            parts.push("0".into());
            parts.push("1".into());
        }
        while parts.len() < 3 {
            parts.push("0".into());
        }
        let version = parts.join(".");
        self.warn(
            "W8008",
            format!("the version `{raw}`"),
            "/info/version",
            &format!("not a semantic version; imported as `{version}`"),
        );
        version
    }

    /// The path of the first server's URL, or `None` for `/`.
    fn base_path(&mut self, root: &Value) -> Option<String> {
        let servers = root.get("servers").and_then(Value::as_array)?;
        for (i, _) in servers.iter().enumerate().skip(1) {
            self.warn(
                "W8008",
                "an additional server".into(),
                &format!("/servers/{i}"),
                "a Charter service has one base path, taken from the first server; not imported",
            );
        }
        let url = servers.first()?.get("url")?.as_str()?;
        let path = match url.split_once("://") {
            Some((_, rest)) => rest.find('/').and_then(|i| rest.get(i..)).unwrap_or(""),
            None => url,
        };
        let path = path
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .trim_end_matches('/');
        if path.contains('{') || servers.first()?.get("variables").is_some() {
            self.warn(
                "W8008",
                "server variables".into(),
                "/servers/0",
                "Charter base paths are fixed; the server's path is not imported",
            );
            return None;
        }
        let valid =
            path.starts_with('/') && !path.contains("//") && !path.contains(char::is_whitespace);
        if !valid && !path.is_empty() {
            self.warn(
                "W8008",
                format!("the server URL `{url}`"),
                "/servers/0",
                "its path is not a Charter base path; not imported",
            );
            return None;
        }
        (!path.is_empty()).then(|| path.to_string())
    }

    fn operation(
        &mut self,
        path: &str,
        method: &str,
        op: &Value,
        item: &Map<String, Value>,
        pointer: &str,
        used_ops: &mut BTreeSet<String>,
    ) -> String {
        let upper = method.to_ascii_uppercase();
        let empty = Map::new();
        let op = op.as_object().unwrap_or(&empty);
        // The name: operationId, or method and path words.
        let (mut name, original) = match op.get("operationId").and_then(Value::as_str) {
            Some(id) => (names::op_ident(id), Some(id.to_string())),
            None => (names::op_ident(&format!("{method} {path}")), None),
        };
        if name == "_" {
            name = format!("{method}_root");
        }
        while !used_ops.insert(name.clone()) {
            name.push('_');
        }
        let mut doc = String::new();
        for key in ["summary", "description"] {
            if let Some(text) = op.get(key).and_then(Value::as_str) {
                if !doc.is_empty() {
                    doc.push_str("\n\n");
                }
                doc.push_str(text);
            }
        }
        if let Some(id) = original.filter(|id| *id != name) {
            self.warn(
                "W8002",
                format!("the operationId `{id}`"),
                &format!("{pointer}/operationId"),
                &format!(
                    "not a Charter name; renamed `{name}` (the original is kept in a doc comment)"
                ),
            );
            if !doc.is_empty() {
                doc.push_str("\n\n");
            }
            doc.push_str(&format!("Original operationId: `{id}`."));
        }
        for (key, what) in [
            ("callbacks", "callbacks"),
            ("security", "security requirements"),
            ("servers", "per-operation servers"),
            ("tags", "tags"),
            ("externalDocs", "external documentation links"),
            (
                "deprecated",
                "deprecation without a date (use `@deprecated(since: ...)`)",
            ),
        ] {
            if op.contains_key(key) {
                self.warn(
                    "W8001",
                    format!("`{key}` of `{upper} {path}`"),
                    &format!("{pointer}/{key}"),
                    &format!("Charter has no {what} here; not imported"),
                );
            }
        }
        let hint = names::pascal(&name);
        let mut charter_path = path.to_string();
        let mut params = Vec::new();
        let mut body_taken = false;
        let mut used = BTreeSet::new();
        let merged = self.parameters(item, op, pointer);
        let mut declared_path = BTreeSet::new();
        for param in merged {
            let text = self.parameter(&param, &upper, path, &hint, &mut charter_path, &mut used);
            if param.location == "path" {
                declared_path.insert(param.name.clone());
            }
            if let Some(text) = text {
                params.push(text);
            }
        }
        // Path placeholders nobody declared still need a parameter.
        for placeholder in placeholders(path) {
            if !declared_path.contains(&placeholder) {
                let ident = names::ident(&placeholder);
                self.warn(
                    "W8004",
                    format!("the path parameter `{placeholder}` without a declaration"),
                    pointer,
                    &format!("imported as `{ident}: string`"),
                );
                charter_path =
                    charter_path.replace(&format!("{{{placeholder}}}"), &format!("{{{ident}}}"));
                used.insert(ident.clone());
                params.push(format!("{ident}: string"));
            }
        }
        if let Some(body) = op.get("requestBody")
            && let Some(text) =
                self.request_body(body, &upper, path, pointer, &hint, used.contains("body"))
        {
            body_taken = true;
            params.push(text);
        }
        let _ = body_taken;
        let (result, errors) = self.responses(op.get("responses"), &upper, path, pointer, &hint);
        let mut text = doc_lines(&doc, "  ");
        text.push_str(&format!(
            "  op {name} {upper} {} ({})",
            string_lit(&charter_path),
            params.join(", ")
        ));
        if let Some(result) = result {
            text.push_str(&format!(" -> {result}"));
        }
        text.push('\n');
        if !errors.is_empty() {
            let list: Vec<String> = errors.iter().map(|(s, t)| format!("{s}: {t}")).collect();
            text.push_str(&format!("    errors {{ {} }}\n", list.join(", ")));
        }
        text.push('\n');
        text
    }

    /// Path-level parameters overridden by operation-level ones with the same name and place.
    fn parameters(
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

    fn parameter(
        &mut self,
        param: &Param,
        method: &str,
        path: &str,
        hint: &str,
        charter_path: &mut String,
        used: &mut BTreeSet<String>,
    ) -> Option<String> {
        let at = &param.pointer;
        let original = &param.name;
        if param.location != "path" && param.location != "query" {
            self.warn(
                "W8001",
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
                    "W8001",
                    format!("`{key}` of the parameter `{original}`"),
                    &format!("{at}/{key}"),
                    "Charter serialises parameters one way; not imported",
                );
            }
        }
        for key in ["deprecated", "example", "examples", "content"] {
            if param.object.contains_key(key) {
                self.warn(
                    "W8001",
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
        while !used.insert(ident.clone()) {
            ident.push('_');
        }
        if ident != *original {
            self.warn(
                "W8002",
                format!("the parameter `{original}` of `{method} {path}`"),
                &format!("{at}/name"),
                &format!("not a Charter name; renamed `{ident}`"),
            );
            if param.location == "path" {
                *charter_path =
                    charter_path.replace(&format!("{{{original}}}"), &format!("{{{ident}}}"));
            }
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
                "W8006",
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
                    "W8004",
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
        Some(format!("{ident}: {line}"))
    }

    fn request_body(
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
                "W8006",
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
                "W8006",
                format!(
                    "the request body of `{method} {path}` of type `{}`",
                    ty.text
                ),
                &schema_at,
                "a Charter request body is a record or a list of records; not imported",
            );
            return None;
        }
        if body.get("required") != Some(&Value::Bool(true)) {
            self.warn(
                "W8006",
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
                "W8006",
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
                    "W8001",
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
                    "W8006",
                    format!("{what} without a schema"),
                    &media_at,
                    "there is no type to import; not imported",
                );
                None
            }
        }
    }

    /// The success result and the error responses.
    fn responses(
        &mut self,
        responses: Option<&Value>,
        method: &str,
        path: &str,
        pointer: &str,
        hint: &str,
    ) -> (Option<String>, BTreeMap<u16, String>) {
        let mut errors = BTreeMap::new();
        let mut result = None;
        let mut success_seen = false;
        let Some(responses) = responses.and_then(Value::as_object) else {
            return (None, errors);
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
                            "W8001",
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
                Some(200..=299) if !success_seen => {
                    success_seen = true;
                    if response.get("content").is_some()
                        && let Some((schema, s_at)) = self.json_content(&response, &r_at, &what) {
                            let ty = self.ty(&schema, &s_at, &format!("{hint}Result"));
                            if ty.nullable {
                                self.warn("W8007", format!("`null` as {what}"), &s_at, "Charter results are never `null`; dropped");
                            }
                            let ty = self.within_limits(ty, &format!("{hint}Result"));
                            result = Some(ty.text);
                        }
                }
                Some(200..=299) => self.warn(
                    "W8006",
                    format!("the additional success response `{status}` of `{method} {path}`"),
                    &r_at,
                    "a Charter operation has one success result, taken from the first; not imported",
                ),
                Some(400..=599) => {
                    if response.get("content").is_none() {
                        self.warn(
                            "W8006",
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
                    "W8006",
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
        (result, errors)
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
    fn within_limits(&mut self, ty: Ty, hint: &str) -> Ty {
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
            .insert(alias.clone(), format!("type {alias} = {}\n", ty.text));
        Ty {
            text: alias,
            refined: false,
            ..ty
        }
    }
}

/// The `{name}` placeholders of a path.
fn placeholders(path: &str) -> Vec<String> {
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
