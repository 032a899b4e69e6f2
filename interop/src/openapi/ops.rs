//! `info`, `servers` and `paths` to one service and its operations.

use charter::diagnostics::codes;
use std::collections::BTreeSet;

use charter::naming::Names;
use serde_json::{Map, Value};

use super::doc::Doc;
use super::doc::escape;
use super::names::{self, doc_lines, string_lit};
use super::params::placeholders;
use super::{Importer, Service};

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// One parameter after merging path-level and operation-level lists.
pub(super) struct Param {
    pub name: String,
    pub location: String,
    pub pointer: String,
    pub object: Map<String, Value>,
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
        let mut used_ops = Names::default();
        let empty = Map::new();
        let paths = root
            .get("paths")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let mut routes = BTreeSet::new();
        for (key_path, item) in paths {
            let pointer = format!("/paths/{}", escape(key_path));
            let Some(item) = self.path_item(item, &pointer).and_then(Value::as_object) else {
                continue;
            };
            let (path, dropped) = match key_path.find(['?', '#']) {
                Some(i) => (
                    key_path.get(..i).unwrap_or_default(),
                    key_path.get(i..).unwrap_or_default(),
                ),
                None => (key_path.as_str(), ""),
            };
            if !dropped.is_empty() {
                self.warn(
                    codes::W8001,
                    format!("`{dropped}` in the path key `{key_path}`"),
                    &pointer,
                    &format!(
                        "a Charter path holds no query or fragment; imported at `{path}` \
                         (declare query parameters as parameters)"
                    ),
                );
            }
            for (key, value) in item {
                let at = format!("{pointer}/{}", escape(key));
                match key.as_str() {
                    "summary" | "description" | "parameters" => {}
                    m if METHODS.contains(&m) => {
                        let route = self.route(m, path, dropped, &mut routes, &at);
                        let text = self.operation(&route, m, value, item, &at, &mut used_ops);
                        ops.push_str(&text);
                    }
                    "trace" => self.warn(
                        codes::W8001,
                        format!("the operation `TRACE {path}`"),
                        &at,
                        "Charter has no TRACE method; not imported",
                    ),
                    "servers" => self.warn(
                        codes::W8001,
                        format!("servers of the path `{path}`"),
                        &at,
                        "a Charter service has one base path; not imported",
                    ),
                    other => self.warn(
                        codes::W8001,
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

    /// The path an operation is imported at: `path`, or, when another operation already has
    /// the same method and path (two keys that differ only after `?` or `#`), `path` with the
    /// dropped part as one more segment, with a warning, so both stay distinguishable.
    fn route(
        &mut self,
        method: &str,
        path: &str,
        dropped: &str,
        routes: &mut BTreeSet<(String, String)>,
        pointer: &str,
    ) -> String {
        let shape = |p: &str| {
            let mut out = p.to_string();
            for placeholder in placeholders(p) {
                out = out.replace(&format!("{{{placeholder}}}"), "{}");
            }
            out
        };
        if routes.insert((method.to_string(), shape(path))) || dropped.is_empty() {
            return path.to_string();
        }
        let mut n = 1;
        let base = format!("{}/{}", path.trim_end_matches('/'), names::ident(dropped));
        let mut candidate = base.clone();
        while !routes.insert((method.to_string(), shape(&candidate))) {
            n += 1;
            candidate = format!("{base}_{n}");
        }
        self.warn(
            codes::W8001,
            format!(
                "the operation `{} {path}{dropped}`",
                method.to_ascii_uppercase()
            ),
            pointer,
            &format!(
                "another operation has the same method and path once `{dropped}` is dropped; \
                 imported at `{candidate}` so both stay distinct (the URL differs from the document's)"
            ),
        );
        candidate
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
    pub(super) fn deref(&mut self, value: &Value, pointer: &str) -> Option<(Value, String)> {
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
            codes::W8005,
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
            codes::W8008,
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
                codes::W8008,
                "an additional server".into(),
                &format!("/servers/{i}"),
                "a Charter service has one base path, taken from the first server; not imported",
            );
        }
        let server = servers.first()?;
        let url = server.get("url")?.as_str()?;
        let path = match url.split_once("://") {
            Some((_, rest)) => rest.find('/').and_then(|i| rest.get(i..)).unwrap_or(""),
            None => url,
        };
        let path = path
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .trim_end_matches('/');
        // Variables in the scheme or host do not matter (Charter has no hosts); one in the path
        // takes its default, with a warning.
        let path = if path.contains('{') {
            let Some(fixed) = with_defaults(path, server.get("variables")) else {
                self.warn(
                    codes::W8008,
                    "a server variable without a default in the path".into(),
                    "/servers/0",
                    "Charter base paths are fixed; the server's path is not imported",
                );
                return None;
            };
            self.warn(
                codes::W8008,
                "a server variable in the path".into(),
                "/servers/0/variables",
                &format!(
                    "Charter base paths are fixed; imported with the variable's default, `{fixed}`"
                ),
            );
            fixed
        } else {
            path.to_string()
        };
        let path = path.trim_end_matches('/');
        let valid =
            path.starts_with('/') && !path.contains("//") && !path.contains(char::is_whitespace);
        if !valid && !path.is_empty() {
            self.warn(
                codes::W8008,
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
        used_ops: &mut Names,
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
        let name = used_ops.claim(&name);
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
                codes::W8002,
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
                    codes::W8001,
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
        let mut used = Names::default();
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
        for note in std::mem::take(&mut self.param_notes) {
            doc.truncate(doc.trim_end().len());
            if !doc.is_empty() {
                doc.push_str("\n\n");
            }
            doc.push_str(&note);
        }
        // Path placeholders nobody declared still need a parameter.
        for placeholder in placeholders(path) {
            if !declared_path.contains(&placeholder) {
                let ident = names::ident(&placeholder);
                self.warn(
                    codes::W8004,
                    format!("the path parameter `{placeholder}` without a declaration"),
                    pointer,
                    &format!("imported as `{ident}: string`"),
                );
                charter_path =
                    charter_path.replace(&format!("{{{placeholder}}}"), &format!("{{{ident}}}"));
                used.reserve(&ident);
                params.push(format!("{ident}: string"));
            }
        }
        if let Some(body) = op.get("requestBody")
            && let Some(text) =
                self.request_body(body, &upper, path, pointer, &hint, used.is_taken("body"))
        {
            body_taken = true;
            params.push(text);
        }
        let _ = body_taken;
        let (result, errors, status) =
            self.responses(op.get("responses"), &upper, path, pointer, &hint);
        let mut text = doc_lines(&doc, "  ");
        if let Some(status) = status {
            text.push_str(&format!("  @status({status})\n"));
        }
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
}

/// `path` with each `{name}` replaced by `variables.name.default`, or `None` when one has none.
fn with_defaults(path: &str, variables: Option<&Value>) -> Option<String> {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(rest.get(..start)?);
        let after = rest.get(start + 1..)?;
        let end = after.find('}')?;
        let name = after.get(..end)?;
        let default = variables?.get(name)?.get("default")?.as_str()?;
        out.push_str(default);
        rest = after.get(end + 1..)?;
    }
    out.push_str(rest);
    Some(out)
}
