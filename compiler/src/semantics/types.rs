//! Type expressions to types; alias expansion; compatibility.

use super::Scope;
use crate::diagnostics::{Diagnostic, codes};
use crate::ir::{Constraint, Kind, Number, Prim, QualName, Type};
use crate::syntax::ast;

const TYPE_KINDS: &[Kind] = &[
    Kind::Record,
    Kind::Enum,
    Kind::Alias,
    Kind::Entity,
    Kind::Context,
];

/// Lowers a written type. Problems are pushed to `diags`; the result is `Type::Error` where the
/// type could not be understood, so callers never report it twice.
pub fn lower(
    t: &ast::TypeExpr,
    scope: &Scope<'_>,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Type {
    match &t.kind {
        ast::TypeKind::Error => Type::Error,
        ast::TypeKind::Named(path) => {
            if let [single] = path.segments.as_slice()
                && let Some(prim) = Prim::from_name(&single.name)
            {
                return Type::Prim(prim);
            }
            if let [single] = path.segments.as_slice()
                && matches!(single.name.as_str(), "list" | "set" | "map")
            {
                diags.push(
                    Diagnostic::error(
                        codes::E2007,
                        format!("`{}` needs type arguments", single.name),
                        file,
                        t.span,
                    )
                    .with_label("missing `<...>`")
                    .with_help(generic_help(&single.name)),
                );
                return Type::Error;
            }
            match scope.resolve_kind(path, TYPE_KINDS, file, diags) {
                Some(name) => {
                    let kind = scope
                        .index
                        .lookup(&name.package, &name.name)
                        .map_or(Kind::Record, |site| site.kind);
                    Type::Named(name, kind)
                }
                None => Type::Error,
            }
        }
        ast::TypeKind::Optional(inner) => match lower(inner, scope, file, diags) {
            Type::Optional(inner) => {
                diags.push(
                    Diagnostic::error(codes::E2007, "a type can be optional once", file, t.span)
                        .with_label("`?` given twice")
                        .with_help("write one `?`"),
                );
                Type::Optional(inner)
            }
            // Keep the `?` even when the inner type did not resolve: the value stays optional.
            other => Type::Optional(Box::new(other)),
        },
        ast::TypeKind::Generic(ctor, args) => {
            let lowered: Vec<Type> = args.iter().map(|a| lower(a, scope, file, diags)).collect();
            let arity_error = |expected: usize, diags: &mut Vec<Diagnostic>| {
                diags.push(
                    Diagnostic::error(
                        codes::E2007,
                        format!(
                            "`{}` takes {expected} type argument{}, not {}",
                            ctor.name,
                            if expected == 1 { "" } else { "s" },
                            args.len()
                        ),
                        file,
                        t.span,
                    )
                    .with_label("wrong number of type arguments")
                    .with_help(generic_help(&ctor.name)),
                );
                Type::Error
            };
            match (ctor.name.as_str(), lowered.as_slice()) {
                ("list", [inner]) => Type::List(Box::new(inner.clone())),
                ("set", [inner]) => Type::Set(Box::new(inner.clone())),
                ("map", [key, value]) => {
                    if !matches!(key, Type::Prim(Prim::String) | Type::Error) {
                        let span = args.first().map_or(t.span, |a| a.span);
                        diags.push(
                            Diagnostic::error(
                                codes::E2007,
                                "map keys must be `string`",
                                file,
                                span,
                            )
                            .with_label(format!("found `{}`", key.display()))
                            .with_help(
                                "write `map<string, T>`; every target format keys maps by string",
                            ),
                        );
                        return Type::Error;
                    }
                    Type::Map(Box::new(value.clone()))
                }
                ("list" | "set", _) => arity_error(1, diags),
                ("map", _) => arity_error(2, diags),
                (other, _) => {
                    diags.push(
                        Diagnostic::error(
                            codes::E2007,
                            format!("unknown type constructor `{other}`"),
                            file,
                            ctor.span,
                        )
                        .with_label("not a type constructor")
                        .with_help(
                            "the type constructors are `list<T>`, `set<T>` and `map<string, T>`",
                        ),
                    );
                    Type::Error
                }
            }
        }
        ast::TypeKind::Range(base, min, max) => {
            let base_ty = lower(base, scope, file, diags);
            let numeric = matches!(base_ty, Type::Prim(p) if p.is_numeric());
            if !numeric {
                if base_ty != Type::Error {
                    diags.push(
                        Diagnostic::error(
                            codes::E2008,
                            format!("a range needs a number type, not `{}`", base_ty.display()),
                            file,
                            t.span,
                        )
                        .with_label("range on a non-numeric type")
                        .with_help(
                            "ranges refine `int`, `float` or `decimal`; use `matching` for strings",
                        ),
                    );
                }
                return Type::Error;
            }
            let bound =
                |e: &Option<Box<ast::Expr>>, diags: &mut Vec<Diagnostic>| -> Option<Number> {
                    let e = e.as_ref()?;
                    let Some(n) = number_literal(e) else {
                        diags.push(
                            Diagnostic::error(
                                codes::E2008,
                                "range bounds must be numbers",
                                file,
                                e.span,
                            )
                            .with_label("not a number"),
                        );
                        return None;
                    };
                    // Bounds are written into schemas and validators as numbers: they must
                    // fit as a policy's literals do (E0005).
                    if let Err(problem) = super::policy::fit(n.clone()) {
                        let mut d = Diagnostic::error(codes::E0005, problem.message, file, e.span)
                            .with_label(problem.label);
                        if let Some(help) = problem.help {
                            d = d.with_help(help);
                        }
                        diags.push(d);
                        return None;
                    }
                    Some(n)
                };
            let min = bound(min, diags);
            let max = bound(max, diags);
            let exact = |n: &Option<crate::ir::Number>| {
                n.as_ref()
                    .and_then(|n| crate::eval::Decimal::parse_literal(n.as_str()))
            };
            if let (Some(lo), Some(hi), Some(l), Some(h)) = (&min, &max, exact(&min), exact(&max))
                && l > h
            {
                diags.push(
                    Diagnostic::error(
                        codes::E2008,
                        format!("empty range: {} is above {}", lo.as_str(), hi.as_str()),
                        file,
                        t.span,
                    )
                    .with_label("no value fits this range")
                    .with_help("write the smaller bound first"),
                );
            }
            if base_ty == Type::Prim(Prim::Int)
                && [&min, &max]
                    .into_iter()
                    .flatten()
                    .any(|n| n.as_str().contains(['.', 'e', 'E']))
            {
                diags.push(
                    Diagnostic::error(
                        codes::E2008,
                        "an `int` range needs whole-number bounds",
                        file,
                        t.span,
                    )
                    .with_label("fractional bound on an `int`")
                    .with_help("use whole numbers, or refine `float`"),
                );
            }
            Type::Refined(Box::new(base_ty), Box::new(Constraint::Range { min, max }))
        }
        ast::TypeKind::Matching(base, pattern) => {
            let base_ty = lower(base, scope, file, diags);
            if base_ty != Type::Prim(Prim::String) {
                if base_ty != Type::Error {
                    diags.push(
                        Diagnostic::error(
                            codes::E2008,
                            format!("`matching` needs `string`, not `{}`", base_ty.display()),
                            file,
                            t.span,
                        )
                        .with_label("pattern on a non-string type")
                        .with_help("patterns refine `string`; use a range for numbers"),
                    );
                }
                return Type::Error;
            }
            if let Err(error) = regex::Regex::new(&pattern.value) {
                let detail = error.to_string();
                let last = detail
                    .lines()
                    .last()
                    .unwrap_or("invalid regular expression")
                    .trim()
                    .to_string();
                diags.push(
                    Diagnostic::error(codes::E2008, "invalid pattern", file, pattern.span)
                        .with_label(last)
                        .with_help("write a regular expression (RE2 syntax, unanchored: add `^...$` to match the whole value)"),
                );
                return Type::Error;
            }
            if pattern.value.is_empty() {
                diags.push(
                    Diagnostic::error(codes::E2008, "empty pattern", file, pattern.span)
                        .with_label("matches everything")
                        .with_help("write a regular expression, or drop `matching`"),
                );
            }
            Type::Refined(
                Box::new(base_ty),
                Box::new(Constraint::Pattern(pattern.value.clone())),
            )
        }
    }
}

