//! A service as a Go client: the client type and constructor, and per operation its declared
//! error types, its `charter.Operation`, its parameters struct and its method (checks, path,
//! query, body, the response check); renamed operations keep their old names as deprecated
//! methods.

use std::fmt::Write as _;

use charter::ir::{Param, Type};
use charter::naming::Names;
use charter::text::quote;

use super::docs::{aligned, doc};
use super::names::exported;
use super::types::{Scope, nilable};
use crate::sdk::{OpView, Rename, ServiceView, deprecation_text, renamed_operations};

fn may_be_absent(p: &Param) -> bool {
    p.ty.is_optional() || p.default.is_some()
}

pub fn client(
    out: &mut String,
    scope: &Scope<'_>,
    file: &mut Names,
    service: &ServiceView<'_>,
    renames: &[Rename],
) {
    let svc = service.service;
    let stem = exported(&svc.name.name);
    let class = file.claim(&format!("{stem}Client"));
    let lead = format!(
        "{class} calls service `{}` version {}.",
        svc.name, svc.version
    );
    doc(
        out,
        "",
        &[&lead, svc.doc.as_deref().unwrap_or("")],
        svc.deprecated.as_deref(),
    );
    let _ = writeln!(out, "type {class} struct {{\n\tt *charter.Transport\n}}\n");
    let constructor = file.claim(&format!("New{class}"));
    let _ = writeln!(
        out,
        "// {constructor} is a client of the service at baseURL (`https://api.example.com`).\nfunc {constructor}(baseURL string, options ...charter.Option) *{class} {{\n\treturn &{class}{{t: charter.NewTransport(baseURL, options...)}}\n}}"
    );
    let mut methods = Names::default();
    methods.reserve("t");
    let mut by_op = std::collections::HashMap::new();
    let service_name = svc.name.to_string();
    for op in &service.ops {
        let method = methods.claim(&exported(&op.op.name));
        let declared = Declared {
            class: &class,
            stem: &stem,
            service: &service_name,
            method: &method,
        };
        let params = operation(out, scope, file, &declared, op);
        let result = op
            .result
            .map_or_else(|| "struct{}".to_string(), |t| scope.go(t));
        by_op.insert(op.op.name.as_str(), (method, params, result));
    }
    for (old, new) in renamed_operations(renames, &svc.name) {
        let Some((target, params_type, result)) = by_op.get(new) else {
            continue;
        };
        let wanted = exported(old);
        if methods.is_taken(&wanted) {
            continue;
        }
        let alias = methods.claim(&wanted);
        let (params, args) = params_type.as_ref().map_or((String::new(), ""), |t| {
            (format!(", params {t}"), ", params")
        });
        // The old parameters type too, so `Old(ctx, OldParams{...})` keeps compiling.
        if let Some(current) = params_type.as_ref() {
            let old_params = format!("{stem}{alias}Params");
            if !file.is_taken(&old_params) {
                let old_params = file.claim(&old_params);
                let _ = writeln!(
                    out,
                    "\n// {old_params} was renamed to {current}.\n//\n// Deprecated: use {current}.\ntype {old_params} = {current}"
                );
            }
        }
        let _ = writeln!(
            out,
            "\n// {alias} was renamed to {target}.\n//\n// Deprecated: use {target}.\nfunc (cl *{class}) {alias}(ctx context.Context{params}) (*charter.Response[{result}], error) {{\n\treturn cl.{target}(ctx{args})\n}}"
        );
    }
}

/// The names a client method is declared with.
struct Declared<'a> {
    class: &'a str,
    stem: &'a str,
    service: &'a str,
    method: &'a str,
}

