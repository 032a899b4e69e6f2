//! Services and operations: routes, parameters, payloads, guards and provenance.

use std::collections::BTreeMap;

use super::Sig;
use super::check::{FileChecker, Place};
use super::values::Purpose;
use super::wire::{WireMember, written_wire};
use crate::api::PathTemplate;
use crate::diagnostics::{codes, suggestion};
use crate::ir::{self, Kind, Method, ParamLocation, QualName, Type};
use crate::syntax::{Span, ast};

impl FileChecker<'_> {
    pub(super) fn service(&mut self, package: &str, s: &ast::Service) {
        let ann = self.annotations(&s.annotations, Place::Service);
        let version = self.version(s.version.as_ref());
        let base_path = match &s.base {
            Some(b) => {
                let ok = self.check_path_text(&b.value, b.span);
                self.template(b.value.trim_end_matches('/'), b.span, ok)
            }
            None => PathTemplate::default(),
        };
        self.duplicates(s.ops.iter().map(|o| &o.name), "operation");
        self.reserved(s.ops.iter().map(|o| &o.name), "operation", false);
        self.pending_replacements.clear();
        let mut routes: BTreeMap<(Method, String), Span> = BTreeMap::new();
        let mut ops = Vec::new();
        for op in &s.ops {
            if let Some(op) = self.operation(op, &mut routes) {
                ops.push(op);
            }
        }
        self.template_names(&s.ops);
        let names: Vec<&str> = s.ops.iter().map(|o| o.name.name.as_str()).collect();
        for (target, span) in std::mem::take(&mut self.pending_replacements) {
            if !names.contains(&target.as_str()) {
                let help = suggestion(
                    &target,
                    names.iter().copied(),
                    "name an operation of this service",
                );
                self.error(
                    codes::E7006,
                    format!("no operation `{target}` in service `{}`", s.name.name),
                    span,
                )
                .label("the replacement does not exist")
                .help(help);
            }
        }
        self.approve(Some(&ann), &QualName::new(package, s.name.name.clone()));
        self.model.services.push(ir::Service {
            name: QualName::new(package, s.name.name.clone()),
            doc: s.doc.clone(),
            version,
            base_path,
            ops,
            deprecated: ann.deprecated.map(|(d, _)| Box::new(d)),
            loc: self.loc(s.name.span),
        });
    }

    /// The template of a path; an unclosed `{` is E4010 when the path is otherwise valid
    /// (`checked`).
    fn template(&mut self, text: &str, span: Span, checked: bool) -> PathTemplate {
        PathTemplate::parse(text).unwrap_or_else(|e| {
            if checked {
                self.error(codes::E4010, "unclosed `{` in path", span)
                    .label("a path parameter is not closed")
                    .help("write path parameters as `{name}`");
            }
            e.salvaged()
        })
    }

    fn check_path_text(&mut self, path: &str, span: Span) -> bool {
        if !path.starts_with('/')
            || path.contains(char::is_whitespace)
            || path.contains("//")
            || path.contains(['?', '#'])
        {
            self.error(codes::E4010, format!("invalid path `{path}`"), span)
                .label("paths start with `/` and hold no spaces, `//`, `?` or `#`")
                .help("write a path such as \"/v2/events/{id}\"; query parameters are declared as parameters");
            return false;
        }
        true
    }

    fn operation(
        &mut self,
        op: &ast::Operation,
        routes: &mut BTreeMap<(Method, String), Span>,
    ) -> Option<ir::Operation> {
        let ann = self.annotations(&op.annotations, Place::Operation);
        self.approve_member(&ann, &op.name.name);
        let method = Method::parse(&op.method.name);
        if method.is_none() {
            let upper = op.method.name.to_uppercase();
            let help = if Method::parse(&upper).is_some() {
                format!("methods are upper case: `{upper}`").into()
            } else {
                suggestion(
                    &upper,
                    ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
                    "use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS",
                )
            };
            self.error(
                codes::E4001,
                format!("invalid HTTP method `{}`", op.method.name),
                op.method.span,
            )
            .label("not an HTTP method")
            .help(help);
        }
        let path_ok = self.check_path_text(&op.path.value, op.path.span);
        let path = self.template(&op.path.value, op.path.span, path_ok);
        // Path parameters named in the template (none when the path is invalid).
        let template: Vec<&str> = if path_ok {
            path.params().collect()
        } else {
            Vec::new()
        };
        self.duplicates(op.params.iter().map(|p| &p.name), "parameter");
        self.reserved(op.params.iter().map(|p| &p.name), "parameter", false);
        let mut params = Vec::new();
        let mut body_seen = false;
        for p in &op.params {
            let ty = self.lower_type(&p.ty);
            let location = if template.contains(&p.name.name.as_str()) {
                ParamLocation::Path
            } else if p.name.name == "body" {
                ParamLocation::Body
            } else {
                ParamLocation::Query
            };
            match location {
                ParamLocation::Body => {
                    body_seen = true;
                    if matches!(method, Some(Method::Get | Method::Head | Method::Delete)) {
                        self.error(
                            codes::E4008,
                            format!("`{}` requests have no body", op.method.name),
                            p.name.span,
                        )
                        .label("body parameter on a method without a body")
                        .help("pass the values as path or query parameters, or use POST/PUT/PATCH");
                    }
                    let base = self.base(&ty);
                    let payload = match &base {
                        Type::List(inner) => self.base(inner),
                        other => other.clone(),
                    };
                    if !matches!(payload, Type::Named(_, Kind::Record) | Type::Error) {
                        self.error(
                            codes::E4008,
                            format!("the body must be a record, not `{}`", ty.display()),
                            p.ty.span,
                        )
                        .label("not a record")
                        .help("declare a record for the request body");
                    }
                }
                ParamLocation::Path => {
                    if ty.is_optional() || p.default.is_some() {
                        self.error(
                            codes::E4002,
                            format!("path parameter `{}` cannot be optional", p.name.name),
                            p.span,
                        )
                        .label("a path always has this segment")
                        .help("drop the `?` and the default, or make it a query parameter");
                    }
                    let scalar = matches!(
                        self.base(&ty).unwrap_optional(),
                        Type::Prim(_) | Type::Named(_, Kind::Enum) | Type::Error
                    );
                    if !scalar {
                        self.error(
                            codes::E4008,
                            format!(
                                "path parameter `{}` must be a scalar, not `{}`",
                                p.name.name,
                                ty.display()
                            ),
                            p.ty.span,
                        )
                        .label("a path segment holds one value")
                        .help("use a primitive or enum type; records travel in the body");
                    }
                }
                ParamLocation::Query => {
                    let base = self.base(&ty);
                    let scalar = |t: &Type| {
                        matches!(t, Type::Prim(_) | Type::Named(_, Kind::Enum) | Type::Error)
                    };
                    let ok = match base.unwrap_optional() {
                        Type::List(inner) | Type::Set(inner) => scalar(&self.base(inner)),
                        other => scalar(other),
                    };
                    if !ok {
                        self.error(
                            codes::E4008,
                            format!(
                                "query parameter `{}` must be a scalar, not `{}`",
                                p.name.name,
                                ty.display()
                            ),
                            p.ty.span,
                        )
                        .label("records travel in the body")
                        .help("name the parameter `body` to send it as the request body");
                    }
                }
            }
            let place = if location == ParamLocation::Query {
                Place::QueryParam
            } else {
                Place::Param
            };
            let wire = self.annotations(&p.annotations, place).wire.map(|(w, _)| w);
            let default = p
                .default
                .as_ref()
                .and_then(|d| self.value(d, &ty, &p.name.name, Purpose::Default));
            params.push(ir::Param {
                name: p.name.name.clone(),
                ty,
                location,
                default,
                wire,
            });
        }
        for name in &template {
            if !op.params.iter().any(|p| &p.name.name == name) {
                self.error(
                    codes::E4002,
                    format!("path parameter `{{{name}}}` is not declared"),
                    op.path.span,
                )
                .label(format!("`{name}` is not among the parameters"))
                .help(format!("add `{name}: string` to the parameter list"));
            }
        }
        let _ = body_seen;
        let query: Vec<WireMember<'_>> = op
            .params
            .iter()
            .zip(&params)
            .filter(|(_, p)| p.location == ParamLocation::Query)
            .map(|(p, _)| WireMember {
                ident: &p.name,
                wire: written_wire(&p.annotations),
            })
            .collect();
        self.wire_duplicates(&query, &[], "query parameter");
        let result = op.result.as_ref().map(|t| self.lower_type(t));
        self.status_with_body(ann.status, result.is_some());
        // Clauses.
        let mut errors: Vec<(u16, Type)> = Vec::new();
        let mut requires_provenance = false;
        let mut guard = None;
        let mut graphql = None;
        let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
        for clause in &op.clauses {
            let (key, span) = match clause {
                ast::OpClause::Errors(_, s) => ("errors", *s),
                ast::OpClause::RequiresProvenance(s) => ("requires provenance", *s),
                ast::OpClause::GuardedBy { span, .. } => ("guarded by", *span),
                ast::OpClause::Graphql(_, s) => ("graphql", *s),
                ast::OpClause::Error(s) => ("error", *s),
            };
            if let Some(first) = seen.get(key) {
                let file = self.file;
                self.error(codes::E4011, format!("`{key}` is given twice"), span)
                    .label("repeated clause")
                    .secondary(file, *first, "first given here")
                    .help("merge the two clauses into one");
                continue;
            }
            seen.insert(key, span);
            match clause {
                ast::OpClause::Errors(list, _) => {
                    let mut statuses: BTreeMap<u16, Span> = BTreeMap::new();
                    for e in list {
                        let Some(status) = e.status.filter(|s| (400..=599).contains(s)) else {
                            self.error(codes::E4003, format!("`{}` is not an error status", e.status_text), e.status_span)
                                .label("error statuses are 400 to 599")
                                .help("declare client errors (4xx) and server errors (5xx) here; success is the result type");
                            continue;
                        };
                        if let Some(first) = statuses.get(&status) {
                            let file = self.file;
                            self.error(
                                codes::E1007,
                                format!("duplicate error status `{status}`"),
                                e.status_span,
                            )
                            .label("status declared again")
                            .secondary(file, *first, "first declared here")
                            .help("declare each status once");
                            continue;
                        }
                        statuses.insert(status, e.status_span);
                        let ty = self.lower_type(&e.ty);
                        errors.push((status, ty));
                    }
                }
                ast::OpClause::RequiresProvenance(span) => {
                    requires_provenance = true;
                    self.check_provenance(op, &params, result.as_ref(), *span);
                }
                ast::OpClause::GuardedBy { policy, action, .. } => {
                    guard = self.guard(policy, action);
                }
                ast::OpClause::Graphql(kind, _) => {
                    graphql = match kind.name.as_str() {
                        "query" => Some(ir::GraphqlKind::Query),
                        "mutation" => Some(ir::GraphqlKind::Mutation),
                        other => {
                            let help = suggestion(
                                other,
                                ["query", "mutation"],
                                "write `graphql query` or `graphql mutation`",
                            );
                            self.error(
                                codes::E4006,
                                format!("`{other}` is not a GraphQL operation kind"),
                                kind.span,
                            )
                            .label("expected `query` or `mutation`")
                            .help(help);
                            None
                        }
                    };
                }
                ast::OpClause::Error(_) => {}
            }
        }
        let method = method?;
        if path_ok {
            // Routes compare with parameter names erased: `/a/{x}` and `/a/{y}` are the same route.
            let shape = path.erased().trim_end_matches('/').to_string();
            if let Some(first) = routes.get(&(method, shape.clone())) {
                let file = self.file;
                self.error(
                    codes::E4007,
                    format!(
                        "route `{} {}` is declared twice",
                        method.as_str(),
                        op.path.value
                    ),
                    op.path.span,
                )
                .label("same method and path as another operation")
                .secondary(file, *first, "first declared here")
                .help("give each operation its own method and path");
            } else {
                routes.insert((method, shape), op.path.span);
            }
        }
        if requires_provenance && let Some(g) = &guard {
            self.envelope_readable(g, op);
        }
        let guarded = op
            .clauses
            .iter()
            .any(|c| matches!(c, ast::OpClause::GuardedBy { .. }));
        let public = match ann.public {
            Some((_, span)) if guarded => {
                self.error(
                    codes::E7007,
                    "`@public` is not allowed on a guarded operation",
                    span,
                )
                .label("this operation is `guarded by` a policy")
                .help("remove `@public`, or remove `guarded by` if the operation is deliberately public");
                None
            }
            other => other.map(|(reason, _)| reason),
        };
        Some(ir::Operation {
            name: op.name.name.clone(),
            doc: op.doc.clone(),
            method,
            path,
            params,
            result,
            errors,
            requires_provenance,
            public,
            guard,
            graphql,
            deprecated: ann.deprecated.map(|(d, _)| Box::new(d)),
            success: ann.status.map(|(s, _)| s),
            loc: self.loc(op.name.span),
        })
    }

    /// `requires provenance`: the body and the result must carry the envelope.
    fn check_provenance(
        &mut self,
        op: &ast::Operation,
        params: &[ir::Param],
        result: Option<&Type>,
        span: Span,
    ) {
        let body = params.iter().find(|p| p.location == ParamLocation::Body);
        let mut checked = Vec::new();
        if let Some(body) = body {
            let at = op
                .params
                .iter()
                .find(|p| p.name.name == "body")
                .map_or(span, |p| p.ty.span);
            checked.push(("request body", body.ty.clone(), at));
        }
        if let Some(result) = result {
            let at = op.result.as_ref().map_or(span, |t| t.span);
            checked.push(("result", result.clone(), at));
        }
        if checked.is_empty() {
            self.error(
                codes::E4004,
                format!(
                    "`{}` requires provenance but has neither body nor result",
                    op.name.name
                ),
                span,
            )
            .label("nothing here can carry provenance")
            .help("remove `requires provenance`, or give the operation a body or a result");
            return;
        }
        for (what, ty, at) in checked {
            let base = self.base(&ty);
            let payload = match &base {
                Type::List(inner) => self.base(inner),
                other => other.clone(),
            };
            let carries = match &payload {
                Type::Named(name, Kind::Record) => matches!(
                    self.sig(name).as_deref(),
                    Some(Sig::Record {
                        with_provenance: true,
                        ..
                    })
                ),
                Type::Error => true,
                _ => false,
            };
            if !carries {
                let file = self.file;
                self.error(
                    codes::E4004,
                    format!("the {what} `{}` does not carry provenance", ty.display()),
                    at,
                )
                .label("declared without `with provenance`")
                .secondary(file, span, "required here")
                .help(match &payload {
                    Type::Named(name, _) => {
                        format!("declare `record {} with provenance {{ ... }}`", name.name)
                    }
                    _ => "use a record declared `with provenance`".to_string(),
                });
            }
        }
    }

    /// W4051: a policy guarding an operation that requires provenance reads the envelope from
    /// `context.provenance`; without such an attribute every request is denied (none carries an
    /// envelope, or it is an unknown attribute of the context).
    fn envelope_readable(&mut self, guard: &ir::Guard, op: &ast::Operation) {
        let Some(sig) = self.sig(&guard.policy) else {
            return;
        };
        let Sig::Policy {
            context,
            complete: true,
            ..
        } = sig.as_ref()
        else {
            return;
        };
        let has_envelope = context.as_ref().is_some_and(|c| {
            self.sig(c).is_some_and(|s| {
                s.fields()
                    .is_some_and(|fields| fields.iter().any(|f| f.name == "provenance"))
            })
        });
        if has_envelope {
            return;
        }
        let what = match context {
            Some(c) => format!("its context `{}` has no `provenance` attribute", c.name),
            None => "it has no context".to_string(),
        };
        let d = crate::diagnostics::Diagnostic::warning(
            codes::W4051,
            format!(
                "`{}` requires provenance, but its guard `{}` cannot read the envelope",
                op.name.name, guard.policy.name
            ),
            self.file,
            op.name.span,
        )
        .with_label(format!("{what}: every request to this operation is denied"))
        .with_help("declare `provenance: std.provenance.Provenance?` in the policy's context");
        self.push(d);
    }

    fn guard(&mut self, policy: &ast::Path, action: &ast::Ident) -> Option<ir::Guard> {
        let name = self.resolve_kind(policy, &[Kind::Policy])?;
        let sig = self.sig(&name)?;
        let Sig::Policy {
            resource: Some(resource),
            subjects,
            complete: true,
            ..
        } = sig.as_ref()
        else {
            return None;
        };
        let decided = super::decided_actions(self.db, self.ws, resource, subjects);
        if !decided.iter().any(|d| d.as_str() == action.name.as_str()) {
            if !super::actions_complete(self.db, self.ws) {
                return None;
            }
            let help = suggestion(
                &action.name,
                decided.iter().map(String::as_str),
                &if decided.is_empty() {
                    format!("`{}` decides no action", name.name)
                } else {
                    format!("`{}` decides: {}", name.name, decided.join(", "))
                },
            );
            self.error(
                codes::E4005,
                format!("policy `{}` cannot decide `{}`", name.name, action.name),
                action.span,
            )
            .label(format!(
                "not an action on `{}` for the policy's subjects",
                resource.name
            ))
            .help(help);
            return None;
        }
        Some(ir::Guard {
            policy: name,
            action: action.name.to_string(),
        })
    }
}

