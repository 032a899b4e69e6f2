//! Services, operations, parameters and errors.

use super::diff::{Cx, Delta, Draft, Where, delta, lifecycle, pair, rename, same_wire, show_value};
use super::kinds::{self as k, KindInfo};
use crate::ir::{GraphqlKind, Operation, Param, ParamLocation, Service};

pub(super) fn services(cx: &mut Cx<'_>) {
    let (removed, common, added) = pair(&cx.old.services, &cx.new.services, |s| s.name.clone());
    for s in removed {
        let c = cx.push(
            Draft::new(
                k::SERVICE_REMOVED,
                s.name.to_string(),
                &s.name.package,
                format!("service `{}` removed", s.name.name),
            )
            .service(&s.name)
            .place(Where::Both)
            .locs(Some(&s.loc), None),
        );
        c.deprecation = s.deprecated.as_deref().cloned();
    }
    for s in added {
        cx.push(
            Draft::new(
                k::SERVICE_ADDED,
                s.name.to_string(),
                &s.name.package,
                format!("service `{}` added", s.name.name),
            )
            .service(&s.name)
            .place(Where::Both)
            .locs(None, Some(&s.loc)),
        );
    }
    for (o, n) in common {
        let base = || {
            Draft::new(
                k::SERVICE_BASE_PATH_CHANGED,
                n.name.to_string(),
                &n.name.package,
                String::new(),
            )
            .service(&n.name)
            .locs(Some(&o.loc), Some(&n.loc))
        };
        if o.base_path != n.base_path {
            let c = cx.push(Draft {
                detail: format!("base path `{}` -> `{}`", o.base_path, n.base_path),
                ..base().place(Where::Both)
            });
            c.hint = Some(format!("call the service at `{}`", n.base_path));
        }
        operations(cx, o, n);
        lifecycle(cx, o.deprecated.as_deref(), n.deprecated.as_deref(), base());
    }
}

fn route(op: &Operation) -> String {
    format!("{} {}", op.method.as_str(), op.path)
}

fn same_op(a: &Operation, b: &Operation) -> bool {
    a.method == b.method
        && a.path == b.path
        && a.params == b.params
        && a.result == b.result
        && a.errors == b.errors
}

