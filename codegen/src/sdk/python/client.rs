//! A service as a Python client: per operation its declared error classes and its
//! `_charter.Operation`, then the client class with one method per operation (keyword-only
//! parameters, checks before sending, `_charter.call`); renamed operations keep their old
//! names as deprecated methods.

use std::fmt::Write as _;

use charter::ir::{Param, ParamLocation, Type};
use charter::naming::{self, Names};

use super::code::{Expr, docstring, statement, string};
use super::names::{class, snake};
use super::types::Scope;
use crate::sdk::{OpView, Rename, ServiceView, deprecation_text, renamed_operations};

fn may_be_absent(p: &Param) -> bool {
    p.ty.is_optional() || p.default.is_some()
}

/// Names a method's parameter or local never takes.
const METHOD_LOCALS: &[&str] = &[
    "self",
    "headers",
    "timeout",
    "c",
    "decode",
    "payload",
    "transport",
    "typing",
    "_charter",
];

/// What a generated method looks like, for its deprecated alias.
struct Signature {
    method: String,
    params: Vec<Expr>,
    args: Vec<Expr>,
    returns: String,
}

pub fn client(
    out: &mut String,
    scope: &Scope<'_>,
    file: &mut Names,
    service: &ServiceView<'_>,
    renames: &[Rename],
) {
    scope.uses("_charter");
    scope.uses("typing");
    let svc = service.service;
    let stem = class(&svc.name.name);
    let mut methods = Names::default();
    for word in naming::PYTHON.iter().chain(["transport"].iter()) {
        methods.reserve(word);
    }
    let method_names: Vec<String> = service
        .ops
        .iter()
        .map(|op| methods.claim(&snake(&op.op.name)))
        .collect();
    // Declared errors and operations, at module level.
    let mut ops = Vec::new();
    for op in &service.ops {
        let op_stem = format!("{stem}{}", class(&op.op.name));
        let constant = file.claim(&format!(
            "_{}_{}",
            naming::screaming(&svc.name.name),
            naming::screaming(&op.op.name)
        ));
        let mut errors = Vec::new();
        for (status, ty) in &op.errors {
            let name = file.claim(&format!("{op_stem}{status}Error"));
            out.push_str("\n\n");
            let _ = writeln!(
                out,
                "class {name}(_charter.DeclaredError[{}]):",
                scope.annotation(ty)
            );
            docstring(
                out,
                4,
                &[&format!(
                    "The {status} response of ``{}.{}``: its body, a ``{}``, is ``value``.",
                    svc.name,
                    op.op.name,
                    ty.display()
                )],
            );
            errors.push((*status, *ty, name));
        }
        operation(out, &constant, &svc.name.to_string(), op);
        ops.push((constant, errors));
    }
    // The client.
    let name = scope.names.client(&svc.name).to_string();
    out.push_str("\n\n");
    let _ = writeln!(out, "class {name}:");
    let lead = format!("Calls service ``{}`` version {}.", svc.name, svc.version);
    let deprecated = svc
        .deprecated
        .as_deref()
        .map(|d| format!("Deprecated: {}", deprecation_text(d)));
    docstring(
        out,
        4,
        &[
            &lead,
            svc.doc.as_deref().unwrap_or(""),
            deprecated.as_deref().unwrap_or(""),
        ],
    );
    out.push_str("\n    def __init__(self, transport: _charter.Transport | str) -> None:\n");
    docstring(
        out,
        8,
        &[
            "``transport``: the service's base URL (``https://api.example.com``), or a configured ``_charter.Transport`` (timeout, retries, headers, verdict keys, hooks, logger, your own HTTP stack).",
        ],
    );
    out.push_str("        if isinstance(transport, str):\n            transport = _charter.Transport(transport)\n        self.transport: _charter.Transport = transport\n");
    let mut signatures = Vec::new();
    for ((op, method), (constant, errors)) in service.ops.iter().zip(&method_names).zip(&ops) {
        signatures.push((
            op.op.name.as_str(),
            method_def(out, scope, method, op, constant, errors),
        ));
    }
    for (old, new) in renamed_operations(renames, &svc.name) {
        let wanted = snake(old);
        let Some((_, sig)) = signatures.iter().find(|(n, _)| *n == new) else {
            continue;
        };
        if methods.is_taken(&wanted) {
            continue;
        }
        let alias = methods.claim(&wanted);
        scope.uses("warnings");
        out.push('\n');
        let mut params = vec![Expr::atom("self"), Expr::atom("*")];
        params.extend(sig.params.iter().cloned());
        statement(
            out,
            4,
            "",
            &Expr::call(format!("def {alias}"), params),
            &format!(" -> {}:", sig.returns),
        );
        let note = format!("Deprecated: renamed to ``{}``.", sig.method);
        docstring(out, 8, &[&note]);
        let message = format!("{name}.{alias} is deprecated: renamed to {}", sig.method);
        statement(
            out,
            8,
            "",
            &Expr::call(
                "warnings.warn",
                vec![
                    string(&message),
                    Expr::atom("DeprecationWarning"),
                    Expr::atom("stacklevel=2"),
                ],
            ),
            "",
        );
        statement(
            out,
            8,
            "return ",
            &Expr::call(format!("self.{}", sig.method), sig.args.clone()),
            "",
        );
    }
}