fn erase_params(path: &str) -> String {
    erase_names(path).trim_end_matches('/').to_string()
}

/// The path with parameter names erased (`/a/{}/b`), trailing `/` kept; a path with an
/// unclosed `{` (E4010) keeps the rest as it is.
fn erase_names(path: &str) -> String {
    PathTemplate::parse(path)
        .unwrap_or_else(crate::api::PathError::salvaged)
        .erased()
}

impl FileChecker<'_> {
    /// W4050: two operations' paths differ only in parameter names (`/x/{id}` and `/x/{key}`,
    /// with different methods; with the same method it is E4007). OpenAPI forbids such paths.
    fn template_names(&mut self, ops: &[ast::Operation]) {
        let mut routes = std::collections::BTreeSet::new();
        let mut templates: BTreeMap<String, (&str, Span)> = BTreeMap::new();
        for op in ops {
            let Some(method) = Method::parse(&op.method.name) else {
                continue;
            };
            let path = op.path.value.as_str();
            if !routes.insert((method, erase_params(path))) {
                continue;
            }
            let shape = erase_names(path);
            match templates.get(&shape) {
                Some((first, span)) if *first != path => {
                    let d = crate::diagnostics::Diagnostic::warning(
                        codes::W4050,
                        format!("paths `{first}` and `{path}` differ only in parameter names"),
                        self.file,
                        op.path.span,
                    )
                    .with_label("the same path as another operation's, with other parameter names")
                    .with_secondary(self.file, *span, "first written here")
                    .with_help("name the parameter at each position alike in both paths; OpenAPI forbids paths that differ only in parameter names");
                    self.push(d);
                }
                Some(_) => {}
                None => {
                    templates.insert(shape, (path, op.path.span));
                }
            }
        }
    }
}