fn generic_help(name: &str) -> &'static str {
    match name {
        "map" => "write `map<string, T>`",
        "set" => "write `set<T>`",
        _ => "write `list<T>`",
    }
}

/// The number an expression spells, if it is a number literal (optionally negated).
pub fn number_literal(e: &ast::Expr) -> Option<Number> {
    match &e.kind {
        ast::ExprKind::Int(n) | ast::ExprKind::Float(n) => Number::parse(&n.replace('_', "")),
        ast::ExprKind::Neg(inner) => {
            number_literal(inner).and_then(|n| Number::parse(&format!("-{}", n.as_str())))
        }
        _ => None,
    }
}

/// Resolves aliases and strips refinements: the type that operations see.
pub fn base(ty: &Type, expand: &dyn Fn(&QualName) -> Option<Type>) -> Type {
    let mut current = ty.clone();
    for _ in 0..32 {
        current = match current {
            Type::Refined(inner, _) => *inner,
            Type::Named(name, Kind::Alias) => match expand(&name) {
                Some(target) => target,
                None => return Type::Error,
            },
            Type::Optional(inner) => {
                return match base(&inner, expand) {
                    Type::Optional(x) => Type::Optional(x),
                    Type::Error => Type::Error,
                    other => Type::Optional(Box::new(other)),
                };
            }
            other => return other,
        };
    }
    Type::Error
}