/// Appends the operation's error types, description, parameters type and method; returns the
/// parameters type (None without parameters).
fn operation(
    out: &mut String,
    scope: &Scope<'_>,
    file: &mut Names,
    names: &Declared<'_>,
    op: &OpView<'_>,
) -> Option<String> {
    let Declared {
        class,
        stem,
        service,
        method,
    } = *names;
    let full = format!("{service}.{}", op.op.name);
    let params: Vec<&Param> = op.params();
    let result = op
        .result
        .map_or_else(|| "struct{}".to_string(), |t| scope.go(t));
    let op_stem = format!("{stem}{}", exported(&op.op.name));
    // Declared errors.
    let mut error_types = Vec::new();
    for (status, ty) in &op.errors {
        let error = file.claim(&format!("{op_stem}{status}Error"));
        let _ = writeln!(
            out,
            "\n// {error} is the {status} response of `{}`, with a `{}` body.\ntype {error} struct {{",
            op.op.name,
            ty.display()
        );
        aligned(
            out,
            "\t",
            &[
                vec!["Status".into(), "int".into()],
                vec!["Header".into(), "http.Header".into()],
                vec!["Body".into(), scope.go(ty)],
            ],
        );
        let _ = writeln!(
            out,
            "}}\n\nfunc (e *{error}) Error() string {{\n\treturn {}\n}}",
            quote::string(&format!("{full}: status {status}"))
        );
        error_types.push((*status, ty, error));
    }
    let decoder = if error_types.is_empty() {
        "nil".to_string()
    } else {
        let name = file.claim(&format!("decode{op_stem}Error"));
        let _ = writeln!(
            out,
            "\n// {name} reads a declared error response of `{}`; nil when the body is not the declared one.\nfunc {name}(status int, header http.Header, body []byte) error {{\n\tswitch status {{",
            op.op.name
        );
        for (status, ty, error) in &error_types {
            let _ = writeln!(out, "\tcase {status}:\n\t\tvar b {}", scope.go(ty));
            out.push_str("\t\tif charter.DecodeBody(body, &b) != nil {\n\t\t\treturn nil\n\t\t}\n");
            let mut checks = String::new();
            scope.check(&mut checks, ty, "b", "\"response\"", 2);
            if !checks.is_empty() {
                out.push_str("\t\tc := &charter.Checker{}\n");
                out.push_str(&checks);
                out.push_str("\t\tif !c.OK() {\n\t\t\treturn nil\n\t\t}\n");
            }
            let _ = writeln!(
                out,
                "\t\treturn &{error}{{Status: status, Header: header, Body: b}}"
            );
        }
        out.push_str("\t}\n\treturn nil\n}\n");
        name
    };
    // The operation's description.
    let var = file.claim(&format!("op{op_stem}"));
    let deprecated = op.deprecation.map_or_else(String::new, |d| {
        format!("{full} is deprecated: {}", deprecation_text(d))
    });
    let _ = writeln!(
        out,
        "\nvar {var} = charter.Operation{{Name: {}, Method: {}, Path: {}, Success: {}, Idempotent: {}, Guarded: {}, RequiresProvenance: {}, Deprecated: {}}}",
        quote::string(&full),
        quote::string(op.method.as_str()),
        quote::string(&format!("{}{}", op.base_path, op.path)),
        op.success,
        op.idempotent,
        op.guard.is_some(),
        op.requires_provenance,
        quote::string(&deprecated)
    );
    // The parameters.
    let mut fields_of = std::collections::HashMap::new();
    let params_type = if params.is_empty() {
        None
    } else {
        let name = file.claim(&format!("{op_stem}Params"));
        let _ = writeln!(
            out,
            "\n// {name} are the parameters of {class}.{method}.\ntype {name} struct {{"
        );
        let mut members = Names::default();
        let mut section: Vec<Vec<String>> = Vec::new();
        for p in &params {
            let ident = members.claim(&exported(&p.name));
            let go = scope.go(p.ty.unwrap_optional());
            let ty = if may_be_absent(p) && !nilable(&go) {
                format!("*{go}")
            } else {
                go
            };
            let mut comment = String::new();
            let at = match p.location {
                charter::ir::ParamLocation::Path => "path",
                charter::ir::ParamLocation::Query => "query",
                charter::ir::ParamLocation::Body => "body",
            };
            let default = op
                .defaults
                .get(p.name.as_str())
                .map_or(String::new(), |j| format!(" (default {j})"));
            let wire = if p.wire_name() == p.name {
                String::new()
            } else {
                format!(", sent as `{}`", p.wire_name())
            };
            doc(
                &mut comment,
                "\t",
                &[&format!(
                    "{ident} is the {at} parameter `{}`{wire}{default}.",
                    p.name
                )],
                None,
            );
            aligned(out, "\t", &section);
            section.clear();
            out.push_str(&comment);
            section.push(vec![ident.clone(), ty]);
            fields_of.insert(p.name.as_str(), ident);
        }
        aligned(out, "\t", &section);
        out.push_str("}\n");
        Some(name)
    };
    // The method.
    out.push('\n');
    let mut notes = vec![format!(
        "{method} calls `{} {}{}`: {} on success.",
        op.method.as_str(),
        op.base_path,
        op.path,
        op.success
    )];
    if let Some(guard) = op.guard {
        notes.push(format!("Guarded by `{}` action `{}`: the response carries the verdict (Response.Verdict); a response without a well-formed one is refused.", guard.policy, guard.action));
    }
    if op.requires_provenance {
        notes.push("Requires provenance: envelopes are checked before sending and before returning (*charter.ProvenanceError).".to_string());
    }
    for (status, ty, error) in &error_types {
        notes.push(format!(
            "A {status} response is a *{error} (its body a `{}`).",
            ty.display()
        ));
    }
    let mut paragraphs: Vec<String> = vec![notes.remove(0)];
    if let Some(d) = &op.op.doc {
        paragraphs.push(d.to_string());
    }
    paragraphs.extend(notes);
    let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    doc(out, "", &refs, op.deprecation);
    let param_decl = params_type
        .as_ref()
        .map_or(String::new(), |t| format!(", params {t}"));
    let _ = writeln!(
        out,
        "func (cl *{class}) {method}(ctx context.Context{param_decl}) (*charter.Response[{result}], error) {{"
    );
    let mut checks = String::new();
    for p in &params {
        let Some(ident) = fields_of.get(p.name.as_str()) else {
            continue;
        };
        let at = match p.location {
            charter::ir::ParamLocation::Path => "path",
            charter::ir::ParamLocation::Query => "query",
            charter::ir::ParamLocation::Body => "body",
        };
        let path = if p.location == charter::ir::ParamLocation::Body {
            "\"body\"".to_string()
        } else {
            quote::string(&format!("{at}.{}", p.wire_name()))
        };
        let ty = p.ty.unwrap_optional();
        let go = scope.go(ty);
        if may_be_absent(p) && !nilable(&go) {
            let mut inner = String::new();
            scope.check(&mut inner, ty, &format!("(*params.{ident})"), &path, 2);
            if !inner.is_empty() {
                let _ = writeln!(checks, "\tif params.{ident} != nil {{");
                checks.push_str(&inner);
                checks.push_str("\t}\n");
            }
        } else {
            scope.check(&mut checks, ty, &format!("params.{ident}"), &path, 1);
        }
    }
    if !checks.is_empty() {
        out.push_str("\tc := &charter.Checker{}\n");
        out.push_str(&checks);
        let _ = writeln!(
            out,
            "\tif err := c.Err(\"request\", {}); err != nil {{\n\t\treturn nil, err\n\t}}",
            op.requires_provenance
        );
    }
    // The path.
    let mut path_expr = Vec::new();
    let mut literal = op.base_path.to_string();
    let mut rest = op.path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| c + open) else {
            break;
        };
        literal.push_str(&rest[..open]);
        let name = &rest[open + 1..close];
        match fields_of.get(name) {
            Some(ident) => {
                if !literal.is_empty() {
                    path_expr.push(quote::string(&literal));
                }
                literal.clear();
                path_expr.push(format!("charter.PathParam(params.{ident})"));
            }
            None => literal.push_str(&rest[open..=close]),
        }
        rest = &rest[close + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() || path_expr.is_empty() {
        path_expr.push(quote::string(&literal));
    }
    let query = !op.query_params.is_empty();
    if query {
        out.push_str("\tq := url.Values{}\n");
        for p in &op.query_params {
            let Some(ident) = fields_of.get(p.name.as_str()) else {
                continue;
            };
            let ty = p.ty.unwrap_optional();
            let go = scope.go(ty);
            let key = quote::string(p.wire_name());
            if matches!(ty, Type::List(_) | Type::Set(_)) {
                let _ = writeln!(
                    out,
                    "\tfor _, e := range params.{ident} {{\n\t\tq.Add({key}, charter.Format(e))\n\t}}"
                );
            } else if may_be_absent(p) && !nilable(&go) {
                let _ = writeln!(
                    out,
                    "\tif params.{ident} != nil {{\n\t\tq.Add({key}, charter.Format(*params.{ident}))\n\t}}"
                );
            } else {
                let _ = writeln!(out, "\tq.Add({key}, charter.Format(params.{ident}))");
            }
        }
    }
    let _ = writeln!(
        out,
        "\treq := charter.Request{{Path: {}{}}}",
        path_expr.join(" + "),
        if query { ", Query: q" } else { "" }
    );
    if let Some(body) = op.body
        && let Some(ident) = fields_of.get(body.name.as_str())
    {
        // A required list or map body left nil is sent empty (`charter.Call`).
        if may_be_absent(body) {
            let _ = writeln!(
                out,
                "\tif params.{ident} != nil {{\n\t\treq.Body = params.{ident}\n\t}}"
            );
        } else {
            let _ = writeln!(out, "\treq.Body = params.{ident}");
        }
    }
    match op.result {
        Some(ty) => {
            let mut checks = String::new();
            scope.check(&mut checks, ty, "(*v)", "\"response\"", 2);
            if checks.is_empty() {
                let _ = writeln!(
                    out,
                    "\treturn charter.Call(ctx, cl.t, &{var}, req, func(v *{result}, c *charter.Checker) {{}}, {decoder})"
                );
            } else {
                let _ = writeln!(
                    out,
                    "\treturn charter.Call(ctx, cl.t, &{var}, req, func(v *{result}, c *charter.Checker) {{"
                );
                out.push_str(&checks);
                let _ = writeln!(out, "\t}}, {decoder})");
            }
        }
        None => {
            let _ = writeln!(
                out,
                "\treturn charter.Call[struct{{}}](ctx, cl.t, &{var}, req, nil, {decoder})"
            );
        }
    }
    out.push_str("}\n");
    params_type
}