fn operations(cx: &mut Cx<'_>, os: &Service, ns: &Service) {
    let (mut removed, common, mut added) = pair(&os.ops, &ns.ops, |o| o.name.clone());
    let draft = |kind: KindInfo, name: &str, detail: String| {
        Draft::new(
            kind,
            format!("{}.{name}", ns.name),
            &ns.name.package,
            detail,
        )
        .service(&ns.name)
    };
    if let Some((r, a)) = rename(&mut removed, &mut added, same_op) {
        let c = cx.push(
            draft(
                k::OPERATION_RENAMED,
                &r.name,
                format!("operation `{}` renamed to `{}`", r.name, a.name),
            )
            .place(Where::Both)
            .locs(Some(&r.loc), Some(&a.loc)),
        );
        c.hint = Some(format!("renamed `{}` -> `{}`", r.name, a.name));
        c.deprecation = r
            .deprecated
            .as_deref()
            .cloned()
            .or_else(|| os.deprecated.as_deref().cloned());
        c.renamed_to = Some(a.name.to_string());
    }
    for op in removed {
        let c = cx.push(
            draft(
                k::OPERATION_REMOVED,
                &op.name,
                format!("operation `{}` ({}) removed", op.name, route(op)),
            )
            .place(Where::Both)
            .locs(Some(&op.loc), Some(&ns.loc)),
        );
        c.deprecation = op
            .deprecated
            .as_deref()
            .cloned()
            .or_else(|| os.deprecated.as_deref().cloned());
        c.hint = op
            .deprecated
            .as_deref()
            .and_then(|d| d.replacement.as_ref())
            .map(|r| format!("`{}` is gone: use `{r}`", op.name));
    }
    for op in added {
        cx.push(
            draft(
                k::OPERATION_ADDED,
                &op.name,
                format!("operation `{}` ({}) added", op.name, route(op)),
            )
            .place(Where::Both)
            .locs(None, Some(&op.loc)),
        );
    }
    for (o, n) in common {
        let d = |kind: KindInfo, detail: String| {
            draft(kind, &n.name, detail).locs(Some(&o.loc), Some(&n.loc))
        };
        if route(o) != route(n) {
            let c = cx.push(
                d(
                    k::OPERATION_ROUTE_CHANGED,
                    format!("`{}` -> `{}`", route(o), route(n)),
                )
                .place(Where::Request),
            );
            c.hint = Some(format!("call `{}` at `{}`", n.name, route(n)));
        }
        // A result added or removed changes the default status with it: that is its own change.
        if o.success_status() != n.success_status() && (o.success.is_some() || n.success.is_some())
        {
            let c = cx.push(
                d(
                    k::OPERATION_SUCCESS_STATUS_CHANGED,
                    format!(
                        "success status {} -> {}",
                        o.success_status(),
                        n.success_status()
                    ),
                )
                .place(Where::Response),
            );
            c.hint = Some(format!("expect {} from `{}`", n.success_status(), n.name));
        }
        match (&o.result, &n.result) {
            (None, Some(t)) => {
                cx.push(
                    d(
                        k::OPERATION_RESULT_ADDED,
                        format!("now returns `{}`", t.display()),
                    )
                    .place(Where::Response),
                );
            }
            (Some(t), None) => {
                cx.push(
                    d(
                        k::OPERATION_RESULT_REMOVED,
                        format!("no longer returns `{}`", t.display()),
                    )
                    .place(Where::Response),
                );
            }
            (Some(a), Some(b)) if a != b => {
                cx.push(
                    d(
                        k::OPERATION_RESULT_CHANGED,
                        format!("result `{}` -> `{}`", a.display(), b.display()),
                    )
                    .place(Where::Response),
                );
            }
            _ => {}
        }
        let gql = |g: Option<GraphqlKind>| match g {
            None => "none",
            Some(GraphqlKind::Query) => "query",
            Some(GraphqlKind::Mutation) => "mutation",
        };
        match (o.graphql, n.graphql) {
            (None, Some(_)) => {
                cx.push(
                    d(
                        k::OPERATION_GRAPHQL_ADDED,
                        format!("exposed as a GraphQL {}", gql(n.graphql)),
                    )
                    .place(Where::Both),
                );
            }
            (Some(a), b) if Some(a) != b => {
                cx.push(
                    d(
                        k::OPERATION_GRAPHQL_REMOVED,
                        format!("GraphQL {} -> {}", gql(o.graphql), gql(b)),
                    )
                    .place(Where::Both),
                );
            }
            _ => {}
        }
        let guard = |op: &Operation| {
            op.guard
                .as_ref()
                .map(|g| format!("{} action {}", g.policy, g.action))
        };
        match (guard(o), guard(n)) {
            (None, Some(g)) => {
                cx.push(
                    d(k::OPERATION_GUARD_ADDED, format!("now guarded by {g}"))
                        .place(Where::Request),
                );
            }
            (Some(g), None) => {
                cx.push(
                    d(
                        k::OPERATION_GUARD_REMOVED,
                        format!("no longer guarded by {g}"),
                    )
                    .place(Where::Request),
                );
            }
            (Some(a), Some(b)) if a != b => {
                cx.push(
                    d(k::OPERATION_GUARD_CHANGED, format!("guard {a} -> {b}"))
                        .place(Where::Request),
                );
            }
            _ => {}
        }
        if o.requires_provenance != n.requires_provenance {
            let kind = if n.requires_provenance {
                k::OPERATION_PROVENANCE_REQUIRED
            } else {
                k::OPERATION_PROVENANCE_DROPPED
            };
            let c = cx.push(
                d(
                    kind,
                    format!(
                        "`requires provenance` {}",
                        if n.requires_provenance {
                            "added"
                        } else {
                            "removed"
                        }
                    ),
                )
                .place(Where::Request),
            );
            if n.requires_provenance {
                c.hint = Some(format!(
                    "send a provenance envelope with every `{}` call",
                    n.name
                ));
            }
        }
        params(cx, ns, o, n);
        errors(cx, ns, o, n);
        lifecycle(
            cx,
            o.deprecated.as_deref(),
            n.deprecated.as_deref(),
            d(k::DEPRECATED, String::new()),
        );
    }
}

fn required(p: &Param) -> bool {
    !p.ty.is_optional() && p.default.is_none()
}