fn operation(out: &mut String, constant: &str, service: &str, op: &OpView<'_>) {
    let full = format!("{service}.{}", op.op.name);
    let mut args = vec![
        Expr::prefixed("service=", string(service)),
        Expr::prefixed("name=", string(&full)),
        Expr::prefixed("method=", string(op.method.as_str())),
        Expr::prefixed("path=", string(&format!("{}{}", op.base_path, op.path))),
        Expr::prefixed("idempotent=", Expr::atom(py_bool(op.idempotent))),
        Expr::prefixed("success=", Expr::atom(op.success.to_string())),
        Expr::prefixed("guarded=", Expr::atom(py_bool(op.guard.is_some()))),
        Expr::prefixed(
            "requires_provenance=",
            Expr::atom(py_bool(op.requires_provenance)),
        ),
    ];
    if let Some(d) = op.deprecation {
        let text = format!(
            "{full} is deprecated: {}",
            deprecation_text(d).replace('\n', " ")
        );
        args.push(Expr::prefixed("deprecated=", string(&text)));
        if let Some(r) = &d.replacement {
            args.push(Expr::prefixed("replacement=", string(r)));
        }
        if let Some(s) = d.sunset {
            args.push(Expr::prefixed("sunset=", string(&s.to_string())));
        }
    }
    out.push_str("\n\n");
    statement(
        out,
        0,
        &format!("{constant} = "),
        &Expr::call("_charter.Operation", args),
        "",
    );
}

fn py_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

