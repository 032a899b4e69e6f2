//! Root fields as operations: arguments to parameters and the body, the REST method and path.

use charter::diagnostics::codes;
use charter::naming::Names;
use std::collections::BTreeSet;

use async_graphql_parser::Positioned;
use async_graphql_parser::types::{BaseType, FieldDefinition, InputValueDefinition, Type};

use super::convert::{Converter, Kind};

/// One operation for root field `f` of `root` (`kind` is `query` or `mutation`).
pub fn operation(
    conv: &mut Converter<'_>,
    kind: &str,
    root: &str,
    f: &Positioned<FieldDefinition>,
    op_names: &mut Names,
    routes: &mut BTreeSet<(String, String)>,
    out: &mut String,
) {
    let field = f.node.name.node.to_string();
    let coordinate = format!("{root}.{field}");
    if !conv.importable(&coordinate, &f.node.ty) {
        return;
    }
    let mut params = Vec::new();
    let mut param_names = Names::default();
    let mut body = None;
    for a in &f.node.arguments {
        let arg = format!("{coordinate}({}:)", a.node.name.node);
        if a.node.description.is_some() {
            conv.warn_at(
                codes::W8055,
                format!("description {arg}"),
                a.pos,
                format!("the description of `{arg}` is not imported: Charter parameters have no doc comments"),
            );
        }
        for d in &a.node.directives {
            let name = d.node.name.node.as_str();
            let what = if name == "deprecated" {
                format!("deprecation {arg}")
            } else {
                format!("directive @{name}")
            };
            conv.warn_at(
                codes::W8050,
                what,
                d.pos,
                format!(
                    "`@{name}` on `{arg}` is not imported: Charter parameters take no annotations"
                ),
            );
        }
        if conv.kind_of_type(&a.node.ty.node) == Some(Kind::Input) {
            if body.is_some() {
                conv.warn_at(
                    codes::W8050,
                    format!("argument {arg}"),
                    a.pos,
                    format!("`{arg}` is not imported: an operation has one body, and an earlier input object argument is it"),
                );
            } else if let Some(b) = body_of(conv, &arg, a) {
                body = Some(b);
            }
            continue;
        }
        if let Some(p) = param(conv, &arg, a, &mut param_names) {
            params.push(p);
        }
    }
    let method = if kind == "mutation" || body.is_some() {
        "POST"
    } else {
        "GET"
    };
    let mut path = format!("/{field}");
    if routes.contains(&(method.to_string(), path.clone())) {
        path = format!("/{kind}/{field}");
    }
    routes.insert((method.to_string(), path.clone()));
    if let Some(b) = body {
        params.push(format!("body: {b}"));
    }
    let name = if op_names.is_taken(&field)
        || super::names::problem(&field, false, op_names).is_some()
    {
        let charter = super::names::fit(&field, false, op_names);
        conv.warn_at(
            codes::W8051,
            format!("field {coordinate}"),
            f.node.name.pos,
            format!("the operation for `{coordinate}` is named `{charter}`: `{field}` is a reserved word or already taken"),
        );
        charter
    } else {
        super::names::fit(&field, false, op_names)
    };
    let result = conv.ty(&f.node.ty.node);
    Converter::named_doc(out, "  ", f.node.description.as_ref(), &field, &name);
    conv.annotate(out, "  ", &coordinate, &f.node.directives);
    out.push_str(&format!(
        "  op {name} {method} \"{path}\" ({}) -> {result}\n    graphql {kind}\n\n",
        params.join(", ")
    ));
}

/// A scalar or enum argument as a query parameter, or `None` (with a warning).
fn param(
    conv: &mut Converter<'_>,
    arg: &str,
    a: &Positioned<InputValueDefinition>,
    taken: &mut Names,
) -> Option<String> {
    let ty = &a.node.ty.node;
    let ty_text = match &ty.base {
        BaseType::Named(_) => conv.ty(ty),
        BaseType::List(inner) => {
            if matches!(inner.base, BaseType::List(_)) {
                conv.warn_at(
                    codes::W8050,
                    format!("argument {arg}"),
                    a.pos,
                    format!("`{arg}` is not imported: a query parameter may be a list of scalars, not a list of lists"),
                );
                return None;
            }
            if inner.nullable {
                conv.warn_at(
                    codes::W8056,
                    format!("argument {arg}"),
                    a.pos,
                    format!("the items of `{arg}` become non-null: a query parameter's list holds values, not nulls"),
                );
            }
            let item = Type {
                base: inner.base.clone(),
                nullable: false,
            };
            let list = format!("list<{}>", conv.ty(&item));
            if ty.nullable {
                format!("{list}?")
            } else {
                list
            }
        }
    };
    let original = a.node.name.node.as_str();
    // `body` names the request body in Charter: like a reserved word, it gets a `_`.
    let is_body = original == "body";
    let problem = super::names::problem(original, false, taken);
    let name = if let Some(why) = problem.or(is_body.then_some("names the request body in Charter"))
    {
        let charter = if is_body {
            taken.claim("body_")
        } else {
            super::names::fit(original, false, taken)
        };
        conv.warn_at(
            codes::W8051,
            format!("argument {arg}"),
            a.node.name.pos,
            format!("`{original}` {why}; imported as `{charter}`"),
        );
        charter
    } else {
        super::names::fit(original, false, taken)
    };
    let default = conv.default_of(arg, a);
    Some(format!("{name}: {ty_text}{default}"))
}

/// An input object argument as the body type, or `None` (with a warning).
fn body_of(
    conv: &mut Converter<'_>,
    arg: &str,
    a: &Positioned<InputValueDefinition>,
) -> Option<String> {
    let ty = &a.node.ty.node;
    let mut changes = Vec::new();
    let original = a.node.name.node.as_str();
    if original != "input" {
        changes.push(format!(
            "it becomes the body, which `charter build --target graphql` names `input`, not `{original}`"
        ));
    }
    if ty.nullable {
        changes.push("it becomes required: a body is never absent".to_string());
    }
    let text = match &ty.base {
        BaseType::Named(_) => conv.ty(&Type {
            base: ty.base.clone(),
            nullable: false,
        }),
        BaseType::List(inner) if !matches!(inner.base, BaseType::List(_)) => {
            if inner.nullable {
                changes.push("its items become non-null".to_string());
            }
            let item = conv.ty(&Type {
                base: inner.base.clone(),
                nullable: false,
            });
            format!("list<{item}>")
        }
        BaseType::List(_) => {
            conv.warn_at(
                codes::W8050,
                format!("argument {arg}"),
                a.pos,
                format!("`{arg}` is not imported: a body is a record or a list of records, not a list of lists"),
            );
            return None;
        }
    };
    if a.node.default_value.is_some() {
        conv.warn_at(
            codes::W8053,
            format!("default {arg}"),
            a.pos,
            format!("the default of `{arg}` is not imported: a body has no default"),
        );
    }
    if !changes.is_empty() {
        conv.warn_at(
            codes::W8056,
            format!("argument {arg}"),
            a.pos,
            format!("`{arg}` changes shape: {}", changes.join("; ")),
        );
    }
    Some(text)
}