fn params(cx: &mut Cx<'_>, s: &Service, o: &Operation, n: &Operation) {
    let (mut removed, mut common, mut added) = pair(&o.params, &n.params, |p| p.name.clone());
    let d = |kind: KindInfo, name: &str, detail: String| {
        Draft::new(
            kind,
            format!("{}.{}.{name}", s.name, n.name),
            &s.name.package,
            detail,
        )
        .service(&s.name)
        .place(Where::Request)
        .locs(Some(&o.loc), Some(&n.loc))
    };
    // Only query parameters travel by name: a path parameter's or the body's name never does.
    let query = |p: &Param| p.location == ParamLocation::Query;
    let mut removed_query: Vec<&Param> = removed.iter().copied().filter(|p| query(p)).collect();
    let mut added_query: Vec<&Param> = added.iter().copied().filter(|p| query(p)).collect();
    for (r, a) in same_wire(&mut removed_query, &mut added_query, Param::wire_name) {
        removed.retain(|p| !std::ptr::eq(*p, r));
        added.retain(|p| !std::ptr::eq(*p, a));
        let c = cx.push(d(
            k::PARAM_IDENTIFIER_RENAMED,
            &r.name,
            format!(
                "parameter `{}` renamed to `{}`, still `{}` on the wire",
                r.name,
                a.name,
                a.wire_name()
            ),
        ));
        c.hint = Some(format!(
            "`{}`: parameter `{}` is now `{}`",
            n.name, r.name, a.name
        ));
        common.push((r, a));
    }
    for (op, np) in &common {
        if query(op) && query(np) && op.wire_name() != np.wire_name() {
            let c = cx.push(d(
                k::PARAM_WIRE_NAME_CHANGED,
                &np.name,
                format!(
                    "parameter `{}` travels as `{}`, was `{}`",
                    np.name,
                    np.wire_name(),
                    op.wire_name()
                ),
            ));
            c.hint = Some(format!(
                "send `{}` instead of `{}`",
                np.wire_name(),
                op.wire_name()
            ));
        }
    }
    if let Some((r, a)) = rename(&mut removed, &mut added, |r, a| {
        r.ty == a.ty && r.location == a.location && r.default == a.default
    }) {
        let c = cx.push(d(
            k::PARAM_RENAMED,
            &r.name,
            format!("parameter `{}` renamed to `{}`", r.name, a.name),
        ));
        c.hint = Some(format!(
            "`{}`: parameter `{}` is now `{}`",
            n.name, r.name, a.name
        ));
    }
    for p in removed {
        cx.push(d(
            k::PARAM_REMOVED,
            &p.name,
            format!("parameter `{}: {}` removed", p.name, p.ty.display()),
        ));
    }
    for p in added {
        let req = required(p);
        let kind = if req {
            k::PARAM_ADDED_REQUIRED
        } else {
            k::PARAM_ADDED_OPTIONAL
        };
        let c = cx.push(d(
            kind,
            &p.name,
            format!(
                "parameter `{}: {}` added{}",
                p.name,
                p.ty.display(),
                if req { ", required" } else { "" }
            ),
        ));
        if req {
            c.hint = Some(format!("`{}` needs the new parameter `{}`", n.name, p.name));
        }
    }
    for (op, np) in common {
        let types = format!("`{}` -> `{}`", op.ty.display(), np.ty.display());
        match delta(op.ty.unwrap_optional(), np.ty.unwrap_optional()) {
            Delta::Same => {}
            Delta::Changed => {
                cx.push(d(
                    k::PARAM_TYPE_CHANGED,
                    &np.name,
                    format!("parameter `{}` type {types}", np.name),
                ));
            }
            Delta::Tightened => {
                cx.push(d(
                    k::PARAM_TIGHTENED,
                    &np.name,
                    format!("parameter `{}` {types}", np.name),
                ));
            }
            Delta::Loosened => {
                cx.push(d(
                    k::PARAM_LOOSENED,
                    &np.name,
                    format!("parameter `{}` {types}", np.name),
                ));
            }
        }
        match (required(op), required(np)) {
            (false, true) => {
                cx.push(d(
                    k::PARAM_MADE_REQUIRED,
                    &np.name,
                    format!("parameter `{}` is now required", np.name),
                ));
            }
            (true, false) => {
                cx.push(d(
                    k::PARAM_MADE_OPTIONAL,
                    &np.name,
                    format!("parameter `{}` is now optional", np.name),
                ));
            }
            _ => {}
        }
        if let (Some(a), Some(b)) = (&op.default, &np.default)
            && a != b
        {
            cx.push(d(
                k::PARAM_DEFAULT_CHANGED,
                &np.name,
                format!(
                    "parameter `{}` default {} -> {}",
                    np.name,
                    show_value(a),
                    show_value(b)
                ),
            ));
        }
    }
}

fn errors(cx: &mut Cx<'_>, s: &Service, o: &Operation, n: &Operation) {
    let (removed, common, added) = pair(&o.errors, &n.errors, |(status, _)| *status);
    let d = |kind: KindInfo, status: u16, detail: String| {
        Draft::new(
            kind,
            format!("{}.{}.errors.{status}", s.name, n.name),
            &s.name.package,
            detail,
        )
        .service(&s.name)
        .place(Where::Response)
        .locs(Some(&o.loc), Some(&n.loc))
    };
    for (status, ty) in removed {
        cx.push(d(
            k::ERROR_REMOVED,
            *status,
            format!("error {status}: {} removed", ty.display()),
        ));
    }
    for (status, ty) in added {
        let c = cx.push(d(
            k::ERROR_ADDED,
            *status,
            format!("error {status}: {} added", ty.display()),
        ));
        c.hint = Some(format!("handle status {status} from `{}`", n.name));
    }
    for ((status, a), (_, b)) in common {
        if a != b {
            cx.push(d(
                k::ERROR_TYPE_CHANGED,
                *status,
                format!("error {status} body `{}` -> `{}`", a.display(), b.display()),
            ));
        }
    }
}