fn method_def(
    out: &mut String,
    scope: &Scope<'_>,
    method: &str,
    op: &OpView<'_>,
    constant: &str,
    errors: &[(u16, &Type, String)],
) -> Signature {
    static LOCALS: std::sync::LazyLock<Names> = std::sync::LazyLock::new(|| {
        let mut names = Names::default();
        for word in naming::PYTHON.iter().chain(METHOD_LOCALS) {
            names.reserve(word);
        }
        names
    });
    let mut locals = LOCALS.clone();
    let params = op.params();
    let idents: Vec<String> = params
        .iter()
        .map(|p| {
            if p.location == ParamLocation::Body {
                locals.claim("body")
            } else {
                let wanted = snake(&p.name);
                if METHOD_LOCALS.contains(&wanted.as_str()) {
                    locals.claim(&format!("{wanted}_"))
                } else {
                    locals.claim(&wanted)
                }
            }
        })
        .collect();
    let mut decl = vec![Expr::atom("self"), Expr::atom("*")];
    let mut sig_params = Vec::new();
    let mut sig_args = Vec::new();
    for (p, ident) in params.iter().zip(&idents) {
        let ty = scope.annotation(p.ty.unwrap_optional());
        let text = if may_be_absent(p) {
            format!("{ident}: {ty} | None = None")
        } else {
            format!("{ident}: {ty}")
        };
        sig_params.push(Expr::atom(text));
        sig_args.push(Expr::atom(format!("{ident}={ident}")));
    }
    sig_params.push(Expr::atom(
        "headers: typing.Mapping[str, str] | None = None",
    ));
    sig_params.push(Expr::atom("timeout: float | None = None"));
    sig_args.push(Expr::atom("headers=headers"));
    sig_args.push(Expr::atom("timeout=timeout"));
    decl.extend(sig_params.iter().cloned());
    let returns = format!(
        "_charter.Response[{}]",
        op.result
            .map_or_else(|| "None".to_string(), |t| scope.annotation(t))
    );
    out.push('\n');
    statement(
        out,
        4,
        "",
        &Expr::call(format!("def {method}"), decl),
        &format!(" -> {returns}:"),
    );
    // The docstring.
    let mut paragraphs = vec![format!(
        "Calls ``{} {}{}``: {} on success.",
        op.method.as_str(),
        op.base_path,
        op.path,
        op.success
    )];
    if let Some(d) = &op.op.doc {
        paragraphs.push(d.to_string());
    }
    if let Some(guard) = op.guard {
        paragraphs.push(format!("Guarded by ``{}`` action ``{}``: the response carries the verdict (``Response.verdict``); a response without a well-formed one raises ``_charter.VerdictError``, a denial ``_charter.DeniedError``.", guard.policy, guard.action));
    }
    if op.requires_provenance {
        paragraphs.push("Requires provenance: envelopes are checked before sending and after receiving (``_charter.ProvenanceError``).".to_string());
    }
    for (status, ty, error) in errors {
        paragraphs.push(format!(
            "A {status} response raises ``{error}`` (its body a ``{}``).",
            ty.display()
        ));
    }
    if let Some(d) = op.deprecation {
        paragraphs.push(format!("Deprecated: {}", deprecation_text(d)));
    }
    let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    docstring(out, 8, &refs);
    // Checks before sending.
    let mut checks = String::new();
    for (p, ident) in params.iter().zip(&idents) {
        let path = match p.location {
            ParamLocation::Path => format!("path.{}", p.name),
            ParamLocation::Query => format!("query.{}", p.wire_name()),
            ParamLocation::Body => "body".to_string(),
        };
        let ty = p.ty.unwrap_optional();
        if may_be_absent(p) {
            let mut inner = String::new();
            scope.check(&mut inner, ty, ident, &string(&path), 12);
            if !inner.is_empty() {
                let _ = writeln!(checks, "        if {ident} is not None:");
                checks.push_str(&inner);
            }
        } else {
            scope.check(&mut checks, ty, ident, &string(&path), 8);
        }
    }
    if !checks.is_empty() {
        out.push_str("        c = _charter.Checker()\n");
        out.push_str(&checks);
        let _ = writeln!(
            out,
            "        c.raise_if_any(\"request\", {})",
            py_bool(op.requires_provenance)
        );
    }
    // The call.
    let mut args = vec![Expr::atom("self.transport"), Expr::atom(constant)];
    let members = |location: ParamLocation| {
        params
            .iter()
            .zip(&idents)
            .filter(|(p, _)| p.location == location)
            .map(|(p, ident)| {
                Expr::prefixed(
                    format!("{}: ", string(p.wire_name()).flat()),
                    Expr::atom(ident),
                )
            })
            .collect::<Vec<_>>()
    };
    let path_members = members(ParamLocation::Path);
    if !path_members.is_empty() {
        args.push(Expr::prefixed(
            "path_params=",
            Expr::brackets('{', '}', path_members),
        ));
    }
    let query_members = members(ParamLocation::Query);
    if !query_members.is_empty() {
        args.push(Expr::prefixed(
            "query=",
            Expr::brackets('{', '}', query_members),
        ));
    }
    if let (Some(body), Some(ident)) = (
        op.body,
        params
            .iter()
            .zip(&idents)
            .find(|(p, _)| p.location == ParamLocation::Body)
            .map(|(_, i)| i),
    ) {
        let ty = body.ty.unwrap_optional();
        let write = scope.write(ty, ident, 0);
        if may_be_absent(body) {
            out.push_str("        payload: object = None\n");
            let _ = writeln!(out, "        if {ident} is not None:");
            statement(out, 12, "payload = ", &write, "");
            args.push(Expr::atom("body=payload"));
        } else {
            args.push(Expr::prefixed("body=", write));
        }
    }
    if let Some(result) = op.result {
        let mut result_checks = String::new();
        scope.check(&mut result_checks, result, "data", &Expr::atom("path"), 12);
        let is_record = matches!(result, Type::Named(n, _) if scope.names.alias(n).is_none() && scope.names.enum_open(n).is_none());
        if is_record || result_checks.is_empty() {
            let reader = if is_record {
                Expr::atom(format!("{}.from_json", scope.annotation(result)))
            } else {
                scope.callable_of(result)
            };
            args.push(Expr::prefixed("decode=", reader));
        } else {
            let _ = writeln!(
                out,
                "\n        def decode(value: object, path: str) -> {}:",
                scope.annotation(result)
            );
            statement(
                out,
                12,
                "data = ",
                &scope.read(result, Expr::atom("value"), Expr::atom("path")),
                "",
            );
            out.push_str("            c = _charter.Checker()\n");
            out.push_str(&result_checks);
            out.push_str("            c.raise_if_any()\n            return data\n\n");
            args.push(Expr::atom("decode=decode"));
        }
    }
    if !errors.is_empty() {
        let entries = errors
            .iter()
            .map(|(status, ty, class)| {
                let read = match ty {
                    Type::Named(n, _)
                        if scope.names.alias(n).is_none() && scope.names.enum_open(n).is_none() =>
                    {
                        Expr::call(
                            format!("{}.from_json", scope.annotation(ty)),
                            vec![Expr::atom("v"), string("response")],
                        )
                    }
                    _ => scope.read(ty, Expr::atom("v"), string("response")),
                };
                Expr::prefixed(
                    format!("{status}: lambda v, r: "),
                    Expr::call(
                        class.clone(),
                        vec![
                            Expr::atom(format!("{constant}.name")),
                            Expr::atom("r"),
                            read,
                        ],
                    ),
                )
            })
            .collect();
        args.push(Expr::prefixed("errors=", Expr::brackets('{', '}', entries)));
    }
    args.push(Expr::atom("headers=headers"));
    args.push(Expr::atom("timeout=timeout"));
    statement(out, 8, "return ", &Expr::call("_charter.call", args), "");
    Signature {
        method: method.to_string(),
        params: sig_params,
        args: sig_args,
        returns,
    }
}
